// CRM-4/CRM-5/RES-4 CSV import of companies and deals: the engine against a real SQLite store
// (mapping to fields and custom fields, pipeline/stage/company by name, per-row errors, dry run,
// sensitive-data policy, versions, the one audit row) and over HTTP (202, progress, permission).
#include "app/import.hpp"

#include "import_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

struct RecordImportFixture : ImportFixture {
    std::string owner = login(owner_a);
    std::string base = "/api/v1/accounts/" + account_a1 + "/";

    json post(const std::string& path, const json& body)
    {
        auto r = call("POST", base + path, body.dump(), {}, owner);
        BOOST_TEST_REQUIRE(r.status == 201, path << ": " << r.status << " " << r.body);
        now += 1000; // distinct created_at: "the oldest pipeline" is well defined
        return json::parse(r.body);
    }

    std::vector<model::Record> records(model::Kind kind)
    {
        RecordQuery q;
        q.kind = kind;
        q.limit = 200;
        auto page = store->list_records(scope(), q);
        BOOST_REQUIRE(page.ok());
        return page->items;
    }

    const model::Record& named(const std::vector<model::Record>& all, const std::string& name)
    {
        for (const auto& r : all)
            if (r.data.value("name", "") == name)
                return r;
        BOOST_FAIL("no record named " + name);
        return all.front();
    }

    std::size_t audited(const std::string& action) { return audit_count(agency_a, action); }
};

// The row error of data row `row` (fails the test when there is none).
json error_of_row(const ImportJob& job, std::size_t row)
{
    for (const auto& e : job.errors)
        if (e["row"] == row)
            return e;
    BOOST_FAIL("no error for row " + std::to_string(row));
    return {};
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(api_import_records, RecordImportFixture)

BOOST_AUTO_TEST_CASE(CRM4_company_import_maps_fields_and_custom_fields_one_version_each_one_audit_row)
{
    post("custom-fields", {{"object", "company"}, {"key", "employees"}, {"label", "Head count"}, {"type", "number"}});
    post("custom-fields", {{"object", "company"}, {"key", "segment"}, {"label", "Segment"}, {"type", "multi_select"},
                           {"options", {"smb", "enterprise"}}});
    const auto job = import_object("companies", "Company Name,Website,Tags,Head count,custom_segment,Notes\n"
                                                "Acme,https://acme.test,vip; b2b,120,smb;enterprise,ignored\n"
                                                "Globex,,,,,\n");
    BOOST_TEST(job.status == "done");
    BOOST_TEST(job.object == "companies");
    BOOST_TEST(job.created == 2);
    BOOST_TEST(job.failed == 0);
    BOOST_TEST(job.mapping == json({{"Company Name", "name"}, {"Website", "website"}, {"Tags", "tags"},
                                    {"Head count", "custom.employees"}, {"custom_segment", "custom.segment"}}));
    const auto all = records(model::Kind::company);
    BOOST_TEST_REQUIRE(all.size() == 2u);
    const auto& acme = named(all, "Acme");
    BOOST_TEST(acme.id.starts_with("co_"));
    BOOST_TEST(acme.data["website"] == "https://acme.test");
    BOOST_TEST(acme.data["tags"] == json({"vip", "b2b"}));
    BOOST_TEST(acme.data["custom"]["employees"] == 120);
    BOOST_TEST(acme.data["custom"]["segment"] == json({"smb", "enterprise"}));
    BOOST_TEST(acme.owner_id == owner_a_id); // the importer owns rows without an owner column
    BOOST_TEST(acme.version == 1);
    for (const auto& r : all) {
        auto versions = store->record_versions(scope(), r.id);
        BOOST_TEST_REQUIRE(versions.ok());
        BOOST_TEST(versions->size() == 1u);
        BOOST_TEST(versions->front().actor_id == owner_a_id);
    }
    // The API reads them like any company.
    auto got = call("GET", base + "companies/" + acme.id, {}, {}, owner);
    BOOST_TEST(got.status == 200);
    BOOST_TEST(audited("company.import") == 1u);
    BOOST_TEST(audited("company.create") == 0u); // never one audit row per row
}

BOOST_AUTO_TEST_CASE(CRM4_company_import_row_errors_name_row_column_and_code_and_the_rest_imports)
{
    post("custom-fields", {{"object", "company"}, {"key", "employees"}, {"label", "Employees"}, {"type", "number"}});
    const auto job = import_object("companies", "Name,Website,Employees,Owner,Tags\n"
                                                "Good,https://good.test,5,,\n"
                                                ",https://nameless.test,,,\n"
                                                "Bad site,notaurl,,,\n"
                                                "Many,,lots,,\n"
                                                "Stranger,,,us_nobody,\n"
                                                "Also good,,," + owner_a_id + ",a;b\n");
    BOOST_TEST(job.status == "done");
    BOOST_TEST(job.rows_done == 6);
    BOOST_TEST(job.created == 2);
    BOOST_TEST(job.failed == 4);
    auto e = error_of_row(job, 2);
    BOOST_TEST(e["column"] == "Name"); // required, empty
    BOOST_TEST(e["code"] == "validation_failed");
    BOOST_TEST(error_of_row(job, 3)["column"] == "Website");
    BOOST_TEST(error_of_row(job, 4)["column"] == "Employees");
    BOOST_TEST(error_of_row(job, 5)["column"] == "Owner"); // not a user of this sub-account
    BOOST_TEST(job.errors.size() == 4u);
    const auto all = records(model::Kind::company);
    BOOST_TEST_REQUIRE(all.size() == 2u);
    BOOST_TEST(named(all, "Also good").owner_id == owner_a_id);
    BOOST_TEST(named(all, "Good").data["custom"]["employees"] == 5);
}

BOOST_AUTO_TEST_CASE(CRM4_deal_import_takes_pipeline_and_stage_by_name_or_id_and_defaults_to_the_first)
{
    auto sales = post("pipelines", {{"name", "Sales"}, {"stages", {{{"name", "Lead"}}, {{"name", "Proposal"}}}}});
    auto renewals = post("pipelines", {{"name", "Renewals"}, {"stages", {{{"name", "Open"}}, {{"name", "Closed"}}}}});
    const std::string closed_id = renewals["stages"][1]["id"];
    const std::string proposal_id = sales["stages"][1]["id"];
    const auto job = import_object("deals", "Deal,Pipeline,Stage,Amount,Close date,Status\n"
                                            "Big,renewals,CLOSED,1000.5,2027-01-31,won\n"
                                            "Small,,,5,,\n"
                                            "By id," + sales["id"].get<std::string>() + "," + proposal_id + ",,,\n"
                                            "Odd,Sales,Nope,1,,\n"
                                            "Lost,Nowhere,,1,,\n"
                                            "Weird,,,1,,maybe\n");
    BOOST_TEST(job.created == 3);
    BOOST_TEST(job.failed == 3);
    BOOST_TEST(error_of_row(job, 4)["column"] == "Stage");
    BOOST_TEST(error_of_row(job, 5)["column"] == "Pipeline");
    BOOST_TEST(error_of_row(job, 6)["column"] == "Status"); // not one of open/won/lost, as the API says
    const auto all = records(model::Kind::deal);
    BOOST_TEST_REQUIRE(all.size() == 3u);
    const auto& big = named(all, "Big");
    BOOST_TEST(big.data["pipeline_id"] == renewals["id"]);
    BOOST_TEST(big.data["stage_id"] == closed_id);
    BOOST_TEST(big.data["value"] == 1000.5);
    BOOST_TEST(big.data["expected_close"] == "2027-01-31");
    BOOST_TEST(big.data["status"] == "won");
    BOOST_TEST(big.data["currency"] == "USD"); // the API's fallback
    BOOST_TEST(big.parent_id == renewals["id"].get<std::string>());
    const auto& small = named(all, "Small");
    BOOST_TEST(small.data["pipeline_id"] == sales["id"]); // the oldest pipeline, its first stage
    BOOST_TEST(small.data["stage_id"] == sales["stages"][0]["id"]);
    BOOST_TEST(named(all, "By id").data["stage_id"] == proposal_id);
    BOOST_TEST(audited("deal.import") == 1u);
}

BOOST_AUTO_TEST_CASE(CRM4_deal_import_without_any_pipeline_fails_each_row_clearly)
{
    const auto job = import_object("deals", "Name\nA\nB\n");
    BOOST_TEST(job.status == "done");
    BOOST_TEST(job.created == 0);
    BOOST_TEST(job.failed == 2);
    BOOST_TEST(error_of_row(job, 1)["message"].get<std::string>().find("no pipeline") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(CRM4_deal_import_names_a_company_by_id_or_exact_name_unknown_is_a_row_error)
{
    post("pipelines", {{"name", "Sales"}, {"stages", {{{"name", "Lead"}}}}});
    const std::string acme = post("companies", {{"name", "Acme"}})["id"];
    post("companies", {{"name", "Twin"}});
    post("companies", {{"name", "Twin"}});
    const auto contact = create_contact(owner, account_a1, {{"first_name", "Ana"}});
    const std::string contact_id = contact["id"];
    const auto job = import_object("deals", "Name,Company,Contacts\n"
                                            "By name,Acme," + contact_id + "\n"
                                            "By id," + acme + ",\n"
                                            "Wrong case,acme,\n"
                                            "Ambiguous,Twin,\n"
                                            "Ghost,Ghost Inc,\n"
                                            "No contact,,ct_00000000000000000000000000\n");
    BOOST_TEST(job.created == 2);
    BOOST_TEST(job.failed == 4);
    for (const std::size_t row : {3u, 4u, 5u}) {
        BOOST_TEST(error_of_row(job, row)["column"] == "Company");
        BOOST_TEST(error_of_row(job, row)["code"] == "validation_failed");
    }
    BOOST_TEST(error_of_row(job, 4)["message"].get<std::string>().find("several") != std::string::npos);
    BOOST_TEST(error_of_row(job, 6)["column"] == "Contacts");
    const auto all = records(model::Kind::deal);
    BOOST_TEST_REQUIRE(all.size() == 2u);
    BOOST_TEST(named(all, "By name").data["company_id"] == acme);
    BOOST_TEST(named(all, "By name").data["contact_ids"] == json({contact_id}));
    BOOST_TEST(named(all, "By id").data["company_id"] == acme);
}

BOOST_AUTO_TEST_CASE(CRM5_company_import_refuses_or_masks_sensitive_data_by_the_sub_account_policy)
{
    const std::string csv = "Name,Description\nAcme,card 4111 1111 1111 1111\n";
    auto job = import_object("companies", csv);
    BOOST_TEST(job.created == 0);
    BOOST_TEST(error_of_row(job, 1)["column"] == "Description");
    BOOST_TEST(error_of_row(job, 1)["message"].get<std::string>().find("4111") == std::string::npos);
    AuditEntry audit;
    audit.action = "account.settings_update";
    BOOST_REQUIRE(store->set_sensitive_data_policy(scope(), validate::SensitivePolicy::mask, audit).ok());
    job = import_object("companies", csv);
    BOOST_TEST(job.created == 1);
    const auto all = records(model::Kind::company);
    BOOST_TEST_REQUIRE(all.size() == 1u);
    const std::string description = all[0].data["description"];
    BOOST_TEST(description.find("4111 1111") == std::string::npos);
    BOOST_TEST(description.find("1111") != std::string::npos); // the last four stay
}

BOOST_AUTO_TEST_CASE(CRM4_record_import_dry_run_writes_only_the_job_and_its_audit_row)
{
    post("pipelines", {{"name", "Sales"}, {"stages", {{{"name", "Lead"}}}}});
    const auto before = count("SELECT count(*) FROM record_versions");
    auto job = import_object("deals", "Name,Stage\nA,lead\nB,nope\n", {}, true);
    BOOST_TEST(job.status == "done");
    BOOST_TEST(job.dry_run);
    BOOST_TEST(job.created == 0);
    BOOST_TEST(job.failed == 1);
    BOOST_TEST(error_of_row(job, 2)["column"] == "Stage");
    BOOST_TEST(records(model::Kind::deal).empty());
    BOOST_TEST(count("SELECT count(*) FROM record_versions") == before);
    BOOST_TEST(audited("deal.import") == 1u);
    BOOST_TEST(count("SELECT count(*) FROM import_jobs WHERE object = 'deals' AND dry_run = 1") == 1);
    // Explicit mapping: only the mapped columns, unknown fields refused naming the header.
    auto object = make_import_object("deals", *store, account(), owner_a_id, now.load());
    BOOST_TEST_REQUIRE(object.ok());
    auto bad = parse_import_mapping(**object, json{{"Title", "title"}});
    BOOST_TEST_REQUIRE(!bad.ok());
    BOOST_TEST(bad.error().field == "mapping.Title");
    job = import_object("deals", "Title,Stage\nMapped,nope\n", {{"Title", "name"}});
    BOOST_TEST(job.created == 1); // Stage is not mapped: the default stage
}

BOOST_AUTO_TEST_CASE(CRM4_http_company_and_deal_import_answer_202_and_need_import_and_create)
{
    post("pipelines", {{"name", "Sales"}, {"stages", {{{"name", "Lead"}}, {{"name", "Won"}}}}});
    auto r = upload(base + "companies/import", "Name,Industry\nAcme,Hardware\nInitech,Software\n", owner);
    BOOST_TEST_REQUIRE(r.status == 202, r.body);
    auto job = wait_for_job(account_a1, json::parse(r.body)["id"], owner);
    BOOST_TEST(job["status"] == "done");
    BOOST_TEST(job["object"] == "companies");
    BOOST_TEST(job["created"] == 2);
    r = upload(base + "deals/import?mapping=%7B%22Deal%22%3A%22name%22%2C%22Where%22%3A%22stage_id%22%7D",
               "Deal,Where,Company\nBig,won,Acme\nBad,nowhere,Acme\n", owner);
    BOOST_TEST_REQUIRE(r.status == 202, r.body);
    job = wait_for_job(account_a1, json::parse(r.body)["id"], owner);
    BOOST_TEST(job["status"] == "done");
    BOOST_TEST(job["object"] == "deals");
    BOOST_TEST(job["created"] == 1);
    BOOST_TEST(job["errors"][0] == json({{"row", 2}, {"column", "Where"}, {"code", "validation_failed"},
                                        {"message", job["errors"][0]["message"]}}));
    BOOST_TEST(job["mapping"] == json({{"Deal", "name"}, {"Where", "stage_id"}})); // Company not mapped
    BOOST_TEST(audited("company.import") == 1u);
    BOOST_TEST(audited("deal.import") == 1u);
    // Bad mapping and dry_run answer 422 at once.
    r = upload(base + "deals/import?mapping=%7B%22Deal%22%3A%22subject%22%7D", "Deal\nX\n", owner);
    BOOST_TEST(r.status == 422);
    BOOST_TEST(json::parse(r.body)["error"]["field"] == "mapping.Deal");
    // An account_user may create deals but not import; read_only may neither.
    for (const auto& who : {user_a1, reader_a1}) {
        const auto session = login(who);
        BOOST_TEST(upload(base + "deals/import", "Name\nX\n", session).status == 403);
        BOOST_TEST(upload(base + "companies/import", "Name\nX\n", session).status == 403);
    }
    // Another agency's owner cannot reach the sub-account.
    BOOST_TEST(upload(base + "companies/import", "Name\nX\n", login(owner_b)).status == 404);
    BOOST_TEST(records(model::Kind::company).size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

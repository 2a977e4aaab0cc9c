// CRM-4/CRM-5/RES-4 CSV import: the engine against a real SQLite store (mapping, per-row errors,
// dry run, sensitive-data policy, batches, the one audit row). HTTP: api_import_http_tests.cpp.
#include "app/import.hpp"

#include "import_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

const json& error_at(const ImportJob& job, std::size_t i)
{
    BOOST_REQUIRE(job.errors.size() > i);
    return job.errors[i];
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(api_import, ImportFixture)

BOOST_AUTO_TEST_CASE(CRM4_default_mapping_takes_header_spellings_and_appends_emails)
{
    const auto job = import_csv("First Name,LAST_NAME,E-mail,Email Address,Phone Number,Company,Tags,Notes\n"
                                "Ana,Lima,ana@x.test,ana@work.test,+1 415 555 0100,Acme,vip; lead,ignored\n");
    BOOST_TEST(job.status == "done");
    BOOST_TEST(job.created == 1);
    BOOST_TEST(job.mapping == json({{"First Name", "first_name"}, {"LAST_NAME", "last_name"}, {"E-mail", "email"},
                                    {"Email Address", "email"}, {"Phone Number", "phone"}, {"Company", "company_name"},
                                    {"Tags", "tags"}}));
    const auto all = contacts();
    BOOST_TEST_REQUIRE(all.size() == 1u);
    const auto& c = all[0];
    BOOST_TEST(c.first_name == "Ana");
    BOOST_TEST(c.last_name == "Lima");
    BOOST_TEST((c.emails == std::vector<std::string>{"ana@x.test", "ana@work.test"}));
    BOOST_TEST((c.phones == std::vector<std::string>{"+14155550100"}));
    BOOST_TEST((c.tags == std::vector<std::string>{"vip", "lead"}));
    BOOST_TEST(c.owner_id == owner_a_id);
    BOOST_TEST(c.version == 1);
}

BOOST_AUTO_TEST_CASE(CRM4_explicit_mapping_uses_only_the_mapped_columns)
{
    const auto job = import_csv("Given,Family,Mail,Other mail\nBo,Berg,bo@x.test,bo@y.test\n",
                                {{"Given", "first_name"}, {"Mail", "email"}, {"Other mail", "email"}});
    BOOST_TEST(job.created == 1);
    const auto all = contacts();
    BOOST_TEST_REQUIRE(all.size() == 1u);
    BOOST_TEST(all[0].first_name == "Bo");
    BOOST_TEST(all[0].last_name == ""); // "Family" is not mapped
    BOOST_TEST(all[0].emails.size() == 2u);
}

BOOST_AUTO_TEST_CASE(CRM4_unknown_mapping_field_is_422_naming_the_header)
{
    auto object = make_import_object("contacts", *store, account(), owner_a_id, now.load());
    BOOST_REQUIRE(object.ok());
    auto bad = parse_import_mapping(**object, json{{"First Name", "first_name"}, {"Birthday", "birthday"}});
    BOOST_TEST_REQUIRE(!bad.ok());
    BOOST_TEST(bad.error().code == api::ErrorCode::validation_failed);
    BOOST_TEST(bad.error().field == "mapping.Birthday");
    BOOST_TEST(!parse_import_mapping(**object, json::array()).ok());
    BOOST_TEST(!make_import_object("unicorns", *store, account(), owner_a_id, now.load()).ok());
    // A mapped header the file lacks fails the job, naming it.
    const auto job = import_csv("Name\nAna\n", {{"First", "first_name"}});
    BOOST_TEST(job.status == "failed");
    BOOST_TEST(job.failure["field"] == "mapping.First");
    BOOST_TEST(contacts().empty());
}

BOOST_AUTO_TEST_CASE(CRM4_row_errors_name_row_column_and_code_and_the_rest_imports)
{
    const auto job = import_csv("first_name,email,phone,owner_id\n"
                                "Ana,ana@x.test,,\n"      // row 1: fine
                                "Bo,not-an-email,,\n"     // row 2: bad email
                                "\n"                      // row 3: blank line, counted, skipped
                                ",,,\n"                   // row 4: nothing to identify
                                "Cy,,12,\n"               // row 5: bad phone
                                "Di,di@x.test,,us_nobodyaaaaaaaaaaaaaaaaaaaa\n" // row 6: owner not in the sub-account
                                "Ed,ed@x.test,,,extra\n"); // row 7: more cells than headers
    BOOST_TEST(job.status == "done");
    BOOST_TEST(job.rows_done == 6); // the blank line is no row
    BOOST_TEST(job.created == 1);
    BOOST_TEST(job.failed == 5);
    BOOST_TEST(error_at(job, 0) == json({{"row", 2}, {"column", "email"}, {"code", "validation_failed"},
                                         {"message", error_at(job, 0)["message"]}}));
    BOOST_TEST(error_at(job, 1)["row"] == 4);
    BOOST_TEST(error_at(job, 2)["row"] == 5);
    BOOST_TEST(error_at(job, 2)["column"] == "phone");
    BOOST_TEST(error_at(job, 3)["row"] == 6);
    BOOST_TEST(error_at(job, 3)["column"] == "owner_id");
    BOOST_TEST(error_at(job, 4)["row"] == 7);
    BOOST_TEST(contacts().size() == 1u);
}

BOOST_AUTO_TEST_CASE(CRM4_only_the_first_1000_row_errors_are_kept_but_all_are_counted)
{
    std::string csv = "email\n";
    for (int i = 0; i < 1200; ++i)
        csv += "bad" + std::to_string(i) + "\n";
    const auto job = import_csv(csv);
    BOOST_TEST(job.failed == 1200);
    BOOST_TEST(job.errors.size() == k_max_import_errors);
    BOOST_TEST(job.created == 0);
}

BOOST_AUTO_TEST_CASE(CRM4_dry_run_validates_and_writes_nothing_but_the_job)
{
    const auto job = import_csv("first_name,email\nAna,ana@x.test\nBo,nope\n", {}, true);
    BOOST_TEST(job.status == "done");
    BOOST_TEST(job.dry_run);
    BOOST_TEST(job.rows_done == 2);
    BOOST_TEST(job.failed == 1);
    BOOST_TEST(job.created == 0);
    BOOST_TEST(count("SELECT count(*) FROM contacts") == 0);
    BOOST_TEST(count("SELECT count(*) FROM contact_versions") == 0);
    BOOST_TEST(count("SELECT count(*) FROM contact_emails") == 0);
    const auto stored = store->find_import_job(scope(), job.id);
    BOOST_TEST_REQUIRE(stored.has_value());
    BOOST_TEST(stored->status == "done");
    BOOST_TEST(stored->failed == 1);
    const auto audited = imports_audited();
    BOOST_TEST_REQUIRE(audited.size() == 1u);
    BOOST_TEST(audited[0].details["dry_run"] == true);
}

BOOST_AUTO_TEST_CASE(CRM5_import_refuses_or_masks_sensitive_data_by_the_sub_account_policy)
{
    const std::string csv = "first_name,last_name\nAna,card 4111 1111 1111 1111\n";
    BOOST_TEST((account().sensitive_data_policy == validate::SensitivePolicy::refuse)); // the default
    auto job = import_csv(csv);
    BOOST_TEST(job.created == 0);
    BOOST_TEST(error_at(job, 0)["column"] == "last_name");
    BOOST_TEST(error_at(job, 0)["message"].get<std::string>().find("4111") == std::string::npos); // never echoed

    AuditEntry audit;
    audit.action = "account.settings_update";
    BOOST_REQUIRE(store->set_sensitive_data_policy(scope(), validate::SensitivePolicy::mask, audit).ok());
    BOOST_TEST((account().sensitive_data_policy == validate::SensitivePolicy::mask));
    job = import_csv(csv);
    BOOST_TEST(job.created == 1);
    BOOST_TEST(job.failed == 0);
    const auto all = contacts();
    BOOST_TEST_REQUIRE(all.size() == 1u);
    BOOST_TEST(all[0].last_name.find("4111 1111") == std::string::npos);
    BOOST_TEST(all[0].last_name.find("1111") != std::string::npos); // the last 4 stay
}

BOOST_AUTO_TEST_CASE(CRM4_RES4_n_rows_make_n_contacts_at_version_1_in_batches_with_one_audit_row)
{
    constexpr int n = 2345;
    std::string csv = "First Name,Email\r\n";
    for (int i = 0; i < n; ++i)
        csv += "Person " + std::to_string(i) + ",p" + std::to_string(i) + "@x.test\r\n";
    std::vector<std::int64_t> created_after_batch;
    const auto job = import_reporting(csv, 1000, created_after_batch);
    BOOST_TEST(job.status == "done");
    BOOST_TEST(job.created == n);
    BOOST_TEST(job.rows_done == n);
    BOOST_TEST(job.bytes_done == static_cast<std::int64_t>(csv.size()));
    BOOST_TEST((created_after_batch == std::vector<std::int64_t>{1000, 2000, 2345, 2345}));
    BOOST_TEST(count("SELECT count(*) FROM contacts") == n);
    BOOST_TEST(count("SELECT count(*) FROM contact_versions WHERE version = 1") == n);
    BOOST_TEST(count("SELECT count(*) FROM contacts c WHERE NOT EXISTS (SELECT 1 FROM contact_versions v"
                     " WHERE v.contact_id = c.id AND v.version = c.version)") == 0);
    BOOST_TEST(count("SELECT count(*) FROM contacts WHERE version <> 1") == 0);
    BOOST_TEST(count("SELECT count(*) FROM contact_emails") == n);
    const auto audited = imports_audited();
    BOOST_TEST_REQUIRE(audited.size() == 1u); // one per job, not per row or batch
    const auto& d = audited[0].details;
    BOOST_TEST(d["rows"] == n);
    BOOST_TEST(d["created"] == n);
    BOOST_TEST(d["failed"] == 0);
    BOOST_TEST(d["dry_run"] == false);
    BOOST_TEST(d["file_sha256"].get<std::string>().size() == 64u);
    BOOST_TEST(d["mapping_headers"] == json({"Email", "First Name"}));
    BOOST_TEST(audited[0].target_id == job.id);
    BOOST_TEST(audit_count(agency_a, "contact.create") == 0u);
}

BOOST_AUTO_TEST_CASE(CRM4_a_broken_file_fails_the_job_with_row_and_column)
{
    const auto job = import_csv("first_name,email\nAna,ana@x.test\nBo,\"bo@x.test\n");
    BOOST_TEST(job.status == "failed");
    BOOST_TEST(job.failure["code"] == "csv_unterminated_quote");
    BOOST_TEST(job.failure["row"] == 2);
    BOOST_TEST(job.failure["column"] == 2);
    const auto audited = imports_audited();
    BOOST_TEST_REQUIRE(audited.size() == 1u);
    BOOST_TEST(audited[0].outcome == "failure");
}

BOOST_AUTO_TEST_SUITE_END()

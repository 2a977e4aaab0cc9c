// CRM-4 CSV import over HTTP: 202 and a job, progress polled until done (the job runs on the
// job pool), dry run, mapping and permission errors, tenant scope of the job.
#include "app/import.hpp"

#include "import_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <thread>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

BOOST_FIXTURE_TEST_SUITE(api_import_http, ImportFixture)

BOOST_AUTO_TEST_CASE(CRM4_http_import_answers_202_and_the_job_shows_progress_until_done)
{
    const auto owner = login(owner_a);
    std::string csv = "First Name,E-mail,Birthday\n";
    for (int i = 0; i < 12000; ++i)
        csv += "P" + std::to_string(i) + ",p" + std::to_string(i) + "@x.test,2000-01-01\n";
    csv += "Bad,not-an-email,\n";
    const std::string base = "/api/v1/accounts/" + account_a1;
    auto r = upload(base + "/contacts/import", csv, owner);
    BOOST_TEST_REQUIRE(r.status == 202, r.body);
    auto body = json::parse(r.body);
    const std::string id = body["id"];
    BOOST_TEST(id.starts_with("im_"));
    BOOST_TEST(body["status"] == "running");
    BOOST_TEST(body["bytes_total"] == csv.size());
    BOOST_TEST(r.header("Location").value_or("") == base + "/imports/" + id);

    json job;
    std::vector<std::int64_t> seen;
    for (int i = 0; i < 600; ++i) {
        auto g = call("GET", base + "/imports/" + id, {}, {}, owner);
        BOOST_TEST_REQUIRE(g.status == 200, g.body);
        job = json::parse(g.body);
        seen.push_back(job["rows_done"].get<std::int64_t>());
        if (job["status"] != "running")
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    BOOST_TEST(job["status"] == "done");
    BOOST_TEST(job["object"] == "contacts");
    BOOST_TEST(job["dry_run"] == false);
    BOOST_TEST(job["rows_done"] == 12001);
    BOOST_TEST(job["created"] == 12000);
    BOOST_TEST(job["failed"] == 1);
    BOOST_TEST(job["bytes_done"] == csv.size());
    BOOST_TEST(job["errors"].size() == 1u);
    BOOST_TEST(job["errors"][0]["row"] == 12001);
    BOOST_TEST(job["errors"][0]["column"] == "E-mail");
    BOOST_TEST(std::is_sorted(seen.begin(), seen.end()));
    BOOST_TEST(audit_count(agency_a, "contact.import") == 1u);

    // Dry run over HTTP: nothing written.
    r = upload(base + "/contacts/import?dry_run=true&mapping=%7B%22E-mail%22%3A%22email%22%7D", "E-mail\nz@x.test\n",
               owner);
    BOOST_TEST_REQUIRE(r.status == 202, r.body);
    const std::string dry = json::parse(r.body)["id"];
    for (int i = 0; i < 500; ++i) {
        job = json::parse(call("GET", base + "/imports/" + dry, {}, {}, owner).body);
        if (job["status"] != "running")
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    BOOST_TEST(job["status"] == "done");
    BOOST_TEST(job["dry_run"] == true);
    BOOST_TEST(job["mapping"] == json({{"E-mail", "email"}}));
    BOOST_TEST(count("SELECT count(*) FROM contacts") == 12000);
}

BOOST_AUTO_TEST_CASE(CRM4_http_import_checks_mapping_permission_and_tenant)
{
    const auto owner = login(owner_a);
    const std::string base = "/api/v1/accounts/" + account_a1;
    auto r = upload(base + "/contacts/import?mapping=%7B%22Name%22%3A%22nickname%22%7D", "Name\nAna\n", owner);
    BOOST_TEST(r.status == 422);
    BOOST_TEST(json::parse(r.body)["error"]["field"] == "mapping.Name");
    r = upload(base + "/contacts/import?dry_run=maybe", "Name\nAna\n", owner);
    BOOST_TEST(r.status == 422);
    BOOST_TEST(json::parse(r.body)["error"]["field"] == "dry_run");
    // An account_user may create contacts but not import them.
    const auto user = login(user_a1);
    r = upload(base + "/contacts/import", "first_name\nAna\n", user);
    BOOST_TEST(r.status == 403);
    // JSON is not a CSV upload.
    r = call("POST", base + "/contacts/import", json{{"first_name", "Ana"}}.dump(), {{"Origin", k_origin}}, owner);
    BOOST_TEST(r.status == 415);
    // Another agency's owner sees neither the route's sub-account nor the job.
    r = upload(base + "/contacts/import", "first_name\nAna\n", owner);
    BOOST_TEST_REQUIRE(r.status == 202);
    const std::string id = json::parse(r.body)["id"];
    const auto other = login(owner_b);
    BOOST_TEST(call("GET", base + "/imports/" + id, {}, {}, other).status == 404);
    BOOST_TEST(call("GET", "/api/v1/accounts/" + account_b1 + "/imports/" + id, {}, {}, other).status == 404);
    BOOST_TEST(call("GET", base + "/imports/im_nope", {}, {}, owner).status == 404);
}

BOOST_AUTO_TEST_SUITE_END()

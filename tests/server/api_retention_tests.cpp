// AUD-4 retention settings through the API (GET/PATCH /api/v1/agencies/{agency_id}/retention):
// defaults, who may read and change them, re-authentication, validation, If-Match, the audit row
// of a change; and the hourly job the app runs by its clock. Store-level cases:
// audit_retention_tests.cpp.
#include "api_fixture.hpp"

#include "cli/audit.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

constexpr model::UnixMillis k_minute = 60'000;
constexpr model::UnixMillis k_day = 24 * 60 * k_minute;

json error_of(const Response& r)
{
    auto j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"] : json::object();
}

struct RetentionFixture : ApiFixture {
    std::string path(const std::string& agency) { return "/api/v1/agencies/" + agency + "/retention"; }
    Response patch(const std::string& session, const json& body, const std::string& if_match = "\"0\"")
    {
        Headers h;
        if (!if_match.empty())
            h.push_back({"If-Match", if_match});
        return call("PATCH", path(agency_a), body.dump(), h, session);
    }
    // Polls agency A's audit rows (newest first) until pred holds for one of them; up to 5 s,
    // as the job runs on a worker after the request that started it.
    bool wait_for_row(const std::function<bool(const AuditEntry&)>& pred)
    {
        for (int i = 0; i < 250; ++i) {
            for (const auto& e : store->audit_entries(agency_a, 10000))
                if (pred(e))
                    return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
    static std::function<bool(const AuditEntry&)> row(const std::string& action, bool details_null)
    {
        return [=](const AuditEntry& e) { return e.action == action && e.details.is_null() == details_null; };
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(api_retention_tests)

BOOST_FIXTURE_TEST_CASE(AUD4_retention_get_answers_the_defaults, RetentionFixture)
{
    auto session = login(owner_a);
    auto r = call("GET", path(agency_a), {}, {}, session);
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    BOOST_TEST(r.header("ETag").value_or("") == "\"0\"");
    auto body = json::parse(r.body);
    BOOST_TEST(body["agency_id"] == agency_a);
    BOOST_TEST(body["days"]["security"] == 730);
    BOOST_TEST(body["days"]["auth"] == 365);
    BOOST_TEST(body["days"]["admin"] == 365);
    BOOST_TEST(body["days"]["exports_imports"] == 365);
    BOOST_TEST(body["days"]["records"] == 180);
    BOOST_TEST(body["days"]["default"] == 180);
    BOOST_TEST(body["min_days"] == 30);
    BOOST_TEST(body["max_days"] == 3650);
    BOOST_TEST(body["version"] == 0);
    BOOST_TEST(body["updated_at"].is_null());
}

BOOST_FIXTURE_TEST_CASE(AUD4_retention_patch_changes_and_audits_old_and_new, RetentionFixture)
{
    auto session = login(owner_a);
    auto r = patch(session, {{"days", {{"records", 90}, {"security", 1000}}}});
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    BOOST_TEST(r.header("ETag").value_or("") == "\"1\"");
    auto body = json::parse(r.body);
    BOOST_TEST(body["days"]["records"] == 90);
    BOOST_TEST(body["days"]["security"] == 1000);
    BOOST_TEST(body["days"]["auth"] == 365);
    BOOST_TEST(body["version"] == 1);
    BOOST_TEST(json::parse(call("GET", path(agency_a), {}, {}, session).body)["days"]["records"] == 90);
    auto rows = store->audit_entries(agency_a, 50);
    auto it = std::find_if(rows.begin(), rows.end(), [](const AuditEntry& e) { return e.action == "retention.updated"; });
    BOOST_TEST_REQUIRE((it != rows.end()));
    BOOST_TEST(it->actor.id == owner_a_id);
    BOOST_TEST(it->details["changes"]["days.records"]["old"] == 180);
    BOOST_TEST(it->details["changes"]["days.records"]["new"] == 90);
    BOOST_TEST(it->details["changes"]["days.security"]["new"] == 1000);
    BOOST_TEST(!it->details["changes"].contains("days.auth"));
    // The same values again: no new version, no audit row.
    BOOST_TEST(patch(session, {{"days", {{"records", 90}}}}, "\"1\"").status == 200);
    BOOST_TEST(audit_count(agency_a, "retention.updated") == 1u);
}

BOOST_FIXTURE_TEST_CASE(AUD4_retention_patch_errors_name_the_field, RetentionFixture)
{
    auto session = login(owner_a);
    struct Case {
        json body;
        std::string field;
    };
    const Case cases[] = {
        {{{"days", {{"records", 10}}}}, "days.records"},
        {{{"days", {{"records", 4000}}}}, "days.records"},
        {{{"days", {{"records", "90"}}}}, "days.records"},
        {{{"days", {{"bogus", 90}}}}, "days.bogus"},
        {{{"days", {{"auth", 800}}}}, "days.auth"},        // longer than security (730)
        {{{"days", {{"security", 200}}}}, "days.security"}, // shorter than auth (365)
        {{{"days", 5}}, "days"},
        {{{"version", 3}}, "version"},
    };
    for (const auto& c : cases) {
        auto r = patch(session, c.body);
        BOOST_TEST_CONTEXT(c.body.dump())
        {
            BOOST_TEST(r.status == 422);
            BOOST_TEST(error_of(r)["code"] == "validation_failed");
            BOOST_TEST(error_of(r)["field"] == c.field);
        }
    }
    BOOST_TEST(call("PATCH", path(agency_a), "{not json", {{"If-Match", "\"0\""}}, session).status == 400);
    BOOST_TEST(audit_count(agency_a, "retention.updated") == 0u);
}

BOOST_FIXTURE_TEST_CASE(AUD4_retention_patch_needs_if_match_and_the_current_version, RetentionFixture)
{
    auto session = login(owner_a);
    auto r = patch(session, {{"days", {{"records", 90}}}}, "");
    BOOST_TEST(r.status == 428);
    BOOST_TEST(error_of(r)["code"] == "precondition_required");
    BOOST_TEST_REQUIRE(patch(session, {{"days", {{"records", 90}}}}, "\"0\"").status == 200);
    r = patch(session, {{"days", {{"records", 60}}}}, "\"0\""); // based on the version before
    BOOST_TEST(r.status == 412);
    BOOST_TEST(error_of(r)["code"] == "precondition_failed");
    BOOST_TEST(json::parse(r.body)["current"]["days"]["records"] == 90);
    BOOST_TEST(r.header("ETag").value_or("") == "\"1\"");
}

BOOST_FIXTURE_TEST_CASE(AUD4_retention_patch_needs_a_recent_reauth, RetentionFixture)
{
    auto session = login(owner_a);
    now += 6 * k_minute;
    auto r = patch(session, {{"days", {{"records", 90}}}});
    BOOST_TEST(r.status == 401);
    BOOST_TEST(error_of(r)["code"] == "reauth_required");
    BOOST_TEST_REQUIRE(call("POST", "/api/v1/auth/reauth", json{{"password", k_password}}.dump(), {}, session).status == 204);
    BOOST_TEST(patch(session, {{"days", {{"records", 90}}}}).status == 200);
}

BOOST_FIXTURE_TEST_CASE(AUD4_retention_is_403_inside_the_agency_and_404_outside, RetentionFixture)
{
    for (const auto& email : {user_a1, reader_a1, agency_user_a}) {
        auto s = login(email);
        BOOST_TEST(call("GET", path(agency_a), {}, {}, s).status == 403, email);
        BOOST_TEST(patch(s, {{"days", {{"records", 90}}}}).status == 403, email);
    }
    auto b = login(owner_b);
    BOOST_TEST(call("GET", path(agency_a), {}, {}, b).status == 404);
    BOOST_TEST(patch(b, {{"days", {{"records", 90}}}}).status == 404);
    BOOST_TEST(call("GET", path("ag_" + std::string(26, 'a')), {}, {}, b).status == 404);
    BOOST_TEST(call("GET", path("not-an-id"), {}, {}, b).status == 404);
}

BOOST_FIXTURE_TEST_CASE(AUD2_hourly_job_clears_old_details_by_the_app_clock_and_chain_verifies, RetentionFixture)
{
    auto session = login(owner_a);
    create_contact(session, account_a1, {{"first_name", "Old"}});
    BOOST_TEST_REQUIRE(patch(session, {{"days", {{"records", 30}}}}).status == 200);
    BOOST_TEST(wait_for_row(row("contact.create", false)));
    // 31 days on, the first request of the new hour runs the job (on a worker: waited for); the
    // run at start found nothing due (the app started before these rows).
    now += 31 * k_day;
    session = login(owner_a);
    BOOST_TEST(wait_for_row(row("contact.create", true)));
    // The run's own row (written after the agency's batches): what it cleared, per kind.
    BOOST_TEST(wait_for_row([&](const AuditEntry& e) {
        return e.action == "audit.retention_applied" && e.at == now &&
               e.details["details_cleared"].value("records", 0) == 1;
    }));
    BOOST_TEST(wait_for_row(row("retention.updated", false))); // security: 730 days
    std::ostringstream out, err;
    BOOST_TEST(audit_main({"verify", "--data", dir.path.string()}, out, err) == 0, out.str() << err.str());
}

BOOST_FIXTURE_TEST_CASE(AUD4_retention_runs_when_the_app_starts, RetentionFixture)
{
    auto session = login(owner_a);
    create_contact(session, account_a1, {{"first_name", "Old"}});
    now += 181 * k_day; // past "records" (180 days)
    make_app();         // a restart: the job runs before the first request is served
    bool cleared = false;
    for (const auto& e : store->audit_entries(agency_a, 10000))
        if (e.action == "contact.create")
            cleared = e.details.is_null() && e.details_hash.size() == 64;
    BOOST_TEST(cleared);
}

BOOST_AUTO_TEST_SUITE_END()

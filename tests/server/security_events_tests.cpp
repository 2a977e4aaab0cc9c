// Security events and automatic responses (AUD-5, TEN-2): a cross-tenant attempt is answered
// with the missing record's 404 and recorded as an event with its audit row; repeated attempts
// block the source (429 with Retry-After, itself an event and an audit row) until the block
// ends, also across a restart; brute force raises an event; an agency's admins list their own
// events and nobody else's.
#include "api_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <thread>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

struct EventsFixture : ApiFixture {
    std::vector<SecurityEvent> events_of(const std::string& agency_id)
    {
        auto list = store->list_security_events(agency_id, 0, 1000);
        BOOST_REQUIRE(list.ok());
        return *list;
    }
    std::size_t count(const std::string& agency_id, const std::string& kind)
    {
        std::size_t n = 0;
        for (const auto& e : events_of(agency_id))
            n += e.kind == kind;
        return n;
    }
    // Events are written after the answer has left: wait up to a second.
    bool eventually(const std::string& agency_id, const std::string& kind, std::size_t at_least)
    {
        for (int i = 0; i < 100; ++i) {
            if (count(agency_id, kind) >= at_least)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(security_events)

BOOST_FIXTURE_TEST_CASE(TEN2_cross_tenant_read_is_a_plain_404_and_an_event_with_its_audit_row, EventsFixture)
{
    auto b = login(owner_b);
    std::string foreign = create_contact(b, account_b1, {{"first_name", "Secret"}})["id"];
    auto a = login(user_a1);
    auto missing = call("GET", "/api/v1/accounts/" + account_a1 + "/contacts/ct_" + std::string(26, 'a'), {}, {}, a);
    BOOST_TEST(count(agency_b, "cross_tenant_attempt") == 0u);
    BOOST_TEST(count(agency_a, "cross_tenant_attempt") == 0u); // a missing id is no event

    auto r = call("GET", "/api/v1/accounts/" + account_a1 + "/contacts/" + foreign, {}, {}, a);
    BOOST_TEST(r.status == 404);
    BOOST_TEST(r.body == missing.body);
    BOOST_TEST_REQUIRE(eventually(agency_b, "cross_tenant_attempt", 1));
    auto e = events_of(agency_b).front();
    BOOST_TEST(e.account_id == account_b1);
    BOOST_TEST(e.severity == "high");
    BOOST_TEST(e.actor_id == user_a1_id);
    BOOST_TEST(e.source_key == "user:" + user_a1_id);
    BOOST_TEST(e.details["route"] == "/api/v1/accounts/{account_id}/contacts/{id}");
    BOOST_TEST(audit_count(agency_b, "security.cross_tenant_attempt") == 1u);

    // The other agency's sub-account in the path: the same 404 and another event.
    auto r2 = call("GET", "/api/v1/accounts/" + account_b1 + "/contacts", {}, {}, a);
    auto missing_account = call("GET", "/api/v1/accounts/ac_" + std::string(26, 'a') + "/contacts", {}, {}, a);
    BOOST_TEST(r2.status == 404);
    BOOST_TEST(r2.body == missing_account.body);
    BOOST_TEST(eventually(agency_b, "cross_tenant_attempt", 2));
    // Agency A's own event list holds none of this.
    BOOST_TEST(count(agency_a, "cross_tenant_attempt") == 0u);
}

BOOST_FIXTURE_TEST_CASE(TEN2_repeated_attempts_block_the_source_until_the_block_ends_also_after_a_restart, EventsFixture)
{
    auto b = login(owner_b);
    std::string foreign = create_contact(b, account_b1, {{"first_name", "Secret"}})["id"];
    auto a = login(user_a1);
    const auto probe = "/api/v1/accounts/" + account_a1 + "/contacts/" + foreign;
    const auto own = "/api/v1/accounts/" + account_a1 + "/contacts";
    for (int i = 0; i < 4; ++i)
        BOOST_TEST(call("GET", probe, {}, {}, a).status == 404);
    BOOST_TEST_REQUIRE(eventually(agency_b, "cross_tenant_attempt", 4));
    BOOST_TEST(call("GET", own, {}, {}, a).status == 200); // four: not yet
    BOOST_TEST(call("GET", probe, {}, {}, a).status == 404); // the fifth answers 404, then blocks
    BOOST_TEST_REQUIRE(eventually(agency_b, "source_blocked", 1));
    BOOST_TEST(audit_count(agency_b, "security.source_blocked") == 1u);

    auto blocked = call("GET", own, {}, {}, a);
    BOOST_TEST(blocked.status == 429);
    BOOST_TEST(api::error_from_json(json::parse(blocked.body))->code == api::ErrorCode::rate_limited);
    auto retry = blocked.header("Retry-After");
    BOOST_TEST_REQUIRE(retry.has_value());
    BOOST_TEST(std::stoi(std::string(*retry)) > 14 * 60);
    BOOST_TEST(std::stoi(std::string(*retry)) <= 15 * 60);
    // Other users are not affected.
    BOOST_TEST(call("GET", own, {}, {}, login(owner_a)).status == 200);

    // A restart keeps the block (it is in the store).
    make_app();
    BOOST_TEST(call("GET", own, {}, {}, a).status == 429);

    now += 15LL * 60 * 1000 + 1000; // the block has ended; a new session (the old one idled out)
    auto again = login(user_a1);
    BOOST_TEST(call("GET", own, {}, {}, again).status == 200);
}

BOOST_FIXTURE_TEST_CASE(AUD5_permission_denied_burst_is_an_event_and_blocks_the_user, EventsFixture)
{
    auto reader = login(reader_a1);
    const auto base = "/api/v1/accounts/" + account_a1 + "/contacts";
    for (std::size_t i = 0; i + 1 < k_denied_burst; ++i)
        BOOST_TEST(call("POST", base, json{{"first_name", "X"}}.dump(), {}, reader).status == 403);
    BOOST_TEST(call("GET", base, {}, {}, reader).status == 200);
    BOOST_TEST(call("POST", base, json{{"first_name", "X"}}.dump(), {}, reader).status == 403);
    BOOST_TEST_REQUIRE(eventually(agency_a, "permission_denied_burst", 1));
    BOOST_TEST(eventually(agency_a, "source_blocked", 1));
    BOOST_TEST(call("GET", base, {}, {}, reader).status == 429);
}

BOOST_FIXTURE_TEST_CASE(AUD5_brute_force_is_an_event_beside_its_audit_row, EventsFixture)
{
    for (int i = 0; i < 10; ++i) {
        now += 9000; // past each growing delay, within the 15-minute window
        BOOST_TEST(call("POST", "/api/v1/auth/login", json{{"email", user_a1}, {"password", "wrong-password-1"}}.dump(),
                        {{"Origin", k_origin}})
                       .status == 401);
    }
    BOOST_TEST(count(agency_a, "brute_force") == 1u);
    BOOST_TEST(audit_count(agency_a, "auth.login_blocked") == 1u);
}

BOOST_FIXTURE_TEST_CASE(AUD5_agency_admins_list_their_own_events_only, EventsFixture)
{
    auto b = login(owner_b);
    std::string foreign = create_contact(b, account_b1, {{"first_name", "Secret"}})["id"];
    auto a = login(user_a1);
    BOOST_TEST(call("GET", "/api/v1/accounts/" + account_a1 + "/contacts/" + foreign, {}, {}, a).status == 404);
    BOOST_TEST_REQUIRE(eventually(agency_b, "cross_tenant_attempt", 1));

    auto list = call("GET", "/api/v1/agencies/" + agency_b + "/security-events?limit=10", {}, {}, b);
    BOOST_TEST_REQUIRE(list.status == 200);
    auto body = json::parse(list.body);
    BOOST_TEST_REQUIRE(body["items"].size() == 1u);
    BOOST_TEST(body["items"][0]["kind"] == "cross_tenant_attempt");
    BOOST_TEST(body["items"][0]["actor"]["id"] == user_a1_id);
    BOOST_TEST(body["next_cursor"].is_null());

    auto owner_a_list = call("GET", "/api/v1/agencies/" + agency_a + "/security-events", {}, {}, login(owner_a));
    BOOST_TEST(owner_a_list.status == 200);
    BOOST_TEST(json::parse(owner_a_list.body)["items"].empty());
    // Without view_audit_log: 403; another agency's list: 404; bad limit: 422 naming it.
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_a + "/security-events", {}, {}, login(agency_user_a)).status ==
               403);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_b + "/security-events", {}, {}, a).status == 404);
    auto bad = call("GET", "/api/v1/agencies/" + agency_b + "/security-events?limit=0", {}, {}, b);
    BOOST_TEST(bad.status == 422);
    BOOST_TEST(api::error_from_json(json::parse(bad.body))->field == "limit");
}

BOOST_AUTO_TEST_SUITE_END()

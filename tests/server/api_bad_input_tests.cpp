// The bad inputs for EVERY contacts endpoint, and tenant isolation walked over the route
// table: malformed JSON, wrong types, oversized fields, control characters, card numbers,
// missing/stale If-Match, other tenants' ids, foreign Origin, wrong media type.
#include "app/router.hpp"

#include "api_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

struct BadInputFixture : ApiFixture {
    // These walks provoke hundreds of refusals on purpose: events are recorded, sources never blocked
    // (the blocks have their own tests in security_events_tests.cpp).
    bool relaxed = (make_app(false), true);
    std::string session = login(owner_a);
    std::string base = "/api/v1/accounts/" + account_a1 + "/contacts";
    std::string contact_id = create_contact(session, account_a1, {{"first_name", "Target"}})["id"];
    std::string one = base + "/" + contact_id;

    std::optional<api::Error> error_of(const Response& r)
    {
        auto j = json::parse(r.body, nullptr, false);
        return j.is_discarded() ? std::nullopt : api::error_from_json(j);
    }
};

struct BodyCase {
    const char* name;
    std::string body;
    int status;
    std::string field; // expected field for 422
};

std::vector<BodyCase> body_cases()
{
    return {
        {"malformed json", "{\"first_name\": \"x\"", 400, ""},
        {"trailing garbage", "{\"first_name\":\"x\"} x", 400, ""},
        {"wrong type: name is a number", json{{"first_name", 42}}.dump(), 422, "first_name"},
        {"wrong type: emails is a string", json{{"emails", "a@b.test"}}.dump(), 422, "emails"},
        {"wrong type: body is an array", "[]", 422, ""},
        {"oversized first name", json{{"first_name", std::string(101, 'a')}}.dump(), 422, "first_name"},
        {"oversized company", json{{"company_name", std::string(201, 'c')}}.dump(), 422, "company_name"},
        {"control character in name", json{{"first_name", "Ann\x07"}}.dump(), 422, "first_name"},
        {"newline in last name", json{{"last_name", "A\nB"}}.dump(), 422, "last_name"},
        {"crm5 card number in name", json{{"first_name", "4111 1111 1111 1111"}}.dump(), 422, "first_name"},
        {"crm5 card number in company", json{{"company_name", "Acme 5555-5555-5555-4444"}}.dump(), 422, "company_name"},
        {"read-only field", json{{"first_name", "x"}, {"version", 9}}.dump(), 422, "version"},
        {"unknown field", json{{"first_name", "x"}, {"is_admin", true}}.dump(), 422, "is_admin"},
        {"invalid email", json{{"emails", {"not-an-email"}}}.dump(), 422, "emails"},
    };
}

} // namespace

BOOST_AUTO_TEST_SUITE(api_bad_input_tests)

BOOST_FIXTURE_TEST_CASE(crm5_post_and_patch_refuse_every_bad_body, BadInputFixture)
{
    for (const auto& c : body_cases()) {
        for (const char* method : {"POST", "PATCH"}) {
            BOOST_TEST_CONTEXT(method << " " << c.name)
            {
                auto r = std::string(method) == "POST" ? call("POST", base, c.body, {}, session)
                                                       : call("PATCH", one, c.body, {{"If-Match", "\"1\""}}, session);
                BOOST_TEST(r.status == c.status);
                auto e = error_of(r);
                BOOST_REQUIRE(e);
                if (c.status == 400)
                    BOOST_TEST(e->code == api::ErrorCode::malformed_json);
                if (c.status == 422) {
                    BOOST_TEST(e->code == api::ErrorCode::validation_failed);
                    if (!c.field.empty())
                        BOOST_TEST(e->field.starts_with(c.field)); // "emails" or "emails[0]"
                }
                // The refused number is never echoed back.
                BOOST_TEST(r.body.find("4111") == std::string::npos);
            }
        }
    }
    // Nothing was written by any of them.
    BOOST_TEST(version_count(contact_id) == 1u);
    BOOST_TEST(audit_count(agency_a, "contact.create") == 1u);
}

BOOST_FIXTURE_TEST_CASE(res4_patch_and_delete_need_current_if_match, BadInputFixture)
{
    auto patch = json{{"first_name", "New"}}.dump();
    BOOST_TEST(call("PATCH", one, patch, {}, session).status == 428);
    BOOST_TEST(call("DELETE", one, {}, {}, session).status == 428);
    BOOST_TEST(call("PATCH", one, patch, {{"If-Match", "\"5\""}}, session).status == 412);
    BOOST_TEST(call("DELETE", one, {}, {{"If-Match", "\"0\""}}, session).status == 412);
    // Order of checks: body validation comes before If-Match.
    BOOST_TEST(call("PATCH", one, "{", {}, session).status == 400);
}

BOOST_FIXTURE_TEST_CASE(net2_state_changing_requests_need_json_and_same_origin, BadInputFixture)
{
    auto body = json{{"first_name", "X"}}.dump();
    BOOST_TEST(call("POST", base, body, {{"Content-Type", "text/plain"}}, session).status == 415);
    BOOST_TEST(call("PATCH", one, body, {{"Content-Type", "application/x-www-form-urlencoded"}, {"If-Match", "\"1\""}},
                    session)
                   .status == 415);
    BOOST_TEST(call("POST", "/api/v1/auth/login", "email=a&password=b", {{"Content-Type", "text/plain"}}).status ==
               415);
    for (const char* origin : {"https://evil.test", "null", "http://localhost:8443", "https://localhost:8444"}) {
        BOOST_TEST_CONTEXT(origin)
        {
            BOOST_TEST(call("POST", base, body, {{"Origin", origin}}, session).status == 403);
            BOOST_TEST(call("DELETE", one, {}, {{"Origin", origin}, {"If-Match", "\"1\""}}, session).status == 403);
            BOOST_TEST(call("POST", "/api/v1/auth/logout", {}, {{"Origin", origin}}, session).status == 403);
        }
    }
    BOOST_TEST(version_count(contact_id) == 1u); // still there, untouched
    BOOST_TEST(call("GET", one, {}, {{"Origin", "https://evil.test"}}, session).status == 200); // reads are not CSRF
}

BOOST_FIXTURE_TEST_CASE(ten1_ten2_other_tenants_ids_answer_the_identical_404_on_every_route, BadInputFixture)
{
    auto owner_b_session = login(owner_b);
    std::string foreign_contact = create_contact(owner_b_session, account_b1, {{"first_name", "Secret"}})["id"];
    auto missing = call("GET", base + "/ct_aaaaaaaaaaaaaaaaaaaaaaaaaa", {}, {}, session);
    BOOST_REQUIRE(missing.status == 404);

    struct Ids {
        const char* name;
        std::string account, contact;
    };
    std::vector<Ids> combos = {
        {"other agency's sub-account", account_b1, foreign_contact},
        {"own sub-account, other tenant's contact", account_a1, foreign_contact},
        {"unknown sub-account", "ac_aaaaaaaaaaaaaaaaaaaaaaaaaa", contact_id},
        {"malformed ids", "ac_x", "ct_x"},
    };
    int checked = 0;
    for (const auto& route : route_table()) {
        if (!route.tenant_scoped)
            continue;
        for (const auto& ids : combos) {
            std::string path = route.pattern;
            path.replace(path.find("{account_id}"), 12, ids.account);
            if (auto p = path.find("{id}"); p != std::string::npos)
                path.replace(p, 4, ids.contact);
            else if (std::string(ids.name) == "own sub-account, other tenant's contact")
                continue; // collection routes of one's own sub-account are fine
            BOOST_TEST_CONTEXT(route.method << " " << route.pattern << " / " << ids.name)
            {
                std::string body =
                    route.method == "POST" || route.method == "PATCH" ? json{{"first_name", "Intruder"}}.dump() : "";
                auto r = call(route.method, path, body, {{"If-Match", "\"1\""}}, session);
                BOOST_TEST(r.status == 404);
                BOOST_TEST(r.body == missing.body);
                ++checked;
            }
        }
    }
    BOOST_TEST(checked >= 15);
    // And the foreign record is untouched.
    auto still =
        call("GET", "/api/v1/accounts/" + account_b1 + "/contacts/" + foreign_contact, {}, {}, owner_b_session);
    BOOST_TEST(json::parse(still.body)["version"] == 1);
}

BOOST_FIXTURE_TEST_CASE(ten2_account_level_user_gets_404_for_a_sibling_sub_account, BadInputFixture)
{
    auto user = login(user_a1);
    auto sibling = "/api/v1/accounts/" + account_a2 + "/contacts";
    auto a = call("GET", sibling, {}, {}, user);
    auto b = call("POST", sibling, json{{"first_name", "X"}}.dump(), {}, user);
    BOOST_TEST(a.status == 404);
    BOOST_TEST(b.status == 404);
    BOOST_TEST(a.body == b.body);
    auto staff = login(agency_user_a); // agency_user assigned to a1 only
    BOOST_TEST(call("GET", sibling, {}, {}, staff).status == 404);
    BOOST_TEST(call("GET", base, {}, {}, staff).status == 200);
}

BOOST_FIXTURE_TEST_CASE(acc1_read_only_user_may_view_but_not_change, BadInputFixture)
{
    auto reader = login(reader_a1);
    BOOST_TEST(call("GET", base, {}, {}, reader).status == 200);
    BOOST_TEST(call("GET", one, {}, {}, reader).status == 200);
    auto create = call("POST", base, json{{"first_name", "X"}}.dump(), {}, reader);
    BOOST_TEST(create.status == 403);
    BOOST_TEST(error_of(create)->code == api::ErrorCode::forbidden);
    BOOST_TEST(call("PATCH", one, json{{"first_name", "X"}}.dump(), {{"If-Match", "\"1\""}}, reader).status == 403);
    BOOST_TEST(call("DELETE", one, {}, {{"If-Match", "\"1\""}}, reader).status == 403);
    // Order of checks: permission (403) comes before body validation (400).
    BOOST_TEST(call("POST", base, "{", {}, reader).status == 403);
}

BOOST_FIXTURE_TEST_CASE(every_contacts_route_needs_a_session, BadInputFixture)
{
    for (const auto& route : route_table()) {
        if (!route.needs_session)
            continue;
        std::string path = route.pattern;
        if (auto p = path.find("{account_id}"); p != std::string::npos)
            path.replace(p, 12, account_a1);
        if (auto p = path.find("{id}"); p != std::string::npos)
            path.replace(p, 4, contact_id);
        BOOST_TEST_CONTEXT(route.method << " " << route.pattern)
        BOOST_TEST(call(route.method, path, {}, {{"If-Match", "\"1\""}}).status == 401);
    }
}

BOOST_AUTO_TEST_SUITE_END()

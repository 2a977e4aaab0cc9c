// Login, logout, sessions and /me through HttpApp in-process (real SQLite store).
#include "app/http_app.hpp"

#include "api_fixture.hpp"
#include "app/middleware.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

std::string login_body(const std::string& email, const std::string& password)
{
    return json{{"email", email}, {"password", password}}.dump();
}

} // namespace

BOOST_AUTO_TEST_SUITE(api_auth_tests)

BOOST_FIXTURE_TEST_CASE(iam5_login_sets_host_cookie_with_all_attributes_and_new_token_each_time, ApiFixture)
{
    auto first = call("POST", "/api/v1/auth/login", login_body(owner_a, k_password));
    BOOST_TEST(first.status == 200);
    auto cookie = first.header("Set-Cookie").value_or("");
    BOOST_TEST(cookie.starts_with("__Host-stronghold_session="));
    for (const char* attr : {"; Path=/", "; Secure", "; HttpOnly", "; SameSite=Strict", "; Max-Age=43200"})
        BOOST_TEST_CONTEXT(attr) BOOST_TEST(cookie.find(attr) != std::string::npos);
    BOOST_TEST(cookie.find("Domain") == std::string::npos); // __Host- forbids it
    auto token1 = cookie.substr(26, cookie.find(';') - 26);
    BOOST_TEST(token1.size() == 43u);

    auto second = login(owner_a);
    BOOST_TEST(second != token1);
    // Both sessions work independently; the body is the /me body.
    auto me = json::parse(first.body);
    BOOST_TEST(me["user"]["email"] == owner_a);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, second).status == 200);
}

BOOST_FIXTURE_TEST_CASE(iam5_login_with_old_cookie_replaces_that_session, ApiFixture)
{
    auto old = login(owner_a);
    auto r = call("POST", "/api/v1/auth/login", login_body(owner_a, k_password), {}, old);
    BOOST_TEST(r.status == 200);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, old).status == 401);
}

BOOST_FIXTURE_TEST_CASE(iam7_every_login_failure_answers_the_same_401_body, ApiFixture)
{
    struct Case {
        const char* name;
        std::string body;
        Headers headers;
    };
    std::vector<Case> cases = {
        {"wrong password", login_body(owner_a, "Wrong-Password-1!"), {}},
        {"unknown user", login_body("nobody@nowhere.test", k_password), {}},
        {"malformed json", "{\"email\":", {}},
        {"not an object", "[1,2]", {}},
        {"email not a string", json{{"email", 5}, {"password", k_password}}.dump(), {}},
        {"missing password", json{{"email", owner_a}}.dump(), {}},
        {"empty body as json", "{}", {}},
    };
    std::optional<std::string> reference;
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            auto r = call("POST", "/api/v1/auth/login", c.body, c.headers);
            BOOST_TEST(r.status == 401);
            BOOST_TEST(!r.header("Set-Cookie"));
            if (!reference)
                reference = r.body;
            BOOST_TEST(r.body == *reference);
        }
    }
    auto err = api::error_from_json(json::parse(*reference));
    BOOST_REQUIRE(err);
    BOOST_TEST(err->code == api::ErrorCode::unauthenticated);
    BOOST_TEST(err->message == "Email or password is incorrect.");
}

BOOST_FIXTURE_TEST_CASE(aud1_login_success_and_failure_write_audit_rows_without_password, ApiFixture)
{
    login(owner_a);
    (void)call("POST", "/api/v1/auth/login", login_body(owner_a, "Wrong-Password-1!"));
    BOOST_TEST(audit_count(agency_a, "auth.login") == 1u);
    BOOST_TEST(audit_count(agency_a, "auth.login_failed") == 1u);
    for (const auto& e : store->audit_entries(agency_a, 1000))
        BOOST_TEST(e.details.dump().find("Wrong-Password") == std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(iam5_logout_revokes_the_session_and_expires_the_cookie, ApiFixture)
{
    auto token = login(owner_a);
    auto out = call("POST", "/api/v1/auth/logout", {}, {{"Origin", k_origin}}, token);
    BOOST_TEST(out.status == 204);
    auto cookie = out.header("Set-Cookie").value_or("");
    BOOST_TEST(cookie.starts_with("__Host-stronghold_session=;"));
    BOOST_TEST(cookie.find("Max-Age=0") != std::string::npos);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, token).status == 401);
    BOOST_TEST(call("POST", "/api/v1/auth/logout", {}, {}, token).status == 401);
    BOOST_TEST(audit_count(agency_a, "auth.logout") == 1u);
}

namespace {
struct CountingSink : LiveSink {
    std::atomic<int> closed{0};
    void send(std::shared_ptr<const std::string>) override {}
    void close() override { ++closed; }
};
} // namespace

BOOST_FIXTURE_TEST_CASE(iam5_logout_closes_that_sessions_websockets_only, ApiFixture)
{
    auto token = login(owner_a);
    auto other = login(owner_a);
    auto mine = std::make_shared<CountingSink>();
    auto theirs = std::make_shared<CountingSink>();
    app->live().subscribe({account_a1, owner_a_id, crypto::hash_hex(token)}, mine);
    app->live().subscribe({account_a1, owner_a_id, crypto::hash_hex(other)}, theirs);
    BOOST_TEST(call("POST", "/api/v1/auth/logout", {}, {}, token).status == 204);
    BOOST_TEST(mine->closed == 1);
    BOOST_TEST(theirs->closed == 0);
}

BOOST_FIXTURE_TEST_CASE(iam5_login_with_old_cookie_closes_the_replaced_sessions_websockets, ApiFixture)
{
    auto old = login(owner_a);
    auto sink = std::make_shared<CountingSink>();
    app->live().subscribe({account_a1, owner_a_id, crypto::hash_hex(old)}, sink);
    auto r = call("POST", "/api/v1/auth/login", login_body(owner_a, k_password), {}, old);
    BOOST_TEST(r.status == 200);
    BOOST_TEST(sink->closed == 1);
    BOOST_TEST(app->live().subscriber_count() == 0u);
}

BOOST_FIXTURE_TEST_CASE(iam5_an_expired_session_found_by_a_request_closes_its_websockets, ApiFixture)
{
    auto token = login(owner_a);
    auto sink = std::make_shared<CountingSink>();
    app->live().subscribe({account_a1, owner_a_id, crypto::hash_hex(token)}, sink);
    now += 31 * 60 * 1000; // past the idle timeout
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, token).status == 401);
    BOOST_TEST(sink->closed == 1);
}

BOOST_FIXTURE_TEST_CASE(iam5_session_expires_after_30_idle_minutes, ApiFixture)
{
    auto token = login(owner_a);
    now += 29 * 60 * 1000;
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, token).status == 200); // refreshes last_seen
    now += 29 * 60 * 1000;
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, token).status == 200);
    now += 30 * 60 * 1000;
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, token).status == 401);
}

BOOST_FIXTURE_TEST_CASE(iam5_session_ends_after_12_hours_even_when_active, ApiFixture)
{
    auto token = login(owner_a);
    for (int i = 0; i < 25; ++i) { // 25 x 29 min > 12 h
        now += 29 * 60 * 1000;
        auto status = call("GET", "/api/v1/me", {}, {}, token).status;
        BOOST_TEST_CONTEXT("step " << i)
        {
            BOOST_TEST(status == (i < 24 ? 200 : 401)); // 24 x 29 min = 11.6 h; the 25th step passes 12 h
        }
    }
}

BOOST_FIXTURE_TEST_CASE(iam5_forged_or_malformed_cookies_are_unauthenticated, ApiFixture)
{
    for (std::string token : {std::string(43, 'A'), std::string("short"), std::string(44, 'b')}) {
        auto r = call("GET", "/api/v1/me", {}, {}, token);
        BOOST_TEST(r.status == 401);
        BOOST_TEST(api::error_from_json(json::parse(r.body))->code == api::ErrorCode::unauthenticated);
    }
    BOOST_TEST(call("GET", "/api/v1/me").status == 401);
}

BOOST_FIXTURE_TEST_CASE(acc1_me_lists_memberships_accounts_and_permissions, ApiFixture)
{
    auto me = json::parse(call("GET", "/api/v1/me", {}, {}, login(owner_a)).body);
    BOOST_TEST(me["user"]["email"] == owner_a);
    BOOST_TEST(!me["user"].contains("password_hash"));
    BOOST_REQUIRE(me["memberships"].size() == 1u);
    BOOST_TEST(me["memberships"][0]["agency_id"] == agency_a);
    BOOST_TEST(me["memberships"][0]["role"] == "agency_owner");
    // The owner opens every sub-account of its agency, and none of agency B.
    std::set<std::string> ids;
    for (const auto& a : me["accounts"]) {
        ids.insert(a["id"].get<std::string>());
        BOOST_TEST(a["agency_id"] == agency_a);
        BOOST_TEST(a.contains("name"));
    }
    BOOST_TEST((ids == std::set<std::string>{account_a1, account_a2}));
    auto perms = me["permissions"][account_a1];
    BOOST_TEST((std::find(perms.begin(), perms.end(), "contact.delete") != perms.end()));

    // An agency_user assigned to a1 sees a1 only; a read_only user may only view (every object).
    auto staff = json::parse(call("GET", "/api/v1/me", {}, {}, login(agency_user_a)).body);
    BOOST_REQUIRE(staff["accounts"].size() == 1u);
    BOOST_TEST(staff["accounts"][0]["id"] == account_a1);
    auto reader = json::parse(call("GET", "/api/v1/me", {}, {}, login(reader_a1)).body);
    BOOST_TEST(reader["permissions"][account_a1] == json::array({"contact.view", "company.view", "deal.view", "ticket.view"}));
}

BOOST_FIXTURE_TEST_CASE(iam7_login_answers_503_when_the_hash_pool_is_full, ApiFixture)
{
    // A queue limit of 0 stands for a pool already full: the login is refused at once instead
    // of queueing without bound, and other requests are unaffected.
    AppConfig config;
    config.hash_queue_limit = 0;
    HttpAppOptions options;
    options.dummy_hash_params = {1, 1u << 20};
    app = std::make_unique<HttpApp>(config, *store, options);
    auto r = call("POST", "/api/v1/auth/login", login_body(owner_a, k_password));
    BOOST_TEST(r.status == 503);
    BOOST_TEST(api::error_from_json(json::parse(r.body))->code == api::ErrorCode::unavailable);
    BOOST_TEST(r.header("Retry-After").has_value());
    BOOST_TEST(call("GET", "/api/v1/me").status == 401);
}

BOOST_AUTO_TEST_CASE(net2_origin_and_media_type_rules)
{
    Request r;
    r.method = "POST";
    r.headers = {{"Host", "example.test"}, {"Origin", "https://example.test"}};
    BOOST_TEST(!check_origin(r, true));
    r.headers = {{"Host", "example.test"}, {"Origin", "https://evil.test"}};
    BOOST_TEST(check_origin(r, false)->code == api::ErrorCode::forbidden);
    r.headers = {{"Host", "example.test"}, {"Origin", "http://example.test"}}; // plain http is another origin
    BOOST_TEST(check_origin(r, false).has_value());
    r.headers = {{"Host", "example.test"}};
    BOOST_TEST(!check_origin(r, false));
    BOOST_TEST(check_origin(r, true).has_value()); // WebSocket upgrades must carry Origin
    r.body = "x";
    r.headers = {{"Content-Type", "application/json; charset=utf-8"}};
    BOOST_TEST(!check_media_type(r));
    r.headers = {{"Content-Type", "text/plain"}};
    BOOST_TEST(check_media_type(r)->code == api::ErrorCode::unsupported_media_type);
    r.body.clear(); // a bodyless POST is fine
    BOOST_TEST(!check_media_type(r));
}

BOOST_AUTO_TEST_SUITE_END()

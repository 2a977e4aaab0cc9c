// IAM-5 sessions management and password change through HttpApp in-process (real SQLite store):
// list and revoke own sessions, admin list and revoke, password change revoking the others.
#include "app/http_app.hpp"

#include "api_fixture.hpp"
#include "live/hub.hpp"
#include "stronghold/crypto/crypto.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <future>
#include <memory>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

constexpr const char* k_chrome_linux =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
constexpr const char* k_new_password = "Brand-New-Secret-42!";

// A WebSocket stand-in: records whether the hub closed it.
struct FakeSink final : LiveSink {
    std::atomic<bool> closed{false};
    void send(std::shared_ptr<const std::string>) override {}
    void close() override { closed = true; }
};

struct SessionsFixture : ApiFixture {
    // Logs in with a given User-Agent; returns the token.
    std::string login_as(const std::string& email, const std::string& user_agent)
    {
        Request r;
        r.method = "POST";
        r.target = "/api/v1/auth/login";
        r.body = json{{"email", email}, {"password", k_password}}.dump();
        r.remote_ip = "192.0.2.10";
        r.headers = {{"Host", k_host}, {"User-Agent", user_agent}, {"Content-Type", "application/json"}};
        auto promise = std::make_shared<std::promise<Response>>();
        auto future = promise->get_future();
        app->handle(std::move(r), [promise](Response resp) { promise->set_value(std::move(resp)); });
        auto resp = future.get();
        BOOST_REQUIRE_MESSAGE(resp.status == 200, "login " + email + " -> " + resp.body);
        auto cookie = resp.header("Set-Cookie").value_or("");
        auto start = cookie.find('=') + 1;
        return cookie.substr(start, cookie.find(';') - start);
    }

    json list(const std::string& token, const std::string& target = "/api/v1/me/sessions")
    {
        auto r = call("GET", target, {}, {}, token);
        BOOST_REQUIRE_MESSAGE(r.status == 200, target + " -> " + std::to_string(r.status) + " " + r.body);
        return json::parse(r.body)["items"];
    }

    // The public id of the session behind `token`, as the list shows it.
    std::string id_of(const std::string& token)
    {
        for (const auto& s : store->sessions_of_user(store->find_session(crypto::hash_hex(token))->user_id))
            if (s.token_hash == crypto::hash_hex(token))
                return s.id;
        BOOST_FAIL("no session for token");
        return {};
    }

    std::shared_ptr<FakeSink> socket_of(const std::string& token, const std::string& user_id)
    {
        auto sink = std::make_shared<FakeSink>();
        app->live().subscribe({account_a1, user_id, crypto::hash_hex(token)}, sink);
        return sink;
    }

    Response change_password(const std::string& token, const json& body)
    {
        return call("POST", "/api/v1/me/password", body.dump(), {{"Origin", k_origin}}, token);
    }

    std::string user_id_of(const std::string& email) { return store->find_credentials_by_email(email)->user.id; }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(api_sessions_tests, SessionsFixture)

BOOST_AUTO_TEST_CASE(iam5_list_shows_own_sessions_with_current_flag_and_device)
{
    auto first = login_as(owner_a, k_chrome_linux);
    auto second = login(owner_a);
    (void)login(user_a1); // someone else's session never appears
    auto items = list(first);
    BOOST_REQUIRE(items.size() == 2u);
    int current = 0;
    for (const auto& s : items) {
        for (const char* field : {"id", "created_at", "last_seen_at", "expires_at", "ip", "user_agent", "device"})
            BOOST_TEST_CONTEXT(field) BOOST_TEST(s.contains(field));
        BOOST_TEST(s["id"].get<std::string>().starts_with("se_"));
        if (s["current"] == true) {
            ++current;
            BOOST_TEST(s["id"] == id_of(first));
            BOOST_TEST(s["device"] == "Chrome on Linux");
            BOOST_TEST(s["ip"] == "192.0.2.10");
        }
        BOOST_TEST(s.dump().find(crypto::hash_hex(first)) == std::string::npos); // never the token hash
    }
    BOOST_TEST(current == 1);
    // Seen from the other session, the other one is current.
    for (const auto& s : list(second))
        BOOST_TEST((s["current"] == true) == (s["id"] == id_of(second)));
}

BOOST_AUTO_TEST_CASE(iam5_sessions_past_their_idle_timeout_are_not_listed)
{
    auto active = login(owner_a);
    (void)login(owner_a);
    now += 20 * 60 * 1000;
    BOOST_REQUIRE(call("GET", "/api/v1/me", {}, {}, active).status == 200); // touches `active` only
    now += 15 * 60 * 1000; // the other one is now idle for 35 min
    BOOST_TEST(list(active).size() == 1u);
}

BOOST_AUTO_TEST_CASE(iam5_revoking_own_session_ends_it_closes_its_socket_and_audits)
{
    auto keep = login(owner_a);
    auto gone = login(owner_a);
    auto gone_socket = socket_of(gone, owner_a_id);
    auto keep_socket = socket_of(keep, owner_a_id);
    auto r = call("DELETE", "/api/v1/me/sessions/" + id_of(gone), {}, {{"Origin", k_origin}}, keep);
    BOOST_TEST(r.status == 204);
    BOOST_TEST(!r.header("Set-Cookie")); // not the current session: the caller stays signed in
    BOOST_TEST(gone_socket->closed.load());
    BOOST_TEST(!keep_socket->closed.load());
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, gone).status == 401);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, keep).status == 200);
    BOOST_TEST(audit_count(agency_a, "session.revoked") == 1u);
    BOOST_TEST(list(keep).size() == 1u);
}

BOOST_AUTO_TEST_CASE(iam5_revoking_the_current_session_expires_its_cookie)
{
    auto token = login(owner_a);
    auto r = call("DELETE", "/api/v1/me/sessions/" + id_of(token), {}, {}, token);
    BOOST_TEST(r.status == 204);
    BOOST_TEST(r.header("Set-Cookie").value_or("").find("Max-Age=0") != std::string::npos);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, token).status == 401);
}

BOOST_AUTO_TEST_CASE(iam5_revoking_another_users_session_is_404_and_changes_nothing)
{
    auto owner = login(owner_a);
    auto user = login(user_a1);
    auto socket = socket_of(owner, owner_a_id);
    BOOST_TEST(call("DELETE", "/api/v1/me/sessions/" + id_of(owner), {}, {}, user).status == 404);
    BOOST_TEST(call("DELETE", "/api/v1/me/sessions/se_nonexistent", {}, {}, user).status == 404);
    BOOST_TEST(call("DELETE", "/api/v1/me/sessions/not-an-id", {}, {}, user).status == 404);
    BOOST_TEST(!socket->closed.load());
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, owner).status == 200);
    BOOST_TEST(audit_count(agency_a, "session.revoked") == 0u);
    BOOST_TEST(call("GET", "/api/v1/me/sessions").status == 401);
}

BOOST_AUTO_TEST_CASE(iam5_password_change_revokes_the_other_sessions_and_keeps_the_current)
{
    auto current = login(owner_a);
    auto other = login(owner_a);
    auto other_socket = socket_of(other, owner_a_id);
    auto current_socket = socket_of(current, owner_a_id);
    auto user = login(user_a1);
    auto r = change_password(current, {{"current_password", k_password}, {"new_password", k_new_password}});
    BOOST_TEST(r.status == 204);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, current).status == 200);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, other).status == 401);
    BOOST_TEST(other_socket->closed.load());
    BOOST_TEST(!current_socket->closed.load());
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, user).status == 200); // other users untouched
    BOOST_TEST(audit_count(agency_a, "user.password_changed") == 1u);
    for (const auto& e : store->audit_entries(agency_a, 1000))
        BOOST_TEST(e.details.dump().find("Secret") == std::string::npos);
    // The new password signs in, the old one no longer does.
    BOOST_TEST(call("POST", "/api/v1/auth/login", json{{"email", owner_a}, {"password", k_password}}.dump()).status ==
               401);
    (void)login(owner_a, k_new_password);
}

BOOST_AUTO_TEST_CASE(iam6_wrong_current_password_is_422_and_changes_nothing)
{
    auto current = login(owner_a);
    auto other = login(owner_a);
    auto r = change_password(current, {{"current_password", "Not-My-Password-1!"}, {"new_password", k_new_password}});
    BOOST_TEST(r.status == 422);
    auto err = api::error_from_json(json::parse(r.body));
    BOOST_REQUIRE(err);
    BOOST_TEST(err->code == api::ErrorCode::validation_failed);
    BOOST_TEST(err->field == "current_password");
    BOOST_TEST(err->message == "is incorrect");
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, other).status == 200);
    BOOST_TEST(audit_count(agency_a, "user.password_changed") == 0u);
    BOOST_TEST(audit_count(agency_a, "user.password_change_failed") == 1u);
    (void)login(owner_a, k_password);
}

BOOST_AUTO_TEST_CASE(iam2_weak_new_password_is_422_on_new_password)
{
    auto token = login(owner_a);
    for (const char* weak : {"short1!", "alllowercase-no-digit", "Password1!"}) {
        BOOST_TEST_CONTEXT(weak)
        {
            auto r = change_password(token, {{"current_password", k_password}, {"new_password", weak}});
            BOOST_TEST(r.status == 422);
            auto err = api::error_from_json(json::parse(r.body));
            BOOST_REQUIRE(err);
            BOOST_TEST(err->field == "new_password");
        }
    }
    (void)login(owner_a, k_password); // unchanged
}

BOOST_AUTO_TEST_CASE(iam5_password_change_bad_bodies)
{
    auto token = login(owner_a);
    struct Case {
        const char* name;
        std::string body;
        int status;
        const char* field;
    };
    const Case cases[] = {
        {"malformed", "{\"current_password\":", 400, ""},
        {"not an object", "[1]", 422, "body"},
        {"missing new", json{{"current_password", k_password}}.dump(), 422, "new_password"},
        {"empty current", json{{"current_password", ""}, {"new_password", k_new_password}}.dump(), 422,
         "current_password"},
        {"unknown field",
         json{{"current_password", k_password}, {"new_password", k_new_password}, {"user_id", "x"}}.dump(), 422,
         "user_id"},
        {"number", json{{"current_password", 5}, {"new_password", k_new_password}}.dump(), 422, "current_password"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            auto r = call("POST", "/api/v1/me/password", c.body, {}, token);
            BOOST_TEST(r.status == c.status);
            if (*c.field)
                BOOST_TEST(api::error_from_json(json::parse(r.body))->field == c.field);
        }
    }
    BOOST_TEST(call("POST", "/api/v1/me/password",
                    json{{"current_password", k_password}, {"new_password", k_new_password}}.dump())
                   .status == 401);
}

BOOST_AUTO_TEST_CASE(iam5_admin_lists_and_revokes_a_users_sessions)
{
    auto admin = login(owner_a);
    auto user = login(user_a1);
    auto socket = socket_of(user, user_a1_id);
    const auto base = "/api/v1/agencies/" + agency_a + "/users/" + user_a1_id + "/sessions";
    auto items = list(admin, base);
    BOOST_REQUIRE(items.size() == 1u);
    BOOST_TEST(items[0]["id"] == id_of(user));
    BOOST_TEST(items[0]["current"] == false);
    auto r = call("DELETE", base + "/" + id_of(user), {}, {{"Origin", k_origin}}, admin);
    BOOST_TEST(r.status == 204);
    BOOST_TEST(!r.header("Set-Cookie"));
    BOOST_TEST(socket->closed.load());
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, user).status == 401);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, admin).status == 200);
    BOOST_TEST(audit_count(agency_a, "session.revoked") == 1u);
    BOOST_TEST(list(admin, base).empty());
}

BOOST_AUTO_TEST_CASE(iam5_admin_session_routes_403_inside_the_agency_404_outside)
{
    auto owner = login(owner_a);
    auto user = login(user_a1);
    auto stranger = login(owner_b);
    const auto user_base = "/api/v1/agencies/" + agency_a + "/users/" + user_a1_id + "/sessions";
    const auto owner_base = "/api/v1/agencies/" + agency_a + "/users/" + owner_a_id + "/sessions";
    // Inside the agency without admin rights: 403, for others' sessions and own alike.
    BOOST_TEST(call("GET", owner_base, {}, {}, user).status == 403);
    BOOST_TEST(call("GET", user_base, {}, {}, user).status == 403);
    BOOST_TEST(call("DELETE", owner_base + "/" + id_of(owner), {}, {}, user).status == 403);
    // Another agency's owner: 404, as if agency A did not exist.
    BOOST_TEST(call("GET", user_base, {}, {}, stranger).status == 404);
    BOOST_TEST(call("DELETE", owner_base + "/" + id_of(owner), {}, {}, stranger).status == 404);
    // An admin naming a user of another agency, an unknown user, or another agency: 404.
    const auto owner_b_id = user_id_of(owner_b);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_a + "/users/" + owner_b_id + "/sessions", {}, {}, owner)
                   .status == 404);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_a + "/users/us_nobody/sessions", {}, {}, owner).status == 404);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_b + "/users/" + owner_b_id + "/sessions", {}, {}, owner)
                   .status == 404);
    // A session id of someone else under this user's path: 404, and it survives.
    BOOST_TEST(call("DELETE", user_base + "/" + id_of(stranger), {}, {}, owner).status == 404);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, stranger).status == 200);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, owner).status == 200);
    BOOST_TEST(audit_count(agency_a, "session.revoked") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

// The key API flows over real HTTPS and a real WebSocket: HttpServer (net/) + HttpApp + SQLite.
#include "app/http_app.hpp"

#include "app/security_headers.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "support/https_client.hpp"
#include "support/test_server.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold;
using namespace stronghold::server;
using nlohmann::json;
using stronghold::test::HttpsClient;
using stronghold::test::TestEnv;
using stronghold::test::TestServer;
using stronghold::test::WsClient;

namespace {

constexpr const char* k_pw = "Correct-Horse-9!";

// The App TestServer owns: the store and the HttpApp over it, destroyed in the right order.
class OwningApp final : public App {
  public:
    explicit OwningApp(std::unique_ptr<Store> store)
        : m_store(std::move(store)), m_app(make_config(), *m_store, fast_options())
    {
    }
    void handle(Request r, std::function<void(Response)> done) override { m_app.handle(std::move(r), std::move(done)); }
    void authorize_live(Request r, std::function<void(Result<LiveAuth>)> done) override
    {
        m_app.authorize_live(std::move(r), std::move(done));
    }
    LiveHub& live() override { return m_app.live(); }
    Store& store() { return *m_store; }

  private:
    static AppConfig make_config()
    {
        AppConfig c;
        c.handler_threads = 2;
        c.hash_threads = 1;
        return c;
    }
    static HttpAppOptions fast_options()
    {
        HttpAppOptions o;
        o.dummy_hash_params = {1, 1u << 20};
        return o;
    }
    std::unique_ptr<Store> m_store;
    HttpApp m_app;
};

struct HttpsFixture {
    std::string account_id, other_account_id, user_email = "owner@https.test";
    OwningApp* app = nullptr;
    std::unique_ptr<TestServer> server;

    HttpsFixture()
    {
        stronghold::test::TestServerOptions options;
        options.net.add_security_headers = add_security_headers;
        server = std::make_unique<TestServer>(
            [this](const TestEnv& env) {
                auto store = open_sqlite_store(env.data_dir);
                BOOST_REQUIRE(store.ok());
                auto owning = std::make_unique<OwningApp>(std::move(*store));
                app = owning.get();
                seed(owning->store());
                return owning;
            },
            options);
    }

    void seed(Store& store)
    {
        ActorRef cli{"cli", "", "", ""};
        model::Agency agency{crypto::random_id("ag"), "HTTPS Agency", 1};
        BOOST_REQUIRE(store.create_agency(agency, cli).ok());
        model::Account account{crypto::random_id("ac"), agency.id, "Main", "1", 1};
        BOOST_REQUIRE(store.create_account(account, cli).ok());
        account_id = account.id;
        model::Agency other{crypto::random_id("ag"), "Other Agency", 1};
        BOOST_REQUIRE(store.create_agency(other, cli).ok());
        model::Account other_account{crypto::random_id("ac"), other.id, "Theirs", "1", 1};
        BOOST_REQUIRE(store.create_account(other_account, cli).ok());
        other_account_id = other_account.id;
        model::User user{crypto::random_id("us"), user_email, "Owner", true, 1};
        model::Membership m{user.id, agency.id, "", "", model::Role::agency_owner};
        BOOST_REQUIRE(store.create_user(user, crypto::password_hash(k_pw, {1, 1u << 20}), m, cli).ok());
    }

    stronghold::test::Headers json_headers() const
    {
        return {{"Content-Type", "application/json"}, {"Origin", server->origin()}};
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(api_https_tests)

BOOST_FIXTURE_TEST_CASE(iam5_login_contacts_crud_live_events_and_logout_over_https, HttpsFixture)
{
    HttpsClient client(server->port());
    auto login = client.request("POST", "/api/v1/auth/login", json{{"email", user_email}, {"password", k_pw}}.dump(),
                                json_headers());
    BOOST_REQUIRE_MESSAGE(login.status == 200, login.body);
    auto cookie = login.header("Set-Cookie").value_or("");
    BOOST_TEST(cookie.find("; Secure; HttpOnly; SameSite=Strict") != std::string::npos);
    BOOST_TEST(login.header("Strict-Transport-Security").has_value());
    auto token = client.cookie("__Host-stronghold_session");
    BOOST_REQUIRE(token);

    auto me = client.get("/api/v1/me");
    BOOST_TEST(me.status == 200);
    BOOST_TEST(me.json()["accounts"][0]["id"] == account_id);

    // A second browser tab's live socket for the sub-account.
    WsClient ws(server->port(), "/api/v1/live?account_id=" + account_id,
                {{"Origin", server->origin()}, {"Cookie", "__Host-stronghold_session=" + *token}});
    BOOST_REQUIRE(ws.ok());

    auto base = "/api/v1/accounts/" + account_id + "/contacts";
    auto created = client.request("POST", base, json{{"first_name", "Ada"}, {"emails", {"ada@example.test"}}}.dump(),
                                  json_headers());
    BOOST_REQUIRE_MESSAGE(created.status == 201, created.body);
    auto id = created.json()["id"].get<std::string>();
    BOOST_TEST(created.header("Location").value_or("") == base + "/" + id);
    auto frame = ws.read_text();
    BOOST_REQUIRE(frame);
    BOOST_TEST(json::parse(*frame) ==
               (json{{"type", "contact.created"}, {"account_id", account_id}, {"id", id}, {"version", 1}}));

    auto headers = json_headers();
    headers.emplace_back("If-Match", "\"1\"");
    auto patched = client.request("PATCH", base + "/" + id, json{{"last_name", "Lovelace"}}.dump(), headers);
    BOOST_TEST(patched.status == 200);
    BOOST_TEST(patched.header("ETag").value_or("") == "\"2\"");
    auto stale = client.request("PATCH", base + "/" + id, json{{"last_name", "X"}}.dump(), headers);
    BOOST_TEST(stale.status == 412);
    BOOST_TEST(stale.json()["current"]["last_name"] == "Lovelace");
    auto list = client.get(base + "?q=ada&count=true");
    BOOST_TEST(list.json()["total"] == 1);

    auto out = client.request("POST", "/api/v1/auth/logout", {}, {{"Origin", server->origin()}});
    BOOST_TEST(out.status == 204);
    BOOST_TEST(ws.wait_closed()); // logout closes that session's sockets at once
    BOOST_TEST(client.get("/api/v1/me").status == 401);
}

BOOST_FIXTURE_TEST_CASE(net2_foreign_origin_and_text_plain_are_refused_over_https, HttpsFixture)
{
    HttpsClient client(server->port());
    auto body = json{{"email", user_email}, {"password", k_pw}}.dump();
    auto foreign = client.request("POST", "/api/v1/auth/login", body,
                                  {{"Content-Type", "application/json"}, {"Origin", "https://evil.test"}});
    BOOST_TEST(foreign.status == 403);
    BOOST_TEST(!foreign.header("Set-Cookie"));
    auto plain = client.request("POST", "/api/v1/auth/login", body, {{"Content-Type", "text/plain"}});
    BOOST_TEST(plain.status == 415);
    BOOST_TEST(plain.json()["error"]["code"] == "unsupported_media_type");

    BOOST_REQUIRE(client.request("POST", "/api/v1/auth/login", body, json_headers()).status == 200);
    auto token = *client.cookie("__Host-stronghold_session");
    WsClient evil(server->port(), "/api/v1/live?account_id=" + account_id,
                  {{"Origin", "https://evil.test"}, {"Cookie", "__Host-stronghold_session=" + token}});
    BOOST_TEST(!evil.ok());
    BOOST_TEST(evil.refusal().status == 403);
    WsClient foreign_account(server->port(), "/api/v1/live?account_id=" + other_account_id,
                             {{"Origin", server->origin()}, {"Cookie", "__Host-stronghold_session=" + token}});
    BOOST_TEST(!foreign_account.ok());
    BOOST_TEST(foreign_account.refusal().status == 404);
}

BOOST_FIXTURE_TEST_CASE(net1_security_headers_on_api_and_not_found_over_https, HttpsFixture)
{
    HttpsClient client(server->port());
    for (const char* target : {"/healthz", "/api/v1/nope", "/api/v1/me", "/missing.js"}) {
        BOOST_TEST_CONTEXT(target)
        {
            auto r = client.get(target);
            BOOST_TEST(r.header("Content-Security-Policy").value_or("") == std::string(k_content_security_policy));
            BOOST_TEST(r.header("X-Content-Type-Options").value_or("") == "nosniff");
            BOOST_TEST(r.header("Referrer-Policy").value_or("") == "no-referrer");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

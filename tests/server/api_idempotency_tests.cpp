// Idempotency-Key on POST (RES-4): a retry gets the first answer and writes nothing twice; the
// key is refused when malformed or reused for another request, never honoured on /auth/*, and
// forgotten after 24 h; failures (5xx) are not remembered; a duplicate still running gets 409.
#include "app/idempotency.hpp"

#include "api_fixture.hpp"

#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <chrono>
#include <future>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

constexpr model::UnixMillis k_day_ms = 24LL * 60 * 60 * 1000;

struct IdempotencyFixture : ApiFixture {
    std::string session = login(owner_a);
    std::string base = "/api/v1/accounts/" + account_a1 + "/contacts";

    Response post_contact(const std::string& first_name, const std::string& key)
    {
        Headers h{{"Origin", k_origin}};
        if (!key.empty())
            h.emplace_back("Idempotency-Key", key);
        return call("POST", base, json{{"first_name", first_name}}.dump(), h, session);
    }
    std::size_t contacts_in_a1()
    {
        auto page = store->list_contacts({agency_a, account_a1}, ContactQuery{});
        BOOST_REQUIRE(page.ok());
        return page->items.size();
    }
    // Runs SQL on a connection of its own (beside the app's), as another process would.
    void raw_exec(sqlite3* db, const char* sql) { BOOST_REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK); }
    sqlite3* raw_open()
    {
        sqlite3* db = nullptr;
        auto file = (dir.path / "stronghold.db").string();
        BOOST_REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
        sqlite3_busy_timeout(db, 5000);
        return db;
    }
    // App::handle without waiting: the future is ready when the answer is.
    std::future<Response> post_contact_async(const std::string& first_name, const std::string& key)
    {
        Request r;
        r.method = "POST";
        r.target = base;
        r.body = json{{"first_name", first_name}}.dump();
        r.remote_ip = "127.0.0.1";
        r.headers = {{"Host", k_host},
                     {"Content-Type", "application/json"},
                     {"Idempotency-Key", key},
                     {"Cookie", "__Host-stronghold_session=" + session}};
        auto promise = std::make_shared<std::promise<Response>>();
        auto future = promise->get_future();
        app->handle(std::move(r), [promise](Response resp) { promise->set_value(std::move(resp)); });
        return future;
    }
};

std::string error_field(const Response& r)
{
    auto e = api::error_from_json(json::parse(r.body));
    return e ? e->field : "(no error body)";
}

api::ErrorCode error_code(const Response& r)
{
    auto e = api::error_from_json(json::parse(r.body));
    return e ? e->code : api::ErrorCode::internal;
}

} // namespace

BOOST_AUTO_TEST_SUITE(api_idempotency_tests)

BOOST_FIXTURE_TEST_CASE(RES4_retry_of_contact_create_returns_the_first_answer_and_writes_once, IdempotencyFixture)
{
    auto first = post_contact("Ada", "create-ada-1");
    BOOST_REQUIRE(first.status == 201);
    BOOST_TEST(!first.header("Idempotent-Replayed"));
    auto id = json::parse(first.body)["id"].get<std::string>();

    auto retry = post_contact("Ada", "create-ada-1");
    BOOST_TEST(retry.status == 201);
    BOOST_TEST(retry.body == first.body);
    BOOST_TEST(json::parse(retry.body)["id"] == id);
    BOOST_TEST(retry.header("ETag").value_or("") == first.header("ETag").value_or("-"));
    BOOST_TEST(retry.header("Location").value_or("") == base + "/" + id);
    BOOST_TEST(retry.header("Content-Type").value_or("") == "application/json");
    BOOST_TEST(retry.header("Idempotent-Replayed").value_or("") == "true");
    // Security headers still go on a replayed answer (HttpApp adds them to every answer).
    BOOST_TEST(retry.header("X-Content-Type-Options").value_or("") == "nosniff");

    BOOST_TEST(contacts_in_a1() == 1u);
    BOOST_TEST(version_count(id) == 1u);
    BOOST_TEST(audit_count(agency_a, "contact.create") == 1u);
}

BOOST_FIXTURE_TEST_CASE(RES4_same_key_with_another_body_is_refused_422, IdempotencyFixture)
{
    BOOST_REQUIRE(post_contact("Ada", "k-body").status == 201);
    auto other = post_contact("Grace", "k-body");
    BOOST_TEST(other.status == 422);
    BOOST_TEST(error_code(other) == api::ErrorCode::validation_failed);
    BOOST_TEST(error_field(other) == "Idempotency-Key");
    BOOST_TEST(other.body.find("different request") != std::string::npos);
    BOOST_TEST(contacts_in_a1() == 1u);
}

BOOST_FIXTURE_TEST_CASE(RES4_without_a_key_every_post_runs, IdempotencyFixture)
{
    BOOST_TEST(post_contact("Ada", "").status == 201);
    auto second = post_contact("Ada", "");
    BOOST_TEST(second.status == 201);
    BOOST_TEST(!second.header("Idempotent-Replayed"));
    BOOST_TEST(contacts_in_a1() == 2u);
    BOOST_TEST(audit_count(agency_a, "contact.create") == 2u);
}

BOOST_FIXTURE_TEST_CASE(RES4_key_is_per_actor_and_per_route, IdempotencyFixture)
{
    BOOST_REQUIRE(post_contact("Ada", "shared-key").status == 201);
    // Another user sending the same key is another entry: no answer of the owner's leaks to them.
    auto other_user = call("POST", base, json{{"first_name", "Ada"}}.dump(),
                           {{"Origin", k_origin}, {"Idempotency-Key", "shared-key"}}, login(user_a1));
    BOOST_TEST(other_user.status == 201);
    BOOST_TEST(!other_user.header("Idempotent-Replayed"));
    // The same user and key on another route (another sub-account's contacts) runs too.
    auto other_route = call("POST", "/api/v1/accounts/" + account_a2 + "/contacts", json{{"first_name", "Ada"}}.dump(),
                            {{"Origin", k_origin}, {"Idempotency-Key", "shared-key"}}, session);
    BOOST_TEST(other_route.status == 201);
    BOOST_TEST(!other_route.header("Idempotent-Replayed"));
    BOOST_TEST(contacts_in_a1() == 2u);
}

BOOST_FIXTURE_TEST_CASE(RES4_malformed_keys_are_refused_422_and_nothing_is_written, IdempotencyFixture)
{
    for (const std::string& key : {std::string(), std::string(256, 'k'), std::string("caf\xc3\xa9"), std::string("a\tb")}) {
        BOOST_TEST_CONTEXT("key of " << key.size() << " bytes")
        {
            Headers h{{"Origin", k_origin}, {"Idempotency-Key", key}};
            auto r = call("POST", base, json{{"first_name", "Ada"}}.dump(), h, session);
            BOOST_TEST(r.status == 422);
            BOOST_TEST(error_field(r) == "Idempotency-Key");
        }
    }
    auto twice = call("POST", base, json{{"first_name", "Ada"}}.dump(),
                      {{"Origin", k_origin}, {"Idempotency-Key", "a"}, {"Idempotency-Key", "b"}}, session);
    BOOST_TEST(twice.status == 422);
    BOOST_TEST(contacts_in_a1() == 0u);
    // The longest allowed key, with spaces and punctuation, is accepted.
    auto longest = std::string(250, 'x') + " ~!{}";
    BOOST_TEST(post_contact("Ada", longest).status == 201);
    BOOST_TEST(post_contact("Ada", longest).header("Idempotent-Replayed").value_or("") == "true");
}

BOOST_FIXTURE_TEST_CASE(RES4_login_with_a_key_is_never_replayed, IdempotencyFixture)
{
    auto body = json{{"email", owner_a}, {"password", k_password}}.dump();
    Headers h{{"Idempotency-Key", "login-1"}};
    auto first = call("POST", "/api/v1/auth/login", body, h);
    auto second = call("POST", "/api/v1/auth/login", body, h);
    BOOST_REQUIRE(first.status == 200);
    BOOST_REQUIRE(second.status == 200);
    BOOST_TEST(!second.header("Idempotent-Replayed"));
    auto c1 = first.header("Set-Cookie").value_or("");
    auto c2 = second.header("Set-Cookie").value_or("");
    BOOST_TEST(!c2.empty());
    BOOST_TEST(c1 != c2); // a fresh session each time, never a copy of the first cookie
}

BOOST_FIXTURE_TEST_CASE(RES4_signed_in_auth_and_2fa_routes_ignore_the_key, IdempotencyFixture)
{
    // Enrolment hands out a new seed each time; a replay would hand out the first one again.
    Headers h{{"Origin", k_origin}, {"Idempotency-Key", "enrol-1"}};
    auto first = call("POST", "/api/v1/me/2fa/totp", {}, h, session);
    auto second = call("POST", "/api/v1/me/2fa/totp", {}, h, session);
    BOOST_TEST(first.status == second.status);
    BOOST_TEST(!second.header("Idempotent-Replayed"));
    if (first.status == 200)
        BOOST_TEST(first.body != second.body);
}

BOOST_FIXTURE_TEST_CASE(RES4_answers_are_forgotten_after_24_hours, IdempotencyFixture)
{
    auto first = post_contact("Ada", "daily");
    BOOST_REQUIRE(first.status == 201);

    now += k_day_ms; // exactly 24 h later: still kept (sessions have expired: sign in again)
    session = login(owner_a);
    auto kept = post_contact("Ada", "daily");
    BOOST_TEST(kept.header("Idempotent-Replayed").value_or("") == "true");
    BOOST_TEST(kept.body == first.body);
    BOOST_TEST(contacts_in_a1() == 1u);

    now += 1;
    session = login(owner_a);
    auto again = post_contact("Ada", "daily");
    BOOST_TEST(again.status == 201);
    BOOST_TEST(!again.header("Idempotent-Replayed"));
    BOOST_TEST(json::parse(again.body)["id"] != json::parse(first.body)["id"]);
    BOOST_TEST(contacts_in_a1() == 2u);
    // The new answer replaced the expired one: the next retry replays it.
    auto replayed = post_contact("Ada", "daily");
    BOOST_TEST(replayed.body == again.body);
    BOOST_TEST(replayed.header("Idempotent-Replayed").value_or("") == "true");
}

BOOST_FIXTURE_TEST_CASE(RES4_a_5xx_answer_is_not_remembered_so_the_retry_runs, IdempotencyFixture)
{
    // A storage failure in the handler: the version table is gone for a moment.
    sqlite3* db = raw_open();
    raw_exec(db, "ALTER TABLE contact_versions RENAME TO contact_versions_away");
    auto failed = post_contact("Ada", "flaky");
    raw_exec(db, "ALTER TABLE contact_versions_away RENAME TO contact_versions");
    sqlite3_close(db);
    BOOST_TEST(failed.status == 500);
    BOOST_TEST(contacts_in_a1() == 0u);

    auto retry = post_contact("Ada", "flaky");
    BOOST_TEST(retry.status == 201);
    BOOST_TEST(!retry.header("Idempotent-Replayed"));
    BOOST_TEST(contacts_in_a1() == 1u);
    BOOST_TEST(post_contact("Ada", "flaky").header("Idempotent-Replayed").value_or("") == "true");
}

BOOST_FIXTURE_TEST_CASE(RES4_duplicate_while_the_first_still_runs_gets_409, IdempotencyFixture)
{
    // Another process holds the write lock: the first request waits inside its handler.
    sqlite3* db = raw_open();
    raw_exec(db, "BEGIN IMMEDIATE");
    auto a = post_contact_async("Ada", "slow");
    auto b = post_contact_async("Ada", "slow");
    // One of the two claimed the key and waits; the other is answered at once.
    auto first_ready = [&]() -> std::future<Response>* {
        for (int i = 0; i < 400; ++i) {
            if (a.wait_for(std::chrono::milliseconds(5)) == std::future_status::ready)
                return &a;
            if (b.wait_for(std::chrono::milliseconds(5)) == std::future_status::ready)
                return &b;
        }
        return nullptr;
    }();
    raw_exec(db, "COMMIT");
    sqlite3_close(db);
    BOOST_REQUIRE(first_ready != nullptr);
    auto duplicate = first_ready->get();
    auto& other = first_ready == &a ? b : a;
    BOOST_REQUIRE(other.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    auto created = other.get();
    BOOST_TEST(duplicate.status == 409);
    BOOST_TEST(error_field(duplicate) == "Idempotency-Key");
    BOOST_TEST(created.status == 201);
    BOOST_TEST(contacts_in_a1() == 1u);
    // Once the first has answered, a retry gets its answer.
    auto retry = post_contact("Ada", "slow");
    BOOST_TEST(retry.body == created.body);
    BOOST_TEST(retry.header("Idempotent-Replayed").value_or("") == "true");
}

BOOST_AUTO_TEST_CASE(RES4_in_flight_slot_is_held_until_released)
{
    IdempotencyInFlight slots;
    BOOST_TEST(slots.try_claim("u\nPOST /x\nk"));
    BOOST_TEST(!slots.try_claim("u\nPOST /x\nk"));
    BOOST_TEST(slots.try_claim("v\nPOST /x\nk"));
    slots.release("u\nPOST /x\nk");
    BOOST_TEST(slots.try_claim("u\nPOST /x\nk"));
}

BOOST_AUTO_TEST_SUITE_END()

// IAM-7 login throttling and account-takeover signals through HttpApp in-process (real SQLite
// store, movable clock): delays, blocks, per-IP credential stuffing, outbox mail.
#include "app/http_app.hpp"

#include "api_fixture.hpp"
#include "app/throttle.hpp"
#include "stronghold/crypto/crypto.hpp"

#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <future>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

constexpr const char* k_wrong = "Wrong-Password-1!";
constexpr const char* k_home_ip = "198.51.100.7";
constexpr const char* k_chrome = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36";
constexpr const char* k_firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

struct ThrottleFixture : ApiFixture {
    Response login_from(const std::string& ip, const std::string& email, const std::string& password,
                        const std::string& user_agent = "api-tests")
    {
        Request r;
        r.method = "POST";
        r.target = "/api/v1/auth/login";
        r.body = json{{"email", email}, {"password", password}}.dump();
        r.remote_ip = ip;
        r.headers = {{"Host", k_host}, {"User-Agent", user_agent}, {"Content-Type", "application/json"}};
        auto promise = std::make_shared<std::promise<Response>>();
        auto future = promise->get_future();
        app->handle(std::move(r), [promise](Response resp) { promise->set_value(std::move(resp)); });
        return future.get();
    }

    void advance_s(int seconds) { now += static_cast<model::UnixMillis>(seconds) * 1000; }

    std::int64_t outbox_count(const std::string& to_addr, const std::string& template_name)
    {
        sqlite3* db = nullptr;
        auto file = (dir.path / "stronghold.db").string();
        BOOST_REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        BOOST_REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM outbox WHERE to_addr = ? AND template = ?", -1, &st,
                                         nullptr) == SQLITE_OK);
        sqlite3_bind_text(st, 1, to_addr.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, template_name.c_str(), -1, SQLITE_TRANSIENT);
        std::int64_t n = -1;
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return n;
    }

    // Ten failures for (email, ip), spaced so none is refused by the growing delay.
    void fail_ten_times(const std::string& ip, const std::string& email)
    {
        for (int i = 0; i < 10; ++i) {
            BOOST_TEST_CONTEXT("failure " << i + 1) BOOST_REQUIRE(login_from(ip, email, k_wrong).status == 401);
            advance_s(8);
        }
    }
};

std::string retry_after(const Response& r)
{
    return r.header("Retry-After").value_or("");
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(api_throttle_tests, ThrottleFixture)

BOOST_AUTO_TEST_CASE(iam7_five_failures_then_429_with_growing_retry_after_then_allowed_after_waiting)
{
    for (int i = 0; i < 5; ++i)
        BOOST_REQUIRE(login_from(k_home_ip, owner_a, k_wrong).status == 401);
    // Too early, even with the right password: 429 before any hashing.
    auto early = login_from(k_home_ip, owner_a, k_password);
    BOOST_TEST(early.status == 429);
    BOOST_TEST(retry_after(early) == "1");
    BOOST_TEST(api::error_from_json(json::parse(early.body))->code == api::ErrorCode::rate_limited);
    BOOST_TEST(!early.header("Set-Cookie"));
    advance_s(1);
    BOOST_TEST(login_from(k_home_ip, owner_a, k_wrong).status == 401); // 6th failure
    BOOST_TEST(retry_after(login_from(k_home_ip, owner_a, k_password)) == "2");
    advance_s(2);
    BOOST_TEST(login_from(k_home_ip, owner_a, k_wrong).status == 401); // 7th
    BOOST_TEST(retry_after(login_from(k_home_ip, owner_a, k_password)) == "4");
    advance_s(4);
    BOOST_TEST(login_from(k_home_ip, owner_a, k_password).status == 200);
}

BOOST_AUTO_TEST_CASE(iam7_a_parallel_burst_gets_no_more_guesses_than_the_limit)
{
    // 30 wrong attempts sent at once pass the first check together (nothing is counted yet);
    // the hash pool (one thread here) re-checks each before hashing, so only 5 are verified.
    std::vector<std::future<Response>> pending;
    for (int i = 0; i < 30; ++i) {
        Request r;
        r.method = "POST";
        r.target = "/api/v1/auth/login";
        r.body = json{{"email", owner_a}, {"password", k_wrong}}.dump();
        r.remote_ip = k_home_ip;
        r.headers = {{"Host", k_host}, {"Content-Type", "application/json"}};
        auto promise = std::make_shared<std::promise<Response>>();
        pending.push_back(promise->get_future());
        app->handle(std::move(r), [promise](Response resp) { promise->set_value(std::move(resp)); });
    }
    int verified = 0, throttled = 0;
    for (auto& f : pending) {
        auto r = f.get();
        verified += r.status == 401;
        throttled += r.status == 429;
    }
    BOOST_TEST(verified == 5);
    BOOST_TEST(throttled == 25);
    BOOST_TEST(audit_count(agency_a, "auth.login_failed") == 5u);
}

BOOST_AUTO_TEST_CASE(iam7_ten_failures_block_for_15_minutes_even_with_the_right_password)
{
    fail_ten_times(k_home_ip, owner_a);
    auto blocked = login_from(k_home_ip, owner_a, k_password);
    BOOST_TEST(blocked.status == 429);
    const int wait = std::stoi(retry_after(blocked));
    BOOST_TEST(wait > 14 * 60);
    BOOST_TEST(wait <= 15 * 60);
    advance_s(wait - 5);
    BOOST_TEST(login_from(k_home_ip, owner_a, k_password).status == 429);
    advance_s(5);
    BOOST_TEST(login_from(k_home_ip, owner_a, k_password).status == 200);
    // One audit row and one mail to the owner for the block.
    BOOST_TEST(audit_count(agency_a, "auth.login_blocked") == 1u);
    BOOST_TEST(outbox_count(owner_a, "login_blocked") == 1);
}

BOOST_AUTO_TEST_CASE(iam7_block_never_locks_owner_out_from_another_ip)
{
    fail_ten_times("203.0.113.66", owner_a);
    BOOST_TEST(login_from("203.0.113.66", owner_a, k_password).status == 429);
    BOOST_TEST(login_from(k_home_ip, owner_a, k_password).status == 200);
    // And the blocked IP can still try other accounts (the per-IP limit is far higher).
    BOOST_TEST(login_from("203.0.113.66", user_a1, k_password).status == 200);
}

BOOST_AUTO_TEST_CASE(iam7_unknown_email_is_throttled_identically)
{
    using Seen = std::vector<std::tuple<int, std::string, std::string>>;
    auto run = [this](const std::string& ip, const std::string& email) {
        Seen seen;
        for (int i = 0; i < 12; ++i) {
            auto r = login_from(ip, email, k_wrong);
            seen.emplace_back(r.status, retry_after(r), r.body);
            if (r.status == 401 && i >= 4 && i < 9)
                advance_s(8); // keep failing through the delays up to the block
        }
        return seen;
    };
    const auto real = run("192.0.2.1", owner_a);
    const auto unknown = run("192.0.2.2", "nobody@nowhere.test");
    BOOST_REQUIRE(real.size() == unknown.size());
    for (std::size_t i = 0; i < real.size(); ++i)
        BOOST_TEST_CONTEXT("attempt " << i + 1) BOOST_TEST((real[i] == unknown[i]));
    BOOST_TEST(std::get<0>(real.back()) == 429);
    BOOST_TEST(outbox_count(owner_a, "login_blocked") == 1); // the owner is told; nobody else exists
}

BOOST_AUTO_TEST_CASE(iam7_success_resets_the_pair_counter)
{
    for (int i = 0; i < 4; ++i)
        BOOST_REQUIRE(login_from(k_home_ip, owner_a, k_wrong).status == 401);
    BOOST_REQUIRE(login_from(k_home_ip, owner_a, k_password).status == 200);
    // Without the reset these would be failures 5..8 and the 6th attempt would be refused.
    for (int i = 0; i < 4; ++i)
        BOOST_TEST(login_from(k_home_ip, owner_a, k_wrong).status == 401);
    BOOST_TEST(login_from(k_home_ip, owner_a, k_password).status == 200);
}

BOOST_AUTO_TEST_CASE(iam7_counters_expire_after_their_window)
{
    for (int i = 0; i < 5; ++i)
        BOOST_REQUIRE(login_from(k_home_ip, owner_a, k_wrong).status == 401);
    advance_s(16 * 60);
    // A new window: four more failures are failures 1..4, not 6..9.
    for (int i = 0; i < 4; ++i)
        BOOST_TEST(login_from(k_home_ip, owner_a, k_wrong).status == 401);
    BOOST_TEST(login_from(k_home_ip, owner_a, k_password).status == 200);
}

BOOST_AUTO_TEST_CASE(iam7_one_ip_failing_across_100_emails_is_blocked_and_flagged_as_credential_stuffing)
{
    const std::string attacker = "203.0.113.200";
    for (int i = 0; i < 100; ++i) {
        auto r = login_from(attacker, "victim" + std::to_string(i) + "@list.test", k_wrong);
        BOOST_TEST_CONTEXT("attempt " << i + 1) BOOST_REQUIRE(r.status == 401);
    }
    auto blocked = login_from(attacker, owner_a, k_password);
    BOOST_TEST(blocked.status == 429);
    BOOST_TEST(std::stoi(retry_after(blocked)) > 60);
    std::size_t events = 0;
    for (const auto& e : store->audit_entries("", 100000)) {
        if (e.action != "security.credential_stuffing")
            continue;
        ++events;
        BOOST_TEST(e.target_id == attacker);
        BOOST_TEST(e.details.value("severity", "") == "high");
        BOOST_TEST(e.details.value("failures", 0) == 100);
    }
    BOOST_TEST(events == 1u);
    // The real owner, from their own address, is not affected.
    BOOST_TEST(login_from(k_home_ip, owner_a, k_password).status == 200);
}

BOOST_AUTO_TEST_CASE(iam7_new_device_family_mails_the_owner_once)
{
    BOOST_REQUIRE(login_from(k_home_ip, owner_a, k_password, k_chrome).status == 200); // first login: no mail
    BOOST_REQUIRE(login_from("192.0.2.44", owner_a, k_password, k_chrome).status == 200); // same family
    BOOST_TEST(outbox_count(owner_a, "new_device_login") == 0);
    BOOST_REQUIRE(login_from(k_home_ip, owner_a, k_password, k_firefox).status == 200);
    BOOST_TEST(outbox_count(owner_a, "new_device_login") == 1);
    BOOST_REQUIRE(login_from(k_home_ip, owner_a, k_password, k_firefox).status == 200);
    BOOST_TEST(outbox_count(owner_a, "new_device_login") == 1);
}

BOOST_AUTO_TEST_CASE(iam7_wrong_current_password_on_change_counts_as_a_failed_sign_in)
{
    auto token = login(owner_a); // fixture IP 127.0.0.1
    const auto body = json{{"current_password", k_wrong}, {"new_password", "Brand-New-Secret-42!"}}.dump();
    for (int i = 0; i < 5; ++i)
        BOOST_REQUIRE(call("POST", "/api/v1/me/password", body, {}, token).status == 422);
    auto r = call("POST", "/api/v1/me/password", body, {}, token);
    BOOST_TEST(r.status == 429);
    BOOST_TEST(retry_after(r) == "1");
    // Sign-in from that address is throttled too: it is one counter.
    BOOST_TEST(call("POST", "/api/v1/auth/login", json{{"email", owner_a}, {"password", k_password}}.dump()).status ==
               429);
}

BOOST_AUTO_TEST_CASE(iam7_a_block_holds_across_processes_sharing_the_database)
{
    fail_ten_times(k_home_ip, owner_a);
    // A second store and app on the same data dir: another server process, or this one restarted.
    auto opened = open_sqlite_store(dir.path.string());
    BOOST_REQUIRE(opened.ok());
    auto other_store = std::move(*opened);
    AppConfig config;
    config.data_dir = dir.path.string();
    config.handler_threads = 1;
    config.hash_threads = 1;
    HttpAppOptions options;
    options.clock = [this] { return now.load(); };
    options.dummy_hash_params = crypto::PwhashParams{1, 1u << 20};
    auto other_app = std::make_unique<HttpApp>(config, *other_store, options);
    std::swap(app, other_app);
    auto r = login_from(k_home_ip, owner_a, k_password);
    std::swap(app, other_app);
    BOOST_TEST(r.status == 429);
}

BOOST_AUTO_TEST_CASE(iam7_pruning_drops_idle_counters_but_keeps_blocks)
{
    const model::UnixMillis t0 = 1'000'000;
    const auto hour = k_throttle.prune_after_ms;
    BOOST_REQUIRE(store->add_login_failure("test:idle", t0, 60'000, 10, 900'000).ok());
    for (int i = 0; i < 3; ++i) // blocked at the third failure until t0 + 2 h
        BOOST_REQUIRE(store->add_login_failure("test:blocked", t0, 60'000, 3, 2 * hour).ok());
    BOOST_REQUIRE(store->add_login_failure("test:recent", t0 + hour, 60'000, 10, 900'000).ok());
    BOOST_REQUIRE(store->prune_login_failures(t0 + hour - 1, t0 + hour).ok());
    BOOST_TEST(store->login_failures("test:idle").failures == 0);
    BOOST_TEST(store->login_failures("test:blocked").failures == 3);
    BOOST_TEST(store->login_failures("test:blocked").blocked_until == t0 + 2 * hour);
    BOOST_TEST(store->login_failures("test:recent").failures == 1);
}

BOOST_AUTO_TEST_CASE(iam7_a_counter_past_its_window_starts_again)
{
    const model::UnixMillis t0 = 5'000'000;
    for (int i = 0; i < 4; ++i)
        BOOST_REQUIRE(store->add_login_failure("test:w", t0 + i, 60'000, 10, 900'000).ok());
    auto again = store->add_login_failure("test:w", t0 + 60'000, 60'000, 10, 900'000);
    BOOST_REQUIRE(again.ok());
    BOOST_TEST(again->failures == 1);
    BOOST_TEST(again->first_at == t0 + 60'000);
    BOOST_TEST(again->blocked_until == 0);
}

BOOST_AUTO_TEST_SUITE_END()

// Two-factor authentication (IAM-3) and re-authentication (IAM-6) through HttpApp in-process,
// with the real SQLite store and a movable clock: enrolment, the two-step login, wrong and
// replayed codes (also in parallel), recovery codes, mfa_token limits, reauth_required.
#include "api_fixture.hpp"
#include "app/reauth.hpp"
#include "auth/totp.hpp"

#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <future>
#include <regex>
#include <set>
#include <thread>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

constexpr model::UnixMillis k_step_ms = 30'000;
constexpr model::UnixMillis k_minute = 60'000;

std::int64_t count_rows(ApiFixture& f, const std::string& sql, const std::string& arg)
{
    sqlite3* db = nullptr;
    auto file = (f.dir.path / "stronghold.db").string();
    BOOST_REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    BOOST_REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    sqlite3_bind_text(st, 1, arg.c_str(), -1, SQLITE_TRANSIENT);
    std::int64_t n = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

std::string text_value(ApiFixture& f, const std::string& sql, const std::string& arg)
{
    sqlite3* db = nullptr;
    auto file = (f.dir.path / "stronghold.db").string();
    BOOST_REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    BOOST_REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    sqlite3_bind_text(st, 1, arg.c_str(), -1, SQLITE_TRANSIENT);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW)
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

std::string session_of(const Response& r)
{
    auto cookie = r.header("Set-Cookie").value_or("");
    auto start = cookie.find('=') + 1;
    return cookie.substr(start, cookie.find(';') - start);
}

struct MfaFixture : ApiFixture {
    std::string seed; // raw TOTP seed of owner_a once enabled
    std::vector<std::string> recovery;
    std::string secret_b32;

    std::string code(model::UnixMillis offset_ms = 0)
    {
        return auth::totp_code(seed, (now.load() + offset_ms) / 1000);
    }
    // A well-formed code that matches none of the accepted window's steps.
    std::string wrong_code()
    {
        std::set<std::string> valid{code(-k_step_ms), code(), code(k_step_ms)};
        for (int v = 0;; ++v) {
            auto c = std::to_string(100000 + v);
            if (!valid.count(c))
                return c;
        }
    }
    // Moves the clock to the start of the next 30 s step (a fresh, unused code).
    void next_step() { now = (now.load() / k_step_ms + 1) * k_step_ms + 1000; }

    // Signs in as owner_a and turns 2FA on; the enrolling session is returned.
    std::string enable_2fa()
    {
        auto session = login(owner_a);
        auto r = call("POST", "/api/v1/me/2fa/totp", {}, {}, session);
        BOOST_REQUIRE_MESSAGE(r.status == 200, "enrol -> " + std::to_string(r.status) + " " + r.body);
        secret_b32 = json::parse(r.body)["secret"].get<std::string>();
        seed = auth::base32_decode(secret_b32).value();
        auto c = call("POST", "/api/v1/me/2fa/totp/confirm", json{{"code", code()}}.dump(), {}, session);
        BOOST_REQUIRE_MESSAGE(c.status == 200, "confirm -> " + std::to_string(c.status) + " " + c.body);
        recovery = json::parse(c.body)["recovery_codes"].get<std::vector<std::string>>();
        next_step(); // the confirming code's step is used up
        return session;
    }

    // The password step for owner_a; returns the mfa_token (fails unless mfa_required).
    std::string password_step()
    {
        auto r = call("POST", "/api/v1/auth/login", json{{"email", owner_a}, {"password", k_password}}.dump());
        BOOST_REQUIRE_MESSAGE(r.status == 200, "login -> " + std::to_string(r.status) + " " + r.body);
        auto body = json::parse(r.body);
        BOOST_REQUIRE(body.value("mfa_required", false));
        BOOST_TEST(!r.header("Set-Cookie").has_value());
        return body["mfa_token"].get<std::string>();
    }

    Response second_step(const std::string& token, const std::string& field, const std::string& value)
    {
        return call("POST", "/api/v1/auth/login/totp", json{{"mfa_token", token}, {field, value}}.dump());
    }

    std::int64_t sessions_of_owner() { return count_rows(*this, "SELECT count(*) FROM sessions WHERE user_id = ?", owner_a_id); }
};

std::string error_code(const Response& r)
{
    auto j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}

} // namespace

BOOST_AUTO_TEST_SUITE(api_mfa_tests)

BOOST_FIXTURE_TEST_CASE(iam3_enrol_answers_secret_uri_and_qr_and_stays_pending_until_confirmed, MfaFixture)
{
    auto session = login(owner_a);
    auto r = call("POST", "/api/v1/me/2fa/totp", {}, {}, session);
    BOOST_TEST_REQUIRE(r.status == 200);
    auto body = json::parse(r.body);
    const auto secret = body["secret"].get<std::string>();
    BOOST_TEST(std::regex_match(secret, std::regex("[A-Z2-7]{32}"))); // 20 bytes, no padding
    BOOST_TEST(body["otpauth_uri"] == "otpauth://totp/Stronghold:owner%40a.test?secret=" + secret +
                                          "&issuer=Stronghold&algorithm=SHA1&digits=6&period=30");
    const int n = body["qr"]["size"].get<int>();
    const auto modules = body["qr"]["modules"].get<std::string>();
    BOOST_TEST(n >= 21);
    BOOST_TEST(modules.size() == static_cast<std::size_t>(n * n + n - 1)); // n rows, n-1 newlines
    BOOST_TEST(modules.substr(0, 7) == "1111111");

    // The seed is stored sealed, never as the secret or its bytes.
    auto sealed = text_value(*this, "SELECT sealed_secret FROM user_totp WHERE user_id = ?", owner_a_id);
    BOOST_TEST(sealed.starts_with("v1."));
    BOOST_TEST(sealed.find(secret) == std::string::npos);
    BOOST_TEST(count_rows(*this, "SELECT enabled FROM user_totp WHERE user_id = ?", owner_a_id) == 0);

    // Pending only: the password alone still signs in.
    auto again = call("POST", "/api/v1/auth/login", json{{"email", owner_a}, {"password", k_password}}.dump());
    BOOST_TEST(again.status == 200);
    BOOST_TEST(again.header("Set-Cookie").has_value());
    BOOST_TEST(audit_count(agency_a, "2fa.enrol_started") == 1u);
}

BOOST_FIXTURE_TEST_CASE(iam3_confirm_wrong_code_is_422_then_right_code_gives_10_recovery_codes, MfaFixture)
{
    auto session = login(owner_a);
    BOOST_TEST(call("POST", "/api/v1/me/2fa/totp/confirm", json{{"code", "123456"}}.dump(), {}, session).status ==
               409); // nothing pending yet
    auto r = call("POST", "/api/v1/me/2fa/totp", {}, {}, session);
    seed = auth::base32_decode(json::parse(r.body)["secret"].get<std::string>()).value();

    auto wrong = call("POST", "/api/v1/me/2fa/totp/confirm", json{{"code", wrong_code()}}.dump(), {}, session);
    BOOST_TEST(wrong.status == 422);
    BOOST_TEST(error_code(wrong) == "validation_failed");
    BOOST_TEST(json::parse(wrong.body)["error"]["field"] == "code");
    BOOST_TEST(call("POST", "/api/v1/me/2fa/totp/confirm", "{}", {}, session).status == 422);
    BOOST_TEST(call("POST", "/api/v1/me/2fa/totp/confirm", "{", {}, session).status == 400);
    BOOST_TEST(audit_count(agency_a, "2fa.enabled") == 0u);

    auto ok = call("POST", "/api/v1/me/2fa/totp/confirm", json{{"code", code()}}.dump(), {}, session);
    BOOST_TEST_REQUIRE(ok.status == 200);
    auto codes = json::parse(ok.body)["recovery_codes"].get<std::vector<std::string>>();
    BOOST_TEST(codes.size() == 10u);
    BOOST_TEST(std::set<std::string>(codes.begin(), codes.end()).size() == 10u);
    for (const auto& c : codes)
        BOOST_TEST(std::regex_match(c, std::regex("[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}")));
    // Stored hashed only: no row holds a code as typed or in canonical form.
    for (const auto& c : codes) {
        BOOST_TEST(count_rows(*this, "SELECT count(*) FROM recovery_codes WHERE code_hash = ?", c) == 0);
        BOOST_TEST(count_rows(*this, "SELECT count(*) FROM recovery_codes WHERE code_hash = ?",
                              *auth::normalize_recovery_code(c)) == 0);
    }
    BOOST_TEST(count_rows(*this, "SELECT count(*) FROM recovery_codes WHERE user_id = ?", owner_a_id) == 10);
    BOOST_TEST(audit_count(agency_a, "2fa.enabled") == 1u);

    // Already on: a second confirm or enrolment is a conflict, not a silent new seed.
    BOOST_TEST(call("POST", "/api/v1/me/2fa/totp/confirm", json{{"code", code()}}.dump(), {}, session).status == 409);
    BOOST_TEST(call("POST", "/api/v1/me/2fa/totp", {}, {}, session).status == 409);
}

BOOST_FIXTURE_TEST_CASE(iam3_login_is_two_steps_and_the_password_step_alone_yields_no_session, MfaFixture)
{
    enable_2fa();
    const auto before = sessions_of_owner();
    auto token = password_step();
    BOOST_TEST(token.size() == 43u);
    BOOST_TEST(sessions_of_owner() == before); // no session row from the password step
    // The token is stored hashed.
    BOOST_TEST(count_rows(*this, "SELECT count(*) FROM mfa_challenges WHERE token_hash = ?", token) == 0);

    auto r = second_step(token, "code", code());
    BOOST_TEST_REQUIRE(r.status == 200);
    auto me = json::parse(r.body);
    BOOST_TEST(me["user"]["email"] == owner_a);
    BOOST_TEST(me["user"]["totp_enabled"] == true);
    BOOST_TEST(me.contains("accounts"));
    auto session = session_of(r);
    BOOST_TEST(session.size() == 43u);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, session).status == 200);
    BOOST_TEST(sessions_of_owner() == before + 1);

    // Single use: the same token cannot open a second session, even with a fresh code.
    next_step();
    BOOST_TEST(second_step(token, "code", code()).status == 401);

    bool found = false;
    for (const auto& e : store->audit_entries(agency_a, 1000))
        if (e.action == "auth.login" && e.details.value("mfa", "") == "totp")
            found = true;
    BOOST_TEST(found);
}

BOOST_FIXTURE_TEST_CASE(iam3_wrong_code_is_401_and_the_token_survives_4_but_dies_at_the_5th, MfaFixture)
{
    enable_2fa();
    auto wrong = wrong_code();
    auto token = password_step();
    for (int i = 0; i < 4; ++i) {
        auto r = second_step(token, "code", wrong);
        BOOST_TEST(r.status == 401);
        BOOST_TEST(error_code(r) == "unauthenticated");
    }
    BOOST_TEST(second_step(token, "code", code()).status == 200); // survived 4 wrong codes
    BOOST_TEST(audit_count(agency_a, "auth.login_mfa_failed") == 4u);

    next_step();
    auto token2 = password_step();
    for (int i = 0; i < 5; ++i)
        BOOST_TEST(second_step(token2, "code", wrong).status == 401);
    BOOST_TEST(second_step(token2, "code", code()).status == 401); // dead after the 5th
    BOOST_TEST(second_step(token2, "recovery_code", recovery[0]).status == 401);
}

BOOST_FIXTURE_TEST_CASE(iam3_mfa_token_expires_after_5_minutes, MfaFixture)
{
    enable_2fa();
    auto token = password_step();
    now += 5 * k_minute;
    BOOST_TEST(second_step(token, "code", code()).status == 401);

    auto fresh = password_step();
    now += 5 * k_minute - 1000;
    BOOST_TEST(second_step(fresh, "code", code()).status == 200);
}

BOOST_FIXTURE_TEST_CASE(iam3_replayed_code_is_refused, MfaFixture)
{
    enable_2fa();
    const auto c = code();
    BOOST_TEST(second_step(password_step(), "code", c).status == 200);
    BOOST_TEST(second_step(password_step(), "code", c).status == 401);
    // The previous step's code (inside the ±1 window) is older than the used one: refused too.
    now += k_step_ms;
    BOOST_TEST(second_step(password_step(), "code", code(-k_step_ms)).status == 401);
    BOOST_TEST(second_step(password_step(), "code", code()).status == 200);
}

BOOST_FIXTURE_TEST_CASE(iam3_same_code_in_8_parallel_logins_succeeds_exactly_once, MfaFixture)
{
    enable_2fa();
    std::vector<std::string> tokens;
    for (int i = 0; i < 8; ++i)
        tokens.push_back(password_step());
    const auto c = code();
    std::vector<int> statuses(8, 0);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < tokens.size(); ++i)
        threads.emplace_back([&, i] {
            Request r;
            r.method = "POST";
            r.target = "/api/v1/auth/login/totp";
            r.body = json{{"mfa_token", tokens[i]}, {"code", c}}.dump();
            r.remote_ip = "127.0.0.1";
            r.headers = {{"Host", k_host}, {"Content-Type", "application/json"}};
            std::promise<Response> p;
            auto fut = p.get_future();
            app->handle(std::move(r), [&p](Response resp) { p.set_value(std::move(resp)); });
            statuses[i] = fut.get().status;
        });
    for (auto& t : threads)
        t.join();
    BOOST_TEST(std::count(statuses.begin(), statuses.end(), 200) == 1);
    BOOST_TEST(std::count(statuses.begin(), statuses.end(), 401) == 7);
}

BOOST_FIXTURE_TEST_CASE(iam3_recovery_code_works_once_only, MfaFixture)
{
    enable_2fa();
    auto upper = recovery[3];
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    auto r = second_step(password_step(), "recovery_code", upper); // typed in capitals
    BOOST_TEST(r.status == 200);
    BOOST_TEST(second_step(password_step(), "recovery_code", recovery[3]).status == 401);
    BOOST_TEST(count_rows(*this, "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL",
                          owner_a_id) == 9);
    BOOST_TEST(second_step(password_step(), "recovery_code", "not-a-code").status == 401);
    bool found = false;
    for (const auto& e : store->audit_entries(agency_a, 1000))
        found = found || (e.action == "auth.login" && e.details.value("mfa", "") == "recovery_code");
    BOOST_TEST(found);
}

BOOST_FIXTURE_TEST_CASE(iam3_second_step_bad_bodies, MfaFixture)
{
    enable_2fa();
    auto token = password_step();
    BOOST_TEST(call("POST", "/api/v1/auth/login/totp", "{").status == 400);
    BOOST_TEST(call("POST", "/api/v1/auth/login/totp", json{{"code", code()}}.dump()).status == 401);
    BOOST_TEST(second_step("made-up-token", "code", code()).status == 401);
    auto both = call("POST", "/api/v1/auth/login/totp",
                     json{{"mfa_token", token}, {"code", code()}, {"recovery_code", recovery[0]}}.dump());
    BOOST_TEST(both.status == 422);
    BOOST_TEST(call("POST", "/api/v1/auth/login/totp", json{{"mfa_token", token}}.dump()).status == 422);
    BOOST_TEST(call("POST", "/api/v1/auth/login/totp", json{{"mfa_token", token}, {"code", 123456}}.dump()).status ==
               422);
    // None of those spent the token.
    BOOST_TEST(second_step(token, "code", code()).status == 200);
}

BOOST_FIXTURE_TEST_CASE(iam6_disable_needs_recent_reauth_then_turns_2fa_off, MfaFixture)
{
    auto session = enable_2fa();
    now += 6 * k_minute;
    auto stale = call("DELETE", "/api/v1/me/2fa/totp", {}, {}, session);
    BOOST_TEST(stale.status == 401);
    BOOST_TEST(error_code(stale) == "reauth_required");
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, session).status == 200); // the session itself is fine

    auto wrong = call("POST", "/api/v1/auth/reauth", json{{"password", "wrong password"}}.dump(), {}, session);
    BOOST_TEST(wrong.status == 422);
    BOOST_TEST(json::parse(wrong.body)["error"]["field"] == "password");
    BOOST_TEST(call("DELETE", "/api/v1/me/2fa/totp", {}, {}, session).status == 401);

    BOOST_TEST(call("POST", "/api/v1/auth/reauth", json{{"password", k_password}}.dump(), {}, session).status == 204);
    BOOST_TEST(call("DELETE", "/api/v1/me/2fa/totp", {}, {}, session).status == 204);
    BOOST_TEST(call("DELETE", "/api/v1/me/2fa/totp", {}, {}, session).status == 404);
    BOOST_TEST(audit_count(agency_a, "2fa.disabled") == 1u);
    BOOST_TEST(audit_count(agency_a, "auth.reauth") == 2u); // the failure and the success

    // Off: the password alone signs in again.
    auto r = call("POST", "/api/v1/auth/login", json{{"email", owner_a}, {"password", k_password}}.dump());
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("Set-Cookie").has_value());
    BOOST_TEST(json::parse(r.body)["user"]["totp_enabled"] == false);
}

BOOST_FIXTURE_TEST_CASE(iam6_reauth_with_a_totp_code_once_per_step, MfaFixture)
{
    auto session = enable_2fa();
    now += 10 * k_minute;
    BOOST_TEST(call("POST", "/api/v1/me/2fa/totp", {}, {}, session).status == 401); // enrol is a 2FA change too
    const auto c = code();
    BOOST_TEST(call("POST", "/api/v1/auth/reauth", json{{"code", c}}.dump(), {}, session).status == 204);
    auto replay = call("POST", "/api/v1/auth/reauth", json{{"code", c}}.dump(), {}, session);
    BOOST_TEST(replay.status == 422);
    BOOST_TEST(json::parse(replay.body)["error"]["field"] == "code");
    BOOST_TEST(call("POST", "/api/v1/auth/reauth", "{}", {}, session).status == 422);
    BOOST_TEST(call("POST", "/api/v1/auth/reauth", json{{"code", c}}.dump()).status == 401); // no session
    BOOST_TEST(call("DELETE", "/api/v1/me/2fa/totp", {}, {}, session).status == 204);
}

BOOST_FIXTURE_TEST_CASE(iam6_require_recent_auth_window_is_5_minutes, ApiFixture)
{
    AuthContext auth;
    auth.session.reauth_at = 1'000'000;
    BOOST_TEST(require_recent_auth(auth, 1'000'000).ok());
    BOOST_TEST(require_recent_auth(auth, 1'000'000 + k_reauth_window_ms).ok());
    auto late = require_recent_auth(auth, 1'000'000 + k_reauth_window_ms + 1);
    BOOST_TEST_REQUIRE(!late.ok());
    BOOST_TEST(late.error().code == api::ErrorCode::reauth_required);
    BOOST_TEST(api::http_status(late.error().code) == 401);
}

BOOST_FIXTURE_TEST_CASE(iam3_audit_rows_never_hold_codes_secrets_or_tokens, MfaFixture)
{
    auto session = enable_2fa();
    auto token = password_step();
    const auto wrong = wrong_code();
    (void)second_step(token, "code", wrong);
    const auto good = code();
    BOOST_TEST(second_step(token, "code", good).status == 200);
    (void)second_step(password_step(), "recovery_code", recovery[0]);
    BOOST_TEST(call("POST", "/api/v1/auth/reauth", json{{"password", k_password}}.dump(), {}, session).status == 204);

    std::set<std::string> actions;
    for (const auto& e : store->audit_entries(agency_a, 1000)) {
        actions.insert(e.action);
        const auto text = e.details.dump() + e.target_id + e.actor.user_agent;
        BOOST_TEST_CONTEXT(e.action)
        {
            BOOST_TEST(text.find(secret_b32) == std::string::npos);
            BOOST_TEST(text.find(token) == std::string::npos);
            BOOST_TEST(text.find(k_password) == std::string::npos);
            BOOST_TEST(text.find(good) == std::string::npos);
            BOOST_TEST(text.find(wrong) == std::string::npos);
            for (const auto& rc : recovery)
                BOOST_TEST(text.find(rc) == std::string::npos);
        }
    }
    for (const char* a : {"2fa.enrol_started", "2fa.enabled", "auth.login", "auth.login_mfa_failed", "auth.reauth"})
        BOOST_TEST_CONTEXT(a) BOOST_TEST(actions.count(a) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

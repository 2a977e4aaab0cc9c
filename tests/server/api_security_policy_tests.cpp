// The agency security policy (IAM-2, IAM-3, IAM-5, IAM-6) through HttpApp in-process, with the
// real SQLite store and a movable clock: the API (defaults, who may read and change it,
// re-authentication, validation, If-Match, audit) and its enforcement (2FA requirement,
// password length/history/maximum age, session timeouts).
#include "api_fixture.hpp"
#include "auth/totp.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

constexpr model::UnixMillis k_minute = 60'000;
constexpr model::UnixMillis k_day = 24 * 60 * k_minute;

std::string error_code(const Response& r)
{
    auto j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}

std::string error_field(const Response& r)
{
    auto j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("field", "") : "";
}

struct PolicyFixture : ApiFixture {
    std::string policy_path(const std::string& agency) { return "/api/v1/agencies/" + agency + "/security-policy"; }

    // PATCHes agency A's policy as its owner (fresh login, so re-authenticated) at the current version.
    json set_policy(const json& patch)
    {
        auto session = login(owner_a);
        auto current = call("GET", policy_path(agency_a), {}, {}, session);
        BOOST_REQUIRE(current.status == 200);
        auto r = call("PATCH", policy_path(agency_a), patch.dump(), {{"If-Match", *current.header("ETag")}}, session);
        BOOST_REQUIRE_MESSAGE(r.status == 200, "PATCH -> " + std::to_string(r.status) + " " + r.body);
        return json::parse(r.body);
    }

    json me(const std::string& session)
    {
        auto r = call("GET", "/api/v1/me", {}, {}, session);
        BOOST_REQUIRE_MESSAGE(r.status == 200, "/me -> " + std::to_string(r.status));
        return json::parse(r.body);
    }

    Response contacts(const std::string& session)
    {
        return call("GET", "/api/v1/accounts/" + account_a1 + "/contacts", {}, {}, session);
    }

    Response change_password(const std::string& session, const std::string& from, const std::string& to)
    {
        return call("POST", "/api/v1/me/password", json{{"current_password", from}, {"new_password", to}}.dump(), {},
                    session);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(api_security_policy_tests)

BOOST_FIXTURE_TEST_CASE(iam2_security_policy_get_answers_the_defaults, PolicyFixture)
{
    auto session = login(owner_a);
    auto r = call("GET", policy_path(agency_a), {}, {}, session);
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.header("ETag").value_or("") == "\"0\"");
    auto body = json::parse(r.body);
    BOOST_TEST(body["agency_id"] == agency_a);
    BOOST_TEST(body["password_profile"] == "classic");
    BOOST_TEST(body["password_min_length"] == 8);
    BOOST_TEST(body["password_required_classes"] == json({"lower", "upper", "digit", "special"}));
    BOOST_TEST(body["password_history"] == 0);
    BOOST_TEST(body["password_max_age_days"] == 0);
    BOOST_TEST(body["require_2fa"] == false);
    BOOST_TEST(body["session_idle_minutes"] == 30);
    BOOST_TEST(body["session_absolute_hours"] == 12);
    BOOST_TEST(body["version"] == 0);
    BOOST_TEST(body["updated_at"].is_null());
    BOOST_TEST(me(session)["restrictions"] == json::array());
}

BOOST_FIXTURE_TEST_CASE(iam6_security_policy_patch_as_owner_saves_and_audits_old_and_new, PolicyFixture)
{
    auto session = login(owner_a); // login counts as a fresh re-authentication
    json patch{{"password_min_length", 12}, {"password_required_classes", {"lower", "digit"}}, {"password_history", 3},
               {"require_2fa", false}, {"session_idle_minutes", 15}};
    auto r = call("PATCH", policy_path(agency_a), patch.dump(), {{"If-Match", "\"0\""}}, session);
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    BOOST_TEST(r.header("ETag").value_or("") == "\"1\"");
    auto body = json::parse(r.body);
    BOOST_TEST(body["password_min_length"] == 12);
    BOOST_TEST(body["password_required_classes"] == json({"lower", "digit"}));
    BOOST_TEST(body["password_history"] == 3);
    BOOST_TEST(body["session_idle_minutes"] == 15);
    BOOST_TEST(body["session_absolute_hours"] == 12); // untouched fields keep their values
    BOOST_TEST(body["version"] == 1);
    BOOST_TEST(body["updated_at"].is_string());
    BOOST_TEST(json::parse(call("GET", policy_path(agency_a), {}, {}, session).body) == body);
    // Agency B still has the defaults.
    auto b = json::parse(call("GET", policy_path(agency_b), {}, {}, login(owner_b)).body);
    BOOST_TEST(b["password_min_length"] == 8);

    BOOST_TEST_REQUIRE(audit_count(agency_a, "security_policy.updated") == 1u);
    for (const auto& e : store->audit_entries(agency_a, 50)) {
        if (e.action != "security_policy.updated")
            continue;
        BOOST_TEST(e.actor.id == owner_a_id);
        BOOST_TEST(e.target_id == agency_a);
        // require_2fa was sent with its current value: not a change.
        BOOST_TEST(e.details["fields"] == json({"password_history", "password_min_length", "password_required_classes",
                                                "session_idle_minutes"}));
        BOOST_TEST(e.details["changes"]["password_min_length"] == json({{"old", 8}, {"new", 12}}));
        BOOST_TEST(e.details["changes"]["session_idle_minutes"] == json({{"old", 30}, {"new", 15}}));
    }

    // The one-click NIST profile: 15+ characters, no composition rules.
    auto nist = call("PATCH", policy_path(agency_a), json{{"password_profile", "nist_800_63b"}}.dump(),
                     {{"If-Match", "\"1\""}}, session);
    BOOST_TEST_REQUIRE(nist.status == 200, nist.body);
    auto n = json::parse(nist.body);
    BOOST_TEST(n["password_profile"] == "nist_800_63b");
    BOOST_TEST(n["password_min_length"] == 15);
    BOOST_TEST(n["password_required_classes"] == json::array());
    // A patch that changes nothing writes nothing.
    auto same = call("PATCH", policy_path(agency_a), json{{"password_history", 3}}.dump(), {{"If-Match", "\"2\""}}, session);
    BOOST_TEST(same.status == 200);
    BOOST_TEST(json::parse(same.body)["version"] == 2);
    BOOST_TEST(audit_count(agency_a, "security_policy.updated") == 2u);
}

BOOST_FIXTURE_TEST_CASE(iam6_security_policy_patch_needs_a_recent_reauth, PolicyFixture)
{
    auto session = login(owner_a);
    now += 6 * k_minute; // past the 5-minute window, within the 30-minute idle timeout
    auto r = call("PATCH", policy_path(agency_a), json{{"require_2fa", true}}.dump(), {{"If-Match", "\"0\""}}, session);
    BOOST_TEST(r.status == 401);
    BOOST_TEST(error_code(r) == "reauth_required");
    BOOST_TEST(audit_count(agency_a, "security_policy.updated") == 0u);
    // Reading needs no re-authentication.
    BOOST_TEST(call("GET", policy_path(agency_a), {}, {}, session).status == 200);
    BOOST_TEST_REQUIRE(call("POST", "/api/v1/auth/reauth", json{{"password", k_password}}.dump(), {}, session).status == 204);
    r = call("PATCH", policy_path(agency_a), json{{"require_2fa", true}}.dump(), {{"If-Match", "\"0\""}}, session);
    BOOST_TEST(r.status == 200);
    BOOST_TEST(json::parse(r.body)["require_2fa"] == true);
}

BOOST_FIXTURE_TEST_CASE(iam6_security_policy_is_403_inside_the_agency_and_404_outside, PolicyFixture)
{
    const auto patch = json{{"require_2fa", true}}.dump();
    for (const auto& email : {user_a1, reader_a1, agency_user_a}) {
        auto s = login(email);
        auto get = call("GET", policy_path(agency_a), {}, {}, s);
        BOOST_TEST(get.status == 403, email);
        BOOST_TEST(error_code(get) == "forbidden");
        BOOST_TEST(call("PATCH", policy_path(agency_a), patch, {{"If-Match", "\"0\""}}, s).status == 403, email);
    }
    auto b = login(owner_b);
    BOOST_TEST(call("GET", policy_path(agency_a), {}, {}, b).status == 404);
    BOOST_TEST(call("PATCH", policy_path(agency_a), patch, {{"If-Match", "\"0\""}}, b).status == 404);
    BOOST_TEST(call("GET", policy_path("ag_doesnotexist"), {}, {}, b).status == 404);
    BOOST_TEST(call("GET", policy_path("not-an-id"), {}, {}, b).status == 404);
    BOOST_TEST(call("GET", policy_path(agency_a)).status == 401); // no session
    BOOST_TEST(audit_count(agency_a, "security_policy.updated") == 0u);
    BOOST_TEST(json::parse(call("GET", policy_path(agency_a), {}, {}, login(owner_a)).body)["require_2fa"] == false);
}

BOOST_FIXTURE_TEST_CASE(iam2_security_policy_bad_values_are_422_naming_the_field, PolicyFixture)
{
    auto session = login(owner_a);
    const std::vector<std::pair<json, std::string>> cases = {
        {{{"password_min_length", 7}}, "password_min_length"},
        {{{"password_min_length", 129}}, "password_min_length"},
        {{{"password_min_length", "12"}}, "password_min_length"},
        {{{"password_min_length", 12.5}}, "password_min_length"},
        {{{"password_required_classes", {"lower", "emoji"}}}, "password_required_classes"},
        {{{"password_required_classes", {"lower", "lower"}}}, "password_required_classes"},
        {{{"password_required_classes", "lower"}}, "password_required_classes"},
        {{{"password_history", -1}}, "password_history"},
        {{{"password_history", 25}}, "password_history"},
        {{{"password_max_age_days", 3651}}, "password_max_age_days"},
        {{{"require_2fa", "yes"}}, "require_2fa"},
        {{{"require_2fa", nullptr}}, "require_2fa"},
        {{{"session_idle_minutes", 4}}, "session_idle_minutes"},
        {{{"session_idle_minutes", 1441}}, "session_idle_minutes"},
        {{{"session_absolute_hours", 0}}, "session_absolute_hours"},
        {{{"session_absolute_hours", 721}}, "session_absolute_hours"},
        {{{"password_profile", "strong"}}, "password_profile"},
        {{{"password_profile", "nist_800_63b"}, {"password_min_length", 12}}, "password_min_length"},
        {{{"version", 5}}, "version"}, // read-only
        {{{"lockout", true}}, "lockout"},
        {json::array(), "body"},
    };
    for (const auto& [patch, field] : cases) {
        auto r = call("PATCH", policy_path(agency_a), patch.dump(), {{"If-Match", "\"0\""}}, session);
        BOOST_TEST(r.status == 422, patch.dump());
        BOOST_TEST(error_code(r) == "validation_failed", patch.dump());
        BOOST_TEST(error_field(r) == field, patch.dump());
    }
    BOOST_TEST(call("PATCH", policy_path(agency_a), "{", {{"If-Match", "\"0\""}}, session).status == 400);
    // If-Match as for records: required, and must name the current version.
    const auto ok = json{{"password_history", 2}}.dump();
    auto missing = call("PATCH", policy_path(agency_a), ok, {}, session);
    BOOST_TEST(missing.status == 428);
    auto stale = call("PATCH", policy_path(agency_a), ok, {{"If-Match", "\"3\""}}, session);
    BOOST_TEST(stale.status == 412);
    BOOST_TEST(json::parse(stale.body)["current"]["version"] == 0);
    BOOST_TEST(call("PATCH", policy_path(agency_a), ok, {{"If-Match", "W/\"0\""}}, session).status == 412);
    BOOST_TEST(audit_count(agency_a, "security_policy.updated") == 0u);
    BOOST_TEST(json::parse(call("GET", policy_path(agency_a), {}, {}, session).body)["version"] == 0);
}

BOOST_FIXTURE_TEST_CASE(iam3_require_2fa_restricts_a_user_to_enrolment_until_enabled, PolicyFixture)
{
    auto before = login(user_a1);
    BOOST_TEST(contacts(before).status == 200);
    set_policy({{"require_2fa", true}});
    // Computed per request: the already-open session is restricted too.
    auto r = contacts(before);
    BOOST_TEST(r.status == 403);
    BOOST_TEST(error_code(r) == "mfa_enrolment_required");

    auto session = login(user_a1); // the password step alone gives a restricted session
    BOOST_TEST(me(session)["restrictions"] == json({"mfa_enrolment_required"}));
    BOOST_TEST(error_code(contacts(session)) == "mfa_enrolment_required");
    BOOST_TEST(error_code(call("GET", "/api/v1/me/sessions", {}, {}, session)) == "mfa_enrolment_required");
    BOOST_TEST(error_code(call("POST", "/api/v1/accounts/" + account_a1 + "/contacts",
                               json{{"first_name", "X"}}.dump(), {}, session)) == "mfa_enrolment_required");

    // Enrolment is allowed (login counted as the re-authentication it needs).
    auto enrol = call("POST", "/api/v1/me/2fa/totp", {}, {}, session);
    BOOST_TEST_REQUIRE(enrol.status == 200, enrol.body);
    auto seed = auth::base32_decode(json::parse(enrol.body)["secret"].get<std::string>()).value();
    auto code = auth::totp_code(seed, now.load() / 1000);
    auto confirm = call("POST", "/api/v1/me/2fa/totp/confirm", json{{"code", code}}.dump(), {}, session);
    BOOST_TEST_REQUIRE(confirm.status == 200, confirm.body);

    BOOST_TEST(me(session)["restrictions"] == json::array());
    BOOST_TEST(contacts(session).status == 200);
    // Others without 2FA stay restricted; the owner too (no exemption for admins).
    BOOST_TEST(me(login(reader_a1))["restrictions"] == json({"mfa_enrolment_required"}));
    // Another agency's users are not affected.
    BOOST_TEST(me(login(owner_b))["restrictions"] == json::array());
}

BOOST_FIXTURE_TEST_CASE(iam2_stricter_min_length_is_enforced_on_password_change, PolicyFixture)
{
    set_policy({{"password_min_length", 14}});
    auto session = login(user_a1);
    auto short_one = change_password(session, k_password, "Tulip-Gard-7x"); // 13
    BOOST_TEST(short_one.status == 422);
    BOOST_TEST(error_field(short_one) == "new_password");
    BOOST_TEST(json::parse(short_one.body)["error"]["message"].get<std::string>().find("14") != std::string::npos);
    BOOST_TEST(change_password(session, k_password, "Tulip-Garden-7").status == 204); // 14
    BOOST_TEST(login(user_a1, "Tulip-Garden-7").size() > 0u);
}

BOOST_FIXTURE_TEST_CASE(iam2_history_of_2_refuses_the_last_two_passwords_and_accepts_a_third, PolicyFixture)
{
    set_policy({{"password_history", 2}});
    const std::string p1 = "Maple-Orbit-51", p2 = "Cedar-Quartz-73";
    auto session = login(user_a1);
    BOOST_TEST_REQUIRE(change_password(session, k_password, p1).status == 204);
    for (const auto& reused : {k_password, p1.c_str()}) {
        auto r = change_password(session, p1, reused);
        BOOST_TEST(r.status == 422, reused);
        BOOST_TEST(error_field(r) == "new_password");
        BOOST_TEST(json::parse(r.body)["error"]["message"] == "was used recently");
    }
    BOOST_TEST_REQUIRE(change_password(session, p1, p2).status == 204);
    // The last two are now p2 and p1: the first password is free again.
    BOOST_TEST(change_password(session, p2, p1).status == 422);
    BOOST_TEST(change_password(session, p2, k_password).status == 204);
    BOOST_TEST(login(user_a1, k_password).size() > 0u);
}

BOOST_FIXTURE_TEST_CASE(iam2_max_age_restricts_the_session_to_a_password_change, PolicyFixture)
{
    set_policy({{"password_max_age_days", 30}});
    // The fixture's users set their password long ago: already too old.
    auto session = login(user_a1);
    BOOST_TEST(me(session)["restrictions"] == json({"password_change_required"}));
    auto r = contacts(session);
    BOOST_TEST(r.status == 403);
    BOOST_TEST(error_code(r) == "forbidden");
    BOOST_TEST(json::parse(r.body)["error"]["message"] == "password change required");
    BOOST_TEST(call("POST", "/api/v1/me/2fa/totp", {}, {}, session).status == 403);

    const std::string fresh = "Willow-Comet-88";
    BOOST_TEST_REQUIRE(change_password(session, k_password, fresh).status == 204);
    BOOST_TEST(me(session)["restrictions"] == json::array());
    BOOST_TEST(contacts(session).status == 200);

    now += 29 * k_day; // a new login (the old session is past its absolute timeout)
    auto later = login(user_a1, fresh);
    BOOST_TEST(me(later)["restrictions"] == json::array());
    now += 1 * k_day + k_minute;
    auto expired = login(user_a1, fresh);
    BOOST_TEST(me(expired)["restrictions"] == json({"password_change_required"}));
    BOOST_TEST(contacts(expired).status == 403);
}

BOOST_FIXTURE_TEST_CASE(iam5_agency_session_timeouts_apply, PolicyFixture)
{
    set_policy({{"session_idle_minutes", 5}, {"session_absolute_hours", 1}});
    auto session = login(user_a1);
    now += 4 * k_minute;
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, session).status == 200); // use resets idle time
    now += 5 * k_minute;
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, session).status == 401);

    // Absolute: kept busy every 4 minutes, the session still ends after 1 hour.
    auto busy = login(user_a1);
    const auto start = now.load();
    while (now.load() - start < 56 * k_minute) {
        now += 4 * k_minute;
        BOOST_TEST_REQUIRE(call("GET", "/api/v1/me", {}, {}, busy).status == 200);
    }
    now += 4 * k_minute + 1;
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, busy).status == 401);
    // Agency B keeps the 30-minute default.
    auto b = login(owner_b);
    now += 20 * k_minute;
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, b).status == 200);
}

BOOST_FIXTURE_TEST_CASE(iam5_session_cookie_lives_as_long_as_the_agency_absolute_timeout, PolicyFixture)
{
    set_policy({{"session_absolute_hours", 24}});
    auto r = call("POST", "/api/v1/auth/login", json{{"email", user_a1}, {"password", k_password}}.dump());
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.header("Set-Cookie").value_or("").find("; Max-Age=86400") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(iam2_every_password_write_keeps_history_newest_first_capped_at_24, PolicyFixture)
{
    // The admin CLI's path (set_password_hash) feeds the history too: the trigger sees every write.
    BOOST_TEST(store->previous_password_hashes(user_a1_id, 30).empty());
    const auto first_hash = store->find_credentials_by_email(user_a1)->password_hash;
    for (int i = 0; i < 26; ++i)
        BOOST_TEST_REQUIRE(store->set_password_hash(user_a1_id, "h" + std::to_string(i), {"cli", "", "", ""}).ok());
    auto history = store->previous_password_hashes(user_a1_id, 30);
    BOOST_TEST_REQUIRE(history.size() == 24u); // validate::k_password_history_max
    BOOST_TEST(history.front() == "h24");       // the current one ("h25") is not history
    BOOST_TEST(history.back() == "h1");
    BOOST_TEST(std::count(history.begin(), history.end(), first_hash) == 0);
    BOOST_TEST(store->previous_password_hashes(user_a1_id, 2) == std::vector<std::string>({"h24", "h23"}));
    BOOST_TEST(store->previous_password_hashes(owner_a_id, 30).empty()); // per user
    BOOST_TEST(*store->password_changed_at(user_a1_id) > 1); // was the creation time (1)
    BOOST_TEST(!store->password_changed_at("us_nobody").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

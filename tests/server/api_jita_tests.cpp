// Platform staff and just-in-time access (ACC-3..ACC-6) over the API: staff created by
// `stronghold admin create-staff` (in-process), signed in with their TOTP code, asking for a
// grant, the agency approving, denying and revoking it, expiry, the actions refused under a
// grant (ACC-4), the audit rows naming the grant, and risk monitoring (ACC-5).
#include "api_fixture.hpp"

#include "app/router.hpp"
#include "app/security_events.hpp"
#include "auth/totp.hpp"
#include "cli/admin.hpp"
#include "live/hub.hpp"

#include <boost/test/unit_test.hpp>

#include <regex>
#include <sstream>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

std::string error_code(const Response& r)
{
    auto j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}

std::string cookie_token(const Response& r)
{
    auto cookie = r.header("Set-Cookie").value_or("");
    auto start = cookie.find('=') + 1;
    return cookie.substr(start, cookie.find(';') - start);
}

struct Staff {
    std::string id;
    std::string email;
    std::string seed; // raw TOTP seed
    std::string session;
};

struct JitaFixture : ApiFixture {
    std::string owner; // owner of agency A, signed in

    JitaFixture() { owner = login(owner_a); }

    // `stronghold admin create-staff`, then a two-step login (password, then the TOTP code).
    Staff make_staff(const std::string& email, const std::string& role = "support")
    {
        std::istringstream in(std::string(k_password) + "\n");
        std::ostringstream out, err;
        const int rc = admin_main({"create-staff", "--data", dir.path.string(), "--email", email, "--role", role,
                                   "--password-stdin"},
                                  in, out, err);
        BOOST_REQUIRE_MESSAGE(rc == 0, "create-staff -> " + std::to_string(rc) + " " + err.str());
        auto printed = json::parse(out.str());
        Staff s;
        s.id = printed.at("id").get<std::string>();
        s.email = email;
        auto seed = auth::base32_decode(printed.at("totp_secret").get<std::string>());
        BOOST_REQUIRE(seed.has_value());
        s.seed = *seed;
        BOOST_TEST(printed.at("role") == role);
        BOOST_TEST(printed.at("otpauth_uri").get<std::string>().starts_with("otpauth://totp/"));
        s.session = login_staff(s);
        return s;
    }

    std::string login_staff(const Staff& s)
    {
        auto first = call("POST", "/api/v1/auth/login", json{{"email", s.email}, {"password", k_password}}.dump());
        BOOST_REQUIRE_MESSAGE(first.status == 200, first.body);
        auto body = json::parse(first.body);
        BOOST_REQUIRE_MESSAGE(body.value("mfa_required", false), "staff must always pass a second step");
        BOOST_TEST(!first.header("Set-Cookie").has_value());
        auto second = call("POST", "/api/v1/auth/login/totp",
                           json{{"mfa_token", body["mfa_token"]}, {"code", auth::totp_code(s.seed, now.load() / 1000)}}
                               .dump());
        BOOST_REQUIRE_MESSAGE(second.status == 200, second.body);
        return cookie_token(second);
    }

    Response request_grant(const Staff& s, const std::string& account, std::int64_t hours = 2,
                           const std::string& reason = "Ticket 4411: the import fails")
    {
        return call("POST", "/api/v1/staff/grants",
                    json{{"account_id", account}, {"reason", reason}, {"hours", hours}}.dump(), {}, s.session);
    }

    json granted(const Staff& s, const std::string& account, std::int64_t hours = 2)
    {
        auto r = request_grant(s, account, hours);
        BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
        auto g = json::parse(r.body);
        if (g["status"] == "pending") {
            auto a = decide(g["id"], "approve");
            BOOST_REQUIRE_MESSAGE(a.status == 200, a.body);
            g = json::parse(a.body);
        }
        BOOST_REQUIRE(g["status"] == "active");
        return g;
    }

    Response decide(const json& grant_id, const std::string& what, const std::string& session = {})
    {
        return call("POST", "/api/v1/agencies/" + agency_a + "/grants/" + grant_id.get<std::string>() + "/" + what, "",
                    {}, session.empty() ? owner : session);
    }

    void set_requires_approval(bool on)
    {
        auto get = call("GET", "/api/v1/agencies/" + agency_a + "/security-policy", "", {}, owner);
        BOOST_REQUIRE(get.status == 200);
        BOOST_TEST(json::parse(get.body).contains("jita_requires_approval"));
        auto r = call("PATCH", "/api/v1/agencies/" + agency_a + "/security-policy",
                      json{{"jita_requires_approval", on}}.dump(), {{"If-Match", get.header("ETag").value_or("")}},
                      owner);
        BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
        BOOST_TEST(json::parse(r.body)["jita_requires_approval"] == on);
    }

    Response contacts(const Staff& s, const std::string& account)
    {
        return call("GET", "/api/v1/accounts/" + account + "/contacts", "", {}, s.session);
    }

    // Steps the clock in 20-minute strides (each touching the session, idle timeout 30 min).
    void advance_minutes(const Staff& s, int minutes)
    {
        while (minutes > 0) {
            const int step = std::min(minutes, 20);
            now += step * 60'000LL;
            minutes -= step;
            BOOST_REQUIRE(call("GET", "/api/v1/me", "", {}, s.session).status == 200);
            BOOST_REQUIRE(call("GET", "/api/v1/me", "", {}, owner).status == 200);
        }
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(api_jita)

BOOST_FIXTURE_TEST_CASE(ACC3_create_staff_always_with_2fa_and_no_customer_data_without_grant, JitaFixture)
{
    auto s = make_staff("ops@platform.test", "support");
    auto me = json::parse(call("GET", "/api/v1/me", "", {}, s.session).body);
    BOOST_TEST(me["staff"]["role"] == "support");
    BOOST_TEST(me["grants"].empty());
    BOOST_TEST(me["accounts"].empty());
    BOOST_TEST(me["user"]["totp_enabled"] == true);
    // 2FA cannot be turned off (reauth is fresh: the refusal is about staff, not the proof).
    auto off = call("DELETE", "/api/v1/me/2fa/totp", "", {}, s.session);
    BOOST_TEST(off.status == 403);
    BOOST_TEST(store->find_totp(s.id)->enabled);

    // ACC-6: aggregate figures only.
    auto overview = call("GET", "/api/v1/staff/overview", "", {}, s.session);
    BOOST_REQUIRE_MESSAGE(overview.status == 200, overview.body);
    auto o = json::parse(overview.body);
    BOOST_TEST(o["agencies"] == 2);
    BOOST_TEST(o["accounts"] == 3);
    BOOST_TEST(o["active_grants"] == 0);
    for (const auto& [k, v] : o.items())
        BOOST_TEST(v.is_number_integer(), k); // counts, never records
    // No sub-account, agency or record without a grant.
    auto refused = contacts(s, account_a1);
    BOOST_TEST(refused.status == 403);
    BOOST_TEST(refused.body.find("grant") != std::string::npos);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_a + "/audit", "", {}, s.session).status == 404);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_a + "/grants", "", {}, s.session).status == 404);

    // The staff API is for staff: a tenant owner gets 403 on it.
    BOOST_TEST(call("GET", "/api/v1/staff/overview", "", {}, owner).status == 403);
    BOOST_TEST(call("POST", "/api/v1/staff/grants", json{{"account_id", account_a1}, {"reason", "x"}, {"hours", 1}}.dump(),
                    {}, owner)
                   .status == 403);
    BOOST_TEST(audit_count("", "staff.created") == 1);
}

BOOST_FIXTURE_TEST_CASE(ACC3_create_staff_cli_refuses_bad_input, JitaFixture)
{
    std::istringstream in(std::string(k_password) + "\n");
    std::ostringstream out, err;
    BOOST_TEST(admin_main({"create-staff", "--data", dir.path.string(), "--email", "x@platform.test", "--role",
                           "agency_owner", "--password-stdin"},
                          in, out, err) == 2);
    BOOST_TEST(err.str().find("--role") != std::string::npos);
    std::istringstream weak("short\n");
    BOOST_TEST(admin_main({"create-staff", "--data", dir.path.string(), "--email", "x@platform.test", "--role",
                           "support", "--password-stdin"},
                          weak, out, err) == 1);
    make_staff("dup@platform.test");
    std::istringstream again(std::string(k_password) + "\n");
    std::ostringstream err2;
    BOOST_TEST(admin_main({"create-staff", "--data", dir.path.string(), "--email", "dup@platform.test", "--role",
                           "support", "--password-stdin"},
                          again, out, err2) == 1);
    BOOST_TEST(err2.str().find("conflict") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(ACC3_grant_request_validation_25_hours_refused, JitaFixture)
{
    auto s = make_staff("ops@platform.test");
    auto r25 = request_grant(s, account_a1, 25);
    BOOST_TEST(r25.status == 422);
    BOOST_TEST(error_code(r25) == "validation_failed");
    BOOST_TEST(json::parse(r25.body)["error"]["field"] == "hours");
    BOOST_TEST(json::parse(request_grant(s, account_a1, 0).body)["error"]["field"] == "hours");
    auto no_reason = request_grant(s, account_a1, 2, "  ");
    BOOST_TEST(no_reason.status == 422);
    BOOST_TEST(json::parse(no_reason.body)["error"]["field"] == "reason");
    auto half = call("POST", "/api/v1/staff/grants", json{{"account_id", account_a1}, {"reason", "r"}, {"hours", 1.5}}.dump(),
                     {}, s.session);
    BOOST_TEST(json::parse(half.body)["error"]["field"] == "hours");
    auto extra = call("POST", "/api/v1/staff/grants",
                      json{{"account_id", account_a1}, {"reason", "r"}, {"hours", 1}, {"role", "agency_owner"}}.dump(),
                      {}, s.session);
    BOOST_TEST(json::parse(extra.body)["error"]["field"] == "role");
    BOOST_TEST(request_grant(s, "ac_aaaaaaaaaaaaaaaaaaaaaaaaaa").status == 404);
    BOOST_TEST(json::parse(request_grant(s, "not-an-id").body)["error"]["field"] == "account_id");
    BOOST_TEST(call("POST", "/api/v1/staff/grants", "{", {}, s.session).status == 400);
    BOOST_TEST(store->grants_of_staff(s.id, 10).empty()); // nothing stored by a refused request
}

BOOST_FIXTURE_TEST_CASE(ACC3_approval_flow_pending_until_the_agency_approves, JitaFixture)
{
    auto s = make_staff("ops@platform.test");
    auto r = request_grant(s, account_a1, 3);
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
    auto g = json::parse(r.body);
    BOOST_TEST(g["status"] == "pending"); // approval is on by default
    BOOST_TEST(g["expires_at"].is_null());
    BOOST_TEST(g["account_name"].get<std::string>().size() > 0);
    BOOST_TEST(g["staff_email"] == "ops@platform.test");
    BOOST_TEST(contacts(s, account_a1).status == 403);
    // A second request for the same sub-account while one waits: 409.
    BOOST_TEST(request_grant(s, account_a1).status == 409);

    // The agency sees it (pending first); members without manage_security do not.
    auto list = call("GET", "/api/v1/agencies/" + agency_a + "/grants", "", {}, owner);
    BOOST_REQUIRE(list.status == 200);
    BOOST_TEST(json::parse(list.body)["items"][0]["id"] == g["id"]);
    auto user = login(user_a1);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_a + "/grants", "", {}, user).status == 403);
    BOOST_TEST(decide(g["id"], "approve", user).status == 403);
    auto other = login(owner_b);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_a + "/grants", "", {}, other).status == 404);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_b + "/grants", "", {}, other).status == 200);
    BOOST_TEST(json::parse(call("GET", "/api/v1/agencies/" + agency_b + "/grants", "", {}, other).body)["items"].empty());
    BOOST_TEST(call("POST", "/api/v1/agencies/" + agency_b + "/grants/" + g["id"].get<std::string>() + "/approve", "", {},
                    other)
                   .status == 404); // another agency's grant id

    // Approving is a critical action: a stale proof answers reauth_required.
    now += 6 * 60'000;
    BOOST_REQUIRE(call("GET", "/api/v1/me", "", {}, s.session).status == 200);
    auto stale = decide(g["id"], "approve");
    BOOST_TEST(stale.status == 401);
    BOOST_TEST(error_code(stale) == "reauth_required");
    BOOST_REQUIRE(call("POST", "/api/v1/auth/reauth", json{{"password", k_password}}.dump(), {}, owner).status == 204);
    auto approved = decide(g["id"], "approve");
    BOOST_REQUIRE_MESSAGE(approved.status == 200, approved.body);
    auto a = json::parse(approved.body);
    BOOST_TEST(a["status"] == "active");
    BOOST_TEST(a["decided_by"] == owner_a_id);
    BOOST_TEST(a["expires_at"] == model::format_iso8601(now.load() + 3 * 3600'000LL)); // hours run from approval
    BOOST_TEST(decide(g["id"], "approve").status == 409);
    BOOST_TEST(decide(g["id"], "deny").status == 409);

    auto open = contacts(s, account_a1);
    BOOST_TEST(open.status == 200);
    auto me = json::parse(call("GET", "/api/v1/me", "", {}, s.session).body);
    BOOST_TEST(me["grants"].size() == 1);
    BOOST_TEST(me["accounts"].size() == 1);
    // One sub-account only: the sibling stays closed, and so does every agency route.
    BOOST_TEST(contacts(s, account_a2).status == 403);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_a + "/users", "", {}, s.session).status == 404);
    BOOST_TEST(audit_count(agency_a, "jita.requested") == 1);
    BOOST_TEST(audit_count(agency_a, "jita.approved") == 1);

    // Deny: a second staff member's request never opens anything.
    auto s2 = make_staff("ops2@platform.test");
    auto g2 = json::parse(request_grant(s2, account_a2).body);
    auto denied = decide(g2["id"], "deny");
    BOOST_REQUIRE(denied.status == 200);
    BOOST_TEST(json::parse(denied.body)["status"] == "denied");
    BOOST_TEST(contacts(s2, account_a2).status == 403);
    BOOST_TEST(decide(g2["id"], "approve").status == 409);
    BOOST_TEST(audit_count(agency_a, "jita.denied") == 1);
}

BOOST_FIXTURE_TEST_CASE(ACC3_without_required_approval_a_request_is_active_at_once, JitaFixture)
{
    set_requires_approval(false);
    auto s = make_staff("ops@platform.test");
    auto r = request_grant(s, account_a1, 1);
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
    auto g = json::parse(r.body);
    BOOST_TEST(g["status"] == "active");
    BOOST_TEST(g["expires_at"] == model::format_iso8601(now.load() + 3600'000LL));
    BOOST_TEST(contacts(s, account_a1).status == 200);
    BOOST_TEST(audit_count(agency_a, "jita.granted") == 1);
    // The agency still sees it.
    auto list = json::parse(call("GET", "/api/v1/agencies/" + agency_a + "/grants?status=active", "", {}, owner).body);
    BOOST_TEST(list["items"].size() == 1);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_a + "/grants?status=bogus", "", {}, owner).status == 422);
}

BOOST_FIXTURE_TEST_CASE(ACC3_expired_grant_is_refused_on_the_next_request, JitaFixture)
{
    auto s = make_staff("ops@platform.test");
    auto g = granted(s, account_a1, 1);
    BOOST_TEST(contacts(s, account_a1).status == 200);
    advance_minutes(s, 59);
    BOOST_TEST(contacts(s, account_a1).status == 200);
    advance_minutes(s, 1); // exactly the hour
    auto late = contacts(s, account_a1);
    BOOST_TEST(late.status == 403);
    auto list = json::parse(call("GET", "/api/v1/agencies/" + agency_a + "/grants", "", {}, owner).body);
    BOOST_TEST(list["items"][0]["status"] == "expired");
    BOOST_TEST(json::parse(call("GET", "/api/v1/me", "", {}, s.session).body)["grants"].empty());
    BOOST_TEST(decide(g["id"], "revoke").status == 409); // nothing left to revoke
    // A new request is possible once the old grant has expired.
    BOOST_TEST(request_grant(s, account_a1).status == 201);
}

BOOST_FIXTURE_TEST_CASE(ACC3_early_revoke_takes_effect_on_the_next_request, JitaFixture)
{
    auto s = make_staff("ops@platform.test");
    auto g = granted(s, account_a1, 24);
    BOOST_TEST(contacts(s, account_a1).status == 200);
    auto revoked = decide(g["id"], "revoke");
    BOOST_REQUIRE_MESSAGE(revoked.status == 200, revoked.body);
    auto r = json::parse(revoked.body);
    BOOST_TEST(r["status"] == "revoked");
    BOOST_TEST(r["revoked_by"] == owner_a_id);
    BOOST_TEST(contacts(s, account_a1).status == 403);
    BOOST_TEST(decide(g["id"], "revoke").status == 409);
    BOOST_TEST(audit_count(agency_a, "jita.revoked") == 1);
    // A pending request can be withdrawn by the agency too.
    auto p = json::parse(request_grant(s, account_a2).body);
    BOOST_TEST(json::parse(decide(p["id"], "revoke").body)["status"] == "revoked");
}

BOOST_FIXTURE_TEST_CASE(ACC4_every_high_risk_action_is_refused_under_jita_and_loses_nothing, JitaFixture)
{
    // Records to aim at, made by the owner.
    auto contact = create_contact(owner, account_a1, {{"first_name", "Ada"}, {"last_name", "Lovelace"}});
    std::map<std::string, std::string> ids{{"contacts", contact["id"]}};
    for (const auto& [path, body] : std::vector<std::pair<std::string, json>>{
             {"companies", {{"name", "Acme Ltd"}}}, {"tickets", {{"subject", "Printer on fire"}}}}) {
        auto r = call("POST", "/api/v1/accounts/" + account_a1 + "/" + path, body.dump(), {}, owner);
        BOOST_REQUIRE_MESSAGE(r.status == 201, path + " " + r.body);
        ids[path] = json::parse(r.body)["id"];
    }
    auto pl = call("POST", "/api/v1/accounts/" + account_a1 + "/pipelines",
                   json{{"name", "Sales"}, {"stages", {{{"name", "Lead"}}, {{"name", "Won"}}}}}.dump(), {}, owner);
    BOOST_REQUIRE_MESSAGE(pl.status == 201, pl.body);
    const auto pipeline = json::parse(pl.body);
    auto deal = call("POST", "/api/v1/accounts/" + account_a1 + "/deals",
                     json{{"name", "Big one"}, {"pipeline_id", pipeline["id"]}, {"stage_id", pipeline["stages"][0]["id"]}}
                         .dump(),
                     {}, owner);
    BOOST_REQUIRE_MESSAGE(deal.status == 201, deal.body);
    ids["deals"] = json::parse(deal.body)["id"];

    auto s = make_staff("ops@platform.test");
    auto g = granted(s, account_a1);
    const std::string base = "/api/v1/accounts/" + account_a1;
    struct Attempt {
        std::string method, target, body;
    };
    std::vector<Attempt> attempts{
        {"GET", base + "/contacts/export?format=csv", ""},
        {"GET", base + "/contacts/export?format=json", ""},
        {"POST", base + "/contacts/import", "{}"},
        {"POST", base + "/companies/import", "{}"},
        {"POST", base + "/deals/import", "{}"},
    };
    for (const auto& [path, id] : ids)
        attempts.push_back({"DELETE", base + "/" + path + "/" + id, ""});
    for (const char* path : {"companies", "deals", "tickets"})
        attempts.push_back({"POST", base + "/" + path + "/bulk",
                            json{{"ids", {ids[path]}}, {"action", "delete"}}.dump()});
    for (const auto& a : attempts) {
        auto r = call(a.method, a.target, a.body, {}, s.session);
        BOOST_TEST(r.status == 403, a.method << " " << a.target << " -> " << r.status << " " << r.body);
        BOOST_TEST(error_code(r) == "forbidden_under_jita", a.method << " " << a.target);
    }
    // Nothing was lost: every record is still there for the owner.
    for (const auto& [path, id] : ids)
        BOOST_TEST(call("GET", base + "/" + path + "/" + id, "", {}, owner).status == 200, path);

    // The guard comes from the route table: every export, every import and every delete of the
    // four objects carries one that core refuses (a new such route without it fails here).
    const std::regex risky(R"(^/api/v1/accounts/\{account_id\}/(contacts|companies|deals|tickets)/\{id\}$)");
    std::size_t guarded = 0;
    for (const auto& route : api_router().routes()) {
        const bool is_risky = route.pattern.ends_with("/export") ||
                              (route.method == "POST" && route.pattern.ends_with("/import")) ||
                              (route.method == "DELETE" && std::regex_match(route.pattern, risky));
        if (!is_risky)
            continue;
        BOOST_TEST_REQUIRE(route.jita_guard.has_value(), route.method << " " << route.pattern);
        BOOST_TEST(access::refused_under_jita(route.jita_guard->first, route.jita_guard->second), route.pattern);
        ++guarded;
    }
    BOOST_TEST(guarded == 8u);

    // What support may do works, and the audit names the staff member and the grant.
    auto current = call("GET", base + "/contacts/" + ids["contacts"], "", {}, s.session);
    BOOST_REQUIRE(current.status == 200);
    auto patched = call("PATCH", base + "/contacts/" + ids["contacts"], json{{"first_name", "Augusta"}}.dump(),
                        {{"If-Match", current.header("ETag").value_or("")}}, s.session);
    BOOST_REQUIRE_MESSAGE(patched.status == 200, patched.body);
    bool found = false;
    for (const auto& e : store->audit_entries(agency_a, 1000))
        if (e.action == "contact.update" && e.target_id == ids["contacts"]) {
            found = true;
            BOOST_TEST(e.actor.type == "staff");
            BOOST_TEST(e.actor.id == s.id);
            BOOST_TEST(e.grant_id == g["id"].get<std::string>());
        }
    BOOST_TEST(found);
    auto audit = call("GET", "/api/v1/accounts/" + account_a1 + "/audit?action=contact.update", "", {}, owner);
    BOOST_REQUIRE(audit.status == 200);
    auto row = json::parse(audit.body)["items"][0];
    BOOST_TEST(row["actor"]["type"] == "staff");
    BOOST_TEST(row["actor"]["grant_id"] == g["id"]);
}

BOOST_FIXTURE_TEST_CASE(ACC5_bulk_reads_under_a_grant_raise_an_event_and_block_the_staff_member, JitaFixture)
{
    auto s = make_staff("ops@platform.test");
    auto g = granted(s, account_a1);
    for (std::size_t i = 0; i + 1 < k_jita_read_burst; ++i)
        BOOST_REQUIRE(contacts(s, account_a1).status == 200);
    BOOST_TEST(audit_count(agency_a, "security.jita_bulk_read") == 0);
    BOOST_TEST(contacts(s, account_a1).status == 200); // the 100th read is answered, then flagged
    BOOST_TEST(audit_count(agency_a, "security.jita_bulk_read") == 1);
    auto events = json::parse(call("GET", "/api/v1/agencies/" + agency_a + "/security-events", "", {}, owner).body);
    bool seen = false;
    for (const auto& e : events["items"])
        if (e["kind"] == "jita_bulk_read") {
            seen = true;
            BOOST_TEST(e["severity"] == "high");
            BOOST_TEST(e["details"]["grant_id"] == g["id"]);
            BOOST_TEST(e["actor"]["type"] == "staff");
        }
    BOOST_TEST(seen);
    auto blocked = contacts(s, account_a1);
    BOOST_TEST(blocked.status == 429);
    BOOST_TEST(blocked.header("Retry-After").has_value());
}

BOOST_FIXTURE_TEST_CASE(ACC5_grants_on_many_accounts_in_an_hour_raise_an_event, JitaFixture)
{
    auto s = make_staff("ops@platform.test");
    BOOST_REQUIRE(request_grant(s, account_a1).status == 201);
    BOOST_REQUIRE(request_grant(s, account_a2).status == 201);
    BOOST_TEST(audit_count(agency_b, "security.jita_many_accounts") == 0);
    BOOST_TEST(audit_count(agency_a, "security.jita_many_accounts") == 0);
    BOOST_REQUIRE(request_grant(s, account_b1).status == 201);
    BOOST_TEST(audit_count(agency_b, "security.jita_many_accounts") == 1);

    // The operator console: security staff see every tenant's events; support does not.
    BOOST_TEST(call("GET", "/api/v1/staff/security-events", "", {}, s.session).status == 403);
    auto sec = make_staff("sec@platform.test", "security");
    auto console = call("GET", "/api/v1/staff/security-events?limit=50", "", {}, sec.session);
    BOOST_REQUIRE_MESSAGE(console.status == 200, console.body);
    bool found = false;
    const auto page = json::parse(console.body);
    for (const auto& e : page["items"])
        found = found || (e["kind"] == "jita_many_accounts" && e["agency_id"] == agency_b);
    BOOST_TEST(found, console.body);
    BOOST_TEST(call("GET", "/api/v1/staff/security-events?limit=0", "", {}, sec.session).status == 422);
}

namespace {

struct RecordingSink : LiveSink {
    std::vector<std::string> frames;
    bool closed = false;
    void send(std::shared_ptr<const std::string> frame) override { frames.push_back(*frame); }
    void close() override { closed = true; }
};

} // namespace

BOOST_AUTO_TEST_CASE(ACC3_a_live_socket_opened_under_a_grant_closes_when_it_ends)
{
    std::int64_t now = 1000;
    LiveHub hub;
    hub.set_clock([&] { return now; });
    auto staff = std::make_shared<RecordingSink>();
    auto member = std::make_shared<RecordingSink>();
    hub.subscribe({"ac_1", "us_staff", "h1", 2000}, staff);
    hub.subscribe({"ac_1", "us_member", "h2", 0}, member);
    hub.publish("ac_1", "one");
    BOOST_TEST(staff->frames.size() == 1u);
    now = 2000; // the grant's end: nothing more leaves for the staff member's socket
    hub.publish("ac_1", "two");
    BOOST_TEST(staff->frames.size() == 1u);
    BOOST_TEST(staff->closed);
    BOOST_TEST(member->frames.size() == 2u);
    BOOST_TEST(!member->closed);
    BOOST_TEST(hub.subscriber_count() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

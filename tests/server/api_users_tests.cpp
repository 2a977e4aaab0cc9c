// ACC-2/IAM-5 users administration through HttpApp in-process (real SQLite store, movable
// clock): invitations (mail, 7-day single-use links, re-send), access by core's rules (404
// outside the agency, 403 inside without the right, no owner grants by admins, account admins
// in their sub-account only), deactivation (sessions, sockets, generic login failure, per
// agency), the last owner, re-authentication for role changes, the sub-account 2FA requirement
// (IAM-3) and bad input naming the field.
#include "api_fixture.hpp"
#include "auth/secret_store.hpp"
#include "live/hub.hpp"
#include "mail/templates.hpp"

#include "stronghold/crypto/crypto.hpp"

#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <atomic>
#include <memory>
#include <string>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

constexpr const char* k_new_password = "Fresh-Invitee-Pass-7!";
constexpr model::UnixMillis k_day_ms = 24LL * 60 * 60 * 1000;

struct ClosedSink final : LiveSink {
    std::atomic<bool> closed{false};
    void send(std::shared_ptr<const std::string>) override {}
    void close() override { closed = true; }
};

struct UsersFixture : ApiFixture {
    UsersFixture() : secrets(dir.path.string())
    {
        admin_a_id = add_member(admin_a, agency_a, "", model::Role::agency_admin);
        account_admin_a1_id = add_member(account_admin_a1, "", account_a1, model::Role::account_admin);
    }

    std::string add_member(const std::string& email, const std::string& agency_id, const std::string& account_id,
                           model::Role role)
    {
        model::Membership m;
        m.agency_id = agency_id;
        m.account_id = account_id;
        m.account_agency_id = account_id.empty() ? "" : agency_a;
        m.role = role;
        model::User u{crypto::random_id("us"), email, email.substr(0, email.find('@')), true, 1};
        m.user_id = u.id;
        auto made = store->create_user(u, crypto::password_hash(k_password, {1, 1u << 20}), m, {"cli", "", "", ""});
        BOOST_REQUIRE(made.ok());
        return u.id;
    }

    std::string users_path(const std::string& agency = {}) { return "/api/v1/agencies/" + (agency.empty() ? agency_a : agency) + "/users"; }
    std::string user_path(const std::string& id, const std::string& agency = {}) { return users_path(agency) + "/" + id; }
    std::string policy_path(const std::string& account) { return "/api/v1/accounts/" + account + "/security-policy"; }

    Response invite(const std::string& session, const json& body, const std::string& agency = {})
    {
        return call("POST", users_path(agency), body.dump(), {}, session);
    }

    // The token of the one pending invite mail to `email` (opened from the sealed outbox data, as
    // the SMTP sender does); the mail is then marked sent.
    std::string invite_token(const std::string& email)
    {
        std::vector<OutboxMail> found;
        for (auto& p : store->pending_mail(now, 100))
            if (p.mail.template_name == "invite" && p.mail.to_addr == email)
                found.push_back(p.mail);
        BOOST_REQUIRE_EQUAL(found.size(), 1u);
        const auto& mail = found.front();
        BOOST_TEST(mail.data.dump().find("token") == std::string::npos); // sealed, never in clear
        auto link = secrets.open(invite_link_context(mail.id), mail.data.at("sealed_link").get<std::string>());
        BOOST_REQUIRE(link.ok());
        BOOST_REQUIRE(link->starts_with(std::string("https://") + k_host + "/invite.html#token="));
        BOOST_REQUIRE(store->mark_mail_sent(mail.id, now).ok());
        return link->substr(link->find("#token=") + 7);
    }

    Response accept(const std::string& token, const std::string& password = k_new_password,
                    const std::string& name = "New Person")
    {
        return call("POST", "/api/v1/auth/invite/accept",
                    json{{"token", token}, {"name", name}, {"password", password}}.dump());
    }

    Response inspect(const std::string& token)
    {
        return call("POST", "/api/v1/auth/invite/inspect", json{{"token", token}}.dump());
    }

    Response patch_user(const std::string& session, const std::string& id, const json& body)
    {
        return call("PATCH", user_path(id), body.dump(), {}, session);
    }

    Response login_raw(const std::string& email, const std::string& password = k_password)
    {
        return call("POST", "/api/v1/auth/login", json{{"email", email}, {"password", password}}.dump());
    }

    static std::string cookie_token(const Response& r)
    {
        auto cookie = r.header("Set-Cookie").value_or("");
        auto start = cookie.find('=') + 1;
        return cookie.substr(start, cookie.find(';') - start);
    }

    // Invites `email` as account_user of a1 (as the owner) and returns {user id, token}.
    std::pair<std::string, std::string> invited(const std::string& email)
    {
        auto r = invite(login(owner_a), {{"email", email}, {"role", "account_user"}, {"account_id", account_a1}});
        BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
        return {json::parse(r.body)["user"]["id"].get<std::string>(), invite_token(email)};
    }

    SodiumSecretStore secrets;
    std::string admin_a = "admin@a.test", account_admin_a1 = "acadmin@a1.test";
    std::string admin_a_id, account_admin_a1_id;
};

std::string code_of(const Response& r)
{
    auto e = api::error_from_json(json::parse(r.body, nullptr, false));
    return e ? std::string(api::to_string(e->code)) : "";
}

std::string field_of(const Response& r)
{
    auto e = api::error_from_json(json::parse(r.body, nullptr, false));
    return e ? e->field : "";
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(api_users_tests, UsersFixture)

// [SECTION] Invitations

BOOST_AUTO_TEST_CASE(acc2_invite_mails_a_link_accept_opens_a_session_and_login_works)
{
    const auto owner = login(owner_a);
    auto r = invite(owner, {{"email", "  New@A.test"}, {"role", "account_user"}, {"account_id", account_a1}});
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
    auto body = json::parse(r.body);
    BOOST_TEST(body["user"]["email"] == "new@a.test");
    BOOST_TEST(body["user"]["status"] == "invited");
    BOOST_TEST(body["user"]["last_login_at"].is_null());
    BOOST_TEST(body["user"]["memberships"] == json::parse(R"([{"account_id":")" + account_a1 + R"(","role":"account_user"}])"));
    BOOST_TEST(body["invite"]["expires_at"] == model::format_iso8601(now + 7 * k_day_ms));
    BOOST_TEST(r.header("Location").value_or("") == user_path(body["user"]["id"]));
    BOOST_TEST(audit_count(agency_a, "user.invited") == 1u);
    // No password yet: signing in fails like any wrong password.
    BOOST_TEST(login_raw("new@a.test").status == 401);

    const auto token = invite_token("new@a.test");
    BOOST_TEST(!store->find_invite(token).has_value()); // stored by hash only
    auto seen = inspect(token);
    BOOST_REQUIRE_MESSAGE(seen.status == 200, seen.body);
    BOOST_TEST(json::parse(seen.body) == (json{{"email", "new@a.test"}, {"agency_name", "Agency A"},
                                               {"expires_at", model::format_iso8601(now + 7 * k_day_ms)}}));

    auto accepted = accept(token);
    BOOST_REQUIRE_MESSAGE(accepted.status == 200, accepted.body);
    BOOST_TEST(json::parse(accepted.body)["user"]["name"] == "New Person");
    BOOST_TEST(json::parse(accepted.body)["restrictions"] == json::array());
    const auto session = cookie_token(accepted);
    BOOST_TEST(session.size() == 43u);
    BOOST_TEST(call("GET", "/api/v1/accounts/" + account_a1 + "/contacts", {}, {}, session).status == 200);
    BOOST_TEST(audit_count(agency_a, "user.invite_accepted") == 1u);
    BOOST_TEST(audit_count(agency_a, "auth.login") >= 2u); // the owner's and the invitee's

    BOOST_TEST(login_raw("new@a.test", k_new_password).status == 200);
    auto list = json::parse(call("GET", users_path(), {}, {}, owner).body);
    for (const auto& u : list["items"])
        if (u["email"] == "new@a.test") {
            BOOST_TEST(u["status"] == "active");
            BOOST_TEST(!u["last_login_at"].is_null());
        }
}

BOOST_AUTO_TEST_CASE(acc2_invite_link_expires_after_seven_days)
{
    auto [id, token] = invited("late@a.test");
    now += 7 * k_day_ms + 1;
    auto seen = inspect(token);
    BOOST_TEST(seen.status == 422);
    BOOST_TEST(field_of(seen) == "token");
    auto r = accept(token);
    BOOST_TEST(r.status == 422);
    BOOST_TEST(field_of(r) == "token");
    BOOST_TEST(!r.header("Set-Cookie").has_value());
}

BOOST_AUTO_TEST_CASE(acc2_invite_link_works_once)
{
    auto [id, token] = invited("once@a.test");
    BOOST_REQUIRE(accept(token).status == 200);
    auto again = accept(token, "Another-Pass-word-9!");
    BOOST_TEST(again.status == 422);
    BOOST_TEST(field_of(again) == "token");
    BOOST_TEST(inspect(token).status == 422);
    BOOST_TEST(login_raw("once@a.test", k_new_password).status == 200); // the first password stands
}

BOOST_AUTO_TEST_CASE(acc2_resend_invalidates_the_old_link)
{
    auto [id, first] = invited("again@a.test");
    auto r = call("POST", user_path(id) + "/invite", {}, {}, login(owner_a));
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    BOOST_TEST(json::parse(r.body)["invite"].contains("expires_at"));
    const auto second = invite_token("again@a.test");
    BOOST_TEST(second != first);
    BOOST_TEST(accept(first).status == 422);
    BOOST_TEST(accept(second).status == 200);
    // Accepted: nothing left to re-send.
    auto late = call("POST", user_path(id) + "/invite", {}, {}, login(owner_a));
    BOOST_TEST(late.status == 409);
    BOOST_TEST(audit_count(agency_a, "user.invite_resent") == 1u);
}

BOOST_AUTO_TEST_CASE(acc2_inviting_an_existing_member_again_is_409)
{
    const auto owner = login(owner_a);
    invited("twice@a.test");
    auto r = invite(owner, {{"email", "twice@a.test"}, {"role", "read_only"}, {"account_id", account_a2}});
    BOOST_TEST(r.status == 409);
    BOOST_TEST(field_of(r) == "email");
    auto member = invite(owner, {{"email", user_a1}, {"role", "read_only"}});
    BOOST_TEST(member.status == 409);
    BOOST_TEST(field_of(member) == "email");
}

BOOST_AUTO_TEST_CASE(acc2_existing_user_of_another_agency_gets_the_membership_without_a_link)
{
    auto r = invite(login(owner_a), {{"email", owner_b}, {"role", "read_only"}, {"account_id", account_a2}});
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
    BOOST_TEST(json::parse(r.body)["invite"].is_null());
    BOOST_TEST(json::parse(r.body)["user"]["status"] == "active");
    bool told = false;
    for (auto& p : store->pending_mail(now, 100))
        told = told || (p.mail.template_name == "membership_added" && p.mail.to_addr == owner_b);
    BOOST_TEST(told);
    auto me = json::parse(call("GET", "/api/v1/me", {}, {}, login(owner_b)).body);
    bool sees_a2 = false;
    for (const auto& a : me["accounts"])
        sees_a2 = sees_a2 || a["id"] == account_a2;
    BOOST_TEST(sees_a2);
}

// [SECTION] Who may invite

BOOST_AUTO_TEST_CASE(acc2_invite_without_manage_users_is_403)
{
    const json body = {{"email", "x@a.test"}, {"role", "account_user"}, {"account_id", account_a1}};
    for (const auto& who : {user_a1, reader_a1, agency_user_a}) {
        BOOST_TEST_CONTEXT(who)
        {
            auto session = login(who);
            auto r = invite(session, body);
            BOOST_TEST(r.status == 403);
            BOOST_TEST(code_of(r) == "forbidden");
            BOOST_TEST(call("GET", users_path(), {}, {}, session).status == 403);
        }
    }
    BOOST_TEST(!store->find_credentials_by_email("x@a.test").has_value());
}

BOOST_AUTO_TEST_CASE(ten2_acc2_other_agency_answers_404)
{
    const auto outsider = login(owner_b);
    auto r = invite(outsider, {{"email", "x@a.test"}, {"role", "account_user"}, {"account_id", account_a1}});
    BOOST_TEST(r.status == 404);
    BOOST_TEST(call("GET", users_path(), {}, {}, outsider).status == 404);
    BOOST_TEST(patch_user(outsider, user_a1_id, {{"active", false}}).status == 404);
    BOOST_TEST(call("POST", user_path(user_a1_id) + "/invite", {}, {}, outsider).status == 404);
    // A user of another agency through one's own agency's path: 404 too.
    const auto owner = login(owner_a);
    auto owner_b_id = store->find_credentials_by_email(owner_b)->user.id;
    BOOST_TEST(patch_user(owner, owner_b_id, {{"active", false}}).status == 404);
    BOOST_TEST(call("GET", "/api/v1/agencies/ag_nonexistent/users", {}, {}, owner).status == 404);
}

BOOST_AUTO_TEST_CASE(acc2_admin_cannot_invite_an_owner)
{
    const auto admin = login(admin_a);
    auto r = invite(admin, {{"email", "boss@a.test"}, {"role", "agency_owner"}});
    BOOST_TEST(r.status == 403);
    BOOST_TEST(invite(admin, {{"email", "peer@a.test"}, {"role", "agency_admin"}}).status == 201);
    // ... and cannot touch an owner either.
    BOOST_TEST(patch_user(admin, owner_a_id, {{"active", false}}).status == 403);
    // An owner may make owners.
    BOOST_TEST(invite(login(owner_a), {{"email", "boss@a.test"}, {"role", "agency_owner"}}).status == 201);
}

BOOST_AUTO_TEST_CASE(acc2_account_admin_invites_into_its_sub_account_only)
{
    const auto admin = login(account_admin_a1);
    auto ok = invite(admin, {{"email", "mine@a.test"}, {"role", "account_user"}, {"account_id", account_a1}});
    BOOST_REQUIRE_MESSAGE(ok.status == 201, ok.body);
    BOOST_TEST(invite(admin, {{"email", "other@a.test"}, {"role", "account_user"}, {"account_id", account_a2}}).status ==
               403);
    BOOST_TEST(invite(admin, {{"email", "wide@a.test"}, {"role", "agency_user"}}).status == 403);
    // The list shows only users with a membership in a1, and only those memberships.
    auto list = call("GET", users_path(), {}, {}, admin);
    BOOST_REQUIRE(list.status == 200);
    bool owner_listed = false;
    for (const auto& u : json::parse(list.body)["items"]) {
        owner_listed = owner_listed || u["email"] == owner_a;
        for (const auto& m : u["memberships"])
            BOOST_TEST(m.value("account_id", "") == account_a1);
    }
    BOOST_TEST(!owner_listed);
}

// [SECTION] Deactivation

BOOST_AUTO_TEST_CASE(iam5_deactivated_user_loses_sessions_and_sockets_and_login_fails_generically)
{
    const auto victim = login(user_a1);
    auto socket = std::make_shared<ClosedSink>();
    app->live().subscribe({account_a1, user_a1_id, crypto::hash_hex(victim)}, socket);
    auto r = patch_user(login(owner_a), user_a1_id, {{"active", false}});
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    BOOST_TEST(json::parse(r.body)["status"] == "deactivated");
    BOOST_TEST(socket->closed.load());
    BOOST_TEST(store->sessions_of_user(user_a1_id).empty());
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, victim).status == 401);
    auto denied = login_raw(user_a1);
    auto wrong = login_raw(reader_a1, "Wrong-Password-1!");
    BOOST_TEST(denied.status == 401);
    BOOST_TEST(denied.body == wrong.body);
    BOOST_TEST(audit_count(agency_a, "user.deactivated") == 1u);
}

BOOST_AUTO_TEST_CASE(iam5_reactivated_user_signs_in_again)
{
    const auto owner = login(owner_a);
    BOOST_REQUIRE(patch_user(owner, user_a1_id, {{"active", false}}).status == 200);
    BOOST_REQUIRE(login_raw(user_a1).status == 401);
    auto r = patch_user(owner, user_a1_id, {{"active", true}});
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    BOOST_TEST(json::parse(r.body)["status"] == "active");
    BOOST_TEST(login_raw(user_a1).status == 200);
    BOOST_TEST(audit_count(agency_a, "user.reactivated") == 1u);
}

BOOST_AUTO_TEST_CASE(iam5_deactivation_in_one_agency_leaves_the_other_agency_alone)
{
    const auto owner = login(owner_a);
    BOOST_REQUIRE(invite(owner, {{"email", owner_b}, {"role", "read_only"}, {"account_id", account_a1}}).status == 201);
    auto owner_b_id = store->find_credentials_by_email(owner_b)->user.id;
    auto r = patch_user(owner, owner_b_id, {{"active", false}});
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    BOOST_TEST(json::parse(r.body)["status"] == "deactivated");
    // Still the owner of agency B, without A's sub-account.
    auto session = login(owner_b);
    auto me = json::parse(call("GET", "/api/v1/me", {}, {}, session).body);
    for (const auto& a : me["accounts"])
        BOOST_TEST(a["id"] != account_a1);
    BOOST_TEST(call("GET", "/api/v1/accounts/" + account_a1 + "/contacts", {}, {}, session).status == 404);
}

BOOST_AUTO_TEST_CASE(acc2_last_owner_cannot_be_deactivated_or_demoted)
{
    const auto owner = login(owner_a);
    auto self = patch_user(owner, owner_a_id, {{"active", false}});
    BOOST_TEST(self.status == 409);
    BOOST_TEST(field_of(self) == "active");
    auto demote = patch_user(owner, owner_a_id, {{"memberships", {{{"agency_id", agency_a}, {"role", "agency_admin"}}}}});
    BOOST_TEST(demote.status == 409);
    BOOST_TEST(field_of(demote) == "memberships");
    BOOST_TEST((store->agency_user(agency_a, owner_a_id)->memberships.front().role == model::Role::agency_owner));
    // The store refuses it on every path, not only for oneself.
    AuditEntry audit;
    audit.at = now;
    audit.agency_id = agency_a;
    audit.action = "user.deactivated";
    auto direct = store->set_user_active(agency_a, owner_a_id, false, audit);
    BOOST_REQUIRE(!direct.ok());
    BOOST_TEST(direct.error().code == api::ErrorCode::conflict);
    BOOST_TEST(direct.error().field == "active");
    // With a second owner, the first may step down.
    BOOST_REQUIRE(invite(owner, {{"email", "co@a.test"}, {"role", "agency_owner"}}).status == 201);
    BOOST_REQUIRE(accept(invite_token("co@a.test")).status == 200);
    BOOST_TEST(patch_user(owner, owner_a_id, {{"memberships", {{{"agency_id", agency_a}, {"role", "agency_admin"}}}}})
                   .status == 200);
}

// [SECTION] Memberships

BOOST_AUTO_TEST_CASE(acc2_iam6_memberships_change_needs_reauth_and_closes_sockets)
{
    const auto owner = login(owner_a);
    const auto victim = login(user_a1);
    auto socket = std::make_shared<ClosedSink>();
    app->live().subscribe({account_a1, user_a1_id, crypto::hash_hex(victim)}, socket);
    now += 6 * 60 * 1000; // past the 5-minute re-authentication window, inside the idle timeout
    const json body = {{"memberships", {{{"account_id", account_a2}, {"role", "account_admin"}}}}};
    auto r = patch_user(owner, user_a1_id, body);
    BOOST_TEST(r.status == 401);
    BOOST_TEST(code_of(r) == "reauth_required");
    BOOST_REQUIRE(call("POST", "/api/v1/auth/reauth", json{{"password", k_password}}.dump(), {}, owner).status == 204);
    r = patch_user(owner, user_a1_id, body);
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    BOOST_TEST(json::parse(r.body)["memberships"] == body["memberships"]);
    BOOST_TEST(socket->closed.load());
    BOOST_TEST(audit_count(agency_a, "user.memberships_changed") == 1u);
    // The new role applies at once: a2 opens, a1 does not.
    BOOST_TEST(call("GET", "/api/v1/accounts/" + account_a2 + "/contacts", {}, {}, victim).status == 200);
    BOOST_TEST(call("GET", "/api/v1/accounts/" + account_a1 + "/contacts", {}, {}, victim).status == 404);
}

BOOST_AUTO_TEST_CASE(acc2_memberships_change_is_checked_by_authorize_role_grant)
{
    const auto admin = login(account_admin_a1);
    // An account admin of a1 cannot move its user to a2, nor make it an agency admin.
    auto r = patch_user(admin, user_a1_id, {{"memberships", {{{"account_id", account_a2}, {"role", "account_user"}}}}});
    BOOST_TEST(r.status == 403);
    r = patch_user(admin, user_a1_id, {{"memberships", {{{"agency_id", agency_a}, {"role", "agency_admin"}}}}});
    BOOST_TEST(r.status == 403);
    r = patch_user(admin, user_a1_id, {{"memberships", {{{"account_id", account_a1}, {"role", "read_only"}}}}});
    BOOST_TEST(r.status == 200);
}

// [SECTION] Sub-account 2FA requirement

BOOST_AUTO_TEST_CASE(iam3_sub_account_requiring_2fa_sends_its_members_to_enrolment)
{
    const auto owner = login(owner_a);
    auto read = call("GET", policy_path(account_a1), {}, {}, owner);
    BOOST_REQUIRE_MESSAGE(read.status == 200, read.body);
    BOOST_TEST(json::parse(read.body)["require_2fa"] == false);
    BOOST_TEST(read.header("ETag").value_or("") == "\"0\"");
    const std::string on = json{{"require_2fa", true}}.dump();
    BOOST_TEST(call("PATCH", policy_path(account_a1), on, {}, owner).status == 428);
    BOOST_TEST(call("PATCH", policy_path(account_a1), on, {{"If-Match", "\"3\""}}, owner).status == 412);
    auto r = call("PATCH", policy_path(account_a1), on, {{"If-Match", "\"0\""}}, owner);
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    BOOST_TEST(json::parse(r.body)["version"] == 1);
    BOOST_TEST(r.header("ETag").value_or("") == "\"1\"");
    BOOST_TEST(audit_count(agency_a, "account_security_policy.updated") == 1u);

    // A member of a1 without 2FA: signed in, but sent to enrolment, nothing else first.
    auto member = login(user_a1);
    auto me = json::parse(call("GET", "/api/v1/me", {}, {}, member).body);
    BOOST_TEST(me["restrictions"] == json::array({"mfa_enrolment_required"}));
    auto refused = call("GET", "/api/v1/accounts/" + account_a1 + "/contacts", {}, {}, member);
    BOOST_TEST(refused.status == 403);
    BOOST_TEST(code_of(refused) == "mfa_enrolment_required");
    // The agency-wide owner is not a member of a1 as such.
    me = json::parse(call("GET", "/api/v1/me", {}, {}, owner).body);
    BOOST_TEST(me["restrictions"] == json::array());
    // Invitees of a1 land under the same restriction.
    auto [id, token] = invited("secure@a.test");
    auto accepted = accept(token);
    BOOST_REQUIRE(accepted.status == 200);
    BOOST_TEST(json::parse(accepted.body)["restrictions"] == json::array({"mfa_enrolment_required"}));
}

BOOST_AUTO_TEST_CASE(iam3_iam6_sub_account_policy_needs_manage_security_and_reauth)
{
    const std::string on = json{{"require_2fa", true}}.dump();
    auto admin = login(account_admin_a1);
    BOOST_TEST(call("GET", policy_path(account_a1), {}, {}, admin).status == 200); // account_admin manages it
    BOOST_TEST(call("GET", policy_path(account_a2), {}, {}, admin).status == 404);  // cannot open a2
    BOOST_TEST(call("GET", policy_path(account_a1), {}, {}, login(reader_a1)).status == 403);
    BOOST_TEST(call("GET", policy_path(account_a1), {}, {}, login(owner_b)).status == 404);
    now += 6 * 60 * 1000;
    auto r = call("PATCH", policy_path(account_a1), on, {{"If-Match", "\"0\""}}, admin);
    BOOST_TEST(code_of(r) == "reauth_required");
    BOOST_REQUIRE(call("POST", "/api/v1/auth/reauth", json{{"password", k_password}}.dump(), {}, admin).status == 204);
    auto bad = call("PATCH", policy_path(account_a1), json{{"require_2fa", "yes"}}.dump(), {{"If-Match", "\"0\""}}, admin);
    BOOST_TEST(bad.status == 422);
    BOOST_TEST(field_of(bad) == "require_2fa");
    auto unknown = call("PATCH", policy_path(account_a1), json{{"version", 1}}.dump(), {{"If-Match", "\"0\""}}, admin);
    BOOST_TEST(field_of(unknown) == "version");
    BOOST_TEST(call("PATCH", policy_path(account_a1), on, {{"If-Match", "\"0\""}}, admin).status == 200);
}

// [SECTION] Bad input

BOOST_AUTO_TEST_CASE(acc2_bad_invite_input_is_422_naming_the_field)
{
    const auto owner = login(owner_a);
    // A custom role of agency B, written straight into its table.
    access::RoleDef foreign;
    foreign.id = crypto::random_id("ro");
    foreign.agency_id = agency_b;
    foreign.name = "B role";
    {
        sqlite3* db = nullptr;
        BOOST_REQUIRE(sqlite3_open((dir.path / "stronghold.db").c_str(), &db) == SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        BOOST_REQUIRE(sqlite3_prepare_v2(db, "INSERT INTO roles(id, agency_id, name, name_key, definition, created_at,"
                                             " updated_at) VALUES (?,?,?,?,?,1,1)", -1, &st, nullptr) == SQLITE_OK);
        const std::string def = json(foreign).dump();
        for (int i = 1; const auto& v : {foreign.id, agency_b, foreign.name, std::string("b role"), def})
            sqlite3_bind_text(st, i++, v.c_str(), -1, SQLITE_TRANSIENT);
        BOOST_REQUIRE(sqlite3_step(st) == SQLITE_DONE);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    struct Case {
        const char* name;
        json body;
        const char* field;
    };
    const std::vector<Case> cases = {
        {"unknown field", {{"email", "x@a.test"}, {"role", "read_only"}, {"admin", true}}, "admin"},
        {"bad email", {{"email", "not-an-email"}, {"role", "read_only"}}, "email"},
        {"missing email", {{"role", "read_only"}}, "email"},
        {"unknown role", {{"email", "x@a.test"}, {"role", "superuser"}}, "role"},
        {"unknown custom role", {{"email", "x@a.test"}, {"role", "ro_aaaaaaaaaaaaaaaaaaaaaaaaaa"}}, "role"},
        {"role of another agency", {{"email", "x@a.test"}, {"role", foreign.id}}, "role"},
        {"sub-account of another agency", {{"email", "x@a.test"}, {"role", "read_only"}, {"account_id", account_b1}}, "account_id"},
        {"agency role on a sub-account", {{"email", "x@a.test"}, {"role", "agency_admin"}, {"account_id", account_a1}}, "role"},
        {"account role agency-wide", {{"email", "x@a.test"}, {"role", "account_admin"}}, "role"},
        {"name with a control character", {{"email", "x@a.test"}, {"role", "read_only"}, {"name", "a\nb"}}, "name"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            auto r = invite(owner, c.body);
            BOOST_TEST(r.status == 422);
            BOOST_TEST(code_of(r) == "validation_failed");
            BOOST_TEST(field_of(r) == c.field);
        }
    }
    BOOST_TEST(invite(owner, {{"email", "x@a.test"}}, agency_a).status == 422);
    BOOST_TEST(call("POST", users_path(), "{", {}, owner).status == 400);
    BOOST_TEST(!store->find_credentials_by_email("x@a.test").has_value());

    auto patch = patch_user(owner, user_a1_id, {{"role", "read_only"}});
    BOOST_TEST(field_of(patch) == "role");
    patch = patch_user(owner, user_a1_id, {{"active", "no"}});
    BOOST_TEST(field_of(patch) == "active");
    patch = patch_user(owner, user_a1_id, {{"memberships", {{{"account_id", account_a1}, {"role", foreign.id}}}}});
    BOOST_TEST(patch.status == 422);
    BOOST_TEST(field_of(patch) == "memberships[0].role");
}

BOOST_AUTO_TEST_CASE(iam2_accept_checks_the_password_policy_and_the_name)
{
    auto [id, token] = invited("careful@a.test");
    struct Case {
        const char* name;
        std::string password, person, field;
    };
    const std::vector<Case> cases = {
        {"too short", "Ab1!", "Careful Person", "password"},
        {"contains the email name", "Careful-Pass-99!", "Someone", "password"},
        {"contains the agency name", "Agency-A-Pass-99!", "Someone", "password"},
        {"blank name", k_new_password, "   ", "name"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            auto r = accept(token, c.password, c.person);
            BOOST_TEST(r.status == 422);
            BOOST_TEST(field_of(r) == c.field);
        }
    }
    auto unknown = call("POST", "/api/v1/auth/invite/accept",
                        json{{"token", token}, {"name", "X"}, {"password", k_new_password}, {"extra", 1}}.dump());
    BOOST_TEST(field_of(unknown) == "extra");
    BOOST_TEST(accept(token).status == 200); // none of the refusals spent the link
}

BOOST_AUTO_TEST_SUITE_END()

// Logout and /me: the session-holding side of authentication.
#include "app/handlers.hpp"

#include "app/restrictions.hpp"
#include "stronghold/access/authorize.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <set>

namespace stronghold::server {

std::string home_agency(const std::vector<model::Membership>& memberships)
{
    for (const auto& m : memberships)
        return m.agency_id.empty() ? m.account_agency_id : m.agency_id;
    return {};
}

std::string session_cookie(std::string_view token, model::UnixMillis max_age_ms)
{
    // __Host-: Secure, Path=/, no Domain, so no sibling host can set or overwrite it.
    // Max-Age matches the session's absolute timeout (the agency's policy).
    return std::string(k_session_cookie) + "=" + std::string(token) +
           "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_ms / 1000);
}

std::string expired_session_cookie()
{
    return std::string(k_session_cookie) + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0";
}

nlohmann::json me_body(AppServices& services, const AuthContext& auth)
{
    auto memberships = nlohmann::json::array();
    // Candidate sub-accounts: all of every agency the user belongs to, plus direct ones; then
    // can_open_account (the same rule the middleware enforces) keeps only those it opens.
    std::set<std::string> agencies;
    std::vector<model::Account> candidates;
    for (const auto& m : auth.actor.memberships) {
        memberships.push_back(m);
        if (!m.agency_id.empty())
            agencies.insert(m.agency_id);
        else if (auto acc = services.store.find_account(m.account_id))
            candidates.push_back(std::move(*acc));
    }
    for (const auto& agency : agencies) {
        auto list = services.store.accounts_of_agency(agency);
        candidates.insert(candidates.end(), list.begin(), list.end());
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const auto& a, const auto& b) { return a.name != b.name ? a.name < b.name : a.id < b.id; });
    auto accounts = nlohmann::json::array();
    auto permissions = nlohmann::json::object();
    std::set<std::string> seen;
    for (const auto& acc : candidates) {
        if (!seen.insert(acc.id).second || !access::can_open_account(auth.actor, acc.agency_id, acc.id))
            continue;
        accounts.push_back({{"id", acc.id}, {"name", acc.name}, {"agency_id", acc.agency_id}});
        permissions[acc.id] = access::permissions_in(auth.actor, acc.agency_id, acc.id);
    }
    nlohmann::json user = auth.user;
    // Whether two-step verification is on (IAM-3): the dashboard's security screen shows it.
    auto totp = services.store.find_totp(auth.user.id);
    user["totp_enabled"] = totp.has_value() && totp->enabled;
    // What this session must do before anything else (DESIGN.md Wire details), e.g.
    // ["mfa_enrolment_required"]; empty for an unrestricted session.
    // The custom roles the memberships name and the user's teams (admin-api.md "/me additions"):
    // the browser's authorize() decides with the same tables as the server.
    auto roles = nlohmann::json::array();
    for (const auto& r : auth.actor.roles)
        roles.push_back(r);
    auto teams = nlohmann::json::array(); // all of them, whether or not a role uses team scope
    for (const auto& t : services.store.teams_of_user(auth.user.id))
        teams.push_back(t);
    nlohmann::json body{{"user", user},
                        {"memberships", memberships},
                        {"accounts", accounts},
                        {"permissions", permissions},
                        {"roles", roles},
                        {"teams", teams},
                        {"restrictions", session_restrictions(services, auth)}};
    // ACC-3: platform staff see their role and live grants (each also opens its sub-account above).
    if (auth.staff) {
        body["staff"] = {{"role", access::to_string(auth.staff->role)}};
        auto grants = nlohmann::json::array();
        for (const auto& g : auth.grants)
            grants.push_back(grant_json(services, g));
        body["grants"] = std::move(grants);
    }
    return body;
}

void handle_me(AppServices& services, Call call)
{
    call.done(json_response(200, me_body(services, *call.auth)));
}

void handle_logout(AppServices& services, Call call)
{
    const auto& auth = *call.auth;
    if (auto st = services.store.delete_session(auth.session.token_hash); !st) {
        call.done(error_response(st.error()));
        return;
    }
    // A revoked session must lose its live sockets at once, not at their next frame.
    services.hub.close_session(auth.session.token_hash);

    AuditEntry audit;
    audit.at = services.clock();
    audit.agency_id = home_agency(auth.actor.memberships);
    audit.actor = call.actor_ref();
    audit.action = "auth.logout";
    audit.target_type = "session";
    audit.target_id = auth.session.id;
    append_audit_logged(services, audit);

    Response r;
    r.status = 204;
    r.set_header("Set-Cookie", expired_session_cookie());
    call.done(std::move(r));
}

} // namespace stronghold::server

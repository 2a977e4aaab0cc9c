// Platform staff and just-in-time access (ACC-3..ACC-6), the HTTP side (doc: server/doc/jita.md).
//
// Staff (created by `stronghold admin create-staff`, always with TOTP) have no membership:
//   POST /api/v1/staff/grants {"account_id","reason","hours"}  request access to one sub-account
//   GET  /api/v1/staff/grants                                   their own grants, newest first
//   GET  /api/v1/staff/overview                                 aggregate figures only (ACC-6)
//   GET  /api/v1/staff/security-events                          every tenant's events (security,
//                                                               platform_admin roles)
// The agency (owners and admins: manage_security) sees and decides:
//   GET  /api/v1/agencies/{agency_id}/grants?status=            pending first, then newest
//   POST /api/v1/agencies/{agency_id}/grants/{id}/approve       pending -> active (re-auth needed)
//   POST /api/v1/agencies/{agency_id}/grants/{id}/deny          pending -> denied
//   POST /api/v1/agencies/{agency_id}/grants/{id}/revoke        pending|active -> revoked, at once
// Without the agency's approval setting (security policy jita_requires_approval) a request is
// active at once. A grant lasts `hours` from the moment it becomes active; the middleware reads
// live grants on every request, so expiry and revocation take effect on the next one.
//
// [SECTION] Wire form
// [SECTION] Staff side
// [SECTION] Agency side
#include "app/handlers.hpp"

#include "app/query.hpp"
#include "app/reauth.hpp"
#include "app/security_events.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/model/time.hpp"

namespace stronghold::server {

namespace {

constexpr std::size_t k_grants_page = 200;
constexpr model::UnixMillis k_hour_ms = 60LL * 60 * 1000;

nlohmann::json time_or_null(model::UnixMillis t)
{
    return t == 0 ? nlohmann::json(nullptr) : nlohmann::json(model::format_iso8601(t));
}

nlohmann::json text_or_null(const std::string& s)
{
    return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

} // namespace

// [SECTION] Wire form

nlohmann::json grant_json(AppServices& services, const JitaGrant& g)
{
    const auto account = services.store.find_account(g.account_id);
    const auto staff = services.store.find_user(g.staff_id);
    const auto staff_row = services.store.find_staff(g.staff_id);
    return {{"id", g.id},
            {"agency_id", g.agency_id},
            {"account_id", g.account_id},
            {"account_name", account ? account->name : std::string{}},
            {"staff_id", g.staff_id},
            {"staff_email", staff ? staff->email : std::string{}},
            {"staff_role", staff_row ? std::string(access::to_string(staff_row->role)) : std::string{}},
            {"reason", g.reason},
            {"hours", g.hours},
            {"status", access::to_string(access::effective_status(g.status, g.expires_at, services.clock()))},
            {"requested_at", model::format_iso8601(g.requested_at)},
            {"decided_at", time_or_null(g.decided_at)},
            {"decided_by", text_or_null(g.decided_by)},
            {"expires_at", time_or_null(g.expires_at)},
            {"revoked_at", time_or_null(g.revoked_at)},
            {"revoked_by", text_or_null(g.revoked_by)}};
}

namespace {

nlohmann::json grants_json(AppServices& services, const std::vector<JitaGrant>& grants)
{
    auto items = nlohmann::json::array();
    for (const auto& g : grants)
        items.push_back(grant_json(services, g));
    return items;
}

AuditEntry grant_audit(AppServices& services, const Call& call, const JitaGrant& g, std::string action)
{
    AuditEntry a;
    a.at = services.clock();
    a.agency_id = g.agency_id;
    a.account_id = g.account_id;
    a.actor = call.actor_ref();
    a.action = std::move(action);
    a.target_type = "jita_grant";
    a.target_id = g.id;
    a.grant_id = g.id;
    a.details = {{"staff_id", g.staff_id}, {"hours", g.hours}, {"reason", g.reason}};
    return a;
}

// Staff only: others get 403 (the staff API is no secret; nothing of a tenant is behind it).
bool require_staff(Call& call)
{
    if (call.auth->staff)
        return true;
    call.done(error_response(api::ErrorCode::forbidden, "this is for platform staff only"));
    return false;
}

} // namespace

// [SECTION] Staff side

void handle_staff_grant_create(AppServices& services, Call call)
{
    if (!require_staff(call))
        return;
    auto body = parse_json_body(call.request.body);
    if (!body)
        return call.done(error_response(body.error()));
    if (!body->is_object())
        return call.done(error_response(api::ErrorCode::validation_failed, "the body must be a JSON object", "body"));
    for (const auto& [key, _] : body->items())
        if (key != "account_id" && key != "reason" && key != "hours")
            return call.done(error_response(api::ErrorCode::validation_failed, "is not a field of a grant request", key));
    const auto& account_id = (*body)["account_id"];
    if (!account_id.is_string() || !crypto::is_id(account_id.get<std::string>(), "ac"))
        return call.done(error_response(api::ErrorCode::validation_failed, "must be a sub-account id", "account_id"));
    const auto& hours = (*body)["hours"];
    if (!hours.is_number_integer())
        return call.done(error_response(api::ErrorCode::validation_failed, "must be a whole number of hours from 1 to 24",
                                        "hours"));
    const auto& reason_in = (*body)["reason"];
    auto reason = access::check_grant_request(reason_in.is_string() ? reason_in.get<std::string>() : std::string{},
                                              hours.get<std::int64_t>());
    if (!reason)
        return call.done(error_response(reason.error()));
    auto account = services.store.find_account(account_id.get<std::string>());
    if (!account)
        return call.done(not_found_response());
    const auto now = services.clock();
    for (const auto& g : services.store.grants_of_staff(call.auth->user.id, k_grants_page)) {
        const auto status = access::effective_status(g.status, g.expires_at, now);
        if (g.account_id == account->id && (status == access::GrantStatus::pending || status == access::GrantStatus::active))
            return call.done(error_response(api::ErrorCode::conflict,
                                            "you already hold or await a grant for this sub-account", "account_id"));
    }
    JitaGrant g;
    g.id = crypto::time_ordered_id("gr", now);
    g.staff_id = call.auth->user.id;
    g.agency_id = account->agency_id;
    g.account_id = account->id;
    g.reason = std::move(*reason);
    g.hours = hours.get<std::int64_t>();
    g.requested_at = now;
    const bool approval = services.store.security_policy(account->agency_id).jita_requires_approval;
    if (!approval) {
        g.status = access::GrantStatus::active;
        g.decided_at = now;
        g.expires_at = now + g.hours * k_hour_ms;
    }
    auto audit = grant_audit(services, call, g, approval ? "jita.requested" : "jita.granted");
    audit.details["requires_approval"] = approval;
    if (auto st = services.store.create_grant(g, audit); !st)
        return call.done(error_response(st.error()));
    if (services.security)
        services.security->note_grant_request(services, call, g);
    call.done(json_response(201, grant_json(services, g)));
}

void handle_staff_grants_list(AppServices& services, Call call)
{
    if (!require_staff(call))
        return;
    call.done(json_response(200, {{"items", grants_json(services, services.store.grants_of_staff(call.auth->user.id,
                                                                                                  k_grants_page))}}));
}

void handle_staff_overview(AppServices& services, Call call)
{
    if (!require_staff(call))
        return;
    const auto o = services.store.platform_overview(services.clock());
    call.done(json_response(200, {{"agencies", o.agencies},
                                  {"accounts", o.accounts},
                                  {"users", o.users},
                                  {"contacts", o.contacts},
                                  {"records", o.records},
                                  {"security_events_24h", o.security_events_24h},
                                  {"active_grants", o.active_grants}}));
}

void handle_staff_security_events(AppServices& services, Call call)
{
    if (!require_staff(call))
        return;
    if (!access::staff_sees_security_console(call.auth->staff->role))
        return call.done(error_response(api::ErrorCode::forbidden,
                                        "the security console is for security staff and platform admins"));
    answer_security_events(services, call, std::nullopt);
}

// [SECTION] Agency side

namespace {

enum class GrantDecision { approve, deny, revoke };

void decide(AppServices& services, Call call, GrantDecision decision)
{
    if (!authorize_agency_security(services, call))
        return;
    const auto agency_id = call.param("agency_id");
    const auto now = services.clock();
    // Approving opens customer data to platform staff: a critical action (IAM-6).
    if (decision == GrantDecision::approve)
        if (auto st = require_recent_auth(*call.auth, now); !st)
            return call.done(error_response(st.error()));
    const auto id = call.param("id");
    auto grant = crypto::is_id(id, "gr") ? services.store.find_grant(id) : std::nullopt;
    if (!grant || grant->agency_id != agency_id)
        return call.done(not_found_response());
    const auto status = access::effective_status(grant->status, grant->expires_at, now);
    JitaGrant after = *grant;
    std::string action;
    switch (decision) {
    case GrantDecision::approve:
    case GrantDecision::deny:
        if (status != access::GrantStatus::pending)
            return call.done(error_response(api::ErrorCode::conflict, "only a pending request can be decided"));
        after.status = decision == GrantDecision::approve ? access::GrantStatus::active : access::GrantStatus::denied;
        after.decided_at = now;
        after.decided_by = call.auth->user.id;
        if (decision == GrantDecision::approve)
            after.expires_at = now + after.hours * k_hour_ms; // the hours run from the approval
        action = decision == GrantDecision::approve ? "jita.approved" : "jita.denied";
        break;
    case GrantDecision::revoke:
        if (status != access::GrantStatus::pending && status != access::GrantStatus::active)
            return call.done(error_response(api::ErrorCode::conflict, "only a pending or active grant can be revoked"));
        after.status = access::GrantStatus::revoked;
        after.revoked_at = now;
        after.revoked_by = call.auth->user.id;
        action = "jita.revoked";
        break;
    }
    auto saved = services.store.update_grant(after, grant->status, grant_audit(services, call, after, action));
    if (!saved)
        return call.done(error_response(saved.error()));
    // DESIGN: ending a grant closes the staff member's live sockets at once.
    if (decision == GrantDecision::revoke)
        services.hub.close_user(after.staff_id);
    call.done(json_response(200, grant_json(services, *saved)));
}

} // namespace

void handle_agency_grants_list(AppServices& services, Call call)
{
    if (!authorize_agency_security(services, call))
        return;
    auto query = parse_query(call.request.query());
    if (!query)
        return call.done(error_response(query.error()));
    std::string status;
    for (const auto& [name, value] : *query) {
        if (name != "status")
            return call.done(error_response(api::ErrorCode::validation_failed, "unknown query parameter", name));
        if (!access::grant_status_from_string(value))
            return call.done(error_response(api::ErrorCode::validation_failed,
                                            "must be pending, active, denied, revoked or expired", "status"));
        status = value;
    }
    // "expired" and "active" share the stored status; the effective one decides.
    const std::string stored = status == "expired" ? "active" : status;
    auto grants = services.store.grants_of_agency(call.param("agency_id"), stored, k_grants_page);
    if (status == "active" || status == "expired") {
        const auto now = services.clock();
        std::erase_if(grants, [&](const JitaGrant& g) {
            return access::to_string(access::effective_status(g.status, g.expires_at, now)) != status;
        });
    }
    call.done(json_response(200, {{"items", grants_json(services, grants)}, {"next_cursor", nullptr}}));
}

void handle_agency_grant_approve(AppServices& services, Call call) { decide(services, std::move(call), GrantDecision::approve); }
void handle_agency_grant_deny(AppServices& services, Call call) { decide(services, std::move(call), GrantDecision::deny); }
void handle_agency_grant_revoke(AppServices& services, Call call) { decide(services, std::move(call), GrantDecision::revoke); }

} // namespace stronghold::server

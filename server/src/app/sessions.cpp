// Sessions management (IAM-5): a user lists and revokes their own sessions; agency owners and
// admins list and revoke those of their agency's users. A revoked session loses its live
// sockets at once, and every revocation writes an audit row in the same transaction.
//
// [SECTION] Policy and labels
// [SECTION] Own sessions
// [SECTION] Admin: sessions of an agency's users
#include "app/sessions.hpp"

#include "app/handlers.hpp"
#include "stronghold/access/admin.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/model/time.hpp"

#include <utility>

namespace stronghold::server {

// [SECTION] Policy and labels

SessionLimits session_limits(AppServices& services, std::string_view agency_id)
{
    // Read on every use (no cache): a tightened timeout applies to open sessions at once.
    if (agency_id.empty())
        return {};
    const auto policy = services.store.security_policy(std::string(agency_id));
    constexpr model::UnixMillis minute = 60LL * 1000;
    return {policy.session_idle_minutes * minute, policy.session_absolute_hours * 60 * minute};
}

std::string device_label(std::string_view ua)
{
    auto has = [ua](std::string_view s) { return ua.find(s) != std::string_view::npos; };
    // Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
    std::string browser;
    if (has("Edg/"))
        browser = "Edge";
    else if (has("OPR/"))
        browser = "Opera";
    else if (has("Firefox/"))
        browser = "Firefox";
    else if (has("Chrome/") || has("Chromium/"))
        browser = "Chrome";
    else if (has("Safari/"))
        browser = "Safari";
    else if (has("curl/"))
        browser = "curl";
    std::string os;
    if (has("Android"))
        os = "Android";
    else if (has("iPhone") || has("iPad"))
        os = "iOS";
    else if (has("Windows"))
        os = "Windows";
    else if (has("Mac OS X") || has("Macintosh"))
        os = "macOS";
    else if (has("CrOS"))
        os = "ChromeOS";
    else if (has("Linux"))
        os = "Linux";
    if (browser.empty() && os.empty())
        return "Unknown device";
    if (browser.empty())
        return "Browser on " + os;
    return os.empty() ? browser : browser + " on " + os;
}

namespace {

nlohmann::json session_json(const Session& s, const std::string& current_hash)
{
    return {{"id", s.id},
            {"current", !current_hash.empty() && s.token_hash == current_hash},
            {"created_at", model::format_iso8601(s.created_at)},
            {"last_seen_at", model::format_iso8601(s.last_seen_at)},
            {"expires_at", model::format_iso8601(s.expires_at)},
            {"ip", s.ip},
            {"user_agent", s.user_agent},
            {"device", device_label(s.user_agent)}};
}

// Sessions past their idle or absolute timeout are dead even before the middleware deletes
// them on their next use: never list them as open.
nlohmann::json sessions_body(AppServices& services, const std::string& user_id, const std::string& agency_id,
                             const std::string& current_hash)
{
    const auto now = services.clock();
    const auto limits = session_limits(services, agency_id);
    auto items = nlohmann::json::array();
    for (const auto& s : services.store.sessions_of_user(user_id))
        if (now < s.expires_at && now - s.last_seen_at < limits.idle_ms)
            items.push_back(session_json(s, current_hash));
    return {{"items", items}};
}

void revoke(AppServices& services, Call& call, const std::string& user_id, const std::string& agency_id,
            const std::string& session_id, const char* why)
{
    if (!crypto::is_id(session_id, "se")) {
        call.done(not_found_response());
        return;
    }
    AuditEntry audit;
    audit.at = services.clock();
    audit.agency_id = agency_id;
    audit.actor = call.actor_ref();
    audit.action = "session.revoked";
    audit.target_type = "session";
    audit.target_id = session_id;
    audit.details = {{"user_id", user_id}, {"by", why}};
    auto revoked = services.store.revoke_session(user_id, session_id, audit);
    if (!revoked) {
        call.done(revoked.error().code == api::ErrorCode::not_found ? not_found_response()
                                                                   : error_response(revoked.error()));
        return;
    }
    services.hub.close_session(revoked->token_hash); // its sockets close now, not at their next frame
    Response r;
    r.status = 204;
    if (revoked->token_hash == call.auth->session.token_hash)
        r.set_header("Set-Cookie", expired_session_cookie()); // revoking the current one is a logout
    call.done(std::move(r));
}

// Resolves {agency_id}/users/{id} for an admin route: 404 outside (and for unknown users),
// 403 inside without the right. Returns the target user on success.
std::optional<model::User> admin_target(AppServices& services, Call& call)
{
    const auto agency_id = call.param("agency_id");
    const auto user_id = call.param("id");
    std::vector<model::Membership> target_memberships;
    std::optional<model::User> user;
    if (crypto::is_id(user_id, "us")) {
        user = services.store.find_user(user_id);
        if (user)
            target_memberships = services.store.memberships_of(user_id);
    }
    switch (access::authorize_user_admin(call.auth->actor, agency_id, target_memberships)) {
    case access::Decision::allow:
        return user;
    case access::Decision::forbidden:
        call.done(error_response(api::ErrorCode::forbidden, "you do not have permission to do this"));
        return std::nullopt;
    case access::Decision::not_found:
        break;
    }
    call.done(not_found_response());
    return std::nullopt;
}

} // namespace

// [SECTION] Own sessions

void handle_my_sessions(AppServices& services, Call call)
{
    const auto& auth = *call.auth;
    call.done(json_response(200, sessions_body(services, auth.user.id, home_agency(auth.actor.memberships),
                                               auth.session.token_hash)));
}

void handle_my_session_revoke(AppServices& services, Call call)
{
    const auto user_id = call.auth->user.id;
    const auto agency_id = home_agency(call.auth->actor.memberships);
    revoke(services, call, user_id, agency_id, call.param("id"), "self");
}

// [SECTION] Admin: sessions of an agency's users

void handle_user_sessions(AppServices& services, Call call)
{
    auto user = admin_target(services, call);
    if (!user)
        return;
    call.done(json_response(200, sessions_body(services, user->id, call.param("agency_id"),
                                               call.auth->session.token_hash)));
}

void handle_user_session_revoke(AppServices& services, Call call)
{
    auto user = admin_target(services, call);
    if (!user)
        return;
    revoke(services, call, user->id, call.param("agency_id"), call.param("session_id"), "admin");
}

} // namespace stronghold::server

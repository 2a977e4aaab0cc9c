#include "app/middleware.hpp"

#include "app/handlers.hpp" // home_agency
#include "app/sessions.hpp"
#include "stronghold/access/admin.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <cctype>

namespace stronghold::server {

namespace {

bool is_token_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

} // namespace

bool is_state_changing(std::string_view method)
{
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

namespace {

std::string_view media_type(std::string_view content_type)
{
    return trim_ows(content_type.substr(0, content_type.find(';')));
}

} // namespace

bool accepts_streamed_upload(std::string_view method, std::string_view path, std::string_view content_type)
{
    return method == "POST" && path.ends_with("/import") && iequals(media_type(content_type), "text/csv");
}

std::optional<api::Error> check_media_type(const Request& request)
{
    if (!is_state_changing(request.method) || (request.body.empty() && !request.body_file))
        return std::nullopt;
    auto type = request.header("Content-Type").value_or("");
    auto media = media_type(type);
    if (iequals(media, "application/json") && !request.body_file)
        return std::nullopt;
    // Only net/ fills body_file, and only for what accepts_streamed_upload let through.
    if (request.body_file && accepts_streamed_upload(request.method, request.path(), type))
        return std::nullopt;
    return api::make_error(api::ErrorCode::unsupported_media_type, "request bodies must be application/json");
}

std::optional<api::Error> check_origin(const Request& request, bool origin_required)
{
    auto origin = request.header("Origin");
    if (!origin)
        return origin_required ? std::optional(api::make_error(api::ErrorCode::forbidden, "origin required"))
                               : std::nullopt;
    auto host = request.header("Host");
    if (host && !host->empty() && iequals(*origin, "https://" + *host))
        return std::nullopt;
    return api::make_error(api::ErrorCode::forbidden, "cross-origin request refused");
}

std::optional<std::string> session_token(const Request& request)
{
    // Browsers send one Cookie header; HTTP/2 clients may split it, so read every one.
    for (const auto& [name, value] : request.headers) {
        if (!iequals(name, "Cookie"))
            continue;
        std::string_view rest = value;
        while (!rest.empty()) {
            auto semi = rest.find(';');
            auto pair = trim_ows(rest.substr(0, semi));
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            auto eq = pair.find('=');
            if (eq == std::string_view::npos || pair.substr(0, eq) != k_session_cookie)
                continue;
            auto token = pair.substr(eq + 1);
            // random_token(): 43 url-safe base64 characters; anything else is not ours.
            if (token.size() == 43 && std::all_of(token.begin(), token.end(), is_token_char))
                return std::string(token);
        }
    }
    return std::nullopt;
}

Result<AuthContext> authenticate(AppServices& services, const Request& request)
{
    auto unauthenticated = api::make_error(api::ErrorCode::unauthenticated, "sign in required");
    auto token = session_token(request);
    if (!token)
        return unauthenticated;
    auto hash = crypto::hash_hex(*token);
    auto session = services.store.find_session(hash);
    if (!session)
        return unauthenticated;
    auto now = services.clock();
    auto memberships = services.store.memberships_of(session->user_id);
    // The idle timeout is the user's agency's (session_limits); the absolute one is in expires_at.
    const auto idle_ms = session_limits(services, home_agency(memberships)).idle_ms;
    if (now >= session->expires_at || now - session->last_seen_at >= idle_ms) {
        (void)services.store.delete_session(hash);
        services.hub.close_session(hash); // an ended session keeps no live socket
        return unauthenticated;
    }
    auto user = services.store.find_user(session->user_id);
    if (!user || !user->active)
        return unauthenticated;
    if (now - session->last_seen_at >= k_session_touch_ms) {
        if (auto st = services.store.touch_session(hash, now); !st)
            log::warn("session.touch_failed", {{"code", api::to_string(st.error().code)}});
        session->last_seen_at = now;
    }
    AuthContext auth;
    auth.session = std::move(*session);
    // ACC-3: platform staff hold no membership; each live grant opens its one sub-account with
    // k_jita_role. Read on every request: an expired or revoked grant opens nothing next time.
    if ((auth.staff = services.store.find_staff(user->id))) {
        auth.grants = services.store.live_grants(user->id, now);
        for (const auto& g : auth.grants)
            memberships.push_back({user->id, "", g.account_id, g.agency_id, access::k_jita_role});
    }
    auth.actor = load_actor(services, user->id, std::move(memberships));
    auth.user = std::move(*user);
    return auth;
}

access::Actor load_actor(AppServices& services, const std::string& user_id, std::vector<model::Membership> memberships)
{
    access::Actor actor;
    actor.user_id = user_id;
    std::vector<std::string> role_ids;
    for (const auto& m : memberships)
        if (m.role == model::Role::custom && std::find(role_ids.begin(), role_ids.end(), m.role_id) == role_ids.end())
            role_ids.push_back(m.role_id);
    actor.memberships = std::move(memberships);
    actor.roles = services.store.roles_by_id(role_ids); // core checks each belongs to its membership's agency
    // Teams matter only under a "team" grant, which only custom roles have: an actor of built-in
    // roles costs no query here (/me reads the teams itself).
    const auto team_scoped = [](const access::RoleDef& r) {
        for (const auto& verbs : r.records)
            for (const auto s : verbs)
                if (s == access::RecordScope::team)
                    return true;
        return false;
    };
    if (std::any_of(actor.roles.begin(), actor.roles.end(), team_scoped))
        actor.teams = services.store.teams_of_user(user_id);
    return actor;
}

Result<model::Account> resolve_account(AppServices& services, const AuthContext& auth, std::string_view account_id)
{
    if (!crypto::is_id(account_id, "ac"))
        return api::make_error(api::ErrorCode::not_found, "not found");
    auto account = services.store.find_account(std::string(account_id));
    // Staff know sub-accounts exist (ACC-6 figures); without a live grant they get a clear 403.
    if (account && auth.staff && !auth.grant_for(account->id))
        return api::make_error(api::ErrorCode::forbidden, "no active just-in-time access grant for this sub-account");
    if (!account || !access::can_open_account(auth.actor, account->agency_id, account->id)) {
        if (account)
            // A real sub-account the actor may not open: a cross-tenant attempt (AUD-5 counts these).
            log::warn("security.cross_tenant_attempt", {{"user_id", auth.user.id}, {"account_id", account->id}});
        return api::make_error(api::ErrorCode::not_found, "not found");
    }
    return std::move(*account);
}

Result<model::Agency> resolve_agency(AppServices& services, const AuthContext& auth, std::string_view agency_id)
{
    if (!crypto::is_id(agency_id, "ag") || !access::is_member_of_agency(auth.actor, agency_id))
        return api::make_error(api::ErrorCode::not_found, "not found");
    auto agency = services.store.find_agency(std::string(agency_id));
    if (!agency)
        return api::make_error(api::ErrorCode::not_found, "not found");
    return std::move(*agency);
}

Status check_permission(const AuthContext& auth, const model::Account& account, access::Action action,
                        const std::string& owner_id)
{
    auto decision = access::authorize(auth.actor, action, {account.agency_id, account.id, owner_id});
    switch (decision) {
    case access::Decision::allow:
        return {};
    case access::Decision::not_found:
        return api::make_error(api::ErrorCode::not_found, "not found");
    case access::Decision::forbidden:
        break;
    }
    return api::make_error(api::ErrorCode::forbidden, "you do not have permission to do this");
}

std::optional<std::vector<std::string>> owners_in_scope(const AuthContext& auth, const model::Account& account,
                                                        access::Action action)
{
    const auto& actor = auth.actor;
    switch (access::scope_in(actor, access::object_of(action), access::verb_of(action), account.agency_id, account.id)) {
    case access::RecordScope::all:
        return std::nullopt;
    case access::RecordScope::team:
        return access::team_peers(actor, account.id);
    case access::RecordScope::own:
        return std::vector<std::string>{actor.user_id};
    case access::RecordScope::none: // the route check answered 403 already; never widen
        break;
    }
    return std::vector<std::string>{};
}

Result<std::optional<std::int64_t>> optional_if_match(const Request& request, std::int64_t current_version)
{
    if (!request.header("If-Match"))
        return std::optional<std::int64_t>{};
    auto fresh = if_match_current(request, current_version);
    if (!fresh || !*fresh)
        return api::make_error(api::ErrorCode::precondition_failed, "the record has changed since you read it");
    return std::optional<std::int64_t>{current_version};
}

Status check_account_permission(const AuthContext& auth, const model::Account& account, access::Action action)
{
    if (!access::can_open_account(auth.actor, account.agency_id, account.id))
        return api::make_error(api::ErrorCode::not_found, "not found");
    if (access::scope_in(auth.actor, access::object_of(action), access::verb_of(action), account.agency_id, account.id) ==
        access::RecordScope::none)
        return api::make_error(api::ErrorCode::forbidden, "you do not have permission to do this");
    return {};
}

} // namespace stronghold::server

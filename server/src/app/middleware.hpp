// The checks every request passes, in the order of DESIGN.md "Order of checks": media type and
// Origin, then session, then tenant scope (404), then permission (403). Body validation and
// If-Match belong to the handlers, which run after these.
#pragma once

#include "app/context.hpp"
#include "stronghold/api/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace stronghold::server {

bool is_state_changing(std::string_view method); // POST, PUT, PATCH, DELETE

// 415 when a state-changing request carries a body that is not application/json (a cross-site
// form cannot send that type, which makes it half of the CSRF defence, NET-2).
std::optional<api::Error> check_media_type(const Request& request);
// 403 when Origin is present and is not "https://" + Host; with origin_required (WebSocket
// upgrade) a missing Origin is refused too.
std::optional<api::Error> check_origin(const Request& request, bool origin_required);

// The session token from the Cookie header(s), when it has the shape random_token() makes.
std::optional<std::string> session_token(const Request& request);
// 401 unless the cookie names a live session (idle 30 min, absolute 12 h) of an active user.
// Refreshes last_seen at most once a minute; removes sessions found expired.
Result<AuthContext> authenticate(AppServices& services, const Request& request);
// 404 unless the sub-account exists and the actor may open it (can_open_account).
Result<model::Account> resolve_account(AppServices& services, const AuthContext& auth, std::string_view account_id);
// 404 unless the agency exists and the actor is a member of it (agency-wide or in one of its
// sub-accounts): the tenant wall of the /api/v1/agencies/{agency_id}/... routes.
Result<model::Agency> resolve_agency(AppServices& services, const AuthContext& auth, std::string_view agency_id);
// 403 (or 404) unless authorize() allows the action on a record of owner_id (empty: an unowned
// record, which only an "all" grant reaches).
Status check_permission(const AuthContext& auth, const model::Account& account, access::Action action,
                        const std::string& owner_id = {});
// The route-level check, before a record's owner is known: 404 outside the sub-account, 403 unless
// the actor may do the action on some records there (scope_in is own, team or all).
Status check_account_permission(const AuthContext& auth, const model::Account& account, access::Action action);
// The owners whose records `action` reaches for a list or an export (ACC-1 record scope):
// nullopt for every record ("all"), the actor alone ("own"), its team peers ("team"), none
// ("none": an empty list, never wider).
std::optional<std::vector<std::string>> owners_in_scope(const AuthContext& auth, const model::Account& account,
                                                        access::Action action);
// An optional If-Match (deletes of roles and teams): nullopt when absent, the current version when
// one of its tags names it, precondition_failed (answer 412 with the current record) otherwise.
Result<std::optional<std::int64_t>> optional_if_match(const Request& request, std::int64_t current_version);
// The actor of a request: the memberships, the definitions of the custom roles they name and,
// when one of those grants a "team" scope, the user's teams, read now (a role or team edit counts
// from the next request). Two indexed queries at most; none when every membership is a built-in.
access::Actor load_actor(AppServices& services, const std::string& user_id, std::vector<model::Membership> memberships);

} // namespace stronghold::server

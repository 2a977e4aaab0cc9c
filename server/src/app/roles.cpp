// Roles API (ACC-1, ACC-2; server/doc/admin-api.md "Roles"): an agency's custom roles beside the
// six read-only built-ins. Outside the agency 404; inside without the capability 403. Every
// change writes its audit row in the store's transaction; an edit counts from the holders' next
// request (the actor is loaded per request) and closes their live sockets at once.
//
// Order: agency (404), capability (403), re-authentication for PATCH (401), built-in (403), body
// (422), no escalation (403), If-Match (428/412), store (409 name, 409 assigned).
#include "app/handlers.hpp"

#include "app/middleware.hpp"
#include "app/reauth.hpp"
#include "stronghold/access/admin.hpp"
#include "stronghold/crypto/crypto.hpp"

#include <string>
#include <utility>

namespace stronghold::server {

namespace {

using access::Capability;
using access::RoleDef;

Response forbidden(std::string message = "you do not have permission to do this", std::string field = {})
{
    return error_response(api::ErrorCode::forbidden, std::move(message), std::move(field));
}

Response role_response(int status, const RoleDef& role)
{
    auto r = json_response(status, nlohmann::json(role));
    r.set_header("ETag", strong_etag(role.version));
    return r;
}

Response stale_response(const RoleDef& current)
{
    auto body = api::to_json(api::make_error(api::ErrorCode::precondition_failed, "the role has changed since you read it"));
    body["current"] = current;
    auto r = json_response(412, body);
    r.set_header("ETag", strong_etag(current.version));
    return r;
}

// Invite pickers need the list: manage_users or manage_roles, agency-wide or in any sub-account
// of the agency the actor has a membership in.
bool may_list_roles(const access::Actor& actor, const std::string& agency_id)
{
    for (const Capability c : {Capability::manage_users, Capability::manage_roles}) {
        if (access::has_capability(actor, c, agency_id))
            return true;
        for (const auto& m : actor.memberships)
            if (!m.account_id.empty() && m.account_agency_id == agency_id &&
                access::has_capability(actor, c, agency_id, m.account_id))
                return true;
    }
    return false;
}

// The agency of the path when the actor may manage its roles; answers 404/403 itself otherwise.
std::optional<std::string> managed_agency(AppServices& services, Call& call)
{
    auto agency = resolve_agency(services, *call.auth, call.param("agency_id"));
    if (!agency) {
        call.done(not_found_response());
        return std::nullopt;
    }
    if (!access::can_manage_roles(call.auth->actor, agency->id)) {
        call.done(forbidden());
        return std::nullopt;
    }
    return agency->id;
}

// The custom role of the path: built-ins are 403 (read-only), anything else unknown 404.
std::optional<RoleDef> custom_role_of_path(AppServices& services, Call& call, const std::string& agency_id)
{
    const auto id = call.param("id");
    if (model::role_from_string(id)) {
        call.done(forbidden("built-in roles cannot be changed; copy one"));
        return std::nullopt;
    }
    auto role = crypto::is_id(id, "ro") ? services.store.find_role(agency_id, id) : std::nullopt;
    if (!role)
        call.done(not_found_response());
    return role;
}

Result<nlohmann::json> parse_object(const std::string& body)
{
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded())
        return api::make_error(api::ErrorCode::malformed_json, "the request body is not valid JSON");
    if (!j.is_object())
        return api::make_error(api::ErrorCode::validation_failed, "expected a JSON object", "body");
    return j;
}

// `copy_of`: a built-in name or a custom role of this agency; its table is the starting point.
Result<RoleDef> copy_source(AppServices& services, const std::string& agency_id, const nlohmann::json& copy_of)
{
    auto unknown = api::make_error(api::ErrorCode::validation_failed, "must name a role of this agency", "copy_of");
    if (!copy_of.is_string())
        return unknown;
    const auto ref = copy_of.get<std::string>();
    if (auto builtin = model::role_from_string(ref))
        return *access::builtin_role(*builtin);
    if (auto custom = crypto::is_id(ref, "ro") ? services.store.find_role(agency_id, ref) : std::nullopt)
        return std::move(*custom);
    return unknown;
}

// No escalation: a role may hold only capabilities its author holds agency-wide (403 naming the field).
Status check_capabilities(const access::Actor& actor, const std::string& agency_id, const RoleDef& role)
{
    for (const Capability c : access::k_capabilities)
        if (role.has(c) && !access::has_capability(actor, c, agency_id))
            return api::make_error(api::ErrorCode::forbidden,
                                   "you cannot give a role the capability " + std::string(access::to_string(c)) +
                                       ", which you do not have",
                                   "capabilities");
    return {};
}

AuditEntry role_audit(AppServices& services, const Call& call, const char* action, const RoleDef& role,
                      nlohmann::json details)
{
    AuditEntry audit;
    audit.at = services.clock();
    audit.agency_id = role.agency_id;
    audit.actor = call.actor_ref();
    audit.action = action;
    audit.target_type = "role";
    audit.target_id = role.id;
    details["name"] = role.name;
    audit.details = std::move(details);
    return audit;
}

// {"field":{"old","new"}} for the fields an edit changes (tables and names: settings, no secrets).
nlohmann::json changes_of(const RoleDef& before, const RoleDef& after)
{
    const nlohmann::json b = before, a = after;
    auto out = nlohmann::json::object();
    for (const char* key : {"name", "description", "permissions", "capabilities"})
        if (b[key] != a[key])
            out[key] = {{"old", b[key]}, {"new", a[key]}};
    return out;
}

} // namespace

void handle_roles_list(AppServices& services, Call call)
{
    auto agency = resolve_agency(services, *call.auth, call.param("agency_id"));
    if (!agency)
        return call.done(not_found_response());
    if (!may_list_roles(call.auth->actor, agency->id))
        return call.done(forbidden());
    auto items = nlohmann::json::array();
    for (const auto& r : access::builtin_roles())
        items.push_back(r);
    for (const auto& r : services.store.roles_of_agency(agency->id))
        items.push_back(r);
    call.done(json_response(200, {{"items", items}}));
}

void handle_role_create(AppServices& services, Call call)
{
    auto agency_id = managed_agency(services, call);
    if (!agency_id)
        return;
    auto body = parse_object(call.request.body);
    if (!body)
        return call.done(error_response(body.error()));
    std::optional<RoleDef> base;
    if (auto it = body->find("copy_of"); it != body->end()) {
        auto source = copy_source(services, *agency_id, *it);
        if (!source)
            return call.done(error_response(source.error()));
        base = std::move(*source);
        body->erase("copy_of");
    }
    if (!body->contains("name")) // a copy needs its own name too
        return call.done(error_response(api::ErrorCode::validation_failed, "is required", "name"));
    auto role = access::role_from_request(*body, base ? &*base : nullptr);
    if (!role)
        return call.done(error_response(role.error()));
    if (auto st = check_capabilities(call.auth->actor, *agency_id, *role); !st)
        return call.done(error_response(st.error()));
    role->id = crypto::random_id("ro");
    role->agency_id = *agency_id;
    role->version = 1;
    nlohmann::json details = {{"role", *role}};
    if (base)
        details["copy_of"] = base->id;
    const auto now = services.clock();
    auto saved = services.store.create_role(*role, now, role_audit(services, call, "role.create", *role, details));
    if (!saved)
        return call.done(error_response(saved.error()));
    auto r = role_response(201, *saved);
    r.set_header("Location", "/api/v1/agencies/" + *agency_id + "/roles/" + saved->id);
    call.done(std::move(r));
}

void handle_role_patch(AppServices& services, Call call)
{
    auto agency_id = managed_agency(services, call);
    if (!agency_id)
        return;
    const auto now = services.clock();
    if (auto st = require_recent_auth(*call.auth, now); !st)
        return call.done(error_response(st.error()));
    auto current = custom_role_of_path(services, call, *agency_id);
    if (!current)
        return;
    auto body = parse_object(call.request.body);
    if (!body)
        return call.done(error_response(body.error()));
    auto after = access::role_from_request(*body, &*current);
    if (!after)
        return call.done(error_response(after.error()));
    if (auto st = check_capabilities(call.auth->actor, *agency_id, *after); !st)
        return call.done(error_response(st.error()));
    auto fresh = if_match_current(call.request, current->version);
    if (!fresh)
        return call.done(error_response(fresh.error()));
    if (!*fresh)
        return call.done(stale_response(*current));
    const auto changes = changes_of(*current, *after);
    if (changes.empty()) // nothing to write: no version bump, no audit row
        return call.done(role_response(200, *current));
    auto fields = nlohmann::json::array();
    for (const auto& [key, _] : changes.items())
        fields.push_back(key);
    auto saved = services.store.update_role(
        *after, current->version, now,
        role_audit(services, call, "role.update", *after, {{"fields", fields}, {"changes", changes}}));
    if (!saved) {
        // Lost a race with another admin between our read and the write: as a stale If-Match.
        if (saved.error().code == api::ErrorCode::precondition_failed)
            if (auto now_role = services.store.find_role(*agency_id, current->id))
                return call.done(stale_response(*now_role));
        return call.done(saved.error().code == api::ErrorCode::not_found ? not_found_response()
                                                                         : error_response(saved.error()));
    }
    // The new table applies from each holder's next request; a live socket was authorized under
    // the old one, so it closes now (DESIGN.md: changing a role closes the user's sockets).
    for (const auto& user_id : services.store.role_holders(saved->id))
        services.hub.close_user(user_id);
    call.done(role_response(200, *saved));
}

void handle_role_delete(AppServices& services, Call call)
{
    auto agency_id = managed_agency(services, call);
    if (!agency_id)
        return;
    auto current = custom_role_of_path(services, call, *agency_id);
    if (!current)
        return;
    // If-Match is optional here (a delete changes nothing a holder could have based work on);
    // when sent it must be current.
    auto expected = optional_if_match(call.request, current->version);
    if (!expected)
        return call.done(stale_response(*current));
    auto st = services.store.delete_role(*agency_id, current->id, *expected,
                                         role_audit(services, call, "role.delete", *current, {{"role", *current}}));
    if (!st)
        return call.done(st.error().code == api::ErrorCode::not_found ? not_found_response() : error_response(st.error()));
    Response r;
    r.status = 204;
    call.done(std::move(r));
}

} // namespace stronghold::server

// One authorize() decides for the browser (hide or disable) and the server (refuse).
// Deny by default: anything not granted by a role is refused.
#pragma once

#include "stronghold/access/permissions.hpp"
#include "stronghold/model/tenancy.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace stronghold::access {

// object.action, wire names as in `/me` permissions: "contact.view", "contact.create", ...
enum class Action { contact_view, contact_create, contact_edit, contact_delete, contact_export, contact_import };
std::string_view to_string(Action action); // "contact.view"
inline constexpr Action k_contact_actions[] = {Action::contact_view, Action::contact_create, Action::contact_edit,
                                               Action::contact_delete, Action::contact_export, Action::contact_import};

Object object_of(Action action); // Object::contact
Verb verb_of(Action action);

struct Actor {
    std::string user_id;
    std::vector<model::Membership> memberships;
    // The definitions of the custom roles its memberships name (built-ins need none). A custom
    // membership whose definition is missing, or belongs to another agency, grants nothing.
    std::vector<RoleDef> roles{};
    // The teams the actor belongs to, with their members ("team" record scope).
    std::vector<Team> teams{};
};

// The record (or, for create/list, the sub-account) being acted on.
struct Target {
    std::string agency_id;  // the agency owning the sub-account
    std::string account_id;
    std::string owner_id;   // record owner; empty for sub-account level actions
};

enum class Decision {
    allow,
    forbidden, // the actor may open this sub-account but not do this: 403
    not_found, // outside every sub-account the actor may open: 404 (and a security event)
};

Decision authorize(const Actor& actor, Action action, const Target& target);

// The general form: any object and verb. The record's owner decides under own and team scope:
// an owner-less target (an unowned record) passes only an "all" grant. Creating passes the owner
// the new record will have (normally the actor); lists filter with scope_in().
Decision authorize(const Actor& actor, Object object, Verb verb, const Target& target);

// The widest record scope the actor has for object x verb in the sub-account (none when it
// cannot open it): lists use it to filter (own: owner_id = actor; team: owner_id in team_peers).
RecordScope scope_in(const Actor& actor, Object object, Verb verb, std::string_view agency_id, std::string_view account_id);

// The actor and everyone sharing a team with it in that sub-account, sorted, without duplicates.
std::vector<std::string> team_peers(const Actor& actor, std::string_view account_id);

// Admin capabilities (ACC-2). With an empty account_id: an agency-wide capability (an agency-level
// membership whose role grants it). With an account_id: the capability inside that sub-account
// (agency-wide, or an account-level membership there, e.g. account_admin's manage_users).
bool has_capability(const Actor& actor, Capability capability, std::string_view agency_id,
                    std::string_view account_id = {});

// True when some membership lets the actor open the sub-account at all.
bool can_open_account(const Actor& actor, std::string_view agency_id, std::string_view account_id);

// The actions granted in a sub-account, as wire strings ("contact.view", "deal.export", ...) for
// every object, for `/me` and the dashboard. Actions that depend on record ownership (delete
// own) are listed when allowed on the actor's own records.
std::vector<std::string> permissions_in(const Actor& actor, std::string_view agency_id, std::string_view account_id);

} // namespace stronghold::access

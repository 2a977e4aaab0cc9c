// One authorize() decides for the browser (hide or disable) and the server (refuse).
// Deny by default: anything not granted by a role is refused.
#pragma once

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

struct Actor {
    std::string user_id;
    std::vector<model::Membership> memberships;
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

// True when some membership lets the actor open the sub-account at all.
bool can_open_account(const Actor& actor, std::string_view agency_id, std::string_view account_id);

// The actions granted in a sub-account, as wire strings, for `/me` and the dashboard. Actions
// that depend on record ownership (delete own) are listed when allowed on the actor's own records.
std::vector<std::string> permissions_in(const Actor& actor, std::string_view agency_id, std::string_view account_id);

} // namespace stronghold::access

// Agency administration rights (users, their sessions): who may manage which users. The same
// rule hides the Users screen in the browser and refuses the admin routes on the server.
#pragma once

#include "stronghold/access/authorize.hpp"

#include <string_view>
#include <vector>

namespace stronghold::access {

// True when some membership of the actor belongs to the agency (agency-wide or a sub-account of it).
bool is_member_of_agency(const Actor& actor, std::string_view agency_id);

// Agency-wide capabilities (built-ins: agency_owner and agency_admin; custom roles as granted).
// The dashboard shows "Users", "Roles" and "Security settings" on these rules.
bool can_manage_users(const Actor& actor, std::string_view agency_id);
bool can_manage_security(const Actor& actor, std::string_view agency_id);
bool can_manage_roles(const Actor& actor, std::string_view agency_id);

// May the actor manage this user of the agency (deactivate, change roles, list and revoke their
// sessions)? not_found: the actor is outside the agency, or the user is not a member of it
// (nothing to learn about other tenants); forbidden: inside the agency without manage_users
// (agency-wide, or in every sub-account the user belongs to), or a non-owner acting on an owner
// (only an owner manages owners); allow otherwise.
Decision authorize_user_admin(const Actor& actor, std::string_view agency_id,
                              const std::vector<model::Membership>& target_memberships);

// May the actor give this membership (invite, or change a user's role) with this role definition?
// Needs manage_users where the membership sits; only an owner grants agency_owner; nobody grants
// a capability they do not hold there, nor a record scope wider than their own there (no
// escalation through a custom role); another agency's custom role is not_found.
Decision authorize_role_grant(const Actor& actor, const model::Membership& grant, const RoleDef& role);

} // namespace stronghold::access

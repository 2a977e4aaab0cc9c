// Agency administration rights (users, their sessions): who may manage which users. The same
// rule hides the Users screen in the browser and refuses the admin routes on the server.
#pragma once

#include "stronghold/access/authorize.hpp"

#include <string_view>
#include <vector>

namespace stronghold::access {

// True when some membership of the actor belongs to the agency (agency-wide or a sub-account of it).
bool is_member_of_agency(const Actor& actor, std::string_view agency_id);

// agency_owner and agency_admin of that agency manage its users.
bool can_manage_users(const Actor& actor, std::string_view agency_id);

// agency_owner and agency_admin of that agency manage its security settings (password policy,
// 2FA requirement, session timeouts): the dashboard shows "Security settings" on this rule.
bool can_manage_security(const Actor& actor, std::string_view agency_id);

// May the actor manage this user of the agency (list and revoke their sessions)?
// not_found: the actor is outside the agency, or the user is not a member of it (nothing to
// learn about other tenants); forbidden: inside the agency without admin rights, or an admin
// acting on an owner (only an owner manages owners); allow otherwise.
Decision authorize_user_admin(const Actor& actor, std::string_view agency_id,
                              const std::vector<model::Membership>& target_memberships);

} // namespace stronghold::access

// Agency administration: DESIGN.md "Built-in roles" (users column): agency_owner all,
// agency_admin all but owners; everyone else nothing at agency level.
#include "stronghold/access/admin.hpp"

namespace stronghold::access {

namespace {

using model::Membership;
using model::Role;

bool in_agency(const Membership& m, std::string_view agency_id)
{
    if (agency_id.empty())
        return false;
    if (!m.agency_id.empty() && m.account_id.empty())
        return m.agency_id == agency_id;
    return !m.account_id.empty() && m.account_agency_id == agency_id;
}

bool has_agency_role(const Actor& actor, std::string_view agency_id, Role role)
{
    for (const auto& m : actor.memberships)
        if ((m.user_id.empty() || m.user_id == actor.user_id) && m.account_id.empty() && m.agency_id == agency_id &&
            m.role == role)
            return true;
    return false;
}

} // namespace

bool is_member_of_agency(const Actor& actor, std::string_view agency_id)
{
    if (actor.user_id.empty())
        return false;
    for (const auto& m : actor.memberships)
        if ((m.user_id.empty() || m.user_id == actor.user_id) && in_agency(m, agency_id))
            return true;
    return false;
}

bool can_manage_users(const Actor& actor, std::string_view agency_id)
{
    if (actor.user_id.empty() || agency_id.empty())
        return false;
    return has_agency_role(actor, agency_id, Role::agency_owner) ||
           has_agency_role(actor, agency_id, Role::agency_admin);
}

bool can_manage_security(const Actor& actor, std::string_view agency_id)
{
    // Today the same two roles as user management (DESIGN.md "Built-in roles"); a function of its
    // own so custom roles can grant it separately without touching its callers.
    return can_manage_users(actor, agency_id);
}

Decision authorize_user_admin(const Actor& actor, std::string_view agency_id,
                              const std::vector<Membership>& target_memberships)
{
    if (!is_member_of_agency(actor, agency_id))
        return Decision::not_found;
    bool target_in = false;
    bool target_owner = false;
    for (const auto& m : target_memberships) {
        if (!in_agency(m, agency_id))
            continue;
        target_in = true;
        target_owner = target_owner || (m.account_id.empty() && m.role == Role::agency_owner);
    }
    if (!target_in)
        return Decision::not_found;
    if (!can_manage_users(actor, agency_id))
        return Decision::forbidden;
    if (target_owner && !has_agency_role(actor, agency_id, Role::agency_owner))
        return Decision::forbidden;
    return Decision::allow;
}

} // namespace stronghold::access

// Agency administration: DESIGN.md "Built-in roles" (users column): agency_owner all,
// agency_admin all but owners; account_admin the users of its sub-account; custom roles what
// their capabilities say. Capabilities come from the role tables (access/permissions.hpp).
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
    return has_capability(actor, Capability::manage_users, agency_id);
}

bool can_manage_security(const Actor& actor, std::string_view agency_id)
{
    return has_capability(actor, Capability::manage_security, agency_id);
}

bool can_manage_roles(const Actor& actor, std::string_view agency_id)
{
    return has_capability(actor, Capability::manage_roles, agency_id);
}

Decision authorize_user_admin(const Actor& actor, std::string_view agency_id,
                              const std::vector<Membership>& target_memberships)
{
    if (!is_member_of_agency(actor, agency_id))
        return Decision::not_found;
    bool target_in = false;
    bool target_owner = false;
    bool within_my_accounts = true; // every membership of the target sits in a sub-account I manage
    for (const auto& m : target_memberships) {
        if (!in_agency(m, agency_id))
            continue;
        target_in = true;
        target_owner = target_owner || (m.account_id.empty() && m.role == Role::agency_owner);
        within_my_accounts = within_my_accounts && !m.account_id.empty() &&
                             has_capability(actor, Capability::manage_users, agency_id, m.account_id);
    }
    if (!target_in)
        return Decision::not_found;
    if (!can_manage_users(actor, agency_id) && !within_my_accounts)
        return Decision::forbidden;
    if (target_owner && !has_agency_role(actor, agency_id, Role::agency_owner))
        return Decision::forbidden;
    return Decision::allow;
}

Decision authorize_role_grant(const Actor& actor, const Membership& grant, const RoleDef& role)
{
    const bool agency_wide = !grant.agency_id.empty() && grant.account_id.empty();
    const std::string_view agency_id = agency_wide ? std::string_view(grant.agency_id) : std::string_view(grant.account_agency_id);
    if (!is_member_of_agency(actor, agency_id))
        return Decision::not_found;
    const std::string_view account_id = agency_wide ? std::string_view{} : std::string_view(grant.account_id);
    if (!has_capability(actor, Capability::manage_users, agency_id, account_id))
        return Decision::forbidden;
    if (grant.role == Role::agency_owner && !has_agency_role(actor, agency_id, Role::agency_owner))
        return Decision::forbidden; // only an owner makes owners
    if (!role.builtin && role.agency_id != agency_id)
        return Decision::not_found; // another agency's custom role
    for (const Capability c : k_capabilities) // no one hands out more than they hold there
        if (role.has(c) && !has_capability(actor, c, agency_id, account_id))
            return Decision::forbidden;
    // Nor wider record scopes than their own there: agency-wide, what their agency-level
    // memberships give (an id no sub-account has selects exactly those); else in the sub-account.
    constexpr std::string_view k_no_sub_account = "\x01agency-wide";
    const std::string_view where = agency_wide ? k_no_sub_account : account_id;
    for (const Object o : k_objects)
        for (const Verb v : k_verbs)
            if (role.scope(o, v) > scope_in(actor, o, v, agency_id, where))
                return Decision::forbidden;
    return Decision::allow;
}

} // namespace stronghold::access

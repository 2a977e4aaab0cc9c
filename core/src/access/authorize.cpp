// Built-in roles (DESIGN.md "Built-in roles") for the contact actions.
//
// Two walls, in this order: scope (may the actor open this sub-account at all? else not_found,
// so a stranger learns nothing) and permission (may they do this here? else forbidden).
// A membership counts only when its tenant matches the target's: an agency membership needs the
// same agency, an account membership the same account AND the same owning agency. Anything
// not matched below grants nothing (deny by default).
#include "stronghold/access/authorize.hpp"

#include <array>

namespace stronghold::access {

namespace {

using model::Membership;
using model::Role;

enum class Grant { none, own, all }; // own: only records whose owner_id is the actor

constexpr std::size_t k_action_count = std::size(k_contact_actions);
using Grants = std::array<Grant, k_action_count>; // indexed by Action

constexpr Grants k_none{Grant::none, Grant::none, Grant::none, Grant::none, Grant::none, Grant::none};
constexpr Grants k_full{Grant::all, Grant::all, Grant::all, Grant::all, Grant::all, Grant::all};
// view, create, edit; delete own; no export or import
constexpr Grants k_member{Grant::all, Grant::all, Grant::all, Grant::own, Grant::none, Grant::none};
constexpr Grants k_view_only{Grant::all, Grant::none, Grant::none, Grant::none, Grant::none, Grant::none};

struct Scope {
    bool reaches = false; // some membership opens the sub-account
    Grants grants = k_none;
};

// What one membership gives in the target sub-account; reaches=false when it does not apply.
Scope scope_of(const Membership& m, std::string_view agency_id, std::string_view account_id)
{
    const bool agency_level = !m.agency_id.empty() && m.account_id.empty();
    const bool account_level = m.agency_id.empty() && !m.account_id.empty();
    if (agency_level && m.agency_id == agency_id) {
        switch (m.role) {
        case Role::agency_owner:
        case Role::agency_admin:
            return {true, k_full};
        case Role::read_only:
            return {true, k_view_only};
        default:
            // agency_user reaches only sub-accounts it is assigned to (account-level memberships);
            // account roles make no sense agency-wide.
            return {};
        }
    }
    if (account_level && m.account_id == account_id && m.account_agency_id == agency_id) {
        switch (m.role) {
        case Role::account_admin:
            return {true, k_full};
        case Role::agency_user: // an assignment of agency staff to this sub-account
        case Role::account_user:
            return {true, k_member};
        case Role::read_only:
            return {true, k_view_only};
        default:
            // Agency owners/admins are agency-wide by definition; an account-level copy is a data error.
            return {};
        }
    }
    return {};
}

Scope effective(const Actor& actor, std::string_view agency_id, std::string_view account_id)
{
    Scope out;
    if (actor.user_id.empty() || agency_id.empty() || account_id.empty())
        return out;
    for (const auto& m : actor.memberships) {
        if (!m.user_id.empty() && m.user_id != actor.user_id)
            continue; // someone else's membership handed in by mistake grants nothing
        const Scope s = scope_of(m, agency_id, account_id);
        if (!s.reaches)
            continue;
        out.reaches = true;
        for (std::size_t i = 0; i < k_action_count; ++i) // the union of memberships: the strongest grant
            if (static_cast<int>(s.grants[i]) > static_cast<int>(out.grants[i]))
                out.grants[i] = s.grants[i];
    }
    return out;
}

} // namespace

std::string_view to_string(Action action)
{
    switch (action) {
    case Action::contact_view:
        return "contact.view";
    case Action::contact_create:
        return "contact.create";
    case Action::contact_edit:
        return "contact.edit";
    case Action::contact_delete:
        return "contact.delete";
    case Action::contact_export:
        return "contact.export";
    case Action::contact_import:
        return "contact.import";
    }
    return {};
}

Decision authorize(const Actor& actor, Action action, const Target& target)
{
    const Scope scope = effective(actor, target.agency_id, target.account_id);
    if (!scope.reaches)
        return Decision::not_found;
    const auto index = static_cast<std::size_t>(action);
    if (index >= k_action_count)
        return Decision::forbidden;
    switch (scope.grants[index]) {
    case Grant::all:
        return Decision::allow;
    case Grant::own:
        return !target.owner_id.empty() && target.owner_id == actor.user_id ? Decision::allow : Decision::forbidden;
    case Grant::none:
        break;
    }
    return Decision::forbidden;
}

bool can_open_account(const Actor& actor, std::string_view agency_id, std::string_view account_id)
{
    return effective(actor, agency_id, account_id).reaches;
}

std::vector<std::string> permissions_in(const Actor& actor, std::string_view agency_id, std::string_view account_id)
{
    std::vector<std::string> out;
    const Scope scope = effective(actor, agency_id, account_id);
    if (!scope.reaches)
        return out;
    for (const Action a : k_contact_actions)
        if (scope.grants[static_cast<std::size_t>(a)] != Grant::none)
            out.emplace_back(to_string(a));
    return out;
}

} // namespace stronghold::access

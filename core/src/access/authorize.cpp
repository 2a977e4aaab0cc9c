// authorize(): roles as data (access/permissions.hpp) applied to memberships.
//
// Two walls, in this order: reach (may the actor open this sub-account at all? else not_found,
// so a stranger learns nothing) and permission (may they do this here, to this record? else
// forbidden). A membership counts only when its tenant matches the target's: an agency
// membership needs the same agency, an account membership the same account AND the same owning
// agency. Anything not granted grants nothing (deny by default); several memberships reaching
// the same sub-account combine to the widest grant of each.
#include "stronghold/access/authorize.hpp"

#include <algorithm>

namespace stronghold::access {

namespace {

using model::Membership;
using model::Role;

bool mine(const Actor& actor, const Membership& m) { return m.user_id.empty() || m.user_id == actor.user_id; }

// The definition behind a membership: the built-in table, or the actor's copy of the custom role
// (which must belong to the membership's agency).
const RoleDef* role_of(const Actor& actor, const Membership& m)
{
    if (m.role != Role::custom)
        return builtin_role(m.role);
    const std::string& agency = m.account_id.empty() ? m.agency_id : m.account_agency_id;
    for (const auto& r : actor.roles)
        if (!r.builtin && r.id == m.role_id && r.agency_id == agency && !agency.empty())
            return &r;
    return nullptr;
}

// Which roles reach every sub-account from an agency-wide membership, and which may sit on a
// single sub-account (DESIGN.md "Built-in roles"). agency_user reaches only the sub-accounts it
// is assigned to (account-level memberships); owner and admin are agency-wide by definition.
bool reaches_from_agency(Role r) { return r == Role::agency_owner || r == Role::agency_admin || r == Role::read_only || r == Role::custom; }
bool valid_on_account(Role r) { return r != Role::agency_owner && r != Role::agency_admin; }

bool agency_level(const Membership& m) { return !m.agency_id.empty() && m.account_id.empty(); }
bool account_level(const Membership& m) { return m.agency_id.empty() && !m.account_id.empty(); }

// Does the membership open the target sub-account? (A custom role whose definition is missing
// still opens it, granting nothing: the user is a member, answers are 403 rather than 404.)
bool reaches(const Actor& actor, const Membership& m, std::string_view agency_id, std::string_view account_id)
{
    if (!mine(actor, m))
        return false; // someone else's membership handed in by mistake grants nothing
    if (agency_level(m))
        return m.agency_id == agency_id && reaches_from_agency(m.role);
    return account_level(m) && m.account_id == account_id && m.account_agency_id == agency_id && valid_on_account(m.role);
}

struct Effective {
    bool reaches = false;
    RecordGrants grants{};
};

Effective effective(const Actor& actor, std::string_view agency_id, std::string_view account_id)
{
    Effective out;
    if (actor.user_id.empty() || agency_id.empty() || account_id.empty())
        return out;
    for (const auto& m : actor.memberships) {
        if (!reaches(actor, m, agency_id, account_id))
            continue;
        out.reaches = true;
        const RoleDef* role = role_of(actor, m);
        if (!role)
            continue;
        for (std::size_t o = 0; o < k_object_count; ++o)
            for (std::size_t v = 0; v < k_verb_count; ++v)
                out.grants[o][v] = std::max(out.grants[o][v], role->records[o][v]);
    }
    return out;
}

bool shares_team(const Actor& actor, std::string_view account_id, std::string_view user_id)
{
    for (const auto& t : actor.teams) {
        if (t.account_id != account_id)
            continue;
        const bool actor_in = std::find(t.member_ids.begin(), t.member_ids.end(), actor.user_id) != t.member_ids.end();
        if (actor_in && std::find(t.member_ids.begin(), t.member_ids.end(), user_id) != t.member_ids.end())
            return true;
    }
    return false;
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

Object object_of(Action) { return Object::contact; }

Verb verb_of(Action action)
{
    switch (action) {
    case Action::contact_view:
        return Verb::view;
    case Action::contact_create:
        return Verb::create;
    case Action::contact_edit:
        return Verb::edit;
    case Action::contact_delete:
        return Verb::remove;
    case Action::contact_export:
        return Verb::export_;
    case Action::contact_import:
        return Verb::import_;
    }
    return Verb::view;
}

Decision authorize(const Actor& actor, Object object, Verb verb, const Target& target)
{
    const Effective e = effective(actor, target.agency_id, target.account_id);
    if (!e.reaches)
        return Decision::not_found;
    const auto o = static_cast<std::size_t>(object);
    const auto v = static_cast<std::size_t>(verb);
    if (o >= k_object_count || v >= k_verb_count)
        return Decision::forbidden;
    const bool owner_is_actor = !target.owner_id.empty() && target.owner_id == actor.user_id;
    switch (e.grants[o][v]) {
    case RecordScope::all:
        return Decision::allow;
    case RecordScope::team:
        return owner_is_actor || (!target.owner_id.empty() && shares_team(actor, target.account_id, target.owner_id))
                   ? Decision::allow
                   : Decision::forbidden;
    case RecordScope::own:
        return owner_is_actor ? Decision::allow : Decision::forbidden;
    case RecordScope::none:
        break;
    }
    return Decision::forbidden;
}

Decision authorize(const Actor& actor, Action action, const Target& target)
{
    return authorize(actor, object_of(action), verb_of(action), target);
}

RecordScope scope_in(const Actor& actor, Object object, Verb verb, std::string_view agency_id, std::string_view account_id)
{
    const Effective e = effective(actor, agency_id, account_id);
    const auto o = static_cast<std::size_t>(object);
    const auto v = static_cast<std::size_t>(verb);
    if (!e.reaches || o >= k_object_count || v >= k_verb_count)
        return RecordScope::none;
    return e.grants[o][v];
}

std::vector<std::string> team_peers(const Actor& actor, std::string_view account_id)
{
    std::vector<std::string> out;
    if (!actor.user_id.empty())
        out.push_back(actor.user_id);
    for (const auto& t : actor.teams) {
        if (t.account_id != account_id ||
            std::find(t.member_ids.begin(), t.member_ids.end(), actor.user_id) == t.member_ids.end())
            continue;
        out.insert(out.end(), t.member_ids.begin(), t.member_ids.end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool has_capability(const Actor& actor, Capability capability, std::string_view agency_id, std::string_view account_id)
{
    if (actor.user_id.empty() || agency_id.empty())
        return false;
    for (const auto& m : actor.memberships) {
        if (!mine(actor, m))
            continue;
        const bool here = (agency_level(m) && m.agency_id == agency_id) ||
                          (!account_id.empty() && account_level(m) && m.account_id == account_id &&
                           m.account_agency_id == agency_id && valid_on_account(m.role));
        if (!here)
            continue;
        if (const RoleDef* role = role_of(actor, m); role && role->has(capability))
            return true;
    }
    return false;
}

bool can_open_account(const Actor& actor, std::string_view agency_id, std::string_view account_id)
{
    return effective(actor, agency_id, account_id).reaches;
}

std::vector<std::string> permissions_in(const Actor& actor, std::string_view agency_id, std::string_view account_id)
{
    std::vector<std::string> out;
    const Effective e = effective(actor, agency_id, account_id);
    if (!e.reaches)
        return out;
    for (const Object o : k_objects)
        for (const Verb v : k_verbs)
            if (e.grants[static_cast<std::size_t>(o)][static_cast<std::size_t>(v)] != RecordScope::none)
                out.push_back(std::string(to_string(o)) + "." + std::string(to_string(v)));
    return out;
}

} // namespace stronghold::access

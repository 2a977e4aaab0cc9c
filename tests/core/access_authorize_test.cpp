#include "stronghold/access/authorize.hpp"

#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace stronghold;
using namespace stronghold::access;
using model::Membership;
using model::Role;

BOOST_AUTO_TEST_SUITE(access_authorize)

namespace {

constexpr const char* k_me = "us_me";
constexpr const char* k_other_user = "us_other";

// Agency A with sub-accounts A1 (where the actor's account memberships are) and A2; agency B with B1.
const Target k_a1{"ag_a", "ac_a1", ""};
const Target k_a2{"ag_a", "ac_a2", ""};
const Target k_b1{"ag_b", "ac_b1", ""};

Membership agency_m(Role r, const char* agency = "ag_a")
{
    return Membership{k_me, agency, "", "", r};
}
Membership account_m(Role r, const char* account = "ac_a1", const char* agency = "ag_a")
{
    return Membership{k_me, "", account, agency, r};
}

Actor actor_for(Role role)
{
    switch (role) {
    case Role::agency_owner:
    case Role::agency_admin:
        return {k_me, {agency_m(role)}};
    case Role::agency_user: // member of the agency, assigned to A1 only
        return {k_me, {agency_m(role), account_m(role)}};
    default:
        return {k_me, {account_m(role)}};
    }
}

// The expected outcome, written from DESIGN.md's "Built-in roles" table, one string per
// (role, placement): six actions (view, create, edit, delete, export, import) for the actor's
// own record, then "/", then for someone else's record. A allow, F forbidden (403), N not found (404).
struct Expected {
    Role role;
    const char* same;        // target in A1
    const char* sibling;     // target in A2: same agency, another sub-account
    const char* other_agency; // target in B1
};
const Expected k_matrix[] = {
    {Role::agency_owner, "AAAAAA/AAAAAA", "AAAAAA/AAAAAA", "NNNNNN/NNNNNN"},
    {Role::agency_admin, "AAAAAA/AAAAAA", "AAAAAA/AAAAAA", "NNNNNN/NNNNNN"},
    {Role::agency_user, "AAAAFF/AAAFFF", "NNNNNN/NNNNNN", "NNNNNN/NNNNNN"},
    {Role::account_admin, "AAAAAA/AAAAAA", "NNNNNN/NNNNNN", "NNNNNN/NNNNNN"},
    {Role::account_user, "AAAAFF/AAAFFF", "NNNNNN/NNNNNN", "NNNNNN/NNNNNN"},
    {Role::read_only, "AFFFFF/AFFFFF", "NNNNNN/NNNNNN", "NNNNNN/NNNNNN"},
};

char letter(Decision d)
{
    return d == Decision::allow ? 'A' : d == Decision::forbidden ? 'F' : 'N';
}

std::string row(const Actor& actor, Target target)
{
    std::string out;
    for (const char* owner : {k_me, k_other_user}) {
        if (!out.empty())
            out += '/';
        target.owner_id = owner;
        for (const Action a : k_contact_actions)
            out += letter(authorize(actor, a, target));
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(acc1_ten1_ten2_role_matrix_matches_design)
{
    std::ostringstream table;
    table << "role           A1 (same)      A2 (sibling)   B1 (other agency)   [view create edit delete export "
             "import; own/other's]\n";
    for (const auto& e : k_matrix) {
        const Actor actor = actor_for(e.role);
        const std::string same = row(actor, k_a1), sibling = row(actor, k_a2), other = row(actor, k_b1);
        table << model::to_string(e.role) << std::string(15 - model::to_string(e.role).size(), ' ') << same << "  "
              << sibling << "  " << other << "\n";
        BOOST_TEST_CONTEXT(model::to_string(e.role))
        {
            BOOST_TEST(same == e.same);
            BOOST_TEST(sibling == e.sibling);
            BOOST_TEST(other == e.other_agency);
        }
    }
    BOOST_TEST_MESSAGE("authorize matrix:\n" << table.str());
}

BOOST_AUTO_TEST_CASE(acc1_agency_read_only_reaches_every_sub_account_of_its_agency_only)
{
    const Actor actor{k_me, {agency_m(Role::read_only)}};
    BOOST_TEST(row(actor, k_a1) == "AFFFFF/AFFFFF");
    BOOST_TEST(row(actor, k_a2) == "AFFFFF/AFFFFF");
    BOOST_TEST(row(actor, k_b1) == "NNNNNN/NNNNNN");
}

BOOST_AUTO_TEST_CASE(acc1_unassigned_agency_user_opens_nothing)
{
    const Actor actor{k_me, {agency_m(Role::agency_user)}};
    BOOST_TEST(row(actor, k_a1) == "NNNNNN/NNNNNN");
    BOOST_TEST(!can_open_account(actor, "ag_a", "ac_a1"));
}

BOOST_AUTO_TEST_CASE(ten1_account_membership_needs_matching_agency)
{
    // A membership naming A1's id but claiming agency B must not open A1 (and must not open B1).
    const Actor forged{k_me, {account_m(Role::account_admin, "ac_a1", "ag_b")}};
    BOOST_TEST(authorize(forged, Action::contact_view, k_a1) == Decision::not_found);
    BOOST_TEST(authorize(forged, Action::contact_view, Target{"ag_b", "ac_a1", ""}) == Decision::allow);
    BOOST_TEST(authorize(forged, Action::contact_view, k_b1) == Decision::not_found);
}

BOOST_AUTO_TEST_CASE(acc1_deny_by_default_for_empty_odd_or_foreign_input)
{
    const Target a1_mine{"ag_a", "ac_a1", k_me};
    BOOST_TEST(authorize(Actor{}, Action::contact_view, a1_mine) == Decision::not_found);
    BOOST_TEST(authorize(Actor{k_me, {}}, Action::contact_view, a1_mine) == Decision::not_found);
    // Empty target ids never match empty membership ids.
    BOOST_TEST(authorize(Actor{k_me, {Membership{k_me, "", "", "", Role::agency_owner}}}, Action::contact_view,
                         Target{}) == Decision::not_found);
    // A membership with both scopes set is malformed: grants nothing.
    BOOST_TEST(authorize(Actor{k_me, {Membership{k_me, "ag_a", "ac_a1", "ag_a", Role::agency_owner}}},
                         Action::contact_view, a1_mine) == Decision::not_found);
    // Agency roles copied onto an account membership, account roles agency-wide: nothing.
    BOOST_TEST(authorize(Actor{k_me, {account_m(Role::agency_owner)}}, Action::contact_view, a1_mine) ==
               Decision::not_found);
    BOOST_TEST(authorize(Actor{k_me, {agency_m(Role::account_admin)}}, Action::contact_view, a1_mine) ==
               Decision::not_found);
    // Someone else's membership handed in by mistake.
    BOOST_TEST(authorize(Actor{k_me, {Membership{k_other_user, "ag_a", "", "", Role::agency_owner}}},
                         Action::contact_view, a1_mine) == Decision::not_found);
    // "Own" needs a real owner: an actor without id cannot own an owner-less record.
    const Actor nameless{"", {Membership{"", "", "ac_a1", "ag_a", Role::account_user}}};
    BOOST_TEST(authorize(nameless, Action::contact_delete, k_a1) == Decision::not_found);
    BOOST_TEST(authorize(actor_for(Role::account_user), Action::contact_delete, k_a1) == Decision::forbidden);
}

BOOST_AUTO_TEST_CASE(acc2_strongest_membership_wins)
{
    const Actor actor{k_me, {account_m(Role::read_only), agency_m(Role::agency_admin)}};
    BOOST_TEST(row(actor, k_a1) == "AAAAAA/AAAAAA");
}

BOOST_AUTO_TEST_CASE(acc2_permissions_in_lists_wire_names)
{
    using V = std::vector<std::string>;
    // The contact part of the list; built-ins treat every CRM object alike.
    const auto of = [](const std::vector<std::string>& list, const std::string& object) {
        V out;
        for (const auto& p : list)
            if (p.starts_with(object + "."))
                out.push_back(p);
        return out;
    };
    const V all{"contact.view", "contact.create", "contact.edit", "contact.delete", "contact.export", "contact.import"};
    BOOST_TEST((of(permissions_in(actor_for(Role::agency_owner), "ag_a", "ac_a2"), "contact") == all));
    BOOST_TEST((of(permissions_in(actor_for(Role::account_admin), "ag_a", "ac_a1"), "contact") == all));
    BOOST_TEST((of(permissions_in(actor_for(Role::account_user), "ag_a", "ac_a1"), "contact") ==
                V{"contact.view", "contact.create", "contact.edit", "contact.delete"}));
    BOOST_TEST((permissions_in(actor_for(Role::read_only), "ag_a", "ac_a1") ==
                V{"contact.view", "company.view", "deal.view", "ticket.view"}));
    BOOST_TEST(permissions_in(actor_for(Role::account_admin), "ag_a", "ac_a2").empty());
    BOOST_TEST(permissions_in(actor_for(Role::agency_owner), "ag_b", "ac_b1").empty());
    BOOST_TEST(can_open_account(actor_for(Role::agency_user), "ag_a", "ac_a1"));
    BOOST_TEST(!can_open_account(actor_for(Role::agency_user), "ag_a", "ac_a2"));
    for (const Action a : k_contact_actions)
        BOOST_TEST(std::string(to_string(a)).starts_with("contact."));
}

BOOST_AUTO_TEST_SUITE_END()

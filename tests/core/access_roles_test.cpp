// Custom roles, record scopes (own, team, all), capabilities and role grants (ACC-1, ACC-2).
#include "stronghold/access/admin.hpp"
#include "stronghold/access/permissions.hpp"

#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold;
using namespace stronghold::access;
using model::Membership;
using model::Role;

BOOST_AUTO_TEST_SUITE(access_roles)

namespace {

constexpr const char* k_me = "us_me";

Membership custom_on_account(const char* role_id, const char* account = "ac_a1", const char* agency = "ag_a")
{
    Membership m{k_me, "", account, agency, Role::custom};
    m.role_id = role_id;
    return m;
}

// "Closer": view team, edit own, delete nothing, export all; view audit log.
RoleDef closer(const char* agency = "ag_a")
{
    RoleDef r;
    r.id = "ro_closer";
    r.agency_id = agency;
    r.name = "Closer";
    r.set(Object::contact, Verb::view, RecordScope::team);
    r.set(Object::contact, Verb::edit, RecordScope::own);
    r.set(Object::contact, Verb::export_, RecordScope::all);
    r.set(Object::deal, Verb::view, RecordScope::all);
    r.grant(Capability::view_audit_log);
    return r;
}

Actor closer_actor(RoleDef role = closer())
{
    Actor a{k_me, {custom_on_account("ro_closer")}, {std::move(role)}, {}};
    a.teams.push_back(Team{"tm_1", "ac_a1", "East", {k_me, "us_peer"}});
    a.teams.push_back(Team{"tm_2", "ac_a2", "West", {k_me, "us_far"}}); // a team in another sub-account
    return a;
}

Target rec(const char* owner, const char* account = "ac_a1") { return Target{"ag_a", account, owner}; }

} // namespace

BOOST_AUTO_TEST_CASE(acc1_custom_role_scopes_own_team_all)
{
    const Actor a = closer_actor();
    BOOST_TEST(authorize(a, Object::contact, Verb::view, rec(k_me)) == Decision::allow);
    BOOST_TEST(authorize(a, Object::contact, Verb::view, rec("us_peer")) == Decision::allow);
    BOOST_TEST(authorize(a, Object::contact, Verb::view, rec("us_stranger")) == Decision::forbidden);
    // us_far shares a team with me, but in another sub-account: not my team here.
    BOOST_TEST(authorize(a, Object::contact, Verb::view, rec("us_far")) == Decision::forbidden);
    BOOST_TEST(authorize(a, Object::contact, Verb::view, rec("")) == Decision::forbidden);
    BOOST_TEST(authorize(a, Object::contact, Verb::edit, rec(k_me)) == Decision::allow);
    BOOST_TEST(authorize(a, Object::contact, Verb::edit, rec("us_peer")) == Decision::forbidden);
    BOOST_TEST(authorize(a, Object::contact, Verb::remove, rec(k_me)) == Decision::forbidden);
    BOOST_TEST(authorize(a, Object::contact, Verb::export_, rec("us_stranger")) == Decision::allow);
    BOOST_TEST(authorize(a, Object::deal, Verb::view, rec("us_stranger")) == Decision::allow);
    BOOST_TEST(authorize(a, Object::company, Verb::view, rec(k_me)) == Decision::forbidden);
    // The membership is on ac_a1 only.
    BOOST_TEST(authorize(a, Object::contact, Verb::view, rec(k_me, "ac_a2")) == Decision::not_found);
    BOOST_TEST(scope_in(a, Object::contact, Verb::view, "ag_a", "ac_a1") == RecordScope::team);
    BOOST_TEST(scope_in(a, Object::contact, Verb::view, "ag_a", "ac_a2") == RecordScope::none);
    BOOST_TEST((team_peers(a, "ac_a1") == std::vector<std::string>{"us_me", "us_peer"}));
    BOOST_TEST((team_peers(a, "ac_a9") == std::vector<std::string>{"us_me"}));
}

BOOST_AUTO_TEST_CASE(acc1_custom_role_of_another_agency_or_missing_grants_nothing)
{
    // The definition belongs to agency B: the membership in A reaches nothing it could use.
    const Actor foreign = closer_actor(closer("ag_b"));
    BOOST_TEST(authorize(foreign, Object::contact, Verb::view, rec(k_me)) == Decision::forbidden);
    BOOST_TEST(!has_capability(foreign, Capability::view_audit_log, "ag_a", "ac_a1"));
    const Actor missing{k_me, {custom_on_account("ro_closer")}, {}, {}};
    BOOST_TEST(authorize(missing, Object::contact, Verb::view, rec(k_me)) == Decision::forbidden);
    BOOST_TEST(permissions_in(missing, "ag_a", "ac_a1").empty());
}

BOOST_AUTO_TEST_CASE(acc1_agency_wide_custom_role_reaches_every_sub_account_and_combines)
{
    Membership m{k_me, "ag_a", "", "", Role::custom};
    m.role_id = "ro_closer";
    Actor a{k_me, {m, Membership{k_me, "", "ac_a2", "ag_a", Role::read_only}}, {closer()}, {}};
    BOOST_TEST(authorize(a, Object::contact, Verb::export_, rec("us_x", "ac_a2")) == Decision::allow);
    // read_only on ac_a2 adds view-all to the custom role's view-team: the widest wins.
    BOOST_TEST(scope_in(a, Object::contact, Verb::view, "ag_a", "ac_a2") == RecordScope::all);
    BOOST_TEST(scope_in(a, Object::contact, Verb::view, "ag_a", "ac_a1") == RecordScope::team);
    BOOST_TEST(authorize(a, Object::contact, Verb::view, Target{"ag_b", "ac_b1", k_me}) == Decision::not_found);
    BOOST_TEST(has_capability(a, Capability::view_audit_log, "ag_a"));
    BOOST_TEST(!has_capability(a, Capability::manage_users, "ag_a"));
}

BOOST_AUTO_TEST_CASE(acc2_capabilities_follow_the_built_in_table)
{
    const auto agency = [](Role r) { return Actor{k_me, {Membership{k_me, "ag_a", "", "", r}}, {}, {}}; };
    const auto account = [](Role r) { return Actor{k_me, {Membership{k_me, "", "ac_a1", "ag_a", r}}, {}, {}}; };
    for (const Capability c : k_capabilities) {
        BOOST_TEST(has_capability(agency(Role::agency_owner), c, "ag_a"));
        BOOST_TEST(has_capability(agency(Role::agency_admin), c, "ag_a", "ac_a9"));
        BOOST_TEST(!has_capability(agency(Role::agency_admin), c, "ag_b"));
        BOOST_TEST(!has_capability(agency(Role::agency_user), c, "ag_a"));
        BOOST_TEST(!has_capability(account(Role::account_user), c, "ag_a", "ac_a1"));
        BOOST_TEST(!has_capability(account(Role::account_admin), c, "ag_a")); // not agency-wide
        BOOST_TEST(!has_capability(account(Role::account_admin), c, "ag_a", "ac_a2"));
    }
    BOOST_TEST(has_capability(account(Role::account_admin), Capability::manage_users, "ag_a", "ac_a1"));
    BOOST_TEST(has_capability(account(Role::account_admin), Capability::view_audit_log, "ag_a", "ac_a1"));
    BOOST_TEST(!has_capability(account(Role::account_admin), Capability::manage_roles, "ag_a", "ac_a1"));
    BOOST_TEST(can_manage_roles(agency(Role::agency_admin), "ag_a"));
    BOOST_TEST(!can_manage_roles(account(Role::account_admin), "ag_a"));
}

BOOST_AUTO_TEST_CASE(acc2_role_grants_never_escalate)
{
    const auto agency = [](Role r) { return Actor{k_me, {Membership{k_me, "ag_a", "", "", r}}, {}, {}}; };
    const Actor admin = agency(Role::agency_admin);
    const Actor owner = agency(Role::agency_owner);
    const Membership owner_grant{"us_new", "ag_a", "", "", Role::agency_owner};
    BOOST_TEST(authorize_role_grant(owner, owner_grant, *builtin_role(Role::agency_owner)) == Decision::allow);
    BOOST_TEST(authorize_role_grant(admin, owner_grant, *builtin_role(Role::agency_owner)) == Decision::forbidden);
    const Membership admin_grant{"us_new", "ag_a", "", "", Role::agency_admin};
    BOOST_TEST(authorize_role_grant(admin, admin_grant, *builtin_role(Role::agency_admin)) == Decision::allow);
    BOOST_TEST(authorize_role_grant(agency(Role::agency_user), admin_grant, *builtin_role(Role::agency_admin)) ==
               Decision::forbidden);
    BOOST_TEST(authorize_role_grant(admin, Membership{"us_new", "ag_b", "", "", Role::agency_user},
                                    *builtin_role(Role::agency_user)) == Decision::not_found);

    // A sub-account admin grants sub-account roles in its sub-account only, and nothing above itself.
    const Actor acc_admin{k_me, {Membership{k_me, "", "ac_a1", "ag_a", Role::account_admin}}, {}, {}};
    const Membership user_a1{"us_new", "", "ac_a1", "ag_a", Role::account_user};
    BOOST_TEST(authorize_role_grant(acc_admin, user_a1, *builtin_role(Role::account_user)) == Decision::allow);
    BOOST_TEST(authorize_role_grant(acc_admin, Membership{"us_new", "", "ac_a2", "ag_a", Role::account_user},
                                    *builtin_role(Role::account_user)) == Decision::forbidden);
    BOOST_TEST(authorize_role_grant(acc_admin, admin_grant, *builtin_role(Role::agency_admin)) == Decision::forbidden);
    RoleDef roles_admin = closer();
    roles_admin.grant(Capability::manage_roles); // account_admin does not hold manage_roles
    Membership custom_a1{"us_new", "", "ac_a1", "ag_a", Role::custom};
    custom_a1.role_id = "ro_closer";
    BOOST_TEST(authorize_role_grant(acc_admin, custom_a1, closer()) == Decision::allow);
    BOOST_TEST(authorize_role_grant(acc_admin, custom_a1, roles_admin) == Decision::forbidden);
    BOOST_TEST(authorize_role_grant(admin, custom_a1, closer("ag_b")) == Decision::not_found);
}

BOOST_AUTO_TEST_CASE(acc2_role_grants_never_widen_record_scopes)
{
    // A custom "people manager": manages users agency-wide, but sees only its own contacts.
    RoleDef manager;
    manager.id = "ro_manager";
    manager.agency_id = "ag_a";
    manager.name = "People manager";
    manager.grant(Capability::manage_users);
    manager.grant(Capability::view_audit_log);
    for (const Object o : k_objects)
        manager.set(o, Verb::view, RecordScope::own);
    Membership m{k_me, "ag_a", "", "", Role::custom};
    m.role_id = "ro_manager";
    const Actor actor{k_me, {m}, {manager}, {}};

    Membership to_a1{"us_new", "", "ac_a1", "ag_a", Role::custom};
    to_a1.role_id = "ro_closer";
    RoleDef narrow = closer();
    narrow.records = {};
    narrow.set(Object::contact, Verb::view, RecordScope::own);
    BOOST_TEST(authorize_role_grant(actor, to_a1, narrow) == Decision::allow);
    BOOST_TEST(authorize_role_grant(actor, to_a1, closer()) == Decision::forbidden); // view team > own
    BOOST_TEST(authorize_role_grant(actor, Membership{"us_new", "", "ac_a1", "ag_a", Role::read_only},
                                    *builtin_role(Role::read_only)) == Decision::forbidden); // view all
    // Giving themselves (or anyone) the same role is fine: nothing wider than they hold.
    Membership same{"us_new", "ag_a", "", "", Role::custom};
    same.role_id = "ro_manager";
    BOOST_TEST(authorize_role_grant(actor, same, manager) == Decision::allow);
}

BOOST_AUTO_TEST_CASE(acc2_account_admin_manages_users_of_its_sub_account_only)
{
    const Actor acc_admin{k_me, {Membership{k_me, "", "ac_a1", "ag_a", Role::account_admin}}, {}, {}};
    BOOST_TEST(authorize_user_admin(acc_admin, "ag_a", {Membership{"us_x", "", "ac_a1", "ag_a", Role::account_user}}) ==
               Decision::allow);
    // Also on ac_a2 (which I do not manage): refused.
    BOOST_TEST(authorize_user_admin(acc_admin, "ag_a",
                                    {Membership{"us_x", "", "ac_a1", "ag_a", Role::account_user},
                                     Membership{"us_x", "", "ac_a2", "ag_a", Role::account_user}}) == Decision::forbidden);
    BOOST_TEST(authorize_user_admin(acc_admin, "ag_a", {Membership{"us_x", "ag_a", "", "", Role::agency_user}}) ==
               Decision::forbidden);
}

BOOST_AUTO_TEST_CASE(acc1_role_json_round_trip_and_strict_request)
{
    const RoleDef r = closer();
    const auto back = role_from_json(nlohmann::json(r));
    BOOST_REQUIRE(back.has_value());
    BOOST_TEST((*back == r));
    const nlohmann::json j = *builtin_role(Role::read_only);
    BOOST_TEST(j["permissions"]["contact"]["view"] == "all");
    BOOST_TEST(j["permissions"]["deal"]["delete"] == "none");
    BOOST_TEST(j["capabilities"].empty());
    BOOST_TEST(j["builtin"] == true);

    auto made = role_from_request(
        nlohmann::json::parse(R"({"name":" Closer ","permissions":{"contact":{"view":"team","export":"all"}},"capabilities":["view_audit_log"]})"));
    BOOST_REQUIRE(made.ok());
    BOOST_TEST(made->name == "Closer");
    BOOST_TEST((made->scope(Object::contact, Verb::view) == RecordScope::team));
    BOOST_TEST((made->scope(Object::contact, Verb::edit) == RecordScope::none));
    BOOST_TEST(made->has(Capability::view_audit_log));

    // A merge keeps what the patch does not name.
    auto merged = role_from_request(nlohmann::json::parse(R"({"permissions":{"contact":{"edit":"own"}}})"), &*made);
    BOOST_REQUIRE(merged.ok());
    BOOST_TEST((merged->scope(Object::contact, Verb::view) == RecordScope::team));
    BOOST_TEST((merged->scope(Object::contact, Verb::edit) == RecordScope::own));
    BOOST_TEST(merged->name == "Closer");

    const auto field_of = [](const char* body) {
        auto r = role_from_request(nlohmann::json::parse(body));
        return r.ok() ? std::string("ok") : r.error().field;
    };
    BOOST_TEST(field_of(R"({"permissions":{}})") == "name");
    BOOST_TEST(field_of(R"({"name":""})") == "name");
    BOOST_TEST(field_of(R"({"name":"x","permissions":{"planet":{"view":"all"}}})") == "permissions.planet");
    BOOST_TEST(field_of(R"({"name":"x","permissions":{"deal":{"fly":"all"}}})") == "permissions.deal.fly");
    BOOST_TEST(field_of(R"({"name":"x","permissions":{"deal":{"view":"some"}}})") == "permissions.deal.view");
    BOOST_TEST(field_of(R"({"name":"x","capabilities":["be_root"]})") == "capabilities");
    BOOST_TEST(field_of(R"({"name":"x","builtin":true})") == "builtin");
    BOOST_TEST(field_of(R"({"name":"x","id":"ro_mine"})") == "id");
}

BOOST_AUTO_TEST_CASE(acc1_membership_role_reference_on_the_wire)
{
    auto m = model::membership_from_json(nlohmann::json::parse(R"({"account_id":"ac_1","role":"ro_abc"})"));
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST((m->role == Role::custom));
    BOOST_TEST(m->role_id == "ro_abc");
    BOOST_TEST(nlohmann::json(*m)["role"] == "ro_abc");
    BOOST_TEST(!model::membership_from_json(nlohmann::json::parse(R"({"account_id":"ac_1","role":"custom"})")));
    BOOST_TEST(!model::role_from_string("custom"));
}

BOOST_AUTO_TEST_SUITE_END()

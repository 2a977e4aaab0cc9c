#include "stronghold/access/admin.hpp"

#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace stronghold;
using namespace stronghold::access;
using model::Membership;
using model::Role;

BOOST_AUTO_TEST_SUITE(access_admin)

namespace {

Actor actor_with(Membership m)
{
    m.user_id = "us_me";
    return Actor{"us_me", {m}};
}
Membership agency_m(Role r, const char* agency = "ag_a")
{
    return Membership{"us_x", agency, "", "", r};
}
Membership account_m(Role r, const char* account = "ac_a1", const char* agency = "ag_a")
{
    return Membership{"us_x", "", account, agency, r};
}

} // namespace

BOOST_AUTO_TEST_CASE(iam5_owners_and_admins_manage_users_of_their_agency_only)
{
    BOOST_TEST(can_manage_users(actor_with(agency_m(Role::agency_owner)), "ag_a"));
    BOOST_TEST(can_manage_users(actor_with(agency_m(Role::agency_admin)), "ag_a"));
    BOOST_TEST(!can_manage_users(actor_with(agency_m(Role::agency_owner)), "ag_b"));
    BOOST_TEST(!can_manage_users(actor_with(agency_m(Role::read_only)), "ag_a"));
    BOOST_TEST(!can_manage_users(actor_with(account_m(Role::account_admin)), "ag_a"));
    BOOST_TEST(!can_manage_users(actor_with(account_m(Role::agency_user)), "ag_a"));
    BOOST_TEST(!can_manage_users(Actor{}, "ag_a"));
}

BOOST_AUTO_TEST_CASE(iam2_owners_and_admins_manage_security_settings_of_their_agency_only)
{
    BOOST_TEST(can_manage_security(actor_with(agency_m(Role::agency_owner)), "ag_a"));
    BOOST_TEST(can_manage_security(actor_with(agency_m(Role::agency_admin)), "ag_a"));
    BOOST_TEST(!can_manage_security(actor_with(agency_m(Role::agency_admin)), "ag_b"));
    BOOST_TEST(!can_manage_security(actor_with(agency_m(Role::agency_user)), "ag_a"));
    BOOST_TEST(!can_manage_security(actor_with(account_m(Role::account_admin)), "ag_a"));
    BOOST_TEST(!can_manage_security(actor_with(agency_m(Role::agency_owner)), ""));
    BOOST_TEST(!can_manage_security(Actor{}, "ag_a"));
    // As the browser reads them from /me: memberships without a user id still count.
    BOOST_TEST(can_manage_security(Actor{"us_me", {Membership{"", "ag_a", "", "", Role::agency_admin}}}, "ag_a"));
}

BOOST_AUTO_TEST_CASE(iam5_user_admin_decisions_404_outside_403_inside)
{
    const std::vector<Membership> member_a1{account_m(Role::account_user)};
    const std::vector<Membership> member_b1{account_m(Role::account_user, "ac_b1", "ag_b")};
    const std::vector<Membership> owner_a{agency_m(Role::agency_owner)};
    const auto owner = actor_with(agency_m(Role::agency_owner));
    const auto admin = actor_with(agency_m(Role::agency_admin));
    const auto plain = actor_with(account_m(Role::account_user));
    const auto stranger = actor_with(agency_m(Role::agency_owner, "ag_b"));

    BOOST_TEST(authorize_user_admin(owner, "ag_a", member_a1) == Decision::allow);
    BOOST_TEST(authorize_user_admin(admin, "ag_a", member_a1) == Decision::allow);
    BOOST_TEST(authorize_user_admin(owner, "ag_a", owner_a) == Decision::allow);
    // Only an owner manages owners.
    BOOST_TEST(authorize_user_admin(admin, "ag_a", owner_a) == Decision::forbidden);
    // Inside the agency without admin rights: 403.
    BOOST_TEST(authorize_user_admin(plain, "ag_a", member_a1) == Decision::forbidden);
    // Outside the agency, or a target user of another agency named under this one: 404.
    BOOST_TEST(authorize_user_admin(stranger, "ag_a", member_a1) == Decision::not_found);
    BOOST_TEST(authorize_user_admin(owner, "ag_a", member_b1) == Decision::not_found);
    BOOST_TEST(authorize_user_admin(owner, "ag_a", {}) == Decision::not_found);
    // A membership handed in for someone else grants nothing.
    Actor forged{"us_me", {Membership{"us_someone", "ag_a", "", "", Role::agency_owner}}};
    BOOST_TEST(authorize_user_admin(forged, "ag_a", member_a1) == Decision::not_found);
}

BOOST_AUTO_TEST_SUITE_END()

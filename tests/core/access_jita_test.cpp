#include "stronghold/access/jita.hpp"
#include "stronghold/access/authorize.hpp"

#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace stronghold;
using namespace stronghold::access;

BOOST_AUTO_TEST_SUITE(access_jita)

BOOST_AUTO_TEST_CASE(ACC4_deletes_of_the_four_objects_exports_and_imports_are_refused)
{
    for (auto o : k_objects) {
        BOOST_TEST(refused_under_jita(o, Verb::remove), to_string(o));
        BOOST_TEST(refused_under_jita(o, Verb::export_), to_string(o));
        BOOST_TEST(refused_under_jita(o, Verb::import_), to_string(o));
        BOOST_TEST(!refused_under_jita(o, Verb::view));
        BOOST_TEST(!refused_under_jita(o, Verb::create));
        BOOST_TEST(!refused_under_jita(o, Verb::edit));
    }
    BOOST_TEST(refused_under_jita(Capability::manage_api_keys));
    BOOST_TEST(refused_under_jita(Capability::manage_branding)); // custom domains
    BOOST_TEST(refused_under_jita(Capability::manage_security)); // SSO
    BOOST_TEST(refused_under_jita(Capability::manage_users));    // users export
    BOOST_TEST(!refused_under_jita(Capability::view_audit_log));
}

BOOST_AUTO_TEST_CASE(ACC3_grant_request_hours_1_to_24_and_a_reason)
{
    BOOST_TEST(static_cast<bool>(check_grant_request("Ticket 4411: import fails", 24)));
    BOOST_TEST(static_cast<bool>(check_grant_request("x", 1)));
    auto too_long = check_grant_request("Ticket 4411", 25);
    BOOST_REQUIRE(!too_long);
    BOOST_TEST(too_long.error().field == "hours");
    BOOST_TEST(api::to_string(too_long.error().code) == "validation_failed");
    BOOST_TEST(check_grant_request("Ticket", 0).error().field == "hours");
    BOOST_TEST(check_grant_request("Ticket", -3).error().field == "hours");
    BOOST_TEST(check_grant_request("   ", 2).error().field == "reason");
    BOOST_TEST(check_grant_request("line\nbreak", 2).error().field == "reason");
    BOOST_TEST(check_grant_request(std::string(501, 'a'), 2).error().field == "reason");
    BOOST_TEST(*check_grant_request("  padded  ", 2) == "padded");
}

BOOST_AUTO_TEST_CASE(ACC3_active_grant_expires_at_its_time)
{
    BOOST_TEST((effective_status(GrantStatus::active, 1000, 999) == GrantStatus::active));
    BOOST_TEST((effective_status(GrantStatus::active, 1000, 1000) == GrantStatus::expired));
    BOOST_TEST((effective_status(GrantStatus::revoked, 1000, 5) == GrantStatus::revoked));
    BOOST_TEST((effective_status(GrantStatus::pending, 0, 5) == GrantStatus::pending));
    for (auto s : {GrantStatus::pending, GrantStatus::active, GrantStatus::denied, GrantStatus::revoked,
                   GrantStatus::expired})
        BOOST_TEST((grant_status_from_string(to_string(s)) == std::optional(s)));
    for (auto r : {StaffRole::support, StaffRole::security, StaffRole::platform_admin})
        BOOST_TEST((staff_role_from_string(to_string(r)) == std::optional(r)));
    BOOST_TEST(!staff_role_from_string("agency_owner"));
    BOOST_TEST(!staff_sees_security_console(StaffRole::support));
    BOOST_TEST(staff_sees_security_console(StaffRole::security));
}

BOOST_AUTO_TEST_CASE(ACC3_the_grant_role_is_account_user_in_one_sub_account_only)
{
    model::Membership m{"us_staff", "", "ac_1", "ag_1", k_jita_role};
    Actor staff{"us_staff", {m}};
    BOOST_TEST(can_open_account(staff, "ag_1", "ac_1"));
    BOOST_TEST(!can_open_account(staff, "ag_1", "ac_2"));
    BOOST_TEST(!has_capability(staff, Capability::manage_users, "ag_1", "ac_1"));
    BOOST_TEST((authorize(staff, Object::contact, Verb::edit, {"ag_1", "ac_1", "us_other"}) == Decision::allow));
}

BOOST_AUTO_TEST_SUITE_END()

#include "stronghold/model/tenancy.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold::model;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(model_tenancy)

BOOST_AUTO_TEST_CASE(acc1_role_names_round_trip)
{
    const Role roles[] = {Role::agency_owner, Role::agency_admin, Role::agency_user,
                          Role::account_admin, Role::account_user, Role::read_only};
    const char* names[] = {"agency_owner", "agency_admin", "agency_user", "account_admin", "account_user", "read_only"};
    for (std::size_t i = 0; i < std::size(roles); ++i) {
        BOOST_TEST_CONTEXT(names[i])
        {
            BOOST_TEST(to_string(roles[i]) == names[i]);
            BOOST_TEST((role_from_string(names[i]) == roles[i]));
            BOOST_TEST(is_agency_role(roles[i]) == (i < 3));
        }
    }
    BOOST_TEST(!role_from_string("owner").has_value());
    BOOST_TEST(!role_from_string("Agency_Owner").has_value());
    BOOST_TEST(!role_from_string("").has_value());
}

BOOST_AUTO_TEST_CASE(ten1_agency_account_user_json_round_trip)
{
    const Agency ag{"ag_x", "Acme Agency", 1'700'000'000'123};
    const Account ac{"ac_y", "ag_x", "Bakery", "44", 1'700'000'000'000};
    const User us{"us_z", "ann@example.com", "Ann", false, 5};
    BOOST_TEST((agency_from_json(json(ag)) == ag));
    BOOST_TEST((account_from_json(json(ac)) == ac));
    BOOST_TEST((user_from_json(json(us)) == us));
    BOOST_TEST(json(ag)["created_at"] == "2023-11-14T22:13:20.123Z");
}

BOOST_AUTO_TEST_CASE(ten1_membership_wire_form_names_one_scope)
{
    const Membership agency_m{"us_a", "ag_x", "", "", Role::agency_admin};
    BOOST_TEST(json(agency_m).dump() == R"({"agency_id":"ag_x","role":"agency_admin"})");
    const Membership account_m{"us_a", "", "ac_y", "ag_x", Role::read_only};
    BOOST_TEST(json(account_m).dump() == R"({"account_id":"ac_y","role":"read_only"})");

    const auto back = membership_from_json(json(account_m));
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST(back->account_id == "ac_y");
    BOOST_TEST((back->role == Role::read_only));
}

BOOST_AUTO_TEST_CASE(readers_refuse_missing_or_mistyped_fields_without_throwing)
{
    const char* bad_memberships[] = {
        R"({"role":"agency_admin"})",                                  // no scope
        R"({"agency_id":"ag_x","account_id":"ac_y","role":"read_only"})", // both scopes
        R"({"agency_id":"ag_x","role":"superuser"})",
        R"({"agency_id":5,"role":"read_only"})",
        R"([1,2])",
    };
    for (const char* text : bad_memberships)
        BOOST_TEST_CONTEXT(text) { BOOST_TEST(!membership_from_json(json::parse(text, nullptr, false)).has_value()); }

    BOOST_TEST(!agency_from_json(json::parse(R"({"id":"ag_x","name":7,"created_at":"1970-01-01T00:00:00Z"})")));
    BOOST_TEST(!account_from_json(json::parse(R"({"id":"ac_x","agency_id":"ag","name":"n","created_at":"never"})")));
    BOOST_TEST(!user_from_json(json::parse(R"({"id":"us","email":"e","created_at":0,"active":"yes"})")));
    BOOST_TEST(!user_from_json(json(nullptr)));
}

BOOST_AUTO_TEST_SUITE_END()

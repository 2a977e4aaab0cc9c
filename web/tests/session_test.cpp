#include "app/session.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold;

BOOST_AUTO_TEST_SUITE(session_test)

BOOST_AUTO_TEST_CASE(acc2_permissions_from_me_decide_what_is_shown) {
    const auto body = nlohmann::json::parse(R"({
      "user": {"id": "us_1", "email": "a@x.io", "name": "Ada"},
      "memberships": [{"account_id": "ac_1", "role": "read_only"}],
      "accounts": [{"id": "ac_1", "name": "Bakery", "agency_id": "ag_1"}, {"id": "ac_2", "name": "Florist"}],
      "permissions": {"ac_1": ["contact.view"], "ac_2": ["contact.view", "contact.create", 7]}
    })");
    const auto me = web::app::me_from_json(body);
    BOOST_REQUIRE(me.has_value());
    BOOST_TEST(me->accounts.size() == 2u);
    BOOST_TEST(me->can("ac_1", access::Action::contact_view));
    BOOST_TEST(!me->can("ac_1", access::Action::contact_create));
    BOOST_TEST(me->can("ac_2", access::Action::contact_create));
    BOOST_TEST(!me->can("ac_3", access::Action::contact_view)); // deny by default
    BOOST_TEST(me->account("ac_2")->name == "Florist");
}

BOOST_AUTO_TEST_CASE(mistyped_me_is_refused_without_throwing) {
    BOOST_TEST(!web::app::me_from_json(nlohmann::json::parse(R"({"user": 5})")).has_value());
    BOOST_TEST(!web::app::me_from_json(nlohmann::json::array()).has_value());
    const auto me = web::app::me_from_json(nlohmann::json::parse(R"({"user":{"id":"us_1"},"accounts":"x","permissions":[]})"));
    BOOST_REQUIRE(me.has_value());
    BOOST_TEST(me->accounts.empty());
}

BOOST_AUTO_TEST_SUITE_END()

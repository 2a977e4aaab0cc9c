// CRM-1 member directory: GET /api/v1/accounts/{account_id}/members for owner pickers and bulk
// "Assign to...": who can open the sub-account, by name; emails only for who manages users.
#include "api_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

struct MembersFixture : ApiFixture {
    Response members(const std::string& account, const std::string& session)
    {
        return call("GET", "/api/v1/accounts/" + account + "/members", {}, {}, session);
    }
    static std::vector<std::string> names(const Response& r)
    {
        std::vector<std::string> out;
        const auto body = json::parse(r.body); // kept alive for the loop
        for (const auto& m : body["members"])
            out.push_back(m["name"]);
        return out;
    }
    static bool has_id(const Response& r, const std::string& id)
    {
        const auto list = json::parse(r.body)["members"];
        return std::any_of(list.begin(), list.end(), [&](const json& m) { return m["id"] == id; });
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(api_members_tests, MembersFixture)

BOOST_AUTO_TEST_CASE(CRM1_members_lists_who_opens_the_sub_account_by_name_without_emails)
{
    const auto user = login(user_a1); // account_user: may not manage users
    auto r = members(account_a1, user);
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    // Agency-wide owner, the account user, the reader and the agency_user assigned to a1; sorted.
    BOOST_TEST(names(r) == (std::vector<std::string>{"owner", "reader", "staff", "user"}), r.body);
    BOOST_TEST(has_id(r, owner_a_id));
    BOOST_TEST(has_id(r, user_a1_id));
    const auto body = json::parse(r.body);
    for (const auto& m : body["members"]) {
        BOOST_TEST(!m.contains("email"), m.dump());
        BOOST_TEST(m.size() == 2u); // id and name only
    }
    // a2: the agency owner reaches it; the staff member assigned to a1 only does not.
    auto a2 = members(account_a2, login(owner_a));
    BOOST_REQUIRE(a2.status == 200);
    BOOST_TEST(names(a2) == (std::vector<std::string>{"owner"}), a2.body);
}

BOOST_AUTO_TEST_CASE(CRM1_members_show_emails_to_who_manages_users)
{
    auto r = members(account_a1, login(owner_a));
    BOOST_REQUIRE(r.status == 200);
    const auto body = json::parse(r.body);
    BOOST_TEST(body["members"].size() == 4u);
    for (const auto& m : body["members"])
        BOOST_TEST(m.value("email", "").ends_with(".test"), m.dump());
}

BOOST_AUTO_TEST_CASE(CRM1_members_of_another_tenant_or_unreached_sub_account_are_404)
{
    BOOST_TEST(members(account_a1, login(owner_b)).status == 404);  // other agency
    BOOST_TEST(members(account_a2, login(user_a1)).status == 404);  // same agency, not a member there
    BOOST_TEST(members(account_b1, login(user_a1)).status == 404);
    BOOST_TEST(members(account_a1, {}).status == 401);               // signed out
    auto other = members(account_b1, login(owner_b));                 // and B sees only its own people
    BOOST_REQUIRE(other.status == 200);
    BOOST_TEST(!has_id(other, owner_a_id));
    BOOST_TEST(names(other) == (std::vector<std::string>{"owner"}));
}

BOOST_AUTO_TEST_CASE(CRM1_members_leave_out_deactivated_users)
{
    const auto owner = login(owner_a);
    auto before = members(account_a1, owner);
    BOOST_REQUIRE(before.status == 200);
    BOOST_TEST(has_id(before, user_a1_id));
    auto r = call("PATCH", "/api/v1/agencies/" + agency_a + "/users/" + user_a1_id, json{{"active", false}}.dump(), {}, owner);
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    auto after = members(account_a1, owner);
    BOOST_REQUIRE(after.status == 200);
    BOOST_TEST(!has_id(after, user_a1_id));
    BOOST_TEST(names(after).size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

// CRM-1 member directory (app/members): owner names in tables, the owner picker's entries, and
// answers that arrive after the user switched sub-account.
#include "app/members.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold::web::app;
using nlohmann::json;

namespace {
const json k_body = {{"members",
                      {{{"id", "us_ann"}, {"name", "Ann Archer"}},
                       {{"id", "us_me"}, {"name", "Mia Moss"}},
                       {{"id", "us_zed"}, {"name", "Zed Zane"}, {"email", "zed@example.com"}},
                       {{"id", "bogus"}, {"name", "Not a user"}},
                       {{"name", "No id"}}}}};
} // namespace

BOOST_AUTO_TEST_SUITE(members_test)

BOOST_AUTO_TEST_CASE(CRM1_members_names_replace_teammate) {
    MemberDirectory d;
    BOOST_TEST(d.needs("ac_1"));
    d.start("ac_1");
    BOOST_TEST(d.loading());
    BOOST_TEST(!d.needs("ac_1")); // asked once per sub-account
    BOOST_TEST(d.display("us_ann", "us_me") == "Teammate"); // not known yet
    d.on_answer("ac_1", k_body);
    BOOST_TEST(!d.loading());
    BOOST_TEST(d.members().size() == 3u); // entries without a user id are skipped
    BOOST_TEST(d.display("us_ann", "us_me") == "Ann Archer");
    BOOST_TEST(d.display("us_me", "us_me") == "You");
    BOOST_TEST(d.display("", "us_me") == "");
    BOOST_TEST(d.display("us_gone", "us_me") == "Teammate"); // left the sub-account
}

BOOST_AUTO_TEST_CASE(CRM1_members_picker_lists_me_first_then_by_name_with_emails_when_given) {
    MemberDirectory d;
    d.start("ac_1");
    d.on_answer("ac_1", k_body);
    std::vector<std::string> labels, ids;
    d.options("us_me", labels, ids);
    BOOST_TEST(ids == (std::vector<std::string>{"us_me", "us_ann", "us_zed"}));
    BOOST_TEST(labels[0] == "You (Mia Moss)");
    BOOST_TEST(labels[1] == "Ann Archer");
    BOOST_TEST(labels[2] == "Zed Zane  \xc2\xb7  zed@example.com");
}

BOOST_AUTO_TEST_CASE(CRM1_members_late_answer_for_another_sub_account_is_dropped) {
    MemberDirectory d;
    d.start("ac_1");
    d.start("ac_2"); // switched before the first answer came
    d.on_answer("ac_1", k_body);
    BOOST_TEST(d.members().empty());
    BOOST_TEST(d.loading());
    d.on_failed("ac_2");
    BOOST_TEST(!d.loading());
    std::vector<std::string> labels, ids;
    d.options("us_me", labels, ids); // a failed directory still offers me
    BOOST_TEST(ids == (std::vector<std::string>{"us_me"}));
    BOOST_TEST(labels == (std::vector<std::string>{"You"}));
}

BOOST_AUTO_TEST_CASE(CRM1_members_bad_body_reads_as_empty) {
    BOOST_TEST(members_from_json(json::array()).empty());
    BOOST_TEST(members_from_json(json{{"members", "x"}}).empty());
    BOOST_TEST(members_from_json(json{{"members", {1, 2}}}).empty());
}

BOOST_AUTO_TEST_SUITE_END()

// Contacts list filters (field[op]=value), errors naming the parameter, cursor pagination under
// filters, and count=true (the live counter and the capped filtered count) — CRM-1, issue 5.
#include "app/http_app.hpp"

#include "api_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

// First names of a page in order, printable in a failed check ("Ana,Eva").
struct Names {
    std::vector<std::string> v;
    Names() = default;
    Names(std::initializer_list<const char*> l) : v(l.begin(), l.end()) {}
    std::size_t size() const { return v.size(); }
    bool empty() const { return v.empty(); }
    bool operator==(const Names& o) const { return v == o.v; }
    friend std::ostream& operator<<(std::ostream& os, const Names& n)
    {
        for (std::size_t i = 0; i < n.v.size(); ++i)
            os << (i ? "," : "") << n.v[i];
        return os;
    }
};

struct FilterFixture : ApiFixture {
    std::string session = login(owner_a);
    std::string base = "/api/v1/accounts/" + account_a1 + "/contacts";
    std::vector<json> made;

    // Six contacts, one per clock step of a minute (created_at and updated_at differ).
    FilterFixture()
    {
        const json bodies[] = {
            {{"first_name", "Ana"}, {"last_name", "Lima"}, {"emails", {"Ana@Example.com"}}, {"tags", {"vip", "lead"}},
             {"company_name", "Acme"}},
            {{"first_name", "Bruno"}, {"last_name", "Lopes"}, {"emails", {"bruno@example.org"}}, {"tags", {"lead"}}},
            {{"first_name", "Carla"}, {"last_name", "Martins"}, {"tags", {"vip"}}, {"company_name", "Blue Harbor"},
             {"owner_id", user_a1_id}},
            {{"first_name", "Dario"}, {"last_name", "Marques"}, {"emails", {"dario@acme.test", "d@home.test"}}},
            {{"first_name", "Eva"}, {"last_name", "Nunes"}, {"company_name", "Acme"}, {"owner_id", user_a1_id}},
            {{"first_name", "Mara"}, {"last_name", "Zola"}, {"emails", {"mara@example.com"}}, {"tags", {"partner"}}},
        };
        for (const auto& b : bodies) {
            now += 60'000;
            made.push_back(create_contact(session, account_a1, b));
        }
    }

    json list(const std::string& params)
    {
        auto r = call("GET", base + "?" + params, {}, {}, session);
        BOOST_TEST_REQUIRE(r.status == 200, params << ": " << r.body);
        return json::parse(r.body);
    }

    // First names of one page, in the order answered.
    Names names(const std::string& params)
    {
        Names out;
        const json page = list(params); // kept: a range-for over list(...)["items"] would dangle
        for (const auto& c : page["items"])
            out.v.push_back(c["first_name"].get<std::string>());
        return out;
    }

    std::string created_iso(int i) { return made.at(i)["created_at"].get<std::string>(); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(api_contacts_filter_tests)

BOOST_FIXTURE_TEST_CASE(CRM1_each_operator_filters_text_columns, FilterFixture)
{
    BOOST_TEST(names("first_name[eq]=Carla") == Names{"Carla"});
    BOOST_TEST(names("first_name[ne]=Carla") == (Names{"Ana", "Bruno", "Dario", "Eva", "Mara"}));
    BOOST_TEST(names("last_name[lt]=Marques") == (Names{"Ana", "Bruno"}));
    BOOST_TEST(names("last_name[lte]=Marques") == (Names{"Ana", "Bruno", "Dario"}));
    BOOST_TEST(names("last_name[gt]=Martins") == (Names{"Eva", "Mara"}));
    BOOST_TEST(names("last_name[gte]=Martins") == (Names{"Carla", "Eva", "Mara"}));
    BOOST_TEST(names("first_name[in]=Eva,Ana,Nobody") == (Names{"Ana", "Eva"}));
    BOOST_TEST(names("last_name[prefix]=Mar") == (Names{"Carla", "Dario"}));
    BOOST_TEST(names("last_name[prefix]=mar").empty()); // text filters compare the stored text exactly
    BOOST_TEST(names("company_name[exists]=true") == (Names{"Ana", "Carla", "Eva"}));
    BOOST_TEST(names("company_name[exists]=false") == (Names{"Bruno", "Dario", "Mara"}));
    BOOST_TEST(names("company_name[eq]=Acme&first_name[ne]=Ana") == Names{"Eva"}); // filters combine with AND
}

BOOST_FIXTURE_TEST_CASE(CRM1_each_operator_filters_times_owners_emails_tags, FilterFixture)
{
    BOOST_TEST(names("created_at[gt]=" + created_iso(3)) == (Names{"Eva", "Mara"}));
    BOOST_TEST(names("created_at[gte]=" + created_iso(3)) == (Names{"Dario", "Eva", "Mara"}));
    BOOST_TEST(names("created_at[lt]=" + created_iso(1)) == Names{"Ana"});
    BOOST_TEST(names("created_at[lte]=" + created_iso(1)) == (Names{"Ana", "Bruno"}));
    BOOST_TEST(names("created_at[eq]=" + created_iso(2)) == Names{"Carla"});
    BOOST_TEST(names("created_at[ne]=" + created_iso(2)).size() == 5u);
    const auto millis = std::to_string(model::parse_iso8601(created_iso(4)).value());
    BOOST_TEST(names("updated_at[in]=" + millis + ",1") == Names{"Eva"});
    BOOST_TEST(names("updated_at[exists]=false").empty());

    BOOST_TEST(names("owner_id[eq]=" + user_a1_id) == (Names{"Carla", "Eva"}));
    BOOST_TEST(names("owner_id[ne]=" + user_a1_id).size() == 4u);
    BOOST_TEST(names("owner_id[in]=" + user_a1_id + "," + owner_a_id).size() == 6u);
    BOOST_TEST(names("owner_id[exists]=true").size() == 6u);

    BOOST_TEST(names("email[eq]=ANA%40example.COM") == Names{"Ana"}); // addresses compare lower-cased
    BOOST_TEST(names("email[eq]=d%40home.test") == Names{"Dario"});   // any of a contact's addresses
    BOOST_TEST(names("email[ne]=ana%40example.com").size() == 5u);
    BOOST_TEST(names("email[in]=mara%40example.com,bruno%40example.org") == (Names{"Bruno", "Mara"}));
    BOOST_TEST(names("email[prefix]=DA") == Names{"Dario"});
    BOOST_TEST(names("email[exists]=false") == (Names{"Carla", "Eva"}));

    BOOST_TEST(names("tag[eq]=vip") == (Names{"Ana", "Carla"}));
    BOOST_TEST(names("tag[ne]=vip") == (Names{"Bruno", "Dario", "Eva", "Mara"}));
    BOOST_TEST(names("tag[in]=partner,lead") == (Names{"Ana", "Bruno", "Mara"}));
    BOOST_TEST(names("tag[prefix]=pa") == Names{"Mara"});
    BOOST_TEST(names("tag[exists]=false") == (Names{"Dario", "Eva"}));

    // With a sort and a name search.
    BOOST_TEST(names("tag[exists]=true&sort=-updated_at") == (Names{"Mara", "Carla", "Bruno", "Ana"}));
    BOOST_TEST(names("q=ma&tag[eq]=vip") == Names{"Carla"});          // last name Martins
    BOOST_TEST(names("q=ma&sort=-name") == (Names{"Mara", "Dario", "Carla"}));
    BOOST_TEST(names("q=ma&sort=-updated_at&owner_id[eq]=" + user_a1_id) == Names{"Carla"});
}

BOOST_FIXTURE_TEST_CASE(CRM1_tag_filter_follows_updates_and_deletes, FilterFixture)
{
    const auto& bruno = made.at(1);
    const std::string url = base + "/" + bruno["id"].get<std::string>();
    auto r = call("PATCH", url, json{{"tags", {"vip"}}}.dump(), {{"If-Match", "\"1\""}, {"Origin", k_origin}}, session);
    BOOST_REQUIRE(r.status == 200);
    BOOST_TEST(names("tag[eq]=vip") == (Names{"Ana", "Bruno", "Carla"}));
    BOOST_TEST(names("tag[eq]=lead") == Names{"Ana"});
    BOOST_REQUIRE(call("DELETE", url, {}, {{"If-Match", "\"2\""}}, session).status == 204);
    BOOST_TEST(names("tag[eq]=vip") == (Names{"Ana", "Carla"}));
}

BOOST_FIXTURE_TEST_CASE(CRM1_bad_filters_answer_422_naming_the_parameter, FilterFixture)
{
    const std::pair<const char*, const char*> cases[] = {
        {"created_at[gt]=yesterday", "created_at[gt]"},
        {"nickname[eq]=x", "nickname[eq]"},
        {"first_name[like]=x", "first_name[like]"},
        {"owner_id[gt]=us_x", "owner_id[gt]"},
        {"tag[lt]=vip", "tag[lt]"},
        {"email[exists]=maybe", "email[exists]"},
        {"first_name[prefix]=", "first_name[prefix]"},
        {"created_at%5Bgte%5D=nope", "created_at[gte]"}, // the brackets percent-encoded, as browsers send them
    };
    for (const auto& [params, field] : cases) {
        BOOST_TEST_CONTEXT(params)
        {
            auto r = call("GET", base + "?" + params, {}, {}, session);
            BOOST_TEST(r.status == 422);
            auto e = json::parse(r.body)["error"];
            BOOST_TEST(e["code"] == "validation_failed");
            BOOST_TEST(e["field"] == field);
        }
    }
}

BOOST_FIXTURE_TEST_CASE(CRM1_cursor_pages_are_stable_under_filters, FilterFixture)
{
    // 30 more with equal names and times, half tagged: ties broken by id across pages.
    for (int i = 0; i < 30; ++i)
        made.push_back(create_contact(session, account_a1,
                                      {{"first_name", "Twin"}, {"last_name", "Mar"}, {"tags", {i % 2 ? "vip" : "lead"}}}));
    for (const std::string sort : {"name", "-name", "-updated_at", "updated_at"}) {
        for (const std::string& filter :
             std::vector<std::string>{"tag[eq]=vip", "tag[ne]=vip&q=mar", "created_at[gte]=" + created_iso(2)}) {
            BOOST_TEST_CONTEXT(sort << " " << filter)
            {
                const json all = list("limit=200&sort=" + sort + "&" + filter)["items"];
                std::vector<std::string> walked;
                std::string cursor;
                for (int pages = 0; pages < 100; ++pages) {
                    auto page = list("limit=4&sort=" + sort + "&" + filter + (cursor.empty() ? "" : "&cursor=" + cursor));
                    for (const auto& c : page["items"])
                        walked.push_back(c["id"]);
                    if (page["next_cursor"].is_null())
                        break;
                    cursor = page["next_cursor"];
                }
                std::vector<std::string> expected;
                for (const auto& c : all)
                    expected.push_back(c["id"]);
                BOOST_TEST(walked == expected);
                BOOST_TEST(expected.size() >= 15u);
                BOOST_TEST(std::set<std::string>(walked.begin(), walked.end()).size() == walked.size());
            }
        }
    }
}

BOOST_FIXTURE_TEST_CASE(CRM1_count_follows_create_and_delete, FilterFixture)
{
    auto counted = list("count=true");
    BOOST_TEST(counted["total"] == 6);
    BOOST_TEST(counted["total_exact"] == true);
    BOOST_TEST(list("count=true&tag[eq]=vip")["total"] == 2);
    BOOST_TEST(list("count=true&q=ma")["total"] == 3);

    auto c = create_contact(session, account_a1, {{"first_name", "Zed"}, {"tags", {"vip"}}});
    BOOST_TEST(list("count=true")["total"] == 7);
    BOOST_TEST(list("count=true&tag[eq]=vip")["total"] == 3);
    BOOST_REQUIRE(call("DELETE", base + "/" + c["id"].get<std::string>(), {}, {{"If-Match", "\"1\""}}, session).status ==
                  204);
    BOOST_TEST(list("count=true")["total"] == 6);
    BOOST_TEST(list("count=true&tag[eq]=vip")["total"] == 2);
    // Another sub-account's counter is its own.
    auto other = call("GET", "/api/v1/accounts/" + account_a2 + "/contacts?count=true", {}, {}, session);
    BOOST_TEST(json::parse(other.body)["total"] == 0);
}

BOOST_FIXTURE_TEST_CASE(CRM1_filtered_count_stops_at_its_cap_and_says_so, FilterFixture)
{
    // 10,050 more, all tagged "common", every third also "third", two also "rare". The rare
    // tag's few rows drive the query; the common one walks the name order.
    std::vector<model::Contact> many;
    for (int i = 0; i < 10'050; ++i) {
        model::Contact c;
        c.id = "ct_bulk" + std::to_string(100'000 + i);
        c.first_name = "Bulk";
        c.last_name = std::to_string(100'000 + (i * 7919) % 10'050); // a permutation of 0..10049
        c.tags = {"common"};
        if (i % 3 == 0)
            c.tags.push_back("third");
        if (i == 17 || i == 9000)
            c.tags.push_back("rare");
        c.owner_id = owner_a_id;
        c.created_at = c.updated_at = now;
        many.push_back(c);
    }
    AuditEntry audit;
    audit.action = "contact.import";
    BOOST_REQUIRE(store->create_contacts_bulk({agency_a, account_a1}, many, audit));

    auto all = list("count=true");
    BOOST_TEST(all["total"] == 10'056);
    BOOST_TEST(all["total_exact"] == true); // the live counter is always exact
    auto common = list("count=true&tag[eq]=common&limit=5");
    BOOST_TEST(common["total"] == 10'000);
    BOOST_TEST(common["total_exact"] == false); // 10,050 match: "at least 10,000"
    auto third = list("count=true&tag[eq]=third");
    BOOST_TEST(third["total"] == 3'350);
    BOOST_TEST(third["total_exact"] == true);

    std::vector<std::string> got;
    for (const auto& c : common["items"])
        got.push_back(c["last_name"]);
    BOOST_TEST(got == (std::vector<std::string>{"100000", "100001", "100002", "100003", "100004"}));

    auto rare = list("tag[eq]=rare&sort=-name&count=true");
    BOOST_TEST(rare["total"] == 2);
    BOOST_REQUIRE(rare["items"].size() == 2u);
    BOOST_TEST(rare["items"][0]["id"] == "ct_bulk109000");
    BOOST_TEST(rare["items"][1]["id"] == "ct_bulk100017");
}

BOOST_AUTO_TEST_SUITE_END()

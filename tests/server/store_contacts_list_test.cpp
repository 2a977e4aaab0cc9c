// Listing contacts: keyset pagination in every sort order (with ties), name-prefix and exact
// email search, count and offset, cursor validation, and query plans that use the indexes.
#include "store/contact_keys.hpp"

#include "store/store.hpp"
#include "store_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;

namespace {

// 60 contacts with many equal names and equal timestamps, so ties must be broken by id.
std::vector<model::Contact> tied_contacts()
{
    const char* firsts[] = {"Ana", "ana", "Björn", "Zoë", "Élodie", "Иван", "Γιώργος", "Ana"};
    const char* lasts[] = {"Lima", "Lima", "Berg", "", "Roux", "Петров", "Παπαδόπουλος", "Lima"};
    std::vector<model::Contact> out;
    for (int i = 0; i < 60; ++i) {
        auto c = TwoTenants::contact(firsts[i % 8], lasts[i % 8], 1'700'000'000'000 + (i % 5) * 1000);
        c.updated_at = c.created_at + (i % 3) * 500;
        c.emails = {"person" + std::to_string(i) + "@Example.COM"};
        out.push_back(std::move(c));
    }
    out[3].first_name.clear(); // no name at all: sorts by its email
    out[3].last_name.clear();
    return out;
}

struct Listed : TwoTenants {
    std::vector<model::Contact> rows = tied_contacts();
    Listed() { BOOST_REQUIRE(store->create_contacts_bulk(a, rows, audit("contact.import"))); }

    std::vector<std::string> expected_ids(const std::string& sort) const
    {
        const auto spec = parse_sort(sort).value();
        auto key = [&](const model::Contact& c) -> std::pair<std::string, std::int64_t> {
            if (spec.field == SortField::name)
                return {contact_keys(c).sort_name, 0};
            return {"", spec.field == SortField::updated_at ? c.updated_at : c.created_at};
        };
        auto sorted = rows;
        std::sort(sorted.begin(), sorted.end(), [&](const auto& x, const auto& y) {
            auto kx = std::make_tuple(key(x), x.id);
            auto ky = std::make_tuple(key(y), y.id);
            return spec.descending ? ky < kx : kx < ky;
        });
        std::vector<std::string> ids;
        for (const auto& c : sorted)
            ids.push_back(c.id);
        return ids;
    }

    std::vector<std::string> walk(const std::string& sort, std::size_t limit, const std::string& q = {})
    {
        std::vector<std::string> ids;
        ContactQuery query;
        query.sort = sort;
        query.limit = limit;
        query.q = q;
        for (int pages = 0; pages < 1000; ++pages) {
            auto page = store->list_contacts(a, query);
            BOOST_REQUIRE(page);
            BOOST_REQUIRE(page->items.size() <= limit);
            for (const auto& c : page->items)
                ids.push_back(c.id);
            if (!page->next_cursor)
                return ids;
            query.cursor = *page->next_cursor;
        }
        BOOST_FAIL("pagination did not end");
        return ids;
    }

    std::set<std::string> names(const std::string& q)
    {
        ContactQuery query;
        query.q = q;
        query.limit = 200;
        std::set<std::string> out;
        auto page = store->list_contacts(a, query);
        BOOST_REQUIRE(page);
        for (const auto& c : page->items)
            out.insert(c.first_name + " " + c.last_name);
        return out;
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(store_contacts_list)

BOOST_AUTO_TEST_SUITE(keys)

BOOST_AUTO_TEST_CASE(fold_lower_covers_latin_greek_and_cyrillic)
{
    BOOST_TEST(fold_lower("ÉLODIE Ŀ ŸVES") == "élodie ŀ ÿves");
    BOOST_TEST(fold_lower("ΓΙΏΡΓΟΣ") == "γιώργοσ");
    BOOST_TEST(fold_lower("γιώργος") == "γιώργοσ"); // final sigma meets sigma
    BOOST_TEST(fold_lower("ИВАН ЁЛКИН") == "иван ёлкин");
    BOOST_TEST(fold_lower("İstanbul ×") == "istanbul ×");
    BOOST_TEST(fold_lower(std::string("A\xFF" "B")) == std::string("a\xFF" "b")); // bad bytes pass through
}

BOOST_AUTO_TEST_CASE(a_cursor_round_trips_and_is_bound_to_its_sort)
{
    const auto name = parse_sort("name").value();
    const auto upd = parse_sort("-updated_at").value();
    const std::string text = encode_cursor(name, Cursor{std::string("ana lima"), "ct_x"});
    auto back = decode_cursor(name, text);
    BOOST_REQUIRE(back);
    BOOST_TEST(std::get<std::string>(back->key) == "ana lima");
    BOOST_TEST(back->id == "ct_x");
    auto other = decode_cursor(upd, text);
    BOOST_REQUIRE(!other);
    BOOST_TEST(other.error().field == "cursor");
    BOOST_TEST(!parse_sort("email"));
}

BOOST_AUTO_TEST_CASE(bad_cursors_are_validation_failed_on_cursor)
{
    Listed t;
    const auto sort = parse_sort("name").value();
    const std::string wrong_type = encode_cursor(parse_sort("created_at").value(), Cursor{std::int64_t{5}, "ct_x"});
    for (const std::string& bad : {std::string("!!!"), std::string("e30"), std::string("bm90IGpzb24"), wrong_type,
                                  std::string(5000, 'A'), encode_cursor(sort, Cursor{std::string("x"), ""})}) {
        BOOST_TEST_CONTEXT("cursor " << bad.substr(0, 40))
        {
            ContactQuery q;
            q.cursor = bad;
            auto page = t.store->list_contacts(t.a, q);
            BOOST_REQUIRE(!page);
            BOOST_TEST(page.error().code == api::ErrorCode::validation_failed);
            BOOST_TEST(page.error().field == "cursor");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END() // keys

BOOST_AUTO_TEST_SUITE(pagination)

BOOST_AUTO_TEST_CASE(walking_every_sort_returns_every_row_once_in_order)
{
    Listed t;
    for (const std::string sort : {"name", "-name", "updated_at", "-updated_at", "created_at", "-created_at"}) {
        for (std::size_t limit : {1u, 7u, 60u, 200u}) {
            BOOST_TEST_CONTEXT("sort " << sort << " limit " << limit)
            {
                const auto got = t.walk(sort, limit);
                BOOST_TEST(got == t.expected_ids(sort), boost::test_tools::per_element());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(trashed_and_other_tenant_rows_are_never_listed)
{
    Listed t;
    BOOST_REQUIRE(t.store->create_contact(t.b, TwoTenants::contact("Ana", "Lima"), TwoTenants::audit("contact.create")));
    BOOST_REQUIRE(t.store->delete_contact(t.a, t.rows[0].id, 1, TwoTenants::audit("contact.delete")));
    auto ids = t.walk("name", 25);
    BOOST_TEST(ids.size() == t.rows.size() - 1);
    BOOST_TEST((std::find(ids.begin(), ids.end(), t.rows[0].id) == ids.end()));
}

BOOST_AUTO_TEST_CASE(count_and_offset)
{
    Listed t;
    ContactQuery q;
    q.count = true;
    q.limit = 10;
    q.offset = 25;
    q.sort = "-created_at";
    auto page = t.store->list_contacts(t.a, q);
    BOOST_REQUIRE(page);
    BOOST_TEST(page->total.value_or(-1) == 60);
    const auto all = t.expected_ids("-created_at");
    BOOST_REQUIRE(page->items.size() == 10u);
    BOOST_TEST(page->items.front().id == all[25]);
    BOOST_REQUIRE(page->next_cursor);
    // The cursor of an offset page continues right after it.
    q.offset.reset();
    q.cursor = *page->next_cursor;
    auto next = t.store->list_contacts(t.a, q);
    BOOST_REQUIRE(next);
    BOOST_TEST(next->items.front().id == all[35]);
}

BOOST_AUTO_TEST_SUITE_END() // pagination

BOOST_AUTO_TEST_SUITE(search)

BOOST_AUTO_TEST_CASE(q_is_a_case_insensitive_prefix_of_first_last_or_full_name)
{
    Listed t;
    BOOST_TEST((t.names("an") == std::set<std::string>{"Ana Lima", "ana Lima"}));
    BOOST_TEST((t.names("LIM") == std::set<std::string>{"Ana Lima", "ana Lima"}));
    BOOST_TEST((t.names("ana  li") == std::set<std::string>{"Ana Lima", "ana Lima"}));
    BOOST_TEST((t.names("élo") == std::set<std::string>{"Élodie Roux"}));
    BOOST_TEST((t.names("пет") == std::set<std::string>{"Иван Петров"}));
    BOOST_TEST((t.names("ΠΑΠΑΔΌ") == std::set<std::string>{"Γιώργος Παπαδόπουλος"}));
    BOOST_TEST(t.names("ima").empty()); // a prefix, not a substring
    BOOST_TEST(t.names("Lima Ana").empty());
    // A contact without a name sorts by its email (sort_name), but a name search does not find it
    // by that: name searches read sort_name only where it is the name (migration 20).
    BOOST_TEST(t.names("person3").empty());
    BOOST_TEST(t.walk("name", 4, "person").empty());

    ContactQuery q;
    q.q = "an";
    q.count = true;
    q.limit = 4;
    auto page = t.store->list_contacts(t.a, q);
    BOOST_REQUIRE(page);
    BOOST_TEST(page->total.value_or(-1) == 23); // rows i % 8 in {0, 1, 7}
    BOOST_TEST(t.walk("name", 4, "an").size() == 23u);
}

BOOST_AUTO_TEST_CASE(q_with_at_sign_is_an_exact_case_insensitive_email)
{
    Listed t;
    ContactQuery q;
    q.q = "PERSON7@example.com";
    auto page = t.store->list_contacts(t.a, q);
    BOOST_REQUIRE(page);
    BOOST_REQUIRE(page->items.size() == 1u);
    BOOST_TEST(page->items[0].id == t.rows[7].id);
    q.q = "person7@example.co";
    BOOST_TEST(t.store->list_contacts(t.a, q)->items.empty());
    q.q = "person7@example.com";
    BOOST_TEST(t.store->list_contacts(t.b, q)->items.empty()); // ten1_: another tenant's email index

    // After an update the old address no longer finds the contact.
    model::Contact c = t.rows[7];
    c.emails = {"renamed@example.com"};
    BOOST_REQUIRE(t.store->update_contact(t.a, c, 1, TwoTenants::audit("contact.update")));
    BOOST_TEST(t.store->list_contacts(t.a, q)->items.empty());
    q.q = "renamed@example.com";
    BOOST_TEST(t.store->list_contacts(t.a, q)->items.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END() // search

BOOST_AUTO_TEST_CASE(list_queries_use_tenant_indexes)
{
    // The same statements list_contacts builds, explained: each must search an index whose
    // leading columns are (agency_id, account_id) and need no sort step of its own.
    Listed t;
    RawDb raw(t.dir.db_path());
    struct Case {
        const char* sql;
        const char* index; // the index searched, with the keyset bound as its range when there is one
    };
    const Case cases[] = {
        {"SELECT id FROM contacts WHERE agency_id = ?1 AND account_id = ?2 AND deleted_at IS NULL"
         " AND sort_name >= ?6 AND (sort_name > ?6 OR id > ?7) ORDER BY sort_name, id LIMIT 51",
         "contacts_by_name (agency_id=? AND account_id=? AND sort_name>?)"},
        {"SELECT id FROM contacts WHERE agency_id = ?1 AND account_id = ?2 AND deleted_at IS NULL"
         " AND updated_at <= ?6 AND (updated_at < ?6 OR id < ?7) ORDER BY updated_at DESC, id DESC LIMIT 51",
         "contacts_by_updated (agency_id=? AND account_id=? AND updated_at<?)"},
        {"SELECT id FROM contacts WHERE agency_id = ?1 AND account_id = ?2 AND deleted_at IS NULL"
         " ORDER BY created_at DESC, id DESC LIMIT 51",
         "contacts_by_created"},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(c.sql)
        {
            auto s = sqlite::Stmt::prepare(raw.db, std::string("EXPLAIN QUERY PLAN ") + c.sql);
            BOOST_REQUIRE(s);
            std::string plan;
            for (auto row = s->step(); row && *row; row = s->step())
                plan += s->text(3) + "\n";
            BOOST_TEST(plan.find(c.index) != std::string::npos, plan);
            BOOST_TEST(plan.find("TEMP B-TREE") == std::string::npos, plan);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END() // store_contacts_list

// The demo seed: created once, reused with a fresh password, realistic and valid contacts.
#include "cli/seed.hpp"

#include "cli/admin.hpp"
#include "store_fixture.hpp"

#include "stronghold/validate/text.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;

BOOST_AUTO_TEST_SUITE(cli_seed)

BOOST_AUTO_TEST_CASE(demo_is_created_once_and_a_rerun_sets_a_new_password)
{
    TempDir dir;
    auto store = open_store_or_fail(dir.str());
    auto first = seed_demo(*store, 1'700'000'000'000);
    BOOST_REQUIRE(first);
    BOOST_TEST(first->created);
    BOOST_TEST(check_default_password_policy(first->password).empty());
    auto creds = store->find_credentials_by_email(k_demo_owner_email);
    BOOST_REQUIRE(creds);
    BOOST_TEST(crypto::password_verify(creds->password_hash, first->password));

    ContactQuery q;
    q.count = true;
    auto page = store->list_contacts({first->agency_id, first->account_id}, q);
    BOOST_REQUIRE(page);
    BOOST_TEST(page->total.value_or(0) == static_cast<std::int64_t>(k_demo_contacts));

    auto second = seed_demo(*store, 1'700'000'100'000);
    BOOST_REQUIRE(second);
    BOOST_TEST(!second->created);
    BOOST_TEST(second->agency_id == first->agency_id);
    BOOST_TEST(second->account_id == first->account_id);
    BOOST_TEST(second->password != first->password);
    creds = store->find_credentials_by_email(k_demo_owner_email);
    BOOST_TEST(crypto::password_verify(creds->password_hash, second->password));
    BOOST_TEST(!crypto::password_verify(creds->password_hash, first->password));
    page = store->list_contacts({first->agency_id, first->account_id}, q);
    BOOST_TEST(page->total.value_or(0) == static_cast<std::int64_t>(k_demo_contacts)); // not doubled
}

BOOST_AUTO_TEST_CASE(seeded_contacts_are_valid_varied_and_deterministic)
{
    TwoTenants t;
    crypto::SeededRandom rng1(7), rng2(7);
    BOOST_REQUIRE(seed_contacts(*t.store, t.a, 300, rng1, 1'700'000'000'000));
    BOOST_REQUIRE(seed_contacts(*t.store, t.b, 300, rng2, 1'700'000'000'000));
    ContactQuery q;
    q.limit = 200;
    q.sort = "created_at";
    std::vector<model::Contact> a, b;
    for (auto* out : {&a, &b}) {
        const TenantScope& scope = out == &a ? t.a : t.b;
        q.cursor.clear();
        for (;;) {
            auto page = t.store->list_contacts(scope, q);
            BOOST_REQUIRE(page);
            out->insert(out->end(), page->items.begin(), page->items.end());
            if (!page->next_cursor)
                break;
            q.cursor = *page->next_cursor;
        }
    }
    BOOST_REQUIRE(a.size() == 300u);
    BOOST_REQUIRE(b.size() == 300u);
    std::set<std::string> lasts;
    bool non_latin = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto& c = a[i];
        BOOST_TEST_CONTEXT("contact " << c.first_name << " " << c.last_name)
        {
            BOOST_TEST(c.first_name == b[i].first_name); // same seed, same content
            BOOST_TEST(c.emails == b[i].emails);
            BOOST_TEST(validate::name("first_name", c.first_name, model::k_max_name_chars, true).ok());
            BOOST_TEST(!c.emails.empty());
            for (const auto& e : c.emails)
                BOOST_TEST(validate::email("email", e).ok(), e);
            BOOST_TEST(!c.phones.empty());
            for (const auto& p : c.phones) {
                auto normal = validate::phone("phone", p, "1");
                BOOST_TEST(normal.ok(), p);
                if (normal)
                    BOOST_TEST(*normal == p); // already E.164
            }
            BOOST_TEST(c.created_at <= c.updated_at);
            BOOST_TEST(c.updated_at <= 1'700'000'000'000);
        }
        lasts.insert(c.last_name);
        non_latin = non_latin || static_cast<unsigned char>(c.last_name[0]) >= 0xCE; // Greek or Cyrillic
    }
    BOOST_TEST(lasts.size() > 30u);
    BOOST_TEST(non_latin);
}

BOOST_AUTO_TEST_SUITE_END()

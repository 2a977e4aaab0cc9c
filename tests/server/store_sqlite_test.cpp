// The SQLite store: opening and migrations, tenant isolation, the one mutation path
// (record + version + audit in one transaction), optimistic concurrency, identities.
#include "store/store.hpp"

#include "store/migrations.hpp"
#include "store_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;

BOOST_AUTO_TEST_SUITE(store_sqlite)

BOOST_AUTO_TEST_SUITE(opening)

BOOST_AUTO_TEST_CASE(res5_migrations_build_the_schema_on_a_fresh_dir)
{
    TempDir tmp;
    const std::string dir = tmp.str() + "/data";
    { auto store = open_store_or_fail(dir); }
    RawDb raw(dir + "/stronghold.db");
    BOOST_TEST(raw.scalar("SELECT max(version) FROM schema_migrations") == sqlite_schema_version_known());
    BOOST_TEST(raw.scalar("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='contacts'") == 1);
    BOOST_TEST(raw.text("PRAGMA journal_mode") == "wal");

    struct stat st {};
    BOOST_REQUIRE(::stat(dir.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0700u);
    BOOST_REQUIRE(::stat((dir + "/stronghold.db").c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
}

BOOST_AUTO_TEST_CASE(res5_reopening_applies_nothing_twice)
{
    TempDir tmp;
    { auto store = open_store_or_fail(tmp.str()); }
    { auto store = open_store_or_fail(tmp.str()); }
    RawDb raw(tmp.db_path());
    BOOST_TEST(raw.scalar("SELECT count(*) FROM schema_migrations") ==
               static_cast<std::int64_t>(sqlite_migrations().size()));
}

BOOST_AUTO_TEST_CASE(res5_refuses_a_schema_newer_than_the_binary)
{
    TempDir tmp;
    { auto store = open_store_or_fail(tmp.str()); }
    {
        RawDb raw(tmp.db_path());
        auto ins = sqlite::Stmt::prepare(raw.db, "INSERT INTO schema_migrations(version, applied_at) VALUES (?, 0)");
        BOOST_REQUIRE(ins);
        BOOST_REQUIRE(ins->bind(1, sqlite_schema_version_known() + 1).run());
    }
    auto again = open_sqlite_store(tmp.str());
    BOOST_REQUIRE(!again);
    BOOST_TEST(again.error().message.find("newer") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(aud3_audit_rows_cannot_be_updated_or_deleted)
{
    TwoTenants t;
    RawDb raw(t.dir.db_path());
    const auto before = raw.scalar("SELECT count(*) FROM audit_log");
    BOOST_TEST(before > 0);
    BOOST_TEST(!raw.db.exec("UPDATE audit_log SET action = 'forged'"));
    BOOST_TEST(!raw.db.exec("DELETE FROM audit_log"));
    BOOST_TEST(raw.scalar("SELECT count(*) FROM audit_log") == before);
    BOOST_TEST(raw.scalar("SELECT count(*) FROM audit_log WHERE action = 'forged'") == 0);
}

BOOST_AUTO_TEST_SUITE_END() // opening

BOOST_AUTO_TEST_SUITE(tenancy)

BOOST_AUTO_TEST_CASE(ten1_a_contact_is_not_found_through_another_scope)
{
    TwoTenants t;
    auto created = t.store->create_contact(t.a, TwoTenants::contact("Ada", "Lovelace"), TwoTenants::audit("contact.create"));
    BOOST_REQUIRE(created);
    const std::string id = created->id;

    BOOST_TEST(t.store->get_contact(t.a, id).ok());
    for (const TenantScope& other : {t.b, t.a2, TenantScope{t.a.agency_id, t.b.account_id},
                                     TenantScope{t.b.agency_id, t.a.account_id}}) {
        BOOST_TEST_CONTEXT("scope " << other.agency_id << "/" << other.account_id)
        {
            auto got = t.store->get_contact(other, id);
            BOOST_REQUIRE(!got);
            BOOST_TEST(got.error().code == api::ErrorCode::not_found);
            auto page = t.store->list_contacts(other, {});
            BOOST_REQUIRE(page);
            BOOST_TEST(page->items.empty());
            model::Contact changed = *created;
            changed.first_name = "Mallory";
            auto upd = t.store->update_contact(other, changed, 1, TwoTenants::audit("contact.update"));
            BOOST_REQUIRE(!upd);
            BOOST_TEST(upd.error().code == api::ErrorCode::not_found);
            auto del = t.store->delete_contact(other, id, 1, TwoTenants::audit("contact.delete"));
            BOOST_REQUIRE(!del);
            BOOST_TEST(del.error().code == api::ErrorCode::not_found);
        }
    }
    auto still = t.store->get_contact(t.a, id);
    BOOST_REQUIRE(still);
    BOOST_TEST(still->first_name == "Ada");
    BOOST_TEST(still->version == 1);
}

BOOST_AUTO_TEST_CASE(ten1_create_in_a_scope_whose_pair_does_not_match_is_refused)
{
    TwoTenants t;
    auto created = t.store->create_contact({t.a.agency_id, t.b.account_id}, TwoTenants::contact("Eve", "Spy"),
                                           TwoTenants::audit("contact.create"));
    BOOST_REQUIRE(!created);
    BOOST_TEST(created.error().code == api::ErrorCode::not_found);
    RawDb raw(t.dir.db_path());
    BOOST_TEST(raw.scalar("SELECT count(*) FROM contacts") == 0);
}

BOOST_AUTO_TEST_SUITE_END() // tenancy

BOOST_AUTO_TEST_SUITE(mutations)

struct Counts {
    std::int64_t contacts, versions, audits;
    friend bool operator==(const Counts&, const Counts&) = default;
};
std::ostream& operator<<(std::ostream& os, const Counts& c)
{
    return os << "{contacts " << c.contacts << ", versions " << c.versions << ", audits " << c.audits << "}";
}
Counts counts(RawDb& raw)
{
    return {raw.scalar("SELECT count(*) FROM contacts"), raw.scalar("SELECT count(*) FROM contact_versions"),
            raw.scalar("SELECT count(*) FROM audit_log WHERE target_type = 'contact'")};
}

BOOST_AUTO_TEST_CASE(res4_create_update_delete_each_write_one_version_and_one_audit_row)
{
    TwoTenants t;
    RawDb raw(t.dir.db_path());
    auto c = TwoTenants::contact("Grace", "Hopper");
    c.emails = {"grace@navy.example"};
    auto created = t.store->create_contact(t.a, c, TwoTenants::audit("contact.create"));
    BOOST_REQUIRE(created);
    BOOST_TEST(created->version == 1);
    BOOST_TEST((counts(raw) == Counts{1, 1, 1}));

    model::Contact changed = *created;
    changed.last_name = "Murray Hopper";
    changed.updated_at += 1000;
    auto updated = t.store->update_contact(t.a, changed, 1, TwoTenants::audit("contact.update"));
    BOOST_REQUIRE(updated);
    BOOST_TEST(updated->version == 2);
    BOOST_TEST(updated->created_at == created->created_at);
    BOOST_TEST((counts(raw) == Counts{1, 2, 2}));
    auto reread = t.store->get_contact(t.a, c.id);
    BOOST_REQUIRE(reread);
    BOOST_TEST(reread->last_name == "Murray Hopper");
    BOOST_TEST(reread->emails == c.emails);

    BOOST_REQUIRE(t.store->delete_contact(t.a, c.id, 2, TwoTenants::audit("contact.delete")));
    BOOST_TEST((counts(raw) == Counts{1, 3, 3})); // soft delete: the row stays, in the trash
    BOOST_TEST(t.store->get_contact(t.a, c.id).error().code == api::ErrorCode::not_found);
    BOOST_TEST(raw.scalar("SELECT count(*) FROM contact_versions WHERE contact_id = ? AND"
                          " json_extract(data, '$.deleted') = 1 AND version = 3",
                          c.id) == 1);
    std::vector<std::string> actions;
    for (const auto& e : t.store->audit_entries(t.a.agency_id, 100))
        if (e.target_id == c.id && e.account_id == t.a.account_id)
            actions.push_back(e.action);
    BOOST_TEST((actions == std::vector<std::string>{"contact.delete", "contact.update", "contact.create"}));
}

BOOST_AUTO_TEST_CASE(res4_stale_version_is_precondition_failed_and_writes_nothing)
{
    TwoTenants t;
    RawDb raw(t.dir.db_path());
    auto created = t.store->create_contact(t.a, TwoTenants::contact("Alan", "Turing"), TwoTenants::audit("contact.create"));
    BOOST_REQUIRE(created);
    model::Contact first = *created;
    first.first_name = "Alan M.";
    BOOST_REQUIRE(t.store->update_contact(t.a, first, 1, TwoTenants::audit("contact.update")));
    const Counts before = counts(raw);

    model::Contact stale = *created;
    stale.first_name = "Overwritten";
    auto upd = t.store->update_contact(t.a, stale, 1, TwoTenants::audit("contact.update"));
    BOOST_REQUIRE(!upd);
    BOOST_TEST(upd.error().code == api::ErrorCode::precondition_failed);
    auto del = t.store->delete_contact(t.a, created->id, 1, TwoTenants::audit("contact.delete"));
    BOOST_REQUIRE(!del);
    BOOST_TEST(del.error().code == api::ErrorCode::precondition_failed);

    BOOST_TEST((counts(raw) == before));
    auto now = t.store->get_contact(t.a, created->id);
    BOOST_REQUIRE(now);
    BOOST_TEST(now->first_name == "Alan M.");
    BOOST_TEST(now->version == 2);
}

BOOST_AUTO_TEST_CASE(res4_bulk_create_writes_a_version_per_row_and_one_audit_row)
{
    TwoTenants t;
    RawDb raw(t.dir.db_path());
    std::vector<model::Contact> many;
    for (int i = 0; i < 500; ++i)
        many.push_back(TwoTenants::contact("Person", std::to_string(i)));
    BOOST_REQUIRE(t.store->create_contacts_bulk(t.a, many, TwoTenants::audit("contact.import")));
    BOOST_TEST((counts(raw) == Counts{500, 500, 1}));
    BOOST_TEST(raw.scalar("SELECT json_extract(details, '$.count') FROM audit_log WHERE action = 'contact.import'") ==
               500);

    // A duplicate id in a batch rolls the whole batch back.
    std::vector<model::Contact> dup = {TwoTenants::contact("New", "One"), many.front()};
    auto st = t.store->create_contacts_bulk(t.a, dup, TwoTenants::audit("contact.import"));
    BOOST_REQUIRE(!st);
    BOOST_TEST(st.error().code == api::ErrorCode::conflict);
    BOOST_TEST((counts(raw) == Counts{500, 500, 1}));
}

BOOST_AUTO_TEST_SUITE_END() // mutations

BOOST_AUTO_TEST_SUITE(identities)

BOOST_AUTO_TEST_CASE(agency_with_owner_is_all_or_nothing)
{
    TwoTenants t;
    model::Agency ag{crypto::random_id("ag"), "Owned", 5};
    model::Account ac{crypto::random_id("ac"), ag.id, "Owned", "44", 5};
    model::User owner{crypto::random_id("us"), "owner@owned.example", "", true, 5};
    BOOST_REQUIRE(t.store->create_agency_with_owner(ag, ac, owner, "$argon2id$fake", cli_actor()));

    auto mem = t.store->memberships_of(owner.id);
    BOOST_REQUIRE(mem.size() == 1u);
    BOOST_TEST(mem[0].agency_id == ag.id);
    BOOST_TEST((mem[0].role == model::Role::agency_owner));
    auto creds = t.store->find_credentials_by_email("owner@owned.example");
    BOOST_REQUIRE(creds);
    BOOST_TEST(creds->password_hash == "$argon2id$fake");
    BOOST_TEST(t.store->accounts_of_agency(ag.id).size() == 1u);

    // Same email again: conflict on "email", and no second agency is left behind.
    model::Agency ag2{crypto::random_id("ag"), "Dup", 6};
    model::Account ac2{crypto::random_id("ac"), ag2.id, "Dup", "1", 6};
    model::User dup{crypto::random_id("us"), "owner@owned.example", "", true, 6};
    auto st = t.store->create_agency_with_owner(ag2, ac2, dup, "x", cli_actor());
    BOOST_REQUIRE(!st);
    BOOST_TEST(st.error().code == api::ErrorCode::conflict);
    BOOST_TEST(st.error().field == "email");
    BOOST_TEST(!t.store->find_agency(ag2.id));
    BOOST_TEST(!t.store->find_account(ac2.id));
}

BOOST_AUTO_TEST_CASE(account_membership_carries_its_agency_and_password_can_be_reset)
{
    TwoTenants t;
    model::User u{crypto::random_id("us"), "staff@client.example", "Staff", true, 7};
    model::Membership m;
    m.user_id = u.id;
    m.account_id = t.b.account_id;
    m.role = model::Role::account_user;
    BOOST_REQUIRE(t.store->create_user(u, "old", m, cli_actor()));
    auto mem = t.store->memberships_of(u.id);
    BOOST_REQUIRE(mem.size() == 1u);
    BOOST_TEST(mem[0].account_id == t.b.account_id);
    BOOST_TEST(mem[0].account_agency_id == t.b.agency_id);
    BOOST_TEST(mem[0].agency_id.empty());

    BOOST_REQUIRE(t.store->set_password_hash(u.id, "new", cli_actor()));
    BOOST_TEST(t.store->find_credentials_by_email(u.email)->password_hash == "new");
    BOOST_TEST(t.store->set_password_hash("us_nobody", "x", cli_actor()).error().code == api::ErrorCode::not_found);
    auto audit = t.store->audit_entries(t.b.agency_id, 10);
    BOOST_REQUIRE(!audit.empty());
    BOOST_TEST(audit.front().action == "user.password_set");
    BOOST_TEST(audit.front().details.dump().find("new") == std::string::npos);

    model::Membership nowhere = m;
    nowhere.account_id = "ac_missing";
    model::User u2{crypto::random_id("us"), "other@client.example", "", true, 8};
    auto r = t.store->create_user(u2, "h", nowhere, cli_actor());
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().code == api::ErrorCode::not_found);
}

BOOST_AUTO_TEST_CASE(iam5_sessions_are_found_by_token_hash_only)
{
    TwoTenants t;
    model::User u{crypto::random_id("us"), "s@x.example", "", true, 7};
    model::Membership m;
    m.user_id = u.id;
    m.agency_id = t.a.agency_id;
    m.role = model::Role::agency_admin;
    BOOST_REQUIRE(t.store->create_user(u, "h", m, cli_actor()));
    const std::string token = crypto::random_token();
    Session s{crypto::random_id("se"), crypto::hash_hex(token), u.id, 100, 100, 10'000, "127.0.0.1", "test"};
    BOOST_REQUIRE(t.store->create_session(s));
    BOOST_TEST(!t.store->find_session(token)); // the raw token is not a key
    auto found = t.store->find_session(s.token_hash);
    BOOST_REQUIRE(found);
    BOOST_TEST(found->user_id == u.id);
    BOOST_REQUIRE(t.store->touch_session(s.token_hash, 200));
    BOOST_TEST(t.store->find_session(s.token_hash)->last_seen_at == 200);
    BOOST_REQUIRE(t.store->delete_session(s.token_hash));
    BOOST_TEST(!t.store->find_session(s.token_hash));
}

// find_session once returned id and token_hash swapped: every field must come back as stored.
BOOST_AUTO_TEST_CASE(iam5_find_session_returns_every_field_as_stored)
{
    TwoTenants t;
    model::User u{crypto::random_id("us"), "fields@x.example", "", true, 7};
    model::Membership m;
    m.user_id = u.id;
    m.agency_id = t.a.agency_id;
    m.role = model::Role::agency_admin;
    BOOST_REQUIRE(t.store->create_user(u, "h", m, cli_actor()));
    // Distinct values in every column, so any two swapped columns show.
    const Session s{crypto::random_id("se"), crypto::hash_hex(crypto::random_token()), u.id, 1'111, 2'222, 3'333,
                    "203.0.113.7", "Mozilla/5.0 (test agent)"};
    BOOST_REQUIRE(t.store->create_session(s));
    auto found = t.store->find_session(s.token_hash);
    BOOST_REQUIRE(found);
    BOOST_TEST(found->id == s.id);
    BOOST_TEST(found->token_hash == s.token_hash);
    BOOST_TEST(found->user_id == s.user_id);
    BOOST_TEST(found->created_at == s.created_at);
    BOOST_TEST(found->last_seen_at == s.last_seen_at);
    BOOST_TEST(found->expires_at == s.expires_at);
    BOOST_TEST(found->ip == s.ip);
    BOOST_TEST(found->user_agent == s.user_agent);
}

BOOST_AUTO_TEST_CASE(ops1_ping_answers_ok_on_an_open_store)
{
    TwoTenants t;
    BOOST_TEST(t.store->ping().ok());
}

BOOST_AUTO_TEST_SUITE_END() // identities

BOOST_AUTO_TEST_SUITE_END() // store_sqlite

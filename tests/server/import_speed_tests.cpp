// CRM-4 at scale (issue 5): what the fast import path changed must not change what an import
// leaves. Ids in file order (sequential_id), live counts and tag rows kept by the triggers
// (migration 19: no upsert), and a batch that hits a constraint (its INSERT is OR ROLLBACK) rolls
// back whole and leaves the writer connection usable.
#include "app/import.hpp"
#include "store/contact_rows.hpp"
#include "stronghold/crypto/crypto.hpp"

#include "import_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <sstream>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;

namespace {

std::vector<std::string> ids_in_insert_order(ImportFixture& f)
{
    sqlite3* db = nullptr;
    const auto file = (f.dir.path / "stronghold.db").string();
    BOOST_REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    BOOST_REQUIRE(sqlite3_prepare_v2(db, "SELECT id FROM contacts ORDER BY rowid", -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::string> out;
    while (sqlite3_step(st) == SQLITE_ROW)
        out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(import_speed, ImportFixture)

BOOST_AUTO_TEST_CASE(CRM4_imported_ids_sort_in_file_order_and_counts_and_tags_are_kept)
{
    const auto live_before = count("SELECT count(*) FROM contacts WHERE deleted_at IS NULL AND account_id = '" +
                                   account_a1 + "'");
    std::string csv = "First Name,Email,Tags\n";
    constexpr int n = 1234; // three batches of 500
    for (int i = 0; i < n; ++i)
        csv += "P" + std::to_string(i) + ",p" + std::to_string(i) + "@x.test,vip;t" + std::to_string(i % 3) + "\n";
    const auto job = import_csv(csv, {}, false, 500);
    BOOST_TEST(job.status == "done");
    BOOST_TEST(job.created == n);
    const auto ids = ids_in_insert_order(*this);
    BOOST_TEST_REQUIRE(ids.size() >= static_cast<std::size_t>(n));
    const std::vector<std::string> imported(ids.end() - n, ids.end());
    BOOST_TEST(std::is_sorted(imported.begin(), imported.end())); // text order = file order
    BOOST_TEST((std::adjacent_find(imported.begin(), imported.end()) == imported.end()));
    for (const auto& id : imported)
        BOOST_TEST_REQUIRE(crypto::is_id(id, "ct"));
    BOOST_TEST(count("SELECT coalesce((SELECT live FROM contact_counts WHERE account_id = '" + account_a1 + "'), 0)") == live_before + n);
    BOOST_TEST(count("SELECT count(*) FROM contact_tags WHERE account_id = '" + account_a1 + "' AND tag = 'vip'") == n);
    BOOST_TEST(count("SELECT count(*) FROM contact_tags WHERE account_id = '" + account_a1 + "'") == 2 * n);
    BOOST_TEST(count("SELECT count(*) FROM contact_emails WHERE account_id = '" + account_a1 + "'") >= n);
    BOOST_TEST(count("SELECT count(*) FROM pragma_foreign_key_check") == 0);
}

BOOST_AUTO_TEST_CASE(CRM4_RES4_a_batch_that_breaks_a_constraint_leaves_nothing_and_the_writer_goes_on)
{
    const auto contacts_before = count("SELECT count(*) FROM contacts");
    const auto live_before = count("SELECT coalesce(sum(live), 0) FROM contact_counts");
    auto object = make_import_object("contacts", *store, account(), owner_a_id, now.load());
    BOOST_REQUIRE(object.ok());
    ImportOptions options;
    options.scope = scope();
    options.actor.id = owner_a_id;
    auto job = start_import_job(*store, **object, options, now.load());
    BOOST_REQUIRE(job.ok());

    // The parser never lets a repeated tag through; given one directly, the tag row's primary key
    // fails and the whole batch (the good first contact included) rolls back.
    model::Contact good, bad;
    good.id = crypto::sequential_id("ct", now.load(), 0);
    good.first_name = "Good";
    good.tags = {"vip"};
    bad.id = crypto::sequential_id("ct", now.load(), 1);
    bad.first_name = "Bad";
    bad.tags = {"vip", "vip"};
    for (auto* c : {&good, &bad}) {
        c->owner_id = owner_a_id;
        c->created_at = c->updated_at = now.load();
    }
    ImportJob progress = *job;
    progress.created = 2;
    BOOST_TEST(!store->import_contacts_batch(scope(), {good, bad}, progress).ok());
    BOOST_TEST(count("SELECT count(*) FROM contacts") == contacts_before);
    BOOST_TEST(count("SELECT count(*) FROM contact_versions WHERE contact_id = '" + good.id + "'") == 0);
    BOOST_TEST(count("SELECT coalesce(sum(live), 0) FROM contact_counts") == live_before);
    BOOST_TEST(count("SELECT created FROM import_jobs WHERE id = '" + job->id + "'") == 0);

    // The writer is usable and checks again: the good contact alone imports...
    progress.created = 1;
    BOOST_TEST_REQUIRE(store->import_contacts_batch(scope(), {good}, progress).ok());
    BOOST_TEST(count("SELECT count(*) FROM contacts") == contacts_before + 1);
    BOOST_TEST(count("SELECT coalesce(sum(live), 0) FROM contact_counts") == live_before + 1);
    // ...and an ordinary create after it keeps the counts (the trigger of migration 19).
    model::Contact next = good;
    next.id = crypto::random_id("ct");
    AuditEntry audit;
    audit.actor.id = owner_a_id;
    audit.action = "contact.create";
    BOOST_TEST_REQUIRE(store->create_contact(scope(), next, audit).ok());
    BOOST_TEST(count("SELECT coalesce(sum(live), 0) FROM contact_counts") == live_before + 2);
    BOOST_TEST(count("SELECT count(*) FROM pragma_foreign_key_check") == 0);
}

// The next batch is read while one is written (two threads): a batch the store refuses still
// ends the job as failed with only the batches before it counted, and nothing after it written.
BOOST_AUTO_TEST_CASE(CRM4_RES4_a_refused_batch_in_flight_fails_the_job_and_counts_only_what_is_stored)
{
    // The store refuses a second contact named Boom (a test-only unique index: import batches run
    // with triggers off, and a unique index is what they still check).
    BOOST_TEST_REQUIRE(import_csv("First Name\nBoom\n").created == 1);
    {
        sqlite3* db = nullptr;
        BOOST_REQUIRE(sqlite3_open((dir.path / "stronghold.db").string().c_str(), &db) == SQLITE_OK);
        BOOST_REQUIRE(sqlite3_exec(db, "CREATE UNIQUE INDEX test_refuse ON contacts(first_name) WHERE first_name = 'Boom'",
                                   nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    const auto live_before = count("SELECT coalesce((SELECT live FROM contact_counts WHERE account_id = '" + account_a1 + "'), 0)");
    std::string csv = "First Name,Email\n";
    for (int i = 0; i < 1000; ++i) // batches of 300: rows 1-300 and 301-600 store, 601-900 hold Boom
        csv += (i == 700 ? std::string("Boom") : "Q" + std::to_string(i)) + ",q" + std::to_string(i) + "@x.test\n";
    std::vector<std::int64_t> reported;
    const auto job = import_reporting(csv, 300, reported);
    BOOST_TEST(job.status == "failed");
    BOOST_TEST(job.created == 600);
    BOOST_TEST(job.failure.is_object());
    BOOST_TEST(count("SELECT coalesce((SELECT live FROM contact_counts WHERE account_id = '" + account_a1 + "'), 0)") == live_before + 600);
    BOOST_TEST(count("SELECT count(*) FROM contacts WHERE first_name IN ('Q650', 'Q950')") == 0);
    BOOST_TEST(count("SELECT created FROM import_jobs WHERE id = '" + job.id + "'") == 600);
    BOOST_TEST(count("SELECT status = 'failed' FROM import_jobs WHERE id = '" + job.id + "'") == 1);
    // Progress after each stored batch, then the end: never a count that was not stored.
    BOOST_TEST_REQUIRE(reported.size() >= 2u);
    BOOST_TEST(reported[0] == 300);
    BOOST_TEST(reported[1] == 600);
    BOOST_TEST(reported.back() == 600);
}

// Batches start small (progress soon) and double up to the import's batch size (big transactions).
BOOST_AUTO_TEST_CASE(CRM4_batches_start_small_and_double_up_to_the_batch_size)
{
    std::string csv = "First Name\n";
    for (int i = 0; i < 42000; ++i)
        csv += "R" + std::to_string(i) + "\n";
    std::vector<std::int64_t> created;
    const auto job = import_reporting(csv, k_import_batch_rows, created);
    BOOST_TEST(job.created == 42000);
    const std::vector<std::int64_t> expected = {5000, 15000, 35000, 42000, 42000}; // 5k, 10k, 20k, the rest; the end
    BOOST_TEST(created == expected, boost::test_tools::per_element());
    created.clear();
    BOOST_TEST(import_reporting(csv.substr(0, csv.find("R7000")), 3000, created).created == 7000);
    const std::vector<std::int64_t> capped = {3000, 6000, 7000, 7000}; // a smaller batch size caps from the start
    BOOST_TEST(created == capped, boost::test_tools::per_element());
}

// Email and tag rows have no index by contact (migration 20): an update, a tag change and a
// purge find a contact's rows by their key (its old addresses, folded; its old tags).
BOOST_AUTO_TEST_CASE(CRM4_RES1_email_and_tag_rows_follow_updates_and_purges_without_an_index_by_contact)
{
    const auto job = import_csv("First Name,Email,Work Email,Tags\nKeep,Keep@X.test,,a;b\nGone,GONE@x.test,g2@x.test,a;c\n",
                                {{"First Name", "first_name"}, {"Email", "email"}, {"Work Email", "email"}, {"Tags", "tags"}});
    BOOST_TEST_REQUIRE(job.created == 2);
    const auto rows = [&](const char* table, const std::string& name) {
        return count(std::string("SELECT count(*) FROM ") + table + " t JOIN contacts c ON c.id = t.contact_id"
                     " WHERE c.first_name = '" + name + "'");
    };
    BOOST_TEST(rows("contact_emails", "Keep") == 1);
    BOOST_TEST(rows("contact_emails", "Gone") == 2);
    BOOST_TEST(rows("contact_tags", "Gone") == 2);
    model::Contact keep, gone;
    for (const auto& c : contacts())
        (c.first_name == "Keep" ? keep : gone) = c;
    BOOST_TEST_REQUIRE(!keep.id.empty());
    BOOST_TEST_REQUIRE(!gone.id.empty());

    keep.emails = {"New@X.test"};
    keep.tags = {"b", "d"};
    AuditEntry audit;
    audit.actor.id = owner_a_id;
    audit.action = "contact.update";
    BOOST_TEST_REQUIRE(store->update_contact(scope(), keep, 1, audit).ok());
    BOOST_TEST(count("SELECT count(*) FROM contact_emails WHERE contact_id = '" + keep.id + "' AND email = 'new@x.test'") == 1);
    BOOST_TEST(rows("contact_emails", "Keep") == 1); // the old address's row is gone
    BOOST_TEST(rows("contact_tags", "Keep") == 2);
    BOOST_TEST(count("SELECT count(*) FROM contact_tags WHERE contact_id = '" + keep.id + "' AND tag IN ('b', 'd')") == 2);

    audit.action = "contact.delete";
    BOOST_TEST_REQUIRE(store->delete_contact(scope(), gone.id, 1, audit).ok());
    BOOST_TEST(rows("contact_emails", "Gone") == 2); // trashed: kept for a restore
    const auto purged = store->purge_trash(now.load() + 1, now.load() + 1);
    BOOST_TEST_REQUIRE(purged.ok());
    BOOST_TEST(*purged == 1);
    BOOST_TEST(count("SELECT count(*) FROM contact_emails WHERE contact_id = '" + gone.id + "'") == 0);
    BOOST_TEST(count("SELECT count(*) FROM contact_tags WHERE contact_id = '" + gone.id + "'") == 0);
    BOOST_TEST(rows("contact_emails", "Keep") == 1);
    BOOST_TEST(count("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'") == 0);
}

// The version records and `extra` texts are written without nlohmann (an import writes one per
// row); what they hold must be exactly what nlohmann::json wrote before, because reverts and the
// history panel parse them.
BOOST_AUTO_TEST_CASE(RES2_version_records_written_directly_match_the_nlohmann_form)
{
    model::Contact c;
    c.id = "ct_test";
    c.account_id = account_a1;
    c.first_name = "Zoë \"Z\"";
    c.last_name = "O'Brien\\";
    c.emails = {"a@x.test", "b@x.test"};
    c.phones = {"+14155550100"};
    c.company_name = "Acme, \tInc";
    c.owner_id = "us_owner";
    c.tags = {"vip", "日本"};
    c.version = 7;
    c.created_at = 1700000000000;
    c.updated_at = 1700000001234;
    c.lifecycle_stage = "lead";
    c.source = "import";
    c.company_id = "co_1";
    c.consents = {{"email_marketing", true, "web form", 1700000000000}, {"sms", false, "call", 1700000005000}};
    c.custom = {{"size", 12}, {"notes", "line\nbreak"}, {"multi", {"a", "b"}}};
    model::Contact bare;
    bare.id = "ct_bare";
    bare.version = 1;
    for (const auto* contact : {&c, &bare})
        for (const bool deleted : {false, true}) {
            nlohmann::json expected = {{"id", contact->id}, {"account_id", contact->account_id},
                                       {"first_name", contact->first_name}, {"last_name", contact->last_name},
                                       {"emails", contact->emails}, {"phones", contact->phones},
                                       {"company_name", contact->company_name}, {"owner_id", contact->owner_id},
                                       {"tags", contact->tags}, {"version", contact->version},
                                       {"created_at", contact->created_at}, {"updated_at", contact->updated_at}};
            expected.update(extra_json(*contact));
            if (deleted)
                expected["deleted"] = true;
            BOOST_TEST(record_json(*contact, deleted) == expected.dump());
        }
    BOOST_TEST(extra_text(c) == extra_json(c).dump());
    BOOST_TEST(extra_text(bare) == "{}"); // the column's default: a contact without these fields
    model::Contact read_back;
    apply_extra(read_back, nlohmann::json::parse(extra_text(bare)));
    BOOST_TEST(nlohmann::json(extra_json(read_back)) == extra_json(bare));
    apply_extra(read_back, nlohmann::json::parse(extra_text(c)));
    BOOST_TEST(nlohmann::json(extra_json(read_back)) == extra_json(c));
}

BOOST_AUTO_TEST_SUITE_END()

#include "store/audit_chain.hpp"

#include "cli/audit.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_store_impl.hpp"
#include "store_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <sys/stat.h>

// AUD-3/AUD-4 tamper tests: the store writes a real log; the test then edits the database FILE
// as an attacker would (dropping the append-only triggers first) and runs
// `stronghold audit verify`, which must fail and name the entry.
BOOST_AUTO_TEST_SUITE(audit_chain_tests)

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;

namespace {

constexpr const char* k_ag1 = "ag_one";
constexpr const char* k_ag2 = "ag_two";

struct VerifyRun {
    int code = -1;
    nlohmann::json report;
    std::string err;
    const nlohmann::json& first_broken() const { return report.at("broken").at(0); }
};

struct AuditLog {
    TempDir dir;
    std::unique_ptr<Store> store = open_store_or_fail(dir.str());

    // `count` rows of agency (or "" for the platform chain), seq ascending.
    void write(const std::string& agency, int count, const std::string& action = "contact.update")
    {
        for (int i = 0; i < count; ++i) {
            AuditEntry e;
            e.at = 1'700'000'000'000 + i;
            e.agency_id = agency;
            e.account_id = agency.empty() ? "" : "ac_" + agency;
            e.actor.id = "us_tester";
            e.actor.ip = "192.0.2.7";
            e.action = action;
            e.target_type = "contact";
            e.target_id = "ct_" + std::to_string(i);
            e.details = {{"fields", {"first_name"}}, {"i", i}};
            BOOST_REQUIRE(store->append_audit(e));
        }
    }
    std::vector<std::int64_t> seqs(const std::string& agency)
    {
        RawDb raw(dir.db_path());
        std::vector<std::int64_t> out;
        auto s = sqlite::Stmt::prepare(raw.db, "SELECT seq FROM audit_log WHERE agency_id = ? ORDER BY seq");
        BOOST_REQUIRE(s);
        s->bind(1, agency);
        for (auto row = s->step(); row && *row; row = s->step())
            out.push_back(s->int64(0));
        return out;
    }
    // The attacker's connection: triggers gone, then one statement with up to two integer binds.
    void tamper(const char* sql, std::int64_t a = 0, std::int64_t b = 0)
    {
        RawDb raw(dir.db_path());
        BOOST_REQUIRE(raw.db.exec("DROP TRIGGER IF EXISTS audit_log_no_update;"
                                  " DROP TRIGGER IF EXISTS audit_log_no_delete;"
                                  " DROP TRIGGER IF EXISTS audit_checkpoints_no_update;"
                                  " DROP TRIGGER IF EXISTS audit_checkpoints_no_delete"));
        auto s = sqlite::Stmt::prepare(raw.db, sql);
        BOOST_REQUIRE(s);
        if (std::string_view(sql).find("?1") != std::string_view::npos)
            s->bind(1, a);
        if (std::string_view(sql).find("?2") != std::string_view::npos)
            s->bind(2, b);
        BOOST_REQUIRE(s->run());
    }
    // Swaps every column but seq between two rows ("reorder" without renumbering).
    void swap_rows(std::int64_t a, std::int64_t b)
    {
        RawDb raw(dir.db_path());
        BOOST_REQUIRE(raw.db.exec("DROP TRIGGER IF EXISTS audit_log_no_update;"
                                  " CREATE TEMP TABLE copy AS SELECT * FROM audit_log"));
        static constexpr const char* k_swap =
            "UPDATE audit_log SET (at, agency_id, account_id, actor_type, actor_id, grant_id, action, target_type,"
            " target_id, ip, user_agent, outcome, details, chain_n, prev_hash, hash) = (SELECT at, agency_id,"
            " account_id, actor_type, actor_id, grant_id, action, target_type, target_id, ip, user_agent, outcome,"
            " details, chain_n, prev_hash, hash FROM temp.copy WHERE seq = ?2) WHERE seq = ?1";
        for (auto [to, from] : {std::pair{a, b}, std::pair{b, a}}) {
            auto s = sqlite::Stmt::prepare(raw.db, k_swap);
            BOOST_REQUIRE(s);
            BOOST_REQUIRE(s->bind(1, to).bind(2, from).run());
        }
    }
    VerifyRun verify(std::vector<std::string> extra = {})
    {
        std::vector<std::string> args{"verify", "--data", dir.str()};
        args.insert(args.end(), extra.begin(), extra.end());
        std::ostringstream out, err;
        VerifyRun run;
        run.code = audit_main(args, out, err);
        run.err = err.str();
        if (!out.str().empty())
            run.report = nlohmann::json::parse(out.str());
        return run;
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(AUD3_untouched_log_verifies_ok)
{
    AuditLog log;
    log.write(k_ag1, 5);
    log.write(k_ag2, 3);
    log.write("", 2, "auth.login_failed");
    log.write(k_ag1, 2);
    BOOST_REQUIRE(log.store->checkpoint_audit(1'700'000'100'000));
    const VerifyRun run = log.verify();
    BOOST_TEST(run.code == 0, run.err);
    BOOST_TEST(run.report.at("ok") == true);
    BOOST_TEST(run.report.at("chains") == 3);
    BOOST_TEST(run.report.at("entries") == 12);
    BOOST_TEST(run.report.at("checkpoints") == 3);
    BOOST_TEST(run.report.at("broken").empty());
    // Each agency's chain counts 1, 2, 3, ... whatever the other chains do.
    RawDb raw(log.dir.db_path());
    BOOST_TEST(raw.scalar("SELECT max(chain_n) FROM audit_log WHERE agency_id = 'ag_one'") == 7);
    BOOST_TEST(raw.scalar("SELECT count(*) FROM audit_log WHERE hash = '' OR prev_hash = ''") == 0);
}

BOOST_AUTO_TEST_CASE(AUD3_edited_field_fails_naming_the_entry)
{
    AuditLog log;
    log.write(k_ag1, 6);
    log.write(k_ag2, 2);
    const auto seqs = log.seqs(k_ag1);
    log.tamper("UPDATE audit_log SET outcome = 'failure' WHERE seq = ?1", seqs[3]);
    const VerifyRun run = log.verify();
    BOOST_TEST(run.code == 1);
    BOOST_TEST(run.report.at("ok") == false);
    BOOST_TEST_REQUIRE(run.report.at("broken").size() == 1u); // agency two's chain is intact
    BOOST_TEST(run.first_broken().at("agency_id") == k_ag1);
    BOOST_TEST(run.first_broken().at("seq") == seqs[3]);
    BOOST_TEST(run.first_broken().at("reason") == "hash_mismatch");

    // The details too (only their hash is in the canonical form).
    AuditLog other;
    other.write(k_ag1, 3);
    other.tamper("UPDATE audit_log SET details = '{\"fields\":[]}' WHERE seq = ?1", other.seqs(k_ag1)[1]);
    BOOST_TEST(other.verify().first_broken().at("reason") == "hash_mismatch");
}

BOOST_AUTO_TEST_CASE(AUD3_deleted_row_fails_naming_the_next_entry)
{
    AuditLog log;
    log.write(k_ag1, 6);
    const auto seqs = log.seqs(k_ag1);
    log.tamper("DELETE FROM audit_log WHERE seq = ?1", seqs[2]);
    const VerifyRun run = log.verify();
    BOOST_TEST(run.code == 1);
    BOOST_TEST(run.first_broken().at("reason") == "missing");
    BOOST_TEST(run.first_broken().at("seq") == seqs[3]);
    BOOST_TEST(run.first_broken().at("n") == 3);
}

BOOST_AUTO_TEST_CASE(AUD3_swapped_rows_fail_as_reordered)
{
    AuditLog log;
    log.write(k_ag1, 6);
    const auto seqs = log.seqs(k_ag1);
    log.swap_rows(seqs[1], seqs[4]);
    const VerifyRun run = log.verify();
    BOOST_TEST(run.code == 1);
    BOOST_TEST(run.first_broken().at("reason") == "reordered");
    BOOST_TEST(run.first_broken().at("seq") == seqs[1]);
}

BOOST_AUTO_TEST_CASE(AUD4_truncated_tail_past_a_checkpoint_fails)
{
    AuditLog log;
    log.write(k_ag1, 10);
    BOOST_REQUIRE(*log.store->checkpoint_audit(1'700'000'100'000) == 1);
    log.write(k_ag1, 3);
    const auto seqs = log.seqs(k_ag1);
    // The last five rows go, two of them at or before the checkpoint (positions 9 and 10).
    log.tamper("DELETE FROM audit_log WHERE seq >= ?1", seqs[8]);
    const VerifyRun run = log.verify();
    BOOST_TEST(run.code == 1);
    BOOST_TEST(run.first_broken().at("reason") == "truncated_before_checkpoint");
    BOOST_TEST(run.first_broken().at("n") == 9);     // the first entry that is gone
    BOOST_TEST(run.first_broken().at("seq") == seqs[9]); // the entry the checkpoint vouches for

    // The whole chain deleted: its checkpoints still name it.
    AuditLog gone;
    gone.write(k_ag2, 4);
    BOOST_REQUIRE(gone.store->checkpoint_audit(1'700'000'100'000));
    gone.tamper("DELETE FROM audit_log WHERE agency_id = 'ag_two' AND seq >= ?1", 0);
    const VerifyRun all = gone.verify();
    BOOST_TEST(all.code == 1);
    BOOST_TEST(all.first_broken().at("agency_id") == k_ag2);
    BOOST_TEST(all.first_broken().at("reason") == "truncated_before_checkpoint");
}

BOOST_AUTO_TEST_CASE(AUD4_tail_after_the_last_checkpoint_is_the_documented_limit)
{
    // Rows written since the last checkpoint can vanish unnoticed (server/doc/audit.md): the
    // store signs heads at every start and the app every 5 minutes to keep that window short.
    AuditLog log;
    log.write(k_ag1, 4);
    BOOST_REQUIRE(log.store->checkpoint_audit(1'700'000'100'000));
    log.write(k_ag1, 2);
    log.tamper("DELETE FROM audit_log WHERE seq >= ?1", log.seqs(k_ag1)[4]);
    BOOST_TEST(log.verify().code == 0);
}

BOOST_AUTO_TEST_CASE(AUD4_forged_or_foreign_checkpoints_fail)
{
    AuditLog log;
    log.write(k_ag1, 4);
    BOOST_REQUIRE(log.store->checkpoint_audit(1'700'000'100'000));
    // The key lives outside the database: sealed seed 0600, public key beside it.
    struct stat st {};
    BOOST_REQUIRE(::stat((log.dir.path / "keys" / "audit_signing.key").c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
    BOOST_TEST(std::filesystem::exists(log.dir.path / "keys" / "audit_signing.pub"));

    // Another key pinned: every checkpoint is foreign.
    const std::string other_key(64, 'a');
    audit::PublicKey parsed{};
    BOOST_REQUIRE(audit::public_key_from_hex(other_key, parsed));
    VerifyRun run = log.verify({"--public-key", other_key});
    BOOST_TEST(run.code == 1);
    BOOST_TEST(run.first_broken().at("reason") == "bad_signature");
    BOOST_TEST(log.verify({"--public-key", "xyz"}).code == 2);

    // A checkpoint moved to vouch for an earlier position: its signature no longer holds.
    log.tamper("UPDATE audit_checkpoints SET n = n - 1 WHERE agency_id = 'ag_one' AND n > ?1", 0);
    run = log.verify();
    BOOST_TEST(run.code == 1);
    BOOST_TEST(run.first_broken().at("reason") == "bad_signature");
}

BOOST_AUTO_TEST_CASE(AUD3_rows_from_before_migration_13_are_chained_once_at_open)
{
    TempDir dir;
    {
        // A database as the previous release left it: migrations 1..12 and two old-format rows.
        auto created = sqlite::Db::open(dir.db_path(), /*create=*/true, /*read_only=*/false);
        BOOST_REQUIRE(created);
        RawDb raw(dir.db_path());
        BOOST_REQUIRE(sqlite_schema_version(raw.db));
        for (const Migration& m : sqlite_migrations()) {
            if (m.version > 12)
                break;
            BOOST_REQUIRE(raw.db.exec(m.sql));
            auto ins = sqlite::Stmt::prepare(raw.db, "INSERT INTO schema_migrations(version, applied_at) VALUES (?, 1)");
            BOOST_REQUIRE(ins);
            BOOST_REQUIRE(ins->bind(1, m.version).run());
        }
        BOOST_REQUIRE(raw.db.exec("INSERT INTO audit_log(at, agency_id, actor_type, action, outcome, details) VALUES"
                                  " (1, 'ag_one', 'cli', 'agency.create', 'success', '{}'),"
                                  " (2, '', 'user', 'auth.login_failed', 'failure', '{\"reason\":\"x\"}'),"
                                  " (3, 'ag_one', 'user', 'contact.create', 'success', '{}')"));
    }
    {
        auto store = open_store_or_fail(dir.str());
        AuditEntry e;
        e.agency_id = k_ag1;
        e.action = "contact.update";
        BOOST_REQUIRE(store->append_audit(e));
    }
    RawDb raw(dir.db_path());
    BOOST_TEST(raw.scalar("SELECT count(*) FROM audit_log WHERE hash = ''") == 0);
    BOOST_TEST(raw.scalar("SELECT chain_n FROM audit_log WHERE seq = 4") == 3); // after the two old ag_one rows
    // Chained rows are final: the update trigger lets nothing else through.
    BOOST_TEST(!raw.db.exec("UPDATE audit_log SET hash = 'x' WHERE seq = 1"));
    BOOST_TEST(!raw.db.exec("UPDATE audit_log SET outcome = 'failure' WHERE seq = 3"));
    BOOST_TEST(!raw.db.exec("DELETE FROM audit_checkpoints"));

    std::ostringstream out, err;
    BOOST_TEST(audit_main({"verify", "--data", dir.str()}, out, err) == 0, out.str() << err.str());
    const auto report = nlohmann::json::parse(out.str());
    BOOST_TEST(report.at("entries") == 4);
    BOOST_TEST(report.at("checkpoints") == 2); // both chains signed at open
}

BOOST_AUTO_TEST_CASE(AUD3_two_writers_and_a_rollback_keep_one_chain)
{
    // The server and an admin CLI process write the same file: each insert reads the head in
    // its own write transaction, so nothing is cached that the other could make stale.
    AuditLog log;
    auto second = open_store_or_fail(log.dir.str());
    for (int i = 0; i < 4; ++i) {
        log.write(k_ag1, 1);
        AuditEntry e;
        e.agency_id = k_ag1;
        e.action = "user.create";
        BOOST_REQUIRE(second->append_audit(e));
    }
    AuditEntry bad;
    bad.agency_id = k_ag1;
    bad.action = "contact.update";
    bad.outcome = "maybe"; // refused by the CHECK constraint: the transaction rolls back
    BOOST_TEST(!log.store->append_audit(bad));
    log.write(k_ag1, 1);
    const VerifyRun run = log.verify();
    BOOST_TEST(run.code == 0, run.report.dump() << run.err);
    BOOST_TEST(run.report.at("entries") == 9);
}

BOOST_AUTO_TEST_CASE(AUD3_verify_usage_and_missing_database)
{
    std::ostringstream out, err;
    BOOST_TEST(audit_main({"verify"}, out, err) == 2);
    BOOST_TEST(err.str().find("\"field\":\"--data\"") != std::string::npos, err.str());
    BOOST_TEST(audit_main({"frobnicate"}, out, err) == 2);
    TempDir empty;
    BOOST_TEST(audit_main({"verify", "--data", empty.str()}, out, err) == 1);
}

// Figures for the report: what chaining adds to one audit insert, inside one transaction (the
// fsync at commit, which dominates a real write, is left out on purpose).
BOOST_AUTO_TEST_CASE(AUD3_insert_overhead_is_small)
{
    AuditLog log;
    log.store.reset();
    RawDb raw(log.dir.db_path());
    constexpr int k_rows = 5000;
    AuditEntry e;
    e.agency_id = k_ag1;
    e.action = "contact.update";
    e.actor.user_agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36";
    e.details = {{"fields", {"first_name", "last_name", "emails"}}};
    const auto time_rows = [&](auto&& insert_one) {
        BOOST_REQUIRE(raw.db.exec("BEGIN IMMEDIATE"));
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < k_rows; ++i)
            BOOST_REQUIRE(insert_one());
        const auto us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
        BOOST_REQUIRE(raw.db.exec("COMMIT"));
        return us / k_rows;
    };
    const double chained = time_rows([&] { return insert_audit(raw.db, e); });
    const std::string details = e.details.dump();
    const double plain = time_rows([&] {
        auto s = sqlite::Stmt::prepare(raw.db, "INSERT INTO audit_log(at, agency_id, account_id, actor_type, actor_id,"
                                               " action, target_type, target_id, ip, user_agent, outcome, details, hash)"
                                               " VALUES (1,?,'','user','','contact.update','','','',?,'success',?,'x')");
        return s && s->bind(1, e.agency_id).bind(2, e.actor.user_agent).bind(3, details).run();
    });
    audit::ChainEntry probe;
    probe.agency_id = k_ag1;
    const double lookup = time_rows([&] { return chain_audit_entry(raw.db, probe); });
    BOOST_TEST_MESSAGE("audit insert, per row: chained " << chained << " us, unchained " << plain
                                                         << " us; of which the chain lookup and hashes " << lookup << " us");
    // Index probes and two hashes, not a scan: a scan of this log would cost far more per row.
    BOOST_TEST(lookup < 2000.0);
    BOOST_TEST(chained < plain + 2000.0);
}

BOOST_AUTO_TEST_SUITE_END()

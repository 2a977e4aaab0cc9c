// AUD-3/AUD-4 on SQLite (store/audit_chain.hpp): chaining rows as insert_audit writes them,
// the one-time backfill, signed checkpoints and the read-only verifier.
//
// [SECTION] Rows
// [SECTION] Chaining
// [SECTION] Signing key
// [SECTION] Checkpoints
// [SECTION] Verification
#include "store/audit_chain.hpp"

#include "auth/secret_store.hpp"
#include "store/sqlite_store_impl.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "util/log.hpp"

#include <sodium.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace stronghold::server {

namespace {

namespace fs = std::filesystem;

// [SECTION] Rows

constexpr const char* k_key_file = "audit_signing.key";
constexpr const char* k_pub_file = "audit_signing.pub";
constexpr const char* k_key_context = "audit.checkpoint_signing_key";
constexpr int k_backfill_batch = 1000;

#define STRONGHOLD_AUDIT_CHAIN_COLUMNS                                                                                 \
    "seq, chain_n, at, agency_id, account_id, actor_type, actor_id, grant_id, action, target_type, target_id, ip,"     \
    " user_agent, outcome, details, prev_hash, hash, details_hash"

audit::ChainEntry read_chain_entry(const sqlite::Stmt& s)
{
    audit::ChainEntry e;
    e.seq = s.int64(0);
    e.n = s.int64(1);
    e.at = s.int64(2);
    e.agency_id = s.text(3);
    e.account_id = s.text(4);
    e.actor_type = s.text(5);
    e.actor_id = s.text(6);
    e.grant_id = s.text(7);
    e.action = s.text(8);
    e.target_type = s.text(9);
    e.target_id = s.text(10);
    e.ip = s.text(11);
    e.user_agent = s.text(12);
    e.outcome = s.text(13);
    e.details = s.text(14);
    e.prev_hash = s.text(15);
    e.hash = s.text(16);
    // AUD-4: a row retention pruned has details 'null' and the hash its details had. Only then is
    // the stored hash taken: details edited beside a details_hash are hashed as they are.
    if (e.details == "null")
        e.details_hash = s.text(17);
    return e;
}

// Every distinct agency_id of audit_log, one index seek each (no scan of the log).
constexpr const char* k_chain_agencies =
    "WITH RECURSIVE a(id) AS (SELECT min(agency_id) FROM audit_log"
    " UNION ALL SELECT (SELECT min(agency_id) FROM audit_log WHERE agency_id > a.id) FROM a WHERE a.id IS NOT NULL)"
    " SELECT id FROM a WHERE id IS NOT NULL";

} // namespace

Result<std::vector<std::string>> chain_agencies(sqlite::Db& db)
{
    std::vector<std::string> out;
    auto stmt = sqlite::Stmt::prepare(db, k_chain_agencies);
    if (!stmt)
        return stmt.error();
    for (auto row = stmt->step(); row; row = stmt->step()) {
        if (!*row)
            return out;
        out.push_back(stmt->text(0));
    }
    return stmt->step().error();
}

namespace {

struct Head {
    std::int64_t seq = 0;
    std::int64_t n = 0;
    std::string hash; // "" when the chain is empty
};

// The newest chained row of the agency (rows awaiting the backfill are not part of it yet).
Result<Head> chain_head(sqlite::Db& db, const std::string& agency_id)
{
    auto stmt = sqlite::Stmt::prepare(db, "SELECT seq, chain_n, hash FROM audit_log WHERE agency_id = ?"
                                          " AND hash <> '' ORDER BY seq DESC LIMIT 1");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, agency_id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return Head{};
    return Head{stmt->int64(0), stmt->int64(1), stmt->text(2)};
}

} // namespace

// [SECTION] Chaining

Status chain_audit_entry(sqlite::Db& db, audit::ChainEntry& entry)
{
    // The next seq as AUTOINCREMENT would give it, so the hash can cover it; the head of the
    // agency's chain read inside this write transaction, so other processes' rows count too.
    auto stmt = sqlite::Stmt::prepare(
        db, "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0),"
            " coalesce((SELECT max(seq) FROM audit_log), 0)) + 1,"
            " (SELECT chain_n FROM audit_log WHERE agency_id = ?1 ORDER BY seq DESC LIMIT 1),"
            " (SELECT hash FROM audit_log WHERE agency_id = ?1 ORDER BY seq DESC LIMIT 1)");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, entry.agency_id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!stmt->is_null(2) && stmt->text(2).empty()) { // rows from before migration 13 not chained yet
        if (auto st = backfill_audit_chain(db); !st)
            return st;
        return chain_audit_entry(db, entry);
    }
    entry.seq = stmt->int64(0);
    entry.n = stmt->is_null(1) ? 1 : stmt->int64(1) + 1;
    entry.prev_hash = stmt->is_null(2) ? std::string(audit::k_genesis_hash) : stmt->text(2);
    entry.hash = audit::entry_hash(entry.prev_hash, entry);
    return {};
}

Status backfill_audit_chain(sqlite::Db& db)
{
    std::map<std::string, Head> heads; // chains touched so far
    std::int64_t chained = 0;
    for (;;) {
        // Batches: rows are not updated under a running SELECT of the same index.
        std::vector<audit::ChainEntry> batch;
        {
            auto stmt = sqlite::Stmt::prepare(db, "SELECT " STRONGHOLD_AUDIT_CHAIN_COLUMNS
                                                  " FROM audit_log WHERE hash = '' ORDER BY seq LIMIT ?");
            if (!stmt)
                return stmt.error();
            stmt->bind(1, k_backfill_batch);
            for (auto row = stmt->step(); row && *row; row = stmt->step())
                batch.push_back(read_chain_entry(*stmt));
        }
        if (batch.empty())
            break;
        auto update = sqlite::Stmt::prepare(db, "UPDATE audit_log SET chain_n = ?, prev_hash = ?, hash = ? WHERE seq = ?");
        if (!update)
            return update.error();
        for (audit::ChainEntry& e : batch) {
            auto it = heads.find(e.agency_id);
            if (it == heads.end()) {
                auto head = chain_head(db, e.agency_id);
                if (!head)
                    return head.error();
                it = heads.emplace(e.agency_id, std::move(*head)).first;
            }
            Head& head = it->second;
            e.n = head.n + 1;
            e.prev_hash = head.hash.empty() ? std::string(audit::k_genesis_hash) : head.hash;
            e.hash = audit::entry_hash(e.prev_hash, e);
            update->reset();
            if (auto st = update->bind(1, e.n).bind(2, e.prev_hash).bind(3, e.hash).bind(4, e.seq).run(); !st)
                return st;
            head = Head{e.seq, e.n, e.hash};
            ++chained;
        }
    }
    if (chained > 0)
        log::info("audit.chain_backfilled", {{"entries", chained}, {"chains", heads.size()}});
    return {};
}

// [SECTION] Signing key

namespace {

Result<std::string> read_small_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return api::make_error(api::ErrorCode::internal, "cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Status write_new_file(const fs::path& path, std::string_view text, bool exclusive)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC), 0600);
    if (fd < 0)
        return api::make_error(api::ErrorCode::internal, "cannot create " + path.string());
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok)
        return api::make_error(api::ErrorCode::internal, "cannot write " + path.string());
    return {};
}

} // namespace

AuditSigner::~AuditSigner()
{
    sodium_memzero(m_seed.data(), m_seed.size());
}

Status AuditSigner::load()
{
    if (m_loaded)
        return {};
    const fs::path dir = fs::path(m_data_dir) / "keys";
    const fs::path key_path = dir / k_key_file;
    SodiumSecretStore secrets(m_data_dir); // creates keys/ (0700) with its own key
    if (!fs::exists(key_path)) {
        randombytes_buf(m_seed.data(), m_seed.size());
        auto sealed = secrets.seal(k_key_context, std::string_view(reinterpret_cast<const char*>(m_seed.data()), m_seed.size()));
        if (!sealed)
            return sealed.error();
        // O_EXCL: of two processes starting at once, one writes the key and the other reads it.
        if (auto st = write_new_file(key_path, *sealed, true); st)
            log::info("audit.signing_key_created", {{"path", key_path.string()}});
    }
    auto sealed = read_small_file(key_path);
    if (!sealed)
        return sealed.error();
    auto seed = secrets.open(k_key_context, *sealed);
    if (!seed || seed->size() != m_seed.size())
        return api::make_error(api::ErrorCode::internal, "the audit signing key cannot be opened");
    std::copy(seed->begin(), seed->end(), reinterpret_cast<char*>(m_seed.data()));
    sodium_memzero(seed->data(), seed->size());
    // The public half for verifiers, rewritten when missing or not this key's.
    const std::string pub_hex = crypto::to_hex(audit::public_key_from_seed(m_seed)) + "\n";
    auto current = read_small_file(dir / k_pub_file);
    if (!current || *current != pub_hex)
        if (auto st = write_new_file(dir / k_pub_file, pub_hex, false); !st)
            return st;
    m_loaded = true;
    return {};
}

Status AuditSigner::sign(audit::Checkpoint& cp)
{
    std::lock_guard lock(m_mutex);
    if (auto st = load(); !st)
        return st;
    audit::sign_checkpoint(cp, m_seed);
    return {};
}

Result<audit::PublicKey> AuditSigner::public_key()
{
    std::lock_guard lock(m_mutex);
    if (auto st = load(); !st)
        return st.error();
    return audit::public_key_from_seed(m_seed);
}

Result<audit::PublicKey> read_audit_public_key(const std::string& data_dir)
{
    auto text = read_small_file(fs::path(data_dir) / "keys" / k_pub_file);
    if (!text)
        return text.error();
    std::string hex = *text;
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' '))
        hex.pop_back();
    audit::PublicKey key{};
    if (!audit::public_key_from_hex(hex, key))
        return api::make_error(api::ErrorCode::internal, "keys/" + std::string(k_pub_file) + " is not a public key");
    return key;
}

// [SECTION] Checkpoints

Result<std::int64_t> write_audit_checkpoints(sqlite::Db& db, AuditSigner& signer, model::UnixMillis now)
{
    auto agencies = chain_agencies(db);
    if (!agencies)
        return agencies.error();
    std::int64_t written = 0;
    for (const std::string& agency_id : *agencies) {
        auto head = chain_head(db, agency_id);
        if (!head)
            return head.error();
        auto last = sqlite::Stmt::prepare(db, "SELECT coalesce(max(n), 0) FROM audit_checkpoints WHERE agency_id = ?");
        if (!last)
            return last.error();
        last->bind(1, agency_id);
        if (auto row = last->step(); !row)
            return row.error();
        if (head->hash.empty() || head->n <= last->int64(0))
            continue;
        audit::Checkpoint cp{agency_id, head->n, head->seq, head->hash, now, {}, {}};
        if (auto st = signer.sign(cp); !st)
            return st.error();
        auto ins = sqlite::Stmt::prepare(db, "INSERT INTO audit_checkpoints(agency_id, n, seq, hash, at, key_id, signature)"
                                             " VALUES (?,?,?,?,?,?,?)");
        if (!ins)
            return ins.error();
        if (auto st = ins->bind(1, cp.agency_id).bind(2, cp.n).bind(3, cp.seq).bind(4, cp.hash).bind(5, cp.at)
                          .bind(6, cp.key_id).bind(7, cp.signature).run();
            !st)
            return st.error();
        // A copy outside the database: the logs keep what a truncated file can no longer show.
        log::info("audit.checkpoint", {{"agency_id", cp.agency_id}, {"n", cp.n}, {"seq", cp.seq}, {"hash", cp.hash},
                                       {"at", cp.at}, {"key_id", cp.key_id}, {"signature", cp.signature}});
        ++written;
    }
    return written;
}

Result<std::int64_t> SqliteStore::checkpoint_audit(model::UnixMillis now)
{
    if (!audit_signer)
        return api::make_error(api::ErrorCode::internal, "no audit signing key configured");
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto written = write_audit_checkpoints(*m_writer, *audit_signer, now);
    if (!written)
        return written.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return *written;
}

// [SECTION] Verification

namespace {

Result<std::map<std::string, std::vector<audit::Checkpoint>>> read_checkpoints(sqlite::Db& db)
{
    std::map<std::string, std::vector<audit::Checkpoint>> out;
    auto stmt = sqlite::Stmt::prepare(db, "SELECT agency_id, n, seq, hash, at, key_id, signature FROM audit_checkpoints");
    if (!stmt)
        return stmt.error();
    for (auto row = stmt->step(); row; row = stmt->step()) {
        if (!*row)
            return out;
        audit::Checkpoint cp{stmt->text(0), stmt->int64(1), stmt->int64(2), stmt->text(3),
                             stmt->int64(4), stmt->text(5), stmt->text(6)};
        out[cp.agency_id].push_back(std::move(cp));
    }
    return stmt->step().error();
}

Result<bool> has_chain_schema(sqlite::Db& db)
{
    auto stmt = sqlite::Stmt::prepare(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_checkpoints'");
    if (!stmt)
        return stmt.error();
    return stmt->step();
}

Result<audit::ChainReport> verify_one(sqlite::Db& db, const std::string& agency_id,
                                      const std::vector<audit::Checkpoint>& checkpoints, const audit::PublicKey& key)
{
    audit::ChainVerifier verifier(agency_id, checkpoints, key);
    auto stmt = sqlite::Stmt::prepare(db, "SELECT " STRONGHOLD_AUDIT_CHAIN_COLUMNS
                                          " FROM audit_log WHERE agency_id = ? ORDER BY seq");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, agency_id);
    for (auto row = stmt->step(); row; row = stmt->step()) {
        if (!*row)
            return verifier.finish();
        verifier.add(read_chain_entry(*stmt));
    }
    return stmt->step().error();
}

} // namespace

Result<nlohmann::json> verify_audit_log(const std::string& data_dir, const std::string& pinned_key_hex)
{
    audit::PublicKey key{};
    if (!pinned_key_hex.empty()) {
        if (!audit::public_key_from_hex(pinned_key_hex, key))
            return api::make_error(api::ErrorCode::validation_failed, "not an Ed25519 public key (64 hex characters)",
                                   "public-key");
    } else {
        auto read = read_audit_public_key(data_dir);
        if (!read)
            return read.error();
        key = *read;
    }
    const std::string path = (fs::path(data_dir) / "stronghold.db").string();
    if (!fs::exists(path))
        return api::make_error(api::ErrorCode::not_found, "no database at " + path, "data");
    auto db = sqlite::Db::open(path, /*create=*/false, /*read_only=*/true);
    if (!db)
        return db.error();
    // One read transaction: every chain is checked in the same snapshot while a server writes.
    if (auto st = db->exec("BEGIN"); !st)
        return st.error();
    auto chained = has_chain_schema(*db);
    if (!chained)
        return chained.error();
    if (!*chained)
        return api::make_error(api::ErrorCode::conflict,
                               "the audit log has no hash chain yet (schema before 13): start the server once");
    auto pruned_column = sqlite::Stmt::prepare(*db, "SELECT 1 FROM pragma_table_info('audit_log') WHERE name = 'details_hash'");
    if (!pruned_column)
        return pruned_column.error();
    if (auto row = pruned_column->step(); !row || !*row)
        return api::make_error(api::ErrorCode::conflict,
                               "the audit log has no retention column yet (schema before 18): start the server once");
    auto checkpoints = read_checkpoints(*db);
    if (!checkpoints)
        return checkpoints.error();
    auto agencies = chain_agencies(*db);
    if (!agencies)
        return agencies.error();
    for (const auto& [agency_id, unused] : *checkpoints) // a chain truncated to nothing still has its checkpoints
        if (std::find(agencies->begin(), agencies->end(), agency_id) == agencies->end())
            agencies->push_back(agency_id);

    nlohmann::json report = {{"ok", true}, {"chains", agencies->size()}, {"entries", 0}, {"checkpoints", 0},
                             {"key_id", audit::key_id(key)}, {"broken", nlohmann::json::array()}};
    std::int64_t entries = 0;
    std::int64_t cps = 0;
    static const std::vector<audit::Checkpoint> k_none;
    for (const std::string& agency_id : *agencies) {
        auto found = checkpoints->find(agency_id);
        auto r = verify_one(*db, agency_id, found == checkpoints->end() ? k_none : found->second, key);
        if (!r)
            return r.error();
        entries += r->entries;
        cps += r->checkpoints;
        if (!r->ok()) {
            report["ok"] = false;
            report["broken"].push_back({{"agency_id", agency_id}, {"seq", r->seq}, {"n", r->n},
                                        {"reason", std::string(audit::to_string(r->reason))}, {"detail", r->detail}});
        }
    }
    (void)db->exec("COMMIT");
    report["entries"] = entries;
    report["checkpoints"] = cps;
    return report;
}

} // namespace stronghold::server

// AUD-3/AUD-4 on the SQLite store: the audit hash chain as rows are written, the backfill of rows
// written before migration 13, signed checkpoints, and the read-only verifier behind
// `stronghold audit verify`. The format itself is core's (stronghold/audit/chain.hpp);
// server/doc/audit.md explains both for people.
#pragma once

#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "stronghold/audit/chain.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace stronghold::server {

// The Ed25519 key that signs checkpoints: <data>/keys/audit_signing.key holds its 32-byte seed
// sealed by the SecretStore (DESIGN.md "Secrets"; file 0600, created once with O_EXCL), and
// <data>/keys/audit_signing.pub its public key in hex for verifiers. Loaded or made on first use.
class AuditSigner {
public:
    explicit AuditSigner(std::string data_dir) : m_data_dir(std::move(data_dir)) {}
    ~AuditSigner(); // wipes the seed
    AuditSigner(const AuditSigner&) = delete;
    AuditSigner& operator=(const AuditSigner&) = delete;

    Status sign(audit::Checkpoint& cp); // fills key_id and signature
    Result<audit::PublicKey> public_key();

private:
    Status load(); // under m_mutex
    std::mutex m_mutex;
    std::string m_data_dir;
    std::array<std::uint8_t, audit::k_seed_bytes> m_seed{};
    bool m_loaded = false;
};

// The public key a verifier trusts: <data>/keys/audit_signing.pub (written with the key).
Result<audit::PublicKey> read_audit_public_key(const std::string& data_dir);

// Inside the caller's write transaction: the next seq, chain position and prev_hash for a row
// of agency_id, and the row's hash. Chains rows left unchained first (see backfill below).
Status chain_audit_entry(sqlite::Db& db, audit::ChainEntry& entry);
// Inside the caller's write transaction: chains, in seq order, every row written before
// migration 13 added the chain columns (run once at open; then it finds nothing).
Status backfill_audit_chain(sqlite::Db& db);
// Every agency id that has audit rows ("" for the platform chain), one index seek each.
Result<std::vector<std::string>> chain_agencies(sqlite::Db& db);
// Inside the caller's write transaction: a signed checkpoint for every chain whose head has none.
Result<std::int64_t> write_audit_checkpoints(sqlite::Db& db, AuditSigner& signer, model::UnixMillis now);

// `stronghold audit verify`: opens <data>/stronghold.db read-only and checks every chain and
// checkpoint. pinned_key_hex, when given, is the key to trust instead of the data dir's .pub.
// The report: {"ok","chains","entries","checkpoints","key_id","broken":[{"agency_id","seq","n",
// "reason","detail"}]}; an error when the database or key cannot be read.
Result<nlohmann::json> verify_audit_log(const std::string& data_dir, const std::string& pinned_key_hex);

} // namespace stronghold::server

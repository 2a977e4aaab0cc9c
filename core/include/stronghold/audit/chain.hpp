// AUD-3 tamper-evident audit log: the canonical form of an entry, the hash chain (one per
// agency; agency "" is the platform chain), signed checkpoints and the verifier. Pure and
// sans-I/O, so the server's `stronghold audit verify` and the dashboard (WASM) run the same
// code. server/doc/audit.md describes the format for people who verify by other means.
//
// [SECTION] Entries and hashes
// [SECTION] Checkpoints
// [SECTION] Verification
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::audit {

// [SECTION] Entries and hashes

// prev_hash of the first entry of every chain: 64 zeros.
inline constexpr std::string_view k_genesis_hash = "0000000000000000000000000000000000000000000000000000000000000000";
inline constexpr int k_canonical_version = 1; // "v" in the canonical JSON

// One audit row as the chain sees it. Text fields are exactly what is stored.
struct ChainEntry {
    std::int64_t seq = 0;   // the row's global sequence (audit_log.seq)
    std::int64_t n = 0;     // position in its agency's chain: 1, 2, 3, ...
    std::int64_t at = 0;    // Unix milliseconds
    std::string agency_id;  // the chain it belongs to ("" = platform)
    std::string account_id;
    std::string actor_type;
    std::string actor_id;
    std::string grant_id;   // JITA grant the actor worked under ("" when none)
    std::string action;
    std::string target_type;
    std::string target_id;
    std::string ip;
    std::string user_agent;
    std::string outcome;
    std::string details;      // the stored details JSON text, byte for byte
    std::string details_hash; // when details were removed by retention: their hash; else ""
    std::string prev_hash;    // hex, the previous entry's hash (k_genesis_hash for n == 1)
    std::string hash;         // hex, entry_hash(prev_hash, entry)
};

std::string details_hash(std::string_view details_json); // BLAKE2b-256 hex of the details text
// {"v":1,"seq":..,"n":..,"at":..,"agency":..,"account":..,"actor_type":..,"actor_id":..,
// "grant_id":..,"action":..,"target_type":..,"target_id":..,"ip":..,"user_agent":..,
// "outcome":..,"details_hash":..}: this key order, no whitespace, strings escaped as JSON
// (\" \\ and \u00XX for control characters; other bytes as they are).
std::string canonical_json(const ChainEntry& entry);
// BLAKE2b-256 (crypto_generichash) of prev_hash (64 hex characters) followed by canonical_json(entry).
std::string entry_hash(std::string_view prev_hash, const ChainEntry& entry);

// [SECTION] Checkpoints

inline constexpr std::size_t k_public_key_bytes = 32;
inline constexpr std::size_t k_secret_key_bytes = 64; // libsodium's Ed25519 secret key (seed || public)
inline constexpr std::size_t k_seed_bytes = 32;
using PublicKey = std::array<std::uint8_t, k_public_key_bytes>;

// The signed statement "entry n of agency's chain is row seq with this hash".
struct Checkpoint {
    std::string agency_id;
    std::int64_t n = 0;
    std::int64_t seq = 0;
    std::string hash;
    std::int64_t at = 0;    // when it was signed
    std::string key_id;     // key_id(public key) of the signer
    std::string signature;  // Ed25519, hex
};

std::string key_id(const PublicKey& key);                              // first 16 hex chars of BLAKE2b-256(key)
bool public_key_from_hex(std::string_view hex, PublicKey& out);        // false unless 64 hex characters
PublicKey public_key_from_seed(std::span<const std::uint8_t, k_seed_bytes> seed);
// "stronghold-audit-checkpoint-v1\n" + {"agency":..,"n":..,"seq":..,"hash":..,"at":..,"key_id":..}
std::string checkpoint_message(const Checkpoint& cp);
// Fills cp.key_id and cp.signature from the 32-byte seed (the secret is wiped after use).
void sign_checkpoint(Checkpoint& cp, std::span<const std::uint8_t, k_seed_bytes> seed);
[[nodiscard]] bool checkpoint_signature_ok(const Checkpoint& cp, const PublicKey& key);

// [SECTION] Verification

enum class Break {
    none,
    hash_mismatch,               // the entry's fields do not give its stored hash (edited)
    prev_mismatch,               // prev_hash is not the previous entry's hash
    missing,                     // position n skipped: an entry was removed before this one
    reordered,                   // positions out of order: entries were moved
    truncated_before_checkpoint, // a checkpoint vouches for an entry that is gone
    checkpoint_mismatch,         // the entry at a checkpoint's position has another seq or hash
    bad_signature,               // a checkpoint's signature fails, or it names an unknown key
};
std::string_view to_string(Break b);

struct ChainReport {
    std::string agency_id;
    std::int64_t entries = 0;
    std::int64_t checkpoints = 0;
    Break reason = Break::none; // none: the chain verifies
    std::int64_t seq = 0;       // the first broken entry's seq (for a checkpoint break: the checkpoint's seq)
    std::int64_t n = 0;         // its position in the chain (for truncation: the first missing one)
    std::string detail;         // one sentence for people
    bool ok() const { return reason == Break::none; }
};

// Verifies one agency's chain as its entries stream past in seq order (the store never holds a
// whole chain in memory). Checkpoints are given up front; the report names the first broken
// entry by chain position (a checkpoint whose signature fails is reported only when the
// entries themselves are intact).
class ChainVerifier {
public:
    ChainVerifier(std::string_view agency_id, std::span<const Checkpoint> checkpoints, const PublicKey& key);
    void add(const ChainEntry& entry); // the next entry of this agency, in seq order
    [[nodiscard]] ChainReport finish(); // call once, after the last add()

private:
    void fail(Break reason, std::int64_t seq, std::int64_t n, std::string detail);
    ChainReport m_report;
    std::vector<Checkpoint> m_checkpoints; // sorted by n
    std::vector<bool> m_signature_ok;      // per m_checkpoints entry
    std::string m_key_id;
    std::string m_prev;
    std::int64_t m_expected = 1;
    std::size_t m_next_checkpoint = 0;
    bool m_missing_pending = false; // a "missing" break that becomes "reordered" if the position turns up
};

// The same over a whole chain in memory (tests, the dashboard's page of entries).
[[nodiscard]] ChainReport verify_chain(std::string_view agency_id, std::span<const ChainEntry> entries,
                                       std::span<const Checkpoint> checkpoints, const PublicKey& key);

} // namespace stronghold::audit

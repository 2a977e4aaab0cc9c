// The audit hash chain, checkpoints and verifier (audit/chain.hpp).
//
// [SECTION] Canonical JSON
// [SECTION] Hashes
// [SECTION] Checkpoints
// [SECTION] Verification
#include "stronghold/audit/chain.hpp"

#include "stronghold/crypto/crypto.hpp"
#include "stronghold/io/json_text.hpp"

#include <sodium.h>

#include <algorithm>
#include <vector>

namespace stronghold::audit {

namespace {

// [SECTION] Canonical JSON

// JSON string escaping with one spelling per byte: the canonical form must not depend on the
// serializer that wrote it.
void append_string(std::string& out, std::string_view text)
{
    out.push_back('"');
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (u < 0x20) {
            io::append_json_u00(out, u);
        } else {
            out.push_back(c);
        }
    }
    out.push_back('"');
}

// The first field opens the object; later ones are preceded by a comma.
void field(std::string& out, std::string_view key, std::string_view value)
{
    out.push_back(out.size() > 1 ? ',' : '{');
    append_string(out, key);
    out.push_back(':');
    append_string(out, value);
}

void field(std::string& out, std::string_view key, std::int64_t value)
{
    out.push_back(out.size() > 1 ? ',' : '{');
    append_string(out, key);
    out.push_back(':');
    out += std::to_string(value);
}

std::string blake2b_hex(std::string_view a, std::string_view b)
{
    std::array<std::uint8_t, crypto_generichash_BYTES> digest{};
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, digest.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(a.data()), a.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(b.data()), b.size());
    crypto_generichash_final(&state, digest.data(), digest.size());
    return crypto::to_hex(digest);
}

} // namespace

std::string details_hash(std::string_view details_json)
{
    return crypto::hash_hex(details_json);
}

std::string canonical_json(const ChainEntry& e)
{
    std::string out;
    out.reserve(256 + e.user_agent.size());
    field(out, "v", k_canonical_version);
    field(out, "seq", e.seq);
    field(out, "n", e.n);
    field(out, "at", e.at);
    field(out, "agency", e.agency_id);
    field(out, "account", e.account_id);
    field(out, "actor_type", e.actor_type);
    field(out, "actor_id", e.actor_id);
    field(out, "grant_id", e.grant_id);
    field(out, "action", e.action);
    field(out, "target_type", e.target_type);
    field(out, "target_id", e.target_id);
    field(out, "ip", e.ip);
    field(out, "user_agent", e.user_agent);
    field(out, "outcome", e.outcome);
    field(out, "details_hash", e.details_hash.empty() ? details_hash(e.details) : e.details_hash);
    out.push_back('}');
    return out;
}

// [SECTION] Hashes

std::string entry_hash(std::string_view prev_hash, const ChainEntry& entry)
{
    return blake2b_hex(prev_hash, canonical_json(entry));
}

// [SECTION] Checkpoints

std::string key_id(const PublicKey& key)
{
    return crypto::hash_hex(std::string_view(reinterpret_cast<const char*>(key.data()), key.size())).substr(0, 16);
}

bool public_key_from_hex(std::string_view hex, PublicKey& out)
{
    if (hex.size() != out.size() * 2)
        return false;
    std::size_t len = 0;
    return sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) == 0 &&
           len == out.size();
}

PublicKey public_key_from_seed(std::span<const std::uint8_t, k_seed_bytes> seed)
{
    PublicKey pk{};
    std::array<std::uint8_t, k_secret_key_bytes> sk{};
    crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
    sodium_memzero(sk.data(), sk.size());
    return pk;
}

std::string checkpoint_message(const Checkpoint& cp)
{
    std::string out;
    field(out, "agency", cp.agency_id);
    field(out, "n", cp.n);
    field(out, "seq", cp.seq);
    field(out, "hash", cp.hash);
    field(out, "at", cp.at);
    field(out, "key_id", cp.key_id);
    out.push_back('}');
    return "stronghold-audit-checkpoint-v1\n" + out;
}

void sign_checkpoint(Checkpoint& cp, std::span<const std::uint8_t, k_seed_bytes> seed)
{
    PublicKey pk{};
    std::array<std::uint8_t, k_secret_key_bytes> sk{};
    crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
    cp.key_id = key_id(pk);
    const std::string message = checkpoint_message(cp);
    std::array<std::uint8_t, crypto_sign_BYTES> sig{};
    crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         sk.data());
    sodium_memzero(sk.data(), sk.size());
    cp.signature = crypto::to_hex(sig);
}

bool checkpoint_signature_ok(const Checkpoint& cp, const PublicKey& key)
{
    std::array<std::uint8_t, crypto_sign_BYTES> sig{};
    std::size_t len = 0;
    if (cp.signature.size() != sig.size() * 2 ||
        sodium_hex2bin(sig.data(), sig.size(), cp.signature.data(), cp.signature.size(), nullptr, &len, nullptr) != 0 ||
        len != sig.size())
        return false;
    const std::string message = checkpoint_message(cp);
    return crypto_sign_verify_detached(sig.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                       message.size(), key.data()) == 0;
}

// [SECTION] Verification

std::string_view to_string(Break b)
{
    switch (b) {
    case Break::none: return "none";
    case Break::hash_mismatch: return "hash_mismatch";
    case Break::prev_mismatch: return "prev_mismatch";
    case Break::missing: return "missing";
    case Break::reordered: return "reordered";
    case Break::truncated_before_checkpoint: return "truncated_before_checkpoint";
    case Break::checkpoint_mismatch: return "checkpoint_mismatch";
    case Break::bad_signature: return "bad_signature";
    }
    return "unknown";
}

ChainVerifier::ChainVerifier(std::string_view agency_id, std::span<const Checkpoint> checkpoints, const PublicKey& key)
    : m_checkpoints(checkpoints.begin(), checkpoints.end()), m_key_id(key_id(key)), m_prev(k_genesis_hash)
{
    m_report.agency_id = std::string(agency_id);
    m_report.checkpoints = static_cast<std::int64_t>(checkpoints.size());
    std::sort(m_checkpoints.begin(), m_checkpoints.end(),
              [](const Checkpoint& a, const Checkpoint& b) { return a.n < b.n; });
    for (const Checkpoint& cp : m_checkpoints)
        m_signature_ok.push_back(cp.key_id == m_key_id && checkpoint_signature_ok(cp, key));
}

void ChainVerifier::fail(Break reason, std::int64_t seq, std::int64_t n, std::string detail)
{
    m_report.reason = reason;
    m_report.seq = seq;
    m_report.n = n;
    m_report.detail = std::move(detail);
}

void ChainVerifier::add(const ChainEntry& e)
{
    ++m_report.entries;
    if (m_missing_pending && e.n == m_expected) { // the "missing" position was only moved
        m_missing_pending = false;
        m_report.reason = Break::reordered;
        m_report.detail = "entry seq " + std::to_string(m_report.seq) + " does not hold chain position " +
                          std::to_string(m_expected) + ", which turns up later at seq " + std::to_string(e.seq);
    }
    if (!m_report.ok())
        return;
    const std::string at = "entry seq " + std::to_string(e.seq);
    if (e.n != m_expected) {
        if (e.n < m_expected)
            return fail(Break::reordered, e.seq, m_expected,
                        at + " holds chain position " + std::to_string(e.n) + " where " +
                            std::to_string(m_expected) + " belongs");
        m_missing_pending = true;
        return fail(Break::missing, e.seq, m_expected,
                    "chain position " + std::to_string(m_expected) + " is missing before " + at);
    }
    if (e.prev_hash != m_prev)
        return fail(Break::prev_mismatch, e.seq, e.n, at + ": prev_hash is not the previous entry's hash");
    if (entry_hash(e.prev_hash, e) != e.hash)
        return fail(Break::hash_mismatch, e.seq, e.n, at + ": its fields do not give its stored hash");
    // Skip checkpoints that cannot vouch (bad signature; reported by finish()).
    while (m_next_checkpoint < m_checkpoints.size() && m_checkpoints[m_next_checkpoint].n <= e.n) {
        const Checkpoint& cp = m_checkpoints[m_next_checkpoint];
        const bool vouches = m_signature_ok[m_next_checkpoint++];
        if (vouches && cp.n == e.n && (cp.seq != e.seq || cp.hash != e.hash))
            return fail(Break::checkpoint_mismatch, e.seq, e.n,
                        at + " is not what the checkpoint at position " + std::to_string(cp.n) + " (seq " +
                            std::to_string(cp.seq) + ") vouches for");
    }
    m_prev = e.hash;
    ++m_expected;
}

ChainReport ChainVerifier::finish()
{
    m_missing_pending = false;
    if (!m_report.ok())
        return m_report;
    for (std::size_t i = 0; i < m_checkpoints.size(); ++i) {
        const Checkpoint& cp = m_checkpoints[i];
        const std::string at = "checkpoint at position " + std::to_string(cp.n) + " (seq " + std::to_string(cp.seq) + ")";
        if (cp.key_id != m_key_id) {
            fail(Break::bad_signature, cp.seq, cp.n, at + " names key " + cp.key_id + ", not " + m_key_id);
            return m_report;
        }
        if (!m_signature_ok[i]) {
            fail(Break::bad_signature, cp.seq, cp.n, at + ": the signature does not verify");
            return m_report;
        }
        if (cp.n < 1) {
            fail(Break::checkpoint_mismatch, cp.seq, cp.n, at + ": no such position");
            return m_report;
        }
        if (cp.n > m_report.entries) {
            fail(Break::truncated_before_checkpoint, cp.seq, m_report.entries + 1,
                 at + " vouches for " + std::to_string(cp.n) + " entries; " + std::to_string(m_report.entries) +
                     " remain");
            return m_report;
        }
    }
    return m_report;
}

ChainReport verify_chain(std::string_view agency_id, std::span<const ChainEntry> entries,
                         std::span<const Checkpoint> checkpoints, const PublicKey& key)
{
    ChainVerifier v(agency_id, checkpoints, key);
    for (const ChainEntry& e : entries)
        v.add(e);
    return v.finish();
}

} // namespace stronghold::audit

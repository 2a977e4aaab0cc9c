// The audit hash chain, checkpoints and verifier (audit/chain.hpp).
//
// [SECTION] Canonical JSON
// [SECTION] Hashes
// [SECTION] Checkpoints
// [SECTION] Verification
#include "stronghold/audit/chain.hpp"

#include "stronghold/crypto/crypto.hpp"

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
    static constexpr char k_hex[] = "0123456789abcdef";
    out.push_back('"');
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (u < 0x20) {
            out += "\\u00";
            out.push_back(k_hex[u >> 4]);
            out.push_back(k_hex[u & 15]);
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

ChainReport verify_chain(std::string_view agency_id, std::span<const ChainEntry> entries,
                         std::span<const Checkpoint> checkpoints, const PublicKey& key)
{
    ChainReport r;
    r.agency_id = std::string(agency_id);
    r.entries = static_cast<std::int64_t>(entries.size());
    r.checkpoints = static_cast<std::int64_t>(checkpoints.size());
    const auto fail = [&](Break reason, std::int64_t seq, std::int64_t n, std::string detail) {
        r.reason = reason;
        r.seq = seq;
        r.n = n;
        r.detail = std::move(detail);
        return r;
    };

    std::string_view prev = k_genesis_hash;
    std::int64_t expected = 1;
    for (std::size_t i = 0; i < entries.size(); ++i, ++expected) {
        const ChainEntry& e = entries[i];
        const std::string at = "entry seq " + std::to_string(e.seq);
        if (e.n != expected) {
            // Moved rather than removed when the position we wait for turns up later.
            const bool later = std::any_of(entries.begin() + static_cast<std::ptrdiff_t>(i) + 1, entries.end(),
                                           [&](const ChainEntry& x) { return x.n == expected; });
            if (e.n < expected || later)
                return fail(Break::reordered, e.seq, expected,
                            at + " holds chain position " + std::to_string(e.n) + " where " +
                                std::to_string(expected) + " belongs");
            return fail(Break::missing, e.seq, expected,
                        "chain position " + std::to_string(expected) + " is missing before " + at);
        }
        if (e.prev_hash != prev)
            return fail(Break::prev_mismatch, e.seq, e.n, at + ": prev_hash is not the previous entry's hash");
        if (entry_hash(e.prev_hash, e) != e.hash)
            return fail(Break::hash_mismatch, e.seq, e.n, at + ": its fields do not give its stored hash");
        prev = e.hash;
    }

    std::vector<const Checkpoint*> sorted;
    for (const Checkpoint& cp : checkpoints)
        sorted.push_back(&cp);
    std::sort(sorted.begin(), sorted.end(), [](const Checkpoint* a, const Checkpoint* b) { return a->n < b->n; });
    const std::string kid = key_id(key);
    for (const Checkpoint* cp : sorted) {
        const std::string at = "checkpoint at position " + std::to_string(cp->n) + " (seq " + std::to_string(cp->seq) + ")";
        if (cp->key_id != kid)
            return fail(Break::bad_signature, cp->seq, cp->n, at + " names key " + cp->key_id + ", not " + kid);
        if (!checkpoint_signature_ok(*cp, key))
            return fail(Break::bad_signature, cp->seq, cp->n, at + ": the signature does not verify");
        if (cp->n < 1)
            return fail(Break::checkpoint_mismatch, cp->seq, cp->n, at + ": no such position");
        if (cp->n > r.entries)
            return fail(Break::truncated_before_checkpoint, cp->seq, r.entries + 1,
                        at + " vouches for " + std::to_string(cp->n) + " entries; " + std::to_string(r.entries) +
                            " remain");
        const ChainEntry& e = entries[static_cast<std::size_t>(cp->n - 1)];
        if (e.seq != cp->seq || e.hash != cp->hash)
            return fail(Break::checkpoint_mismatch, e.seq, e.n, at + ": entry seq " + std::to_string(e.seq) +
                                                                     " there has another seq or hash");
    }
    return r;
}

} // namespace stronghold::audit

// libsodium behind small, hard-to-misuse functions. Call crypto::init() once before anything else.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace stronghold::crypto {

[[nodiscard]] bool init(); // sodium_init(); false when the library cannot start (no entropy)

// Randomness comes from one small interface so tests can replace it with a seeded one.
class Random {
public:
    virtual ~Random() = default;
    virtual void fill(std::span<std::uint8_t> out) = 0;
};
Random& system_random(); // libsodium's CSPRNG (crypto.getRandomValues under WASM)

// Deterministic generator for tests: a ChaCha20 stream keyed from the seed (randombytes_buf_deterministic).
class SeededRandom final : public Random {
public:
    explicit SeededRandom(std::uint64_t seed);
    void fill(std::span<std::uint8_t> out) override;
private:
    std::array<std::uint8_t, 32> m_seed{};
    std::uint64_t m_counter = 0;
};

// Random 128-bit id shown with its type prefix: prefix + "_" + 26 lower-case base32 characters.
std::string random_id(std::string_view prefix, Random& rng = system_random());
// The same shape (128 bits, 26 characters) with the first 48 bits the creation time in Unix
// milliseconds and 80 random bits after (as a ULID): ids made close in time share a prefix, so
// bulk inserts (imports) land in a few index pages instead of all over the id indexes. It shows
// when the record was made; 80 random bits per millisecond stay far beyond guessing.
std::string time_ordered_id(std::string_view prefix, std::int64_t unix_ms, Random& rng = system_random());
// time_ordered_id with `sequence` (below 26^6 = 308,915,776) in the 6 characters after the time, as
// letters a-z, and 48 random bits after: the ids of one import (one time, sequence 0, 1, 2, ...)
// sort as text in the order they were made, so every id index takes them at its right edge
// (pages filled once, never split in the middle nor re-read). 48 random bits still defeat guessing.
std::string sequential_id(std::string_view prefix, std::int64_t unix_ms, std::uint32_t sequence,
                          Random& rng = system_random());
// True when text is prefix + "_" + 26 base32 characters (cheap shape check before a lookup).
bool is_id(std::string_view text, std::string_view prefix);

// 32 random bytes as 43 url-safe base64 characters (session tokens and other secrets).
std::string random_token(Random& rng = system_random());

// BLAKE2b-256 of data, as 64 lower-case hex characters (how tokens are stored: hashed).
std::string hash_hex(std::string_view data);

// Constant-time equality for secrets of equal length (sodium_memcmp); unequal lengths are false.
[[nodiscard]] bool equal_ct(std::string_view a, std::string_view b);

std::string to_hex(std::span<const std::uint8_t> bytes);
std::string to_base64url(std::span<const std::uint8_t> bytes); // no padding

// Argon2id password hashing (crypto_pwhash_str). Parameters: t=2 passes, m=64 MiB (libsodium's
// INTERACTIVE preset; above OWASP's minimum of m=19 MiB, t=2), 1 lane. Salted by libsodium.
struct PwhashParams {
    unsigned long long opslimit = 2;
    std::size_t memlimit = 64u * 1024u * 1024u;
};
inline constexpr PwhashParams k_pwhash_default{};
// Returns the encoded "$argon2id$..." string; empty on failure (out of memory).
std::string password_hash(std::string_view password, const PwhashParams& params = k_pwhash_default);
[[nodiscard]] bool password_verify(std::string_view encoded, std::string_view password);
// True when the stored hash uses weaker parameters than params (re-hash at next login).
bool password_needs_rehash(std::string_view encoded, const PwhashParams& params = k_pwhash_default);

} // namespace stronghold::crypto

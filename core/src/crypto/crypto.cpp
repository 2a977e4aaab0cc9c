// libsodium behind the small API of crypto.hpp. Every secret buffer that is ours is wiped.
#include "stronghold/crypto/crypto.hpp"

#include <sodium.h>

#include <cstring>

namespace stronghold::crypto {

namespace {

constexpr std::string_view k_base32 = "abcdefghijklmnopqrstuvwxyz234567"; // RFC 4648, lower-cased
constexpr std::size_t k_id_bytes = 16;                                    // 128 bits
constexpr std::size_t k_id_chars = 26;                                    // ceil(128 / 5)
constexpr std::size_t k_token_bytes = 32;

class SystemRandom final : public Random {
public:
    void fill(std::span<std::uint8_t> out) override { randombytes_buf(out.data(), out.size()); }
};

std::string base32(std::span<const std::uint8_t> bytes)
{
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const std::uint8_t b : bytes) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5) {
            out.push_back(k_base32[(buffer >> (bits - 5)) & 31u]);
            bits -= 5;
        }
    }
    if (bits > 0)
        out.push_back(k_base32[(buffer << (5 - bits)) & 31u]);
    return out;
}

} // namespace

bool init()
{
    return sodium_init() >= 0; // 1 = already initialised, also fine
}

Random& system_random()
{
    static SystemRandom instance; // stateless: the state is libsodium's
    return instance;
}

SeededRandom::SeededRandom(std::uint64_t seed)
{
    for (std::size_t i = 0; i < 8; ++i)
        m_seed[i] = static_cast<std::uint8_t>(seed >> (8 * i));
}

void SeededRandom::fill(std::span<std::uint8_t> out)
{
    // randombytes_buf_deterministic has a fixed nonce, so each call gets its own key:
    // the seed with the call counter in its last 8 bytes. Same seed, same sequence of calls,
    // same bytes, on every platform (the counter is written little-endian explicitly).
    std::array<std::uint8_t, randombytes_SEEDBYTES> key{};
    static_assert(sizeof(key) == sizeof(m_seed));
    std::memcpy(key.data(), m_seed.data(), key.size());
    for (std::size_t i = 0; i < 8; ++i)
        key[24 + i] = static_cast<std::uint8_t>(m_counter >> (8 * i));
    ++m_counter;
    randombytes_buf_deterministic(out.data(), out.size(), key.data());
    sodium_memzero(key.data(), key.size());
}

std::string random_id(std::string_view prefix, Random& rng)
{
    std::array<std::uint8_t, k_id_bytes> bytes{};
    rng.fill(bytes);
    return std::string(prefix) + "_" + base32(bytes);
}

std::string time_ordered_id(std::string_view prefix, std::int64_t unix_ms, Random& rng)
{
    std::array<std::uint8_t, k_id_bytes> bytes{};
    rng.fill(std::span(bytes).subspan(6));
    const auto t = static_cast<std::uint64_t>(unix_ms);
    for (std::size_t i = 0; i < 6; ++i) // big-endian: the most significant byte first
        bytes[i] = static_cast<std::uint8_t>(t >> (8 * (5 - i)));
    return std::string(prefix) + "_" + base32(bytes);
}

std::string sequential_id(std::string_view prefix, std::int64_t unix_ms, std::uint32_t sequence, Random& rng)
{
    std::string id = time_ordered_id(prefix, unix_ms, rng);
    // Character 9 holds the last 3 time bits and 2 random ones: the random ones are cleared, so
    // the text up to the sequence is the same for every id of one time. Base32's alphabet is not
    // in ASCII order (digits sort before letters), so the sequence is written in base 26, a-z.
    char* chars = id.data() + prefix.size() + 1;
    chars[9] = k_base32[static_cast<std::size_t>(k_base32.find(chars[9])) & ~std::size_t{3}];
    for (int i = 15; i >= 10; --i) {
        chars[i] = static_cast<char>('a' + sequence % 26);
        sequence /= 26;
    }
    return id;
}

bool is_id(std::string_view text, std::string_view prefix)
{
    if (prefix.empty() || text.size() != prefix.size() + 1 + k_id_chars || !text.starts_with(prefix) ||
        text[prefix.size()] != '_')
        return false;
    for (const char c : text.substr(prefix.size() + 1))
        if (k_base32.find(c) == std::string_view::npos)
            return false;
    return true;
}

std::string random_token(Random& rng)
{
    std::array<std::uint8_t, k_token_bytes> bytes{};
    rng.fill(bytes);
    std::string out = to_base64url(bytes);
    sodium_memzero(bytes.data(), bytes.size());
    return out;
}

std::string hash_hex(std::string_view data)
{
    std::array<std::uint8_t, crypto_generichash_BYTES> digest{};
    static_assert(crypto_generichash_BYTES == 32);
    crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                       nullptr, 0);
    return to_hex(digest);
}

bool equal_ct(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false; // lengths of secrets of one kind are public (fixed), so this leaks nothing
    if (a.empty())
        return true;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string to_hex(std::span<const std::uint8_t> bytes)
{
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
    out.pop_back();
    return out;
}

std::string to_base64url(std::span<const std::uint8_t> bytes)
{
    constexpr int k_variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), k_variant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), k_variant);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::string password_hash(std::string_view password, const PwhashParams& params)
{
    char encoded[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(encoded, password.data(), password.size(), params.opslimit, params.memlimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return {};
    return encoded;
}

bool password_verify(std::string_view encoded, std::string_view password)
{
    // libsodium wants a NUL-terminated string; an embedded NUL would truncate it, so refuse that.
    if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES ||
        encoded.find('\0') != std::string_view::npos)
        return false;
    const std::string z(encoded);
    // Only Argon2id is accepted: a stored "$argon2i$" hash is not one we wrote.
    return crypto_pwhash_argon2id_str_verify(z.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(std::string_view encoded, const PwhashParams& params)
{
    if (encoded.find('\0') != std::string_view::npos)
        return true;
    const std::string z(encoded);
    // 1: weaker or other parameters, -1: not an Argon2id string; both mean "hash again".
    return crypto_pwhash_str_needs_rehash(z.c_str(), params.opslimit, params.memlimit) != 0;
}

} // namespace stronghold::crypto

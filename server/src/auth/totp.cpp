#include "auth/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <qrencode.h>

#include <array>
#include <cctype>
#include <cstdio>

namespace stronghold::server::auth {

namespace {

constexpr std::string_view k_b32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int b32_value(char c)
{
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

std::uint32_t pow10(int digits)
{
    std::uint32_t p = 1;
    for (int i = 0; i < digits; ++i)
        p *= 10;
    return p;
}

// Percent-encodes everything except RFC 3986 unreserved characters.
std::string uri_encode(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

} // namespace

std::string base32_encode(std::string_view bytes)
{
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out += k_b32[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out += k_b32[(buffer << (5 - bits)) & 31];
    return out;
}

std::optional<std::string> base32_decode(std::string_view text)
{
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        if (c == ' ' || c == '=')
            continue;
        int v = b32_value(c);
        if (v < 0)
            return std::nullopt;
        buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return out;
}

std::uint32_t hotp(std::string_view key, std::uint64_t counter, int digits)
{
    std::array<unsigned char, 8> msg{};
    for (int i = 7; i >= 0; --i) {
        msg[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xff);
        counter >>= 8;
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_len = 0;
    if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), msg.data(), msg.size(), mac.data(), &mac_len) ||
        mac_len != 20)
        return pow10(digits); // out of range: never equal to a typed code
    // RFC 4226 5.3 dynamic truncation: the low nibble of the last byte picks 4 bytes.
    unsigned offset = mac[19] & 0x0f;
    std::uint32_t bin = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                        (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                        (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | static_cast<std::uint32_t>(mac[offset + 3]);
    return bin % pow10(digits);
}

std::int64_t totp_step(std::int64_t unix_seconds, std::int64_t period_s)
{
    return unix_seconds / period_s;
}

std::string totp_code(std::string_view key, std::int64_t unix_seconds, int digits)
{
    auto value = hotp(key, static_cast<std::uint64_t>(totp_step(unix_seconds)), digits);
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "%0*u", digits, value);
    return buf.data();
}

std::optional<std::int64_t> totp_match(std::string_view key, std::string_view code, model::UnixMillis now)
{
    if (code.size() != static_cast<std::size_t>(k_totp_digits))
        return std::nullopt;
    for (char c : code)
        if (c < '0' || c > '9')
            return std::nullopt;
    const std::int64_t current = totp_step(now / 1000);
    // Every candidate is computed and compared in constant time, so timing tells nothing.
    std::optional<std::int64_t> found;
    for (std::int64_t step : {current - 1, current, current + 1}) {
        auto expected = totp_code(key, step * k_totp_period_s);
        if (crypto::equal_ct(expected, code) && !found)
            found = step;
    }
    return found;
}

std::string otpauth_uri(std::string_view issuer, std::string_view email, std::string_view secret_base32)
{
    return "otpauth://totp/" + uri_encode(issuer) + ":" + uri_encode(email) + "?secret=" + std::string(secret_base32) +
           "&issuer=" + uri_encode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

std::optional<QrMatrix> qr_matrix(const std::string& text)
{
    QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code)
        return std::nullopt;
    QrMatrix m;
    m.size = code->width;
    m.modules.reserve(static_cast<std::size_t>(m.size) * static_cast<std::size_t>(m.size + 1));
    for (int y = 0; y < m.size; ++y) {
        if (y > 0)
            m.modules += '\n';
        for (int x = 0; x < m.size; ++x)
            m.modules += (code->data[y * m.size + x] & 1) ? '1' : '0'; // bit 0: dark module
    }
    QRcode_free(code);
    return m;
}

std::string make_recovery_code(crypto::Random& rng)
{
    std::array<std::uint8_t, 8> raw{};
    rng.fill(raw);
    std::uint64_t bits = 0;
    for (auto b : raw)
        bits = (bits << 8) | b;
    std::string out;
    for (int i = 0; i < 12; ++i) {
        if (i == 4 || i == 8)
            out += '-';
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(k_b32[bits & 31])));
        bits >>= 5;
    }
    return out;
}

std::optional<std::string> normalize_recovery_code(std::string_view typed)
{
    std::string out;
    for (char c : typed) {
        if (c == '-' || c == ' ')
            continue;
        if (b32_value(c) < 0)
            return std::nullopt;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (out.size() != 12)
        return std::nullopt;
    return out;
}

std::string recovery_code_hash(std::string_view user_id, std::string_view canonical_code)
{
    return crypto::hash_hex(std::string(user_id) + ":" + std::string(canonical_code));
}

} // namespace stronghold::server::auth

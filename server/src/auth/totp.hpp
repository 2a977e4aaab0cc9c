// Two-factor maths (IAM-3): RFC 4648 base32, RFC 4226 HOTP and RFC 6238 TOTP over HMAC-SHA1
// (OpenSSL), the otpauth:// URI authenticator apps read, the QR module matrix (libqrencode),
// and recovery codes. Pure functions: time, randomness and storage come from the caller.
#pragma once

#include "stronghold/crypto/crypto.hpp"
#include "stronghold/model/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::server::auth {

inline constexpr std::size_t k_totp_secret_bytes = 20; // 160 bits, RFC 4226's recommended length
inline constexpr int k_totp_digits = 6;
inline constexpr std::int64_t k_totp_period_s = 30;
inline constexpr std::size_t k_recovery_code_count = 10;

// RFC 4648 base32, upper case, no padding.
std::string base32_encode(std::string_view bytes);
// Accepts upper or lower case, ignores spaces and '=' padding; nullopt on any other character.
std::optional<std::string> base32_decode(std::string_view text);

// RFC 4226 HOTP value (dynamic truncation, then mod 10^digits); digits 6..8.
std::uint32_t hotp(std::string_view key, std::uint64_t counter, int digits = k_totp_digits);
// The time step (RFC 6238 T) of a Unix time in seconds.
std::int64_t totp_step(std::int64_t unix_seconds, std::int64_t period_s = k_totp_period_s);
// The code at a Unix time, zero-padded to `digits` characters.
std::string totp_code(std::string_view key, std::int64_t unix_seconds, int digits = k_totp_digits);

// The step (now-1, now or now+1: ±30 s for clock drift) whose 6-digit code equals `code`, or
// nullopt. Only exact 6-digit strings can match. Replay (step already used) is the caller's check.
std::optional<std::int64_t> totp_match(std::string_view key, std::string_view code, model::UnixMillis now);

// otpauth://totp/<Issuer>:<email>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
std::string otpauth_uri(std::string_view issuer, std::string_view email, std::string_view secret_base32);

// A QR code as a square matrix of modules. `modules` holds `size` rows of `size` characters,
// '1' dark and '0' light, rows joined with '\n' (no trailing newline): plain text any client
// can draw without decoding a bitmap format, and readable in a test. No quiet zone is
// included; the drawer adds its 4-module margin.
struct QrMatrix {
    int size = 0;
    std::string modules;
};
// ECC level M (15% damage), 8-bit mode; nullopt when libqrencode fails (text too long).
std::optional<QrMatrix> qr_matrix(const std::string& text);

// One recovery code: 60 random bits as 12 base32 characters in groups, "xxxx-xxxx-xxxx", lower case.
std::string make_recovery_code(crypto::Random& rng = crypto::system_random());
// Canonical form for hashing: lower case, without spaces or dashes; nullopt when the shape is wrong.
std::optional<std::string> normalize_recovery_code(std::string_view typed);
// What is stored: BLAKE2b of user id and the canonical code (the user id keeps equal codes of
// two users apart). 60 bits of randomness per code make guessing them from the hash impractical.
std::string recovery_code_hash(std::string_view user_id, std::string_view canonical_code);

} // namespace stronghold::server::auth

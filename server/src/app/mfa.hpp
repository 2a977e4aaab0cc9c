// Shared by the 2FA handlers (mfa_enrol.cpp, mfa_login.cpp, mfa_reauth.cpp): the seed's
// SecretStore context, checking a second factor and the wire limits.
#pragma once

#include "app/context.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace stronghold::server {

inline constexpr model::UnixMillis k_mfa_token_ms = 5LL * 60 * 1000; // a login's second step
inline constexpr std::int64_t k_mfa_max_failures = 5;                // wrong codes per mfa_token
inline constexpr std::string_view k_totp_issuer = "Stronghold";

// Where a user's TOTP seed lives; bound to the sealed value so it cannot be moved to another user.
std::string totp_secret_context(std::string_view user_id);

// True when `code` is a current TOTP code of the user's enabled seed whose time step was never
// used before; that step is then used up (atomically: of parallel requests with one code,
// exactly one gets true). False for a wrong, replayed or malformed code, or 2FA off.
bool verify_and_consume_totp(AppServices& services, const std::string& user_id, std::string_view code);
// True when `typed` is one of the user's unused recovery codes; it is then used up.
bool verify_and_consume_recovery_code(AppServices& services, const std::string& user_id, std::string_view typed);

// The string member `name` of a JSON object body, when present and a string.
std::optional<std::string> string_member(const nlohmann::json& body, const char* name);

} // namespace stronghold::server

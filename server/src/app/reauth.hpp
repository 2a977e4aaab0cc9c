// Re-authentication (IAM-6): critical actions (password or email change, 2FA changes, security
// settings, role changes) need a password or TOTP proof within the last 5 minutes. Login sets
// the session's reauth_at; POST /api/v1/auth/reauth renews it.
#pragma once

#include "app/context.hpp"

namespace stronghold::server {

inline constexpr model::UnixMillis k_reauth_window_ms = 5LL * 60 * 1000;

// 401 reauth_required when the session's last proof is older than k_reauth_window_ms. It is an
// authentication check, so handlers run it first, before validating the body.
Status require_recent_auth(const AuthContext& auth, model::UnixMillis now);

} // namespace stronghold::server

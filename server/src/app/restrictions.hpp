// Restricted sessions (IAM-2 maximum password age, IAM-3 "require 2FA"): a user whose password
// is older than the agency allows, or who has no 2FA while the agency requires it, signs in
// normally but may only do what clears the restriction. Restrictions are computed at request
// time from the agency's policy and the user's state, never stored as flags that could go stale.
#pragma once

#include "app/context.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::server {

inline constexpr std::string_view k_restriction_password_change = "password_change_required";
inline constexpr std::string_view k_restriction_mfa_enrolment = "mfa_enrolment_required";

// The restrictions of the signed-in user now, in the order they are to be cleared (for /me).
std::vector<std::string> session_restrictions(AppServices& services, const AuthContext& auth);

// The one check (the middleware runs it after the session and before the tenant scope): the
// error for a request that a restriction forbids, nullopt when allowed. Always allowed: /me,
// /auth/* (logout, reauth) and /me/password; with only the 2FA restriction also /me/2fa/*.
// Password: 403 forbidden "password change required"; 2FA: 403 mfa_enrolment_required.
std::optional<api::Error> check_restrictions(AppServices& services, const AuthContext& auth, std::string_view path);

} // namespace stronghold::server

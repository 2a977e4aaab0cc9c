#include "app/restrictions.hpp"

#include "app/handlers.hpp" // home_agency

namespace stronghold::server {

namespace {

// Paths a restricted session keeps: reading who it is, signing out or re-authenticating, and
// changing the password (which clears the password restriction).
bool always_allowed(std::string_view path)
{
    return path == "/api/v1/me" || path == "/api/v1/me/password" || path.starts_with("/api/v1/auth/");
}

bool enrolment_path(std::string_view path)
{
    return path.starts_with("/api/v1/me/2fa/");
}

// IAM-3: a membership in a sub-account that requires 2FA counts as an agency requirement.
bool sub_account_requires_2fa(AppServices& services, const AuthContext& auth)
{
    for (const auto& m : auth.actor.memberships)
        if (!m.account_id.empty() && services.store.account_security_policy(m.account_id).require_2fa)
            return true;
    return false;
}

} // namespace

std::vector<std::string> session_restrictions(AppServices& services, const AuthContext& auth)
{
    std::vector<std::string> out;
    // The user's home agency decides, as it does for the session timeouts (session_limits).
    const auto agency_id = home_agency(auth.actor.memberships);
    if (agency_id.empty())
        return out;
    const auto policy = services.store.security_policy(agency_id);
    if (policy.password.max_age_days > 0) {
        auto changed_at = services.store.password_changed_at(auth.user.id);
        if (changed_at && validate::password_expired(policy.password, *changed_at, services.clock()))
            out.emplace_back(k_restriction_password_change);
    }
    if (policy.require_2fa || sub_account_requires_2fa(services, auth)) {
        auto totp = services.store.find_totp(auth.user.id);
        if (!totp || !totp->enabled)
            out.emplace_back(k_restriction_mfa_enrolment);
    }
    return out;
}

std::optional<api::Error> check_restrictions(AppServices& services, const AuthContext& auth, std::string_view path)
{
    if (always_allowed(path))
        return std::nullopt;
    // The password comes first: a user with both changes it, then enrols.
    for (const auto& r : session_restrictions(services, auth)) {
        if (r == k_restriction_password_change)
            return api::make_error(api::ErrorCode::forbidden, "password change required");
        if (r == k_restriction_mfa_enrolment && !enrolment_path(path))
            return api::make_error(api::ErrorCode::mfa_enrolment_required,
                                   "two-step verification must be set up first");
    }
    return std::nullopt;
}

} // namespace stronghold::server

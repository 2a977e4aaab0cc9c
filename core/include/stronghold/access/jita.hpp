// Just-in-time access (ACC-3..ACC-6): the rules of a platform staff member's grant to one
// sub-account. Shared by the server (refuses) and the dashboard (hides), like authorize().
//
// - Staff reach customer data only through a grant: one sub-account, a reason, 1..24 hours.
// - Under a grant they hold the rights of k_jita_role (account_user: view, create and edit
//   records; nothing administrative) in that sub-account and nothing else.
// - Some actions stay refused under a grant whatever a role would allow (ACC-4), with the code
//   forbidden_under_jita: deleting contacts, companies, deals or tickets; every export; every
//   import; and the capabilities behind domain/SSO settings, user administration (users
//   export) and API keys.
#pragma once

#include "stronghold/access/permissions.hpp"
#include "stronghold/api/result.hpp"
#include "stronghold/model/tenancy.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace stronghold::access {

// Platform staff roles. Wire names: "support", "security", "platform_admin".
enum class StaffRole : std::uint8_t { support, security, platform_admin };
std::string_view to_string(StaffRole role);
std::optional<StaffRole> staff_role_from_string(std::string_view name);

// May this staff role read platform-wide security events (the operator security console)?
bool staff_sees_security_console(StaffRole role);

inline constexpr std::int64_t k_jita_min_hours = 1;
inline constexpr std::int64_t k_jita_max_hours = 24; // ACC-3: at most 24 hours
inline constexpr std::size_t k_jita_reason_max_chars = 500;
inline constexpr model::Role k_jita_role = model::Role::account_user;

// ACC-4: true for object x verb pairs a staff member may never do under a grant.
bool refused_under_jita(Object object, Verb verb);
// ACC-4: true for capabilities a staff member may never use under a grant (domain and SSO
// settings live under manage_branding / manage_security; users export under manage_users).
bool refused_under_jita(Capability capability);

// A grant request's fields (POST /api/v1/staff/grants): validation_failed naming `hours`
// (a whole number 1..24) or `reason` (required, at most 500 characters, no control characters);
// the trimmed reason otherwise.
Result<std::string> check_grant_request(std::string_view reason, std::int64_t hours);

// Grant states on the wire: pending (waiting for the agency), active, denied, revoked, expired
// (an active grant whose expiry has passed: computed, never stored).
enum class GrantStatus : std::uint8_t { pending, active, denied, revoked, expired };
std::string_view to_string(GrantStatus status);
std::optional<GrantStatus> grant_status_from_string(std::string_view name);

// The status a stored grant shows at `now`: active turns into expired once now >= expires_at.
GrantStatus effective_status(GrantStatus stored, model::UnixMillis expires_at, model::UnixMillis now);

} // namespace stronghold::access

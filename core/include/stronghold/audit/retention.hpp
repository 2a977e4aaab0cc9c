// AUD-4 retention per kind of audit row: which kind an action belongs to, each kind's default
// and bounds in days, and the merge patch an agency sends to change them. Pure, so the server's
// retention job and the dashboard classify a row the same way. server/doc/audit.md lists the
// kinds for people.
//
// [SECTION] Kinds
// [SECTION] Settings
#pragma once

#include "stronghold/api/result.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace stronghold::audit {

// [SECTION] Kinds

enum class RetentionKind : std::uint8_t { security, auth, admin, exports_imports, records, other };
inline constexpr std::size_t k_retention_kind_count = 6;

struct RetentionKindSpec {
    RetentionKind kind;
    std::string_view name; // wire name: "security", ..., "default" for RetentionKind::other
    int default_days;
};

std::span<const RetentionKindSpec> retention_kinds();                      // in enum order
std::string_view to_string(RetentionKind kind);                            // its wire name
std::optional<RetentionKind> retention_kind_from_name(std::string_view n); // nullopt when unknown
// The kind of one audit row. Failures and refusals of any action, rows done under a JITA grant,
// security.*, audit.*, retention.* and grant/staff actions are "security"; then auth.*, 2fa.*,
// session.*, user.password*: "auth"; *.import, *.export, import.*, export.*: "exports_imports";
// users, roles, teams, policies, agencies, sub-accounts, API keys: "admin"; CRM objects and the
// trash: "records"; anything else: "default".
RetentionKind retention_kind_of(std::string_view action, std::string_view outcome, std::string_view grant_id);

// [SECTION] Settings

inline constexpr int k_retention_min_days = 30;
inline constexpr int k_retention_max_days = 3650;

// Days each kind keeps its details, indexed by RetentionKind.
using RetentionDays = std::array<int, k_retention_kind_count>;

RetentionDays default_retention_days();
nlohmann::json retention_days_json(const RetentionDays& days); // {"security":730,...}
// Applies a merge patch {"<kind>": days, ...} to `days`: validation_failed naming the field for
// an unknown kind, a value that is not a whole number within [30, 3650], or a kind kept longer
// than "security" (security events are kept longest, AUD-4). Nothing changes on error.
Status apply_retention_patch(const nlohmann::json& patch, RetentionDays& days);

} // namespace stronghold::audit

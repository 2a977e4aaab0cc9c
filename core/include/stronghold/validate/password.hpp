// IAM-2 password policy: one evaluator for the browser (live feedback, strength meter) and the
// server (enforcement), so both refuse the same passwords with the same messages.
// The password is judged exactly as typed: never truncated, trimmed or case-changed; length is
// counted in Unicode code points. History (no reuse of the last N) needs the stored hashes and
// is enforced by the server; this header only carries the setting.
#pragma once

#include "stronghold/api/result.hpp"
#include "stronghold/model/time.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::validate {

// Character classes, combined as flags. "special" is anything that is not an ASCII letter or
// digit: punctuation, spaces and every non-ASCII character (so "Pässwörd-1" has all four).
namespace password_class {
constexpr std::uint8_t lower = 1, upper = 2, digit = 4, special = 8;
constexpr std::uint8_t all = lower | upper | digit | special;
} // namespace password_class

enum class PasswordProfile { classic, nist };

constexpr std::size_t k_password_max_bytes = 1024;     // a cap against hashing huge inputs; 128 chars always fit
constexpr std::size_t k_password_min_length_floor = 8; // no agency may allow shorter
constexpr std::size_t k_password_min_length_ceiling = 128;
constexpr int k_password_history_max = 24;
constexpr int k_password_max_age_days_max = 3650;

struct PasswordPolicy {
    PasswordProfile profile = PasswordProfile::classic;
    std::size_t min_length = 8;                          // code points
    std::uint8_t required_classes = password_class::all; // password_class flags
    int history_count = 0;                               // refuse the last N passwords; 0 = off (server)
    int max_age_days = 0;                                // forced change after this age; 0 = off

    static PasswordPolicy classic() { return {}; }
    // NIST SP 800-63B style: 15+ characters, no composition rules; the common-password check
    // (always on, in every profile) is its "breached list" check.
    static PasswordPolicy nist_800_63b();

    friend bool operator==(const PasswordPolicy&, const PasswordPolicy&) = default;
};

// Names the password must not contain (case-insensitive for ASCII letters). Any may be empty.
struct PasswordContext {
    std::string email;                    // its local part (before '@') is checked
    std::string user_name;                // the person's display name
    std::vector<std::string> brand_names; // agency name, white-label brand name, sub-account name
};

struct PasswordProblem {
    std::string code;    // stable: too_short, missing_upper, common_password, contains_brand_name, ...
    std::string message; // follows the field name: "password must be at least 8 characters"

    friend bool operator==(const PasswordProblem&, const PasswordProblem&) = default;
};

struct PasswordVerdict {
    bool ok = false;
    std::vector<PasswordProblem> problems; // most important first; empty when ok
    int strength = 0;                      // 0 (very weak) .. 4 (strong), for the live meter only
};

// Every problem of `password` under `policy`. Invalid UTF-8 or more than k_password_max_bytes
// yields that single problem (nothing else can be judged reliably).
PasswordVerdict evaluate(const PasswordPolicy& policy, std::string_view password, const PasswordContext& context = {});
// The same as a Status: validation_failed, field "password", the first problem's message.
Status check_password(const PasswordPolicy& policy, std::string_view password, const PasswordContext& context = {});

// A cheap entropy-and-patterns estimate, 0..4 (also in PasswordVerdict::strength).
int password_strength(std::string_view password);

// True when `password` or its base word (outer digits and symbols removed, common letter
// substitutions undone: "P@ssw0rd1!" -> "password") is on the common-password list.
bool is_common_password(std::string_view password);
// Exact lookup (ASCII case-insensitive) in the generated list; for tests and diagnostics.
bool on_common_password_list(std::string_view password);
std::size_t common_password_count();

// True when the policy has a maximum age and the password set at changed_at is that old at now.
bool password_expired(const PasswordPolicy& policy, model::UnixMillis changed_at, model::UnixMillis now);

// An agency's policy settings within bounds (min length 8..128, history 0..24, max age 0..3650);
// validation_failed naming the JSON field of the security-policy API otherwise.
Status validate_policy(const PasswordPolicy& policy);

// Required classes as names ("lower", "upper", "digit", "special"), for the security-policy JSON.
std::vector<std::string> password_class_names(std::uint8_t classes);
// Inverse; nullopt on an unknown or repeated name.
std::optional<std::uint8_t> password_classes_from_names(const std::vector<std::string>& names);

} // namespace stronghold::validate

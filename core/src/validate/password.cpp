// IAM-2 password policy: composition and length rules, the verdict, and policy bounds.
// Messages follow the field name in the UI ("password must be at least 8 characters"); the
// browser shows exactly what the server sends because both run this code.
#include "stronghold/validate/password.hpp"
#include "stronghold/validate/text.hpp"
#include "validate/password_common.hpp"

#include <algorithm>

namespace stronghold::validate {

namespace {

constexpr std::int64_t k_ms_per_day = 24LL * 60 * 60 * 1000;

void add(PasswordVerdict& v, const char* code, std::string message)
{
    v.problems.push_back({code, std::move(message)});
}

struct ClassName {
    std::uint8_t flag;
    const char* name;
};
constexpr ClassName k_class_names[] = {
    {password_class::lower, "lower"},
    {password_class::upper, "upper"},
    {password_class::digit, "digit"},
    {password_class::special, "special"},
};

std::uint8_t classes_of(std::string_view password)
{
    std::uint8_t found = 0;
    for (const char ch : password) {
        if (ch >= 'a' && ch <= 'z')
            found |= password_class::lower;
        else if (ch >= 'A' && ch <= 'Z')
            found |= password_class::upper;
        else if (ch >= '0' && ch <= '9')
            found |= password_class::digit;
        else
            found |= password_class::special; // punctuation, spaces, every byte of non-ASCII text
    }
    return found;
}

} // namespace

PasswordPolicy PasswordPolicy::nist_800_63b()
{
    PasswordPolicy p;
    p.profile = PasswordProfile::nist;
    p.min_length = 15;
    p.required_classes = 0;
    return p;
}

PasswordVerdict evaluate(const PasswordPolicy& policy, std::string_view password, const PasswordContext& context)
{
    PasswordVerdict v;
    // Checked before anything else: a length in code points needs valid UTF-8, and the byte cap
    // bounds the work (and the hashing the server does next).
    if (password.size() > k_password_max_bytes) {
        add(v, "too_long", "must be at most " + std::to_string(k_password_max_bytes) + " bytes long");
        return v;
    }
    const auto length = utf8_length(password);
    if (!length) {
        add(v, "invalid_utf8", "is not valid UTF-8");
        return v;
    }
    // Control characters cannot be typed reliably (and a newline ends the CLI's stdin line).
    if (has_control_chars(password))
        add(v, "control_characters", "must not contain control characters");
    if (*length < policy.min_length)
        add(v, "too_short", "must be at least " + std::to_string(policy.min_length) + " characters");

    const std::uint8_t missing = policy.required_classes & static_cast<std::uint8_t>(~classes_of(password));
    if (missing & password_class::lower)
        add(v, "missing_lower", "must contain a lower-case letter");
    if (missing & password_class::upper)
        add(v, "missing_upper", "must contain an upper-case letter");
    if (missing & password_class::digit)
        add(v, "missing_digit", "must contain a digit");
    if (missing & password_class::special)
        add(v, "missing_special", "must contain a special character (anything but a letter or digit)");

    const bool common = !password.empty() && is_common_password(password);
    if (common)
        add(v, "common_password", "is too common");

    bool named = false;
    const std::string_view local = detail::email_local_part(context.email);
    if (!local.empty() && detail::contains_name(password, local)) {
        add(v, "contains_email_name", "must not contain your email name");
        named = true;
    }
    if (!context.user_name.empty() && detail::contains_name(password, context.user_name)) {
        add(v, "contains_user_name", "must not contain your name");
        named = true;
    }
    const bool brand = std::any_of(context.brand_names.begin(), context.brand_names.end(), [&](const std::string& n) {
        return !n.empty() && detail::contains_name(password, n);
    });
    if (brand) {
        add(v, "contains_brand_name", "must not contain the agency or brand name");
        named = true;
    }

    v.ok = v.problems.empty();
    v.strength = password_strength(password);
    if (named) // an attacker tries the names first: whatever the rest, this is weak
        v.strength = std::min(v.strength, 1);
    return v;
}

Status check_password(const PasswordPolicy& policy, std::string_view password, const PasswordContext& context)
{
    const PasswordVerdict v = evaluate(policy, password, context);
    if (v.ok)
        return {};
    return api::make_error(api::ErrorCode::validation_failed, v.problems.front().message, "password");
}

bool password_expired(const PasswordPolicy& policy, model::UnixMillis changed_at, model::UnixMillis now)
{
    if (policy.max_age_days <= 0)
        return false;
    return now - changed_at >= static_cast<std::int64_t>(policy.max_age_days) * k_ms_per_day;
}

Status validate_policy(const PasswordPolicy& policy)
{
    const auto invalid = [](const char* field, std::string message) {
        return api::make_error(api::ErrorCode::validation_failed, std::move(message), field);
    };
    if (policy.min_length < k_password_min_length_floor || policy.min_length > k_password_min_length_ceiling)
        return invalid("password_min_length", "must be between " + std::to_string(k_password_min_length_floor) +
                                                  " and " + std::to_string(k_password_min_length_ceiling));
    if ((policy.required_classes & ~password_class::all) != 0)
        return invalid("password_required_classes", "holds an unknown character class");
    if (policy.history_count < 0 || policy.history_count > k_password_history_max)
        return invalid("password_history", "must be between 0 and " + std::to_string(k_password_history_max));
    if (policy.max_age_days < 0 || policy.max_age_days > k_password_max_age_days_max)
        return invalid("password_max_age_days",
                       "must be between 0 (off) and " + std::to_string(k_password_max_age_days_max));
    return {};
}

std::vector<std::string> password_class_names(std::uint8_t classes)
{
    std::vector<std::string> out;
    for (const auto& c : k_class_names)
        if (classes & c.flag)
            out.emplace_back(c.name);
    return out;
}

std::optional<std::uint8_t> password_classes_from_names(const std::vector<std::string>& names)
{
    std::uint8_t classes = 0;
    for (const auto& n : names) {
        const auto* it = std::find_if(std::begin(k_class_names), std::end(k_class_names),
                                      [&](const ClassName& c) { return n == c.name; });
        if (it == std::end(k_class_names) || (classes & it->flag))
            return std::nullopt;
        classes |= it->flag;
    }
    return classes;
}

} // namespace stronghold::validate

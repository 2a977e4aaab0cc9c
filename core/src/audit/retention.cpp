// AUD-4 retention kinds and settings (stronghold/audit/retention.hpp).
#include "stronghold/audit/retention.hpp"

#include <string>

namespace stronghold::audit {

namespace {

// [SECTION] Kinds

// Security rows are kept longest: they are what an agency shows its clients after an incident.
constexpr RetentionKindSpec k_kinds[] = {
    {RetentionKind::security, "security", 730},
    {RetentionKind::auth, "auth", 365},
    {RetentionKind::admin, "admin", 365},
    {RetentionKind::exports_imports, "exports_imports", 365},
    {RetentionKind::records, "records", 180},
    {RetentionKind::other, "default", 180},
};
static_assert(std::size(k_kinds) == k_retention_kind_count);

constexpr std::string_view k_security_prefixes[] = {"security.", "audit.", "retention.", "grant.", "staff.", "jita."};
constexpr std::string_view k_auth_prefixes[] = {"auth.", "2fa.", "session.", "user.password"};
constexpr std::string_view k_transfer_prefixes[] = {"import.", "export."};
constexpr std::string_view k_transfer_suffixes[] = {".import", ".export"};
constexpr std::string_view k_admin_prefixes[] = {"user.",   "role.",   "team.",          "agency.",
                                                 "account.", "invite.", "security_policy.", "account_security_policy.",
                                                 "api_key.", "sso.",    "domain.",        "branding."};
constexpr std::string_view k_record_prefixes[] = {"contact.", "company.", "deal.",         "pipeline.",
                                                  "ticket.",  "task.",    "note.",         "tag.",
                                                  "custom_field.", "custom_value.", "trash."};

// Whether `s` starts (or, with suffix, ends) with one of `parts`.
template <std::size_t N>
bool matches_any(std::string_view s, const std::string_view (&parts)[N], bool suffix = false)
{
    for (auto p : parts)
        if (suffix ? s.ends_with(p) : s.starts_with(p))
            return true;
    return false;
}

} // namespace

std::span<const RetentionKindSpec> retention_kinds()
{
    return k_kinds;
}

std::string_view to_string(RetentionKind kind)
{
    return k_kinds[static_cast<std::size_t>(kind)].name;
}

std::optional<RetentionKind> retention_kind_from_name(std::string_view n)
{
    for (const auto& k : k_kinds)
        if (k.name == n)
            return k.kind;
    return std::nullopt;
}

RetentionKind retention_kind_of(std::string_view action, std::string_view outcome, std::string_view grant_id)
{
    if (outcome == "failure" || outcome == "denied" || !grant_id.empty() || matches_any(action, k_security_prefixes))
        return RetentionKind::security;
    if (matches_any(action, k_auth_prefixes))
        return RetentionKind::auth;
    if (matches_any(action, k_transfer_prefixes) || matches_any(action, k_transfer_suffixes, true))
        return RetentionKind::exports_imports;
    if (matches_any(action, k_admin_prefixes))
        return RetentionKind::admin;
    if (matches_any(action, k_record_prefixes))
        return RetentionKind::records;
    return RetentionKind::other;
}

// [SECTION] Settings

RetentionDays default_retention_days()
{
    RetentionDays out{};
    for (const auto& k : k_kinds)
        out[static_cast<std::size_t>(k.kind)] = k.default_days;
    return out;
}

nlohmann::json retention_days_json(const RetentionDays& days)
{
    auto out = nlohmann::json::object();
    for (const auto& k : k_kinds)
        out[std::string(k.name)] = days[static_cast<std::size_t>(k.kind)];
    return out;
}

Status apply_retention_patch(const nlohmann::json& patch, RetentionDays& days)
{
    if (!patch.is_object())
        return api::make_error(api::ErrorCode::validation_failed, "expected a JSON object", "body");
    RetentionDays next = days;
    for (const auto& [key, value] : patch.items()) {
        auto kind = retention_kind_from_name(key);
        if (!kind)
            return api::make_error(api::ErrorCode::validation_failed, "is not a known kind of audit row", key);
        if (!value.is_number_integer() || value.get<std::int64_t>() < k_retention_min_days ||
            value.get<std::int64_t>() > k_retention_max_days)
            return api::make_error(api::ErrorCode::validation_failed,
                                   "must be a whole number of days between " + std::to_string(k_retention_min_days) +
                                       " and " + std::to_string(k_retention_max_days),
                                   key);
        next[static_cast<std::size_t>(*kind)] = static_cast<int>(value.get<std::int64_t>());
    }
    // Security rows are kept at least as long as every other kind. The field named is the one
    // this patch changed: lowering "security" blames it, raising another kind blames that kind.
    const int security = next[static_cast<std::size_t>(RetentionKind::security)];
    for (const auto& k : k_kinds) {
        const int d = next[static_cast<std::size_t>(k.kind)];
        if (k.kind == RetentionKind::security || d <= security)
            continue;
        const bool blame_other = patch.contains(std::string(k.name)) && !patch.contains("security");
        if (blame_other)
            return api::make_error(api::ErrorCode::validation_failed,
                                   "must not be longer than security (" + std::to_string(security) + " days)",
                                   std::string(k.name));
        return api::make_error(api::ErrorCode::validation_failed,
                               "must be at least " + std::to_string(d) + " days: security rows are kept longest (" +
                                   std::string(k.name) + " is " + std::to_string(d) + ")",
                               "security");
    }
    days = next;
    return {};
}

} // namespace stronghold::audit

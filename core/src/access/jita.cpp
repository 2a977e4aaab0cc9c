#include "stronghold/access/jita.hpp"

#include "stronghold/validate/text.hpp"

#include <array>
#include <utility>

namespace stronghold::access {

namespace {

constexpr std::array<std::pair<StaffRole, std::string_view>, 3> k_staff_roles{{
    {StaffRole::support, "support"},
    {StaffRole::security, "security"},
    {StaffRole::platform_admin, "platform_admin"},
}};

constexpr std::array<std::pair<GrantStatus, std::string_view>, 5> k_statuses{{
    {GrantStatus::pending, "pending"},
    {GrantStatus::active, "active"},
    {GrantStatus::denied, "denied"},
    {GrantStatus::revoked, "revoked"},
    {GrantStatus::expired, "expired"},
}};

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value)
{
    for (const auto& [v, name] : table)
        if (v == value)
            return name;
    return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name)
{
    for (const auto& [v, n] : table)
        if (n == name)
            return v;
    return std::nullopt;
}

} // namespace

std::string_view to_string(StaffRole role) { return name_of(k_staff_roles, role); }
std::optional<StaffRole> staff_role_from_string(std::string_view name) { return value_of(k_staff_roles, name); }
std::string_view to_string(GrantStatus status) { return name_of(k_statuses, status); }
std::optional<GrantStatus> grant_status_from_string(std::string_view name) { return value_of(k_statuses, name); }

bool staff_sees_security_console(StaffRole role)
{
    return role == StaffRole::security || role == StaffRole::platform_admin;
}

bool refused_under_jita(Object object, Verb verb)
{
    switch (verb) {
    case Verb::export_:
    case Verb::import_:
        return true; // every export and import, whatever the object
    case Verb::remove:
        // ACC-4 names these four; every CRM object with a delete permission is one of them.
        return object == Object::contact || object == Object::company || object == Object::deal ||
               object == Object::ticket;
    case Verb::view:
    case Verb::create:
    case Verb::edit:
        break;
    }
    return false;
}

bool refused_under_jita(Capability capability)
{
    switch (capability) {
    case Capability::manage_users:    // users and their export
    case Capability::manage_security: // SSO and security settings
    case Capability::manage_branding: // custom domains
    case Capability::manage_api_keys: // view, create, delete or rotate API keys
    case Capability::manage_roles:
        return true;
    case Capability::view_audit_log:
    case Capability::manage_settings:
        break;
    }
    return false;
}

Result<std::string> check_grant_request(std::string_view reason, std::int64_t hours)
{
    if (hours < k_jita_min_hours || hours > k_jita_max_hours)
        return api::make_error(api::ErrorCode::validation_failed,
                               "must be a whole number of hours from " + std::to_string(k_jita_min_hours) + " to " +
                                   std::to_string(k_jita_max_hours),
                               "hours");
    auto checked = validate::name("reason", reason, k_jita_reason_max_chars, true);
    if (!checked)
        return checked.error();
    return std::move(*checked);
}

GrantStatus effective_status(GrantStatus stored, model::UnixMillis expires_at, model::UnixMillis now)
{
    if (stored == GrantStatus::active && now >= expires_at)
        return GrantStatus::expired;
    return stored;
}

} // namespace stronghold::access

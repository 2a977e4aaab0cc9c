// JSON of the tenancy types. Readers check every type before reading: the browser build
// cannot catch nlohmann's exceptions.
#include "stronghold/model/tenancy.hpp"

#include <array>

namespace stronghold::model {

namespace {

constexpr std::array<std::string_view, 6> k_role_names{"agency_owner", "agency_admin",  "agency_user",
                                                       "account_admin", "account_user", "read_only"};

bool read_string(const nlohmann::json& j, const char* key, std::string& out)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string())
        return false;
    out = it->get_ref<const std::string&>();
    return true;
}

bool read_millis(const nlohmann::json& j, const char* key, UnixMillis& out)
{
    // Written as ISO 8601 (wire form); a bare integer is accepted for rows the program wrote.
    const auto it = j.find(key);
    if (it == j.end())
        return false;
    if (it->is_string()) {
        const auto t = parse_iso8601(it->get_ref<const std::string&>());
        if (!t)
            return false;
        out = *t;
        return true;
    }
    if (it->is_number_integer()) {
        out = it->get<std::int64_t>();
        return true;
    }
    return false;
}

} // namespace

std::string_view to_string(Role role)
{
    if (role == Role::custom)
        return "custom";
    const auto i = static_cast<std::size_t>(role);
    return i < k_role_names.size() ? k_role_names[i] : std::string_view{};
}

std::optional<Role> role_from_string(std::string_view name)
{
    for (std::size_t i = 0; i < k_role_names.size(); ++i)
        if (k_role_names[i] == name)
            return static_cast<Role>(i);
    return std::nullopt;
}

bool is_agency_role(Role role)
{
    return role == Role::agency_owner || role == Role::agency_admin || role == Role::agency_user;
}

void to_json(nlohmann::json& j, const Agency& a)
{
    j = {{"id", a.id}, {"name", a.name}, {"created_at", format_iso8601(a.created_at)}};
}

void to_json(nlohmann::json& j, const Account& a)
{
    j = {{"id", a.id},
         {"agency_id", a.agency_id},
         {"name", a.name},
         {"default_country_code", a.default_country_code},
         {"created_at", format_iso8601(a.created_at)}};
}

void to_json(nlohmann::json& j, const User& u)
{
    j = {{"id", u.id},
         {"email", u.email},
         {"name", u.name},
         {"active", u.active},
         {"created_at", format_iso8601(u.created_at)}};
}

void to_json(nlohmann::json& j, const Membership& m)
{
    // The wire names the scope only; user_id is implied by the /me it appears in.
    j = nlohmann::json::object();
    if (!m.agency_id.empty())
        j["agency_id"] = m.agency_id;
    else
        j["account_id"] = m.account_id;
    j["role"] = m.role_ref();
}

std::optional<Agency> agency_from_json(const nlohmann::json& j)
{
    Agency a;
    if (!j.is_object() || !read_string(j, "id", a.id) || !read_string(j, "name", a.name) ||
        !read_millis(j, "created_at", a.created_at))
        return std::nullopt;
    return a;
}

std::optional<Account> account_from_json(const nlohmann::json& j)
{
    Account a;
    if (!j.is_object() || !read_string(j, "id", a.id) || !read_string(j, "agency_id", a.agency_id) ||
        !read_string(j, "name", a.name) || !read_millis(j, "created_at", a.created_at))
        return std::nullopt;
    read_string(j, "default_country_code", a.default_country_code); // optional: keeps the default
    return a;
}

std::optional<User> user_from_json(const nlohmann::json& j)
{
    User u;
    if (!j.is_object() || !read_string(j, "id", u.id) || !read_string(j, "email", u.email) ||
        !read_millis(j, "created_at", u.created_at))
        return std::nullopt;
    read_string(j, "name", u.name);
    if (const auto it = j.find("active"); it != j.end()) {
        if (!it->is_boolean())
            return std::nullopt;
        u.active = it->get<bool>();
    }
    return u;
}

std::optional<Membership> membership_from_json(const nlohmann::json& j)
{
    Membership m;
    std::string role;
    if (!j.is_object() || !read_string(j, "role", role))
        return std::nullopt;
    if (role.rfind("ro_", 0) == 0 && role.size() > 3) {
        m.role = Role::custom;
        m.role_id = role;
    } else {
        const auto parsed = role_from_string(role);
        if (!parsed)
            return std::nullopt;
        m.role = *parsed;
    }
    const bool agency = read_string(j, "agency_id", m.agency_id);
    const bool account = read_string(j, "account_id", m.account_id);
    if (agency == account) // exactly one scope
        return std::nullopt;
    read_string(j, "user_id", m.user_id);
    read_string(j, "account_agency_id", m.account_agency_id);
    return m;
}

} // namespace stronghold::model

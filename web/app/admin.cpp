// [SECTION] Helpers
// [SECTION] Users
// [SECTION] Roles
// [SECTION] Memberships
// [SECTION] Invite form
// [SECTION] Memberships form
// [SECTION] Teams
#include "app/admin.hpp"

#include "app/wire_read.hpp"

#include <stronghold/validate/text.hpp>

#include <algorithm>

namespace stronghold::web::app {
namespace {

// [SECTION] Helpers

using wire::sentence;
using wire::str;
using wire::time_of;

// encodeURIComponent for ids (the logic library has no browser to ask).
std::string encode(std::string_view s) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 15];
        }
    }
    return out;
}

const access::RoleDef* role_for(const std::vector<access::RoleDef>& roles, std::string_view ref) {
    if (const auto* r = find_role(roles, ref)) return r;
    if (const auto builtin = model::role_from_string(ref)) return access::builtin_role(*builtin);
    return nullptr;
}

} // namespace

std::string agency_path(std::string_view agency_id) { return "/api/v1/agencies/" + encode(agency_id); }
std::string account_path(std::string_view account_id) { return "/api/v1/accounts/" + encode(account_id); }
std::string if_match(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

// [SECTION] Users

std::string_view to_string(UserStatus s) {
    switch (s) {
    case UserStatus::active: return "active";
    case UserStatus::invited: return "invited";
    case UserStatus::deactivated: return "deactivated";
    }
    return {};
}

std::string_view status_label(UserStatus s) {
    switch (s) {
    case UserStatus::active: return "Active";
    case UserStatus::invited: return "Invited";
    case UserStatus::deactivated: return "Deactivated";
    }
    return {};
}

std::string display_name(const AdminUser& u) { return u.name.empty() ? u.email : u.name; }

std::optional<AdminUser> admin_user_from_json(const nlohmann::json& j, std::string_view agency_id) {
    AdminUser u;
    u.id = str(j, "id");
    u.email = str(j, "email");
    if (u.id.empty() || u.email.empty()) return std::nullopt;
    u.name = str(j, "name");
    const std::string status = str(j, "status");
    if (status == "active") u.status = UserStatus::active;
    else if (status == "invited") u.status = UserStatus::invited;
    else if (status == "deactivated") u.status = UserStatus::deactivated;
    else return std::nullopt;
    if (auto t = j.find("totp_enabled"); t != j.end() && t->is_boolean()) u.totp_enabled = t->get<bool>();
    if (auto list = j.find("memberships"); list != j.end() && list->is_array()) {
        for (const auto& m : *list) {
            auto parsed = model::membership_from_json(m);
            if (!parsed) continue;
            parsed->user_id = u.id;
            if (!parsed->account_id.empty()) parsed->account_agency_id = std::string(agency_id);
            u.memberships.push_back(std::move(*parsed));
        }
    }
    u.created_at = time_of(j, "created_at");
    u.last_login_at = time_of(j, "last_login_at");
    return u;
}

std::optional<std::vector<AdminUser>> admin_users_from_json(const nlohmann::json& body, std::string_view agency_id) {
    if (!body.is_object()) return std::nullopt;
    auto items = body.find("items");
    if (items == body.end() || !items->is_array()) return std::nullopt;
    std::vector<AdminUser> out;
    for (const auto& j : *items)
        if (auto u = admin_user_from_json(j, agency_id)) out.push_back(std::move(*u));
    return out;
}

// [SECTION] Roles

std::optional<std::vector<access::RoleDef>> roles_from_json(const nlohmann::json& body) {
    if (!body.is_object()) return std::nullopt;
    auto items = body.find("items");
    if (items == body.end() || !items->is_array()) return std::nullopt;
    std::vector<access::RoleDef> out;
    for (const auto& j : *items)
        if (auto r = access::role_from_json(j)) out.push_back(std::move(*r));
    return out;
}

const access::RoleDef* find_role(const std::vector<access::RoleDef>& roles, std::string_view ref) {
    for (const auto& r : roles)
        if (r.id == ref) return &r;
    return nullptr;
}

std::string role_label(const std::vector<access::RoleDef>& roles, std::string_view ref) {
    const auto* r = role_for(roles, ref);
    return r ? r->name : std::string(ref);
}

std::string words(std::string_view wire_name) {
    std::string out(wire_name);
    std::replace(out.begin(), out.end(), '_', ' ');
    // Initialisms stay upper case ("manage_api_keys" -> "Manage API keys").
    for (std::size_t at = 0; (at = out.find("api", at)) != std::string::npos; at += 3) {
        const bool word_start = at == 0 || out[at - 1] == ' ', word_end = at + 3 == out.size() || out[at + 3] == ' ';
        if (word_start && word_end) out.replace(at, 3, "API");
    }
    return sentence(std::move(out));
}

Placement placement_of(const access::RoleDef& role) {
    if (!role.builtin) return Placement::either;
    const auto r = model::role_from_string(role.id);
    if (r == model::Role::agency_owner || r == model::Role::agency_admin) return Placement::agency_only;
    if (r == model::Role::account_admin || r == model::Role::account_user) return Placement::account_only;
    return Placement::either;
}

// [SECTION] Memberships

model::Membership to_membership(const Grant& g, std::string_view agency_id, std::string_view user_id) {
    model::Membership m;
    m.user_id = std::string(user_id);
    if (g.account_id.empty()) {
        m.agency_id = std::string(agency_id);
    } else {
        m.account_id = g.account_id;
        m.account_agency_id = std::string(agency_id);
    }
    if (access::is_custom_role_id(g.role)) {
        m.role = model::Role::custom;
        m.role_id = g.role;
    } else {
        m.role = model::role_from_string(g.role).value_or(model::Role::read_only);
    }
    return m;
}

Grant grant_of(const model::Membership& m) { return Grant{m.role_ref(), m.account_id}; }

nlohmann::json grant_json(const Grant& g, std::string_view agency_id) {
    nlohmann::json j = {{"role", g.role}};
    if (g.account_id.empty()) j["agency_id"] = agency_id;
    else j["account_id"] = g.account_id;
    return j;
}

std::string grant_label(const Grant& g, const std::vector<access::RoleDef>& roles, const std::vector<AccountRef>& accounts) {
    std::string out = role_label(roles, g.role);
    if (!g.account_id.empty()) {
        auto it = std::find_if(accounts.begin(), accounts.end(), [&](const AccountRef& a) { return a.id == g.account_id; });
        out += "  \xc2\xb7  ";
        out += it != accounts.end() ? it->name : g.account_id;
    }
    return out;
}

std::string memberships_label(const AdminUser& u, const std::vector<access::RoleDef>& roles, const std::vector<AccountRef>& accounts) {
    std::string out;
    for (const auto& m : u.memberships) {
        if (!out.empty()) out += ", ";
        out += grant_label(grant_of(m), roles, accounts);
    }
    return out.empty() ? std::string("No role") : out;
}

bool can_grant(const access::Actor& actor, std::string_view agency_id, const Grant& g, const std::vector<access::RoleDef>& roles) {
    const auto* role = role_for(roles, g.role);
    return role && access::authorize_role_grant(actor, to_membership(g, agency_id), *role) == access::Decision::allow;
}

std::vector<const access::RoleDef*> grantable_roles(const access::Actor& actor, std::string_view agency_id, std::string_view account_id,
                                                    const std::vector<access::RoleDef>& roles) {
    std::vector<const access::RoleDef*> out;
    for (const auto& r : roles) {
        const Placement p = placement_of(r);
        if ((account_id.empty() && p == Placement::account_only) || (!account_id.empty() && p == Placement::agency_only)) continue;
        if (can_grant(actor, agency_id, Grant{r.id, std::string(account_id)}, roles)) out.push_back(&r);
    }
    return out;
}

std::optional<api::Error> check_grant(const Grant& g, const std::vector<access::RoleDef>& roles) {
    const auto* role = role_for(roles, g.role);
    if (g.role.empty() || !role) return api::make_error(api::ErrorCode::validation_failed, "Choose a role", "role");
    const Placement p = placement_of(*role);
    if (p == Placement::account_only && g.account_id.empty())
        return api::make_error(api::ErrorCode::validation_failed, "Choose the sub-account for " + role->name, "account_id");
    if (p == Placement::agency_only && !g.account_id.empty())
        return api::make_error(api::ErrorCode::validation_failed, role->name + " is agency-wide; choose \"Whole agency\"", "account_id");
    return std::nullopt;
}

// [SECTION] Invite form

void InviteForm::on_edit(Field f) {
    m_error[f].clear();
    m_general.clear();
}

std::optional<nlohmann::json> InviteForm::validate(const std::vector<access::RoleDef>& roles) {
    for (auto& e : m_error) e.clear();
    m_general.clear();
    bool ok = true;
    auto email_ok = validate::email("email", m_text[email]);
    if (m_text[email].empty()) {
        m_error[email] = "Enter the email address to invite";
        ok = false;
    } else if (!email_ok) {
        m_error[email] = sentence(email_ok.error().message);
        ok = false;
    }
    auto name_ok = validate::name("name", m_text[name], 200, false);
    if (!name_ok) {
        m_error[name] = sentence(name_ok.error().message);
        ok = false;
    }
    if (const auto e = check_grant(m_grant, roles)) {
        m_error[e->field == "role" ? role : account] = e->message;
        ok = false;
    }
    if (!ok) return std::nullopt;
    nlohmann::json body = {{"email", *email_ok}, {"role", m_grant.role}};
    if (!m_grant.account_id.empty()) body["account_id"] = m_grant.account_id;
    if (!name_ok->empty()) body["name"] = *name_ok;
    return body;
}

void InviteForm::apply_server_error(const api::Error& e) {
    const std::string message = sentence(e.message.empty() ? "Is not valid" : e.message);
    for (int f = 0; f < field_count; ++f)
        if (e.field == k_wire[f]) {
            m_error[f] = message;
            return;
        }
    m_general = message;
}

// [SECTION] Memberships form

void MembershipsForm::load(const AdminUser& u) {
    m_base.clear();
    for (const auto& m : u.memberships) m_base.push_back(grant_of(m));
    m_rows = m_base;
    m_error.clear();
}

void MembershipsForm::remove(std::size_t i) {
    if (i < m_rows.size()) m_rows.erase(m_rows.begin() + static_cast<std::ptrdiff_t>(i));
    m_error.clear();
}

bool MembershipsForm::dirty() const {
    auto key = [](const Grant& g) { return g.account_id + '\n' + g.role; };
    std::vector<std::string> a, b;
    for (const auto& g : m_base) a.push_back(key(g));
    for (const auto& g : m_rows) b.push_back(key(g));
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a != b;
}

std::optional<nlohmann::json> MembershipsForm::body(std::string_view agency_id, const std::vector<access::RoleDef>& roles) {
    m_error.clear();
    if (m_rows.empty()) {
        m_error = "Give at least one role; to take every access away, deactivate the user instead";
        return std::nullopt;
    }
    auto list = nlohmann::json::array();
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (const auto e = check_grant(m_rows[i], roles)) {
            m_error = e->message;
            return std::nullopt;
        }
        for (std::size_t k = 0; k < i; ++k)
            if (m_rows[k].account_id == m_rows[i].account_id) {
                m_error = "Only one role per place: " + std::string(m_rows[i].account_id.empty() ? "the whole agency" : "that sub-account") +
                          " is listed twice";
                return std::nullopt;
            }
        list.push_back(grant_json(m_rows[i], agency_id));
    }
    return nlohmann::json{{"memberships", std::move(list)}};
}

// [SECTION] Teams

std::optional<TeamInfo> team_info_from_json(const nlohmann::json& j) {
    auto team = access::team_from_json(j);
    if (!team) return std::nullopt;
    TeamInfo t{std::move(*team)};
    if (auto v = j.find("version"); v != j.end() && v->is_number_integer()) t.version = v->get<std::int64_t>();
    return t;
}

std::optional<std::vector<TeamInfo>> teams_from_json(const nlohmann::json& body) {
    if (!body.is_object()) return std::nullopt;
    auto items = body.find("items");
    if (items == body.end() || !items->is_array()) return std::nullopt;
    std::vector<TeamInfo> out;
    for (const auto& j : *items)
        if (auto t = team_info_from_json(j)) out.push_back(std::move(*t));
    std::stable_sort(out.begin(), out.end(), [](const TeamInfo& a, const TeamInfo& b) { return a.team.name < b.team.name; });
    return out;
}

std::vector<const AdminUser*> team_candidates(const std::vector<AdminUser>& users, std::string_view account_id) {
    std::vector<const AdminUser*> out;
    for (const auto& u : users) {
        if (u.status == UserStatus::deactivated) continue;
        const bool reaches = std::any_of(u.memberships.begin(), u.memberships.end(), [&](const model::Membership& m) {
            return m.account_id.empty() ? m.role != model::Role::agency_user : m.account_id == account_id;
        });
        if (reaches) out.push_back(&u);
    }
    return out;
}

} // namespace stronghold::web::app

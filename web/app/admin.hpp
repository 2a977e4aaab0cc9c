// The admin screens' model (issue 4: ACC-1, ACC-2, IAM-5): the agency's users, roles and teams as
// server/doc/admin-api.md answers them, read once into plain values, and the forms that change
// them (invite, a user's memberships, a team). Who may do what is the core's: authorize_user_admin
// for a user row, authorize_role_grant for each role a picker offers, so the browser hides what
// the server would refuse. Names of objects, verbs, scopes and capabilities come from the core
// (access/permissions.hpp), never from a copy here.
//   admin.cpp        users, roles, memberships, invite form, teams
//   role_editor.cpp  the permission-matrix editor (RoleEditor)
#pragma once

#include "app/session.hpp"

#include <stronghold/access/admin.hpp>
#include <stronghold/access/permissions.hpp>
#include <stronghold/api/error.hpp>
#include <stronghold/model/time.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::web::app {

// [SECTION] Wire paths
std::string agency_path(std::string_view agency_id);   // "/api/v1/agencies/<id>" (id URL-encoded)
std::string account_path(std::string_view account_id); // "/api/v1/accounts/<id>"
std::string if_match(std::int64_t version);            // "\"<version>\""

// [SECTION] Users (GET /api/v1/agencies/{agency_id}/users)
enum class UserStatus { active, invited, deactivated };
std::string_view to_string(UserStatus s); // "active", "invited", "deactivated"
std::string_view status_label(UserStatus s); // "Active", "Invited", "Deactivated"

struct AdminUser {
    std::string id;
    std::string email;
    std::string name;
    UserStatus status = UserStatus::active;
    bool totp_enabled = false;
    // Inside the agency only; account memberships carry account_agency_id = the agency and every
    // membership user_id = id, so the core's rules read them as the server does.
    std::vector<model::Membership> memberships;
    model::UnixMillis created_at = 0;
    model::UnixMillis last_login_at = 0; // 0: never signed in
};
std::string display_name(const AdminUser& u); // name, else email

// {"items":[...]}: items without id or email, or with an unknown status, are skipped; nullopt
// when the body is not such a list. Server order (by email) is kept.
std::optional<std::vector<AdminUser>> admin_users_from_json(const nlohmann::json& body, std::string_view agency_id);
std::optional<AdminUser> admin_user_from_json(const nlohmann::json& j, std::string_view agency_id);

// [SECTION] Roles (GET /api/v1/agencies/{agency_id}/roles)
// {"items":[...]} through core role_from_json; malformed items skipped; nullopt when not a list.
std::optional<std::vector<access::RoleDef>> roles_from_json(const nlohmann::json& body);
const access::RoleDef* find_role(const std::vector<access::RoleDef>& roles, std::string_view ref);
// The role's name for people: the listed role's name, else the built-in table's, else the reference.
std::string role_label(const std::vector<access::RoleDef>& roles, std::string_view ref);
// A core wire name for people: "manage_users" -> "Manage users", "contact" -> "Contact".
std::string words(std::string_view wire_name);

// Where a role may sit: owner and admin are agency-wide by definition, the sub-account roles on
// one sub-account, the rest either (core authorize.cpp: reaches_from_agency / valid_on_account).
enum class Placement { agency_only, account_only, either };
Placement placement_of(const access::RoleDef& role);

// [SECTION] Memberships (invite, change role)
struct Grant {
    std::string role;       // role reference: built-in name or "ro_..."
    std::string account_id; // empty: the whole agency
    friend bool operator==(const Grant&, const Grant&) = default;
};
model::Membership to_membership(const Grant& g, std::string_view agency_id, std::string_view user_id = {});
Grant grant_of(const model::Membership& m);
nlohmann::json grant_json(const Grant& g, std::string_view agency_id); // {"agency_id"|"account_id","role"}
// "Agency admin" or "Sub-account user · Northwind Bakery".
std::string grant_label(const Grant& g, const std::vector<access::RoleDef>& roles, const std::vector<AccountRef>& accounts);
std::string memberships_label(const AdminUser& u, const std::vector<access::RoleDef>& roles, const std::vector<AccountRef>& accounts);
// May the actor give this grant (core authorize_role_grant; an unknown role: no).
bool can_grant(const access::Actor& actor, std::string_view agency_id, const Grant& g, const std::vector<access::RoleDef>& roles);
// The roles a picker offers for a grant on `account_id` ("" = agency-wide): placement fits and
// the actor may grant it. In list order.
std::vector<const access::RoleDef*> grantable_roles(const access::Actor& actor, std::string_view agency_id, std::string_view account_id,
                                                    const std::vector<access::RoleDef>& roles);
// A grant the core would refuse to read as valid: no role, an agency-only role on a sub-account,
// a sub-account role without one: the message and its wire field ("role", "account_id").
std::optional<api::Error> check_grant(const Grant& g, const std::vector<access::RoleDef>& roles);

// "Invite user": email, optional name, one grant.
class InviteForm {
public:
    enum Field { email, name, role, account, field_count };
    static constexpr std::string_view k_wire[field_count] = {"email", "name", "role", "account_id"};

    std::string& text(Field f) { return m_text[f]; } // email and name only
    Grant& grant() { return m_grant; }
    const std::string& error(Field f) const { return m_error[f]; }
    const std::string& general_error() const { return m_general; }
    void on_edit(Field f); // clears that field's error

    // Core email validator and check_grant; fills the errors; the body when fine:
    // {"email","role","account_id"?,"name"?}.
    std::optional<nlohmann::json> validate(const std::vector<access::RoleDef>& roles);
    void apply_server_error(const api::Error& e); // 422/409 with a field -> under it; else general

private:
    std::string m_text[field_count];
    Grant m_grant;
    std::string m_error[field_count];
    std::string m_general;
};

// "Change role": the user's memberships inside the agency, edited as a list.
class MembershipsForm {
public:
    void load(const AdminUser& u);
    std::vector<Grant>& rows() { return m_rows; }
    const std::vector<Grant>& rows() const { return m_rows; }
    void add(Grant g) { m_rows.push_back(std::move(g)); m_error.clear(); }
    void remove(std::size_t i);
    bool dirty() const; // differs from the loaded memberships (order ignored)
    const std::string& error() const { return m_error; }
    void set_error(std::string e) { m_error = std::move(e); }
    // At least one row, each passing check_grant, no duplicates: the PATCH body
    // {"memberships":[...]}; nullopt (error set) otherwise.
    std::optional<nlohmann::json> body(std::string_view agency_id, const std::vector<access::RoleDef>& roles);

private:
    std::vector<Grant> m_base, m_rows;
    std::string m_error;
};

// [SECTION] Teams (GET /api/v1/accounts/{account_id}/teams)
struct TeamInfo {
    access::Team team;
    std::int64_t version = 0;
};
std::optional<TeamInfo> team_info_from_json(const nlohmann::json& j);
std::optional<std::vector<TeamInfo>> teams_from_json(const nlohmann::json& body); // sorted by name
// Users who may be team members in this sub-account: active or invited users with a membership
// reaching it (an agency-wide one, or one on that sub-account).
std::vector<const AdminUser*> team_candidates(const std::vector<AdminUser>& users, std::string_view account_id);

} // namespace stronghold::web::app

// Agencies (tenants), their sub-accounts, users and memberships.
#pragma once

#include "stronghold/model/time.hpp"
#include "stronghold/validate/sensitive.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::model {

struct Agency {
    std::string id;   // "ag_..."
    std::string name;
    UnixMillis created_at = 0;
    friend bool operator==(const Agency&, const Agency&) = default;
};

struct Account {       // a sub-account: one client business of an agency
    std::string id;    // "ac_..."
    std::string agency_id;
    std::string name;
    std::string default_country_code = "1"; // calling code used to normalise national phone numbers
    UnixMillis created_at = 0;
    // CRM-5: what free text holding a card number, IBAN, SSN or passport number gets (settings, not on the wire)
    validate::SensitivePolicy sensitive_data_policy = validate::SensitivePolicy::refuse;
    friend bool operator==(const Account&, const Account&) = default;
};

struct User {
    std::string id;    // "us_..."
    std::string email; // stored lower-cased
    std::string name;
    bool active = true;
    UnixMillis created_at = 0;
    friend bool operator==(const User&, const User&) = default;
};

// The built-in roles of DESIGN.md; wire names are the enumerator names. `custom` marks a
// membership whose role is an agency's custom role (Membership::role_id names it).
enum class Role { agency_owner, agency_admin, agency_user, account_admin, account_user, read_only, custom };

std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view name); // built-in names only, never "custom"

bool is_agency_role(Role role); // agency_owner, agency_admin, agency_user

// A user's role in one agency (agency_id set) or one sub-account (account_id set), never both.
// An agency_user reaches only the sub-accounts they are assigned to: an assignment is an
// account-scoped membership with role agency_user.
struct Membership {
    std::string user_id;
    std::string agency_id;  // set for agency-wide memberships
    std::string account_id; // set for sub-account memberships
    std::string account_agency_id; // for account memberships: the agency owning account_id
    Role role = Role::read_only;
    std::string role_id{}; // Role::custom only: the custom role ("ro_...")
    // The role reference on the wire and in the store: the built-in name or the custom role id.
    std::string role_ref() const { return role == Role::custom ? role_id : std::string(to_string(role)); }
    friend bool operator==(const Membership&, const Membership&) = default;
};

void to_json(nlohmann::json& j, const Agency& a);
void to_json(nlohmann::json& j, const Account& a);   // {"id","agency_id","name","default_country_code","created_at"}
void to_json(nlohmann::json& j, const User& u);      // {"id","email","name","active","created_at"}
// {"agency_id"|"account_id","role"}: role is a built-in name or a custom role id ("ro_...").
void to_json(nlohmann::json& j, const Membership& m);

// Lenient readers for data the program itself wrote (and for the browser reading server
// answers): they never throw; nullopt when a required field is missing or mistyped.
std::optional<Agency> agency_from_json(const nlohmann::json& j);
std::optional<Account> account_from_json(const nlohmann::json& j);
std::optional<User> user_from_json(const nlohmann::json& j);
std::optional<Membership> membership_from_json(const nlohmann::json& j);

} // namespace stronghold::model

// Who is signed in and what they may do: the browser's copy of `GET /api/v1/me`.
// Permissions are the server's own strings (access::to_string(Action)); the dashboard only
// hides what the server would refuse anyway (DESIGN.md rule 2).
#pragma once

#include <stronghold/access/authorize.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace stronghold::web::app {

struct AccountRef {
    std::string id;
    std::string name;
    std::string agency_id;
};

struct Me {
    std::string user_id;
    std::string email;
    std::string name;
    std::vector<AccountRef> accounts;
    std::map<std::string, std::set<std::string>> permissions; // account id -> "contact.view", ...
    std::vector<model::Membership> memberships;                // {"agency_id"|"account_id","role"}: admin screens
    std::vector<access::RoleDef> roles;                        // /me "roles": the custom roles the memberships name
    std::vector<access::Team> teams;                           // /me "teams": the user's teams
    std::string staff_role; // /me "staff":{"role"} of platform staff (support | security | platform_admin); "" otherwise

    bool can(const std::string& account_id, access::Action action) const; // deny by default
    access::Actor actor() const; // for the core's admin rules (access/admin.hpp)
    // Agencies whose security settings the user manages (core can_manage_security), in /me order.
    std::vector<std::string> security_agencies() const;
    std::vector<std::string> user_agencies() const; // likewise core can_manage_users: the "Users" screen
    std::vector<std::string> role_agencies() const; // likewise core can_manage_roles: the "Roles" screen
    std::vector<std::string> event_agencies() const; // agency-level view_audit_log: the "Security events" screen

    const AccountRef* account(const std::string& id) const;               // nullptr when not listed
};

// Reads the /me body; nullopt when it lacks a user or is mistyped. Never throws.
std::optional<Me> me_from_json(const nlohmann::json& body);

} // namespace stronghold::web::app

// Roles as data (ACC-1, ACC-2): a role is a table object x verb -> record scope, plus admin
// capabilities. The six built-ins of DESIGN.md "Built-in roles" are constant tables here;
// custom roles are the same shape, owned by an agency, stored by the server and sent to the
// browser in `/me`, so authorize() decides identically in both places.
#pragma once

#include "stronghold/api/result.hpp"
#include "stronghold/model/tenancy.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::access {

// CRM objects a permission names. Wire names: "contact", "company", "deal", "ticket".
enum class Object : std::uint8_t { contact, company, deal, ticket };
inline constexpr Object k_objects[] = {Object::contact, Object::company, Object::deal, Object::ticket};

// Wire names: "view", "create", "edit", "delete", "export", "import".
enum class Verb : std::uint8_t { view, create, edit, remove, export_, import_ };
inline constexpr Verb k_verbs[] = {Verb::view, Verb::create, Verb::edit, Verb::remove, Verb::export_, Verb::import_};

// Record scope: which records of a sub-account the grant covers. own: the actor owns the record;
// team: the owner shares a team (in that sub-account) with the actor, or is the actor; all: any.
// Ordered: a wider scope includes every narrower one.
enum class RecordScope : std::uint8_t { none, own, team, all };

// Wire names: "manage_users", "manage_roles", "manage_security", "manage_branding",
// "manage_api_keys", "view_audit_log", "manage_settings" (pipelines, custom fields, custom
// values, deleting tags: the sub-account's CRM settings).
enum class Capability : std::uint8_t {
    manage_users, manage_roles, manage_security, manage_branding, manage_api_keys, view_audit_log, manage_settings
};
inline constexpr Capability k_capabilities[] = {Capability::manage_users,    Capability::manage_roles,
                                                Capability::manage_security, Capability::manage_branding,
                                                Capability::manage_api_keys, Capability::view_audit_log,
                                                Capability::manage_settings};

std::string_view to_string(Object o);
std::string_view to_string(Verb v);
std::string_view to_string(RecordScope s);
std::string_view to_string(Capability c);
std::optional<Object> object_from_string(std::string_view s);
std::optional<Verb> verb_from_string(std::string_view s);
std::optional<RecordScope> scope_from_string(std::string_view s);
std::optional<Capability> capability_from_string(std::string_view s);

inline constexpr std::size_t k_object_count = std::size(k_objects);
inline constexpr std::size_t k_verb_count = std::size(k_verbs);
using RecordGrants = std::array<std::array<RecordScope, k_verb_count>, k_object_count>;

struct RoleDef {
    std::string id;        // built-ins: their wire name ("agency_admin"); custom: "ro_..."
    std::string agency_id; // custom roles: the owning agency; empty for built-ins
    std::string name;      // shown to people
    std::string description;
    bool builtin = false;
    RecordGrants records{}; // every entry RecordScope::none unless granted
    std::uint32_t capabilities = 0; // bit (1 << Capability)
    std::int64_t version = 0;

    RecordScope scope(Object o, Verb v) const { return records[static_cast<std::size_t>(o)][static_cast<std::size_t>(v)]; }
    void set(Object o, Verb v, RecordScope s) { records[static_cast<std::size_t>(o)][static_cast<std::size_t>(v)] = s; }
    bool has(Capability c) const { return (capabilities >> static_cast<unsigned>(c)) & 1U; }
    void grant(Capability c) { capabilities |= 1U << static_cast<unsigned>(c); }
    friend bool operator==(const RoleDef&, const RoleDef&) = default;
};

// The constant table of a built-in role (DESIGN.md "Built-in roles"). Role::custom has none:
// nullptr.
const RoleDef* builtin_role(model::Role role);
// The six built-ins in the order of the enum.
std::vector<RoleDef> builtin_roles();

// A custom role's id is "ro_" + base32; role_ref_is_custom tells a membership's role reference
// ("agency_admin" or "ro_...") apart.
bool is_custom_role_id(std::string_view id);

// {"id","name","description","builtin","agency_id"?,"version",
//  "permissions":{"contact":{"view":"all",...},...},"capabilities":["manage_users",...]}
void to_json(nlohmann::json& j, const RoleDef& role);
// Lenient reader for data the program wrote (the browser reading `/me`): nullopt when malformed.
std::optional<RoleDef> role_from_json(const nlohmann::json& j);

// Strict reader for an API body creating or editing a custom role: `name` (1..80 characters,
// no control characters), optional `description` (up to 500), `permissions` (every object and
// verb named must exist; missing entries are none), `capabilities` (array of known names).
// Errors are validation_failed naming the field, e.g. "permissions.deal.export".
// For a merge (PATCH), pass the current role as `base`: absent members keep their values.
Result<RoleDef> role_from_request(const nlohmann::json& body, const RoleDef* base = nullptr);

// A team inside a sub-account ("team" record scope). Actor carries the teams it belongs to.
struct Team {
    std::string id;         // "tm_..."
    std::string account_id;
    std::string name;
    std::vector<std::string> member_ids; // user ids
    friend bool operator==(const Team&, const Team&) = default;
};
void to_json(nlohmann::json& j, const Team& t); // {"id","account_id","name","member_ids":[...]}
std::optional<Team> team_from_json(const nlohmann::json& j);

} // namespace stronghold::access

// The Roles screen's editor (ACC-1): one role's name, description, permission matrix (object x
// verb -> none/own/team/all) and capabilities. Built-ins are shown read-only. "Save" sends a JSON
// merge patch of what changed, checked first by the core's role_from_request against the loaded
// role (the rule the server applies, so the browser refuses with the server's words), with
// If-Match naming the version the editor was loaded from; a 412 keeps the edits on screen until
// the user takes the current role.
#pragma once

#include <stronghold/access/permissions.hpp>
#include <stronghold/api/error.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace stronghold::web::app {

class RoleEditor {
public:
    enum Field { name, description, general, field_count };

    void load(const access::RoleDef& role); // the server's role becomes both base and draft
    bool loaded() const { return m_loaded; }
    const access::RoleDef& base() const { return m_base; }
    const access::RoleDef& draft() const { return m_draft; }
    bool read_only() const { return m_base.builtin; }

    std::string& text(Field f); // name or description, edited in place
    void on_edit(Field f);      // clears that field's error (and the general one)
    void set_scope(access::Object o, access::Verb v, access::RecordScope s);
    void set_capability(access::Capability c, bool on);
    const std::string& error(Field f) const { return m_error[f]; }

    bool dirty() const;
    // {"name"?,"description"?,"permissions"?:{"deal":{"export":"all"}},"capabilities"?:[...]}:
    // changed members only (every capability when any changed). nullopt, with the core's message
    // under its field, when the core refuses it; an empty object when nothing changed.
    std::optional<nlohmann::json> patch();
    std::string if_match() const; // "\"<version>\""

    void apply_server_error(const api::Error& e); // 422/409 with a field -> under it; else general
    void set_conflict(access::RoleDef current);   // 412: someone else saved first
    bool conflict() const { return m_conflict.has_value(); }
    void reload_conflict();                        // take theirs; the edits are dropped

private:
    access::RoleDef m_base, m_draft;
    bool m_loaded = false;
    std::string m_error[field_count];
    std::optional<access::RoleDef> m_conflict;
};

// "New role": a name and the role to start from (copy_of; built-in or custom).
// {"name","copy_of"?}; nullopt with the core's message when the name is refused.
std::optional<nlohmann::json> new_role_body(const std::string& name, const std::string& copy_of, std::string& error);

} // namespace stronghold::web::app

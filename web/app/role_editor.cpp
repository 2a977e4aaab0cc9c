#include "app/role_editor.hpp"

#include "app/wire_read.hpp"

namespace stronghold::web::app {
using wire::sentence;

void RoleEditor::load(const access::RoleDef& role) {
    m_base = m_draft = role;
    m_loaded = true;
    for (auto& e : m_error) e.clear();
    m_conflict.reset();
}

std::string& RoleEditor::text(Field f) { return f == description ? m_draft.description : m_draft.name; }

void RoleEditor::on_edit(Field f) {
    m_error[f].clear();
    m_error[general].clear();
}

void RoleEditor::set_scope(access::Object o, access::Verb v, access::RecordScope s) {
    if (read_only()) return;
    m_draft.set(o, v, s);
    m_error[general].clear();
}

void RoleEditor::set_capability(access::Capability c, bool on) {
    if (read_only()) return;
    if (on) m_draft.grant(c);
    else m_draft.capabilities &= ~(1U << static_cast<unsigned>(c));
    m_error[general].clear();
}

bool RoleEditor::dirty() const {
    return m_loaded && (m_draft.name != m_base.name || m_draft.description != m_base.description || m_draft.records != m_base.records ||
                        m_draft.capabilities != m_base.capabilities);
}

std::optional<nlohmann::json> RoleEditor::patch() {
    for (auto& e : m_error) e.clear();
    auto out = nlohmann::json::object();
    if (m_draft.name != m_base.name) out["name"] = m_draft.name;
    if (m_draft.description != m_base.description) out["description"] = m_draft.description;
    auto permissions = nlohmann::json::object();
    for (const access::Object o : access::k_objects)
        for (const access::Verb v : access::k_verbs)
            if (m_draft.scope(o, v) != m_base.scope(o, v))
                permissions[std::string(access::to_string(o))][std::string(access::to_string(v))] = access::to_string(m_draft.scope(o, v));
    if (!permissions.empty()) out["permissions"] = std::move(permissions);
    if (m_draft.capabilities != m_base.capabilities) {
        auto caps = nlohmann::json::array();
        for (const access::Capability c : access::k_capabilities)
            if (m_draft.has(c)) caps.push_back(access::to_string(c));
        out["capabilities"] = std::move(caps);
    }
    if (out.empty()) return out;
    if (auto checked = access::role_from_request(out, &m_base); !checked) {
        apply_server_error(checked.error());
        return std::nullopt;
    }
    return out;
}

std::string RoleEditor::if_match() const { return "\"" + std::to_string(m_base.version) + "\""; }

void RoleEditor::apply_server_error(const api::Error& e) {
    const std::string message = sentence(e.message.empty() ? "Is not valid" : e.message);
    if (e.field == "name") m_error[name] = message;
    else if (e.field == "description") m_error[description] = message;
    else m_error[general] = message;
}

void RoleEditor::set_conflict(access::RoleDef current) { m_conflict = std::move(current); }

void RoleEditor::reload_conflict() {
    if (!m_conflict) return;
    const access::RoleDef current = std::move(*m_conflict);
    load(current);
}

std::optional<nlohmann::json> new_role_body(const std::string& name, const std::string& copy_of, std::string& error) {
    error.clear();
    auto checked = access::role_from_request(nlohmann::json{{"name", name}});
    if (!checked) {
        error = sentence(checked.error().message);
        return std::nullopt;
    }
    nlohmann::json body = {{"name", checked->name}};
    if (!copy_of.empty()) body["copy_of"] = copy_of;
    return body;
}

} // namespace stronghold::web::app

// The Users screen's dialogs: invite, change role, deactivate/reactivate, a user's sessions.
// Requests that may want a fresh password (changing roles, deactivating) close their dialog
// before they go: the re-authentication prompt is a modal of its own, and ImGui shows one modal
// at a time from the root.
// [SECTION] Shared: where and which role
// [SECTION] Invite
// [SECTION] Change role
// [SECTION] Deactivate / reactivate
// [SECTION] Sessions
#include "views/users_view.hpp"

#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/reauth_dialog.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace stronghold::web::views {
namespace {

std::string user_url(const std::string& agency_id, const std::string& user_id) {
    return app::agency_path(agency_id) + "/users/" + platform::url_encode(user_id);
}

// Cancel and a primary action at the dialog's bottom right; returns 1 for the action, -1 for Cancel.
int dialog_buttons(const char* action_name, const char* action_label, ui::ButtonKind kind, bool busy, bool action_disabled = false) {
    ImGui::Dummy(ImVec2(0, theme::px(6)));
    const float bw = theme::px(120);
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
    int out = 0;
    if (ui::button("Cancel", "Cancel", ui::ButtonKind::secondary, ImVec2(bw, 0), busy)) out = -1;
    ImGui::SameLine();
    if (ui::button(action_name, action_label, kind, ImVec2(bw, 0), busy || action_disabled)) out = 1;
    return out;
}

} // namespace

// [SECTION] Shared: where and which role

bool UsersView::grant_editor(app::Grant& g, float width, const std::string& role_error, const std::string& place_error) {
    const float gap = ImGui::GetStyle().ItemSpacing.x * 2;
    const float half = std::floor((width - gap) * 0.5f);
    bool changed = false;
    const ImVec2 row = ImGui::GetCursorPos();
    ImGui::BeginGroup();
    int place = place_index(g.account_id);
    if (ui::select("Access", "account_id", place, place_names(), half, place_error)) {
        g.account_id = place_id(place);
        changed = true;
    }
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(row.x + half + gap, row.y));
    ImGui::BeginGroup();
    const auto roles = app::grantable_roles(m_me->actor(), m_agency_id, g.account_id, m_roles);
    if (changed && std::none_of(roles.begin(), roles.end(), [&](const access::RoleDef* r) { return r->id == g.role; })) g.role.clear();
    std::vector<std::string> names;
    int index = -1;
    for (std::size_t i = 0; i < roles.size(); ++i) {
        names.push_back(roles[i]->name);
        if (roles[i]->id == g.role) index = static_cast<int>(i);
    }
    // A role the actor may not give (e.g. an owner seen by an admin) still shows by name.
    const std::string current = g.role.empty() ? std::string(roles.empty() ? "No role you may give here" : "Choose a role")
                                               : app::role_label(m_roles, g.role);
    if (ui::select("Role", "role", index, names, half, role_error, false, current.c_str())) {
        g.role = roles[static_cast<std::size_t>(index)]->id;
        changed = true;
    }
    ImGui::EndGroup();
    ImGui::SetCursorPos(ImVec2(row.x, std::max(left_bottom, ImGui::GetCursorPosY())));
    if (const auto* role = app::find_role(m_roles, g.role); role && !role->description.empty()) {
        ImGui::SetCursorPosX(row.x + half + gap);
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() - theme::px(4));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + half);
        ui::muted_text(role->description);
        ImGui::PopTextWrapPos();
    }
    return changed;
}

// [SECTION] Invite

void UsersView::open_invite() {
    m_invite = {};
    m_invite.grant().account_id = {}; // the whole agency unless they pick a sub-account
    m_invite_busy = false;
    m_invite_open = true;
}

void UsersView::draw_invite_dialog() {
    using F = app::InviteForm;
    if (!ui::begin_dialog("Invite user", m_invite_open, 560, !m_invite_busy)) return;
    ui::heading("Invite user");
    ImGui::PushTextWrapPos(0);
    ui::muted_text("They get an email with a link to choose a password. The link works for 7 days.");
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, theme::px(2)));
    const float width = ImGui::GetContentRegionAvail().x;
    bool submit = false;
    auto field = [&](F::Field f, const char* label, const char* hint) {
        const auto s = ui::text_field(label, F::k_wire[f], m_invite.text(f), m_invite.error(f), width, false, m_invite_busy, hint);
        if (s.changed) m_invite.on_edit(f);
        submit |= s.entered;
    };
    field(F::email, "Email", "name@company.com");
    field(F::name, "Name", "Optional");
    if (grant_editor(m_invite.grant(), width, m_invite.error(F::role), m_invite.error(F::account))) {
        m_invite.on_edit(F::role);
        m_invite.on_edit(F::account);
    }
    ui::error_line(m_invite.general_error(), "body");
    const int b = dialog_buttons("Send invite", m_invite_busy ? "Sending..." : "Send invite", ui::ButtonKind::primary, m_invite_busy);
    if (b < 0) m_invite_open = false;
    if ((b > 0 || submit) && !m_invite_busy) send_invite();
    ui::end_dialog();
}

void UsersView::send_invite() {
    auto body = m_invite.validate(m_roles);
    if (!body) return;
    m_invite_busy = true;
    net::call_api({.method = "POST", .url = app::agency_path(m_agency_id) + "/users", .body = reauth::json_body(*body)},
                  net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                      m_invite_busy = false;
                      if (r.ok()) {
                          const auto user = r.body.is_object() && r.body.contains("user") ? app::admin_user_from_json(r.body["user"], m_agency_id)
                                                                                           : std::nullopt;
                          const std::string who = user ? user->email : std::string("them");
                          m_invite_open = false;
                          ui::toast((user && user->status == app::UserStatus::active ? "Added " : "Invitation sent to ") + who + ".", false);
                          load();
                          return;
                      }
                      if (r.error && !r.error->field.empty()) m_invite.apply_server_error(*r.error);
                      else m_invite.apply_server_error(api::make_error(api::ErrorCode::internal, net::describe(r)));
                  }));
}

// [SECTION] Change role

void UsersView::open_roles_dialog(const app::AdminUser& u) {
    m_roles_user = u.id;
    m_memberships.load(u);
    m_roles_open = true;
}

void UsersView::draw_roles_dialog() {
    if (!ui::begin_dialog("Change role", m_roles_open, 640)) return;
    auto it = std::find_if(m_users.begin(), m_users.end(), [&](const app::AdminUser& u) { return u.id == m_roles_user; });
    ui::heading("Change role");
    if (it != m_users.end()) ui::muted_text(it->name.empty() ? it->email : it->name + "  \xc2\xb7  " + it->email);
    ImGui::Dummy(ImVec2(0, theme::px(2)));
    const float width = ImGui::GetContentRegionAvail().x;
    const float remove_w = theme::px(84);
    auto& rows = m_memberships.rows();
    std::size_t to_remove = rows.size();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        const ImVec2 at = ImGui::GetCursorScreenPos();
        a11y::push("group", "Access " + std::to_string(i + 1), at,
                   ImVec2(at.x + width, at.y + ImGui::GetTextLineHeightWithSpacing() + ImGui::GetFrameHeightWithSpacing()));
        grant_editor(rows[i], width - remove_w - ImGui::GetStyle().ItemSpacing.x, "", "");
        const ImVec2 after = ImGui::GetCursorScreenPos();
        ImGui::SetCursorScreenPos(ImVec2(at.x + width - remove_w, at.y + ImGui::GetTextLineHeightWithSpacing() - ImGui::GetStyle().ItemSpacing.y * 0.5f));
        if (ui::button("Remove access", "Remove", ui::ButtonKind::ghost, ImVec2(remove_w, 0), rows.size() <= 1)) to_remove = i;
        ImGui::SetCursorScreenPos(after);
        a11y::pop();
        ImGui::PopID();
    }
    if (to_remove < rows.size()) m_memberships.remove(to_remove);
    if (rows.size() < place_names().size() &&
        ui::button("Add access", (std::string(fonts::k_icon_plus) + "  Add access to a sub-account").c_str(), ui::ButtonKind::ghost)) {
        // The first place (agency, then sub-accounts) no row holds yet: one role per place.
        for (int i = 0; i < static_cast<int>(place_names().size()); ++i) {
            const std::string id = place_id(i);
            if (std::none_of(rows.begin(), rows.end(), [&](const app::Grant& g) { return g.account_id == id; })) {
                m_memberships.add(app::Grant{"", id});
                break;
            }
        }
    }
    ui::error_line(m_memberships.error(), "memberships");
    ImGui::PushTextWrapPos(0);
    ui::muted_text("Changes apply from their next request. You may be asked to confirm your password.");
    ImGui::PopTextWrapPos();
    const int b = dialog_buttons("Save", "Save", ui::ButtonKind::primary, false, !m_memberships.dirty());
    if (b < 0) m_roles_open = false;
    if (b > 0) save_roles();
    ui::end_dialog();
}

void UsersView::save_roles() {
    auto body = m_memberships.body(m_agency_id, m_roles);
    if (!body) return;
    m_roles_open = false;
    const std::string id = m_roles_user;
    m_busy_user = id;
    reauth::send({.method = "PATCH", .url = user_url(m_agency_id, id), .body = reauth::json_body(*body)},
                 net::guard(m_life.weak(), [this, id](const net::ApiResponse& r) {
                     m_busy_user.clear();
                     if (reauth::was_cancelled(r)) return;
                     if (!r.ok()) {
                         ui::toast("Could not change the role: " + net::describe(r));
                         return;
                     }
                     auto it = std::find_if(m_users.begin(), m_users.end(), [&](const app::AdminUser& u) { return u.id == id; });
                     if (auto user = app::admin_user_from_json(r.body, m_agency_id); user && it != m_users.end()) *it = std::move(*user);
                     else load();
                     ui::toast("Role changed.", false);
                 }));
}

// [SECTION] Deactivate / reactivate

void UsersView::draw_status_dialog() {
    const char* name = m_status_to_active ? "Reactivate user" : "Deactivate user";
    if (!ui::begin_dialog(name, m_status_open, 480)) return;
    auto it = std::find_if(m_users.begin(), m_users.end(), [&](const app::AdminUser& u) { return u.id == m_status_user; });
    const std::string who = it != m_users.end() ? app::display_name(*it) : std::string("this user");
    ui::heading(name);
    ImGui::PushTextWrapPos(0);
    if (m_status_to_active)
        ImGui::Text("%s can sign in again, with the roles they had before.", who.c_str());
    else
        ImGui::Text("%s is signed out everywhere at once and can no longer sign in. Their records stay; you can reactivate them at any time.",
                    who.c_str());
    ImGui::PopTextWrapPos();
    const int b = dialog_buttons(m_status_to_active ? "Reactivate" : "Deactivate", m_status_to_active ? "Reactivate" : "Deactivate",
                                 m_status_to_active ? ui::ButtonKind::primary : ui::ButtonKind::danger, false);
    if (b != 0) m_status_open = false;
    if (b > 0) set_active(m_status_user, m_status_to_active);
    ui::end_dialog();
}

void UsersView::set_active(const std::string& user_id, bool active) {
    m_busy_user = user_id;
    reauth::send({.method = "PATCH", .url = user_url(m_agency_id, user_id), .body = reauth::json_body({{"active", active}})},
                 net::guard(m_life.weak(), [this, user_id, active](const net::ApiResponse& r) {
                     m_busy_user.clear();
                     if (reauth::was_cancelled(r)) return;
                     if (!r.ok()) {
                         ui::toast(std::string(active ? "Could not reactivate: " : "Could not deactivate: ") + net::describe(r));
                         return;
                     }
                     auto it = std::find_if(m_users.begin(), m_users.end(), [&](const app::AdminUser& u) { return u.id == user_id; });
                     if (auto user = app::admin_user_from_json(r.body, m_agency_id); user && it != m_users.end()) *it = std::move(*user);
                     else load();
                     it = std::find_if(m_users.begin(), m_users.end(), [&](const app::AdminUser& u) { return u.id == user_id; });
                     const std::string who = it != m_users.end() ? app::display_name(*it) : std::string("The user");
                     ui::toast(who + (active ? " can sign in again." : " was deactivated and signed out everywhere."), false);
                 }));
}

void UsersView::resend_invite(const app::AdminUser& u) {
    const std::string id = u.id, email = u.email;
    m_busy_user = id;
    net::call_api({.method = "POST", .url = user_url(m_agency_id, id) + "/invite"},
                  net::guard(m_life.weak(), [this, email](const net::ApiResponse& r) {
                      m_busy_user.clear();
                      if (!r.ok()) {
                          ui::toast("Could not send the invitation again: " + net::describe(r));
                          return;
                      }
                      ui::toast("A new invitation is on its way to " + email + ". The earlier link no longer works.", false);
                  }));
}

// [SECTION] Sessions

void UsersView::open_sessions(const app::AdminUser& u) {
    m_sessions_user = u.id;
    m_sessions.reset();
    m_sessions_failed = false;
    m_revoking.clear();
    m_sessions_open = true;
    const std::string id = u.id;
    net::call_api({.method = "GET", .url = user_url(m_agency_id, id) + "/sessions"}, net::guard(m_life.weak(), [this, id](const net::ApiResponse& r) {
        if (id != m_sessions_user) return; // another user's list was asked for meanwhile
        auto list = r.ok() ? app::sessions_from_json(r.body) : std::nullopt;
        if (!list) {
            m_sessions_failed = true;
            return;
        }
        m_sessions = std::move(*list);
    }));
}

void UsersView::revoke_session(const std::string& session_id) {
    m_revoking = session_id;
    const std::string user = m_sessions_user;
    net::call_api({.method = "DELETE", .url = user_url(m_agency_id, user) + "/sessions/" + platform::url_encode(session_id)},
                  net::guard(m_life.weak(), [this, session_id, user](const net::ApiResponse& r) {
                      m_revoking.clear();
                      if (!r.ok() && r.status != 404) { // 404: it ended meanwhile; either way it is gone
                          ui::toast("Could not sign out that session: " + net::describe(r));
                          return;
                      }
                      if (m_sessions && user == m_sessions_user)
                          m_sessions->erase(std::remove_if(m_sessions->begin(), m_sessions->end(),
                                                           [&](const app::SessionInfo& s) { return s.id == session_id; }),
                                            m_sessions->end());
                      ui::toast("Session signed out.", false);
                  }));
}

void UsersView::draw_sessions_dialog() {
    if (!ui::begin_dialog("User sessions", m_sessions_open, 680)) return;
    const auto& p = theme::palette();
    auto it = std::find_if(m_users.begin(), m_users.end(), [&](const app::AdminUser& u) { return u.id == m_sessions_user; });
    const std::string who = it != m_users.end() ? app::display_name(*it) : std::string();
    ui::heading(("Sessions of " + who).c_str(), true);
    ImGui::PushTextWrapPos(0);
    ui::muted_text("Where this user is signed in. Signing out a session ends it at once, including its live connection.");
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, theme::px(2)));
    const float width = ImGui::GetContentRegionAvail().x;
    if (!m_sessions) {
        if (m_sessions_failed) {
            ui::error_line("The sessions could not be loaded.", "");
        } else {
            ImGui::Dummy(ImVec2(width, theme::px(48)));
            ui::spinner(ImVec2(ImGui::GetItemRectMin().x + width * 0.5f, ImGui::GetItemRectMin().y + theme::px(24)), theme::px(10));
            a11y::text_item("status", "Sessions", "Loading...");
        }
    } else if (m_sessions->empty()) {
        ImGui::Dummy(ImVec2(0, theme::px(6)));
        ui::muted_text("Not signed in anywhere right now.");
        a11y::text_item("status", "No sessions", "Not signed in anywhere right now.");
        ImGui::Dummy(ImVec2(0, theme::px(6)));
    } else {
        const float row_h = theme::px(52);
        const float button_w = theme::px(96);
        const model::UnixMillis now =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        const ImVec2 table_min = ImGui::GetCursorScreenPos();
        const float pitch = row_h + ImGui::GetStyle().ItemSpacing.y; // each row ends with a Dummy
        a11y::push("table", "User sessions", table_min, ImVec2(table_min.x + width, table_min.y + pitch * m_sessions->size()));
        ImDrawList* dl = ImGui::GetWindowDrawList();
        std::string revoke;
        for (std::size_t i = 0; i < m_sessions->size(); ++i) {
            const app::SessionInfo& s = (*m_sessions)[i];
            const ImVec2 row_min = ImGui::GetCursorScreenPos();
            const std::string device = app::device_label(s);
            a11y::push("row", device, row_min, ImVec2(row_min.x + width, row_min.y + row_h), {{"data-id", s.id}});
            ImFont* sb = fonts::semibold();
            ImFont* body = fonts::body();
            const float y = row_min.y + std::floor((row_h - sb->FontSize * 2 - theme::px(2)) * 0.5f);
            dl->AddText(sb, sb->FontSize, ImVec2(row_min.x, y), theme::color(p.text), device.c_str());
            const std::string sub = (s.ip.empty() ? std::string("Unknown address") : s.ip) + "  \xc2\xb7  signed in " + app::relative_time(now, s.created_at);
            dl->AddText(body, body->FontSize * 0.88f, ImVec2(row_min.x, y + sb->FontSize + theme::px(2)), theme::color(p.text_muted), sub.c_str());
            a11y::text_node("cell", "", device + ", " + sub, row_min, ImVec2(row_min.x + width * 0.55f, row_min.y + row_h));
            const std::string seen = "Last seen " + app::relative_time(now, s.last_seen_at);
            const float sx = row_min.x + width * 0.58f;
            dl->AddText(body, body->FontSize, ImVec2(sx, row_min.y + std::floor((row_h - body->FontSize) * 0.5f)), theme::color(p.text_muted),
                        seen.c_str());
            a11y::text_node("cell", "", seen, ImVec2(sx, row_min.y), ImVec2(row_min.x + width - button_w, row_min.y + row_h));
            ImGui::SetCursorScreenPos(ImVec2(row_min.x + width - button_w, row_min.y + std::floor((row_h - ImGui::GetFrameHeight()) * 0.5f)));
            ImGui::PushID(s.id.c_str());
            const bool busy = m_revoking == s.id;
            if (ui::button("Revoke", busy ? "Signing out..." : "Revoke", ui::ButtonKind::secondary, ImVec2(button_w, 0), !m_revoking.empty()))
                revoke = s.id;
            ImGui::PopID();
            a11y::pop();
            if (i + 1 < m_sessions->size())
                dl->AddLine(ImVec2(row_min.x, row_min.y + row_h + std::floor(ImGui::GetStyle().ItemSpacing.y * 0.5f)), ImVec2(row_min.x + width, row_min.y + row_h + std::floor(ImGui::GetStyle().ItemSpacing.y * 0.5f)), theme::color(p.border),
                            theme::px(1));
            ImGui::SetCursorScreenPos(ImVec2(row_min.x, row_min.y + row_h));
            ImGui::Dummy(ImVec2(width, 0));
        }
        a11y::pop();
        if (!revoke.empty()) revoke_session(revoke);
    }
    ImGui::Dummy(ImVec2(0, theme::px(4)));
    const float bw = theme::px(120);
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw);
    if (ui::button("Close", "Close", ui::ButtonKind::secondary, ImVec2(bw, 0))) m_sessions_open = false;
    ui::end_dialog();
}

} // namespace stronghold::web::views

// [SECTION] Loading and saving
// [SECTION] Page frame and the list
// [SECTION] Editor cards
// [SECTION] Dialogs
#include "views/roles_view.hpp"

#include "app/admin.hpp"
#include "app/wire_read.hpp"
#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/card.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/reauth_dialog.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace stronghold::web::views {
namespace {

using access::RoleDef;

constexpr const char* k_assigned =
    "This role is still given to at least one user. Give them another role on the Users screen first, then delete it.";

std::string roles_url(const std::string& agency_id) { return app::agency_path(agency_id) + "/roles"; }
std::string role_url(const std::string& agency_id, const std::string& id) { return roles_url(agency_id) + "/" + platform::url_encode(id); }

// The scope names the core knows, for people: "None", "Own", "Team", "All".
const std::vector<std::string>& scope_words() {
    static const std::vector<std::string> words = [] {
        std::vector<std::string> out;
        for (auto s : {access::RecordScope::none, access::RecordScope::own, access::RecordScope::team, access::RecordScope::all})
            out.push_back(app::words(access::to_string(s)));
        return out;
    }();
    return words;
}

} // namespace

// [SECTION] Loading and saving

void RolesView::open(const app::Me& me, std::string agency_id) {
    m_me = &me;
    m_agency_id = std::move(agency_id);
    m_life.reset();
    m_editing = m_busy = m_new_open = m_new_busy = m_delete_open = m_delete_busy = false;
    load();
}

void RolesView::close() { m_life.reset(); }

void RolesView::load(std::string then_edit) {
    if (m_roles.empty()) m_phase = Phase::loading;
    net::call_api({.method = "GET", .url = roles_url(m_agency_id)}, net::guard(m_life.weak(), [this, then_edit](const net::ApiResponse& r) {
        auto roles = r.ok() ? app::roles_from_json(r.body) : std::nullopt;
        if (!roles) {
            m_phase = Phase::failed;
            m_load_error = r.ok() ? "The server's answer was not understood." : net::describe(r);
            return;
        }
        m_roles = std::move(*roles);
        m_phase = Phase::ready;
        if (const RoleDef* role = app::find_role(m_roles, then_edit)) edit(*role);
    }));
}

void RolesView::edit(const RoleDef& role) {
    m_editor.load(role);
    m_editing = true;
    m_busy = false;
}

void RolesView::save() {
    auto patch = m_editor.patch();
    if (!patch || patch->empty()) return;
    m_busy = true;
    const std::string id = m_editor.base().id;
    // Critical action: the server may want a fresh proof; reauth re-sends after it.
    reauth::send({.method = "PATCH", .url = role_url(m_agency_id, id), .body = reauth::json_body(*patch),
                  .headers = {{"If-Match", m_editor.if_match()}}},
                 net::guard(m_life.weak(), [this, id](const net::ApiResponse& r) {
                     m_busy = false;
                     if (reauth::was_cancelled(r)) return; // edits stay
                     if (r.ok()) {
                         if (auto saved = access::role_from_json(r.body)) {
                             m_editor.load(*saved);
                             for (auto& role : m_roles)
                                 if (role.id == id) role = *saved;
                         }
                         ui::toast("Role saved. It applies from each holder's next request.", false);
                         return;
                     }
                     if (r.status == 412) {
                         auto current = r.body.is_object() && r.body.contains("current") ? access::role_from_json(r.body["current"]) : std::nullopt;
                         if (current) m_editor.set_conflict(std::move(*current));
                         else load(id);
                         return;
                     }
                     if (r.error && (r.error->code == api::ErrorCode::validation_failed || r.error->code == api::ErrorCode::conflict ||
                                     r.error->code == api::ErrorCode::forbidden)) {
                         m_editor.apply_server_error(*r.error);
                         return;
                     }
                     ui::toast("Could not save the role: " + net::describe(r));
                 }));
}

// [SECTION] Page frame and the list

void RolesView::draw() {
    ui::Page page;
    const float column = ui::page_begin(page, 1100);
    if (ui::page_header("Roles", "What each role may do, on which records. Built-in roles are fixed; copy one to make your own.") && on_back)
        on_back();
    ui::page_body(page, "roles_page");
    bool retry = false;
    const ui::PageLoad state = m_phase == Phase::loading ? ui::PageLoad::loading : m_phase == Phase::failed ? ui::PageLoad::failed : ui::PageLoad::ready;
    if (!ui::page_loaded(state, "The roles", m_load_error, column, retry)) {
        if (retry) load();
    } else if (m_editing) {
        draw_actions(column); // on top: in view without scrolling past the matrix
        draw_details_card(column);
        draw_matrix_card(column);
        draw_capabilities_card(column);
    } else {
        draw_list_card(column);
    }
    ui::page_end(page);
    draw_new_dialog();
    draw_delete_dialog();
}

void RolesView::draw_list_card(float width) {
    const auto& p = theme::palette();
    ui::Card card;
    const ImVec2 title_at = ImGui::GetCursorScreenPos();
    const float inner = ui::card_begin(card, "All roles", "Give people a role on the Users screen. A custom role starts as a copy of another.", width);
    if (ui::card_title_button(title_at, width, "New role", (std::string(fonts::k_icon_plus) + "  New role").c_str(), true)) {
        m_new_name.clear();
        m_new_error.clear();
        m_new_from = 0;
        m_new_open = true;
    }
    const float row_h = theme::px(56);
    const ImVec2 table_min = ImGui::GetCursorScreenPos();
    const float pitch = row_h + ImGui::GetStyle().ItemSpacing.y; // each row ends with a Dummy
    a11y::push("table", "Roles", table_min, ImVec2(table_min.x + inner, table_min.y + pitch * m_roles.size()),
               {{"aria-rowcount", std::to_string(m_roles.size())}});
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const RoleDef* open_role = nullptr;
    for (std::size_t i = 0; i < m_roles.size(); ++i) {
        const RoleDef& r = m_roles[i];
        const ImVec2 row_min = ImGui::GetCursorScreenPos();
        const ImVec2 row_max(row_min.x + inner, row_min.y + row_h);
        a11y::push("row", r.name, row_min, row_max, {{"data-id", r.id}, {"data-builtin", r.builtin ? "true" : "false"}});
        if (ImGui::IsMouseHoveringRect(row_min, row_max) && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId))
            dl->AddRectFilled(ImVec2(row_min.x - theme::px(8), row_min.y), ImVec2(row_max.x + theme::px(8), row_max.y), theme::color(p.row_hover),
                              theme::px(6));
        ImFont* sb = fonts::semibold();
        ImFont* body = fonts::body();
        const float y = row_min.y + std::floor((row_h - sb->FontSize * 2 - theme::px(2)) * 0.5f);
        const float name_w = sb->CalcTextSizeA(sb->FontSize, 1e9f, 0, r.name.c_str()).x;
        dl->AddText(sb, sb->FontSize, ImVec2(row_min.x, y), theme::color(p.text), r.name.c_str());
        const char* kind = r.builtin ? "Built-in" : "Custom";
        ui::badge(dl, ImVec2(row_min.x + name_w + theme::px(10), y + theme::px(1)), kind, r.builtin ? ui::BadgeKind::neutral : ui::BadgeKind::accent);
        const std::string desc = r.description.empty() ? std::string("No description") : r.description;
        const ImVec4 clip(row_min.x, row_min.y, row_max.x - theme::px(110), row_max.y);
        dl->AddText(body, body->FontSize * 0.9f, ImVec2(row_min.x, y + sb->FontSize + theme::px(2)), theme::color(p.text_muted), desc.c_str(), nullptr,
                    0, &clip);
        a11y::text_node("cell", "", r.name + " (" + kind + "): " + desc, row_min, ImVec2(row_max.x - theme::px(110), row_max.y));
        ImGui::SetCursorScreenPos(ImVec2(row_max.x - theme::px(96), row_min.y + std::floor((row_h - ImGui::GetFrameHeight()) * 0.5f)));
        ImGui::PushID(r.id.c_str());
        if (ui::button(r.builtin ? "View" : "Edit", r.builtin ? "View" : "Edit", ui::ButtonKind::secondary, ImVec2(theme::px(96), 0))) open_role = &r;
        ImGui::PopID();
        a11y::pop();
        if (i + 1 < m_roles.size()) { // halfway between this row and the next
            const float y = row_max.y + std::floor(ImGui::GetStyle().ItemSpacing.y * 0.5f);
            dl->AddLine(ImVec2(row_min.x, y), ImVec2(row_max.x, y), theme::color(p.border), theme::px(1));
        }
        ImGui::SetCursorScreenPos(ImVec2(row_min.x, row_max.y));
        ImGui::Dummy(ImVec2(inner, 0));
    }
    a11y::pop();
    ui::card_end(card);
    if (open_role) edit(*open_role);
}

// [SECTION] Editor cards

void RolesView::draw_details_card(float width) {
    using F = app::RoleEditor::Field;
    const bool ro = m_editor.read_only();
    ui::Card card;
    const std::string title = m_editor.base().name;
    const float inner = ui::card_begin(card, title.c_str(),
                                       ro ? "A built-in role: it cannot be changed. Copy it to make a role of your own."
                                          : "A custom role of your agency. Changes apply to everyone who holds it from their next request.",
                                       width);
    const float gap = ImGui::GetStyle().ItemSpacing.x * 2;
    const float name_w = std::floor((inner - gap) * 0.38f);
    const ImVec2 row = ImGui::GetCursorPos();
    ImGui::BeginGroup();
    const auto n = ui::text_field("Role name", "name", m_editor.text(F::name), m_editor.error(F::name), name_w, false, ro || m_busy);
    if (n.changed) m_editor.on_edit(F::name);
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(row.x + name_w + gap, row.y));
    ImGui::BeginGroup();
    const auto d = ui::text_field("Description", "description", m_editor.text(F::description), m_editor.error(F::description),
                                  inner - name_w - gap, false, ro || m_busy, ro ? nullptr : "What is this role for?");
    if (d.changed) m_editor.on_edit(F::description);
    ImGui::EndGroup();
    ImGui::SetCursorPos(ImVec2(row.x, std::max(left_bottom, ImGui::GetCursorPosY())));
    if (ro) {
        if (ui::button("Copy this role", (std::string(fonts::k_icon_copy) + "  Copy this role").c_str(), ui::ButtonKind::secondary)) {
            const auto it = std::find_if(m_roles.begin(), m_roles.end(), [&](const RoleDef& r) { return r.id == m_editor.base().id; });
            m_new_from = it == m_roles.end() ? 0 : static_cast<int>(it - m_roles.begin());
            m_new_name = m_editor.base().name + " (copy)";
            m_new_error.clear();
            m_new_open = true;
        }
    }
    if ((n.entered || d.entered) && !ro && !m_busy) save();
    ui::card_end(card);
}

void RolesView::draw_matrix_card(float width) {
    const auto& p = theme::palette();
    const bool ro = m_editor.read_only() || m_busy;
    ui::Card card;
    const float inner = ui::card_begin(card, "Permissions",
                                       "For each kind of record, what holders may do and on which records: none, their own, their "
                                       "team's, or all in the sub-account.",
                                       width);
    const float label_w = theme::px(130);
    const float gap = theme::px(8);
    const float cell_w = std::floor((inner - label_w - gap * (access::k_verb_count - 1)) / access::k_verb_count);
    const ImVec2 table_min = ImGui::GetCursorScreenPos();
    const float row_h = ImGui::GetFrameHeight() + theme::px(10);
    a11y::push("table", "Permissions", table_min, ImVec2(table_min.x + inner, table_min.y + row_h * (access::k_object_count + 1)));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    a11y::push("row", "Columns", table_min, ImVec2(table_min.x + inner, table_min.y + row_h));
    for (std::size_t v = 0; v < access::k_verb_count; ++v) {
        const std::string verb = app::words(access::to_string(access::k_verbs[v]));
        const ImVec2 at(table_min.x + label_w + v * (cell_w + gap), table_min.y);
        ImFont* sb = fonts::semibold();
        dl->AddText(sb, sb->FontSize * 0.9f, ImVec2(at.x + theme::px(2), at.y + std::floor((row_h - sb->FontSize) * 0.5f)), theme::color(p.text_muted),
                    verb.c_str());
        a11y::node("columnheader", verb, at, ImVec2(at.x + cell_w, at.y + row_h));
    }
    a11y::pop();
    for (std::size_t o = 0; o < access::k_object_count; ++o) {
        const access::Object object = access::k_objects[o];
        const std::string object_name = app::words(access::to_string(object));
        const float y = table_min.y + row_h * (o + 1);
        if (o % 2 == 0)
            dl->AddRectFilled(ImVec2(table_min.x - theme::px(8), y), ImVec2(table_min.x + inner + theme::px(8), y + row_h),
                              theme::color(p.background), theme::px(6));
        a11y::push("row", object_name, ImVec2(table_min.x, y), ImVec2(table_min.x + inner, y + row_h));
        ImFont* sb = fonts::semibold();
        dl->AddText(sb, sb->FontSize, ImVec2(table_min.x + theme::px(4), y + std::floor((row_h - sb->FontSize) * 0.5f)), theme::color(p.text),
                    object_name.c_str());
        a11y::node("rowheader", object_name, ImVec2(table_min.x, y), ImVec2(table_min.x + label_w, y + row_h));
        for (std::size_t v = 0; v < access::k_verb_count; ++v) {
            const access::Verb verb = access::k_verbs[v];
            const std::string name = object_name + " " + std::string(access::to_string(verb));
            ImGui::SetCursorScreenPos(ImVec2(table_min.x + label_w + v * (cell_w + gap), y + theme::px(5)));
            int index = static_cast<int>(m_editor.draft().scope(object, verb));
            const bool changed_cell = m_editor.draft().scope(object, verb) != m_editor.base().scope(object, verb);
            if (changed_cell) ImGui::PushStyleColor(ImGuiCol_FrameBg, theme::accent_soft());
            if (ui::select_inline(name.c_str(), index, scope_words(), cell_w, ro))
                m_editor.set_scope(object, verb, static_cast<access::RecordScope>(index));
            if (changed_cell) ImGui::PopStyleColor();
        }
        a11y::pop();
    }
    a11y::pop();
    ImGui::SetCursorScreenPos(ImVec2(table_min.x, table_min.y + row_h * (access::k_object_count + 1) + theme::px(4)));
    ImGui::Dummy(ImVec2(inner, 0));
    ui::muted_text("Own: records the user owns. Team: records owned by anyone sharing a team with them. All: every record of the sub-account.");
    ui::card_end(card);
}

void RolesView::draw_capabilities_card(float width) {
    const bool ro = m_editor.read_only() || m_busy;
    ui::Card card;
    const float inner = ui::card_begin(card, "Admin capabilities",
                                       "Screens and settings beyond records. Nobody can give a capability they do not hold themselves.", width);
    const float col = std::floor(inner / 3);
    const ImVec2 start = ImGui::GetCursorPos();
    float bottom = start.y;
    for (std::size_t i = 0; i < std::size(access::k_capabilities); ++i) {
        const access::Capability c = access::k_capabilities[i];
        ImGui::SetCursorPos(ImVec2(start.x + col * (i % 3), start.y + (i / 3) * (ImGui::GetFrameHeightWithSpacing())));
        bool on = m_editor.draft().has(c);
        const std::string label = app::words(access::to_string(c));
        if (ui::checkbox(label.c_str(), on, ro)) m_editor.set_capability(c, on);
        bottom = std::max(bottom, ImGui::GetCursorPosY());
    }
    ImGui::SetCursorPos(ImVec2(start.x, bottom));
    ui::card_end(card);
}

void RolesView::draw_actions(float width) {
    const auto& p = theme::palette();
    const float top = ImGui::GetCursorPosY();
    if (ui::button("All roles", "\xe2\x86\x90  All roles", ui::ButtonKind::ghost)) m_editing = false;
    if (m_editor.read_only()) return;
    // Save, discard and delete at the right of the same line.
    const bool dirty = m_editor.dirty();
    const std::string del = std::string(fonts::k_icon_trash) + "  Delete role";
    const char* save_label = m_busy ? "Saving..." : "Save changes";
    ImGui::PushFont(fonts::semibold());
    const float pad = ImGui::GetStyle().FramePadding.x * 2, gap = ImGui::GetStyle().ItemSpacing.x;
    const float w_del = ImGui::CalcTextSize(del.c_str()).x + pad, w_discard = ImGui::CalcTextSize("Discard changes").x + pad,
                w_save = ImGui::CalcTextSize("Save changes").x + pad;
    ImGui::PopFont();
    float x = ImGui::GetCursorPosX() + width - w_del - w_discard - w_save - gap * 2;
    if (!dirty) {
        const float tw = ImGui::CalcTextSize("No unsaved changes").x;
        ImGui::SetCursorPos(ImVec2(x - tw - theme::px(16), top + ImGui::GetStyle().FramePadding.y));
        ui::muted_text("No unsaved changes");
    }
    ImGui::SetCursorPos(ImVec2(x, top));
    ImGui::PushStyleColor(ImGuiCol_Text, p.danger);
    if (ui::button("Delete role", del.c_str(), ui::ButtonKind::ghost, ImVec2(w_del, 0), m_busy)) {
        m_delete_error.clear();
        m_delete_open = true;
    }
    ImGui::PopStyleColor();
    ImGui::SameLine();
    if (ui::button("Discard changes", "Discard changes", ui::ButtonKind::secondary, ImVec2(w_discard, 0), m_busy || !dirty))
        m_editor.load(m_editor.base());
    ImGui::SameLine();
    if (ui::button("Save changes", save_label, ui::ButtonKind::primary, ImVec2(w_save, 0), m_busy || !dirty || m_editor.conflict())) save();
    if (m_editor.conflict()) {
        if (ui::conflict_banner("Someone else changed this role while you were editing. Reload to see their version, then make your "
                                "changes again.",
                                width))
            m_editor.reload_conflict();
    }
    ui::error_line(m_editor.error(app::RoleEditor::general), "permissions");
}

// [SECTION] Dialogs

void RolesView::draw_new_dialog() {
    if (!ui::begin_dialog("New role", m_new_open, 520, !m_new_busy)) return;
    ui::heading("New role");
    ImGui::PushTextWrapPos(0);
    ui::muted_text("A new role starts as a copy of an existing one; adjust it afterwards.");
    ImGui::PopTextWrapPos();
    const float width = ImGui::GetContentRegionAvail().x;
    const auto s = ui::text_field("Role name", "name", m_new_name, m_new_error, width, false, m_new_busy, "e.g. Sales rep");
    if (s.changed) m_new_error.clear();
    std::vector<std::string> names;
    for (const auto& r : m_roles) names.push_back(r.name);
    ui::select("Start from", "copy_of", m_new_from, names, width, {}, m_new_busy);
    ImGui::Dummy(ImVec2(0, theme::px(6)));
    const float bw = theme::px(120);
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
    if (ui::button("Cancel", "Cancel", ui::ButtonKind::secondary, ImVec2(bw, 0), m_new_busy)) m_new_open = false;
    ImGui::SameLine();
    if ((ui::button("Create role", m_new_busy ? "Creating..." : "Create role", ui::ButtonKind::primary, ImVec2(bw, 0), m_new_busy) || s.entered) &&
        !m_new_busy)
        create_role();
    ui::end_dialog();
}

void RolesView::create_role() {
    const std::string copy_of = m_new_from >= 0 && m_new_from < static_cast<int>(m_roles.size()) ? m_roles[m_new_from].id : std::string();
    auto body = app::new_role_body(m_new_name, copy_of, m_new_error);
    if (!body) return;
    m_new_busy = true;
    net::call_api({.method = "POST", .url = roles_url(m_agency_id), .body = reauth::json_body(*body)},
                  net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                      m_new_busy = false;
                      if (r.ok()) {
                          auto role = access::role_from_json(r.body);
                          m_new_open = false;
                          if (role) {
                              m_roles.push_back(*role);
                              edit(*role);
                          }
                          ui::toast("Role created. Adjust what it may do, then save.", false);
                          load(role ? role->id : std::string());
                          return;
                      }
                      m_new_error = r.error && (r.error->field == "name" || r.error->field.empty()) ? app::wire::sentence(r.error->message)
                                                                                                     : net::describe(r);
                  }));
}

void RolesView::draw_delete_dialog() {
    if (!ui::begin_dialog("Delete role", m_delete_open, 480, !m_delete_busy)) return;
    ui::heading("Delete role");
    ImGui::PushTextWrapPos(0);
    ImGui::Text("Delete the role \"%s\"? This cannot be undone.", m_editor.base().name.c_str());
    ImGui::PopTextWrapPos();
    if (!m_delete_error.empty()) {
        ImGui::Dummy(ImVec2(0, theme::px(2)));
        ImGui::PushTextWrapPos(0);
        ui::error_line(m_delete_error, "role");
        ImGui::PopTextWrapPos();
    }
    ImGui::Dummy(ImVec2(0, theme::px(6)));
    const float bw = theme::px(120);
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
    if (ui::button("Cancel", m_delete_error.empty() ? "Cancel" : "Close", ui::ButtonKind::secondary, ImVec2(bw, 0), m_delete_busy))
        m_delete_open = false;
    ImGui::SameLine();
    if (ui::button("Delete", m_delete_busy ? "Deleting..." : "Delete", ui::ButtonKind::danger, ImVec2(bw, 0), m_delete_busy || !m_delete_error.empty()))
        delete_role();
    ui::end_dialog();
}

void RolesView::delete_role() {
    m_delete_busy = true;
    const std::string id = m_editor.base().id;
    net::call_api({.method = "DELETE", .url = role_url(m_agency_id, id), .headers = {{"If-Match", m_editor.if_match()}}},
                  net::guard(m_life.weak(), [this, id](const net::ApiResponse& r) {
                      m_delete_busy = false;
                      if (r.ok() || r.status == 404) {
                          m_delete_open = false;
                          m_editing = false;
                          m_roles.erase(std::remove_if(m_roles.begin(), m_roles.end(), [&](const RoleDef& role) { return role.id == id; }),
                                        m_roles.end());
                          ui::toast("Role deleted.", false);
                          return;
                      }
                      if (r.status == 409) m_delete_error = k_assigned;
                      else m_delete_error = "Could not delete the role: " + net::describe(r);
                  }));
}

} // namespace stronghold::web::views

// The Teams card of the Users screen (ACC-1 "team" record scope): the teams of the sub-account
// open in the top bar, each with its members; "New team" and "Edit" open one dialog (name and
// member checkboxes; Delete team there). Editing needs manage_users in that sub-account (core
// has_capability); everyone else sees the list.
#include "views/users_view.hpp"

#include "app/wire_read.hpp"
#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/card.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/reauth_dialog.hpp"

#include <stronghold/validate/text.hpp>

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace stronghold::web::views {
namespace {

std::string teams_url(const std::string& account_id) { return app::account_path(account_id) + "/teams"; }

} // namespace

void UsersView::load_teams() {
    m_teams.reset();
    m_teams_failed = false;
    if (m_account_id.empty()) return;
    net::call_api({.method = "GET", .url = teams_url(m_account_id)}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        auto teams = r.ok() ? app::teams_from_json(r.body) : std::nullopt;
        if (!teams) {
            m_teams_failed = true;
            return;
        }
        m_teams = std::move(*teams);
    }));
}

void UsersView::draw_teams_card(float width) {
    if (m_account_id.empty() || !m_me) return;
    const auto& p = theme::palette();
    const app::AccountRef* account = m_me->account(m_account_id);
    const std::string subtitle = "Teams in " + (account ? account->name : m_account_id) +
                                 ". A role's \"team\" scope reaches the records owned by anyone sharing a team with the user.";
    const bool can_edit = access::has_capability(m_me->actor(), access::Capability::manage_users, m_agency_id, m_account_id);
    ui::Card card;
    const ImVec2 title_at = ImGui::GetCursorScreenPos();
    const float inner = ui::card_begin(card, "Teams", subtitle.c_str(), width);
    if (can_edit && ui::card_title_button(title_at, width, "New team", (std::string(fonts::k_icon_plus) + "  New team").c_str(), false))
        open_team(nullptr);
    if (!m_teams) {
        if (m_teams_failed) {
            ui::muted_text("The teams could not be loaded.");
            ImGui::SameLine();
            if (ui::button("Retry", "Retry##teams")) load_teams();
        } else {
            ImGui::Dummy(ImVec2(inner, theme::px(36)));
            ui::spinner(ImVec2(ImGui::GetItemRectMin().x + inner * 0.5f, ImGui::GetItemRectMin().y + theme::px(18)), theme::px(10));
        }
        ui::card_end(card);
        return;
    }
    if (m_teams->empty()) {
        ui::muted_text(can_edit ? "No teams yet. Create one to let its members work on each other's records."
                                : "No teams in this sub-account yet.");
        a11y::text_item("status", "No teams", "No teams yet");
        ui::card_end(card);
        return;
    }
    const float row_h = theme::px(48);
    const ImVec2 list_min = ImGui::GetCursorScreenPos();
    const float pitch = row_h + ImGui::GetStyle().ItemSpacing.y; // each row ends with a Dummy
    a11y::push("list", "Teams", list_min, ImVec2(list_min.x + inner, list_min.y + pitch * m_teams->size()));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const app::TeamInfo* to_edit = nullptr;
    for (std::size_t i = 0; i < m_teams->size(); ++i) {
        const app::TeamInfo& t = (*m_teams)[i];
        const ImVec2 row_min = ImGui::GetCursorScreenPos();
        a11y::push("listitem", t.team.name, row_min, ImVec2(row_min.x + inner, row_min.y + row_h), {{"data-id", t.team.id}});
        ImFont* sb = fonts::semibold();
        const float name_w = std::floor(inner * 0.28f);
        dl->AddText(sb, sb->FontSize, ImVec2(row_min.x, row_min.y + std::floor((row_h - sb->FontSize) * 0.5f)), theme::color(p.text),
                    t.team.name.c_str());
        // Members as avatars with names, as many as fit.
        std::string names;
        float x = row_min.x + name_w;
        const float r = theme::px(12);
        const float limit = row_min.x + inner - theme::px(100);
        for (const auto& id : t.team.member_ids) {
            auto u = std::find_if(m_users.begin(), m_users.end(), [&](const app::AdminUser& a) { return a.id == id; });
            const std::string who = u != m_users.end() ? app::display_name(*u) : id;
            names += (names.empty() ? "" : ", ") + who;
            const float tw = fonts::body()->CalcTextSizeA(fonts::body()->FontSize, 1e9f, 0, who.c_str()).x;
            if (x + r * 2 + theme::px(6) + tw > limit) continue;
            ui::avatar(dl, ImVec2(x + r, row_min.y + row_h * 0.5f), r, who);
            dl->AddText(fonts::body(), fonts::body()->FontSize, ImVec2(x + r * 2 + theme::px(6), row_min.y + std::floor((row_h - fonts::body()->FontSize) * 0.5f)),
                        theme::color(p.text), who.c_str());
            x += r * 2 + theme::px(6) + tw + theme::px(16);
        }
        if (t.team.member_ids.empty())
            dl->AddText(fonts::body(), fonts::body()->FontSize, ImVec2(x, row_min.y + std::floor((row_h - fonts::body()->FontSize) * 0.5f)),
                        theme::color(p.text_muted), "No members yet");
        a11y::text_node("cell", "", names.empty() ? std::string("No members yet") : names, ImVec2(row_min.x + name_w, row_min.y),
                        ImVec2(limit, row_min.y + row_h));
        if (can_edit) {
            ImGui::SetCursorScreenPos(ImVec2(row_min.x + inner - theme::px(80), row_min.y + std::floor((row_h - ImGui::GetFrameHeight()) * 0.5f)));
            ImGui::PushID(t.team.id.c_str());
            if (ui::button("Edit team", "Edit", ui::ButtonKind::secondary, ImVec2(theme::px(80), 0))) to_edit = &t;
            ImGui::PopID();
        }
        a11y::pop();
        if (i + 1 < m_teams->size())
            dl->AddLine(ImVec2(row_min.x, row_min.y + row_h + std::floor(ImGui::GetStyle().ItemSpacing.y * 0.5f)), ImVec2(row_min.x + inner, row_min.y + row_h + std::floor(ImGui::GetStyle().ItemSpacing.y * 0.5f)), theme::color(p.border),
                        theme::px(1));
        ImGui::SetCursorScreenPos(ImVec2(row_min.x, row_min.y + row_h));
        ImGui::Dummy(ImVec2(inner, 0));
    }
    a11y::pop();
    ui::card_end(card);
    if (to_edit) open_team(to_edit);
}

void UsersView::open_team(const app::TeamInfo* team) {
    m_team_base = team ? std::optional<app::TeamInfo>(*team) : std::nullopt;
    m_team_name = team ? team->team.name : std::string();
    m_team_members = team ? team->team.member_ids : std::vector<std::string>{};
    m_team_error.clear();
    m_team_busy = false;
    m_team_open = true;
}

void UsersView::draw_team_dialog() {
    const char* name = m_team_base ? "Edit team" : "New team";
    if (!ui::begin_dialog(name, m_team_open, 520, !m_team_busy)) return;
    ui::heading(name);
    const float width = ImGui::GetContentRegionAvail().x;
    const auto s = ui::text_field("Team name", "name", m_team_name, m_team_error, width, false, m_team_busy, "e.g. Front desk");
    if (s.changed) m_team_error.clear();
    ui::field_label("Members");
    const auto candidates = app::team_candidates(m_users, m_account_id);
    if (candidates.empty()) ui::muted_text("Nobody has access to this sub-account yet.");
    for (const auto* u : candidates) {
        bool on = std::find(m_team_members.begin(), m_team_members.end(), u->id) != m_team_members.end();
        ImGui::PushID(u->id.c_str());
        if (ui::checkbox(app::display_name(*u).c_str(), on, m_team_busy)) {
            if (on) m_team_members.push_back(u->id);
            else m_team_members.erase(std::remove(m_team_members.begin(), m_team_members.end(), u->id), m_team_members.end());
        }
        ImGui::PopID();
    }
    ImGui::Dummy(ImVec2(0, theme::px(6)));
    if (m_team_base) {
        if (ui::button("Delete team", (std::string(fonts::k_icon_trash) + "  Delete team").c_str(), ui::ButtonKind::ghost, ImVec2(0, 0), m_team_busy))
            delete_team();
        ImGui::SameLine();
    }
    const float bw = theme::px(120);
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
    if (ui::button("Cancel", "Cancel", ui::ButtonKind::secondary, ImVec2(bw, 0), m_team_busy)) m_team_open = false;
    ImGui::SameLine();
    if (ui::button("Save team", m_team_busy ? "Saving..." : "Save team", ui::ButtonKind::primary, ImVec2(bw, 0), m_team_busy) ||
        (s.entered && !m_team_busy))
        save_team();
    ui::end_dialog();
}

void UsersView::save_team() {
    auto name = validate::name("name", m_team_name, 80, true);
    if (!name) {
        m_team_error = app::wire::sentence(name.error().message);
        return;
    }
    nlohmann::json body = {{"name", *name}, {"member_ids", m_team_members}};
    net::HttpRequest request{.method = "POST", .url = teams_url(m_account_id)};
    if (m_team_base) {
        request.method = "PATCH";
        request.url += "/" + platform::url_encode(m_team_base->team.id);
        request.headers = {{"If-Match", app::if_match(m_team_base->version)}};
    }
    request.body = reauth::json_body(body);
    m_team_busy = true;
    const bool created = !m_team_base;
    net::call_api(std::move(request), net::guard(m_life.weak(), [this, created](const net::ApiResponse& r) {
        m_team_busy = false;
        if (r.ok()) {
            m_team_open = false;
            ui::toast(created ? "Team created." : "Team saved.", false);
            load_teams();
            return;
        }
        if (r.status == 412) {
            m_team_error = "Someone else changed this team meanwhile. Close and open it again to see their changes.";
            load_teams();
            return;
        }
        m_team_error = r.error && r.error->field == "name" ? app::wire::sentence(r.error->message) : net::describe(r);
    }));
}

void UsersView::delete_team() {
    if (!m_team_base) return;
    m_team_busy = true;
    net::call_api({.method = "DELETE", .url = teams_url(m_account_id) + "/" + platform::url_encode(m_team_base->team.id),
                   .headers = {{"If-Match", app::if_match(m_team_base->version)}}},
                  net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                      m_team_busy = false;
                      if (!r.ok() && r.status != 404) {
                          m_team_error = net::describe(r);
                          return;
                      }
                      m_team_open = false;
                      ui::toast("Team deleted.", false);
                      load_teams();
                  }));
}

} // namespace stronghold::web::views

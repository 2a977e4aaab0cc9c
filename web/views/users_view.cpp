// [SECTION] Loading
// [SECTION] Page frame
// [SECTION] Users table
#include "views/users_view.hpp"

#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/card.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>

namespace stronghold::web::views {
namespace {

model::UnixMillis wall_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

ui::BadgeKind status_kind(app::UserStatus s) {
    switch (s) {
    case app::UserStatus::active: return ui::BadgeKind::good;
    case app::UserStatus::invited: return ui::BadgeKind::warning;
    case app::UserStatus::deactivated: return ui::BadgeKind::neutral;
    }
    return ui::BadgeKind::neutral;
}

// `text` cut to fit max_w with "..." (whole UTF-8 characters only).
std::string fit(ImFont* font, const std::string& text, float max_w) {
    auto width = [&](const std::string& t) { return font->CalcTextSizeA(font->FontSize, 1e9f, 0, t.c_str()).x; };
    if (width(text) <= max_w) return text;
    std::string out = text;
    while (!out.empty() && width(out + "...") > max_w) {
        out.pop_back();
        while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "...";
}

// Text in a table cell, vertically centred in the row and cut to the column; its mirror cell
// holds the whole text.
void cell_text(ImDrawList* dl, ImVec2 at, float width, float row_h, const std::string& text, ImVec4 color) {
    ImFont* font = fonts::body();
    const std::string shown = fit(font, text, width - theme::px(16));
    dl->AddText(font, font->FontSize, ImVec2(at.x, at.y + std::floor((row_h - font->FontSize) * 0.5f)), theme::color(color), shown.c_str());
    a11y::text_node("cell", "", text, at, ImVec2(at.x + width, at.y + row_h));
}

// Fixed columns so every row lines up (no ImGui table: rows hold buttons and badges drawn by
// hand, and the mirror wants one rect per cell). The actions take what their buttons need.
constexpr float k_actions_css = 330;
std::array<float, 5> column_widths(float inner) {
    const float rest = inner - theme::px(k_actions_css);
    return {std::floor(rest * 0.29f), std::floor(rest * 0.13f), std::floor(rest * 0.33f), std::floor(rest * 0.09f), std::floor(rest * 0.16f)};
}

// The width of a secondary button wide enough for every label it takes, so the action buttons of
// all rows line up.
float button_width(std::initializer_list<const char*> labels) {
    ImGui::PushFont(fonts::semibold());
    float w = 0;
    for (const char* l : labels) w = std::max(w, ImGui::CalcTextSize(l).x);
    ImGui::PopFont();
    return std::ceil(w + theme::px(20));
}

} // namespace

// [SECTION] Loading

void UsersView::open(const app::Me& me, std::string agency_id, std::string account_id) {
    m_me = &me;
    m_agency_id = std::move(agency_id);
    m_account_id = std::move(account_id);
    m_life.reset();
    m_invite_open = m_roles_open = m_status_open = m_sessions_open = m_team_open = false;
    m_invite_busy = m_team_busy = false;
    m_busy_user.clear();
    m_revoking.clear();
    load();
    load_teams();
}

void UsersView::close() { m_life.reset(); }

void UsersView::load() {
    m_phase = Phase::loading;
    // Roles first: the table names roles, and the pickers need them.
    net::call_api({.method = "GET", .url = app::agency_path(m_agency_id) + "/roles"}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        auto roles = r.ok() ? app::roles_from_json(r.body) : std::nullopt;
        if (!roles) {
            m_phase = Phase::failed;
            m_load_error = r.ok() ? "The server's answer was not understood." : net::describe(r);
            return;
        }
        m_roles = std::move(*roles);
        net::call_api({.method = "GET", .url = app::agency_path(m_agency_id) + "/users"}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
            auto users = r.ok() ? app::admin_users_from_json(r.body, m_agency_id) : std::nullopt;
            if (!users) {
                m_phase = Phase::failed;
                m_load_error = r.ok() ? "The server's answer was not understood." : net::describe(r);
                return;
            }
            m_users = std::move(*users);
            m_phase = Phase::ready;
        }));
    }));
}

bool UsersView::may_manage(const app::AdminUser& u) const {
    return m_me && access::authorize_user_admin(m_me->actor(), m_agency_id, u.memberships) == access::Decision::allow;
}

std::vector<std::string> UsersView::place_names() const {
    std::vector<std::string> out{"Whole agency"};
    if (m_me)
        for (const auto& a : m_me->accounts)
            if (a.agency_id.empty() || a.agency_id == m_agency_id) out.push_back(a.name);
    return out;
}

std::string UsersView::place_id(int index) const {
    if (!m_me || index <= 0) return {};
    int i = 0;
    for (const auto& a : m_me->accounts)
        if (a.agency_id.empty() || a.agency_id == m_agency_id)
            if (++i == index) return a.id;
    return {};
}

int UsersView::place_index(const std::string& account_id) const {
    if (account_id.empty() || !m_me) return 0;
    int i = 0;
    for (const auto& a : m_me->accounts)
        if (a.agency_id.empty() || a.agency_id == m_agency_id) {
            ++i;
            if (a.id == account_id) return i;
        }
    return -1;
}

// [SECTION] Page frame

void UsersView::draw() {
    ui::Page page;
    const float column = ui::page_begin(page, 1100);
    if (ui::page_header("Users", "Who can sign in to your agency, what they may do, and where they are signed in.") && on_back) on_back();
    ui::page_body(page, "users_page");
    bool retry = false;
    const ui::PageLoad state = m_phase == Phase::loading ? ui::PageLoad::loading : m_phase == Phase::failed ? ui::PageLoad::failed : ui::PageLoad::ready;
    if (!ui::page_loaded(state, "The users", m_load_error, column, retry)) {
        if (retry) load();
    } else {
        draw_users_card(column);
        draw_teams_card(column);
    }
    ui::page_end(page);
    draw_invite_dialog();
    draw_roles_dialog();
    draw_status_dialog();
    draw_sessions_dialog();
    draw_team_dialog();
}

// [SECTION] Users table

void UsersView::draw_users_card(float width) {
    const auto& p = theme::palette();
    ui::Card card;
    const std::string count = std::to_string(m_users.size()) + (m_users.size() == 1 ? " person" : " people");
    const ImVec2 title_at = ImGui::GetCursorScreenPos();
    const float inner = ui::card_begin(card, "People", "Everyone with access to the agency or one of its sub-accounts.", width);
    if (ui::card_title_button(title_at, width, "Invite user", (std::string(fonts::k_icon_plus) + "  Invite user").c_str(), true))
        open_invite();
    ImGui::Dummy(ImVec2(0, theme::px(2)));
    if (m_users.empty()) {
        ui::muted_text("No users yet. Invite the first one.");
        a11y::text_item("status", "No users", "No users yet");
        ui::card_end(card);
        return;
    }
    const float row_h = theme::px(58), header_h = theme::px(36);
    const ImVec2 table_min = ImGui::GetCursorScreenPos();
    const float pitch = row_h + ImGui::GetStyle().ItemSpacing.y; // each row ends with a Dummy
    a11y::push("table", "Users", table_min, ImVec2(table_min.x + inner, table_min.y + header_h + pitch * m_users.size()),
               {{"aria-rowcount", std::to_string(m_users.size() + 1)}});
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const auto col_w = column_widths(inner);
    const char* headers[5] = {"User", "Status", "Role", "2FA", "Last sign-in"};
    a11y::push("row", "Columns", table_min, ImVec2(table_min.x + inner, table_min.y + header_h));
    float x = table_min.x;
    for (int c = 0; c < 5; ++c) {
        ImFont* sb = fonts::semibold();
        dl->AddText(sb, sb->FontSize * 0.9f, ImVec2(x, table_min.y + std::floor((header_h - sb->FontSize) * 0.5f)), theme::color(p.text_muted),
                    headers[c]);
        a11y::node("columnheader", headers[c], ImVec2(x, table_min.y), ImVec2(x + col_w[c], table_min.y + header_h));
        x += col_w[c];
    }
    a11y::pop();
    dl->AddLine(ImVec2(table_min.x, table_min.y + header_h - 1), ImVec2(table_min.x + inner, table_min.y + header_h - 1), theme::color(p.border),
                theme::px(1));
    ImGui::Dummy(ImVec2(inner, header_h - std::floor(ImGui::GetStyle().ItemSpacing.y * 0.5f)));
    for (std::size_t i = 0; i < m_users.size(); ++i) draw_row(m_users[i], i, inner, row_h, table_min.x);
    a11y::pop();
    ui::muted_text(count);
    ui::card_end(card);
}

void UsersView::draw_row(const app::AdminUser& u, std::size_t index, float inner, float row_h, float table_x) {
    const auto& p = theme::palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImGui::SetCursorScreenPos(ImVec2(table_x, ImGui::GetCursorScreenPos().y));
    const ImVec2 row_min = ImGui::GetCursorScreenPos();
    const ImVec2 row_max(row_min.x + inner, row_min.y + row_h);
    const bool self = m_me && u.id == m_me->user_id;
    ImGui::PushID(u.id.c_str());
    a11y::push("row", app::display_name(u), row_min, row_max,
               {{"data-id", u.id}, {"data-status", std::string(app::to_string(u.status))}, {"aria-rowindex", std::to_string(index + 2)}});
    if (ImGui::IsMouseHoveringRect(row_min, row_max) && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId))
        dl->AddRectFilled(ImVec2(row_min.x - theme::px(8), row_min.y), ImVec2(row_max.x + theme::px(8), row_max.y), theme::color(p.row_hover),
                          theme::px(6));
    const auto col_w = column_widths(inner);
    const bool faded = u.status == app::UserStatus::deactivated;
    const ImVec4 text = faded ? p.text_muted : p.text;
    float x = row_min.x;

    // User: avatar, name (+ "You"), email under it.
    {
        const float r = theme::px(17);
        ui::avatar(dl, ImVec2(x + r, row_min.y + row_h * 0.5f), r, app::display_name(u));
        ImFont* sb = fonts::semibold();
        ImFont* body = fonts::body();
        const float tx = x + r * 2 + theme::px(12);
        const float y = row_min.y + std::floor((row_h - sb->FontSize * 2 - theme::px(2)) * 0.5f);
        const ImVec4 clip(x, row_min.y, x + col_w[0] - theme::px(8), row_max.y);
        const std::string name = u.name.empty() ? u.email : u.name;
        dl->AddText(sb, sb->FontSize, ImVec2(tx, y), theme::color(text), name.c_str(), nullptr, 0, &clip);
        if (self) {
            const float w = sb->CalcTextSizeA(sb->FontSize, 1e9f, 0, name.c_str()).x;
            ui::badge(dl, ImVec2(tx + w + theme::px(8), y + theme::px(1)), "You", ui::BadgeKind::accent);
        }
        dl->AddText(body, body->FontSize * 0.88f, ImVec2(tx, y + sb->FontSize + theme::px(2)), theme::color(p.text_muted), u.email.c_str(), nullptr,
                    0, &clip);
        a11y::text_node("cell", "", u.name.empty() ? u.email : u.name + ", " + u.email, ImVec2(x, row_min.y), ImVec2(x + col_w[0], row_max.y));
        x += col_w[0];
    }
    // Status badge.
    {
        const std::string label(app::status_label(u.status));
        const ImVec2 bs = ui::badge_size(label);
        ui::badge(dl, ImVec2(x, row_min.y + std::floor((row_h - bs.y) * 0.5f)), label, status_kind(u.status));
        a11y::text_node("cell", "", label, ImVec2(x, row_min.y), ImVec2(x + col_w[1], row_max.y));
        x += col_w[1];
    }
    cell_text(dl, ImVec2(x, row_min.y), col_w[2], row_h, app::memberships_label(u, m_roles, m_me ? m_me->accounts : std::vector<app::AccountRef>{}),
              text);
    x += col_w[2];
    {   // 2FA: a tick in green, or a quiet "Off".
        const std::string label = u.totp_enabled ? std::string(fonts::k_icon_check) + "  On" : std::string("Off");
        ImFont* f = u.totp_enabled ? fonts::semibold() : fonts::body();
        const ImVec4 c = u.totp_enabled ? ImVec4(0.09f, 0.5f, 0.25f, 1) : p.text_muted;
        dl->AddText(fonts::body(), fonts::body()->FontSize, ImVec2(x, row_min.y + std::floor((row_h - f->FontSize) * 0.5f)), theme::color(c),
                    label.c_str());
        a11y::text_node("cell", "", u.totp_enabled ? "On" : "Off", ImVec2(x, row_min.y), ImVec2(x + col_w[3], row_max.y));
        x += col_w[3];
    }
    const std::string last = u.status == app::UserStatus::invited ? std::string("Invitation sent")
                             : u.last_login_at ? app::relative_time(wall_now(), u.last_login_at)
                                               : std::string("Never");
    cell_text(dl, ImVec2(x, row_min.y), col_w[4], row_h, last, p.text_muted);
    x += col_w[4];

    // Actions, right-aligned. Disabled where the core says no (an owner, for a non-owner).
    const bool allowed = may_manage(u);
    const bool busy = m_busy_user == u.id;
    const float bh = ImGui::GetFrameHeight();
    const float w1 = button_width({"Change role"}), w2 = button_width({"Resend invite", "Sessions"}), w3 = button_width({"Deactivate", "Reactivate"});
    const float gap = theme::px(6);
    ImGui::SetCursorScreenPos(ImVec2(row_max.x - w1 - w2 - w3 - gap * 2, row_min.y + std::floor((row_h - bh) * 0.5f)));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(theme::px(10), ImGui::GetStyle().FramePadding.y));
    if (ui::button("Change role", "Change role", ui::ButtonKind::secondary, ImVec2(w1, 0), !allowed || busy)) open_roles_dialog(u);
    ImGui::SameLine(0, gap);
    if (u.status == app::UserStatus::invited) {
        if (ui::button("Resend invite", busy ? "Sending..." : "Resend invite", ui::ButtonKind::secondary, ImVec2(w2, 0), !allowed || busy))
            resend_invite(u);
    } else {
        if (ui::button("Sessions", "Sessions", ui::ButtonKind::secondary, ImVec2(w2, 0), !allowed)) open_sessions(u);
    }
    ImGui::SameLine(0, gap);
    const bool active = u.status != app::UserStatus::deactivated;
    if (ui::button(active ? "Deactivate" : "Reactivate", active ? "Deactivate" : "Reactivate",
                   active ? ui::ButtonKind::ghost : ui::ButtonKind::secondary, ImVec2(w3, 0), !allowed || busy || self)) {
        m_status_user = u.id;
        m_status_to_active = !active;
        m_status_open = true;
    }
    ImGui::PopStyleVar();
    if (!allowed && ImGui::IsMouseHoveringRect(ImVec2(x, row_min.y), row_max))
        ImGui::SetTooltip("Only an agency owner can manage an owner.");
    else if (self && active && ImGui::IsMouseHoveringRect(ImVec2(x, row_min.y), row_max))
        ImGui::SetTooltip("You cannot deactivate yourself.");

    a11y::pop();
    ImGui::PopID();
    if (index + 1 < m_users.size())
        {   // halfway between this row and the next (each row ends with a Dummy and its spacing)
            const float y = row_max.y + std::floor(ImGui::GetStyle().ItemSpacing.y * 0.5f);
            dl->AddLine(ImVec2(row_min.x, y), ImVec2(row_max.x, y), theme::color(p.border), theme::px(1));
        }
    ImGui::SetCursorScreenPos(ImVec2(row_min.x, row_max.y));
    ImGui::Dummy(ImVec2(inner, 0));
}

} // namespace stronghold::web::views

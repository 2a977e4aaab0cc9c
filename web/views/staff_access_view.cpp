#include "views/staff_access_view.hpp"

#include "app/admin.hpp"
#include "net/api.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/empty_state.hpp"
#include "views/reauth_dialog.hpp"
#include "views/trust_table.hpp"

#include <imgui.h>

#include <algorithm>

namespace stronghold::web::views {
namespace {
enum Column { col_status, col_staff, col_account, col_reason, col_access, col_requested, col_actions, col_count };

ui::BadgeKind status_kind(app::GrantStatus s) {
    switch (s) {
    case app::GrantStatus::pending: return ui::BadgeKind::warning;
    case app::GrantStatus::active: return ui::BadgeKind::accent;
    case app::GrantStatus::denied:
    case app::GrantStatus::revoked: return ui::BadgeKind::neutral;
    case app::GrantStatus::expired: return ui::BadgeKind::neutral;
    }
    return ui::BadgeKind::neutral;
}

std::string access_line(const app::StaffGrant& g) {
    std::string out = std::to_string(g.hours) + (g.hours == 1 ? " hour" : " hours");
    // "until 2026-11-27 02:17 UTC": minutes are enough here.
    if (g.status == app::GrantStatus::active && g.expires_at.size() >= 16) out += ", until " + g.expires_at.substr(0, 10) + " " + g.expires_at.substr(11, 5) + " UTC";
    return out;
}
} // namespace

void StaffAccessView::open(std::string agency_id) {
    m_agency_id = std::move(agency_id);
    m_life.reset();
    m_busy.clear();
    m_grants.clear();
    m_loaded = false;
    load();
}

void StaffAccessView::close() { m_life.reset(); }

void StaffAccessView::load() {
    m_loading = true;
    m_error.clear();
    net::call_api({.method = "GET", .url = app::agency_path(m_agency_id) + "/grants"}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_loading = false;
        auto grants = r.ok() ? app::staff_grants_from_json(r.body) : std::nullopt;
        if (!grants) {
            m_error = r.ok() ? "The server's answer was not understood." : net::describe(r);
            return;
        }
        m_grants = std::move(*grants);
        m_loaded = true;
    }));
}

void StaffAccessView::act(const app::StaffGrant& grant, const char* verb) {
    const std::string id = grant.id, who = grant.staff_email.empty() ? grant.staff_id : grant.staff_email, action = verb;
    m_busy.insert(id);
    reauth::send({.method = "POST", .url = app::agency_path(m_agency_id) + "/grants/" + platform::url_encode(id) + "/" + action},
                 net::guard(m_life.weak(), [this, id, who, action](const net::ApiResponse& r) {
                     m_busy.erase(id);
                     if (reauth::was_cancelled(r)) return;
                     if (r.ok()) {
                         const char* done = action == "approve" ? "Approved" : action == "deny" ? "Denied" : "Revoked";
                         ui::toast(std::string(done) + " staff access for " + who + ".", false);
                     } else if (r.status == 409) {
                         ui::toast("That request changed in the meantime; the list is reloaded.");
                     } else {
                         ui::toast("Could not " + action + " the request: " + net::describe(r));
                     }
                     load();
                 }));
}

void StaffAccessView::draw_actions(const app::StaffGrant& g, ImVec2 cell, float width, float row_h) {
    const bool busy = m_busy.count(g.id) > 0;
    const float bw = theme::px(84), gap = theme::px(6);
    const int n = (app::can_approve(g) ? 1 : 0) + (app::can_deny(g) ? 1 : 0) + (app::can_revoke(g) && !app::can_deny(g) ? 1 : 0);
    float x = cell.x + std::max(0.0f, width - n * bw - (n - 1) * gap);
    const float y = cell.y + (row_h - ImGui::GetFrameHeight()) * 0.5f;
    const std::string who = g.staff_email.empty() ? g.staff_id : g.staff_email;
    auto place = [&]() { ImGui::SetCursorScreenPos(ImVec2(x, y)); x += bw + gap; };
    if (app::can_approve(g)) {
        place();
        if (ui::button("Approve " + who, "Approve", ui::ButtonKind::primary, ImVec2(bw, 0), busy)) act(g, "approve");
    }
    if (app::can_deny(g)) {
        place();
        if (ui::button("Deny " + who, "Deny", ui::ButtonKind::secondary, ImVec2(bw, 0), busy)) act(g, "deny");
    } else if (app::can_revoke(g)) { // an active grant; a pending one is simply denied
        place();
        if (ui::button("Revoke " + who, "Revoke", ui::ButtonKind::danger, ImVec2(bw, 0), busy)) act(g, "revoke");
    }
}

void StaffAccessView::draw() {
    trust::screen_header("Staff access", "Platform support staff can reach one sub-account for at most 24 hours, with a reason. Everything they do is audited.");
    const float height = ImGui::GetContentRegionAvail().y - theme::px(8);
    trust::card_begin("grants_card", height);
    if (m_loaded && m_grants.empty()) {
        draw_empty_state(fonts::k_icon_key, "No staff access requests", "When platform staff ask to reach one of your sub-accounts, the request appears here.",
                         "No staff access requests", height);
    } else if (!m_loaded && !m_error.empty()) {
        draw_empty_state(fonts::k_icon_warning, "Staff access could not be loaded", m_error, "Staff access failed", height);
    } else {
        static const std::vector<trust::Column> columns = {{"Status", 0.7f}, {"Staff member", 2.2f}, {"Sub-account", 1.2f}, {"Reason", 2.1f},
                                                           {"Access", 2.0f}, {"Requested", 1.4f}, {"", -190.0f}};
        trust::Table t;
        if (trust::table_begin(t, "grants", "Staff access", columns, height, theme::px(52), m_grants.size())) {
            if (!m_loaded) ui::spinner(ImVec2((t.min.x + t.max.x) * 0.5f, t.min.y + t.header_h + theme::px(60)), theme::px(12));
            ImGuiListClipper clipper;
            clipper.Begin(static_cast<int>(m_grants.size()), t.row_h);
            while (clipper.Step())
                for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                    const app::StaffGrant g = m_grants[static_cast<std::size_t>(i)]; // a copy: act() may reload the list
                    ImGui::PushID(i);
                    const std::string who = g.staff_email.empty() ? g.staff_id : g.staff_email;
                    const auto r = trust::row_begin(t, who, {{"data-id", g.id}, {"data-status", std::string(app::grant_status_label(g.status))}});
                    trust::cell_badge(t, r, col_status, std::string(app::grant_status_label(g.status)), status_kind(g.status));
                    trust::cell_text(t, r, col_staff, who + (g.staff_role.empty() ? "" : "  \xC2\xB7  " + g.staff_role), false, false);
                    trust::cell_text(t, r, col_account, g.account_name.empty() ? g.account_id : g.account_name, true);
                    trust::cell_text(t, r, col_reason, g.reason);
                    trust::cell_text(t, r, col_access, access_line(g));
                    trust::cell_text(t, r, col_requested, app::short_time(g.requested_at));
                    float cw = 0;
                    const ImVec2 cell = trust::cell_origin(r, col_actions, cw);
                    draw_actions(g, cell, cw, t.row_h);
                    trust::row_end(r);
                    ImGui::PopID();
                }
            trust::table_end();
        }
    }
    trust::card_end();
}

} // namespace stronghold::web::views

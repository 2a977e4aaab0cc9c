// [SECTION] Loading and requesting
// [SECTION] Drawing
#include "views/operator_view.hpp"

#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/card.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/trust_table.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace stronghold::web::views {
namespace {
using Field = app::GrantRequestForm::Field;

ui::BadgeKind status_badge(app::GrantStatus s) {
    return s == app::GrantStatus::active ? ui::BadgeKind::good : s == app::GrantStatus::pending ? ui::BadgeKind::warning : ui::BadgeKind::neutral;
}
} // namespace

// [SECTION] Loading and requesting

void OperatorView::open(std::string staff_role) {
    m_role = std::move(staff_role);
    m_life.reset();
    m_form.clear();
    m_busy = false;
    load();
}

void OperatorView::close() { m_life.reset(); }

void OperatorView::load() {
    net::call_api({.method = "GET", .url = "/api/v1/staff/overview"}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_figures = r.ok() ? app::staff_overview_from_json(r.body) : std::nullopt;
        if (!m_figures) ui::toast("Could not load the platform figures: " + (r.ok() ? std::string("the answer was not understood") : net::describe(r)));
    }));
    net::call_api({.method = "GET", .url = "/api/v1/staff/grants"}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        if (auto grants = r.ok() ? app::staff_grants_from_json(r.body) : std::nullopt) m_grants = std::move(*grants);
    }));
    net::call_api({.method = "GET", .url = "/api/v1/staff/security-events?limit=100"}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_events_allowed = r.status != 403;
        if (auto page = r.ok() ? app::security_events_from_json(r.body) : std::nullopt) m_events = std::move(page->items);
    }));
}

void OperatorView::request() {
    auto body = m_form.validate();
    if (!body) return;
    m_busy = true;
    net::call_api({.method = "POST", .url = "/api/v1/staff/grants", .body = body->dump()}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_busy = false;
        if (r.ok()) {
            auto grant = app::staff_grant_from_json(r.body);
            const bool active = grant && grant->status == app::GrantStatus::active;
            ui::toast(active ? "Access granted: it is active now and the agency can see it." : "Request sent: the agency must approve it.", false);
            m_form.clear();
            load();
            return;
        }
        if (r.status == 404) m_form.apply_server_error("account_id", "No sub-account has that id");
        else if (r.error) m_form.apply_server_error(r.error->field, r.error->message);
        else ui::toast("Could not request access: " + net::describe(r));
    }));
}

// [SECTION] Drawing

void OperatorView::draw_figures(float width) {
    const auto& p = theme::palette();
    const int n = 7;
    const float gap = theme::px(12), h = theme::px(78);
    const float w = std::floor((width - gap * (n - 1)) / n);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int i = 0; i < n; ++i) {
        const ImVec2 min(origin.x + i * (w + gap), origin.y), max(min.x + w, min.y + h);
        dl->AddRectFilled(min, max, theme::color(p.surface), theme::px(10));
        dl->AddRect(min, max, theme::color(p.border), theme::px(10), 0, theme::px(1));
        const std::string value = m_figures ? ui::with_thousands((*m_figures)[static_cast<std::size_t>(i)].value) : std::string("-");
        const std::string label = m_figures ? (*m_figures)[static_cast<std::size_t>(i)].label : std::string("Loading");
        ImFont* big = fonts::title();
        dl->AddText(big, big->FontSize, ImVec2(min.x + theme::px(14), min.y + theme::px(12)), theme::color(p.text), value.c_str());
        ImFont* small = fonts::body();
        dl->AddText(small, small->FontSize, ImVec2(min.x + theme::px(14), max.y - theme::px(12) - small->FontSize), theme::color(p.text_muted), label.c_str());
        a11y::text_node("status", label, value, min, max);
    }
    ImGui::Dummy(ImVec2(width, h + theme::px(14)));
}

void OperatorView::draw_request(float width) {
    ui::Card card;
    const float inner = ui::card_begin(card, "Request access", "One sub-account, for at most 24 hours. The agency sees your reason, may have to approve, and can revoke at any time. Exports, imports and deletions stay closed.", width);
    auto field = [&](Field f, const char* label, const char* hint) {
        const auto s = ui::text_field(label, app::GrantRequestForm::k_wire[f], m_form.text(f), m_form.error(f), inner, false, m_busy, hint);
        if (s.changed) m_form.on_edit(f);
        if (s.entered && !m_busy) request();
    };
    field(app::GrantRequestForm::account_id, "Sub-account id", "ac_...");
    field(app::GrantRequestForm::reason, "Reason", "Ticket number and what you will check");
    field(app::GrantRequestForm::hours, "Hours (1-24)", "1");
    ui::error_line(m_form.general_error(), "body");
    if (ui::button("Request access", m_busy ? "Sending..." : "Request access", ui::ButtonKind::primary, ImVec2(0, 0), m_busy)) request();
    ui::card_end(card);
}

void OperatorView::draw_grants(float height) {
    static const std::vector<trust::Column> columns = {{"Status", 0.8f}, {"Sub-account", 1.5f}, {"Reason", 2.2f}, {"Hours", 0.6f}, {"Expires", 1.4f}};
    trust::Table t;
    if (!trust::table_begin(t, "my_grants", "My grants", columns, height, theme::px(44), m_grants.size())) return;
    for (std::size_t i = 0; i < m_grants.size(); ++i) {
        const auto& g = m_grants[i];
        ImGui::PushID(static_cast<int>(i));
        const auto r = trust::row_begin(t, g.account_name.empty() ? g.account_id : g.account_name, {{"data-id", g.id}, {"data-status", std::string(app::grant_status_label(g.status))}});
        trust::cell_badge(t, r, 0, std::string(app::grant_status_label(g.status)), status_badge(g.status));
        trust::cell_text(t, r, 1, g.account_name.empty() ? g.account_id : g.account_name, true);
        trust::cell_text(t, r, 2, g.reason);
        trust::cell_text(t, r, 3, std::to_string(g.hours));
        trust::cell_text(t, r, 4, app::short_time(g.expires_at));
        trust::row_end(r);
        ImGui::PopID();
    }
    trust::table_end();
}

void OperatorView::draw_events(float height) {
    if (!m_events_allowed) {
        ui::muted_text("Platform security events are shown to security staff and platform admins.");
        return;
    }
    static const std::vector<trust::Column> columns = {{"Severity", 0.8f}, {"Type", 1.4f}, {"Agency", 1.3f}, {"Time", 1.3f}, {"Source", 1.5f}};
    trust::Table t;
    if (!trust::table_begin(t, "platform_events", "Platform security events", columns, height, theme::px(44), m_events.size())) return;
    for (std::size_t i = 0; i < m_events.size(); ++i) {
        const auto& e = m_events[i];
        ImGui::PushID(static_cast<int>(i));
        const auto r = trust::row_begin(t, app::kind_label(e.kind), {{"data-id", e.id}});
        const auto sev = e.severity == app::Severity::low ? ui::BadgeKind::neutral : e.severity == app::Severity::medium ? ui::BadgeKind::warning : ui::BadgeKind::danger;
        trust::cell_badge(t, r, 0, std::string(app::severity_label(e.severity)), sev);
        trust::cell_text(t, r, 1, app::kind_label(e.kind), true);
        trust::cell_text(t, r, 2, e.agency_id.empty() ? "platform" : e.agency_id);
        trust::cell_text(t, r, 3, app::short_time(e.at_iso));
        trust::cell_text(t, r, 4, e.source);
        trust::row_end(r);
        ImGui::PopID();
    }
    trust::table_end();
}

void OperatorView::draw() {
    trust::screen_header("Operator console", "Signed in as platform staff (" + m_role + "). Figures are aggregates; customer data opens only under a grant.");
    const float width = ImGui::GetContentRegionAvail().x;
    draw_figures(width);
    const float left = std::min(theme::px(380), width * 0.34f), gap = theme::px(20);
    const ImVec2 top = ImGui::GetCursorPos();
    ImGui::BeginGroup();
    draw_request(left);
    ImGui::EndGroup();
    ImGui::SetCursorPos(ImVec2(top.x + left + gap, top.y));
    const float avail = ImGui::GetContentRegionAvail().y - theme::px(8);
    const float half = std::floor((avail - theme::px(70)) * 0.5f);
    ImGui::BeginGroup();
    ui::heading("My grants", false);
    trust::card_begin("my_grants_card", half);
    draw_grants(half);
    trust::card_end();
    ui::heading("Platform security events", false);
    trust::card_begin("platform_events_card", half);
    draw_events(half);
    trust::card_end();
    ImGui::EndGroup();
}

} // namespace stronghold::web::views

#include "views/security_events_view.hpp"

#include "app/admin.hpp"
#include "net/api.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/empty_state.hpp"
#include "views/trust_table.hpp"

#include <imgui.h>

namespace stronghold::web::views {
namespace {
enum Column { col_severity, col_kind, col_time, col_source, col_details, col_count };

ui::BadgeKind severity_kind(app::Severity s) {
    switch (s) {
    case app::Severity::low: return ui::BadgeKind::neutral;
    case app::Severity::medium: return ui::BadgeKind::warning;
    case app::Severity::high:
    case app::Severity::critical: return ui::BadgeKind::danger;
    }
    return ui::BadgeKind::neutral;
}
} // namespace

void SecurityEventsView::open(std::string agency_id) {
    m_agency_id = std::move(agency_id);
    m_life.reset();
    load(false);
}

void SecurityEventsView::close() { m_life.reset(); }

void SecurityEventsView::load(bool more) {
    if (!more) {
        m_items.clear();
        m_next.reset();
        m_loaded = false;
    }
    m_loading = true;
    m_error.clear();
    std::string url = app::agency_path(m_agency_id) + "/security-events?limit=100";
    if (more && m_next) url += "&cursor=" + platform::url_encode(*m_next);
    net::call_api({.method = "GET", .url = url}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_loading = false;
        auto page = r.ok() ? app::security_events_from_json(r.body) : std::nullopt;
        if (!page) {
            m_error = r.ok() ? "The server's answer was not understood." : net::describe(r);
            ui::toast("Could not load the security events: " + m_error);
            return;
        }
        m_loaded = true;
        m_items.insert(m_items.end(), page->items.begin(), page->items.end());
        m_next = page->next_cursor;
    }));
}

void SecurityEventsView::draw() {
    trust::screen_header("Security events", "Attempts on your agency's data and the automatic responses to them. Each is also in the audit log.");
    const float height = ImGui::GetContentRegionAvail().y - theme::px(8);
    trust::card_begin("events_card", height);
    if (m_loaded && m_items.empty()) {
        draw_empty_state(fonts::k_icon_shield, "No security events", "Nothing suspicious has happened in your agency.", "No security events", height);
    } else if (!m_loaded && !m_error.empty()) {
        draw_empty_state(fonts::k_icon_warning, "The security events could not be loaded", m_error, "Security events failed", height);
    } else {
        static const std::vector<trust::Column> columns = {{"Severity", 0.8f}, {"Type", 1.4f}, {"Time", 1.3f}, {"Source", 1.6f}, {"Details", 3.0f}};
        trust::Table t;
        const float footer = m_next ? theme::px(56) : 0;
        if (trust::table_begin(t, "events", "Security events", columns, height - footer, theme::px(44), m_items.size())) {
            if (!m_loaded) ui::spinner(ImVec2((t.min.x + t.max.x) * 0.5f, t.min.y + t.header_h + theme::px(60)), theme::px(12));
            ImGuiListClipper clipper;
            clipper.Begin(static_cast<int>(m_items.size()), t.row_h);
            while (clipper.Step())
                for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                    const app::SecurityEvent& e = m_items[static_cast<std::size_t>(i)];
                    ImGui::PushID(i);
                    const auto r = trust::row_begin(t, app::kind_label(e.kind), {{"data-id", e.id}, {"data-severity", std::string(app::severity_label(e.severity))}});
                    trust::cell_badge(t, r, col_severity, std::string(app::severity_label(e.severity)), severity_kind(e.severity));
                    trust::cell_text(t, r, col_kind, app::kind_label(e.kind), true);
                    trust::cell_text(t, r, col_time, app::short_time(e.at_iso));
                    // "user:us_x (203.0.113.7)"; an IP source already names its address.
                    const bool ip_in_source = !e.ip.empty() && e.source.find(e.ip) != std::string::npos;
                    trust::cell_text(t, r, col_source, e.source + (e.ip.empty() || ip_in_source ? "" : "  (" + e.ip + ")"), false, false);
                    trust::cell_text(t, r, col_details, app::details_line(e.details));
                    trust::row_end(r);
                    ImGui::PopID();
                }
            trust::table_end();
        }
        if (m_next && trust::load_more(m_loading)) load(true);
    }
    trust::card_end();
}

} // namespace stronghold::web::views

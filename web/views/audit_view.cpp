// [SECTION] Loading
// [SECTION] Drawing
#include "views/audit_view.hpp"

#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "app/members.hpp"
#include "views/empty_state.hpp"
#include "views/reauth_dialog.hpp"
#include "views/trust_table.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace stronghold::web::views {
namespace {
enum Column { col_time, col_actor, col_action, col_target, col_outcome, col_ip, col_count };
constexpr std::size_t k_page = 100;

ui::BadgeKind outcome_kind(const std::string& outcome) {
    if (outcome == "success") return ui::BadgeKind::good;
    if (outcome == "denied") return ui::BadgeKind::danger;
    return ui::BadgeKind::warning;
}
} // namespace

// [SECTION] Loading

void AuditView::open(Scope scope, std::string me_id) {
    m_scope = std::move(scope);
    m_me_id = std::move(me_id);
    m_filters = {};
    m_filter_error.reset();
    m_query.clear();
    m_exporting = false;
    load(false);
}

void AuditView::close() { m_life.reset(); }

// People by name where the current sub-account's member directory knows them (ids stay in the
// row's tooltip); API keys, staff and the CLI by their label.
std::string AuditView::actor_text(const app::AuditRow& row) const {
    const auto& e = row.entry;
    if (e.actor_type != "user" || !e.grant_id.empty()) return app::actor_label(row);
    if (!m_me_id.empty() && e.actor_id == m_me_id) return "You";
    if (const app::Member* m = app::member_directory().find(e.actor_id)) return m->name;
    return app::actor_label(row);
}

void AuditView::load(bool more) {
    if (!more) {
        ++m_generation; // a page of the previous filters that is still on the way is dropped
        m_rows.clear();
        m_next.reset();
        m_verdict = {};
        m_loaded = false;
    }
    m_loading = true;
    m_error.clear();
    std::string url = m_scope.url + "?limit=" + std::to_string(k_page);
    if (!m_query.empty()) url += "&" + m_query;
    if (more && m_next) url += "&cursor=" + platform::url_encode(*m_next);
    net::call_api({.method = "GET", .url = url}, net::guard(m_life.weak(), [this, generation = m_generation](const net::ApiResponse& r) {
        if (generation != m_generation) return;
        m_loading = false;
        auto page = r.ok() ? app::audit_page_from_json(r.body) : std::nullopt;
        if (!page) {
            m_error = r.ok() ? "The server's answer lacks a field the chain needs, so it cannot be verified." : net::describe(r);
            return;
        }
        m_loaded = true;
        m_rows.insert(m_rows.end(), std::make_move_iterator(page->rows.begin()), std::make_move_iterator(page->rows.end()));
        m_next = page->next_cursor;
        m_verdict = app::verify_rows(m_rows); // every row shown so far, across pages
    }));
}

void AuditView::export_as(const char* format) {
    m_exporting = true;
    std::string url = m_scope.url + "?format=" + format;
    if (!m_query.empty()) url += "&" + m_query;
    const std::string file = std::string("audit-log.") + format;
    platform::download(url, file, net::guard(m_life.weak(), [this, format, file](int status, const std::string& body) {
        if (status >= 200 && status < 300) {
            m_exporting = false;
            ui::toast("Export downloaded: " + file + " (the export is recorded in the audit log)", false);
            return;
        }
        const net::ApiResponse r = net::to_api_response(status, body);
        if (reauth::intercept(r, [this, format] { export_as(format); }, [this] { m_exporting = false; })) return;
        m_exporting = false;
        ui::toast("Could not export the audit log: " + net::describe(r));
    }));
}

// [SECTION] Drawing

void AuditView::draw_filters(float width) {
    struct F { const char* label; const char* wire; std::string* value; const char* hint; };
    F fields[] = {{"Actor", "actor", &m_filters.actor, "us_..."},
                  {"Action", "action", &m_filters.action, "contact. or auth.login"},
                  {"Target", "target", &m_filters.target, "ct_..."},
                  {"Since", "since", &m_filters.since, "2026-11-01"},
                  {"Until", "until", &m_filters.until, "2026-11-30T18:00:00Z"}};
    const float gap = theme::px(12);
    const float buttons = theme::px(190);
    const float w = std::floor((width - buttons - gap * 5) / 5);
    const ImVec2 row = ImGui::GetCursorPos();
    bool apply = false;
    float bottom = row.y;
    for (int i = 0; i < 5; ++i) {
        ImGui::SetCursorPos(ImVec2(row.x + i * (w + gap), row.y));
        ImGui::BeginGroup();
        const std::string error = m_filter_error && m_filter_error->field == fields[i].wire ? m_filter_error->message : std::string();
        const auto s = ui::text_field(fields[i].label, fields[i].wire, *fields[i].value, error, w, false, false, fields[i].hint);
        if (s.changed && m_filter_error && m_filter_error->field == fields[i].wire) m_filter_error.reset();
        apply |= s.entered;
        ImGui::EndGroup();
        bottom = std::max(bottom, ImGui::GetCursorPosY());
    }
    // Buttons level with the inputs (below the labels).
    const float label_h = ImGui::GetTextLineHeightWithSpacing();
    ImGui::SetCursorPos(ImVec2(row.x + 5 * (w + gap), row.y + label_h));
    const std::string filter_label = std::string(fonts::k_icon_filter) + "  Apply";
    apply |= ui::button("Apply filters", filter_label.c_str(), ui::ButtonKind::primary, ImVec2(theme::px(100), 0), m_loading);
    ImGui::SameLine(0, theme::px(8));
    if (ui::button("Clear filters", "Clear", ui::ButtonKind::ghost, ImVec2(theme::px(80), 0), m_loading)) {
        m_filters = {};
        apply = true;
    }
    ImGui::SetCursorPos(ImVec2(row.x, bottom));
    if (apply) {
        std::optional<app::FilterError> error;
        const std::string query = app::audit_query(m_filters, &platform::url_encode, error);
        m_filter_error = error;
        if (!error) {
            m_query = query;
            load(false);
        }
    }
}

void AuditView::draw_status(float width) {
    const ImVec2 start = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetFrameHeight();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    std::string text;
    ui::BadgeKind kind = ui::BadgeKind::neutral;
    if (m_loading && m_rows.empty()) text = "Loading entries...";
    else if (!m_error.empty()) { text = std::string(fonts::k_icon_warning) + "  " + m_error; kind = ui::BadgeKind::warning; }
    else if (m_rows.empty()) text = "No entries to verify";
    else if (m_verdict.ok()) { text = std::string(fonts::k_icon_check) + "  " + app::verdict_text(m_verdict); kind = ui::BadgeKind::good; }
    else { text = std::string(fonts::k_icon_warning) + "  " + app::verdict_text(m_verdict); kind = ui::BadgeKind::danger; }
    const ImVec2 bs = ui::badge_size(text);
    ui::badge(dl, ImVec2(start.x, std::floor(start.y + (h - bs.y) * 0.5f)), text, kind);
    // The mirror's name tells tests and screen readers the verdict in words.
    const bool broken = !m_verdict.ok();
    a11y::text_node(broken ? "alert" : "status", "Chain verification", app::verdict_text(m_verdict), start, ImVec2(start.x + bs.x, start.y + h),
                    {{"data-ok", broken ? "false" : "true"}, {"data-entries", std::to_string(m_verdict.entries)}});
    if (ImGui::IsMouseHoveringRect(start, ImVec2(start.x + bs.x, start.y + h)))
        ImGui::SetTooltip("Each entry's hash is recomputed here, in your browser, from the fields shown (BLAKE2b over the\n"
                          "previous entry's hash and the entry's canonical form), and consecutive entries must link.");
    // Export on the right.
    const float bw = theme::px(124);
    ImGui::SetCursorScreenPos(ImVec2(start.x + width - bw * 2 - theme::px(8), start.y));
    if (ui::button("Export CSV", m_exporting ? "Exporting..." : "Export CSV", ui::ButtonKind::secondary, ImVec2(bw, 0), m_exporting)) export_as("csv");
    ImGui::SameLine(0, theme::px(8));
    if (ui::button("Export JSON", m_exporting ? "Exporting..." : "Export JSON", ui::ButtonKind::secondary, ImVec2(bw, 0), m_exporting)) export_as("json");
    ImGui::SetCursorScreenPos(ImVec2(start.x, start.y + h + theme::px(10)));
}

void AuditView::draw_table(float height) {
    trust::card_begin("audit_card", height);
    if (m_loaded && m_rows.empty()) {
        draw_empty_state(fonts::k_icon_history, "No audit entries match", "Change or clear the filters to see more.", "No audit entries", height);
    } else {
        static const std::vector<trust::Column> columns = {{"Time", 1.3f}, {"Actor", 1.6f}, {"Action", 1.3f},
                                                           {"Target", 1.6f}, {"Outcome", 0.8f}, {"IP", 0.9f}};
        trust::Table t;
        const float footer = m_next ? theme::px(56) : 0;
        if (trust::table_begin(t, "audit", "Audit log", columns, height - footer, theme::px(44), m_rows.size())) {
            if (!m_loaded) ui::spinner(ImVec2((t.min.x + t.max.x) * 0.5f, t.min.y + t.header_h + theme::px(60)), theme::px(12));
            ImGuiListClipper clipper;
            clipper.Begin(static_cast<int>(m_rows.size()), t.row_h);
            while (clipper.Step())
                for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                    const app::AuditRow& row = m_rows[static_cast<std::size_t>(i)];
                    const bool broken = !m_verdict.ok() && m_verdict.index == static_cast<std::size_t>(i);
                    ImGui::PushID(i);
                    const auto r = trust::row_begin(t, row.entry.action, {{"data-seq", std::to_string(row.entry.seq)}, {"data-broken", broken ? "true" : "false"}},
                                                    broken);
                    trust::cell_text(t, r, col_time, app::short_time(row.at_iso));
                    trust::cell_text(t, r, col_actor, actor_text(row), false, false);
                    trust::cell_text(t, r, col_action, row.entry.action, true);
                    trust::cell_text(t, r, col_target, app::target_label(row));
                    trust::cell_badge(t, r, col_outcome, row.entry.outcome, outcome_kind(row.entry.outcome));
                    trust::cell_text(t, r, col_ip, row.entry.ip);
                    if (r.in_view && ImGui::IsMouseHoveringRect(ImVec2(t.min.x, r.y0), ImVec2(t.max.x, r.y1)) && !ImGui::IsAnyItemHovered()) {
                        const std::string tip = "Entry " + std::to_string(row.entry.seq) + ", chain position " + std::to_string(row.entry.n) +
                                                "\nActor: " + app::actor_label(row) + "\nTarget: " + app::target_label(row) +
                                                "\nDetails: " + (row.details_pruned ? std::string("removed by retention") : row.details.dump()) +
                                                "\nUser agent: " + row.entry.user_agent + "\nHash: " + row.entry.hash;
                        ImGui::SetTooltip("%s", tip.c_str());
                    }
                    trust::row_end(r);
                    ImGui::PopID();
                }
            trust::table_end();
        }
        if (m_next && trust::load_more(m_loading, std::to_string(m_rows.size()) + " entries shown")) load(true);
    }
    trust::card_end();
}

void AuditView::draw() {
    trust::screen_header("Audit log", "Every sign-in and change in " + m_scope.label + ". Entries are hash-chained; this page re-checks the chain of what it shows.");
    const float width = ImGui::GetContentRegionAvail().x;
    draw_filters(width);
    ImGui::Dummy(ImVec2(0, theme::px(2)));
    draw_status(width);
    draw_table(ImGui::GetContentRegionAvail().y - theme::px(8));
}

} // namespace stronghold::web::views

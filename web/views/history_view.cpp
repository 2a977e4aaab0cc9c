#include "views/history_view.hpp"

#include "app/members.hpp"
#include "app/record_form.hpp"
#include "net/records_api.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <stronghold/model/time.hpp>

#include <imgui.h>

#include <algorithm>
#include <chrono>

namespace stronghold::web::views {

std::string relative_time_iso(const std::string& iso) {
    const auto t = model::parse_iso8601(iso);
    if (!t || *t <= 0) return {};
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto s = (now - *t) / 1000;
    if (s < 60) return "just now";
    if (s < 3600) return std::to_string(s / 60) + " min ago";
    if (s < 86400) return std::to_string(s / 3600) + " h ago";
    if (s < 2 * 86400) return "yesterday";
    return iso.substr(0, 10);
}

void HistoryView::open(const std::string& account_id, const std::string& path, const std::string& id, std::int64_t current_version,
                       bool can_revert, const std::string& me) {
    if (id == m_id && account_id == m_account_id) { m_current = current_version; return; }
    close();
    m_account_id = account_id;
    m_path = path;
    m_id = id;
    m_me = me;
    m_current = current_version;
    m_can_revert = can_revert;
    reload();
}

void HistoryView::close() {
    m_life.reset();
    m_id.clear();
    m_items.clear();
    m_error.clear();
    m_loading = m_busy = m_dialog = false;
}

void HistoryView::reload() {
    if (m_id.empty()) return;
    m_loading = true;
    net::list_versions(m_account_id, m_path, m_id, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_loading = false;
        if (!r.ok() || !r.body.is_object() || !r.body.contains("items") || !r.body["items"].is_array()) {
            m_error = "History could not be loaded: " + net::describe(r);
            return;
        }
        m_error.clear();
        m_items.assign(r.body["items"].rbegin(), r.body["items"].rend());
    }));
}

void HistoryView::revert(std::int64_t n) {
    m_busy = true;
    net::revert_version(m_account_id, m_path, m_id, n, m_current, net::guard(m_life.weak(), [this, n](const net::ApiResponse& r) {
        m_busy = false;
        if (r.ok() && r.body.is_object()) {
            if (r.body.contains("version") && r.body["version"].is_number_integer()) m_current = r.body["version"].get<std::int64_t>();
            ui::toast("Reverted to version " + std::to_string(n) + ".", false);
            if (on_reverted) on_reverted(r.body);
            reload();
            return;
        }
        if (r.status == 412 && r.body.is_object() && r.body.contains("current")) {
            const auto& cur = r.body["current"];
            if (cur.is_object() && cur.contains("version") && cur["version"].is_number_integer())
                m_current = cur["version"].get<std::int64_t>();
            if (on_reverted) on_reverted(cur);
            ui::toast("Someone changed this record a moment ago. The history is up to date now: choose again.");
            reload();
            return;
        }
        ui::toast(net::describe(r));
    }));
}

void HistoryView::draw_inline(float width) {
    const auto& p = theme::palette();
    if (m_loading && m_items.empty()) {
        ui::muted_text("Loading history...");
        a11y::text_item("status", "History", "Loading...");
        return;
    }
    if (!m_error.empty()) {
        ui::error_line(m_error, "", width);
        return;
    }
    const ImVec2 lmin = ImGui::GetCursorScreenPos();
    a11y::push("list", "Versions", lmin, ImVec2(lmin.x + width, lmin.y + theme::px(64) * static_cast<float>(m_items.size())));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        const auto& v = m_items[i];
        const std::int64_t n = v.value("version", std::int64_t{0});
        const bool deleted = v.value("deleted", false);
        const std::string actor = v.value("actor_id", "");
        const std::string who = actor.empty() ? "System" : app::member_directory().find(actor) || actor == m_me
                                                               ? app::member_directory().display(actor, m_me) : "A teammate";
        std::string fields;
        if (v.contains("fields") && v["fields"].is_array())
            for (const auto& f : v["fields"])
                if (f.is_string()) fields += (fields.empty() ? "" : ", ") + app::field_label(f.get<std::string>());
        const std::string title = "Version " + std::to_string(n) + (i == 0 ? "  (current)" : "");
        const std::string what = deleted ? "Moved to the trash" : n == 1 ? "Created" : fields.empty() ? "No field changes" : "Changed " + fields;
        const std::string meta = who + " \xc2\xb7 " + relative_time_iso(v.value("at", ""));
        ImGui::PushID(static_cast<int>(n));
        const ImVec2 imin = ImGui::GetCursorScreenPos();
        // A timeline dot and line on the left.
        const float cx = imin.x + theme::px(6);
        dl->AddCircleFilled(ImVec2(cx, imin.y + theme::px(9)), theme::px(4), theme::color(i == 0 ? p.accent : p.border));
        if (i + 1 < m_items.size())
            dl->AddLine(ImVec2(cx, imin.y + theme::px(16)), ImVec2(cx, imin.y + theme::px(58)), theme::color(p.border), theme::px(1));
        ImGui::Indent(theme::px(20));
        ImGui::PushFont(fonts::semibold());
        ImGui::TextUnformatted(title.c_str());
        ImGui::PopFont();
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - theme::px(150));
        ImGui::TextUnformatted(what.c_str());
        ImGui::PopTextWrapPos();
        ui::muted_text(meta);
        const float bottom = ImGui::GetItemRectMax().y;
        if (i > 0 && !deleted && m_can_revert) {
            const std::string name = "Revert to version " + std::to_string(n);
            ImGui::SetCursorScreenPos(ImVec2(imin.x + width - theme::px(96), imin.y + theme::px(2)));
            if (ui::button(name, "Revert", ui::ButtonKind::secondary, ImVec2(theme::px(86), 0), m_busy)) revert(n);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Save a new version with these values");
            ImGui::SetCursorScreenPos(ImVec2(imin.x + theme::px(20), bottom + ImGui::GetStyle().ItemSpacing.y));
        }
        ImGui::Unindent(theme::px(20));
        ImGui::Dummy(ImVec2(0, theme::px(4)));
        a11y::text_node("listitem", "Version " + std::to_string(n), title + ". " + what + ". " + meta, imin,
                        ImVec2(imin.x + width - theme::px(100), bottom));
        ImGui::PopID();
    }
    a11y::pop();
}

void HistoryView::draw_dialog() {
    if (!ui::begin_dialog("History", m_dialog, 560)) return;
    ui::heading("History");
    ui::muted_text("Every saved change, newest first. Reverting saves a new version; nothing is erased.");
    ImGui::Separator();
    ImGui::BeginChild("history_scroll", ImVec2(0, std::min(theme::px(420), ImGui::GetMainViewport()->Size.y * 0.6f)), false);
    draw_inline(ImGui::GetContentRegionAvail().x - theme::px(8));
    ImGui::EndChild();
    ImGui::Dummy(ImVec2(0, theme::px(4)));
    const float bw = theme::px(100);
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw);
    if (ui::button("Close", "Close##history", ui::ButtonKind::secondary, ImVec2(bw, 0))) m_dialog = false;
    ui::end_dialog();
}

} // namespace stronghold::web::views

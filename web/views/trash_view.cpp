#include "views/trash_view.hpp"

#include "net/records_api.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/empty_state.hpp"
#include "views/history_view.hpp"
#include "views/member_picker.hpp"
#include "views/record_common.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace stronghold::web::views {
namespace {
using nlohmann::json;
enum Column { col_kind, col_title, col_by, col_at, col_purge, col_action, col_count };
constexpr const char* k_columns[col_count] = {"Kind", "Name", "Deleted by", "Deleted", "Removed for good", ""};
} // namespace

TrashView::TrashView() : m_list([this](const app::RecordPageRequest& page) { fetch_page(page); }) {}

void TrashView::open(const app::Me& me, const std::string& account_id) {
    m_me = &me;
    m_life.reset();
    m_busy.clear();
    m_account_id = account_id;
    m_list.set_query({.account_id = account_id, .path = "trash", .sort = "", .with_count = false});
    m_list.reload();
}

void TrashView::fetch_page(const app::RecordPageRequest& page) {
    net::list_records(page, net::guard(m_life.weak(), [this, page](const net::ApiResponse& r) {
        if (!r.ok() || !r.body.contains("items") || !r.body["items"].is_array()) {
            m_list.on_page_failed(page);
            ui::toast("Could not load the trash: " + net::describe(r));
            return;
        }
        std::vector<json> items(r.body["items"].begin(), r.body["items"].end());
        std::optional<std::string> next;
        if (r.body.contains("next_cursor") && r.body["next_cursor"].is_string()) next = r.body["next_cursor"].get<std::string>();
        m_list.on_page(page, std::move(items), std::move(next), std::nullopt);
    }));
}

void TrashView::on_live(const net::LiveEvent& event) {
    if (event.account_id != m_account_id) return;
    if (event.type.find(".deleted") != std::string::npos || event.type.find(".restored") != std::string::npos ||
        event.type == "bulk_changed")
        m_list.reload();
}

void TrashView::restore(const std::string& id, const std::string& title) {
    m_busy.insert(id);
    net::restore_from_trash(m_account_id, id, net::guard(m_life.weak(), [this, id, title](const net::ApiResponse& r) {
        m_busy.erase(id);
        if (!r.ok() && r.status != 404) { ui::toast(net::describe(r)); return; }
        if (r.ok()) ui::toast("Restored " + title + ".", false);
        m_list.remove_local(id);
        m_list.reload();
    }));
}

void TrashView::draw() {
    const auto& p = theme::palette();
    ui::heading("Trash");
    ImGui::SameLine(0, theme::px(12));
    const float dy = (fonts::title()->FontSize - fonts::body()->FontSize) * 0.6f;
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + dy);
    ui::muted_text("Deleted records stay here for 30 days, then they are removed for good.");
    ImGui::Dummy(ImVec2(0, theme::px(4)));

    const float height = ImGui::GetContentRegionAvail().y - theme::px(8);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, p.surface);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::BeginChild("trash_card", ImVec2(0, height), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    if (m_list.loaded() && m_list.row_count() == 0) {
        const char* title = "The trash is empty";
        const std::string detail = "Deleted contacts, companies, deals, tickets and tasks appear here.";
        draw_empty_state(fonts::k_icon_trash, title, detail, "Trash is empty", height);
    } else {
        const float row_h = theme::px(48);
        const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp |
                                      ImGuiTableFlags_PadOuterX;
        ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(theme::px(14), 0));
        if (ImGui::BeginTable("trash", col_count, flags, ImVec2(0, height))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            const float weights[col_count] = {0.9f, 2.4f, 1.2f, 1.0f, 1.2f, 1.0f};
            for (int c = 0; c < col_count; ++c) ImGui::TableSetupColumn(c == col_action ? "##action" : k_columns[c], 0, weights[c]);
            const ImVec2 tmin = ImGui::GetWindowPos();
            const ImVec2 tmax(tmin.x + ImGui::GetWindowSize().x, tmin.y + ImGui::GetWindowSize().y);
            a11y::push("table", "Trash", tmin, tmax, {{"aria-rowcount", std::to_string(m_list.row_count())}});
            const float header_h = theme::px(42);
            ImGui::TableNextRow(ImGuiTableRowFlags_Headers, 0);
            ImGui::PushFont(fonts::semibold());
            ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
            const float pad = std::floor((header_h - ImGui::GetTextLineHeight()) * 0.5f);
            a11y::push("row", "Columns", tmin, ImVec2(tmax.x, tmin.y + header_h));
            for (int c = 0; c < col_count; ++c) {
                ImGui::TableSetColumnIndex(c);
                ImGui::SetCursorPosY(ImGui::GetCursorPosY() + pad);
                ImGui::TableHeader(c == col_action ? "##action" : k_columns[c]);
                const float hx0 = ImGui::GetItemRectMin().x, hx1 = ImGui::GetItemRectMax().x;
                if (c == 0) ImGui::Dummy(ImVec2(0, std::max(0.0f, pad - ImGui::GetStyle().ItemSpacing.y)));
                if (c != col_action) a11y::node("columnheader", k_columns[c], ImVec2(hx0, tmin.y), ImVec2(hx1, tmin.y + header_h));
            }
            a11y::pop();
            ImGui::PopStyleColor();
            ImGui::PopFont();
            if (!m_list.loaded()) {
                m_list.show(0);
                ui::spinner(ImVec2((tmin.x + tmax.x) * 0.5f, tmin.y + header_h + theme::px(60)), theme::px(12));
            }
            ImGuiListClipper clipper;
            clipper.Begin(static_cast<int>(m_list.row_count()), row_h);
            while (clipper.Step()) {
                if (clipper.DisplayEnd > clipper.DisplayStart + 1) m_list.show(clipper.DisplayEnd);
                for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                    ImGui::TableNextRow(0, row_h);
                    const json* row = m_list.row(i);
                    if (!row) continue;
                    ImGui::PushID(i);
                    const std::string id = row->value("id", ""), kind = row->value("kind", ""), title = row->value("title", "");
                    const std::string by = row->value("deleted_by", "");
                    const std::string cells[col_count] = {kind_singular(kind), title.empty() ? "(untitled)" : title,
                                                          member_name(by, m_me),
                                                          relative_time_iso(row->value("deleted_at", "")), row->value("purge_at", "").substr(0, 10), ""};
                    ImGui::TableSetColumnIndex(0);
                    const ImVec2 rmin = ImGui::GetCursorScreenPos();
                    const float y0 = std::max(rmin.y, tmin.y + header_h), y1 = std::min(rmin.y + row_h, tmax.y);
                    const bool in_view = y1 - y0 > 2;
                    if (in_view) a11y::push("row", cells[col_title], ImVec2(tmin.x, y0), ImVec2(tmax.x, y1), {{"data-id", id}, {"data-kind", kind}});
                    for (int c = 0; c < col_count; ++c) {
                        ImGui::TableSetColumnIndex(c);
                        ImVec2 cell = ImGui::GetCursorScreenPos();
                        cell.y = rmin.y;
                        const float cw = ImGui::GetContentRegionAvail().x;
                        ImDrawList* dl = ImGui::GetWindowDrawList();
                        if (c == col_kind) {
                            const std::string label = std::string(kind_icon(kind)) + "  " + cells[c];
                            const ImVec2 bs = ui::badge_size(label);
                            ui::badge(dl, ImVec2(cell.x, std::floor(cell.y + (row_h - bs.y) * 0.5f)), label, ui::BadgeKind::neutral);
                        } else if (c == col_action) {
                            if (row->value("restorable", false)) {
                                const float bw = std::min(cw, theme::px(100));
                                ImGui::SetCursorScreenPos(ImVec2(cell.x + cw - bw, cell.y + (row_h - ImGui::GetFrameHeight()) * 0.5f));
                                const std::string label = std::string(fonts::k_icon_undo) + "  Restore";
                                if (ui::button("Restore " + cells[col_title], label.c_str(), ui::ButtonKind::secondary, ImVec2(bw, 0),
                                               m_busy.count(id) > 0))
                                    restore(id, cells[col_title]);
                            }
                            continue;
                        } else {
                            ImFont* f = c == col_title ? fonts::semibold() : fonts::body();
                            const ImVec2 ts = f->CalcTextSizeA(f->FontSize, 1e9f, 0, cells[c].c_str());
                            const ImVec4 clip(cell.x, cell.y, cell.x + cw, cell.y + row_h);
                            dl->AddText(f, f->FontSize, ImVec2(cell.x, std::floor(cell.y + (row_h - ts.y) * 0.5f)),
                                        theme::color(c == col_title ? p.text : p.text_muted), cells[c].c_str(), nullptr, 0.0f, &clip);
                        }
                        if (in_view) a11y::text_node("cell", "", cells[c], ImVec2(cell.x, y0), ImVec2(cell.x + cw, y1));
                    }
                    if (in_view) a11y::pop();
                    ImGui::PopID();
                }
            }
            a11y::pop();
            ImGui::EndTable();
        }
        ImGui::PopStyleVar();
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

} // namespace stronghold::web::views

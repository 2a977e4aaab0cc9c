#include "views/trust_table.hpp"

#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace stronghold::web::views::trust {

void screen_header(const char* title, const std::string& subtitle) {
    ui::heading(title);
    ImGui::SameLine(0, theme::px(12));
    const float dy = (fonts::title()->FontSize - fonts::body()->FontSize) * 0.6f;
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + dy);
    ui::muted_text(subtitle);
    ImGui::Dummy(ImVec2(0, theme::px(4)));
}

void card_begin(const char* id, float height) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, theme::palette().surface);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::BeginChild(id, ImVec2(0, height), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
}

void card_end() {
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

bool load_more(bool loading, const std::string& shown) {
    ImGui::SetCursorPos(ImVec2(theme::px(14), ImGui::GetCursorPosY() + theme::px(10)));
    const bool clicked = ui::button("Load more", loading ? "Loading..." : "Load more", ui::ButtonKind::secondary, ImVec2(theme::px(140), 0), loading);
    if (!shown.empty()) {
        ImGui::SameLine(0, theme::px(12));
        ui::muted_text(shown);
    }
    return clicked;
}

bool table_begin(Table& t, const char* id, const char* name, const std::vector<Column>& columns, float height, float row_h,
                 std::size_t row_count) {
    const auto& p = theme::palette();
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp |
                                  ImGuiTableFlags_PadOuterX;
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(theme::px(14), 0));
    if (!ImGui::BeginTable(id, static_cast<int>(columns.size()), flags, ImVec2(0, height))) {
        ImGui::PopStyleVar();
        return false;
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const std::string label = *columns[c].name ? columns[c].name : "##c" + std::to_string(c);
        if (columns[c].weight < 0) ImGui::TableSetupColumn(label.c_str(), ImGuiTableColumnFlags_WidthFixed, theme::px(-columns[c].weight));
        else ImGui::TableSetupColumn(label.c_str(), ImGuiTableColumnFlags_WidthStretch, columns[c].weight);
    }
    t.min = ImGui::GetWindowPos();
    t.max = ImVec2(t.min.x + ImGui::GetWindowSize().x, t.min.y + ImGui::GetWindowSize().y);
    t.header_h = theme::px(42);
    t.row_h = row_h;
    a11y::push("table", name, t.min, t.max, {{"aria-rowcount", std::to_string(row_count)}});
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers, 0);
    ImGui::PushFont(fonts::semibold());
    ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
    const float pad = std::floor((t.header_h - ImGui::GetTextLineHeight()) * 0.5f);
    a11y::push("row", "Columns", t.min, ImVec2(t.max.x, t.min.y + t.header_h));
    for (std::size_t c = 0; c < columns.size(); ++c) {
        ImGui::TableSetColumnIndex(static_cast<int>(c));
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + pad);
        const std::string label = *columns[c].name ? columns[c].name : "##c" + std::to_string(c);
        ImGui::TableHeader(label.c_str());
        const float hx0 = ImGui::GetItemRectMin().x, hx1 = ImGui::GetItemRectMax().x;
        if (c == 0) ImGui::Dummy(ImVec2(0, std::max(0.0f, pad - ImGui::GetStyle().ItemSpacing.y)));
        if (*columns[c].name) a11y::node("columnheader", columns[c].name, ImVec2(hx0, t.min.y), ImVec2(hx1, t.min.y + t.header_h));
    }
    a11y::pop();
    ImGui::PopStyleColor();
    ImGui::PopFont();
    return true;
}

void table_end() {
    a11y::pop();
    ImGui::EndTable();
    ImGui::PopStyleVar();
}

Row row_begin(const Table& t, const std::string& name, a11y::Attrs attrs, bool alert) {
    ImGui::TableNextRow(0, t.row_h);
    ImGui::TableSetColumnIndex(0);
    Row r;
    r.min = ImGui::GetCursorScreenPos();
    if (alert)
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, IM_COL32(254, 242, 242, 255));
    r.y0 = std::max(r.min.y, t.min.y + t.header_h);
    r.y1 = std::min(r.min.y + t.row_h, t.max.y);
    r.in_view = r.y1 - r.y0 > 2;
    if (r.in_view) a11y::push("row", name, ImVec2(t.min.x, r.y0), ImVec2(t.max.x, r.y1), std::move(attrs));
    return r;
}

void row_end(const Row& r) {
    if (r.in_view) a11y::pop();
}

ImVec2 cell_origin(const Row& r, int c, float& width) {
    ImGui::TableSetColumnIndex(c);
    ImVec2 cell = ImGui::GetCursorScreenPos();
    cell.y = r.min.y;
    width = ImGui::GetContentRegionAvail().x;
    return cell;
}

void cell_text(const Table& t, const Row& r, int c, const std::string& text, bool strong, bool muted) {
    const auto& p = theme::palette();
    float cw = 0;
    const ImVec2 cell = cell_origin(r, c, cw);
    ImFont* f = strong ? fonts::semibold() : fonts::body();
    const ImVec2 ts = f->CalcTextSizeA(f->FontSize, 1e9f, 0, text.c_str());
    const ImVec4 clip(cell.x, cell.y, cell.x + cw, cell.y + t.row_h);
    ImGui::GetWindowDrawList()->AddText(f, f->FontSize, ImVec2(cell.x, std::floor(cell.y + (t.row_h - ts.y) * 0.5f)),
                                        theme::color(muted && !strong ? p.text_muted : p.text), text.c_str(), nullptr, 0.0f, &clip);
    if (ts.x > cw && ImGui::IsMouseHoveringRect(ImVec2(cell.x, r.y0), ImVec2(cell.x + cw, r.y1))) ImGui::SetTooltip("%s", text.c_str());
    if (r.in_view) a11y::text_node("cell", "", text, ImVec2(cell.x, r.y0), ImVec2(cell.x + cw, r.y1));
}

void cell_badge(const Table& t, const Row& r, int c, const std::string& text, ui::BadgeKind kind) {
    float cw = 0;
    const ImVec2 cell = cell_origin(r, c, cw);
    const ImVec2 bs = ui::badge_size(text);
    ui::badge(ImGui::GetWindowDrawList(), ImVec2(cell.x, std::floor(cell.y + (t.row_h - bs.y) * 0.5f)), text, kind);
    if (r.in_view) a11y::text_node("cell", "", text, ImVec2(cell.x, r.y0), ImVec2(cell.x + cw, r.y1));
}

} // namespace stronghold::web::views::trust

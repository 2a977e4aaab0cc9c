// The record table: ImGuiListClipper over app::RecordList, so only rows in view are drawn and
// the next cursor page is fetched as the user scrolls near the end; server-side sort on the
// title, Updated and Created columns; a tick box per row for bulk actions.
#include "views/records_view.hpp"

#include "app/members.hpp"
#include "app/record_form.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/empty_state.hpp"
#include "views/history_view.hpp"
#include "views/record_common.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace stronghold::web::views {
namespace {
using model::FieldType;
using nlohmann::json;

std::string cell_text(const model::FieldSpec& f, const json& row, const std::string& me) {
    const json v = app::data_value(row, f.name);
    if (f.type == FieldType::ref && v.is_string() && f.ref_prefixes.size() == 1 && f.ref_prefixes[0] == "us")
        return app::member_directory().display(v.get<std::string>(), me);
    if (f.type == FieldType::select) return app::field_label(app::display_value(v));
    if (f.type == FieldType::checkbox) return v.is_boolean() && v.get<bool>() ? "Done" : "";
    if (f.type == FieldType::number && v.is_number()) { // "18,500 USD" for a deal's value
        const double d = v.get<double>();
        std::string out = d == std::floor(d) && std::fabs(d) < 1e15 ? ui::with_thousands(static_cast<long long>(d)) : app::display_value(v);
        const json currency = app::data_value(row, "currency");
        if (f.name == "value" && currency.is_string()) out += " " + currency.get<std::string>();
        return out;
    }
    return app::display_value(v);
}

} // namespace

void RecordsView::draw_table(float height) {
    const auto& p = theme::palette();
    const float row_h = theme::px(44);
    const std::int64_t total = m_list.row_count();
    const int ncols = 2 + static_cast<int>(m_columns.size()) + 2;
    const int col_updated = ncols - 2, col_created = ncols - 1;
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX;
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(theme::px(12), 0));
    if (!ImGui::BeginTable("records", ncols, flags, ImVec2(0, height))) {
        ImGui::PopStyleVar();
        return;
    }
    const std::string title_label = app::field_label(m_spec.title_field);
    std::vector<std::string> names{"", title_label};
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("##select", ImGuiTableColumnFlags_NoSort | ImGuiTableColumnFlags_WidthFixed, theme::px(28));
    ImGui::TableSetupColumn(title_label.c_str(), ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_PreferSortAscending, 2.4f);
    for (const auto* f : m_columns) {
        names.push_back(app::field_label(f->name));
        ImGui::TableSetupColumn(names.back().c_str(), ImGuiTableColumnFlags_NoSort, f->name == "tags" ? 1.6f : 1.2f);
    }
    names.push_back("Updated");
    names.push_back("Created");
    ImGui::TableSetupColumn("Updated", ImGuiTableColumnFlags_PreferSortDescending, 1.0f);
    ImGui::TableSetupColumn("Created", ImGuiTableColumnFlags_PreferSortDescending, 1.0f);
    ImGui::TableSetColumnEnabled(col_created, !m_detail.is_open()); // narrower beside the side panel

    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
        if (specs->SpecsCount > 0) {
            const auto& s = specs->Specs[0];
            const bool asc = s.SortDirection == ImGuiSortDirection_Ascending;
            const char* key = s.ColumnIndex == col_updated ? "updated_at" : s.ColumnIndex == col_created ? "created_at" : "name";
            m_sort = std::string(asc ? "" : "-") + key;
        }
        specs->SpecsDirty = false;
        apply_query();
    }

    const ImVec2 table_min = ImGui::GetWindowPos();
    const ImVec2 table_max(table_min.x + ImGui::GetWindowSize().x, table_min.y + ImGui::GetWindowSize().y);
    const std::string plural = kind_plural(m_spec.name);
    a11y::push("table", plural, table_min, table_max, {{"aria-rowcount", std::to_string(total)}});

    const float header_h = theme::px(42);
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers, 0);
    ImGui::PushFont(fonts::semibold());
    ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
    const float label_pad = std::floor((header_h - ImGui::GetTextLineHeight()) * 0.5f);
    const float header_bottom = table_min.y + header_h;
    a11y::push("row", "Columns", table_min, ImVec2(table_max.x, header_bottom));
    for (int c = 0; c < ncols; ++c) {
        if (!ImGui::TableSetColumnIndex(c)) continue; // hidden (Created beside the side panel)
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + label_pad);
        ImGui::TableHeader(c == 0 ? "##select" : names[static_cast<std::size_t>(c)].c_str());
        const float hx0 = ImGui::GetItemRectMin().x, hx1 = ImGui::GetItemRectMax().x; // before the spacer below
        if (c == 1) ImGui::Dummy(ImVec2(0, std::max(0.0f, label_pad - ImGui::GetStyle().ItemSpacing.y)));
        if (c == 0) continue;
        const ImGuiTableColumnFlags cf = ImGui::TableGetColumnFlags(c);
        const char* sort = "none";
        if (cf & ImGuiTableColumnFlags_IsSorted) sort = m_sort.front() == '-' ? "descending" : "ascending";
        a11y::node("columnheader", names[static_cast<std::size_t>(c)], ImVec2(hx0, table_min.y), ImVec2(hx1, header_bottom),
                   {{"aria-sort", sort}});
    }
    a11y::pop();
    ImGui::PopStyleColor();
    ImGui::PopFont();

    if (!m_list.loaded()) {
        m_list.show(0);
        ui::spinner(ImVec2((table_min.x + table_max.x) * 0.5f, header_bottom + theme::px(60)), theme::px(12));
    }
    const std::string me = m_me ? m_me->user_id : "";
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(std::min<std::int64_t>(total, INT32_MAX)), row_h);
    while (clipper.Step()) {
        if (clipper.DisplayEnd > clipper.DisplayStart + 1) m_list.show(clipper.DisplayEnd);
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            ImGui::TableNextRow(0, row_h);
            ImGui::TableSetColumnIndex(0);
            const json* row = m_list.row(i);
            const ImVec2 row_min = ImGui::GetCursorScreenPos();
            ImGui::PushID(i);
            const std::string id = row ? row->value("id", "") : std::string();
            const std::string title = row ? model::record_title(m_spec, *row) : std::string("Loading");
            const float y0 = std::max(row_min.y, header_bottom), y1 = std::min(row_min.y + row_h, table_max.y);
            const bool in_view = y1 - y0 > 2;
            if (in_view) {
                a11y::Attrs attrs{{"aria-rowindex", std::to_string(i + 2)}};
                if (row) attrs.emplace_back("data-id", id);
                a11y::push("row", title, ImVec2(table_min.x, y0), ImVec2(table_max.x, y1), std::move(attrs));
            }
            if (row) {
                // One selectable per row; a click in the first column ticks the row for bulk
                // actions instead of opening it (an overlapping checkbox would eat the row's clicks).
                const bool open = id == m_detail.id();
                const float tick_right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x + theme::px(6);
                bool ticked = m_selected.count(id) > 0;
                if (ImGui::Selectable("##row", open, ImGuiSelectableFlags_SpanAllColumns, ImVec2(0, row_h))) {
                    if (ImGui::GetIO().MousePos.x <= tick_right) {
                        ticked = !ticked;
                        if (ticked) m_selected.insert(id);
                        else m_selected.erase(id);
                    } else {
                        select_row(*row);
                    }
                }
                if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
                const float box = theme::px(18);
                const ImVec2 bmin(row_min.x + theme::px(2), row_min.y + (row_h - box) * 0.5f);
                ImDrawList* dl = ImGui::GetWindowDrawList();
                if (ticked) {
                    dl->AddRectFilled(bmin, ImVec2(bmin.x + box, bmin.y + box), theme::color(p.accent), theme::px(4));
                    ImFont* f = fonts::body();
                    const ImVec2 cs = f->CalcTextSizeA(f->FontSize * 0.8f, 1e9f, 0, fonts::k_icon_check);
                    dl->AddText(f, f->FontSize * 0.8f, ImVec2(bmin.x + (box - cs.x) * 0.5f, bmin.y + (box - cs.y) * 0.5f), IM_COL32_WHITE,
                                fonts::k_icon_check);
                } else {
                    dl->AddRect(bmin, ImVec2(bmin.x + box, bmin.y + box), theme::color(p.border), theme::px(4), 0, theme::px(1.5f));
                }
                if (in_view)
                    a11y::node("checkbox", "Select " + title, ImVec2(row_min.x, y0), ImVec2(tick_right, y1),
                               {{"aria-checked", ticked ? "true" : "false"}});
            }
            for (int col = 1; col < ncols; ++col) {
                if (!ImGui::TableSetColumnIndex(col)) continue;
                ImVec2 cell = ImGui::GetCursorScreenPos();
                cell.y = row_min.y;
                const float cell_w = ImGui::GetContentRegionAvail().x;
                ImDrawList* dl = ImGui::GetWindowDrawList();
                if (!row) {
                    const float w = cell_w * (col == 1 ? 0.6f : 0.45f), bh = theme::px(10);
                    dl->AddRectFilled(ImVec2(cell.x, cell.y + (row_h - bh) * 0.5f), ImVec2(cell.x + w, cell.y + (row_h + bh) * 0.5f),
                                      theme::color(p.border, 0.7f), bh * 0.5f);
                    continue;
                }
                const model::FieldSpec* f = col >= 2 && col < col_updated ? m_columns[static_cast<std::size_t>(col - 2)] : nullptr;
                std::string text = col == 1 ? title
                                   : col == col_updated ? relative_time_iso(row->value("updated_at", ""))
                                   : col == col_created ? relative_time_iso(row->value("created_at", ""))
                                                        : cell_text(*f, *row, me);
                float x = cell.x;
                ImFont* font = col == 1 ? fonts::semibold() : fonts::body();
                if (col == 1) {
                    const float r = theme::px(14);
                    ui::avatar(dl, ImVec2(x + r, cell.y + row_h * 0.5f), r, text);
                    x += r * 2 + theme::px(10);
                } else if (f && f->name == m_spec.owner_field && !text.empty()) { // a person: a small avatar by the name
                    const float r = theme::px(10);
                    ui::avatar(dl, ImVec2(x + r, cell.y + row_h * 0.5f), r, text == "You" && m_me ? (m_me->name.empty() ? m_me->email : m_me->name) : text);
                    x += r * 2 + theme::px(8);
                }
                if (f && f->type == FieldType::string_list) {
                    std::vector<std::string> tags;
                    const json v = app::data_value(*row, f->name);
                    if (v.is_array())
                        for (const auto& t : v)
                            if (t.is_string()) tags.push_back(t.get<std::string>());
                    ui::tag_pills(dl, ImVec2(x, cell.y), cell_w, row_h, tags);
                } else if (f && (f->type == FieldType::select || f->type == FieldType::checkbox) && !text.empty()) {
                    const ImVec2 bs = ui::badge_size(text);
                    ui::badge(dl, ImVec2(x, std::floor(cell.y + (row_h - bs.y) * 0.5f)), text,
                              badge_of(f->type == FieldType::checkbox ? "Yes" : app::display_value(app::data_value(*row, f->name))));
                } else {
                    const ImVec2 ts = font->CalcTextSizeA(font->FontSize, 1e9f, 0, text.c_str());
                    const ImVec4 clip(cell.x, cell.y, cell.x + cell_w, cell.y + row_h);
                    dl->AddText(font, font->FontSize, ImVec2(x, std::floor(cell.y + (row_h - ts.y) * 0.5f)),
                                theme::color(col == 1 ? p.text : p.text_muted), text.c_str(), nullptr, 0.0f, &clip);
                }
                if (in_view) a11y::text_node("cell", "", text, ImVec2(cell.x, y0), ImVec2(cell.x + cell_w, y1));
            }
            if (in_view) a11y::pop();
            ImGui::PopID();
        }
    }
    a11y::pop();
    ImGui::EndTable();
    ImGui::PopStyleVar();
}

void RecordsView::draw_empty(float height) {
    const bool narrowed = !m_applied_search.empty() || !m_filters.empty();
    const std::string plural = kind_plural(m_spec.name);
    std::string lower_plural = plural;
    lower_plural[0] = static_cast<char>(lower_plural[0] - 'A' + 'a');
    const std::string title = narrowed ? "No " + lower_plural + " match" : "No " + lower_plural + " yet";
    const std::string detail = narrowed ? "Try another search or clear the filters."
                                        : "Create the first one with \"New " + kind_singular(m_spec.name) + "\"; your team sees it at once.";
    draw_empty_state(kind_icon(m_spec.name), title, detail, "No " + lower_plural, height);
}

} // namespace stronghold::web::views

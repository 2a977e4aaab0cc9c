// The contacts table: ImGuiListClipper over the row cache, so only rows in view are drawn
// and only their pages fetched (smooth at 1,000,000 rows); server-side sort on Name/Updated.
#include "views/contacts_view.hpp"

#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/empty_state.hpp"

#include <stronghold/model/time.hpp>

#include <imgui.h>

#include <algorithm>
#include <chrono>

namespace stronghold::web::views {
namespace {

enum Column { col_name, col_email, col_phone, col_company, col_tags, col_updated, col_count };
constexpr const char* k_columns[col_count] = {"Name", "Email", "Phone", "Company", "Tags", "Updated"};

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string first_or_empty(const std::vector<std::string>& items, bool more_hint) {
    if (items.empty()) return {};
    if (more_hint && items.size() > 1) return items[0] + "  +" + std::to_string(items.size() - 1);
    return items[0];
}

// "just now", "5 min ago", "3 h ago", "yesterday", else the date.
std::string relative_time(model::UnixMillis t) {
    if (t <= 0) return {};
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    const auto s = (now - t) / 1000;
    if (s < 60) return "just now";
    if (s < 3600) return std::to_string(s / 60) + " min ago";
    if (s < 86400) return std::to_string(s / 3600) + " h ago";
    if (s < 2 * 86400) return "yesterday";
    const std::string iso = model::format_iso8601(t); // 2026-11-26T08:19:58.123Z
    return iso.substr(0, 10);
}

std::string cell_text(const model::Contact& c, int column) {
    switch (column) {
    case col_name: return model::display_name(c);
    case col_email: return first_or_empty(c.emails, true);
    case col_phone: return first_or_empty(c.phones, true);
    case col_company: return c.company_name;
    case col_tags: return join(c.tags);
    case col_updated: return relative_time(c.updated_at);
    default: return {};
    }
}

std::string sort_param(const ImGuiTableColumnSortSpecs& spec) {
    const bool asc = spec.SortDirection == ImGuiSortDirection_Ascending;
    if (spec.ColumnIndex == col_updated) return asc ? "updated_at" : "-updated_at";
    return asc ? "name" : "-name";
}

} // namespace

void ContactsView::draw_table(float height) {
    const auto& p = theme::palette();
    const float row_h = theme::px(44);
    const std::int64_t total = m_cache.total().value_or(0);
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX;
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(theme::px(14), 0));
    if (!ImGui::BeginTable("contacts", col_count, flags, ImVec2(0, height))) {
        ImGui::PopStyleVar();
        return;
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_PreferSortAscending, 2.2f);
    ImGui::TableSetupColumn("Email", ImGuiTableColumnFlags_NoSort, 2.2f);
    ImGui::TableSetupColumn("Phone", ImGuiTableColumnFlags_NoSort, 1.4f);
    ImGui::TableSetupColumn("Company", ImGuiTableColumnFlags_NoSort, 1.6f);
    ImGui::TableSetupColumn("Tags", ImGuiTableColumnFlags_NoSort, 1.4f);
    ImGui::TableSetupColumn("Updated", ImGuiTableColumnFlags_PreferSortDescending, 1.0f);

    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
        if (specs->SpecsCount > 0) m_sort = sort_param(specs->Specs[0]);
        specs->SpecsDirty = false;
        m_cache.set_query({.account_id = m_account_id, .q = m_applied_search, .sort = m_sort});
    }

    const ImVec2 table_min = ImGui::GetWindowPos();
    const ImVec2 table_max(table_min.x + ImGui::GetWindowSize().x, table_min.y + ImGui::GetWindowSize().y);
    a11y::push("table", "Contacts", table_min, table_max, {{"aria-rowcount", std::to_string(total)}});

    // Header row, drawn cell by cell so each header gets its mirror node and sort state.
    // Header labels are centred in a 42 px band: shift the label down, then pad below it.
    const float header_h = theme::px(42);
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers, 0);
    ImGui::PushFont(fonts::semibold());
    ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
    const float label_pad = std::floor((header_h - ImGui::GetTextLineHeight()) * 0.5f);
    float header_bottom = table_min.y + header_h;
    a11y::push("row", "Columns", table_min, ImVec2(table_max.x, table_min.y + header_h));
    for (int c = 0; c < col_count; ++c) {
        ImGui::TableSetColumnIndex(c);
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + label_pad);
        ImGui::TableHeader(k_columns[c]);
        if (c == 0) ImGui::Dummy(ImVec2(0, std::max(0.0f, label_pad - ImGui::GetStyle().ItemSpacing.y)));
        const ImGuiTableColumnFlags cf = ImGui::TableGetColumnFlags(c);
        const char* sort = "none";
        if (cf & ImGuiTableColumnFlags_IsSorted) sort = m_sort.front() == '-' ? "descending" : "ascending";
        a11y::node("columnheader", k_columns[c], ImVec2(ImGui::GetItemRectMin().x, table_min.y),
                   ImVec2(ImGui::GetItemRectMax().x, table_min.y + header_h), {{"aria-sort", sort}});
    }
    a11y::pop();
    ImGui::PopStyleColor();
    ImGui::PopFont();

    const float visible_bottom = table_max.y;

    // Keyboard: Up/Down select a row (scrolled into view), Enter opens it; not while a field or a
    // dialog has the keys.
    if (total > 0 && !ImGui::GetIO().WantTextInput && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) {
        const auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); };
        std::int64_t next = m_selected_row;
        if (pressed(ImGuiKey_DownArrow)) next = std::min(total - 1, m_selected_row + 1);
        if (pressed(ImGuiKey_UpArrow)) next = std::max<std::int64_t>(0, m_selected_row - 1);
        if (next != m_selected_row) {
            m_selected_row = next;
            const model::Contact* c = m_cache.row(next);
            m_selected_id = c ? c->id : std::string();
            const float y = static_cast<float>(next) * row_h, view = height - header_h, top = ImGui::GetScrollY();
            if (y < top) ImGui::SetScrollY(y);
            else if (y + row_h > top + view) ImGui::SetScrollY(y + row_h - view);
        }
        if (m_selected_row >= 0 && (pressed(ImGuiKey_Enter) || pressed(ImGuiKey_KeyPadEnter)))
            if (const model::Contact* c = m_cache.row(m_selected_row))
                select_contact(*c);
    }

    if (!m_cache.total()) { // first answer pending: ask for it and show a spinner under the headers
        m_cache.show(0, 0);
        ui::spinner(ImVec2((table_min.x + table_max.x) * 0.5f, header_bottom + theme::px(60)), theme::px(12));
    }

    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(std::min<std::int64_t>(total, INT32_MAX)), row_h);
    bool shown = false;
    while (clipper.Step()) {
        // The clipper's first step measures one row; fetch only for the real visible range.
        if (clipper.DisplayEnd - clipper.DisplayStart > 1 || !shown) {
            m_cache.show(clipper.DisplayStart, clipper.DisplayEnd);
            shown = clipper.DisplayEnd - clipper.DisplayStart > 1;
        }
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            ImGui::TableNextRow(0, row_h);
            ImGui::TableSetColumnIndex(0);
            const model::Contact* c = m_cache.row(i);
            const ImVec2 row_min = ImGui::GetCursorScreenPos();
            ImGui::PushID(i);
            if (c && i == m_selected_row && m_selected_id.empty()) m_selected_id = c->id; // its page arrived
            const bool selected = c && c->id == m_selected_id;
            const std::string name = c ? model::display_name(*c) : std::string("Loading");
            // Mirror row, clipped to the visible body so a click at its centre lands on it.
            const float y0 = std::max(row_min.y, header_bottom), y1 = std::min(row_min.y + row_h, visible_bottom);
            const bool in_view = y1 - y0 > 2;
            if (in_view) {
                a11y::Attrs attrs{{"aria-rowindex", std::to_string(i + 2)}};
                if (c) attrs.emplace_back("data-id", c->id);
                attrs.emplace_back("aria-selected", selected ? "true" : "false");
                // Keyed by its slot in the visible window, not by its name: after a jump the same
                // mirror elements show the new rows (their text changes) instead of being replaced.
                a11y::next_key(std::to_string(i - clipper.DisplayStart));
                a11y::push("row", name, ImVec2(table_min.x, y0), ImVec2(table_max.x, y1), std::move(attrs));
            }
            if (c) {
                if (ImGui::Selectable("##row", selected, ImGuiSelectableFlags_SpanAllColumns,
                                      ImVec2(0, row_h))) {
                    m_selected_row = i;
                    select_contact(*c);
                }
                if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
            }
            for (int col = 0; col < col_count; ++col) {
                ImGui::TableSetColumnIndex(col);
                ImVec2 cell = ImGui::GetCursorScreenPos();
                cell.y = row_min.y;
                const float cell_w = ImGui::GetContentRegionAvail().x;
                ImDrawList* dl = ImGui::GetWindowDrawList();
                if (!c) { // placeholder bar while the page loads
                    const float w = cell_w * (col == col_name ? 0.6f : 0.45f);
                    const float bh = theme::px(10);
                    dl->AddRectFilled(ImVec2(cell.x, cell.y + (row_h - bh) * 0.5f), ImVec2(cell.x + w, cell.y + (row_h + bh) * 0.5f),
                                      theme::color(p.border, 0.7f), bh * 0.5f);
                    // Empty cells, so the mirror keeps the row's cell elements while its page loads.
                    if (in_view) a11y::text_node("cell", "", "", ImVec2(cell.x, y0), ImVec2(cell.x + cell_w, y1));
                    continue;
                }
                std::string text = cell_text(*c, col);
                float x = cell.x;
                ImFont* font = col == col_name ? fonts::semibold() : fonts::body();
                if (col == col_name) {
                    const float r = theme::px(14);
                    ui::avatar(dl, ImVec2(x + r, cell.y + row_h * 0.5f), r, text);
                    x += r * 2 + theme::px(10);
                }
                const ImVec4 color = col == col_name ? p.text : p.text_muted;
                if (col == col_tags && !c->tags.empty()) {
                    ui::tag_pills(dl, ImVec2(x, cell.y), cell_w, row_h, c->tags);
                } else {
                    const ImVec2 ts = font->CalcTextSizeA(font->FontSize, 1e9f, 0, text.c_str());
                    const ImVec4 clip(cell.x, cell.y, cell.x + cell_w, cell.y + row_h);
                    dl->AddText(font, font->FontSize, ImVec2(x, std::floor(cell.y + (row_h - ts.y) * 0.5f)), theme::color(color),
                                text.c_str(), nullptr, 0.0f, &clip);
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

void ContactsView::draw_empty(float height) {
    const bool searching = !m_applied_search.empty();
    const char* title = searching ? "No contacts match your search" : "No contacts yet";
    const std::string detail = searching ? "Nothing starts with \"" + m_applied_search + "\". Try a name prefix or an exact email."
                                         : "Contacts you and your team add appear here, live.";
    draw_empty_state(fonts::k_icon_users, title, detail, "No contacts", height);
}

void ContactsView::draw_failed(float height) {
    const char* title = "Contacts could not be loaded";
    const float w = ImGui::GetWindowSize().x;
    ImGui::SetCursorPosY(height * 0.38f);
    ImGui::PushFont(fonts::title());
    ImGui::SetCursorPosX((w - ImGui::CalcTextSize(title).x) * 0.5f);
    ImGui::TextUnformatted(title);
    ImGui::PopFont();
    a11y::text_item("alert", "", title);
    const float bw = theme::px(110);
    ImGui::SetCursorPosX((w - bw) * 0.5f);
    if (ui::button("Retry", "Retry", ui::ButtonKind::primary, ImVec2(bw, 0))) m_cache.retry();
}

} // namespace stronghold::web::views

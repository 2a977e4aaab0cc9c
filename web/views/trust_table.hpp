// The tables of the trust screens (audit log, security events, staff access): a white card with a
// header row that stays put and rows drawn only while visible (ImGuiListClipper), every row and cell
// also a node in the accessibility mirror (role table/row/cell), as the records tables do.
// Rule: when table_begin() returns true, draw the rows (row_begin/cells/row_end) and call table_end().
// Rule: every card_begin() has a card_end().
#pragma once

#include "ui/a11y.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <string>
#include <vector>

namespace stronghold::web::views::trust {

// The screen's title (level 2) with a muted line beside it, as the records screens open.
void screen_header(const char* title, const std::string& subtitle);
// The white bordered panel a table sits in (no padding), `height` device px tall.
void card_begin(const char* id, float height);
void card_end();
// "Load more" under a table (a cursor remains); `shown` is a muted note beside it. True when clicked.
bool load_more(bool loading, const std::string& shown = {});

struct Column {
    const char* name; // "" for an actions column (no header text, no mirror header)
    float weight; // share of the width; negative: a fixed width of -weight CSS px (an actions column)
};

struct Table {
    ImVec2 min, max;     // the table's screen rectangle
    float header_h = 0;
    float row_h = 0;
};

struct Row {
    ImVec2 min;          // top-left of the row (first cell)
    float y0 = 0, y1 = 0; // the visible part
    bool in_view = false;
};

bool table_begin(Table& t, const char* id, const char* name, const std::vector<Column>& columns, float height, float row_h,
                 std::size_t row_count);
void table_end();
Row row_begin(const Table& t, const std::string& name, a11y::Attrs attrs = {}, bool alert = false);
void row_end(const Row& r);
// Column c's cell: its top-left and width.
ImVec2 cell_origin(const Row& r, int c, float& width);
void cell_text(const Table& t, const Row& r, int c, const std::string& text, bool strong = false, bool muted = true);
void cell_badge(const Table& t, const Row& r, int c, const std::string& text, ui::BadgeKind kind);

} // namespace stronghold::web::views::trust

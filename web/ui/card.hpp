// The card every settings-like screen is built from (profile, security settings, users, roles):
// a white rounded panel with a level-3 heading and an optional muted line under it. Content is
// drawn first on a foreground channel and the card behind it afterwards, so the card grows with
// whatever its section draws this frame.
// Rule: every card_begin() has a card_end().
#pragma once

#include <imgui.h>

#include <string>

namespace stronghold::web::ui {

struct Card {
    ImDrawListSplitter split;
    ImVec2 min;
    float width = 0;
};

// Starts a card at the cursor; title is a level-3 heading, subtitle muted (may be null).
// Returns the inner content width.
float card_begin(Card& card, const char* title, const char* subtitle, float width);
void card_end(Card& card);
float card_padding(); // device px between the card's edge and its content
// A button at the card's top right, level with its title (call right after card_begin(), with
// the cursor position card_begin() started from). True when clicked.
bool card_title_button(ImVec2 card_top_left, float card_width, const char* name, const char* label, bool primary);

// A page of cards: the header (back link, title, muted line) stays put and the cards scroll under
// it in a centred column at most max_width_css wide. Rule: page_begin() (returns the column
// width), draw the header, page_body(), draw the cards, page_end().
struct Page {
    float indent = 0;
    float column = 0;
};
float page_begin(Page& page, float max_width_css);
void page_body(Page& page, const char* child_id);
void page_end(Page& page);
// The header every such page opens with: "← Contacts" (accessible name "Back to contacts"), a
// level-2 title and a muted line. True when the back link was clicked.
bool page_header(const char* title, const char* subtitle);
// Before a page's data has arrived: a spinner (status `what` "Loading...") or, after a failure,
// "`what` could not be loaded" (alert), the reason and "Retry". True when the page may draw its
// cards; `retry` is set when "Retry" was clicked.
enum class PageLoad { loading, ready, failed };
bool page_loaded(PageLoad state, const char* what, const std::string& error, float column, bool& retry);

} // namespace stronghold::web::ui

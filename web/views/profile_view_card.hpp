// A white card with a heading, as on the contacts screen, for the profile screen's sections.
// Content is drawn first on a foreground channel and the card behind it afterwards, so the card
// grows with whatever its section draws this frame. Rule: every card_begin() has a card_end().
#pragma once

#include <imgui.h>

namespace stronghold::web::views {

struct Card {
    ImDrawListSplitter split;
    ImVec2 min;
    float width = 0;
};

// Starts a card at the cursor; title is a level-3 heading, subtitle muted (may be null).
// Returns the inner content width.
float card_begin(Card& card, const char* title, const char* subtitle, float width);
void card_end(Card& card);
float card_padding();

} // namespace stronghold::web::views

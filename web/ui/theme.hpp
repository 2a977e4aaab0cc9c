// The dashboard's look: a light theme with one accent colour. Agencies will brand it later
// (TEN-3) by changing the palette's accent at run time; everything else derives from it.
#pragma once

#include <imgui.h>

namespace stronghold::web::theme {

struct Palette {
    ImVec4 accent{0.165f, 0.388f, 0.918f, 1.0f};      // #2A63EA, the brand colour
    ImVec4 background{0.969f, 0.973f, 0.980f, 1.0f};  // page behind the cards
    ImVec4 surface{1.0f, 1.0f, 1.0f, 1.0f};           // cards, table, dialogs
    ImVec4 border{0.882f, 0.898f, 0.922f, 1.0f};
    ImVec4 text{0.094f, 0.114f, 0.153f, 1.0f};
    ImVec4 text_muted{0.420f, 0.451f, 0.502f, 1.0f};
    ImVec4 danger{0.804f, 0.176f, 0.176f, 1.0f};
    ImVec4 row_hover{0.953f, 0.961f, 0.976f, 1.0f};
};

Palette& palette();              // mutable: set accent, then apply() again
void apply(float dpr);           // sets ImGui style and colours for this DPR
ImVec4 background();
ImU32 color(const ImVec4& c, float alpha = 1.0f);
ImVec4 accent_hover();           // accent, a bit darker
ImVec4 accent_soft();            // accent at low alpha (selection, focus)
float px(float css_px);          // CSS px -> device px for the current DPR

} // namespace stronghold::web::theme

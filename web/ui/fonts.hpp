// Every font the dashboard uses is loaded here, and only here (DESIGN.md: keep font loading
// in one place, so fallback fonts for more scripts can be merged later without touching views).
// Files come from the dist folder's fonts/ (copied from Debian's fonts-inter and
// fonts-fork-awesome at build time).
#pragma once

#include <imgui.h>

namespace stronghold::web::fonts {

inline constexpr float k_body_px = 15.0f;  // CSS px; multiplied by devicePixelRatio
inline constexpr float k_title_px = 20.0f;

void start_loading();     // fetches the font files; the platform builds the atlas when they are in
bool loaded();            // every fetch answered (a missing file falls back to ImGui's own font)
bool built();             // the atlas exists for the current DPR
void build(float dpr);    // (re)builds the atlas at 15 px x dpr; call between frames only

ImFont* body();           // Inter Regular + icons
ImFont* semibold();       // Inter SemiBold, body size (buttons, headers)
ImFont* title();          // Inter SemiBold, title size

// Fork Awesome code points merged into body() (UTF-8).
inline constexpr const char* k_icon_search = "\xef\x80\x82";   // U+F002
inline constexpr const char* k_icon_user = "\xef\x80\x87";     // U+F007
inline constexpr const char* k_icon_plus = "\xef\x81\xa7";     // U+F067
inline constexpr const char* k_icon_signout = "\xef\x82\x8b";  // U+F08B
inline constexpr const char* k_icon_trash = "\xef\x87\xb8";    // U+F1F8
inline constexpr const char* k_icon_caret = "\xef\x83\x97";    // U+F0D7
inline constexpr const char* k_icon_warning = "\xef\x81\xb1";  // U+F071
inline constexpr const char* k_icon_shield = "\xef\x84\xb2";   // U+F132
inline constexpr const char* k_icon_users = "\xef\x83\x80";    // U+F0C0
inline constexpr const char* k_icon_times = "\xef\x80\x8d";    // U+F00D
inline constexpr const char* k_icon_check = "\xef\x80\x8c";    // U+F00C
inline constexpr const char* k_icon_lock = "\xef\x80\xa3";     // U+F023
inline constexpr const char* k_icon_key = "\xef\x82\x84";      // U+F084
inline constexpr const char* k_icon_copy = "\xef\x83\x85";     // U+F0C5
inline constexpr const char* k_icon_desktop = "\xef\x84\x88";  // U+F108
inline constexpr const char* k_icon_mobile = "\xef\x84\x8b";   // U+F10B
inline constexpr const char* k_icon_columns = "\xef\x83\x9b";   // U+F0DB pipeline board
inline constexpr const char* k_icon_briefcase = "\xef\x82\xb1"; // U+F0B1 deal
inline constexpr const char* k_icon_building = "\xef\x86\xad";  // U+F1AD company
inline constexpr const char* k_icon_ticket = "\xef\x85\x85";    // U+F145 ticket
inline constexpr const char* k_icon_task = "\xef\x85\x8a";      // U+F14A task
inline constexpr const char* k_icon_cog = "\xef\x80\x93";       // U+F013 settings
inline constexpr const char* k_icon_tag = "\xef\x80\xab";       // U+F02B tags
inline constexpr const char* k_icon_pencil = "\xef\x81\x80";    // U+F040 edit
inline constexpr const char* k_icon_filter = "\xef\x82\xb0";    // U+F0B0 filters
inline constexpr const char* k_icon_undo = "\xef\x83\xa2";      // U+F0E2 restore / revert
inline constexpr const char* k_icon_history = "\xef\x87\x9a";   // U+F1DA history
inline constexpr const char* k_icon_note = "\xef\x89\x89";      // U+F249 notes

} // namespace stronghold::web::fonts

// Shared widgets: product-looking buttons and labelled fields that also register themselves
// in the accessibility mirror (so every view gets the mirror for free), plus toasts.
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>
#include <vector>

namespace stronghold::web::ui {

enum class ButtonKind { primary, secondary, danger, ghost };

// A button whose accessible name is `name` (the label without icon); disabled ones never fire.
bool button(std::string_view name, const char* label, ButtonKind kind = ButtonKind::secondary,
            ImVec2 size = {0, 0}, bool disabled = false);

struct FieldState {
    bool changed = false;     // text edited this frame
    bool deactivated = false; // focus left after an edit (validate now)
    bool entered = false;     // Enter pressed in the field (submit the form)
};

// Label above, input below, error under it (role alert, data-field = wire name).
// Multiline for list fields (one value per line). Accessible name = label.
// secret: drawn as dots, and the mirror's value is one '*' per character (never the text).
FieldState text_field(const char* label, std::string_view wire_field, std::string& value,
                      const std::string& error, float width, bool multiline = false, bool read_only = false,
                      const char* hint = nullptr, bool secret = false);

// A checkbox that is also a `checkbox` in the mirror (name = its label, aria-checked); true when
// the user changed it (never while disabled).
bool checkbox(const char* name, bool& value, bool disabled = false);
// An error in the danger colour, `alert` in the mirror with data-field = wire_field; nothing when
// empty. Wraps at wrap_width (device px from the cursor), or at the window's edge when 0.
void error_line(const std::string& message, std::string_view wire_field, float wrap_width = 0);
// "Someone else changed this..." (alert, with a warning icon) and a "Reload" button; true on Reload.
bool conflict_banner(const char* text, float width);
// The muted SemiBold label above a field (text_field and select draw their own).
void field_label(const char* label);

// A drop-down with its label above (like text_field): `combobox` named `label` in the mirror,
// text = the current option; while open its `option`s, named by their text, aria-selected.
// index -1 shows `placeholder`. True when the user picked another option. Error as text_field's.
bool select(const char* label, std::string_view wire_field, int& index, const std::vector<std::string>& options, float width,
            const std::string& error = {}, bool disabled = false, const char* placeholder = "Choose...");
// The same without the label above (table cells): the mirror name is `name`.
bool select_inline(const char* name, int& index, const std::vector<std::string>& options, float width, bool disabled = false);

// Tags as small accent pills left to right in a table cell (x, top y, width, row height); the
// ones that do not fit are left out.
void tag_pills(ImDrawList* dl, ImVec2 cell, float width, float row_h, const std::vector<std::string>& tags);
// 1234567 -> "1,234,567" (counts above the tables).
std::string with_thousands(long long n);

// A pill: text on a tinted background, at `at` (top-left, device px). Returns its size.
enum class BadgeKind { good, warning, neutral, accent, danger };
ImVec2 badge(ImDrawList* dl, ImVec2 at, std::string_view text, BadgeKind kind);
ImVec2 badge_size(std::string_view text);

// A modal dialog: opens while `wanted` is true, closes once it turns false (Escape sets it
// false). `dialog` named `name` in the mirror, holding its widgets' nodes.
// Rule: when begin_dialog() returns true, call end_dialog().
bool begin_dialog(const char* name, bool& wanted, float width_css, bool escape_closes = true);
void end_dialog();

void muted_text(std::string_view text);
void heading(const char* text, bool title = true); // SemiBold; registers role heading when title
void avatar(ImDrawList* dl, ImVec2 center, float radius, std::string_view name); // initials on a tinted disc
void spinner(ImVec2 center, float radius);        // draws one frame; callers keep redrawing while loading

// Toasts: short messages bottom right, for errors that have no field to sit under.
void toast(std::string message, bool error = true);
void draw_toasts();

} // namespace stronghold::web::ui

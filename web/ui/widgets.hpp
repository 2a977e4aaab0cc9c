// Shared widgets: product-looking buttons and labelled fields that also register themselves
// in the accessibility mirror (so every view gets the mirror for free), plus toasts.
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>

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
// An error in the danger colour, `alert` in the mirror with data-field = wire_field; nothing when empty.
void error_line(const std::string& message, std::string_view wire_field);

void muted_text(std::string_view text);
void heading(const char* text, bool title = true); // SemiBold; registers role heading when title
void avatar(ImDrawList* dl, ImVec2 center, float radius, std::string_view name); // initials on a tinted disc
void spinner(ImVec2 center, float radius);        // draws one frame; callers keep redrawing while loading

// Toasts: short messages bottom right, for errors that have no field to sit under.
void toast(std::string message, bool error = true);
void draw_toasts();

} // namespace stronghold::web::ui

// Accessibility mirror: ImGui draws pixels, so each frame the widgets we draw also register a
// node (role, accessible name, rect, state) here; end_frame() sends the tree to a hidden DOM
// (platform_web.js) when it changed. Screen readers read that DOM; the browser tests drive the
// dashboard through it (getByRole + click({force:true}) lands on the canvas under the node).
// Roles and names are a contract with tests/e2e: see web/CONTRACT.md.
//
// Rules: call begin_frame() before drawing and end_frame() after; every push() has a pop().
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stronghold::web::a11y {

using Attrs = std::vector<std::pair<std::string, std::string>>;

struct Node {
    std::string key;    // stable across frames: parent key + role + name (or next_key id) + occurrence
    std::string parent; // parent's key, "" for the root
    std::string role;   // ARIA role: button, textbox, table, row, cell, dialog, alert, ...
    std::string name;   // accessible name (aria-label); may be empty for cells/alerts
    std::string text;   // text content for leaves (cells, alerts, status)
    std::string value;  // textbox value
    bool has_text = false;
    ImVec2 min, max;    // CSS px
    Attrs attrs;        // aria-*/data-* extras
};

void begin_frame(float dpr);
void end_frame();                                  // serialises and updates the DOM if changed
const std::vector<Node>& nodes();                  // this frame's nodes (tests, debugging)
std::string serialize(const std::vector<Node>& n); // the JSON the JS side reads

// Keys the next node by `id` instead of its name: the rows of a virtual list keep their DOM
// elements while their names change (a page arrives, the row shows another contact).
void next_key(std::string_view id);
// Leaf over an explicit device-pixel rect.
void node(std::string_view role, std::string_view name, ImVec2 min, ImVec2 max, Attrs attrs = {});
// Leaf over the last ImGui item.
void item(std::string_view role, std::string_view name, Attrs attrs = {});
// Leaf with text content (cells, alerts, status) over the last ImGui item / a rect.
void text_item(std::string_view role, std::string_view name, std::string_view text, Attrs attrs = {});
void text_node(std::string_view role, std::string_view name, std::string_view text, ImVec2 min, ImVec2 max, Attrs attrs = {});
// Textbox over the last ImGui item, with its current value.
void textbox(std::string_view name, std::string_view value, bool invalid = false);
// Containers (dialog, table, row, menu): children registered until pop() go inside.
void push(std::string_view role, std::string_view name, ImVec2 min, ImVec2 max, Attrs attrs = {});
void pop();

} // namespace stronghold::web::a11y

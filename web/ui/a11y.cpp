// Accessibility mirror (see a11y.hpp): nodes registered while drawing, serialised to JSON at
// the end of the frame and handed to sh_a11y_update (platform_web.js) when the text changed.
//
// Index
// [SECTION] Frame state
// [SECTION] Serialisation
// [SECTION] Registration
#include "ui/a11y.hpp"

#include <stronghold/io/json_text.hpp>

#include <imgui_internal.h>

#include <map>

extern "C" void sh_a11y_update(const char* json);

namespace stronghold::web::a11y {

// [SECTION] Frame state
namespace {

float g_dpr = 1.0f;
std::vector<Node> g_nodes;
std::vector<std::string> g_stack;          // keys of open containers
std::map<std::string, int> g_occurrences;  // key prefix -> count this frame
std::string g_last;
std::string g_next_key;                    // next_key(): identity of the next node
bool g_has_next_key = false;
Node g_discard; // target for nodes of hidden windows

// A window's first frame is drawn hidden while ImGui measures it: its rects are not final,
// and a click aimed at them would miss. Such nodes (and their children) stay out of the mirror.
bool current_window_hidden() {
    const ImGuiWindow* w = ImGui::GetCurrentWindowRead();
    return w && (w->Hidden || w->HiddenFramesCannotSkipItems > 0 || w->HiddenFramesCanSkipItems > 0);
}
int g_hidden_depth = 0;  // > 0 while inside a container pushed from a hidden window

bool hidden() {
    if (g_hidden_depth == 0 && !current_window_hidden()) return false;
    g_has_next_key = false;
    return true;
}

Node& add(std::string_view role, std::string_view name, ImVec2 min, ImVec2 max, Attrs attrs) {
    if (hidden()) {
        g_discard = Node{};
        return g_discard;
    }
    Node n;
    n.parent = g_stack.empty() ? std::string() : g_stack.back();
    n.role = std::string(role);
    n.name = std::string(name);
    std::string base = n.parent + "/" + n.role + (g_has_next_key ? "@" + g_next_key : ":" + n.name);
    g_has_next_key = false;
    n.key = base + "#" + std::to_string(g_occurrences[base]++);
    n.min = {min.x / g_dpr, min.y / g_dpr};
    n.max = {max.x / g_dpr, max.y / g_dpr};
    n.attrs = std::move(attrs);
    g_nodes.push_back(std::move(n));
    return g_nodes.back();
}

} // namespace

void begin_frame(float dpr) {
    g_dpr = dpr > 0 ? dpr : 1.0f;
    g_nodes.clear();
    g_stack.clear();
    g_occurrences.clear();
    g_hidden_depth = 0;
    g_has_next_key = false;
}

// [SECTION] Serialisation
// Appended by hand (io::JsonObject), not built as nlohmann objects: the mirror is serialised every
// frame, and while a table jumped, building and dumping a json object per node (a map per attrs)
// was about a seventh of the frame. Invalid UTF-8 in names (user data) becomes U+FFFD.
std::string serialize(const std::vector<Node>& list) {
    std::string out;
    out.reserve(list.size() * 160);
    out += '[';
    for (const Node& n : list) {
        if (out.size() > 1) out += ',';
        io::JsonObject o(out);
        o.str("k", n.key);
        o.str("p", n.parent);
        o.str("r", n.role);
        o.str("n", n.name);
        o.num("x", static_cast<int>(n.min.x));
        o.num("y", static_cast<int>(n.min.y));
        o.num("w", static_cast<int>(n.max.x - n.min.x));
        o.num("h", static_cast<int>(n.max.y - n.min.y));
        if (n.has_text) o.str("t", n.text);
        if (n.role == "textbox") o.str("v", n.value);
        if (!n.attrs.empty()) {
            io::JsonObject a(o.key("a"));
            for (const auto& [k, v] : n.attrs) a.str(k, v);
            a.close();
        }
        o.close();
    }
    out += ']';
    return out;
}

void end_frame() {
    std::string json = serialize(g_nodes);
    if (json != g_last) {
        sh_a11y_update(json.c_str());
        g_last = std::move(json);
    }
}

const std::vector<Node>& nodes() { return g_nodes; }

// [SECTION] Registration
void next_key(std::string_view id) {
    g_next_key.assign(id);
    g_has_next_key = true;
}

void node(std::string_view role, std::string_view name, ImVec2 min, ImVec2 max, Attrs attrs) {
    add(role, name, min, max, std::move(attrs));
}

void item(std::string_view role, std::string_view name, Attrs attrs) {
    add(role, name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), std::move(attrs));
}

void text_node(std::string_view role, std::string_view name, std::string_view text, ImVec2 min, ImVec2 max, Attrs attrs) {
    Node& n = add(role, name, min, max, std::move(attrs));
    n.text = std::string(text);
    n.has_text = true;
}

void text_item(std::string_view role, std::string_view name, std::string_view text, Attrs attrs) {
    text_node(role, name, text, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), std::move(attrs));
}

void textbox(std::string_view name, std::string_view value, bool invalid) {
    Attrs attrs;
    if (invalid) attrs.emplace_back("aria-invalid", "true");
    Node& n = add("textbox", name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), std::move(attrs));
    n.value = std::string(value);
}

void push(std::string_view role, std::string_view name, ImVec2 min, ImVec2 max, Attrs attrs) {
    if (hidden()) {
        ++g_hidden_depth;
        return;
    }
    Node& n = add(role, name, min, max, std::move(attrs));
    g_stack.push_back(n.key);
}

void pop() {
    if (g_hidden_depth > 0) {
        --g_hidden_depth;
        return;
    }
    IM_ASSERT(!g_stack.empty() && "a11y::pop() without push()");
    if (!g_stack.empty()) g_stack.pop_back();
}

} // namespace stronghold::web::a11y

#include "ui/a11y.hpp"

#include <imgui_internal.h>
#include <nlohmann/json.hpp>

#include <map>

extern "C" void sh_a11y_update(const char* json);

namespace stronghold::web::a11y {
namespace {

float g_dpr = 1.0f;
std::vector<Node> g_nodes;
std::vector<std::string> g_stack;          // keys of open containers
std::map<std::string, int> g_occurrences;  // key prefix -> count this frame
std::string g_last;
Node g_discard; // target for nodes of hidden windows

// A window's first frame is drawn hidden while ImGui measures it: its rects are not final,
// and a click aimed at them would miss. Such nodes (and their children) stay out of the mirror.
bool current_window_hidden() {
    const ImGuiWindow* w = ImGui::GetCurrentWindowRead();
    return w && (w->Hidden || w->HiddenFramesCannotSkipItems > 0 || w->HiddenFramesCanSkipItems > 0);
}
int g_hidden_depth = 0;  // > 0 while inside a container pushed from a hidden window

Node& add(std::string_view role, std::string_view name, ImVec2 min, ImVec2 max, Attrs attrs) {
    if (g_hidden_depth > 0 || current_window_hidden()) {
        g_discard = Node{};
        return g_discard;
    }
    Node n;
    n.parent = g_stack.empty() ? std::string() : g_stack.back();
    n.role = std::string(role);
    n.name = std::string(name);
    std::string base = n.parent + "/" + n.role + ":" + n.name;
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
}

std::string serialize(const std::vector<Node>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const Node& n : list) {
        nlohmann::json j = {{"k", n.key}, {"p", n.parent}, {"r", n.role}, {"n", n.name},
                            {"x", static_cast<int>(n.min.x)}, {"y", static_cast<int>(n.min.y)},
                            {"w", static_cast<int>(n.max.x - n.min.x)}, {"h", static_cast<int>(n.max.y - n.min.y)}};
        if (n.has_text) j["t"] = n.text;
        if (n.role == "textbox") j["v"] = n.value;
        if (!n.attrs.empty()) {
            nlohmann::json a = nlohmann::json::object();
            for (const auto& [k, v] : n.attrs) a[k] = v;
            j["a"] = std::move(a);
        }
        out.push_back(std::move(j));
    }
    // Replace invalid UTF-8 rather than abort: names come from user data.
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void end_frame() {
    std::string json = serialize(g_nodes);
    if (json != g_last) {
        sh_a11y_update(json.c_str());
        g_last = std::move(json);
    }
}

const std::vector<Node>& nodes() { return g_nodes; }

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
    if (g_hidden_depth > 0 || current_window_hidden()) {
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

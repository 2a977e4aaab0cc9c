// The one place that knows it runs in a browser: GLFW window on the page's canvas, the
// emscripten main loop (paused when idle), device-pixel sizing, wheel scaling, clipboard.
//
// Index
// [SECTION] JS imports
// [SECTION] State and small helpers
// [SECTION] Input glue (wheel, clipboard, input trickling)
// [SECTION] Size and DPR
// [SECTION] Main loop
// [SECTION] Public API

#include "ui/platform.hpp"

#include "net/http.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"

#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>
#include <cstdlib>
#include <string>

// [SECTION] JS imports (platform_web.js)
extern "C" {
void sh_platform_init();
int sh_wheel_mode();
double sh_css_width();
double sh_css_height();
double sh_device_pixel_ratio();
void sh_set_canvas_size(int w, int h);
void sh_clipboard_write(const char* text);
char* sh_clipboard_read();
void sh_navigate(const char* url);
void sh_set_state(const char* state);
void sh_frame_begin();
void sh_frame_drawn();
void sh_announce_ready();
void sh_announce_fatal(const char* message);
char* sh_ws_origin();
char* sh_url_encode(const char* text);
void sh_pick_file(int ticket, const char* accept);
void sh_forget_file(int handle);
void sh_upload_file(int ticket, int handle, const char* url);
void sh_download(int ticket, const char* url, const char* filename);
}

namespace stronghold::web::platform {
namespace {

// [SECTION] State and small helpers
GLFWwindow* g_window = nullptr;
FrameFn g_frame;
int g_frames_left = 0;
bool g_paused = false;
float g_dpr = 1.0f;
int g_css_w = 0, g_css_h = 0;
unsigned long long g_frames = 0;
std::string g_clipboard; // keeps the pointer handed to ImGui alive until the next call
std::uint64_t g_last_hash = 0;

// Fingerprint of what the frame drew. Render on demand draws until two frames in a row look
// the same, so an input costs as few frames as its effect needs (2 for a hover, more while a
// popup opens or a list scrolls), and nothing when idle.
std::uint64_t draw_hash(const ImDrawData* data) {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](const void* p, std::size_t n) {
        const auto* b = static_cast<const unsigned char*>(p);
        for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
    };
    for (int i = 0; i < data->CmdListsCount; ++i) {
        const ImDrawList* list = data->CmdLists[i];
        mix(list->VtxBuffer.Data, static_cast<std::size_t>(list->VtxBuffer.Size) * sizeof(ImDrawVert));
        mix(list->IdxBuffer.Data, static_cast<std::size_t>(list->IdxBuffer.Size) * sizeof(ImDrawIdx));
        const int n = list->CmdBuffer.Size;
        mix(&n, sizeof n);
    }
    // Interaction state that may change with no pixel changing yet (a press, an opening popup).
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    const ImGuiID ids[] = {g.ActiveId, g.HoveredId, g.NavId, static_cast<ImGuiID>(g.OpenPopupStack.Size)};
    mix(ids, sizeof ids);
    return h;
}

// A window's first frame is measured, not shown: it needs one more frame to appear.
bool window_appearing() {
    for (const ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
        if (w->Active && (w->HiddenFramesCannotSkipItems > 0 || w->HiddenFramesCanSkipItems > 0)) return true;
    return false;
}

std::string take_js_string(char* p) {
    std::string s = p ? p : "";
    std::free(p);
    return s;
}

// [SECTION] Input glue
// GLFW passes the browser's deltaY unscaled and unflipped (about 100 per notch in pixel mode,
// 3 in line mode). ImGui scrolls 5 lines per unit; 0.6 units per notch gives ~3 lines.
void on_scroll(GLFWwindow* window, double dx, double dy) {
    const int mode = sh_wheel_mode();
    const double per_notch = mode == 0 ? 100.0 : mode == 1 ? 3.0 : 1.0;
    ImGui_ImplGlfw_ScrollCallback(window, -dx / per_notch * 0.6, -dy / per_notch * 0.6);
    request_redraw();
}

// GLFW's clipboard in emscripten is a stub: copy goes to navigator.clipboard, paste comes
// from the DOM paste event (platform_web.js).
const char* get_clipboard(void*) {
    g_clipboard = take_js_string(sh_clipboard_read());
    return g_clipboard.c_str();
}
void set_clipboard(void*, const char* text) { sh_clipboard_write(text); }

// Input trickling. Dear ImGui 1.86 polls state once per frame, so events that arrive between
// two frames can be reordered or lost: a click on field B followed by typing reaches ImGui
// while field A is still active (the first letters land in A), and a key pressed and released
// within one frame is never seen. Events are queued here in arrival order and handed over a
// frame at a time: a click gets its own frame (with the cursor where it was clicked), and a key
// release waits for the frame after its press. (1.87 added such a queue to ImGui itself.)
struct InputEvent {
    enum Kind { mouse_button, key, character } kind;
    int a = 0, b = 0, c = 0, d = 0;
    double x = 0, y = 0;
};
std::deque<InputEvent> g_input;

void on_mouse_button(GLFWwindow* window, int button, int action, int mods) {
    double x = 0, y = 0;
    glfwGetCursorPos(window, &x, &y);
    g_input.push_back({InputEvent::mouse_button, button, action, mods, 0, x, y});
    request_redraw();
}
// macOS browsers send no keyup for a key released while Cmd is down (Cmd+K, Cmd+C): ImGui would
// hold it forever and never see the next press. Releasing Cmd releases what is still held.
std::vector<int> g_held;
void on_key(GLFWwindow*, int key, int scancode, int action, int mods) {
    g_input.push_back({InputEvent::key, key, scancode, action, mods});
    if (action == GLFW_PRESS && std::find(g_held.begin(), g_held.end(), key) == g_held.end()) g_held.push_back(key);
    if (action == GLFW_RELEASE) {
        std::erase(g_held, key);
        if (key == GLFW_KEY_LEFT_SUPER || key == GLFW_KEY_RIGHT_SUPER) {
            for (int held : g_held) g_input.push_back({InputEvent::key, held, 0, GLFW_RELEASE, 0});
            g_held.clear();
        }
    }
    request_redraw();
}
void on_char(GLFWwindow*, unsigned int c) {
    g_input.push_back({InputEvent::character, static_cast<int>(c)});
    request_redraw();
}

// Hands this frame's share of the queue to the backend; returns where a click happened.
std::optional<ImVec2> deliver_input() {
    std::optional<ImVec2> click_at;
    std::vector<int> pressed, released; // keys pressed / released in this delivery
    const auto in = [](const std::vector<int>& keys, int key) { return std::find(keys.begin(), keys.end(), key) != keys.end(); };
    while (!g_input.empty()) {
        const InputEvent e = g_input.front();
        if (click_at && !(e.kind == InputEvent::mouse_button && e.b == GLFW_RELEASE)) break; // after a click: next frame
        if (e.kind == InputEvent::key && e.c == GLFW_RELEASE && in(pressed, e.a)) break; // release: next frame
        // A press right after a release of the same key (quick Backspaces) is a new press only
        // if ImGui sees the key up for a frame in between; else it reads one long hold.
        if (e.kind == InputEvent::key && e.c != GLFW_RELEASE && in(released, e.a)) break;
        if (e.kind == InputEvent::mouse_button && e.b == GLFW_PRESS && !pressed.empty()) break;
        g_input.pop_front();
        switch (e.kind) {
        case InputEvent::mouse_button:
            ImGui_ImplGlfw_MouseButtonCallback(g_window, e.a, e.b, e.c);
            click_at = ImVec2(static_cast<float>(e.x), static_cast<float>(e.y));
            break;
        case InputEvent::key:
            ImGui_ImplGlfw_KeyCallback(g_window, e.a, e.b, e.c, e.d);
            if (e.c == GLFW_PRESS) pressed.push_back(e.a);
            if (e.c == GLFW_RELEASE) released.push_back(e.a);
            break;
        case InputEvent::character: ImGui_ImplGlfw_CharCallback(g_window, static_cast<unsigned>(e.a)); break;
        }
    }
    if (!g_input.empty()) request_redraw(1);
    return click_at;
}

// [SECTION] Size and DPR
// The canvas backing store is CSS size x DPR, so text is sharp; GLFW's mouse positions are
// already scaled to backing pixels by emscripten (Browser.calculateMouseEvent), so ImGui works
// in device pixels throughout and only the mirror divides by DPR.
void follow_size() {
    const double dpr = std::clamp(sh_device_pixel_ratio(), 0.5, 4.0);
    const int css_w = static_cast<int>(sh_css_width());
    const int css_h = static_cast<int>(sh_css_height());
    const bool dpr_changed = std::fabs(dpr - g_dpr) > 0.01 || !fonts::built();
    if (css_w != g_css_w || css_h != g_css_h || dpr_changed) {
        g_css_w = css_w;
        g_css_h = css_h;
        g_dpr = static_cast<float>(dpr);
        sh_set_canvas_size(std::max(1, static_cast<int>(std::lround(css_w * dpr))),
                           std::max(1, static_cast<int>(std::lround(css_h * dpr))));
    }
    if (dpr_changed && fonts::loaded()) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        fonts::build(g_dpr);
        theme::apply(g_dpr);
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
}

// [SECTION] Main loop
void loop() {
    net::pump();
    follow_size();
    if (g_frames_left <= 0 || !fonts::built()) {
        // Nothing to draw, or fonts still on their way (their arrival wakes us): stop the rAF
        // loop until woken, so an idle dashboard burns no CPU.
        emscripten_pause_main_loop();
        g_paused = true;
        return;
    }
    --g_frames_left;
    sh_frame_begin();

    const std::optional<ImVec2> click_at = deliver_input();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    if (click_at) ImGui::GetIO().MousePos = *click_at; // the cursor may have moved on since
    ImGui::NewFrame();
    a11y::begin_frame(g_dpr);
    g_frame();
    a11y::end_frame();
    ImGui::Render();
    const std::uint64_t hash = draw_hash(ImGui::GetDrawData());
    if (hash != g_last_hash || window_appearing()) g_frames_left = std::max(g_frames_left, 1); // still changing: look again
    g_last_hash = hash;

    int w = 0, h = 0;
    glfwGetFramebufferSize(g_window, &w, &h);
    glViewport(0, 0, w, h);
    const ImVec4 bg = theme::background();
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ++g_frames;
    sh_frame_drawn();
}

} // namespace

// [SECTION] Public API
int run(FrameFn frame) {
    g_frame = std::move(frame);
    sh_platform_init();
    if (!glfwInit()) {
        sh_announce_fatal("The browser could not start the dashboard (GLFW).");
        return 1;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    g_window = glfwCreateWindow(1280, 800, "Stronghold", nullptr, nullptr);
    if (!g_window) {
        sh_announce_fatal("This browser has no WebGL2; the dashboard needs it.");
        return 1;
    }
    glfwMakeContextCurrent(g_window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;                    // no layout persistence in the browser (no FS)
    io.ConfigInputTextCursorBlink = false;       // a blinking caret would need frames forever
    io.ConfigWindowsMoveFromTitleBarOnly = true;
    ImGui_ImplGlfw_InitForOpenGL(g_window, true);
    glfwSetScrollCallback(g_window, on_scroll);  // replaces the backend's; we forward scaled
    glfwSetMouseButtonCallback(g_window, on_mouse_button); // these three queue (see deliver_input)
    glfwSetKeyCallback(g_window, on_key);
    glfwSetCharCallback(g_window, on_char);
    io.GetClipboardTextFn = get_clipboard;
    io.SetClipboardTextFn = set_clipboard;
    ImGui_ImplOpenGL3_Init("#version 300 es");

    fonts::start_loading();
    request_redraw();
    emscripten_set_main_loop(loop, 0, false);
    return 0;
}

void request_redraw(int frames) {
    g_frames_left = std::max(g_frames_left, frames);
    if (g_paused) {
        g_paused = false;
        emscripten_resume_main_loop();
    }
}

void redraw_after(int milliseconds) {
    emscripten_set_timeout([](void*) { request_redraw(); }, milliseconds, nullptr);
}

float dpr() { return g_dpr; }
double now_ms() { return emscripten_get_now(); }
void navigate(const std::string& url) { sh_navigate(url.c_str()); }
void set_test_state(const char* state) { sh_set_state(state); }
void announce_ready() { sh_announce_ready(); }
std::string ws_origin() { return take_js_string(sh_ws_origin()); }
std::string url_encode(const std::string& text) { return take_js_string(sh_url_encode(text.c_str())); }
unsigned long long frame_count() { return g_frames; }

// Files and downloads: each JS operation answers once through sh_transfer_done(ticket, ...).
namespace {
int g_next_ticket = 1;
std::map<int, TransferFn> g_transfers;
int park(TransferFn done) {
    const int ticket = g_next_ticket++;
    g_transfers.emplace(ticket, std::move(done));
    return ticket;
}
} // namespace

void transfer_done(int ticket, int status, std::string body) {
    auto it = g_transfers.find(ticket);
    if (it == g_transfers.end()) return;
    TransferFn done = std::move(it->second);
    g_transfers.erase(it);
    net::post_to_main_loop([done = std::move(done), status, body = std::move(body)] { done(status, body); });
}

void pick_csv_file(std::function<void(const PickedFile&)> done) {
    const int ticket = park([done = std::move(done)](int status, const std::string& body) {
        PickedFile f;
        if (status < 0) f.error = body;
        if (status == 1) {
            const auto j = nlohmann::json::parse(body, nullptr, false);
            if (j.is_object()) {
                f.handle = j.value("handle", 0);
                f.name = j.value("name", std::string());
                f.size = j.value("size", 0.0);
                if (auto h = j.find("headers"); h != j.end() && h->is_array())
                    for (const auto& v : *h) f.headers.push_back(v.is_string() ? v.get<std::string>() : std::string());
            }
        }
        done(f);
    });
    sh_pick_file(ticket, ".csv,text/csv");
}
void forget_file(int handle) { sh_forget_file(handle); }
void upload_file(int handle, const std::string& url, TransferFn done) { sh_upload_file(park(std::move(done)), handle, url.c_str()); }
void download(const std::string& url, const std::string& filename, TransferFn done) {
    sh_download(park(std::move(done)), url.c_str(), filename.c_str());
}

} // namespace stronghold::web::platform

// Called from platform_web.js on every input event.
extern "C" EMSCRIPTEN_KEEPALIVE void sh_wake(int frames) { stronghold::web::platform::request_redraw(frames); }
extern "C" EMSCRIPTEN_KEEPALIVE void sh_transfer_done(int ticket, int status, char* body) {
    std::string text = body ? body : "";
    std::free(body);
    stronghold::web::platform::transfer_done(ticket, status, std::move(text));
}

// The browser host: window, input, main loop, clipboard, navigation. All Emscripten- and
// GLFW-specific code of the dashboard lives behind this header (platform_web.cpp +
// platform_web.js); views and app code never include <emscripten/...>.
//
// Render on demand: the loop draws only while something may change. Input events, network
// answers (net::post_to_main_loop) and timers call request_redraw(); when the frame budget is
// used up the loop pauses and the page burns no CPU.
#pragma once

#include <functional>
#include <string>

namespace stronghold::web::platform {

using FrameFn = std::function<void()>;

int run(FrameFn frame);                 // creates the window and ImGui, then runs `frame` each drawn frame; returns at once (browser owns the loop)
void request_redraw(int frames = 2);    // draw at least `frames` more frames (then on while the picture still changes)
void redraw_after(int milliseconds);    // schedule a redraw (debounce, toast expiry)
float dpr();                            // devicePixelRatio used for this frame (fonts and style are scaled by it)
double now_ms();                        // monotonic milliseconds
void navigate(const std::string& url);  // leaves the page (e.g. to /login.html)
void set_test_state(const char* state); // what window.__stronghold.state() answers: "loading" | "ready" | "error"
void announce_ready();                  // dispatches `stronghold:ready` on window (once)
std::string ws_origin();                // "wss://host:port" of the page (ws:// under plain http)
std::string url_encode(const std::string& text); // encodeURIComponent
unsigned long long frame_count();       // frames drawn so far

} // namespace stronghold::web::platform

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
#include <vector>

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

// Files and downloads (CRM-4): the bytes stay in the browser, never in WASM memory. Each
// `done` runs once, on the main loop (like a network answer).
struct PickedFile {
    int handle = 0;                   // for upload_file / forget_file; 0 when nothing was picked
    std::string name;
    double size = 0;                  // bytes
    std::vector<std::string> headers; // the CSV header row
    std::string error;                // set when the file could not be read
};
using TransferFn = std::function<void(int status, const std::string& body)>; // status 0: no answer
void pick_csv_file(std::function<void(const PickedFile&)> done); // the browser's file chooser
void forget_file(int handle);
void upload_file(int handle, const std::string& url, TransferFn done); // POST, body = the file, text/csv
// GET url; a 2xx body is saved by the browser as `filename` (done gets status, ""), any other
// answer is handed to done with its body.
void download(const std::string& url, const std::string& filename, TransferFn done);

} // namespace stronghold::web::platform

// HttpClient over emscripten_fetch (XMLHttpRequest underneath: same-origin, so the HttpOnly
// session cookie goes along without JS ever seeing it).
#include "net/http.hpp"

#include "ui/platform.hpp"

#include <emscripten/emscripten.h>
#include <emscripten/fetch.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <deque>

namespace stronghold::web::net {
namespace {

struct Pending {
    HttpRequest request;
    HttpCallback done;
};

std::deque<std::function<void()>> g_queue;
int g_in_flight = 0;
bool g_pump_scheduled = false;

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Pulls the two headers we use out of the raw "name: value\r\n" block.
void read_headers(emscripten_fetch_t* fetch, HttpResponse& out) {
    const size_t n = emscripten_fetch_get_response_headers_length(fetch);
    if (n == 0) return;
    std::string raw(n + 1, '\0');
    emscripten_fetch_get_response_headers(fetch, raw.data(), raw.size());
    raw.resize(n);
    size_t pos = 0;
    while (pos < raw.size()) {
        size_t eol = raw.find('\n', pos);
        if (eol == std::string::npos) eol = raw.size();
        std::string line = raw.substr(pos, eol - pos);
        pos = eol + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string name = lower(line.substr(0, colon));
        size_t v = colon + 1;
        while (v < line.size() && line[v] == ' ') ++v;
        if (name == "etag") out.etag = line.substr(v);
        else if (name == "retry-after") out.retry_after_s = std::atoi(line.c_str() + v);
    }
}

void finish(emscripten_fetch_t* fetch) {
    auto* pending = static_cast<Pending*>(fetch->userData);
    HttpResponse response;
    response.status = fetch->status;
    if (fetch->data && fetch->numBytes > 0) response.body.assign(fetch->data, static_cast<size_t>(fetch->numBytes));
    if (fetch->status != 0) read_headers(fetch, response);
    emscripten_fetch_close(fetch); // completed, not aborted: safe
    --g_in_flight;
    post_to_main_loop([done = std::move(pending->done), response = std::move(response)] { done(response); });
    delete pending;
}

// Starts the XHR of a send(), in a task of its own.
void start(void* arg) {
    auto* pending = static_cast<Pending*>(arg);
    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    std::strncpy(attr.requestMethod, pending->request.method.c_str(), sizeof(attr.requestMethod) - 1);
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    attr.onsuccess = finish;
    attr.onerror = finish;
    attr.userData = pending;
    attr.timeoutMSecs = 30000;

    // NULL-terminated name/value array; the strings live in `pending` until the call returns
    // (the XHR copies them synchronously).
    std::vector<const char*> headers;
    headers.push_back("Accept");
    headers.push_back("application/json");
    if (!pending->request.body.empty()) {
        headers.push_back("Content-Type");
        headers.push_back("application/json");
        attr.requestData = pending->request.body.data();
        attr.requestDataSize = pending->request.body.size();
    }
    for (const auto& [name, value] : pending->request.headers) {
        headers.push_back(name.c_str());
        headers.push_back(value.c_str());
    }
    headers.push_back(nullptr);
    attr.requestHeaders = headers.data();
    emscripten_fetch(&attr, pending->request.url.c_str());
}

} // namespace

void send(HttpRequest request, HttpCallback done) {
    ++g_in_flight;
    // Not in the caller's frame: creating and sending an XHR costs the page 1-3 ms of CPU, and the
    // frame where a scrollbar jump lands on the contacts table asks for its pages (issue 5).
    emscripten_async_call(start, new Pending{std::move(request), std::move(done)}, 0);
}

void post_to_main_loop(std::function<void()> task) {
    g_queue.push_back(std::move(task));
    // Also pumped in a task of its own, between frames: reading a page of 100 contacts (JSON
    // parse) took 2-3 ms of the frame after it arrived (issue 5). Whichever runs first drains the
    // queue in order.
    if (!g_pump_scheduled) {
        g_pump_scheduled = true;
        emscripten_async_call([](void*) { g_pump_scheduled = false; pump(); }, nullptr, 0);
    }
    platform::request_redraw();
}

void pump() {
    // Callbacks may queue more work; run only what was queued before this pump.
    size_t n = g_queue.size();
    while (n-- > 0 && !g_queue.empty()) {
        auto task = std::move(g_queue.front());
        g_queue.pop_front();
        task();
    }
}

int in_flight() { return g_in_flight; }

} // namespace stronghold::web::net

// Async HTTP for the dashboard. Requests go out right after the caller's frame; answers are
// queued and delivered by pump() (each frame, and in a task of its own soon after they arrive),
// never from inside a browser's network callback, so views see them between frames like any
// other input.
//
// Rules for callers:
// - A callback may outlive the view that asked. Capture a Lifetime::Weak and check it first
//   (see guard()); a late answer for a view that is gone is dropped, never a crash.
// - Requests are never aborted: emscripten 3.1.6 corrupts state when an in-flight
//   emscripten_fetch is cancelled (fixed in 3.1.20), so we ignore late answers instead.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace stronghold::web::net {

struct HttpRequest {
    std::string method = "GET";
    std::string url;  // same-origin path, e.g. "/api/v1/me"
    std::string body; // sent when non-empty (always application/json here)
    std::vector<std::pair<std::string, std::string>> headers;
};

struct HttpResponse {
    int status = 0;   // 0: no answer (network down, CORS, timeout)
    std::string body;
    std::string etag; // raw header value, quotes included
    int retry_after_s = 0;
};

using HttpCallback = std::function<void(const HttpResponse&)>;

void send(HttpRequest request, HttpCallback done);   // queues `done` for pump() when the answer arrives
void post_to_main_loop(std::function<void()> task);  // runs task in the next pump() (soon, or the next frame's); wakes the loop
void pump();                                         // runs queued callbacks; called once per frame by the platform
int in_flight();                                     // requests sent and not answered yet

// A token views hold; callbacks check it so late answers after the view went away are dropped.
class Lifetime {
public:
    using Weak = std::weak_ptr<int>;
    Weak weak() const { return m_alive; }
    void reset() { m_alive = std::make_shared<int>(0); } // forget every outstanding callback
private:
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
};

// Wraps fn so it runs only while the token's owner is alive and has not reset it.
template <class Fn>
auto guard(Lifetime::Weak alive, Fn fn) {
    return [alive = std::move(alive), fn = std::move(fn)](auto&&... args) {
        if (alive.expired()) return;
        fn(std::forward<decltype(args)>(args)...);
    };
}

} // namespace stronghold::web::net

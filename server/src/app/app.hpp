// The application behind the network layer: routes a Request to its handler and completes it
// with a Response. net/ calls handle() on an I/O thread; App never blocks that thread: it runs
// handlers on its own bounded worker pool and password hashing on a separate bounded pool,
// then calls `done` from a worker thread.
#pragma once

#include "stronghold/api/result.hpp"
#include "net/message.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace stronghold::server {

class LiveHub;

struct AppConfig {
    std::string data_dir;
    std::string web_root;       // folder with dashboard.html, its .js/.wasm and fonts
    bool dev = false;
    // Base of links in mails ("https://crm.example.com"). Never taken from a request's Host
    // header: a forged Host must not put an attacker's host into a password-reset mail.
    std::string public_url;
    std::size_t max_body_bytes = 1024 * 1024; // JSON bodies; net/ enforces it while reading
    int handler_threads = 4;
    int hash_threads = 2;       // Argon2id workers (bounded: a login flood cannot starve the rest)
    std::size_t hash_queue_limit = 64; // beyond this, logins answer 503 unavailable
};

// The one kind of body net/ streams to disk (NetConfig::stream_upload): a CSV import upload,
// POST of `text/csv` to a path ending in "/import" (DESIGN.md "Limits"). Every other body is
// read into memory under max_body_bytes.
bool accepts_streamed_upload(std::string_view method, std::string_view path, std::string_view content_type);

// Who a live WebSocket belongs to, decided from the upgrade request.
struct LiveAuth {
    std::string account_id;
    std::string user_id;
    std::string session_hash;
    std::int64_t expires_at = 0; // staff: when the JITA grant that opened the sub-account ends
};

class App {
public:
    virtual ~App() = default;
    // Completes exactly once with the response (security headers included).
    virtual void handle(Request request, std::function<void(Response)> done) = 0;
    // Checks Origin, session cookie and permission to open account_id for
    // `/api/v1/live?account_id=`; completes once, from a worker thread. On error net/ answers
    // the upgrade with the error's status and JSON body instead of upgrading.
    virtual void authorize_live(Request upgrade, std::function<void(Result<LiveAuth>)> done) = 0;
    virtual LiveHub& live() = 0;
};

} // namespace stronghold::server

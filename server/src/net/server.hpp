// HttpServer: HTTPS and the live WebSocket on one port (Boost.Beast/Asio). It only moves bytes:
// it parses requests under limits and timeouts, hands each one to App, and writes the answer.
// Beast stays out of this header (pimpl), so including it costs little.
//
// Lifetime: the App and the ssl::context must outlive the HttpServer.
#pragma once

#include "net/message.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace boost::asio::ssl {
class context;
}

namespace stronghold::server {

class App;

// The headers net/ puts on its own errors (413, 431, 400): a strict minimal set. main.cpp
// passes the app's add_security_headers instead, so every response carries the same policy.
void net_default_security_headers(Response& response);

struct NetConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0; // 0: the OS picks one; start() returns it
    int io_threads = 2;
    std::size_t header_limit = 16 * 1024;       // 431 beyond (DESIGN.md "Limits")
    std::size_t body_limit = 1024 * 1024;       // 413 beyond; main.cpp copies AppConfig::max_body_bytes
    std::size_t ws_message_limit = 64 * 1024;   // a larger client frame closes the socket
    std::size_t ws_send_queue_limit = 1024;     // a client this far behind is closed, not buffered
    unsigned max_requests_per_connection = 1000; // then Connection: close
    std::chrono::milliseconds handshake_timeout{10'000};
    std::chrono::milliseconds header_timeout{10'000}; // whole header, first byte to blank line (slowloris)
    std::chrono::milliseconds body_timeout{30'000};
    std::chrono::milliseconds write_timeout{30'000};
    std::chrono::milliseconds idle_timeout{60'000};   // keep-alive wait for the next request
    std::chrono::milliseconds drain_timeout{5'000};   // stop() waits this long for requests in flight
    std::function<void(Response&)> add_security_headers = net_default_security_headers;
    // Streamed uploads (DESIGN.md "Limits: CSV uploads streamed"): a request this says yes to,
    // from its method, path and Content-Type, is read to a TempFile in upload_dir instead of
    // memory (Request::body_file), up to upload_limit bytes on disk (413 beyond), with
    // body_timeout between two reads instead of for the whole body. Unset: nothing is streamed
    // and every body has body_limit. main.cpp passes the app's accepts_streamed_upload.
    std::function<bool(std::string_view method, std::string_view path, std::string_view content_type)> stream_upload;
    std::string upload_dir;                                 // temp_dir_of(data dir)
    std::uint64_t upload_limit = 2ULL * 1024 * 1024 * 1024; // 2 GiB on disk
};

class HttpServer {
public:
    HttpServer(NetConfig config, boost::asio::ssl::context& tls, App& app);
    ~HttpServer(); // stops and joins if still running
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    std::uint16_t start(); // binds and listens; returns the bound port; throws std::system_error on failure
    void run();            // runs the I/O threads (the caller's is one of them) until stop()
    void stop();           // stops accepting, waits up to drain_timeout for requests in flight, ends run();
                           // thread-safe, idempotent; call it from outside the I/O threads

    std::size_t open_connections() const; // for tests and metrics

private:
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

} // namespace stronghold::server

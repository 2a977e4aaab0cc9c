// Internal to net/: Beast types and the state sessions share. Only net/*.cpp include this, so
// Beast's headers stay out of everything else.
#pragma once

#include "app/app.hpp"
#include "net/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <atomic>
#include <memory>
#include <string>

namespace stronghold::server::net_detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;
using FileRequest = http::request<http::file_body>;   // a streamed upload
using FileResponse = http::response<http::file_body>; // a Response with body_file

// What every session of one server shares. Sessions hold a plain reference: the io_context is
// the last member, so it is destroyed first and takes every queued session with it while the
// rest is still alive. Callbacks that App may run late hold a
// shared_ptr instead, so the io_context they post to outlives them.
struct ServerState {
    ServerState(NetConfig c, ssl::context& t, App& a) : config(std::move(c)), tls(t), app(a) {}

    NetConfig config;
    ssl::context& tls;
    App& app;
    std::atomic<std::size_t> connections{0};
    std::atomic<std::size_t> in_flight{0}; // requests handed to App and not yet answered
    std::atomic<bool> stopping{false};
    asio::io_context ioc;
};

Request to_request(BeastRequest&& request, const std::string& remote_ip);
Request to_request(FileRequest&& request, std::shared_ptr<const TempFile> body_file, const std::string& remote_ip);
BeastResponse to_beast(Response&& response, unsigned version, bool keep_alive);
// A Response with body_file: the file opened for reading; ec set when it cannot be.
FileResponse to_beast_file(Response&& response, unsigned version, bool keep_alive, beast::error_code& ec);
// A JSON error per DESIGN.md, with the security headers, from net/ itself.
Response make_error_response(const ServerState& state, const api::Error& error);
// Connection-level failures are routine (clients vanish): debug level, never request data.
void log_failure(const beast::error_code& ec, const char* what);
bool is_harmless(const beast::error_code& ec);

// Takes over an upgraded TLS stream and runs the live WebSocket (websocket_session.cpp).
void run_websocket(ServerState& state, TlsStream stream, BeastRequest upgrade, LiveAuth auth);

} // namespace stronghold::server::net_detail

// [SECTION] Conversions and errors - Beast <-> Request/Response, net's own JSON errors, logging
// [SECTION] HttpSession            - one TLS connection: detect, handshake, read, hand to App, write
// [SECTION] Listener               - accepts connections, each on its own strand
// [SECTION] HttpServer             - start, run, stop
#include "net/server.hpp"

#include "net/detail.hpp"
#include "util/log.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <thread>
#include <vector>

namespace stronghold::server {

void net_default_security_headers(Response& response)
{
    // net/ only ever answers with JSON errors: nothing on such a page may load or frame it.
    response.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    response.set_header("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "no-referrer");
    response.set_header("X-Frame-Options", "DENY");
    response.set_header("Cache-Control", "no-store");
}

namespace net_detail {

// [SECTION] Conversions and errors

Request to_request(BeastRequest&& request, const std::string& remote_ip)
{
    Request out;
    out.method = std::string(request.method_string());
    out.target = std::string(request.target());
    out.headers.reserve(16);
    for (const auto& field : request)
        out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    out.body = std::move(request.body());
    out.remote_ip = remote_ip;
    return out;
}

namespace {

// Framing is net's business: App cannot set these, so it cannot desynchronise the connection.
bool is_framing_header(std::string_view name)
{
    return iequals(name, "Connection") || iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
           iequals(name, "Keep-Alive") || iequals(name, "Upgrade");
}

bool has_line_break(std::string_view s)
{
    return s.find_first_of("\r\n") != std::string_view::npos;
}

} // namespace

BeastResponse to_beast(Response&& response, unsigned version, bool keep_alive)
{
    BeastResponse out{static_cast<http::status>(response.status), version};
    for (auto& [name, value] : response.headers) {
        if (is_framing_header(name))
            continue;
        // A line break in a header would split the response (a bug upstream): drop, never send.
        if (name.empty() || has_line_break(name) || has_line_break(value)) {
            log::write(log::Level::warn, "net.header_dropped", {{"header", name}});
            continue;
        }
        out.insert(name, value);
    }
    out.keep_alive(keep_alive);
    const int status = response.status;
    if ((status >= 100 && status < 200) || status == 204 || status == 304)
        return out; // no body and no Content-Length allowed (RFC 9110 8.6)
    out.body() = std::move(response.body);
    out.prepare_payload();
    return out;
}

Response make_error_response(const ServerState& state, const api::Error& error)
{
    Response response;
    response.status = api::http_status(error.code);
    response.body = api::to_json(error).dump();
    response.set_header("Content-Type", "application/json");
    if (state.config.add_security_headers)
        state.config.add_security_headers(response);
    return response;
}

bool is_harmless(const beast::error_code& ec)
{
    return ec == asio::error::operation_aborted || ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == ssl::error::stream_truncated;
}

void log_failure(const beast::error_code& ec, const char* what)
{
    if (ec == asio::error::operation_aborted)
        return;
    log::write(log::Level::debug, "net.connection_error", {{"op", what}, {"error", ec.message()}});
}

// [SECTION] HttpSession

namespace {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(ServerState& state, std::weak_ptr<ServerState> owner, tcp::socket&& socket)
        : m_state(state), m_owner(std::move(owner)), m_stream(std::move(socket), state.tls)
    {
        ++m_state.connections;
        beast::error_code ec;
        auto peer = beast::get_lowest_layer(m_stream).socket().remote_endpoint(ec);
        if (!ec)
            m_remote_ip = peer.address().to_string();
    }
    ~HttpSession() { --m_state.connections; }

    void run()
    {
        // The constructor ran on the acceptor's strand; everything after runs on ours.
        asio::dispatch(m_stream.get_executor(), beast::bind_front_handler(&HttpSession::do_detect, shared_from_this()));
    }

private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(m_stream); }

    void do_detect()
    {
        // One deadline for detection and handshake: a silent client is dropped after it.
        lowest().expires_after(m_state.config.handshake_timeout);
        beast::async_detect_ssl(lowest(), m_buffer,
                                beast::bind_front_handler(&HttpSession::on_detect, shared_from_this()));
    }

    void on_detect(beast::error_code ec, bool is_tls)
    {
        if (ec)
            return log_failure(ec, "detect");
        if (!is_tls) {
            // HTTPS only: plain HTTP on this port gets no answer (an answer would be in clear).
            log::write(log::Level::debug, "net.plain_http_refused");
            return close_socket();
        }
        m_stream.async_handshake(ssl::stream_base::server, m_buffer.data(),
                                 beast::bind_front_handler(&HttpSession::on_handshake, shared_from_this()));
    }

    void on_handshake(beast::error_code ec, std::size_t used)
    {
        if (ec)
            return log_failure(ec, "handshake");
        m_buffer.consume(used);
        do_read_header();
    }

    // Between keep-alive requests the client may stay silent up to idle_timeout; once a byte
    // arrives, the whole header must follow within header_timeout (slowloris).
    void do_wait_for_request()
    {
        if (m_buffer.size() > 0) // a pipelined request is already here
            return do_read_header();
        lowest().expires_after(m_state.config.idle_timeout);
        m_stream.async_read_some(m_buffer.prepare(4096),
                                 beast::bind_front_handler(&HttpSession::on_first_bytes, shared_from_this()));
    }

    void on_first_bytes(beast::error_code ec, std::size_t n)
    {
        if (ec)
            return is_harmless(ec) ? do_shutdown() : log_failure(ec, "idle");
        m_buffer.commit(n);
        do_read_header();
    }

    void do_read_header()
    {
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(m_state.config.header_limit));
        m_parser->body_limit(m_state.config.body_limit);
        lowest().expires_after(m_state.config.header_timeout);
        http::async_read_header(m_stream, m_buffer, *m_parser,
                                beast::bind_front_handler(&HttpSession::on_read_header, shared_from_this()));
    }

    void on_read_header(beast::error_code ec, std::size_t)
    {
        if (ec)
            return on_read_error(ec, "read_header");
        auto& req = m_parser->get();
        if (beast::websocket::is_upgrade(req))
            return do_upgrade();
        if (m_parser->is_done())
            return dispatch_request();
        if (req[http::field::expect] == "100-continue") {
            // The client waits for this before sending the body; the limits are already checked.
            auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, req.version());
            lowest().expires_after(m_state.config.write_timeout);
            return http::async_write(m_stream, *cont, [self = shared_from_this(), cont](beast::error_code ec, std::size_t) {
                if (ec)
                    return log_failure(ec, "write_continue");
                self->do_read_body();
            });
        }
        do_read_body();
    }

    void do_read_body()
    {
        lowest().expires_after(m_state.config.body_timeout);
        http::async_read(m_stream, m_buffer, *m_parser,
                         beast::bind_front_handler(&HttpSession::on_read_body, shared_from_this()));
    }

    void on_read_body(beast::error_code ec, std::size_t)
    {
        if (ec)
            return on_read_error(ec, "read_body");
        dispatch_request();
    }

    // Limits and parse errors answer with JSON and close: the rest of the stream cannot be
    // trusted to be at a message boundary. Timeouts and resets just close.
    void on_read_error(beast::error_code ec, const char* what)
    {
        if (ec == http::error::end_of_stream)
            return do_shutdown();
        if (ec == http::error::header_limit)
            return send_error(api::make_error(api::ErrorCode::headers_too_large, "request headers are too large"));
        if (ec == http::error::body_limit)
            return send_error(api::make_error(api::ErrorCode::payload_too_large, "request body is too large"));
        if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
            log_failure(ec, what);
            // No dedicated code for broken HTTP: malformed_json is the table's 400.
            return send_error(api::make_error(api::ErrorCode::malformed_json, "malformed HTTP request"));
        }
        log_failure(ec, what); // timeout, reset, TLS failure: nothing to answer
    }

    // A completion that App may call from any thread at any time: it keeps the server state
    // alive (so the io_context outlives the post) and destroys the session before the state.
    template <class Value, class Method>
    struct Completion {
        std::shared_ptr<ServerState> owner;
        std::shared_ptr<HttpSession> self; // declared after owner: destroyed first
        Method method;
        void operator()(Value value) const
        {
            auto s = self;
            auto m = method;
            asio::post(s->m_stream.get_executor(),
                       [s, m, value = std::move(value)]() mutable { ((*s).*m)(std::move(value)); });
        }
    };

    void dispatch_request()
    {
        auto owner = m_owner.lock();
        if (!owner)
            return;
        auto req = m_parser->release();
        m_version = req.version();
        m_keep_alive = req.keep_alive() && ++m_requests < m_state.config.max_requests_per_connection &&
                       !m_state.stopping.load();
        lowest().expires_never(); // App's time is not the client's fault; the write gets its own deadline
        ++m_state.in_flight;
        m_counted = true;
        m_state.app.handle(to_request(std::move(req), m_remote_ip),
                           Completion<Response, void (HttpSession::*)(Response)>{
                               std::move(owner), shared_from_this(), &HttpSession::on_app_response});
    }

    void on_app_response(Response response)
    {
        m_response = to_beast(std::move(response), m_version, m_keep_alive);
        do_write();
    }

    void send_error(const api::Error& error)
    {
        m_keep_alive = false;
        m_response = to_beast(make_error_response(m_state, error), m_version, false);
        do_write();
    }

    void do_write()
    {
        lowest().expires_after(m_state.config.write_timeout);
        http::async_write(m_stream, *m_response, beast::bind_front_handler(&HttpSession::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t)
    {
        if (m_counted) {
            m_counted = false;
            --m_state.in_flight;
        }
        if (ec)
            return log_failure(ec, "write");
        const bool keep = m_response->keep_alive() && !m_state.stopping.load();
        m_response.reset();
        if (!keep)
            return do_shutdown();
        do_wait_for_request();
    }

    void do_upgrade()
    {
        auto owner = m_owner.lock();
        if (!owner)
            return;
        m_upgrade = m_parser->release();
        m_version = m_upgrade->version();
        lowest().expires_never();
        BeastRequest copy = *m_upgrade; // App reads a copy; the original is needed to accept
        m_state.app.authorize_live(to_request(std::move(copy), m_remote_ip),
                                   Completion<Result<LiveAuth>, void (HttpSession::*)(Result<LiveAuth>)>{
                                       std::move(owner), shared_from_this(), &HttpSession::on_live_auth});
    }

    void on_live_auth(Result<LiveAuth> auth)
    {
        if (!auth)
            return send_error(auth.error()); // 401/403/404 with its JSON, then close
        // The WebSocket session takes the stream over; this session ends when the handler returns.
        run_websocket(m_state, std::move(m_stream), std::move(*m_upgrade), std::move(*auth));
    }

    void do_shutdown()
    {
        // A peer that does not answer close_notify must not hold the socket.
        lowest().expires_after(std::chrono::seconds(2));
        m_stream.async_shutdown([self = shared_from_this()](beast::error_code) { self->close_socket(); });
    }

    void close_socket()
    {
        beast::error_code ec;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
        lowest().close();
    }

    ServerState& m_state;
    std::weak_ptr<ServerState> m_owner;
    TlsStream m_stream;
    beast::flat_buffer m_buffer;
    std::string m_remote_ip;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::optional<BeastResponse> m_response;
    std::optional<BeastRequest> m_upgrade;
    unsigned m_version = 11;
    unsigned m_requests = 0;
    bool m_keep_alive = false;
    bool m_counted = false;
};

// [SECTION] Listener

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(ServerState& state, std::weak_ptr<ServerState> owner)
        : m_state(state), m_owner(std::move(owner)), m_acceptor(asio::make_strand(state.ioc)), m_retry(m_acceptor.get_executor())
    {
    }

    std::uint16_t open(const std::string& host, std::uint16_t port)
    {
        tcp::resolver resolver(m_state.ioc);
        auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::numeric_service);
        tcp::endpoint endpoint = results.begin()->endpoint(); // resolve() throws rather than return none
        m_acceptor.open(endpoint.protocol());
        m_acceptor.set_option(asio::socket_base::reuse_address(true));
        m_acceptor.bind(endpoint);
        m_acceptor.listen(asio::socket_base::max_listen_connections);
        return m_acceptor.local_endpoint().port();
    }

    void run() { asio::dispatch(m_acceptor.get_executor(), [self = shared_from_this()] { self->do_accept(); }); }

    void close()
    {
        asio::post(m_acceptor.get_executor(), [self = shared_from_this()] {
            beast::error_code ec;
            self->m_acceptor.close(ec);
            self->m_retry.cancel();
        });
    }

private:
    void do_accept()
    {
        if (!m_acceptor.is_open())
            return;
        // Each connection gets its own strand: its handlers never run concurrently.
        m_acceptor.async_accept(asio::make_strand(m_state.ioc),
                                beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
    }

    void on_accept(beast::error_code ec, tcp::socket socket)
    {
        if (ec == asio::error::operation_aborted)
            return;
        if (ec) {
            // Out of descriptors and the like: back off instead of spinning on the error.
            log::write(log::Level::debug, "net.accept_error", {{"error", ec.message()}});
            m_retry.expires_after(std::chrono::milliseconds(100));
            m_retry.async_wait([self = shared_from_this()](beast::error_code wec) {
                if (!wec)
                    self->do_accept();
            });
            return;
        }
        // Answers go out as soon as they are written: without TCP_NODELAY a response larger than
        // one segment waits for the client's delayed ACK (~40 ms on Linux) behind Nagle.
        beast::error_code nodelay_ec;
        socket.set_option(tcp::no_delay(true), nodelay_ec);
        std::make_shared<HttpSession>(m_state, m_owner, std::move(socket))->run();
        do_accept();
    }

    ServerState& m_state;
    std::weak_ptr<ServerState> m_owner;
    tcp::acceptor m_acceptor;
    asio::steady_timer m_retry;
};

} // namespace
} // namespace net_detail

// [SECTION] HttpServer

struct HttpServer::Impl {
    std::shared_ptr<net_detail::ServerState> state;
    std::shared_ptr<net_detail::Listener> listener;
    std::mutex mutex;
    bool stopped = false;
};

HttpServer::HttpServer(NetConfig config, boost::asio::ssl::context& tls, App& app) : m_impl(std::make_shared<Impl>())
{
    m_impl->state = std::make_shared<net_detail::ServerState>(std::move(config), tls, app);
}

HttpServer::~HttpServer()
{
    stop();
}

std::uint16_t HttpServer::start()
{
    auto& state = *m_impl->state;
    m_impl->listener = std::make_shared<net_detail::Listener>(state, m_impl->state);
    auto port = m_impl->listener->open(state.config.host, state.config.port);
    m_impl->listener->run();
    log::info("net.listening", {{"host", state.config.host}, {"port", port}});
    return port;
}

void HttpServer::run()
{
    auto& ioc = m_impl->state->ioc;
    const int extra = std::max(0, m_impl->state->config.io_threads - 1);
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(extra));
    for (int i = 0; i < extra; ++i)
        threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads)
        t.join();
}

void HttpServer::stop()
{
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->stopped)
            return;
        m_impl->stopped = true;
    }
    auto& state = *m_impl->state;
    state.stopping = true; // no more keep-alive: each connection closes after its current answer
    if (m_impl->listener)
        m_impl->listener->close();
    // Requests already with App get their answer if it comes within drain_timeout.
    const auto deadline = std::chrono::steady_clock::now() + state.config.drain_timeout;
    while (state.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    state.ioc.stop();
}

std::size_t HttpServer::open_connections() const
{
    return m_impl->state->connections.load();
}

} // namespace stronghold::server

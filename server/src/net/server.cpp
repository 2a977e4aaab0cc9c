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

namespace {

Request request_head(const http::request_header<>& request, const std::string& remote_ip)
{
    Request out;
    out.method = std::string(request.method_string());
    out.target = std::string(request.target());
    out.headers.reserve(16);
    for (const auto& field : request)
        out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    out.remote_ip = remote_ip;
    return out;
}

} // namespace

Request to_request(BeastRequest&& request, const std::string& remote_ip)
{
    Request out = request_head(request, remote_ip);
    out.body = std::move(request.body());
    return out;
}

Request to_request(FileRequest&& request, std::shared_ptr<const TempFile> body_file, const std::string& remote_ip)
{
    Request out = request_head(request, remote_ip);
    out.body_file = std::move(body_file);
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

void copy_headers(const Response& response, http::fields& out)
{
    for (const auto& [name, value] : response.headers) {
        if (is_framing_header(name))
            continue;
        // A line break in a header would split the response (a bug upstream): drop, never send.
        if (name.empty() || has_line_break(name) || has_line_break(value)) {
            log::write(log::Level::warn, "net.header_dropped", {{"header", name}});
            continue;
        }
        out.insert(name, value);
    }
}

bool has_no_body(int status)
{
    return (status >= 100 && status < 200) || status == 204 || status == 304; // RFC 9110 8.6
}

} // namespace

BeastResponse to_beast(Response&& response, unsigned version, bool keep_alive)
{
    BeastResponse out{static_cast<http::status>(response.status), version};
    copy_headers(response, out);
    out.keep_alive(keep_alive);
    if (has_no_body(response.status))
        return out; // no body and no Content-Length allowed
    out.body() = std::move(response.body);
    out.prepare_payload();
    return out;
}

FileResponse to_beast_file(Response&& response, unsigned version, bool keep_alive, beast::error_code& ec)
{
    FileResponse out{static_cast<http::status>(response.status), version};
    copy_headers(response, out);
    out.keep_alive(keep_alive);
    if (has_no_body(response.status))
        return out;
    out.body().open(response.body_file->path().c_str(), beast::file_mode::scan, ec);
    if (!ec)
        out.prepare_payload(); // Content-Length from the file's size
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
        // The body limit depends on the route (streamed upload or not): on_read_header sets it.
        m_parser->body_limit(boost::none);
        lowest().expires_after(m_state.config.header_timeout);
        http::async_read_header(m_stream, m_buffer, *m_parser,
                                beast::bind_front_handler(&HttpSession::on_read_header, shared_from_this()));
    }

    bool wants_stream(const http::request_header<>& req) const
    {
        const auto& accepts = m_state.config.stream_upload;
        if (!accepts)
            return false;
        std::string_view target = req.target();
        return accepts(req.method_string(), target.substr(0, target.find('?')), req[http::field::content_type]);
    }

    void on_read_header(beast::error_code ec, std::size_t)
    {
        if (ec)
            return on_read_error(ec, "read_header");
        auto& req = m_parser->get();
        if (beast::websocket::is_upgrade(req))
            return do_upgrade();
        const bool streamed = wants_stream(req);
        const bool expects_continue = req[http::field::expect] == "100-continue";
        const unsigned version = req.version(); // req is gone once start_upload hands the parser over
        const std::uint64_t limit = streamed ? m_state.config.upload_limit : m_state.config.body_limit;
        // A declared length over the limit is refused before a byte of the body is read.
        if (auto declared = m_parser->content_length(); declared && *declared > limit)
            return on_read_error(http::error::body_limit, "read_header");
        if (streamed && !start_upload(limit))
            return send_error(api::make_error(api::ErrorCode::internal, "the upload cannot be stored"));
        if (!streamed)
            m_parser->body_limit(limit);
        if (body_done())
            return streamed ? dispatch_upload() : dispatch_request();
        if (expects_continue) {
            // The client waits for this before sending the body; the limits are already checked.
            auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, version);
            lowest().expires_after(m_state.config.write_timeout);
            return http::async_write(m_stream, *cont, [self = shared_from_this(), cont](beast::error_code ec, std::size_t) {
                if (ec)
                    return log_failure(ec, "write_continue");
                self->do_read_body();
            });
        }
        do_read_body();
    }

    // The header parser hands over to one that writes the body to a TempFile as it arrives.
    bool start_upload(std::uint64_t limit)
    {
        m_upload = TempFile::create(m_state.config.upload_dir, "up_");
        if (!m_upload) {
            log::write(log::Level::error, "net.upload_file_failed", {{"dir", m_state.config.upload_dir}});
            return false;
        }
        m_upload_parser.emplace(std::move(*m_parser));
        m_parser.reset();
        m_upload_parser->body_limit(limit);
        beast::error_code ec;
        m_upload_parser->get().body().open(m_upload->path().c_str(), beast::file_mode::write, ec);
        if (ec) {
            log::write(log::Level::error, "net.upload_file_failed", {{"error", ec.message()}});
            m_upload_parser.reset();
            m_upload.reset();
            return false;
        }
        return true;
    }

    bool body_done() const { return m_upload_parser ? m_upload_parser->is_done() : m_parser->is_done(); }

    void do_read_body()
    {
        lowest().expires_after(m_state.config.body_timeout);
        if (m_upload_parser) // any size: read piece by piece, body_timeout between two pieces
            return http::async_read_some(m_stream, m_buffer, *m_upload_parser,
                                         beast::bind_front_handler(&HttpSession::on_read_upload, shared_from_this()));
        http::async_read(m_stream, m_buffer, *m_parser,
                         beast::bind_front_handler(&HttpSession::on_read_body, shared_from_this()));
    }

    void on_read_body(beast::error_code ec, std::size_t)
    {
        if (ec)
            return on_read_error(ec, "read_body");
        dispatch_request();
    }

    void on_read_upload(beast::error_code ec, std::size_t)
    {
        if (ec)
            return on_read_error(ec, "read_upload");
        if (!m_upload_parser->is_done())
            return do_read_body();
        dispatch_upload();
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
        auto req = m_parser->release();
        m_parser.reset();
        const unsigned version = req.version();
        const bool keep_alive = req.keep_alive();
        hand_to_app(to_request(std::move(req), m_remote_ip), version, keep_alive);
    }

    void dispatch_upload()
    {
        auto req = m_upload_parser->release();
        m_upload_parser.reset();
        req.body().close(); // every byte is on disk before the handler reads the file
        const unsigned version = req.version();
        const bool keep_alive = req.keep_alive();
        // The Request holds the only reference from now on: the file goes when the request does.
        hand_to_app(to_request(std::move(req), std::move(m_upload), m_remote_ip), version, keep_alive);
    }

    void hand_to_app(Request request, unsigned version, bool keep_alive)
    {
        auto owner = m_owner.lock();
        if (!owner)
            return;
        m_version = version;
        m_keep_alive = keep_alive && ++m_requests < m_state.config.max_requests_per_connection &&
                       !m_state.stopping.load();
        lowest().expires_never(); // App's time is not the client's fault; the write gets its own deadline
        ++m_state.in_flight;
        m_counted = true;
        m_state.app.handle(std::move(request), Completion<Response, void (HttpSession::*)(Response)>{
                                                   std::move(owner), shared_from_this(), &HttpSession::on_app_response});
    }

    void on_app_response(Response response)
    {
        if (response.body_file && !has_no_body(response.status)) {
            beast::error_code ec;
            auto file = response.body_file;
            auto out = to_beast_file(std::move(response), m_version, m_keep_alive, ec);
            if (ec) {
                log::write(log::Level::error, "net.response_file_failed", {{"error", ec.message()}});
                return send_error(api::make_error(api::ErrorCode::internal, "internal error"));
            }
            m_sent_file = std::move(file); // kept (on disk) until the last byte is written
            m_file_response.emplace(std::move(out));
            m_file_serializer.emplace(*m_file_response);
            return do_write_file();
        }
        m_response = to_beast(std::move(response), m_version, m_keep_alive);
        do_write();
    }

    void send_error(const api::Error& error)
    {
        m_keep_alive = false;
        // The refused body may still be on its way: read and drop it before closing (below).
        m_linger = error.code == api::ErrorCode::payload_too_large;
        m_response = to_beast(make_error_response(m_state, error), m_version, false);
        do_write();
    }

    void do_write()
    {
        lowest().expires_after(m_state.config.write_timeout);
        http::async_write(m_stream, *m_response, beast::bind_front_handler(&HttpSession::on_write, shared_from_this()));
    }

    // A file body of any size: written piece by piece, write_timeout between two pieces (a
    // whole export to a slow client may take longer than one write_timeout).
    void do_write_file()
    {
        lowest().expires_after(m_state.config.write_timeout);
        http::async_write_some(m_stream, *m_file_serializer,
                               beast::bind_front_handler(&HttpSession::on_write_file, shared_from_this()));
    }

    void on_write_file(beast::error_code ec, std::size_t n)
    {
        if (!ec && !m_file_serializer->is_done())
            return do_write_file();
        on_write(ec, n);
    }

    void on_write(beast::error_code ec, std::size_t)
    {
        if (m_counted) {
            m_counted = false;
            --m_state.in_flight;
        }
        const bool was_kept = m_file_response ? m_file_response->keep_alive() : m_response->keep_alive();
        m_file_serializer.reset();
        m_file_response.reset();
        m_sent_file.reset();
        m_response.reset();
        if (ec)
            return log_failure(ec, "write");
        const bool keep = was_kept && !m_state.stopping.load();
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
        if (m_linger)
            return do_linger();
        // A peer that does not answer close_notify must not hold the socket.
        lowest().expires_after(std::chrono::seconds(2));
        m_stream.async_shutdown([self = shared_from_this()](beast::error_code) { self->close_socket(); });
    }

    // Lingering close (as HTTP servers do after refusing a body): closing while the client still
    // sends would reset the connection and could destroy the 413 before the client reads it. So
    // read and drop what arrives, for at most 2 seconds and 16 MiB, then close.
    void do_linger()
    {
        if (!m_linger_deadline) {
            m_linger_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            m_linger_left = 16 * 1024 * 1024;
            m_linger_buf.resize(64 * 1024);
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= *m_linger_deadline || m_linger_left == 0) {
            m_linger = false;
            return do_shutdown();
        }
        lowest().expires_after(std::chrono::duration_cast<std::chrono::milliseconds>(*m_linger_deadline - now));
        m_stream.async_read_some(asio::buffer(m_linger_buf),
                                 [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                     self->m_linger_left -= std::min(self->m_linger_left, n);
                                     if (ec) { // the client closed, or the time is up
                                         self->m_linger = false;
                                         return self->close_socket();
                                     }
                                     self->do_linger();
                                 });
    }

    void close_socket()
    {
        beast::error_code ec;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
        lowest().close();
    }

    ServerState& m_state;
    std::weak_ptr<ServerState> m_owner;
    bool m_linger = false;
    std::optional<std::chrono::steady_clock::time_point> m_linger_deadline;
    std::size_t m_linger_left = 0;
    std::vector<char> m_linger_buf;
    TlsStream m_stream;
    beast::flat_buffer m_buffer;
    std::string m_remote_ip;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::optional<http::request_parser<http::file_body>> m_upload_parser; // a streamed upload's body
    std::shared_ptr<TempFile> m_upload;                                   // its file, until handed to App
    std::optional<BeastResponse> m_response;
    std::optional<FileResponse> m_file_response;
    std::optional<http::response_serializer<http::file_body>> m_file_serializer;
    std::shared_ptr<const TempFile> m_sent_file; // the file being sent: removed after the last byte
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

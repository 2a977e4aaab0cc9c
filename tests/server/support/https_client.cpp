// [SECTION] Shared    - TLS client context, connect, run-one-operation
// [SECTION] Responses - HttpResponse helpers, parsing
// [SECTION] HttpsClient
// [SECTION] RawConnection
// [SECTION] probe_tls
// [SECTION] WsClient
#include "support/https_client.hpp"

#include "net/message.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <openssl/ssl.h>

#include <stdexcept>

namespace stronghold::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

// [SECTION] Shared

int openssl_version(TlsVersion v)
{
    switch (v) {
    case TlsVersion::tls1_0: return TLS1_VERSION;
    case TlsVersion::tls1_1: return TLS1_1_VERSION;
    case TlsVersion::tls1_2: return TLS1_2_VERSION;
    case TlsVersion::tls1_3: return TLS1_3_VERSION;
    }
    return 0;
}

ssl::context make_client_context(const ClientOptions& options)
{
    ssl::context ctx(ssl::context::tls_client);
    SSL_CTX* native = ctx.native_handle();
    const bool old = options.min_version && *options.min_version < TlsVersion::tls1_2;
    if (old) {
        // Debian's OpenSSL refuses TLS 1.0/1.1 at its default security level; lower it on the
        // client, so that only the server can be the one saying no.
        SSL_CTX_set_security_level(native, 0);
        SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0");
    }
    if (options.min_version)
        SSL_CTX_set_min_proto_version(native, openssl_version(*options.min_version));
    if (options.max_version)
        SSL_CTX_set_max_proto_version(native, openssl_version(*options.max_version));
    if (!options.trust_cert_file.empty()) {
        ctx.load_verify_file(options.trust_cert_file);
        ctx.set_verify_mode(ssl::verify_peer);
    } else {
        ctx.set_verify_mode(ssl::verify_none);
    }
    return ctx;
}

// Runs one asynchronous operation to completion on the client's private io_context.
template <class Start>
beast::error_code run_one(asio::io_context& ioc, Start&& start)
{
    beast::error_code result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
}

void connect_tls(asio::io_context& ioc, TlsStream& stream, std::uint16_t port, const ClientOptions& options)
{
    auto& tcp_layer = beast::get_lowest_layer(stream);
    tcp::endpoint endpoint(asio::ip::make_address(options.host), port);
    tcp_layer.expires_after(options.timeout);
    if (auto ec = run_one(ioc, [&](auto h) { tcp_layer.async_connect(endpoint, std::move(h)); }))
        throw std::runtime_error("connect: " + ec.message());
    if (!options.trust_cert_file.empty())
        stream.set_verify_callback(ssl::host_name_verification(options.host));
    tcp_layer.expires_after(options.timeout);
    if (auto ec = run_one(ioc, [&](auto h) { stream.async_handshake(ssl::stream_base::client, std::move(h)); }))
        throw std::runtime_error("TLS handshake: " + ec.message());
}

std::string host_header(const ClientOptions& options, std::uint16_t port)
{
    return options.host + ":" + std::to_string(port);
}

bool is_closed_error(const beast::error_code& ec)
{
    return ec == http::error::end_of_stream || ec == asio::error::eof || ec == ssl::error::stream_truncated ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

} // namespace

// [SECTION] Responses

std::optional<std::string> HttpResponse::header(std::string_view name) const
{
    for (const auto& [k, v] : headers)
        if (server::iequals(k, name))
            return v;
    return std::nullopt;
}

std::vector<std::string> HttpResponse::headers_named(std::string_view name) const
{
    std::vector<std::string> out;
    for (const auto& [k, v] : headers)
        if (server::iequals(k, name))
            out.push_back(v);
    return out;
}

nlohmann::json HttpResponse::json() const
{
    return nlohmann::json::parse(body, nullptr, false);
}

namespace {

HttpResponse from_beast(http::response<http::string_body>&& res)
{
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res)
        out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(res.body());
    return out;
}

} // namespace

// [SECTION] HttpsClient

struct HttpsClient::Impl {
    Impl(std::uint16_t p, ClientOptions o) : port(p), options(std::move(o)), ctx(make_client_context(options)) {}

    std::uint16_t port;
    ClientOptions options;
    asio::io_context ioc;
    ssl::context ctx;
    std::optional<TlsStream> stream;
    beast::flat_buffer buffer;
    std::size_t opened = 0;
    std::map<std::string, std::string, std::less<>> cookies;

    void connect()
    {
        stream.emplace(ioc, ctx);
        buffer.clear();
        connect_tls(ioc, *stream, port, options);
        ++opened;
    }

    void remember_cookies(const HttpResponse& res)
    {
        for (const auto& line : res.headers_named("Set-Cookie")) {
            auto pair = std::string_view(line).substr(0, line.find(';'));
            auto eq = pair.find('=');
            if (eq == std::string_view::npos)
                continue;
            std::string name(pair.substr(0, eq));
            std::string value(pair.substr(eq + 1));
            // A deletion arrives as an empty value or Max-Age=0 (Expires in the past, in practice).
            bool deleted = value.empty() || line.find("Max-Age=0") != std::string::npos;
            if (deleted)
                cookies.erase(name);
            else
                cookies[name] = value;
        }
    }

    // One exchange on the current connection; the error says whether to retry on a new one.
    beast::error_code exchange(http::request<http::string_body>& req, http::response<http::string_body>& out,
                               bool& got_bytes)
    {
        auto& tcp_layer = beast::get_lowest_layer(*stream);
        tcp_layer.expires_after(options.timeout);
        if (auto ec = run_one(ioc, [&](auto h) { http::async_write(*stream, req, std::move(h)); }))
            return ec;
        http::response_parser<http::string_body> parser;
        parser.header_limit(64 * 1024);
        parser.body_limit(64 * 1024 * 1024);
        tcp_layer.expires_after(options.timeout);
        auto ec = run_one(ioc, [&](auto h) { http::async_read(*stream, buffer, parser, std::move(h)); });
        got_bytes = parser.got_some();
        if (!ec)
            out = parser.release();
        return ec;
    }
};

HttpsClient::HttpsClient(std::uint16_t port, ClientOptions options)
    : m_impl(std::make_unique<Impl>(port, std::move(options)))
{
}
HttpsClient::~HttpsClient() = default;
HttpsClient::HttpsClient(HttpsClient&&) noexcept = default;
HttpsClient& HttpsClient::operator=(HttpsClient&&) noexcept = default;

HttpResponse HttpsClient::request(std::string_view method, std::string_view target, std::string body,
                                  const Headers& headers)
{
    auto& impl = *m_impl;
    http::request<http::string_body> req;
    req.version(11);
    if (auto verb = http::string_to_verb(method); verb != http::verb::unknown)
        req.method(verb);
    else
        req.method_string(method);
    req.target(target);
    req.set(http::field::host, host_header(impl.options, impl.port));
    req.set(http::field::user_agent, "stronghold-tests");
    bool has_cookie = false;
    for (const auto& [k, v] : headers) {
        req.insert(k, v);
        has_cookie = has_cookie || server::iequals(k, "Cookie");
    }
    if (!has_cookie && !impl.cookies.empty())
        req.set(http::field::cookie, cookie_header());
    req.body() = std::move(body);
    if (!req.body().empty() || req.method() == http::verb::post || req.method() == http::verb::put ||
        req.method() == http::verb::patch)
        req.prepare_payload();

    // A kept-alive connection the server has since closed fails before any answer: retry once
    // on a new one. Any other failure is the test's to see.
    for (int attempt = 0;; ++attempt) {
        const bool fresh = !impl.stream;
        if (fresh)
            impl.connect();
        http::response<http::string_body> res;
        bool got_bytes = false;
        auto ec = impl.exchange(req, res, got_bytes);
        if (!ec) {
            bool keep = res.keep_alive();
            auto out = from_beast(std::move(res));
            impl.remember_cookies(out);
            if (!keep)
                close();
            return out;
        }
        close();
        if (fresh || attempt > 0 || got_bytes || !is_closed_error(ec))
            throw std::runtime_error(std::string(method) + " " + std::string(target) + ": " + ec.message());
    }
}

HttpResponse HttpsClient::post_json(std::string_view target, const nlohmann::json& body, Headers headers)
{
    headers.emplace_back("Content-Type", "application/json");
    return request("POST", target, body.dump(), headers);
}

void HttpsClient::close()
{
    if (m_impl->stream) {
        beast::error_code ec;
        beast::get_lowest_layer(*m_impl->stream).socket().close(ec);
        m_impl->stream.reset();
    }
}

std::size_t HttpsClient::connections_opened() const { return m_impl->opened; }

std::optional<std::string> HttpsClient::cookie(std::string_view name) const
{
    auto it = m_impl->cookies.find(name);
    return it == m_impl->cookies.end() ? std::nullopt : std::optional<std::string>(it->second);
}

void HttpsClient::set_cookie(std::string name, std::string value) { m_impl->cookies[std::move(name)] = std::move(value); }
void HttpsClient::clear_cookies() { m_impl->cookies.clear(); }

std::string HttpsClient::cookie_header() const
{
    std::string out;
    for (const auto& [k, v] : m_impl->cookies) {
        if (!out.empty())
            out += "; ";
        out += k + "=" + v;
    }
    return out;
}

// [SECTION] RawConnection

struct RawConnection::Impl {
    Impl(std::uint16_t port, ClientOptions o) : options(std::move(o)), ctx(make_client_context(options)), stream(ioc, ctx)
    {
        connect_tls(ioc, stream, port, options);
    }
    ClientOptions options;
    asio::io_context ioc;
    ssl::context ctx;
    TlsStream stream;
    bool closed = false;
};

RawConnection::RawConnection(std::uint16_t port, ClientOptions options)
    : m_impl(std::make_unique<Impl>(port, std::move(options)))
{
}
RawConnection::~RawConnection() = default;

void RawConnection::send(std::string_view bytes)
{
    auto& impl = *m_impl;
    beast::get_lowest_layer(impl.stream).expires_after(impl.options.timeout);
    if (auto ec = run_one(impl.ioc, [&](auto h) { asio::async_write(impl.stream, asio::buffer(bytes), std::move(h)); }))
        throw std::runtime_error("raw send: " + ec.message());
}

std::string RawConnection::read_until_close(std::chrono::milliseconds timeout)
{
    auto& impl = *m_impl;
    std::string out;
    char chunk[4096];
    beast::get_lowest_layer(impl.stream).expires_after(timeout);
    for (;;) {
        std::size_t n = 0;
        auto ec = run_one(impl.ioc, [&](auto h) {
            impl.stream.async_read_some(asio::buffer(chunk), [&n, h = std::move(h)](beast::error_code e, std::size_t k) mutable {
                n = k;
                h(e);
            });
        });
        out.append(chunk, n);
        if (ec) {
            impl.closed = ec != beast::error::timeout;
            return out;
        }
    }
}

bool RawConnection::closed_by_server() const { return m_impl->closed; }

HttpResponse RawConnection::parse_response(const std::string& raw)
{
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    beast::error_code ec;
    parser.put(asio::buffer(raw), ec);
    if (!parser.is_header_done())
        return {};
    if (!parser.is_done())
        parser.put_eof(ec);
    return from_beast(parser.release());
}

// [SECTION] probe_tls

TlsProbe probe_tls(std::uint16_t port, TlsVersion min, TlsVersion max, const std::string& host)
{
    ClientOptions options;
    options.host = host;
    options.min_version = min;
    options.max_version = max;
    asio::io_context ioc;
    auto ctx = make_client_context(options);
    TlsStream stream(ioc, ctx);
    try {
        connect_tls(ioc, stream, port, options);
    } catch (const std::exception& e) {
        return TlsProbe{false, {}, e.what()};
    }
    return TlsProbe{true, SSL_get_version(stream.native_handle()), {}};
}

PlainExchange plain_tcp_exchange(std::uint16_t port, std::string_view bytes, std::chrono::milliseconds timeout,
                                 const std::string& host)
{
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(timeout);
    if (auto ec = run_one(ioc, [&](auto h) { stream.async_connect(tcp::endpoint(asio::ip::make_address(host), port), std::move(h)); }))
        throw std::runtime_error("connect: " + ec.message());
    stream.expires_after(timeout);
    if (auto ec = run_one(ioc, [&](auto h) { asio::async_write(stream, asio::buffer(bytes), std::move(h)); }))
        throw std::runtime_error("plain send: " + ec.message());
    PlainExchange out;
    char chunk[4096];
    stream.expires_after(timeout);
    for (;;) {
        std::size_t n = 0;
        auto ec = run_one(ioc, [&](auto h) {
            stream.async_read_some(asio::buffer(chunk), [&n, h = std::move(h)](beast::error_code e, std::size_t k) mutable {
                n = k;
                h(e);
            });
        });
        out.received.append(chunk, n);
        if (ec) {
            out.closed_by_server = ec != beast::error::timeout;
            return out;
        }
    }
}

// [SECTION] WsClient

struct WsClient::Impl {
    explicit Impl(ClientOptions o) : options(std::move(o)), ctx(make_client_context(options)), ws(ioc, ctx) {}
    ClientOptions options;
    asio::io_context ioc;
    ssl::context ctx;
    websocket::stream<TlsStream> ws;
    beast::flat_buffer buffer;
    bool ok = false;
    bool closed = false;
    HttpResponse refusal;
    // At most one read is outstanding; a read that timed out stays pending for the next call.
    bool read_pending = false;
    bool read_done = false;
    beast::error_code read_ec;
};

WsClient::WsClient(std::uint16_t port, std::string_view target, const Headers& headers, ClientOptions options)
    : m_impl(std::make_unique<Impl>(std::move(options)))
{
    auto& impl = *m_impl;
    connect_tls(impl.ioc, impl.ws.next_layer(), port, impl.options);
    impl.ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
        for (const auto& [k, v] : headers)
            req.set(k, v);
    }));
    websocket::response_type res;
    beast::get_lowest_layer(impl.ws).expires_after(impl.options.timeout);
    auto host = host_header(impl.options, port);
    auto ec = run_one(impl.ioc, [&](auto h) { impl.ws.async_handshake(res, host, target, std::move(h)); });
    if (ec == websocket::error::upgrade_declined) {
        impl.refusal = from_beast(std::move(res));
        return;
    }
    if (ec)
        throw std::runtime_error("websocket handshake: " + ec.message());
    beast::get_lowest_layer(impl.ws).expires_never(); // the WebSocket's own timeouts apply now
    impl.ok = true;
}

WsClient::~WsClient() = default;

bool WsClient::ok() const { return m_impl->ok; }
const HttpResponse& WsClient::refusal() const { return m_impl->refusal; }

std::optional<std::string> WsClient::read_text(std::chrono::milliseconds timeout)
{
    auto& impl = *m_impl;
    if (!impl.ok || impl.closed)
        return std::nullopt;
    if (!impl.read_pending) {
        impl.read_pending = true;
        impl.read_done = false;
        impl.ws.async_read(impl.buffer, [&impl](beast::error_code ec, std::size_t) {
            impl.read_ec = ec;
            impl.read_done = true;
        });
    }
    impl.ioc.restart();
    impl.ioc.run_for(timeout);
    if (!impl.read_done)
        return std::nullopt;
    impl.read_pending = false;
    if (impl.read_ec) {
        impl.closed = true;
        return std::nullopt;
    }
    std::string text = beast::buffers_to_string(impl.buffer.data());
    impl.buffer.consume(impl.buffer.size());
    return text;
}

bool WsClient::wait_closed(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!m_impl->closed && std::chrono::steady_clock::now() < deadline)
        read_text(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    return m_impl->closed;
}

void WsClient::send_text(std::string_view text)
{
    auto& impl = *m_impl;
    impl.ws.text(true);
    beast::error_code ec;
    impl.ws.write(asio::buffer(text), ec);
    if (ec)
        throw std::runtime_error("websocket send: " + ec.message());
}

} // namespace stronghold::test

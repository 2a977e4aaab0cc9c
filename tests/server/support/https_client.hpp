// Test clients over real TLS: HttpsClient (one keep-alive connection, cookies, raw bytes),
// WsClient (the live WebSocket) and probe_tls (handshake with chosen protocol versions).
// Synchronous for the test's sake; every wait has a timeout, so a hung server fails the test
// instead of hanging it. Transport failures throw std::runtime_error; HTTP statuses do not.
// Beast stays in the .cpp: test files including this compile fast.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stronghold::test {

using Headers = std::vector<std::pair<std::string, std::string>>;
using namespace std::chrono_literals;

enum class TlsVersion { tls1_0, tls1_1, tls1_2, tls1_3 };

struct ClientOptions {
    std::string host = "127.0.0.1";
    std::optional<TlsVersion> min_version; // unset: the library's default
    std::optional<TlsVersion> max_version;
    std::string trust_cert_file; // empty: no verification (tests trust their own server)
    std::chrono::milliseconds timeout = 5s;
};

struct HttpResponse {
    int status = 0;
    Headers headers;
    std::string body;

    std::optional<std::string> header(std::string_view name) const; // first, case-insensitive
    std::vector<std::string> headers_named(std::string_view name) const; // e.g. every Set-Cookie
    nlohmann::json json() const; // parsed body; discarded (is_discarded()) when not JSON
};

class HttpsClient {
public:
    explicit HttpsClient(std::uint16_t port, ClientOptions options = {});
    ~HttpsClient();
    HttpsClient(HttpsClient&&) noexcept;
    HttpsClient& operator=(HttpsClient&&) noexcept;

    // Sends on the open connection (opening one when needed), sends and keeps cookies.
    HttpResponse request(std::string_view method, std::string_view target, std::string body = {},
                         const Headers& headers = {});
    HttpResponse get(std::string_view target, const Headers& headers = {}) { return request("GET", target, {}, headers); }
    HttpResponse post_json(std::string_view target, const nlohmann::json& body, Headers headers = {});

    // Raw bytes over a fresh TLS connection (malformed or slow clients); see RawConnection.
    void close(); // drops the connection; the next request opens a new one

    std::size_t connections_opened() const;        // keep-alive tests count these
    std::optional<std::string> cookie(std::string_view name) const;
    void set_cookie(std::string name, std::string value);
    void clear_cookies();
    std::string cookie_header() const; // "a=1; b=2", as sent

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// One TLS connection for hand-made bytes: send(), then read what the server answers.
class RawConnection {
public:
    explicit RawConnection(std::uint16_t port, ClientOptions options = {});
    ~RawConnection();

    void send(std::string_view bytes);
    // Reads until the server closes or `timeout` passes; the bytes read so far.
    std::string read_until_close(std::chrono::milliseconds timeout);
    bool closed_by_server() const; // set by read_until_close when the server ended the connection
    // Parses the first HTTP response in `raw` (status 0 when there is none).
    static HttpResponse parse_response(const std::string& raw);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

struct TlsProbe {
    bool ok = false;
    std::string version; // "TLSv1.3", when ok
    std::string error;   // the handshake failure, when not ok
};
// A TLS handshake alone, with the client limited to [min, max]. Old versions need the client's
// security level lowered, which this does, so a refusal comes from the server.
TlsProbe probe_tls(std::uint16_t port, TlsVersion min, TlsVersion max, const std::string& host = "127.0.0.1");

struct PlainExchange {
    bool closed_by_server = false;
    std::string received;
};
// Plain TCP (no TLS): sends bytes, reads until the server closes or timeout passes.
PlainExchange plain_tcp_exchange(std::uint16_t port, std::string_view bytes, std::chrono::milliseconds timeout,
                                 const std::string& host = "127.0.0.1");

class WsClient {
public:
    // Upgrades `target` with these extra headers (Origin, Cookie, ...). On refusal, ok() is
    // false and refusal() holds the server's HTTP answer.
    WsClient(std::uint16_t port, std::string_view target, const Headers& headers = {}, ClientOptions options = {});
    ~WsClient();

    bool ok() const;
    const HttpResponse& refusal() const;
    // The next text frame, or nullopt when none arrives within timeout or the socket closed.
    std::optional<std::string> read_text(std::chrono::milliseconds timeout = 5s);
    // True once the server closed the socket (waits up to timeout for it).
    bool wait_closed(std::chrono::milliseconds timeout = 5s);
    void send_text(std::string_view text);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace stronghold::test

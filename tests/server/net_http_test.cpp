// NET-4 limits and timeouts, keep-alive, and the App's answers as they travel over HTTPS.
#include "net/server.hpp"

#include "support/fake_app.hpp"
#include "support/https_client.hpp"
#include "support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace stronghold;
using namespace stronghold::test;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<server::App> fake(const TestEnv& env) { return std::make_unique<FakeApp>(env.origin); }

TestServerOptions small_limits()
{
    TestServerOptions o;
    o.net.body_limit = 1024;
    o.net.header_timeout = 1000ms;
    o.net.handshake_timeout = 1000ms;
    return o;
}

void check_json_error(const HttpResponse& r, int status, const std::string& code)
{
    BOOST_TEST(r.status == status);
    BOOST_TEST(r.header("Content-Type").value_or("") == "application/json");
    auto body = r.json();
    BOOST_TEST_REQUIRE(!body.is_discarded());
    BOOST_TEST(body["error"]["code"].get<std::string>() == code);
    // net's own answers carry the security headers too (NET-1)
    BOOST_TEST(r.header("X-Content-Type-Options").value_or("") == "nosniff");
    BOOST_TEST(r.header("Strict-Transport-Security").value_or("").find("max-age=") != std::string::npos);
    BOOST_TEST(r.header("Content-Security-Policy").has_value());
}

} // namespace

BOOST_AUTO_TEST_SUITE(net_http_test)

BOOST_AUTO_TEST_CASE(net4_app_response_arrives_with_its_headers)
{
    TestServer srv(fake);
    HttpsClient client(srv.port());
    auto r = client.request("POST", "/echo?x=1", R"({"a":1})", {{"Content-Type", "application/json"}, {"X-Req", "42"}});
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("X-Fake").value_or("") == "yes");
    BOOST_TEST(r.header("ETag").value_or("") == "\"7\"");
    BOOST_TEST(r.headers_named("Set-Cookie").size() == 2u);
    auto body = r.json();
    BOOST_TEST(body["method"] == "POST");
    BOOST_TEST(body["target"] == "/echo?x=1");
    BOOST_TEST(body["body_size"] == 7);
    BOOST_TEST(body["remote_ip"] == "127.0.0.1");
    BOOST_TEST(body["headers"]["x-req"] == "42");
    // the client keeps the cookies and sends them back
    BOOST_TEST(client.cookie("a").value_or("") == "1");
    auto again = client.get("/echo");
    BOOST_TEST(again.json()["headers"]["cookie"] == "a=1; b=2");
}

BOOST_AUTO_TEST_CASE(net4_no_content_has_no_body_or_length)
{
    TestServer srv(fake);
    HttpsClient client(srv.port());
    auto r = client.request("DELETE", "/status/204");
    BOOST_TEST(r.status == 204);
    BOOST_TEST(!r.header("Content-Length").has_value());
    BOOST_TEST(client.get("/echo").status == 200); // the connection is still in sync
}

BOOST_AUTO_TEST_CASE(net4_keep_alive_serves_several_requests_on_one_connection)
{
    TestServer srv(fake);
    HttpsClient client(srv.port());
    for (int i = 0; i < 5; ++i)
        BOOST_TEST(client.get("/echo").status == 200);
    BOOST_TEST(client.connections_opened() == 1u);
}

BOOST_AUTO_TEST_CASE(net4_pipelined_requests_answered_in_order)
{
    TestServer srv(fake);
    RawConnection raw(srv.port());
    raw.send("GET /status/201 HTTP/1.1\r\nHost: x\r\n\r\n"
             "GET /status/202 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    auto text = raw.read_until_close(3s);
    auto first = text.find("HTTP/1.1 201"), second = text.find("HTTP/1.1 202");
    BOOST_TEST(first != std::string::npos);
    BOOST_TEST(second != std::string::npos);
    BOOST_TEST(first < second);
    BOOST_TEST(raw.closed_by_server());
}

BOOST_AUTO_TEST_CASE(net4_body_over_limit_is_413_json)
{
    TestServer srv(fake, small_limits());
    HttpsClient client(srv.port());
    auto r = client.request("POST", "/echo", std::string(2048, 'x'), {{"Content-Type", "application/json"}});
    check_json_error(r, 413, "payload_too_large");
    auto& app = static_cast<FakeApp&>(srv.app());
    BOOST_TEST(app.handled() == 0u); // never reached the App
    // just under the limit passes
    BOOST_TEST(client.request("POST", "/echo", std::string(1024, 'x')).status == 200);
}

BOOST_AUTO_TEST_CASE(net4_chunked_body_over_limit_is_413_json)
{
    TestServer srv(fake, small_limits());
    RawConnection raw(srv.port());
    std::string chunk(800, 'x');
    raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
             "320\r\n" + chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
    auto r = RawConnection::parse_response(raw.read_until_close(3s));
    check_json_error(r, 413, "payload_too_large");
}

BOOST_AUTO_TEST_CASE(net4_headers_over_16k_are_431_json)
{
    TestServer srv(fake);
    HttpsClient client(srv.port());
    auto r = client.get("/echo", {{"X-Big", std::string(17 * 1024, 'h')}});
    check_json_error(r, 431, "headers_too_large");
    // a large header under the limit passes
    HttpsClient other(srv.port());
    BOOST_TEST(other.get("/echo", {{"X-Big", std::string(12 * 1024, 'h')}}).status == 200);
}

BOOST_AUTO_TEST_CASE(net4_malformed_http_is_400_then_closed)
{
    TestServer srv(fake);
    RawConnection raw(srv.port());
    raw.send("GET /echo HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n");
    auto text = raw.read_until_close(3s);
    auto r = RawConnection::parse_response(text);
    check_json_error(r, 400, "malformed_json");
    BOOST_TEST(raw.closed_by_server());
}

BOOST_AUTO_TEST_CASE(net4_slow_header_client_is_disconnected_after_header_timeout)
{
    TestServer srv(fake, small_limits()); // header_timeout 1 s
    RawConnection raw(srv.port());
    const auto start = std::chrono::steady_clock::now();
    raw.send("GET /echo HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    // keep trickling bytes: a read timeout per byte would never fire, the header deadline does
    for (int i = 0; i < 3; ++i) {
        std::this_thread::sleep_for(200ms);
        raw.send("a");
    }
    raw.read_until_close(5s);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    BOOST_TEST(raw.closed_by_server());
    BOOST_TEST(ms.count() >= 900);
    BOOST_TEST(ms.count() < 3000);
}

BOOST_AUTO_TEST_CASE(net4_plain_http_on_tls_port_is_closed_without_answer)
{
    TestServer srv(fake);
    auto probe = plain_tcp_exchange(srv.port(), "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n", 3s);
    BOOST_TEST(probe.closed_by_server);
    BOOST_TEST(probe.received.empty()); // nothing in clear, not even an error page
}

BOOST_AUTO_TEST_CASE(net4_hundred_concurrent_connections_are_served)
{
    TestServer srv(fake);
    constexpr int k_clients = 100;
    std::atomic<int> ok{0};
    std::vector<std::unique_ptr<HttpsClient>> clients;
    // all connections open at once (each holds its socket), then all send from a few threads
    for (int i = 0; i < k_clients; ++i) {
        clients.push_back(std::make_unique<HttpsClient>(srv.port()));
        clients.back()->get("/status/200");
    }
    BOOST_TEST(srv.http().open_connections() >= std::size_t(k_clients));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = t; i < k_clients; i += 4)
                if (clients[i]->get("/echo").status == 200)
                    ++ok;
        });
    for (auto& th : threads)
        th.join();
    BOOST_TEST(ok.load() == k_clients);
    for (auto& c : clients)
        BOOST_TEST(c->connections_opened() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

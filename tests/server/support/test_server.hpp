// TestServer: the real HttpServer in-process on 127.0.0.1, an ephemeral port and a temporary
// data dir (removed afterwards), running on a background thread until the destructor.
//
//   TestServer srv([](const TestEnv& env) { return std::make_unique<MyApp>(env.data_dir); });
//   HttpsClient c(srv.port());
//   auto r = c.request("POST", "/api/v1/auth/login", body, {{"Content-Type", "application/json"}});
#pragma once

#include "app/app.hpp"
#include "net/server.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace stronghold::test {

// What an App factory gets: the App is made after the port is bound, so it can know its origin.
struct TestEnv {
    std::string data_dir;
    std::uint16_t port = 0;
    std::string origin; // "https://127.0.0.1:<port>", what a browser would send as Origin
};

using AppFactory = std::function<std::unique_ptr<server::App>(const TestEnv&)>;

struct TestServerOptions {
    server::NetConfig net; // host and port are forced to 127.0.0.1:0
    std::string data_dir;  // empty: a fresh temporary dir, removed by the destructor
};

class TestServer {
public:
    explicit TestServer(AppFactory make_app, TestServerOptions options = {});
    ~TestServer(); // stops the server, joins its thread, destroys the App, removes the temp dir
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    std::uint16_t port() const { return m_env.port; }
    const std::string& origin() const { return m_env.origin; }
    const std::string& data_dir() const { return m_env.data_dir; }
    std::string cert_file() const; // the self-signed certificate, for clients that verify
    server::App& app() { return *m_app; }
    server::HttpServer& http() { return *m_server; }

private:
    class Forwarder;
    TestEnv m_env;
    bool m_owns_dir = false;
    std::shared_ptr<void> m_tls; // boost::asio::ssl::context, kept opaque here
    std::unique_ptr<Forwarder> m_forwarder;
    std::unique_ptr<server::App> m_app;
    std::unique_ptr<server::HttpServer> m_server;
    std::thread m_thread;
};

// A fresh temporary directory (mkdtemp under $TMPDIR or /tmp); the caller removes it.
std::string make_temp_dir(const std::string& prefix = "stronghold-test-");

} // namespace stronghold::test

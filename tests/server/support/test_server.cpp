#include "support/test_server.hpp"

#include "live/hub.hpp"
#include "net/tls.hpp"

#include <boost/asio/ssl/context.hpp>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace stronghold::test {

std::string make_temp_dir(const std::string& prefix)
{
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + "XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data()))
        throw std::runtime_error("mkdtemp failed for " + pattern);
    return std::string(buf.data());
}

// The server needs an App before the port is known; the App wants the port (its origin). This
// stands in until the real App exists, and forwards to it afterwards.
class TestServer::Forwarder : public server::App {
public:
    server::App* target = nullptr;
    void handle(server::Request request, std::function<void(server::Response)> done) override
    {
        target->handle(std::move(request), std::move(done));
    }
    void authorize_live(server::Request upgrade, std::function<void(Result<server::LiveAuth>)> done) override
    {
        target->authorize_live(std::move(upgrade), std::move(done));
    }
    server::LiveHub& live() override { return target->live(); }
};

TestServer::TestServer(AppFactory make_app, TestServerOptions options)
{
    m_owns_dir = options.data_dir.empty();
    m_env.data_dir = m_owns_dir ? make_temp_dir() : options.data_dir;

    server::TlsConfig tls{m_env.data_dir, {}, {}, "127.0.0.1"};
    auto context = server::make_server_tls_context(tls);
    if (!context)
        throw std::runtime_error("TLS context: " + context.error().message);
    auto ctx = *context;
    m_tls = ctx;

    options.net.host = "127.0.0.1";
    options.net.port = 0;
    m_forwarder = std::make_unique<Forwarder>();
    m_server = std::make_unique<server::HttpServer>(options.net, *ctx, *m_forwarder);
    m_env.port = m_server->start();
    m_env.origin = "https://127.0.0.1:" + std::to_string(m_env.port);
    m_app = make_app(m_env);
    if (!m_app)
        throw std::runtime_error("TestServer: the App factory returned null");
    m_forwarder->target = m_app.get();
    m_thread = std::thread([this] { m_server->run(); });
}

TestServer::~TestServer()
{
    m_server->stop();
    if (m_thread.joinable())
        m_thread.join();
    m_server.reset(); // before the App: sessions unsubscribe from its LiveHub as they go
    m_app.reset();
    if (m_owns_dir) {
        std::error_code ec;
        std::filesystem::remove_all(m_env.data_dir, ec);
    }
}

std::string TestServer::cert_file() const
{
    return (std::filesystem::path(m_env.data_dir) / "tls" / "cert.pem").string();
}

} // namespace stronghold::test

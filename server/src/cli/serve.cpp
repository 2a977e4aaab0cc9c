#include "cli/serve.hpp"

#include "app/http_app.hpp"
#include "app/security_headers.hpp"
#include "cli/seed.hpp"
#include "net/server.hpp"
#include "net/tls.hpp"
#include "store/store.hpp"
#include "util/log.hpp"

#include <boost/asio/ssl/context.hpp>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <pthread.h>
#include <thread>

namespace stronghold::server {

namespace {

api::Error usage(std::string message, std::string field)
{
    return api::make_error(api::ErrorCode::validation_failed, std::move(message), std::move(field));
}

int print_error(const api::Error& e, int code)
{
    std::fprintf(stderr, "%s\n", api::to_json(e).dump().c_str());
    return code;
}

} // namespace

bool parse_listen(const std::string& text, std::string& host, std::uint16_t& port)
{
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
        return false;
    std::string h = text.substr(0, colon);
    if (h.front() == '[') {
        if (h.back() != ']' || h.size() < 3)
            return false;
        h = h.substr(1, h.size() - 2);
    } else if (h.find(':') != std::string::npos) {
        return false; // a bare IPv6 address needs brackets
    }
    unsigned value = 0;
    auto p = text.data() + colon + 1;
    auto [end, ec] = std::from_chars(p, text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value > 65535)
        return false;
    host = h;
    port = static_cast<std::uint16_t>(value);
    return true;
}

Result<ServeOptions> parse_serve_args(const std::vector<std::string>& args)
{
    ServeOptions o;
    o.web_root = STRONGHOLD_DEFAULT_WEB_ROOT;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        auto value = [&](std::string& out) -> bool {
            if (i + 1 >= args.size())
                return false;
            out = args[++i];
            return true;
        };
        if (a == "--dev") {
            o.dev = true;
        } else if (a == "--data") {
            if (!value(o.data_dir))
                return usage("needs a directory", "--data");
        } else if (a == "--listen") {
            std::string text;
            if (!value(text) || !parse_listen(text, o.host, o.port))
                return usage("must be HOST:PORT", "--listen");
        } else if (a == "--tls-cert") {
            if (!value(o.tls_cert))
                return usage("needs a PEM file", "--tls-cert");
        } else if (a == "--tls-key") {
            if (!value(o.tls_key))
                return usage("needs a PEM file", "--tls-key");
        } else if (a == "--web") {
            if (!value(o.web_root))
                return usage("needs a directory", "--web");
        } else {
            return usage("unknown option", a);
        }
    }
    if (o.data_dir.empty())
        return usage("is required", "--data");
    if (o.tls_cert.empty() != o.tls_key.empty())
        return usage("--tls-cert and --tls-key go together", o.tls_cert.empty() ? "--tls-cert" : "--tls-key");
    return o;
}

int serve_main(const std::vector<std::string>& args)
{
    auto parsed = parse_serve_args(args);
    if (!parsed)
        return print_error(parsed.error(), 2);
    const auto& opt = *parsed;

    // Block the stop signals before any thread starts, so only the waiter below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    auto store = open_sqlite_store(opt.data_dir);
    if (!store)
        return print_error(store.error(), 1);

    TlsConfig tls_config{opt.data_dir, opt.tls_cert, opt.tls_key, opt.host};
    auto tls = make_server_tls_context(tls_config);
    if (!tls)
        return print_error(tls.error(), 1);

    std::optional<DemoLogin> demo;
    if (opt.dev) {
        auto seeded = seed_demo(**store, system_now_ms());
        if (!seeded)
            return print_error(seeded.error(), 1);
        demo = std::move(*seeded);
    }

    AppConfig config;
    config.data_dir = opt.data_dir;
    config.web_root = opt.web_root;
    config.dev = opt.dev;
    HttpApp app(config, **store);

    NetConfig net;
    net.host = opt.host;
    net.port = opt.port;
    net.body_limit = config.max_body_bytes;
    net.add_security_headers = add_security_headers;
    HttpServer server(net, **tls, app);
    std::uint16_t port = 0;
    try {
        port = server.start();
    } catch (const std::exception& e) {
        return print_error(api::make_error(api::ErrorCode::unavailable, std::string("cannot listen: ") + e.what()), 1);
    }

    // Banner for people on stdout (DESIGN.md CLI); logs stay JSON lines on stderr.
    std::string shown_host = opt.host == "0.0.0.0" || opt.host == "::" ? "localhost" : opt.host;
    if (shown_host.find(':') != std::string::npos)
        shown_host = "[" + shown_host + "]";
    std::printf("Stronghold %s is running at https://%s:%u/\n", STRONGHOLD_VERSION, shown_host.c_str(), port);
    if (demo)
        std::printf("  demo login: %s\n  password:   %s   (new at every --dev start)\n", demo->email.c_str(),
                    demo->password.c_str());
    if (opt.tls_cert.empty())
        std::printf("  The certificate is self-signed (%s/tls/cert.pem): your browser will warn once.\n",
                    opt.data_dir.c_str());
    std::printf("  Press Ctrl+C to stop.\n");
    std::fflush(stdout);
    log::info("server.started", {{"host", opt.host}, {"port", port}, {"dev", opt.dev}});

    std::thread waiter([&] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        log::info("server.stopping", {{"signal", sig}});
        server.stop();
    });
    server.run();
    // run() also ends if the server stops by itself: wake the waiter so it can be joined.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    log::info("server.stopped");
    return 0;
}

} // namespace stronghold::server

#include "cli/serve.hpp"

#include "app/http_app.hpp"
#include "app/security_headers.hpp"
#include "auth/secret_store.hpp"
#include "cli/seed.hpp"
#include "mail/smtp_sender.hpp"
#include "mail/templates.hpp"
#include "net/server.hpp"
#include "net/tls.hpp"
#include "store/store.hpp"
#include "util/log.hpp"

#include <boost/asio/ssl/context.hpp>

#include <charconv>
#include <csignal>
#include <memory>
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
        } else if (a == "--smtp-host") {
            if (!value(o.smtp_host) || o.smtp_host.empty())
                return usage("needs a host name or address", "--smtp-host");
        } else if (a == "--smtp-port") {
            std::string text;
            unsigned p = 0;
            if (!value(text))
                return usage("must be 1..65535", "--smtp-port");
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), p);
            if (ec != std::errc{} || end != text.data() + text.size() || p == 0 || p > 65535)
                return usage("must be 1..65535", "--smtp-port");
            o.smtp_port = static_cast<std::uint16_t>(p);
        } else if (a == "--mail-from") {
            if (!value(o.mail_from) || !plain_address(o.mail_from))
                return usage("must be a plain email address", "--mail-from");
        } else if (a == "--public-url") {
            if (!value(o.public_url) || !o.public_url.starts_with("https://") || o.public_url.size() < 9 ||
                o.public_url.find_first_of(" \t\r\n\"<>") != std::string::npos)
                return usage("must be an https:// URL", "--public-url");
            while (o.public_url.ends_with("/"))
                o.public_url.pop_back();
        } else if (a == "--smtp-starttls") {
            o.smtp_starttls = true;
        } else {
            return usage("unknown option", a);
        }
    }
    if (o.data_dir.empty())
        return usage("is required", "--data");
    if (!o.smtp_host.empty() && o.mail_from.empty())
        return usage("is required with --smtp-host", "--mail-from");
    if (o.tls_cert.empty() != o.tls_key.empty())
        return usage("--tls-cert and --tls-key go together", o.tls_cert.empty() ? "--tls-cert" : "--tls-key");
    return o;
}

namespace {
// The host people type: a wildcard listen address is reached as localhost.
std::string shown_host(const std::string& listen_host)
{
    return listen_host == "0.0.0.0" || listen_host == "::" ? "localhost" : listen_host;
}
std::string bracketed(const std::string& host) // IPv6 literals go in brackets inside a URL
{
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}
} // namespace

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
    // Links in mails: --public-url, else the address this server listens on.
    config.public_url = !opt.public_url.empty() ? opt.public_url : "https://" + bracketed(shown_host(opt.host)) + ":" + std::to_string(opt.port);
    HttpApp app(config, **store);

    NetConfig net;
    net.host = opt.host;
    net.port = opt.port;
    net.body_limit = config.max_body_bytes;
    net.add_security_headers = add_security_headers;
    net.stream_upload = accepts_streamed_upload;
    net.upload_dir = temp_dir_of(opt.data_dir);
    remove_stale_temp_files(opt.data_dir); // uploads and exports a crash left behind
    HttpServer server(net, **tls, app);
    std::uint16_t port = 0;
    try {
        port = server.start();
    } catch (const std::exception& e) {
        return print_error(api::make_error(api::ErrorCode::unavailable, std::string("cannot listen: ") + e.what()), 1);
    }

    // Banner for people on stdout (DESIGN.md CLI); logs stay JSON lines on stderr.
    const auto host_in_url = bracketed(shown_host(opt.host));
    std::printf("Stronghold %s is running at https://%s:%u/\n", STRONGHOLD_VERSION, host_in_url.c_str(), port);
    if (demo)
        std::printf("  demo login: %s\n  password:   %s   (new at every --dev start)\n", demo->email.c_str(),
                    demo->password.c_str());
    if (opt.tls_cert.empty())
        std::printf("  The certificate is self-signed (%s/tls/cert.pem): your browser will warn once.\n",
                    opt.data_dir.c_str());
    std::printf("  Press Ctrl+C to stop.\n");
    std::fflush(stdout);
    log::info("server.started", {{"host", opt.host}, {"port", port}, {"dev", opt.dev}});

    // The outbox sender (its own SecretStore over the same key file, to open sealed reset links).
    std::unique_ptr<SmtpSender> mail_sender;
    SodiumSecretStore mail_secrets(opt.data_dir);
    if (opt.smtp_host.empty()) {
        log::warn("mail.not_configured", {{"hint", "start with --smtp-host and --mail-from to send mail"}});
    } else {
        SmtpConfig smtp;
        smtp.host = opt.smtp_host;
        smtp.port = opt.smtp_port;
        smtp.from = opt.mail_from;
        smtp.starttls = opt.smtp_starttls;
        mail_sender = std::make_unique<SmtpSender>(smtp, **store, mail_secrets, system_now_ms);
        mail_sender->start();
        log::info("mail.sender_started", {{"smtp_host", opt.smtp_host}, {"smtp_port", opt.smtp_port}});
    }

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
    if (mail_sender)
        mail_sender->stop();
    log::info("server.stopped");
    return 0;
}

} // namespace stronghold::server

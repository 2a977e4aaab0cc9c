// `stronghold serve`: HTTPS server over the SQLite store and the dashboard files.
//   stronghold serve --data DIR [--listen HOST:PORT] [--tls-cert F --tls-key F] [--web DIR] [--dev]
//                    [--smtp-host H [--smtp-port P] --mail-from ADDR [--smtp-starttls]]
#pragma once

#include "stronghold/api/result.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace stronghold::server {

struct ServeOptions {
    std::string data_dir;
    std::string host = "127.0.0.1";
    std::uint16_t port = 8443;
    std::string tls_cert;
    std::string tls_key;
    std::string web_root; // default: STRONGHOLD_DEFAULT_WEB_ROOT
    bool dev = false;
    // Mail (SMTP sender): without --smtp-host mails wait in the outbox.
    std::string smtp_host;
    std::uint16_t smtp_port = 25;
    std::string mail_from;
    std::string public_url; // --public-url: base of links in mails (default: the listen address)
    bool smtp_starttls = false;
};

// Parses the arguments after "serve"; validation_failed naming the flag on a usage error.
Result<ServeOptions> parse_serve_args(const std::vector<std::string>& args);
// Splits "HOST:PORT" or "[v6]:PORT"; false when malformed (port 0 is allowed: ephemeral).
bool parse_listen(const std::string& text, std::string& host, std::uint16_t& port);

// Runs until SIGINT/SIGTERM. Returns the process exit code (0 ok, 1 failure, 2 usage).
int serve_main(const std::vector<std::string>& args);

} // namespace stronghold::server

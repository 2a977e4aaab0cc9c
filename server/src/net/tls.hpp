// TLS for the server (DAT-1): TLS 1.2 and 1.3 only, ECDHE + AEAD suites, no compression, no
// renegotiation. Certificates come from --tls-cert/--tls-key or, by default, a self-signed ECDSA
// P-256 certificate made on first run in DATA_DIR/tls/ and reused until it expires.
// No OpenSSL or Asio header here: callers only pass the context on to HttpServer.
#pragma once

#include "stronghold/api/result.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace stronghold::server {

struct TlsConfig {
    std::string data_dir;    // the self-signed pair lives in data_dir/tls/{cert,key}.pem
    std::string cert_file;   // --tls-cert: PEM chain; with key_file, replaces the self-signed pair
    std::string key_file;    // --tls-key: PEM private key
    std::string listen_host; // added to the self-signed certificate's SAN
};

struct TlsFiles {
    std::string cert_file;
    std::string key_file;
    bool generated = false; // true when this call made a new self-signed pair
};

// Made on first run, then reused; a new one replaces an expired, unreadable or mismatched pair,
// or one whose SAN does not cover listen_host.
inline constexpr std::int64_t k_self_signed_validity_seconds = 365LL * 24 * 3600;

// Returns the certificate and key to use: the configured ones, or the self-signed pair (made now
// when missing or no longer usable).
Result<TlsFiles> ensure_tls_files(const TlsConfig& config);

// The server's SSL context, loaded with ensure_tls_files()'s pair.
Result<std::shared_ptr<boost::asio::ssl::context>> make_server_tls_context(const TlsConfig& config);

// Writes a new self-signed ECDSA P-256 certificate (SAN localhost, 127.0.0.1, ::1 and host) and
// its key (mode 0600) atomically. not_after is now + valid_for_seconds; tests pass a negative
// value to make an expired one.
Status write_self_signed(const std::string& cert_file, const std::string& key_file, const std::string& host,
                         std::int64_t valid_for_seconds = k_self_signed_validity_seconds);

// Applies the protocol, cipher and option policy to any server context (exposed for tests).
Status apply_server_tls_policy(boost::asio::ssl::context& context);

} // namespace stronghold::server

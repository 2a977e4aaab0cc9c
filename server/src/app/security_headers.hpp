// Security headers that every response carries (NET-1), API answers and net/'s own errors alike.
#pragma once

#include "net/message.hpp"

#include <string_view>

namespace stronghold::server {

// The dashboard needs 'wasm-unsafe-eval' for WebAssembly and nothing broader; no inline script
// or style anywhere, so none is allowed. frame-ancestors 'none' until the embed allow-list lands.
inline constexpr std::string_view k_content_security_policy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'";

// Sets CSP, HSTS, nosniff, Referrer-Policy, X-Frame-Options, COOP; and Cache-Control: no-store
// unless the response already chose its own caching (static files).
void add_security_headers(Response& response);

} // namespace stronghold::server

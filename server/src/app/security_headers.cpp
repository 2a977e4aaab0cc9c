#include "app/security_headers.hpp"

namespace stronghold::server {

void add_security_headers(Response& response)
{
    response.set_header("Content-Security-Policy", std::string(k_content_security_policy));
    // Two years: above the one year HSTS preload lists ask for.
    response.set_header("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "no-referrer");
    response.set_header("X-Frame-Options", "DENY");
    response.set_header("Cross-Origin-Opener-Policy", "same-origin");
    // API answers hold tenant data: never cached by a browser or a proxy.
    if (!response.header("Cache-Control"))
        response.set_header("Cache-Control", "no-store");
}

} // namespace stronghold::server

// The HTTP messages handlers see: no sockets, no Beast types, so handlers are unit-testable
// without a network and compile fast. net/ converts to and from Beast's messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stronghold::server {

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path and query as received: "/api/v1/me?x=1"
    std::vector<std::pair<std::string, std::string>> headers; // names as received
    std::string body;
    std::string remote_ip; // peer address, for logs, audit and throttling
    std::string user_agent() const { return header("User-Agent").value_or(""); }

    // Case-insensitive lookup of the first header with this name.
    std::optional<std::string> header(std::string_view name) const;
    std::string_view path() const;  // target up to '?'
    std::string_view query() const; // after '?', or empty
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    void set_header(std::string name, std::string value); // replaces an existing header of that name
    std::optional<std::string> header(std::string_view name) const;
};

bool iequals(std::string_view a, std::string_view b); // ASCII case-insensitive
std::string_view trim_ows(std::string_view s);        // without leading/trailing spaces and tabs (HTTP OWS)

} // namespace stronghold::server

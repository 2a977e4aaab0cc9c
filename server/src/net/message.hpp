// The HTTP messages handlers see: no sockets, no Beast types, so handlers are unit-testable
// without a network and compile fast. net/ converts to and from Beast's messages.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stronghold::server {

// A file that is removed from disk when its last holder lets go: large bodies (streamed CSV
// uploads, exports) live here instead of in memory. net/ and the handler share it; a request
// that fails half-way, or a response that is never sent, still removes its file.
class TempFile {
public:
    // A new empty file "<dir>/<prefix>XXXXXX" (mode 0600; dir made 0700 if missing); nullptr on failure.
    static std::shared_ptr<TempFile> create(const std::string& dir, std::string_view prefix);
    ~TempFile(); // removes the file
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const std::string& path() const { return m_path; }
    std::uint64_t size() const; // on disk now; 0 when it cannot be read

private:
    explicit TempFile(std::string path) : m_path(std::move(path)) {}
    std::string m_path;
};

std::string temp_dir_of(const std::string& data_dir); // "<data_dir>/tmp": uploads and exports on their way
// Removes the files a crash left in temp_dir_of(data_dir) (nobody holds them after a restart).
void remove_stale_temp_files(const std::string& data_dir);

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path and query as received: "/api/v1/me?x=1"
    std::vector<std::pair<std::string, std::string>> headers; // names as received
    std::string body;
    // A streamed upload (text/csv on an upload route, see NetConfig::stream_upload): the body is
    // on disk here and `body` is empty. Removed when the request is done with.
    std::shared_ptr<const TempFile> body_file;
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
    // When set, the body sent is this file's content (read from disk in small pieces: memory
    // stays flat whatever its size) and `body` is ignored. Removed once sent or dropped.
    std::shared_ptr<const TempFile> body_file;

    void set_header(std::string name, std::string value); // replaces an existing header of that name
    std::optional<std::string> header(std::string_view name) const;
};

bool iequals(std::string_view a, std::string_view b); // ASCII case-insensitive
std::string_view trim_ows(std::string_view s);        // without leading/trailing spaces and tabs (HTTP OWS)

} // namespace stronghold::server

// GET /healthz (OPS-1) and the dashboard's static files.
#include "app/handlers.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace stronghold::server {

void handle_health(AppServices& services, Call call)
{
    auto store = services.store.ping();
    nlohmann::json body = {{"status", store ? "ok" : "degraded"},
                           {"version", STRONGHOLD_VERSION},
                           {"uptime_seconds", (services.clock() - services.started_at) / 1000},
                           {"components", {{"store", store ? "ok" : "error"}}}};
    // 503 lets a load balancer take a node with a broken store out of rotation.
    call.done(json_response(store ? 200 : 503, body));
}

namespace {

std::string_view content_type_for(std::string_view path)
{
    struct Entry {
        std::string_view ext, type;
    };
    static constexpr Entry k_types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".wasm", "application/wasm"},
        {".css", "text/css; charset=utf-8"},
        {".otf", "font/otf"},
        {".ttf", "font/ttf"},
        {".woff2", "font/woff2"},
        {".png", "image/png"},
        {".svg", "image/svg+xml"},
        {".ico", "image/x-icon"},
        {".json", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
    };
    for (const auto& e : k_types)
        if (path.size() > e.ext.size() && path.substr(path.size() - e.ext.size()) == e.ext)
            return e.type;
    return "application/octet-stream";
}

// Only plain names: letters, digits, '-', '_', '.', '/' with no segment starting with '.'
// (no "..", no hidden files) and no '%' (nothing to decode into a traversal).
bool safe_static_path(std::string_view path)
{
    if (path.size() < 2 || path.front() != '/' || path.size() > 256)
        return false;
    char prev = '/';
    for (char c : path.substr(1)) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                  c == '.' || c == '/';
        if (!ok || (prev == '/' && (c == '.' || c == '/')))
            return false;
        prev = c;
    }
    return prev != '/';
}

} // namespace

Response serve_static(const AppConfig& config, std::string_view path)
{
    if (path == "/") {
        Response r;
        r.status = 302;
        r.set_header("Location", "/login.html");
        return r;
    }
    if (!safe_static_path(path) || config.web_root.empty())
        return not_found_response();
    std::filesystem::path file = std::filesystem::path(config.web_root) / std::string(path.substr(1));
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        return not_found_response();
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return not_found_response();
    std::ostringstream buf;
    buf << in.rdbuf();
    Response r;
    r.status = 200;
    r.set_header("Content-Type", std::string(content_type_for(path)));
    // Revalidate every time: a new build must never mix with a cached old .wasm (they are small).
    r.set_header("Cache-Control", "no-cache");
    r.body = std::move(buf).str();
    return r;
}

} // namespace stronghold::server

#include "util/log.hpp"

#include "util/clock.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "stronghold/model/time.hpp"

namespace stronghold::server::log {

namespace {
std::atomic<Level> g_min{Level::info};
std::mutex g_mutex;
constexpr const char* k_names[] = {"debug", "info", "warn", "error"};
} // namespace

void set_min_level(Level level) { g_min = level; }

void write(Level level, std::string_view event, nlohmann::json fields)
{
    if (level < g_min.load())
        return;
    nlohmann::json line = {{"ts", model::format_iso8601(system_now_ms())},
                           {"level", k_names[static_cast<int>(level)]},
                           {"event", std::string(event)}};
    if (fields.is_object())
        for (auto& [k, v] : fields.items())
            line[k] = std::move(v);
    // replace: invalid UTF-8 in quoted input cannot throw or break the line
    auto text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::lock_guard lock(g_mutex);
    std::fprintf(stderr, "%s\n", text.c_str());
}

} // namespace stronghold::server::log

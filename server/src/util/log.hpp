// Structured logs: one JSON object per line on stderr. Never pass passwords, tokens, cookie
// values or personal data as fields; values are JSON-escaped, so quoted input cannot forge lines.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace stronghold::server::log {

enum class Level { debug, info, warn, error };

void set_min_level(Level level);
void write(Level level, std::string_view event, nlohmann::json fields = nlohmann::json::object());
inline void info(std::string_view event, nlohmann::json fields = nlohmann::json::object()) { write(Level::info, event, std::move(fields)); }
inline void warn(std::string_view event, nlohmann::json fields = nlohmann::json::object()) { write(Level::warn, event, std::move(fields)); }
inline void error(std::string_view event, nlohmann::json fields = nlohmann::json::object()) { write(Level::error, event, std::move(fields)); }

} // namespace stronghold::server::log

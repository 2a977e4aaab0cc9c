// Small readers the dashboard's models share for server answers (never throwing: a missing or
// mistyped member reads as empty) and for the server's and core's messages.
#pragma once

#include <stronghold/model/time.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace stronghold::web::app::wire {

// j[key] when j is an object holding a string there; "" otherwise.
inline std::string str(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// j[key] as an ISO 8601 time; 0 when missing, null or unreadable.
inline model::UnixMillis time_of(const nlohmann::json& j, const char* key) {
    const std::string text = str(j, key);
    return text.empty() ? 0 : model::parse_iso8601(text).value_or(0);
}

// Server and core messages follow a field name ("must be between 8 and 128"); under a labelled
// field they stand alone, so they start with a capital.
inline std::string sentence(std::string message) {
    if (!message.empty() && message[0] >= 'a' && message[0] <= 'z') message[0] = static_cast<char>(message[0] - 'a' + 'A');
    return message;
}

} // namespace stronghold::web::app::wire

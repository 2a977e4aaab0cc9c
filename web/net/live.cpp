// Transport-free parts of the live client (unit-tested under Node).
#include "net/live.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace stronghold::web::net {

bool parse_live_event(const std::string& text, LiveEvent& out) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object()) return false;
    auto str = [&](const char* key) {
        auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    out.type = str("type");
    if (out.type.empty()) return false;
    out.account_id = str("account_id");
    out.id = str("id");
    auto v = j.find("version");
    out.version = v != j.end() && v->is_number_integer() ? v->get<std::int64_t>() : 0;
    return true;
}

int reconnect_delay_ms(int attempt, double jitter01) {
    const int base = 500 << std::clamp(attempt, 0, 6); // 0.5, 1, 2, 4, 8, 16, 32 s
    const int capped = std::min(base, 30000);
    return capped + static_cast<int>(capped * 0.25 * std::clamp(jitter01, 0.0, 0.999));
}

} // namespace stronghold::web::net

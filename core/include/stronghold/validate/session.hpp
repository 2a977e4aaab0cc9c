// Session timeout settings (IAM-5): defaults and the bounds an agency may choose, for the
// server (enforcement, security-policy PATCH) and the browser (the Security settings form).
#pragma once

#include "stronghold/api/result.hpp"

#include <cstdint>
#include <string>

namespace stronghold::validate {

struct SessionBounds {
    std::int64_t min, max, fallback;
};
inline constexpr SessionBounds k_session_idle_minutes{5, 1440, 30};  // 5 minutes .. 1 day, default 30 min
inline constexpr SessionBounds k_session_absolute_hours{1, 720, 12}; // 1 hour .. 30 days, default 12 h

// validation_failed naming `field` ("must be between 5 and 1440") when v is outside b.
Status session_setting(const char* field, std::int64_t v, const SessionBounds& b);

} // namespace stronghold::validate

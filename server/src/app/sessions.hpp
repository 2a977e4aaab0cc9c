// Session policy and presentation shared by login, the session list and the throttle.
#pragma once

#include "app/context.hpp"

#include <string>
#include <string_view>

namespace stronghold::server {

struct SessionLimits {
    model::UnixMillis idle_ms = k_session_idle_ms;
    model::UnixMillis absolute_ms = k_session_absolute_ms;
};

// The timeouts that apply to a session of a user whose home agency is `agency_id`: that agency's
// security policy (defaults 30 min idle, 12 h absolute), read from the store on every call.
SessionLimits session_limits(AppServices& services, std::string_view agency_id);

// A short label for a User-Agent, e.g. "Chrome on Linux", "Firefox on Windows", "Unknown device".
// Also the "device family" whose first login from it sends the new-device mail (IAM-7).
std::string device_label(std::string_view user_agent);

} // namespace stronghold::server

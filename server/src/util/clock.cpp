#include "util/clock.hpp"

#include <chrono>

namespace stronghold::server {

model::UnixMillis system_now_ms()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace stronghold::server

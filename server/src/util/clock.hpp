// The wall clock in Unix milliseconds: the one place the server reads it. Code that decides
// with time takes a Clock (app/context.hpp) so tests can move it; this is the default.
#pragma once

#include "stronghold/model/time.hpp"

namespace stronghold::server {

model::UnixMillis system_now_ms();

} // namespace stronghold::server

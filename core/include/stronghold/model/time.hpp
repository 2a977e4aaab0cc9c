// Timestamps: the core never reads a clock; callers pass milliseconds since the Unix epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stronghold::model {

using UnixMillis = std::int64_t;

std::string format_iso8601(UnixMillis t);                         // "2026-11-26T08:19:58.123Z" (UTC)
std::optional<UnixMillis> parse_iso8601(std::string_view text);   // accepts Z or +hh:mm, optional fraction

} // namespace stronghold::model

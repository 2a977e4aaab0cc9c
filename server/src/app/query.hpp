// Query strings: percent-decoding and strict parsing (a duplicate or undecodable parameter is an
// error, never silently resolved one way).
#pragma once

#include "stronghold/api/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stronghold::server {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space); // nullopt on a bad escape
// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}; validation_failed naming the parameter on bad
// escapes or duplicates (field "query" when the name itself is undecodable).
Result<QueryParams> parse_query(std::string_view query);

// A whole decimal number in [lo, hi] (list limits, cursors, Unix ms); nullopt otherwise.
std::optional<std::int64_t> parse_whole_number(std::string_view text, std::int64_t lo, std::int64_t hi);

} // namespace stronghold::server

// Field validators shared by the browser (live feedback) and the server (enforcement).
// Each returns the normalised value or a validation_failed Error naming `field`, with the
// same message in both places.
#pragma once

#include "stronghold/api/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace stronghold::validate {

// Counts Unicode code points; nullopt when `text` is not valid UTF-8 (overlongs, surrogates rejected).
std::optional<std::size_t> utf8_length(std::string_view text);
// True when text holds C0/C1 control characters, DEL, or Unicode line/paragraph separators.
bool has_control_chars(std::string_view text);

// A person's name part or similar label: valid UTF-8, trimmed of surrounding white space,
// no control characters, at most max_chars code points. Empty allowed when !required.
Result<std::string> name(std::string_view field, std::string_view value, std::size_t max_chars, bool required = false);

// A practical RFC 5322 subset: dot-atom local part (<= 64 octets), domain of LDH labels with a
// dot (<= 253 octets), total <= 254. Trims spaces; lower-cases the domain only.
Result<std::string> email(std::string_view field, std::string_view value);

// Normalises to E.164: strips spaces, dots, dashes, parentheses; "00" -> "+"; a national number
// (no + or 00) gets default_country_code (digits only, e.g. "1", "44"); a leading trunk "0"
// is dropped for countries that use one. Result: "+" and 8..15 digits, first digit not 0.
Result<std::string> phone(std::string_view field, std::string_view value, std::string_view default_country_code);

} // namespace stronghold::validate

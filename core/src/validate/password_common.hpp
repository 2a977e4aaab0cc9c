// Internals shared by password.cpp, password_checks.cpp and the generated common-password table
// (build dir: generated/common_passwords.cpp, from core/cmake/common_passwords.cmake).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stronghold::validate::detail {

// Sorted by bytes, lower-cased ASCII, unique: binary-searchable.
extern const std::string_view k_common_passwords[];
extern const std::size_t k_common_password_count;

std::string ascii_lower(std::string_view text);
// True when the password holds the name (whole, ignoring separators, if 3+ characters) or one
// of its words (4+ characters), ASCII case-insensitively.
bool contains_name(std::string_view password, std::string_view name);
std::string_view email_local_part(std::string_view email); // before the first at sign

} // namespace stronghold::validate::detail

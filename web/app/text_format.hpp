// Small text helpers the dashboard's views and models share (ASCII only: names keep their
// non-ASCII letters as they are).
#pragma once

#include <cstdint>
#include <string>

namespace stronghold::web::app {

// 1234567 -> "1,234,567"
inline std::string with_thousands(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// "Won" -> "won": for case-insensitive sorting and matching of ASCII letters.
inline std::string lower_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

} // namespace stronghold::web::app

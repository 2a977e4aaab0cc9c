// Field validators. Messages are stable sentences that follow the field name in the UI
// ("first_name must be at most 100 characters"); the browser shows exactly what the server sends.
#include "stronghold/validate/text.hpp"

#include <cstdint>

namespace stronghold::validate {

namespace {

using api::ErrorCode;

api::Error invalid(std::string_view field, std::string message)
{
    return api::make_error(ErrorCode::validation_failed, std::move(message), std::string(field));
}

bool is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && is_ascii_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_ascii_space(s.back()))
        s.remove_suffix(1);
    return s;
}

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Decodes one code point at pos (strict: no overlongs, no surrogates, <= U+10FFFF).
// Returns the byte length, 0 when the sequence is invalid.
std::size_t decode(std::string_view s, std::size_t pos, std::uint32_t& cp)
{
    const auto b0 = static_cast<unsigned char>(s[pos]);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    std::size_t len = 0;
    std::uint32_t min = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        cp = b0 & 0x1Fu;
        min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        cp = b0 & 0x0Fu;
        min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        cp = b0 & 0x07u;
        min = 0x10000;
    } else {
        return 0; // continuation byte as lead, C0/C1 overlong leads, F5..FF
    }
    if (pos + len > s.size())
        return 0;
    for (std::size_t i = 1; i < len; ++i) {
        const auto b = static_cast<unsigned char>(s[pos + i]);
        if ((b & 0xC0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

} // namespace

std::optional<std::size_t> utf8_length(std::string_view text)
{
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        std::uint32_t cp = 0;
        const std::size_t n = decode(text, pos, cp);
        if (n == 0)
            return std::nullopt;
        pos += n;
        ++count;
    }
    return count;
}

bool has_control_chars(std::string_view text)
{
    for (std::size_t pos = 0; pos < text.size();) {
        std::uint32_t cp = 0;
        std::size_t n = decode(text, pos, cp);
        if (n == 0) { // not UTF-8: judge the byte alone, callers reject invalid UTF-8 separately
            cp = static_cast<unsigned char>(text[pos]);
            n = 1;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029)
            return true;
        pos += n;
    }
    return false;
}

Result<std::string> name(std::string_view field, std::string_view value, std::size_t max_chars, bool required)
{
    // Order matters: encoding first (a length in code points needs valid UTF-8), then trimming,
    // then control characters (a tab inside a name is refused; around it, trimmed).
    const auto length = utf8_length(value);
    if (!length)
        return invalid(field, "is not valid UTF-8");
    const std::string_view trimmed = trim(value);
    if (trimmed.empty()) {
        if (required)
            return invalid(field, "is required");
        return std::string{};
    }
    if (has_control_chars(trimmed))
        return invalid(field, "must not contain control characters");
    if (*utf8_length(trimmed) > max_chars)
        return invalid(field, "must be at most " + std::to_string(max_chars) + " characters");
    return std::string(trimmed);
}

Result<std::string> email(std::string_view field, std::string_view value)
{
    constexpr std::size_t k_max_total = 254, k_max_local = 64, k_max_domain = 253, k_max_label = 63;
    const std::string_view text = trim(value);
    if (text.empty())
        return invalid(field, "is required");
    if (text.size() > k_max_total)
        return invalid(field, "must be at most 254 characters");
    const auto not_valid = [&] { return invalid(field, "is not a valid email address"); };

    const std::size_t at = text.find('@');
    if (at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos)
        return not_valid();
    const std::string_view local = text.substr(0, at);
    const std::string_view domain = text.substr(at + 1);

    // Local part: dot-atom (no quoted strings, no comments: practical subset).
    if (local.empty() || local.size() > k_max_local || local.front() == '.' || local.back() == '.')
        return not_valid();
    constexpr std::string_view k_atext_specials = "!#$%&'*+-/=?^_`{|}~";
    for (std::size_t i = 0; i < local.size(); ++i) {
        const char c = local[i];
        if (c == '.') {
            if (local[i - 1] == '.')
                return not_valid();
        } else if (!is_alpha(c) && !is_digit(c) && k_atext_specials.find(c) == std::string_view::npos) {
            return not_valid();
        }
    }

    // Domain: LDH labels, at least two, last one not all digits (that would be an IP address).
    if (domain.empty() || domain.size() > k_max_domain)
        return not_valid();
    std::size_t labels = 0;
    bool last_all_digits = false;
    for (std::size_t start = 0; start <= domain.size();) {
        std::size_t end = domain.find('.', start);
        if (end == std::string_view::npos)
            end = domain.size();
        const std::string_view label = domain.substr(start, end - start);
        if (label.empty() || label.size() > k_max_label || label.front() == '-' || label.back() == '-')
            return not_valid();
        last_all_digits = true;
        for (const char c : label) {
            if (!is_alpha(c) && !is_digit(c) && c != '-')
                return not_valid();
            if (!is_digit(c))
                last_all_digits = false;
        }
        ++labels;
        start = end + 1;
    }
    if (labels < 2 || last_all_digits)
        return not_valid();

    std::string out(text);
    for (std::size_t i = at + 1; i < out.size(); ++i)
        if (out[i] >= 'A' && out[i] <= 'Z')
            out[i] = static_cast<char>(out[i] - 'A' + 'a');
    return out;
}

Result<std::string> phone(std::string_view field, std::string_view value, std::string_view default_country_code)
{
    constexpr std::size_t k_min_digits = 8, k_max_digits = 15; // E.164 allows at most 15
    std::string text(trim(value));
    if (text.empty())
        return invalid(field, "is required");
    // "+44 (0)20 ..." is common notation: the "(0)" is the trunk prefix, never dialled from abroad.
    if (text.front() == '+' || text.starts_with("00"))
        if (const auto p = text.find("(0)"); p != std::string::npos)
            text.erase(p, 3);

    std::string digits;
    bool international = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (is_digit(c))
            digits.push_back(c);
        else if (c == '+' && i == 0)
            international = true;
        else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')')
            return invalid(field, "is not a valid phone number");
    }
    if (digits.empty())
        return invalid(field, "is not a valid phone number");

    if (!international && digits.size() > 2 && digits[0] == '0' && digits[1] == '0') {
        digits.erase(0, 2); // international call prefix used in most of the world
        international = true;
    }
    if (!international) {
        bool cc_ok = !default_country_code.empty() && default_country_code.size() <= 3 &&
                     default_country_code.front() != '0';
        for (const char c : default_country_code)
            cc_ok = cc_ok && is_digit(c);
        if (!cc_ok)
            return invalid(field, "needs a country code (start it with +)");
        if (default_country_code == "1") {
            // NANP: "1" is its trunk prefix, typed before the 10-digit national number.
            if (digits.size() == 11 && digits[0] == '1')
                digits.erase(0, 1);
        } else if (digits[0] == '0') {
            digits.erase(0, 1); // trunk 0 (UK 020..., DE 030..., FR 06...) is not part of E.164
        }
        digits.insert(0, default_country_code);
    }

    if (digits[0] == '0')
        return invalid(field, "is not a valid phone number");
    if (digits.size() < k_min_digits)
        return invalid(field, "is too short to be a phone number");
    if (digits.size() > k_max_digits)
        return invalid(field, "is too long to be a phone number");
    // NANP numbers have exactly 10 digits after the country code.
    if (digits[0] == '1' && digits.size() != 11)
        return invalid(field, digits.size() < 11 ? "is too short to be a phone number"
                                                 : "is too long to be a phone number");
    return "+" + digits;
}

} // namespace stronghold::validate

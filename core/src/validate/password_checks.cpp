// The checks behind the password policy that look at content rather than composition:
// the common-password list, names from the context, and the strength estimate.
#include "stronghold/validate/password.hpp"
#include "stronghold/validate/text.hpp"
#include "validate/password_common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

namespace stronghold::validate {

namespace detail {

namespace {

bool is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_ascii_alnum(char c)
{
    return is_ascii_letter(c) || (c >= '0' && c <= '9');
}

// Only ASCII separators split: bytes >= 0x80 belong to non-ASCII letters and stay together.
bool is_separator(char c)
{
    return static_cast<unsigned char>(c) < 0x80 && !is_ascii_alnum(c);
}

std::string squash(std::string_view lowered)
{
    std::string out;
    for (const char c : lowered)
        if (!is_separator(c))
            out.push_back(c);
    return out;
}

std::size_t chars(std::string_view text)
{
    return utf8_length(text).value_or(text.size());
}

} // namespace

std::string ascii_lower(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view email_local_part(std::string_view email)
{
    return email.substr(0, email.find('@'));
}

bool contains_name(std::string_view password, std::string_view name)
{
    // Short names ("Al", "Jo") and short words ("Inc", "and") would refuse far too many good
    // passwords; the whole name is matched with separators dropped on both sides, so
    // "Acme Marketing" also catches "acme-marketing" and "AcmeMarketing".
    constexpr std::size_t k_min_whole = 3, k_min_word = 4;
    const std::string pw = ascii_lower(password);
    const std::string pw_squashed = squash(pw);
    const std::string lowered = ascii_lower(name);
    const auto found = [&](const std::string& needle) {
        return pw.find(needle) != std::string::npos || pw_squashed.find(needle) != std::string::npos;
    };
    const std::string whole = squash(lowered);
    if (chars(whole) >= k_min_whole && found(whole))
        return true;
    std::string word;
    for (std::size_t i = 0; i <= lowered.size(); ++i) {
        if (i < lowered.size() && !is_separator(lowered[i])) {
            word.push_back(lowered[i]);
            continue;
        }
        if (chars(word) >= k_min_word && found(word))
            return true;
        word.clear();
    }
    return false;
}

} // namespace detail

namespace {

// "p@ssw0rd" -> "password": the substitutions people use to satisfy composition rules.
std::string undo_substitutions(std::string_view lowered)
{
    constexpr std::string_view from = "@431!0$57", to = "aaeiiosst";
    std::string out(lowered);
    for (char& c : out)
        if (const auto k = from.find(c); k != std::string_view::npos)
            c = to[k];
    return out;
}

// "password1!" -> "password", "2024summer" -> "summer": the word with the decoration that
// composition rules provoke removed from both ends (only ASCII non-letters are removed).
std::string_view base_word(std::string_view lowered)
{
    const auto is_decoration = [](char c) {
        return static_cast<unsigned char>(c) < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    };
    while (!lowered.empty() && is_decoration(lowered.front()))
        lowered.remove_prefix(1);
    while (!lowered.empty() && is_decoration(lowered.back()))
        lowered.remove_suffix(1);
    return lowered;
}

} // namespace

std::size_t common_password_count()
{
    return detail::k_common_password_count;
}

bool on_common_password_list(std::string_view password)
{
    const std::string lowered = detail::ascii_lower(password);
    const std::string_view* first = detail::k_common_passwords;
    const std::string_view* last = first + detail::k_common_password_count;
    return std::binary_search(first, last, std::string_view(lowered));
}

bool is_common_password(std::string_view password)
{
    // A base word shorter than this is no evidence: "abc" + ten random digits is not "abc".
    constexpr std::size_t k_min_base = 4;
    const std::string lowered = detail::ascii_lower(password);
    if (on_common_password_list(lowered))
        return true;
    const std::string_view base = base_word(lowered);
    if (base.size() < k_min_base)
        return false;
    return on_common_password_list(base) || on_common_password_list(undo_substitutions(base));
}

int password_strength(std::string_view password)
{
    if (password.empty() || !utf8_length(password) || is_common_password(password))
        return 0;

    // Pool size from the classes present, then about log2(pool) bits per character, except
    // that a character equal or adjacent to the one before ("aaaa", "abcd", "4321") adds ~1 bit.
    bool lower = false, upper = false, digit = false, ascii_special = false, non_ascii = false;
    std::vector<std::uint32_t> cps;
    for (std::size_t i = 0; i < password.size(); ++i) {
        const auto b = static_cast<unsigned char>(password[i]);
        if (b >= 0x80 && b < 0xC0)
            continue; // continuation byte: already part of the code point below
        std::uint32_t cp = b;
        if (b >= 0xC0) {
            non_ascii = true;
            const std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2; // valid UTF-8 checked above
            cp = b & (0x7Fu >> len);
            for (std::size_t k = 1; k < len; ++k)
                cp = (cp << 6) | (static_cast<unsigned char>(password[i + k]) & 0x3Fu);
        } else if (b >= 'a' && b <= 'z') {
            lower = true;
        } else if (b >= 'A' && b <= 'Z') {
            upper = true;
        } else if (b >= '0' && b <= '9') {
            digit = true;
        } else {
            ascii_special = true;
        }
        cps.push_back(cp);
    }
    const double pool =
        (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (ascii_special ? 33 : 0) + (non_ascii ? 100 : 0);
    const double per_char = std::log2(pool);
    double bits = 0;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const bool patterned = i > 0 && (cps[i] == cps[i - 1] || cps[i] == cps[i - 1] + 1 || cps[i] + 1 == cps[i - 1]);
        bits += patterned ? 1.0 : per_char;
    }
    // Repeated blocks ("Xk9#Xk9#Xk9#") add little: cap by the distinct characters.
    const std::size_t distinct = std::set<std::uint32_t>(cps.begin(), cps.end()).size();
    bits = std::min(bits, static_cast<double>(distinct) * per_char + static_cast<double>(cps.size() - distinct));

    if (bits < 28)
        return 0;
    if (bits < 36)
        return 1;
    if (bits < 60)
        return 2;
    if (bits < 80)
        return 3;
    return 4;
}

} // namespace stronghold::validate

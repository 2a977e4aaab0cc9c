// CRM-5 sensitive-data guard.
//
// [SECTION] Checksums (Luhn, IBAN mod-97, country lengths)
// [SECTION] Detectors (cards, IBANs, SSNs, passport numbers)
// [SECTION] find_sensitive / guard_sensitive
//
// Detectors err on the side of finding: a refused name can be retyped, a stored card number
// cannot be unstored from every backup. Checksums keep the false positives rare.
#include "stronghold/validate/sensitive.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace stronghold::validate {

namespace {

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_alnum(char c)
{
    return is_digit(c) || is_alpha(c);
}
char to_upper(char c)
{
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// [SECTION] Checksums --------------------------------------------------------------------------

struct IbanCountry {
    char code[3];
    std::uint8_t length;
};

// SWIFT IBAN registry (release 2024): every country that issues IBANs and its fixed length.
constexpr IbanCountry k_iban_countries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22}, {"BH", 22},
    {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28},
    {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22},
    {"MK", 19}, {"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23},
    {"PK", 24}, {"PL", 28}, {"PS", 29}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
    {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23},
    {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

std::size_t iban_length(char a, char b)
{
    for (const auto& c : k_iban_countries)
        if (c.code[0] == a && c.code[1] == b)
            return c.length;
    return 0;
}

// Issuer prefixes (IIN ranges) of the networks CRM-5 names.
bool known_issuer(std::string_view d)
{
    const auto prefix = [&](std::size_t n) {
        int v = 0;
        for (std::size_t i = 0; i < n; ++i)
            v = v * 10 + (d[i] - '0');
        return v;
    };
    const int p1 = prefix(1), p2 = prefix(2), p3 = prefix(3), p4 = prefix(4);
    return p1 == 4                                     // Visa
           || (p2 >= 51 && p2 <= 55)                   // Mastercard
           || (p4 >= 2221 && p4 <= 2720)               // Mastercard 2-series
           || p2 == 34 || p2 == 37                     // Amex
           || p4 == 6011 || p2 == 65                   // Discover
           || (p3 >= 644 && p3 <= 649)                 // Discover
           || (p4 >= 3528 && p4 <= 3589)               // JCB
           || (p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 // Diners
           || p2 == 62                                 // UnionPay
           || p2 == 50 || (p2 >= 56 && p2 <= 69);      // Maestro
}

// [SECTION] Detectors --------------------------------------------------------------------------

// Cards: maximal digit runs ("groups") joined by one space or dash. From every group start, the
// longest run of whole groups with 13-19 digits that passes Luhn and the issuer check wins.
void find_cards(std::string_view s, std::vector<SensitiveMatch>& out)
{
    struct Group {
        std::size_t begin, end;
    };
    std::vector<Group> groups;
    for (std::size_t i = 0; i < s.size();) {
        if (!is_digit(s[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && is_digit(s[j]))
            ++j;
        groups.push_back({i, j});
        i = j;
    }
    const auto joined = [&](std::size_t a, std::size_t b) { // group b directly follows group a
        return groups[b].begin == groups[a].end + 1 && (s[groups[a].end] == ' ' || s[groups[a].end] == '-');
    };
    for (std::size_t g = 0; g < groups.size(); ++g) {
        // Digits glued to a word are identifiers (e.g. the BBAN inside an IBAN), not typed cards.
        if (groups[g].begin > 0 && is_alpha(s[groups[g].begin - 1]))
            continue;
        std::string digits;
        std::size_t best_end = 0;
        for (std::size_t e = g; e < groups.size(); ++e) {
            if (e > g && !joined(e - 1, e))
                break;
            digits.append(s.substr(groups[e].begin, groups[e].end - groups[e].begin));
            if (digits.size() > 19)
                break;
            if (digits.size() >= 13 && known_issuer(digits) && luhn_valid(digits))
                best_end = groups[e].end;
        }
        if (best_end != 0 && !(best_end < s.size() && is_alpha(s[best_end])))
            out.push_back({SensitiveKind::card_number, groups[g].begin, best_end - groups[g].begin});
    }
}

// IBANs: two letters, then alphanumerics with optional single spaces, exactly the country's length.
void find_ibans(std::string_view s, std::vector<SensitiveMatch>& out)
{
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        if (!is_alpha(s[i]) || !is_alpha(s[i + 1]) || (i > 0 && is_alnum(s[i - 1])))
            continue;
        const std::size_t want = iban_length(to_upper(s[i]), to_upper(s[i + 1]));
        if (want == 0)
            continue;
        std::string compact;
        std::size_t j = i;
        while (j < s.size() && compact.size() < want) {
            if (is_alnum(s[j])) {
                compact.push_back(to_upper(s[j]));
                ++j;
            } else if (s[j] == ' ' && !compact.empty() && j + 1 < s.size() && is_alnum(s[j + 1])) {
                ++j;
            } else {
                break;
            }
        }
        if (compact.size() != want || (j < s.size() && is_alnum(s[j])))
            continue;
        if (iban_valid(compact))
            out.push_back({SensitiveKind::iban, i, j - i});
    }
}

// US SSNs: AAA-GG-SSSS with dashes or spaces; bare 9-digit runs are not matched (too many
// false positives: order numbers, phone fragments).
void find_ssns(std::string_view s, std::vector<SensitiveMatch>& out)
{
    constexpr std::size_t k_len = 11;
    for (std::size_t i = 0; i + k_len <= s.size(); ++i) {
        if (i > 0 && is_alnum(s[i - 1]))
            continue;
        if (i + k_len < s.size() && is_alnum(s[i + k_len]))
            continue;
        const std::string_view t = s.substr(i, k_len);
        const bool shape = is_digit(t[0]) && is_digit(t[1]) && is_digit(t[2]) && (t[3] == '-' || t[3] == ' ') &&
                           is_digit(t[4]) && is_digit(t[5]) && t[6] == t[3] && is_digit(t[7]) && is_digit(t[8]) &&
                           is_digit(t[9]) && is_digit(t[10]);
        if (!shape)
            continue;
        const int area = (t[0] - '0') * 100 + (t[1] - '0') * 10 + (t[2] - '0');
        const bool group_zero = t[4] == '0' && t[5] == '0';
        const bool serial_zero = t.substr(7) == "0000";
        if (area == 0 || area == 666 || area >= 900 || group_zero || serial_zero)
            continue;
        out.push_back({SensitiveKind::us_ssn, i, k_len});
    }
}

// Lower-cases ASCII and Cyrillic capitals (U+0410..U+042F, U+0401), enough for the keywords.
std::string fold_case(std::string_view word)
{
    std::string out(word);
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto b0 = static_cast<unsigned char>(out[i]);
        if (b0 >= 'A' && b0 <= 'Z') {
            out[i] = static_cast<char>(b0 - 'A' + 'a');
        } else if (i + 1 < out.size() && (b0 == 0xD0)) {
            auto b1 = static_cast<unsigned char>(out[i + 1]);
            if (b1 >= 0x90 && b1 <= 0x9F) { // А..П -> а..п (D0 B0..BF)
                out[i + 1] = static_cast<char>(b1 + 0x20);
            } else if (b1 >= 0xA0 && b1 <= 0xAF) { // Р..Я -> р..я (D1 80..8F)
                out[i] = static_cast<char>(0xD1);
                out[i + 1] = static_cast<char>(b1 - 0x20);
            } else if (b1 == 0x81) { // Ё -> ё
                out[i] = static_cast<char>(0xD1);
                out[i + 1] = static_cast<char>(0x91);
            }
            ++i;
        }
    }
    return out;
}

// Passport numbers have no checksum, so only a keyword makes 6-9 alphanumerics one: a word
// starting with "passport" or a translation, then the number within the next 3 words.
void find_passports(std::string_view s, std::vector<SensitiveMatch>& out)
{
    static constexpr std::string_view k_keywords[] = {"passport",   "passeport", "reisepass",
                                                      "pasaporte",  "passaporto", "paspoort",
                                                      "\xD0\xBF\xD0\xB0\xD1\x81\xD0\xBF\xD0\xBE\xD1\x80\xD1\x82"};
    constexpr std::size_t k_window = 3;
    struct Word {
        std::size_t begin, end;
    };
    std::vector<Word> words; // runs of ASCII alphanumerics or non-ASCII bytes (letters of other scripts)
    for (std::size_t i = 0; i < s.size();) {
        const auto in_word = [&](std::size_t k) { return is_alnum(s[k]) || static_cast<unsigned char>(s[k]) >= 0x80; };
        if (!in_word(i)) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && in_word(j))
            ++j;
        words.push_back({i, j});
        i = j;
    }
    for (std::size_t w = 0; w < words.size(); ++w) {
        const std::string folded = fold_case(s.substr(words[w].begin, words[w].end - words[w].begin));
        const bool keyword = std::any_of(std::begin(k_keywords), std::end(k_keywords),
                                         [&](std::string_view k) { return folded.starts_with(k); });
        if (!keyword)
            continue;
        for (std::size_t n = w + 1; n < words.size() && n <= w + k_window; ++n) {
            const std::string_view word = s.substr(words[n].begin, words[n].end - words[n].begin);
            const bool ascii_alnum = std::all_of(word.begin(), word.end(), is_alnum);
            const bool has_digit = std::any_of(word.begin(), word.end(), is_digit);
            if (ascii_alnum && has_digit && word.size() >= 6 && word.size() <= 9) {
                out.push_back({SensitiveKind::passport_number, words[n].begin, word.size()});
                break;
            }
        }
    }
}

std::string_view refuse_message(SensitiveKind kind)
{
    switch (kind) {
    case SensitiveKind::card_number:
        return "looks like a payment card number; sensitive data cannot be stored here";
    case SensitiveKind::iban:
        return "looks like a bank account number (IBAN); sensitive data cannot be stored here";
    case SensitiveKind::us_ssn:
        return "looks like a US social security number; sensitive data cannot be stored here";
    case SensitiveKind::passport_number:
        return "looks like a passport number; sensitive data cannot be stored here";
    }
    return "looks like sensitive data; sensitive data cannot be stored here";
}

} // namespace

std::string_view to_string(SensitiveKind kind)
{
    switch (kind) {
    case SensitiveKind::card_number:
        return "card_number";
    case SensitiveKind::iban:
        return "iban";
    case SensitiveKind::us_ssn:
        return "us_ssn";
    case SensitiveKind::passport_number:
        return "passport_number";
    }
    return {};
}

bool luhn_valid(std::string_view digits)
{
    if (digits.empty())
        return false;
    int sum = 0;
    bool twice = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        if (!is_digit(*it))
            return false;
        int d = *it - '0';
        if (twice) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

bool iban_valid(std::string_view compact)
{
    if (compact.size() < 4 || !(compact[0] >= 'A' && compact[0] <= 'Z') || !(compact[1] >= 'A' && compact[1] <= 'Z') ||
        !is_digit(compact[2]) || !is_digit(compact[3]))
        return false;
    if (iban_length(compact[0], compact[1]) != compact.size())
        return false;
    // ISO 13616: move the first four characters to the end, letters become 10..35, mod 97 == 1.
    int rem = 0;
    for (std::size_t k = 0; k < compact.size(); ++k) {
        const char c = compact[(k + 4) % compact.size()];
        if (is_digit(c))
            rem = (rem * 10 + (c - '0')) % 97;
        else if (c >= 'A' && c <= 'Z')
            rem = (rem * 100 + (c - 'A' + 10)) % 97;
        else
            return false;
    }
    return rem == 1;
}

// [SECTION] find_sensitive / guard_sensitive ------------------------------------------------------

std::vector<SensitiveMatch> find_sensitive(std::string_view text)
{
    std::vector<SensitiveMatch> all;
    find_ibans(text, all);
    find_cards(text, all);
    find_ssns(text, all);
    find_passports(text, all);
    // Earliest first, longer first on ties; a match overlapping an accepted one is dropped
    // (the digits of an IBAN are not also a card number).
    std::sort(all.begin(), all.end(), [](const SensitiveMatch& a, const SensitiveMatch& b) {
        return a.offset != b.offset ? a.offset < b.offset : a.length > b.length;
    });
    std::vector<SensitiveMatch> out;
    for (const auto& m : all)
        if (out.empty() || m.offset >= out.back().offset + out.back().length)
            out.push_back(m);
    return out;
}

Result<std::string> guard_sensitive(std::string_view field, std::string_view text, SensitivePolicy policy)
{
    const auto matches = find_sensitive(text);
    if (matches.empty())
        return std::string(text);
    if (policy == SensitivePolicy::refuse)
        return api::make_error(api::ErrorCode::validation_failed, std::string(refuse_message(matches.front().kind)),
                               std::string(field));
    std::string out(text);
    for (const auto& m : matches) {
        std::size_t keep = 4; // the last four alphanumerics stay, as on a receipt
        for (std::size_t i = m.offset + m.length; i-- > m.offset;) {
            if (!is_alnum(out[i]))
                continue;
            if (keep > 0)
                --keep;
            else
                out[i] = '*';
        }
    }
    return out;
}

} // namespace stronghold::validate

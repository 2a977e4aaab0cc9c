#include "store/contact_keys.hpp"

#include "stronghold/crypto/crypto.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>

namespace stronghold::server {

namespace {

// ---- UTF-8 helpers (only what the fold needs) ----

// Decodes one code point at text[i]; nullopt for an invalid sequence (the byte passes through).
std::optional<char32_t> decode_utf8(std::string_view text, std::size_t& i)
{
    const auto b0 = static_cast<unsigned char>(text[i]);
    int extra = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
        ++i;
        return b0;
    } else if ((b0 & 0xE0) == 0xC0) {
        extra = 1;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        extra = 2;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        extra = 3;
        cp = b0 & 0x07;
    } else {
        return std::nullopt;
    }
    if (i + static_cast<std::size_t>(extra) >= text.size())
        return std::nullopt;
    for (int k = 1; k <= extra; ++k) {
        const auto b = static_cast<unsigned char>(text[i + k]);
        if ((b & 0xC0) != 0x80)
            return std::nullopt;
        cp = (cp << 6) | (b & 0x3F);
    }
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

void append_utf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

char32_t lower_code_point(char32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 0x20;
    if (c < 0xC0)
        return c;
    if (c <= 0xDE)
        return c == 0xD7 ? c : c + 0x20; // Latin-1 capitals, except the multiplication sign
    if (c >= 0x100 && c <= 0x17F) {       // Latin Extended-A: mostly capital/small pairs
        if (c == 0x130)
            return U'i'; // İ
        if (c == 0x178)
            return 0xFF; // Ÿ
        const bool even_pairs = (c <= 0x137 && c != 0x131) || (c >= 0x14A && c <= 0x177);
        const bool odd_pairs = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (even_pairs && c % 2 == 0)
            return c + 1;
        if (odd_pairs && c % 2 == 1)
            return c + 1;
        return c;
    }
    if (c >= 0x386 && c <= 0x3AB) { // Greek capitals (with tonos and dialytika)
        if (c == 0x386)
            return 0x3AC;
        if (c >= 0x388 && c <= 0x38A)
            return c + 0x25;
        if (c == 0x38C)
            return 0x3CC;
        if (c == 0x38E || c == 0x38F)
            return c + 0x3F;
        if (c >= 0x391 && c != 0x3A2)
            return c + 0x20;
        return c;
    }
    if (c == 0x3C2)
        return 0x3C3; // final sigma folds with sigma, so "ΣΟΣ" and "σος" meet
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50; // Cyrillic Ѐ..Џ
    if (c >= 0x410 && c <= 0x42F)
        return c + 0x20; // Cyrillic А..Я
    return c;
}

std::string trim(std::string_view s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos)
        return {};
    const auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

// ---- base64url without padding (the cursor's envelope) ----

int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

std::optional<std::string> from_base64url(std::string_view text)
{
    if (text.size() % 4 == 1)
        return std::nullopt;
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = b64_value(c);
        if (v < 0)
            return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return out;
}

constexpr std::size_t k_max_cursor_chars = 1024; // a real cursor is < 200; refuse junk early

std::string_view sort_name_of(const SortSpec& s)
{
    switch (s.field) {
    case SortField::name:
        return s.descending ? "-name" : "name";
    case SortField::updated_at:
        return s.descending ? "-updated_at" : "updated_at";
    case SortField::created_at:
        return s.descending ? "-created_at" : "created_at";
    }
    return "name";
}

api::Error bad_cursor()
{
    return api::make_error(api::ErrorCode::validation_failed, "the cursor is not valid for this list", "cursor");
}

} // namespace

std::string fold_lower(std::string_view utf8)
{
    std::string out;
    out.reserve(utf8.size());
    std::size_t i = 0;
    while (i < utf8.size()) {
        const std::size_t start = i;
        if (auto cp = decode_utf8(utf8, i)) {
            append_utf8(out, lower_code_point(*cp));
        } else {
            out += utf8[start];
            i = start + 1;
        }
    }
    return out;
}

ContactKeys contact_keys(const model::Contact& c)
{
    ContactKeys k;
    k.full_lower = fold_lower(trim(c.first_name + " " + c.last_name));
    k.last_lower = fold_lower(trim(c.last_name));
    k.sort_name = k.full_lower;
    if (k.sort_name.empty()) {
        // Contacts without a name sort by what the table shows for them (company, email).
        if (!c.company_name.empty())
            k.sort_name = fold_lower(trim(c.company_name));
        else if (!c.emails.empty())
            k.sort_name = fold_lower(c.emails.front());
    }
    return k;
}

std::string prefix_upper_bound(std::string_view prefix)
{
    std::string bound(prefix);
    bound += '\xFF';
    return bound;
}

Result<SortSpec> parse_sort(std::string_view sort)
{
    SortSpec s;
    std::string_view name = sort;
    if (!name.empty() && name.front() == '-') {
        s.descending = true;
        name.remove_prefix(1);
    }
    if (name == "name")
        s.field = SortField::name;
    else if (name == "updated_at")
        s.field = SortField::updated_at;
    else if (name == "created_at")
        s.field = SortField::created_at;
    else
        return api::make_error(api::ErrorCode::validation_failed,
                               "sort must be one of name, updated_at, created_at, optionally prefixed by -", "sort");
    return s;
}

std::string encode_cursor(const SortSpec& sort, const Cursor& cursor)
{
    nlohmann::json j;
    j["s"] = sort_name_of(sort);
    if (const auto* s = std::get_if<std::string>(&cursor.key))
        j["k"] = *s;
    else
        j["k"] = std::get<std::int64_t>(cursor.key);
    j["id"] = cursor.id;
    const std::string text = j.dump();
    return crypto::to_base64url(
        std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Result<Cursor> decode_cursor(const SortSpec& sort, std::string_view text)
{
    if (text.empty() || text.size() > k_max_cursor_chars)
        return bad_cursor();
    const auto raw = from_base64url(text);
    if (!raw)
        return bad_cursor();
    const auto j = nlohmann::json::parse(*raw, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.size() != 3)
        return bad_cursor();
    const auto s = j.find("s");
    const auto k = j.find("k");
    const auto id = j.find("id");
    if (s == j.end() || k == j.end() || id == j.end() || !s->is_string() || !id->is_string())
        return bad_cursor();
    if (s->get<std::string>() != sort_name_of(sort))
        return bad_cursor(); // a cursor from another sort order would skip or repeat rows
    Cursor c;
    c.id = id->get<std::string>();
    if (c.id.empty() || c.id.size() > 64)
        return bad_cursor();
    if (sort.field == SortField::name) {
        if (!k->is_string())
            return bad_cursor();
        c.key = k->get<std::string>();
    } else {
        if (!k->is_number_integer())
            return bad_cursor();
        c.key = k->get<std::int64_t>();
    }
    return c;
}

} // namespace stronghold::server

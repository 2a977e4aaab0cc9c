#include "stronghold/io/json_text.hpp"

namespace stronghold::io {

namespace {

// The length of the valid UTF-8 sequence at text[pos], or 0 (overlongs, surrogates and code
// points above U+10FFFF are invalid, as for nlohmann::json).
std::size_t utf8_sequence(std::string_view text, std::size_t pos)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
    const unsigned char b0 = byte(0);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF; // bounds of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF)
        n = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        if (b0 == 0xE0)
            lo = 0xA0;
        if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        if (b0 == 0xF0)
            lo = 0x90;
        if (b0 == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (pos + n > text.size() || byte(1) < lo || byte(1) > hi)
        return 0;
    for (std::size_t i = 2; i < n; ++i)
        if (byte(i) < 0x80 || byte(i) > 0xBF)
            return 0;
    return n;
}

} // namespace

void append_json_u00(std::string& out, unsigned char byte)
{
    static constexpr char k_hex[] = "0123456789abcdef";
    out += "\\u00";
    out.push_back(k_hex[byte >> 4]);
    out.push_back(k_hex[byte & 15]);
}

void append_json_string(std::string& out, std::string_view text)
{
    out.push_back('"');
    for (std::size_t pos = 0; pos < text.size();) {
        const char c = text[pos];
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80) {
            const std::size_t n = utf8_sequence(text, pos);
            if (n == 0) {
                out += "\xEF\xBF\xBD"; // U+FFFD
                ++pos;
            } else {
                out.append(text.data() + pos, n);
                pos += n;
            }
            continue;
        }
        ++pos;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (u < 0x20)
                append_json_u00(out, u);
            else
                out.push_back(c);
        }
    }
    out.push_back('"');
}

void append_json_strings(std::string& out, const std::vector<std::string>& items)
{
    out.push_back('[');
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out.push_back(',');
        append_json_string(out, items[i]);
    }
    out.push_back(']');
}

std::string& JsonObject::key(std::string_view name)
{
    if (!m_first)
        m_out.push_back(',');
    m_first = false;
    append_json_string(m_out, name);
    m_out.push_back(':');
    return m_out;
}

} // namespace stronghold::io

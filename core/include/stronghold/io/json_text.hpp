// JSON text written by appending to a string, for hot paths that would otherwise build an
// nlohmann::json tree only to dump it (an import writes a million version records). The
// spelling is nlohmann::json::dump()'s: the same escapes (\" \\ \b \f \n \r \t, \u00XX for other
// control characters), UTF-8 kept as is. A byte that does not belong to valid UTF-8 becomes U+FFFD
// (as with dump()'s error_handler_t::replace, which may fold a run into one), so the output is
// always valid JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::io {

void append_json_string(std::string& out, std::string_view text);
void append_json_u00(std::string& out, unsigned char byte);                      // \u00XX             // "text", escaped
void append_json_strings(std::string& out, const std::vector<std::string>& items); // ["a","b"]

// An object written member by member: JsonObject o(out); o.key("a"); out += ...; o.close();
class JsonObject {
public:
    explicit JsonObject(std::string& out) : m_out(out) { m_out.push_back('{'); }
    std::string& key(std::string_view name); // writes ,"name": and returns the output for the value
    void str(std::string_view name, std::string_view value) { append_json_string(key(name), value); }
    void num(std::string_view name, std::int64_t value) { key(name) += std::to_string(value); }
    void close() { m_out.push_back('}'); }

private:
    std::string& m_out;
    bool m_first = true;
};

} // namespace stronghold::io

// io::append_json_string and friends (the direct JSON writer of hot paths) spell what
// nlohmann::json::dump() spells, and always produce valid JSON.
#include "stronghold/io/json_text.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace stronghold;

namespace {

std::string direct(std::string_view text)
{
    std::string out;
    io::append_json_string(out, text);
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(io_json_text)

BOOST_AUTO_TEST_CASE(CRM4_json_strings_match_nlohmann_dump_byte_for_byte)
{
    const std::vector<std::string> samples = {
        "", "plain", "quote \" and backslash \\", "slash / stays", "tab\tnew\nline\rcr\bbs\fff",
        std::string("nul \0 byte", 10), "\x01\x1f\x7f", "Zoë Ångström 日本 🎉", "=cmd|' /C calc'!A0",
    };
    for (const auto& s : samples) {
        BOOST_TEST(direct(s) == nlohmann::json(s).dump(), "sample: " << nlohmann::json(s).dump());
        BOOST_TEST(nlohmann::json::parse(direct(s)).get<std::string>() == s);
    }
    std::string list;
    io::append_json_strings(list, samples);
    BOOST_TEST(list == nlohmann::json(samples).dump());
    std::string empty;
    io::append_json_strings(empty, {});
    BOOST_TEST(empty == "[]");
}

BOOST_AUTO_TEST_CASE(CRM4_invalid_utf8_becomes_replacement_characters_and_stays_valid_json)
{
    const std::vector<std::string> bad = {"\xff", "a\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "ok\xe2\x82"};
    for (const auto& s : bad) {
        const auto out = direct(s);
        BOOST_TEST(nlohmann::json::accept(out), "not valid JSON for " << nlohmann::json(s).dump(-1, ' ', false,
                                                                           nlohmann::json::error_handler_t::replace));
        const auto back = nlohmann::json::parse(out).get<std::string>();
        BOOST_TEST(back.find("\xEF\xBF\xBD") != std::string::npos); // U+FFFD marks what was lost
    }
    BOOST_TEST(direct("ok\xe2\x82 end") == "\"ok\xEF\xBF\xBD\xEF\xBF\xBD end\""); // the good text around stays
}

BOOST_AUTO_TEST_CASE(CRM4_json_object_writes_members_in_order)
{
    std::string out;
    io::JsonObject o(out);
    o.str("a", "x\"y");
    o.num("b", -42);
    o.key("c") += "[]";
    o.close();
    BOOST_TEST(out == R"({"a":"x\"y","b":-42,"c":[]})");
}

BOOST_AUTO_TEST_SUITE_END()

#include "stronghold/validate/text.hpp"

#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace stronghold;
using namespace stronghold::validate;

BOOST_AUTO_TEST_SUITE(validate_text)

BOOST_AUTO_TEST_SUITE(utf8)

BOOST_AUTO_TEST_CASE(counts_code_points_of_valid_text)
{
    struct Case {
        const char* name;
        std::string text;
        std::size_t length;
    };
    const std::vector<Case> cases = {
        {"empty", "", 0},
        {"ascii", "Anna", 4},
        {"2-byte", "Zo\xC3\xAB", 3},                        // Zoë
        {"3-byte", "\xE6\x9D\xB1\xE4\xBA\xAC", 2},           // 東京
        {"4-byte emoji", "a\xF0\x9F\x98\x80", 2},            // U+1F600
        {"max code point", "\xF4\x8F\xBF\xBF", 1},           // U+10FFFF
        {"nul is a code point", std::string("a\0b", 3), 3},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            const auto n = utf8_length(c.text);
            BOOST_TEST_REQUIRE(n.has_value());
            BOOST_TEST(*n == c.length);
        }
    }
}

BOOST_AUTO_TEST_CASE(refuses_invalid_sequences)
{
    const std::pair<const char*, const char*> cases[] = {
        {"overlong slash", "\xC0\xAF"},
        {"overlong 2-byte C1", "\xC1\xBF"},
        {"overlong 3-byte", "\xE0\x80\xAF"},
        {"overlong 4-byte", "\xF0\x80\x80\xAF"},
        {"high surrogate", "\xED\xA0\x80"},
        {"low surrogate", "\xED\xBF\xBF"},
        {"above U+10FFFF", "\xF4\x90\x80\x80"},
        {"F5 lead", "\xF5\x80\x80\x80"},
        {"lone continuation", "a\x80"},
        {"truncated 3-byte", "\xE6\x9D"},
        {"truncated 4-byte", "\xF0\x9F\x98"},
        {"bad continuation", "\xC3\x28"},
        {"FF byte", "\xFF"},
    };
    for (const auto& [name, text] : cases)
        BOOST_TEST_CONTEXT(name) { BOOST_TEST(!utf8_length(text).has_value()); }
}

BOOST_AUTO_TEST_CASE(finds_control_characters)
{
    const std::pair<const char*, std::string> with[] = {
        {"nul", std::string("a\0b", 3)}, {"tab", "a\tb"},           {"newline", "a\nb"},
        {"escape", "a\x1b[31m"},          {"del", "a\x7f"},          {"C1 NEL U+0085", "a\xC2\x85"},
        {"C1 CSI U+009B", "\xC2\x9B"},    {"line sep U+2028", "a\xE2\x80\xA8"}, {"para sep U+2029", "\xE2\x80\xA9"},
    };
    for (const auto& [name, text] : with)
        BOOST_TEST_CONTEXT(name) { BOOST_TEST(has_control_chars(text)); }
    const char* without[] = {"", "Anna-Lena O'Brien", "Zo\xC3\xAB", "\xC2\xA0nbsp", "\xE2\x80\xAF", "a\xF0\x9F\x98\x80"};
    for (const char* text : without)
        BOOST_TEST_CONTEXT(text) { BOOST_TEST(!has_control_chars(text)); }
}

BOOST_AUTO_TEST_SUITE_END() // utf8

BOOST_AUTO_TEST_SUITE(names)

BOOST_AUTO_TEST_CASE(trims_and_accepts_unicode_within_limit)
{
    auto r = name("first_name", "  Zo\xC3\xAB ", 100);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(*r == "Zo\xC3\xAB");

    // Exactly 100 code points of 2 bytes each (200 bytes) fits: the limit counts characters.
    std::string hundred;
    for (int i = 0; i < 100; ++i)
        hundred += "\xC3\xA9";
    BOOST_TEST(name("first_name", hundred, 100).ok());
    auto too_long = name("first_name", hundred + "e", 100);
    BOOST_TEST_REQUIRE(!too_long.ok());
    BOOST_TEST(too_long.error().code == api::ErrorCode::validation_failed);
    BOOST_TEST(too_long.error().field == "first_name");
    BOOST_TEST(too_long.error().message == "must be at most 100 characters");

    auto empty = name("last_name", "   ", 100);
    BOOST_TEST_REQUIRE(empty.ok());
    BOOST_TEST(empty->empty());
}

BOOST_AUTO_TEST_CASE(refuses_control_chars_invalid_utf8_and_missing_required)
{
    struct Case {
        std::string value;
        bool required;
        const char* message;
    };
    const Case cases[] = {
        {"Bo\nb", false, "must not contain control characters"},
        {"Bob\x1b[2J", false, "must not contain control characters"},
        {"Bo\xE2\x80\xA8" "b", false, "must not contain control characters"},
        {"Bo\xC0\xAF", false, "is not valid UTF-8"},
        {"", true, "is required"},
        {" \t ", true, "is required"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.message << " for " << c.value.size() << " bytes")
        {
            auto r = name("company_name", c.value, 200, c.required);
            BOOST_TEST_REQUIRE(!r.ok());
            BOOST_TEST(r.error().field == "company_name");
            BOOST_TEST(r.error().message == c.message);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END() // names

BOOST_AUTO_TEST_SUITE(emails)

BOOST_AUTO_TEST_CASE(accepts_practical_addresses_and_lowercases_domain_only)
{
    const std::pair<std::string, std::string> cases[] = {
        {"ann@example.com", "ann@example.com"},
        {" Ann.Lee@Example.COM ", "Ann.Lee@example.com"},
        {"a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk"},
        {"o'brien@xn--bcher-kva.example", "o'brien@xn--bcher-kva.example"},
        {"x@a-b.io", "x@a-b.io"},
        {"{weird}!#$%&*=?^_`|~-/@example.org", "{weird}!#$%&*=?^_`|~-/@example.org"},
        {std::string(64, 'l') + "@example.com", std::string(64, 'l') + "@example.com"},
    };
    for (const auto& [in, out] : cases) {
        BOOST_TEST_CONTEXT(in)
        {
            auto r = email("emails[0]", in);
            BOOST_TEST_REQUIRE(r.ok());
            BOOST_TEST(*r == out);
        }
    }
}

BOOST_AUTO_TEST_CASE(total_length_boundary_is_254)
{
    // 64-char local part + "@" + domain of labels, built to exactly 254 and 255 octets.
    const std::string local(64, 'a');
    const std::string label(63, 'b');
    const std::string domain_189 = label + "." + label + "." + std::string(61, 'c'); // 63+1+63+1+61 = 189
    const std::string at_254 = local + "@" + domain_189;
    BOOST_TEST_REQUIRE(at_254.size() == 254u);
    BOOST_TEST(email("email", at_254).ok());
    const std::string at_255 = local + "@" + domain_189 + "c";
    auto r = email("email", at_255);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().message == "must be at most 254 characters");
}

BOOST_AUTO_TEST_CASE(refuses_invalid_addresses)
{
    const std::string cases[] = {
        "plainaddress", "@example.com", "ann@", "ann@@example.com", "a@b@example.com", "ann@example",
        ".ann@example.com", "ann.@example.com", "an..n@example.com", "ann@-example.com", "ann@example-.com",
        "ann@exa_mple.com", "ann@example..com", "ann@.example.com", "ann@example.com.", "ann lee@example.com",
        "\"ann\"@example.com", "ann@127.0.0.1", "ann@[127.0.0.1]", "ann@example.c\xC3\xB6m",
        "J\xC3\xBCrgen@example.com", "ann@exa\nmple.com", std::string(65, 'l') + "@example.com",
        "ann@" + std::string(64, 'd') + ".com",
    };
    for (const auto& text : cases) {
        BOOST_TEST_CONTEXT(text)
        {
            auto r = email("emails[1]", text);
            BOOST_TEST_REQUIRE(!r.ok());
            BOOST_TEST(r.error().code == api::ErrorCode::validation_failed);
            BOOST_TEST(r.error().field == "emails[1]");
            BOOST_TEST(r.error().message == "is not a valid email address");
        }
    }
    auto empty = email("email", "  ");
    BOOST_TEST_REQUIRE(!empty.ok());
    BOOST_TEST(empty.error().message == "is required");
}

BOOST_AUTO_TEST_SUITE_END() // emails

BOOST_AUTO_TEST_SUITE(phones)

BOOST_AUTO_TEST_CASE(normalises_to_e164)
{
    struct Case {
        const char* in;
        const char* country;
        const char* out;
    };
    const Case cases[] = {
        {"(415) 555-2671", "1", "+14155552671"},      // US national
        {"415.555.2671", "1", "+14155552671"},
        {"1 415 555 2671", "1", "+14155552671"},      // NANP trunk 1
        {"+1 415 555 2671", "44", "+14155552671"},    // international ignores the default
        {"020 7946 0018", "44", "+442079460018"},     // UK: trunk 0 dropped
        {"07700 900123", "44", "+447700900123"},
        {"0044 20 7946 0018", "1", "+442079460018"},  // 00 -> +
        {"+44 (0)20 7946 0018", "1", "+442079460018"}, // "(0)" trunk notation dropped
        {"030 123456", "49", "+4930123456"},
        {"06 12 34 56 78", "33", "+33612345678"},
        {"+49-30-1234-5678", "1", "+493012345678"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.in << " (cc " << c.country << ")")
        {
            auto r = phone("phones[0]", c.in, c.country);
            BOOST_TEST_REQUIRE(r.ok(), (r.ok() ? "" : r.error().message));
            BOOST_TEST(*r == c.out);
        }
    }
}

BOOST_AUTO_TEST_CASE(refuses_bad_numbers_with_stable_messages)
{
    struct Case {
        const char* in;
        const char* country;
        const char* message;
    };
    const Case cases[] = {
        {"", "1", "is required"},
        {"555-CALL-NOW", "1", "is not a valid phone number"},
        {"415 555 2671 ext 12", "1", "is not a valid phone number"},
        {"+1 415+555", "1", "is not a valid phone number"},
        {"---", "1", "is not a valid phone number"},
        {"+0 123 456 789", "1", "is not a valid phone number"},
        {"555 2671", "1", "is too short to be a phone number"},
        {"+44 123", "1", "is too short to be a phone number"},
        {"+1 415 555 26710", "1", "is too long to be a phone number"},
        {"+49 1234 5678 9012 3456", "1", "is too long to be a phone number"},
        {"020 7946 0018", "", "needs a country code (start it with +)"},
        {"020 7946 0018", "4x", "needs a country code (start it with +)"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.in << " (cc " << c.country << ")")
        {
            auto r = phone("phones[3]", c.in, c.country);
            BOOST_TEST_REQUIRE(!r.ok());
            BOOST_TEST(r.error().field == "phones[3]");
            BOOST_TEST(r.error().message == c.message);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END() // phones

BOOST_AUTO_TEST_SUITE_END()

#include "stronghold/validate/sensitive.hpp"

#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace stronghold;
using namespace stronghold::validate;

BOOST_AUTO_TEST_SUITE(validate_sensitive)

namespace {
// The single match expected in text, or a failure message naming what was found instead.
void expect_one(const std::string& text, SensitiveKind kind, std::size_t offset, std::size_t length)
{
    const auto found = find_sensitive(text);
    BOOST_TEST_REQUIRE(found.size() == 1u);
    BOOST_TEST(found[0].kind == kind);
    BOOST_TEST(found[0].offset == offset);
    BOOST_TEST(found[0].length == length);
}
} // namespace

BOOST_AUTO_TEST_SUITE(cards)

BOOST_AUTO_TEST_CASE(crm5_finds_test_cards_of_every_issuer_with_separators)
{
    // Published test numbers of each network, typed as people type them.
    const char* cards[] = {
        "4111 1111 1111 1111",   // Visa
        "4012-8888-8888-1881",   // Visa
        "4222222222222",         // Visa, 13 digits
        "5555 5555 5555 4444",   // Mastercard
        "5105105105105100",      // Mastercard
        "2223 0031 2200 3222",   // Mastercard 2-series
        "3782 822463 10005",     // Amex 4-6-5
        "371449635398431",       // Amex
        "6011 1111 1111 1117",   // Discover
        "6445 6445 6445 6445",   // Discover 644-649
        "3530 1113 3330 0000",   // JCB
        "3566-0020-2036-0505",   // JCB
        "3056 930902 5904",      // Diners 14 digits
        "38520000023237",        // Diners
        "6200 0000 0000 0005",   // UnionPay
        "5018 0000 0000 0009",   // Maestro
        "6759 6498 2643 8453",   // Maestro
    };
    for (const std::string card : cards) {
        BOOST_TEST_CONTEXT(card)
        {
            expect_one(card, SensitiveKind::card_number, 0, card.size());
            const std::string text = "call me, card " + card + " exp 12/29";
            expect_one(text, SensitiveKind::card_number, 14, card.size());
        }
    }
}

BOOST_AUTO_TEST_CASE(crm5_ignores_luhn_invalid_unknown_issuer_and_wrong_lengths)
{
    const char* not_cards[] = {
        "4111 1111 1111 1112",     // Luhn fails
        "5555555555554445",        // Luhn fails
        "9111111111111110",        // Luhn-valid, no issuer starts with 9
        "1111 1111 1111 1117",     // no issuer starts with 1
        "411111111111",            // 12 digits
        "4111  1111 1111 1111",    // two spaces split it into pieces too short
        "4111_1111_1111_1111",     // underscores are not separators
        "Order 20240229-1337",     // ordinary numbers
        "+1 415 555 2671",
    };
    for (const char* text : not_cards)
        BOOST_TEST_CONTEXT(text) { BOOST_TEST(find_sensitive(text).empty()); }
}

BOOST_AUTO_TEST_CASE(luhn_table)
{
    BOOST_TEST(luhn_valid("79927398713"));
    BOOST_TEST(!luhn_valid("79927398710"));
    BOOST_TEST(luhn_valid("0"));
    BOOST_TEST(!luhn_valid(""));
    BOOST_TEST(!luhn_valid("7992 7398 713"));
}

BOOST_AUTO_TEST_SUITE_END() // cards

BOOST_AUTO_TEST_SUITE(ibans)

BOOST_AUTO_TEST_CASE(crm5_finds_valid_ibans_and_ignores_one_changed_digit)
{
    struct Case {
        const char* valid;
        const char* changed;
    };
    const Case cases[] = {
        {"DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0131 00"},
        {"GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 33"},
        {"FR14 2004 1010 0505 0001 3M02 606", "FR14 2004 1010 0505 0001 3M02 607"},
        {"NL91 ABNA 0417 1643 00", "NL91 ABNA 0417 1643 01"},
        {"CH93 0076 2011 6238 5295 7", "CH93 0076 2011 6238 5295 8"},
        {"NO93 8601 1117 947", "NO93 8601 1117 948"},
        {"BE68 5390 0754 7034", "BE68 5390 0754 7035"},
        {"gb82west12345698765432", "gb82west12345698765433"}, // compact, lower case
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.valid)
        {
            const std::string valid = c.valid;
            expect_one("IBAN " + valid + ".", SensitiveKind::iban, 5, valid.size());
            for (const auto& m : find_sensitive(c.changed))
                BOOST_TEST(m.kind != SensitiveKind::iban);
        }
    }
}

BOOST_AUTO_TEST_CASE(iban_valid_checks_country_length_and_checksum)
{
    BOOST_TEST(iban_valid("DE89370400440532013000"));
    BOOST_TEST(!iban_valid("DE8937040044053201300"));   // one short for DE (22)
    BOOST_TEST(!iban_valid("DE893704004405320130000")); // one long
    BOOST_TEST(!iban_valid("XX89370400440532013000"));  // no such country
    BOOST_TEST(!iban_valid("DE98370400440532013000"));  // check digits swapped
    BOOST_TEST(!iban_valid("de89370400440532013000"));  // compact form is upper-case by contract
    BOOST_TEST(!iban_valid(""));
}

BOOST_AUTO_TEST_SUITE_END() // ibans

BOOST_AUTO_TEST_SUITE(ssns)

BOOST_AUTO_TEST_CASE(crm5_finds_ssns_in_possible_ranges_only)
{
    const char* valid[] = {"123-45-6789", "078 05 1120", "665-01-0001", "899-99-9999", "001-01-0001"};
    for (const std::string ssn : valid)
        BOOST_TEST_CONTEXT(ssn) { expect_one("ssn: " + ssn, SensitiveKind::us_ssn, 5, 11); }

    const char* impossible[] = {
        "000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", // areas never issued
        "123-00-4567",                                              // group 00
        "123-45-0000",                                              // serial 0000
        "123456789",                                                // bare 9 digits: too many false positives
        "123-45 6789",                                              // mixed separators
        "1123-45-6789", "123-45-67890",                             // part of a longer number
    };
    for (const char* text : impossible)
        BOOST_TEST_CONTEXT(text) { BOOST_TEST(find_sensitive(text).empty()); }
}

BOOST_AUTO_TEST_SUITE_END() // ssns

BOOST_AUTO_TEST_SUITE(passports)

BOOST_AUTO_TEST_CASE(crm5_finds_passport_numbers_only_near_the_keyword)
{
    struct Case {
        std::string text;
        std::string number;
    };
    const Case cases[] = {
        {"Passport: X1234567", "X1234567"},
        {"passport no. 123456789", "123456789"},
        {"PASSPORT NUMBER IS C01X00T47", "C01X00T47"},
        {"Reisepass C01X00T47", "C01X00T47"},
        {"Reisepassnummer: L01X00T47", "L01X00T47"},
        {"passeport 12AB34567", "12AB34567"},
        {"pasaporte n\xC2\xBA AAA123456", "AAA123456"},
        {"passaporto YA1234567", "YA1234567"},
        {"paspoort NW3K5R7P1", "NW3K5R7P1"},
        {"\xD0\x9F\xD0\x90\xD0\xA1\xD0\x9F\xD0\x9E\xD0\xA0\xD0\xA2 4509 123456", "123456"}, // ПАСПОРТ, upper case
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.text)
        {
            expect_one(c.text, SensitiveKind::passport_number, c.text.find(c.number), c.number.size());
        }
    }
}

BOOST_AUTO_TEST_CASE(crm5_ignores_numbers_without_keyword_or_too_far)
{
    const char* texts[] = {
        "X1234567",                                    // no keyword
        "ticket X1234567",
        "passport was lost in the hotel X1234567",      // more than 3 words after
        "passport holder ABCDEFGH",                     // no digit
        "passport 12345",                               // too short
        "passport 1234567890",                          // too long
        "passports renewed",
    };
    for (const char* text : texts)
        BOOST_TEST_CONTEXT(text) { BOOST_TEST(find_sensitive(text).empty()); }
}

BOOST_AUTO_TEST_SUITE_END() // passports

BOOST_AUTO_TEST_SUITE(guard)

BOOST_AUTO_TEST_CASE(crm5_refuse_names_field_and_kind_without_echoing_the_value)
{
    struct Case {
        const char* text;
        const char* message;
    };
    const Case cases[] = {
        {"Ann 4111 1111 1111 1111", "looks like a payment card number; sensitive data cannot be stored here"},
        {"DE89 3704 0044 0532 0130 00", "looks like a bank account number (IBAN); sensitive data cannot be stored here"},
        {"ssn 123-45-6789", "looks like a US social security number; sensitive data cannot be stored here"},
        {"passport X1234567", "looks like a passport number; sensitive data cannot be stored here"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.text)
        {
            auto r = guard_sensitive("first_name", c.text, SensitivePolicy::refuse);
            BOOST_TEST_REQUIRE(!r.ok());
            BOOST_TEST(r.error().code == api::ErrorCode::validation_failed);
            BOOST_TEST(r.error().field == "first_name");
            BOOST_TEST(r.error().message == c.message);
        }
    }
}

BOOST_AUTO_TEST_CASE(crm5_mask_keeps_last_four_alphanumerics_and_separators)
{
    const std::pair<const char*, const char*> cases[] = {
        {"card 4111 1111 1111 1111 thanks", "card **** **** **** 1111 thanks"},
        {"3782-822463-10005", "****-******-*0005"},
        {"DE89 3704 0044 0532 0130 00", "**** **** **** **** **30 00"},
        {"ssn 123-45-6789 ok", "ssn ***-**-6789 ok"},
        {"passport X1234567", "passport ****4567"},
        {"two: 4111111111111111 and 5555555555554444", "two: ************1111 and ************4444"},
        {"nothing to hide", "nothing to hide"},
    };
    for (const auto& [in, out] : cases) {
        BOOST_TEST_CONTEXT(in)
        {
            auto r = guard_sensitive("notes", in, SensitivePolicy::mask);
            BOOST_TEST_REQUIRE(r.ok());
            BOOST_TEST(*r == out);
            BOOST_TEST(find_sensitive(*r).empty()); // masked text passes the guard
        }
    }
}

BOOST_AUTO_TEST_CASE(clean_text_passes_both_policies_unchanged)
{
    for (const auto policy : {SensitivePolicy::refuse, SensitivePolicy::mask}) {
        auto r = guard_sensitive("company_name", "Acme 2024 GmbH & Co. KG, Tel +49 30 1234 5678", policy);
        BOOST_TEST_REQUIRE(r.ok());
        BOOST_TEST(*r == "Acme 2024 GmbH & Co. KG, Tel +49 30 1234 5678");
    }
}

BOOST_AUTO_TEST_SUITE_END() // guard

BOOST_AUTO_TEST_SUITE_END()

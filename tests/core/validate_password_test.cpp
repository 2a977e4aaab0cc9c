#include "stronghold/validate/password.hpp"

#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace stronghold;
using namespace stronghold::validate;

namespace {

std::vector<std::string> codes_of(const PasswordVerdict& v)
{
    std::vector<std::string> out;
    for (const auto& p : v.problems)
        out.push_back(p.code);
    return out;
}

std::string repeat(std::string_view unit, std::size_t times)
{
    std::string out;
    for (std::size_t i = 0; i < times; ++i)
        out += unit;
    return out;
}

struct Case {
    const char* name;
    std::string password;
    std::vector<std::string> codes; // expected problem codes, in order; empty = accepted
};

void check_table(const PasswordPolicy& policy, const PasswordContext& ctx, const std::vector<Case>& cases)
{
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            const PasswordVerdict v = evaluate(policy, c.password, ctx);
            BOOST_TEST(codes_of(v) == c.codes, boost::test_tools::per_element());
            BOOST_TEST(v.ok == c.codes.empty());
            const Status st = check_password(policy, c.password, ctx);
            BOOST_TEST(st.ok() == c.codes.empty());
            if (!st.ok() && !v.problems.empty()) {
                BOOST_TEST(st.error().code == api::ErrorCode::validation_failed);
                BOOST_TEST(st.error().field == "password");
                BOOST_TEST(st.error().message == v.problems.front().message);
            }
        }
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(validate_password)

BOOST_AUTO_TEST_SUITE(classic_default)

BOOST_AUTO_TEST_CASE(iam2_default_policy_table)
{
    const std::vector<Case> cases = {
        {"exactly 8 with every class", "Zebra-9k", {}},
        {"7 characters", "Zebr-9k", {"too_short"}},
        {"empty", "", {"too_short", "missing_lower", "missing_upper", "missing_digit", "missing_special"}},
        {"no lower-case letter", "ZEBRA-9K", {"missing_lower"}},
        {"no upper-case letter", "zebra-9k", {"missing_upper"}},
        {"no digit", "Zebra-kq", {"missing_digit"}},
        {"no special character", "Zebra9kq", {"missing_special"}},
        {"a space is special and never trimmed", "Zebra 9k", {}},
        {"trailing space counts toward length", "Zeb 9k ", {"too_short"}},
        {"non-ASCII is special", "Zebra\xC3\xA4" "9k", {}}, // Zebraä9k
        {"Unicode counted in code points, not bytes", "\xC3\x84\xC3\xA4" "1!\xE6\x9D\xB1\xE4\xBA\xAC", // Ää1!東京: 6
         {"too_short", "missing_lower", "missing_upper"}},
        {"exactly 8 code points of mixed scripts", "\xC3\x84\xC3\xA4" "1!\xE6\x9D\xB1\xE4\xBA\xAC" "xY", {}},
        {"Unicode passphrase", "Zo\xC3\xAB-Stra\xC3\x9F" "e-\xE6\x9D\xB1\xE4\xBA\xAC-9 \xF0\x9F\x90\xB4", {}},
        {"128-character passphrase", repeat("Horse-Battery-9-", 8), {}},
        {"1024 bytes (the cap) accepted", repeat("Qz7!", 256), {}},
        {"1025 bytes refused alone", repeat("Qz7!", 256) + "x", {"too_long"}},
        {"invalid UTF-8 refused alone", "Zebra-9k\xFF", {"invalid_utf8"}},
        {"overlong encoding refused", "Zebra-9k\xC0\xAF", {"invalid_utf8"}},
        {"control character", std::string("Zebra-9k\x01", 9), {"control_characters"}},
        {"newline", "Zebra-9k\nmore", {"control_characters"}},
    };
    check_table(PasswordPolicy::classic(), {}, cases);
}

BOOST_AUTO_TEST_CASE(iam2_messages_name_the_rule)
{
    const auto first = [](std::string_view pw, const PasswordPolicy& p = {}) {
        const auto st = check_password(p, pw);
        return st.ok() ? std::string("ok") : st.error().message;
    };
    BOOST_TEST(first("Zebr-9k") == "must be at least 8 characters");
    BOOST_TEST(first("ZEBRA-9K") == "must contain a lower-case letter");
    BOOST_TEST(first("zebra-9k") == "must contain an upper-case letter");
    BOOST_TEST(first("Zebra-kq") == "must contain a digit");
    BOOST_TEST(first("Zebra9kq") == "must contain a special character (anything but a letter or digit)");
    BOOST_TEST(first("Password1!") == "is too common");
    BOOST_TEST(first(repeat("x", 1025)) == "must be at most 1024 bytes long");
    BOOST_TEST(first("Zebra-9k\xFF") == "is not valid UTF-8");
    PasswordPolicy twelve;
    twelve.min_length = 12;
    BOOST_TEST(first("Zebra-9kQ", twelve) == "must be at least 12 characters");
}

BOOST_AUTO_TEST_CASE(iam2_stricter_agency_policy)
{
    PasswordPolicy p;
    p.min_length = 12;
    p.required_classes = password_class::lower | password_class::digit;
    check_table(p, {},
                {
                    {"12 lower and digits", "zebraquasar9", {}},
                    {"11 characters", "zebraquasa9", {"too_short"}},
                    {"upper and special no longer required", "zebraquasar9", {}},
                    {"digit still required", "zebraquasarx", {"missing_digit"}},
                });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(common_passwords)

BOOST_AUTO_TEST_CASE(iam2_list_is_built_from_the_package_list)
{
    BOOST_TEST(common_password_count() >= 3000u);
    // Entries from both ends of the byte order and the middle: the binary search needs the
    // generated table sorted. "asdfjkl;" holds a ';', which a naive CMake list would split.
    for (const char* entry : {"!@#$%", "123456", "password", "password1", "qwerty", "letmein", "michael", "abc123",
                              "zxcvbnm", "asdfjkl;", "asdf;lkj", "trustno1"}) {
        BOOST_TEST_CONTEXT(entry)
        {
            BOOST_TEST(on_common_password_list(entry));
        }
    }
    BOOST_TEST(!on_common_password_list("Zebra-9k-Quasar"));
    BOOST_TEST(!on_common_password_list(""));
    BOOST_TEST(!on_common_password_list("asdfjkl;x")); // no prefix matches
}

BOOST_AUTO_TEST_CASE(iam2_lookup_ignores_case)
{
    for (const char* variant : {"password", "PASSWORD", "PassWord", "pAsSwOrD", "QWERTY", "LetMeIn"}) {
        BOOST_TEST_CONTEXT(variant)
        {
            BOOST_TEST(on_common_password_list(variant));
            BOOST_TEST(is_common_password(variant));
        }
    }
}

BOOST_AUTO_TEST_CASE(iam2_decorated_common_words_are_refused)
{
    // Variants that pass every composition rule but are still a listed word underneath.
    check_table(PasswordPolicy::classic(), {},
                {
                    {"Password1!", "Password1!", {"common_password"}},
                    {"P@ssw0rd1!", "P@ssw0rd1!", {"common_password"}},
                    {"Qwerty123!", "Qwerty123!", {"common_password"}},
                    {"Monkey2024$", "Monkey2024$", {"common_password"}},
                    {"2024!Letmein", "2024!Letmein", {"common_password"}},
                    {"all caps listed", "PASSWORD1!", {"missing_lower", "common_password"}},
                    {"a listed word inside a longer phrase is fine", "Password-Zebra-Quasar-9", {}},
                    {"short base word is no evidence", "Abc-839204716!", {}},
                });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(names)

BOOST_AUTO_TEST_CASE(iam2_email_name_is_refused)
{
    PasswordContext ctx;
    ctx.email = "jane.doe@example.com";
    check_table(PasswordPolicy::classic(), ctx,
                {
                    {"whole local part", "Jane.Doe-2024", {"contains_email_name"}},
                    {"local part without separators", "JaneDoe-2024", {"contains_email_name"}},
                    {"one word of it", "Xylo-jane-77!", {"contains_email_name"}},
                    {"upper case", "JANE-xylo-77!", {"contains_email_name"}},
                    {"3-letter word alone is not enough", "Doe-Xylo-77!", {}},
                    {"the domain is not a name", "Example-77!q", {}},
                });
    ctx.email = "al@example.com"; // under 3 characters: ignored
    check_table(PasswordPolicy::classic(), ctx, {{"short local part ignored", "Al-Zebra-9k", {}}});
}

BOOST_AUTO_TEST_CASE(iam2_brand_and_user_names_are_refused)
{
    PasswordContext ctx;
    ctx.user_name = "Jonathan Smith";
    ctx.brand_names = {"Acme Marketing", "Bo Inc"};
    check_table(PasswordPolicy::classic(), ctx,
                {
                    {"agency word", "Acme-2024-Zebra!", {"contains_brand_name"}},
                    {"whole agency name squashed", "acme_marketing-9X", {"contains_brand_name"}},
                    {"short brand as a whole", "Zebra-BoInc-9", {"contains_brand_name"}},
                    {"short brand words alone are fine", "Zebra-Inc-9k", {}},
                    {"user name", "Jonathan-99!x", {"contains_user_name"}},
                    {"user and brand", "Smith@Acme-1x", {"contains_user_name", "contains_brand_name"}},
                    {"none", "Zebra-Quasar-9", {}},
                });
}

BOOST_AUTO_TEST_CASE(iam2_names_cap_the_strength)
{
    PasswordContext ctx;
    ctx.brand_names = {"Quasarmoon"};
    const auto v = evaluate(PasswordPolicy::classic(), "Quasarmoon-Zebra-Violet-77!x", ctx);
    BOOST_TEST(!v.ok);
    BOOST_TEST(v.strength <= 1);
    BOOST_TEST(evaluate(PasswordPolicy::classic(), "Quasarmoon-Zebra-Violet-77!x").strength >= 3);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(nist_profile)

BOOST_AUTO_TEST_CASE(iam2_nist_800_63b_table)
{
    const PasswordPolicy nist = PasswordPolicy::nist_800_63b();
    BOOST_TEST((nist.profile == PasswordProfile::nist));
    BOOST_TEST(nist.min_length == 15u);
    BOOST_TEST(int(nist.required_classes) == 0);
    check_table(nist, {},
                {
                    {"15 lower-case letters, no composition", "zebraquasarmoon", {}},
                    {"14 characters", "zebraquasarmoo", {"too_short"}},
                    {"passphrase with spaces", "correct horse battery staple", {}},
                    {"common word padded to 15", "password1234567", {"common_password"}},
                    {"long listed entry", "PASSWORD", {"too_short", "common_password"}},
                    {"128 characters", repeat("abcdefghijklmno ", 8), {}},
                });
    BOOST_TEST(check_password(nist, "zebraquasarmoo").error().message == "must be at least 15 characters");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(strength)

BOOST_AUTO_TEST_CASE(iam2_strength_grows_with_real_entropy)
{
    // Each at least as strong as the one before; the ends are fixed.
    const std::vector<std::string> chain = {
        "", "password", "Zebra-9k", "Zebra-9k-Quasar", "correct horse battery staple", "Vq7#kP2!xZ9m@Lr4$wT8",
    };
    int previous = -1;
    for (const auto& pw : chain) {
        BOOST_TEST_CONTEXT(pw)
        {
            const int s = password_strength(pw);
            BOOST_TEST(s >= 0);
            BOOST_TEST(s <= 4);
            BOOST_TEST(s >= previous);
            BOOST_TEST(s == evaluate(PasswordPolicy::nist_800_63b(), pw).strength);
            previous = s;
        }
    }
    BOOST_TEST(password_strength("") == 0);
    BOOST_TEST(password_strength("Password1!") == 0); // common
    BOOST_TEST(password_strength("Vq7#kP2!xZ9m@Lr4$wT8") == 4);
}

BOOST_AUTO_TEST_CASE(iam2_patterns_score_lower_than_random)
{
    BOOST_TEST(password_strength("aaaaaaaaaaaaaaaaaaaa") == 0);
    BOOST_TEST(password_strength("abcdefghijklmnopqrst") == 0);
    BOOST_TEST(password_strength("Xk9#Xk9#Xk9#Xk9#") < password_strength("Xk9#mQ2!pL7$vR4&"));
    BOOST_TEST(password_strength("Zebra-9k\xFF") == 0); // invalid UTF-8
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(policy)

BOOST_AUTO_TEST_CASE(iam2_password_expired_after_max_age)
{
    constexpr model::UnixMillis t0 = 1'700'000'000'000, day = 86'400'000;
    PasswordPolicy p;
    BOOST_TEST(!password_expired(p, t0, t0 + 3650 * day)); // off by default
    p.max_age_days = 90;
    BOOST_TEST(!password_expired(p, t0, t0));
    BOOST_TEST(!password_expired(p, t0, t0 + 90 * day - 1));
    BOOST_TEST(password_expired(p, t0, t0 + 90 * day));
    BOOST_TEST(password_expired(p, t0, t0 + 400 * day));
}

BOOST_AUTO_TEST_CASE(iam2_policy_bounds)
{
    BOOST_TEST(validate_policy(PasswordPolicy::classic()).ok());
    BOOST_TEST(validate_policy(PasswordPolicy::nist_800_63b()).ok());
    struct Bad {
        const char* name;
        PasswordPolicy policy;
        const char* field;
    };
    const auto with = [](auto change) {
        PasswordPolicy p;
        change(p);
        return p;
    };
    const std::vector<Bad> bad = {
        {"min 7", with([](PasswordPolicy& p) { p.min_length = 7; }), "password_min_length"},
        {"min 129", with([](PasswordPolicy& p) { p.min_length = 129; }), "password_min_length"},
        {"unknown class bit", with([](PasswordPolicy& p) { p.required_classes = 16; }), "password_required_classes"},
        {"history 25", with([](PasswordPolicy& p) { p.history_count = 25; }), "password_history"},
        {"history -1", with([](PasswordPolicy& p) { p.history_count = -1; }), "password_history"},
        {"max age 3651", with([](PasswordPolicy& p) { p.max_age_days = 3651; }), "password_max_age_days"},
        {"max age -1", with([](PasswordPolicy& p) { p.max_age_days = -1; }), "password_max_age_days"},
    };
    for (const auto& b : bad) {
        BOOST_TEST_CONTEXT(b.name)
        {
            const Status st = validate_policy(b.policy);
            BOOST_TEST_REQUIRE(!st.ok());
            BOOST_TEST(st.error().code == api::ErrorCode::validation_failed);
            BOOST_TEST(st.error().field == b.field);
        }
    }
    PasswordPolicy edge;
    edge.min_length = 128;
    edge.history_count = 24;
    edge.max_age_days = 3650;
    BOOST_TEST(validate_policy(edge).ok());
}

BOOST_AUTO_TEST_CASE(iam2_class_names_round_trip)
{
    const std::vector<std::string> all = {"lower", "upper", "digit", "special"};
    BOOST_TEST(password_class_names(password_class::all) == all, boost::test_tools::per_element());
    BOOST_TEST(password_class_names(0).empty());
    // Extra parentheses: Boost.Test cannot print std::optional.
    BOOST_TEST((password_classes_from_names(all) == std::optional<std::uint8_t>(password_class::all)));
    BOOST_TEST((password_classes_from_names({"digit", "lower"}) ==
                std::optional<std::uint8_t>(password_class::lower | password_class::digit)));
    BOOST_TEST((password_classes_from_names({}) == std::optional<std::uint8_t>(0)));
    BOOST_TEST(!password_classes_from_names({"emoji"}).has_value());
    BOOST_TEST(!password_classes_from_names({"lower", "lower"}).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()

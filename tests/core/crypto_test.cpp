#include "stronghold/crypto/crypto.hpp"

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

using namespace stronghold::crypto;

BOOST_AUTO_TEST_SUITE(crypto)

namespace {
// Small parameters keep the suite fast (Argon2id is slow on purpose); one case uses the defaults.
constexpr PwhashParams k_fast{1, 8u * 1024u * 1024u};
} // namespace

BOOST_AUTO_TEST_SUITE(passwords)

BOOST_AUTO_TEST_CASE(iam1_default_hash_is_argon2id_and_verifies)
{
    const std::string h = password_hash("correct horse battery staple");
    BOOST_TEST_REQUIRE(!h.empty());
    BOOST_TEST(h.starts_with("$argon2id$v=19$m=65536,t=2,p=1$"));
    BOOST_TEST(password_verify(h, "correct horse battery staple"));
    BOOST_TEST(!password_needs_rehash(h));
}

BOOST_AUTO_TEST_CASE(iam1_wrong_password_and_tampered_hash_fail)
{
    const std::string h = password_hash("S3cret!pass", k_fast);
    BOOST_TEST_REQUIRE(!h.empty());
    BOOST_TEST(password_verify(h, "S3cret!pass"));
    for (const char* wrong : {"", "s3cret!pass", "S3cret!pass ", "S3cret!pas"})
        BOOST_TEST_CONTEXT(wrong) { BOOST_TEST(!password_verify(h, wrong)); }

    // Every single-character change in salt or hash part must fail.
    const std::size_t salt_start = h.rfind('$', h.rfind('$') - 1) + 1;
    for (std::size_t i = salt_start; i < h.size(); i += 3) {
        if (h[i] == '$')
            continue;
        std::string t = h;
        t[i] = t[i] == 'A' ? 'B' : 'A';
        BOOST_TEST_CONTEXT("position " << i) { BOOST_TEST(!password_verify(t, "S3cret!pass")); }
    }
    BOOST_TEST(!password_verify(h.substr(0, h.size() - 1), "S3cret!pass"));
    BOOST_TEST(!password_verify("", "S3cret!pass"));
    BOOST_TEST(!password_verify(std::string(h).insert(10, 1, '\0'), "S3cret!pass"));
}

BOOST_AUTO_TEST_CASE(iam1_same_password_gets_a_new_salt_and_weak_params_need_rehash)
{
    const std::string a = password_hash("pw", k_fast), b = password_hash("pw", k_fast);
    BOOST_TEST(a != b);
    BOOST_TEST(password_needs_rehash(a));          // weaker than the defaults
    BOOST_TEST(!password_needs_rehash(a, k_fast));
    BOOST_TEST(password_needs_rehash("not a hash"));
}

BOOST_AUTO_TEST_SUITE_END() // passwords

BOOST_AUTO_TEST_SUITE(ids_and_tokens)

BOOST_AUTO_TEST_CASE(ids_are_unique_and_well_formed)
{
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
        const std::string id = random_id("ct");
        BOOST_TEST_REQUIRE(id.size() == 29u);
        BOOST_TEST_REQUIRE(is_id(id, "ct"));
        BOOST_TEST_REQUIRE(seen.insert(id).second);
    }
}

BOOST_AUTO_TEST_CASE(is_id_rejects_wrong_prefix_length_or_alphabet)
{
    const std::string good = "us_" + std::string(26, 'a');
    BOOST_TEST(is_id(good, "us"));
    BOOST_TEST(is_id("us_abcdefghijklmnopqrstuvwxyz", "us"));
    BOOST_TEST(is_id("us_234567234567234567234567ab", "us"));
    const std::string bad[] = {
        "ct_" + std::string(26, 'a'),     // wrong prefix
        "us" + std::string(27, 'a'),      // no underscore
        "us_" + std::string(25, 'a'),     // short
        "us_" + std::string(27, 'a'),     // long
        "us_" + std::string(25, 'a') + "A", // upper case
        "us_" + std::string(25, 'a') + "1", // not in the base32 alphabet
        "us_" + std::string(25, 'a') + "8",
        "us_" + std::string(25, 'a') + "=",
        "",
    };
    for (const auto& id : bad)
        BOOST_TEST_CONTEXT(id) { BOOST_TEST(!is_id(id, "us")); }
    BOOST_TEST(!is_id("_" + std::string(26, 'a'), ""));
}

BOOST_AUTO_TEST_CASE(tokens_are_43_url_safe_characters_and_hash_to_hex)
{
    const std::string t = random_token();
    BOOST_TEST(t.size() == 43u);
    BOOST_TEST(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
               std::string::npos);
    BOOST_TEST(random_token() != t);
    // BLAKE2b-256 of "" and "abc" (RFC 7693 reference values for the 256-bit variant).
    BOOST_TEST(hash_hex("") == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    BOOST_TEST(hash_hex("abc") == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    const std::uint8_t bytes[] = {0x00, 0xff, 0x10};
    BOOST_TEST(to_hex(bytes) == "00ff10");
    BOOST_TEST(to_base64url(bytes) == "AP8Q");
}

BOOST_AUTO_TEST_CASE(equal_ct_compares_content_and_length)
{
    BOOST_TEST(equal_ct("", ""));
    BOOST_TEST(equal_ct("secret", "secret"));
    BOOST_TEST(!equal_ct("secret", "secreT"));
    BOOST_TEST(!equal_ct("secret", "secret "));
    BOOST_TEST(!equal_ct("", "x"));
}

BOOST_AUTO_TEST_CASE(seeded_random_is_deterministic_per_seed_and_call)
{
    SeededRandom a(42), b(42), c(43);
    const std::string a1 = random_id("ct", a), a2 = random_id("ct", a);
    BOOST_TEST(a1 == random_id("ct", b));
    BOOST_TEST(a2 == random_id("ct", b));
    BOOST_TEST(a1 != a2);
    BOOST_TEST(random_id("ct", c) != a1);
    // Same value on every platform (native and WASM run this same case).
    SeededRandom fixed(1);
    std::uint8_t first[8]{};
    fixed.fill(first);
    BOOST_TEST_MESSAGE("SeededRandom(1) first bytes: " << to_hex(first));
    BOOST_TEST(to_hex(first) == "04069b5f37e82f91");
}

BOOST_AUTO_TEST_SUITE_END() // ids_and_tokens

BOOST_AUTO_TEST_CASE(CRM4_time_ordered_ids_share_a_time_prefix_and_stay_ids)
{
    SeededRandom rng(7);
    const std::int64_t t = 1'795'000'000'000; // 2026
    const auto a = time_ordered_id("ct", t, rng), b = time_ordered_id("ct", t, rng);
    BOOST_TEST(is_id(a, "ct"));
    BOOST_TEST(a != b);                          // 80 random bits differ
    BOOST_TEST(a.substr(0, 3 + 9) == b.substr(0, 3 + 9)); // 45 of the 48 time bits in 9 characters
    const std::int64_t day_start = t / (1 << 28) * (1 << 28); // 4 characters = the top 20 bits (3 days)
    BOOST_TEST(time_ordered_id("ct", day_start + 3'600'000, rng).substr(0, 3 + 4) ==
               time_ordered_id("ct", day_start, rng).substr(0, 3 + 4)); // an hour later: the same region
    BOOST_TEST(time_ordered_id("ct", t + 1, rng).substr(0, 12) != time_ordered_id("ct", t + 86'400'000, rng).substr(0, 12));
}

BOOST_AUTO_TEST_CASE(CRM4_sequential_ids_sort_as_text_in_the_order_made)
{
    SeededRandom rng(11);
    const std::int64_t t = 1'795'000'000'000;
    std::string prev = sequential_id("ct", t, 0, rng);
    BOOST_TEST(is_id(prev, "ct"));
    BOOST_TEST(prev.substr(0, 3 + 9) == time_ordered_id("ct", t, rng).substr(0, 3 + 9)); // the time, as before
    // Every carry of the base-26 sequence (25 -> 26, 675 -> 676, ...) and the last value.
    for (std::uint32_t seq : {1u, 2u, 25u, 26u, 27u, 675u, 676u, 17'575u, 17'576u, 1'000'000u, 308'915'775u}) {
        const auto id = sequential_id("ct", t, seq, rng);
        BOOST_TEST(is_id(id, "ct"));
        BOOST_TEST(prev < id, prev << " < " << id << " (sequence " << seq << ")");
        BOOST_TEST(id.substr(0, 3 + 10) == prev.substr(0, 3 + 10)); // one time: one prefix
        prev = id;
    }
    BOOST_TEST(sequential_id("ct", t, 5, rng) != sequential_id("ct", t, 5, rng)); // 48 random bits after
}

BOOST_AUTO_TEST_SUITE_END()

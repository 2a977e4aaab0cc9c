// TOTP maths (RFC 4226/6238 vectors), base32, the otpauth URI, the QR matrix, recovery codes
// and the SecretStore (IAM-3 and DESIGN.md "Secrets").
#include "api_fixture.hpp"
#include "auth/secret_store.hpp"
#include "auth/totp.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

using namespace stronghold;
using namespace stronghold::server;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(auth_totp_tests)

BOOST_AUTO_TEST_CASE(iam3_hotp_matches_rfc4226_appendix_d)
{
    const std::string key = "12345678901234567890";
    const std::uint32_t expected[] = {755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489};
    for (std::uint64_t i = 0; i < 10; ++i)
        BOOST_TEST_CONTEXT("counter " << i) BOOST_TEST(auth::hotp(key, i, 6) == expected[i]);
}

BOOST_AUTO_TEST_CASE(iam3_totp_matches_rfc6238_appendix_b_sha1)
{
    const std::string key = "12345678901234567890";
    const std::pair<std::int64_t, const char*> vectors[] = {
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
    };
    for (const auto& [t, code] : vectors)
        BOOST_TEST_CONTEXT("T=" << t) BOOST_TEST(auth::totp_code(key, t, 8) == code);
    // Six digits are the last six of the eight (mod 10^6), zero-padded.
    BOOST_TEST(auth::totp_code(key, 1111111109) == "081804");
}

BOOST_AUTO_TEST_CASE(iam3_totp_match_accepts_one_step_either_side_only)
{
    const std::string key = "12345678901234567890";
    const model::UnixMillis now = 1'800'000'015'000; // mid-step
    const std::int64_t step = now / 1000 / 30;
    for (std::int64_t d : {-1, 0, 1}) {
        auto code = auth::totp_code(key, (step + d) * 30);
        auto found = auth::totp_match(key, code, now);
        BOOST_TEST_CONTEXT("d=" << d)
        {
            BOOST_TEST_REQUIRE(found.has_value());
            BOOST_TEST(*found == step + d);
        }
    }
    for (std::int64_t d : {-2, 2}) {
        auto code = auth::totp_code(key, (step + d) * 30);
        // A far step's code may collide with a near one by chance (1 in 10^6); these don't.
        BOOST_TEST_CONTEXT("d=" << d) BOOST_TEST(!auth::totp_match(key, code, now).has_value());
    }
    auto good = auth::totp_code(key, step * 30);
    BOOST_TEST(!auth::totp_match(key, good + "0", now).has_value());
    BOOST_TEST(!auth::totp_match(key, good.substr(1), now).has_value());
    BOOST_TEST(!auth::totp_match(key, " " + good.substr(1), now).has_value());
    BOOST_TEST(!auth::totp_match("another key 12345678", good, now).has_value());
}

BOOST_AUTO_TEST_CASE(iam3_base32_matches_rfc4648_vectors_and_rejects_bad_text)
{
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},          {"f", "MY"},           {"fo", "MZXQ"},         {"foo", "MZXW6"},
        {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"},
    };
    for (const auto& [plain, enc] : vectors) {
        BOOST_TEST(auth::base32_encode(plain) == enc);
        BOOST_TEST(auth::base32_decode(enc).value_or("?") == plain);
    }
    BOOST_TEST(auth::base32_decode("mzxw6ytboi").value_or("?") == "foobar");
    BOOST_TEST(auth::base32_decode("MZXW 6YTB OI======").value_or("?") == "foobar");
    BOOST_TEST(!auth::base32_decode("MZXW1").has_value()); // 1 is not base32
    BOOST_TEST(!auth::base32_decode("MZ-XW").has_value());
    const std::string twenty(20, '\xab');
    BOOST_TEST(auth::base32_encode(twenty).size() == 32u);
    BOOST_TEST(auth::base32_decode(auth::base32_encode(twenty)).value_or("") == twenty);
}

BOOST_AUTO_TEST_CASE(iam3_otpauth_uri_has_issuer_label_and_parameters)
{
    BOOST_TEST(auth::otpauth_uri("Stronghold", "ann+crm@a.test", "JBSWY3DPEHPK3PXP") ==
               "otpauth://totp/Stronghold:ann%2Bcrm%40a.test?secret=JBSWY3DPEHPK3PXP&issuer=Stronghold"
               "&algorithm=SHA1&digits=6&period=30");
}

BOOST_AUTO_TEST_CASE(iam3_qr_matrix_is_square_rows_of_bits_with_finder_patterns)
{
    auto qr = auth::qr_matrix("otpauth://totp/Stronghold:a%40b.test?secret=JBSWY3DPEHPK3PXP&issuer=Stronghold");
    BOOST_TEST_REQUIRE(qr.has_value());
    BOOST_TEST(qr->size >= 21);
    BOOST_TEST((qr->size - 21) % 4 == 0); // QR versions grow by 4 modules
    std::vector<std::string> rows;
    std::size_t start = 0;
    for (std::size_t nl; (nl = qr->modules.find('\n', start)) != std::string::npos; start = nl + 1)
        rows.push_back(qr->modules.substr(start, nl - start));
    rows.push_back(qr->modules.substr(start));
    BOOST_TEST_REQUIRE(rows.size() == static_cast<std::size_t>(qr->size));
    for (const auto& row : rows) {
        BOOST_TEST(row.size() == static_cast<std::size_t>(qr->size));
        BOOST_TEST(row.find_first_not_of("01") == std::string::npos);
    }
    // Finder patterns: the top-left, top-right and bottom-left 7x7 squares start with a dark row
    // and have a light ring inside.
    const auto n = static_cast<std::size_t>(qr->size);
    BOOST_TEST(rows[0].substr(0, 7) == "1111111");
    BOOST_TEST(rows[0].substr(n - 7) == "1111111");
    BOOST_TEST(rows[n - 1].substr(0, 7) == "1111111");
    BOOST_TEST(rows[1].substr(0, 7) == "1000001");
    BOOST_TEST(rows[2].substr(0, 7) == "1011101");
}

BOOST_AUTO_TEST_CASE(iam3_recovery_codes_have_60_bits_in_groups_and_normalize)
{
    const std::regex shape("[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}");
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        auto c = auth::make_recovery_code();
        BOOST_TEST(std::regex_match(c, shape));
        seen.insert(c);
    }
    BOOST_TEST(seen.size() == 1000u);
    BOOST_TEST(auth::normalize_recovery_code("ABCD-EFGH-2345").value_or("") == "abcdefgh2345");
    BOOST_TEST(auth::normalize_recovery_code(" abcd efgh 2345 ").value_or("") == "abcdefgh2345");
    BOOST_TEST(!auth::normalize_recovery_code("abcd-efgh-234").has_value());
    BOOST_TEST(!auth::normalize_recovery_code("abcd-efgh-2341").has_value()); // 1 is not base32
    BOOST_TEST(auth::recovery_code_hash("us_1", "abcdefgh2345") != auth::recovery_code_hash("us_2", "abcdefgh2345"));
}

BOOST_AUTO_TEST_CASE(iam3_secret_store_round_trips_and_keeps_its_key_0600_outside_the_db)
{
    BOOST_REQUIRE(crypto::init());
    test::TempDir dir;
    std::string sealed;
    {
        SodiumSecretStore store(dir.path.string());
        auto s = store.seal("user_totp.secret:us_1", std::string("seed\0bytes", 10));
        BOOST_TEST_REQUIRE(s.ok());
        sealed = *s;
        BOOST_TEST(sealed.starts_with("v1."));
        BOOST_TEST(sealed.find("seed") == std::string::npos);
        auto again = store.seal("user_totp.secret:us_1", std::string("seed\0bytes", 10));
        BOOST_TEST(again.ok());
        BOOST_TEST(*again != sealed); // fresh nonce each time
    }
    const auto key = dir.path / "keys" / "secrets.key";
    BOOST_TEST_REQUIRE(fs::exists(key));
    BOOST_TEST(fs::file_size(key) == 32u);
    auto mode = [](const fs::path& p) { return static_cast<unsigned>(fs::status(p).permissions() & fs::perms::all); };
    BOOST_TEST(mode(key) == 0600u);
    BOOST_TEST(mode(dir.path / "keys") == 0700u);

    // A new instance (a restart) reads the same key.
    SodiumSecretStore reopened(dir.path.string());
    auto opened = reopened.open("user_totp.secret:us_1", sealed);
    BOOST_TEST_REQUIRE(opened.ok());
    BOOST_TEST(*opened == std::string("seed\0bytes", 10));
}

BOOST_AUTO_TEST_CASE(iam3_secret_store_refuses_tampered_copied_or_foreign_values)
{
    BOOST_REQUIRE(crypto::init());
    test::TempDir dir, other_dir;
    SodiumSecretStore store(dir.path.string());
    auto sealed = store.seal("user_totp.secret:us_1", "twenty bytes of seed");
    BOOST_TEST_REQUIRE(sealed.ok());

    // Copied to another user's row: the context (associated data) differs.
    BOOST_TEST(!store.open("user_totp.secret:us_2", *sealed).ok());
    // Any flipped character in nonce, ciphertext or tag.
    for (std::size_t i = 3; i < sealed->size(); i += 7) {
        auto bad = *sealed;
        bad[i] = bad[i] == 'A' ? 'B' : 'A';
        BOOST_TEST_CONTEXT("position " << i) BOOST_TEST(!store.open("user_totp.secret:us_1", bad).ok());
    }
    BOOST_TEST(!store.open("user_totp.secret:us_1", sealed->substr(0, sealed->size() - 2)).ok());
    BOOST_TEST(!store.open("user_totp.secret:us_1", "v1.").ok());
    BOOST_TEST(!store.open("user_totp.secret:us_1", "plain text").ok());
    // Another installation's key.
    SodiumSecretStore other(other_dir.path.string());
    BOOST_TEST(!other.open("user_totp.secret:us_1", *sealed).ok());
    BOOST_TEST(store.open("user_totp.secret:us_1", *sealed).ok());
}

BOOST_AUTO_TEST_CASE(iam3_secret_store_fails_as_a_value_when_the_key_cannot_be_made)
{
    BOOST_REQUIRE(crypto::init());
    test::TempDir dir;
    // A file where the keys directory should be: no key can be created or read.
    { std::ofstream(dir.path / "keys") << "not a directory"; }
    SodiumSecretStore store(dir.path.string());
    auto sealed = store.seal("ctx", "x");
    BOOST_TEST_REQUIRE(!sealed.ok());
    BOOST_TEST(sealed.error().code == api::ErrorCode::internal);
}

BOOST_AUTO_TEST_SUITE_END()

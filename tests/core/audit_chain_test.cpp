#include "stronghold/audit/chain.hpp"

#include "stronghold/crypto/crypto.hpp"

#include <boost/test/unit_test.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace stronghold::audit {
inline std::ostream& boost_test_print_type(std::ostream& os, Break b) // Boost.Test's printing hook, found by ADL
{
    return os << to_string(b);
}
} // namespace stronghold::audit

using namespace stronghold::audit;

BOOST_AUTO_TEST_SUITE(audit_chain)

namespace {

std::array<std::uint8_t, k_seed_bytes> test_seed(std::uint8_t fill)
{
    std::array<std::uint8_t, k_seed_bytes> seed{};
    seed.fill(fill);
    return seed;
}

ChainEntry entry(std::int64_t seq, std::string action)
{
    ChainEntry e;
    e.seq = seq;
    e.at = 1'700'000'000'000 + seq;
    e.agency_id = "ag_1";
    e.actor_type = "user";
    e.actor_id = "us_1";
    e.action = std::move(action);
    e.target_type = "contact";
    e.target_id = "co_" + std::to_string(seq);
    e.ip = "192.0.2.1";
    e.user_agent = "test";
    e.outcome = "success";
    e.details = R"({"fields":["first_name"]})";
    return e;
}

// A chain of `count` entries linked as the store links them, and a checkpoint at `cp_at`.
struct Fixture {
    std::vector<ChainEntry> entries;
    std::vector<Checkpoint> checkpoints;
    std::array<std::uint8_t, k_seed_bytes> seed = test_seed(7);
    PublicKey key = public_key_from_seed(seed);

    explicit Fixture(int count, std::int64_t cp_at = 0)
    {
        std::string prev(k_genesis_hash);
        for (int i = 1; i <= count; ++i) {
            ChainEntry e = entry(i * 3, "contact.update"); // gaps in seq: other agencies' rows
            e.n = i;
            e.prev_hash = prev;
            e.hash = entry_hash(prev, e);
            prev = e.hash;
            entries.push_back(e);
        }
        if (cp_at > 0)
            add_checkpoint(cp_at);
    }
    void add_checkpoint(std::int64_t n)
    {
        Checkpoint cp;
        cp.agency_id = "ag_1";
        cp.n = n;
        cp.seq = entries[static_cast<std::size_t>(n - 1)].seq;
        cp.hash = entries[static_cast<std::size_t>(n - 1)].hash;
        cp.at = 1'700'000'100'000;
        sign_checkpoint(cp, seed);
        checkpoints.push_back(cp);
    }
    ChainReport verify() const { return verify_chain("ag_1", entries, checkpoints, key); }
};

} // namespace

BOOST_AUTO_TEST_CASE(AUD3_canonical_json_has_fixed_keys_order_and_escaping)
{
    ChainEntry e = entry(5, "auth.login");
    e.n = 2;
    e.user_agent = "a\"b\\c\n\x01 é";
    e.details = "{}";
    const std::string expected =
        R"({"v":1,"seq":5,"n":2,"at":1700000000005,"agency":"ag_1","account":"","actor_type":"user",)"
        R"("actor_id":"us_1","grant_id":"","action":"auth.login","target_type":"contact","target_id":"co_5",)"
        R"("ip":"192.0.2.1","user_agent":"a\"b\\c\u000a\u0001 é","outcome":"success","details_hash":")" +
        details_hash("{}") + "\"}";
    BOOST_TEST(canonical_json(e) == expected);
    // Removed details (retention) keep their hash: the canonical form does not change.
    ChainEntry pruned = e;
    pruned.details.clear();
    pruned.details_hash = details_hash("{}");
    BOOST_TEST(canonical_json(pruned) == canonical_json(e));
}

BOOST_AUTO_TEST_CASE(AUD3_entry_hash_covers_prev_hash_and_every_field)
{
    ChainEntry e = entry(1, "auth.login");
    e.n = 1;
    const std::string h = entry_hash(k_genesis_hash, e);
    BOOST_TEST(h.size() == 64u);
    BOOST_TEST(h == entry_hash(k_genesis_hash, e));
    BOOST_TEST(h != entry_hash(std::string(64, '1'), e));
    ChainEntry other = e;
    other.grant_id = "gr_1";
    BOOST_TEST(h != entry_hash(k_genesis_hash, other));
    other = e;
    other.details = R"({"fields":["last_name"]})";
    BOOST_TEST(h != entry_hash(k_genesis_hash, other));
    other = e;
    other.seq = 2;
    BOOST_TEST(h != entry_hash(k_genesis_hash, other));
}

BOOST_AUTO_TEST_CASE(AUD3_untouched_chain_verifies)
{
    const Fixture f(10, 8);
    const ChainReport r = f.verify();
    BOOST_TEST(r.ok(), r.detail);
    BOOST_TEST(r.entries == 10);
    BOOST_TEST(r.checkpoints == 1);
    BOOST_TEST(verify_chain("ag_1", {}, {}, f.key).ok()); // an empty chain without checkpoints
}

BOOST_AUTO_TEST_CASE(AUD3_edited_field_is_hash_mismatch_at_that_entry)
{
    Fixture f(6);
    f.entries[3].outcome = "failure";
    const ChainReport r = f.verify();
    BOOST_TEST(r.reason == Break::hash_mismatch);
    BOOST_TEST(r.seq == f.entries[3].seq);
    BOOST_TEST(r.n == 4);
}

BOOST_AUTO_TEST_CASE(AUD3_rehashed_edit_breaks_the_next_link)
{
    Fixture f(6);
    f.entries[2].details = R"({"fields":[]})";
    f.entries[2].hash = entry_hash(f.entries[2].prev_hash, f.entries[2]);
    const ChainReport r = f.verify();
    BOOST_TEST(r.reason == Break::prev_mismatch);
    BOOST_TEST(r.seq == f.entries[3].seq);
}

BOOST_AUTO_TEST_CASE(AUD3_removed_entry_is_missing_before_the_next)
{
    Fixture f(6);
    const auto next_seq = f.entries[3].seq;
    f.entries.erase(f.entries.begin() + 2);
    const ChainReport r = f.verify();
    BOOST_TEST(r.reason == Break::missing);
    BOOST_TEST(r.n == 3);
    BOOST_TEST(r.seq == next_seq);
}

BOOST_AUTO_TEST_CASE(AUD3_swapped_entries_are_reordered)
{
    Fixture f(6);
    std::swap(f.entries[1], f.entries[4]);
    std::swap(f.entries[1].seq, f.entries[4].seq); // rows keep their seq, contents move
    const ChainReport r = f.verify();
    BOOST_TEST(r.reason == Break::reordered);
    BOOST_TEST(r.seq == f.entries[1].seq);
    BOOST_TEST(r.n == 2);
}

BOOST_AUTO_TEST_CASE(AUD4_truncated_tail_before_checkpoint_is_detected)
{
    Fixture f(10, 8);
    f.entries.resize(6); // the last four rows deleted, two of them before the checkpoint
    const ChainReport r = f.verify();
    BOOST_TEST(r.reason == Break::truncated_before_checkpoint);
    BOOST_TEST(r.n == 7);
    BOOST_TEST(r.seq == f.checkpoints[0].seq);
    // Without a checkpoint past the cut, a clean truncation cannot be told apart: that is what
    // checkpoints are for.
    Fixture g(10, 5);
    g.entries.resize(6);
    BOOST_TEST(g.verify().ok());
}

BOOST_AUTO_TEST_CASE(AUD4_checkpoint_signature_and_key_are_checked)
{
    Fixture f(5, 5);
    f.checkpoints[0].hash = f.entries[3].hash; // moved to vouch for another entry
    BOOST_TEST(f.verify().reason == Break::bad_signature);

    Fixture g(5, 5);
    const PublicKey other = public_key_from_seed(test_seed(9));
    const ChainReport r = verify_chain("ag_1", g.entries, g.checkpoints, other);
    BOOST_TEST(r.reason == Break::bad_signature);
    BOOST_TEST(r.detail.find("names key") != std::string::npos);

    Fixture h(5, 5);
    h.checkpoints[0].signature[0] = h.checkpoints[0].signature[0] == 'a' ? 'b' : 'a';
    BOOST_TEST(!checkpoint_signature_ok(h.checkpoints[0], h.key));
    BOOST_TEST(h.verify().reason == Break::bad_signature);
}

BOOST_AUTO_TEST_CASE(AUD4_rewritten_chain_under_a_checkpoint_is_checkpoint_mismatch)
{
    Fixture f(6, 4);
    // The attacker edits entry 2 and recomputes every hash after it, so the links hold.
    f.entries[1].action = "contact.view";
    std::string prev = f.entries[0].hash;
    for (std::size_t i = 1; i < f.entries.size(); ++i) {
        f.entries[i].prev_hash = prev;
        f.entries[i].hash = entry_hash(prev, f.entries[i]);
        prev = f.entries[i].hash;
    }
    const ChainReport r = f.verify();
    BOOST_TEST(r.reason == Break::checkpoint_mismatch);
    BOOST_TEST(r.n == 4);
}

BOOST_AUTO_TEST_CASE(AUD4_public_key_hex_round_trip)
{
    const PublicKey k = public_key_from_seed(test_seed(3));
    PublicKey back{};
    BOOST_TEST(public_key_from_hex(stronghold::crypto::to_hex(k), back));
    BOOST_TEST((back == k));
    BOOST_TEST(!public_key_from_hex("abcd", back));
    BOOST_TEST(!public_key_from_hex(std::string(64, 'z'), back));
    BOOST_TEST(key_id(k).size() == 16u);
}

BOOST_AUTO_TEST_SUITE_END()

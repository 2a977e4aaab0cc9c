#include "app/row_cache.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold;
using web::app::ListQuery;
using web::app::PageRequest;
using web::app::RowCache;

namespace {

struct Fixture {
    std::vector<PageRequest> sent;
    RowCache cache{[this](const PageRequest& r) { sent.push_back(r); }};

    static std::vector<model::Contact> rows(std::int64_t offset, int n) {
        std::vector<model::Contact> out;
        for (int i = 0; i < n; ++i) {
            model::Contact c;
            c.id = "ct_" + std::to_string(offset + i);
            c.first_name = "Row" + std::to_string(offset + i);
            out.push_back(c);
        }
        return out;
    }
    void answer(const PageRequest& r, std::int64_t total) {
        const int n = static_cast<int>(std::min<std::int64_t>(r.limit, std::max<std::int64_t>(0, total - r.offset)));
        cache.on_page(r, rows(r.offset, n), total);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(row_cache_test)

BOOST_FIXTURE_TEST_CASE(first_show_asks_for_page_zero_with_the_query, Fixture) {
    cache.set_query({.account_id = "ac_1", .q = "ad", .sort = "-updated_at"});
    cache.show(0, 0);
    BOOST_REQUIRE_EQUAL(sent.size(), 1u);
    BOOST_TEST(sent[0].offset == 0);
    BOOST_TEST(sent[0].limit == RowCache::k_page_size);
    BOOST_TEST(sent[0].query.q == "ad");
    BOOST_TEST(sent[0].query.sort == "-updated_at");
    BOOST_TEST(!cache.loaded());
    answer(sent[0], 250);
    BOOST_TEST(cache.loaded());
    BOOST_TEST(*cache.total() == 250);
    BOOST_REQUIRE(cache.row(99) != nullptr);
    BOOST_TEST(cache.row(99)->id == "ct_99");
    BOOST_TEST(cache.row(100) == nullptr);
}

BOOST_FIXTURE_TEST_CASE(million_rows_fetch_only_the_pages_in_view, Fixture) {
    cache.set_query({.account_id = "ac_1"});
    cache.show(0, 0);
    answer(sent[0], 1'000'000);
    sent.clear();
    cache.show(500'050, 500'070); // jump to the middle: one page
    BOOST_REQUIRE_EQUAL(sent.size(), 1u);
    BOOST_TEST(sent[0].offset == 500'000);
    cache.show(500'050, 500'070); // still in flight: not asked twice
    BOOST_TEST(sent.size() == 1u);
    answer(sent[0], 1'000'000);
    BOOST_TEST(cache.row(500'060)->id == "ct_500060");
}

BOOST_FIXTURE_TEST_CASE(lru_keeps_memory_bounded_while_scrolling_far, Fixture) {
    cache.set_query({.account_id = "ac_1"});
    cache.show(0, 0);
    answer(sent[0], 1'000'000);
    for (int page = 1; page < 200; ++page) {
        sent.clear();
        cache.show(page * 100LL, page * 100LL + 20);
        BOOST_REQUIRE_EQUAL(sent.size(), 1u);
        answer(sent[0], 1'000'000);
        BOOST_TEST(cache.cached_pages() <= RowCache::k_max_pages);
    }
    BOOST_TEST(cache.row(199 * 100LL) != nullptr); // the page in view survives
    BOOST_TEST(cache.row(0) == nullptr);           // the oldest went
}

BOOST_FIXTURE_TEST_CASE(in_flight_requests_are_capped, Fixture) {
    cache.set_query({.account_id = "ac_1"});
    cache.show(0, 0);
    answer(sent[0], 1'000'000);
    sent.clear();
    cache.show(0, 1000); // ten pages in view (a very tall window)
    BOOST_TEST(sent.size() == RowCache::k_max_in_flight - 0u);
}

BOOST_FIXTURE_TEST_CASE(late_answer_for_an_old_query_is_ignored, Fixture) {
    cache.set_query({.account_id = "ac_1", .q = "a"});
    cache.show(0, 0);
    const PageRequest old = sent[0];
    cache.set_query({.account_id = "ac_1", .q = "ab"});
    answer(old, 42);
    BOOST_TEST(!cache.loaded());
    BOOST_TEST(cache.cached_pages() == 0u);
}

BOOST_FIXTURE_TEST_CASE(same_query_keeps_the_cache, Fixture) {
    cache.set_query({.account_id = "ac_1"});
    cache.show(0, 0);
    answer(sent[0], 10);
    cache.set_query({.account_id = "ac_1"});
    BOOST_TEST(cache.loaded());
    BOOST_TEST(cache.row(3) != nullptr);
}

BOOST_FIXTURE_TEST_CASE(live_invalidate_refetches_visible_page_and_keeps_rows_meanwhile, Fixture) {
    cache.set_query({.account_id = "ac_1"});
    cache.show(0, 0);
    answer(sent[0], 10);
    cache.show(0, 10);
    sent.clear();
    cache.invalidate();
    BOOST_REQUIRE_EQUAL(sent.size(), 1u);  // the visible page, at once
    BOOST_TEST(cache.row(0) != nullptr);   // no flicker: old rows shown until the answer
    answer(sent[0], 11);                   // someone created a contact
    BOOST_TEST(*cache.total() == 11);
    BOOST_TEST(cache.row(10) != nullptr);
}

BOOST_FIXTURE_TEST_CASE(answer_sent_before_an_invalidate_stays_stale, Fixture) {
    cache.set_query({.account_id = "ac_1"});
    cache.show(0, 0);
    const PageRequest before = sent[0];
    cache.invalidate(); // change happened while page 0 was travelling
    answer(before, 5);
    sent.clear();
    cache.show(0, 5);
    BOOST_TEST(sent.size() == 1u); // asked again
}

BOOST_FIXTURE_TEST_CASE(failure_stops_requests_until_retry, Fixture) {
    cache.set_query({.account_id = "ac_1"});
    cache.show(0, 0);
    cache.on_page_failed(sent[0]);
    BOOST_TEST(cache.failed());
    sent.clear();
    cache.show(0, 0);
    BOOST_TEST(sent.empty()); // no hammering a failing server every frame
    cache.retry();
    BOOST_TEST(sent.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

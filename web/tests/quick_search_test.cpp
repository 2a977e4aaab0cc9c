#include "app/quick_search.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold::web::app;

namespace {
// Opens the palette, types `text` at t=0 and lets the debounce pass: the request it sends.
std::optional<SearchRequest> typed(QuickSearch& s, const char* text) {
    s.open();
    s.edit(text, 0);
    return s.poll(QuickSearch::k_debounce_ms);
}

std::vector<SearchHit> hits(std::initializer_list<const char*> titles) {
    std::vector<SearchHit> out;
    int i = 0;
    for (const char* t : titles) out.push_back({"contact", "ct_" + std::to_string(i++), t});
    return out;
}
} // namespace

BOOST_AUTO_TEST_SUITE(quick_search_test)

BOOST_AUTO_TEST_CASE(CRM1_search_waits_for_a_pause_in_typing) {
    QuickSearch s;
    s.open();
    s.edit("a", 1000);
    BOOST_TEST(!s.poll(1100));
    s.edit("ad", 1100);
    BOOST_TEST(!s.poll(1200)); // 100 ms after the last key
    BOOST_TEST(s.wait_ms(1200) == 50);
    auto r = s.poll(1250);
    BOOST_REQUIRE(r);
    BOOST_TEST(r->q == "ad");
    BOOST_TEST(!s.poll(2000)); // sent once
}

BOOST_AUTO_TEST_CASE(CRM1_stale_answers_are_ignored) {
    QuickSearch s;
    s.open();
    s.edit("ad", 0);
    const auto first = s.poll(200);
    s.edit("ada", 300);
    const auto second = s.poll(500);
    BOOST_REQUIRE(first && second);
    s.on_answer(*second, hits({"Ada Lovelace"}));
    s.on_answer(*first, hits({"Adam", "Adele", "Ada"})); // the slower, older answer
    BOOST_REQUIRE_EQUAL(s.hits().size(), 1u);
    BOOST_TEST(s.hits()[0].title == "Ada Lovelace");
    BOOST_TEST(!s.searching());
}

BOOST_AUTO_TEST_CASE(CRM1_clearing_the_text_drops_the_answer_on_its_way) {
    QuickSearch s;
    const auto r = typed(s, "ad");
    BOOST_REQUIRE(r);
    s.edit("  ", 250);
    BOOST_TEST(!s.poll(1000)); // blank: nothing to send
    s.on_answer(*r, hits({"Ada"}));
    BOOST_TEST(s.hits().empty());
}

BOOST_AUTO_TEST_CASE(CRM1_answers_after_close_or_reopen_are_ignored) {
    QuickSearch s;
    const auto r = typed(s, "ad");
    BOOST_REQUIRE(r);
    s.close();
    s.open();
    s.on_answer(*r, hits({"Ada"}));
    BOOST_TEST(s.hits().empty());
    s.edit("gr", 300);
    const auto r2 = s.poll(500);
    BOOST_REQUIRE(r2);
    BOOST_TEST(r2->ticket != r->ticket);
}

BOOST_AUTO_TEST_CASE(CRM1_keyboard_selection_wraps_and_enter_picks) {
    QuickSearch s;
    const auto r = typed(s, "a");
    BOOST_REQUIRE(r);
    s.on_answer(*r, hits({"Ada", "Alan", "Anita"}));
    BOOST_TEST(s.selected() == 0); // first hit ready for Enter
    s.select_next();
    s.select_next();
    BOOST_TEST(s.chosen()->title == "Anita");
    s.select_next();
    BOOST_TEST(s.selected() == 0);
    s.select_previous();
    BOOST_TEST(s.chosen()->title == "Anita");
}

BOOST_AUTO_TEST_CASE(CRM1_no_hits_means_nothing_to_open) {
    QuickSearch s;
    const auto r = typed(s, "zz");
    BOOST_REQUIRE(r);
    s.on_answer(*r, {});
    BOOST_TEST(s.answered());
    BOOST_TEST(!s.chosen());
    s.select_next();
    BOOST_TEST(s.selected() == -1);
}

BOOST_AUTO_TEST_CASE(CRM1_hits_read_leniently) {
    const auto h = hits_from_json(nlohmann::json::parse(
        R"({"items":[{"kind":"deal","id":"dl_1","title":"Bakery"},{"kind":"contact","title":"no id"},{"kind":"task","id":"ta_1","title":""}]})"));
    BOOST_REQUIRE_EQUAL(h.size(), 2u);
    BOOST_TEST(h[0].kind == "deal");
    BOOST_TEST(h[1].title == "(untitled)");
}

BOOST_AUTO_TEST_SUITE_END()

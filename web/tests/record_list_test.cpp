// The cursor-paged rows of the record tables (CRM-1): pages on demand, late answers dropped,
// reload after a change.
#include "app/record_list.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold::web::app;
using nlohmann::json;

namespace {
std::vector<json> rows(int from, int n) {
    std::vector<json> out;
    for (int i = from; i < from + n; ++i) out.push_back({{"id", "co_" + std::to_string(i)}});
    return out;
}
std::string ident(const std::string& s) { return s; }
} // namespace

BOOST_AUTO_TEST_SUITE(record_list_test)

BOOST_AUTO_TEST_CASE(CRM1_url_carries_query_filters_and_cursor) {
    RecordListQuery q{.account_id = "ac_1", .path = "tickets", .q = "boo", .sort = "-updated_at",
                      .filters = {{"status[eq]", "open"}, {"tags[eq]", "vip"}}};
    BOOST_TEST(record_list_url(q, "", 100, ident) ==
               "/api/v1/accounts/ac_1/tickets?limit=100&count=true&sort=-updated_at&q=boo&status[eq]=open&tags[eq]=vip");
    BOOST_TEST(record_list_url(q, "abc", 100, ident).find("&cursor=abc") != std::string::npos);
    q.with_count = false;
    q.sort.clear();
    BOOST_TEST(record_list_url(q, "", 50, ident).find("count=") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(CRM1_pages_follow_the_cursor_as_rows_come_into_view) {
    std::vector<RecordPageRequest> sent;
    RecordList list([&](const RecordPageRequest& r) { sent.push_back(r); });
    list.set_query({.account_id = "ac_1", .path = "companies"});
    list.show(10);
    BOOST_REQUIRE(sent.size() == 1u);
    BOOST_TEST(sent[0].cursor.empty());
    list.show(10); // one request at a time
    BOOST_TEST(sent.size() == 1u);
    list.on_page(sent[0], rows(0, 100), std::string("c100"), 250);
    BOOST_TEST(list.row_count() == 250);
    BOOST_TEST(list.row(99) != nullptr);
    BOOST_TEST(list.row(100) == nullptr); // placeholder until its page arrives
    list.show(20);
    BOOST_TEST(sent.size() == 1u); // far from the end: nothing to fetch
    list.show(90);
    BOOST_REQUIRE(sent.size() == 2u);
    BOOST_TEST(sent[1].cursor == "c100");
    list.on_page(sent[1], rows(100, 100), std::nullopt, std::nullopt);
    BOOST_TEST(list.row_count() == 200); // no next cursor: the end is known exactly
}

BOOST_AUTO_TEST_CASE(CRM1_late_answers_for_an_old_query_are_dropped) {
    std::vector<RecordPageRequest> sent;
    RecordList list([&](const RecordPageRequest& r) { sent.push_back(r); });
    list.set_query({.account_id = "ac_1", .path = "companies"});
    list.show(0);
    list.set_query({.account_id = "ac_1", .path = "companies", .q = "north"});
    list.on_page(sent[0], rows(0, 5), std::nullopt, 5);
    BOOST_TEST(!list.loaded());
    list.show(0);
    BOOST_REQUIRE(sent.size() == 2u);
    list.on_page(sent[1], rows(0, 1), std::nullopt, 1);
    BOOST_TEST(list.row_count() == 1);
}

BOOST_AUTO_TEST_CASE(CRM1_reload_replaces_rows_and_remove_local_shrinks) {
    std::vector<RecordPageRequest> sent;
    RecordList list([&](const RecordPageRequest& r) { sent.push_back(r); });
    list.set_query({.account_id = "ac_1", .path = "companies"});
    list.show(0);
    list.on_page(sent[0], rows(0, 3), std::nullopt, 3);
    list.remove_local("co_1");
    BOOST_TEST(list.row_count() == 2);
    list.reload();
    BOOST_REQUIRE(sent.size() == 2u);
    BOOST_TEST(list.row_count() == 2); // old rows stay until the new page lands
    list.on_page(sent[1], rows(10, 4), std::nullopt, 4);
    BOOST_TEST(list.row_count() == 4);
    BOOST_TEST((*list.row(0))["id"] == "co_10");
    // A failure stops fetching until retry().
    list.reload();
    list.on_page_failed(sent[2]);
    BOOST_TEST(list.failed());
    list.show(0);
    BOOST_TEST(sent.size() == 3u);
    list.retry();
    BOOST_TEST(sent.size() == 3u); // loaded and no next cursor: nothing to retry
}

BOOST_AUTO_TEST_SUITE_END()

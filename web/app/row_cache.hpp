// The contacts table's rows, fetched page by page on demand (by offset) and kept in a bounded
// LRU, so a table of 1,000,000 rows costs only the pages in view. Pure logic: fetching is a
// callback, answers come back through on_page(); unit-tested without a network.
#pragma once

#include <stronghold/model/contact.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace stronghold::web::app {

struct ListQuery {
    std::string account_id;
    std::string q;             // name prefix or exact email (server side)
    std::string sort = "name"; // name | -name | updated_at | -updated_at
    friend bool operator==(const ListQuery&, const ListQuery&) = default;
};

struct PageRequest {
    ListQuery query;
    std::int64_t offset = 0;
    int limit = 0;
    int page = 0;
    std::uint64_t generation = 0; // answers for an older query are dropped
    std::uint64_t epoch = 0;      // answers older than the last invalidate() stay stale
};

class RowCache {
public:
    static constexpr int k_page_size = 100;       // rows per request (server max is 200)
    static constexpr std::size_t k_max_pages = 40; // LRU bound: 4,000 rows in memory
    static constexpr std::size_t k_max_in_flight = 3;

    using Fetcher = std::function<void(const PageRequest&)>;
    explicit RowCache(Fetcher fetcher) : m_fetch(std::move(fetcher)) {}

    void set_query(const ListQuery& query);           // a different query drops every page
    const ListQuery& query() const { return m_query; }
    std::optional<std::int64_t> total() const { return m_total; } // known after the first answer
    bool loaded() const { return m_total.has_value(); }
    bool failed() const { return m_failed; }

    void show(std::int64_t first, std::int64_t last); // rows [first, last) are in view: fetch what is missing
    const model::Contact* row(std::int64_t index);    // nullptr while its page is loading

    void on_page(const PageRequest& request, std::vector<model::Contact> items, std::int64_t total);
    void on_page_failed(const PageRequest& request);
    void invalidate();   // data changed on the server (live event): refetch pages in view, drop the rest lazily
    void retry();        // after a failure: ask again

    std::size_t cached_pages() const { return m_pages.size(); }
    std::size_t in_flight() const { return m_in_flight.size(); }

private:
    struct Page {
        std::vector<model::Contact> rows;
        bool stale = false;
        std::uint64_t used = 0;
    };
    void request(int page);
    void evict();

    Fetcher m_fetch;
    ListQuery m_query;
    bool m_has_query = false;
    std::optional<std::int64_t> m_total;
    bool m_failed = false;
    std::map<int, Page> m_pages;
    std::set<int> m_in_flight;
    std::set<int> m_visible;
    std::uint64_t m_generation = 0;
    std::uint64_t m_epoch = 0;
    std::uint64_t m_tick = 0;
};

} // namespace stronghold::web::app

// The rows of a record table (companies, deals, tickets, tasks, trash), loaded page after page by
// the server's cursor as the table scrolls down (GET .../<path>?limit=&cursor=&count=true), so a
// long list costs only what was scrolled through. Pure logic: fetching is a callback and answers
// come back through on_page(); unit-tested without a network.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stronghold::web::app {

struct RecordListQuery {
    std::string account_id;
    std::string path;            // "companies", "trash", ...
    std::string q;               // name prefix (server side)
    std::string sort = "name";   // name | -name | updated_at | -updated_at | created_at | -created_at ("" = none)
    std::vector<std::pair<std::string, std::string>> filters; // ("status[eq]", "open"), ("tags[eq]", "vip")
    bool with_count = true;      // ask for the total on the first page (the trash has none)
    friend bool operator==(const RecordListQuery&, const RecordListQuery&) = default;
};

// The list URL for a query and cursor (first page asks for the total too).
std::string record_list_url(const RecordListQuery& query, const std::string& cursor, int limit,
                            const std::function<std::string(const std::string&)>& encode);

struct RecordPageRequest {
    RecordListQuery query;
    std::string cursor;           // "" for the first page
    int limit = 0;
    std::uint64_t generation = 0; // answers for an older query (or before a reload) are dropped
};

class RecordList {
public:
    static constexpr int k_page_size = 100;
    using Fetcher = std::function<void(const RecordPageRequest&)>;
    explicit RecordList(Fetcher fetcher) : m_fetch(std::move(fetcher)) {}

    void set_query(const RecordListQuery& query); // a different query starts over
    const RecordListQuery& query() const { return m_query; }
    bool loaded() const { return m_loaded; }
    bool failed() const { return m_failed; }
    bool loading() const { return m_in_flight; }
    std::optional<std::int64_t> total() const { return m_total; }
    // Rows the table may draw: loaded ones, plus one placeholder per row still to come when the
    // total is known.
    std::int64_t row_count() const;
    const std::vector<nlohmann::json>& rows() const { return m_rows; }
    const nlohmann::json* row(std::int64_t index) const; // nullptr while not loaded

    void show(std::int64_t last); // rows up to `last` are in view: fetch the next page when needed
    void on_page(const RecordPageRequest& request, std::vector<nlohmann::json> items,
                 std::optional<std::string> next_cursor, std::optional<std::int64_t> total);
    void on_page_failed(const RecordPageRequest& request);
    void reload();        // the data changed: fetch the first page again (rows stay until it lands)
    void retry();
    void remove_local(const std::string& id); // a row deleted here: gone at once

private:
    void request(const std::string& cursor);

    Fetcher m_fetch;
    RecordListQuery m_query;
    bool m_has_query = false;
    bool m_loaded = false;
    bool m_failed = false;
    bool m_in_flight = false;
    bool m_replace = false; // the next first page replaces every row (reload)
    std::vector<nlohmann::json> m_rows;
    std::optional<std::string> m_next;
    std::optional<std::int64_t> m_total;
    std::uint64_t m_generation = 0;
};

} // namespace stronghold::web::app

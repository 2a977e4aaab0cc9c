#include "app/record_list.hpp"

#include <algorithm>

namespace stronghold::web::app {

std::string record_list_url(const RecordListQuery& query, const std::string& cursor, int limit,
                            const std::function<std::string(const std::string&)>& encode) {
    std::string url = "/api/v1/accounts/" + encode(query.account_id) + "/" + query.path + "?limit=" + std::to_string(limit);
    if (cursor.empty()) {
        if (query.with_count) url += "&count=true";
    }
    else url += "&cursor=" + encode(cursor);
    if (!query.sort.empty()) url += "&sort=" + encode(query.sort);
    if (!query.q.empty()) url += "&q=" + encode(query.q);
    for (const auto& [name, value] : query.filters) url += "&" + encode(name) + "=" + encode(value);
    return url;
}

void RecordList::set_query(const RecordListQuery& query) {
    if (m_has_query && query == m_query) return;
    m_query = query;
    m_has_query = true;
    ++m_generation;
    m_rows.clear();
    m_next.reset();
    m_total.reset();
    m_loaded = m_failed = m_in_flight = m_replace = false;
}

std::int64_t RecordList::row_count() const {
    const auto have = static_cast<std::int64_t>(m_rows.size());
    if (m_total) return std::max(have, *m_total);
    return have;
}

const nlohmann::json* RecordList::row(std::int64_t index) const {
    return index >= 0 && index < static_cast<std::int64_t>(m_rows.size()) ? &m_rows[static_cast<std::size_t>(index)] : nullptr;
}

void RecordList::request(const std::string& cursor) {
    if (m_in_flight || m_failed || !m_has_query) return;
    m_in_flight = true;
    m_fetch(RecordPageRequest{m_query, cursor, k_page_size, m_generation});
}

void RecordList::show(std::int64_t last) {
    if (!m_has_query) return;
    if (!m_loaded) { request(""); return; }
    if (m_next && last + k_page_size / 2 >= static_cast<std::int64_t>(m_rows.size())) request(*m_next);
}

void RecordList::on_page(const RecordPageRequest& request, std::vector<nlohmann::json> items,
                         std::optional<std::string> next_cursor, std::optional<std::int64_t> total) {
    if (request.generation != m_generation) return;
    m_in_flight = false;
    m_failed = false;
    if (request.cursor.empty()) { // a first page: a new start (first load or reload)
        m_rows.clear();
        m_replace = false;
    }
    for (auto& item : items) m_rows.push_back(std::move(item));
    m_next = std::move(next_cursor);
    if (total) m_total = *total;
    if (!m_next) m_total = static_cast<std::int64_t>(m_rows.size()); // the end is known exactly
    m_loaded = true;
}

void RecordList::on_page_failed(const RecordPageRequest& request) {
    if (request.generation != m_generation) return;
    m_in_flight = false;
    m_failed = true;
}

void RecordList::reload() {
    if (!m_has_query) return;
    ++m_generation; // a page on its way was asked before the change
    m_in_flight = false;
    m_failed = false;
    m_replace = true;
    request("");
}

void RecordList::retry() {
    m_failed = false;
    if (!m_loaded) request("");
    else if (m_next) request(*m_next);
}

void RecordList::remove_local(const std::string& id) {
    const auto before = m_rows.size();
    m_rows.erase(std::remove_if(m_rows.begin(), m_rows.end(),
                                [&](const nlohmann::json& r) { return r.is_object() && r.value("id", "") == id; }),
                 m_rows.end());
    if (m_total && m_rows.size() < before) *m_total -= static_cast<std::int64_t>(before - m_rows.size());
}

} // namespace stronghold::web::app

#include "app/row_cache.hpp"

#include <algorithm>

namespace stronghold::web::app {

void RowCache::set_query(const ListQuery& query) {
    if (m_has_query && query == m_query) return;
    m_query = query;
    m_has_query = true;
    ++m_generation; // in-flight answers for the old query become late answers
    m_pages.clear();
    m_in_flight.clear();
    m_visible.clear();
    m_total.reset();
    m_failed = false;
}

void RowCache::show(std::int64_t first, std::int64_t last) {
    if (!m_has_query) return;
    m_visible.clear();
    ++m_tick;
    if (!m_total) { // nothing known yet: the first page also brings the total
        m_visible.insert(0);
        if (!m_failed) request(0);
        return;
    }
    last = std::min(last, *m_total);
    if (first >= last) return;
    const int first_page = static_cast<int>(first / k_page_size);
    const int last_page = static_cast<int>((last - 1) / k_page_size);
    for (int p = first_page; p <= last_page; ++p) {
        m_visible.insert(p);
        auto it = m_pages.find(p);
        if (it != m_pages.end()) it->second.used = m_tick;
        if ((it == m_pages.end() || it->second.stale) && !m_failed) request(p);
    }
}

void RowCache::request(int page) {
    if (m_in_flight.count(page) || m_in_flight.size() >= k_max_in_flight) return;
    m_in_flight.insert(page);
    m_fetch(PageRequest{m_query, static_cast<std::int64_t>(page) * k_page_size, k_page_size, page, m_generation, m_epoch});
}

const model::Contact* RowCache::row(std::int64_t index) {
    auto it = m_pages.find(static_cast<int>(index / k_page_size));
    if (it == m_pages.end()) return nullptr;
    const auto offset = static_cast<std::size_t>(index % k_page_size);
    return offset < it->second.rows.size() ? &it->second.rows[offset] : nullptr;
}

void RowCache::on_page(const PageRequest& request, std::vector<model::Contact> items, std::int64_t total) {
    if (request.generation != m_generation) return; // late answer for a query we left
    m_in_flight.erase(request.page);
    m_failed = false;
    m_total = std::max<std::int64_t>(total, 0);
    Page& page = m_pages[request.page];
    page.rows = std::move(items);
    page.stale = request.epoch != m_epoch; // data changed while it travelled: fetch again
    page.used = ++m_tick;
    evict();
}

void RowCache::on_page_failed(const PageRequest& request) {
    if (request.generation != m_generation) return;
    m_in_flight.erase(request.page);
    m_failed = true; // no automatic hammering: the view offers retry()
}

void RowCache::invalidate() {
    ++m_epoch;
    for (auto& [index, page] : m_pages) page.stale = true;
    for (int p : m_visible)
        if (!m_failed) request(p);
    // A page in flight was asked before the change; its answer arrives marked stale (epoch).
}

void RowCache::retry() {
    m_failed = false;
    for (int p : m_visible) request(p);
    if (!m_total) request(0);
}

void RowCache::evict() {
    while (m_pages.size() > k_max_pages) {
        auto victim = m_pages.end();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
            if (m_visible.count(it->first)) continue;
            if (victim == m_pages.end() || it->second.used < victim->second.used) victim = it;
        }
        if (victim == m_pages.end()) return; // everything is in view: keep it
        m_pages.erase(victim);
    }
}

} // namespace stronghold::web::app

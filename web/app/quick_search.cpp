#include "app/quick_search.hpp"

#include "app/wire_read.hpp"

namespace stronghold::web::app {

std::vector<SearchHit> hits_from_json(const nlohmann::json& body) {
    std::vector<SearchHit> out;
    if (!body.is_object()) return out;
    auto it = body.find("items");
    if (it == body.end() || !it->is_array()) return out;
    for (const auto& j : *it) {
        SearchHit h{wire::str(j, "kind"), wire::str(j, "id"), wire::str(j, "title")};
        if (h.id.empty() || h.kind.empty()) continue;
        if (h.title.empty()) h.title = "(untitled)";
        out.push_back(std::move(h));
    }
    return out;
}

std::string QuickSearch::trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

void QuickSearch::open() {
    close();
    m_open = true;
}

void QuickSearch::close() {
    const std::uint64_t ticket = m_ticket;
    *this = QuickSearch();
    m_ticket = ticket + 1; // answers still on their way now carry an older ticket than any later request
}

void QuickSearch::edit(const std::string& text, double now_ms) {
    m_text = text;
    m_error.clear();
    if (trimmed(text).empty()) { // nothing to look for: no request, no results
        m_pending_since = -1;
        m_in_flight = 0;
        ++m_ticket; // an answer on its way is for text that is gone
        m_hits.clear();
        m_selected = -1;
        m_answered = false;
        m_sent.clear();
        return;
    }
    m_pending_since = now_ms;
}

double QuickSearch::wait_ms(double now_ms) const {
    if (m_pending_since < 0) return -1;
    const double left = m_pending_since + k_debounce_ms - now_ms;
    return left > 0 ? left : 0;
}

std::optional<SearchRequest> QuickSearch::poll(double now_ms) {
    if (!m_open || m_pending_since < 0 || now_ms - m_pending_since < k_debounce_ms) return std::nullopt;
    m_pending_since = -1;
    const std::string q = trimmed(m_text);
    if (q == m_sent && (m_answered || m_in_flight)) return std::nullopt; // e.g. a trailing space
    m_sent = q;
    m_in_flight = ++m_ticket;
    return SearchRequest{q, m_ticket};
}

void QuickSearch::on_answer(const SearchRequest& request, std::vector<SearchHit> hits) {
    if (!m_open || request.ticket != m_ticket) return; // stale: a newer request is out (or the palette closed)
    m_in_flight = 0;
    m_hits = std::move(hits);
    m_selected = m_hits.empty() ? -1 : 0;
    m_answered = true;
    m_error.clear();
}

void QuickSearch::on_failed(const SearchRequest& request, const std::string& message) {
    if (!m_open || request.ticket != m_ticket) return;
    m_in_flight = 0;
    m_error = message;
}

void QuickSearch::select_next() {
    if (m_hits.empty()) return;
    m_selected = (m_selected + 1) % static_cast<int>(m_hits.size());
}

void QuickSearch::select_previous() {
    if (m_hits.empty()) return;
    const int n = static_cast<int>(m_hits.size());
    m_selected = (m_selected - 1 + n) % n;
}

void QuickSearch::select(int index) {
    if (index >= 0 && index < static_cast<int>(m_hits.size())) m_selected = index;
}

std::optional<SearchHit> QuickSearch::chosen() const {
    if (m_selected < 0 || m_selected >= static_cast<int>(m_hits.size())) return std::nullopt;
    return m_hits[static_cast<std::size_t>(m_selected)];
}

} // namespace stronghold::web::app

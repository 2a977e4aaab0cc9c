// The quick search palette's model (Ctrl+K / Cmd+K): the typed text, a debounced request to
// GET .../search?q=, answers that arrive out of order (only the latest request's answer is
// shown) and the keyboard selection. Pure logic: the view passes the clock and sends requests.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stronghold::web::app {

struct SearchHit {
    std::string kind; // contact | company | deal | ticket | task
    std::string id;
    std::string title;
};
std::vector<SearchHit> hits_from_json(const nlohmann::json& body); // {"items":[{kind,id,title}]}; lenient

struct SearchRequest {
    std::string q;
    std::uint64_t ticket = 0;
};

class QuickSearch {
public:
    static constexpr double k_debounce_ms = 150;
    static constexpr int k_limit = 5; // per kind (the server's default)

    void open();  // empty text, no results
    void close(); // late answers are dropped
    bool is_open() const { return m_open; }

    void edit(const std::string& text, double now_ms);           // the text changed
    std::optional<SearchRequest> poll(double now_ms);             // the request to send once the debounce has passed
    double wait_ms(double now_ms) const;                          // how long until poll() may answer; <0 when nothing waits
    void on_answer(const SearchRequest& request, std::vector<SearchHit> hits); // ignored unless it is the latest request
    void on_failed(const SearchRequest& request, const std::string& message);

    void select_next();                                   // Down (wraps)
    void select_previous();                               // Up (wraps)
    void select(int index);                               // hover / click
    std::optional<SearchHit> chosen() const;              // Enter: the selected hit

    const std::string& text() const { return m_text; }
    const std::vector<SearchHit>& hits() const { return m_hits; }
    int selected() const { return m_selected; }
    bool searching() const { return m_pending_since >= 0 || m_in_flight != 0; } // typed, answer not here yet
    bool answered() const { return m_answered; }        // hits are for the current text
    const std::string& error() const { return m_error; }

private:
    static std::string trimmed(const std::string& s);
    bool m_open = false;
    std::string m_text;
    std::string m_sent;           // the query of the latest request
    double m_pending_since = -1;  // text edited at; <0: nothing waits
    std::uint64_t m_ticket = 0;   // latest request
    std::uint64_t m_in_flight = 0; // ticket still unanswered (0: none)
    std::vector<SearchHit> m_hits;
    int m_selected = -1;
    bool m_answered = false;
    std::string m_error;
};

} // namespace stronghold::web::app

// Quick search palette: Ctrl+K (Cmd+K on macOS) opens a centred box over any screen; typing
// searches contacts, companies, deals, tickets and tasks (GET .../search, debounced, stale
// answers dropped: app/quick_search); Up/Down pick, Enter opens the record, Esc closes.
#pragma once

#include "app/quick_search.hpp"
#include "net/http.hpp"

#include <functional>
#include <string>

namespace stronghold::web::views {

class SearchPalette {
public:
    void set_account(const std::string& account_id); // closes the palette when it changes
    void draw();                                      // also watches for the shortcut
    void open();
    bool is_open() const { return m_wanted; }

    std::function<void(const app::SearchHit& hit)> on_open; // the user chose a record

private:
    void send(const app::SearchRequest& request);
    void choose();

    std::string m_account_id;
    app::QuickSearch m_model;
    std::string m_text;
    bool m_wanted = false;
    bool m_focus = false;
    net::Lifetime m_life;
};

} // namespace stronghold::web::views

// A record's version history (RES-1): who changed what and when, newest first, with "Revert to
// this version" (POST .../versions/{n}/revert with If-Match: a new version holding the old data;
// history itself is never rewritten). Drawn inline in the record detail panel, or as the
// "History" dialog over the contact form.
#pragma once

#include "net/http.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace stronghold::web::views {

class HistoryView {
public:
    std::function<void(const nlohmann::json& record)> on_reverted; // the record as it is after a revert

    // path: "contacts" or a record path; me: the signed-in user's id (shown as "You").
    void open(const std::string& account_id, const std::string& path, const std::string& id, std::int64_t current_version,
              bool can_revert, const std::string& me);
    void close();
    bool is_open() const { return !m_id.empty(); }
    const std::string& id() const { return m_id; }
    void set_current_version(std::int64_t v) { m_current = v; }
    void reload();

    void draw_inline(float width); // the list, at the cursor
    void draw_dialog();            // the list in a "History" dialog while open_dialog() is on
    void open_dialog() { m_dialog = true; }

private:
    void revert(std::int64_t n);

    std::string m_account_id, m_path, m_id, m_me;
    std::int64_t m_current = 0;
    bool m_can_revert = false;
    bool m_loading = false;
    bool m_busy = false;
    bool m_dialog = false;
    std::string m_error;
    std::vector<nlohmann::json> m_items; // newest first
    net::Lifetime m_life;
};

// "5 min ago", "3 h ago", "yesterday", else the date (ISO 8601 in).
std::string relative_time_iso(const std::string& iso);

} // namespace stronghold::web::views

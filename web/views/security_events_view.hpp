// "Security events" (AUD-5, TEN-2): the agency's own events (cross-tenant attempts, brute force,
// credential stuffing, permission-denied bursts, blocks) newest first, with severity badges, for
// agency-level holders of view_audit_log (GET /api/v1/agencies/{id}/security-events);
// "Load more" follows the cursor.
#pragma once

#include "app/trust.hpp"
#include "net/http.hpp"

#include <optional>
#include <string>
#include <vector>

namespace stronghold::web::views {

class SecurityEventsView {
public:
    void open(std::string agency_id);
    void close();
    void draw();

private:
    void load(bool more);

    std::string m_agency_id;
    std::vector<app::SecurityEvent> m_items;
    std::optional<std::string> m_next;
    bool m_loading = false, m_loaded = false;
    std::string m_error;
    net::Lifetime m_life;
};

} // namespace stronghold::web::views

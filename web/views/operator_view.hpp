// "Operator console" (ACC-3..5) for platform staff (/me carries "staff"): aggregate figures only
// (GET /api/v1/staff/overview), the staff member's own JITA grants and "Request access" to one
// sub-account (POST /api/v1/staff/grants: account id, reason, 1-24 hours), and, for security and
// platform_admin staff, the platform's security events (GET /api/v1/staff/security-events).
#pragma once

#include "app/trust.hpp"
#include "net/http.hpp"

#include <optional>
#include <string>
#include <vector>

namespace stronghold::web::views {

class OperatorView {
public:
    void open(std::string staff_role);
    void close();
    void draw();

private:
    void load();
    void request();
    void draw_figures(float width);
    void draw_request(float width);
    void draw_grants(float height);
    void draw_events(float height);

    std::string m_role;
    std::optional<std::vector<app::Figure>> m_figures;
    std::vector<app::StaffGrant> m_grants;
    std::vector<app::SecurityEvent> m_events;
    bool m_events_allowed = true; // support staff get 403 there
    app::GrantRequestForm m_form;
    bool m_busy = false;
    net::Lifetime m_life;
};

} // namespace stronghold::web::views

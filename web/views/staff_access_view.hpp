// "Staff access" (ACC-4, ACC-5): platform staff's just-in-time access requests to the agency's
// sub-accounts, pending first, for agency owners and admins (GET /api/v1/agencies/{id}/grants).
// Approve (a critical action: the re-authentication prompt opens on 401 reauth_required and the
// request goes out again), Deny, Revoke. Whether requests wait for approval is the security
// policy's jita_requires_approval (the Security settings screen).
#pragma once

#include "app/trust.hpp"
#include "net/http.hpp"

#include <imgui.h>

#include <set>
#include <string>
#include <vector>

namespace stronghold::web::views {

class StaffAccessView {
public:
    void open(std::string agency_id);
    void close();
    void draw();

private:
    void load();
    void act(const app::StaffGrant& grant, const char* verb); // "approve" | "deny" | "revoke"
    void draw_actions(const app::StaffGrant& g, ImVec2 cell, float width, float row_h);

    std::string m_agency_id;
    std::vector<app::StaffGrant> m_grants;
    std::set<std::string> m_busy; // grant ids with a decision on the way
    bool m_loading = false, m_loaded = false;
    std::string m_error;
    net::Lifetime m_life;
};

} // namespace stronghold::web::views

// The bar across the top: product name, sub-account switcher (when there is more than one),
// and the user menu with "Log out".
#pragma once

#include "app/session.hpp"

#include <string>
#include <vector>

namespace stronghold::web::views {

struct TopBarResult {
    std::string switch_to; // non-empty: the user picked this sub-account
    bool log_out = false;
    bool open_profile = false; // "My profile & security" in the user menu
    bool open_security = false; // "Security settings": shown to agency owners and admins only
    bool open_users = false;    // "Users": core can_manage_users
    bool open_roles = false;    // "Roles": core can_manage_roles
    bool open_crm_settings = false; // "CRM settings": core has_capability(manage_settings) in the sub-account
    bool open_security_events = false; // "Security events": agency-level view_audit_log
    bool open_staff_access = false;    // "Staff access": agency owners and admins (core can_manage_security)
};

struct TopBar {
    TopBarResult draw(const app::Me& me, const std::string& account_id, bool live_connected);
    static float height(); // device px
};

// The sections strip under the bar (Contacts, Companies, Deals, ...): a `tablist` "Sections" of
// `tab`s in the mirror. Items with `right` sit at the far end (Trash).
struct NavItem {
    int id;
    std::string name;
    const char* icon;
    bool right = false;
};
struct NavBar {
    int draw(const std::vector<NavItem>& items, int current); // the id clicked this frame, else -1
    static float height(); // device px
};

} // namespace stronghold::web::views

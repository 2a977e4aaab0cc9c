// The bar across the top: product name, sub-account switcher (when there is more than one),
// and the user menu with "Log out".
#pragma once

#include "app/session.hpp"

#include <string>

namespace stronghold::web::views {

struct TopBarResult {
    std::string switch_to; // non-empty: the user picked this sub-account
    bool log_out = false;
    bool open_profile = false; // "My profile & security" in the user menu
    bool open_security = false; // "Security settings": shown to agency owners and admins only
    bool open_users = false;    // "Users": core can_manage_users
    bool open_roles = false;    // "Roles": core can_manage_roles
};

struct TopBar {
    TopBarResult draw(const app::Me& me, const std::string& account_id, bool live_connected);
    static float height(); // device px
};

} // namespace stronghold::web::views

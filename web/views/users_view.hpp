// "Users" (ACC-1, ACC-2, IAM-5): the agency's people with their status, roles, 2FA and last
// sign-in; invite, change roles, deactivate or reactivate, re-send an invitation, list and revoke
// a user's sessions; and the teams of the current sub-account. Opened from the user menu by those
// the core lets manage users (can_manage_users); each row's actions follow core
// authorize_user_admin with the memberships the list gives, and every role picker offers only
// what core authorize_role_grant allows. The rules live in app/admin.hpp (unit-tested).
//   users_view.cpp          page frame, loading, the users table
//   users_view_dialogs.cpp  invite, change role, deactivate/reactivate, sessions
//   users_view_teams.cpp    the teams card and its dialog
#pragma once

#include "app/admin.hpp"
#include "app/profile.hpp"
#include "app/session.hpp"
#include "net/http.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stronghold::web::views {

class UsersView {
public:
    std::function<void()> on_back; // "Back to contacts"

    // (Re)loads users and roles of the agency, and the teams of `account_id` (may be empty).
    void open(const app::Me& me, std::string agency_id, std::string account_id);
    void close();
    void draw();

private:
    // users_view.cpp
    void load();
    void draw_users_card(float width);
    void draw_row(const app::AdminUser& u, std::size_t index, float inner, float row_h, float table_x);
    bool may_manage(const app::AdminUser& u) const;
    std::vector<std::string> place_names() const; // "Whole agency", then the agency's sub-accounts
    std::string place_id(int index) const;        // inverse of place_names(): "" for the agency
    int place_index(const std::string& account_id) const;
    // users_view_dialogs.cpp
    void open_invite();
    void draw_invite_dialog();
    void send_invite();
    void open_roles_dialog(const app::AdminUser& u);
    void draw_roles_dialog();
    void save_roles();
    void draw_status_dialog();
    void set_active(const std::string& user_id, bool active);
    void resend_invite(const app::AdminUser& u);
    void open_sessions(const app::AdminUser& u);
    void draw_sessions_dialog();
    void revoke_session(const std::string& session_id);
    bool grant_editor(app::Grant& g, float width, const std::string& role_error, const std::string& place_error);
    // users_view_teams.cpp
    void load_teams();
    void draw_teams_card(float width);
    void open_team(const app::TeamInfo* team);
    void draw_team_dialog();
    void save_team();
    void delete_team();

    const app::Me* m_me = nullptr;
    std::string m_agency_id, m_account_id;
    enum class Phase { loading, ready, failed };
    Phase m_phase = Phase::loading;
    std::string m_load_error;
    std::vector<app::AdminUser> m_users;
    std::vector<access::RoleDef> m_roles;

    // Invite
    bool m_invite_open = false;
    app::InviteForm m_invite;
    bool m_invite_busy = false;
    // Change role
    bool m_roles_open = false;
    std::string m_roles_user; // id
    app::MembershipsForm m_memberships;
    // Deactivate / reactivate
    bool m_status_open = false;
    std::string m_status_user;
    bool m_status_to_active = false;
    std::string m_busy_user; // a row whose request is on its way
    // Sessions of one user
    bool m_sessions_open = false;
    std::string m_sessions_user;
    std::optional<std::vector<app::SessionInfo>> m_sessions;
    bool m_sessions_failed = false;
    std::string m_revoking;
    // Teams of the current sub-account
    std::optional<std::vector<app::TeamInfo>> m_teams;
    bool m_teams_failed = false;
    bool m_team_open = false;
    std::optional<app::TeamInfo> m_team_base; // nullopt: a new team
    std::string m_team_name, m_team_error;
    std::vector<std::string> m_team_members;
    bool m_team_busy = false;

    net::Lifetime m_life; // reset on open/close: answers for a screen left behind are dropped
};

} // namespace stronghold::web::views

// The whole dashboard: loads /me, picks the sub-account, draws the top bar and the current
// view, keeps the live connection for that sub-account, and reports readiness to the page.
#pragma once

#include "app/session.hpp"
#include "net/http.hpp"
#include "net/live.hpp"
#include "views/audit_view.hpp"
#include "views/contacts_view.hpp"
#include "views/operator_view.hpp"
#include "views/crm_settings_view.hpp"
#include "views/pipeline_view.hpp"
#include "views/search_palette.hpp"
#include "views/records_view.hpp"
#include "views/trash_view.hpp"
#include "views/profile_view.hpp"
#include "views/roles_view.hpp"
#include "views/security_events_view.hpp"
#include "views/security_view.hpp"
#include "views/staff_access_view.hpp"
#include "views/top_bar.hpp"
#include "views/users_view.hpp"

#include <optional>
#include <string>

namespace stronghold::web::app {

class Dashboard {
public:
    void start(); // asks for /me
    void draw();  // one frame

private:
    enum class Phase { loading, ready, failed };
    // The screens the user menu opens replace the contacts screen until "Back to contacts".
    // The sections strip (views::NavBar) switches between contacts, the record screens and the trash.
    enum class Screen { contacts, profile, security, users, roles, companies, deals, tickets, tasks, trash, crm_settings, pipeline,
                        audit, security_events, staff_access, operator_console };
    void show(Screen screen); // closes the current screen (its answers still on the way are dropped), opens `screen`
    void load_me();
    void switch_account(const std::string& account_id);
    void draw_center_message(const char* title, const char* detail, bool retry);
    void report_state();
    std::vector<views::NavItem> nav_items() const;
    views::RecordsView* records_view(Screen screen);

    Phase m_phase = Phase::loading;
    std::optional<Me> m_me;
    std::string m_account_id;
    std::string m_me_error;
    views::TopBar m_top_bar;
    views::ContactsView m_contacts;
    Screen m_screen = Screen::contacts;
    views::ProfileView m_profile;
    views::SecurityView m_security;
    views::UsersView m_users;
    views::RolesView m_roles;
    views::NavBar m_nav;
    views::RecordsView m_companies{model::Kind::company};
    views::RecordsView m_deals{model::Kind::deal};
    views::RecordsView m_tickets{model::Kind::ticket};
    views::RecordsView m_tasks{model::Kind::task};
    views::TrashView m_trash;
    views::CrmSettingsView m_crm_settings;
    views::PipelineView m_pipeline;  // the deals board (issue 5)
    views::AuditView m_audit;                   // issue 6: audit log with in-browser chain verification
    views::SecurityEventsView m_security_events;
    views::StaffAccessView m_staff_access;      // JITA grants of the agency
    views::OperatorView m_operator;             // platform staff (/me "staff")
    views::SearchPalette m_palette;  // Ctrl+K / Cmd+K over every screen
    void open_search_hit(const app::SearchHit& hit);
    net::LiveClient m_live;
    bool m_logging_out = false;
    std::string m_reported;
    net::Lifetime m_life;
};

} // namespace stronghold::web::app

#include "app/dashboard.hpp"

#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/member_picker.hpp"
#include "views/reauth_dialog.hpp"

#include <imgui.h>

namespace stronghold::web::app {

void Dashboard::start() {
    m_live.set_handler([this](const net::LiveEvent& e) {
        m_contacts.on_live(e);
        for (auto* v : {&m_companies, &m_deals, &m_tickets, &m_tasks}) v->on_live(e);
        m_trash.on_live(e);
        m_pipeline.on_live(e);
    });
    m_live.set_status_handler([](bool) { platform::request_redraw(); });
    m_profile.on_back = m_security.on_back = m_users.on_back = m_roles.on_back = m_crm_settings.on_back = [this] { show(Screen::contacts); };
    m_palette.on_open = [this](const app::SearchHit& hit) { open_search_hit(hit); };
    // A related record in a side panel opens like a quick search hit.
    auto open_related = [this](const std::string& kind, const std::string& id) { open_search_hit({kind, id, ""}); };
    m_contacts.on_open_related = open_related;
    for (auto* v : {&m_companies, &m_deals, &m_tickets, &m_tasks}) v->on_open_related = open_related;
    load_me();
}

// Quick search picked a record: its screen, with it selected. Companies, tickets and tasks open
// their records screen with its side panel open.
void Dashboard::open_search_hit(const app::SearchHit& hit) {
    if (hit.kind == "contact") {
        show(Screen::contacts);
        m_contacts.show_contact(hit.id);
    } else if (hit.kind == "deal") {
        show(Screen::pipeline);
        m_pipeline.show_deal(hit.id);
    } else if (hit.kind == "company" || hit.kind == "ticket" || hit.kind == "task") {
        const Screen screen = hit.kind == "company" ? Screen::companies : hit.kind == "ticket" ? Screen::tickets : Screen::tasks;
        show(screen);
        records_view(screen)->show_record(hit.id);
    }
}

void Dashboard::show(Screen screen) {
    switch (m_screen) {
    case Screen::contacts: break;
    case Screen::profile: m_profile.close(); break;
    case Screen::security: m_security.close(); break;
    case Screen::users: m_users.close(); break;
    case Screen::roles: m_roles.close(); break;
    case Screen::crm_settings: m_crm_settings.close(); break;
    case Screen::audit: m_audit.close(); break;
    case Screen::security_events: m_security_events.close(); break;
    case Screen::staff_access: m_staff_access.close(); break;
    case Screen::operator_console: m_operator.close(); break;
    default: break;
    }
    m_screen = screen;
    // The first agency the user manages: one per user today (DESIGN.md tenancy). The menu offers
    // each screen only when its list is not empty.
    switch (screen) {
    case Screen::contacts: break;
    case Screen::profile: m_profile.open(*m_me); break;
    case Screen::security: m_security.open(m_me->security_agencies().front()); break;
    case Screen::users: m_users.open(*m_me, m_me->user_agencies().front(), m_account_id); break;
    case Screen::roles: m_roles.open(*m_me, m_me->role_agencies().front()); break;
    case Screen::trash: m_trash.open(*m_me, m_account_id); break;
    case Screen::crm_settings: m_crm_settings.open(*m_me, m_account_id); break;
    case Screen::pipeline: m_pipeline.open(*m_me, m_account_id); break;
    case Screen::audit:
        if (auto scope = app::audit_scope(*m_me, m_account_id)) m_audit.open(std::move(*scope), m_me->user_id);
        break;
    case Screen::security_events: m_security_events.open(m_me->event_agencies().front()); break;
    case Screen::staff_access: m_staff_access.open(m_me->security_agencies().front()); break;
    case Screen::operator_console: m_operator.open(m_me->staff_role); break;
    default:
        if (auto* v = records_view(screen)) v->open(*m_me, m_account_id);
        break;
    }
}

views::RecordsView* Dashboard::records_view(Screen screen) {
    switch (screen) {
    case Screen::companies: return &m_companies;
    case Screen::deals: return &m_deals;
    case Screen::tickets: return &m_tickets;
    case Screen::tasks: return &m_tasks;
    default: return nullptr;
    }
}

// The sections strip: one entry per screen (another section adds one line here).
std::vector<views::NavItem> Dashboard::nav_items() const {
    // Platform staff without a grant have no sub-account to show records of: their console only.
    if (m_me && !m_me->staff_role.empty() && m_account_id.empty())
        return {{static_cast<int>(Screen::operator_console), "Operator console", fonts::k_icon_shield}};
    std::vector<views::NavItem> items = {
        {static_cast<int>(Screen::contacts), "Contacts", fonts::k_icon_users},
        {static_cast<int>(Screen::companies), "Companies", fonts::k_icon_building},
        {static_cast<int>(Screen::deals), "Deals", fonts::k_icon_briefcase},
        {static_cast<int>(Screen::pipeline), "Pipeline", fonts::k_icon_columns},
        {static_cast<int>(Screen::tickets), "Tickets", fonts::k_icon_ticket},
        {static_cast<int>(Screen::tasks), "Tasks", fonts::k_icon_task},
        {static_cast<int>(Screen::trash), "Trash", fonts::k_icon_trash, true},
    };
    // Only for holders of view_audit_log (the agency's, or this sub-account's).
    if (m_me && app::audit_scope(*m_me, m_account_id))
        items.push_back({static_cast<int>(Screen::audit), "Audit log", fonts::k_icon_history, true});
    if (m_me && !m_me->staff_role.empty())
        items.insert(items.begin(), {static_cast<int>(Screen::operator_console), "Operator console", fonts::k_icon_shield});
    return items;
}

void Dashboard::load_me() {
    m_phase = Phase::loading;
    net::get_me(net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        std::optional<Me> me = r.ok() ? me_from_json(r.body) : std::nullopt;
        if (!me) {
            m_phase = Phase::failed;
            m_me_error = r.ok() ? "The server's answer was not understood." : net::describe(r);
            return;
        }
        m_me = std::move(*me);
        m_phase = Phase::ready;
        // The first sub-account the user may view contacts in.
        std::string first;
        for (const auto& a : m_me->accounts)
            if (m_me->can(a.id, access::Action::contact_view)) { first = a.id; break; }
        if (first.empty() && !m_me->accounts.empty()) first = m_me->accounts.front().id;
        switch_account(first);
    }));
}

void Dashboard::switch_account(const std::string& account_id) {
    m_account_id = account_id;
    if (m_screen != Screen::contacts) show(Screen::contacts); // picking a sub-account shows its contacts
    // Platform staff without a grant have no sub-account: their screen is the operator console.
    if (account_id.empty() && !m_me->staff_role.empty()) show(Screen::operator_console);
    if (account_id.empty()) return;
    for (auto* v : {&m_companies, &m_deals, &m_tickets, &m_tasks}) v->open(*m_me, account_id);
    m_contacts.open(*m_me, account_id);
    views::ensure_members(account_id); // owner names and pickers (GET .../members)
    m_live.connect(account_id);
}

void Dashboard::report_state() {
    const char* state = "loading";
    if (m_phase == Phase::failed) state = "error";
    else if (m_phase == Phase::ready && (m_account_id.empty() || m_contacts.ready())) state = "ready";
    else if (m_phase == Phase::ready && m_contacts.failed()) state = "error";
    if (m_reported != state) {
        m_reported = state;
        platform::set_test_state(state);
    }
    if (m_phase != Phase::loading) platform::announce_ready();
}

void Dashboard::draw_center_message(const char* title, const char* detail, bool retry) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float w = vp->Size.x;
    ImGui::SetCursorPosY(vp->Size.y * 0.4f);
    ImGui::PushFont(fonts::title());
    ImGui::SetCursorPosX((w - ImGui::CalcTextSize(title).x) * 0.5f);
    ImGui::TextUnformatted(title);
    ImGui::PopFont();
    a11y::text_item(retry ? "alert" : "status", "", title);
    if (detail && *detail) {
        ImGui::SetCursorPosX((w - ImGui::CalcTextSize(detail).x) * 0.5f);
        ui::muted_text(detail);
    }
    if (retry) {
        const float bw = theme::px(110);
        ImGui::SetCursorPosX((w - bw) * 0.5f);
        if (ui::button("Retry", "Retry", ui::ButtonKind::primary, ImVec2(bw, 0))) load_me();
    }
}

void Dashboard::draw() {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("##dashboard", nullptr, flags);
    ImGui::PopStyleVar();

    if (m_phase == Phase::loading) {
        ui::spinner(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.45f), theme::px(16));
    } else if (m_phase == Phase::failed) {
        draw_center_message("The dashboard could not load your account", m_me_error.c_str(), true);
    } else {
        const views::TopBarResult bar = m_top_bar.draw(*m_me, m_account_id, m_live.connected());
        if (!bar.switch_to.empty()) switch_account(bar.switch_to);
        if (bar.open_profile) show(Screen::profile);
        if (bar.open_security) show(Screen::security);
        if (bar.open_users) show(Screen::users);
        if (bar.open_roles) show(Screen::roles);
        if (bar.open_crm_settings) show(Screen::crm_settings);
        if (bar.open_security_events) show(Screen::security_events);
        if (bar.open_staff_access) show(Screen::staff_access);
        if (const int nav = m_nav.draw(nav_items(), static_cast<int>(m_screen)); nav >= 0) show(static_cast<Screen>(nav));
        if (bar.log_out && !m_logging_out) {
            m_logging_out = true;
            m_live.disconnect();
            // Leave whatever the answer: a failed logout still drops this page's state.
            net::logout([](const net::ApiResponse&) { platform::navigate("/login.html"); });
        }
        // Page body with generous margins.
        const float margin = theme::px(28);
        const float top = views::TopBar::height() + views::NavBar::height() + theme::px(22);
        ImGui::SetCursorScreenPos(ImVec2(vp->Pos.x + margin, vp->Pos.y + top));
        ImGui::BeginChild("page", ImVec2(vp->Size.x - margin * 2, vp->Size.y - top), false,
                          ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
        if (m_screen == Screen::profile) m_profile.draw();
        else if (m_screen == Screen::security) m_security.draw();
        else if (m_screen == Screen::users) m_users.draw();
        else if (m_screen == Screen::roles) m_roles.draw();
        else if (m_screen == Screen::crm_settings) m_crm_settings.draw();
        else if (m_screen == Screen::audit) m_audit.draw();
        else if (m_screen == Screen::security_events) m_security_events.draw();
        else if (m_screen == Screen::staff_access) m_staff_access.draw();
        else if (m_screen == Screen::operator_console) m_operator.draw();
        else if (m_account_id.empty()) draw_center_message("No sub-account to open", "Ask an administrator for access.", false);
        else if (auto* v = records_view(m_screen)) v->draw();
        else if (m_screen == Screen::trash) m_trash.draw();
        else if (m_screen == Screen::pipeline) m_pipeline.draw();
        else m_contacts.draw();
        ImGui::EndChild();
        m_palette.set_account(m_account_id);
        m_palette.draw();
        views::reauth::draw(); // any view's critical request may need it
    }
    ImGui::End();
    ui::draw_toasts();
    report_state();
}

} // namespace stronghold::web::app

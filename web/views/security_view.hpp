// "Security settings" (IAM-2, IAM-3, IAM-5): an agency's password policy (classic or one-click
// NIST 800-63B, length, classes, history, maximum age), the 2FA requirement and session
// timeouts. Opened from the user menu by agency owners and admins only (core
// can_manage_security); saving is a critical action, so it goes through the re-authentication
// prompt. The form's rules live in app::SecurityForm (unit-tested); this is its drawing.
#pragma once

#include "app/security_policy.hpp"
#include "net/http.hpp"

#include <functional>
#include <string>

namespace stronghold::web::views {

class SecurityView {
public:
    std::function<void()> on_back; // "Back to contacts"

    void open(std::string agency_id); // (re)loads the agency's policy; unsaved edits are dropped
    void close();
    void draw();

private:
    void load();
    void save();
    void draw_header();
    void draw_password_card(float width);
    void draw_2fa_card(float width);
    void draw_sessions_card(float width);
    void draw_jita_card(float width); // only when the server sends jita_requires_approval
    void draw_actions(float width);
    void number_field(app::SecurityForm::Field f, float width, const char* hint);

    enum class Phase { loading, ready, failed };
    Phase m_phase = Phase::loading;
    std::string m_agency_id;
    std::string m_load_error;
    app::SecurityForm m_form;
    bool m_busy = false;
    net::Lifetime m_life; // reset on open/close: answers for a screen left behind are dropped
};

} // namespace stronghold::web::views

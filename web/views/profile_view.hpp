// "My profile & security": change password (live policy feedback), two-factor authentication
// (enrol with a QR code, recovery codes shown once, turn off behind re-authentication), and the
// user's sessions (sign out any other device). Opened from the user menu.
//   profile_view.cpp           page frame, cards, password card
//   profile_view_2fa.cpp       two-factor card and its dialogs
//   profile_view_sessions.cpp  sessions card
#pragma once

#include "app/profile.hpp"
#include "app/session.hpp"
#include "net/http.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stronghold::web::views {

class ProfileView {
public:
    std::function<void()> on_back; // "Back to contacts"

    void open(const app::Me& me); // (re)loads 2FA status and sessions; forgets any half-done enrolment
    void close();                 // leaves the screen: secrets typed so far are wiped
    void draw();

private:
    enum class TwoFactor { unknown, off, enrolling, show_codes, on };

    // profile_view.cpp
    void draw_header();
    void draw_password_card(float width);
    void draw_strength(float width);
    void change_password();
    // profile_view_2fa.cpp
    void load_status();
    void draw_2fa_card(float width);
    void draw_2fa_enrolment(float width);
    void draw_2fa_codes(float width);
    void draw_turn_off_confirm();
    void start_enrolment();
    void confirm_code();
    void turn_off();
    // profile_view_sessions.cpp
    void load_sessions();
    void draw_sessions_card(float width);
    void sign_out(const std::string& id);

    const app::Me* m_me = nullptr;
    app::PasswordForm m_password;
    bool m_password_busy = false;

    TwoFactor m_2fa = TwoFactor::unknown;
    std::optional<app::TotpEnrolment> m_enrolment;
    std::string m_code;
    std::string m_code_error;
    std::vector<std::string> m_recovery_codes;
    bool m_2fa_busy = false;
    bool m_confirm_off = false;

    std::optional<std::vector<app::SessionInfo>> m_sessions;
    bool m_sessions_failed = false;
    std::string m_signing_out; // id of the session being signed out
    double m_tick_at = 0;      // next wake-up so "3 min ago" stays true while the page idles

    net::Lifetime m_life; // reset on open/close: answers for a screen left behind are dropped
};

} // namespace stronghold::web::views

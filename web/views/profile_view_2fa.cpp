// Two-factor authentication (IAM-3) on the profile screen: status, enrolment (QR code drawn from
// the server's module matrix, the secret as text, confirm with a code), the recovery codes shown
// once, and turning it off (confirmation, then re-authentication if the proof is stale).
#include "views/profile_view.hpp"

#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/card.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/qr.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/reauth_dialog.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace stronghold::web::views {
namespace {

constexpr const char* k_off_popup = "Turn off two-factor authentication###totp_off";
const ImVec4 k_green{0.09f, 0.55f, 0.27f, 1.0f};

// A small rounded label ("On", "Off", "This device").
void pill(const char* text, ImVec4 fg, ImVec4 bg) {
    ImFont* f = fonts::semibold();
    const float size = f->FontSize * 0.87f;
    const ImVec2 ts = f->CalcTextSizeA(size, 1e9f, 0, text);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float h = ts.y + theme::px(6), w = ts.x + theme::px(16);
    const float y = at.y + std::floor((ImGui::GetTextLineHeight() - h) * 0.5f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(at.x, y), ImVec2(at.x + w, y + h), theme::color(bg), h * 0.5f);
    dl->AddText(f, size, ImVec2(at.x + theme::px(8), y + theme::px(3)), theme::color(fg), text);
    ImGui::Dummy(ImVec2(w, ImGui::GetTextLineHeight()));
}

void wrapped(const char* text, float width) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
}

} // namespace

void ProfileView::load_status() {
    // /me again rather than the dashboard's copy: 2FA may have changed on another device.
    net::get_me(net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        if (!r.ok()) {
            ui::toast("Could not load your security settings: " + net::describe(r));
            return;
        }
        if (m_2fa == TwoFactor::unknown) m_2fa = app::totp_enabled_from_me(r.body) ? TwoFactor::on : TwoFactor::off;
        reauth::set_code_allowed(m_2fa == TwoFactor::on);
    }));
}

void ProfileView::start_enrolment() {
    m_2fa_busy = true;
    reauth::send({.method = "POST", .url = "/api/v1/me/2fa/totp"}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_2fa_busy = false;
        if (reauth::was_cancelled(r)) return;
        if (!r.ok()) {
            ui::toast("Could not start two-factor setup: " + net::describe(r));
            return;
        }
        m_enrolment = app::enrolment_from_json(r.body);
        if (!m_enrolment) {
            ui::toast("The server's QR code could not be read. Try again.");
            return;
        }
        m_code.clear();
        m_code_error.clear();
        m_2fa = TwoFactor::enrolling;
    }));
}

void ProfileView::confirm_code() {
    if (!app::is_totp_code(m_code)) {
        m_code_error = "Enter the 6-digit code your app shows.";
        return;
    }
    m_code_error.clear();
    m_2fa_busy = true;
    const nlohmann::json body = {{"code", app::digits_only(m_code)}};
    reauth::send({.method = "POST", .url = "/api/v1/me/2fa/totp/confirm", .body = reauth::json_body(body)},
                 net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                     m_2fa_busy = false;
                     if (reauth::was_cancelled(r)) return;
                     if (r.ok()) {
                         auto codes = app::recovery_codes_from_json(r.body);
                         m_enrolment.reset(); // the secret is in the user's app now; forget it here
                         m_code.clear();
                         m_recovery_codes = codes.value_or(std::vector<std::string>{});
                         m_2fa = m_recovery_codes.empty() ? TwoFactor::on : TwoFactor::show_codes;
                         reauth::set_code_allowed(true);
                         ui::toast("Two-factor authentication is on.", false);
                         return;
                     }
                     if (r.error && r.error->code == api::ErrorCode::validation_failed) {
                         m_code_error = r.error->message.empty() ? "That code is not correct." : r.error->message;
                         return;
                     }
                     ui::toast("Could not confirm the code: " + net::describe(r));
                 }));
}

void ProfileView::turn_off() {
    m_2fa_busy = true;
    reauth::send({.method = "DELETE", .url = "/api/v1/me/2fa/totp"}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_2fa_busy = false;
        if (reauth::was_cancelled(r)) return;
        if (r.ok()) {
            m_2fa = TwoFactor::off;
            reauth::set_code_allowed(false);
            ui::toast("Two-factor authentication is off.", false);
            return;
        }
        ui::toast("Could not turn off two-factor authentication: " + net::describe(r));
    }));
}

void ProfileView::draw_2fa_enrolment(float width) {
    const auto& p = theme::palette();
    const app::TotpEnrolment& e = *m_enrolment;
    // QR on the left at a whole number of device pixels per module; steps on the right.
    const float module = ui::qr_module_px(e.qr, theme::px(208));
    const float side = ui::qr_side(e.qr, module);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRect(ImVec2(at.x - 1, at.y - 1), ImVec2(at.x + side + 1, at.y + side + 1), theme::color(p.border), theme::px(4));
    ui::draw_qr(dl, at, e.qr, module);
    a11y::node("img", "QR code for your authenticator app", at, ImVec2(at.x + side, at.y + side), {{"data-size", std::to_string(e.qr.size)}});

    const float gap = theme::px(28);
    const float text_w = width - side - gap;
    const float left_x = ImGui::GetCursorPosX();
    const float top_y = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(left_x + side + gap, top_y));
    ImGui::BeginGroup();
    ImGui::PushFont(fonts::semibold());
    ImGui::TextUnformatted("1. Scan the QR code");
    ImGui::PopFont();
    ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
    wrapped("Open your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, ...) and scan it. "
            "Can't scan? Enter this key instead:", text_w);
    ImGui::PopStyleColor();
    // The secret in groups of four, with a copy button that copies it without the spaces.
    const std::string grouped = app::group_secret(e.secret);
    ImGui::PushFont(fonts::semibold());
    ImGui::PushStyleColor(ImGuiCol_Text, p.text);
    ImGui::TextUnformatted(grouped.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    a11y::text_item("status", "Secret key", e.secret, {{"data-secret", e.secret}});
    ImGui::SameLine(0, theme::px(12));
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().FramePadding.y);
    const std::string copy = std::string(fonts::k_icon_copy) + "  Copy##secret";
    if (ui::button("Copy secret key", copy.c_str(), ui::ButtonKind::secondary)) {
        ImGui::SetClipboardText(e.secret.c_str());
        ui::toast("Secret key copied.", false);
    }
    ImGui::Dummy(ImVec2(0, theme::px(4)));
    ImGui::PushFont(fonts::semibold());
    ImGui::TextUnformatted("2. Enter the code it shows");
    ImGui::PopFont();
    const float field_w = std::min(text_w, theme::px(200));
    const auto s = ui::text_field("Authentication code", "code", m_code, m_code_error, field_w, false, m_2fa_busy, "123 456");
    if (s.changed) m_code_error.clear();
    const bool enter = s.entered;
    ImGui::Dummy(ImVec2(0, theme::px(2)));
    if (ui::button("Confirm code", m_2fa_busy ? "Checking..." : "Confirm code", ui::ButtonKind::primary, ImVec2(0, 0), m_2fa_busy) ||
        (enter && !m_2fa_busy))
        confirm_code();
    ImGui::SameLine();
    if (ui::button("Cancel", "Cancel##enrol", ui::ButtonKind::secondary, ImVec2(0, 0), m_2fa_busy)) {
        m_enrolment.reset();
        m_code.clear();
        m_2fa = TwoFactor::off;
    }
    ImGui::EndGroup();
    ImGui::SetCursorPosX(left_x);
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), top_y + side + ImGui::GetStyle().ItemSpacing.y));
    ImGui::Dummy(ImVec2(0, 0));
}

void ProfileView::draw_2fa_codes(float width) {
    const auto& p = theme::palette();
    // A warm box: these are shown once and never again.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 min = ImGui::GetCursorScreenPos();
    ImDrawListSplitter split;
    split.Split(dl, 2);
    split.SetCurrentChannel(dl, 1);
    const float pad = theme::px(16);
    ImGui::Indent(pad);
    ImGui::Dummy(ImVec2(0, pad - ImGui::GetStyle().ItemSpacing.y));
    ImGui::PushFont(fonts::semibold());
    ImGui::Text("%s  Save your recovery codes", fonts::k_icon_key);
    ImGui::PopFont();
    ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
    wrapped("If you lose your phone, each of these codes lets you sign in once. Keep them somewhere safe, "
            "like a password manager. They are shown only now.", width - pad * 2);
    ImGui::PopStyleColor();
    // Two columns of codes, in the order given.
    const ImVec2 list_min = ImGui::GetCursorScreenPos();
    const float col_w = theme::px(190);
    const std::size_t half = (m_recovery_codes.size() + 1) / 2;
    const float x0 = ImGui::GetCursorPosX();
    const float y0 = ImGui::GetCursorPosY();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    ImGui::PushFont(fonts::semibold());
    float list_h = 0;
    std::vector<ImVec2> code_pos;
    for (std::size_t i = 0; i < m_recovery_codes.size(); ++i) {
        const float x = x0 + (i < half ? 0 : col_w);
        const float y = y0 + line * static_cast<float>(i < half ? i : i - half);
        ImGui::SetCursorPos(ImVec2(x, y));
        ImGui::TextUnformatted(m_recovery_codes[i].c_str());
        code_pos.push_back(ImGui::GetItemRectMin());
        list_h = std::max(list_h, y + line - y0);
    }
    ImGui::PopFont();
    a11y::push("list", "Recovery codes", list_min, ImVec2(list_min.x + col_w * 2, list_min.y + list_h));
    for (std::size_t i = 0; i < m_recovery_codes.size(); ++i)
        a11y::text_node("listitem", "", m_recovery_codes[i], code_pos[i], ImVec2(code_pos[i].x + col_w, code_pos[i].y + line));
    a11y::pop();
    ImGui::SetCursorPos(ImVec2(x0, y0 + list_h));
    ImGui::Dummy(ImVec2(0, theme::px(2)));
    const std::string copy = std::string(fonts::k_icon_copy) + "  Copy";
    if (ui::button("Copy", copy.c_str(), ui::ButtonKind::secondary)) {
        std::string all;
        for (const auto& c : m_recovery_codes) all += c + "\n";
        ImGui::SetClipboardText(all.c_str());
        ui::toast("Recovery codes copied.", false);
    }
    ImGui::SameLine();
    if (ui::button("I have saved them", "I have saved them", ui::ButtonKind::primary)) {
        std::fill(m_recovery_codes.begin(), m_recovery_codes.end(), std::string());
        m_recovery_codes.clear();
        m_2fa = TwoFactor::on;
    }
    ImGui::Dummy(ImVec2(0, pad - ImGui::GetStyle().ItemSpacing.y * 2));
    ImGui::Unindent(pad);
    const ImVec2 max(min.x + width, ImGui::GetCursorScreenPos().y - ImGui::GetStyle().ItemSpacing.y);
    split.SetCurrentChannel(dl, 0);
    dl->AddRectFilled(min, max, theme::color({1.0f, 0.98f, 0.93f, 1.0f}), theme::px(8));
    dl->AddRect(min, max, theme::color({0.96f, 0.80f, 0.45f, 1.0f}), theme::px(8));
    split.Merge(dl);
    a11y::node("region", "Recovery codes", min, max);
}

void ProfileView::draw_2fa_card(float width) {
    const auto& p = theme::palette();
    ui::Card card;
    const float inner = ui::card_begin(card, "Two-factor authentication",
                                   "A code from an authenticator app on your phone, asked for after your password.", width);
    // Status line.
    const bool on = m_2fa == TwoFactor::on || m_2fa == TwoFactor::show_codes;
    ui::muted_text("Status");
    ImGui::SameLine(0, theme::px(10));
    const char* status = m_2fa == TwoFactor::unknown ? "Checking..." : on ? "On" : m_2fa == TwoFactor::enrolling ? "Setting up" : "Off";
    if (on) pill("On", k_green, {0.86f, 0.97f, 0.90f, 1});
    else pill(status, p.text_muted, {0.93f, 0.94f, 0.96f, 1});
    a11y::text_item("status", "Two-factor status", status);
    ImGui::Dummy(ImVec2(0, theme::px(2)));

    switch (m_2fa) {
    case TwoFactor::unknown: break;
    case TwoFactor::off: {
        const std::string label = std::string(fonts::k_icon_mobile) + "  Set up two-factor authentication";
        if (ui::button("Set up two-factor authentication", m_2fa_busy ? "Starting..." : label.c_str(), ui::ButtonKind::primary,
                       ImVec2(0, 0), m_2fa_busy))
            start_enrolment();
        break;
    }
    case TwoFactor::enrolling:
        if (m_enrolment) draw_2fa_enrolment(inner);
        break;
    case TwoFactor::show_codes: draw_2fa_codes(inner); break;
    case TwoFactor::on:
        ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
        wrapped("Signing in asks for a code from your authenticator app. Keep your recovery codes for when the phone is not at hand.",
                inner);
        ImGui::PopStyleColor();
        if (ui::button("Turn off two-factor authentication", m_2fa_busy ? "Turning off..." : "Turn off two-factor authentication",
                       ui::ButtonKind::secondary, ImVec2(0, 0), m_2fa_busy))
            m_confirm_off = true;
        break;
    }
    ui::card_end(card);
}

void ProfileView::draw_turn_off_confirm() {
    if (m_confirm_off && !ImGui::IsPopupOpen(k_off_popup)) ImGui::OpenPopup(k_off_popup);
    if (!m_confirm_off && !ImGui::IsPopupOpen(k_off_popup)) return;
    ImGui::SetNextWindowSize(ImVec2(theme::px(460), 0));
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(theme::px(24), theme::px(20)));
    const bool open = ImGui::BeginPopupModal(k_off_popup, nullptr,
                                             ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleVar();
    if (!open) return;
    if (!m_confirm_off) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    const ImVec2 wmin = ImGui::GetWindowPos();
    a11y::push("dialog", "Turn off two-factor authentication", wmin,
               ImVec2(wmin.x + ImGui::GetWindowSize().x, wmin.y + ImGui::GetWindowSize().y), {{"aria-modal", "true"}});
    ui::heading("Turn off two-factor authentication?");
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted("Your account will be protected by your password alone, and your recovery codes stop working. "
                           "You can set it up again at any time.");
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, theme::px(6)));
    const float bw = theme::px(104);
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
    if (ui::button("Cancel", "Cancel##off", ui::ButtonKind::secondary, ImVec2(bw, 0), m_2fa_busy) ||
        (!m_2fa_busy && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))))
        m_confirm_off = false;
    ImGui::SameLine();
    // Closes at once: a re-authentication prompt may follow, and ImGui opens one modal at a time
    // from the root (opening it would close this one anyway).
    if (ui::button("Turn off", "Turn off", ui::ButtonKind::danger, ImVec2(bw, 0), m_2fa_busy)) {
        m_confirm_off = false;
        turn_off();
    }
    a11y::pop();
    ImGui::EndPopup();
}

} // namespace stronghold::web::views

// [SECTION] Page frame
// [SECTION] Password card
#include "views/profile_view.hpp"

#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/card.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/reauth_dialog.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace stronghold::web::views {

// [SECTION] Page frame

void ProfileView::open(const app::Me& me) {
    m_me = &me;
    m_life.reset();
    std::vector<std::string> brands;
    for (const auto& a : me.accounts) brands.push_back(a.name);
    m_password = {};
    m_password.set_context(me.email, me.name, std::move(brands));
    m_password_busy = m_2fa_busy = m_confirm_off = false;
    m_2fa = TwoFactor::unknown;
    m_enrolment.reset();
    m_code.clear();
    m_code_error.clear();
    m_recovery_codes.clear();
    m_sessions.reset();
    m_sessions_failed = false;
    m_signing_out.clear();
    load_status();
    load_sessions();
}

void ProfileView::close() {
    m_life.reset();
    m_password.clear();
    m_enrolment.reset(); // the TOTP secret of an unfinished enrolment
    m_recovery_codes.clear();
    m_code.clear();
}

void ProfileView::draw_header() {
    const std::string who = m_me ? (m_me->name.empty() ? m_me->email : m_me->name + "  \xc2\xb7  " + m_me->email) : std::string();
    if (ui::page_header("My profile & security", who.c_str()) && on_back) on_back();
}

void ProfileView::draw() {
    ui::Page page;
    const float column = ui::page_begin(page, 860);
    draw_header();
    ui::page_body(page, "profile_page");
    draw_password_card(column);
    draw_2fa_card(column);
    draw_sessions_card(column);
    ui::page_end(page);
    draw_turn_off_confirm();
}

// [SECTION] Password card

void ProfileView::draw_strength(float width) {
    using app::PasswordForm;
    const auto& p = theme::palette();
    const app::PasswordFeedback& fb = m_password.feedback();
    if (m_password.text(PasswordForm::fresh).empty()) return;
    static constexpr const char* k_words[] = {"Very weak", "Weak", "Fair", "Good", "Strong"};
    static const ImVec4 k_colors[] = {{0.86f, 0.15f, 0.15f, 1}, {0.92f, 0.35f, 0.05f, 1}, {0.85f, 0.60f, 0.02f, 1},
                                      {0.40f, 0.65f, 0.10f, 1}, {0.09f, 0.64f, 0.29f, 1}};
    const int strength = std::clamp(fb.strength, 0, 4);
    // Four segments; "very weak" lights none but still shows its word in red.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float gap = theme::px(6), h = theme::px(6);
    const float label_w = theme::px(90);
    const float seg = std::floor((width - label_w - gap * 3) / 4);
    for (int i = 0; i < 4; ++i) {
        const ImVec2 a(at.x + i * (seg + gap), at.y + theme::px(6));
        dl->AddRectFilled(a, ImVec2(a.x + seg, a.y + h), theme::color(i < strength ? k_colors[strength] : p.border), h * 0.5f);
    }
    const ImVec2 text_at(at.x + 4 * seg + 3 * gap + theme::px(12), at.y);
    dl->AddText(fonts::semibold(), fonts::semibold()->FontSize, text_at, theme::color(k_colors[strength]), k_words[strength]);
    ImGui::Dummy(ImVec2(width, ImGui::GetTextLineHeight()));
    a11y::node("meter", "Password strength", at, ImVec2(at.x + width, at.y + ImGui::GetTextLineHeight()),
               {{"aria-valuenow", std::to_string(strength)}, {"aria-valuemin", "0"}, {"aria-valuemax", "4"},
                {"aria-valuetext", k_words[strength]}});

    // What the policy still wants, or a tick when it is happy.
    const ImVec2 list_min = ImGui::GetCursorScreenPos();
    a11y::push("list", "Password requirements", list_min, ImVec2(list_min.x + width, list_min.y + theme::px(20)));
    if (fb.ok) {
        ImGui::PushStyleColor(ImGuiCol_Text, k_colors[4]);
        ImGui::Text("%s  Meets the password policy", fonts::k_icon_check);
        ImGui::PopStyleColor();
        a11y::text_item("listitem", "", "Meets the password policy");
    }
    for (const auto& problem : fb.problems) {
        ImGui::PushStyleColor(ImGuiCol_Text, p.danger);
        ImGui::TextUnformatted(fonts::k_icon_times);
        ImGui::PopStyleColor();
        ImGui::SameLine(0, theme::px(8));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - theme::px(24));
        ui::muted_text(problem);
        ImGui::PopTextWrapPos();
        a11y::text_item("listitem", "", problem);
    }
    a11y::pop();
}

void ProfileView::draw_password_card(float width) {
    using app::PasswordForm;
    ui::Card card;
    const float inner = ui::card_begin(card, "Password", "Use a password you don't use anywhere else. Changing it signs out your other sessions.", width);
    const float gap = ImGui::GetStyle().ItemSpacing.x * 2;
    const float half = std::floor((inner - gap) * 0.5f);
    bool submit = false;
    auto field = [&](PasswordForm::Field f, float w) {
        const auto s = ui::text_field(std::string(PasswordForm::k_labels[f]).c_str(), PasswordForm::k_wire[f], m_password.text(f),
                                      m_password.error(f), w, false, m_password_busy, nullptr, /*secret=*/true);
        if (s.changed) m_password.on_edit(f);
        submit |= s.entered && !m_password_busy;
    };
    field(PasswordForm::current, half);
    ImGui::Dummy(ImVec2(0, theme::px(2)));
    // New and confirm side by side, top-aligned; the meter runs under both.
    const ImVec2 row = ImGui::GetCursorPos();
    ImGui::BeginGroup();
    field(PasswordForm::fresh, half);
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(row.x + half + gap, row.y));
    ImGui::BeginGroup();
    field(PasswordForm::confirm, half);
    ImGui::EndGroup();
    ImGui::SetCursorPos(ImVec2(row.x, std::max(left_bottom, ImGui::GetCursorPosY())));
    draw_strength(inner);
    ImGui::Dummy(ImVec2(0, theme::px(2)));
    const char* label = m_password_busy ? "Changing..." : "Change password";
    if (ui::button("Change password", label, ui::ButtonKind::primary, ImVec2(0, 0), m_password_busy) || submit) change_password();
    ui::card_end(card);
}

void ProfileView::change_password() {
    if (!m_password.validate_for_submit()) return;
    m_password_busy = true;
    // Critical action (IAM-6): may ask for a fresh proof first; reauth re-sends it after.
    reauth::send({.method = "POST", .url = "/api/v1/me/password", .body = reauth::json_body(m_password.body())},
                 net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                     m_password_busy = false;
                     if (r.ok()) {
                         m_password.clear();
                         ui::toast("Password changed. Your other sessions were signed out.", false);
                         load_sessions();
                         return;
                     }
                     if (reauth::was_cancelled(r)) return; // the user closed the prompt: nothing to say
                     if (r.error && r.error->code == api::ErrorCode::validation_failed) {
                         m_password.apply_server_error(*r.error);
                         return;
                     }
                     ui::toast("Could not change the password: " + net::describe(r));
                 }));
}

} // namespace stronghold::web::views

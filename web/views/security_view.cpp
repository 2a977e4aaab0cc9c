// [SECTION] Loading and saving
// [SECTION] Page frame
// [SECTION] Cards
#include "views/security_view.hpp"

#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/card.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/reauth_dialog.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace stronghold::web::views {
namespace {

using Field = app::SecurityForm::Field;

std::string policy_url(const std::string& agency_id) { return "/api/v1/agencies/" + agency_id + "/security-policy"; }

// A radio choice with a muted line under it; true when clicked.
bool radio(const char* name, const char* detail, bool active, bool disabled, float width) {
    ImGui::BeginDisabled(disabled);
    const bool clicked = ImGui::RadioButton(name, active);
    ImGui::EndDisabled();
    a11y::item("radio", name, {{"aria-checked", active ? "true" : "false"}});
    ImGui::Indent(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - theme::px(4));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ui::muted_text(detail);
    ImGui::PopTextWrapPos();
    ImGui::Unindent(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x);
    return clicked && !active && !disabled;
}

} // namespace

// [SECTION] Loading and saving

void SecurityView::open(std::string agency_id) {
    m_agency_id = std::move(agency_id);
    m_life.reset();
    m_busy = false;
    m_form = {};
    load();
}

void SecurityView::close() { m_life.reset(); }

void SecurityView::load() {
    m_phase = Phase::loading;
    net::call_api({.method = "GET", .url = policy_url(m_agency_id)}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        auto policy = r.ok() ? app::security_policy_from_json(r.body) : std::nullopt;
        if (!policy) {
            m_phase = Phase::failed;
            m_load_error = r.ok() ? "The server's answer was not understood." : net::describe(r);
            return;
        }
        m_form.load(*policy);
        m_phase = Phase::ready;
    }));
}

void SecurityView::save() {
    auto values = m_form.validate();
    if (!values) return;
    const nlohmann::json patch = m_form.patch(*values);
    if (patch.empty()) return;
    m_busy = true;
    // Critical action (IAM-6): the server may want a fresh proof; reauth re-sends after it.
    reauth::send({.method = "PATCH", .url = policy_url(m_agency_id), .body = reauth::json_body(patch),
                  .headers = {{"If-Match", m_form.if_match()}}},
                 net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                     m_busy = false;
                     if (r.ok()) {
                         if (auto saved = app::security_policy_from_json(r.body)) m_form.load(*saved);
                         else load();
                         ui::toast("Security settings saved.", false);
                         return;
                     }
                     if (reauth::was_cancelled(r)) return; // the user closed the prompt: edits stay
                     if (r.status == 412) {
                         auto current = r.body.is_object() && r.body.contains("current")
                                            ? app::security_policy_from_json(r.body["current"]) : std::nullopt;
                         if (current) m_form.set_conflict(std::move(*current));
                         else load();
                         return;
                     }
                     if (r.error && r.error->code == api::ErrorCode::validation_failed) {
                         m_form.apply_server_error(*r.error);
                         return;
                     }
                     ui::toast("Could not save the security settings: " + net::describe(r));
                 }));
}

// [SECTION] Page frame

void SecurityView::draw_header() {
    if (ui::page_header("Security settings", "Rules for every user of your agency and its sub-accounts. Changes apply at each user's next sign-in or password change.") &&
        on_back)
        on_back();
}

void SecurityView::draw() {
    ui::Page page;
    const float column = ui::page_begin(page, 860);
    draw_header();
    ui::page_body(page, "security_page");
    bool retry = false;
    const ui::PageLoad state = m_phase == Phase::loading ? ui::PageLoad::loading : m_phase == Phase::failed ? ui::PageLoad::failed : ui::PageLoad::ready;
    if (!ui::page_loaded(state, "The security settings", m_load_error, column, retry)) {
        if (retry) load();
    } else {
        draw_password_card(column);
        draw_2fa_card(column);
        draw_sessions_card(column);
        draw_jita_card(column);
        draw_actions(column);
    }
    ui::page_end(page);
}

// [SECTION] Cards

void SecurityView::number_field(Field f, float width, const char* hint) {
    const auto s = ui::text_field(std::string(app::SecurityForm::k_labels[f]).c_str(), app::SecurityForm::k_wire[f], m_form.text(f),
                                  m_form.error(f), width, false, m_busy, hint);
    if (s.changed) m_form.on_edit(f);
    if (s.entered && !m_busy) save();
}

void SecurityView::draw_password_card(float width) {
    ui::Card card;
    const float inner = ui::card_begin(card, "Password policy", "What every password in the agency must meet. Common and breached passwords are always refused.", width);
    const float gap = ImGui::GetStyle().ItemSpacing.x * 2;
    const float half = std::floor((inner - gap) * 0.5f);
    ImGui::PushFont(fonts::semibold());
    ImGui::TextUnformatted("Profile");
    ImGui::PopFont();
    const ImVec2 group_min = ImGui::GetCursorScreenPos();
    a11y::push("radiogroup", "Password profile", group_min, ImVec2(group_min.x + inner, group_min.y + theme::px(110)));
    const ImVec2 row = ImGui::GetCursorPos();
    ImGui::BeginGroup();
    if (radio("Classic", "8+ characters with lower case, upper case, a digit and a symbol.", !m_form.nist(), m_busy, half - theme::px(30)))
        m_form.set_profile(validate::PasswordProfile::classic);
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(row.x + half + gap, row.y));
    ImGui::BeginGroup();
    if (radio("NIST 800-63B", "15+ characters, no composition rules: length beats symbols.", m_form.nist(), m_busy, half - theme::px(30)))
        m_form.set_profile(validate::PasswordProfile::nist);
    ImGui::EndGroup();
    ImGui::SetCursorPos(ImVec2(row.x, std::max(left_bottom, ImGui::GetCursorPosY())));
    a11y::pop();
    ImGui::Dummy(ImVec2(0, theme::px(4)));

    const float third = std::floor((inner - gap * 2) / 3);
    const ImVec2 fields = ImGui::GetCursorPos();
    float bottom = fields.y;
    const Field numbers[] = {Field::min_length, Field::history, Field::max_age};
    const char* hints[] = {"8", "0 = off", "0 = never"};
    for (int i = 0; i < 3; ++i) {
        ImGui::SetCursorPos(ImVec2(fields.x + i * (third + gap), fields.y));
        ImGui::BeginGroup();
        number_field(numbers[i], third, hints[i]);
        ImGui::EndGroup();
        bottom = std::max(bottom, ImGui::GetCursorPosY());
    }
    ImGui::SetCursorPos(ImVec2(fields.x, bottom));
    ui::muted_text("History: the last N passwords may not be reused. Maximum age forces a change at the next sign-in.");
    ImGui::Dummy(ImVec2(0, theme::px(4)));

    ImGui::PushFont(fonts::semibold());
    ImGui::TextUnformatted("Required character classes");
    ImGui::PopFont();
    struct Choice { const char* name; std::uint8_t flag; };
    static constexpr Choice k_classes[] = {{"Lower case letter", validate::password_class::lower},
                                           {"Upper case letter", validate::password_class::upper},
                                           {"Digit", validate::password_class::digit},
                                           {"Symbol or other character", validate::password_class::special}};
    for (std::size_t i = 0; i < std::size(k_classes); ++i) {
        bool on = (m_form.classes() & k_classes[i].flag) != 0;
        if (i > 0) ImGui::SameLine(0, theme::px(24));
        if (ui::checkbox(k_classes[i].name, on, m_busy)) m_form.set_class(k_classes[i].flag, on);
    }
    if (m_form.nist() && m_form.classes() == 0) ui::muted_text("NIST 800-63B advises against composition rules; length is what counts.");
    ui::error_line(m_form.classes_error(), "password_required_classes");
    ui::card_end(card);
}

void SecurityView::draw_2fa_card(float width) {
    ui::Card card;
    ui::card_begin(card, "Two-factor authentication", "When required, users without an authenticator app are sent to set one up at their next sign-in and can do nothing else first.", width);
    bool on = m_form.require_2fa();
    if (ui::checkbox("Require 2FA for every user", on, m_busy)) m_form.set_require_2fa(on);
    ui::card_end(card);
}

void SecurityView::draw_jita_card(float width) {
    if (!m_form.jita_requires_approval()) return;
    ui::Card card;
    ui::card_begin(card, "Staff access", "Platform support staff may ask to reach one sub-account for at most 24 hours. With approval on, "
                   "nothing opens until an owner or admin approves it under Staff access; either way you can revoke it at any time.", width);
    bool on = *m_form.jita_requires_approval();
    if (ui::checkbox("Require approval for staff access", on, m_busy)) m_form.set_jita_requires_approval(on);
    ui::card_end(card);
}

void SecurityView::draw_sessions_card(float width) {
    ui::Card card;
    const float inner = ui::card_begin(card, "Sessions", "Signed-in users are signed out after this long without activity, and after the absolute limit in any case.", width);
    const float gap = ImGui::GetStyle().ItemSpacing.x * 2;
    const float half = std::floor((inner - gap) * 0.5f);
    const ImVec2 row = ImGui::GetCursorPos();
    ImGui::BeginGroup();
    number_field(Field::idle, half, "30");
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(row.x + half + gap, row.y));
    ImGui::BeginGroup();
    number_field(Field::absolute, half, "12");
    ImGui::EndGroup();
    ImGui::SetCursorPos(ImVec2(row.x, std::max(left_bottom, ImGui::GetCursorPosY())));
    ui::card_end(card);
}

void SecurityView::draw_actions(float width) {
    if (m_form.conflict()) {
        if (ui::conflict_banner("Someone else changed these settings while you were editing. Reload to see their values, then make your "
                                "changes again.",
                                width))
            m_form.reload_conflict();
        return;
    }
    if (!m_form.general_error().empty()) ui::error_line(m_form.general_error(), "body");
    const bool dirty = m_form.dirty();
    const char* label = m_busy ? "Saving..." : "Save changes";
    if (ui::button("Save changes", label, ui::ButtonKind::primary, ImVec2(0, 0), m_busy || !dirty)) save();
    ImGui::SameLine();
    if (ui::button("Discard changes", "Discard changes", ui::ButtonKind::secondary, ImVec2(0, 0), m_busy || !dirty)) m_form.load(m_form.base());
    if (!dirty) {
        ImGui::SameLine(0, theme::px(16));
        ui::muted_text("No unsaved changes");
    }
}

} // namespace stronghold::web::views

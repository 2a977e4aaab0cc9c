#include "views/contact_form_view.hpp"

#include "net/api.hpp"
#include "views/conflict_dialog.hpp"
#include "views/member_picker.hpp"
#include "views/history_view.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <stronghold/crypto/crypto.hpp>

#include <imgui.h>

#include <algorithm>

namespace stronghold::web::views {
namespace {
using app::ContactForm;
constexpr const char* k_popup = "contact_form";
constexpr const char* k_delete_popup = "Delete contact";

ImVec2 window_max() {
    return ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y);
}
} // namespace

void ContactFormView::open_new(const std::string& account_id) {
    m_form = ContactForm::for_new();
    // The creator owns it, as the server decides when none is sent (a malformed id, as the dev
    // mock's, is left out: core would refuse it).
    if (crypto::is_id(m_me_id, "us")) m_form.text(ContactForm::owner_id) = m_me_id;
    m_account_id = account_id;
    m_can = {.edit = true, .remove = false};
    m_open = m_open_requested = true;
    m_closing = false;
    m_busy = m_confirm_delete = m_gone = false;
    m_conflict.reset();
    m_conflict_open = false;
    m_history.close();
    m_life.reset();
}

void ContactFormView::open_edit(const std::string& account_id, const model::Contact& contact, FormPermissions can) {
    open_new(account_id);
    m_form = ContactForm::for_edit(contact);
    m_can = can;
    m_history.on_reverted = [this](const nlohmann::json& record) {
        if (auto c = model::contact_from_json(record)) m_form.reload(*c);
        if (on_changed) on_changed();
    };
}

void ContactFormView::close() {
    // May run from a network answer, outside the popup: the popup itself closes in draw().
    m_open = false;
    m_closing = true;
    m_confirm_delete = false;
    m_life.reset(); // an answer still on its way no longer has a dialog to land in
}

void ContactFormView::on_deleted_elsewhere(const std::string& id) {
    if (m_open && m_form.original() && m_form.original()->id == id) m_gone = true;
}

void ContactFormView::save() {
    m_form.clear_errors();
    if (!m_form.validate_all(m_rules)) return;
    if (m_form.editing() && !m_form.has_changes()) { close(); return; }
    m_busy = true;
    auto done = net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_busy = false;
        if (r.ok()) {
            ui::toast(m_form.editing() ? "Contact saved." : "Contact created.", false);
            if (on_changed) on_changed();
            close();
            return;
        }
        if (r.status == 412 && r.body.is_object() && r.body.contains("current")) {
            if (auto current = model::contact_from_json(r.body["current"])) { m_conflict = *current; m_conflict_open = true; return; }
        }
        if (r.error && r.error->code == api::ErrorCode::validation_failed) { m_form.apply_server_error(*r.error); return; }
        if (r.status == 404) m_gone = true;
        ui::toast(net::describe(r));
    });
    if (m_form.editing())
        net::patch_contact(m_account_id, m_form.original()->id, m_form.original()->version, m_form.body(), std::move(done));
    else
        net::create_contact(m_account_id, m_form.body(), std::move(done));
}

void ContactFormView::remove() {
    const model::Contact* c = m_form.original();
    if (!c) return;
    m_busy = true;
    net::delete_contact(m_account_id, c->id, c->version, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_busy = false;
        m_confirm_delete = false;
        if (r.ok() || r.status == 404) {
            ui::toast("Contact deleted.", false);
            if (on_changed) on_changed();
            close();
            return;
        }
        if (r.status == 412 && r.body.is_object() && r.body.contains("current")) {
            if (auto current = model::contact_from_json(r.body["current"])) { m_conflict = *current; m_conflict_open = true; }
            return;
        }
        ui::toast(net::describe(r));
    }));
}

void ContactFormView::draw_fields(float width) {
    const bool ro = !m_can.edit || m_busy;
    const float gap = ImGui::GetStyle().ItemSpacing.x * 1.5f;
    const float half = (width - gap) * 0.5f;
    auto field = [&](ContactForm::Field f, float w, bool multiline, const char* hint) {
        const auto s = ui::text_field(std::string(ContactForm::k_labels[f]).c_str(), ContactForm::k_wire[f], m_form.text(f),
                                      m_form.error(f), w, multiline, ro, hint);
        // Live: once a field has an error, re-check on every keystroke so it clears as soon as
        // it is fixed; otherwise check when the user leaves the field.
        if ((s.changed && !m_form.error(f).empty()) || s.deactivated) m_form.validate_field(f, m_rules);
    };
    // Two fields side by side, top-aligned (SameLine would align text baselines instead).
    const ImVec2 row = ImGui::GetCursorPos();
    ImGui::BeginGroup();
    field(ContactForm::first_name, half, false, nullptr);
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(row.x + half + gap, row.y));
    ImGui::BeginGroup();
    field(ContactForm::last_name, half, false, nullptr);
    ImGui::EndGroup();
    ImGui::SetCursorPos(ImVec2(row.x, std::max(left_bottom, ImGui::GetCursorPosY())));
    field(ContactForm::emails, width, true, nullptr);
    field(ContactForm::phones, width, true, nullptr);
    field(ContactForm::company_name, width, false, nullptr);
    { // the sub-account's members (GET .../members), me first
        std::string& owner = m_form.text(ContactForm::owner_id);
        if (member_select("Owner", "owner_id", owner, m_me_id, width, m_form.error(ContactForm::owner_id), ro))
            m_form.validate_field(ContactForm::owner_id, m_rules);
    }
    field(ContactForm::tags, width, false, "Comma-separated, e.g. vip, newsletter");
    if (!m_form.form_error().empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::palette().danger);
        ImGui::TextWrapped("%s", m_form.form_error().c_str());
        ImGui::PopStyleColor();
        a11y::text_item("alert", "", m_form.form_error(), {{"data-field", ""}});
    }
}

void ContactFormView::draw_conflict() {
    // Their version next to mine, per changed field (views/conflict_dialog), as a dialog over the form.
    static const std::vector<app::ConflictRow> k_none;
    const auto choice = draw_conflict_dialog(m_conflict_open, "contact", m_conflict ? m_form.conflict_rows(*m_conflict) : k_none);
    if (!m_conflict) return;
    switch (choice) {
    case app::ConflictChoice::none: return;
    case app::ConflictChoice::keep_theirs: m_form.reload(*m_conflict); break;
    case app::ConflictChoice::overwrite: m_form.rebase(*m_conflict); break;
    case app::ConflictChoice::merge: m_form.merge(*m_conflict); break;
    }
    m_conflict.reset();
    if (choice != app::ConflictChoice::keep_theirs) save();
}

void ContactFormView::draw_delete_confirm() {
    if (m_confirm_delete && !ImGui::IsPopupOpen(k_delete_popup)) ImGui::OpenPopup(k_delete_popup);
    ImGui::SetNextWindowSize(ImVec2(theme::px(440), 0));
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(theme::px(24), theme::px(20)));
    const bool open = ImGui::BeginPopupModal(k_delete_popup, nullptr, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoTitleBar);
    ImGui::PopStyleVar();
    if (!open) return;
    a11y::push("dialog", "Delete contact", ImGui::GetWindowPos(), window_max(), {{"aria-modal", "true"}});
    ui::heading("Delete contact");
    const std::string name = m_form.original() ? model::display_name(*m_form.original()) : std::string();
    ImGui::PushTextWrapPos(0);
    ImGui::Text("Delete %s? The contact moves to the trash and is removed for good after 30 days.", name.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, theme::px(6)));
    const float bw = theme::px(96);
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
    if (ui::button("Cancel", "Cancel##del", ui::ButtonKind::secondary, ImVec2(bw, 0), m_busy)) {
        m_confirm_delete = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ui::button("Delete", "Delete##confirm", ui::ButtonKind::danger, ImVec2(bw, 0), m_busy)) remove();
    if (!m_confirm_delete) ImGui::CloseCurrentPopup();
    a11y::pop();
    ImGui::EndPopup();
}

void ContactFormView::draw() {
    if (!m_open && !m_closing) return;
    const char* title = m_form.editing() ? "Edit contact" : "New contact";
    const std::string id = std::string(title) + "###" + k_popup;
    if (m_open_requested) {
        ImGui::OpenPopup(id.c_str());
        m_open_requested = false;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(theme::px(560), 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(theme::px(24), theme::px(20)));
    const bool visible = ImGui::BeginPopupModal(id.c_str(), nullptr,
                                                ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleVar();
    if (!visible) { m_open = m_closing = false; return; }
    if (m_closing) {
        m_closing = false;
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    a11y::push("dialog", title, ImGui::GetWindowPos(), window_max(), {{"aria-modal", "true"}});

    ui::heading(title);
    if (m_form.editing()) ui::muted_text(m_can.edit ? "Changes are saved to the shared record; others see them live."
                                                    : "You can view this contact but not change it.");
    ImGui::Separator();
    ImGui::Dummy(ImVec2(0, theme::px(2)));
    if (m_gone) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::palette().danger);
        ImGui::TextWrapped("This contact was deleted by someone else.");
        ImGui::PopStyleColor();
        a11y::text_item("alert", "", "This contact was deleted by someone else.", {{"data-field", ""}});
    }
    draw_conflict();
    draw_fields(ImGui::GetContentRegionAvail().x);

    ImGui::Dummy(ImVec2(0, theme::px(6)));
    const float bw = theme::px(100);
    if (m_form.editing() && !m_gone) {
        const std::string label = std::string(fonts::k_icon_history) + "  History";
        if (ui::button("History", label.c_str(), ui::ButtonKind::ghost)) {
            const model::Contact& c = *m_form.original();
            m_history.open(m_account_id, "contacts", c.id, c.version, m_can.edit, m_me_id);
            m_history.reload();
            m_history.open_dialog();
        }
        ImGui::SameLine();
    }
    if (m_form.editing() && m_can.remove && !m_gone) {
        if (ui::button("Delete", (std::string(fonts::k_icon_trash) + "  Delete").c_str(), ui::ButtonKind::ghost, ImVec2(0, 0), m_busy))
            m_confirm_delete = true;
        ImGui::SameLine();
    }
    const int buttons = m_can.edit && !m_gone ? 2 : 1;
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * buttons - ImGui::GetStyle().ItemSpacing.x * (buttons - 1));
    if (ui::button("Cancel", buttons == 2 ? "Cancel" : "Close", ui::ButtonKind::secondary, ImVec2(bw, 0)) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
        close();
    }
    if (buttons == 2) {
        ImGui::SameLine();
        if (ui::button("Save", m_busy ? "Saving..." : "Save", ui::ButtonKind::primary, ImVec2(bw, 0), m_busy || m_conflict.has_value()))
            save();
    }
    draw_delete_confirm();
    m_history.draw_dialog();
    a11y::pop();
    ImGui::EndPopup();
}

} // namespace stronghold::web::views

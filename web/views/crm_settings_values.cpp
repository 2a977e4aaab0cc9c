// CRM settings: the custom values card (the sub-account's variables, e.g. a booking link used in
// templates). Create and edit go through the generated record form (views/record_form_view:
// core's parser, errors under their field, If-Match, the 412 conflict dialog); delete moves the
// value to the trash.
#include "views/crm_settings_view.hpp"

#include "app/wire_read.hpp"
#include "ui/a11y.hpp"
#include "ui/card.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <stronghold/model/record.hpp>

#include <imgui.h>

#include <algorithm>

namespace stronghold::web::views {
namespace {
using nlohmann::json;

// One line of a long value, cut to `chars` characters (UTF-8 safe).
std::string preview(std::string v, std::size_t chars) {
    v = v.substr(0, v.find('\n'));
    if (v.size() <= chars) return v;
    std::size_t cut = chars;
    while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;
    return v.substr(0, cut) + "\xe2\x80\xa6";
}
} // namespace

void CrmSettingsView::draw_values_card(float width) {
    const auto& p = theme::palette();
    const auto& spec = model::spec_of(model::Kind::custom_value);
    m_value_form.on_saved = [this](const json& saved) {
        const std::string id = app::wire::str(saved, "id");
        auto it = std::find_if(m_values.begin(), m_values.end(), [&](const json& v) { return app::wire::str(v, "id") == id; });
        if (it != m_values.end()) *it = saved; // the form toasts "Custom value saved."
        else m_values.push_back(saved);
        std::sort(m_values.begin(), m_values.end(), [](const json& a, const json& b) { return app::wire::str(a, "name") < app::wire::str(b, "name"); });
    };
    ui::Card card;
    const float inner = ui::card_begin(card, "Custom values",
                                       "Sub-account variables such as a booking link or a support phone number, shared by your whole team.", width);
    ImGui::PushID("values");
    const ImVec2 lmin = ImGui::GetCursorScreenPos();
    a11y::push("list", "Custom values", lmin, ImVec2(lmin.x + inner, lmin.y + theme::px(40)));
    const float bw = theme::px(80);
    for (const auto& v : m_values) {
        ImGui::PushID(app::wire::str(v, "id").c_str());
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float x0 = ImGui::GetCursorPosX();
        const std::string name = app::wire::str(v, "name"), key = app::wire::str(v, "key"), value = app::wire::str(v, "value");
        ImGui::AlignTextToFramePadding();
        ImGui::PushFont(fonts::semibold());
        ImGui::TextUnformatted(name.c_str());
        ImGui::PopFont();
        ImGui::SameLine(x0 + inner * 0.28f);
        ui::muted_text("{{" + key + "}}");
        ImGui::SameLine(x0 + inner * 0.52f);
        ImGui::PushStyleColor(ImGuiCol_Text, value.empty() ? p.text_muted : p.text);
        ImGui::TextUnformatted(value.empty() ? "(empty)" : preview(value, 40).c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine(x0 + inner - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
        if (ui::button("Edit value " + name, (std::string(fonts::k_icon_pencil) + "  Edit").c_str(), ui::ButtonKind::ghost, ImVec2(bw, 0), m_busy))
            m_value_form.open_edit(*m_me, m_account_id, spec, v);
        ImGui::SameLine();
        if (ui::button("Delete value " + name, (std::string(fonts::k_icon_trash) + "  Delete").c_str(), ui::ButtonKind::ghost, ImVec2(bw, 0), m_busy))
            remove("custom-values", v);
        a11y::text_node("listitem", name, name + " (" + key + "): " + value, at, ImVec2(at.x + inner, ImGui::GetItemRectMax().y),
                        {{"data-key", key}, {"data-version", std::to_string(v.is_object() && v.contains("version") && v["version"].is_number_integer() ? v["version"].get<std::int64_t>() : 0)}});
        ImGui::GetWindowDrawList()->AddLine(ImVec2(at.x, ImGui::GetItemRectMax().y + theme::px(4)),
                                            ImVec2(at.x + inner, ImGui::GetItemRectMax().y + theme::px(4)), theme::color(p.border));
        ImGui::Dummy(ImVec2(0, theme::px(2)));
        ImGui::PopID();
    }
    if (m_values.empty()) ui::muted_text("No custom values yet.");
    a11y::pop();
    ImGui::Dummy(ImVec2(0, theme::px(8)));
    if (ui::button("New custom value", (std::string(fonts::k_icon_plus) + "  New value").c_str(), ui::ButtonKind::primary, ImVec2(0, 0), m_busy))
        m_value_form.open_new(*m_me, m_account_id, spec);
    ImGui::PopID();
    ui::card_end(card);
}

} // namespace stronghold::web::views

#include "views/crm_settings_view.hpp"

#include "app/record_form.hpp"
#include "app/wire_read.hpp"
#include "net/records_api.hpp"
#include "ui/a11y.hpp"
#include "ui/card.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/record_common.hpp"

#include <stronghold/model/record.hpp>

#include <imgui.h>

#include <algorithm>

namespace stronghold::web::views {
namespace {
using nlohmann::json;
constexpr const char* k_types[] = {"text", "number", "date", "select", "multi_select", "checkbox", "url", "email", "phone"};
constexpr const char* k_type_labels[] = {"Text", "Number", "Date", "Drop-down", "Multiple choice", "Checkbox", "Web address", "Email", "Phone"};
constexpr const char* k_colors[] = {"#2a63ea", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#64748b"};
constexpr const char* k_color_names[] = {"Blue", "Green", "Amber", "Red", "Violet", "Cyan", "Pink", "Slate"};

ImVec4 parse_color(const std::string& hex) {
    if (hex.size() != 7 || hex[0] != '#') return {0.4f, 0.45f, 0.5f, 1};
    const auto v = std::stoul(hex.substr(1), nullptr, 16);
    return {((v >> 16) & 255) / 255.0f, ((v >> 8) & 255) / 255.0f, (v & 255) / 255.0f, 1};
}

// "Lead source" -> "lead_source"
std::string key_from_label(const std::string& label) {
    std::string out;
    for (char c : label) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
        else if (!out.empty() && out.back() != '_') out += '_';
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    while (!out.empty() && !(out[0] >= 'a' && out[0] <= 'z')) out.erase(out.begin());
    return out.substr(0, 40);
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text + ",") {
        if (c == ',' || c == '\n') {
            while (!cur.empty() && cur.back() == ' ') cur.pop_back();
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else if (!(cur.empty() && c == ' ')) {
            cur += c;
        }
    }
    return out;
}

} // namespace

void CrmSettingsView::open(const app::Me& me, const std::string& account_id) {
    m_me = &me;
    m_account_id = account_id;
    load();
}

void CrmSettingsView::close() {
    m_life.reset();
    m_value_form.close();
    m_busy = false;
}

void CrmSettingsView::load() {
    m_life.reset();
    m_pending = 3;
    m_load_error.clear();
    auto answer = [this](std::vector<json>& into) {
        return net::guard(m_life.weak(), [this, &into](const net::ApiResponse& r) {
            if (!r.ok() || !r.body.contains("items") || !r.body["items"].is_array()) {
                m_load_error = net::describe(r);
            } else {
                into.assign(r.body["items"].begin(), r.body["items"].end());
            }
            --m_pending;
        });
    };
    net::get_list(m_account_id, "custom-fields", "limit=200&sort=name", answer(m_fields));
    net::get_list(m_account_id, "tags", "limit=200&sort=name", answer(m_tags));
    net::get_list(m_account_id, "custom-values", "limit=200&sort=name", answer(m_values));
}

void CrmSettingsView::add_field() {
    m_field_error.clear();
    m_field_error_at.clear();
    const std::string type = k_types[m_type];
    json body = {{"object", std::string(model::k_custom_field_objects[m_object])},
                 {"key", m_key.empty() ? key_from_label(m_label) : m_key},
                 {"label", m_label},
                 {"type", type},
                 {"required", m_required}};
    if (type == "select" || type == "multi_select") body["options"] = split(m_options);
    auto parsed = model::parse_record_create(model::spec_of(model::Kind::custom_field), body, {});
    if (!parsed) {
        m_field_error = wire_message(parsed.error());
        m_field_error_at = parsed.error().field;
        return;
    }
    m_busy = true;
    net::create_record(m_account_id, "custom-fields", body, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_busy = false;
        if (!r.ok()) {
            m_field_error = r.error ? wire_message(*r.error) : net::describe(r);
            m_field_error_at = r.error ? r.error->field : "";
            return;
        }
        ui::toast("Custom field added.", false);
        m_fields.push_back(r.body);
        m_label.clear();
        m_key.clear();
        m_options.clear();
        m_required = false;
    }));
}

std::string CrmSettingsView::wire_message(const api::Error& e) {
    // Under its own field the message stands alone; elsewhere it names the field.
    if (e.field.empty() || e.field == "label" || e.field == "key" || e.field == "options") return app::wire::sentence(e.message);
    return app::field_label(e.field) + " " + e.message;
}

void CrmSettingsView::add_tag() {
    m_tag_error.clear();
    json body = {{"name", m_tag_name}, {"color", k_colors[m_color]}};
    auto parsed = model::parse_record_create(model::spec_of(model::Kind::tag), body, {});
    if (!parsed) { m_tag_error = parsed.error().message; return; }
    m_busy = true;
    net::create_record(m_account_id, "tags", body, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_busy = false;
        if (!r.ok()) { m_tag_error = r.error ? r.error->message : net::describe(r); return; }
        ui::toast("Tag added.", false);
        m_tags.push_back(r.body);
        m_tag_name.clear();
    }));
}

void CrmSettingsView::remove(const std::string& path, const json& item) {
    const std::string id = item.value("id", "");
    const std::int64_t version = item.value("version", std::int64_t{0});
    m_busy = true;
    net::delete_record(m_account_id, path, id, version, net::guard(m_life.weak(), [this, path, id](const net::ApiResponse& r) {
        m_busy = false;
        if (!r.ok() && r.status != 404) { ui::toast(net::describe(r)); return; }
        auto& list = path == "tags" ? m_tags : path == "custom-values" ? m_values : m_fields;
        std::erase_if(list, [&](const json& j) { return j.value("id", "") == id; });
        ui::toast(path == "tags"            ? "Tag deleted."
                  : path == "custom-values" ? "Custom value moved to the trash. Restore it from Trash within 30 days."
                                            : "Custom field deleted.",
                  false);
    }));
}

void CrmSettingsView::draw_fields_card(float width) {
    const auto& p = theme::palette();
    ui::Card card;
    const float inner = ui::card_begin(card, "Custom fields",
                                       "Extra fields your team fills in on contacts, companies, deals and tickets. They appear at the end of each form.", width);
    std::vector<std::string> objects;
    for (auto o : model::k_custom_field_objects) objects.push_back(kind_plural(o));
    ImGui::PushID("fields");
    const float third = (inner - ImGui::GetStyle().ItemSpacing.x * 2) / 3;
    ui::select("Object", "object", m_object, objects, third);
    ImGui::Dummy(ImVec2(0, theme::px(4)));
    // The object's fields.
    int shown = 0;
    const std::string object = std::string(model::k_custom_field_objects[m_object]);
    const ImVec2 lmin = ImGui::GetCursorScreenPos();
    a11y::push("list", "Custom fields", lmin, ImVec2(lmin.x + inner, lmin.y + theme::px(40)));
    for (const auto& f : m_fields) {
        if (f.value("object", "") != object) continue;
        ++shown;
        ImGui::PushID(f.value("id", "").c_str());
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float x0 = ImGui::GetCursorPosX();
        const std::string label = f.value("label", "");
        std::string type = f.value("type", "");
        for (std::size_t k = 0; k < std::size(k_types); ++k)
            if (type == k_types[k]) type = k_type_labels[k];
        ImGui::AlignTextToFramePadding();
        ImGui::PushFont(fonts::semibold());
        ImGui::TextUnformatted(label.c_str());
        ImGui::PopFont();
        ImGui::SameLine(x0 + inner * 0.35f);
        ui::muted_text("custom." + f.value("key", ""));
        ImGui::SameLine(x0 + inner * 0.62f);
        const ImVec2 bp = ImGui::GetCursorScreenPos();
        ImVec2 bs = ui::badge(ImGui::GetWindowDrawList(), ImVec2(bp.x, bp.y + theme::px(5)), type, ui::BadgeKind::accent);
        if (f.value("required", false)) ui::badge(ImGui::GetWindowDrawList(), ImVec2(bp.x + bs.x + theme::px(6), bp.y + theme::px(5)), "Required", ui::BadgeKind::warning);
        ImGui::SameLine(x0 + inner - theme::px(80));
        if (ui::button("Delete field " + label, (std::string(fonts::k_icon_trash) + "  Delete").c_str(), ui::ButtonKind::ghost, ImVec2(theme::px(80), 0), m_busy))
            remove("custom-fields", f);
        a11y::text_node("listitem", label, label + " (" + type + ")", at, ImVec2(at.x + inner, ImGui::GetItemRectMax().y));
        ImGui::GetWindowDrawList()->AddLine(ImVec2(at.x, ImGui::GetItemRectMax().y + theme::px(4)),
                                            ImVec2(at.x + inner, ImGui::GetItemRectMax().y + theme::px(4)), theme::color(p.border));
        ImGui::Dummy(ImVec2(0, theme::px(2)));
        ImGui::PopID();
    }
    if (shown == 0) ui::muted_text("No custom fields on " + kind_plural(object) + " yet.");
    a11y::pop();

    // Add one.
    ImGui::Dummy(ImVec2(0, theme::px(8)));
    ui::heading("Add a field", false);
    const std::string none;
    const ImVec2 row = ImGui::GetCursorPos();
    const float step = third + ImGui::GetStyle().ItemSpacing.x;
    ImGui::BeginGroup();
    const auto s = ui::text_field("Label", "label", m_label, m_field_error_at == "label" ? m_field_error : none, third, false, m_busy, "e.g. Lead source");
    ImGui::EndGroup();
    const float row_bottom = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(row.x + step, row.y));
    ImGui::BeginGroup();
    const std::string auto_key = key_from_label(m_label);
    ui::text_field("Key", "key", m_key, m_field_error_at == "key" ? m_field_error : none, third, false, m_busy,
                   auto_key.empty() ? "lead_source" : auto_key.c_str());
    ImGui::EndGroup();
    ImGui::SetCursorPos(ImVec2(row.x + step * 2, row.y));
    ImGui::BeginGroup();
    std::vector<std::string> types(std::begin(k_type_labels), std::end(k_type_labels));
    ui::select("Type", "type", m_type, types, third);
    ImGui::EndGroup();
    ImGui::SetCursorPos(ImVec2(row.x, std::max(row_bottom, ImGui::GetCursorPosY())));
    const std::string type = k_types[m_type];
    if (type == "select" || type == "multi_select")
        ui::text_field("Options", "options", m_options, m_field_error_at == "options" ? m_field_error : none, inner, false, m_busy,
                       "Comma-separated, e.g. Web, Referral, Event");
    ui::checkbox("Required", m_required, m_busy);
    if (!m_field_error.empty() && m_field_error_at != "label" && m_field_error_at != "key" && m_field_error_at != "options")
        ui::error_line(m_field_error, m_field_error_at, inner);
    if (ui::button("Add field", (std::string(fonts::k_icon_plus) + "  Add field").c_str(), ui::ButtonKind::primary, ImVec2(0, 0),
                   m_busy || m_label.empty()) || (s.entered && !m_label.empty()))
        add_field();
    ImGui::PopID();
    ui::card_end(card);
}

void CrmSettingsView::draw_tags_card(float width) {
    ui::Card card;
    const float inner = ui::card_begin(card, "Tags", "Labels for contacts, companies, deals and tickets; the colour shows on every tag pill.", width);
    ImGui::PushID("tags");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 lmin = ImGui::GetCursorScreenPos();
    a11y::push("list", "Tags", lmin, ImVec2(lmin.x + inner, lmin.y + theme::px(40)));
    for (const auto& t : m_tags) {
        ImGui::PushID(t.value("id", "").c_str());
        const std::string name = t.value("name", "");
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float r = theme::px(6);
        ImGui::AlignTextToFramePadding();
        dl->AddCircleFilled(ImVec2(at.x + r, at.y + ImGui::GetFrameHeight() * 0.5f), r, theme::color(parse_color(t.value("color", ""))));
        ImGui::SetCursorScreenPos(ImVec2(at.x + r * 2 + theme::px(10), at.y));
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(name.c_str());
        ImGui::SameLine(at.x - ImGui::GetWindowPos().x + ImGui::GetScrollX() + inner - theme::px(80));
        if (ui::button("Delete tag " + name, (std::string(fonts::k_icon_trash) + "  Delete").c_str(), ui::ButtonKind::ghost, ImVec2(theme::px(80), 0), m_busy))
            remove("tags", t);
        a11y::text_node("listitem", name, name, at, ImVec2(at.x + inner, ImGui::GetItemRectMax().y), {{"data-color", t.value("color", "")}});
        ImGui::PopID();
    }
    if (m_tags.empty()) ui::muted_text("No tags yet.");
    a11y::pop();
    ImGui::Dummy(ImVec2(0, theme::px(8)));
    ui::heading("Add a tag", false);
    const float w = inner * 0.4f;
    ImGui::BeginGroup();
    const auto s = ui::text_field("Tag name", "name", m_tag_name, m_tag_error, w, false, m_busy, "e.g. vip");
    ImGui::EndGroup();
    ImGui::SameLine(0, theme::px(20));
    ImGui::BeginGroup();
    ui::field_label("Colour");
    for (int i = 0; i < static_cast<int>(std::size(k_colors)); ++i) {
        if (i) ImGui::SameLine(0, theme::px(6));
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float d = ImGui::GetFrameHeight();
        ImGui::PushID(i);
        if (ImGui::InvisibleButton("swatch", ImVec2(d, d))) m_color = i;
        a11y::item("radio", k_color_names[i], {{"aria-checked", m_color == i ? "true" : "false"}});
        ImGui::PopID();
        dl->AddCircleFilled(ImVec2(at.x + d * 0.5f, at.y + d * 0.5f), d * 0.36f, theme::color(parse_color(k_colors[i])));
        if (m_color == i) dl->AddCircle(ImVec2(at.x + d * 0.5f, at.y + d * 0.5f), d * 0.48f, theme::color(theme::palette().text), 0, theme::px(2));
    }
    ImGui::EndGroup();
    if (ui::button("Add tag", (std::string(fonts::k_icon_plus) + "  Add tag").c_str(), ui::ButtonKind::primary, ImVec2(0, 0),
                   m_busy || m_tag_name.empty()) || (s.entered && !m_tag_name.empty()))
        add_tag();
    ImGui::PopID();
    ui::card_end(card);
}

void CrmSettingsView::draw() {
    ui::Page page;
    const float column = ui::page_begin(page, 900);
    if (ui::page_header("CRM settings", "Custom fields, tags and custom values of this sub-account.") && on_back) on_back();
    ui::page_body(page, "crm_settings_page");
    bool retry = false;
    const ui::PageLoad state = m_pending > 0 ? ui::PageLoad::loading : !m_load_error.empty() ? ui::PageLoad::failed : ui::PageLoad::ready;
    if (!ui::page_loaded(state, "The CRM settings", m_load_error, column, retry)) {
        if (retry) load();
    } else {
        draw_fields_card(column);
        ImGui::Dummy(ImVec2(0, theme::px(12)));
        draw_tags_card(column);
        ImGui::Dummy(ImVec2(0, theme::px(12)));
        draw_values_card(column);
    }
    ui::page_end(page);
    m_value_form.draw();
}

} // namespace stronghold::web::views

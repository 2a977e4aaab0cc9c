#include "views/record_form_view.hpp"

#include "app/wire_read.hpp"
#include "net/records_api.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/conflict_dialog.hpp"
#include "views/member_picker.hpp"
#include "views/record_common.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

namespace stronghold::web::views {
namespace {
using model::FieldType;
using nlohmann::json;

std::string id_of(const json& j) { return j.is_object() ? j.value("id", "") : std::string(); }

bool takes_prefix(const app::FormField& f, std::string_view id) {
    for (const auto& p : f.ref_prefixes)
        if (id.size() > p.size() && id.compare(0, p.size(), p) == 0 && id[p.size()] == '_') return true;
    return false;
}

bool is_user_ref(const app::FormField& f) { return f.ref_prefixes.size() == 1 && f.ref_prefixes[0] == "us"; }
bool is_pipeline_ref(const app::FormField& f) { return f.ref_prefixes.size() == 1 && f.ref_prefixes[0] == "pl"; }
bool full_width(const app::FormField& f) {
    return f.type == FieldType::long_text || f.type == FieldType::ref_list || f.type == FieldType::string_list ||
           f.type == FieldType::multi_select;
}

} // namespace

void RecordFormView::open_new(const app::Me& me, const std::string& account_id, const model::ObjectSpec& spec, const json& preset) {
    close();
    m_me = &me;
    m_account_id = account_id;
    m_spec = &spec;
    m_record = json::object();
    m_preset = preset.is_object() ? preset : json::object();
    m_open = true;
    load_schema();
}

void RecordFormView::open_edit(const app::Me& me, const std::string& account_id, const model::ObjectSpec& spec, const json& record) {
    open_new(me, account_id, spec);
    m_record = record;
    if (m_ready) start_form(); // a kind whose schema needs no request (custom values, tags) started as new: again, as an edit
}

void RecordFormView::close() {
    m_open = m_ready = m_busy = m_gone = false;
    m_conflict.reset();
    m_conflict_open = false;
    m_pick_field.clear();
    m_pick_results.clear();
    m_load_error.clear();
    m_life.reset();
    m_search_life.reset();
}

// Custom fields of the object and, for deals, the pipelines with their stages.
void RecordFormView::load_schema() {
    m_custom.clear();
    m_pipelines.clear();
    m_pending = 0;
    auto fail = [this](const net::ApiResponse& r) { m_load_error = "The form could not be loaded: " + net::describe(r); };
    if (m_spec->custom_fields) {
        ++m_pending;
        net::get_list(m_account_id, "custom-fields", "limit=200&object%5Beq%5D=" + std::string(m_spec->name),
                      net::guard(m_life.weak(), [this, fail](const net::ApiResponse& r) {
                          if (!r.ok() || !r.body.contains("items") || !r.body["items"].is_array()) return fail(r);
                          for (const auto& item : r.body["items"])
                              if (auto def = model::custom_field_from_data(id_of(item), item)) m_custom.push_back(std::move(*def));
                          if (--m_pending == 0) start_form();
                      }));
    }
    if (model::field_of(*m_spec, "pipeline_id")) {
        ++m_pending;
        net::get_list(m_account_id, "pipelines", "limit=200", net::guard(m_life.weak(), [this, fail](const net::ApiResponse& r) {
                          if (!r.ok() || !r.body.contains("items") || !r.body["items"].is_array()) return fail(r);
                          for (const auto& item : r.body["items"]) m_pipelines.push_back(item);
                          if (--m_pending == 0) start_form();
                      }));
    }
    if (m_pending == 0) start_form();
}

void RecordFormView::start_form() {
    if (m_record.is_object() && !id_of(m_record).empty()) {
        m_form = app::RecordForm::for_edit(*m_spec, m_custom, m_record);
    } else {
        json preset = m_preset;
        // A new deal starts in the first pipeline's first stage.
        if (model::field_of(*m_spec, "pipeline_id") && !preset.contains("pipeline_id") && !m_pipelines.empty()) {
            preset["pipeline_id"] = id_of(m_pipelines.front());
            const auto& stages = m_pipelines.front().value("stages", json::array());
            if (stages.is_array() && !stages.empty()) preset["stage_id"] = id_of(stages.front());
        }
        m_form = app::RecordForm::for_new(*m_spec, m_custom, preset);
    }
    for (const auto& p : m_pipelines) m_titles[id_of(p)] = p.value("name", "");
    if (m_me) m_titles[m_me->user_id] = "Me (" + (m_me->name.empty() ? m_me->email : m_me->name) + ")";
    m_ready = true;
    resolve_titles();
}

// Titles of linked records the form shows but has not seen yet (GET each once).
void RecordFormView::resolve_titles() {
    for (std::size_t i = 0; i < m_form.fields().size(); ++i) {
        const auto& f = m_form.fields()[i];
        if ((f.type != FieldType::ref && f.type != FieldType::ref_list) || is_user_ref(f) || is_pipeline_ref(f)) continue;
        const json v = m_form.value_json(i);
        std::vector<std::string> ids;
        if (v.is_string() && !v.get<std::string>().empty()) ids.push_back(v.get<std::string>());
        if (v.is_array())
            for (const auto& e : v)
                if (e.is_string()) ids.push_back(e.get<std::string>());
        for (const auto& id : ids) {
            if (m_titles.count(id)) continue;
            m_titles[id] = id; // asked once
            const auto us = id.find('_');
            const std::string prefix = id.substr(0, us);
            const model::ObjectSpec* spec = model::spec_by_prefix(prefix);
            const std::string path = prefix == "ct" ? "contacts" : spec ? std::string(spec->path) : "";
            if (path.empty()) continue;
            net::get_record(m_account_id, path, id, net::guard(m_life.weak(), [this, id, spec](const net::ApiResponse& r) {
                if (!r.ok() || !r.body.is_object()) return;
                if (spec) m_titles[id] = model::record_title(*spec, r.body);
                else {
                    const std::string name = (r.body.value("first_name", "") + " " + r.body.value("last_name", ""));
                    m_titles[id] = name == " " ? id : name;
                }
            }));
        }
    }
}

void RecordFormView::search(const std::string& q) {
    m_pick_sent = q;
    m_search_life.reset();
    net::quick_search(m_account_id, q, net::guard(m_search_life.weak(), [this](const net::ApiResponse& r) {
        m_pick_results.clear();
        if (!r.ok() || !r.body.contains("items") || !r.body["items"].is_array()) return;
        for (const auto& item : r.body["items"]) {
            m_pick_results.push_back(item);
            m_titles[id_of(item)] = item.value("title", "");
        }
    }));
}

void RecordFormView::save() {
    m_form.clear_errors();
    if (!m_form.validate_all()) return;
    if (m_form.editing() && !m_form.has_changes()) { close(); return; }
    m_busy = true;
    auto done = net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        m_busy = false;
        if (r.ok() && r.body.is_object()) {
            ui::toast(kind_singular(m_spec->name) + (m_form.editing() ? " saved." : " created."), false);
            if (on_saved) on_saved(r.body);
            close();
            return;
        }
        if (r.status == 412 && r.body.is_object() && r.body.contains("current") && r.body["current"].is_object()) {
            m_conflict = r.body["current"];
            m_conflict_open = true;
            return;
        }
        // 422, and a 409 naming its field (a custom value's or tag's name already taken): under the field.
        if (r.error && r.error->code == api::ErrorCode::validation_failed) { m_form.apply_server_error(*r.error); return; }
        if (r.error && r.error->code == api::ErrorCode::conflict && !r.error->field.empty()) {
            api::Error e = *r.error; // the store names its kind by its wire name: say it in words
            e.message = "already used by another " + kind_in_text(m_spec->name);
            m_form.apply_server_error(e);
            return;
        }
        if (r.status == 404) m_gone = true;
        ui::toast(net::describe(r));
    });
    const std::string path(m_spec->path);
    if (m_form.editing()) net::patch_record(m_account_id, path, m_form.id(), m_form.version(), m_form.body(), std::move(done));
    else net::create_record(m_account_id, path, m_form.body(), std::move(done));
}

void RecordFormView::draw_picker(std::size_t i, float width) {
    const auto& p = theme::palette();
    const app::FormField& f = m_form.fields()[i];
    const bool many = f.type == FieldType::ref_list;
    std::vector<std::string> ids;
    {
        const json v = m_form.value_json(i);
        if (v.is_string() && !v.get<std::string>().empty()) ids.push_back(v.get<std::string>());
        if (v.is_array())
            for (const auto& e : v)
                if (e.is_string()) ids.push_back(e.get<std::string>());
    }
    auto title = [&](const std::string& id) { auto it = m_titles.find(id); return it == m_titles.end() ? id : it->second; };
    const bool ro = m_busy || (f.immutable && m_form.editing());
    ImGui::PushID(f.name.c_str());
    ui::field_label(f.label.c_str());
    std::string preview;
    for (const auto& id : ids) preview += (preview.empty() ? "" : ", ") + title(id);
    // The chooser: looks like a drop-down; a popup searches the sub-account (quick search).
    const std::string shown = preview.empty() ? std::string("Search to link a record...") : preview;
    ImGui::PushStyleColor(ImGuiCol_Border, m_form.error(i).empty() ? p.border : p.danger);
    ImGui::PushStyleColor(ImGuiCol_Button, p.surface);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, p.row_hover);
    ImGui::PushStyleColor(ImGuiCol_Text, preview.empty() ? p.text_muted : p.text);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0, 0.5f));
    ImGui::BeginDisabled(ro);
    const float clear_w = ids.empty() || ro ? 0.0f : ImGui::GetFrameHeight();
    if (ImGui::Button((shown + "##pick").c_str(), ImVec2(width - clear_w - (clear_w > 0 ? ImGui::GetStyle().ItemSpacing.x : 0), 0))) {
        m_pick_field = f.name;
        m_pick_query.clear();
        m_pick_results.clear();
        m_pick_sent = "\x01";
        ImGui::OpenPopup("picker");
    }
    ImGui::EndDisabled();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor(4);
    a11y::text_item("combobox", f.label, preview, {{"aria-expanded", m_pick_field == f.name ? "true" : "false"}, {"data-field", f.name}});
    if (clear_w > 0) {
        ImGui::SameLine();
        if (ui::button("Clear " + f.label, fonts::k_icon_times, ui::ButtonKind::ghost, ImVec2(clear_w, 0))) {
            m_form.text(i).clear();
            m_form.validate_field(i);
        }
    }
    ImGui::SetNextWindowSize(ImVec2(width, 0));
    if (ImGui::BeginPopup("picker")) {
        const ImVec2 wmin = ImGui::GetWindowPos();
        a11y::push("listbox", "Choose " + f.label, wmin, ImVec2(wmin.x + ImGui::GetWindowSize().x, wmin.y + ImGui::GetWindowSize().y));
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        ImGui::SetNextItemWidth(-1);
        const std::string hint = std::string(fonts::k_icon_search) + "  Type a name";
        ImGui::InputTextWithHint("##q", hint.c_str(), &m_pick_query);
        a11y::textbox("Search " + f.label, m_pick_query);
        if (m_pick_query != m_pick_sent && !m_pick_query.empty()) search(m_pick_query);
        int shown_n = 0;
        for (const auto& item : m_pick_results) {
            const std::string id = id_of(item);
            if (!takes_prefix(f, id) || (many && std::find(ids.begin(), ids.end(), id) != ids.end())) continue;
            const std::string label = std::string(kind_icon(item.value("kind", ""))) + "  " + item.value("title", "") + "##" + id;
            if (ImGui::Selectable(label.c_str())) {
                if (many) m_form.text(i) += (m_form.text(i).empty() ? "" : ", ") + id;
                else m_form.text(i) = id;
                m_form.validate_field(i);
                ImGui::CloseCurrentPopup();
            }
            a11y::item("option", item.value("title", ""), {{"data-id", id}});
            ++shown_n;
        }
        if (shown_n == 0)
            ui::muted_text(m_pick_query.empty() ? "Start typing to search." : "No matching records.");
        a11y::pop();
        ImGui::EndPopup();
    } else if (m_pick_field == f.name) {
        m_pick_field.clear();
    }
    if (!m_form.error(i).empty()) ui::error_line(app::wire::sentence(m_form.error(i)), f.name, width);
    ImGui::PopID();
}

void RecordFormView::draw_field(std::size_t i, float width) {
    const app::FormField& f = m_form.fields()[i];
    const bool ro = m_busy || (f.immutable && m_form.editing());
    std::string& text = m_form.text(i);
    const std::string error = app::wire::sentence(m_form.error(i)); // the server's words, as a sentence
    auto choose = [&](const std::vector<std::string>& labels, const std::vector<std::string>& values, const char* placeholder) {
        int index = -1;
        for (std::size_t k = 0; k < values.size(); ++k)
            if (values[k] == text) index = static_cast<int>(k);
        ImGui::PushID(f.name.c_str());
        const bool changed = ui::select(f.label.c_str(), f.name, index, labels, width, error, ro, placeholder) && index >= 0;
        ImGui::PopID();
        if (changed) {
            text = values[static_cast<std::size_t>(index)];
            m_form.validate_field(i);
        }
        return changed;
    };
    switch (f.type) {
    case FieldType::checkbox: {
        ImGui::Dummy(ImVec2(0, ImGui::GetTextLineHeight() + ImGui::GetStyle().ItemSpacing.y));
        if (ui::checkbox(f.label.c_str(), m_form.flag(i), ro)) m_form.validate_field(i);
        if (!error.empty()) ui::error_line(error, f.name, width);
        return;
    }
    case FieldType::select: {
        std::vector<std::string> labels, values;
        if (!f.required) { labels.push_back("None"); values.push_back(""); }
        for (const auto& o : f.options) {
            labels.push_back(app::field_label(o));
            values.push_back(o);
        }
        choose(labels, values, "Choose...");
        return;
    }
    case FieldType::ref: {
        if (is_user_ref(f)) { // the sub-account's members (GET .../members), me first
            ImGui::PushID(f.name.c_str());
            if (member_select(f.label.c_str(), f.name, text, m_me, width, error, ro)) m_form.validate_field(i);
            ImGui::PopID();
            return;
        }
        if (is_pipeline_ref(f)) {
            std::vector<std::string> labels, values;
            for (const auto& pl : m_pipelines) { labels.push_back(pl.value("name", "")); values.push_back(id_of(pl)); }
            const std::string before = text;
            if (choose(labels, values, "Choose a pipeline")) {
                if (text != before) // the stage belongs to the pipeline: start at its first stage
                    if (auto s = m_form.index_of("stage_id"))
                        for (const auto& pl : m_pipelines)
                            if (id_of(pl) == text) {
                                const auto& st = pl.value("stages", json::array());
                                m_form.text(*s) = st.is_array() && !st.empty() ? id_of(st.front()) : "";
                            }
            }
            return;
        }
        draw_picker(i, width);
        return;
    }
    case FieldType::ref_list: draw_picker(i, width); return;
    default: break;
    }
    if (f.name == "stage_id") { // a text field on the wire; the chosen pipeline's stages here
        std::vector<std::string> labels, values;
        if (auto pi = m_form.index_of("pipeline_id"))
            for (const auto& pl : m_pipelines)
                if (id_of(pl) == m_form.text(*pi) && pl.contains("stages") && pl["stages"].is_array())
                    for (const auto& st : pl["stages"]) { labels.push_back(st.value("name", "")); values.push_back(id_of(st)); }
        if (!labels.empty()) {
            choose(labels, values, "Choose a stage");
            return;
        }
    }
    const char* hint = nullptr;
    switch (f.type) {
    case FieldType::date: hint = "YYYY-MM-DD"; break;
    case FieldType::url: hint = "https://"; break;
    case FieldType::phone: hint = "+1 555 0100"; break;
    case FieldType::string_list: hint = "Comma-separated, e.g. vip, partner"; break;
    case FieldType::multi_select: hint = "Comma-separated options"; break;
    case FieldType::color: hint = "#2a63ea"; break;
    default: break;
    }
    ImGui::PushID(f.name.c_str());
    const auto s = ui::text_field(f.label.c_str(), f.name, text, error, width, f.type == FieldType::long_text, ro, hint);
    ImGui::PopID();
    if ((s.changed && !error.empty()) || s.deactivated) m_form.validate_field(i);
    if (s.entered) save();
}

void RecordFormView::draw_fields(float width) {
    const float gap = ImGui::GetStyle().ItemSpacing.x * 2.0f;
    const float half = (width - gap) * 0.5f;
    // Two columns, top-aligned; long text and lists take the whole width.
    const auto& fields = m_form.fields();
    const float x0 = ImGui::GetCursorPosX();
    float y = ImGui::GetCursorPosY();
    auto cell = [&](std::size_t i, float x, float w) {
        ImGui::SetCursorPos(ImVec2(x, y));
        ImGui::BeginGroup();
        draw_field(i, w);
        ImGui::EndGroup();
        return ImGui::GetCursorPosY();
    };
    for (std::size_t i = 0; i < fields.size();) {
        if (full_width(fields[i])) {
            y = cell(i, x0, width);
            ++i;
            continue;
        }
        float bottom = cell(i, x0, half);
        if (i + 1 < fields.size() && !full_width(fields[i + 1])) {
            bottom = std::max(bottom, cell(i + 1, x0 + half + gap, half));
            i += 2;
        } else {
            ++i;
        }
        y = bottom;
    }
    ImGui::SetCursorPos(ImVec2(x0, y));
    if (!m_form.form_error().empty()) ui::error_line(app::wire::sentence(m_form.form_error()), "", width);
}

void RecordFormView::draw() {
    if (!m_spec) return;
    const bool editing = m_record.is_object() && !id_of(m_record).empty();
    const std::string title = (editing ? "Edit " : "New ") + kind_in_text(m_spec->name);
    bool wanted = m_open;
    if (!ui::begin_dialog(title.c_str(), wanted, 640)) {
        if (!wanted && m_open) close();
        return;
    }
    if (!wanted) m_open = false;
    ui::heading(title.c_str());
    ui::muted_text(editing ? "Changes are saved to the shared record; everyone sees them at once."
                   : m_spec->custom_fields ? "Custom fields your team set up for this object appear at the end."
                                           : "Saved for everyone in this sub-account.");
    ImGui::Separator();
    ImGui::Dummy(ImVec2(0, theme::px(2)));
    if (m_gone) ui::error_line("This record was deleted by someone else.", "", 0);
    const float body_h = std::min(theme::px(460), ImGui::GetMainViewport()->Size.y - theme::px(260));
    if (!m_load_error.empty()) {
        ui::error_line(m_load_error, "", 0);
    } else if (!m_ready) {
        // The body keeps its final height while the schema loads: the dialog is centred once, as it appears.
        const ImVec2 at = ImGui::GetCursorScreenPos();
        ImGui::Dummy(ImVec2(0, body_h));
        ui::spinner(ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowWidth() * 0.5f, at.y + body_h * 0.4f), theme::px(12));
        a11y::text_node("status", "Form", "Loading...", at, ImVec2(at.x + theme::px(100), at.y + body_h));
        platform::request_redraw();
    } else {
        ImGui::BeginChild("fields", ImVec2(0, body_h), false);
        draw_fields(ImGui::GetContentRegionAvail().x - theme::px(6));
        ImGui::EndChild();
    }
    ImGui::Separator();
    ImGui::Dummy(ImVec2(0, theme::px(4)));
    const float bw = theme::px(100);
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
    if (ui::button("Cancel", "Cancel", ui::ButtonKind::secondary, ImVec2(bw, 0))) m_open = false;
    ImGui::SameLine();
    if (ui::button("Save", m_busy ? "Saving..." : "Save", ui::ButtonKind::primary, ImVec2(bw, 0),
                   m_busy || !m_ready || m_gone || m_conflict.has_value()))
        save();

    static const std::vector<app::ConflictRow> k_none;
    const auto choice = draw_conflict_dialog(m_conflict_open, kind_in_text(m_spec->name).c_str(), m_conflict ? m_form.conflict_rows(*m_conflict) : k_none);
    if (m_conflict && choice != app::ConflictChoice::none) {
        const json current = *m_conflict;
        m_conflict.reset();
        if (choice == app::ConflictChoice::keep_theirs) {
            m_form.keep_theirs(current);
            m_record = current;
        } else {
            if (choice == app::ConflictChoice::overwrite) m_form.overwrite(current);
            else m_form.merge(current);
            m_record = current;
            save();
        }
    }
    ui::end_dialog();
    if (!m_open) close();
}

} // namespace stronghold::web::views

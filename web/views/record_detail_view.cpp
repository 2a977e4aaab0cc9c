#include "views/record_detail_view.hpp"

#include "app/record_form.hpp"
#include "app/wire_read.hpp"
#include "net/records_api.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/member_picker.hpp"
#include "views/record_common.hpp"

#include <stronghold/model/contact.hpp>

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

namespace stronghold::web::views {
namespace {
using nlohmann::json;
using model::Kind;

std::string id_of(const json& j) { return j.is_object() ? j.value("id", "") : std::string(); }
std::int64_t version_of(const json& j) {
    return j.is_object() && j.contains("version") && j["version"].is_number_integer() ? j["version"].get<std::int64_t>() : 0;
}
ImVec2 rect_max() { return ImGui::GetItemRectMax(); }

} // namespace

// Common to records and contacts: false when `record` is already open (then only refreshed).
bool RecordDetailView::start(const app::Me& me, const std::string& account_id, const model::ObjectSpec* spec, const json& record) {
    const std::string id = id_of(record);
    if (id == m_id && account_id == m_account_id) { set_record(record); return false; }
    close();
    m_me = &me;
    m_account_id = account_id;
    m_spec = spec;
    m_is_contact = spec == nullptr;
    m_id = id;
    m_record = record;
    m_history.on_reverted = [this](const json& rec) {
        set_record(rec);
        if (on_changed) on_changed(rec);
    };
    m_sub_form.on_saved = [this](const json& rec) {
        const std::string id = id_of(rec);
        const std::string path = id.rfind("dl_", 0) == 0 ? "deals" : id.rfind("tk_", 0) == 0 ? "tickets" : "tasks";
        for (auto& r : m_related)
            if (r.path == path) load_related(r);
    };
    return true;
}

void RecordDetailView::add_related(const char* title, Kind kind, std::string params, std::string one_id) {
    Related r;
    r.title = title;
    r.spec = &model::spec_of(kind);
    r.path = std::string(r.spec->path);
    r.params = std::move(params);
    r.one_id = std::move(one_id);
    m_related.push_back(std::move(r));
}

void RecordDetailView::open(const app::Me& me, const std::string& account_id, const model::ObjectSpec& spec, const json& record) {
    if (!start(me, account_id, &spec, record)) return;
    const std::string eid = platform::url_encode(m_id);
    const bool attachable = spec.kind == Kind::company || spec.kind == Kind::deal || spec.kind == Kind::ticket;
    if (attachable) add_related("Notes", Kind::note, "limit=50&sort=-created_at&record_id=" + eid);
    if (attachable) add_related("Tasks", Kind::task, "limit=50&sort=-updated_at&record_id%5Beq%5D=" + eid);
    if (spec.kind == Kind::company) add_related("Deals", Kind::deal, "limit=50&sort=-updated_at&company_id%5Beq%5D=" + eid);
    for (auto& r : m_related) load_related(r);
}

// A contact: its company (company_id), deals (contact_ids has it), tickets (contact_id), tasks and
// notes (record_id), through the lists' filters.
void RecordDetailView::open_contact(const app::Me& me, const std::string& account_id, const json& contact) {
    if (!start(me, account_id, nullptr, contact)) return;
    const std::string eid = platform::url_encode(m_id);
    const std::string company = app::wire::str(contact, "company_id"); // null when none
    if (!company.empty()) add_related("Company", Kind::company, "", company);
    add_related("Deals", Kind::deal, "limit=50&sort=-updated_at&contact_ids%5Beq%5D=" + eid);
    add_related("Tickets", Kind::ticket, "limit=50&sort=-updated_at&contact_id%5Beq%5D=" + eid);
    add_related("Tasks", Kind::task, "limit=50&sort=-updated_at&record_id%5Beq%5D=" + eid);
    add_related("Notes", Kind::note, "limit=50&sort=-created_at&record_id=" + eid);
    for (auto& r : m_related) load_related(r);
}

std::string RecordDetailView::ref_title(const std::string& id) {
    if (auto it = m_ref_titles.find(id); it != m_ref_titles.end()) return it->second.empty() ? "Loading..." : it->second;
    const std::string prefix = id.substr(0, id.find('_'));
    const model::ObjectSpec* spec = nullptr;
    for (const auto& s : model::object_specs())
        if (s.prefix == prefix) spec = &s;
    if (!spec && prefix != "ct") return id;
    m_ref_titles[id] = "";
    net::get_record(m_account_id, spec ? std::string(spec->path) : "contacts", id,
                    net::guard(m_life.weak(), [this, id, spec](const net::ApiResponse& r) {
                        std::string name = id; // gone or not visible: the id
                        if (r.ok() && spec) name = model::record_title(*spec, r.body);
                        else if (r.ok())
                            if (auto c = model::contact_from_json(r.body)) name = model::display_name(*c);
                        m_ref_titles[id] = name.empty() ? id : name;
                    }));
    return "Loading...";
}

std::string RecordDetailView::path() const { return m_is_contact ? "contacts" : std::string(m_spec->path); }
std::string RecordDetailView::kind_name() const { return m_is_contact ? "contact" : std::string(m_spec->name); }
std::string RecordDetailView::title() const {
    if (!m_is_contact) return model::record_title(*m_spec, m_record);
    if (auto c = model::contact_from_json(m_record)) {
        const std::string name = model::display_name(*c);
        if (!name.empty()) return name;
    }
    return "(unnamed contact)";
}
bool RecordDetailView::may(access::Verb verb) const {
    return m_is_contact ? allowed(m_me, m_account_id, access::Object::contact, verb) : allowed(m_me, m_account_id, *m_spec, verb);
}

void RecordDetailView::close() {
    m_life.reset();
    m_history.close();
    m_sub_form.close();
    m_related.clear();
    m_ref_titles.clear();
    m_id.clear();
    m_record = json::object();
    m_note.clear();
    m_show_history = m_confirm_delete = m_busy = m_note_busy = false;
    m_spec = nullptr;
    m_is_contact = false;
}

void RecordDetailView::set_record(const json& record) {
    if (id_of(record) != m_id) return;
    m_record = record;
    m_history.set_current_version(version_of(record));
    if (m_show_history) m_history.reload();
}

void RecordDetailView::refresh(bool quiet) {
    if (m_id.empty()) return;
    net::get_record(m_account_id, path(), m_id, net::guard(m_life.weak(), [this, quiet](const net::ApiResponse& r) {
        if (r.ok() && r.body.is_object()) set_record(r.body);
        else if (r.status == 404) {
            if (!quiet) ui::toast("This record was deleted by someone else.");
            const std::string id = m_id;
            close();
            if (on_deleted) on_deleted(id);
        }
    }));
}

void RecordDetailView::on_related_change(std::string_view kind) {
    for (auto& r : m_related)
        if (r.spec && r.spec->name == kind) load_related(r);
}

void RecordDetailView::load_related(Related& r) {
    r.loading = true;
    const std::string path = r.path;
    auto done = net::guard(m_life.weak(), [this, path](const net::ApiResponse& resp) {
        for (auto& rel : m_related) {
            if (rel.path != path) continue;
            rel.loading = false;
            rel.items.clear();
            if (!rel.one_id.empty() && resp.ok() && resp.body.is_object()) { rel.error.clear(); rel.items.push_back(resp.body); return; }
            if (!resp.ok() || !resp.body.contains("items") || !resp.body["items"].is_array()) {
                // Not allowed to see them, or the company was deleted: an empty list.
                rel.error = resp.status == 403 || resp.status == 404 ? "" : net::describe(resp);
                return;
            }
            rel.error.clear();
            for (const auto& item : resp.body["items"]) rel.items.push_back(item);
        }
    });
    if (!r.one_id.empty()) net::get_record(m_account_id, r.path, r.one_id, std::move(done));
    else net::get_list(m_account_id, r.path, r.params, std::move(done));
}

void RecordDetailView::add_note() {
    std::string body = m_note;
    if (body.find_first_not_of(" \n\t") == std::string::npos) return;
    const auto& spec = model::spec_of(Kind::note);
    auto parsed = model::parse_record_create(spec, {{"body", body}, {"record_id", m_id}}, {});
    if (!parsed) { ui::toast(parsed.error().message); return; }
    m_note_busy = true;
    net::create_record(m_account_id, "notes", {{"body", body}, {"record_id", m_id}},
                       net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                           m_note_busy = false;
                           if (!r.ok()) { ui::toast(net::describe(r)); return; }
                           m_note.clear();
                           for (auto& rel : m_related)
                               if (rel.path == "notes") rel.items.insert(rel.items.begin(), r.body);
                       }));
}

void RecordDetailView::remove() {
    m_busy = true;
    net::delete_record(m_account_id, path(), m_id, version_of(m_record),
                       net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                           m_busy = false;
                           m_confirm_delete = false;
                           if (r.ok() || r.status == 404) {
                               ui::toast(kind_singular(kind_name()) + " moved to the trash. Restore it from Trash within 30 days.", false);
                               const std::string id = m_id;
                               close();
                               if (on_deleted) on_deleted(id);
                               return;
                           }
                           if (r.status == 412 && r.body.contains("current")) {
                               set_record(r.body["current"]);
                               ui::toast("Someone changed this record a moment ago. Check it, then delete again.");
                               return;
                           }
                           ui::toast(net::describe(r));
                       }));
}

namespace {

// One "Label   value" line of the fields block; a select-like value as a coloured pill.
void field_row(const std::string& label, const std::string& text, const std::string& data_field, float width,
               const char* badge_value = nullptr) {
    const auto& p = theme::palette();
    const float label_w = theme::px(120);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine(label_w);
    if (badge_value && !text.empty()) {
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const ImVec2 s = ui::badge(ImGui::GetWindowDrawList(), ImVec2(pos.x, pos.y - theme::px(2)), text, badge_of(badge_value));
        ImGui::Dummy(ImVec2(s.x, ImGui::GetTextLineHeight()));
    } else {
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - label_w);
        ImGui::PushStyleColor(ImGuiCol_Text, text.empty() ? p.border : p.text);
        ImGui::TextUnformatted(text.empty() ? "\xe2\x80\x94" : text.c_str());
        ImGui::PopStyleColor();
        ImGui::PopTextWrapPos();
    }
    a11y::text_node("cell", label, text, at, ImVec2(at.x + width, rect_max().y), {{"data-field", data_field}});
}

void draw_custom_values(const json& record, float width) {
    if (record.contains("custom") && record["custom"].is_object())
        for (const auto& [key, v] : record["custom"].items()) field_row(app::field_label(key), app::display_value(v), "custom." + key, width);
}

// The strings of c[key] joined by ", " (missing, null or mistyped: "").
std::string joined(const json& c, const char* key) {
    std::string out;
    const json list = c.is_object() && c.contains(key) ? c[key] : json();
    if (list.is_array())
        for (const auto& v : list)
            if (v.is_string()) out += (out.empty() ? "" : ", ") + v.get<std::string>();
    return out;
}

} // namespace

void RecordDetailView::draw_fields(float width) {
    if (m_is_contact) { draw_contact_fields(width); return; }
    for (const auto& f : m_spec->fields) {
        if (f.name == m_spec->title_field || f.type == model::FieldType::stages) continue;
        const json v = app::data_value(m_record, f.name);
        std::string text = app::display_value(v);
        const bool user_ref = f.ref_prefixes.size() == 1 && f.ref_prefixes[0] == "us";
        if (f.type == model::FieldType::ref && user_ref) text = member_name(text, m_me);
        else if (f.type == model::FieldType::ref && f.name != "pipeline_id" && !text.empty()) text = ref_title(text);
        else if (f.type == model::FieldType::ref_list && v.is_array()) { // "Ada Allen, Bo Brown"
            text.clear();
            for (const auto& id : v)
                if (id.is_string()) text += (text.empty() ? "" : ", ") + ref_title(id.get<std::string>());
        }
        const bool select = f.type == model::FieldType::select;
        const std::string raw = app::display_value(v);
        field_row(app::field_label(f.name), select ? app::field_label(text) : text, std::string(f.name), width, select ? raw.c_str() : nullptr);
    }
    if (m_spec->custom_fields) draw_custom_values(m_record, width);
}

// A contact's own fields (the wire names of model/contact.hpp); the company row names the linked
// company when it is loaded (its related list), else the typed company name.
void RecordDetailView::draw_contact_fields(float width) {
    const json& c = m_record; // null members (owner_id, company_id) read as "" through wire::str
    field_row("Email", joined(c, "emails"), "emails", width);
    field_row("Phone", joined(c, "phones"), "phones", width);
    std::string company = app::wire::str(c, "company_name");
    for (const auto& r : m_related)
        if (!r.one_id.empty() && !r.items.empty()) company = model::record_title(*r.spec, r.items.front());
    field_row("Company", company, "company", width);
    const std::string stage = app::wire::str(c, "lifecycle_stage");
    field_row("Lifecycle stage", app::field_label(stage), "lifecycle_stage", width, stage.c_str());
    field_row("Source", app::wire::str(c, "source"), "source", width);
    field_row("Owner", member_name(app::wire::str(c, "owner_id"), m_me), "owner_id", width);
    field_row("Tags", joined(c, "tags"), "tags", width);
    draw_custom_values(c, width);
}

void RecordDetailView::draw_notes(Related& r, float width) {
    const auto& p = theme::palette();
    ImGui::PushID("notes");
    ImGui::PushStyleColor(ImGuiCol_Border, p.border);
    ImGui::InputTextMultiline("##note", &m_note, ImVec2(width, ImGui::GetTextLineHeight() * 3 + ImGui::GetStyle().FramePadding.y * 2));
    ImGui::PopStyleColor();
    a11y::textbox("New note", m_note);
    if (m_note.empty()) {
        const ImVec2 min = ImGui::GetItemRectMin();
        ImGui::GetWindowDrawList()->AddText(ImVec2(min.x + ImGui::GetStyle().FramePadding.x, min.y + ImGui::GetStyle().FramePadding.y),
                                            theme::color(p.text_muted), "Write a note for your team...");
    }
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + width - theme::px(100));
    if (ui::button("Add note", m_note_busy ? "Adding..." : "Add note", ui::ButtonKind::primary, ImVec2(theme::px(100), 0), m_note_busy)) add_note();
    for (const auto& n : r.items) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        ImGui::Dummy(ImVec2(0, theme::px(2)));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
        ImGui::TextUnformatted(n.value("body", "").c_str());
        ImGui::PopTextWrapPos();
        const std::string author = app::wire::str(n, "author_id");
        const std::string meta = (author.empty() ? std::string("Someone") : member_name(author, m_me)) + " \xc2\xb7 " +
                                 relative_time_iso(n.value("created_at", ""));
        ui::muted_text(meta);
        const ImVec2 end = ImGui::GetItemRectMax();
        ImGui::GetWindowDrawList()->AddLine(ImVec2(at.x, end.y + theme::px(6)), ImVec2(at.x + width, end.y + theme::px(6)),
                                            theme::color(p.border));
        ImGui::Dummy(ImVec2(0, theme::px(6)));
        a11y::text_node("listitem", "Note", n.value("body", ""), at, ImVec2(at.x + width, end.y));
    }
    ImGui::PopID();
}

void RecordDetailView::draw_related(Related& r, float width) {
    const auto& p = theme::palette();
    ImGui::Dummy(ImVec2(0, theme::px(10)));
    const std::string head = r.title + (r.items.empty() ? "" : "  (" + std::to_string(r.items.size()) + ")");
    ImGui::PushFont(fonts::semibold());
    ImGui::TextUnformatted(head.c_str());
    ImGui::PopFont();
    a11y::text_item("heading", r.title, r.title, {{"aria-level", "4"}});
    if (r.path != "notes" && r.one_id.empty() && allowed(m_me, m_account_id, *r.spec, access::Verb::create)) {
        ImGui::SameLine(width - theme::px(70));
        const std::string name = "New " + kind_singular(r.spec->name) + " for this record";
        const std::string label = std::string(fonts::k_icon_plus) + "  Add##" + r.path;
        if (ui::button(name, label.c_str(), ui::ButtonKind::ghost, ImVec2(theme::px(70), 0))) {
            json preset = json::object();
            if (r.path == "tasks") preset["record_id"] = m_id;
            if (r.path == "deals") preset[m_is_contact ? "contact_ids" : "company_id"] = m_is_contact ? json::array({m_id}) : json(m_id);
            if (r.path == "tickets") preset["contact_id"] = m_id;
            m_sub_form.titles()[m_id] = title();
            m_sub_form.open_new(*m_me, m_account_id, *r.spec, preset);
        }
    }
    const ImVec2 lmin = ImGui::GetCursorScreenPos();
    a11y::push("list", r.title, lmin, ImVec2(lmin.x + width, lmin.y + theme::px(30) * static_cast<float>(std::max<std::size_t>(1, r.items.size()))));
    if (r.path == "notes") draw_notes(r, width);
    else if (r.loading && r.items.empty()) ui::muted_text("Loading...");
    else if (!r.error.empty()) ui::error_line(r.error, "", width);
    else if (r.items.empty()) ui::muted_text("None yet.");
    else
        for (const auto& item : r.items) {
            const std::string title = model::record_title(*r.spec, item);
            const ImVec2 at = ImGui::GetCursorScreenPos();
            std::string right;
            const std::string status = app::wire::str(item, "status");
            if (r.path == "tasks") right = app::data_value(item, "done") == json(true) ? "Done" : app::wire::str(item, "due_date");
            if (r.path == "deals" || r.path == "tickets") right = app::field_label(status);
            // The row opens the record (the dashboard shows it on its own screen).
            ImGui::PushID(id_of(item).c_str());
            if (ImGui::Selectable("##open", false, 0, ImVec2(width, 0)) && on_open_related) on_open_related(std::string(r.spec->name), id_of(item));
            if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
            ImGui::PopID();
            ImGui::SameLine(0, 0);
            ImGui::SetCursorScreenPos(at);
            ImGui::TextUnformatted((std::string(kind_icon(r.spec->name)) + "  " + title).c_str());
            if (!right.empty()) {
                const ImVec2 s = ui::badge_size(right);
                ui::badge(ImGui::GetWindowDrawList(), ImVec2(at.x + width - s.x, at.y - theme::px(1)), right, badge_of(right == "Done" ? "Yes" : status));
            }
            a11y::text_node("listitem", title, title + (right.empty() ? "" : " - " + right), at, ImVec2(at.x + width, rect_max().y),
                            {{"data-id", id_of(item)}});
            (void)p;
        }
    a11y::pop();
}

void RecordDetailView::draw(float width, float height) {
    if (m_id.empty() || (!m_spec && !m_is_contact)) return;
    const auto& p = theme::palette();
    ImGui::PushStyleColor(ImGuiCol_ChildBg, p.surface);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(theme::px(20), theme::px(16)));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, theme::px(10));
    ImGui::BeginChild("record_detail", ImVec2(width, height), true);
    ImGui::PopStyleVar(2);
    const ImVec2 wmin = ImGui::GetWindowPos();
    const std::string title = this->title();
    a11y::push("region", m_is_contact ? "Contact details" : "Record details", wmin, ImVec2(wmin.x + width, wmin.y + height), {{"data-id", m_id}});
    const float inner = ImGui::GetContentRegionAvail().x;

    // Header: kind, title, close.
    ui::muted_text(std::string(kind_icon(kind_name())) + "  " + kind_singular(kind_name()));
    ImGui::SameLine(inner - theme::px(24));
    if (ui::button("Close details", fonts::k_icon_times, ui::ButtonKind::ghost, ImVec2(theme::px(28), 0))) {
        ImGui::EndChild();
        ImGui::PopStyleColor();
        a11y::pop();
        close();
        return;
    }
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + inner);
    ImGui::PushFont(fonts::title());
    ImGui::TextUnformatted(title.c_str());
    ImGui::PopFont();
    ImGui::PopTextWrapPos();
    a11y::text_item("heading", title, title, {{"aria-level", "3"}});

    const bool can_edit = may(access::Verb::edit);
    const bool can_delete = may(access::Verb::remove);
    if (can_edit) {
        if (ui::button("Edit", (std::string(fonts::k_icon_pencil) + "  Edit").c_str(), ui::ButtonKind::primary) && on_edit) on_edit(m_record);
        ImGui::SameLine();
    }
    const std::string hist_label = std::string(fonts::k_icon_history) + (m_show_history ? "  Details" : "  History");
    if (ui::button(m_show_history ? "Show details" : "History", hist_label.c_str(), ui::ButtonKind::secondary)) {
        m_show_history = !m_show_history;
        if (m_show_history) {
            m_history.open(m_account_id, path(), m_id, version_of(m_record), can_edit, m_me->user_id);
            m_history.reload();
        }
    }
    if (can_delete) {
        ImGui::SameLine();
        if (ui::button("Delete", (std::string(fonts::k_icon_trash) + "  Delete").c_str(), ui::ButtonKind::ghost, ImVec2(0, 0), m_busy))
            m_confirm_delete = true;
    }
    ImGui::Dummy(ImVec2(0, theme::px(4)));
    ImGui::Separator();
    ImGui::Dummy(ImVec2(0, theme::px(4)));

    ImGui::BeginChild("detail_scroll", ImVec2(0, 0), false);
    const float w = ImGui::GetContentRegionAvail().x - theme::px(4);
    if (m_show_history) {
        ImGui::PushFont(fonts::semibold());
        ImGui::TextUnformatted("History");
        ImGui::PopFont();
        a11y::text_item("heading", "History", "History", {{"aria-level", "4"}});
        m_history.draw_inline(w);
    } else {
        draw_fields(w);
        for (auto& r : m_related) draw_related(r, w);
    }
    ImGui::EndChild();

    if (ui::begin_dialog("Delete record", m_confirm_delete, 440)) {
        ui::heading(("Delete " + title + "?").c_str());
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted("It moves to the trash, where it can be restored for 30 days.");
        ImGui::PopTextWrapPos();
        ImGui::Dummy(ImVec2(0, theme::px(6)));
        const float bw = theme::px(96);
        ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
        if (ui::button("Cancel", "Cancel##del", ui::ButtonKind::secondary, ImVec2(bw, 0), m_busy)) m_confirm_delete = false;
        ImGui::SameLine();
        if (ui::button("Delete", "Delete##confirm", ui::ButtonKind::danger, ImVec2(bw, 0), m_busy)) remove();
        ui::end_dialog();
    }
    a11y::pop();
    ImGui::EndChild();
    ImGui::PopStyleColor();
    m_sub_form.draw();
}

} // namespace stronghold::web::views

#include "views/records_view.hpp"

#include "app/record_form.hpp"
#include "net/records_api.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/member_picker.hpp"
#include "views/record_common.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

namespace stronghold::web::views {
namespace {
using model::FieldType;
using nlohmann::json;
constexpr double k_search_debounce_ms = 300;


std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

} // namespace

RecordsView::RecordsView(model::Kind kind)
    : m_spec(model::spec_of(kind)), m_list([this](const app::RecordPageRequest& page) { fetch_page(page); }) {
    // Columns: selects, dates, numbers and checkboxes first (what a list is scanned by), then short
    // text until there are three; the owner and tags get their own columns.
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& f : m_spec.fields) {
            if (m_columns.size() >= 3 || f.name == m_spec.title_field) continue;
            const bool first = f.type == FieldType::select || f.type == FieldType::date || f.type == FieldType::number ||
                               f.type == FieldType::checkbox;
            const bool second = f.type == FieldType::text || f.type == FieldType::url || f.type == FieldType::phone ||
                                f.type == FieldType::email;
            if ((pass == 0 && first) || (pass == 1 && second && f.name != "stage_id" && f.name != "currency")) m_columns.push_back(&f);
        }
    // The owner (assignee) by name from the member directory, then tags.
    if (!m_spec.owner_field.empty())
        if (const auto* owner = model::field_of(m_spec, m_spec.owner_field)) m_columns.push_back(owner);
    if (const auto* tags = model::field_of(m_spec, "tags")) m_columns.push_back(tags);
    for (const auto& f : m_spec.fields)
        if (f.type == FieldType::select) m_filterable.push_back(&f);
    auto saved = [this](const json& record) {
        m_list.reload();
        if (m_detail.is_open()) m_detail.set_record(record);
    };
    m_form.on_saved = saved;
    m_detail.on_edit = [this](const json& record) { m_form.open_edit(*m_me, m_account_id, m_spec, record); };
    m_detail.on_deleted = [this](const std::string& id) {
        m_list.remove_local(id);
        m_selected.erase(id);
        m_list.reload();
    };
    m_detail.on_changed = [this](const json&) { m_list.reload(); };
    m_detail.on_open_related = [this](const std::string& kind, const std::string& id) {
        if (on_open_related) on_open_related(kind, id);
    };
}

void RecordsView::open(const app::Me& me, const std::string& account_id) {
    m_me = &me;
    if (account_id == m_account_id) return;
    m_life.reset();
    m_account_id = account_id;
    m_search.clear();
    m_applied_search.clear();
    m_filters.clear();
    m_tag_filter.clear();
    m_selected.clear();
    m_form.close();
    m_detail.close();
    m_io.set_account(account_id);
    m_io.on_imported = [this] { m_list.reload(); };
    apply_query();
}

void RecordsView::apply_query() {
    app::RecordListQuery q{.account_id = m_account_id, .path = std::string(m_spec.path), .q = m_applied_search, .sort = m_sort};
    for (const auto& [field, value] : m_filters) q.filters.emplace_back(field + "[eq]", value);
    m_list.set_query(q);
}

void RecordsView::fetch_page(const app::RecordPageRequest& page) {
    net::list_records(page, net::guard(m_life.weak(), [this, page](const net::ApiResponse& r) {
        if (!r.ok() || !r.body.is_object() || !r.body.contains("items") || !r.body["items"].is_array()) {
            m_list.on_page_failed(page);
            ui::toast("Could not load " + lower(kind_plural(m_spec.name)) + ": " + net::describe(r));
            return;
        }
        std::vector<json> items(r.body["items"].begin(), r.body["items"].end());
        std::optional<std::string> next;
        if (r.body.contains("next_cursor") && r.body["next_cursor"].is_string()) next = r.body["next_cursor"].get<std::string>();
        std::optional<std::int64_t> total;
        if (r.body.contains("total") && r.body["total"].is_number_integer()) total = r.body["total"].get<std::int64_t>();
        m_list.on_page(page, std::move(items), std::move(next), total);
    }));
}

void RecordsView::on_live(const net::LiveEvent& event) {
    if (event.account_id != m_account_id) return;
    const std::string prefix = std::string(m_spec.name) + ".";
    if (event.type.rfind(prefix, 0) == 0 || event.type == "bulk_changed") {
        m_list.reload();
        if (m_detail.is_open() && (event.id == m_detail.id() || event.type == "bulk_changed")) m_detail.refresh();
    }
    for (const char* related : {"note.", "task.", "deal.", "ticket."})
        if (event.type.rfind(related, 0) == 0 && m_detail.is_open())
            m_detail.on_related_change(event.type.substr(0, event.type.find('.')));
}

void RecordsView::select_row(const json& row) { m_detail.open(*m_me, m_account_id, m_spec, row); }

void RecordsView::show_record(const std::string& id) {
    net::get_record(m_account_id, std::string(m_spec.path), id, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        if (!r.ok() || !r.body.is_object()) {
            ui::toast("Could not open the " + lower(kind_singular(m_spec.name)) + ": " + net::describe(r));
            return;
        }
        select_row(r.body);
    }));
}

void RecordsView::bulk(const std::string& action, const std::string& tag, const std::string& owner) {
    if (m_selected.empty()) return;
    json body = {{"ids", std::vector<std::string>(m_selected.begin(), m_selected.end())}, {"action", action}};
    if (!tag.empty()) body["tag"] = tag;
    if (action == "assign") body["owner_id"] = owner;
    m_bulk_busy = true;
    const std::size_t n = m_selected.size();
    const std::string who = member_name(owner, m_me) == "You" ? "you" : member_name(owner, m_me);
    net::bulk_records(m_account_id, std::string(m_spec.path), body, net::guard(m_life.weak(), [this, action, n, who](const net::ApiResponse& r) {
        m_bulk_busy = false;
        m_bulk_tag_open = m_bulk_delete_open = m_bulk_assign_open = false;
        if (!r.ok()) { ui::toast(net::describe(r)); return; }
        const std::string what = std::to_string(n) + " " + lower(n == 1 ? kind_singular(m_spec.name) : kind_plural(m_spec.name));
        ui::toast(action == "delete" ? what + " moved to the trash." : action == "tag" ? "Tagged " + what + "." : "Assigned " + what + " to " + who + ".", false);
        if (action == "delete") {
            for (const auto& id : m_selected) m_list.remove_local(id);
            if (m_selected.count(m_detail.id())) m_detail.close();
            m_selected.clear();
        } else if (m_detail.is_open()) {
            m_detail.refresh();
        }
        m_bulk_tag.clear();
        m_list.reload();
    }));
}

void RecordsView::draw_filters() {
    const auto& p = theme::palette();
    const int active = static_cast<int>(m_filters.size());
    const std::string label = std::string(fonts::k_icon_filter) + (active ? "  Filters (" + std::to_string(active) + ")" : "  Filters");
    if (ui::button("Filters", label.c_str(), active ? ui::ButtonKind::primary : ui::ButtonKind::secondary)) ImGui::OpenPopup("filters");
    // Hangs under the button, right-aligned with it.
    ImGui::SetNextWindowPos(ImVec2(ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y + theme::px(6)), ImGuiCond_Always, ImVec2(1, 0));
    ImGui::SetNextWindowSize(ImVec2(theme::px(300), 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(theme::px(16), theme::px(14)));
    if (ImGui::BeginPopup("filters")) {
        const ImVec2 wmin = ImGui::GetWindowPos();
        a11y::push("dialog", "Filters", wmin, ImVec2(wmin.x + ImGui::GetWindowSize().x, wmin.y + ImGui::GetWindowSize().y));
        ui::heading("Filter the list", false);
        const float w = ImGui::GetContentRegionAvail().x;
        bool changed = false;
        for (const auto* f : m_filterable) {
            std::vector<std::string> labels{"Any"};
            int index = 0;
            const std::string name(f->name);
            for (std::size_t k = 0; k < f->options.size(); ++k) {
                labels.push_back(app::field_label(f->options[k]));
                if (m_filters.count(name) && m_filters[name] == f->options[k]) index = static_cast<int>(k + 1);
            }
            const std::string lbl = app::field_label(f->name);
            if (ui::select(lbl.c_str(), name, index, labels, w)) {
                if (index <= 0) m_filters.erase(name);
                else m_filters[name] = std::string(f->options[static_cast<std::size_t>(index - 1)]);
                changed = true;
            }
        }
        if (model::field_of(m_spec, "tags")) {
            const auto s = ui::text_field("Tag", "tags", m_tag_filter, "", w, false, false, "e.g. vip");
            if (s.deactivated || s.entered) {
                std::string t = m_tag_filter;
                while (!t.empty() && t.back() == ' ') t.pop_back();
                if (t.empty()) m_filters.erase("tags");
                else m_filters["tags"] = t;
                changed = true;
            }
        }
        ImGui::Dummy(ImVec2(0, theme::px(4)));
        if (ui::button("Clear filters", "Clear filters", ui::ButtonKind::ghost, ImVec2(0, 0), m_filters.empty())) {
            m_filters.clear();
            m_tag_filter.clear();
            changed = true;
        }
        if (changed) apply_query();
        a11y::pop();
        ImGui::EndPopup();
    }
    ImGui::PopStyleVar();
    (void)p;
}

void RecordsView::draw_toolbar() {
    const auto& p = theme::palette();
    const bool can_create = allowed(m_me, m_account_id, m_spec, access::Verb::create);
    const std::string plural = kind_plural(m_spec.name);
    ui::heading(plural.c_str());
    ImGui::SameLine(0, theme::px(12));
    {
        const auto total = m_list.total();
        const std::string count = total ? ui::with_thousands(*total) + " " + lower(*total == 1 ? kind_singular(m_spec.name) : plural)
                                        : std::string("Loading...");
        const float dy = (fonts::title()->FontSize - fonts::body()->FontSize) * 0.6f;
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + dy);
        ui::muted_text(count);
        a11y::text_item("status", plural + " count", count);
    }
    const std::string singular_lower = lower(kind_singular(m_spec.name));
    const float search_w = theme::px(260);
    const std::string new_label = std::string(fonts::k_icon_plus) + "  New " + singular_lower;
    ImGui::PushFont(fonts::semibold());
    const float new_w = can_create ? ImGui::CalcTextSize(new_label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2 + theme::px(8) : 0;
    const float filter_w = ImGui::CalcTextSize("  Filters (0)").x + theme::px(40);
    ImGui::PopFont();
    const float sp = ImGui::GetStyle().ItemSpacing.x;
    const float right = ImGui::GetWindowContentRegionMax().x;
    const float row_y = ImGui::GetItemRectMin().y - ImGui::GetWindowPos().y;
    // CSV import (CRM-4): companies and deals, for whoever may import them and contacts.
    const bool can_import = (m_spec.kind == model::Kind::company || m_spec.kind == model::Kind::deal) &&
                            allowed(m_me, m_account_id, m_spec, access::Verb::import_) &&
                            allowed(m_me, m_account_id, m_spec, access::Verb::create) &&
                            allowed(m_me, m_account_id, access::Object::contact, access::Verb::import_);
    const float io_w = m_io.toolbar_width(false, can_import);
    ImGui::SameLine(right - search_w - filter_w - sp - io_w - (can_create ? new_w + sp : 0));
    ImGui::SetCursorPosY(row_y - theme::px(2));
    if (!m_filterable.empty() || model::field_of(m_spec, "tags")) draw_filters();
    else ImGui::Dummy(ImVec2(filter_w, 0));
    ImGui::SameLine(right - search_w - io_w - (can_create ? new_w + sp : 0));
    ImGui::SetCursorPosY(row_y - theme::px(2));
    ImGui::SetNextItemWidth(search_w);
    ImGui::PushStyleColor(ImGuiCol_Border, p.border);
    const std::string hint = std::string(fonts::k_icon_search) + "  Search " + lower(plural);
    if (ImGui::InputTextWithHint("##search", hint.c_str(), &m_search)) {
        m_search_edited_ms = platform::now_ms();
        platform::redraw_after(static_cast<int>(k_search_debounce_ms) + 20);
    }
    ImGui::PopStyleColor();
    if (ImGui::IsItemActive())
        ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), theme::color(p.accent),
                                            ImGui::GetStyle().FrameRounding, 0, theme::px(1.5f));
    a11y::textbox("Search " + lower(plural), m_search);
    if (can_import) {
        ImGui::SameLine();
        ImGui::SetCursorPosY(row_y - theme::px(2));
        m_io.draw_toolbar(false, true, {}, {});
    }
    if (can_create) {
        ImGui::SameLine();
        ImGui::SetCursorPosY(row_y - theme::px(2));
        if (ui::button("New " + singular_lower, new_label.c_str(), ui::ButtonKind::primary, ImVec2(new_w, 0)))
            m_form.open_new(*m_me, m_account_id, m_spec);
    }
    if (m_search_edited_ms >= 0 && platform::now_ms() - m_search_edited_ms >= k_search_debounce_ms) {
        m_search_edited_ms = -1;
        std::string q = m_search;
        while (!q.empty() && q.back() == ' ') q.pop_back();
        while (!q.empty() && q.front() == ' ') q.erase(q.begin());
        if (q != m_applied_search) {
            m_applied_search = q;
            apply_query();
        }
    }
}

void RecordsView::draw_bulk_bar() {
    const auto& p = theme::palette();
    const float h = theme::px(48);
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, ImVec2(min.x + w, min.y + h), theme::color(theme::accent_soft()), theme::px(10));
    const std::string count = std::to_string(m_selected.size()) + " selected";
    ImGui::SetCursorScreenPos(ImVec2(min.x + theme::px(16), min.y + (h - ImGui::GetFrameHeight()) * 0.5f));
    ImGui::AlignTextToFramePadding();
    ImGui::PushFont(fonts::semibold());
    ImGui::PushStyleColor(ImGuiCol_Text, theme::accent_hover());
    ImGui::TextUnformatted(count.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    a11y::text_item("status", "Selection", count);
    ImGui::SameLine(0, theme::px(18));
    const bool has_tags = model::field_of(m_spec, "tags") != nullptr;
    const bool can_edit = allowed(m_me, m_account_id, m_spec, access::Verb::edit);
    const bool can_delete = allowed(m_me, m_account_id, m_spec, access::Verb::remove);
    if (has_tags && can_edit) {
        if (ui::button("Tag selected", (std::string(fonts::k_icon_tag) + "  Add tag").c_str(), ui::ButtonKind::secondary, ImVec2(0, 0), m_bulk_busy))
            m_bulk_tag_open = true;
        ImGui::SameLine();
    }
    if (!m_spec.owner_field.empty() && can_edit) {
        const std::string label = std::string(fonts::k_icon_user) + "  Assign to...";
        if (ui::button("Assign selected", label.c_str(), ui::ButtonKind::secondary, ImVec2(0, 0), m_bulk_busy)) {
            m_bulk_owner = m_me ? m_me->user_id : std::string();
            m_bulk_assign_open = true;
        }
        ImGui::SameLine();
    }
    if (can_delete) {
        if (ui::button("Delete selected", (std::string(fonts::k_icon_trash) + "  Delete").c_str(), ui::ButtonKind::danger, ImVec2(0, 0), m_bulk_busy))
            m_bulk_delete_open = true;
        ImGui::SameLine();
    }
    if (ui::button("Clear selection", "Clear selection", ui::ButtonKind::ghost)) m_selected.clear();
    ImGui::SetCursorScreenPos(ImVec2(min.x, min.y + h + theme::px(8)));
    ImGui::Dummy(ImVec2(0, 0));

    if (ui::begin_dialog("Add tag", m_bulk_tag_open, 420)) {
        ui::heading(("Tag " + count.substr(0, count.find(' ')) + " " + lower(kind_plural(m_spec.name))).c_str());
        const auto s = ui::text_field("Tag", "tag", m_bulk_tag, "", ImGui::GetContentRegionAvail().x, false, m_bulk_busy, "e.g. vip");
        const float bw = theme::px(96);
        ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
        if (ui::button("Cancel", "Cancel##tag", ui::ButtonKind::secondary, ImVec2(bw, 0))) m_bulk_tag_open = false;
        ImGui::SameLine();
        if ((ui::button("Apply tag", "Add tag", ui::ButtonKind::primary, ImVec2(bw, 0), m_bulk_busy || m_bulk_tag.empty()) || s.entered) &&
            !m_bulk_tag.empty())
            bulk("tag", m_bulk_tag);
        ui::end_dialog();
    }
    if (ui::begin_dialog("Delete records", m_bulk_delete_open, 440)) {
        ui::heading(("Delete " + count.substr(0, count.find(' ')) + " " + lower(kind_plural(m_spec.name)) + "?").c_str());
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted("They move to the trash, where they can be restored for 30 days.");
        ImGui::PopTextWrapPos();
        const float bw = theme::px(96);
        ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
        if (ui::button("Cancel", "Cancel##bulkdel", ui::ButtonKind::secondary, ImVec2(bw, 0))) m_bulk_delete_open = false;
        ImGui::SameLine();
        if (ui::button("Delete", "Delete##bulkdel", ui::ButtonKind::danger, ImVec2(bw, 0), m_bulk_busy)) bulk("delete");
        ui::end_dialog();
    }
    (void)p;
    if (ui::begin_dialog("Assign records", m_bulk_assign_open, 440)) {
        const std::string n = count.substr(0, count.find(' '));
        ui::heading(("Assign " + n + " " + lower(kind_plural(m_spec.name))).c_str());
        ImGui::PushTextWrapPos(0);
        ui::muted_text(m_spec.owner_field == "assignee_id" ? "Choose the teammate who will work on them."
                                                           : "Choose the teammate who will own them.");
        ImGui::PopTextWrapPos();
        ImGui::Dummy(ImVec2(0, theme::px(4)));
        member_select(m_spec.owner_field == "assignee_id" ? "Assignee" : "Owner", m_spec.owner_field, m_bulk_owner, m_me,
                      ImGui::GetContentRegionAvail().x, "", m_bulk_busy, false);
        ImGui::Dummy(ImVec2(0, theme::px(6)));
        const float bw = theme::px(96);
        ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
        if (ui::button("Cancel", "Cancel##assign", ui::ButtonKind::secondary, ImVec2(bw, 0))) m_bulk_assign_open = false;
        ImGui::SameLine();
        if (ui::button("Assign", "Assign##assign", ui::ButtonKind::primary, ImVec2(bw, 0), m_bulk_busy || m_bulk_owner.empty()))
            bulk("assign", {}, m_bulk_owner);
        ui::end_dialog();
    }
}

void RecordsView::draw() {
    const auto& p = theme::palette();
    draw_toolbar();
    ImGui::Dummy(ImVec2(0, theme::px(4)));
    if (!m_selected.empty()) draw_bulk_bar();

    const float height = ImGui::GetContentRegionAvail().y - theme::px(8);
    const float total_w = ImGui::GetContentRegionAvail().x;
    const float panel_w = m_detail.is_open() ? std::min(theme::px(420), total_w * 0.42f) : 0.0f;
    const float gap = panel_w > 0 ? theme::px(16) : 0.0f;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, p.surface);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::BeginChild("records_card", ImVec2(total_w - panel_w - gap, height), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    if (m_list.failed() && !m_list.loaded()) {
        const char* title = "This list could not be loaded";
        ImGui::SetCursorPosY(height * 0.38f);
        ImGui::SetCursorPosX((ImGui::GetWindowWidth() - ImGui::CalcTextSize(title).x) * 0.5f);
        ImGui::TextUnformatted(title);
        a11y::text_item("alert", "", title);
        ImGui::SetCursorPosX((ImGui::GetWindowWidth() - theme::px(110)) * 0.5f);
        if (ui::button("Retry", "Retry", ui::ButtonKind::primary, ImVec2(theme::px(110), 0))) m_list.retry();
    } else if (m_list.loaded() && m_list.row_count() == 0) {
        draw_empty(height);
    } else {
        draw_table(height);
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
    if (panel_w > 0) {
        ImGui::SameLine(0, gap);
        m_detail.draw(panel_w, height);
    }
    m_form.draw();
    m_io.draw();
}

} // namespace stronghold::web::views

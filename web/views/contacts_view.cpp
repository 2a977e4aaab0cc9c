#include "views/contacts_view.hpp"

#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

namespace stronghold::web::views {
namespace {
constexpr double k_search_debounce_ms = 300;

} // namespace

ContactsView::ContactsView() : m_cache([this](const app::PageRequest& page) { fetch_page(page); }) {
    m_form.on_changed = [this] {
        m_cache.invalidate();
        m_detail.refresh(true); // saved or deleted in the dialog: the panel follows (gone: it closes)
    };
    m_io.on_imported = [this] { m_cache.invalidate(); };
    m_detail.on_edit = [this](const nlohmann::json& contact) {
        if (auto c = model::contact_from_json(contact))
            m_form.open_edit(m_account_id, *c,
                             {.edit = m_me && m_me->can(m_account_id, access::Action::contact_edit),
                              .remove = m_me && m_me->can(m_account_id, access::Action::contact_delete)});
    };
    m_detail.on_deleted = [this](const std::string&) {
        m_selected_id.clear();
        m_cache.invalidate();
    };
    m_detail.on_changed = [this](const nlohmann::json&) { m_cache.invalidate(); };
    m_detail.on_open_related = [this](const std::string& kind, const std::string& id) {
        if (on_open_related) on_open_related(kind, id);
    };
}

void ContactsView::select_contact(const model::Contact& c) {
    m_selected_id = c.id;
    nlohmann::json wire = c;
    m_detail.open_contact(*m_me, m_account_id, wire);
}

void ContactsView::open(const app::Me& me, const std::string& account_id) {
    m_me = &me;
    m_form.set_me(me.user_id);
    m_io.set_account(account_id);
    if (account_id == m_account_id) return;
    m_life.reset();
    m_account_id = account_id;
    m_search.clear();
    m_applied_search.clear();
    m_selected_id.clear();
    m_selected_row = -1;
    m_form.close();
    m_detail.close();
    m_cache.set_query({.account_id = account_id, .q = "", .sort = m_sort});
}

void ContactsView::fetch_page(const app::PageRequest& page) {
    net::list_contacts(page, net::guard(m_life.weak(), [this, page](const net::ApiResponse& r) {
        if (!r.ok() || !r.body.is_object()) {
            m_cache.on_page_failed(page);
            ui::toast("Could not load contacts: " + net::describe(r));
            return;
        }
        std::vector<model::Contact> items;
        if (auto it = r.body.find("items"); it != r.body.end() && it->is_array()) {
            for (const auto& j : *it)
                if (auto c = model::contact_from_json(j)) items.push_back(std::move(*c));
        }
        std::int64_t total = page.offset + static_cast<std::int64_t>(items.size());
        if (auto t = r.body.find("total"); t != r.body.end() && t->is_number_integer()) total = t->get<std::int64_t>();
        m_cache.on_page(page, std::move(items), total);
    }));
}

void ContactsView::on_live(const net::LiveEvent& event) {
    if (event.account_id != m_account_id) return;
    if (event.type == "contact.deleted") {
        m_form.on_deleted_elsewhere(event.id); // the form says so if it is open
        if (event.id == m_detail.id()) m_detail.close();
    }
    if (event.type.rfind("contact.", 0) == 0 || event.type == "bulk_changed") {
        m_cache.invalidate();
        if (m_detail.is_open() && (event.id == m_detail.id() || event.type == "bulk_changed")) m_detail.refresh();
    }
    for (const char* related : {"note.", "task.", "deal.", "ticket.", "company."})
        if (event.type.rfind(related, 0) == 0 && m_detail.is_open()) m_detail.on_related_change(event.type.substr(0, event.type.find('.')));
}

void ContactsView::show_contact(const std::string& id) {
    net::call_api({.method = "GET", .url = net::contacts_url(m_account_id) + "/" + platform::url_encode(id)},
                  net::guard(m_life.weak(), [this, id](const net::ApiResponse& r) {
                      auto c = r.ok() ? model::contact_from_json(r.body) : std::nullopt;
                      if (!c) {
                          ui::toast("Could not open the contact: " + net::describe(r));
                          return;
                      }
                      select_contact(*c);
                  }));
}

void ContactsView::apply_search() {
    if (m_search_edited_ms < 0) return;
    if (platform::now_ms() - m_search_edited_ms < k_search_debounce_ms) return;
    m_search_edited_ms = -1;
    std::string q = m_search;
    while (!q.empty() && q.back() == ' ') q.pop_back();
    while (!q.empty() && q.front() == ' ') q.erase(q.begin());
    if (q == m_applied_search) return;
    m_applied_search = q;
    m_cache.set_query({.account_id = m_account_id, .q = q, .sort = m_sort});
}

void ContactsView::draw_toolbar() {
    const auto& p = theme::palette();
    const bool can_create = m_me && m_me->can(m_account_id, access::Action::contact_create);
    const bool can_export = m_me && m_me->can(m_account_id, access::Action::contact_export);
    const bool can_import = m_me && m_me->can(m_account_id, access::Action::contact_import);
    ui::heading("Contacts");
    ImGui::SameLine(0, theme::px(12));
    {
        std::string count = m_cache.total() ? ui::with_thousands(*m_cache.total()) + (*m_cache.total() == 1 ? " contact" : " contacts")
                                            : std::string("Loading...");
        ImFont* f = fonts::body();
        const float dy = (fonts::title()->FontSize - f->FontSize) * 0.6f;
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + dy);
        ui::muted_text(count);
        a11y::text_item("status", "Contacts count", count);
    }

    // Right side: Export, Import CSV, the search box, then the primary action.
    const float search_w = theme::px(300);
    const std::string new_label = std::string(fonts::k_icon_plus) + "  New contact";
    ImGui::PushFont(fonts::semibold());
    const float new_w = can_create ? ImGui::CalcTextSize(new_label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2 + theme::px(8) : 0;
    ImGui::PopFont();
    const float right = ImGui::GetWindowContentRegionMax().x;
    const float row_y = ImGui::GetItemRectMin().y - ImGui::GetWindowPos().y;
    ImGui::SameLine(right - search_w - (can_create ? new_w + ImGui::GetStyle().ItemSpacing.x : 0) - m_io.toolbar_width(can_export, can_import));
    ImGui::SetCursorPosY(row_y - theme::px(2));
    m_io.draw_toolbar(can_export, can_import, m_applied_search, m_sort);
    ImGui::SetCursorPosY(row_y - theme::px(2));
    ImGui::SetNextItemWidth(search_w);
    ImGui::PushStyleColor(ImGuiCol_Border, p.border);
    const std::string hint = std::string(fonts::k_icon_search) + "  Search by name or email";
    if (ImGui::InputTextWithHint("##search", hint.c_str(), &m_search)) {
        m_search_edited_ms = platform::now_ms();
        platform::redraw_after(static_cast<int>(k_search_debounce_ms) + 20);
    }
    ImGui::PopStyleColor();
    if (ImGui::IsItemActive())
        ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), theme::color(p.accent),
                                            ImGui::GetStyle().FrameRounding, 0, theme::px(1.5f));
    a11y::textbox("Search contacts", m_search);
    if (can_create) {
        ImGui::SameLine();
        ImGui::SetCursorPosY(row_y - theme::px(2));
        if (ui::button("New contact", new_label.c_str(), ui::ButtonKind::primary, ImVec2(new_w, 0))) m_form.open_new(m_account_id);
    }
    apply_search();
}

void ContactsView::draw() {
    const auto& p = theme::palette();
    draw_toolbar();
    ImGui::Dummy(ImVec2(0, theme::px(4)));

    // The table sits on a white card with a soft border; the selected contact's panel on its right.
    const float height = ImGui::GetContentRegionAvail().y - theme::px(8);
    const float total_w = ImGui::GetContentRegionAvail().x;
    const float panel_w = m_detail.is_open() ? std::min(theme::px(420), total_w * 0.42f) : 0.0f;
    const float gap = panel_w > 0 ? theme::px(16) : 0.0f;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, p.surface);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::BeginChild("contacts_card", ImVec2(total_w - panel_w - gap, height), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    if (m_cache.failed() && !m_cache.total()) draw_failed(height);
    else if (m_cache.total() && *m_cache.total() == 0) draw_empty(height);
    else draw_table(height);
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

// One screen for every CRM record kind in the navigation (companies, deals, tickets, tasks),
// driven by core's ObjectSpec: toolbar (title, count, debounced search, filters on select fields
// and tags, "New ..."), the virtualised table (records_view_table.cpp: ImGuiListClipper over the
// cursor-paged app::RecordList, sort by Name / Updated / Created), multi-select with bulk tag,
// assign and delete (.../bulk), the create/edit dialog and the record's side panel.
#pragma once

#include "app/record_list.hpp"
#include "app/session.hpp"
#include "net/http.hpp"
#include "net/live.hpp"
#include "views/contacts_io.hpp"
#include "views/record_detail_view.hpp"
#include "views/record_form_view.hpp"

#include <stronghold/model/record.hpp>

#include <map>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace stronghold::web::views {

class RecordsView {
public:
    explicit RecordsView(model::Kind kind);
    std::function<void(const std::string& kind, const std::string& id)> on_open_related; // from the side panel
    void open(const app::Me& me, const std::string& account_id); // (re)start for a sub-account
    void draw();
    void on_live(const net::LiveEvent& event);
    const model::ObjectSpec& spec() const { return m_spec; }
    void show_record(const std::string& id); // quick search / a related record: open its panel

private:
    void fetch_page(const app::RecordPageRequest& page);
    void apply_query();
    void draw_toolbar();
    void draw_filters();
    void draw_bulk_bar();
    void bulk(const std::string& action, const std::string& tag = {}, const std::string& owner = {});
    void draw_table(float height); // records_view_table.cpp
    void draw_empty(float height); // records_view_table.cpp
    void select_row(const nlohmann::json& row);

    const model::ObjectSpec& m_spec;
    std::vector<const model::FieldSpec*> m_columns; // between the title and the times
    std::vector<const model::FieldSpec*> m_filterable; // select fields
    app::RecordList m_list;
    const app::Me* m_me = nullptr;
    std::string m_account_id;
    std::string m_search, m_applied_search;
    double m_search_edited_ms = -1;
    std::string m_sort = "name";
    std::map<std::string, std::string> m_filters; // field -> value ("tags" -> "vip")
    std::string m_tag_filter;                    // as typed
    std::set<std::string> m_selected;            // ids ticked for bulk actions
    std::string m_bulk_tag;
    bool m_bulk_tag_open = false;
    bool m_bulk_delete_open = false;
    bool m_bulk_busy = false;
    bool m_bulk_assign_open = false;
    std::string m_bulk_owner; // "Assign to..." choice (a member id; "" = nobody)
    ContactsIo m_io{record_import_target(m_spec)}; // "Import CSV" (companies, deals; contacts_io.cpp)
    RecordFormView m_form;
    RecordDetailView m_detail;
    net::Lifetime m_life;
};

} // namespace stronghold::web::views

// The Contacts screen: toolbar (title, count, Export, Import CSV, debounced search, "New contact"), the
// virtualised table (contacts_view_table.cpp), the side panel of the selected contact with its
// related records (views/record_detail_view: company, deals, tickets, tasks, notes) and the
// create/edit dialog.
#pragma once

#include "app/row_cache.hpp"
#include "app/session.hpp"
#include "net/http.hpp"
#include "net/live.hpp"
#include "views/contact_form_view.hpp"
#include "views/contacts_io.hpp"
#include "views/record_detail_view.hpp"

#include <functional>
#include <string>

namespace stronghold::web::views {

class ContactsView {
public:
    std::function<void(const std::string& kind, const std::string& id)> on_open_related; // from the side panel
    ContactsView();
    void open(const app::Me& me, const std::string& account_id); // (re)start for a sub-account
    void draw();
    void on_live(const net::LiveEvent& event); // invalidates what the change touches
    void show_contact(const std::string& id);   // quick search: select it and open its panel
    bool ready() const { return m_cache.loaded(); }
    bool failed() const { return m_cache.failed(); }

private:
    void fetch_page(const app::PageRequest& page);
    void draw_toolbar();
    void draw_table(float height);   // contacts_view_table.cpp
    void draw_empty(float height);   // contacts_view_table.cpp
    void draw_failed(float height);  // contacts_view_table.cpp
    void apply_search();
    void select_contact(const model::Contact& c); // opens the side panel

    app::RowCache m_cache;
    const app::Me* m_me = nullptr;
    std::string m_account_id;
    std::string m_search;
    std::string m_applied_search;
    double m_search_edited_ms = -1;
    std::string m_sort = "name";
    std::string m_selected_id;
    std::int64_t m_selected_row = -1; // keyboard selection (Up/Down, Enter opens)
    ContactFormView m_form;
    RecordDetailView m_detail; // the selected contact and its related records
    ContactsIo m_io; // Export and Import CSV (contacts_io.cpp)
    net::Lifetime m_life; // reset on account switch: pages for the old account are dropped
};

} // namespace stronghold::web::views

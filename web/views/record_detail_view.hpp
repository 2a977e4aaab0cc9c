// The side panel of one record (CRM-1): its fields, and what hangs off it: notes (list + add),
// tasks (tasks?record_id[eq]=), for companies their deals (deals?company_id[eq]=), for
// contacts (open_contact) their company, deals (contact_ids[eq]) and tickets (contact_id[eq]=);
// "Edit", "Delete" (to the trash) and the history with revert (views/history_view). A related
// record's row opens it (on_open_related).
#pragma once

#include "app/session.hpp"
#include "net/http.hpp"
#include "views/history_view.hpp"
#include "views/record_form_view.hpp"

#include <stronghold/model/record.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace stronghold::web::views {

class RecordDetailView {
public:
    std::function<void(const nlohmann::json& record)> on_edit;   // "Edit" clicked
    std::function<void(const std::string& id)> on_deleted;       // moved to the trash
    std::function<void(const nlohmann::json& record)> on_changed; // reverted here: refresh the row
    std::function<void(const std::string& kind, const std::string& id)> on_open_related; // "company", "co_..."

    void open(const app::Me& me, const std::string& account_id, const model::ObjectSpec& spec, const nlohmann::json& record);
    void open_contact(const app::Me& me, const std::string& account_id, const nlohmann::json& contact); // wire form
    void close();
    bool is_open() const { return !m_id.empty(); }
    const std::string& id() const { return m_id; }
    // GET the record again (live change, after a save); gone: closes, with a toast unless quiet.
    void refresh(bool quiet = false);
    void set_record(const nlohmann::json& record);
    void draw(float width, float height);
    void on_related_change(std::string_view kind); // live: a note/task/deal/ticket changed

private:
    struct Related {
        std::string title; // "Notes", "Tasks", "Deals", "Tickets"
        std::string path;  // "notes", ...
        std::string params;  // list query; empty: one record, `one_id` (a contact's company)
        std::string one_id;
        const model::ObjectSpec* spec = nullptr;
        std::vector<nlohmann::json> items;
        bool loading = false;
        std::string error;
    };
    bool start(const app::Me& me, const std::string& account_id, const model::ObjectSpec* spec, const nlohmann::json& record);
    void add_related(const char* title, model::Kind kind, std::string params, std::string one_id = {});
    std::string path() const;      // "contacts", "companies", ...
    std::string kind_name() const; // "contact", "company", ...
    std::string title() const;
    bool may(access::Verb verb) const;
    void draw_contact_fields(float width);
    std::string ref_title(const std::string& id); // a linked record's name (fetched once), "" while loading
    void load_related(Related& r);
    void add_note();
    void remove();
    void draw_fields(float width);
    void draw_related(Related& r, float width);
    void draw_notes(Related& r, float width);

    const app::Me* m_me = nullptr;
    std::string m_account_id;
    const model::ObjectSpec* m_spec = nullptr; // nullptr for a contact (not a record kind)
    bool m_is_contact = false;
    std::string m_id;
    nlohmann::json m_record;
    std::vector<Related> m_related;
    std::map<std::string, std::string> m_ref_titles; // linked record id -> its name
    std::string m_note;
    bool m_note_busy = false;
    bool m_show_history = false;
    bool m_confirm_delete = false;
    bool m_busy = false;
    HistoryView m_history;
    RecordFormView m_sub_form; // a new task or deal for this record
    net::Lifetime m_life;
};

} // namespace stronghold::web::views

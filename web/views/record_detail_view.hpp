// The side panel of one record (CRM-1): its fields, and what hangs off it: notes (list + add),
// tasks (tasks?record_id[eq]=), for companies their deals (deals?company_id[eq]=), for
// contacts their deals (contact_ids[eq]) and tickets (contact_id[eq]=); "Edit", "Delete" (to the
// trash) and the history with revert (views/history_view).
#pragma once

#include "app/session.hpp"
#include "net/http.hpp"
#include "views/history_view.hpp"
#include "views/record_form_view.hpp"

#include <stronghold/model/record.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace stronghold::web::views {

class RecordDetailView {
public:
    std::function<void(const nlohmann::json& record)> on_edit;   // "Edit" clicked
    std::function<void(const std::string& id)> on_deleted;       // moved to the trash
    std::function<void(const nlohmann::json& record)> on_changed; // reverted here: refresh the row

    void open(const app::Me& me, const std::string& account_id, const model::ObjectSpec& spec, const nlohmann::json& record);
    void close();
    bool is_open() const { return !m_id.empty(); }
    const std::string& id() const { return m_id; }
    void refresh();                         // GET the record again (live change, after a save)
    void set_record(const nlohmann::json& record);
    void draw(float width, float height);
    void on_related_change(std::string_view kind); // live: a note/task/deal/ticket changed

private:
    struct Related {
        std::string title; // "Notes", "Tasks", "Deals", "Tickets"
        std::string path;  // "notes", ...
        std::string params;
        const model::ObjectSpec* spec = nullptr;
        std::vector<nlohmann::json> items;
        bool loading = false;
        std::string error;
    };
    void load_related(Related& r);
    void add_note();
    void remove();
    void draw_fields(float width);
    void draw_related(Related& r, float width);
    void draw_notes(Related& r, float width);

    const app::Me* m_me = nullptr;
    std::string m_account_id;
    const model::ObjectSpec* m_spec = nullptr;
    std::string m_id;
    nlohmann::json m_record;
    std::vector<Related> m_related;
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

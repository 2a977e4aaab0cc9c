// The create/edit dialog of any CRM record but contacts, generated from core's ObjectSpec
// (app/record_form): one widget per field type (text, long text, number, date, select,
// multi-select, checkbox, url, email, phone, user / pipeline / stage choosers, record pickers
// through quick search, tags) and the object's custom fields (GET custom-fields?object[eq]=).
// Checked live with core's parser; server errors land under their field; a 412 opens the
// conflict dialog (theirs vs yours, keep theirs / overwrite / merge).
#pragma once

#include "app/record_form.hpp"
#include "app/session.hpp"
#include "net/http.hpp"

#include <stronghold/model/record.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stronghold::web::views {

class RecordFormView {
public:
    std::function<void(const nlohmann::json& record)> on_saved; // created or updated record

    // preset: fields filled in for a new record (e.g. record_id of the panel it was opened from).
    void open_new(const app::Me& me, const std::string& account_id, const model::ObjectSpec& spec,
                  const nlohmann::json& preset = nlohmann::json::object());
    void open_edit(const app::Me& me, const std::string& account_id, const model::ObjectSpec& spec, const nlohmann::json& record);
    void close();
    bool is_open() const { return m_open; }
    void draw();
    // Shared with the detail panel: id -> title of records seen through quick search or lists.
    std::map<std::string, std::string>& titles() { return m_titles; }

private:
    void load_schema();
    void start_form();
    void save();
    void draw_fields(float width);
    void draw_field(std::size_t i, float width);
    void draw_picker(std::size_t i, float width); // ref / ref_list to other records
    void search(const std::string& q);
    void resolve_titles();

    const app::Me* m_me = nullptr;
    std::string m_account_id;
    const model::ObjectSpec* m_spec = nullptr;
    nlohmann::json m_record;  // the record being edited (empty object: new)
    nlohmann::json m_preset;
    std::vector<model::CustomFieldDef> m_custom;
    std::vector<nlohmann::json> m_pipelines;
    int m_pending = 0; // schema answers still to come
    std::string m_load_error;
    app::RecordForm m_form;
    bool m_ready = false;
    bool m_open = false;
    bool m_busy = false;
    bool m_gone = false;
    std::optional<nlohmann::json> m_conflict; // the 412's "current"
    bool m_conflict_open = false;
    // Record picker state.
    std::string m_pick_field;
    std::string m_pick_query;
    std::string m_pick_sent;
    std::vector<nlohmann::json> m_pick_results;
    std::map<std::string, std::string> m_titles;
    net::Lifetime m_life;
    net::Lifetime m_search_life;
};

} // namespace stronghold::web::views

// The create/edit form of any CRM record but contacts, generated from core's ObjectSpec (CRM-1):
// one FormField per FieldSpec plus the object's custom fields, text as typed, per-field errors,
// and the JSON it sends. Live validation runs core's own parse_record_patch on a one-field patch,
// so the browser shows the server's exact words; the whole body goes through
// parse_record_create / parse_record_patch before it is sent.
//
// [SECTION] Fields
// [SECTION] The form
// [SECTION] Conflicts (412): theirs vs yours per field, keep theirs / overwrite / merge
#pragma once

#include "app/conflict.hpp"

#include <stronghold/api/error.hpp>
#include <stronghold/model/record.hpp>

#include <nlohmann/json.hpp>

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::web::app {

// [SECTION] Fields

struct FormField {
    std::string name;  // wire name: "status", or "custom.<key>" for a custom value
    std::string label; // "Expected close", or the custom field's label
    model::FieldType type = model::FieldType::text;
    bool required = false;
    bool immutable = false;
    bool custom = false;
    std::vector<std::string> options;      // select / multi_select
    std::vector<std::string> ref_prefixes; // ref / ref_list: "co", "ct", "us", ...
};

// "expected_close" -> "Expected close"; "owner_id" -> "Owner"; "contact_ids" -> "Contacts".
std::string field_label(std::string_view wire);
// The form's fields for a kind: its FieldSpecs (author_id and other server-set ones left out)
// then the custom fields, in order.
std::vector<FormField> form_fields(const model::ObjectSpec& spec, const std::vector<model::CustomFieldDef>& custom);
// A complete data object with every field at its create default (fallback or empty).
nlohmann::json default_data(const model::ObjectSpec& spec);
// A field's value in a record's data (custom.<key> reads data["custom"][key]); null when absent.
nlohmann::json data_value(const nlohmann::json& data, std::string_view name);
// How a value reads in a form field / a table cell: lists comma-separated, numbers without
// trailing zeros, booleans "Yes"/"No".
std::string display_value(const nlohmann::json& v);

// [SECTION] The form

class RecordForm {
public:
    RecordForm() = default;
    static RecordForm for_new(const model::ObjectSpec& spec, std::vector<model::CustomFieldDef> custom,
                              const nlohmann::json& preset = nlohmann::json::object());
    // `record` is the wire form {"id","version",...fields,"custom"}.
    static RecordForm for_edit(const model::ObjectSpec& spec, std::vector<model::CustomFieldDef> custom,
                               const nlohmann::json& record);

    const model::ObjectSpec* spec() const { return m_spec; }
    bool editing() const { return !m_id.empty(); }
    const std::string& id() const { return m_id; }
    std::int64_t version() const { return m_version; }
    const nlohmann::json& original() const { return m_original; } // data as loaded (edit) / defaults (new)

    const std::vector<FormField>& fields() const { return m_fields; }
    std::string& text(std::size_t i) { return m_text[i]; }       // every kind but checkbox
    const std::string& text(std::size_t i) const { return m_text[i]; }
    bool& flag(std::size_t i) { return m_flag[i]; }              // checkbox
    const std::string& error(std::size_t i) const { return m_error[i]; }
    const std::string& form_error() const { return m_form_error; }
    std::optional<std::size_t> index_of(std::string_view wire) const; // "contact_ids[1]" -> contact_ids

    nlohmann::json value_json(std::size_t i) const; // the field's value as the wire takes it
    void validate_field(std::size_t i);             // live: sets or clears error(i)
    bool validate_all();                            // before sending; true when the body passes core
    nlohmann::json body() const;                    // create: every field; edit: merge patch of changes
    bool has_changes() const;
    std::vector<std::string> touched() const;       // wire names whose value differs from original()
    void apply_server_error(const api::Error& error); // at the named field, else form-level
    void clear_errors();
    void set_rules(const model::RecordRules& rules) { m_rules = rules; }
    const model::RecordRules& rules() const { return m_rules; }

    // [SECTION] Conflicts
    // Rows for every field that I or they changed (current = the 412's "current" record).
    std::vector<ConflictRow> conflict_rows(const nlohmann::json& current) const;
    void keep_theirs(const nlohmann::json& current); // reload: their version, my edits dropped
    void overwrite(const nlohmann::json& current);   // all my values, against their version
    void merge(const nlohmann::json& current);       // my touched fields over theirs; theirs for the rest

private:
    void fill(const nlohmann::json& data);
    std::string text_of(std::size_t i, const nlohmann::json& data) const;
    bool flag_of(std::size_t i, const nlohmann::json& data) const;

    const model::ObjectSpec* m_spec = nullptr;
    std::vector<FormField> m_fields;
    std::vector<std::string> m_text;
    std::deque<bool> m_flag; // checkbox values (a deque hands out real bool references)
    std::vector<std::string> m_error;
    std::string m_form_error;
    nlohmann::json m_original = nlohmann::json::object();
    std::string m_id;
    std::int64_t m_version = 0;
    model::RecordRules m_rules;
};

} // namespace stronghold::web::app

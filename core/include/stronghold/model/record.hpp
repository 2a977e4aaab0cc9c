// Records of every CRM object but contacts (CRM-1): companies, deals, pipelines, tickets, tasks,
// notes, tags, custom fields and custom values. One schema table per object kind decides the
// wire fields, their types and limits; one parser validates create bodies and merge patches for
// all of them, in the browser and on the server. Contacts keep their own hand-written model
// (model/contact.hpp): they are the million-row table with their own indexes.
//
// Wire form of a record: {"id","version","created_at","updated_at", <the kind's fields>,
// "custom":{...}} (custom only on kinds that take custom fields). Field values:
//   text/long_text/url/email/phone/select/ref/date: string ("" when unset)
//   number: JSON number or null;  checkbox: bool;  multi_select/string_list/ref_list: array of strings
//   stages (pipelines): [{"id":"st_...","name":"..."}] in board order
#pragma once

#include "stronghold/access/permissions.hpp"
#include "stronghold/api/result.hpp"
#include "stronghold/model/time.hpp"
#include "stronghold/validate/sensitive.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::model {

// [SECTION] Field types and object kinds

enum class FieldType : std::uint8_t {
    text,         // one line, up to max_chars code points, no control characters
    long_text,    // multi-line (newlines and tabs allowed), up to max_chars
    number,       // finite double, optional min/max
    date,         // "YYYY-MM-DD"
    select,       // one of options
    multi_select, // subset of options, no duplicates
    checkbox,     // bool
    url,          // http(s) URL
    email,        // one address (validate::email)
    phone,        // E.164 (validate::phone with the sub-account's default country code)
    ref,          // id of another record; ref_prefixes says which kinds ("" when unset)
    ref_list,     // ids of other records, no duplicates
    string_list,  // free strings (tags, select options), no duplicates case-insensitively
    stages,       // pipelines only: ordered [{"id","name"}]
    color,        // "#rrggbb"
    key,          // machine name: [a-z][a-z0-9_]{0,39}; immutable after create
};
std::string_view to_string(FieldType t);
std::optional<FieldType> field_type_from_string(std::string_view s);

struct FieldSpec {
    std::string_view name;
    FieldType type = FieldType::text;
    bool required = false;          // create must give a non-empty value; patch may not clear it
    std::size_t max_chars = 200;    // text kinds; list kinds: max items
    std::span<const std::string_view> options{}; // select / multi_select
    std::span<const std::string_view> ref_prefixes{}; // ref / ref_list: allowed id prefixes
    std::string_view fallback{};    // value on create when absent (select defaults, "USD")
    bool immutable = false;         // settable on create only (custom field key and object)
};

enum class Kind : std::uint8_t { company, deal, pipeline, ticket, task, note, tag, custom_field, custom_value };
inline constexpr Kind k_kinds[] = {Kind::company, Kind::deal,         Kind::pipeline,    Kind::ticket,     Kind::task,
                                   Kind::note,    Kind::tag,          Kind::custom_field, Kind::custom_value};

// How a kind is authorised (access::authorize with object x verb x owner):
//   record:   its access::Object (company, deal, ticket; tasks count as contacts owned by
//             their assignee); owner = owner_field's value. Linking to another record needs
//             view on that record.
//   attached: notes take the permissions of the record they are attached to (record_id:
//             contact/company/deal/ticket): view of that record to read them, edit of it to
//             write them.
//   setting:  pipelines, tags, custom fields, custom values: every member of the sub-account
//             reads them; writing needs the manage_settings capability there, except tags,
//             which anyone who may edit any contact creates and edits (deleting one needs
//             manage_settings).
enum class AccessRule : std::uint8_t { record, attached, setting };

struct ObjectSpec {
    Kind kind;
    std::string_view name;        // wire name: "company"
    std::string_view path;        // URL segment: "companies"
    std::string_view prefix;      // id prefix: "co"
    AccessRule rule;
    access::Object object;        // for AccessRule::record (and the default of attached)
    std::string_view title_field; // shown as the record's name; also the sort/search key
    std::string_view owner_field; // "owner_id", "assignee_id", or "" (no owner)
    bool custom_fields;           // takes {"custom":{...}} values defined by custom fields
    std::span<const FieldSpec> fields;
};

std::span<const ObjectSpec> object_specs();
const ObjectSpec& spec_of(Kind kind);
const ObjectSpec* spec_by_name(std::string_view name);   // "company"
const ObjectSpec* spec_by_path(std::string_view path);   // "companies"
const ObjectSpec* spec_by_prefix(std::string_view prefix); // "co"
const FieldSpec* field_of(const ObjectSpec& spec, std::string_view name);

// Which kinds' records notes and tasks attach to, and custom fields may be defined on.
inline constexpr std::string_view k_attachable_prefixes[] = {"ct", "co", "dl", "tk"};
inline constexpr std::string_view k_custom_field_objects[] = {"contact", "company", "deal", "ticket"};

// [SECTION] Custom field definitions (CRM-1)

// A custom field as the validators see it (the custom_field record's data, typed).
struct CustomFieldDef {
    std::string id;
    std::string object;  // "contact", "company", "deal", "ticket"
    std::string key;     // the member name under "custom"
    std::string label;
    FieldType type = FieldType::text; // text, number, date, select, multi_select, checkbox, url, email, phone
    bool required = false;
    bool sensitive = false; // marked for field encryption (DAT); shown masked in lists
    std::vector<std::string> options;
};
// Reads a custom_field record's data; nullopt when it is not one.
std::optional<CustomFieldDef> custom_field_from_data(std::string id, const nlohmann::json& data);
// The types a custom field may have.
bool custom_field_type_allowed(FieldType t);

// [SECTION] Records

struct Record {
    std::string id;         // "<prefix>_..."
    Kind kind = Kind::company;
    std::string account_id; // not on the wire
    std::string owner_id;   // copy of the owner field (indexed by the store), "" when none
    std::string parent_id;  // the record a note/task is attached to, a deal's pipeline; "" otherwise
    nlohmann::json data = nlohmann::json::object(); // the kind's fields (+ "custom")
    std::int64_t version = 0;
    UnixMillis created_at = 0;
    UnixMillis updated_at = 0;
    std::optional<UnixMillis> deleted_at; // in the trash since
    friend bool operator==(const Record&, const Record&) = default;
};

// What sub-account settings change in validation.
struct RecordRules {
    std::string default_country_code = "1";
    validate::SensitivePolicy sensitive_policy = validate::SensitivePolicy::refuse; // CRM-5, text fields
    std::vector<CustomFieldDef> custom_fields; // of this object (others are ignored)
};

// Validates a POST body: unknown or read-only members are validation_failed naming the field;
// required fields must be present and non-empty; absent fields take their fallback or the empty
// value of their type. Returns the complete data object. Never throws.
Result<nlohmann::json> parse_record_create(const ObjectSpec& spec, const nlohmann::json& body, const RecordRules& rules);
// Validates a JSON merge patch against the current data; returns the complete new data object.
// null clears a field (refused for required ones); "custom" is merged member by member.
Result<nlohmann::json> parse_record_patch(const ObjectSpec& spec, const nlohmann::json& current,
                                          const nlohmann::json& patch, const RecordRules& rules);
// The "custom" member of a body against the definitions in rules: `v` (object or null) merged
// member by member into `current`; on create, required fields must end up with a value. Errors
// name "custom.<key>". Contacts use it too.
Result<nlohmann::json> parse_custom_values(const nlohmann::json& v, const nlohmann::json& current,
                                           const RecordRules& rules, bool create);
// Field names whose values differ ("custom.<key>" for custom values), for audit and history.
std::vector<std::string> changed_fields(const nlohmann::json& before, const nlohmann::json& after);
// Fills owner_id and parent_id from data by the spec (owner_field; record_id / pipeline_id).
void derive_columns(const ObjectSpec& spec, Record& record);
// The record's name as people see it (the title field; "(untitled)" when empty).
std::string record_title(const ObjectSpec& spec, const nlohmann::json& data);
// Lower-cased title: the store's sort and prefix-search key.
std::string sort_key_of(const ObjectSpec& spec, const nlohmann::json& data);

void to_json(nlohmann::json& j, const Record& r); // wire form (deleted_at only when trashed)
std::optional<Record> record_from_json(Kind kind, const nlohmann::json& j); // lenient reader

} // namespace stronghold::model

// Record schemas and the one validator every CRM object but contacts goes through.
//
// Error fields name the wire member ("stage_id"), an element with its index ("contact_ids[1]"),
// a custom value as "custom.<key>". Nothing here throws: every JSON value's type is checked
// before it is read (the browser build cannot catch nlohmann's exceptions).
#include "stronghold/model/record.hpp"

#include "stronghold/crypto/crypto.hpp"
#include "stronghold/validate/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

namespace stronghold::model {

namespace {

using api::ErrorCode;
using nlohmann::json;
using access::Object;
using sv = std::string_view;

// [SECTION] The schema tables

constexpr sv k_deal_status[] = {"open", "won", "lost"};
constexpr sv k_ticket_status[] = {"open", "pending", "resolved", "closed"};
constexpr sv k_ticket_priority[] = {"low", "normal", "high", "urgent"};
constexpr sv k_custom_types[] = {"text", "number", "date", "select", "multi_select", "checkbox", "url", "email", "phone"};

constexpr sv k_users[] = {"us"};
constexpr sv k_contacts[] = {"ct"};
constexpr sv k_companies[] = {"co"};
constexpr sv k_pipelines[] = {"pl"};

// clang-format off
constexpr FieldSpec k_company_fields[] = {
    {"name", FieldType::text, true, 200},
    {"domain", FieldType::text, false, 253},
    {"industry", FieldType::text, false, 100},
    {"phone", FieldType::phone},
    {"website", FieldType::url, false, 2000},
    {"address", FieldType::long_text, false, 1000},
    {"description", FieldType::long_text, false, 5000},
    {"owner_id", FieldType::ref, false, 0, {}, k_users},
    {"tags", FieldType::string_list, false, 50},
};
constexpr FieldSpec k_deal_fields[] = {
    {"name", FieldType::text, true, 200},
    {"pipeline_id", FieldType::ref, true, 0, {}, k_pipelines},
    {"stage_id", FieldType::text, true, 40},
    {"value", FieldType::number},
    {"currency", FieldType::text, false, 3, {}, {}, "USD"},
    {"expected_close", FieldType::date},
    {"status", FieldType::select, false, 0, k_deal_status, {}, "open"},
    {"owner_id", FieldType::ref, false, 0, {}, k_users},
    {"contact_ids", FieldType::ref_list, false, 50, {}, k_contacts},
    {"company_id", FieldType::ref, false, 0, {}, k_companies},
    {"tags", FieldType::string_list, false, 50},
};
constexpr FieldSpec k_pipeline_fields[] = {
    {"name", FieldType::text, true, 100},
    {"stages", FieldType::stages, true, 30},
};
constexpr FieldSpec k_ticket_fields[] = {
    {"subject", FieldType::text, true, 200},
    {"description", FieldType::long_text, false, 10000},
    {"status", FieldType::select, false, 0, k_ticket_status, {}, "open"},
    {"priority", FieldType::select, false, 0, k_ticket_priority, {}, "normal"},
    {"assignee_id", FieldType::ref, false, 0, {}, k_users},
    {"contact_id", FieldType::ref, false, 0, {}, k_contacts},
    {"tags", FieldType::string_list, false, 50},
};
constexpr FieldSpec k_task_fields[] = {
    {"title", FieldType::text, true, 200},
    {"description", FieldType::long_text, false, 5000},
    {"due_date", FieldType::date},
    {"assignee_id", FieldType::ref, false, 0, {}, k_users},
    {"done", FieldType::checkbox},
    {"record_id", FieldType::ref, false, 0, {}, k_attachable_prefixes},
};
constexpr FieldSpec k_note_fields[] = {
    {"body", FieldType::long_text, true, 10000},
    {"record_id", FieldType::ref, true, 0, {}, k_attachable_prefixes, {}, true},
    {"author_id", FieldType::ref, false, 0, {}, k_users, {}, true}, // set by the server: the writer
};
constexpr FieldSpec k_tag_fields[] = {
    {"name", FieldType::text, true, 50},
    {"color", FieldType::color, false, 0, {}, {}, "#64748b"},
};
constexpr FieldSpec k_custom_field_fields[] = {
    {"object", FieldType::select, true, 0, k_custom_field_objects, {}, {}, true},
    {"key", FieldType::key, true, 40, {}, {}, {}, true},
    {"label", FieldType::text, true, 100},
    {"type", FieldType::select, true, 0, k_custom_types, {}, {}, true},
    {"required", FieldType::checkbox},
    {"sensitive", FieldType::checkbox},
    {"options", FieldType::string_list, false, 100},
};
constexpr FieldSpec k_custom_value_fields[] = {
    {"key", FieldType::key, true, 40},
    {"name", FieldType::text, true, 100},
    {"value", FieldType::long_text, false, 5000},
};

constexpr ObjectSpec k_specs[] = {
    {Kind::company, "company", "companies", "co", AccessRule::record, Object::company, "name", "owner_id", true, k_company_fields},
    {Kind::deal, "deal", "deals", "dl", AccessRule::record, Object::deal, "name", "owner_id", true, k_deal_fields},
    {Kind::pipeline, "pipeline", "pipelines", "pl", AccessRule::setting, Object::deal, "name", "", false, k_pipeline_fields},
    {Kind::ticket, "ticket", "tickets", "tk", AccessRule::record, Object::ticket, "subject", "assignee_id", true, k_ticket_fields},
    {Kind::task, "task", "tasks", "ta", AccessRule::record, Object::contact, "title", "assignee_id", false, k_task_fields},
    {Kind::note, "note", "notes", "nt", AccessRule::attached, Object::contact, "body", "author_id", false, k_note_fields},
    {Kind::tag, "tag", "tags", "tg", AccessRule::setting, Object::contact, "name", "", false, k_tag_fields},
    {Kind::custom_field, "custom_field", "custom-fields", "cf", AccessRule::setting, Object::contact, "label", "", false, k_custom_field_fields},
    {Kind::custom_value, "custom_value", "custom-values", "cv", AccessRule::setting, Object::contact, "name", "", false, k_custom_value_fields},
};
// clang-format on

constexpr std::array<sv, 16> k_type_names{"text", "long_text", "number", "date",   "select",      "multi_select",
                                          "checkbox", "url",   "email",  "phone", "ref",    "ref_list",
                                          "string_list", "stages", "color", "key"};

constexpr sv k_read_only[] = {"id", "version", "created_at", "updated_at", "deleted_at"};

api::Error invalid(std::string field, std::string message)
{
    return api::make_error(ErrorCode::validation_failed, std::move(message), std::move(field));
}

std::string element_field(sv field, std::size_t i)
{
    return std::string(field) + "[" + std::to_string(i) + "]";
}

std::string lower_ascii(sv s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool contains(std::span<const sv> list, sv v)
{
    return std::find(list.begin(), list.end(), v) != list.end();
}
bool contains(std::span<const std::string> list, sv v)
{
    return std::find(list.begin(), list.end(), v) != list.end();
}

// [SECTION] Value validators (one per field type)

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool valid_date(sv s)
{
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(s[i])))
            return false;
    const int y = std::stoi(std::string(s.substr(0, 4)));
    const int m = std::stoi(std::string(s.substr(5, 2)));
    const int d = std::stoi(std::string(s.substr(8, 2)));
    constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= days[m - 1] + (m == 2 && is_leap(y) ? 1 : 0);
}

bool valid_url(sv s)
{
    const bool scheme = s.starts_with("https://") || s.starts_with("http://");
    if (!scheme || s.size() > 2000)
        return false;
    const auto host = s.substr(s.find("//") + 2);
    return !host.empty() && host.front() != '/' &&
           std::none_of(s.begin(), s.end(), [](char c) { return c == ' ' || static_cast<unsigned char>(c) < 0x21; });
}

bool valid_key(sv s)
{
    if (s.empty() || s.size() > 40 || !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool valid_color(sv s)
{
    return s.size() == 7 && s[0] == '#' &&
           std::all_of(s.begin() + 1, s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

Result<std::string> text_value(const std::string& field, const std::string& v, const FieldSpec& spec,
                               const RecordRules& rules)
{
    std::string text;
    if (spec.type == FieldType::long_text) {
        auto len = validate::utf8_length(v);
        if (!len)
            return invalid(field, "must be valid UTF-8 text");
        if (*len > spec.max_chars)
            return invalid(field, "must be at most " + std::to_string(spec.max_chars) + " characters");
        // Newlines and tabs are text here; other control characters are not.
        for (unsigned char c : v)
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f)
                return invalid(field, "must not contain control characters");
        text = v;
    } else {
        auto t = validate::name(field, v, spec.max_chars);
        if (!t)
            return t.error();
        text = std::move(*t);
    }
    return validate::guard_sensitive(field, text, rules.sensitive_policy);
}

Result<std::vector<std::string>> string_array(const std::string& field, const json& v, std::size_t max_items)
{
    std::vector<std::string> out;
    if (v.is_null())
        return out;
    if (!v.is_array())
        return invalid(field, "must be an array of strings");
    if (v.size() > max_items)
        return invalid(field, "must have at most " + std::to_string(max_items) + " entries");
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string())
            return invalid(element_field(field, i), "must be a string");
        out.push_back(v[i].get<std::string>());
    }
    return out;
}

Result<json> stages_value(const std::string& field, const json& v, const FieldSpec& spec)
{
    if (!v.is_array() || v.empty())
        return invalid(field, "must be a non-empty array of stages");
    if (v.size() > spec.max_chars)
        return invalid(field, "must have at most " + std::to_string(spec.max_chars) + " stages");
    json out = json::array();
    std::vector<std::string> ids, names;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto f = element_field(field, i);
        const json& st = v[i];
        if (!st.is_object())
            return invalid(f, "must be an object {\"id\",\"name\"}");
        for (const auto& [k, _] : st.items())
            if (k != "id" && k != "name")
                return invalid(f + "." + k, "is not a stage field");
        const auto name_it = st.find("name");
        if (name_it == st.end() || !name_it->is_string())
            return invalid(f + ".name", "is required");
        auto name = validate::name(f + ".name", name_it->get<std::string>(), 60, true);
        if (!name)
            return name.error();
        std::string id;
        if (const auto id_it = st.find("id"); id_it != st.end() && !id_it->is_null()) {
            if (!id_it->is_string() || !crypto::is_id(id_it->get<std::string>(), "st"))
                return invalid(f + ".id", "must be a stage id \"st_...\" (leave it out for a new stage)");
            id = id_it->get<std::string>();
        } else {
            id = crypto::random_id("st");
        }
        if (contains(ids, id))
            return invalid(f + ".id", "names a stage twice");
        if (contains(names, lower_ascii(*name)))
            return invalid(f + ".name", "another stage has this name");
        ids.push_back(id);
        names.push_back(lower_ascii(*name));
        out.push_back({{"id", id}, {"name", *name}});
    }
    return out;
}

// One value of a field (or of a custom field, which passes a synthesised spec). `v` is not null.
Result<json> field_value(const std::string& field, const json& v, const FieldSpec& spec,
                         std::span<const std::string> custom_options, const RecordRules& rules)
{
    switch (spec.type) {
    case FieldType::number: {
        if (!v.is_number())
            return invalid(field, "must be a number");
        const double d = v.get<double>();
        if (!std::isfinite(d) || std::fabs(d) > 1e15)
            return invalid(field, "must be a number between -1e15 and 1e15");
        return json(d);
    }
    case FieldType::checkbox:
        if (!v.is_boolean())
            return invalid(field, "must be true or false");
        return v;
    case FieldType::stages:
        return stages_value(field, v, spec);
    case FieldType::multi_select:
    case FieldType::ref_list:
    case FieldType::string_list: {
        auto items = string_array(field, v, spec.type == FieldType::multi_select ? 100 : spec.max_chars);
        if (!items)
            return items.error();
        std::vector<std::string> seen;
        json out = json::array();
        for (std::size_t i = 0; i < items->size(); ++i) {
            const auto f = element_field(field, i);
            std::string item = (*items)[i];
            if (spec.type == FieldType::ref_list) {
                if (!std::any_of(spec.ref_prefixes.begin(), spec.ref_prefixes.end(),
                                 [&](sv p) { return crypto::is_id(item, p); }))
                    return invalid(f, "must be the id of a record of the right kind");
            } else if (spec.type == FieldType::multi_select) {
                if (!contains(custom_options, item))
                    return invalid(f, "must be one of the field's options");
            } else {
                auto t = validate::name(f, item, 100, true);
                if (!t)
                    return t.error();
                item = *t;
            }
            if (contains(seen, lower_ascii(item)))
                return invalid(f, "appears twice");
            seen.push_back(lower_ascii(item));
            out.push_back(item);
        }
        return out;
    }
    default:
        break;
    }
    if (!v.is_string())
        return invalid(field, "must be a string");
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty() && spec.type != FieldType::text && spec.type != FieldType::long_text)
        return json(""); // unset
    switch (spec.type) {
    case FieldType::text:
    case FieldType::long_text: {
        auto t = text_value(field, s, spec, rules);
        if (!t)
            return t.error();
        return json(*t);
    }
    case FieldType::date:
        if (!valid_date(s))
            return invalid(field, "must be a date YYYY-MM-DD");
        return json(s);
    case FieldType::select: {
        const bool ok = custom_options.empty() ? contains(spec.options, s) : contains(custom_options, s);
        if (!ok) {
            std::string list;
            for (sv o : spec.options)
                list += (list.empty() ? "" : ", ") + std::string(o);
            return invalid(field, list.empty() ? "must be one of the field's options" : "must be one of: " + list);
        }
        return json(s);
    }
    case FieldType::url:
        if (!valid_url(s))
            return invalid(field, "must be an http:// or https:// address");
        return json(s);
    case FieldType::email: {
        auto e = validate::email(field, s);
        if (!e)
            return e.error();
        return json(*e);
    }
    case FieldType::phone: {
        auto p = validate::phone(field, s, rules.default_country_code);
        if (!p)
            return p.error();
        return json(*p);
    }
    case FieldType::ref:
        if (!std::any_of(spec.ref_prefixes.begin(), spec.ref_prefixes.end(), [&](sv p) { return crypto::is_id(s, p); }))
            return invalid(field, "must be the id of a record of the right kind");
        return json(s);
    case FieldType::color:
        if (!valid_color(s))
            return invalid(field, "must be a colour #rrggbb");
        return json(lower_ascii(s));
    case FieldType::key:
        if (!valid_key(s))
            return invalid(field, "must start with a-z and hold only a-z, 0-9 and _ (at most 40)");
        return json(s);
    default:
        return invalid(field, "has an unsupported type");
    }
}

json empty_value(FieldType t)
{
    switch (t) {
    case FieldType::number:
        return nullptr;
    case FieldType::checkbox:
        return false;
    case FieldType::multi_select:
    case FieldType::ref_list:
    case FieldType::string_list:
    case FieldType::stages:
        return json::array();
    default:
        return "";
    }
}

bool is_empty(const json& v)
{
    return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) || (v.is_array() && v.empty());
}

// Per-kind checks that span fields.
Status check_record(const ObjectSpec& spec, const json& data)
{
    if (spec.kind == Kind::deal) {
        const auto& c = data["currency"].get_ref<const std::string&>();
        if (c.size() != 3 || !std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
            return invalid("currency", "must be a three-letter ISO 4217 code such as USD or EUR");
    }
    if (spec.kind == Kind::custom_field) {
        const auto type = data["type"].get<std::string>();
        const bool has_options = type == "select" || type == "multi_select";
        if (has_options && data["options"].empty())
            return invalid("options", "a select field needs at least one option");
        if (!has_options && !data["options"].empty())
            return invalid("options", "only select and multi_select fields have options");
    }
    return {};
}

// Custom values ("custom": {...}) against this object's definitions; `current` for patches.
Result<json> custom_values(const json& v, const json& current, const RecordRules& rules, bool create)
{
    json out = current.is_object() ? current : json::object();
    if (!v.is_null() && !v.is_object())
        return invalid("custom", "must be an object of custom field values");
    if (v.is_object()) {
        for (const auto& [key, value] : v.items()) {
            const auto field = "custom." + key;
            const std::string& name = key; // clang 14 cannot capture a structured binding
            const auto def = std::find_if(rules.custom_fields.begin(), rules.custom_fields.end(),
                                          [&](const CustomFieldDef& d) { return d.key == name; });
            if (def == rules.custom_fields.end())
                return invalid(field, "is not a custom field of this object");
            if (value.is_null()) {
                if (def->required)
                    return invalid(field, "is required");
                out.erase(key);
                continue;
            }
            FieldSpec spec{"", def->type, def->required, def->type == FieldType::text ? 500u : 100u};
            auto parsed = field_value(field, value, spec, def->options, rules);
            if (!parsed)
                return parsed.error();
            if (def->required && is_empty(*parsed))
                return invalid(field, "is required");
            out[key] = std::move(*parsed);
        }
    }
    if (create)
        for (const auto& def : rules.custom_fields)
            if (def.required && (!out.contains(def.key) || is_empty(out[def.key])))
                return invalid("custom." + def.key, "is required");
    return out;
}

Result<json> parse(const ObjectSpec& spec, const json* current, const json& body, const RecordRules& rules)
{
    const bool create = current == nullptr;
    if (!body.is_object())
        return invalid("", "the body must be a JSON object");
    for (const auto& [key, _] : body.items()) {
        if (contains(k_read_only, key))
            return invalid(key, "is read-only");
        if (key == "custom" && spec.custom_fields)
            continue;
        if (!field_of(spec, key))
            return invalid(key, "is not a field of a " + std::string(spec.name));
    }
    json out = create ? json::object() : *current;
    for (const FieldSpec& f : spec.fields) {
        const std::string name(f.name);
        const auto it = body.find(name);
        if (it == body.end()) {
            if (create)
                out[name] = f.fallback.empty() ? empty_value(f.type) : json(std::string(f.fallback));
            if (create && f.required && is_empty(out[name]) && f.type != FieldType::checkbox)
                return invalid(name, "is required");
            continue;
        }
        if (!create && f.immutable)
            return invalid(name, "cannot be changed after creation");
        if (it->is_null()) {
            if (f.required)
                return invalid(name, "is required");
            out[name] = f.fallback.empty() ? empty_value(f.type) : json(std::string(f.fallback));
            continue;
        }
        auto v = field_value(name, *it, f, {}, rules);
        if (!v)
            return v.error();
        if (f.required && is_empty(*v))
            return invalid(name, "is required");
        out[name] = std::move(*v);
    }
    if (spec.custom_fields) {
        const auto it = body.find("custom");
        static const json k_null;
        auto custom = custom_values(it == body.end() ? k_null : *it, create ? json::object() : out.value("custom", json::object()),
                                    rules, create);
        if (!custom)
            return custom.error();
        out["custom"] = std::move(*custom);
    }
    if (auto st = check_record(spec, out); !st)
        return st.error();
    return out;
}

} // namespace

// [SECTION] Lookups

std::string_view to_string(FieldType t)
{
    return k_type_names[static_cast<std::size_t>(t)];
}

std::optional<FieldType> field_type_from_string(std::string_view s)
{
    for (std::size_t i = 0; i < k_type_names.size(); ++i)
        if (k_type_names[i] == s)
            return static_cast<FieldType>(i);
    return std::nullopt;
}

std::span<const ObjectSpec> object_specs()
{
    return k_specs;
}

const ObjectSpec& spec_of(Kind kind)
{
    return k_specs[static_cast<std::size_t>(kind)];
}

const ObjectSpec* spec_by_name(std::string_view name)
{
    for (const auto& s : k_specs)
        if (s.name == name)
            return &s;
    return nullptr;
}

const ObjectSpec* spec_by_path(std::string_view path)
{
    for (const auto& s : k_specs)
        if (s.path == path)
            return &s;
    return nullptr;
}

const ObjectSpec* spec_by_prefix(std::string_view prefix)
{
    for (const auto& s : k_specs)
        if (s.prefix == prefix)
            return &s;
    return nullptr;
}

const FieldSpec* field_of(const ObjectSpec& spec, std::string_view name)
{
    for (const auto& f : spec.fields)
        if (f.name == name)
            return &f;
    return nullptr;
}

bool custom_field_type_allowed(FieldType t)
{
    return contains(k_custom_types, to_string(t));
}

std::optional<CustomFieldDef> custom_field_from_data(std::string id, const nlohmann::json& data)
{
    if (!data.is_object() || !data.contains("key") || !data["key"].is_string() || !data.contains("type") ||
        !data["type"].is_string())
        return std::nullopt;
    CustomFieldDef d;
    d.id = std::move(id);
    d.object = data.value("object", "");
    d.key = data["key"].get<std::string>();
    d.label = data.value("label", "");
    const auto type = field_type_from_string(data["type"].get<std::string>());
    if (!type || !custom_field_type_allowed(*type))
        return std::nullopt;
    d.type = *type;
    d.required = data.value("required", false);
    d.sensitive = data.value("sensitive", false);
    if (const auto it = data.find("options"); it != data.end() && it->is_array())
        for (const auto& o : *it)
            if (o.is_string())
                d.options.push_back(o.get<std::string>());
    return d;
}

// [SECTION] Parsing

Result<nlohmann::json> parse_record_create(const ObjectSpec& spec, const nlohmann::json& body, const RecordRules& rules)
{
    return parse(spec, nullptr, body, rules);
}

Result<nlohmann::json> parse_record_patch(const ObjectSpec& spec, const nlohmann::json& current,
                                          const nlohmann::json& patch, const RecordRules& rules)
{
    return parse(spec, &current, patch, rules);
}

Result<nlohmann::json> parse_custom_values(const nlohmann::json& v, const nlohmann::json& current,
                                           const RecordRules& rules, bool create)
{
    return custom_values(v, current, rules, create);
}

std::vector<std::string> changed_fields(const nlohmann::json& before, const nlohmann::json& after)
{
    std::vector<std::string> out;
    if (!after.is_object())
        return out;
    for (const auto& [key, value] : after.items()) {
        if (key == "custom" && value.is_object()) {
            const json none = json::object();
            const json& old = before.is_object() && before.contains("custom") ? before["custom"] : none;
            for (const auto& [ck, cv] : value.items())
                if (!old.is_object() || !old.contains(ck) || old[ck] != cv)
                    out.push_back("custom." + ck);
            if (old.is_object())
                for (const auto& [ck, _] : old.items())
                    if (!value.contains(ck))
                        out.push_back("custom." + ck);
            continue;
        }
        if (!before.is_object() || !before.contains(key) || before[key] != value)
            out.push_back(key);
    }
    return out;
}

void derive_columns(const ObjectSpec& spec, Record& record)
{
    const auto str = [&](sv name) {
        const auto it = record.data.find(std::string(name));
        return it != record.data.end() && it->is_string() ? it->get<std::string>() : std::string{};
    };
    record.owner_id = spec.owner_field.empty() ? std::string{} : str(spec.owner_field);
    if (spec.kind == Kind::note || spec.kind == Kind::task)
        record.parent_id = str("record_id");
    else if (spec.kind == Kind::deal)
        record.parent_id = str("pipeline_id");
    else if (spec.kind == Kind::ticket)
        record.parent_id = str("contact_id");
    else
        record.parent_id.clear();
}

std::string record_title(const ObjectSpec& spec, const nlohmann::json& data)
{
    const auto it = data.find(std::string(spec.title_field));
    std::string t = it != data.end() && it->is_string() ? it->get<std::string>() : std::string{};
    if (spec.kind == Kind::note) { // first line, shortened
        t = t.substr(0, t.find('\n'));
        if (t.size() > 80) {
            std::size_t cut = 80;
            while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80)
                --cut;
            t = t.substr(0, cut) + "…";
        }
    }
    return t.empty() ? "(untitled)" : t;
}

std::string sort_key_of(const ObjectSpec& spec, const nlohmann::json& data)
{
    const auto it = data.find(std::string(spec.title_field));
    return it != data.end() && it->is_string() ? lower_ascii(it->get<std::string>()) : std::string{};
}

// [SECTION] Wire form

void to_json(nlohmann::json& j, const Record& r)
{
    j = r.data.is_object() ? r.data : json::object();
    j["id"] = r.id;
    j["version"] = r.version;
    j["created_at"] = format_iso8601(r.created_at);
    j["updated_at"] = format_iso8601(r.updated_at);
    if (r.deleted_at)
        j["deleted_at"] = format_iso8601(*r.deleted_at);
}

std::optional<Record> record_from_json(Kind kind, const nlohmann::json& j)
{
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string())
        return std::nullopt;
    Record r;
    r.kind = kind;
    r.id = j["id"].get<std::string>();
    r.version = j.value("version", std::int64_t{0});
    const auto time_of = [&](const char* name) -> std::optional<UnixMillis> {
        const auto it = j.find(name);
        return it != j.end() && it->is_string() ? parse_iso8601(it->get<std::string>()) : std::nullopt;
    };
    r.created_at = time_of("created_at").value_or(0);
    r.updated_at = time_of("updated_at").value_or(0);
    r.deleted_at = time_of("deleted_at");
    r.data = j;
    for (sv k : k_read_only)
        r.data.erase(std::string(k));
    derive_columns(spec_of(kind), r);
    return r;
}

} // namespace stronghold::model

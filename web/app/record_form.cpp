#include "app/record_form.hpp"

#include "app/contact_form.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace stronghold::web::app {
namespace {
using model::FieldType;
using nlohmann::json;

constexpr std::string_view k_meta[] = {"id", "version", "created_at", "updated_at", "deleted_at"};

bool is_list(FieldType t) {
    return t == FieldType::multi_select || t == FieldType::string_list || t == FieldType::ref_list;
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::string format_number(double d) {
    if (std::fabs(d) < 1e15 && d == std::floor(d)) return std::to_string(static_cast<long long>(d));
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", d);
    return buf;
}

// The wire value of a field from its text (or flag): what body() and the comparisons use.
json to_wire(const FormField& f, const std::string& text, bool flag) {
    if (f.type == FieldType::checkbox) return flag;
    if (is_list(f.type)) return ContactForm::split_list(text); // the same list rule as contacts
    if (f.type == FieldType::number) {
        const std::string t = trim(text);
        if (t.empty()) return nullptr;
        char* end = nullptr;
        const double d = std::strtod(t.c_str(), &end);
        if (end && *end == '\0' && std::isfinite(d)) return d;
        return t; // core answers "must be a number"
    }
    if (f.type == FieldType::long_text) return text;
    return trim(text);
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

} // namespace

// [SECTION] Fields

std::string field_label(std::string_view wire) {
    static const std::pair<std::string_view, std::string_view> k_known[] = {
        {"owner_id", "Owner"},       {"assignee_id", "Assignee"},     {"contact_ids", "Contacts"},
        {"company_id", "Company"},   {"contact_id", "Contact"},       {"pipeline_id", "Pipeline"},
        {"stage_id", "Stage"},       {"record_id", "Related to"},     {"due_date", "Due date"},
        {"expected_close", "Expected close"}, {"author_id", "Author"}};
    for (const auto& [k, v] : k_known)
        if (k == wire) return std::string(v);
    std::string out(wire);
    for (char& c : out)
        if (c == '_') c = ' ';
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

std::vector<FormField> form_fields(const model::ObjectSpec& spec, const std::vector<model::CustomFieldDef>& custom) {
    std::vector<FormField> out;
    for (const auto& f : spec.fields) {
        if (f.type == FieldType::stages || f.name == "author_id") continue; // server-set or pipeline-only
        FormField ff;
        ff.name = std::string(f.name);
        ff.label = field_label(f.name);
        ff.type = f.type;
        ff.required = f.required;
        ff.immutable = f.immutable;
        for (auto o : f.options) ff.options.emplace_back(o);
        for (auto p : f.ref_prefixes) ff.ref_prefixes.emplace_back(p);
        out.push_back(std::move(ff));
    }
    if (spec.custom_fields)
        for (const auto& d : custom) {
            FormField ff;
            ff.name = "custom." + d.key;
            ff.label = d.label.empty() ? field_label(d.key) : d.label;
            ff.type = d.type;
            ff.required = d.required;
            ff.custom = true;
            ff.options = d.options;
            out.push_back(std::move(ff));
        }
    return out;
}

json default_data(const model::ObjectSpec& spec) {
    json out = json::object();
    for (const auto& f : spec.fields) {
        const std::string name(f.name);
        if (!f.fallback.empty()) out[name] = std::string(f.fallback);
        else if (f.type == FieldType::number) out[name] = nullptr;
        else if (f.type == FieldType::checkbox) out[name] = false;
        else if (is_list(f.type) || f.type == FieldType::stages) out[name] = json::array();
        else out[name] = "";
    }
    if (spec.custom_fields) out["custom"] = json::object();
    return out;
}

json data_value(const json& data, std::string_view name) {
    if (!data.is_object()) return nullptr;
    if (starts_with(name, "custom.")) {
        auto c = data.find("custom");
        if (c == data.end() || !c->is_object()) return nullptr;
        auto v = c->find(std::string(name.substr(7)));
        return v == c->end() ? json(nullptr) : *v;
    }
    auto v = data.find(std::string(name));
    return v == data.end() ? json(nullptr) : *v;
}

std::string display_value(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "Yes" : "No";
    if (v.is_number()) return format_number(v.get<double>());
    if (v.is_array()) {
        std::string out;
        for (const auto& e : v) out += (out.empty() ? "" : ", ") + display_value(e);
        return out;
    }
    return {};
}

// [SECTION] The form

RecordForm RecordForm::for_new(const model::ObjectSpec& spec, std::vector<model::CustomFieldDef> custom, const json& preset) {
    RecordForm form;
    form.m_spec = &spec;
    form.m_fields = form_fields(spec, custom);
    form.m_rules.custom_fields = std::move(custom);
    json data = default_data(spec);
    if (preset.is_object())
        for (const auto& [k, v] : preset.items()) data[k] = v;
    form.fill(data);
    form.m_original = default_data(spec); // a preset counts as typed: it is sent
    return form;
}

RecordForm RecordForm::for_edit(const model::ObjectSpec& spec, std::vector<model::CustomFieldDef> custom, const json& record) {
    RecordForm form;
    form.m_spec = &spec;
    form.m_fields = form_fields(spec, custom);
    form.m_rules.custom_fields = std::move(custom);
    form.m_id = record.is_object() ? record.value("id", "") : "";
    form.m_version = record.is_object() && record.contains("version") && record["version"].is_number_integer()
                         ? record["version"].get<std::int64_t>() : 0;
    form.fill(record);
    return form;
}

void RecordForm::fill(const json& record) {
    json data = record.is_object() ? record : json::object();
    for (auto k : k_meta) data.erase(std::string(k));
    m_original = data;
    m_text.assign(m_fields.size(), {});
    m_flag.assign(m_fields.size(), false);
    m_error.assign(m_fields.size(), {});
    m_form_error.clear();
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        m_text[i] = text_of(i, data);
        m_flag[i] = flag_of(i, data);
    }
}

std::string RecordForm::text_of(std::size_t i, const json& data) const {
    const json v = data_value(data, m_fields[i].name);
    if (m_fields[i].type == FieldType::checkbox) return {};
    return display_value(v);
}

bool RecordForm::flag_of(std::size_t i, const json& data) const {
    const json v = data_value(data, m_fields[i].name);
    return v.is_boolean() && v.get<bool>();
}

std::optional<std::size_t> RecordForm::index_of(std::string_view wire) const {
    const auto base = wire.substr(0, wire.find('['));
    for (std::size_t i = 0; i < m_fields.size(); ++i)
        if (m_fields[i].name == base) return i;
    return std::nullopt;
}

json RecordForm::value_json(std::size_t i) const { return to_wire(m_fields[i], m_text[i], m_flag[i]); }

void RecordForm::validate_field(std::size_t i) {
    const FormField& f = m_fields[i];
    m_error[i].clear();
    if (!m_spec) return;
    if (f.immutable && editing()) return; // read-only once created
    json v = value_json(i);
    if (f.custom && (v.is_null() || (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty()))) v = nullptr;
    if (f.immutable) { // settable on create only: a patch refuses it, so ask the create parser
        auto whole = model::parse_record_create(*m_spec, body(), m_rules);
        if (!whole && index_of(whole.error().field) == i) m_error[i] = whole.error().message;
        return;
    }
    json patch = json::object();
    if (f.custom) patch["custom"][f.name.substr(7)] = v;
    else patch[f.name] = v;
    json base = editing() ? m_original : default_data(*m_spec);
    if (f.custom && !base.contains("custom")) base["custom"] = json::object();
    auto parsed = model::parse_record_patch(*m_spec, base, patch, m_rules);
    if (!parsed && (index_of(parsed.error().field) == i || parsed.error().field.empty())) m_error[i] = parsed.error().message;
}

bool RecordForm::validate_all() {
    // An edit checks what it changes, as the server's merge patch does: a value saved under older
    // rules does not block an unrelated change.
    bool ok = true;
    const auto changed = touched();
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        if (editing() && std::find(changed.begin(), changed.end(), m_fields[i].name) == changed.end()) {
            m_error[i].clear();
            continue;
        }
        validate_field(i);
        ok = ok && m_error[i].empty();
    }
    m_form_error.clear();
    if (!ok || !m_spec) return false;
    json base = m_original;
    if (m_spec->custom_fields && !base.contains("custom")) base["custom"] = json::object();
    auto whole = editing() ? model::parse_record_patch(*m_spec, base, body(), m_rules)
                           : model::parse_record_create(*m_spec, body(), m_rules);
    if (!whole) {
        apply_server_error(whole.error());
        return false;
    }
    return true;
}

json RecordForm::body() const {
    json out = json::object();
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        const FormField& f = m_fields[i];
        if (editing() && f.immutable) continue;
        json v = value_json(i);
        if (editing()) {
            if (v == to_wire(f, text_of(i, m_original), flag_of(i, m_original))) continue; // a merge patch names only changes
        } else if (f.custom && (v.is_null() || v == "" || (v.is_array() && v.empty()))) {
            continue; // unset custom values are simply absent
        }
        if (f.custom) {
            if (v == "" || (v.is_array() && v.empty())) v = nullptr; // cleared: remove the value
            out["custom"][f.name.substr(7)] = std::move(v);
        } else {
            out[f.name] = std::move(v);
        }
    }
    return out;
}

bool RecordForm::has_changes() const { return !editing() || !body().empty(); }

std::vector<std::string> RecordForm::touched() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < m_fields.size(); ++i)
        if (value_json(i) != to_wire(m_fields[i], text_of(i, m_original), flag_of(i, m_original))) out.push_back(m_fields[i].name);
    return out;
}

void RecordForm::apply_server_error(const api::Error& error) {
    if (auto i = index_of(error.field)) m_error[*i] = error.message;
    else m_form_error = error.message;
}

void RecordForm::clear_errors() {
    for (auto& e : m_error) e.clear();
    m_form_error.clear();
}

// [SECTION] Conflicts

std::vector<ConflictRow> RecordForm::conflict_rows(const json& current) const {
    std::vector<ConflictRow> rows;
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        const FormField& f = m_fields[i];
        const json base = to_wire(f, text_of(i, m_original), flag_of(i, m_original));
        const json theirs = to_wire(f, text_of(i, current), flag_of(i, current));
        const json mine = value_json(i);
        ConflictRow row;
        row.field = f.name;
        row.label = f.label;
        row.touched = mine != base;
        row.they_changed = theirs != base;
        if (!row.touched && !row.they_changed) continue;
        row.theirs = display_value(theirs);
        row.yours = display_value(mine);
        rows.push_back(std::move(row));
    }
    return rows;
}

void RecordForm::keep_theirs(const json& current) {
    if (current.is_object() && current.contains("version") && current["version"].is_number_integer())
        m_version = current["version"].get<std::int64_t>();
    fill(current);
}

void RecordForm::overwrite(const json& current) {
    auto text = m_text;
    auto flag = m_flag;
    keep_theirs(current);
    m_text = std::move(text);
    m_flag = std::move(flag);
}

void RecordForm::merge(const json& current) {
    auto text = m_text;
    auto flag = m_flag;
    std::vector<bool> mine(m_fields.size());
    for (std::size_t i = 0; i < m_fields.size(); ++i)
        mine[i] = value_json(i) != to_wire(m_fields[i], text_of(i, m_original), flag_of(i, m_original));
    keep_theirs(current);
    for (std::size_t i = 0; i < m_fields.size(); ++i)
        if (mine[i]) {
            m_text[i] = text[i];
            m_flag[i] = flag[i];
        }
}

} // namespace stronghold::web::app

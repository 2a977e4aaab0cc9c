// The companies and deals step of the import engine (app/import.hpp): a mapped row becomes the
// JSON body a POST .../companies or .../deals would carry and goes through the same core parser
// (model::parse_record_create with the sub-account's custom fields and CRM-5 refuse|mask), so an
// import accepts exactly what the API accepts. Columns map to the kind's wire fields and to
// "custom.<key>"; list cells (tags, contact_ids, multi-select) are ";"-separated.
//
// Deals: pipeline_id and stage_id take an id or a name (case-insensitive); absent, the oldest
// pipeline and its first stage. company_id takes an id or the exact name of a live company of the
// sub-account (unknown or ambiguous: a row error naming the column). Names are looked up once
// per distinct value.
//
// [SECTION] Cells -> JSON values
// [SECTION] Row -> record
// [SECTION] Deal links (pipeline, stage, company, contacts)
#include "app/import.hpp"

#include "app/records.hpp"
#include "store/contact_keys.hpp"
#include "stronghold/crypto/crypto.hpp"

#include <charconv>
#include <memory>

namespace stronghold::server {

namespace {

using model::FieldType;
using nlohmann::json;

constexpr std::pair<std::string_view, std::string_view> k_company_aliases[] = {
    {"company", "name"},      {"companyname", "name"}, {"owner", "owner_id"},   {"tag", "tags"},
    {"url", "website"},       {"web", "website"},      {"phonenumber", "phone"}, {"sector", "industry"},
};
constexpr std::pair<std::string_view, std::string_view> k_deal_aliases[] = {
    {"deal", "name"},           {"dealname", "name"},       {"pipeline", "pipeline_id"},  {"stage", "stage_id"},
    {"dealstage", "stage_id"},  {"amount", "value"},        {"closedate", "expected_close"},
    {"expectedclosedate", "expected_close"},                {"company", "company_id"},    {"companyname", "company_id"},
    {"owner", "owner_id"},      {"contacts", "contact_ids"}, {"contact", "contact_ids"},  {"tag", "tags"},
};

ImportRowError cell_error(std::size_t row, std::string_view header, std::string message)
{
    return ImportRowError{row, std::string(header), "validation_failed", std::move(message)};
}

// [SECTION] Cells -> JSON values

bool is_list(FieldType t)
{
    return t == FieldType::multi_select || t == FieldType::string_list || t == FieldType::ref_list;
}

// A number cell as the API's JSON number ("1234.5", "-3", "+7"); nullopt when it is not one.
std::optional<double> number_cell(const std::string& cell)
{
    std::string_view s = cell;
    if (s.starts_with('+'))
        s.remove_prefix(1);
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

std::optional<bool> checkbox_cell(const std::string& cell)
{
    const auto v = fold_lower(cell);
    if (v == "true" || v == "yes" || v == "1" || v == "y")
        return true;
    if (v == "false" || v == "no" || v == "0" || v == "n")
        return false;
    return std::nullopt;
}

// Puts one cell into `target[name]` as the JSON a POST would carry for that type; lists append,
// two columns on one text field are joined with a space. An empty cell leaves the field absent.
// Returns an error message for a cell that is no value of the type (number, checkbox).
std::optional<std::string> put_cell(json& target, const std::string& name, FieldType type, const MappedValue& v,
                                    ImportSources& sources, const std::string& source_name)
{
    if (is_list(type)) {
        auto& list = target[name];
        if (!list.is_array())
            list = json::array();
        for (auto& item : split_cell_list(v.value)) {
            list.push_back(std::move(item));
            sources[source_name].push_back(v.header);
        }
        return std::nullopt;
    }
    sources[source_name].push_back(v.header); // an empty required cell is named too
    auto cell = trim_cell(v.value);
    if (cell.empty())
        return std::nullopt;
    if (type == FieldType::number) {
        const auto n = number_cell(cell);
        if (!n)
            return "must be a number (like 1234.5)";
        target[name] = *n;
    } else if (type == FieldType::checkbox) {
        const auto b = checkbox_cell(cell);
        if (!b)
            return "must be true or false (yes/no, 1/0)";
        target[name] = *b;
    } else if (auto& text = target[name]; text.is_string()) {
        text = text.get<std::string>() + " " + cell;
    } else {
        text = std::move(cell);
    }
    return std::nullopt;
}

// [SECTION] Row -> record

class RecordImporter final : public ImportObject {
public:
    RecordImporter(const model::ObjectSpec& spec, Store& store, const model::Account& account, std::string default_owner,
                   model::UnixMillis now)
        : m_spec(spec), m_store(store), m_scope{account.agency_id, account.id}, m_owners(store, m_scope),
          m_default_owner(std::move(default_owner)), m_now(now), m_audit_action(std::string(spec.name) + ".import")
    {
        m_rules.default_country_code = account.default_country_code;
        m_rules.sensitive_policy = account.sensitive_data_policy;
        m_rules.custom_fields = custom_fields_of(store, m_scope, spec.name);
        using Aliases = std::span<const std::pair<std::string_view, std::string_view>>;
        const auto builtin = spec.kind == model::Kind::deal ? Aliases(k_deal_aliases) : Aliases(k_company_aliases);
        for (const auto& f : spec.fields)
            m_field_names.emplace_back(f.name);
        for (const auto& def : m_rules.custom_fields) {
            m_field_names.push_back("custom." + def.key);
            // A "Size" or "custom_size" column takes custom field "size" (label or key).
            m_alias_keys.push_back(normalise_header(def.key));
            m_alias_keys.push_back(normalise_header(def.label));
        }
        for (const auto& name : m_field_names)
            m_fields.push_back(name);
        m_aliases.assign(builtin.begin(), builtin.end());
        for (std::size_t i = 0; i < m_alias_keys.size(); ++i)
            m_aliases.emplace_back(m_alias_keys[i], m_field_names[spec.fields.size() + i / 2]);
        if (spec.kind == model::Kind::deal)
            load_pipelines();
    }

    std::string_view name() const override { return m_spec.path; }
    std::string_view audit_action() const override { return m_audit_action; }
    std::span<const std::string_view> fields() const override { return m_fields; }
    std::span<const std::pair<std::string_view, std::string_view>> aliases() const override { return m_aliases; }

    std::optional<ImportRowError> add_row(std::size_t row, std::span<const MappedValue> values) override
    {
        ImportSources sources;
        json body = json::object();
        std::string owner = m_default_owner;
        std::string_view owner_header;
        m_links.clear();
        for (const auto& v : values) {
            if (v.field == m_spec.owner_field) {
                if (auto t = trim_cell(v.value); !t.empty()) {
                    owner = std::move(t);
                    owner_header = v.header;
                }
                continue;
            }
            if (m_spec.kind == model::Kind::deal && (v.field == "pipeline_id" || v.field == "stage_id" || v.field == "company_id")) {
                if (auto t = trim_cell(v.value); !t.empty())
                    m_links[std::string(v.field)] = {std::move(t), v.header};
                continue;
            }
            std::optional<std::string> bad;
            if (v.field.starts_with("custom.")) {
                const auto key = v.field.substr(7);
                const auto* def = custom_def(key);
                auto& custom = body["custom"];
                if (!custom.is_object())
                    custom = json::object();
                bad = put_cell(custom, std::string(key), def ? def->type : FieldType::text, v, sources, std::string(v.field));
            } else if (const auto* f = model::field_of(m_spec, v.field)) {
                bad = put_cell(body, std::string(v.field), f->type, v, sources, std::string(v.field));
            }
            if (bad)
                return cell_error(row, v.header, *bad);
        }
        if (m_spec.kind == model::Kind::deal)
            if (auto e = resolve_deal_links(row, body, sources))
                return e;
        if (!owner.empty()) {
            body[std::string(m_spec.owner_field)] = owner;
            sources[std::string(m_spec.owner_field)].push_back(owner_header);
        }
        auto data = model::parse_record_create(m_spec, body, m_rules);
        if (!data)
            return import_row_error(row, data.error(), sources);
        if (!m_owners.may_own(owner))
            return cell_error(row, owner_header, "the owner must be a user of this sub-account");
        if (m_spec.kind == model::Kind::deal)
            if (auto e = check_contacts(row, *data, sources))
                return e;
        model::Record r;
        r.id = crypto::time_ordered_id(m_spec.prefix, m_now);
        r.kind = m_spec.kind;
        r.account_id = m_scope.account_id;
        r.data = std::move(*data);
        model::derive_columns(m_spec, r);
        r.created_at = m_now;
        r.updated_at = m_now;
        m_batch.push_back(std::move(r));
        return std::nullopt;
    }

    std::size_t pending() const override { return m_batch.size(); }

    ImportBatchWrite take_batch(bool dry_run) override
    {
        auto rows = std::make_shared<std::vector<model::Record>>();
        if (!dry_run)
            rows->swap(m_batch);
        m_batch.clear();
        return [scope = m_scope, rows](Store& store, const ImportJob& progress) {
            return store.import_records_batch(scope, *rows, progress);
        };
    }

private:
    const model::CustomFieldDef* custom_def(std::string_view key) const
    {
        for (const auto& def : m_rules.custom_fields)
            if (def.key == key)
                return &def;
        return nullptr;
    }

    // [SECTION] Deal links (pipeline, stage, company, contacts)

    void load_pipelines()
    {
        RecordQuery q;
        q.kind = model::Kind::pipeline;
        q.sort = "created_at"; // the oldest is the default pipeline
        q.limit = 200;
        if (auto page = m_store.list_records(m_scope, q))
            m_pipelines = std::move(page->items);
    }

    // pipeline_id, stage_id and company_id of a deal row from ids or names, into body as ids.
    std::optional<ImportRowError> resolve_deal_links(std::size_t row, json& body, ImportSources& sources)
    {
        const model::Record* pipeline = nullptr;
        if (auto it = m_links.find("pipeline_id"); it != m_links.end()) {
            const auto& [given, header] = it->second;
            for (const auto& p : m_pipelines)
                if (p.id == given || fold_lower(p.data.value("name", "")) == fold_lower(given))
                    pipeline = pipeline ? pipeline : &p;
            if (!pipeline)
                return cell_error(row, header, "no pipeline with this id or name in this sub-account");
            sources["pipeline_id"].push_back(header);
        } else if (!m_pipelines.empty()) {
            pipeline = &m_pipelines.front();
        } else {
            return cell_error(row, "", "the sub-account has no pipeline yet: create one before importing deals");
        }
        body["pipeline_id"] = pipeline->id;
        const json stages = pipeline->data.value("stages", json::array());
        if (!stages.is_array() || stages.empty())
            return cell_error(row, "", "the pipeline has no stages");
        const json* stage = &stages.front();
        if (auto it = m_links.find("stage_id"); it != m_links.end()) {
            const auto& [given, header] = it->second;
            stage = nullptr;
            for (const auto& s : stages)
                if (!stage && (s.value("id", "") == given || fold_lower(s.value("name", "")) == fold_lower(given)))
                    stage = &s;
            if (!stage)
                return cell_error(row, header, "no stage with this id or name in pipeline \"" +
                                                   pipeline->data.value("name", "") + "\"");
            sources["stage_id"].push_back(header);
        }
        body["stage_id"] = stage->value("id", "");
        if (auto it = m_links.find("company_id"); it != m_links.end()) {
            const auto& [given, header] = it->second;
            auto company = company_by_id_or_name(given);
            if (!company)
                return cell_error(row, header, company.error().message);
            body["company_id"] = *company;
            sources["company_id"].push_back(header);
        }
        return std::nullopt;
    }

    // A live company of the sub-account by its id or exact name; the message says why not.
    Result<std::string> company_by_id_or_name(const std::string& given)
    {
        if (auto it = m_companies.find(given); it != m_companies.end())
            return it->second;
        Result<std::string> found = api::make_error(api::ErrorCode::validation_failed,
                                                    "no company with this id or name in this sub-account");
        if (crypto::is_id(given, "co") && m_store.get_record(m_scope, model::Kind::company, given)) {
            found = given;
        } else {
            RecordQuery q;
            q.kind = model::Kind::company;
            q.limit = 2;
            model::Filter f;
            f.field = "name";
            f.values = {given};
            q.filters.push_back(std::move(f));
            if (auto page = m_store.list_records(m_scope, q); page && page->items.size() == 1)
                found = page->items.front().id;
            else if (page && page->items.size() > 1)
                found = api::make_error(api::ErrorCode::validation_failed,
                                        "several companies have this name; give the company's id");
        }
        m_companies.emplace(given, found);
        return found;
    }

    // Every contact a deal links to is a live contact of the sub-account (as the API checks).
    std::optional<ImportRowError> check_contacts(std::size_t row, const json& data, const ImportSources& sources)
    {
        const json ids = data.value("contact_ids", json::array());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto id = ids[i].get<std::string>();
            auto known = m_contacts.find(id);
            if (known == m_contacts.end()) {
                const auto exists = m_store.record_exists(m_scope, id);
                known = m_contacts.emplace(id, exists && *exists).first;
            }
            if (!known->second)
                return import_row_error(row,
                                        api::make_error(api::ErrorCode::validation_failed,
                                                        "no such contact in this sub-account",
                                                        "contact_ids[" + std::to_string(i) + "]"),
                                        sources);
        }
        return std::nullopt;
    }

    const model::ObjectSpec& m_spec;
    Store& m_store;
    TenantScope m_scope;
    ImportOwnerCheck m_owners;
    std::string m_default_owner;
    model::UnixMillis m_now;
    std::string m_audit_action;
    model::RecordRules m_rules;
    std::vector<std::string> m_field_names;  // owns what m_fields and m_aliases point into
    std::vector<std::string> m_alias_keys;
    std::vector<std::string_view> m_fields;
    std::vector<std::pair<std::string_view, std::string_view>> m_aliases;
    std::vector<model::Record> m_pipelines;
    std::map<std::string, std::pair<std::string, std::string_view>> m_links; // field -> (cell, header), this row
    std::map<std::string, Result<std::string>> m_companies;                 // cell -> company id or why not
    std::map<std::string, bool> m_contacts;                                 // contact id -> live here
    std::vector<model::Record> m_batch;
};

} // namespace

std::unique_ptr<ImportObject> make_record_import_object(const model::ObjectSpec& spec, Store& store,
                                                        const model::Account& account, std::string default_owner,
                                                        model::UnixMillis now)
{
    return std::make_unique<RecordImporter>(spec, store, account, std::move(default_owner), now);
}

} // namespace stronghold::server

// The contacts step of the import engine (app/import.hpp): a mapped row becomes the JSON body a
// POST .../contacts would carry and goes through the same core parser (model::parse_contact_create
// with the sub-account's ContactRules, CRM-5 refuse|mask included), so an import accepts exactly
// what the API accepts. Several columns may feed email or phone (appended); tags are ";"-separated.
//
// [SECTION] Row -> contact
// [SECTION] Factory
#include "app/import.hpp"

#include "stronghold/access/authorize.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/model/contact.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <memory>

namespace stronghold::server {

namespace {

constexpr std::array<std::string_view, 7> k_contact_fields = {"first_name", "last_name", "email",   "phone",
                                                              "company_name", "owner_id", "tags"};
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> k_contact_aliases = {{
    {"firstname", "first_name"}, {"givenname", "first_name"}, {"lastname", "last_name"}, {"surname", "last_name"},
    {"familyname", "last_name"}, {"emailaddress", "email"},  {"emails", "email"},        {"phonenumber", "phone"},
    {"mobile", "phone"},         {"phones", "phone"},        {"company", "company_name"}, {"companyname", "company_name"},
    {"owner", "owner_id"},       {"tag", "tags"},
}};

// [SECTION] Row -> contact

class ContactImporter final : public ImportObject {
public:
    ContactImporter(Store& store, const model::Account& account, std::string default_owner, model::UnixMillis now)
        : m_scope{account.agency_id, account.id}, m_owners(store, m_scope), m_default_owner(std::move(default_owner)),
          m_now(now)
    {
        m_rules.default_country_code = account.default_country_code;
        m_rules.sensitive_policy = account.sensitive_data_policy;
    }

    std::string_view name() const override { return "contacts"; }
    std::string_view audit_action() const override { return "contact.import"; }
    std::span<const std::string_view> fields() const override { return k_contact_fields; }
    std::span<const std::pair<std::string_view, std::string_view>> aliases() const override { return k_contact_aliases; }

    std::optional<ImportRowError> add_row(std::size_t row, std::span<const MappedValue> values) override
    {
        // Where each wire field (and each element of a list) came from, to name the column of an error.
        ImportSources sources;
        nlohmann::json body = nlohmann::json::object();
        std::string owner = m_default_owner;
        std::string_view owner_header;
        for (const auto& v : values) {
            if (v.field == "email" || v.field == "phone" || v.field == "tags") {
                const char* wire = v.field == "email" ? "emails" : v.field == "phone" ? "phones" : "tags";
                auto& list = body[wire];
                if (list.is_null())
                    list = nlohmann::json::array();
                auto items = v.field == "tags" ? split_cell_list(v.value) : std::vector<std::string>{trim_cell(v.value)};
                for (auto& item : items) {
                    if (item.empty())
                        continue;
                    list.push_back(std::move(item));
                    sources[wire].push_back(v.header);
                }
            } else if (v.field == "owner_id") {
                if (auto t = trim_cell(v.value); !t.empty()) {
                    owner = std::move(t);
                    owner_header = v.header;
                }
            } else {
                auto& text = body[std::string(v.field)];
                auto t = trim_cell(v.value);
                if (text.is_string() && !t.empty()) // two columns on one text field: joined
                    text = text.get<std::string>() + " " + t;
                else if (!text.is_string() || !t.empty())
                    text = std::move(t);
                sources[std::string(v.field)].push_back(v.header);
            }
        }
        if (!owner.empty()) {
            body["owner_id"] = owner;
            sources["owner_id"].push_back(owner_header);
        }
        auto changes = model::parse_contact_create(body, m_rules);
        if (!changes)
            return import_row_error(row, changes.error(), sources);
        if (!m_owners.may_own(owner))
            return ImportRowError{row, std::string(owner_header), "validation_failed",
                                  "the owner must be a user of this sub-account"};
        model::Contact c;
        // In file order within one import: every id-keyed index (the contacts id, versions, emails
        // and tags by contact, created/updated) takes the rows at its right edge.
        c.id = crypto::sequential_id("ct", m_now, m_sequence++);
        c.account_id = m_scope.account_id;
        model::apply_changes(c, *changes);
        c.owner_id = owner;
        c.created_at = m_now;
        c.updated_at = m_now;
        m_batch.push_back(std::move(c));
        return std::nullopt;
    }

    std::size_t pending() const override { return m_batch.size(); }

    ImportBatchWrite take_batch(bool dry_run) override
    {
        auto rows = std::make_shared<std::vector<model::Contact>>();
        if (!dry_run)
            rows->swap(m_batch);
        m_batch.clear();
        return [scope = m_scope, rows](Store& store, const ImportJob& progress) {
            return store.import_contacts_batch(scope, *rows, progress);
        };
    }

private:
    TenantScope m_scope;
    ImportOwnerCheck m_owners;
    model::ContactRules m_rules;
    std::string m_default_owner;
    model::UnixMillis m_now;
    std::uint32_t m_sequence = 0; // of the next id
    std::vector<model::Contact> m_batch;
};

} // namespace

// [SECTION] Factory

Result<std::unique_ptr<ImportObject>> make_import_object(std::string_view object, Store& store,
                                                         const model::Account& account, std::string default_owner,
                                                         model::UnixMillis now)
{
    if (object == "contacts")
        return std::unique_ptr<ImportObject>(std::make_unique<ContactImporter>(store, account, std::move(default_owner), now));
    if (object == "companies" || object == "deals")
        return make_record_import_object(*model::spec_by_path(object), store, account, std::move(default_owner), now);
    return api::make_error(api::ErrorCode::validation_failed, "unknown object; imports take: contacts, companies, deals",
                           "object");
}

} // namespace stronghold::server

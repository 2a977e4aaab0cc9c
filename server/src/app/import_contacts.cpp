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

std::string trim(std::string_view s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos)
        return {};
    const auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

// "emails[2]" -> ("emails", 2); "first_name" -> ("first_name", npos).
std::pair<std::string_view, std::size_t> split_field(std::string_view field)
{
    const auto open = field.find('[');
    if (open == std::string_view::npos || field.back() != ']')
        return {field, std::string_view::npos};
    std::size_t index = 0;
    for (char c : field.substr(open + 1, field.size() - open - 2))
        index = index * 10 + static_cast<std::size_t>(c - '0');
    return {field.substr(0, open), index};
}

class ContactImporter final : public ImportObject {
public:
    ContactImporter(Store& store, const model::Account& account, std::string default_owner, model::UnixMillis now)
        : m_store(store), m_scope{account.agency_id, account.id}, m_default_owner(std::move(default_owner)), m_now(now)
    {
        m_rules.default_country_code = account.default_country_code;
        m_rules.sensitive_policy = account.sensitive_data_policy;
        m_owner_ok[""] = true; // no owner at all is allowed, as in the API
    }

    std::string_view name() const override { return "contacts"; }
    std::string_view audit_action() const override { return "contact.import"; }
    std::span<const std::string_view> fields() const override { return k_contact_fields; }
    std::span<const std::pair<std::string_view, std::string_view>> aliases() const override { return k_contact_aliases; }

    std::optional<ImportRowError> add_row(std::size_t row, std::span<const MappedValue> values) override
    {
        // Where each wire field (and each element of a list) came from, to name the column of an error.
        std::map<std::string, std::vector<std::string_view>, std::less<>> sources;
        nlohmann::json body = nlohmann::json::object();
        std::string owner = m_default_owner;
        std::string_view owner_header;
        for (const auto& v : values) {
            if (v.field == "email" || v.field == "phone" || v.field == "tags") {
                const char* wire = v.field == "email" ? "emails" : v.field == "phone" ? "phones" : "tags";
                auto& list = body[wire];
                if (list.is_null())
                    list = nlohmann::json::array();
                auto add = [&](std::string_view item) {
                    auto t = trim(item);
                    if (!t.empty()) {
                        list.push_back(std::move(t));
                        sources[wire].push_back(v.header);
                    }
                };
                if (v.field == "tags") {
                    std::string_view rest = v.value;
                    for (auto semi = rest.find(';'); ; semi = rest.find(';')) {
                        add(rest.substr(0, semi));
                        if (semi == std::string_view::npos)
                            break;
                        rest.remove_prefix(semi + 1);
                    }
                } else {
                    add(v.value);
                }
            } else if (v.field == "owner_id") {
                if (auto t = trim(v.value); !t.empty()) {
                    owner = std::move(t);
                    owner_header = v.header;
                }
            } else {
                auto& text = body[std::string(v.field)];
                auto t = trim(v.value);
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
            return row_error(row, changes.error(), sources);
        if (!owner_may_own(owner))
            return ImportRowError{row, std::string(owner_header), "validation_failed",
                                  "the owner must be a user of this sub-account"};
        model::Contact c;
        c.id = crypto::time_ordered_id("ct", m_now); // locality in the id indexes
        c.account_id = m_scope.account_id;
        model::apply_changes(c, *changes);
        c.owner_id = owner;
        c.created_at = m_now;
        c.updated_at = m_now;
        m_batch.push_back(std::move(c));
        return std::nullopt;
    }

    std::size_t pending() const override { return m_batch.size(); }

    Status write_batch(Store& store, const ImportJob& progress, bool dry_run) override
    {
        static const std::vector<model::Contact> none;
        auto st = store.import_contacts_batch(m_scope, dry_run ? none : m_batch, progress);
        m_batch.clear();
        return st;
    }

private:
    static ImportRowError row_error(std::size_t row, const api::Error& e,
                                    const std::map<std::string, std::vector<std::string_view>, std::less<>>& sources)
    {
        ImportRowError out{row, "", std::string(api::to_string(e.code)), e.message};
        const auto [field, index] = split_field(e.field);
        if (auto it = sources.find(field); it != sources.end() && !it->second.empty())
            out.column = std::string(it->second[index == std::string_view::npos ? 0 : std::min(index, it->second.size() - 1)]);
        return out;
    }

    // A user who can open the sub-account (looked up once per distinct owner).
    bool owner_may_own(const std::string& owner)
    {
        if (auto it = m_owner_ok.find(owner); it != m_owner_ok.end())
            return it->second;
        const access::Actor actor{owner, m_store.memberships_of(owner)};
        const bool ok = access::can_open_account(actor, m_scope.agency_id, m_scope.account_id);
        m_owner_ok[owner] = ok;
        return ok;
    }

    Store& m_store;
    TenantScope m_scope;
    model::ContactRules m_rules;
    std::string m_default_owner;
    model::UnixMillis m_now;
    std::map<std::string, bool> m_owner_ok;
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
    return api::make_error(api::ErrorCode::validation_failed, "unknown object; imports take: contacts", "object");
}

} // namespace stronghold::server

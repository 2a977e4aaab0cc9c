// Contact parsing, validation and wire JSON.
//
// Error fields: a whole field is named as on the wire ("emails"); one element of an array is
// named with its index ("emails[2]"), so the dashboard can point at the exact row.
// Nothing here throws: every JSON value's type is checked before it is read, because the
// browser build cannot catch nlohmann's exceptions.
#include "stronghold/model/contact.hpp"

#include "stronghold/crypto/crypto.hpp"
#include "stronghold/validate/sensitive.hpp"
#include "stronghold/validate/text.hpp"

#include <algorithm>
#include <string_view>

namespace stronghold::model {

namespace {

using api::ErrorCode;
using nlohmann::json;

api::Error invalid(std::string field, std::string message)
{
    return api::make_error(ErrorCode::validation_failed, std::move(message), std::move(field));
}

constexpr std::string_view k_read_only[] = {"id", "version", "created_at", "updated_at"};

bool is_read_only(std::string_view key)
{
    return std::find(std::begin(k_read_only), std::end(k_read_only), key) != std::end(k_read_only);
}

std::string element_field(std::string_view field, std::size_t index)
{
    return std::string(field) + "[" + std::to_string(index) + "]";
}

// A free-text value: name rules, then the CRM-5 guard (which may mask under the mask policy).
Result<std::string> free_text(const std::string& field, std::string_view value, std::size_t max_chars,
                              const ContactRules& rules)
{
    auto text = validate::name(field, value, max_chars);
    if (!text)
        return text.error();
    return validate::guard_sensitive(field, *text, rules.sensitive_policy);
}

// null clears (""): merge-patch semantics, and harmless in a create.
Result<std::string> text_field(const std::string& field, const json& v, std::size_t max_chars,
                               const ContactRules& rules)
{
    if (v.is_null())
        return std::string{};
    if (!v.is_string())
        return invalid(field, "must be a string");
    return free_text(field, v.get_ref<const std::string&>(), max_chars, rules);
}

// Checks the shape shared by emails, phones and tags: null (cleared) or an array of strings
// of bounded size. Calls each(index, value) for elements; the first error wins.
template <class Each>
Result<std::vector<std::string>> string_list(const std::string& field, const json& v, std::size_t max_items,
                                             Each each)
{
    std::vector<std::string> out;
    if (v.is_null())
        return out;
    if (!v.is_array())
        return invalid(field, "must be an array of strings");
    if (v.size() > max_items)
        return invalid(field, "must have at most " + std::to_string(max_items) + " entries");
    for (std::size_t i = 0; i < v.size(); ++i) {
        const json& item = v[i];
        if (!item.is_string())
            return invalid(element_field(field, i), "must be a string");
        auto value = each(element_field(field, i), item.get_ref<const std::string&>());
        if (!value)
            return value.error();
        if (std::find(out.begin(), out.end(), *value) == out.end()) // duplicates are dropped, not refused
            out.push_back(std::move(*value));
    }
    return out;
}

std::string fold_ascii(std::string_view s)
{
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

Result<std::vector<std::string>> tags_field(const std::string& field, const json& v, const ContactRules& rules)
{
    auto tags = string_list(field, v, k_max_tags, [&](const std::string& f, const std::string& raw) -> Result<std::string> {
        auto tag = free_text(f, raw, k_max_tag_chars, rules);
        if (tag && tag->empty())
            return invalid(f, "must not be empty");
        return tag;
    });
    if (!tags)
        return tags;
    // "VIP" and "vip" are one tag: the first spelling stays.
    std::vector<std::string> out;
    for (auto& tag : *tags) {
        const bool seen = std::any_of(out.begin(), out.end(),
                                      [&](const std::string& t) { return fold_ascii(t) == fold_ascii(tag); });
        if (!seen)
            out.push_back(std::move(tag));
    }
    return out;
}

constexpr std::size_t k_max_consents = 50;

// [{"purpose","granted","source","at"?}]: `at` (ISO 8601) may be left out for "now".
Result<std::vector<Consent>> consents_field(const std::string& field, const json& v, const ContactRules& rules)
{
    std::vector<Consent> out;
    if (v.is_null())
        return out;
    if (!v.is_array())
        return invalid(field, "must be an array of consent records");
    if (v.size() > k_max_consents)
        return invalid(field, "must have at most " + std::to_string(k_max_consents) + " entries");
    for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string f = element_field(field, i);
        const json& item = v[i];
        if (!item.is_object())
            return invalid(f, "must be an object {\"purpose\",\"granted\",\"source\",\"at\"}");
        for (const auto& [k, _] : item.items())
            if (k != "purpose" && k != "granted" && k != "source" && k != "at")
                return invalid(f + "." + k, "is not a field of a consent record");
        Consent c;
        const auto purpose = item.find("purpose");
        if (purpose == item.end() || !purpose->is_string())
            return invalid(f + ".purpose", "is required");
        auto p = validate::name(f + ".purpose", purpose->get<std::string>(), 100, true);
        if (!p)
            return p.error();
        c.purpose = *p;
        const auto granted = item.find("granted");
        if (granted == item.end() || !granted->is_boolean())
            return invalid(f + ".granted", "must be true or false");
        c.granted = granted->get<bool>();
        if (const auto src = item.find("source"); src != item.end()) {
            auto text = text_field(f + ".source", *src, 200, rules);
            if (!text)
                return text.error();
            c.source = *text;
        }
        if (const auto at = item.find("at"); at != item.end() && !at->is_null()) {
            const auto t = at->is_string() ? parse_iso8601(at->get<std::string>()) : std::nullopt;
            if (!t)
                return invalid(f + ".at", "must be a time in ISO 8601");
            c.at = *t;
        }
        out.push_back(std::move(c));
    }
    return out;
}

Result<ContactChanges> parse(const json& body, const ContactRules& rules)
{
    if (!body.is_object())
        return invalid("", "the body must be a JSON object");
    ContactChanges out;
    for (const auto& [key, value] : body.items()) {
        if (key == "first_name" || key == "last_name" || key == "company_name") {
            auto text = text_field(key, value, key == "company_name" ? k_max_company_chars : k_max_name_chars, rules);
            if (!text)
                return text.error();
            (key == "first_name" ? out.first_name : key == "last_name" ? out.last_name : out.company_name) =
                std::move(*text);
        } else if (key == "emails") {
            auto list = string_list(key, value, k_max_emails, [](const std::string& f, const std::string& raw) {
                return validate::email(f, raw);
            });
            if (!list)
                return list.error();
            out.emails = std::move(*list);
        } else if (key == "phones") {
            auto list = string_list(key, value, k_max_phones, [&](const std::string& f, const std::string& raw) {
                return validate::phone(f, raw, rules.default_country_code);
            });
            if (!list)
                return list.error();
            out.phones = std::move(*list);
        } else if (key == "tags") {
            auto list = tags_field(key, value, rules);
            if (!list)
                return list.error();
            out.tags = std::move(*list);
        } else if (key == "owner_id") {
            if (value.is_null()) {
                out.owner_id = std::string{};
            } else if (!value.is_string()) {
                return invalid(key, "must be a string");
            } else {
                const auto& id = value.get_ref<const std::string&>();
                if (!id.empty() && !crypto::is_id(id, "us"))
                    return invalid(key, "is not a user id");
                out.owner_id = id;
            }
        } else if (key == "lifecycle_stage") {
            if (!value.is_null() && !value.is_string())
                return invalid(key, "must be a string");
            const std::string stage = value.is_null() ? std::string{} : value.get<std::string>();
            if (!stage.empty() &&
                std::find(std::begin(k_lifecycle_stages), std::end(k_lifecycle_stages), stage) == std::end(k_lifecycle_stages))
                return invalid(key, "must be one of subscriber, lead, marketing_qualified, sales_qualified, "
                                    "opportunity, customer, evangelist, other");
            out.lifecycle_stage = stage;
        } else if (key == "source") {
            auto text = text_field(key, value, k_max_company_chars, rules);
            if (!text)
                return text.error();
            out.source = std::move(*text);
        } else if (key == "company_id") {
            if (!value.is_null() && !value.is_string())
                return invalid(key, "must be a string");
            const std::string id = value.is_null() ? std::string{} : value.get<std::string>();
            if (!id.empty() && !crypto::is_id(id, "co"))
                return invalid(key, "is not a company id");
            out.company_id = id;
        } else if (key == "consents") {
            auto consents = consents_field(key, value, rules);
            if (!consents)
                return consents.error();
            out.consents = std::move(*consents);
        } else if (key == "custom") {
            RecordRules rr;
            rr.default_country_code = rules.default_country_code;
            rr.sensitive_policy = rules.sensitive_policy;
            rr.custom_fields = rules.custom_fields;
            auto custom = parse_custom_values(value, rules.current_custom, rr, false);
            if (!custom)
                return custom.error();
            out.custom = std::move(*custom);
        } else if (is_read_only(key)) {
            return invalid(key, "read-only field");
        } else {
            return invalid(key, "unknown field");
        }
    }
    return out;
}

bool has_identity(const std::string& first, const std::string& last, const std::string& company,
                  const std::vector<std::string>& emails, const std::vector<std::string>& phones)
{
    return !first.empty() || !last.empty() || !company.empty() || !emails.empty() || !phones.empty();
}

api::Error no_identity()
{
    return invalid("first_name", "a contact needs a name, a company name, an email or a phone number");
}

} // namespace

Result<ContactChanges> parse_contact_create(const json& body, const ContactRules& rules)
{
    auto changes = parse(body, rules);
    if (!changes)
        return changes;
    // A create sets every writable field: absent ones start empty.
    ContactChanges& c = *changes;
    for (auto* s : {&c.first_name, &c.last_name, &c.company_name, &c.owner_id})
        if (!*s)
            *s = std::string{};
    for (auto* v : {&c.emails, &c.phones, &c.tags})
        if (!*v)
            *v = std::vector<std::string>{};
    for (auto* s : {&c.lifecycle_stage, &c.source, &c.company_id})
        if (!*s)
            *s = std::string{};
    if (!c.consents)
        c.consents = std::vector<Consent>{};
    // Required custom fields need a value even when the body has no "custom".
    RecordRules rr;
    rr.custom_fields = rules.custom_fields;
    auto custom = parse_custom_values(c.custom ? *c.custom : json(nullptr), c.custom ? *c.custom : json::object(), rr, true);
    if (!custom)
        return custom.error();
    c.custom = std::move(*custom);
    if (!has_identity(*c.first_name, *c.last_name, *c.company_name, *c.emails, *c.phones))
        return no_identity();
    return changes;
}

Result<ContactChanges> parse_contact_patch(const json& body, const ContactRules& rules)
{
    return parse(body, rules);
}

Status check_contact_identity(const Contact& c)
{
    if (!has_identity(c.first_name, c.last_name, c.company_name, c.emails, c.phones))
        return no_identity();
    return {};
}

void apply_changes(Contact& contact, const ContactChanges& changes)
{
    if (changes.first_name)
        contact.first_name = *changes.first_name;
    if (changes.last_name)
        contact.last_name = *changes.last_name;
    if (changes.emails)
        contact.emails = *changes.emails;
    if (changes.phones)
        contact.phones = *changes.phones;
    if (changes.company_name)
        contact.company_name = *changes.company_name;
    if (changes.owner_id)
        contact.owner_id = *changes.owner_id;
    if (changes.tags)
        contact.tags = *changes.tags;
    if (changes.lifecycle_stage)
        contact.lifecycle_stage = *changes.lifecycle_stage;
    if (changes.source)
        contact.source = *changes.source;
    if (changes.company_id)
        contact.company_id = *changes.company_id;
    if (changes.consents)
        contact.consents = *changes.consents;
    if (changes.custom)
        contact.custom = *changes.custom;
}

std::vector<std::string> changed_fields(const Contact& before, const Contact& after)
{
    std::vector<std::string> out; // wire order
    if (before.first_name != after.first_name)
        out.emplace_back("first_name");
    if (before.last_name != after.last_name)
        out.emplace_back("last_name");
    if (before.emails != after.emails)
        out.emplace_back("emails");
    if (before.phones != after.phones)
        out.emplace_back("phones");
    if (before.company_name != after.company_name)
        out.emplace_back("company_name");
    if (before.owner_id != after.owner_id)
        out.emplace_back("owner_id");
    if (before.tags != after.tags)
        out.emplace_back("tags");
    if (before.lifecycle_stage != after.lifecycle_stage)
        out.emplace_back("lifecycle_stage");
    if (before.source != after.source)
        out.emplace_back("source");
    if (before.company_id != after.company_id)
        out.emplace_back("company_id");
    if (before.consents != after.consents)
        out.emplace_back("consents");
    for (const auto& f : model::changed_fields(json{{"custom", before.custom}}, json{{"custom", after.custom}}))
        out.push_back(f);
    return out;
}

json consents_json(const std::vector<Consent>& consents)
{
    json out = json::array();
    for (const auto& c : consents)
        out.push_back({{"purpose", c.purpose}, {"granted", c.granted}, {"source", c.source}, {"at", format_iso8601(c.at)}});
    return out;
}

std::vector<Consent> consents_from_json(const json& j)
{
    std::vector<Consent> out;
    if (!j.is_array())
        return out;
    for (const auto& item : j) {
        if (!item.is_object())
            continue;
        Consent c;
        c.purpose = item.value("purpose", "");
        c.granted = item.value("granted", false);
        c.source = item.value("source", "");
        const auto at = item.find("at");
        if (at != item.end() && at->is_string())
            c.at = parse_iso8601(at->get<std::string>()).value_or(0);
        else if (at != item.end() && at->is_number_integer())
            c.at = at->get<UnixMillis>();
        out.push_back(std::move(c));
    }
    return out;
}

void to_json(json& j, const Contact& c)
{
    j = json{{"id", c.id},
             {"first_name", c.first_name},
             {"last_name", c.last_name},
             {"emails", c.emails},
             {"phones", c.phones},
             {"company_name", c.company_name},
             {"owner_id", c.owner_id.empty() ? json(nullptr) : json(c.owner_id)},
             {"tags", c.tags},
             {"lifecycle_stage", c.lifecycle_stage},
             {"source", c.source},
             {"company_id", c.company_id.empty() ? json(nullptr) : json(c.company_id)},
             {"consents", consents_json(c.consents)},
             {"custom", c.custom.is_object() ? c.custom : json::object()},
             {"version", c.version},
             {"created_at", format_iso8601(c.created_at)},
             {"updated_at", format_iso8601(c.updated_at)}};
}

namespace {

bool read_text(const json& j, const char* key, std::string& out, bool required)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return !required;
    if (!it->is_string())
        return false;
    out = it->get_ref<const std::string&>();
    return true;
}

bool read_list(const json& j, const char* key, std::vector<std::string>& out)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return true;
    if (!it->is_array())
        return false;
    for (const auto& item : *it) {
        if (!item.is_string())
            return false;
        out.push_back(item.get_ref<const std::string&>());
    }
    return true;
}

bool read_time(const json& j, const char* key, UnixMillis& out)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string())
        return false;
    const auto t = parse_iso8601(it->get_ref<const std::string&>());
    if (!t)
        return false;
    out = *t;
    return true;
}

} // namespace

std::optional<Contact> contact_from_json(const json& j)
{
    Contact c;
    if (!j.is_object() || !read_text(j, "id", c.id, true) || !read_text(j, "first_name", c.first_name, false) ||
        !read_text(j, "last_name", c.last_name, false) || !read_text(j, "company_name", c.company_name, false) ||
        !read_text(j, "owner_id", c.owner_id, false) || !read_list(j, "emails", c.emails) ||
        !read_list(j, "phones", c.phones) || !read_list(j, "tags", c.tags) || !read_time(j, "created_at", c.created_at) ||
        !read_time(j, "updated_at", c.updated_at))
        return std::nullopt;
    const auto version = j.find("version");
    if (version == j.end() || !version->is_number_integer())
        return std::nullopt;
    c.version = version->get<std::int64_t>();
    // Fields added later are optional in what we read (older stored versions lack them).
    read_text(j, "lifecycle_stage", c.lifecycle_stage, false);
    read_text(j, "source", c.source, false);
    read_text(j, "company_id", c.company_id, false);
    if (const auto it = j.find("consents"); it != j.end())
        c.consents = consents_from_json(*it);
    if (const auto it = j.find("custom"); it != j.end() && it->is_object())
        c.custom = *it;
    return c;
}

std::string display_name(const Contact& c)
{
    if (!c.first_name.empty() && !c.last_name.empty())
        return c.first_name + " " + c.last_name;
    if (!c.first_name.empty() || !c.last_name.empty())
        return c.first_name + c.last_name;
    if (!c.company_name.empty())
        return c.company_name;
    if (!c.emails.empty())
        return c.emails.front();
    if (!c.phones.empty()) // a phone-only contact still needs a label in lists
        return c.phones.front();
    return {};
}

} // namespace stronghold::model

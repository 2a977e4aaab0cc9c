// Contact: the first CRM record. Wire fields (DESIGN.md): id, first_name, last_name, emails[],
// phones[], company_name, owner_id, tags[], version, created_at, updated_at; issue 5 added
// lifecycle_stage, source, company_id (a linked company "co_..."), consents[] and custom{}.
#pragma once

#include "stronghold/api/result.hpp"
#include "stronghold/model/record.hpp"
#include "stronghold/model/time.hpp"
#include "stronghold/validate/sensitive.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::model {

// A consent record (PRV): what the person agreed to or refused, where and when.
struct Consent {
    std::string purpose;  // "email_marketing", "sms", ... (1..100 characters)
    bool granted = true;
    std::string source;   // "web form on example.com", "phone call" (up to 200)
    UnixMillis at = 0;    // when; 0 in a parsed body means "now" (the server fills it in)
    friend bool operator==(const Consent&, const Consent&) = default;
};

// Wire values of lifecycle_stage ("" when unset).
inline constexpr std::string_view k_lifecycle_stages[] = {"subscriber", "lead", "marketing_qualified", "sales_qualified",
                                                          "opportunity", "customer", "evangelist", "other"};

struct Contact {
    std::string id;         // "ct_..."
    std::string account_id; // not on the wire: the URL names it
    std::string first_name;
    std::string last_name;
    std::vector<std::string> emails; // lower-cased domain, validated
    std::vector<std::string> phones; // E.164
    std::string company_name;
    std::string owner_id;            // "us_..." or empty
    std::vector<std::string> tags;
    std::string lifecycle_stage;     // one of k_lifecycle_stages, or ""
    std::string source;              // where the contact came from ("webinar", "import")
    std::string company_id;          // "co_..." or ""
    std::vector<Consent> consents;
    nlohmann::json custom = nlohmann::json::object(); // custom field values (model/record.hpp)
    std::int64_t version = 0;        // 1 at creation, +1 per change
    UnixMillis created_at = 0;
    UnixMillis updated_at = 0;
    friend bool operator==(const Contact&, const Contact&) = default;
};

// Limits shared by browser and server (the same numbers in both error messages).
inline constexpr std::size_t k_max_name_chars = 100;     // first/last name, in code points
inline constexpr std::size_t k_max_company_chars = 200;
inline constexpr std::size_t k_max_tag_chars = 50;
inline constexpr std::size_t k_max_emails = 10;
inline constexpr std::size_t k_max_phones = 10;
inline constexpr std::size_t k_max_tags = 50;

// The writable fields of a contact; every member present in a create, only the given ones in a patch.
struct ContactChanges {
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    std::optional<std::vector<std::string>> emails;
    std::optional<std::vector<std::string>> phones;
    std::optional<std::string> company_name;
    std::optional<std::string> owner_id;
    std::optional<std::vector<std::string>> tags;
    std::optional<std::string> lifecycle_stage;
    std::optional<std::string> source;
    std::optional<std::string> company_id;
    std::optional<std::vector<Consent>> consents;
    std::optional<nlohmann::json> custom; // the complete custom object after the change
    friend bool operator==(const ContactChanges&, const ContactChanges&) = default;
};

// What sub-account settings change in validation.
struct ContactRules {
    std::string default_country_code = "1"; // for national phone numbers
    validate::SensitivePolicy sensitive_policy = validate::SensitivePolicy::refuse; // CRM-5, free-text fields
    std::vector<CustomFieldDef> custom_fields; // the sub-account's custom fields of contacts
    nlohmann::json current_custom = nlohmann::json::object(); // patches: the record's custom values now
};

// Parses and validates a POST body (JSON object of writable fields; at least one name, email or
// phone). Normalises emails and phones. Unknown fields and read-only fields (id, version,
// created_at, updated_at) are validation_failed naming the field. Never throws.
Result<ContactChanges> parse_contact_create(const nlohmann::json& body, const ContactRules& rules);
// Parses and validates a JSON merge patch: null clears a field; same rules as create.
Result<ContactChanges> parse_contact_patch(const nlohmann::json& body, const ContactRules& rules);
// A patch may clear every identifying field: call after apply_changes, before writing.
// validation_failed (field "first_name") when no name, company, email or phone is left.
Status check_contact_identity(const Contact& contact);
// Applies validated changes to a record (does not touch id, version or timestamps).
void apply_changes(Contact& contact, const ContactChanges& changes);
// Names of the fields whose values differ (for audit entries and history).
std::vector<std::string> changed_fields(const Contact& before, const Contact& after);

void to_json(nlohmann::json& j, const Contact& c); // wire form, timestamps ISO 8601
nlohmann::json consents_json(const std::vector<Consent>& consents); // wire form, `at` in ISO 8601
std::vector<Consent> consents_from_json(const nlohmann::json& j);   // lenient; `at` ISO or millis
std::optional<Contact> contact_from_json(const nlohmann::json& j); // lenient reader, never throws

std::string display_name(const Contact& c); // "First Last", else company, else first email

} // namespace stronghold::model

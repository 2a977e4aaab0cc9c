// The create/edit form's model: text as typed, per-field errors, and the JSON body it sends.
// Live validation runs the core's own parser on a one-field body, so the browser shows
// exactly the message the server would answer (same code, same words).
#pragma once

#include "app/conflict.hpp"

#include <stronghold/api/error.hpp>
#include <stronghold/model/contact.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::web::app {

class ContactForm {
public:
    // owner_id: a member's id as text ("" = nobody); the view picks it from the member directory.
    enum Field { first_name, last_name, emails, phones, company_name, owner_id, tags, field_count };
    static constexpr std::array<std::string_view, field_count> k_wire = {
        "first_name", "last_name", "emails", "phones", "company_name", "owner_id", "tags"};
    static constexpr std::array<std::string_view, field_count> k_labels = {
        "First name", "Last name", "Emails", "Phones", "Company", "Owner", "Tags"};

    static ContactForm for_new();
    static ContactForm for_edit(const model::Contact& contact);

    bool editing() const { return m_original.has_value(); }
    const model::Contact* original() const { return m_original ? &*m_original : nullptr; }

    std::string& text(Field f) { return m_text[f]; }
    const std::string& text(Field f) const { return m_text[f]; }
    const std::string& error(Field f) const { return m_error[f]; }
    const std::string& form_error() const { return m_form_error; }

    void validate_field(Field f, const model::ContactRules& rules); // live: sets or clears error(f)
    bool validate_all(const model::ContactRules& rules);            // before saving; true when the body is valid
    nlohmann::json body() const;  // create: every field; edit: a merge patch of the changed fields
    bool has_changes() const;     // edit: something differs from the original
    void apply_server_error(const api::Error& error); // 422 with field -> under that field; else form-level
    void clear_errors();
    void rebase(const model::Contact& current);   // 412 "Overwrite": keep my text, patch against `current`
    void reload(const model::Contact& current);   // 412 "Reload": take `current`, drop my edits
    void merge(const model::Contact& current);    // 412 "Merge": my changed fields over `current`, theirs for the rest
    std::vector<ConflictRow> conflict_rows(const model::Contact& current) const; // fields I or they changed

    static std::vector<std::string> split_list(std::string_view text); // commas or new lines; trimmed; empties dropped
    static std::optional<Field> field_from_wire(std::string_view wire); // "emails[2]" -> emails

private:
    nlohmann::json value_json(Field f) const;
    static nlohmann::json value_json_of(const std::string& text, Field f);
    void fill(const model::Contact& c);

    std::array<std::string, field_count> m_text;
    std::array<std::string, field_count> m_error;
    std::string m_form_error;
    std::optional<model::Contact> m_original;
};

} // namespace stronghold::web::app

#include "app/contact_form.hpp"

namespace stronghold::web::app {
namespace {

bool is_list(ContactForm::Field f) {
    return f == ContactForm::emails || f == ContactForm::phones || f == ContactForm::tags;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += ", ";
        out += s;
    }
    return out;
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

} // namespace

ContactForm ContactForm::for_new() { return ContactForm{}; }

ContactForm ContactForm::for_edit(const model::Contact& contact) {
    ContactForm form;
    form.fill(contact);
    return form;
}

void ContactForm::fill(const model::Contact& c) {
    m_original = c;
    m_text[first_name] = c.first_name;
    m_text[last_name] = c.last_name;
    m_text[emails] = join(c.emails);
    m_text[phones] = join(c.phones);
    m_text[company_name] = c.company_name;
    m_text[owner_id] = c.owner_id;
    m_text[tags] = join(c.tags);
}

std::vector<std::string> ContactForm::split_list(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find_first_of(",\n", start);
        if (end == std::string_view::npos) end = text.size();
        std::string item = trim(text.substr(start, end - start));
        if (!item.empty()) out.push_back(std::move(item));
        start = end + 1;
    }
    return out;
}

std::optional<ContactForm::Field> ContactForm::field_from_wire(std::string_view wire) {
    const std::string_view base = wire.substr(0, wire.find('['));
    for (int f = 0; f < field_count; ++f)
        if (k_wire[f] == base) return static_cast<Field>(f);
    return std::nullopt;
}

nlohmann::json ContactForm::value_json(Field f) const { return value_json_of(m_text[f], f); }

nlohmann::json ContactForm::value_json_of(const std::string& text, Field f) {
    if (is_list(f)) return split_list(text);
    if (f == owner_id && text.empty()) return nullptr; // nobody (the wire's null)
    return text;
}

void ContactForm::validate_field(Field f, const model::ContactRules& rules) {
    // The owner as the server sent it is not ours to judge (an edit patches only a changed owner).
    if (f == owner_id && m_original && m_text[f] == m_original->owner_id) { m_error[f].clear(); return; }
    // A patch with only this field runs the server's checks for it and nothing else.
    nlohmann::json one = nlohmann::json::object();
    one[std::string(k_wire[f])] = value_json(f);
    auto parsed = model::parse_contact_patch(one, rules);
    m_error[f] = parsed ? std::string() : parsed.error().message;
}

bool ContactForm::validate_all(const model::ContactRules& rules) {
    bool ok = true;
    for (int f = 0; f < field_count; ++f) {
        validate_field(static_cast<Field>(f), rules);
        ok = ok && m_error[f].empty();
    }
    m_form_error.clear();
    if (!ok) return false;
    // Whole-record rules (e.g. "needs a name, email or phone") only the full parse knows.
    auto whole = editing() ? model::parse_contact_patch(body(), rules) : model::parse_contact_create(body(), rules);
    if (!whole) {
        apply_server_error(whole.error());
        return false;
    }
    return true;
}

nlohmann::json ContactForm::body() const {
    nlohmann::json out = nlohmann::json::object();
    for (int f = 0; f < field_count; ++f) {
        const auto field = static_cast<Field>(f);
        nlohmann::json value = value_json(field);
        if (m_original) {
            const nlohmann::json before = for_edit(*m_original).value_json(field);
            if (value == before) continue; // a merge patch names only what changed
        } else if (field == owner_id && value.is_null()) {
            continue; // a new contact without one: the server makes the creator its owner
        }
        out[std::string(k_wire[f])] = std::move(value);
    }
    return out;
}

bool ContactForm::has_changes() const { return !m_original || !body().empty(); }

void ContactForm::apply_server_error(const api::Error& error) {
    if (auto f = field_from_wire(error.field)) m_error[*f] = error.message;
    else m_form_error = error.message;
}

void ContactForm::clear_errors() {
    for (auto& e : m_error) e.clear();
    m_form_error.clear();
}

void ContactForm::rebase(const model::Contact& current) {
    auto mine = m_text;
    fill(current);
    m_text = mine;
    clear_errors();
}

void ContactForm::merge(const model::Contact& current) {
    const ContactForm base = for_edit(*m_original);
    auto mine = m_text;
    fill(current);
    for (int f = 0; f < field_count; ++f)
        if (base.value_json(static_cast<Field>(f)) != value_json_of(mine[f], static_cast<Field>(f))) m_text[f] = mine[f];
    clear_errors();
}

std::vector<ConflictRow> ContactForm::conflict_rows(const model::Contact& current) const {
    std::vector<ConflictRow> rows;
    if (!m_original) return rows;
    const ContactForm base = for_edit(*m_original), theirs = for_edit(current);
    for (int i = 0; i < field_count; ++i) {
        const auto f = static_cast<Field>(i);
        ConflictRow row;
        row.field = std::string(k_wire[f]);
        row.label = std::string(k_labels[f]);
        row.touched = value_json(f) != base.value_json(f);
        row.they_changed = theirs.value_json(f) != base.value_json(f);
        if (!row.touched && !row.they_changed) continue;
        row.theirs = join(split_list(theirs.m_text[f]));
        row.yours = is_list(f) ? join(split_list(m_text[f])) : m_text[f];
        if (!is_list(f)) row.theirs = theirs.m_text[f];
        rows.push_back(std::move(row));
    }
    return rows;
}

void ContactForm::reload(const model::Contact& current) {
    fill(current);
    clear_errors();
}

} // namespace stronghold::web::app

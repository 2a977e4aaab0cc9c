// A contacts row as the store reads it: the selected columns and their mapping to the model,
// shared by the record reads (sqlite_store_contacts.cpp) and the lists (sqlite_store_contacts_list.cpp).
#pragma once

#include "store/sqlite.hpp"
#include "stronghold/model/contact.hpp"

#include <string>
#include <string_view>

namespace stronghold::server {

std::string contact_cols(std::string_view prefix);   // "id, account_id, ..." with each name prefixed ("c.")
model::Contact read_contact(const sqlite::Stmt& s);  // a row selected with contact_cols
// The `extra` column: lifecycle_stage, source, company_id, consents, custom (issue 5's fields,
// kept in one JSON column; nothing indexes them yet).
nlohmann::json extra_json(const model::Contact& c);
void apply_extra(model::Contact& c, const nlohmann::json& extra);
std::string extra_text(const model::Contact& c); // extra_json(c).dump(), written directly; "{}" when all empty
// A contact_versions.data record: every field (times in Unix millis), "deleted":true for a
// tombstone; the text nlohmann::json would dump for it, written directly (an import writes one per row).
std::string record_json(const model::Contact& c, bool deleted);

} // namespace stronghold::server

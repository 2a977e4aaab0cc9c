// Derived keys of a contact used for sorting and search, and the opaque list cursor.
// Pure functions (no SQLite), unit-tested on their own.
#pragma once

#include "stronghold/api/result.hpp"
#include "stronghold/model/contact.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace stronghold::server {

// Lower-cases ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic (the scripts the dashboard's
// font draws); other code points pass through unchanged. Invalid UTF-8 bytes pass through.
// No ICU: this is a deliberate, small, deterministic fold used for keys, not for display.
std::string fold_lower(std::string_view utf8);

struct ContactKeys {
    std::string sort_name;  // fold("first last"), or fold(display name) when both names are empty
    std::string full_lower; // fold("first last") trimmed
    std::string last_lower; // fold(last)
};
ContactKeys contact_keys(const model::Contact& c);

// The exclusive upper bound of every string starting with prefix: prefix + 0xFF (a byte that
// never occurs in UTF-8), so `col >= prefix AND col < bound` is an index range.
std::string prefix_upper_bound(std::string_view prefix);

enum class SortField { name, updated_at, created_at };
struct SortSpec {
    SortField field = SortField::name;
    bool descending = false;
};
// "name" | "-name" | "updated_at" | "-updated_at" | "created_at" | "-created_at";
// anything else -> validation_failed (field "sort").
Result<SortSpec> parse_sort(std::string_view sort);

// Keyset position: the last row's sort key and id. Ties are broken by id in the sort's direction.
struct Cursor {
    std::variant<std::string, std::int64_t> key; // name sorts: string; time sorts: millis
    std::string id;
};
// base64url (no padding) of {"s":"<sort>","k":<key>,"id":"<id>"}.
std::string encode_cursor(const SortSpec& sort, const Cursor& cursor);
// Validates shape, JSON, key type and that the cursor belongs to this sort;
// any failure -> validation_failed (field "cursor").
Result<Cursor> decode_cursor(const SortSpec& sort, std::string_view text);

} // namespace stronghold::server

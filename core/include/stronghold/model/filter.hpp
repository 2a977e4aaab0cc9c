// List filters as the wire writes them: `field[op]=value` (DESIGN.md "Lists"). Pure and
// object-agnostic: the caller passes the fields its list accepts and their types, so the browser
// (which builds the same filters) and the server parse them alike, for contacts or any object.
//
// Operators: eq, ne, lt, lte, gt, gte, in (comma-separated, at most k_filter_max_in values),
// prefix, exists (true|false). Which apply depends on the field's type:
//   text  (a string column)            eq ne lt lte gt gte in prefix exists
//   id    (an opaque id)               eq ne in exists
//   time  (ISO 8601 UTC, or millis)    eq ne lt lte gt gte in exists
//   set   (many strings: tags, emails) eq (has it) ne (has not) in (has any) prefix (has one
//                                      starting with) exists (has at least one)
// Every failure is validation_failed naming the whole parameter (e.g. "created_at[gt]").
#pragma once

#include "stronghold/api/result.hpp"
#include "stronghold/model/time.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::model {

enum class FilterOp { eq, ne, lt, lte, gt, gte, in, prefix, exists };
enum class FilterType { text, id, time, set };

struct FilterField {
    std::string_view name;
    FilterType type;
};

struct Filter {
    std::string field;                 // one of the allowed field names
    FilterOp op = FilterOp::eq;
    std::vector<std::string> values;   // text/id/set operands (in: one per item); empty for time and exists
    std::vector<UnixMillis> times;     // time operands (in: one per item)
    bool exists = true;                // exists: true = has a value, false = has none
};

constexpr std::size_t k_filter_max_in = 100;       // values of one `in`
constexpr std::size_t k_filter_max_value_chars = 254; // one operand (the longest email)

std::string_view filter_op_name(FilterOp op);                                  // "eq", "prefix", ...
bool is_filter_param(std::string_view name);                                   // "x[y]" shape
bool filter_op_allowed(FilterType type, FilterOp op);                          // the table above
// "created_at[gt]", "2026-01-01T00:00:00Z" -> Filter; validation_failed naming `name` otherwise.
Result<Filter> parse_filter_param(std::string_view name, std::string_view value, std::span<const FilterField> fields);

} // namespace stronghold::model

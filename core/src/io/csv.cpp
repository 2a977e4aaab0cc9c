// [SECTION] Writer - formula guard (CSV injection) and RFC 4180 quoting
#include "stronghold/io/csv.hpp"

#include <array>

namespace stronghold::io {

// [SECTION] Writer

namespace {

// Full-width forms some spreadsheets (East Asian input) also accept as formula starts.
constexpr std::array<std::string_view, 4> k_fullwidth_starts = {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D",
                                                                "\xEF\xBC\xA0"}; // U+FF1D = U+FF0B + U+FF0D - U+FF20 @

void append_cell(std::string& out, std::string_view cell)
{
    const bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos ||
                       (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
    if (!quote) {
        out += cell;
        return;
    }
    out += '"';
    for (char c : cell) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

} // namespace

bool is_formula_like(std::string_view cell)
{
    if (cell.empty())
        return false;
    switch (cell.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
        return true;
    default:
        break;
    }
    for (auto start : k_fullwidth_starts)
        if (cell.starts_with(start))
            return true;
    return false;
}

bool needs_formula_guard(std::string_view cell)
{
    const auto first = cell.find_first_not_of('\'');
    return first != std::string_view::npos && is_formula_like(cell.substr(first));
}

std::string neutralise_formula(std::string_view cell)
{
    if (!needs_formula_guard(cell))
        return std::string(cell);
    std::string out;
    out.reserve(cell.size() + 1);
    out += '\'';
    out += cell;
    return out;
}

std::string_view strip_formula_guard(std::string_view cell)
{
    if (cell.starts_with('\'') && needs_formula_guard(cell.substr(1)))
        return cell.substr(1);
    return cell;
}

std::string csv_cell(std::string_view cell)
{
    std::string out;
    out.reserve(cell.size() + 2);
    append_cell(out, cell);
    return out;
}

void append_csv_row(std::string& out, std::span<const std::string> values)
{
    bool first = true;
    for (const auto& value : values) {
        if (!first)
            out += ',';
        first = false;
        if (needs_formula_guard(value)) {
            // The quote goes inside the field: "'=1,2" stays one guarded cell.
            append_cell(out, "'" + value);
        } else {
            append_cell(out, value);
        }
    }
    out += k_csv_line_end;
}

} // namespace stronghold::io

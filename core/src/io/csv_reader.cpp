// [SECTION] Reader of stronghold/io/csv.hpp: a byte-at-a-time state machine, so a chunk may end
// anywhere (inside a quote, between CR and LF, inside the BOM) and the rows are the same.
// Kept apart from the writer (csv.cpp) because two people work on the two halves.
#include "stronghold/io/csv.hpp"

#include <array>

namespace stronghold::io {

namespace {

constexpr std::array<char, 3> k_bom = {'\xEF', '\xBB', '\xBF'};

} // namespace

CsvReader::CsvReader(CsvLimits limits) : m_limits(limits) {}

bool CsvReader::fail(std::string code, std::string message)
{
    m_failed = true;
    m_error = {std::move(code), std::move(message), m_record, m_row.fields.size() + 1};
    return false;
}

bool CsvReader::end_field()
{
    if (m_row.fields.size() >= m_limits.max_columns)
        return fail("csv_too_many_columns", "a row has more than " + std::to_string(m_limits.max_columns) + " columns");
    m_row.fields.push_back(std::move(m_field));
    m_field.clear();
    m_state = State::field_start;
    return true;
}

void CsvReader::end_record(std::vector<CsvRow>& out)
{
    // A line with nothing on it is no record (but keeps its number); `""` alone is one empty field.
    const bool blank = m_row.fields.size() == 1 && m_row.fields[0].empty() && !m_field_quoted;
    if (!blank) {
        m_row.number = m_record;
        out.push_back(std::move(m_row));
    }
    m_row = CsvRow{};
    m_field_quoted = false;
    m_row_bytes = 0;
    ++m_record;
}

bool CsvReader::end_line(char c, std::vector<CsvRow>& out)
{
    if (!end_field())
        return false;
    end_record(out);
    m_skip_lf = c == '\r';
    return true;
}

bool CsvReader::step(char c, std::vector<CsvRow>& out)
{
    if (m_skip_lf) {
        m_skip_lf = false;
        if (c == '\n')
            return true;
    }
    if (++m_row_bytes > m_limits.max_row_bytes)
        return fail("csv_row_too_long", "a row is longer than " + std::to_string(m_limits.max_row_bytes) + " bytes");
    switch (m_state) {
    case State::field_start:
        if (c == '"') {
            m_state = State::quoted;
            m_field_quoted = true;
            m_quote_column = m_row.fields.size() + 1;
            return true;
        }
        m_state = State::unquoted;
        [[fallthrough]];
    case State::unquoted:
        if (c == ',')
            return end_field();
        if (c == '\n' || c == '\r')
            return end_line(c, out);
        // A quote inside an unquoted field (`5" screen`) is kept as text, as spreadsheets do.
        m_field.push_back(c);
        return true;
    case State::quoted:
        if (c == '"')
            m_state = State::quote_in_quoted;
        else
            m_field.push_back(c);
        return true;
    case State::quote_in_quoted:
        if (c == '"') { // "" inside quotes: one quote
            m_field.push_back('"');
            m_state = State::quoted;
            return true;
        }
        if (c == ',')
            return end_field();
        if (c == '\n' || c == '\r')
            return end_line(c, out);
        return fail("csv_invalid_quote", "a quoted field must end at a comma or the end of the line");
    }
    return true;
}

bool CsvReader::feed(std::string_view chunk, std::vector<CsvRow>& out)
{
    if (m_failed)
        return false;
    std::size_t i = 0;
    // The BOM may arrive split over chunks: match it byte by byte, and replay what matched if
    // the start turns out to be something else.
    while (m_bom_seen < k_bom.size() && i < chunk.size()) {
        if (chunk[i] == k_bom[m_bom_seen]) {
            ++m_bom_seen;
            ++i;
            continue;
        }
        const std::size_t matched = m_bom_seen;
        m_bom_seen = k_bom.size();
        for (std::size_t k = 0; k < matched; ++k)
            if (!step(k_bom[k], out))
                return false;
    }
    for (; i < chunk.size(); ++i)
        if (!step(chunk[i], out))
            return false;
    return true;
}

bool CsvReader::finish(std::vector<CsvRow>& out)
{
    if (m_failed)
        return false;
    if (m_bom_seen < k_bom.size()) { // input shorter than a BOM: what matched is text
        const std::size_t matched = m_bom_seen;
        m_bom_seen = k_bom.size();
        for (std::size_t k = 0; k < matched; ++k)
            if (!step(k_bom[k], out))
                return false;
    }
    if (m_state == State::quoted) {
        m_failed = true;
        m_error = {"csv_unterminated_quote", "a quoted field is not closed before the end of the file", m_record,
                   m_quote_column};
        return false;
    }
    // The last record without a line break; nothing at all after a final line break.
    if (m_state != State::field_start || !m_row.fields.empty() || m_field_quoted) {
        if (!end_field())
            return false;
        end_record(out);
    }
    return true;
}

} // namespace stronghold::io

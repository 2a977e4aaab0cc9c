// CSV (RFC 4180) for imports and exports. Sans-I/O: the caller moves the bytes (a file, an
// upload), these only turn bytes into rows and rows into bytes, so the browser and the server
// read and write the same way.
//
// [SECTION] Writer - formula guard (CSV injection) and RFC 4180 quoting
// [SECTION] Reader
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::io {

// [SECTION] Writer - formula guard (CSV injection) and RFC 4180 quoting
// (declarations restored after an accidental overwrite; see core/src/io/csv.cpp for the contracts)

inline constexpr std::string_view k_csv_line_end = "\r\n"; // RFC 4180 record separator

bool is_formula_like(std::string_view cell);          // starts with = + - @ TAB CR (or a full-width = + - @)
bool needs_formula_guard(std::string_view cell);      // formula-like once leading apostrophes are skipped
std::string neutralise_formula(std::string_view cell); // "'" + cell when it needs the guard, else cell
std::string_view strip_formula_guard(std::string_view cell); // inverse of neutralise_formula
std::string csv_cell(std::string_view cell);          // one field, quoted when it must be
// One record: guarded, quoted fields joined by ',' and ended by k_csv_line_end.
void append_csv_row(std::string& out, std::span<const std::string> values);

// [SECTION] Reader
// A streaming reader: feed() any chunks (a byte, a block, the whole file), finish() at the end
// of the input; complete rows come out in order, the same rows however the input was cut.
// Quoted fields may hold separators, "" (one quote) and line breaks; records end with CRLF, LF
// or CR; a UTF-8 byte-order mark at the very start is dropped. A blank line is skipped but still
// counted, so CsvRow::number is the record's position in the file (the header is record 0).
// After an error the reader stays failed: a broken quote leaves no safe place to resume.

inline constexpr std::size_t k_csv_max_row_bytes = 1024 * 1024; // one record, quotes included
inline constexpr std::size_t k_csv_max_columns = 1000;

struct CsvLimits {
    std::size_t max_row_bytes = k_csv_max_row_bytes;
    std::size_t max_columns = k_csv_max_columns;
};

struct CsvRow {
    std::size_t number = 0;           // 0-based record number in the file (blank lines count)
    std::vector<std::string> fields;
};

// code: "csv_unterminated_quote" | "csv_invalid_quote" | "csv_row_too_long" | "csv_too_many_columns".
struct CsvError {
    std::string code;
    std::string message;
    std::size_t row = 0;    // record number as in CsvRow::number
    std::size_t column = 0; // 1-based field position
};

class CsvReader {
public:
    explicit CsvReader(CsvLimits limits = {});

    bool feed(std::string_view chunk, std::vector<CsvRow>& out); // appends complete rows; false on error
    bool finish(std::vector<CsvRow>& out);                       // end of input: the last row, open-quote check
    bool failed() const { return m_failed; }
    const CsvError& error() const { return m_error; }            // set once feed/finish returned false

private:
    enum class State { field_start, unquoted, quoted, quote_in_quoted };
    bool step(char c, std::vector<CsvRow>& out);
    bool end_field();
    void end_record(std::vector<CsvRow>& out);
    bool end_line(char c, std::vector<CsvRow>& out); // CR or LF outside quotes
    bool fail(std::string code, std::string message);

    CsvLimits m_limits;
    State m_state = State::field_start;
    std::string m_field;
    CsvRow m_row;
    bool m_field_quoted = false;  // blank-line detection: "" is a field, an empty line is not
    bool m_skip_lf = false;       // the previous record ended with CR: a following LF belongs to it
    std::size_t m_row_bytes = 0;
    std::size_t m_record = 0;     // number of the record being read
    std::size_t m_quote_column = 0;
    std::size_t m_bom_seen = 0;   // bytes of a leading BOM matched so far (3 = past the start)
    bool m_failed = false;
    CsvError m_error;
};

} // namespace stronghold::io

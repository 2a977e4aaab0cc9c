#include "stronghold/io/csv.hpp"

#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace stronghold;
using namespace stronghold::io;

namespace {

using Fields = std::vector<std::vector<std::string>>;

struct Parsed {
    std::vector<CsvRow> rows;
    bool ok = true;
    CsvError error;
};

Parsed parse_chunks(std::string_view text, std::size_t chunk, CsvLimits limits = {})
{
    Parsed p;
    CsvReader reader(limits);
    for (std::size_t i = 0; i < text.size() && p.ok; i += chunk)
        p.ok = reader.feed(text.substr(i, chunk), p.rows);
    if (p.ok)
        p.ok = reader.finish(p.rows);
    if (!p.ok)
        p.error = reader.error();
    return p;
}

Parsed parse(std::string_view text, CsvLimits limits = {})
{
    return parse_chunks(text, text.size() ? text.size() : 1, limits);
}

Fields fields_of(const Parsed& p)
{
    Fields out;
    for (const auto& r : p.rows)
        out.push_back(r.fields);
    return out;
}

std::vector<std::size_t> numbers_of(const Parsed& p)
{
    std::vector<std::size_t> out;
    for (const auto& r : p.rows)
        out.push_back(r.number);
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(csv_reader)

BOOST_AUTO_TEST_CASE(CRM4_reads_rfc4180_records)
{
    struct Case {
        const char* name;
        std::string text;
        Fields rows;
    };
    const std::vector<Case> cases = {
        {"plain LF", "a,b\n1,2\n", {{"a", "b"}, {"1", "2"}}},
        {"CRLF", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}},
        {"lone CR", "a,b\r1,2\r", {{"a", "b"}, {"1", "2"}}},
        {"no final line break", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}},
        {"empty fields", ",\n,x,\n", {{"", ""}, {"", "x", ""}}},
        {"quoted comma", "\"a,b\",c\n", {{"a,b", "c"}}},
        {"doubled quote", "\"say \"\"hi\"\"\",x\n", {{"say \"hi\"", "x"}}},
        {"embedded LF and CRLF", "\"l1\nl2\",\"x\r\ny\"\n", {{"l1\nl2", "x\r\ny"}}},
        {"quoted empty is a field", "\"\"\n", {{""}}},
        {"quote inside unquoted text stays", "5\" screen,x\n", {{"5\" screen", "x"}}},
        {"BOM dropped", "\xEF\xBB\xBFname\nAna\n", {{"name"}, {"Ana"}}},
        {"BOM only at the start", "a\n\xEF\xBB\xBF\n", {{"a"}, {"\xEF\xBB\xBF"}}},
        {"not a BOM", "\xEF\xBBx\n", {{"\xEF\xBBx"}}},
        {"short input like a BOM", "\xEF", {{"\xEF"}}},
        {"blank lines skipped", "a\n\n\r\nb\n", {{"a"}, {"b"}}},
        {"UTF-8 kept", "Zo\xC3\xAB,\xE6\x9D\xB1\n", {{"Zo\xC3\xAB", "\xE6\x9D\xB1"}}},
        {"empty input", "", {}},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            const auto p = parse(c.text);
            BOOST_TEST_REQUIRE(p.ok);
            BOOST_TEST((fields_of(p) == c.rows));
        }
    }
}

BOOST_AUTO_TEST_CASE(CRM4_row_numbers_count_blank_lines_and_the_header_is_zero)
{
    const auto p = parse("h1,h2\n1,2\n\n\"multi\nline\",3\n4,5\n");
    BOOST_TEST_REQUIRE(p.ok);
    BOOST_TEST((numbers_of(p) == (std::vector<std::size_t>{0, 1, 3, 4})));
}

BOOST_AUTO_TEST_CASE(CRM4_any_chunking_gives_the_same_rows)
{
    const std::string text = "\xEF\xBB\xBF"
                             "first,last,\"e,mail\"\r\n"
                             "Ana,\"Li\"\"ma\",ana@x.test\r\n"
                             "\r\n"
                             "\"multi\r\nline\",,\"\"\r"
                             "\n"
                             "x,y,z\n"
                             "\"end\",\"\",last";
    const auto whole = parse(text);
    BOOST_TEST_REQUIRE(whole.ok);
    BOOST_TEST(whole.rows.size() == 5u);
    for (std::size_t chunk : {1, 2, 3, 5, 7, 13}) {
        BOOST_TEST_CONTEXT("chunk " << chunk)
        {
            const auto p = parse_chunks(text, chunk);
            BOOST_TEST_REQUIRE(p.ok);
            BOOST_TEST((fields_of(p) == fields_of(whole)));
            BOOST_TEST((numbers_of(p) == numbers_of(whole)));
        }
    }
    // Every split point of the text into two chunks, too.
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        BOOST_TEST_CONTEXT("cut at " << cut)
        {
            Parsed p;
            CsvReader reader;
            BOOST_TEST_REQUIRE(reader.feed(std::string_view(text).substr(0, cut), p.rows));
            BOOST_TEST_REQUIRE(reader.feed(std::string_view(text).substr(cut), p.rows));
            BOOST_TEST_REQUIRE(reader.finish(p.rows));
            BOOST_TEST((fields_of(p) == fields_of(whole)));
        }
    }
}

BOOST_AUTO_TEST_CASE(CRM4_errors_name_row_and_column)
{
    struct Case {
        const char* name;
        std::string text;
        CsvLimits limits;
        std::string code;
        std::size_t row;
        std::size_t column;
    };
    const std::vector<Case> cases = {
        {"unterminated quote", "a,b\n1,\"open\nstill open", {}, "csv_unterminated_quote", 1, 2},
        {"text after a closing quote", "a,b\n\"x\"y,2\n", {}, "csv_invalid_quote", 1, 1},
        {"row too long", "a,b\n1,222222\n", {8, 100}, "csv_row_too_long", 1, 2},
        {"too many columns", "a,b\n1,2,3\n", {1024, 2}, "csv_too_many_columns", 1, 3},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            for (std::size_t chunk : {std::size_t{1}, c.text.size()}) {
                const auto p = parse_chunks(c.text, chunk, c.limits);
                BOOST_TEST_REQUIRE(!p.ok);
                BOOST_TEST(p.error.code == c.code);
                BOOST_TEST(p.error.row == c.row);
                BOOST_TEST(p.error.column == c.column);
                BOOST_TEST(!p.error.message.empty());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(CRM4_a_failed_reader_stays_failed)
{
    CsvReader reader({4, 10});
    std::vector<CsvRow> rows;
    BOOST_TEST(!reader.feed("abcdefgh\n", rows));
    BOOST_TEST(reader.failed());
    BOOST_TEST(!reader.feed("a\n", rows));
    BOOST_TEST(!reader.finish(rows));
    BOOST_TEST(rows.empty());
}

BOOST_AUTO_TEST_CASE(CRM4_default_row_limit_is_one_mebibyte)
{
    const std::string big(k_csv_max_row_bytes - 1, 'x');
    BOOST_TEST(parse(big + "\n").ok); // the line break is the limit's last byte
    const auto p = parse(big + "xx\n");
    BOOST_TEST_REQUIRE(!p.ok);
    BOOST_TEST(p.error.code == "csv_row_too_long");
}

BOOST_AUTO_TEST_SUITE_END()

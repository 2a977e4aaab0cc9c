#include "stronghold/io/csv.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace stronghold::io;

BOOST_AUTO_TEST_SUITE(io_csv)

BOOST_AUTO_TEST_SUITE(writer)

BOOST_AUTO_TEST_CASE(CRM4_plain_cells_are_written_as_they_are)
{
    BOOST_TEST(csv_cell("") == "");
    BOOST_TEST(csv_cell("Ana Lima") == "Ana Lima");
    BOOST_TEST(csv_cell("ana@example.com") == "ana@example.com");
    BOOST_TEST(csv_cell("Zoë Ünal") == "Zoë Ünal");
}

BOOST_AUTO_TEST_CASE(CRM4_rfc4180_quotes_cells_with_separators_quotes_and_line_breaks)
{
    BOOST_TEST(csv_cell("a,b") == "\"a,b\"");
    BOOST_TEST(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    BOOST_TEST(csv_cell("line1\nline2") == "\"line1\nline2\"");
    BOOST_TEST(csv_cell("cr\rhere") == "\"cr\rhere\"");
    BOOST_TEST(csv_cell(" padded ") == "\" padded \""); // readers that trim would lose the spaces
    BOOST_TEST(csv_cell("\"") == "\"\"\"\"");
}

BOOST_AUTO_TEST_CASE(CRM4_formula_starts_are_detected)
{
    for (std::string s : {"=1+1", "+15551234", "-2", "@SUM(A1)", "\tx", "\rx", "\xEF\xBC\x9D" "1+1"})
        BOOST_TEST_CONTEXT(s) BOOST_TEST(is_formula_like(s));
    for (std::string s : {"", "Ana", "1=1", " =1", "'=1", "a@b.c", "\xEF\xBC\xA1"})
        BOOST_TEST_CONTEXT(s) BOOST_TEST(!is_formula_like(s));
}

BOOST_AUTO_TEST_CASE(CRM4_formula_cells_get_a_leading_quote)
{
    BOOST_TEST(neutralise_formula("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")");
    BOOST_TEST(neutralise_formula("+1 555") == "'+1 555");
    BOOST_TEST(neutralise_formula("@cmd") == "'@cmd");
    BOOST_TEST(neutralise_formula("Ana") == "Ana");
    BOOST_TEST(neutralise_formula("") == "");
    // a value that already starts with a quote before a formula gets one more, so the guard is reversible
    BOOST_TEST(neutralise_formula("'=1") == "''=1");
    BOOST_TEST(neutralise_formula("'plain") == "'plain");
}

BOOST_AUTO_TEST_CASE(CRM4_formula_guard_round_trips)
{
    for (std::string s : {"", "=1", "'=1", "''=1", "'", "''", "'a", "a'", "-", "--x", "Ana", "'+", "\t"})
        BOOST_TEST_CONTEXT(s) BOOST_TEST(std::string(strip_formula_guard(neutralise_formula(s))) == s);
    BOOST_TEST(strip_formula_guard("'Ana") == "'Ana"); // a quote that guards nothing stays
}

BOOST_AUTO_TEST_CASE(CRM4_rows_guard_then_quote_and_end_with_crlf)
{
    std::string out;
    const std::vector<std::string> row = {"ct_1", "=cmd|' /C calc'!A0", "a,b", "", "+1555", "x\"y"};
    append_csv_row(out, row);
    BOOST_TEST(out == "ct_1,'=cmd|' /C calc'!A0,\"a,b\",,'+1555,\"x\"\"y\"\r\n");
    // a guarded cell that needs quotes keeps the guard inside the quotes
    out.clear();
    append_csv_row(out, std::vector<std::string>{"=1,2"});
    BOOST_TEST(out == "\"'=1,2\"\r\n");
    out.clear();
    append_csv_row(out, std::vector<std::string>{});
    BOOST_TEST(out == "\r\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()

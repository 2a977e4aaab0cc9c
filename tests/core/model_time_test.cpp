#include "stronghold/model/time.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <vector>

using namespace stronghold::model;

BOOST_AUTO_TEST_SUITE(model_time)

namespace {
struct Instant {
    UnixMillis t;
    const char* text;
};
// Reference values computed independently (date -u -d @... and known calendar facts).
const std::vector<Instant> k_instants = {
    {0, "1970-01-01T00:00:00.000Z"},
    {1, "1970-01-01T00:00:00.001Z"},
    {-1, "1969-12-31T23:59:59.999Z"},
    {951782400000, "2000-02-29T00:00:00.000Z"},   // leap day of a 400-year leap year
    {1709164800000, "2024-02-29T00:00:00.000Z"},  // ordinary leap day
    {1798272000000, "2026-12-26T08:00:00.000Z"},
    {4107542399999, "2100-02-28T23:59:59.999Z"},  // 2100 is not a leap year: next is March 1
    {4107542400000, "2100-03-01T00:00:00.000Z"},
    {253402300799999, "9999-12-31T23:59:59.999Z"},
    {-2208988800000, "1900-01-01T00:00:00.000Z"},
};
} // namespace

BOOST_AUTO_TEST_CASE(formats_and_parses_known_instants)
{
    for (const auto& i : k_instants) {
        BOOST_TEST_CONTEXT(i.text)
        {
            BOOST_TEST(format_iso8601(i.t) == i.text);
            const auto back = parse_iso8601(i.text);
            BOOST_TEST_REQUIRE(back.has_value());
            BOOST_TEST(*back == i.t);
        }
    }
}

BOOST_AUTO_TEST_CASE(round_trips_every_day_for_eight_years_around_leap_years)
{
    // 1999-01-01 .. 2007: crosses 2000 (leap) and 2004 (leap), 12:34:56.789 each day.
    for (UnixMillis day = 10592; day < 10592 + 8 * 366; ++day) {
        const UnixMillis t = day * 86'400'000 + 45'296'789;
        const auto back = parse_iso8601(format_iso8601(t));
        BOOST_TEST_REQUIRE(back.has_value());
        BOOST_TEST_REQUIRE(*back == t);
    }
}

BOOST_AUTO_TEST_CASE(parses_offsets_and_fractions)
{
    struct Case {
        const char* text;
        UnixMillis t;
    };
    const Case cases[] = {
        {"1970-01-01T00:00:00Z", 0},
        {"1970-01-01T00:00:00.5Z", 500},
        {"1970-01-01T00:00:00.12Z", 120},
        {"1970-01-01T00:00:00.123456789Z", 123}, // beyond millis: truncated
        {"1970-01-01T01:00:00+01:00", 0},
        {"1969-12-31T19:00:00-05:00", 0},
        {"1970-01-01T05:30:00.250+05:30", 250},
        {"2024-02-29t12:00:00z", 1709208000000},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.text)
        {
            const auto t = parse_iso8601(c.text);
            BOOST_TEST_REQUIRE(t.has_value());
            BOOST_TEST(*t == c.t);
        }
    }
}

BOOST_AUTO_TEST_CASE(refuses_malformed_and_impossible_times)
{
    const char* bad[] = {
        "",
        "2024-02-29",                   // no time
        "2024-02-29T12:00:00",          // no zone: ambiguous
        "2023-02-29T00:00:00Z",         // not a leap year
        "2100-02-29T00:00:00Z",         // century, not leap
        "2024-13-01T00:00:00Z",
        "2024-00-10T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01T23:60:00Z",
        "2024-01-01T23:59:60Z",         // leap second: no place in Unix millis
        "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00.1234567890Z",
        "2024-01-01T00:00:00+0100",
        "2024-01-01T00:00:00+24:00",
        "2024-01-01T00:00:00Zjunk",
        "2024-01-01 00:00:00Z",
        "24-01-01T00:00:00Z",
        "2024-1-01T00:00:00Z",
        "+2024-01-01T00:00:00Z",
    };
    for (const char* text : bad)
        BOOST_TEST_CONTEXT(text) { BOOST_TEST(!parse_iso8601(text).has_value()); }
}

BOOST_AUTO_TEST_SUITE_END()

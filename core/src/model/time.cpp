// ISO 8601 UTC without the C library: no locale, no gmtime/timegm (absent or thread-unsafe on
// some targets, and the browser build should not depend on the C runtime's time zone state).
// Day arithmetic uses Howard Hinnant's civil-from-days / days-from-civil algorithms.
#include "stronghold/model/time.hpp"

#include <cstdio>

namespace stronghold::model {

namespace {

constexpr std::int64_t k_ms_per_day = 86'400'000;

struct Civil {
    std::int64_t year;
    unsigned month; // 1..12
    unsigned day;   // 1..31
};

constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr Civil civil_from_days(std::int64_t z)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return Civil{y + (m <= 2), m, d};
}

constexpr bool is_leap(std::int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

constexpr unsigned days_in_month(std::int64_t y, unsigned m)
{
    constexpr unsigned k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : k_days[m - 1];
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(civil_from_days(0).year == 1970);

// Reads exactly n decimal digits at pos; false when any is not a digit or the text is short.
bool read_digits(std::string_view text, std::size_t pos, std::size_t n, int& out)
{
    if (pos + n > text.size())
        return false;
    int value = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    return true;
}

} // namespace

std::string format_iso8601(UnixMillis t)
{
    // Floor division so instants before 1970 format correctly.
    std::int64_t days = t / k_ms_per_day;
    std::int64_t ms_of_day = t % k_ms_per_day;
    if (ms_of_day < 0) {
        ms_of_day += k_ms_per_day;
        --days;
    }
    const Civil c = civil_from_days(days);
    const auto h = static_cast<int>(ms_of_day / 3'600'000);
    const auto mi = static_cast<int>(ms_of_day / 60'000 % 60);
    const auto s = static_cast<int>(ms_of_day / 1000 % 60);
    const auto ms = static_cast<int>(ms_of_day % 1000);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<long long>(c.year), c.month,
                  c.day, h, mi, s, ms);
    return buf;
}

std::optional<UnixMillis> parse_iso8601(std::string_view text)
{
    // YYYY-MM-DDTHH:MM:SS[.f+](Z|+hh:mm|-hh:mm); fractions beyond milliseconds are truncated.
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (!read_digits(text, 0, 4, y) || text.size() < 19 || text[4] != '-' || !read_digits(text, 5, 2, mo) ||
        text[7] != '-' || !read_digits(text, 8, 2, d) || (text[10] != 'T' && text[10] != 't') ||
        !read_digits(text, 11, 2, h) || text[13] != ':' || !read_digits(text, 14, 2, mi) || text[16] != ':' ||
        !read_digits(text, 17, 2, s))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(mo)) ||
        h > 23 || mi > 59 || s > 59) // no leap second: UTC millis have no place for it
        return std::nullopt;

    std::size_t pos = 19;
    int ms = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t start = pos;
        int scale = 100;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ms += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start || pos - start > 9)
            return std::nullopt;
    }

    std::int64_t offset_minutes = 0;
    if (pos == text.size())
        return std::nullopt; // a time without a zone is ambiguous
    if (text[pos] == 'Z' || text[pos] == 'z') {
        ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
        int oh = 0, om = 0;
        if (!read_digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
            !read_digits(text, pos + 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offset_minutes = (text[pos] == '+' ? 1 : -1) * (oh * 60 + om);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size())
        return std::nullopt;

    const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    const std::int64_t local = days * k_ms_per_day + h * 3'600'000LL + mi * 60'000LL + s * 1000LL + ms;
    return local - offset_minutes * 60'000;
}

} // namespace stronghold::model

#include "stronghold/validate/session.hpp"

#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold;
using namespace stronghold::validate;

BOOST_AUTO_TEST_SUITE(validate_session)

BOOST_AUTO_TEST_CASE(iam5_session_timeouts_have_bounds_and_defaults_inside_them)
{
    for (const auto& b : {k_session_idle_minutes, k_session_absolute_hours}) {
        BOOST_TEST(b.min <= b.fallback);
        BOOST_TEST(b.fallback <= b.max);
        BOOST_TEST(session_setting("f", b.min, b).ok());
        BOOST_TEST(session_setting("f", b.max, b).ok());
        const auto low = session_setting("session_idle_minutes", b.min - 1, b);
        BOOST_REQUIRE(!low.ok());
        BOOST_TEST(low.error().code == api::ErrorCode::validation_failed);
        BOOST_TEST(low.error().field == "session_idle_minutes");
        BOOST_TEST(!session_setting("f", b.max + 1, b).ok());
    }
    BOOST_TEST(session_setting("x", 2, k_session_idle_minutes).error().message == "must be between 5 and 1440");
    BOOST_TEST(k_session_idle_minutes.fallback == 30);  // IAM-5 defaults: 30 minutes idle,
    BOOST_TEST(k_session_absolute_hours.fallback == 12); // 12 hours absolute
}

BOOST_AUTO_TEST_SUITE_END()

#include "net/live.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold::web::net;

BOOST_AUTO_TEST_SUITE(live_test)

BOOST_AUTO_TEST_CASE(parses_contact_frames) {
    LiveEvent e;
    BOOST_TEST(parse_live_event(R"({"type":"contact.updated","account_id":"ac_1","id":"ct_9","version":4})", e));
    BOOST_TEST(e.type == "contact.updated");
    BOOST_TEST(e.account_id == "ac_1");
    BOOST_TEST(e.id == "ct_9");
    BOOST_TEST(e.version == 4);
}

BOOST_AUTO_TEST_CASE(garbage_frames_are_refused_without_throwing) {
    LiveEvent e;
    BOOST_TEST(!parse_live_event("not json", e));
    BOOST_TEST(!parse_live_event("[1,2]", e));
    BOOST_TEST(!parse_live_event(R"({"type":5})", e));
    BOOST_TEST(parse_live_event(R"({"type":"bulk_changed","version":"x"})", e));
    BOOST_TEST(e.version == 0);
}

BOOST_AUTO_TEST_CASE(backoff_grows_and_caps_with_bounded_jitter) {
    BOOST_TEST(reconnect_delay_ms(0, 0.0) == 500);
    BOOST_TEST(reconnect_delay_ms(1, 0.0) == 1000);
    BOOST_TEST(reconnect_delay_ms(3, 0.0) == 4000);
    BOOST_TEST(reconnect_delay_ms(50, 0.0) == 30000);
    BOOST_TEST(reconnect_delay_ms(50, 0.99) <= 37500);
    BOOST_TEST(reconnect_delay_ms(2, 0.5) > reconnect_delay_ms(2, 0.0));
}

BOOST_AUTO_TEST_SUITE_END()

// The live WebSocket: NET-2 (the App decides the upgrade: Origin, session), frames from LiveHub,
// and revocation closing the socket at once.
#include "live/hub.hpp"

#include "support/fake_app.hpp"
#include "support/https_client.hpp"
#include "support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <thread>

using namespace stronghold;
using namespace stronghold::test;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<server::App> fake(const TestEnv& env) { return std::make_unique<FakeApp>(env.origin); }

constexpr const char* k_target = "/api/v1/live?account_id=ac_ok";

// subscribe() happens on the server's strand after the handshake's answer reached the client.
bool wait_subscribers(server::LiveHub& hub, std::size_t n)
{
    for (int i = 0; i < 200 && hub.subscriber_count() < n; ++i)
        std::this_thread::sleep_for(10ms);
    return hub.subscriber_count() >= n;
}

} // namespace

BOOST_AUTO_TEST_SUITE(net_live_test)

BOOST_AUTO_TEST_CASE(net2_upgrade_without_session_is_refused_with_401_json)
{
    TestServer srv(fake);
    WsClient ws(srv.port(), k_target, {{"Origin", srv.origin()}});
    BOOST_TEST_REQUIRE(!ws.ok());
    BOOST_TEST(ws.refusal().status == 401);
    BOOST_TEST(ws.refusal().json()["error"]["code"] == "unauthenticated");
    BOOST_TEST(ws.refusal().header("X-Content-Type-Options").value_or("") == "nosniff");
    BOOST_TEST(srv.app().live().subscriber_count() == 0u);
}

BOOST_AUTO_TEST_CASE(net2_upgrade_from_foreign_origin_is_refused_with_403)
{
    TestServer srv(fake);
    WsClient ws(srv.port(), k_target, {{"Origin", "https://evil.example"}, {"Cookie", "session=good"}});
    BOOST_TEST_REQUIRE(!ws.ok());
    BOOST_TEST(ws.refusal().status == 403);
    BOOST_TEST(ws.refusal().json()["error"]["code"] == "forbidden");
}

BOOST_AUTO_TEST_CASE(net2_upgrade_for_other_account_is_refused_with_404)
{
    TestServer srv(fake);
    WsClient ws(srv.port(), "/api/v1/live?account_id=ac_other", {{"Cookie", "session=good"}});
    BOOST_TEST_REQUIRE(!ws.ok());
    BOOST_TEST(ws.refusal().status == 404);
}

BOOST_AUTO_TEST_CASE(net2_upgrade_accepted_and_published_frames_arrive_in_order)
{
    TestServer srv(fake);
    WsClient ws(srv.port(), k_target, {{"Origin", srv.origin()}, {"Cookie", "session=good"}});
    BOOST_TEST_REQUIRE(ws.ok());
    auto& hub = srv.app().live();
    BOOST_TEST_REQUIRE(wait_subscribers(hub, 1));
    hub.publish("ac_other", R"({"type":"contact.created","account_id":"ac_other"})"); // not ours
    for (int i = 0; i < 20; ++i)
        hub.publish("ac_ok", R"({"type":"contact.updated","version":)" + std::to_string(i) + "}");
    for (int i = 0; i < 20; ++i) {
        auto frame = ws.read_text(5s);
        BOOST_TEST_REQUIRE(frame.has_value());
        BOOST_TEST(*frame == R"({"type":"contact.updated","version":)" + std::to_string(i) + "}");
    }
    BOOST_TEST(!ws.read_text(200ms).has_value()); // the other account's frame never came
}

BOOST_AUTO_TEST_CASE(net2_client_frames_are_ignored_and_socket_stays_open)
{
    TestServer srv(fake);
    WsClient ws(srv.port(), k_target, {{"Cookie", "session=good"}});
    BOOST_TEST_REQUIRE(ws.ok());
    BOOST_TEST_REQUIRE(wait_subscribers(srv.app().live(), 1));
    ws.send_text("hello");
    srv.app().live().publish("ac_ok", "{\"type\":\"ping\"}");
    BOOST_TEST(ws.read_text(5s).value_or("") == "{\"type\":\"ping\"}");
}

BOOST_AUTO_TEST_CASE(net4_oversized_client_frame_closes_socket)
{
    TestServer srv(fake);
    WsClient ws(srv.port(), k_target, {{"Cookie", "session=good"}});
    BOOST_TEST_REQUIRE(ws.ok());
    ws.send_text(std::string(65 * 1024, 'x'));
    BOOST_TEST(ws.wait_closed(5s));
}

BOOST_AUTO_TEST_CASE(net2_close_user_closes_socket_and_unsubscribes)
{
    TestServer srv(fake);
    WsClient ws(srv.port(), k_target, {{"Cookie", "session=good"}});
    BOOST_TEST_REQUIRE(ws.ok());
    auto& hub = srv.app().live();
    BOOST_TEST_REQUIRE(wait_subscribers(hub, 1));
    const auto start = std::chrono::steady_clock::now();
    hub.close_user("us_1");
    BOOST_TEST(ws.wait_closed(5s));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    BOOST_TEST(ms.count() < 2000); // at once, not at a timeout
    BOOST_TEST(hub.subscriber_count() == 0u);
}

BOOST_AUTO_TEST_CASE(net2_client_disconnect_unsubscribes)
{
    TestServer srv(fake);
    auto& hub = srv.app().live();
    {
        WsClient ws(srv.port(), k_target, {{"Cookie", "session=good"}});
        BOOST_TEST_REQUIRE(ws.ok());
        BOOST_TEST_REQUIRE(wait_subscribers(hub, 1));
    }
    bool gone = false;
    for (int i = 0; i < 300 && !gone; ++i) {
        gone = hub.subscriber_count() == 0;
        std::this_thread::sleep_for(10ms);
    }
    BOOST_TEST(gone);
}

BOOST_AUTO_TEST_SUITE_END()

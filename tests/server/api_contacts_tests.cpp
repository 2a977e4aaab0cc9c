// Contacts CRUD, concurrency (ETag / If-Match), listing, audit + version rows and live events.
#include "app/http_app.hpp"

#include "api_fixture.hpp"
#include "live/hub.hpp"

#include <boost/test/unit_test.hpp>

#include <mutex>
#include <set>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

struct RecordingSink : LiveSink {
    std::mutex mutex;
    std::vector<std::string> frames;
    void send(std::shared_ptr<const std::string> frame) override
    {
        std::lock_guard lock(mutex);
        frames.push_back(*frame);
    }
    void close() override {}
};

struct ContactsFixture : ApiFixture {
    std::string session = login(owner_a);
    std::string base = "/api/v1/accounts/" + account_a1 + "/contacts";
    Headers if_match(std::int64_t version) { return {{"If-Match", "\"" + std::to_string(version) + "\""}}; }
};

} // namespace

BOOST_AUTO_TEST_SUITE(api_contacts_tests)

BOOST_FIXTURE_TEST_CASE(post_answers_201_with_record_etag_and_location, ContactsFixture)
{
    auto r = call("POST", base,
                  json{{"first_name", "Ada"}, {"last_name", "Lovelace"}, {"emails", {"Ada@Example.COM"}}}.dump(),
                  {{"Origin", k_origin}}, session);
    BOOST_REQUIRE(r.status == 201);
    auto c = json::parse(r.body);
    auto id = c["id"].get<std::string>();
    BOOST_TEST(crypto::is_id(id, "ct"));
    BOOST_TEST(c["version"] == 1);
    BOOST_TEST(c["first_name"] == "Ada");
    BOOST_TEST(c["owner_id"] == owner_a_id);
    BOOST_TEST(r.header("ETag").value_or("") == "\"1\"");
    BOOST_TEST(r.header("Location").value_or("") == base + "/" + id);
    BOOST_TEST(r.header("Content-Type").value_or("") == "application/json");

    auto got = call("GET", base + "/" + id, {}, {}, session);
    BOOST_TEST(got.status == 200);
    BOOST_TEST(got.header("ETag").value_or("") == "\"1\"");
    BOOST_TEST(json::parse(got.body) == c);
}

BOOST_FIXTURE_TEST_CASE(res4_patch_needs_if_match_and_refuses_stale_versions_with_current, ContactsFixture)
{
    auto c = create_contact(session, account_a1, {{"first_name", "Grace"}});
    auto url = base + "/" + c["id"].get<std::string>();
    auto patch = json{{"last_name", "Hopper"}}.dump();

    auto missing = call("PATCH", url, patch, {}, session);
    BOOST_TEST(missing.status == 428);
    BOOST_TEST(api::error_from_json(json::parse(missing.body))->code == api::ErrorCode::precondition_required);

    auto ok = call("PATCH", url, patch, if_match(1), session);
    BOOST_REQUIRE(ok.status == 200);
    BOOST_TEST(json::parse(ok.body)["last_name"] == "Hopper");
    BOOST_TEST(json::parse(ok.body)["version"] == 2);
    BOOST_TEST(ok.header("ETag").value_or("") == "\"2\"");

    // A second writer still holding version 1 is refused and told what the record is now.
    auto stale = call("PATCH", url, json{{"last_name", "Other"}}.dump(), if_match(1), session);
    BOOST_TEST(stale.status == 412);
    auto body = json::parse(stale.body);
    BOOST_TEST(body["error"]["code"] == "precondition_failed");
    BOOST_TEST(body["current"]["version"] == 2);
    BOOST_TEST(body["current"]["last_name"] == "Hopper");

    for (const char* weak : {"W/\"2\"", "*", "2"})
        BOOST_TEST_CONTEXT(weak) BOOST_TEST(call("PATCH", url, patch, {{"If-Match", weak}}, session).status == 412);
}

BOOST_FIXTURE_TEST_CASE(res4_if_match_lists_allow_tabs_as_white_space, ContactsFixture)
{
    // RFC 9110: list elements are separated by OWS (spaces AND tabs); a tab once made the
    // current tag unmatched, answering 412 to a correct request.
    auto c = create_contact(session, account_a1, {{"first_name", "Edsger"}});
    auto url = base + "/" + c["id"].get<std::string>();
    auto ok = call("PATCH", url, json{{"last_name", "Dijkstra"}}.dump(), {{"If-Match", "\"7\",\t\"1\"\t"}}, session);
    BOOST_TEST(ok.status == 200);
    BOOST_TEST(call("DELETE", url, {}, {{"If-Match", "W/\"9\",\t\"2\""}}, session).status == 204);
}

BOOST_FIXTURE_TEST_CASE(res4_delete_needs_if_match_then_answers_204_and_404, ContactsFixture)
{
    auto c = create_contact(session, account_a1, {{"first_name", "Alan"}});
    auto url = base + "/" + c["id"].get<std::string>();
    BOOST_TEST(call("DELETE", url, {}, {}, session).status == 428);
    BOOST_TEST(call("DELETE", url, {}, if_match(7), session).status == 412);
    auto del = call("DELETE", url, {}, if_match(1), session);
    BOOST_TEST(del.status == 204);
    BOOST_TEST(del.body.empty());
    BOOST_TEST(call("GET", url, {}, {}, session).status == 404);
}

BOOST_FIXTURE_TEST_CASE(res4_each_mutation_writes_one_audit_row_and_one_version_row, ContactsFixture)
{
    auto c = create_contact(session, account_a1, {{"first_name", "Edsger"}, {"emails", {"e@d.test"}}});
    auto id = c["id"].get<std::string>();
    BOOST_TEST(audit_count(agency_a, "contact.create") == 1u);
    BOOST_TEST(version_count(id) == 1u);

    BOOST_REQUIRE(call("PATCH", base + "/" + id, json{{"last_name", "Dijkstra"}}.dump(), if_match(1), session).status ==
                  200);
    BOOST_TEST(audit_count(agency_a, "contact.update") == 1u);
    BOOST_TEST(version_count(id) == 2u);
    // Audit details name the changed fields, never their values (personal data).
    for (const auto& e : store->audit_entries(agency_a, 1000))
        if (e.action == "contact.update") {
            BOOST_TEST(e.details["fields"] == json::array({"last_name"}));
            BOOST_TEST(e.details.dump().find("Dijkstra") == std::string::npos);
            BOOST_TEST(e.account_id == account_a1);
            BOOST_TEST(e.actor.id == owner_a_id);
        }

    // A patch that changes nothing is not a mutation.
    BOOST_TEST(call("PATCH", base + "/" + id, json{{"last_name", "Dijkstra"}}.dump(), if_match(2), session).status ==
               200);
    BOOST_TEST(version_count(id) == 2u);

    BOOST_REQUIRE(call("DELETE", base + "/" + id, {}, if_match(2), session).status == 204);
    BOOST_TEST(audit_count(agency_a, "contact.delete") == 1u);
    BOOST_TEST(version_count(id) == 3u);
    // Failed attempts write nothing.
    (void)call("PATCH", base + "/" + id, json{{"last_name", "X"}}.dump(), if_match(1), session);
    BOOST_TEST(audit_count(agency_a, "contact.update") == 1u);
}

BOOST_FIXTURE_TEST_CASE(live_events_are_published_to_the_sub_account_with_the_right_frame, ContactsFixture)
{
    auto sink_a1 = std::make_shared<RecordingSink>();
    auto sink_a2 = std::make_shared<RecordingSink>();
    app->live().subscribe({account_a1, owner_a_id, "h1"}, sink_a1);
    app->live().subscribe({account_a2, owner_a_id, "h2"}, sink_a2);

    auto c = create_contact(session, account_a1, {{"first_name", "Barbara"}});
    auto id = c["id"].get<std::string>();
    BOOST_REQUIRE(call("PATCH", base + "/" + id, json{{"last_name", "Liskov"}}.dump(), if_match(1), session).status ==
                  200);
    BOOST_REQUIRE(call("DELETE", base + "/" + id, {}, if_match(2), session).status == 204);

    std::lock_guard lock(sink_a1->mutex);
    BOOST_REQUIRE(sink_a1->frames.size() == 3u);
    json expected[] = {{{"type", "contact.created"}, {"account_id", account_a1}, {"id", id}, {"version", 1}},
                       {{"type", "contact.updated"}, {"account_id", account_a1}, {"id", id}, {"version", 2}},
                       {{"type", "contact.deleted"}, {"account_id", account_a1}, {"id", id}, {"version", 3}}};
    for (int i = 0; i < 3; ++i)
        BOOST_TEST(json::parse(sink_a1->frames[i]) == expected[i]);
    BOOST_TEST(sink_a2->frames.empty()); // another sub-account hears nothing
}

BOOST_FIXTURE_TEST_CASE(list_walks_every_page_in_order_with_cursor_and_total, ContactsFixture)
{
    std::set<std::string> made;
    for (int i = 0; i < 7; ++i)
        made.insert(create_contact(session, account_a1, {{"first_name", "Name" + std::to_string(i)}})["id"]);
    std::set<std::string> seen;
    std::string cursor;
    std::vector<std::string> names;
    for (int page = 0; page < 10; ++page) {
        auto url = base + "?limit=3&count=true" + (cursor.empty() ? "" : "&cursor=" + cursor);
        auto r = call("GET", url, {}, {}, session);
        BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
        auto body = json::parse(r.body);
        BOOST_TEST(body["total"] == 7);
        for (const auto& item : body["items"]) {
            BOOST_TEST(seen.insert(item["id"].get<std::string>()).second);
            names.push_back(item["first_name"]);
        }
        if (body["next_cursor"].is_null())
            break;
        cursor = body["next_cursor"];
    }
    BOOST_TEST((seen == made));
    BOOST_TEST(std::is_sorted(names.begin(), names.end()));
    auto desc = json::parse(call("GET", base + "?sort=-name&limit=200", {}, {}, session).body);
    BOOST_TEST(desc["items"][0]["first_name"] == "Name6");
    BOOST_TEST(!desc.contains("total"));
}

BOOST_FIXTURE_TEST_CASE(list_q_finds_name_prefix_and_exact_email, ContactsFixture)
{
    create_contact(session, account_a1, {{"first_name", "Margaret"}, {"last_name", "Hamilton"}});
    create_contact(session, account_a1, {{"first_name", "Katherine"}, {"emails", {"kj@nasa.test"}}});
    auto by_name = json::parse(call("GET", base + "?q=marg", {}, {}, session).body);
    BOOST_REQUIRE(by_name["items"].size() == 1u);
    BOOST_TEST(by_name["items"][0]["last_name"] == "Hamilton");
    auto by_email = json::parse(call("GET", base + "?q=kj%40nasa.test", {}, {}, session).body);
    BOOST_REQUIRE(by_email["items"].size() == 1u);
    BOOST_TEST(by_email["items"][0]["first_name"] == "Katherine");
}

BOOST_FIXTURE_TEST_CASE(list_refuses_bad_parameters_with_422_naming_them, ContactsFixture)
{
    struct Case {
        std::string query, field;
    };
    for (const auto& c : std::vector<Case>{{"limit=0", "limit"},
                                           {"limit=201", "limit"},
                                           {"limit=abc", "limit"},
                                           {"limit=-1", "limit"},
                                           {"limit=", "limit"},
                                           {"sort=email", "sort"},
                                           {"sort=-created", "sort"},
                                           {"count=yes", "count"},
                                           {"offset=x", "offset"},
                                           {"colour=red", "colour"},
                                           {"limit=1&limit=2", "limit"},
                                           {"q=%0a", "q"},
                                           {"q=%zz", "q"},
                                           {"cursor=not-a-cursor", "cursor"}}) {
        BOOST_TEST_CONTEXT(c.query)
        {
            auto r = call("GET", base + "?" + c.query, {}, {}, session);
            BOOST_TEST(r.status == 422);
            auto e = api::error_from_json(json::parse(r.body));
            BOOST_REQUIRE(e);
            BOOST_TEST(e->code == api::ErrorCode::validation_failed);
            BOOST_TEST(e->field == c.field);
        }
    }
    BOOST_TEST(call("GET", base + "?limit=200&offset=0&count=false&sort=-updated_at", {}, {}, session).status == 200);
}

BOOST_FIXTURE_TEST_CASE(acc1_delete_own_only_for_account_users, ContactsFixture)
{
    auto user = login(user_a1);
    auto mine = create_contact(user, account_a1, {{"first_name", "Mine"}});
    auto others = create_contact(session, account_a1, {{"first_name", "Owner's"}});
    BOOST_TEST(call("DELETE", base + "/" + others["id"].get<std::string>(), {}, if_match(1), user).status == 403);
    BOOST_TEST(call("DELETE", base + "/" + mine["id"].get<std::string>(), {}, if_match(1), user).status == 204);
    // Taking over someone else's record (then deleting it as "own") is refused too.
    auto take = call("PATCH", base + "/" + others["id"].get<std::string>(), json{{"owner_id", user_a1_id}}.dump(),
                     if_match(1), user);
    BOOST_TEST(take.status == 403);
    BOOST_TEST(api::error_from_json(json::parse(take.body))->field == "owner_id");
}

BOOST_AUTO_TEST_SUITE_END()

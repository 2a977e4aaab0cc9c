// The audit log API (AUD-1, AUD-2): GET .../agencies/{id}/audit and .../accounts/{id}/audit with
// filters, cursor pagination, chain links on every row, a CSV export that is itself audited, and
// who may read it.
#include "api_fixture.hpp"

#include "stronghold/audit/chain.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

// An export's body is a file the server streams from disk.
std::string file_text(const Response& r)
{
    BOOST_REQUIRE(r.body_file);
    std::ifstream in(r.body_file->path(), std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct AuditApiFixture : ApiFixture {
    std::string owner = login(owner_a);
    AuditApiFixture()
    {
        // AUD-4: the first request starts the retention job on the handler pool; it clears the
        // details of the seeded rows (dated 1970) and writes audit.retention_applied. Waiting for
        // it keeps the rows a test lists and counts from moving under it.
        for (int i = 0; i < 200 && audit_count(agency_a, "audit.retention_applied") == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    json get(const std::string& target, const std::string& session)
    {
        auto r = call("GET", target, {}, {}, session);
        BOOST_REQUIRE_MESSAGE(r.status == 200, target + " -> " + std::to_string(r.status) + " " + r.body);
        return json::parse(r.body);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(api_audit)

BOOST_FIXTURE_TEST_CASE(AUD1_agency_audit_lists_rows_newest_first_with_filters_and_chain_links, AuditApiFixture)
{
    std::string c1 = create_contact(owner, account_a1, {{"first_name", "One"}})["id"];
    now += 60'000;
    std::string c2 = create_contact(owner, account_a2, {{"first_name", "Two"}})["id"];
    const auto base = "/api/v1/agencies/" + agency_a + "/audit";

    auto all = get(base, owner)["items"];
    BOOST_TEST_REQUIRE(all.size() >= 3u); // the logins and both creates
    BOOST_TEST(all[0]["seq"].get<std::int64_t>() > all[1]["seq"].get<std::int64_t>());
    for (const auto& row : all) {
        BOOST_TEST(row["agency_id"] == agency_a);
        BOOST_TEST(row["chain"]["hash"].get<std::string>().size() == 64u);
        BOOST_TEST(row["chain"]["prev_hash"].get<std::string>().size() == 64u);
    }
    // Links: each row's prev_hash is the next-older row's hash (one chain per agency).
    for (std::size_t i = 0; i + 1 < all.size(); ++i)
        BOOST_TEST(all[i]["chain"]["prev_hash"] == all[i + 1]["chain"]["hash"]);

    auto creates = get(base + "?action=contact.create", owner)["items"];
    BOOST_TEST_REQUIRE(creates.size() == 2u);
    BOOST_TEST(creates[0]["target"]["id"] == c2);
    BOOST_TEST(creates[0]["actor"]["id"] == owner_a_id);
    BOOST_TEST(get(base + "?action=contact.", owner)["items"].size() == 2u); // prefix
    BOOST_TEST(get(base + "?target=" + c1, owner)["items"].size() == 1u);
    BOOST_TEST(get(base + "?actor=" + user_a1_id, owner)["items"].empty());
    // Time window: only the second create is at or after now - 30 s.
    auto since = model::format_iso8601(now - 30'000);
    auto recent = get(base + "?action=contact.create&since=" + since, owner)["items"];
    BOOST_TEST_REQUIRE(recent.size() == 1u);
    BOOST_TEST(recent[0]["target"]["id"] == c2);
    BOOST_TEST(get(base + "?action=contact.create&until=" + std::to_string(now - 30'000), owner)["items"].size() == 1u);

    // Cursor pagination walks the same rows one by one.
    std::vector<std::int64_t> seen;
    std::string cursor;
    for (int page = 0; page < 50; ++page) {
        auto body = get(base + "?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor), owner);
        for (const auto& row : body["items"])
            seen.push_back(row["seq"]);
        if (body["next_cursor"].is_null())
            break;
        cursor = body["next_cursor"];
    }
    BOOST_TEST(seen.size() == all.size());
    for (std::size_t i = 0; i < seen.size() && i < all.size(); ++i)
        BOOST_TEST(seen[i] == all[i]["seq"].get<std::int64_t>());
}

BOOST_FIXTURE_TEST_CASE(AUD2_sub_account_audit_shows_that_sub_account_only, AuditApiFixture)
{
    std::string c1 = create_contact(owner, account_a1, {{"first_name", "One"}})["id"];
    create_contact(owner, account_a2, {{"first_name", "Two"}});
    auto rows = get("/api/v1/accounts/" + account_a1 + "/audit?action=contact.create", owner)["items"];
    BOOST_TEST_REQUIRE(rows.size() == 1u);
    BOOST_TEST(rows[0]["target"]["id"] == c1);
    for (const auto& row : get("/api/v1/accounts/" + account_a1 + "/audit", owner)["items"])
        BOOST_TEST(row["account_id"] == account_a1);
}

BOOST_FIXTURE_TEST_CASE(AUD2_csv_export_has_every_matching_row_and_is_itself_audited, AuditApiFixture)
{
    for (int i = 0; i < 3; ++i)
        create_contact(owner, account_a1, {{"first_name", "=cmd|' /C calc'!A0"}, {"last_name", std::to_string(i)}});
    auto r = call("GET", "/api/v1/agencies/" + agency_a + "/audit?format=csv&action=contact.create&limit=1", {}, {},
                  owner);
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.header("Content-Type").value_or("").starts_with("text/csv"));
    BOOST_TEST(r.header("X-Export-Count").value_or("") == "3"); // no page limit on an export
    const auto text = file_text(r);
    BOOST_TEST(text.starts_with("seq,at,agency_id,account_id,actor_type,actor_id"));
    std::size_t lines = 0;
    for (std::size_t p = 0; (p = text.find("\r\n", p)) != std::string::npos; p += 2)
        ++lines;
    BOOST_TEST(lines == 4u);
    BOOST_TEST(audit_count(agency_a, "audit.export") == 1u);
    auto exported = get("/api/v1/agencies/" + agency_a + "/audit?action=audit.export", owner)["items"];
    BOOST_TEST_REQUIRE(exported.size() == 1u);
    BOOST_TEST(exported[0]["details"]["count"] == 3);
}

BOOST_FIXTURE_TEST_CASE(AUD2_json_export_is_the_list_rows_as_one_array_and_is_itself_audited, AuditApiFixture)
{
    for (int i = 0; i < 3; ++i)
        create_contact(owner, account_a1, {{"first_name", "Row"}, {"last_name", std::to_string(i)}});
    auto r = call("GET", "/api/v1/accounts/" + account_a1 + "/audit?format=json&action=contact.create&limit=1", {}, {},
                  owner);
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.header("Content-Type").value_or("").starts_with("application/json"));
    BOOST_TEST(r.header("Content-Disposition").value_or("").find(".json\"") != std::string::npos);
    BOOST_TEST(r.header("X-Export-Count").value_or("") == "3");
    const auto rows = json::parse(file_text(r));
    BOOST_TEST_REQUIRE(rows.is_array());
    BOOST_TEST_REQUIRE(rows.size() == 3u);
    // The same row objects the list answers, in the same order.
    const auto listed = get("/api/v1/accounts/" + account_a1 + "/audit?action=contact.create", owner)["items"];
    BOOST_TEST(rows == listed);
    BOOST_TEST(audit_count(agency_a, "audit.export") == 1u);
    auto exported = get("/api/v1/agencies/" + agency_a + "/audit?action=audit.export", owner)["items"];
    BOOST_TEST_REQUIRE(exported.size() == 1u);
    BOOST_TEST(exported[0]["details"]["format"] == "json");
    BOOST_TEST(exported[0]["details"]["count"] == 3);
    BOOST_TEST(exported[0]["target"]["type"] == "account");
    // An empty match is an empty array, still audited.
    auto none = call("GET", "/api/v1/agencies/" + agency_a + "/audit?format=json&actor=us_nobody", {}, {}, owner);
    BOOST_TEST_REQUIRE(none.status == 200);
    BOOST_TEST(json::parse(file_text(none)) == json::array());
    BOOST_TEST(audit_count(agency_a, "audit.export") == 2u);
}

BOOST_FIXTURE_TEST_CASE(AUD3_rows_carry_what_the_canonical_form_needs_so_a_client_recomputes_each_hash, AuditApiFixture)
{
    create_contact(owner, account_a1, {{"first_name", "Chain"}});
    const auto items = get("/api/v1/agencies/" + agency_a + "/audit", owner)["items"];
    BOOST_TEST_REQUIRE(items.size() >= 2u);
    for (const auto& row : items) {
        audit::ChainEntry e;
        e.seq = row["seq"];
        e.n = row["chain"]["n"];
        e.at = *model::parse_iso8601(row["at"].get<std::string>());
        e.agency_id = row["agency_id"];
        e.account_id = row["account_id"];
        e.actor_type = row["actor"]["type"];
        e.actor_id = row["actor"]["id"];
        e.grant_id = row["actor"]["grant_id"];
        e.action = row["action"];
        e.target_type = row["target"]["type"];
        e.target_id = row["target"]["id"];
        e.ip = row["ip"];
        e.user_agent = row["user_agent"];
        e.outcome = row["outcome"];
        e.details_hash = row["chain"]["details_hash"];
        BOOST_TEST_CONTEXT(row["action"].get<std::string>())
        {
            // Details retention cleared are null; their row carries the hash they had.
            if (!row["details"].is_null())
                BOOST_TEST(e.details_hash == audit::details_hash(row["details"].dump()));
            BOOST_TEST(audit::entry_hash(row["chain"]["prev_hash"].get<std::string>(), e) == row["chain"]["hash"]);
        }
    }
}

BOOST_FIXTURE_TEST_CASE(AUD4_a_row_whose_details_retention_cleared_still_gives_its_hash, AuditApiFixture)
{
    std::string id = create_contact(owner, account_a1, {{"first_name", "Old"}})["id"];
    const auto base = "/api/v1/agencies/" + agency_a + "/audit?target=" + id;
    const auto before = get(base, owner)["items"];
    BOOST_TEST_REQUIRE(before.size() == 1u);
    const std::string original_hash = before[0]["chain"]["details_hash"];
    now += 400LL * 24 * 3600 * 1000; // past every default kind but security
    auto run = store->apply_audit_retention(now);
    BOOST_TEST_REQUIRE(run.ok());
    const auto after = get(base, login(owner_a))["items"]; // the old session has expired meanwhile
    BOOST_TEST_REQUIRE(after.size() == 1u);
    BOOST_TEST(after[0]["details"].is_null());
    BOOST_TEST(after[0]["chain"]["details_hash"] == original_hash); // the kept hash, not the hash of null
    BOOST_TEST(after[0]["chain"]["hash"] == before[0]["chain"]["hash"]);
}

BOOST_FIXTURE_TEST_CASE(AUD1_who_may_read_the_audit_log_and_bad_filters, AuditApiFixture)
{
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_a + "/audit", {}, {}, login(user_a1)).status == 403);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_a + "/audit", {}, {}, login(agency_user_a)).status == 403);
    BOOST_TEST(call("GET", "/api/v1/accounts/" + account_a1 + "/audit", {}, {}, login(reader_a1)).status == 403);
    BOOST_TEST(call("GET", "/api/v1/agencies/" + agency_a + "/audit", {}, {}, login(owner_b)).status == 404);
    BOOST_TEST(call("GET", "/api/v1/accounts/" + account_a1 + "/audit", {}, {}, login(owner_b)).status == 404);
    for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
             {"limit=0", "limit"}, {"limit=201", "limit"}, {"since=yesterday", "since"}, {"cursor=x", "cursor"},
             {"format=xml", "format"}, {"colour=red", "colour"}, {"since=2000&until=1000", "until"}}) {
        auto r = call("GET", "/api/v1/agencies/" + agency_a + "/audit?" + query, {}, {}, owner);
        BOOST_TEST_CONTEXT(query)
        {
            BOOST_TEST(r.status == 422);
            BOOST_TEST(api::error_from_json(json::parse(r.body))->field == field);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

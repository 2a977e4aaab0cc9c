// CRM-1, RES-1, RES-2, RES-4: companies, deals and pipelines, tickets, tasks, notes, tags, custom
// fields and values through the API, with versions, revert, trash, restore and purge.
#include "api_fixture.hpp"

#include "app/handlers.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

struct RecordsFixture : ApiFixture {
    std::string owner = login(owner_a);
    std::string base(const std::string& account) { return "/api/v1/accounts/" + account + "/"; }

    json post(const std::string& path, const json& body, int expect = 201, const std::string& session = {})
    {
        auto r = call("POST", base(account_a1) + path, body.dump(), {}, session.empty() ? owner : session);
        BOOST_TEST_REQUIRE(r.status == expect, path << ": " << r.status << " " << r.body);
        return json::parse(r.body);
    }
    Response patch(const std::string& path, const json& body, std::int64_t version, const std::string& session = {})
    {
        return call("PATCH", base(account_a1) + path, body.dump(), {{"If-Match", "\"" + std::to_string(version) + "\""}},
                    session.empty() ? owner : session);
    }
    json get(const std::string& path, const std::string& session = {})
    {
        auto r = call("GET", base(account_a1) + path, {}, {}, session.empty() ? owner : session);
        BOOST_TEST_REQUIRE(r.status == 200, path << ": " << r.status << " " << r.body);
        return json::parse(r.body);
    }
    json pipeline()
    {
        return post("pipelines", {{"name", "Sales"}, {"stages", {{{"name", "Lead"}}, {{"name", "Proposal"}}, {{"name", "Won"}}}}});
    }
};

std::string error_field(const Response& r)
{
    return json::parse(r.body)["error"].value("field", "");
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(api_records_tests, RecordsFixture)

BOOST_AUTO_TEST_CASE(CRM1_company_create_get_patch_with_etag_and_version_history)
{
    auto co = post("companies", {{"name", "Acme Ltd"}, {"website", "https://acme.test"}, {"tags", {"vip"}}});
    BOOST_TEST(co["id"].get<std::string>().starts_with("co_"));
    BOOST_TEST(co["version"] == 1);
    BOOST_TEST(co["owner_id"] == owner_a_id); // the creator owns it
    const std::string id = co["id"];
    auto r = patch("companies/" + id, {{"industry", "Hardware"}}, 1);
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    BOOST_TEST(*r.header("ETag") == "\"2\"");
    // A stale If-Match answers 412 with the current record.
    auto stale = patch("companies/" + id, {{"industry", "Software"}}, 1);
    BOOST_TEST(stale.status == 412);
    BOOST_TEST(json::parse(stale.body)["current"]["industry"] == "Hardware");
    auto versions = get("companies/" + id + "/versions")["items"];
    BOOST_TEST_REQUIRE(versions.size() == 2u);
    BOOST_TEST(versions[1]["fields"] == json({"industry"}));
    BOOST_TEST(versions[1]["actor_id"] == owner_a_id);
    BOOST_TEST(audit_count(agency_a, "company.update") == 1u);
}

BOOST_AUTO_TEST_CASE(CRM1_bad_input_names_the_field)
{
    auto r = call("POST", base(account_a1) + "companies", json{{"name", "X"}, {"website", "ftp://x"}}.dump(), {}, owner);
    BOOST_TEST(r.status == 422);
    BOOST_TEST(error_field(r) == "website");
    r = call("POST", base(account_a1) + "companies", json{{"name", "X"}, {"colour", "red"}}.dump(), {}, owner);
    BOOST_TEST(error_field(r) == "colour");
    r = call("POST", base(account_a1) + "companies", json{{"website", "https://x.test"}}.dump(), {}, owner);
    BOOST_TEST(error_field(r) == "name");
    r = call("POST", base(account_a1) + "tickets", json{{"subject", "Help"}, {"priority", "asap"}}.dump(), {}, owner);
    BOOST_TEST(error_field(r) == "priority");
    r = call("POST", base(account_a1) + "tasks", json{{"title", "Call"}, {"due_date", "2026-02-30"}}.dump(), {}, owner);
    BOOST_TEST(error_field(r) == "due_date");
}

BOOST_AUTO_TEST_CASE(CRM1_deals_live_in_pipeline_stages_and_move_between_them)
{
    auto pl = pipeline();
    const auto stages = pl["stages"];
    BOOST_TEST_REQUIRE(stages.size() == 3u);
    BOOST_TEST(stages[0]["id"].get<std::string>().starts_with("st_"));
    auto deal = post("deals", {{"name", "Big one"}, {"pipeline_id", pl["id"]}, {"stage_id", stages[0]["id"]},
                               {"value", 1200.5}, {"currency", "EUR"}, {"expected_close", "2027-01-31"}});
    BOOST_TEST(deal["status"] == "open");
    // A stage of no pipeline is refused.
    auto bad = call("POST", base(account_a1) + "deals",
                    json{{"name", "X"}, {"pipeline_id", pl["id"]}, {"stage_id", "st_aaaaaaaaaaaaaaaaaaaaaaaaaa"}}.dump(), {}, owner);
    BOOST_TEST(bad.status == 422);
    BOOST_TEST(error_field(bad) == "stage_id");
    // Kanban drop: PATCH the stage.
    auto moved = patch("deals/" + deal["id"].get<std::string>(), {{"stage_id", stages[1]["id"]}}, 1);
    BOOST_TEST_REQUIRE(moved.status == 200, moved.body);
    auto list = get("deals?pipeline_id[eq]=" + pl["id"].get<std::string>() + "&stage_id[eq]=" + stages[1]["id"].get<std::string>());
    BOOST_TEST(list["items"].size() == 1u);
    auto none = get("deals?stage_id[eq]=" + stages[0]["id"].get<std::string>());
    BOOST_TEST(none["items"].empty());
}

BOOST_AUTO_TEST_CASE(CRM1_links_to_another_tenants_record_read_as_missing)
{
    auto b_owner = login(owner_b);
    auto foreign = call("POST", "/api/v1/accounts/" + account_b1 + "/contacts", json{{"first_name", "Bea"}}.dump(), {}, b_owner);
    BOOST_TEST_REQUIRE(foreign.status == 201);
    const std::string foreign_id = json::parse(foreign.body)["id"];
    auto r = call("POST", base(account_a1) + "tickets", json{{"subject", "Help"}, {"contact_id", foreign_id}}.dump(), {}, owner);
    BOOST_TEST(r.status == 422);
    BOOST_TEST(error_field(r) == "contact_id");
    BOOST_TEST(r.body.find("Bea") == std::string::npos);
    // Records of agency B are 404 from agency A, by id.
    auto co = call("POST", "/api/v1/accounts/" + account_b1 + "/companies", json{{"name", "B Co"}}.dump(), {}, b_owner);
    const std::string co_id = json::parse(co.body)["id"];
    BOOST_TEST(call("GET", base(account_a1) + "companies/" + co_id, {}, {}, owner).status == 404);
    BOOST_TEST(call("GET", "/api/v1/accounts/" + account_b1 + "/companies/" + co_id, {}, {}, owner).status == 404);
}

BOOST_AUTO_TEST_CASE(CRM1_notes_follow_their_record_and_name_their_author)
{
    auto contact = create_contact(owner, account_a1, {{"first_name", "Nora"}});
    const std::string cid = contact["id"];
    auto note = post("notes", {{"body", "Called, wants a quote.\nFollow up Monday."}, {"record_id", cid}});
    BOOST_TEST(note["author_id"] == owner_a_id);
    auto r = call("POST", base(account_a1) + "notes", json{{"body", "x"}, {"record_id", cid}, {"author_id", user_a1_id}}.dump(), {}, owner);
    BOOST_TEST(error_field(r) == "author_id");
    BOOST_TEST(get("notes?record_id=" + cid)["items"].size() == 1u);
    auto no_record = call("GET", base(account_a1) + "notes", {}, {}, owner);
    BOOST_TEST(no_record.status == 422);
    // The read-only member sees the note but cannot write one.
    auto reader = login(reader_a1);
    BOOST_TEST(get("notes?record_id=" + cid, reader)["items"].size() == 1u);
    auto denied = call("POST", base(account_a1) + "notes", json{{"body", "x"}, {"record_id", cid}}.dump(), {}, reader);
    BOOST_TEST(denied.status == 403);
}

BOOST_AUTO_TEST_CASE(CRM1_custom_fields_validate_custom_values_and_required_ones_are_enforced)
{
    post("custom-fields", {{"object", "company"}, {"key", "tier"}, {"label", "Tier"}, {"type", "select"},
                           {"options", {"gold", "silver"}}, {"required", true}});
    auto missing = call("POST", base(account_a1) + "companies", json{{"name", "No tier"}}.dump(), {}, owner);
    BOOST_TEST(missing.status == 422);
    BOOST_TEST(error_field(missing) == "custom.tier");
    auto bad = call("POST", base(account_a1) + "companies", json{{"name", "T"}, {"custom", {{"tier", "bronze"}}}}.dump(), {}, owner);
    BOOST_TEST(error_field(bad) == "custom.tier");
    auto unknown = call("POST", base(account_a1) + "companies", json{{"name", "T"}, {"custom", {{"tier", "gold"}, {"x", 1}}}}.dump(), {}, owner);
    BOOST_TEST(error_field(unknown) == "custom.x");
    auto ok = post("companies", {{"name", "Gold Co"}, {"custom", {{"tier", "gold"}}}});
    BOOST_TEST(ok["custom"]["tier"] == "gold");
    BOOST_TEST(get("companies?custom.tier[eq]=gold")["items"].size() == 1u);
    // A second field with the same key on the same object is a conflict.
    auto dup = call("POST", base(account_a1) + "custom-fields",
                    json{{"object", "company"}, {"key", "tier"}, {"label", "Again"}, {"type", "text"}}.dump(), {}, owner);
    BOOST_TEST(dup.status == 409);
    // Settings need manage_settings: a sub-account user may not define fields.
    auto user = login(user_a1);
    auto denied = call("POST", base(account_a1) + "custom-fields",
                       json{{"object", "deal"}, {"key", "x"}, {"label", "X"}, {"type", "text"}}.dump(), {}, user);
    BOOST_TEST(denied.status == 403);
}

BOOST_AUTO_TEST_CASE(CRM1_tags_are_unique_per_sub_account_and_custom_values_hold_variables)
{
    post("tags", {{"name", "VIP"}, {"color", "#FF0000"}});
    auto dup = call("POST", base(account_a1) + "tags", json{{"name", "vip"}}.dump(), {}, owner);
    BOOST_TEST(dup.status == 409);
    BOOST_TEST(error_field(dup) == "name");
    // Another sub-account may use the same name.
    auto other = call("POST", base(account_a2) + "tags", json{{"name", "VIP"}}.dump(), {}, owner);
    BOOST_TEST(other.status == 201);
    auto cv = post("custom-values", {{"key", "support_phone"}, {"name", "Support phone"}, {"value", "+1 555 0100"}});
    BOOST_TEST(cv["key"] == "support_phone");
    auto badkey = call("POST", base(account_a1) + "custom-values", json{{"key", "Bad Key"}, {"name", "x"}}.dump(), {}, owner);
    BOOST_TEST(error_field(badkey) == "key");
}

BOOST_AUTO_TEST_CASE(RES2_revert_writes_a_new_version_and_needs_if_match)
{
    auto co = post("companies", {{"name", "Old name"}});
    const std::string id = co["id"];
    BOOST_TEST_REQUIRE(patch("companies/" + id, {{"name", "New name"}}, 1).status == 200);
    auto no_match = call("POST", base(account_a1) + "companies/" + id + "/versions/1/revert", {}, {}, owner);
    BOOST_TEST(no_match.status == 428);
    auto r = call("POST", base(account_a1) + "companies/" + id + "/versions/1/revert", {}, {{"If-Match", "\"2\""}}, owner);
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    auto after = json::parse(r.body);
    BOOST_TEST(after["name"] == "Old name");
    BOOST_TEST(after["version"] == 3);
    BOOST_TEST(get("companies/" + id + "/versions")["items"].size() == 3u);
    BOOST_TEST(audit_count(agency_a, "company.revert") == 1u);
    // Contacts revert the same way.
    auto c = create_contact(owner, account_a1, {{"first_name", "Ann"}});
    const std::string cid = c["id"];
    auto p = call("PATCH", base(account_a1) + "contacts/" + cid, json{{"first_name", "Anna"}}.dump(), {{"If-Match", "\"1\""}}, owner);
    BOOST_TEST_REQUIRE(p.status == 200);
    auto cr = call("POST", base(account_a1) + "contacts/" + cid + "/versions/1/revert", {}, {{"If-Match", "\"2\""}}, owner);
    BOOST_TEST_REQUIRE(cr.status == 200, cr.body);
    BOOST_TEST(json::parse(cr.body)["first_name"] == "Ann");
    auto cv = get("contacts/" + cid + "/versions")["items"];
    BOOST_TEST_REQUIRE(cv.size() == 3u);
    BOOST_TEST(cv[1]["fields"] == json({"first_name"}));
}

BOOST_AUTO_TEST_CASE(RES1_delete_goes_to_trash_restore_brings_it_back_with_links)
{
    auto contact = create_contact(owner, account_a1, {{"first_name", "Tess"}});
    const std::string cid = contact["id"];
    auto ticket = post("tickets", {{"subject", "Broken", }, {"contact_id", cid}});
    const std::string tid = ticket["id"];
    auto del = call("DELETE", base(account_a1) + "tickets/" + tid, {}, {{"If-Match", "\"1\""}}, owner);
    BOOST_TEST(del.status == 204);
    BOOST_TEST(call("GET", base(account_a1) + "tickets/" + tid, {}, {}, owner).status == 404);
    now += 1000;
    auto cdel = call("DELETE", base(account_a1) + "contacts/" + cid, {}, {{"If-Match", "\"1\""}}, owner);
    BOOST_TEST(cdel.status == 204);
    auto trash = get("trash")["items"];
    BOOST_TEST_REQUIRE(trash.size() == 2u);
    BOOST_TEST(trash[0]["kind"] == "contact"); // newest first
    BOOST_TEST(trash[1]["kind"] == "ticket");
    BOOST_TEST(trash[1]["title"] == "Broken");
    BOOST_TEST(trash[1]["deleted_by"] == owner_a_id);
    BOOST_TEST(call("POST", base(account_a1) + "trash/" + tid + "/restore", {}, {}, owner).status == 200);
    BOOST_TEST(call("POST", base(account_a1) + "trash/" + cid + "/restore", {}, {}, owner).status == 200);
    auto back = get("tickets/" + tid);
    BOOST_TEST(back["contact_id"] == cid); // the link came back with it
    BOOST_TEST(back["version"] == 3);
    BOOST_TEST(get("contacts/" + cid)["first_name"] == "Tess");
    BOOST_TEST(get("trash")["items"].empty());
    // Restoring twice, or from another tenant, is 404.
    BOOST_TEST(call("POST", base(account_a1) + "trash/" + tid + "/restore", {}, {}, owner).status == 404);
    auto b_owner = login(owner_b);
    BOOST_TEST(call("POST", "/api/v1/accounts/" + account_b1 + "/trash/" + tid + "/restore", {}, {}, b_owner).status == 404);
}

BOOST_AUTO_TEST_CASE(RES1_purge_removes_what_was_trashed_more_than_30_days_ago)
{
    auto old_co = post("companies", {{"name", "Old"}});
    auto new_co = post("companies", {{"name", "Recent"}});
    BOOST_TEST(call("DELETE", base(account_a1) + "companies/" + old_co["id"].get<std::string>(), {}, {{"If-Match", "\"1\""}}, owner).status == 204);
    now += 10LL * 24 * 3600 * 1000;
    owner = login(owner_a); // sessions end after 12 hours
    BOOST_TEST(call("DELETE", base(account_a1) + "companies/" + new_co["id"].get<std::string>(), {}, {{"If-Match", "\"1\""}}, owner).status == 204);
    now += 25LL * 24 * 3600 * 1000; // the first is 35 days in the trash, the second 25
    auto purged = purge_expired_trash(*store, now);
    BOOST_TEST_REQUIRE(purged.ok());
    BOOST_TEST(*purged == 1);
    owner = login(owner_a); // the session expired meanwhile
    auto trash = get("trash")["items"];
    BOOST_TEST_REQUIRE(trash.size() == 1u);
    BOOST_TEST(trash[0]["title"] == "Recent");
    BOOST_TEST(call("POST", base(account_a1) + "trash/" + old_co["id"].get<std::string>() + "/restore", {}, {}, owner).status == 404);
    BOOST_TEST(audit_count(agency_a, "trash.purge") == 1u);
}

BOOST_AUTO_TEST_CASE(CRM1_bulk_tag_assign_delete_all_or_nothing)
{
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i)
        ids.push_back(post("companies", {{"name", "Co " + std::to_string(i)}})["id"]);
    auto r = call("POST", base(account_a1) + "companies/bulk", json{{"ids", ids}, {"action", "tag"}, {"tag", "q4"}}.dump(), {}, owner);
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    BOOST_TEST(json::parse(r.body)["updated"] == 3);
    BOOST_TEST(get("companies?tags[eq]=q4")["items"].size() == 3u);
    // One bad id: nothing changes.
    auto bad_ids = ids;
    bad_ids.push_back("co_aaaaaaaaaaaaaaaaaaaaaaaaaa");
    auto bad = call("POST", base(account_a1) + "companies/bulk", json{{"ids", bad_ids}, {"action", "delete"}}.dump(), {}, owner);
    BOOST_TEST(bad.status == 422);
    BOOST_TEST(error_field(bad) == "ids[3]");
    BOOST_TEST(get("companies")["items"].size() == 3u);
    auto del = call("POST", base(account_a1) + "companies/bulk", json{{"ids", ids}, {"action", "delete"}}.dump(), {}, owner);
    BOOST_TEST(del.status == 200);
    BOOST_TEST(get("companies")["items"].empty());
    BOOST_TEST(get("trash")["items"].size() == 3u);
}

BOOST_AUTO_TEST_CASE(CRM1_list_filters_sort_search_and_cursor_pagination)
{
    for (int i = 0; i < 7; ++i)
        post("tickets", {{"subject", "Ticket " + std::to_string(i)}, {"priority", i % 2 ? "high" : "low"}});
    auto high = get("tickets?priority[eq]=high&sort=-name&count=true");
    BOOST_TEST(high["total"] == 3);
    BOOST_TEST(high["items"][0]["subject"] == "Ticket 5");
    std::vector<std::string> seen;
    std::string cursor;
    do {
        auto page = get("tickets?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
        for (const auto& t : page["items"])
            seen.push_back(t["subject"]);
        cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
    } while (!cursor.empty());
    BOOST_TEST(seen.size() == 7u);
    BOOST_TEST(std::is_sorted(seen.begin(), seen.end()));
    BOOST_TEST(get("tickets?q=ticket%203")["items"].size() == 1u);
    auto bad = call("GET", base(account_a1) + "tickets?priority[gt]=x&bogus=1", {}, {}, owner);
    BOOST_TEST(bad.status == 422);
    auto search = get("search?q=tick");
    BOOST_TEST(search["items"].size() == 5u); // 5 per kind at most
}

BOOST_AUTO_TEST_CASE(ACC1_own_scope_lists_only_own_deals_and_companies)
{
    auto staff = login(agency_user_a); // agency_user: view all; delete own
    auto mine = post("companies", {{"name", "Staff Co"}}, 201, staff);
    auto theirs = post("companies", {{"name", "Owner Co"}});
    // agency_user deletes only own records.
    auto denied = call("DELETE", base(account_a1) + "companies/" + theirs["id"].get<std::string>(), {}, {{"If-Match", "\"1\""}}, staff);
    BOOST_TEST(denied.status == 403);
    auto ok = call("DELETE", base(account_a1) + "companies/" + mine["id"].get<std::string>(), {}, {{"If-Match", "\"1\""}}, staff);
    BOOST_TEST(ok.status == 204);
    // The trash shows it the owner's record, but may not restore another's.
    auto reader = login(reader_a1);
    auto r = call("POST", base(account_a1) + "trash/" + mine["id"].get<std::string>() + "/restore", {}, {}, reader);
    BOOST_TEST(r.status == 403);
}

BOOST_AUTO_TEST_CASE(CRM5_sub_account_chooses_refuse_or_mask_for_sensitive_data)
{
    const json card = {{"subject", "Pay with 4111 1111 1111 1111"}};
    auto refused = call("POST", base(account_a1) + "tickets", card.dump(), {}, owner);
    BOOST_TEST(refused.status == 422);
    BOOST_TEST(error_field(refused) == "subject");
    BOOST_TEST(refused.body.find("4111") == std::string::npos); // never echoed
    const auto policy = "/api/v1/accounts/" + account_a1 + "/security-policy";
    BOOST_TEST(json::parse(call("GET", policy, {}, {}, owner).body)["sensitive_data_policy"] == "refuse");
    auto bad = call("PATCH", policy, json{{"sensitive_data_policy", "hide"}}.dump(), {{"If-Match", "\"0\""}}, owner);
    BOOST_TEST(error_field(bad) == "sensitive_data_policy");
    auto set = call("PATCH", policy, json{{"sensitive_data_policy", "mask"}}.dump(), {{"If-Match", "\"0\""}}, owner);
    BOOST_TEST_REQUIRE(set.status == 200, set.body);
    BOOST_TEST(json::parse(set.body)["sensitive_data_policy"] == "mask");
    auto masked = post("tickets", card);
    BOOST_TEST(masked["subject"].get<std::string>().find("4111 1111") == std::string::npos);
    BOOST_TEST(masked["subject"].get<std::string>().find("1111") != std::string::npos); // the last four stay
    // Contacts follow the same setting; another sub-account keeps refusing.
    auto contact = call("POST", base(account_a1) + "contacts", json{{"first_name", "Card 4111111111111111"}}.dump(), {}, owner);
    BOOST_TEST(contact.status == 201);
    auto other = call("POST", base(account_a2) + "tickets", card.dump(), {}, owner);
    BOOST_TEST(other.status == 422);
}

BOOST_AUTO_TEST_SUITE_END()

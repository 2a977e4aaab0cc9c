// Roles and teams API (ACC-1, ACC-2; server/doc/admin-api.md "Roles", "Teams", "/me additions")
// through HttpApp in-process with the real SQLite store: listing, create (copy_of), edit (If-Match,
// re-authentication), delete, the bad paths (422 naming the field, 409, 412, 428, 401, 403, 404),
// audit rows, no escalation, and custom roles and teams deciding the next request.
#include "roles_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

constexpr model::UnixMillis k_minute = 60'000;

const json k_sales_rep = {{"name", "Sales rep"},
                          {"description", "Works on own contacts"},
                          {"permissions", {{"contact", {{"view", "own"}, {"create", "own"}, {"edit", "own"}}}}}};

struct RolesApiFixture : RolesFixture {
    std::string owner = login(owner_a);

    bool listed(const std::string& session, const std::string& agency, const std::string& id)
    {
        auto r = call("GET", roles_path(agency), {}, {}, session);
        BOOST_REQUIRE_MESSAGE(r.status == 200, "roles list -> " + std::to_string(r.status));
        const auto body = json::parse(r.body);
        for (const auto& item : body["items"])
            if (item["id"] == id)
                return true;
        return false;
    }

    Response patch_role(const std::string& session, const json& role, const json& patch)
    {
        return call("PATCH", roles_path(agency_a) + "/" + role["id"].get<std::string>(), patch.dump(),
                    if_match(role["version"].get<std::int64_t>()), session);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(api_roles_tests)

// [SECTION] Roles

BOOST_FIXTURE_TEST_CASE(acc1_roles_list_starts_with_the_six_read_only_built_ins, RolesApiFixture)
{
    auto r = call("GET", roles_path(agency_a), {}, {}, owner);
    BOOST_TEST_REQUIRE(r.status == 200);
    auto items = json::parse(r.body)["items"];
    BOOST_TEST_REQUIRE(items.size() == 6u);
    const std::vector<std::string> names{"agency_owner", "agency_admin", "agency_user",
                                         "account_admin", "account_user", "read_only"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        BOOST_TEST(items[i]["id"] == names[i]);
        BOOST_TEST(items[i]["builtin"] == true);
        BOOST_TEST(items[i]["permissions"]["ticket"].contains("import"));
    }
    BOOST_TEST(items[4]["permissions"]["contact"]["delete"] == "own");
    BOOST_TEST(items[0]["capabilities"].size() == std::size(access::k_capabilities)); // the owner holds every one
}

BOOST_FIXTURE_TEST_CASE(acc1_role_create_answers_201_with_etag_location_and_an_audit_row, RolesApiFixture)
{
    auto r = call("POST", roles_path(agency_a), k_sales_rep.dump(), {{"Origin", k_origin}}, owner);
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
    auto role = json::parse(r.body);
    const auto id = role["id"].get<std::string>();
    BOOST_TEST(crypto::is_id(id, "ro"));
    BOOST_TEST(role["name"] == "Sales rep");
    BOOST_TEST(role["description"] == "Works on own contacts");
    BOOST_TEST(role["builtin"] == false);
    BOOST_TEST(role["agency_id"] == agency_a);
    BOOST_TEST(role["version"] == 1);
    BOOST_TEST(role["permissions"]["contact"]["view"] == "own");
    BOOST_TEST(role["permissions"]["contact"]["delete"] == "none"); // missing entries are none
    BOOST_TEST(role["permissions"]["deal"]["view"] == "none");
    BOOST_TEST(role["capabilities"] == json::array());
    BOOST_TEST(r.header("ETag").value_or("") == "\"1\"");
    BOOST_TEST(r.header("Location").value_or("") == roles_path(agency_a) + "/" + id);
    BOOST_TEST(listed(owner, agency_a, id));
    BOOST_TEST(!listed(login(owner_b), agency_b, id));
    BOOST_TEST(audit_count(agency_a, "role.create") == 1u);
    for (const auto& e : store->audit_entries(agency_a, 50))
        if (e.action == "role.create") {
            BOOST_TEST(e.actor.id == owner_a_id);
            BOOST_TEST(e.target_type == "role");
            BOOST_TEST(e.target_id == id);
            BOOST_TEST(e.details["role"]["permissions"]["contact"]["view"] == "own");
        }
}

BOOST_FIXTURE_TEST_CASE(acc1_role_copy_of_starts_from_a_built_in_or_custom_table, RolesApiFixture)
{
    auto copy = create_role(owner, agency_a, {{"name", "Desk"}, {"copy_of", "account_user"}});
    BOOST_TEST(copy["permissions"]["contact"]["edit"] == "all");
    BOOST_TEST(copy["permissions"]["contact"]["delete"] == "own");
    BOOST_TEST(copy["permissions"]["contact"]["export"] == "none");
    BOOST_TEST(copy["description"] == "Works in its sub-account; deletes own records.");

    // Given fields win over the copied ones.
    auto narrowed = create_role(owner, agency_a,
                                {{"name", "Desk lite"},
                                 {"copy_of", copy["id"]},
                                 {"description", "Desk without edits"},
                                 {"permissions", {{"contact", {{"edit", "none"}}}}}});
    BOOST_TEST(narrowed["permissions"]["contact"]["view"] == "all");
    BOOST_TEST(narrowed["permissions"]["contact"]["edit"] == "none");
    BOOST_TEST(narrowed["description"] == "Desk without edits");

    auto b_role = create_role(login(owner_b), agency_b, {{"name", "B only"}});
    for (const json& bad : {json("ro_aaaaaaaaaaaaaaaaaaaaaaaaaa"), json(b_role["id"]), json("custom"), json(7)}) {
        auto r = call("POST", roles_path(agency_a), json{{"name", "Copy"}, {"copy_of", bad}}.dump(), {}, owner);
        BOOST_TEST(r.status == 422, bad.dump());
        BOOST_TEST(error_field_of(r) == "copy_of");
    }
    auto r = call("POST", roles_path(agency_a), json{{"copy_of", "read_only"}}.dump(), {}, owner);
    BOOST_TEST(r.status == 422);
    BOOST_TEST(error_field_of(r) == "name");
}

BOOST_FIXTURE_TEST_CASE(acc1_role_bad_bodies_are_422_naming_the_field, RolesApiFixture)
{
    struct Case {
        json body;
        std::string field;
    };
    const std::vector<Case> cases{
        {{{"name", "X"}, {"colour", "red"}}, "colour"},
        {{{"name", "X"}, {"id", "ro_aaaaaaaaaaaaaaaaaaaaaaaaaa"}}, "id"},
        {{{"name", "X"}, {"version", 3}}, "version"},
        {{{"name", "X"}, {"permissions", {{"widget", {{"view", "all"}}}}}}, "permissions.widget"},
        {{{"name", "X"}, {"permissions", {{"contact", {{"fly", "all"}}}}}}, "permissions.contact.fly"},
        {{{"name", "X"}, {"permissions", {{"contact", {{"view", "some"}}}}}}, "permissions.contact.view"},
        {{{"name", "X"}, {"permissions", {{"deal", {{"export", 1}}}}}}, "permissions.deal.export"},
        {{{"name", "X"}, {"permissions", "all"}}, "permissions"},
        {{{"name", "X"}, {"capabilities", {"manage_everything"}}}, "capabilities"},
        {{{"name", "X"}, {"capabilities", "manage_users"}}, "capabilities"},
        {{{"description", "no name"}}, "name"},
        {{{"name", ""}}, "name"},
        {{{"name", std::string(81, 'n')}}, "name"},
        {{{"name", "X"}, {"description", std::string(501, 'd')}}, "description"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.body.dump().substr(0, 80))
        {
            auto r = call("POST", roles_path(agency_a), c.body.dump(), {}, owner);
            BOOST_TEST(r.status == 422);
            BOOST_TEST(error_code_of(r) == "validation_failed");
            BOOST_TEST(error_field_of(r) == c.field);
        }
    }
    BOOST_TEST(call("POST", roles_path(agency_a), "{\"name\":", {}, owner).status == 400);
    BOOST_TEST(call("POST", roles_path(agency_a), "[]", {}, owner).status == 422);
    BOOST_TEST(audit_count(agency_a, "role.create") == 0u);
}

BOOST_FIXTURE_TEST_CASE(acc1_role_names_are_unique_per_agency_ignoring_case, RolesApiFixture)
{
    create_role(owner, agency_a, {{"name", "Sales"}});
    auto dup = call("POST", roles_path(agency_a), json{{"name", "SALES"}}.dump(), {}, owner);
    BOOST_TEST(dup.status == 409);
    BOOST_TEST(error_code_of(dup) == "conflict");
    BOOST_TEST(error_field_of(dup) == "name");
    // Another agency may use the name; a rename onto a taken name is 409 too.
    create_role(login(owner_b), agency_b, {{"name", "sales"}});
    auto other = create_role(owner, agency_a, {{"name", "Support"}});
    auto rename = patch_role(owner, other, {{"name", "sAles"}});
    BOOST_TEST(rename.status == 409);
    BOOST_TEST(error_field_of(rename) == "name");
    BOOST_TEST(audit_count(agency_a, "role.create") == 2u);
    BOOST_TEST(audit_count(agency_a, "role.update") == 0u);
}

BOOST_FIXTURE_TEST_CASE(acc1_role_patch_merges_and_audits_old_and_new, RolesApiFixture)
{
    auto role = create_role(owner, agency_a, k_sales_rep);
    auto r = patch_role(owner, role, {{"permissions", {{"contact", {{"delete", "own"}}}}}, {"capabilities", {"view_audit_log"}}});
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    auto after = json::parse(r.body);
    BOOST_TEST(after["version"] == 2);
    BOOST_TEST(r.header("ETag").value_or("") == "\"2\"");
    BOOST_TEST(after["name"] == "Sales rep");                        // untouched
    BOOST_TEST(after["permissions"]["contact"]["view"] == "own");    // untouched
    BOOST_TEST(after["permissions"]["contact"]["delete"] == "own");  // merged
    BOOST_TEST(after["capabilities"] == json({"view_audit_log"}));
    BOOST_TEST_REQUIRE(audit_count(agency_a, "role.update") == 1u);
    for (const auto& e : store->audit_entries(agency_a, 50))
        if (e.action == "role.update") {
            BOOST_TEST(e.details["fields"] == json({"capabilities", "permissions"}));
            BOOST_TEST(e.details["changes"]["permissions"]["old"]["contact"]["delete"] == "none");
            BOOST_TEST(e.details["changes"]["permissions"]["new"]["contact"]["delete"] == "own");
        }
    // The same values again change nothing: no new version, no audit row.
    auto same = call("PATCH", roles_path(agency_a) + "/" + role["id"].get<std::string>(),
                     json{{"capabilities", {"view_audit_log"}}}.dump(), if_match(2), owner);
    BOOST_TEST(same.status == 200);
    BOOST_TEST(json::parse(same.body)["version"] == 2);
    BOOST_TEST(audit_count(agency_a, "role.update") == 1u);
}

BOOST_FIXTURE_TEST_CASE(acc2_role_patch_needs_if_match_and_refuses_stale_versions, RolesApiFixture)
{
    auto role = create_role(owner, agency_a, k_sales_rep);
    const auto url = roles_path(agency_a) + "/" + role["id"].get<std::string>();
    auto missing = call("PATCH", url, json{{"name", "Rep"}}.dump(), {}, owner);
    BOOST_TEST(missing.status == 428);
    BOOST_TEST(error_code_of(missing) == "precondition_required");
    BOOST_TEST_REQUIRE(call("PATCH", url, json{{"name", "Rep"}}.dump(), if_match(1), owner).status == 200);
    auto stale = call("PATCH", url, json{{"name", "Rep 2"}}.dump(), if_match(1), owner);
    BOOST_TEST(stale.status == 412);
    BOOST_TEST(error_code_of(stale) == "precondition_failed");
    BOOST_TEST(json::parse(stale.body)["current"]["name"] == "Rep");
    BOOST_TEST(stale.header("ETag").value_or("") == "\"2\"");
}

BOOST_FIXTURE_TEST_CASE(acc2_role_patch_needs_a_recent_reauth, RolesApiFixture)
{
    auto role = create_role(owner, agency_a, k_sales_rep);
    now += 6 * k_minute; // past the 5-minute window, inside the idle timeout
    auto r = patch_role(owner, role, {{"name", "Rep"}});
    BOOST_TEST(r.status == 401);
    BOOST_TEST(error_code_of(r) == "reauth_required");
    BOOST_TEST_REQUIRE(call("POST", "/api/v1/auth/reauth", json{{"password", k_password}}.dump(), {}, owner).status == 204);
    BOOST_TEST(patch_role(owner, role, {{"name", "Rep"}}).status == 200);
}

BOOST_FIXTURE_TEST_CASE(acc2_built_in_roles_are_read_only, RolesApiFixture)
{
    for (const char* id : {"account_user", "agency_owner", "read_only"}) {
        auto url = roles_path(agency_a) + "/" + id;
        auto patch = call("PATCH", url, json{{"name", "Mine"}}.dump(), if_match(0), owner);
        BOOST_TEST(patch.status == 403, id);
        BOOST_TEST(error_code_of(patch) == "forbidden");
        BOOST_TEST(call("DELETE", url, {}, {}, owner).status == 403, id);
    }
    BOOST_TEST(call("PATCH", roles_path(agency_a) + "/ro_aaaaaaaaaaaaaaaaaaaaaaaaaa", "{}", if_match(1), owner).status == 404);
    BOOST_TEST(call("DELETE", roles_path(agency_a) + "/nonsense", {}, {}, owner).status == 404);
}

BOOST_FIXTURE_TEST_CASE(acc2_role_delete_is_refused_while_assigned, RolesApiFixture)
{
    auto used = create_role(owner, agency_a, k_sales_rep);
    add_member("rep@a1.test", agency_a, account_a1, used["id"]);
    auto url = roles_path(agency_a) + "/" + used["id"].get<std::string>();
    auto r = call("DELETE", url, {}, {}, owner);
    BOOST_TEST(r.status == 409);
    BOOST_TEST(error_code_of(r) == "conflict");
    BOOST_TEST(listed(owner, agency_a, used["id"]));

    auto unused = create_role(owner, agency_a, {{"name", "Spare"}});
    auto spare_url = roles_path(agency_a) + "/" + unused["id"].get<std::string>();
    BOOST_TEST(call("DELETE", spare_url, {}, if_match(9), owner).status == 412); // If-Match optional, checked when sent
    BOOST_TEST(call("DELETE", spare_url, {}, {}, owner).status == 204);
    BOOST_TEST(!listed(owner, agency_a, unused["id"]));
    BOOST_TEST(call("DELETE", spare_url, {}, {}, owner).status == 404);
    BOOST_TEST(audit_count(agency_a, "role.delete") == 1u);
}

BOOST_FIXTURE_TEST_CASE(acc2_another_agency_is_404_and_non_admins_403, RolesApiFixture)
{
    auto role = create_role(owner, agency_a, k_sales_rep);
    const auto url = roles_path(agency_a) + "/" + role["id"].get<std::string>();
    auto b = login(owner_b);
    BOOST_TEST(call("GET", roles_path(agency_a), {}, {}, b).status == 404);
    BOOST_TEST(call("POST", roles_path(agency_a), json{{"name", "Mine"}}.dump(), {}, b).status == 404);
    BOOST_TEST(call("PATCH", url, json{{"name", "Mine"}}.dump(), if_match(1), b).status == 404);
    BOOST_TEST(call("DELETE", url, {}, {}, b).status == 404);
    // Agency A's role id under agency B's path is unknown there.
    BOOST_TEST(call("DELETE", roles_path(agency_b) + "/" + role["id"].get<std::string>(), {}, {}, b).status == 404);
    BOOST_TEST(call("GET", "/api/v1/agencies/ag_aaaaaaaaaaaaaaaaaaaaaaaaaa/roles", {}, {}, owner).status == 404);

    auto user = login(user_a1); // account_user: no capability
    BOOST_TEST(call("GET", roles_path(agency_a), {}, {}, user).status == 403);
    BOOST_TEST(call("POST", roles_path(agency_a), json{{"name", "Mine"}}.dump(), {}, user).status == 403);
    BOOST_TEST(call("PATCH", url, json{{"name", "Mine"}}.dump(), if_match(1), user).status == 403);
    BOOST_TEST(call("DELETE", url, {}, {}, user).status == 403);

    // account_admin manages users of its sub-account: it reads the list (invite picker) but
    // cannot change roles (manage_roles is agency-wide).
    add_member("admin@a1.test", agency_a, account_a1, "account_admin");
    auto account_admin = login("admin@a1.test");
    BOOST_TEST(call("GET", roles_path(agency_a), {}, {}, account_admin).status == 200);
    BOOST_TEST(call("POST", roles_path(agency_a), json{{"name", "Mine"}}.dump(), {}, account_admin).status == 403);
    BOOST_TEST(audit_count(agency_a, "role.update") == 0u);
}

BOOST_FIXTURE_TEST_CASE(acc2_no_role_may_hold_a_capability_its_author_lacks, RolesApiFixture)
{
    auto role_admin = create_role(owner, agency_a, {{"name", "Role admin"}, {"capabilities", {"manage_roles", "manage_users"}}});
    add_member("roles@a.test", agency_a, "", role_admin["id"]);
    auto session = login("roles@a.test");
    auto up = call("POST", roles_path(agency_a), json{{"name", "Security"}, {"capabilities", {"manage_security"}}}.dump(),
                   {}, session);
    BOOST_TEST(up.status == 403);
    BOOST_TEST(error_field_of(up) == "capabilities");
    // Copying a role with more capabilities is the same escalation.
    BOOST_TEST(call("POST", roles_path(agency_a), json{{"name", "Admin 2"}, {"copy_of", "agency_admin"}}.dump(), {}, session)
                   .status == 403);
    auto ok = create_role(session, agency_a, {{"name", "Inviter"}, {"capabilities", {"manage_users"}}});
    BOOST_TEST(ok["capabilities"] == json({"manage_users"}));
    // Nor by an edit.
    auto edit = patch_role(session, ok, {{"capabilities", {"manage_users", "view_audit_log"}}});
    BOOST_TEST(edit.status == 403);
    BOOST_TEST(error_field_of(edit) == "capabilities");
}

BOOST_FIXTURE_TEST_CASE(acc1_role_edit_decides_the_holders_next_request, RolesApiFixture)
{
    auto role = create_role(owner, agency_a, {{"name", "Viewer"}, {"permissions", {{"contact", {{"view", "all"}}}}}});
    add_member("viewer@a1.test", agency_a, account_a1, role["id"]);
    auto viewer = login("viewer@a1.test");
    const auto contacts = "/api/v1/accounts/" + account_a1 + "/contacts";
    BOOST_TEST(call("GET", contacts, {}, {}, viewer).status == 200);
    BOOST_TEST(call("POST", contacts, json{{"first_name", "No"}}.dump(), {}, viewer).status == 403);

    auto me = json::parse(call("GET", "/api/v1/me", {}, {}, viewer).body);
    BOOST_TEST_REQUIRE(me["roles"].size() == 1u);
    BOOST_TEST(me["roles"][0]["id"] == role["id"]);
    BOOST_TEST(me["roles"][0]["permissions"]["contact"]["view"] == "all");
    BOOST_TEST(me["memberships"][0]["role"] == role["id"]);
    BOOST_TEST(me["permissions"][account_a1] == json({"contact.view"}));

    BOOST_TEST_REQUIRE(patch_role(owner, role, {{"permissions", {{"contact", {{"view", "none"}, {"create", "all"}}}}}}).status == 200);
    BOOST_TEST(call("GET", contacts, {}, {}, viewer).status == 403);
    BOOST_TEST(call("POST", contacts, json{{"first_name", "Yes"}}.dump(), {}, viewer).status == 201);
    me = json::parse(call("GET", "/api/v1/me", {}, {}, viewer).body);
    BOOST_TEST(me["permissions"][account_a1] == json({"contact.create"}));
    BOOST_TEST(me["roles"][0]["version"] == 2);
}

// [SECTION] Teams

BOOST_FIXTURE_TEST_CASE(acc1_teams_create_list_patch_delete, RolesApiFixture)
{
    const auto reader_id = store->find_credentials_by_email(reader_a1)->user.id;
    auto r = call("POST", teams_path(account_a1), json{{"name", "North"}, {"member_ids", {user_a1_id, owner_a_id}}}.dump(),
                  {}, owner);
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
    auto team = json::parse(r.body);
    const auto id = team["id"].get<std::string>();
    BOOST_TEST(crypto::is_id(id, "tm"));
    BOOST_TEST(team["account_id"] == account_a1);
    BOOST_TEST(team["version"] == 1);
    BOOST_TEST(team["member_ids"].size() == 2u);
    BOOST_TEST(r.header("ETag").value_or("") == "\"1\"");
    BOOST_TEST(r.header("Location").value_or("") == teams_path(account_a1) + "/" + id);

    // Anyone who opens the sub-account reads the teams.
    auto list = call("GET", teams_path(account_a1), {}, {}, login(reader_a1));
    BOOST_TEST_REQUIRE(list.status == 200);
    BOOST_TEST(json::parse(list.body)["items"][0]["id"] == id);
    BOOST_TEST(json::parse(call("GET", teams_path(account_a2), {}, {}, owner).body)["items"].empty());

    const auto url = teams_path(account_a1) + "/" + id;
    BOOST_TEST(call("PATCH", url, json{{"name", "N"}}.dump(), {}, owner).status == 428);
    auto patched = call("PATCH", url, json{{"member_ids", {reader_id}}}.dump(), if_match(1), owner);
    BOOST_TEST_REQUIRE(patched.status == 200, patched.body);
    BOOST_TEST(json::parse(patched.body)["member_ids"] == json({reader_id}));
    BOOST_TEST(json::parse(patched.body)["name"] == "North");
    BOOST_TEST(json::parse(patched.body)["version"] == 2);
    auto stale = call("PATCH", url, json{{"name", "South"}}.dump(), if_match(1), owner);
    BOOST_TEST(stale.status == 412);
    BOOST_TEST(json::parse(stale.body)["current"]["version"] == 2);

    BOOST_TEST(call("DELETE", url, {}, {}, owner).status == 204);
    BOOST_TEST(call("DELETE", url, {}, {}, owner).status == 404);
    BOOST_TEST(json::parse(call("GET", teams_path(account_a1), {}, {}, owner).body)["items"].empty());
    BOOST_TEST(audit_count(agency_a, "team.create") == 1u);
    BOOST_TEST(audit_count(agency_a, "team.update") == 1u);
    BOOST_TEST(audit_count(agency_a, "team.delete") == 1u);
}

BOOST_FIXTURE_TEST_CASE(acc1_team_bad_paths, RolesApiFixture)
{
    create_team(owner, account_a1, {{"name", "North"}});
    auto dup = call("POST", teams_path(account_a1), json{{"name", "NORTH"}}.dump(), {}, owner);
    BOOST_TEST(dup.status == 409);
    BOOST_TEST(error_field_of(dup) == "name");
    create_team(owner, account_a2, {{"name", "north"}}); // another sub-account may use it

    const auto owner_b_id = store->find_credentials_by_email(owner_b)->user.id;
    struct Case {
        json body;
        std::string field;
    };
    const std::vector<Case> cases{
        {{{"name", "X"}, {"lead", "me"}}, "lead"},
        {{{"member_ids", json::array()}}, "name"},
        {{{"name", "X"}, {"member_ids", {owner_b_id}}}, "member_ids"},  // other agency
        {{{"name", "X"}, {"member_ids", {"us_aaaaaaaaaaaaaaaaaaaaaaaaaa"}}}, "member_ids"}, // nobody
        {{{"name", "X"}, {"member_ids", {"bob"}}}, "member_ids"},
        {{{"name", "X"}, {"member_ids", "all"}}, "member_ids"},
        {{{"name", 5}}, "name"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.body.dump())
        {
            auto r = call("POST", teams_path(account_a1), c.body.dump(), {}, owner);
            BOOST_TEST(r.status == 422);
            BOOST_TEST(error_field_of(r) == c.field);
        }
    }
    // A user of sub-account a1 only cannot join a team of a2.
    auto r = call("POST", teams_path(account_a2), json{{"name", "X"}, {"member_ids", {user_a1_id}}}.dump(), {}, owner);
    BOOST_TEST(r.status == 422);
    BOOST_TEST(error_field_of(r) == "member_ids");

    // Without manage_users in the sub-account: 403; outside it: 404.
    auto user = login(user_a1);
    BOOST_TEST(call("GET", teams_path(account_a1), {}, {}, user).status == 200);
    BOOST_TEST(call("POST", teams_path(account_a1), json{{"name", "Mine"}}.dump(), {}, user).status == 403);
    auto b = login(owner_b);
    BOOST_TEST(call("GET", teams_path(account_a1), {}, {}, b).status == 404);
    BOOST_TEST(call("POST", teams_path(account_a1), json{{"name", "Mine"}}.dump(), {}, b).status == 404);
    BOOST_TEST(call("DELETE", teams_path(account_a1) + "/tm_aaaaaaaaaaaaaaaaaaaaaaaaaa", {}, {}, owner).status == 404);
    // account_admin manages the teams of its own sub-account only.
    add_member("admin@a1.test", agency_a, account_a1, "account_admin");
    auto account_admin = login("admin@a1.test");
    BOOST_TEST(call("POST", teams_path(account_a1), json{{"name", "Desk"}}.dump(), {}, account_admin).status == 201);
    BOOST_TEST(call("POST", teams_path(account_a2), json{{"name", "Desk"}}.dump(), {}, account_admin).status == 404);
}

BOOST_FIXTURE_TEST_CASE(acc1_team_scope_lists_the_team_records_and_me_lists_the_teams, RolesApiFixture)
{
    auto role = create_role(owner, agency_a,
                            {{"name", "Team desk"},
                             {"permissions", {{"contact", {{"view", "team"}, {"create", "own"}, {"edit", "team"}}}}}});
    const auto lead = add_member("lead@a1.test", agency_a, account_a1, role["id"]);
    const auto mate = add_member("mate@a1.test", agency_a, account_a1, "account_user");
    const auto stranger = add_member("stranger@a1.test", agency_a, account_a1, "account_user");
    auto team = create_team(owner, account_a1, {{"name", "Desk"}, {"member_ids", {lead, mate}}});
    auto contact_for = [&](const std::string& owner_id, const char* name) {
        return create_contact(owner, account_a1, {{"first_name", name}, {"owner_id", owner_id}})["id"].get<std::string>();
    };
    const auto mine = contact_for(lead, "Mine");
    const auto mates = contact_for(mate, "Mates");
    const auto strangers = contact_for(stranger, "Strangers");

    auto session = login("lead@a1.test");
    const auto base = "/api/v1/accounts/" + account_a1 + "/contacts";
    auto list = call("GET", base + "?count=true", {}, {}, session);
    BOOST_TEST_REQUIRE(list.status == 200);
    auto body = json::parse(list.body);
    std::vector<std::string> ids;
    for (const auto& c : body["items"])
        ids.push_back(c["id"]);
    std::sort(ids.begin(), ids.end());
    std::vector<std::string> want{mine, mates};
    std::sort(want.begin(), want.end());
    BOOST_TEST(ids == want, boost::test_tools::per_element());
    BOOST_TEST(body["total"] == 2);
    BOOST_TEST(call("GET", base + "/" + mates, {}, {}, session).status == 200);
    BOOST_TEST(call("GET", base + "/" + strangers, {}, {}, session).status == 403);

    auto me = json::parse(call("GET", "/api/v1/me", {}, {}, session).body);
    BOOST_TEST_REQUIRE(me["teams"].size() == 1u);
    BOOST_TEST(me["teams"][0]["id"] == team["id"]);
    BOOST_TEST(me["teams"][0]["member_ids"].size() == 2u);

    // Leaving the team narrows the next request to own records.
    BOOST_TEST_REQUIRE(call("PATCH", teams_path(account_a1) + "/" + team["id"].get<std::string>(),
                            json{{"member_ids", {mate}}}.dump(), if_match(1), owner)
                           .status == 200);
    BOOST_TEST(json::parse(call("GET", base, {}, {}, session).body)["items"].size() == 1u);
    BOOST_TEST(call("GET", base + "/" + mates, {}, {}, session).status == 403);
    BOOST_TEST(json::parse(call("GET", "/api/v1/me", {}, {}, session).body)["teams"].empty());
}

BOOST_AUTO_TEST_SUITE_END()

// CRM-4 contact export: GET /api/v1/accounts/{account_id}/contacts/export?format=csv|json.
// CSV and JSON content, the formula guard, record scope, permission, re-auth, the audit row,
// and the temp file going away with the response.
#include "roles_fixture.hpp"

#include "stronghold/model/time.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using json = nlohmann::json;

namespace {

std::string file_text(const Response& r)
{
    BOOST_REQUIRE(r.body_file);
    std::ifstream in(r.body_file->path(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> lines_of(const std::string& csv)
{
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < csv.size()) {
        auto end = csv.find("\r\n", at);
        BOOST_REQUIRE(end != std::string::npos); // every record ends with CRLF
        out.push_back(csv.substr(at, end - at));
        at = end + 2;
    }
    return out;
}

struct ExportFixture : RolesFixture {
    std::string owner = login(owner_a);
    std::string path(const std::string& account, const std::string& query)
    {
        return "/api/v1/accounts/" + account + "/contacts/export" + (query.empty() ? "" : "?" + query);
    }
    Response get_export(const std::string& session, const std::string& query, const std::string& account = {})
    {
        return call("GET", path(account.empty() ? account_a1 : account, query), {}, {}, session);
    }
    std::vector<AuditEntry> exports_audited()
    {
        std::vector<AuditEntry> out;
        for (auto& e : store->audit_entries(agency_a, 1000))
            if (e.action == "contact.export")
                out.push_back(e);
        return out;
    }
};

const std::string k_header = "id,first_name,last_name,emails,phones,company_name,owner_id,tags,version,created_at,updated_at";

} // namespace

BOOST_FIXTURE_TEST_SUITE(api_export_tests, ExportFixture)

BOOST_AUTO_TEST_CASE(CRM4_csv_export_has_the_wire_fields_rfc4180_quoting_and_a_formula_guard)
{
    auto evil = create_contact(owner, account_a1,
                               {{"first_name", "=HYPERLINK(\"http://evil.test\")"},
                                {"last_name", "Lima, Jr"},
                                {"emails", {"ana@example.com", "ana.lima@example.com"}},
                                {"phones", {"+15551234567"}},
                                {"company_name", "Say \"hi\""},
                                {"tags", {"vip", "@risk"}}});
    auto plain = create_contact(owner, account_a1, {{"first_name", "Bo"}, {"last_name", "Zed"}});

    auto r = get_export(owner, "format=csv");
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.header("Content-Type").value_or("") == "text/csv; charset=utf-8");
    BOOST_TEST(r.header("Content-Disposition").value_or("") ==
               "attachment; filename=\"contacts-" + account_a1 + "-" + model::format_iso8601(now).substr(0, 10) + ".csv\"");
    BOOST_TEST(r.header("Cache-Control").value_or("") == "no-store");
    BOOST_TEST(r.body.empty());
    auto lines = lines_of(file_text(r));
    BOOST_TEST_REQUIRE(lines.size() == 3u);
    BOOST_TEST(lines[0] == k_header);
    const auto at = model::format_iso8601(now);
    // sorted by name: "Lima" before "Zed"; the formula cell is guarded and quoted, lists joined by "; "
    BOOST_TEST(lines[1] == evil["id"].get<std::string>() +
                               ",\"'=HYPERLINK(\"\"http://evil.test\"\")\",\"Lima, Jr\","
                               "ana@example.com; ana.lima@example.com,'+15551234567,\"Say \"\"hi\"\"\"," +
                               owner_a_id + ",vip; @risk,1," + at + "," + at);
    BOOST_TEST(lines[2] == plain["id"].get<std::string>() + ",Bo,Zed,,,," + owner_a_id + ",,1," + at + "," + at);
}

BOOST_AUTO_TEST_CASE(CRM4_json_export_is_an_array_of_the_wire_records)
{
    auto a = create_contact(owner, account_a1, {{"first_name", "Ana"}, {"emails", {"ana@example.com"}}});
    auto b = create_contact(owner, account_a1, {{"first_name", "Bo"}, {"tags", {"=1+1"}}});
    create_contact(owner, account_a2, {{"first_name", "Other sub-account"}});

    auto r = get_export(owner, "format=json");
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.header("Content-Type").value_or("") == "application/json");
    BOOST_TEST(r.header("Content-Disposition").value_or("").ends_with(".json\""));
    auto body = json::parse(file_text(r), nullptr, false);
    BOOST_TEST_REQUIRE(body.is_array());
    BOOST_TEST_REQUIRE(body.size() == 2u);
    BOOST_TEST(body[0] == a);
    BOOST_TEST(body[1] == b); // JSON values are data, not cells: no guard there
    // an empty result is still a valid array
    auto empty = get_export(owner, "format=json&q=nobody");
    BOOST_TEST(json::parse(file_text(empty), nullptr, false) == json::array());
}

BOOST_AUTO_TEST_CASE(CRM4_export_takes_the_list_search_and_sort)
{
    create_contact(owner, account_a1, {{"first_name", "Ana"}, {"emails", {"ana@example.com"}}});
    create_contact(owner, account_a1, {{"first_name", "Bo"}});
    now += 1000;
    create_contact(owner, account_a1, {{"first_name", "Cy"}});
    auto found = lines_of(file_text(get_export(owner, "format=csv&q=ana%40example.com")));
    BOOST_TEST_REQUIRE(found.size() == 2u);
    BOOST_TEST(found[1].find(",Ana,") != std::string::npos);
    auto newest = lines_of(file_text(get_export(owner, "format=csv&sort=-updated_at")));
    BOOST_TEST_REQUIRE(newest.size() == 4u);
    BOOST_TEST(newest[1].find(",Cy,") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(CRM4_bad_export_parameters_are_422_naming_them)
{
    struct Case {
        std::string query, field;
    };
    for (const auto& c : std::vector<Case>{{"", "format"},
                                           {"format=xml", "format"},
                                           {"format=csv&limit=10", "limit"},
                                           {"format=csv&cursor=x", "cursor"},
                                           {"format=csv&count=true", "count"},
                                           {"format=csv&sort=age", "sort"},
                                           {"format=csv&colour=red", "colour"},
                                           {"format=csv&format=json", "format"}}) {
        BOOST_TEST_CONTEXT(c.query)
        {
            auto r = get_export(owner, c.query);
            BOOST_TEST(r.status == 422);
            BOOST_TEST(error_field_of(r) == c.field);
            BOOST_TEST(!r.body_file);
        }
    }
    BOOST_TEST(exports_audited().empty());
}

BOOST_AUTO_TEST_CASE(CRM4_own_scope_exports_only_own_records)
{
    auto role = create_role(owner, agency_a,
                            {{"name", "Own exporter"},
                             {"permissions", {{"contact", {{"view", "own"}, {"create", "own"}, {"export", "own"}}}}}});
    add_member("rep@a1.test", agency_a, account_a1, role["id"].get<std::string>());
    auto rep = login("rep@a1.test");
    create_contact(owner, account_a1, {{"first_name", "Owners"}});
    auto mine = create_contact(rep, account_a1, {{"first_name", "Reps"}});

    auto lines = lines_of(file_text(get_export(rep, "format=csv")));
    BOOST_TEST_REQUIRE(lines.size() == 2u);
    BOOST_TEST(lines[1].starts_with(mine["id"].get<std::string>() + ",Reps,"));
    BOOST_TEST(lines_of(file_text(get_export(owner, "format=csv"))).size() == 3u); // "all" sees both
}

BOOST_AUTO_TEST_CASE(CRM4_export_is_refused_without_the_export_permission)
{
    create_contact(owner, account_a1, {{"first_name", "Ana"}});
    // built-in roles: only agency owner/admin and account admin may export
    for (const auto& who : {reader_a1, user_a1, agency_user_a}) {
        BOOST_TEST_CONTEXT(who)
        {
            auto r = get_export(login(who), "format=csv");
            BOOST_TEST(r.status == 403);
            BOOST_TEST(!r.body_file);
        }
    }
    add_member("admin@a1.test", agency_a, account_a1, "account_admin");
    BOOST_TEST(get_export(login("admin@a1.test"), "format=csv").status == 200);
    // another agency's sub-account does not exist for this user
    BOOST_TEST(get_export(login(owner_b), "format=csv").status == 404);
    BOOST_TEST(get_export({}, "format=csv").status == 401);
}

BOOST_AUTO_TEST_CASE(CRM4_export_needs_a_recent_reauthentication)
{
    now += 6 * 60 * 1000; // past the 5-minute window, inside the session's idle timeout
    auto r = get_export(owner, "format=csv");
    BOOST_TEST(r.status == 401);
    BOOST_TEST(error_code_of(r) == "reauth_required");
    BOOST_TEST(exports_audited().empty());
}

BOOST_AUTO_TEST_CASE(CRM4_each_export_writes_one_audit_row_without_personal_data)
{
    create_contact(owner, account_a1, {{"first_name", "Ana"}, {"emails", {"ana@example.com"}}});
    create_contact(owner, account_a1, {{"first_name", "Bo"}});
    BOOST_TEST(get_export(owner, "format=csv").status == 200);
    BOOST_TEST(get_export(owner, "format=json&q=ana%40example.com&sort=-name").status == 200);
    auto rows = exports_audited();
    BOOST_TEST_REQUIRE(rows.size() == 2u);
    // newest first or oldest first: find each by format
    for (const auto& e : rows) {
        BOOST_TEST(e.account_id == account_a1);
        BOOST_TEST(e.actor.id == owner_a_id);
        BOOST_TEST(e.target_type == "contact");
        BOOST_TEST(e.details.dump().find("ana") == std::string::npos); // the searched email is not kept
        if (e.details["format"] == "csv") {
            BOOST_TEST(e.details["count"] == 2);
            BOOST_TEST(e.details["q"] == false);
            BOOST_TEST(e.details["sort"] == "name");
        } else {
            BOOST_TEST(e.details["format"] == "json");
            BOOST_TEST(e.details["count"] == 1);
            BOOST_TEST(e.details["q"] == true);
            BOOST_TEST(e.details["sort"] == "-name");
            BOOST_TEST(e.details["filters"] == json::array());
        }
    }
}

BOOST_AUTO_TEST_CASE(CRM4_export_file_goes_with_its_response)
{
    create_contact(owner, account_a1, {{"first_name", "Ana"}});
    std::string path;
    {
        auto r = get_export(owner, "format=csv");
        BOOST_TEST_REQUIRE(r.body_file);
        path = r.body_file->path();
        BOOST_TEST(path.starts_with(temp_dir_of(dir.path.string())));
        BOOST_TEST(std::filesystem::exists(path));
    }
    BOOST_TEST(!std::filesystem::exists(path));
}

BOOST_AUTO_TEST_SUITE_END()

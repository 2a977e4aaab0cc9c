// Router, security headers on every answer, /healthz, static files, query parsing.
#include "app/router.hpp"

#include "api_fixture.hpp"

#include "stronghold/model/record.hpp"
#include "app/query.hpp"
#include "app/security_headers.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>
#include <unistd.h>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

void check_security_headers(const Response& r)
{
    BOOST_TEST(r.header("Content-Security-Policy").value_or("") == std::string(k_content_security_policy));
    auto csp = r.header("Content-Security-Policy").value_or("");
    BOOST_TEST(csp.find("'unsafe-inline'") == std::string::npos);
    BOOST_TEST(csp.find("'unsafe-eval'") == std::string::npos);
    BOOST_TEST(r.header("Strict-Transport-Security").value_or("") == "max-age=63072000; includeSubDomains");
    BOOST_TEST(r.header("X-Content-Type-Options").value_or("") == "nosniff");
    BOOST_TEST(r.header("Referrer-Policy").value_or("") == "no-referrer");
    BOOST_TEST(r.header("X-Frame-Options").value_or("") == "DENY");
    BOOST_TEST(r.header("Cross-Origin-Opener-Policy").value_or("") == "same-origin");
    BOOST_TEST(r.header("Cache-Control").has_value());
}

} // namespace

BOOST_AUTO_TEST_SUITE(api_misc_tests)

BOOST_AUTO_TEST_CASE(router_matches_params_and_reports_allowed_methods)
{
    auto m = api_router().match("GET", "/api/v1/accounts/ac_1/contacts/ct_2");
    BOOST_REQUIRE(m.kind == RouteMatch::Kind::found);
    BOOST_TEST(m.route->pattern == "/api/v1/accounts/{account_id}/contacts/{id}");
    BOOST_TEST(m.params.size() == 2u);
    BOOST_TEST(m.params[0].second == "ac_1");
    BOOST_TEST(m.params[1].second == "ct_2");

    auto wrong = api_router().match("PUT", "/api/v1/accounts/ac_1/contacts/ct_2");
    BOOST_TEST((wrong.kind == RouteMatch::Kind::method_not_allowed));
    BOOST_TEST(wrong.allow == "GET, PATCH, DELETE");
    for (const char* path : {"/api/v1/accounts/ac_1/contacts/ct_2/x", "/api/v1/accounts//contacts", "/api/v1/me/",
                             "/api/v2/me", "api/v1/me", ""})
        BOOST_TEST_CONTEXT(path) BOOST_TEST((api_router().match("GET", path).kind == RouteMatch::Kind::not_found));
}

BOOST_AUTO_TEST_CASE(route_table_lists_every_api_route_once)
{
    auto table = route_table();
    // Each (method, pattern) once; a fixed total would break with every new endpoint.
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& r : table)
        BOOST_TEST_CONTEXT(r.method << " " << r.pattern) BOOST_TEST(seen.emplace(r.method, r.pattern).second);
    BOOST_TEST(table.size() >= 9u);
    // Every route naming a sub-account sits under /api/v1/accounts/{account_id}/ and needs a
    // session; every record kind of core's schema table has its full set of routes.
    std::size_t tenant = 0;
    for (const auto& r : table) {
        tenant += r.tenant_scoped;
        if (r.tenant_scoped)
            BOOST_TEST_CONTEXT(r.pattern)
            {
                BOOST_TEST(r.needs_session);
                BOOST_TEST(r.pattern.starts_with("/api/v1/accounts/{account_id}/"));
            }
    }
    for (const auto& spec : model::object_specs())
        for (const char* suffix : {"", "/bulk", "/{id}", "/{id}/versions", "/{id}/versions/{n}/revert"})
            BOOST_TEST_CONTEXT(spec.path << suffix)
            BOOST_TEST(std::any_of(table.begin(), table.end(), [&](const RouteInfo& r) {
                return r.pattern == "/api/v1/accounts/{account_id}/" + std::string(spec.path) + suffix;
            }));
    BOOST_TEST(tenant >= 12 + 8 * model::object_specs().size());
}

BOOST_FIXTURE_TEST_CASE(net1_security_headers_on_200_404_405_and_401, ApiFixture)
{
    auto ok = call("GET", "/api/v1/me", {}, {}, login(owner_a));
    BOOST_TEST(ok.status == 200);
    check_security_headers(ok);
    BOOST_TEST(ok.header("Cache-Control").value_or("") == "no-store");
    auto missing = call("GET", "/api/v1/nothing");
    BOOST_TEST(missing.status == 404);
    BOOST_TEST(json::parse(missing.body)["error"]["code"] == "not_found");
    check_security_headers(missing);
    auto wrong = call("DELETE", "/api/v1/me");
    BOOST_TEST(wrong.status == 405);
    BOOST_TEST(wrong.header("Allow").value_or("") == "GET");
    BOOST_TEST(json::parse(wrong.body)["error"]["code"] == "method_not_allowed");
    check_security_headers(wrong);
    check_security_headers(call("GET", "/api/v1/me"));
}

BOOST_FIXTURE_TEST_CASE(net1_security_headers_on_500_and_details_never_leak, ApiFixture)
{
    auto token = login(owner_a);
    clock_throws = true; // stands in for a bug or an outage below the handlers
    auto resp = call("GET", "/api/v1/me", {}, {}, token);
    clock_throws = false;
    BOOST_TEST(resp.status == 500);
    BOOST_TEST(json::parse(resp.body)["error"]["code"] == "internal");
    BOOST_TEST(resp.body.find("clock broken") == std::string::npos);
    check_security_headers(resp);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, token).status == 200); // the app keeps serving
}

BOOST_FIXTURE_TEST_CASE(ops1_healthz_reports_version_uptime_and_store, ApiFixture)
{
    now += 5000;
    auto r = call("GET", "/healthz");
    auto body = json::parse(r.body);
    BOOST_TEST(body["version"] == STRONGHOLD_VERSION);
    BOOST_TEST(body["uptime_seconds"] == 5);
    BOOST_TEST(body["components"]["store"] == "ok");
    BOOST_TEST(body["status"] == "ok");
}

BOOST_FIXTURE_TEST_CASE(static_files_are_served_with_types_and_never_outside_the_root, ApiFixture)
{
    std::filesystem::create_directories(dir.path / "web");
    std::ofstream(dir.path / "web" / "login.html") << "<!doctype html><title>x</title>";
    std::ofstream(dir.path / "web" / "stronghold.wasm") << "\0asm";
    std::ofstream(dir.path / "secret.txt") << "outside";

    auto root = call("GET", "/");
    BOOST_TEST(root.status == 302);
    BOOST_TEST(root.header("Location").value_or("") == "/login.html");
    auto page = call("GET", "/login.html");
    BOOST_TEST(page.status == 200);
    BOOST_TEST(page.header("Content-Type").value_or("") == "text/html; charset=utf-8");
    BOOST_TEST(page.header("Cache-Control").value_or("") == "no-cache");
    check_security_headers(page);
    BOOST_TEST(call("GET", "/stronghold.wasm").header("Content-Type").value_or("") == "application/wasm");
    for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/./login.html", "/.hidden", "/missing.js",
                             "/web/../secret.txt", "//etc/passwd"})
        BOOST_TEST_CONTEXT(path) BOOST_TEST(call("GET", path).status == 404);
    BOOST_TEST(call("POST", "/login.html").status == 405);
}

BOOST_AUTO_TEST_CASE(query_strings_decode_strictly)
{
    auto q = parse_query("q=Ann+Lee&email=a%40b.test&flag");
    BOOST_REQUIRE(q.ok());
    BOOST_TEST(q->size() == 3u);
    BOOST_TEST((*q)[0].second == "Ann Lee");
    BOOST_TEST((*q)[1].second == "a@b.test");
    BOOST_TEST((*q)[2].second == "");
    BOOST_TEST(!parse_query("a=%4").ok());
    BOOST_TEST(!parse_query("a=%g1").ok());
    BOOST_TEST(parse_query("a=1&a=2").error().field == "a");
}

BOOST_FIXTURE_TEST_CASE(ops2_request_logs_hold_no_password_token_or_query_values, ApiFixture)
{
    // Capture this process's stderr (where log lines go) around a few requests.
    std::fflush(stderr);
    int saved = dup(2);
    std::FILE* capture = std::tmpfile();
    BOOST_REQUIRE(capture);
    dup2(fileno(capture), 2);
    auto token = login(owner_a);
    (void)call("GET", "/api/v1/accounts/" + account_a1 + "/contacts?q=private%40mail.test", {}, {}, token);
    (void)call("POST", "/api/v1/auth/login", json{{"email", owner_a}, {"password", "Wrong-Secret-7!"}}.dump());
    std::fflush(stderr);
    dup2(saved, 2);
    close(saved);

    std::rewind(capture);
    std::string logs;
    for (int c; (c = std::fgetc(capture)) != EOF;)
        logs.push_back(static_cast<char>(c));
    std::fclose(capture);
    BOOST_TEST(logs.find("\"event\":\"http.request\"") != std::string::npos);
    BOOST_TEST(logs.find("\"path\":\"/api/v1/accounts/" + account_a1 + "/contacts\"") != std::string::npos);
    for (const std::string& secret : {std::string(k_password), token, std::string("Wrong-Secret-7!"),
                                      std::string("private"), std::string("__Host-stronghold_session")})
        BOOST_TEST_CONTEXT(secret) BOOST_TEST(logs.find(secret) == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

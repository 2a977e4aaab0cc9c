// The isolation proof (TEN-2, AUD-5; issue 6): every tenant-data route of the router, walked as
// every built-in role with ids from another agency and from another sub-account of the same
// agency. Each answer must be the one a missing id gets (404, same body, no foreign data); every
// 404 that names another tenant raises a cross_tenant_attempt event (within a second) with its
// audit row in the target tenant's log. The route list comes from route_table(): a new route
// whose path parameter has no case here fails the test.
#include "app/router.hpp"

#include "api_fixture.hpp"

#include "stronghold/crypto/crypto.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <map>
#include <thread>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

struct IsolationFixture : ApiFixture {
    std::string agency_admin_a = "admin@a.test", account_admin_a1 = "admin@a1.test";
    std::map<std::string, std::string> sessions;
    std::map<std::string, model::UnixMillis> logged_in_at, used_at;

    IsolationFixture()
    {
        add_user(*store, agency_admin_a, {"", agency_a, "", "", model::Role::agency_admin});
        add_user(*store, account_admin_a1, {"", "", account_a1, agency_a, model::Role::account_admin});
    }

    // A fresh session when the last one is near its idle or absolute timeout (the walk moves the clock).
    const std::string& session_of(const std::string& email)
    {
        if (!sessions.contains(email) || now - logged_in_at[email] > 6LL * 60 * 60 * 1000 ||
            now - used_at[email] > 10LL * 60 * 1000) {
            sessions[email] = login(email);
            logged_in_at[email] = now;
        }
        used_at[email] = now;
        return sessions[email];
    }

    std::size_t events(const std::string& agency_id, const std::string& kind)
    {
        auto list = store->list_security_events(agency_id, 0, 100000);
        BOOST_REQUIRE(list.ok());
        std::size_t n = 0;
        for (const auto& e : *list)
            n += e.kind == kind;
        return n;
    }

    // The event is raised after the answer has left: wait up to a second for it (the bound).
    bool event_within_a_second(const std::string& agency_id, std::size_t before)
    {
        for (int i = 0; i < 100; ++i) {
            if (events(agency_id, "cross_tenant_attempt") > before)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

    // A pending JITA grant of a platform staff member on the sub-account (ACC-3), stored directly.
    std::string grant_on(const std::string& account, const std::string& agency)
    {
        if (staff_id.empty()) {
            model::User staff{crypto::random_id("us"), "ops@platform.test", "", true, now};
            AuditEntry audit;
            audit.action = "staff.created";
            BOOST_REQUIRE(store->create_staff(staff, "", access::StaffRole::support, "sealed", audit).ok());
            staff_id = staff.id;
        }
        JitaGrant g;
        g.id = crypto::random_id("gr");
        g.staff_id = staff_id;
        g.agency_id = agency;
        g.account_id = account;
        g.reason = "Ticket 1";
        g.hours = 2;
        g.requested_at = now;
        AuditEntry audit;
        audit.agency_id = agency;
        audit.action = "jita.requested";
        BOOST_REQUIRE(store->create_grant(g, audit).ok());
        return g.id;
    }
    std::string staff_id;

    json post(const std::string& session, const std::string& path, const json& body)
    {
        auto r = call("POST", path, body.dump(), {}, session);
        BOOST_REQUIRE_MESSAGE(r.status == 201, path + " -> " + std::to_string(r.status) + " " + r.body);
        return json::parse(r.body);
    }
};

// The tenant-level ids a path can carry, for one tenant.
struct TenantIds {
    std::string agency, account;
    std::map<std::string, std::string> by_collection; // "contacts" -> "ct_...", "users" -> "us_..."
    std::string session_id;                            // for {session_id}
};

// {param} -> value for one route. Fails the test for a parameter this walk does not know.
std::optional<std::string> fill(const std::string& pattern, const TenantIds& ids)
{
    std::string out;
    std::string previous;
    std::size_t i = 0;
    while (i < pattern.size()) {
        if (pattern[i] != '{') {
            auto next = pattern.find('{', i);
            auto literal = pattern.substr(i, next == std::string::npos ? std::string::npos : next - i);
            out += literal;
            auto trimmed = literal;
            while (!trimmed.empty() && trimmed.back() == '/')
                trimmed.pop_back();
            if (auto slash = trimmed.rfind('/'); slash != std::string::npos)
                previous = trimmed.substr(slash + 1);
            i = next == std::string::npos ? pattern.size() : next;
            continue;
        }
        auto close = pattern.find('}', i);
        auto name = pattern.substr(i + 1, close - i - 1);
        i = close + 1;
        if (name == "account_id")
            out += ids.account;
        else if (name == "agency_id")
            out += ids.agency;
        else if (name == "n")
            out += "1";
        else if (name == "session_id")
            out += ids.session_id;
        else if (name == "id" && ids.by_collection.contains(previous))
            out += ids.by_collection.at(previous);
        else
            return std::nullopt;
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(isolation_proof)

BOOST_FIXTURE_TEST_CASE(TEN2_AUD5_every_tenant_route_as_every_role_answers_404_and_raises_an_event, IsolationFixture)
{
    // Data of agency B (another agency) and of sub-account a2 (a sibling of a1 in agency A).
    auto owner_b_session = login(owner_b);
    auto owner_a_session = login(owner_a);
    const auto make_ids = [&](const std::string& session, const std::string& agency, const std::string& account,
                              const std::string& user_id) {
        TenantIds t{agency, account, {}, {}};
        const std::string base = "/api/v1/accounts/" + account;
        t.by_collection["contacts"] = create_contact(session, account, {{"first_name", "Secret"}})["id"];
        const std::string company = post(session, base + "/companies", {{"name", "Secret Corp"}})["id"];
        for (const auto& spec : model::object_specs())
            t.by_collection[std::string(spec.path)] = company; // any record id of that tenant
        t.by_collection["companies"] = company;
        t.by_collection["teams"] = post(session, base + "/teams", {{"name", "Secret team"}})["id"];
        t.by_collection["imports"] = t.by_collection["contacts"];
        t.by_collection["trash"] = t.by_collection["contacts"];
        t.by_collection["roles"] = post(session, "/api/v1/agencies/" + agency + "/roles", {{"name", "Secret role"}})["id"];
        t.by_collection["users"] = user_id;
        t.by_collection["grants"] = grant_on(account, agency);
        t.by_collection["sessions"] = json::parse(call("GET", "/api/v1/me/sessions", {}, {}, session).body)["items"][0]["id"];
        t.session_id = t.by_collection["sessions"];
        return t;
    };
    const auto owner_b_id = store->find_credentials_by_email(owner_b)->user.id;
    const TenantIds other_agency = make_ids(owner_b_session, agency_b, account_b1, owner_b_id);
    const TenantIds sibling = make_ids(owner_a_session, agency_a, account_a2, owner_a_id);

    struct Role {
        std::string email;
        bool opens_a2; // may open the sibling sub-account itself
    };
    const std::vector<Role> roles = {{owner_a, true}, {agency_admin_a, true}, {agency_user_a, false},
                                     {account_admin_a1, false}, {user_a1, false}, {reader_a1, false}};

    std::size_t walked = 0, raised = 0;
    for (const auto& route : route_table()) {
        const bool tenant_data = route.pattern.find("{") != std::string::npos && route.needs_session;
        if (!tenant_data)
            continue;
        // Where the ids come from, and the tenant in the path.
        struct Case {
            const char* name;
            TenantIds path; // ids substituted into the path
            std::string target_agency;
        };
        std::vector<Case> cases;
        cases.push_back({"other agency", other_agency, agency_b});
        {
            TenantIds own_path_foreign_ids = other_agency; // own tenant in the path, B's ids
            own_path_foreign_ids.agency = agency_a;
            own_path_foreign_ids.account = account_a1;
            cases.push_back({"own tenant, other agency's ids", own_path_foreign_ids, agency_b});
            TenantIds own_path_sibling_ids = sibling;
            own_path_sibling_ids.account = account_a1;
            cases.push_back({"own sub-account, sibling's ids", own_path_sibling_ids, agency_a});
        }
        cases.push_back({"sibling sub-account", sibling, agency_a});

        for (const auto& role : roles) {
            for (const auto& c : cases) {
                auto path = fill(route.pattern, c.path);
                BOOST_TEST_REQUIRE(path.has_value(),
                                   "no isolation case for a parameter of " << route.method << " " << route.pattern);
                const bool id_in_path = route.pattern.find("/{id}") != std::string::npos ||
                                        route.pattern.find("{session_id}") != std::string::npos;
                const bool foreign_path_tenant = std::string(c.name) == "other agency" ||
                                                 (std::string(c.name) == "sibling sub-account" && !role.opens_a2 &&
                                                  route.tenant_scoped);
                if (!id_in_path && !foreign_path_tenant)
                    continue; // own tenant, no id: nothing foreign in this request
                if (std::string(c.name) == "sibling sub-account" && !foreign_path_tenant)
                    continue; // the sibling is the actor's own tenant (or an agency route)
                if (std::string(c.name).find("sibling") != std::string::npos && !route.tenant_scoped)
                    continue; // agency-level things of agency A are the actor's own agency's
                if (route.pattern.starts_with("/api/v1/me/") && std::string(c.name) != "other agency")
                    continue; // /me routes carry no tenant: one foreign case is the whole story
                // The answer a missing id of the same shape gets.
                TenantIds missing = c.path;
                for (auto& [k, v] : missing.by_collection)
                    v = v.substr(0, 3) + std::string(26, 'a');
                missing.session_id = "se_" + std::string(26, 'a');
                if (foreign_path_tenant) {
                    missing.account = "ac_" + std::string(26, 'a');
                    missing.agency = "ag_" + std::string(26, 'a');
                }
                now += 3LL * 60 * 1000; // at most 4 attempts in a block rule's 10-minute window
                const auto& session = session_of(role.email);
                const std::string body = route.method == "POST" || route.method == "PATCH"
                                             ? json{{"first_name", "Intruder"}, {"name", "Intruder"}}.dump()
                                             : "";
                Headers h{{"If-Match", "\"1\""}};
                auto expected = call(route.method, *fill(route.pattern, missing), body, h, session);
                const auto before = events(c.target_agency, "cross_tenant_attempt");
                const auto audit_before = audit_count(c.target_agency, "security.cross_tenant_attempt");
                auto r = call(route.method, *path, body, h, session);
                BOOST_TEST_CONTEXT(route.method << " " << route.pattern << " / " << c.name << " / " << role.email)
                {
                    ++walked;
                    BOOST_TEST(r.status == expected.status);
                    BOOST_TEST(r.body == expected.body);
                    BOOST_TEST(r.body.find("Secret") == std::string::npos);
                    if (foreign_path_tenant)
                        BOOST_TEST(r.status == 404);
                    if (r.status == 404) {
                        BOOST_TEST(event_within_a_second(c.target_agency, before));
                        BOOST_TEST(audit_count(c.target_agency, "security.cross_tenant_attempt") == audit_before + 1);
                        ++raised;
                    }
                }
            }
        }
    }
    BOOST_TEST_MESSAGE("isolation walk: " << walked << " requests, " << raised << " cross-tenant events");
    BOOST_TEST(walked >= 300u);
    BOOST_TEST(raised >= 250u);
    // Nothing of B changed (a new session: the walk moved the clock past the first one's).
    auto still = call("GET", "/api/v1/accounts/" + account_b1 + "/contacts/" + other_agency.by_collection.at("contacts"),
                      {}, {}, login(owner_b));
    BOOST_TEST(json::parse(still.body)["version"] == 1);
}

BOOST_AUTO_TEST_SUITE_END()

// The generated authorization matrix (ACC-1, ACC-2): every role (the six built-ins and three
// custom roles: own scope, team scope with a team, an agency-wide viewer with manage_users) x
// tenant (home sub-account, sibling sub-account, another agency's) x record owner (the actor, a
// teammate of the team-scope user, a stranger) x contact action the server routes today, each
// compared with what core authorize() decides: allow -> 2xx, forbidden -> 403, not_found -> 404.
// Then the admin routes against has_capability. Both tables are printed to stdout.
#include "roles_fixture.hpp"

#include "app/router.hpp"
#include "stronghold/access/admin.hpp"

#include <boost/test/unit_test.hpp>

#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using access::Decision;
using access::Object;
using access::Verb;
using nlohmann::json;

namespace {

struct Actor {
    std::string role; // row label: built-in name or custom role name
    std::string email;
    std::string id;
    std::string session;
    access::Actor core; // as the server loads it (memberships, custom roles, teams)
};

struct Tenant {
    std::string label;
    std::string agency_id;
    std::string account_id;
};

int status_of(Decision d, int ok)
{
    return d == Decision::allow ? ok : d == Decision::forbidden ? 403 : 404;
}

std::string cell(const std::string& actual, const std::string& expected)
{
    return actual == expected ? actual : actual + "!=" + expected;
}

struct MatrixFixture : RolesFixture {
    // These walks provoke hundreds of refusals on purpose: events are recorded, sources never blocked
    // (the blocks have their own tests in security_events_tests.cpp).
    bool relaxed = (make_app(false), true);
    std::string owner = login(owner_a);
    std::vector<Actor> actors;
    std::vector<Tenant> tenants;
    std::string mate_id, stranger_id, lead_id;
    std::size_t cells = 0, mismatches = 0;

    MatrixFixture()
    {
        tenants = {{"a1 (home)", agency_a, account_a1}, {"a2 (sibling)", agency_a, account_a2}, {"b1 (other agency)", agency_b, account_b1}};
        auto own = create_role(owner, agency_a,
                               {{"name", "Own records"},
                                {"permissions", {{"contact", {{"view", "own"}, {"create", "own"}, {"edit", "own"}, {"delete", "own"}}}}}});
        auto team = create_role(owner, agency_a,
                                {{"name", "Team desk"},
                                 {"permissions", {{"contact", {{"view", "team"}, {"create", "own"}, {"edit", "team"}, {"delete", "team"}}}}}});
        auto viewer = create_role(owner, agency_a,
                                  {{"name", "Agency viewer"},
                                   {"permissions", {{"contact", {{"view", "all"}}}}},
                                   {"capabilities", {"manage_users"}}});
        const auto reader_id = store->find_credentials_by_email(reader_a1)->user.id;
        const auto staff_id = store->find_credentials_by_email(agency_user_a)->user.id;
        actors = {
            {"agency_owner", owner_a, owner_a_id, {}, {}},
            {"agency_admin", "admin@a.test", add_member("admin@a.test", agency_a, "", "agency_admin"), {}, {}},
            {"agency_user", agency_user_a, staff_id, {}, {}},
            {"account_admin", "acadmin@a1.test", add_member("acadmin@a1.test", agency_a, account_a1, "account_admin"), {}, {}},
            {"account_user", user_a1, user_a1_id, {}, {}},
            {"read_only", reader_a1, reader_id, {}, {}},
            {"custom:own", "own@a1.test", add_member("own@a1.test", agency_a, account_a1, own["id"]), {}, {}},
            {"custom:team", "lead@a1.test", add_member("lead@a1.test", agency_a, account_a1, team["id"]), {}, {}},
            {"custom:agency", "viewer@a.test", add_member("viewer@a.test", agency_a, "", viewer["id"]), {}, {}},
        };
        lead_id = actors[7].id;
        mate_id = add_member("mate@a1.test", agency_a, account_a1, "account_user");
        stranger_id = add_member("stranger@a1.test", agency_a, account_a1, "account_user");
        create_team(owner, account_a1, {{"name", "Desk"}, {"member_ids", {lead_id, mate_id}}});
        for (auto& a : actors) {
            a.session = login(a.email);
            // The core's view of the actor, built from the store exactly as the server does.
            a.core.user_id = a.id;
            a.core.memberships = store->memberships_of(a.id);
            std::vector<std::string> role_ids;
            for (const auto& m : a.core.memberships)
                if (m.role == model::Role::custom)
                    role_ids.push_back(m.role_id);
            a.core.roles = store->roles_by_id(role_ids);
            a.core.teams = store->teams_of_user(a.id);
        }
    }

    // A record of `owner_id` in the tenant, written straight to the store (no permission involved).
    model::Contact record(const Tenant& t, const std::string& owner_id, const std::string& name)
    {
        model::Contact c;
        c.id = crypto::random_id("ct");
        c.first_name = name;
        c.owner_id = owner_id;
        c.created_at = c.updated_at = now.load();
        AuditEntry audit;
        audit.actor = {"cli", "", "", ""};
        audit.action = "contact.create";
        auto made = store->create_contact({t.agency_id, t.account_id}, c, audit);
        BOOST_REQUIRE(made.ok());
        return *made;
    }

    std::string contacts(const Tenant& t) { return "/api/v1/accounts/" + t.account_id + "/contacts"; }

    void check(const std::string& what, const std::string& actual, const std::string& expected)
    {
        ++cells;
        mismatches += actual != expected;
        BOOST_TEST(actual == expected, what);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(api_authz_matrix_tests)

BOOST_FIXTURE_TEST_CASE(acc1_acc2_generated_matrix_contact_actions_match_core_authorize, MatrixFixture)
{
    std::ostringstream table;
    const auto row = [&](const std::vector<std::string>& cols) {
        const int widths[] = {14, 18, 10, 9, 12, 9, 9, 9, 14};
        for (std::size_t i = 0; i < cols.size(); ++i)
            table << std::left << std::setw(widths[i]) << cols[i] << (i + 1 < cols.size() ? " " : "");
        table << "\n";
    };
    table << "\nACC-1/ACC-2 authorization matrix: HTTP status per role x tenant x record owner x action\n"
          << "(expected from core authorize(actor, contact, verb, {agency, account, owner}); a mismatch shows "
             "actual!=expected)\n"
          << "list: 'in'/'out' = 200 and the record is / is not in the page (scope filter), else the status.\n"
          << "create: authorize(create, owner), plus authorize(delete, owner) when the owner is not the actor "
             "(assigning records to others).\n"
          << "export, import: no server route yet (not tested).\n\n";
    row({"role", "tenant", "owner", "view", "list", "create", "edit", "delete", "export/import"});
    row({"----", "------", "-----", "----", "----", "------", "----", "------", "-------------"});

    for (const auto& a : actors) {
        for (const auto& t : tenants) {
            for (const auto& [owner_label, owner_id] :
                 std::vector<std::pair<std::string, std::string>>{{"self", a.id}, {"teammate", mate_id}, {"stranger", stranger_id}}) {
                BOOST_TEST_CONTEXT(a.role << " / " << t.label << " / " << owner_label)
                {
                    const access::Target target{t.agency_id, t.account_id, owner_id};
                    const auto decide = [&](Verb v) { return access::authorize(a.core, Object::contact, v, target); };
                    auto subject = record(t, owner_id, "Subject");
                    const auto url = contacts(t) + "/" + subject.id;

                    // view
                    const auto view = std::to_string(call("GET", url, {}, {}, a.session).status);
                    const auto view_want = std::to_string(status_of(decide(Verb::view), 200));
                    check("view", view, view_want);

                    // list: the record is in the page exactly when view is allowed on it
                    auto list = call("GET", contacts(t) + "?limit=200", {}, {}, a.session);
                    std::string listed = std::to_string(list.status);
                    if (list.status == 200) {
                        listed = "out";
                        const auto page = json::parse(list.body);
                        for (const auto& item : page["items"])
                            listed = item["id"] == subject.id ? "in" : listed;
                    }
                    const auto scope = access::scope_in(a.core, Object::contact, Verb::view, t.agency_id, t.account_id);
                    std::string list_want = !access::can_open_account(a.core, t.agency_id, t.account_id) ? "404"
                                            : scope == access::RecordScope::none                         ? "403"
                                            : decide(Verb::view) == Decision::allow                      ? "in"
                                                                                                         : "out";
                    check("list", listed, list_want);

                    // create with this owner
                    auto created = call("POST", contacts(t), json{{"first_name", "New"}, {"owner_id", owner_id}}.dump(), {},
                                        a.session);
                    auto create_decision = decide(Verb::create);
                    if (create_decision == Decision::allow && owner_id != a.id)
                        create_decision = decide(Verb::remove);
                    check("create", std::to_string(created.status), std::to_string(status_of(create_decision, 201)));

                    // edit a field other than the owner
                    auto edited = call("PATCH", url, json{{"last_name", "Edited"}}.dump(), if_match(subject.version), a.session);
                    check("edit", std::to_string(edited.status), std::to_string(status_of(decide(Verb::edit), 200)));

                    // delete (a fresh record: an allowed delete removes it)
                    auto victim = record(t, owner_id, "Victim");
                    auto deleted = call("DELETE", contacts(t) + "/" + victim.id, {}, if_match(victim.version), a.session);
                    check("delete", std::to_string(deleted.status), std::to_string(status_of(decide(Verb::remove), 204)));

                    row({a.role, t.label, owner_label, cell(view, view_want), cell(listed, list_want),
                         cell(std::to_string(created.status), std::to_string(status_of(create_decision, 201))),
                         cell(std::to_string(edited.status), std::to_string(status_of(decide(Verb::edit), 200))),
                         cell(std::to_string(deleted.status), std::to_string(status_of(decide(Verb::remove), 204))),
                         "n/a (no route)"});
                }
            }
        }
    }
    table << "\n" << cells << " cells (" << actors.size() << " roles x " << tenants.size()
          << " tenants x 3 owners x 5 actions), " << mismatches << " mismatches\n";
    std::cout << table.str() << std::flush;
    BOOST_TEST(cells == actors.size() * tenants.size() * 3 * 5);
    BOOST_TEST(mismatches == 0u);
}

BOOST_FIXTURE_TEST_CASE(acc1_acc2_generated_matrix_admin_routes_match_has_capability, MatrixFixture)
{
    using access::Capability;
    // Actors of agency B too: the owner of B sees agency A only as 404.
    Actor b{"agency_owner(B)", owner_b, store->find_credentials_by_email(owner_b)->user.id, login(owner_b), {}};
    b.core.user_id = b.id;
    b.core.memberships = store->memberships_of(b.id);
    actors.push_back(b);

    bool users_routed = false;
    for (const auto& r : route_table())
        users_routed = users_routed || (r.method == "GET" && r.pattern == "/api/v1/agencies/{agency_id}/users");

    // A capability "in the agency or any sub-account of it the actor belongs to" (list pickers).
    const auto anywhere = [](const access::Actor& a, Capability c, const std::string& agency) {
        if (access::has_capability(a, c, agency))
            return true;
        for (const auto& m : a.memberships)
            if (!m.account_id.empty() && m.account_agency_id == agency && access::has_capability(a, c, agency, m.account_id))
                return true;
        return false;
    };

    std::ostringstream table;
    table << "\nACC-2 admin routes: HTTP status per role x agency (expected from is_member_of_agency/has_capability)\n\n";
    const auto row = [&](const std::vector<std::string>& cols) {
        for (std::size_t i = 0; i < cols.size(); ++i)
            table << std::left << std::setw(i < 2 ? 17 : 13) << cols[i] << (i + 1 < cols.size() ? " " : "");
        table << "\n";
    };
    row({"role", "agency", "GET roles", "POST roles", "GET users", "GET sec-pol", "GET teams a1", "POST teams a1"});
    std::size_t n = 0;
    for (const auto& a : actors) {
        for (const auto& [label, agency] : std::vector<std::pair<std::string, std::string>>{{"A", agency_a}, {"B", agency_b}}) {
            BOOST_TEST_CONTEXT(a.role << " / agency " << label)
            {
                const bool member = access::is_member_of_agency(a.core, agency);
                const auto want = [&](bool allowed, int ok) { return std::to_string(!member ? 404 : allowed ? ok : 403); };
                const auto got = [&](const std::string& method, const std::string& path, const json& body = {}) {
                    return std::to_string(call(method, path, body.is_null() ? "" : body.dump(), {}, a.session).status);
                };
                std::vector<std::string> cols{a.role, label};
                const auto add = [&](const std::string& actual, const std::string& expected) {
                    BOOST_TEST(actual == expected);
                    ++n;
                    cols.push_back(cell(actual, expected));
                };
                add(got("GET", roles_path(agency)),
                    want(anywhere(a.core, Capability::manage_users, agency) || anywhere(a.core, Capability::manage_roles, agency), 200));
                add(got("POST", roles_path(agency), json{{"name", "M " + a.email + label}}),
                    want(access::has_capability(a.core, Capability::manage_roles, agency), 201));
                if (users_routed)
                    add(got("GET", "/api/v1/agencies/" + agency + "/users"), want(anywhere(a.core, Capability::manage_users, agency), 200));
                else
                    cols.push_back("no route yet");
                add(got("GET", "/api/v1/agencies/" + agency + "/security-policy"),
                    want(access::has_capability(a.core, Capability::manage_security, agency), 200));
                if (label == "A") {
                    const bool opens = access::can_open_account(a.core, agency_a, account_a1);
                    add(got("GET", teams_path(account_a1)), std::to_string(opens ? 200 : 404));
                    add(got("POST", teams_path(account_a1), json{{"name", "T " + a.email}}),
                        std::to_string(!opens ? 404
                                       : access::has_capability(a.core, Capability::manage_users, agency_a, account_a1) ? 201
                                                                                                                       : 403));
                }
                row(cols);
            }
        }
    }
    table << "\n" << n << " cells\n";
    std::cout << table.str() << std::flush;
}

BOOST_AUTO_TEST_SUITE_END()

#include "app/admin.hpp"
#include "app/role_editor.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold;
using web::app::Grant;
using access::Object;
using access::RecordScope;
using access::Verb;

namespace {

const char* k_users = R"({"items":[
  {"id":"us_own","email":"olivia@example.com","name":"Olivia Owner","status":"active","totp_enabled":true,
   "memberships":[{"agency_id":"ag_1","role":"agency_owner"}],"created_at":"2026-01-01T00:00:00Z","last_login_at":"2026-11-20T10:00:00Z"},
  {"id":"us_adm","email":"adam@example.com","name":"","status":"active","totp_enabled":false,
   "memberships":[{"agency_id":"ag_1","role":"agency_admin"}],"created_at":"2026-01-01T00:00:00Z","last_login_at":null},
  {"id":"us_acc","email":"bea@example.com","name":"Bea","status":"invited",
   "memberships":[{"account_id":"ac_1","role":"ro_sales"}],"created_at":"2026-01-01T00:00:00Z","last_login_at":null},
  {"id":"us_bad","email":"x@example.com","status":"sleeping","memberships":[]},
  {"email":"noid@example.com","status":"active"}
]})";

const char* k_roles = R"({"items":[
  {"id":"agency_owner","name":"Agency owner","builtin":true,"version":0,"permissions":{},"capabilities":["manage_users","manage_roles"]},
  {"id":"agency_admin","name":"Agency admin","builtin":true,"version":0,"permissions":{},"capabilities":["manage_users","manage_roles"]},
  {"id":"account_user","name":"Sub-account user","builtin":true,"version":0,"permissions":{"contact":{"view":"all"}},"capabilities":[]},
  {"id":"ro_sales","agency_id":"ag_1","name":"Sales","description":"Deals","builtin":false,"version":3,
   "permissions":{"contact":{"view":"all","edit":"team"},"deal":{"view":"all","create":"own"}},"capabilities":["view_audit_log"]},
  {"id":"ro_boss","agency_id":"ag_1","name":"Boss","builtin":false,"version":1,"permissions":{},"capabilities":["manage_security"]},
  {"name":"no id"}
]})";

access::Actor admin_actor() {
    model::Membership m;
    m.user_id = "us_adm";
    m.agency_id = "ag_1";
    m.role = model::Role::agency_admin;
    return access::Actor{"us_adm", {m}};
}

access::Actor account_admin_actor() {
    model::Membership m;
    m.user_id = "us_aa";
    m.account_id = "ac_1";
    m.account_agency_id = "ag_1";
    m.role = model::Role::account_admin;
    return access::Actor{"us_aa", {m}};
}

std::vector<access::RoleDef> roles() { return *web::app::roles_from_json(nlohmann::json::parse(k_roles)); }

} // namespace

BOOST_AUTO_TEST_SUITE(admin_test)

BOOST_AUTO_TEST_SUITE(users)

BOOST_AUTO_TEST_CASE(acc2_users_list_reads_memberships_inside_the_agency) {
    const auto users = web::app::admin_users_from_json(nlohmann::json::parse(k_users), "ag_1");
    BOOST_REQUIRE(users.has_value());
    BOOST_REQUIRE_EQUAL(users->size(), 3u); // unknown status and missing id are skipped
    BOOST_TEST(web::app::display_name((*users)[1]) == "adam@example.com");
    BOOST_TEST((*users)[0].totp_enabled);
    BOOST_TEST((*users)[0].last_login_at > 0);
    BOOST_TEST((*users)[1].last_login_at == 0);
    BOOST_TEST((web::app::to_string((*users)[2].status) == "invited"));
    const auto& m = (*users)[2].memberships.at(0);
    BOOST_TEST(m.account_agency_id == "ag_1");
    BOOST_TEST(m.user_id == "us_acc");
    BOOST_TEST((m.role == model::Role::custom));
    BOOST_TEST(m.role_ref() == "ro_sales");
    BOOST_TEST(!web::app::admin_users_from_json(nlohmann::json::parse("[]"), "ag_1").has_value());
}

BOOST_AUTO_TEST_CASE(acc2_owner_row_is_closed_to_an_admin_and_open_to_the_owner) {
    const auto users = *web::app::admin_users_from_json(nlohmann::json::parse(k_users), "ag_1");
    BOOST_TEST((access::authorize_user_admin(admin_actor(), "ag_1", users[0].memberships) == access::Decision::forbidden));
    BOOST_TEST((access::authorize_user_admin(admin_actor(), "ag_1", users[2].memberships) == access::Decision::allow));
    model::Membership own;
    own.user_id = "us_own";
    own.agency_id = "ag_1";
    own.role = model::Role::agency_owner;
    BOOST_TEST((access::authorize_user_admin(access::Actor{"us_own", {own}}, "ag_1", users[0].memberships) == access::Decision::allow));
    // A sub-account admin manages the users of its sub-account only.
    BOOST_TEST((access::authorize_user_admin(account_admin_actor(), "ag_1", users[2].memberships) == access::Decision::allow));
    BOOST_TEST((access::authorize_user_admin(account_admin_actor(), "ag_1", users[1].memberships) == access::Decision::forbidden));
}

BOOST_AUTO_TEST_CASE(acc1_role_column_names_roles_and_sub_accounts) {
    const auto users = *web::app::admin_users_from_json(nlohmann::json::parse(k_users), "ag_1");
    const std::vector<web::app::AccountRef> accounts = {{"ac_1", "Northwind Bakery", "ag_1"}};
    BOOST_TEST(web::app::memberships_label(users[0], roles(), accounts) == "Agency owner");
    BOOST_TEST(web::app::memberships_label(users[2], roles(), accounts) == "Sales  \xc2\xb7  Northwind Bakery");
    BOOST_TEST(web::app::role_label({}, "read_only") == "Read only"); // the core's table when the list lacks it
    BOOST_TEST(web::app::role_label({}, "ro_gone") == "ro_gone");
    BOOST_TEST(web::app::words(access::to_string(access::Capability::manage_api_keys)) == "Manage API keys");
    BOOST_TEST(web::app::words(access::to_string(access::Verb::export_)) == "Export");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(grants)

BOOST_AUTO_TEST_CASE(acc2_pickers_offer_only_what_the_core_lets_the_actor_grant) {
    const auto list = roles();
    auto ids = [](const std::vector<const access::RoleDef*>& v) {
        std::vector<std::string> out;
        for (const auto* r : v) out.push_back(r->id);
        return out;
    };
    // An admin: no owner (only an owner makes owners); agency-wide roles agency-wide only.
    BOOST_TEST((ids(web::app::grantable_roles(admin_actor(), "ag_1", "", list)) ==
                std::vector<std::string>{"agency_admin", "ro_sales", "ro_boss"}));
    BOOST_TEST((ids(web::app::grantable_roles(admin_actor(), "ag_1", "ac_1", list)) ==
                std::vector<std::string>{"account_user", "ro_sales", "ro_boss"}));
    // A sub-account admin grants only in its sub-account, and only capabilities it holds there.
    BOOST_TEST(web::app::grantable_roles(account_admin_actor(), "ag_1", "", list).empty());
    BOOST_TEST((ids(web::app::grantable_roles(account_admin_actor(), "ag_1", "ac_1", list)) ==
                std::vector<std::string>{"account_user", "ro_sales", "ro_boss"}));
}

BOOST_AUTO_TEST_CASE(acc1_a_grant_must_fit_where_its_role_may_sit) {
    const auto list = roles();
    BOOST_TEST(web::app::check_grant(Grant{"", ""}, list)->field == "role");
    BOOST_TEST(web::app::check_grant(Grant{"account_user", ""}, list)->field == "account_id");
    BOOST_TEST(web::app::check_grant(Grant{"agency_admin", "ac_1"}, list)->field == "account_id");
    BOOST_TEST(!web::app::check_grant(Grant{"ro_sales", ""}, list).has_value());
    BOOST_TEST(!web::app::check_grant(Grant{"ro_sales", "ac_1"}, list).has_value());
    BOOST_TEST((web::app::grant_json(Grant{"ro_sales", "ac_1"}, "ag_1") == nlohmann::json{{"account_id", "ac_1"}, {"role", "ro_sales"}}));
    BOOST_TEST((web::app::grant_json(Grant{"agency_admin", ""}, "ag_1") == nlohmann::json{{"agency_id", "ag_1"}, {"role", "agency_admin"}}));
}

BOOST_AUTO_TEST_CASE(acc2_invite_form_checks_email_and_role_then_builds_the_body) {
    web::app::InviteForm f;
    using F = web::app::InviteForm;
    BOOST_TEST(!f.validate(roles()).has_value());
    BOOST_TEST(f.error(F::email) == "Enter the email address to invite");
    BOOST_TEST(f.error(F::role) == "Choose a role");
    f.text(F::email) = "not an email";
    f.grant() = Grant{"account_user", ""};
    BOOST_TEST(!f.validate(roles()).has_value());
    BOOST_TEST(!f.error(F::email).empty());
    BOOST_TEST(!f.error(F::account).empty());
    f.text(F::email) = " new@Example.com ";
    f.grant().account_id = "ac_1";
    const auto body = f.validate(roles());
    BOOST_REQUIRE(body.has_value());
    BOOST_TEST(body->at("email") == "new@example.com");
    BOOST_TEST(body->at("account_id") == "ac_1");
    BOOST_TEST(!body->contains("name"));
    f.apply_server_error(api::make_error(api::ErrorCode::conflict, "this email is already a member of the agency", "email"));
    BOOST_TEST(f.error(F::email) == "This email is already a member of the agency");
    f.on_edit(F::email);
    BOOST_TEST(f.error(F::email).empty());
}

BOOST_AUTO_TEST_CASE(acc2_memberships_form_tracks_changes_and_refuses_duplicates) {
    const auto users = *web::app::admin_users_from_json(nlohmann::json::parse(k_users), "ag_1");
    web::app::MembershipsForm f;
    f.load(users[2]);
    BOOST_TEST(!f.dirty());
    f.rows()[0].role = "account_user";
    BOOST_TEST(f.dirty());
    f.add(Grant{"ro_boss", "ac_1"});
    BOOST_TEST(!f.body("ag_1", roles()).has_value());
    BOOST_TEST(f.error().find("twice") != std::string::npos);
    f.remove(1);
    const auto body = f.body("ag_1", roles());
    BOOST_REQUIRE(body.has_value());
    BOOST_TEST(body->dump() == R"({"memberships":[{"account_id":"ac_1","role":"account_user"}]})");
    f.remove(0);
    BOOST_TEST(!f.body("ag_1", roles()).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(role_editor)

BOOST_AUTO_TEST_CASE(acc1_patch_holds_only_the_changed_cells_and_capabilities) {
    web::app::RoleEditor e;
    e.load(*web::app::find_role(roles(), "ro_sales"));
    BOOST_TEST(!e.read_only());
    BOOST_TEST(!e.dirty());
    BOOST_TEST(e.patch()->empty());
    e.set_scope(Object::deal, Verb::export_, RecordScope::team);
    e.set_capability(access::Capability::manage_users, true);
    BOOST_TEST(e.dirty());
    const auto p = e.patch();
    BOOST_REQUIRE(p.has_value());
    BOOST_TEST(p->dump() == R"({"capabilities":["manage_users","view_audit_log"],"permissions":{"deal":{"export":"team"}}})");
    BOOST_TEST(e.if_match() == "\"3\"");
    // Back to the loaded value: clean again, nothing to send.
    e.set_scope(Object::deal, Verb::export_, RecordScope::none);
    e.set_capability(access::Capability::manage_users, false);
    BOOST_TEST(!e.dirty());
}

BOOST_AUTO_TEST_CASE(acc1_the_core_refuses_a_bad_name_before_anything_is_sent) {
    web::app::RoleEditor e;
    e.load(*web::app::find_role(roles(), "ro_sales"));
    e.text(web::app::RoleEditor::name) = "   ";
    BOOST_TEST(!e.patch().has_value());
    BOOST_TEST(!e.error(web::app::RoleEditor::name).empty());
    e.on_edit(web::app::RoleEditor::name);
    BOOST_TEST(e.error(web::app::RoleEditor::name).empty());
    e.text(web::app::RoleEditor::name) = "Sales team";
    BOOST_TEST(e.patch()->dump() == R"({"name":"Sales team"})");
}

BOOST_AUTO_TEST_CASE(acc1_builtins_are_read_only) {
    web::app::RoleEditor e;
    e.load(*access::builtin_role(model::Role::read_only));
    BOOST_TEST(e.read_only());
    e.set_scope(Object::contact, Verb::remove, RecordScope::all);
    e.set_capability(access::Capability::manage_roles, true);
    BOOST_TEST(!e.dirty());
}

BOOST_AUTO_TEST_CASE(acc1_conflict_keeps_edits_until_reload_takes_theirs) {
    web::app::RoleEditor e;
    const auto base = *web::app::find_role(roles(), "ro_sales");
    e.load(base);
    e.set_scope(Object::ticket, Verb::view, RecordScope::all);
    auto theirs = base;
    theirs.version = 4;
    theirs.name = "Sales (EU)";
    e.set_conflict(theirs);
    BOOST_TEST(e.conflict());
    BOOST_TEST(e.dirty());
    e.reload_conflict();
    BOOST_TEST(!e.conflict());
    BOOST_TEST(!e.dirty());
    BOOST_TEST(e.draft().name == "Sales (EU)");
    BOOST_TEST(e.if_match() == "\"4\"");
    e.apply_server_error(api::make_error(api::ErrorCode::validation_failed, "scope must be none, own, team or all", "permissions.deal.view"));
    BOOST_TEST(e.error(web::app::RoleEditor::general) == "Scope must be none, own, team or all");
}

BOOST_AUTO_TEST_CASE(acc1_new_role_body_is_a_named_copy) {
    std::string error;
    BOOST_TEST(!web::app::new_role_body("", "agency_user", error).has_value());
    BOOST_TEST(!error.empty());
    const auto body = web::app::new_role_body(" Support ", "agency_user", error);
    BOOST_REQUIRE(body.has_value());
    BOOST_TEST(body->dump() == R"({"copy_of":"agency_user","name":"Support"})");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(teams)

BOOST_AUTO_TEST_CASE(acc1_teams_read_with_versions_and_members_come_from_the_sub_account) {
    const auto teams = web::app::teams_from_json(nlohmann::json::parse(R"({"items":[
      {"id":"tm_2","account_id":"ac_1","name":"West","member_ids":["us_acc"],"version":2},
      {"id":"tm_1","account_id":"ac_1","name":"East","member_ids":[],"version":0},
      {"name":"broken"}]})"));
    BOOST_REQUIRE(teams.has_value());
    BOOST_REQUIRE_EQUAL(teams->size(), 2u);
    BOOST_TEST((*teams)[0].team.name == "East");
    BOOST_TEST((*teams)[1].version == 2);
    const auto users = *web::app::admin_users_from_json(nlohmann::json::parse(k_users), "ag_1");
    BOOST_TEST(web::app::team_candidates(users, "ac_1").size() == 3u);
    BOOST_TEST(web::app::team_candidates(users, "ac_2").size() == 2u); // Bea sits on ac_1 only
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()

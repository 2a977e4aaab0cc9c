// The trust screens' model (app/trust): audit rows read from the API and verified in the browser
// with core's chain code (a tampered, unlinked or reordered row shows broken, naming it), the
// audit filters' query, security events, JITA grants, and the JITA toggle of the security policy.
#include "app/trust.hpp"

#include "app/security_policy.hpp"

#include <stronghold/audit/chain.hpp>

#include <boost/test/unit_test.hpp>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

using namespace stronghold;
namespace app = stronghold::web::app;
using nlohmann::json;

namespace {

// A chain of `count` rows of agency ag_a as the API answers them (newest first), hashed by core.
std::vector<json> chain_rows(int count, std::int64_t first_n = 1, std::string prev = std::string(audit::k_genesis_hash)) {
    std::vector<json> out;
    for (int i = 0; i < count; ++i) {
        audit::ChainEntry e;
        e.seq = 100 + first_n + i;
        e.n = first_n + i;
        e.at = 1'795'000'000'000 + i * 1000;
        e.agency_id = "ag_a";
        e.account_id = i % 2 ? "ac_1" : "";
        e.actor_type = "user";
        e.actor_id = "us_owner";
        e.action = i % 2 ? "contact.update" : "auth.login";
        e.target_type = "contact";
        e.target_id = "ct_" + std::to_string(i);
        e.ip = "203.0.113.7";
        e.user_agent = "Mozilla/5.0 \"quoted\" \xC3\xA9";
        e.outcome = "success";
        const json details = {{"fields", {"first_name", "emails"}}, {"note", "caf\xC3\xA9\n"}};
        e.details = details.dump();
        e.prev_hash = prev;
        e.hash = audit::entry_hash(e.prev_hash, e);
        prev = e.hash;
        out.insert(out.begin(), json{{"seq", e.seq},
                                     {"at", model::format_iso8601(e.at)},
                                     {"agency_id", e.agency_id},
                                     {"account_id", e.account_id},
                                     {"actor", {{"type", e.actor_type}, {"id", e.actor_id}, {"grant_id", ""}}},
                                     {"action", e.action},
                                     {"target", {{"type", e.target_type}, {"id", e.target_id}}},
                                     {"ip", e.ip},
                                     {"user_agent", e.user_agent},
                                     {"outcome", e.outcome},
                                     {"details", details},
                                     {"chain", {{"n", e.n}, {"prev_hash", e.prev_hash}, {"hash", e.hash},
                                                {"details_hash", audit::details_hash(e.details)}}}});
    }
    return out;
}

std::vector<app::AuditRow> read_rows(const std::vector<json>& items) {
    auto page = app::audit_page_from_json(json{{"items", items}, {"next_cursor", nullptr}});
    BOOST_REQUIRE(page.has_value());
    BOOST_TEST(!page->next_cursor.has_value());
    return page->rows;
}

std::string plain(const std::string& s) { return s; }

} // namespace

// Boost.Test prints the values of a failed comparison.
namespace stronghold::audit {
std::ostream& operator<<(std::ostream& os, Break b) { return os << to_string(b); }
} // namespace stronghold::audit
namespace stronghold::web::app {
std::ostream& operator<<(std::ostream& os, Severity s) { return os << severity_label(s); }
} // namespace stronghold::web::app

BOOST_AUTO_TEST_SUITE(trust_test)

BOOST_AUTO_TEST_SUITE(chain_verification)

BOOST_AUTO_TEST_CASE(AUD3_an_untouched_page_verifies_every_entry_and_link) {
    const auto rows = read_rows(chain_rows(6));
    const auto v = app::verify_rows(rows);
    BOOST_TEST(v.ok());
    BOOST_TEST(v.entries == 6u);
    BOOST_TEST(v.links == 6u); // position 1 to genesis, then 5 links
    BOOST_TEST(app::verdict_text(v) == "Chain verified for 6 entries");
}

BOOST_AUTO_TEST_CASE(AUD3_a_tampered_field_shows_broken_at_that_entry) {
    // Each field the canonical form covers, edited in the third-newest row.
    const std::vector<std::pair<std::string, std::function<void(json&)>>> edits = {
        {"action", [](json& r) { r["action"] = "contact.view"; }},
        {"actor", [](json& r) { r["actor"]["id"] = "us_mallory"; }},
        {"ip", [](json& r) { r["ip"] = "198.51.100.1"; }},
        {"outcome", [](json& r) { r["outcome"] = "denied"; }},
        {"at", [](json& r) { r["at"] = "2026-11-26T08:00:00.000Z"; }},
        {"details", [](json& r) { r["details"]["fields"] = json::array({"first_name"}); }},
        {"grant", [](json& r) { r["actor"]["grant_id"] = "gr_x"; }},
    };
    for (const auto& [name, edit] : edits) {
        BOOST_TEST_CONTEXT(name) {
            auto items = chain_rows(5);
            edit(items[2]);
            const auto v = app::verify_rows(read_rows(items));
            BOOST_TEST(!v.ok());
            BOOST_TEST(v.reason == audit::Break::hash_mismatch);
            BOOST_TEST(v.index == 2u);
            BOOST_TEST(v.n == 3);
            BOOST_TEST(app::verdict_text(v).starts_with("Broken at entry " + std::to_string(v.seq) + " (position 3): hash_mismatch"));
        }
    }
}

BOOST_AUTO_TEST_CASE(AUD3_a_row_rehashed_after_an_edit_breaks_the_next_link) {
    auto items = chain_rows(4);
    // Position 2 edited and given a fresh, self-consistent hash: its successor no longer links.
    auto rows = read_rows(items);
    auto& e = rows[2].entry; // newest first: index 2 is position 2
    BOOST_REQUIRE(e.n == 2);
    e.outcome = "failure";
    e.hash = audit::entry_hash(e.prev_hash, e);
    const auto v = app::verify_rows(rows);
    BOOST_TEST(v.reason == audit::Break::prev_mismatch);
    BOOST_TEST(v.n == 3);
    BOOST_TEST(v.index == 1u);
}

BOOST_AUTO_TEST_CASE(AUD3_swapped_positions_show_reordered_and_gaps_are_not_breaks) {
    auto items = chain_rows(4);
    auto rows = read_rows(items);
    std::swap(rows[0].entry.seq, rows[1].entry.seq); // positions 4 and 3 moved...
    BOOST_TEST(app::verify_rows(rows).reason == audit::Break::hash_mismatch); // seq is hashed: an edit
    for (auto i : {0, 1}) rows[i].entry.hash = audit::entry_hash(rows[i].entry.prev_hash, rows[i].entry); // ...and re-hashed
    const auto moved = app::verify_rows(rows);
    BOOST_TEST(moved.reason == audit::Break::reordered);
    BOOST_TEST(moved.n == 3);

    // A sub-account's page: positions 1, 3, 5 of the chain (others belong to other sub-accounts).
    auto all = chain_rows(5);
    const auto sparse = read_rows({all[0], all[2], all[4]});
    const auto v = app::verify_rows(sparse);
    BOOST_TEST(v.ok());
    BOOST_TEST(v.entries == 3u);
    BOOST_TEST(v.links == 1u); // only position 1's link to genesis
    BOOST_TEST(app::verdict_text(v) == "Chain verified for 3 entries (1 link checked)");
}

BOOST_AUTO_TEST_CASE(AUD3_a_later_page_links_to_rows_from_earlier_pages) {
    auto items = chain_rows(6);
    auto first = read_rows({items.begin(), items.begin() + 3}); // positions 6..4
    auto older = read_rows({items.begin() + 3, items.end()});   // "load more": 3..1
    first.insert(first.end(), older.begin(), older.end());
    BOOST_TEST(app::verify_rows(first).ok());
    BOOST_TEST(app::verify_rows(first).links == 6u);
    // The older page's newest row swapped for another chain's: the link across pages breaks.
    auto other = chain_rows(3, 1, std::string(64, 'f'));
    auto tampered = read_rows({items.begin(), items.begin() + 3});
    auto foreign = read_rows(other);
    tampered.insert(tampered.end(), foreign.begin(), foreign.end());
    const auto v = app::verify_rows(tampered);
    BOOST_TEST(!v.ok());
}

BOOST_AUTO_TEST_CASE(AUD3_pruned_details_verify_through_their_hash) {
    auto items = chain_rows(3);
    items[1]["details"] = nullptr; // retention removed them; details_hash stays
    auto rows = read_rows(items);
    BOOST_TEST(rows[1].details_pruned);
    BOOST_TEST(app::verify_rows(rows).ok());
    items[1]["chain"].erase("details_hash"); // and without it the row cannot be read at all
    BOOST_TEST(!app::audit_page_from_json(json{{"items", items}}).has_value());
}

BOOST_AUTO_TEST_CASE(AUD1_rows_missing_a_canonical_field_are_refused) {
    for (const char* field : {"seq", "at", "ip", "outcome", "chain"}) {
        BOOST_TEST_CONTEXT(field) {
            auto items = chain_rows(1);
            items[0].erase(field);
            BOOST_TEST(!app::audit_page_from_json(json{{"items", items}}).has_value());
        }
    }
    auto rows = read_rows(chain_rows(1));
    BOOST_TEST(app::actor_label(rows[0]) == "user us_owner");
    BOOST_TEST(app::target_label(rows[0]) == "contact ct_0");
    BOOST_TEST(app::short_time("2026-11-26T17:57:03.298Z") == "2026-11-26 17:57:03 UTC");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(AUD1_filters_become_the_query_and_bad_times_name_their_field) {
    std::optional<app::FilterError> error;
    app::AuditFilters f{.actor = " us_1 ", .action = "contact.", .target = "", .since = "2026-11-26", .until = ""};
    BOOST_TEST(app::audit_query(f, &plain, error) == "actor=us_1&action=contact.&since=1795651200000");
    BOOST_TEST(!error.has_value());
    f.until = "yesterday";
    BOOST_TEST(app::audit_query(f, &plain, error).empty());
    BOOST_REQUIRE(error.has_value());
    BOOST_TEST(error->field == "until");
    f.until = "2026-11-25T10:00:00Z";
    app::audit_query(f, &plain, error);
    BOOST_REQUIRE(error.has_value());
    BOOST_TEST(error->message == "Must be later than Since");
}

BOOST_AUTO_TEST_CASE(AUD5_security_events_read_with_severity_and_unknown_ones_skipped) {
    const json body = {{"items",
                        {{{"id", "ev_1"}, {"at", "2026-11-26T17:57:03.298Z"}, {"kind", "cross_tenant_attempt"}, {"severity", "high"},
                          {"source", "user:us_x"}, {"ip", "203.0.113.7"}, {"actor", {{"type", "user"}, {"id", "us_x"}}},
                          {"details", {{"method", "GET"}, {"route", "/api/v1/accounts/{account_id}/contacts/{id}"}}}},
                         {{"id", "ev_2"}, {"kind", "brute_force"}, {"severity", "bogus"}},
                         {{"id", "ev_3"}, {"kind", "permission_denied_burst"}, {"severity", "medium"}}}},
                       {"next_cursor", "ev_3"}};
    auto page = app::security_events_from_json(body);
    BOOST_REQUIRE(page.has_value());
    BOOST_TEST(page->items.size() == 2u);
    BOOST_TEST(page->items[0].severity == app::Severity::high);
    BOOST_TEST(app::kind_label(page->items[0].kind) == "Cross-tenant attempt");
    BOOST_TEST(app::kind_label(page->items[1].kind) == "Permission denied burst");
    BOOST_TEST(app::details_line(page->items[0].details) == "method GET  \xC2\xB7  route /api/v1/accounts/{account_id}/contacts/{id}");
    BOOST_TEST(*page->next_cursor == "ev_3");
}

BOOST_AUTO_TEST_CASE(ACC4_grants_list_pending_first_and_actions_follow_status) {
    auto grant = [](const char* id, const char* status, const char* at) {
        return json{{"id", id}, {"account_id", "ac_1"}, {"status", status}, {"hours", 4}, {"requested_at", at}, {"reason", "ticket 42"}};
    };
    const json body = {{"items",
                        {grant("gr_old", "revoked", "2026-11-20T10:00:00Z"), grant("gr_act", "active", "2026-11-26T09:00:00Z"),
                         grant("gr_p2", "pending", "2026-11-26T11:00:00Z"), grant("gr_p1", "pending", "2026-11-26T10:00:00Z"),
                         grant("gr_bad", "weird", "2026-11-26T10:00:00Z")}},
                       {"next_cursor", nullptr}};
    auto grants = app::staff_grants_from_json(body);
    BOOST_REQUIRE(grants.has_value());
    BOOST_REQUIRE(grants->size() == 4u);
    BOOST_TEST((*grants)[0].id == "gr_p1");
    BOOST_TEST((*grants)[1].id == "gr_p2");
    BOOST_TEST((*grants)[2].id == "gr_act");
    BOOST_TEST((*grants)[3].id == "gr_old");
    BOOST_TEST(app::can_approve((*grants)[0]));
    BOOST_TEST(app::can_revoke((*grants)[0]));
    BOOST_TEST(!app::can_approve((*grants)[2]));
    BOOST_TEST(app::can_revoke((*grants)[2]));
    BOOST_TEST(!app::can_revoke((*grants)[3]));
    BOOST_TEST(!app::can_deny((*grants)[3]));
}

BOOST_AUTO_TEST_CASE(ACC4_jita_toggle_is_patched_when_changed_and_absent_on_older_servers) {
    json body = {{"agency_id", "ag_a"},   {"password_profile", "classic"}, {"password_min_length", 8},
                 {"password_required_classes", {"lower", "upper", "digit", "special"}},
                 {"password_history", 0}, {"password_max_age_days", 0},   {"require_2fa", false},
                 {"session_idle_minutes", 30}, {"session_absolute_hours", 12}, {"version", 2}};
    app::SecurityForm old_form;
    old_form.load(*app::security_policy_from_json(body));
    BOOST_TEST(!old_form.jita_requires_approval().has_value());
    old_form.set_jita_requires_approval(false); // nothing to change: the server has no such field
    BOOST_TEST(!old_form.dirty());

    body["jita_requires_approval"] = true;
    app::SecurityForm form;
    form.load(*app::security_policy_from_json(body));
    BOOST_TEST(*form.jita_requires_approval());
    form.set_jita_requires_approval(false);
    BOOST_TEST(form.dirty());
    auto values = form.validate();
    BOOST_REQUIRE(values.has_value());
    BOOST_TEST(form.patch(*values) == (json{{"jita_requires_approval", false}}));
    body["jita_requires_approval"] = "yes";
    BOOST_TEST(!app::security_policy_from_json(body).has_value());
}

BOOST_AUTO_TEST_CASE(ACC3_overview_reads_every_figure_or_nothing) {
    json body = {{"agencies", 3}, {"accounts", 9}, {"users", 41}, {"contacts", 120000}, {"records", 5400},
                 {"security_events_24h", 2}, {"active_grants", 1}};
    auto figures = app::staff_overview_from_json(body);
    BOOST_REQUIRE(figures.has_value());
    BOOST_TEST(figures->size() == 7u);
    BOOST_TEST((*figures)[3].label == "Contacts");
    BOOST_TEST((*figures)[3].value == 120000);
    body["users"] = "41";
    BOOST_TEST(!app::staff_overview_from_json(body).has_value());
}

BOOST_AUTO_TEST_CASE(ACC4_access_request_needs_an_account_a_reason_and_1_to_24_hours) {
    app::GrantRequestForm form;
    form.text(app::GrantRequestForm::hours) = "25";
    BOOST_TEST(!form.validate().has_value());
    BOOST_TEST(!form.error(app::GrantRequestForm::account_id).empty());
    BOOST_TEST(!form.error(app::GrantRequestForm::reason).empty());
    BOOST_TEST(form.error(app::GrantRequestForm::hours) == "Must be a whole number of hours from 1 to 24");
    for (const char* bad : {"0", "-1", "1.5", "", "abc"}) {
        form.text(app::GrantRequestForm::hours) = bad;
        form.validate();
        BOOST_TEST(!form.error(app::GrantRequestForm::hours).empty(), bad);
    }
    form.text(app::GrantRequestForm::account_id) = " ac_1 ";
    form.text(app::GrantRequestForm::reason) = "Ticket 42";
    form.text(app::GrantRequestForm::hours) = "24";
    auto body = form.validate();
    BOOST_REQUIRE(body.has_value());
    BOOST_TEST(*body == (json{{"account_id", "ac_1"}, {"reason", "Ticket 42"}, {"hours", 24}}));
    form.apply_server_error("account_id", "no such sub-account");
    BOOST_TEST(form.error(app::GrantRequestForm::account_id) == "No such sub-account");
}

BOOST_AUTO_TEST_CASE(AUD1_audit_scope_is_the_agency_for_its_admins_and_the_sub_account_for_its_admin) {
    const json accounts = json::array({{{"id", "ac_1"}, {"name", "Northwind Bakery"}, {"agency_id", "ag_a"}},
                                       {{"id", "ac_2"}, {"name", "Blue Fern"}, {"agency_id", "ag_a"}}});
    auto me_with = [&](json memberships) {
        return *app::me_from_json(json{{"user", {{"id", "us_1"}, {"email", "a@example.com"}}}, {"accounts", accounts}, {"memberships", memberships}});
    };
    for (const char* role : {"agency_owner", "agency_admin"}) {
        auto scope = app::audit_scope(me_with(json::array({{{"agency_id", "ag_a"}, {"role", role}}})), "ac_1");
        BOOST_REQUIRE_MESSAGE(scope.has_value(), role);
        BOOST_TEST(scope->url == "/api/v1/agencies/ag_a/audit");
    }
    const auto sub_admin = me_with(json::array({{{"account_id", "ac_1"}, {"role", "account_admin"}}}));
    auto scope = app::audit_scope(sub_admin, "ac_1");
    BOOST_REQUIRE(scope.has_value());
    BOOST_TEST(scope->url == "/api/v1/accounts/ac_1/audit");
    BOOST_TEST(scope->label == "Northwind Bakery");
    BOOST_TEST(!app::audit_scope(sub_admin, "ac_2").has_value()); // not their sub-account
    for (const char* role : {"agency_user", "read_only"})
        BOOST_TEST(!app::audit_scope(me_with(json::array({{{"agency_id", "ag_a"}, {"role", role}}})), "ac_1").has_value(), role);
    BOOST_TEST(!app::audit_scope(me_with(json::array({{{"account_id", "ac_1"}, {"role", "account_user"}}})), "ac_1").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

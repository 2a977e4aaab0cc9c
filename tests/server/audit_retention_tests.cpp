// AUD-4 retention on the store: the job clears the details of audit rows past their kind's days
// (keeping their links and details_hash, so `stronghold audit verify` still passes), deletes
// security events past the "security" days, works in batches, and the append-only trigger lets
// nothing else through. The API side is api_retention_tests.cpp.
#include "stronghold/audit/retention.hpp"

#include "cli/audit.hpp"
#include "store/sqlite_store_impl.hpp"
#include "store_fixture.hpp"
#include "stronghold/audit/chain.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <sstream>
#include <string>

namespace stronghold::audit {
// Lets BOOST_TEST print a kind by its wire name (Boost.Test's customisation point, found by ADL).
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, RetentionKind kind)
{
    return os << to_string(kind);
}
} // namespace stronghold::audit

BOOST_AUTO_TEST_SUITE(audit_retention_tests)

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;

namespace {

constexpr const char* k_ag = "ag_retained";
constexpr model::UnixMillis k_t0 = 1'700'000'000'000;
constexpr model::UnixMillis k_day = 24LL * 60 * 60 * 1000;

struct RetentionLog {
    TempDir dir;
    std::unique_ptr<Store> store = open_store_or_fail(dir.str());

    std::int64_t write(const std::string& action, model::UnixMillis at, const std::string& outcome = "success",
                       const std::string& agency = k_ag)
    {
        AuditEntry e;
        e.at = at;
        e.agency_id = agency;
        e.actor.id = "us_tester";
        e.action = action;
        e.outcome = outcome;
        e.target_type = "contact";
        e.target_id = "ct_x";
        e.details = {{"fields", {"first_name"}}, {"action", action}};
        BOOST_REQUIRE(store->append_audit(e));
        RawDb raw(dir.db_path());
        return raw.scalar("SELECT max(seq) FROM audit_log");
    }
    std::string details(std::int64_t seq)
    {
        RawDb raw(dir.db_path());
        return raw.text("SELECT details FROM audit_log WHERE seq = " + std::to_string(seq));
    }
    std::string details_hash(std::int64_t seq)
    {
        RawDb raw(dir.db_path());
        return raw.text("SELECT details_hash FROM audit_log WHERE seq = " + std::to_string(seq));
    }
    RetentionRun apply(model::UnixMillis now)
    {
        auto run = store->apply_audit_retention(now);
        BOOST_REQUIRE_MESSAGE(run.ok(), "apply_audit_retention: " << (run.ok() ? "" : run.error().message));
        return *run;
    }
    int verify(nlohmann::json* report = nullptr)
    {
        std::ostringstream out, err;
        const int code = audit_main({"verify", "--data", dir.str()}, out, err);
        if (report && !out.str().empty())
            *report = nlohmann::json::parse(out.str());
        return code;
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(AUD4_kinds_classify_actions_security_first)
{
    using audit::RetentionKind;
    using audit::retention_kind_of;
    BOOST_TEST(retention_kind_of("security.cross_tenant_attempt", "failure", "") == RetentionKind::security);
    BOOST_TEST(retention_kind_of("auth.login_failed", "failure", "") == RetentionKind::security);
    BOOST_TEST(retention_kind_of("contact.delete", "denied", "") == RetentionKind::security);
    BOOST_TEST(retention_kind_of("contact.update", "success", "gr_1") == RetentionKind::security); // under JITA
    BOOST_TEST(retention_kind_of("audit.export", "success", "") == RetentionKind::security);
    BOOST_TEST(retention_kind_of("retention.updated", "success", "") == RetentionKind::security);
    BOOST_TEST(retention_kind_of("auth.login", "success", "") == RetentionKind::auth);
    BOOST_TEST(retention_kind_of("2fa.enabled", "success", "") == RetentionKind::auth);
    BOOST_TEST(retention_kind_of("user.password_changed", "success", "") == RetentionKind::auth);
    BOOST_TEST(retention_kind_of("contact.export", "success", "") == RetentionKind::exports_imports);
    BOOST_TEST(retention_kind_of("deal.import", "success", "") == RetentionKind::exports_imports);
    BOOST_TEST(retention_kind_of("user.invited", "success", "") == RetentionKind::admin);
    BOOST_TEST(retention_kind_of("security_policy.updated", "success", "") == RetentionKind::admin);
    BOOST_TEST(retention_kind_of("role.update", "success", "") == RetentionKind::admin);
    BOOST_TEST(retention_kind_of("company.create", "success", "") == RetentionKind::records);
    BOOST_TEST(retention_kind_of("trash.purge", "success", "") == RetentionKind::records);
    BOOST_TEST(retention_kind_of("something.new", "success", "") == RetentionKind::other);
    BOOST_TEST(audit::to_string(RetentionKind::other) == "default");
}

BOOST_AUTO_TEST_CASE(AUD4_settings_patch_bounds_and_security_longest)
{
    auto days = audit::default_retention_days();
    const auto before = days;
    auto field_of = [&](const nlohmann::json& patch) {
        auto st = audit::apply_retention_patch(patch, days);
        return st.ok() ? std::string("ok") : st.error().field;
    };
    BOOST_TEST(field_of({{"records", 29}}) == "records");
    BOOST_TEST(field_of({{"records", 3651}}) == "records");
    BOOST_TEST(field_of({{"records", "90"}}) == "records");
    BOOST_TEST(field_of({{"records", 90.5}}) == "records");
    BOOST_TEST(field_of({{"bogus", 90}}) == "bogus");
    BOOST_TEST(field_of({{"records", 1000}}) == "records");  // longer than security (730)
    BOOST_TEST(field_of({{"security", 100}}) == "security"); // shorter than auth (365)
    BOOST_TEST((days == before));                           // nothing changed by a refused patch
    BOOST_TEST(field_of({{"security", 1000}, {"records", 1000}}) == "ok");
    BOOST_TEST(days[static_cast<std::size_t>(audit::RetentionKind::records)] == 1000);
}

BOOST_AUTO_TEST_CASE(AUD2_retention_clears_details_keeps_chain_verifiable)
{
    RetentionLog log;
    const auto record_old = log.write("contact.update", k_t0);
    const auto login_old = log.write("auth.login", k_t0 + 1);
    const auto failed_old = log.write("auth.login_failed", k_t0 + 2, "failure");
    const auto export_old = log.write("contact.export", k_t0 + 3);
    const auto record_young = log.write("contact.update", k_t0 + 300 * k_day);
    const auto platform_old = log.write("auth.login_failed", k_t0 + 4, "failure", ""); // platform chain
    const std::string original = log.details(record_old);
    BOOST_TEST(log.verify() == 0);

    // 400 days on: records (180), auth (365) and exports_imports (365) go; security (730) stays.
    auto run = log.apply(k_t0 + 400 * k_day);
    BOOST_TEST(run.details_cleared == 3);
    BOOST_TEST(log.details(record_old) == "null");
    BOOST_TEST(log.details_hash(record_old) == audit::details_hash(original));
    BOOST_TEST(log.details(login_old) == "null");
    BOOST_TEST(log.details(export_old) == "null");
    BOOST_TEST(log.details(failed_old) != "null");
    BOOST_TEST(log.details(platform_old) != "null");
    BOOST_TEST(log.details(record_young) != "null"); // 100 days old
    BOOST_TEST(log.details_hash(record_young) == "");
    nlohmann::json report;
    BOOST_TEST_REQUIRE(log.verify(&report) == 0, report.dump());
    BOOST_TEST(report["ok"] == true);

    // The run is itself audited, with what it cleared per kind.
    auto rows = log.store->audit_entries(k_ag, 100);
    BOOST_TEST_REQUIRE(!rows.empty());
    BOOST_TEST(rows[0].action == "audit.retention_applied");
    BOOST_TEST(rows[0].details["details_cleared"]["records"] == 1);
    BOOST_TEST(rows[0].details["details_cleared"]["auth"] == 1);
    // The read API sees null details and the hash they had.
    for (const auto& e : rows)
        if (e.seq == record_old) {
            BOOST_TEST(e.details.is_null());
            BOOST_TEST(e.details_hash == audit::details_hash(original));
        }

    // 800 days on: the security rows (both chains) and the younger record go too.
    run = log.apply(k_t0 + 800 * k_day);
    BOOST_TEST(run.details_cleared == 3);
    BOOST_TEST(log.details(failed_old) == "null");
    BOOST_TEST(log.details(platform_old) == "null");
    BOOST_TEST(log.details(record_young) == "null");
    BOOST_TEST(log.verify() == 0);
    // Nothing left to do: a second run clears nothing and writes no audit row.
    const auto before = log.store->audit_entries(k_ag, 1000).size();
    BOOST_TEST(log.apply(k_t0 + 800 * k_day).details_cleared == 0);
    BOOST_TEST(log.store->audit_entries(k_ag, 1000).size() == before);
}

BOOST_AUTO_TEST_CASE(AUD4_agency_settings_decide_the_cutoff)
{
    RetentionLog log;
    const auto record = log.write("company.update", k_t0);
    const auto admin = log.write("role.update", k_t0 + 1);
    BOOST_TEST(log.apply(k_t0 + 100 * k_day).details_cleared == 0); // defaults: 180 and 365
    auto days = audit::default_retention_days();
    days[static_cast<std::size_t>(audit::RetentionKind::records)] = 30;
    AuditEntry change;
    change.at = k_t0 + 100 * k_day;
    change.agency_id = k_ag;
    change.action = "retention.updated";
    auto saved = log.store->update_audit_retention(k_ag, days, 0, k_t0 + 100 * k_day, change);
    BOOST_TEST_REQUIRE(saved.ok());
    BOOST_TEST(saved->version == 1);
    // A stale version loses.
    auto stale = log.store->update_audit_retention(k_ag, days, 0, k_t0 + 100 * k_day, change);
    BOOST_TEST_REQUIRE(!stale.ok());
    BOOST_TEST(stale.error().code == api::ErrorCode::precondition_failed);
    BOOST_TEST(log.apply(k_t0 + 100 * k_day).details_cleared == 1);
    BOOST_TEST(log.details(record) == "null");
    BOOST_TEST(log.details(admin) != "null");
    BOOST_TEST(log.verify() == 0);
}

BOOST_AUTO_TEST_CASE(AUD4_security_events_deleted_past_security_retention)
{
    RetentionLog log;
    auto event = [&](model::UnixMillis at, const std::string& agency) {
        SecurityEvent ev;
        ev.id = crypto::random_id("ev");
        ev.at = at;
        ev.agency_id = agency;
        ev.kind = "cross_tenant_attempt";
        ev.severity = "high";
        ev.source_key = "user:us_x";
        AuditEntry a;
        a.at = at;
        a.agency_id = agency;
        a.action = "security.cross_tenant_attempt";
        a.outcome = "denied";
        BOOST_REQUIRE(log.store->record_security_event(ev, a));
    };
    event(k_t0, k_ag);
    event(k_t0 + 1, "");             // platform events use the defaults too
    event(k_t0 + 500 * k_day, k_ag); // 300 days old at the run
    RawDb raw(log.dir.db_path());
    BOOST_TEST(raw.scalar("SELECT count(*) FROM security_events") == 3);
    BOOST_TEST(log.apply(k_t0 + 700 * k_day).events_deleted == 0); // within 730 days
    auto run = log.apply(k_t0 + 800 * k_day);
    BOOST_TEST(run.events_deleted == 2);
    BOOST_TEST(raw.scalar("SELECT count(*) FROM security_events") == 1);
    BOOST_TEST(raw.scalar("SELECT count(*) FROM security_events WHERE agency_id = ''") == 0);
    BOOST_TEST(log.verify() == 0);
}

BOOST_AUTO_TEST_CASE(AUD4_only_retention_may_touch_a_row_and_a_forged_pruned_row_fails_verify)
{
    RetentionLog log;
    const auto seq = log.write("contact.update", k_t0);
    log.write("contact.update", k_t0 + 1);
    {
        RawDb raw(log.dir.db_path());
        const auto s = std::to_string(seq);
        BOOST_TEST(!raw.db.exec(("UPDATE audit_log SET details = '{}' WHERE seq = " + s).c_str()));
        BOOST_TEST(!raw.db.exec(("UPDATE audit_log SET action = 'x' WHERE seq = " + s).c_str()));
        BOOST_TEST(!raw.db.exec(("UPDATE audit_log SET details = 'null', details_hash = 'short' WHERE seq = " + s).c_str()));
        BOOST_TEST(!raw.db.exec(("DELETE FROM audit_log WHERE seq = " + s).c_str()));
    }
    log.apply(k_t0 + 200 * k_day);
    BOOST_TEST(log.details(seq) == "null");
    {
        RawDb raw(log.dir.db_path());
        // A pruned row is pruned once: it cannot be given other details or another hash.
        BOOST_TEST(!raw.db.exec(("UPDATE audit_log SET details = '{\"forged\":1}' WHERE seq = " + std::to_string(seq)).c_str()));
        // An attacker who drops the trigger and writes details beside the kept hash is caught.
        BOOST_REQUIRE(raw.db.exec("DROP TRIGGER audit_log_no_update"));
        BOOST_REQUIRE(raw.db.exec(("UPDATE audit_log SET details = '{\"forged\":1}' WHERE seq = " + std::to_string(seq)).c_str()));
    }
    nlohmann::json report;
    BOOST_TEST(log.verify(&report) == 1);
    BOOST_TEST_REQUIRE(report["broken"].size() == 1u);
    BOOST_TEST(report["broken"][0]["seq"] == seq);
    BOOST_TEST(report["broken"][0]["reason"] == "hash_mismatch");
}

BOOST_AUTO_TEST_CASE(AUD4_retention_works_in_batches_and_resumes)
{
    RetentionLog log;
    constexpr int k_rows = 5000;
    {
        // Written straight through the store, one transaction per row as the app does.
        for (int i = 0; i < k_rows; ++i) {
            AuditEntry e;
            e.at = k_t0 + i;
            e.agency_id = k_ag;
            e.action = i % 2 ? "contact.update" : "auth.login";
            e.details = {{"fields", {"first_name", "last_name"}}, {"i", i}};
            BOOST_REQUIRE(log.store->append_audit(e));
        }
    }
    const auto started = std::chrono::steady_clock::now();
    auto run = log.apply(k_t0 + 200 * k_day); // records only (auth keeps 365 days)
    const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    BOOST_TEST_MESSAGE("retention: " << run.details_cleared << " of " << k_rows << " rows cleared in " << ms << " ms");
    BOOST_TEST(run.details_cleared == k_rows / 2);
    RawDb raw(log.dir.db_path());
    BOOST_TEST(raw.scalar("SELECT count(*) FROM audit_log WHERE details = 'null'") == k_rows / 2);
    // Each kind resumes where it stopped: records past every row, auth at its first young row.
    BOOST_TEST(raw.scalar("SELECT through_seq FROM audit_retention_progress WHERE kind = 'records'") ==
               raw.scalar("SELECT max(seq) FROM audit_log WHERE action = 'contact.update'"));
    run = log.apply(k_t0 + 400 * k_day);
    BOOST_TEST(run.details_cleared == k_rows / 2);
    BOOST_TEST(log.verify() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

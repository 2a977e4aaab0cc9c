// `stronghold import` in-process through import_main(): the JSON summary, progress lines, usage
// errors, --object deals; and RES-4: an import process (contacts, companies, deals) killed with
// SIGKILL half way leaves a sound database with whole batches only (every record with its version row).
#include "cli/admin.hpp"
#include "cli/import.hpp"
#include "store/store.hpp"
#include "stronghold/crypto/crypto.hpp"

#include "cli_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;

namespace {

Run import(const std::vector<std::string>& args, bool terminal = false)
{
    return run_command([](const auto& a, auto& o, auto& e, bool t) { return import_main(a, o, e, t); }, args, terminal);
}

std::string write_csv(const TempDir& dir, std::size_t rows)
{
    const auto path = (dir.path / "contacts.csv").string();
    std::ofstream f(path, std::ios::binary);
    f << "First Name,Last Name,Email,Phone,Tags\n";
    for (std::size_t i = 0; i < rows; ++i)
        f << "Name" << i << ",Family" << i % 97 << ",n" << i << "@example.com,+1 415 555 " << 1000 + i % 9000
          << ",a;b\n";
    return path;
}

std::int64_t scalar(const std::string& db_path, const char* sql)
{
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    BOOST_REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
    BOOST_REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const auto n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

std::string text(const std::string& db_path, const char* sql)
{
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    BOOST_REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
    BOOST_REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    std::string out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

// A pipeline "Sales" with `stages` ([{id, name}, ...]) in the sub-account, written through the store.
void add_pipeline(Store& store, const TenantScope& scope, const nlohmann::json& stages)
{
    AuditEntry audit;
    audit.action = "test.setup";
    model::Record pipeline;
    pipeline.id = crypto::random_id("pl");
    pipeline.kind = model::Kind::pipeline;
    pipeline.data = {{"name", "Sales"}, {"stages", stages}};
    model::derive_columns(model::spec_of(model::Kind::pipeline), pipeline);
    BOOST_REQUIRE(store.create_record(scope, pipeline, audit).ok());
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_import)

BOOST_AUTO_TEST_CASE(CRM4_cli_import_prints_the_job_and_json_progress)
{
    TempDir dir;
    const auto ids = make_agency(dir);
    const std::string account = ids["account_id"], owner = ids["owner_id"];
    const auto csv = write_csv(dir, 2500);
    auto r = import({"--data", dir.str(), "--account", account, "--object", "contacts", "--file", csv, "--map",
                     "Email=email", "--map", "First Name=first_name", "--owner", owner, "--batch-rows", "1000"});
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    const auto summary = nlohmann::json::parse(r.out);
    BOOST_TEST(summary["status"] == "done");
    BOOST_TEST(summary["created"] == 2500);
    BOOST_TEST(summary["mapping"] == nlohmann::json({{"Email", "email"}, {"First Name", "first_name"}}));
    std::istringstream lines(r.err);
    std::string line, last;
    int n = 0;
    while (std::getline(lines, line)) {
        const auto j = nlohmann::json::parse(line);
        BOOST_TEST(j["event"] == "import.progress");
        last = line;
        ++n;
    }
    BOOST_TEST(n >= 2);
    BOOST_TEST(nlohmann::json::parse(last)["rows_done"] == 2500);
    const auto db = (dir.path / "stronghold.db").string();
    BOOST_TEST(scalar(db, "SELECT count(*) FROM contacts WHERE owner_id <> ''") == 2500);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM contacts WHERE last_name <> ''") == 0); // not mapped

    // A dry run on a terminal: a bar, nothing written.
    auto t = import({"--data", dir.str(), "--account", account, "--object", "contacts", "--file", csv, "--dry-run"}, true);
    BOOST_TEST_REQUIRE(t.code == 0, t.err);
    BOOST_TEST(t.err.find("100%") != std::string::npos);
    BOOST_TEST(nlohmann::json::parse(t.out)["dry_run"] == true);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM contacts") == 2500);
}

BOOST_AUTO_TEST_CASE(CRM4_cli_import_usage_errors_name_the_flag)
{
    TempDir dir;
    const auto ids = make_agency(dir);
    const std::string account = ids["account_id"];
    const auto csv = write_csv(dir, 3);
    const auto field = [](const Run& r) { return nlohmann::json::parse(r.err)["error"]["field"].get<std::string>(); };
    auto r = import({"--data", dir.str(), "--account", account, "--object", "contacts"});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(field(r) == "--file");
    r = import({"--data", dir.str(), "--account", account, "--object", "tickets", "--file", csv});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(field(r) == "--object");
    r = import({"--data", dir.str(), "--account", account, "--object", "contacts", "--file", csv, "--map", "Email=mail"});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(field(r) == "mapping.Email");
    r = import({"--data", dir.str(), "--account", account, "--object", "contacts", "--file", csv, "--map", "nothing"});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(field(r) == "--map");
    r = import({"--data", dir.str(), "--account", account, "--object", "contacts", "--file", (dir.path / "no.csv").string()});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(field(r) == "--file");
    // A broken file: exit 1, the failure on stderr.
    std::ofstream((dir.path / "bad.csv").string()) << "Email\n\"open\n";
    r = import({"--data", dir.str(), "--account", account, "--object", "contacts", "--file", (dir.path / "bad.csv").string()});
    BOOST_TEST(r.code == 1);
    const auto last_line = r.err.substr(r.err.rfind('\n', r.err.size() - 2) + 1); // after the progress lines
    BOOST_TEST(nlohmann::json::parse(last_line)["error"]["code"] == "csv_unterminated_quote");
}

BOOST_AUTO_TEST_CASE(CRM4_cli_import_object_deals_resolves_pipeline_stage_and_company_names)
{
    TempDir dir;
    const auto ids = make_agency(dir);
    const std::string account = ids["account_id"], owner = ids["owner_id"];
    const TenantScope scope{ids["agency_id"], account};
    std::string won_id;
    {
        auto store = open_sqlite_store(dir.str());
        BOOST_REQUIRE(store.ok());
        won_id = crypto::random_id("st");
        add_pipeline(**store, scope, {{{"id", crypto::random_id("st")}, {"name", "Lead"}}, {{"id", won_id}, {"name", "Won"}}});
        AuditEntry audit;
        audit.action = "test.setup";
        model::Record company;
        company.id = crypto::random_id("co");
        company.kind = model::Kind::company;
        company.data = {{"name", "Acme"}};
        BOOST_REQUIRE((*store)->create_record(scope, company, audit).ok());
    }
    const auto path = (dir.path / "deals.csv").string();
    std::ofstream(path, std::ios::binary) << "Deal,Stage,Company,Amount\nBig,won,Acme,100\nSmall,,,\nBad,won,Nobody,1\n";
    auto r = import({"--data", dir.str(), "--account", account, "--object", "deals", "--file", path, "--owner", owner});
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    const auto summary = nlohmann::json::parse(r.out);
    BOOST_TEST(summary["object"] == "deals");
    BOOST_TEST(summary["created"] == 2);
    BOOST_TEST(summary["failed"] == 1);
    BOOST_TEST(summary["errors"][0]["column"] == "Company");
    const auto db = (dir.path / "stronghold.db").string();
    BOOST_TEST(scalar(db, "SELECT count(*) FROM records WHERE kind = 'deal'") == 2);
    BOOST_TEST(scalar(db, ("SELECT count(*) FROM records WHERE kind = 'deal' AND owner_id = '" + owner +
                           "' AND json_extract(data, '$.stage_id') = '" + won_id + "'").c_str()) == 1);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM record_versions v JOIN records r ON r.id = v.record_id"
                          " WHERE r.kind = 'deal'") == 2);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'deal.import'") == 1);
}

namespace {

constexpr std::int64_t k_kill_batch = 500;
constexpr std::size_t k_kill_rows = 400'000; // far more than can be done before the kill

// RES-4: `stronghold import --object <object>` over `csv` in a child process, SIGKILLed once
// three batches are in (and while it is surely writing more).
void kill_import_mid_way(const TempDir& dir, const std::string& account, const std::string& object,
                         const std::string& csv)
{
    const auto db = (dir.path / "stronghold.db").string();
    const pid_t child = fork();
    BOOST_REQUIRE(child >= 0);
    if (child == 0) { // the importing process
        std::ostringstream out, err;
        const int code = import_main({"--data", dir.str(), "--account", account, "--object", object, "--file", csv,
                                      "--batch-rows", std::to_string(k_kill_batch)},
                                     out, err, false);
        _exit(code == 0 ? 0 : 3);
    }
    bool started = false;
    for (int i = 0; i < 3000 && !started; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        sqlite3* probe = nullptr;
        if (sqlite3_open_v2(db.c_str(), &probe, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
            sqlite3_stmt* st = nullptr;
            if (sqlite3_prepare_v2(probe, "SELECT coalesce(max(created), 0) FROM import_jobs", -1, &st, nullptr) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW)
                started = sqlite3_column_int64(st, 0) >= 3 * k_kill_batch;
            sqlite3_finalize(st);
        }
        sqlite3_close(probe);
    }
    BOOST_REQUIRE(kill(child, SIGKILL) == 0);
    int status = 0;
    BOOST_REQUIRE(waitpid(child, &status, 0) == child);
    BOOST_TEST_REQUIRE(started);
    BOOST_TEST_REQUIRE(WIFSIGNALED(status)); // killed mid-way, not finished
    BOOST_TEST(WTERMSIG(status) == SIGKILL);
    BOOST_TEST(text(db, "PRAGMA integrity_check") == "ok");
    BOOST_TEST(text(db, "SELECT status FROM import_jobs") == "running");
}

// After a killed import of records of `kind`: whole batches only, each record with its version 1,
// and the job's progress (committed with each batch) counting exactly what is there.
void check_whole_record_batches(const TempDir& dir, const std::string& kind)
{
    const auto db = (dir.path / "stronghold.db").string();
    const std::string of_kind = " WHERE kind = '" + kind + "'";
    const auto records = scalar(db, ("SELECT count(*) FROM records" + of_kind).c_str());
    BOOST_TEST(records >= 3 * k_kill_batch);
    BOOST_TEST(records < static_cast<std::int64_t>(k_kill_rows));
    BOOST_TEST(records % k_kill_batch == 0); // no partial batch
    BOOST_TEST(scalar(db, ("SELECT count(*) FROM records r" + of_kind +
                           " AND NOT EXISTS (SELECT 1 FROM record_versions v WHERE v.record_id = r.id AND v.version = 1)")
                              .c_str()) == 0);
    BOOST_TEST(scalar(db, ("SELECT count(*) FROM record_versions v JOIN records r ON r.id = v.record_id" +
                           std::string(" WHERE r.kind = '") + kind + "'")
                              .c_str()) == records);
    BOOST_TEST(scalar(db, "SELECT created FROM import_jobs") == records);
}

} // namespace

BOOST_AUTO_TEST_CASE(RES4_sigkill_mid_import_leaves_only_whole_batches)
{
    TempDir dir;
    const auto ids = make_agency(dir);
    kill_import_mid_way(dir, ids["account_id"], "contacts", write_csv(dir, k_kill_rows));
    const auto db = (dir.path / "stronghold.db").string();
    const auto contacts = scalar(db, "SELECT count(*) FROM contacts");
    BOOST_TEST(contacts >= 3 * k_kill_batch);
    BOOST_TEST(contacts < static_cast<std::int64_t>(k_kill_rows));
    BOOST_TEST(contacts % k_kill_batch == 0); // no partial batch
    BOOST_TEST(scalar(db, "SELECT count(*) FROM contacts c WHERE NOT EXISTS (SELECT 1 FROM contact_versions v"
                          " WHERE v.contact_id = c.id AND v.version = 1)") == 0);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM contact_versions") == contacts);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM contact_emails") == contacts);
    // The job's progress was committed with each batch: it counts exactly what is there.
    BOOST_TEST(scalar(db, "SELECT created FROM import_jobs") == contacts);
}

BOOST_AUTO_TEST_CASE(RES4_CRM4_sigkill_mid_companies_import_leaves_only_whole_batches)
{
    TempDir dir;
    const auto ids = make_agency(dir);
    const auto csv = (dir.path / "companies.csv").string();
    {
        std::ofstream f(csv, std::ios::binary);
        f << "Name,Domain\n";
        for (std::size_t i = 0; i < k_kill_rows; ++i)
            f << "Company " << i << ",c" << i << ".example.com\n";
    }
    kill_import_mid_way(dir, ids["account_id"], "companies", csv);
    check_whole_record_batches(dir, "company");
}

BOOST_AUTO_TEST_CASE(RES4_CRM4_sigkill_mid_deals_import_leaves_only_whole_batches)
{
    TempDir dir;
    const auto ids = make_agency(dir);
    {
        // The default pipeline deals without a Pipeline column go to.
        auto store = open_sqlite_store(dir.str());
        BOOST_REQUIRE(store.ok());
        add_pipeline(**store, {ids["agency_id"], ids["account_id"]}, {{{"id", crypto::random_id("st")}, {"name", "Lead"}}});
    }
    const auto csv = (dir.path / "deals.csv").string();
    {
        std::ofstream f(csv, std::ios::binary);
        f << "Deal,Amount\n";
        for (std::size_t i = 0; i < k_kill_rows; ++i)
            f << "Deal " << i << "," << 100 + i % 900 << "\n";
    }
    kill_import_mid_way(dir, ids["account_id"], "deals", csv);
    check_whole_record_batches(dir, "deal");
}

BOOST_AUTO_TEST_SUITE_END()

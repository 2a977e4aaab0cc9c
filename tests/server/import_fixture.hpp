// The harness of the import tests (api_import_tests.cpp, api_import_http_tests.cpp,
// api_import_records_tests.cpp): the API fixture plus the import engine run directly, uploads as
// net/ hands them over, and a few row counts read straight from the file.
#pragma once

#include "app/import.hpp"

#include "api_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace stronghold::server::test {

struct ImportFixture : ApiFixture {
    model::Account account() { return *store->find_account(account_a1); }
    TenantScope scope() { return {agency_a, account_a1}; }

    ImportJob import_csv(const std::string& csv, std::map<std::string, std::string> mapping = {}, bool dry_run = false,
                         std::size_t batch_rows = k_import_batch_rows)
    {
        return import_object("contacts", csv, std::move(mapping), dry_run, batch_rows);
    }

    // Any object ("contacts", "companies", "deals"), imported by owner_a (who owns rows without an owner).
    ImportJob import_object(const std::string& object_name, const std::string& csv,
                            std::map<std::string, std::string> mapping = {}, bool dry_run = false,
                            std::size_t batch_rows = k_import_batch_rows)
    {
        auto object = make_import_object(object_name, *store, account(), owner_a_id, now.load());
        BOOST_REQUIRE(object.ok());
        ImportOptions options;
        options.scope = scope();
        options.dry_run = dry_run;
        options.mapping = std::move(mapping);
        options.batch_rows = batch_rows;
        options.actor.id = owner_a_id;
        options.bytes_total = static_cast<std::int64_t>(csv.size());
        auto job = start_import_job(*store, **object, options, now.load());
        BOOST_REQUIRE(job.ok());
        std::istringstream in(csv);
        return run_import(*store, **object, std::move(*job), options, in, [this] { return now.load(); });
    }

    // Contacts imported in batches of batch_rows; `created` after each progress report.
    ImportJob import_reporting(const std::string& csv, std::size_t batch_rows, std::vector<std::int64_t>& created)
    {
        auto object = make_import_object("contacts", *store, account(), owner_a_id, now.load());
        BOOST_REQUIRE(object.ok());
        ImportOptions options;
        options.scope = scope();
        options.batch_rows = batch_rows;
        options.actor.id = owner_a_id;
        auto started = start_import_job(*store, **object, options, now.load());
        BOOST_REQUIRE(started.ok());
        std::istringstream in(csv);
        return run_import(*store, **object, *started, options, in, [this] { return now.load(); },
                          [&](const ImportJob& j) { created.push_back(j.created); });
    }

    // POSTs a CSV upload as net/ hands it over (the streamed body on disk) and waits for the answer.
    Response upload(const std::string& target, const std::string& csv, const std::string& session)
    {
        Request r;
        r.method = "POST";
        r.target = target;
        r.remote_ip = "127.0.0.1";
        r.headers = {{"Host", k_host}, {"Origin", k_origin}, {"User-Agent", "api-tests"}, {"Content-Type", "text/csv"},
                     {"Cookie", "__Host-stronghold_session=" + session}};
        auto file = TempFile::create(dir.path.string(), "upload-");
        BOOST_REQUIRE(file);
        std::ofstream(file->path(), std::ios::binary) << csv;
        r.body_file = file;
        auto promise = std::make_shared<std::promise<Response>>();
        auto future = promise->get_future();
        app->handle(std::move(r), [promise](Response resp) { promise->set_value(std::move(resp)); });
        BOOST_REQUIRE(future.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
        return future.get();
    }

    // GET .../imports/{id} until the job is no longer running (about 10 s at most).
    nlohmann::json wait_for_job(const std::string& account_id, const std::string& id, const std::string& session)
    {
        nlohmann::json job;
        for (int i = 0; i < 1000; ++i) {
            auto g = call("GET", "/api/v1/accounts/" + account_id + "/imports/" + id, {}, {}, session);
            BOOST_TEST_REQUIRE(g.status == 200, g.body);
            job = nlohmann::json::parse(g.body);
            if (job["status"] != "running")
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return job;
    }

    std::int64_t count(const std::string& sql)
    {
        sqlite3* db = nullptr;
        const auto file = (dir.path / "stronghold.db").string();
        BOOST_REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        BOOST_REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        BOOST_REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        const auto n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return n;
    }

    std::vector<model::Contact> contacts()
    {
        ContactQuery q;
        q.limit = 200;
        auto page = store->list_contacts(scope(), q);
        BOOST_REQUIRE(page.ok());
        return page->items;
    }

    std::vector<AuditEntry> imports_audited()
    {
        std::vector<AuditEntry> out;
        for (const auto& e : store->audit_entries(agency_a, 100000))
            if (e.action == "contact.import")
                out.push_back(e);
        return out;
    }
};

} // namespace stronghold::server::test

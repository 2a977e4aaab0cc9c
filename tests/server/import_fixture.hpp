// The harness of the import tests (api_import_tests.cpp, api_import_http_tests.cpp): the API
// fixture plus the import engine run directly and a few row counts read straight from the file.
#pragma once

#include "app/import.hpp"

#include "api_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace stronghold::server::test {

struct ImportFixture : ApiFixture {
    model::Account account() { return *store->find_account(account_a1); }
    TenantScope scope() { return {agency_a, account_a1}; }

    ImportJob import_csv(const std::string& csv, std::map<std::string, std::string> mapping = {}, bool dry_run = false,
                         std::size_t batch_rows = k_import_batch_rows)
    {
        auto object = make_import_object("contacts", *store, account(), owner_a_id, now.load());
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

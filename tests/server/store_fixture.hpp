// Shared by the store_*.cpp and cli_*.cpp tests: a temporary data dir that is removed
// afterwards, a store opened on it with two tenants, and raw SQL access to the same file for
// checks the Store interface deliberately cannot make (row counts, triggers, query plans).
#pragma once

#include "store/sqlite.hpp"
#include "store/store.hpp"

#include "stronghold/crypto/crypto.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>

// Boost.Test prints these in failure messages. Internal linkage (static): no clash with another
// test file that teaches Boost.Test the same types.
namespace stronghold::api {
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, ErrorCode code)
{
    return os << to_string(code);
}
} // namespace stronghold::api
namespace stronghold::model {
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, Role role)
{
    return os << to_string(role);
}
} // namespace stronghold::model

namespace stronghold::server::test {

struct TempDir {
    std::filesystem::path path;
    TempDir()
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "stronghold-store-XXXXXX").string();
        if (!::mkdtemp(tmpl.data()))
            throw std::runtime_error("mkdtemp failed");
        path = tmpl;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string str() const { return path.string(); }
    std::string db_path() const { return (path / "stronghold.db").string(); }
};

inline std::unique_ptr<Store> open_store_or_fail(const std::string& dir)
{
    auto store = open_sqlite_store(dir);
    if (!store)
        BOOST_FAIL("open_sqlite_store failed: " << store.error().message);
    return std::move(*store);
}

// A raw connection on the store's file, for counting rows and trying forbidden statements.
struct RawDb {
    sqlite::Db db;
    explicit RawDb(const std::string& path)
    {
        auto d = sqlite::Db::open(path, false, false);
        if (!d)
            throw std::runtime_error("raw open failed");
        db = std::move(*d);
    }
    std::int64_t scalar(const std::string& sql, const std::string& arg = {})
    {
        auto s = sqlite::Stmt::prepare(db, sql);
        if (!s)
            throw std::runtime_error("prepare failed: " + sql);
        if (!arg.empty())
            s->bind(1, arg);
        auto row = s->step();
        if (!row || !*row)
            throw std::runtime_error("no row: " + sql);
        return s->int64(0);
    }
    std::string text(const std::string& sql)
    {
        auto s = sqlite::Stmt::prepare(db, sql);
        if (!s)
            throw std::runtime_error("prepare failed: " + sql);
        auto row = s->step();
        if (!row || !*row)
            throw std::runtime_error("no row: " + sql);
        return s->text(0);
    }
};

inline ActorRef cli_actor()
{
    ActorRef a;
    a.type = "cli";
    return a;
}

// Two agencies with one sub-account each (A, B), plus a second sub-account A2 in agency A.
struct TwoTenants {
    TempDir dir;
    std::unique_ptr<Store> store;
    TenantScope a, a2, b;

    TwoTenants()
    {
        store = open_store_or_fail(dir.str());
        a = make_tenant("Agency A");
        b = make_tenant("Agency B");
        model::Account second{crypto::random_id("ac"), a.agency_id, "A second", "1", 1000};
        if (!store->create_account(second, cli_actor()))
            throw std::runtime_error("create_account failed");
        a2 = {a.agency_id, second.id};
    }

    TenantScope make_tenant(const std::string& name)
    {
        model::Agency agency{crypto::random_id("ag"), name, 1000};
        if (!store->create_agency(agency, cli_actor()))
            throw std::runtime_error("create_agency failed");
        model::Account account{crypto::random_id("ac"), agency.id, name + " main", "1", 1000};
        if (!store->create_account(account, cli_actor()))
            throw std::runtime_error("create_account failed");
        return {agency.id, account.id};
    }

    static model::Contact contact(std::string first, std::string last, model::UnixMillis at = 1'700'000'000'000)
    {
        model::Contact c;
        c.id = crypto::random_id("ct");
        c.first_name = std::move(first);
        c.last_name = std::move(last);
        c.created_at = at;
        c.updated_at = at;
        return c;
    }

    static AuditEntry audit(std::string action, model::UnixMillis at = 1'700'000'000'000)
    {
        AuditEntry e;
        e.action = std::move(action);
        e.actor.id = "us_tester";
        e.at = at;
        return e;
    }
};

} // namespace stronghold::server::test

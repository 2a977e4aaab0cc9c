// A thin RAII layer over the SQLite C API: Db (one connection), Stmt (prepared statement with
// positional binds), Tx (BEGIN IMMEDIATE ... COMMIT, rolled back by the destructor unless
// committed). Values only ever travel through bind() (NET-3): SQL text is always a constant.
// SQLite failures come back as api::Error values; the mapping lives in one place (sqlite_error).
#pragma once

#include "stronghold/api/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace stronghold::server::sqlite {

// SQLITE_BUSY/LOCKED after the busy timeout -> unavailable (retry later); constraint
// violations -> conflict; anything else -> internal. The SQLite message goes to the log only.
api::Error sqlite_error(int rc, sqlite3* db, std::string_view what);

class Db {
public:
    Db() = default;
    ~Db();
    Db(Db&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}
    Db& operator=(Db&& other) noexcept;
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    // Opens (creating when `create`) the file and applies the connection PRAGMAs every
    // connection needs: foreign_keys=ON, busy_timeout. WAL/synchronous are set by the caller.
    static Result<Db> open(const std::string& path, bool create, bool read_only);

    Status exec(const char* sql); // constant SQL without parameters (DDL, PRAGMAs)
    sqlite3* handle() const { return m_db; }
    std::int64_t changes() const;

private:
    explicit Db(sqlite3* db) : m_db(db) {}
    sqlite3* m_db = nullptr;
};

class Stmt {
public:
    Stmt() = default;
    ~Stmt();
    Stmt(Stmt&& other) noexcept
        : m_stmt(std::exchange(other.m_stmt, nullptr)), m_db(std::exchange(other.m_db, nullptr)) {}
    Stmt& operator=(Stmt&& other) noexcept;
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    static Result<Stmt> prepare(Db& db, std::string_view sql);

    // Positional binds, 1-based as in SQLite. Text is copied (SQLITE_TRANSIENT).
    Stmt& bind(int index, std::string_view text);
    Stmt& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Stmt& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Stmt& bind(int index, std::int64_t value);
    Stmt& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Stmt& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
    Stmt& bind_null(int index);
    Stmt& bind_text_or_null(int index, std::string_view text); // empty -> NULL

    // true: a row is ready; false: done. An error ends the statement.
    Result<bool> step();
    Status run(); // step() expecting no row (INSERT/UPDATE/DELETE)
    void reset(); // ready to bind and step again (keeps the compiled statement)

    std::string text(int col) const; // NULL -> ""
    std::int64_t int64(int col) const;
    bool is_null(int col) const;

private:
    sqlite3_stmt* m_stmt = nullptr;
    Db* m_db = nullptr;
    api::Error m_bind_error;
    bool m_bind_failed = false;
};

// A write transaction. BEGIN IMMEDIATE takes the write lock up front, so two writers (this
// server and an admin CLI process) never deadlock upgrading a read lock; the busy timeout
// makes the second one wait instead of failing.
class Tx {
public:
    static Result<Tx> begin(Db& db);
    ~Tx();
    Tx(Tx&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}
    Tx& operator=(Tx&&) = delete;
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;

    Status commit();

private:
    explicit Tx(Db* db) : m_db(db) {}
    Db* m_db = nullptr; // null once committed or rolled back
};

} // namespace stronghold::server::sqlite

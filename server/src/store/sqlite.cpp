#include "store/sqlite.hpp"

#include "util/log.hpp"

#include <mutex>
#include <sqlite3.h>

namespace stronghold::server::sqlite {

namespace {
constexpr int k_busy_timeout_ms = 5000; // a writer waits this long for another process's write
} // namespace

api::Error sqlite_error(int rc, sqlite3* db, std::string_view what)
{
    const int primary = rc & 0xff;
    // The SQLite message can quote schema names but never bound values, so it is safe to log.
    log::warn("store.sqlite_error", {{"what", std::string(what)},
                                     {"rc", rc},
                                     {"message", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)}});
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return api::make_error(api::ErrorCode::unavailable, "the database is busy; try again");
    if (primary == SQLITE_CONSTRAINT)
        return api::make_error(api::ErrorCode::conflict, "the change conflicts with existing data");
    return api::make_error(api::ErrorCode::internal, "storage error");
}

// ---- Db ----

Db::~Db()
{
    if (m_db)
        sqlite3_close_v2(m_db);
}

Db& Db::operator=(Db&& other) noexcept
{
    if (this != &other) {
        if (m_db)
            sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
    }
    return *this;
}

Result<Db> Db::open(const std::string& path, bool create, bool read_only)
{
    // No allocation statistics (nothing reads them): with them on, every SQLite malloc and free
    // takes a process-wide mutex. Only possible before SQLite initialises; harmless after.
    static std::once_flag config_once;
    std::call_once(config_once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
    int flags = SQLITE_OPEN_NOMUTEX; // each connection is used by one thread at a time
    flags |= read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (create && !read_only)
        flags |= SQLITE_OPEN_CREATE;
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Db db(raw); // closes on every path below
    if (rc != SQLITE_OK)
        return sqlite_error(rc, raw, "open");
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, k_busy_timeout_ms);
    if (auto st = db.exec("PRAGMA foreign_keys=ON"); !st)
        return st.error();
    return db;
}

Status Db::exec(const char* sql)
{
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return sqlite_error(rc, m_db, "exec");
    return {};
}

std::int64_t Db::changes() const
{
    return sqlite3_changes64(m_db);
}

// ---- Stmt ----

Stmt::~Stmt()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

Stmt& Stmt::operator=(Stmt&& other) noexcept
{
    if (this != &other) {
        if (m_stmt)
            sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_db = std::exchange(other.m_db, nullptr);
        m_bind_error = std::move(other.m_bind_error);
        m_bind_failed = std::exchange(other.m_bind_failed, false);
    }
    return *this;
}

Result<Stmt> Stmt::prepare(Db& db, std::string_view sql)
{
    Stmt s;
    s.m_db = &db;
    const int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), 0, &s.m_stmt, nullptr);
    if (rc != SQLITE_OK)
        return sqlite_error(rc, db.handle(), "prepare");
    return s;
}

// A failed bind (index out of range, out of memory) is a bug or an outage; it is remembered
// and reported by the next step(), so call sites can chain binds without checking each one.
#define STRONGHOLD_CHECK_BIND(expr)                                                                                \
    do {                                                                                                           \
        const int rc_ = (expr);                                                                                    \
        if (rc_ != SQLITE_OK && !m_bind_failed) {                                                                  \
            m_bind_failed = true;                                                                                  \
            m_bind_error = sqlite_error(rc_, m_db->handle(), "bind");                                              \
        }                                                                                                          \
    } while (0)

Stmt& Stmt::bind(int index, std::string_view text)
{
    STRONGHOLD_CHECK_BIND(sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Stmt& Stmt::bind(int index, std::int64_t value)
{
    STRONGHOLD_CHECK_BIND(sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}

Stmt& Stmt::bind_null(int index)
{
    STRONGHOLD_CHECK_BIND(sqlite3_bind_null(m_stmt, index));
    return *this;
}

Stmt& Stmt::bind_text_or_null(int index, std::string_view text)
{
    return text.empty() ? bind_null(index) : bind(index, text);
}

#undef STRONGHOLD_CHECK_BIND

Result<bool> Stmt::step()
{
    if (m_bind_failed)
        return m_bind_error;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return sqlite_error(rc, m_db->handle(), "step");
}

Status Stmt::run()
{
    auto r = step();
    if (!r)
        return r.error();
    return {};
}

void Stmt::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_bind_failed = false;
}

std::string Stmt::text(int col) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
    if (!p)
        return {};
    return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col)));
}

std::int64_t Stmt::int64(int col) const
{
    return sqlite3_column_int64(m_stmt, col);
}

bool Stmt::is_null(int col) const
{
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

// ---- Tx ----

Result<Tx> Tx::begin(Db& db)
{
    if (auto st = db.exec("BEGIN IMMEDIATE"); !st)
        return st.error();
    return Tx(&db);
}

Tx::~Tx()
{
    if (m_db)
        sqlite3_exec(m_db->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Status Tx::commit()
{
    Db* db = std::exchange(m_db, nullptr);
    if (auto st = db->exec("COMMIT"); !st) {
        // A failed COMMIT (e.g. SQLITE_BUSY) leaves the transaction open: end it so the
        // connection is usable again; the caller reports the error and nothing was written.
        sqlite3_exec(db->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        return st.error();
    }
    return {};
}

} // namespace stronghold::server::sqlite

// SQLite store, part 1: opening (files, PRAGMAs, migrations, connections), tenants, users,
// sessions and audit. Contacts live in sqlite_store_contacts.cpp.
//
// [SECTION] Opening
// [SECTION] Reader pool
// [SECTION] Audit
// [SECTION] Tenants and users
// [SECTION] Sessions
#include "store/sqlite_store_impl.hpp"

#include "store/migrations.hpp"
#include "stronghold/access/permissions.hpp"
#include "util/log.hpp"

#include <cstring>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stronghold::server {

namespace {

constexpr int k_reader_connections = 4; // matches the default handler pool

api::Error io_error(const std::string& what, const std::string& path, int err)
{
    log::error("store.io_error", {{"what", what}, {"path", path}, {"errno", err}});
    return api::make_error(api::ErrorCode::internal, "cannot " + what + " " + path + ": " + std::strerror(err));
}

// The data dir holds the database, keys and certificates: only the server's user may enter it.
Status prepare_data_dir(const std::string& dir)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return io_error("create directory", dir, ec.value());
    if (::chmod(dir.c_str(), 0700) != 0)
        return io_error("restrict permissions of", dir, errno);
    return {};
}

// Creates the file with mode 0600 before SQLite opens it (SQLite would use 0644 minus umask);
// SQLite gives the -wal and -shm files the same mode as the database file.
Status prepare_db_file(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
        return io_error("create", path, errno);
    struct stat st {};
    if (::fstat(fd, &st) == 0 && (st.st_mode & 0077) != 0)
        ::fchmod(fd, 0600); // an older file with looser permissions gets tightened
    ::close(fd);
    return {};
}

Result<std::unique_ptr<sqlite::Db>> open_connection(const std::string& path, bool reader)
{
    auto db = sqlite::Db::open(path, /*create=*/!reader, /*read_only=*/false);
    if (!db)
        return db.error();
    auto owned = std::make_unique<sqlite::Db>(std::move(*db));
    // synchronous=FULL: in WAL mode NORMAL may lose the last commits on power loss, and RES-4
    // says no acknowledged write is lost; FULL syncs the WAL at every commit.
    if (auto st = owned->exec("PRAGMA synchronous=FULL"); !st)
        return st.error();
    // After a big import the WAL file goes back to 64 MiB when it restarts, not its largest size.
    if (!reader)
        if (auto st = owned->exec("PRAGMA journal_size_limit=67108864"); !st)
            return st.error();
    if (reader) {
        // Readers never write, even by mistake.
        if (auto st = owned->exec("PRAGMA query_only=ON"); !st)
            return st.error();
    }
    // Page cache (negative = KiB): the default 2 MB makes a 10,000-row bulk insert spill
    // pages and re-read index pages; 64 MB for the writer, 16 MB per reader.
    if (auto st = owned->exec(reader ? "PRAGMA cache_size=-16384" : "PRAGMA cache_size=-65536"); !st)
        return st.error();
    return owned;
}

} // namespace

// [SECTION] Opening

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& data_dir)
{
    if (auto st = prepare_data_dir(data_dir); !st)
        return st.error();
    const std::string path = (std::filesystem::path(data_dir) / "stronghold.db").string();
    if (auto st = prepare_db_file(path); !st)
        return st.error();

    auto writer = open_connection(path, false);
    if (!writer)
        return writer.error();
    // WAL: readers do not block the writer nor each other; the mode is stored in the file.
    {
        auto wal = sqlite::Stmt::prepare(**writer, "PRAGMA journal_mode=WAL");
        if (!wal)
            return wal.error();
        auto row = wal->step();
        if (!row)
            return row.error();
        if (!*row || wal->text(0) != "wal")
            return api::make_error(api::ErrorCode::internal, "the database cannot use WAL journaling");
    }
    if (auto st = run_sqlite_migrations(**writer, system_now_ms()); !st)
        return st.error();
    { // AUD-3: rows written before migration 13 get their chain links, once (server/doc/audit.md)
        auto tx = sqlite::Tx::begin(**writer);
        if (!tx)
            return tx.error();
        if (auto st = backfill_audit_chain(**writer); !st)
            return st.error();
        if (auto st = tx->commit(); !st)
            return st.error();
    }

    auto pool = std::make_unique<ReaderPool>();
    for (int i = 0; i < k_reader_connections; ++i) {
        auto reader = open_connection(path, true);
        if (!reader)
            return reader.error();
        pool->add(std::move(*reader));
    }
    auto store = std::make_unique<SqliteStore>(std::move(*writer), pool.get());
    store->owned_readers = std::move(pool);
    // AUD-4: the head of every chain is signed at each start, then by the app's timer.
    store->audit_signer = std::make_unique<AuditSigner>(data_dir);
    if (auto key = store->audit_signer->public_key(); !key) // made on the first start, so verify can read it
        return key.error();
    if (auto written = store->checkpoint_audit(system_now_ms()); !written)
        return written.error();
    return std::unique_ptr<Store>(std::move(store));
}

SqliteStore::~SqliteStore() = default;

// [SECTION] Reader pool

void ReaderPool::add(std::unique_ptr<sqlite::Db> db)
{
    std::lock_guard lock(m_mutex);
    m_idle.push_back(std::move(db));
}

ReaderPool::Lease ReaderPool::acquire()
{
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [&] { return !m_idle.empty(); });
    auto db = std::move(m_idle.back());
    m_idle.pop_back();
    return Lease(*this, std::move(db));
}

void ReaderPool::give_back(std::unique_ptr<sqlite::Db> db)
{
    {
        std::lock_guard lock(m_mutex);
        m_idle.push_back(std::move(db));
    }
    m_cv.notify_one();
}

// [SECTION] Audit

Status insert_audit(sqlite::Db& db, const AuditEntry& e)
{
    // AUD-3: the row is chained (seq, position, prev_hash, hash) in the caller's transaction, so
    // a rollback takes its link with it.
    audit::ChainEntry c;
    c.at = e.at != 0 ? e.at : system_now_ms();
    c.agency_id = e.agency_id;
    c.account_id = e.account_id;
    c.actor_type = e.actor.type;
    c.actor_id = e.actor.id;
    c.grant_id = e.grant_id.empty() ? e.actor.grant_id : e.grant_id; // staff under a JITA grant
    c.action = e.action;
    c.target_type = e.target_type;
    c.target_id = e.target_id;
    c.ip = e.actor.ip;
    c.user_agent = e.actor.user_agent;
    c.outcome = e.outcome;
    c.details = e.details.is_object() ? e.details.dump() : std::string("{}");
    if (auto st = chain_audit_entry(db, c); !st)
        return st;
    auto stmt = sqlite::Stmt::prepare(db, "INSERT INTO audit_log(seq, at, agency_id, account_id, actor_type, actor_id,"
                                          " grant_id, action, target_type, target_id, ip, user_agent, outcome, details,"
                                          " chain_n, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!stmt)
        return stmt.error();
    return stmt->bind(1, c.seq)
        .bind(2, c.at)
        .bind(3, c.agency_id)
        .bind(4, c.account_id)
        .bind(5, c.actor_type)
        .bind(6, c.actor_id)
        .bind(7, c.grant_id)
        .bind(8, c.action)
        .bind(9, c.target_type)
        .bind(10, c.target_id)
        .bind(11, c.ip)
        .bind(12, c.user_agent)
        .bind(13, c.outcome)
        .bind(14, c.details)
        .bind(15, c.n)
        .bind(16, c.prev_hash)
        .bind(17, c.hash)
        .run();
}

Status SqliteStore::append_audit(const AuditEntry& entry)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = insert_audit(*m_writer, entry); !st)
        return st;
    return tx->commit();
}

std::vector<AuditEntry> SqliteStore::audit_entries(const std::string& agency_id, std::size_t limit)
{
    // The newest `limit` rows of the agency's chain, read as the API reads them (sqlite_store_audit_query.cpp).
    std::vector<AuditEntry> out;
    AuditQuery q;
    q.agency_id = agency_id;
    q.limit = limit;
    (void)scan_audit(q, [&](const AuditEntry& e) {
        out.push_back(e);
        return true;
    });
    return out;
}

// [SECTION] Tenants and users

namespace {

AuditEntry audit_for(const ActorRef& actor, model::UnixMillis at, std::string agency_id, std::string account_id,
                     std::string action, std::string target_type, std::string target_id)
{
    AuditEntry e;
    e.at = at;
    e.agency_id = std::move(agency_id);
    e.account_id = std::move(account_id);
    e.actor = actor;
    e.action = std::move(action);
    e.target_type = std::move(target_type);
    e.target_id = std::move(target_id);
    return e;
}

Result<bool> exists(sqlite::Db& db, const char* sql, const std::string& key)
{
    auto stmt = sqlite::Stmt::prepare(db, sql);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, key);
    return stmt->step();
}

// The agency owning an account ("" when the account does not exist).
Result<std::string> agency_of_account(sqlite::Db& db, const std::string& account_id)
{
    auto stmt = sqlite::Stmt::prepare(db, "SELECT agency_id FROM accounts WHERE id = ?");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, account_id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    return *row ? stmt->text(0) : std::string();
}

Status insert_agency(sqlite::Db& db, const model::Agency& a, const ActorRef& actor)
{
    auto stmt = sqlite::Stmt::prepare(db, "INSERT INTO agencies(id, name, created_at) VALUES (?,?,?)");
    if (!stmt)
        return stmt.error();
    if (auto st = stmt->bind(1, a.id).bind(2, a.name).bind(3, a.created_at).run(); !st)
        return st;
    return insert_audit(db, audit_for(actor, a.created_at, a.id, "", "agency.create", "agency", a.id));
}

Status insert_account(sqlite::Db& db, const model::Account& a, const ActorRef& actor)
{
    auto agency = exists(db, "SELECT 1 FROM agencies WHERE id = ?", a.agency_id);
    if (!agency)
        return agency.error();
    if (!*agency)
        return api::make_error(api::ErrorCode::not_found, "no such agency", "agency_id");
    auto stmt = sqlite::Stmt::prepare(db, "INSERT INTO accounts(id, agency_id, name, default_country_code, created_at)"
                                          " VALUES (?,?,?,?,?)");
    if (!stmt)
        return stmt.error();
    if (auto st =
            stmt->bind(1, a.id).bind(2, a.agency_id).bind(3, a.name).bind(4, a.default_country_code).bind(5, a.created_at).run();
        !st)
        return st;
    return insert_audit(db, audit_for(actor, a.created_at, a.agency_id, a.id, "account.create", "account", a.id));
}

Status insert_user(sqlite::Db& db, const model::User& u, const std::string& password_hash, const model::Membership& m,
                   const ActorRef& actor)
{
    if (m.agency_id.empty() == m.account_id.empty())
        return api::make_error(api::ErrorCode::validation_failed, "a membership names an agency or a sub-account",
                               "membership");
    std::string agency_id = m.agency_id;
    if (!m.account_id.empty()) {
        auto owner = agency_of_account(db, m.account_id);
        if (!owner)
            return owner.error();
        if (owner->empty())
            return api::make_error(api::ErrorCode::not_found, "no such sub-account", "account_id");
        agency_id = *owner;
    } else {
        auto agency = exists(db, "SELECT 1 FROM agencies WHERE id = ?", m.agency_id);
        if (!agency)
            return agency.error();
        if (!*agency)
            return api::make_error(api::ErrorCode::not_found, "no such agency", "agency_id");
    }
    auto taken = exists(db, "SELECT 1 FROM users WHERE email = ?", u.email);
    if (!taken)
        return taken.error();
    if (*taken)
        return api::make_error(api::ErrorCode::conflict, "a user with this email already exists", "email");

    // password_changed_at starts the password's age (IAM-2 maximum age).
    auto ins = sqlite::Stmt::prepare(db, "INSERT INTO users(id, email, name, active, password_hash, created_at,"
                                         " password_changed_at) VALUES (?,?,?,?,?,?,?)");
    if (!ins)
        return ins.error();
    if (auto st = ins->bind(1, u.id).bind(2, u.email).bind(3, u.name).bind(4, u.active).bind(5, password_hash)
                      .bind(6, u.created_at).bind(7, u.created_at).run();
        !st)
        return st;
    auto mem = sqlite::Stmt::prepare(db, "INSERT INTO memberships(user_id, agency_id, account_id, role, created_at)"
                                         " VALUES (?,?,?,?,?)");
    if (!mem)
        return mem.error();
    mem->bind(1, u.id).bind_text_or_null(2, m.agency_id).bind_text_or_null(3, m.account_id);
    mem->bind(4, m.role_ref()).bind(5, u.created_at);
    if (auto st = mem->run(); !st)
        return st;
    auto audit = audit_for(actor, u.created_at, agency_id, m.account_id, "user.create", "user", u.id);
    audit.details = {{"role", m.role_ref()}}; // never the email or the hash
    return insert_audit(db, audit);
}

model::User read_user(const sqlite::Stmt& s, int first_col)
{
    model::User u;
    u.id = s.text(first_col);
    u.email = s.text(first_col + 1);
    u.name = s.text(first_col + 2);
    u.active = s.int64(first_col + 3) != 0;
    u.created_at = s.int64(first_col + 4);
    return u;
}

} // namespace

Result<model::Agency> SqliteStore::create_agency(const model::Agency& agency, const ActorRef& actor)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = insert_agency(*m_writer, agency, actor); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return agency;
}

Result<model::Account> SqliteStore::create_account(const model::Account& account, const ActorRef& actor)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = insert_account(*m_writer, account, actor); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return account;
}

Result<model::User> SqliteStore::create_user(const model::User& user, const std::string& password_hash,
                                             const model::Membership& membership, const ActorRef& actor)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = insert_user(*m_writer, user, password_hash, membership, actor); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return user;
}

Status SqliteStore::create_agency_with_owner(const model::Agency& agency, const model::Account& first_account,
                                             const model::User& owner, const std::string& password_hash,
                                             const ActorRef& actor)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = insert_agency(*m_writer, agency, actor); !st)
        return st;
    if (auto st = insert_account(*m_writer, first_account, actor); !st)
        return st;
    model::Membership m;
    m.user_id = owner.id;
    m.agency_id = agency.id;
    m.role = model::Role::agency_owner;
    if (auto st = insert_user(*m_writer, owner, password_hash, m, actor); !st)
        return st;
    return tx->commit();
}

Status SqliteStore::set_password_hash(const std::string& user_id, const std::string& password_hash,
                                      const ActorRef& actor)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    const auto at = system_now_ms();
    // The replaced hash goes to password_history by the users_password_history trigger.
    auto upd = sqlite::Stmt::prepare(*m_writer, "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?");
    if (!upd)
        return upd.error();
    if (auto st = upd->bind(1, password_hash).bind(2, at).bind(3, user_id).run(); !st)
        return st;
    if (m_writer->changes() != 1)
        return api::make_error(api::ErrorCode::not_found, "no such user");
    // Audit rows are per agency: one for each agency the user belongs to (directly or via a
    // sub-account), so each agency's admins see it.
    auto agencies = sqlite::Stmt::prepare(*m_writer, "SELECT DISTINCT coalesce(m.agency_id, a.agency_id)"
                                                     " FROM memberships m LEFT JOIN accounts a ON a.id = m.account_id"
                                                     " WHERE m.user_id = ?");
    if (!agencies)
        return agencies.error();
    agencies->bind(1, user_id);
    std::vector<std::string> ids;
    for (auto row = agencies->step(); row && *row; row = agencies->step())
        ids.push_back(agencies->text(0));
    for (const auto& agency_id : ids)
        if (auto st = insert_audit(*m_writer, audit_for(actor, at, agency_id, "", "user.password_set", "user", user_id)); !st)
            return st;
    return tx->commit();
}

std::optional<model::Agency> SqliteStore::find_agency(const std::string& agency_id)
{
    return read_one("SELECT id, name, created_at FROM agencies WHERE id = ?", agency_id,
                    [&](sqlite::Stmt& st) { return model::Agency{st.text(0), st.text(1), st.int64(2)}; });
}

namespace {
constexpr const char* k_account_cols =
    "SELECT id, agency_id, name, default_country_code, created_at, sensitive_data_policy FROM accounts";

model::Account read_account(const sqlite::Stmt& s)
{
    model::Account a;
    a.id = s.text(0);
    a.agency_id = s.text(1);
    a.name = s.text(2);
    a.default_country_code = s.text(3);
    a.created_at = s.int64(4);
    a.sensitive_data_policy =
        s.text(5) == "mask" ? validate::SensitivePolicy::mask : validate::SensitivePolicy::refuse;
    return a;
}
} // namespace

std::optional<model::Account> SqliteStore::find_account(const std::string& account_id)
{
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), std::string(k_account_cols) + " WHERE id = ?");
    if (!stmt)
        return std::nullopt;
    stmt->bind(1, account_id);
    auto row = stmt->step();
    if (!row || !*row)
        return std::nullopt;
    return read_account(*stmt);
}

std::vector<model::Account> SqliteStore::accounts_of_agency(const std::string& agency_id)
{
    std::vector<model::Account> out;
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), std::string(k_account_cols) +
                                                      " WHERE agency_id = ? ORDER BY created_at, id");
    if (!stmt)
        return out;
    stmt->bind(1, agency_id);
    for (auto row = stmt->step(); row && *row; row = stmt->step())
        out.push_back(read_account(*stmt));
    return out;
}

std::optional<Credentials> SqliteStore::find_credentials_by_email(const std::string& email_lower)
{
    return read_one("SELECT id, email, name, active, created_at, password_hash"
                    " FROM users WHERE email = ?", email_lower,
                    [&](sqlite::Stmt& st) { return Credentials{read_user(st, 0), st.text(5)}; });
}

std::optional<model::User> SqliteStore::find_user(const std::string& user_id)
{
    return read_one("SELECT id, email, name, active, created_at FROM users WHERE id = ?", user_id,
                    [&](sqlite::Stmt& st) { return read_user(st, 0); });
}

std::vector<model::Membership> SqliteStore::memberships_of(const std::string& user_id)
{
    // Live memberships only: one deactivated in an agency grants nothing there (migration 7).
    std::vector<model::Membership> out;
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), "SELECT m.agency_id, m.account_id, a.agency_id, m.role"
                                                   " FROM memberships m LEFT JOIN accounts a ON a.id = m.account_id"
                                                   " WHERE m.user_id = ? AND m.deactivated_at IS NULL"
                                                   " ORDER BY m.created_at, m.rowid");
    if (!stmt)
        return out;
    stmt->bind(1, user_id);
    for (auto row = stmt->step(); row && *row; row = stmt->step())
        if (auto m = read_membership(*stmt, 0, user_id))
            out.push_back(std::move(*m));
    return out;
}

// [SECTION] Sessions

Status SqliteStore::create_session(const Session& s)
{
    std::lock_guard lock(m_write_mutex);
    auto stmt = sqlite::Stmt::prepare(*m_writer, "INSERT INTO sessions(token_hash, id, user_id, created_at,"
                                                 " last_seen_at, expires_at, ip, user_agent, reauth_at)"
                                                 " VALUES (?,?,?,?,?,?,?,?,?)");
    if (!stmt)
        return stmt.error();
    return stmt->bind(1, s.token_hash).bind(2, s.id).bind(3, s.user_id).bind(4, s.created_at).bind(5, s.last_seen_at)
        .bind(6, s.expires_at).bind(7, s.ip).bind(8, s.user_agent).bind(9, s.reauth_at).run();
}

std::optional<Session> SqliteStore::find_session(const std::string& token_hash)
{
    return read_one("SELECT id, token_hash, user_id, created_at, last_seen_at,"
                    " expires_at, ip, user_agent, reauth_at FROM sessions"
                    " WHERE token_hash = ?", token_hash,
                    [&](sqlite::Stmt& st) {
                        return Session{st.text(0),  st.text(1), st.text(2), st.int64(3), st.int64(4),
                                       st.int64(5), st.text(6), st.text(7), st.int64(8)};
                    });
}

Status SqliteStore::ping()
{
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), "SELECT 1");
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    return {};
}

Status SqliteStore::touch_session(const std::string& token_hash, model::UnixMillis now)
{
    std::lock_guard lock(m_write_mutex);
    auto stmt = sqlite::Stmt::prepare(*m_writer, "UPDATE sessions SET last_seen_at = max(last_seen_at, ?)"
                                                 " WHERE token_hash = ?");
    if (!stmt)
        return stmt.error();
    return stmt->bind(1, now).bind(2, token_hash).run();
}

Status SqliteStore::delete_session(const std::string& token_hash)
{
    std::lock_guard lock(m_write_mutex);
    auto stmt = sqlite::Stmt::prepare(*m_writer, "DELETE FROM sessions WHERE token_hash = ?");
    if (!stmt)
        return stmt.error();
    return stmt->bind(1, token_hash).run();
}

} // namespace stronghold::server

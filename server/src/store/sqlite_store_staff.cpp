// SQLite store, platform staff and their just-in-time access grants (ACC-3..ACC-6; migration 17,
// app/jita.hpp): staff rows, grants and their state changes (each with its audit row in the same
// transaction), and the aggregate figures staff see without a grant.
//
// [SECTION] Staff
// [SECTION] Grants
// [SECTION] Aggregates
#include "store/sqlite_store_impl.hpp"

#include <variant>

namespace stronghold::server {

namespace {

constexpr const char* k_grant_cols = "SELECT id, staff_id, agency_id, account_id, reason, hours, status, requested_at,"
                                     " decided_at, decided_by, expires_at, revoked_at, revoked_by FROM jita_grants";

JitaGrant read_grant(const sqlite::Stmt& s)
{
    JitaGrant g;
    g.id = s.text(0);
    g.staff_id = s.text(1);
    g.agency_id = s.text(2);
    g.account_id = s.text(3);
    g.reason = s.text(4);
    g.hours = s.int64(5);
    g.status = access::grant_status_from_string(s.text(6)).value_or(access::GrantStatus::revoked);
    g.requested_at = s.int64(7);
    g.decided_at = s.int64(8);
    g.decided_by = s.text(9);
    g.expires_at = s.int64(10);
    g.revoked_at = s.int64(11);
    g.revoked_by = s.text(12);
    return g;
}

// Runs a grants query whose placeholders take `binds` in order (text or integer).
std::vector<JitaGrant> query_grants(sqlite::Db& db, const std::string& sql,
                                    const std::vector<std::variant<std::string, std::int64_t>>& binds)
{
    std::vector<JitaGrant> out;
    auto stmt = sqlite::Stmt::prepare(db, sql.c_str());
    if (!stmt)
        return out;
    int i = 1;
    for (const auto& b : binds) {
        if (std::holds_alternative<std::string>(b))
            stmt->bind(i++, std::get<std::string>(b));
        else
            stmt->bind(i++, std::get<std::int64_t>(b));
    }
    for (auto row = stmt->step(); row && *row; row = stmt->step())
        out.push_back(read_grant(*stmt));
    return out;
}

std::int64_t scalar(sqlite::Db& db, const char* sql, std::int64_t arg = 0)
{
    auto stmt = sqlite::Stmt::prepare(db, sql);
    if (!stmt)
        return 0;
    if (std::string_view(sql).find('?') != std::string_view::npos)
        stmt->bind(1, arg);
    auto row = stmt->step();
    return row && *row ? stmt->int64(0) : 0;
}

} // namespace

// [SECTION] Staff

Status SqliteStore::create_staff(const model::User& user, const std::string& password_hash, access::StaffRole role,
                                 const std::string& sealed_totp_secret, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    {
        auto taken = sqlite::Stmt::prepare(*m_writer, "SELECT 1 FROM users WHERE email = ?");
        if (!taken)
            return taken.error();
        taken->bind(1, user.email);
        auto row = taken->step();
        if (!row)
            return row.error();
        if (*row)
            return api::make_error(api::ErrorCode::conflict, "a user with this email already exists", "email");
    }
    auto ins = sqlite::Stmt::prepare(*m_writer, "INSERT INTO users(id, email, name, active, password_hash, created_at,"
                                                " password_changed_at) VALUES (?,?,?,?,?,?,?)");
    if (!ins)
        return ins.error();
    if (auto st = ins->bind(1, user.id).bind(2, user.email).bind(3, user.name).bind(4, user.active)
                      .bind(5, password_hash).bind(6, user.created_at).bind(7, user.created_at).run();
        !st)
        return st;
    auto staff = sqlite::Stmt::prepare(*m_writer, "INSERT INTO platform_staff(user_id, role, created_at) VALUES (?,?,?)");
    if (!staff)
        return staff.error();
    if (auto st = staff->bind(1, user.id).bind(2, access::to_string(role)).bind(3, user.created_at).run(); !st)
        return st;
    // Enabled from the start: the first login already asks for a code (ACC: staff always use 2FA).
    auto totp = sqlite::Stmt::prepare(*m_writer, "INSERT INTO user_totp(user_id, sealed_secret, enabled, last_step,"
                                                 " created_at, enabled_at) VALUES (?,?,1,-1,?,?)");
    if (!totp)
        return totp.error();
    if (auto st = totp->bind(1, user.id).bind(2, sealed_totp_secret).bind(3, user.created_at).bind(4, user.created_at).run();
        !st)
        return st;
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st;
    return tx->commit();
}

std::optional<StaffMember> SqliteStore::find_staff(const std::string& user_id)
{
    auto found = read_one("SELECT role, created_at FROM platform_staff WHERE user_id = ?", user_id,
                          [&](sqlite::Stmt& s) {
                              StaffMember m;
                              m.user_id = user_id;
                              m.role = access::staff_role_from_string(s.text(0)).value_or(access::StaffRole::support);
                              m.created_at = s.int64(1);
                              return m;
                          });
    return found;
}

// [SECTION] Grants

Status SqliteStore::create_grant(const JitaGrant& g, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto ins = sqlite::Stmt::prepare(*m_writer,
                                     "INSERT INTO jita_grants(id, staff_id, agency_id, account_id, reason, hours, status,"
                                     " requested_at, decided_at, decided_by, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    if (!ins)
        return ins.error();
    if (auto st = ins->bind(1, g.id)
                      .bind(2, g.staff_id)
                      .bind(3, g.agency_id)
                      .bind(4, g.account_id)
                      .bind(5, g.reason)
                      .bind(6, g.hours)
                      .bind(7, access::to_string(g.status))
                      .bind(8, g.requested_at)
                      .bind(9, g.decided_at)
                      .bind(10, g.decided_by)
                      .bind(11, g.expires_at)
                      .run();
        !st)
        return st;
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st;
    return tx->commit();
}

std::optional<JitaGrant> SqliteStore::find_grant(const std::string& id)
{
    return read_one((std::string(k_grant_cols) + " WHERE id = ?").c_str(), id,
                    [](sqlite::Stmt& s) { return read_grant(s); });
}

std::vector<JitaGrant> SqliteStore::grants_of_staff(const std::string& staff_id, std::size_t limit)
{
    auto lease = m_readers->acquire();
    return query_grants(lease.db(),
                        std::string(k_grant_cols) + " WHERE staff_id = ? ORDER BY requested_at DESC, id DESC LIMIT ?",
                        {staff_id, static_cast<std::int64_t>(limit)});
}

std::vector<JitaGrant> SqliteStore::grants_of_agency(const std::string& agency_id, const std::string& status,
                                                     std::size_t limit)
{
    auto lease = m_readers->acquire();
    // Pending requests first (they wait for someone), then newest first.
    return query_grants(lease.db(),
                        std::string(k_grant_cols) +
                            " WHERE agency_id = ? AND (? = '' OR status = ?)"
                            " ORDER BY status = 'pending' DESC, requested_at DESC, id DESC LIMIT ?",
                        {agency_id, status, status, static_cast<std::int64_t>(limit)});
}

std::vector<JitaGrant> SqliteStore::live_grants(const std::string& staff_id, model::UnixMillis now)
{
    auto lease = m_readers->acquire();
    return query_grants(lease.db(),
                        std::string(k_grant_cols) + " WHERE staff_id = ? AND status = 'active' AND expires_at > ?"
                                                    " ORDER BY requested_at",
                        {staff_id, now});
}

std::int64_t SqliteStore::granted_accounts_since(const std::string& staff_id, model::UnixMillis since)
{
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), "SELECT count(DISTINCT account_id) FROM jita_grants"
                                                  " WHERE staff_id = ? AND requested_at >= ?");
    if (!stmt)
        return 0;
    stmt->bind(1, staff_id).bind(2, since);
    auto row = stmt->step();
    return row && *row ? stmt->int64(0) : 0;
}

Result<JitaGrant> SqliteStore::update_grant(const JitaGrant& after, access::GrantStatus expected,
                                            const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    // The state is compared inside the write transaction: an approval racing a revoke has one winner.
    auto up = sqlite::Stmt::prepare(*m_writer, "UPDATE jita_grants SET status = ?, decided_at = ?, decided_by = ?,"
                                               " expires_at = ?, revoked_at = ?, revoked_by = ?"
                                               " WHERE id = ? AND status = ?");
    if (!up)
        return up.error();
    if (auto st = up->bind(1, access::to_string(after.status))
                      .bind(2, after.decided_at)
                      .bind(3, after.decided_by)
                      .bind(4, after.expires_at)
                      .bind(5, after.revoked_at)
                      .bind(6, after.revoked_by)
                      .bind(7, after.id)
                      .bind(8, access::to_string(expected))
                      .run();
        !st)
        return st.error();
    if (m_writer->changes() != 1)
        return api::make_error(api::ErrorCode::conflict, "the grant was changed meanwhile");
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return after;
}

// [SECTION] Aggregates

PlatformOverview SqliteStore::platform_overview(model::UnixMillis now)
{
    auto lease = m_readers->acquire();
    auto& db = lease.db();
    PlatformOverview o;
    o.agencies = scalar(db, "SELECT count(*) FROM agencies");
    o.accounts = scalar(db, "SELECT count(*) FROM accounts");
    o.users = scalar(db, "SELECT count(*) FROM users WHERE id NOT IN (SELECT user_id FROM platform_staff)");
    // The live per-sub-account counters (migration 10), not a scan of a million rows.
    o.contacts = scalar(db, "SELECT coalesce(sum(live), 0) FROM contact_counts");
    o.records = scalar(db, "SELECT count(*) FROM records WHERE deleted_at IS NULL");
    o.security_events_24h = scalar(db, "SELECT count(*) FROM security_events WHERE at >= ?", now - 24LL * 3600 * 1000);
    o.active_grants = scalar(db, "SELECT count(*) FROM jita_grants WHERE status = 'active' AND expires_at > ?", now);
    return o;
}

} // namespace stronghold::server

// SQLite store, security events and the automatic responses to them (AUD-5, TEN-2;
// app/security_events.hpp): the event rows, their counts by source, source blocks, and
// locate_id, which tells a missing id from another tenant's.
//
// [SECTION] Events
// [SECTION] Blocks
// [SECTION] Locating an id
#include "store/sqlite_store_impl.hpp"

#include <algorithm>

namespace stronghold::server {

namespace {

Status insert_event(sqlite::Db& db, const SecurityEvent& e)
{
    auto stmt = sqlite::Stmt::prepare(db, "INSERT INTO security_events(id, at, agency_id, account_id, kind, severity,"
                                          " source_key, ip, actor_type, actor_id, details)"
                                          " VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    if (!stmt)
        return stmt.error();
    const std::string details = e.details.is_object() ? e.details.dump() : std::string("{}");
    return stmt->bind(1, e.id)
        .bind(2, e.at)
        .bind(3, e.agency_id)
        .bind(4, e.account_id)
        .bind(5, e.kind)
        .bind(6, e.severity)
        .bind(7, e.source_key)
        .bind(8, e.ip)
        .bind(9, e.actor_type)
        .bind(10, e.actor_id)
        .bind(11, details)
        .run();
}

} // namespace

// [SECTION] Events

Status SqliteStore::record_security_event(const SecurityEvent& event, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = insert_event(*m_writer, event); !st)
        return st;
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st;
    return tx->commit();
}

Result<std::int64_t> SqliteStore::count_security_events(const std::string& source_key, const std::string& kind,
                                                        model::UnixMillis since)
{
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), "SELECT count(*) FROM security_events"
                                                  " WHERE source_key = ? AND kind = ? AND at >= ?");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, source_key).bind(2, kind).bind(3, since);
    auto row = stmt->step();
    if (!row)
        return row.error();
    return *row ? stmt->int64(0) : 0;
}

Result<std::vector<SecurityEvent>> SqliteStore::list_security_events(const std::optional<std::string>& agency_id,
                                                                     std::int64_t before_seq, std::size_t limit)
{
    auto lease = m_readers->acquire();
    std::string sql = "SELECT seq, id, at, agency_id, account_id, kind, severity, source_key, ip, actor_type, actor_id,"
                      " details FROM security_events WHERE seq < ?";
    if (agency_id)
        sql += " AND agency_id = ?";
    sql += " ORDER BY seq DESC LIMIT ?";
    auto stmt = sqlite::Stmt::prepare(lease.db(), sql);
    if (!stmt)
        return stmt.error();
    int i = 1;
    stmt->bind(i++, before_seq > 0 ? before_seq : std::numeric_limits<std::int64_t>::max());
    if (agency_id)
        stmt->bind(i++, *agency_id);
    stmt->bind(i, static_cast<std::int64_t>(limit));
    std::vector<SecurityEvent> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        SecurityEvent e;
        e.seq = stmt->int64(0);
        e.id = stmt->text(1);
        e.at = stmt->int64(2);
        e.agency_id = stmt->text(3);
        e.account_id = stmt->text(4);
        e.kind = stmt->text(5);
        e.severity = stmt->text(6);
        e.source_key = stmt->text(7);
        e.ip = stmt->text(8);
        e.actor_type = stmt->text(9);
        e.actor_id = stmt->text(10);
        e.details = nlohmann::json::parse(stmt->text(11), nullptr, false);
        if (!e.details.is_object())
            e.details = nlohmann::json::object();
        out.push_back(std::move(e));
    }
    return out;
}

// [SECTION] Blocks

Status SqliteStore::block_source(const SourceBlock& block, const SecurityEvent& event, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto put = sqlite::Stmt::prepare(*m_writer, "INSERT INTO source_blocks(source_key, until, reason, event_id, created_at)"
                                                " VALUES (?,?,?,?,?) ON CONFLICT(source_key) DO UPDATE SET"
                                                " until = max(until, excluded.until), reason = excluded.reason,"
                                                " event_id = excluded.event_id, created_at = excluded.created_at");
    if (!put)
        return put.error();
    if (auto st = put->bind(1, block.source_key)
                      .bind(2, block.until)
                      .bind(3, block.reason)
                      .bind(4, block.event_id)
                      .bind(5, event.at)
                      .run();
        !st)
        return st;
    if (auto st = insert_event(*m_writer, event); !st)
        return st;
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st;
    return tx->commit();
}

Result<std::vector<SourceBlock>> SqliteStore::active_blocks(model::UnixMillis now)
{
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), "SELECT source_key, until, reason, event_id FROM source_blocks"
                                                  " WHERE until > ?");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, now);
    std::vector<SourceBlock> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        out.push_back({stmt->text(0), stmt->int64(1), stmt->text(2), stmt->text(3)});
    }
    return out;
}

// [SECTION] Locating an id

Result<IdOwner> SqliteStore::locate_id(const std::string& id)
{
    // Every table whose ids a route takes, by primary key (or the sessions' unique public id):
    // a handful of index probes, run only after a 404 has been answered.
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(
        lease.db(),
        "SELECT agency_id, account_id, '' FROM contacts WHERE id = ?1"
        " UNION ALL SELECT agency_id, account_id, '' FROM records WHERE id = ?1"
        " UNION ALL SELECT agency_id, account_id, '' FROM import_jobs WHERE id = ?1"
        " UNION ALL SELECT a.agency_id, t.account_id, '' FROM teams t JOIN accounts a ON a.id = t.account_id"
        "   WHERE t.id = ?1"
        " UNION ALL SELECT agency_id, '', '' FROM roles WHERE id = ?1"
        " UNION ALL SELECT agency_id, account_id, '' FROM jita_grants WHERE id = ?1"
        " UNION ALL SELECT COALESCE(m.agency_id, a.agency_id), COALESCE(m.account_id, ''), m.user_id"
        "   FROM memberships m LEFT JOIN accounts a ON a.id = m.account_id WHERE m.user_id = ?1"
        " UNION ALL SELECT COALESCE(m.agency_id, a.agency_id, ''), COALESCE(m.account_id, ''), s.user_id"
        "   FROM sessions s LEFT JOIN memberships m ON m.user_id = s.user_id"
        "   LEFT JOIN accounts a ON a.id = m.account_id WHERE s.id = ?1");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, id);
    IdOwner out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        TenantScope t{stmt->text(0), stmt->text(1)};
        if (std::none_of(out.tenants.begin(), out.tenants.end(), [&](const TenantScope& x) {
                return x.agency_id == t.agency_id && x.account_id == t.account_id;
            }))
            out.tenants.push_back(std::move(t));
        if (out.user_id.empty())
            out.user_id = stmt->text(2);
    }
    return out;
}

} // namespace stronghold::server

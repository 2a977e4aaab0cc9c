// SQLite store, audit reads (AUD-1, AUD-2; app/audit_http.cpp): one agency's rows newest first
// through the audit_by_agency index (agency_id, seq), with the caller's filters.
#include "store/sqlite_store_impl.hpp"

namespace stronghold::server {

Status SqliteStore::scan_audit(const AuditQuery& q, const std::function<bool(const AuditEntry&)>& fn)
{
    std::string sql = "SELECT seq, at, agency_id, account_id, actor_type, actor_id, grant_id, action, target_type,"
                      " target_id, ip, user_agent, outcome, details, chain_n, prev_hash, hash, details_hash"
                      " FROM audit_log WHERE agency_id = ?1 AND seq < ?2";
    if (!q.account_id.empty())
        sql += " AND account_id = ?3";
    if (!q.actor_id.empty())
        sql += " AND actor_id = ?4";
    if (!q.action.empty())
        sql += q.action.back() == '.' ? " AND substr(action, 1, length(?5)) = ?5" : " AND action = ?5";
    if (!q.target_id.empty())
        sql += " AND target_id = ?6";
    if (q.since != 0)
        sql += " AND at >= ?7";
    if (q.until != 0)
        sql += " AND at < ?8";
    sql += " ORDER BY seq DESC";
    if (q.limit != 0)
        sql += " LIMIT ?9";
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), sql);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, q.agency_id).bind(2, q.before_seq > 0 ? q.before_seq : std::numeric_limits<std::int64_t>::max());
    if (!q.account_id.empty())
        stmt->bind(3, q.account_id);
    if (!q.actor_id.empty())
        stmt->bind(4, q.actor_id);
    if (!q.action.empty())
        stmt->bind(5, q.action);
    if (!q.target_id.empty())
        stmt->bind(6, q.target_id);
    if (q.since != 0)
        stmt->bind(7, q.since);
    if (q.until != 0)
        stmt->bind(8, q.until);
    if (q.limit != 0)
        stmt->bind(9, static_cast<std::int64_t>(q.limit));
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            return {};
        AuditEntry e;
        e.seq = stmt->int64(0);
        e.at = stmt->int64(1);
        e.agency_id = stmt->text(2);
        e.account_id = stmt->text(3);
        e.actor.type = stmt->text(4);
        e.actor.id = stmt->text(5);
        e.grant_id = stmt->text(6);
        e.action = stmt->text(7);
        e.target_type = stmt->text(8);
        e.target_id = stmt->text(9);
        e.actor.ip = stmt->text(10);
        e.actor.user_agent = stmt->text(11);
        e.outcome = stmt->text(12);
        e.details = nlohmann::json::parse(stmt->text(13), nullptr, false);
        if (e.details.is_discarded())
            e.details = nlohmann::json::object();
        e.chain_n = stmt->int64(14);
        e.prev_hash = stmt->text(15);
        e.hash = stmt->text(16);
        e.details_hash = stmt->text(17); // AUD-4: "" unless retention cleared the details (then null)
        if (!fn(e))
            return {};
    }
}

} // namespace stronghold::server

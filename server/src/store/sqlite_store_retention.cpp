// SQLite store, AUD-4 retention (stronghold/audit/retention.hpp, server/doc/audit.md): an
// agency's days per kind of audit row, and the job that clears old rows' details and deletes old
// security events.
//
// The job walks each agency's chain once per kind, from where it stopped last time
// (audit_retention_progress), in seq order, and stops at the first row younger than the kind's
// cutoff: rows are written in time order, so one run reads about what was written since the
// previous one. Each batch is its own short write transaction, so requests keep writing between
// batches. A pruned row keeps its links and gets details 'null' and details_hash, the hash its
// details had (the canonical form carries that hash, so the chain still verifies).
//
// [SECTION] Settings
// [SECTION] Clearing details
// [SECTION] Security events
// [SECTION] The run
#include "store/sqlite_store_impl.hpp"

#include "stronghold/audit/chain.hpp"

#include <map>
#include <set>

namespace stronghold::server {

namespace {

constexpr int k_retention_batch = 500;
constexpr model::UnixMillis k_day_ms = 24LL * 60 * 60 * 1000;

// [SECTION] Settings

AuditRetention read_retention(const sqlite::Stmt& s)
{
    AuditRetention r;
    auto days = nlohmann::json::parse(s.text(0), nullptr, false);
    if (days.is_object())
        for (const auto& k : audit::retention_kinds())
            if (auto it = days.find(std::string(k.name)); it != days.end() && it->is_number_integer())
                r.days[static_cast<std::size_t>(k.kind)] = it->get<int>();
    r.version = s.int64(1);
    r.updated_at = s.int64(2);
    return r;
}

constexpr const char* k_retention_row = "SELECT days, version, updated_at FROM audit_retention WHERE agency_id = ?";

Result<AuditRetention> retention_in(sqlite::Db& db, const std::string& agency_id)
{
    auto stmt = sqlite::Stmt::prepare(db, k_retention_row);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, agency_id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    return *row ? read_retention(*stmt) : AuditRetention{};
}

// [SECTION] Clearing details

Result<std::int64_t> progress_of(sqlite::Db& db, const std::string& agency_id, std::string_view kind)
{
    auto stmt = sqlite::Stmt::prepare(db, "SELECT through_seq FROM audit_retention_progress WHERE agency_id = ? AND kind = ?");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, agency_id).bind(2, std::string(kind));
    auto row = stmt->step();
    if (!row)
        return row.error();
    return *row ? stmt->int64(0) : 0;
}

struct Batch {
    std::int64_t cleared = 0;
    bool done = false; // reached a row younger than the cutoff, or the chain's end
};

// One write transaction: up to k_retention_batch rows after the kind's progress mark; those of
// the kind older than the cutoff lose their details; the mark moves past every row looked at.
Result<Batch> clear_batch(sqlite::Db& db, const std::string& agency_id, audit::RetentionKind kind,
                          model::UnixMillis cutoff)
{
    const std::string kind_name(audit::to_string(kind));
    auto through = progress_of(db, agency_id, kind_name);
    if (!through)
        return through.error();
    struct Row {
        std::int64_t seq;
        std::string details;
    };
    std::vector<Row> prune;
    Batch out;
    std::int64_t last = *through;
    int seen = 0;
    {
        auto stmt = sqlite::Stmt::prepare(db, "SELECT seq, at, action, outcome, grant_id, details, details_hash, hash"
                                              " FROM audit_log WHERE agency_id = ? AND seq > ? ORDER BY seq LIMIT ?");
        if (!stmt)
            return stmt.error();
        stmt->bind(1, agency_id).bind(2, *through).bind(3, k_retention_batch);
        for (auto row = stmt->step();; row = stmt->step()) {
            if (!row)
                return row.error();
            if (!*row)
                break;
            ++seen;
            // Younger than the cutoff, or not chained yet (the backfill runs at open): later.
            if (stmt->int64(1) >= cutoff || stmt->text(7).empty()) {
                out.done = true;
                break;
            }
            last = stmt->int64(0);
            if (stmt->text(6).empty() &&
                audit::retention_kind_of(stmt->text(2), stmt->text(3), stmt->text(4)) == kind)
                prune.push_back({last, stmt->text(5)});
        }
    }
    if (seen < k_retention_batch)
        out.done = true;
    auto update = sqlite::Stmt::prepare(db, "UPDATE audit_log SET details = 'null', details_hash = ? WHERE seq = ?");
    if (!update)
        return update.error();
    for (const Row& r : prune) {
        update->reset();
        if (auto st = update->bind(1, audit::details_hash(r.details)).bind(2, r.seq).run(); !st)
            return st.error();
        ++out.cleared;
    }
    if (last != *through) {
        auto mark = sqlite::Stmt::prepare(db, "INSERT INTO audit_retention_progress(agency_id, kind, through_seq)"
                                              " VALUES (?,?,?) ON CONFLICT(agency_id, kind)"
                                              " DO UPDATE SET through_seq = excluded.through_seq");
        if (!mark)
            return mark.error();
        if (auto st = mark->bind(1, agency_id).bind(2, kind_name).bind(3, last).run(); !st)
            return st.error();
    }
    return out;
}

// Whether the kind has a row due after its progress mark (read on a reader connection, so an
// hourly run with nothing to do takes no write lock).
Result<bool> clearing_due(sqlite::Db& db, const std::string& agency_id, audit::RetentionKind kind,
                          model::UnixMillis cutoff)
{
    auto through = progress_of(db, agency_id, audit::to_string(kind));
    if (!through)
        return through.error();
    auto stmt = sqlite::Stmt::prepare(db, "SELECT at FROM audit_log WHERE agency_id = ? AND seq > ? ORDER BY seq LIMIT 1");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, agency_id).bind(2, *through);
    auto row = stmt->step();
    if (!row)
        return row.error();
    return *row && stmt->int64(0) < cutoff;
}

// [SECTION] Security events

// One write transaction: deletes up to k_retention_batch of the agency's oldest events older
// than the cutoff.
Result<Batch> delete_events_batch(sqlite::Db& db, const std::string& agency_id, model::UnixMillis cutoff)
{
    std::vector<std::int64_t> old;
    Batch out;
    {
        auto stmt = sqlite::Stmt::prepare(db, "SELECT seq, at FROM security_events WHERE agency_id = ? ORDER BY seq LIMIT ?");
        if (!stmt)
            return stmt.error();
        stmt->bind(1, agency_id).bind(2, k_retention_batch);
        for (auto row = stmt->step();; row = stmt->step()) {
            if (!row)
                return row.error();
            if (!*row) {
                out.done = true;
                break;
            }
            if (stmt->int64(1) >= cutoff) {
                out.done = true;
                break;
            }
            old.push_back(stmt->int64(0));
        }
    }
    auto del = sqlite::Stmt::prepare(db, "DELETE FROM security_events WHERE seq = ?");
    if (!del)
        return del.error();
    for (std::int64_t seq : old) {
        del->reset();
        if (auto st = del->bind(1, seq).run(); !st)
            return st.error();
        ++out.cleared;
    }
    if (old.empty())
        out.done = true;
    return out;
}

Result<bool> events_due(sqlite::Db& db, const std::string& agency_id, model::UnixMillis cutoff)
{
    auto stmt = sqlite::Stmt::prepare(db, "SELECT at FROM security_events WHERE agency_id = ? ORDER BY seq LIMIT 1");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, agency_id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    return *row && stmt->int64(0) < cutoff;
}

// Every agency id of security_events, one index seek each (as chain_agencies for the log).
Result<std::vector<std::string>> event_agencies(sqlite::Db& db)
{
    std::vector<std::string> out;
    auto stmt = sqlite::Stmt::prepare(
        db, "WITH RECURSIVE a(id) AS (SELECT min(agency_id) FROM security_events"
            " UNION ALL SELECT (SELECT min(agency_id) FROM security_events WHERE agency_id > a.id) FROM a"
            " WHERE a.id IS NOT NULL) SELECT id FROM a WHERE id IS NOT NULL");
    if (!stmt)
        return stmt.error();
    for (auto row = stmt->step();; row = stmt->step()) {
        if (!row)
            return row.error();
        if (!*row)
            return out;
        out.push_back(stmt->text(0));
    }
}

} // namespace

// [SECTION] Settings

AuditRetention SqliteStore::audit_retention(const std::string& agency_id)
{
    return read_one(k_retention_row, agency_id, [](sqlite::Stmt& s) { return read_retention(s); })
        .value_or(AuditRetention{});
}

Result<AuditRetention> SqliteStore::update_audit_retention(const std::string& agency_id,
                                                           const audit::RetentionDays& days,
                                                           std::int64_t expected_version, model::UnixMillis now,
                                                           const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    // Compared inside the write transaction: of two admins saving at once, the second loses.
    auto current = retention_in(*m_writer, agency_id);
    if (!current)
        return current.error();
    if (current->version != expected_version)
        return api::make_error(api::ErrorCode::precondition_failed, "the retention settings were changed meanwhile");
    AuditRetention saved{days, current->version + 1, now};
    auto up = sqlite::Stmt::prepare(*m_writer, "INSERT INTO audit_retention(agency_id, days, version, updated_at)"
                                               " VALUES (?,?,?,?) ON CONFLICT(agency_id) DO UPDATE SET"
                                               " days = excluded.days, version = excluded.version,"
                                               " updated_at = excluded.updated_at");
    if (!up)
        return up.error();
    if (auto st = up->bind(1, agency_id)
                      .bind(2, audit::retention_days_json(days).dump())
                      .bind(3, saved.version)
                      .bind(4, now)
                      .run();
        !st)
        return st.error();
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return saved;
}

// [SECTION] The run

Result<RetentionRun> SqliteStore::apply_audit_retention(model::UnixMillis now)
{
    std::set<std::string> agencies;
    {
        auto lease = m_readers->acquire();
        auto chains = chain_agencies(lease.db());
        if (!chains)
            return chains.error();
        auto with_events = event_agencies(lease.db());
        if (!with_events)
            return with_events.error();
        agencies.insert(chains->begin(), chains->end());
        agencies.insert(with_events->begin(), with_events->end());
    }
    RetentionRun run;
    for (const std::string& agency_id : agencies) {
        const auto days = audit_retention(agency_id).days;
        std::map<std::string, std::int64_t> cleared; // kind -> rows
        std::int64_t events = 0;
        for (const auto& k : audit::retention_kinds()) {
            const model::UnixMillis cutoff = now - days[static_cast<std::size_t>(k.kind)] * k_day_ms;
            auto due = [&] {
                auto lease = m_readers->acquire();
                return clearing_due(lease.db(), agency_id, k.kind, cutoff);
            }();
            if (!due)
                return due.error();
            for (bool done = !*due; !done;) {
                std::lock_guard lock(m_write_mutex); // per batch: other writers go between batches
                auto tx = sqlite::Tx::begin(*m_writer);
                if (!tx)
                    return tx.error();
                auto batch = clear_batch(*m_writer, agency_id, k.kind, cutoff);
                if (!batch)
                    return batch.error();
                if (auto st = tx->commit(); !st)
                    return st.error();
                if (batch->cleared > 0)
                    cleared[std::string(k.name)] += batch->cleared;
                done = batch->done;
            }
        }
        const model::UnixMillis event_cutoff = now - days[static_cast<std::size_t>(audit::RetentionKind::security)] * k_day_ms;
        auto events_left = [&] {
            auto lease = m_readers->acquire();
            return events_due(lease.db(), agency_id, event_cutoff);
        }();
        if (!events_left)
            return events_left.error();
        for (bool done = !*events_left; !done;) {
            std::lock_guard lock(m_write_mutex);
            auto tx = sqlite::Tx::begin(*m_writer);
            if (!tx)
                return tx.error();
            auto batch = delete_events_batch(*m_writer, agency_id, event_cutoff);
            if (!batch)
                return batch.error();
            if (auto st = tx->commit(); !st)
                return st.error();
            events += batch->cleared;
            done = batch->done;
        }
        std::int64_t rows = 0;
        for (const auto& [kind, n] : cleared)
            rows += n;
        run.details_cleared += rows;
        run.events_deleted += events;
        if (rows == 0 && events == 0)
            continue;
        AuditEntry e;
        e.at = now;
        e.agency_id = agency_id;
        e.actor.type = "system";
        e.action = "audit.retention_applied";
        e.target_type = "agency";
        e.target_id = agency_id;
        e.details = {{"details_cleared", cleared}, {"security_events_deleted", events},
                     {"days", audit::retention_days_json(days)}};
        if (auto st = append_audit(e); !st)
            return st.error();
    }
    return run;
}

} // namespace stronghold::server

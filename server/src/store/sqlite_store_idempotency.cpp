// SQLite store, the answers remembered for Idempotency-Key retries (RES-4, app/idempotency.cpp).
// One row per (actor, route, key); rows older than the retention are invisible to lookups and
// pruned in bounded batches whenever a new answer is written.
#include "store/sqlite_store_impl.hpp"

namespace stronghold::server {

namespace {

// Rows deleted per write at most: a write never pays for a large backlog at once, and a steady
// stream of writes still drains it faster than it grows (each write adds one row).
constexpr std::int64_t k_prune_batch = 64;

} // namespace

Result<std::optional<IdempotentAnswer>> SqliteStore::find_idempotent_answer(const std::string& actor_id,
                                                                            const std::string& route,
                                                                            const std::string& key,
                                                                            model::UnixMillis since)
{
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), "SELECT request_hash, status, headers, body, created_at"
                                                  " FROM idempotency_keys"
                                                  " WHERE actor_id = ? AND route = ? AND key = ? AND created_at >= ?");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, actor_id).bind(2, route).bind(3, key).bind(4, since);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<IdempotentAnswer>{};
    IdempotentAnswer out;
    out.request_hash = stmt->text(0);
    out.status = static_cast<int>(stmt->int64(1));
    out.headers = nlohmann::json::parse(stmt->text(2), nullptr, false);
    if (!out.headers.is_object())
        out.headers = nlohmann::json::object(); // CHECK(json_valid) makes this unreachable
    out.body = stmt->text(3);
    out.created_at = stmt->int64(4);
    return std::optional<IdempotentAnswer>{std::move(out)};
}

Status SqliteStore::put_idempotent_answer(const std::string& actor_id, const std::string& route,
                                          const std::string& key, const IdempotentAnswer& answer,
                                          model::UnixMillis prune_before)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    // An expired row under the same key is replaced; a live one is the first answer and stays.
    auto put = sqlite::Stmt::prepare(*m_writer,
                                     "INSERT INTO idempotency_keys(actor_id, route, key, request_hash, status, headers,"
                                     " body, created_at) VALUES (?,?,?,?,?,?,?,?)"
                                     " ON CONFLICT(actor_id, route, key) DO UPDATE SET"
                                     " request_hash = excluded.request_hash, status = excluded.status,"
                                     " headers = excluded.headers, body = excluded.body,"
                                     " created_at = excluded.created_at"
                                     " WHERE idempotency_keys.created_at < ?");
    if (!put)
        return put.error();
    if (auto st = put->bind(1, actor_id).bind(2, route).bind(3, key).bind(4, answer.request_hash)
                      .bind(5, static_cast<std::int64_t>(answer.status))
                      .bind(6, answer.headers.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
                      .bind(7, answer.body).bind(8, answer.created_at).bind(9, prune_before).run();
        !st)
        return st;
    auto prune = sqlite::Stmt::prepare(*m_writer, "DELETE FROM idempotency_keys WHERE rowid IN"
                                                  " (SELECT rowid FROM idempotency_keys WHERE created_at < ? LIMIT ?)");
    if (!prune)
        return prune.error();
    if (auto st = prune->bind(1, prune_before).bind(2, k_prune_batch).run(); !st)
        return st;
    return tx->commit();
}

} // namespace stronghold::server

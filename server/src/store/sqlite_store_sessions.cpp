// SQLite store, part 3: session management, password change, login throttling counters, login
// devices and the mail outbox (IAM-5, IAM-7).
//
// [SECTION] Sessions and password change
// [SECTION] Login throttling
// [SECTION] Login devices and outbox
#include "store/sqlite_store_impl.hpp"

#include "stronghold/crypto/crypto.hpp"

namespace stronghold::server {

namespace {

constexpr const char* k_session_cols =
    "SELECT id, token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent FROM sessions";

Session read_session(const sqlite::Stmt& s)
{
    Session out;
    out.id = s.text(0);
    out.token_hash = s.text(1);
    out.user_id = s.text(2);
    out.created_at = s.int64(3);
    out.last_seen_at = s.int64(4);
    out.expires_at = s.int64(5);
    out.ip = s.text(6);
    out.user_agent = s.text(7);
    return out;
}

} // namespace

// [SECTION] Sessions and password change

std::vector<Session> SqliteStore::sessions_of_user(const std::string& user_id)
{
    std::vector<Session> out;
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), std::string(k_session_cols) +
                                                      " WHERE user_id = ? ORDER BY created_at DESC, id");
    if (!stmt)
        return out;
    stmt->bind(1, user_id);
    for (auto row = stmt->step(); row && *row; row = stmt->step())
        out.push_back(read_session(*stmt));
    return out;
}

Result<Session> SqliteStore::revoke_session(const std::string& user_id, const std::string& session_id,
                                            const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    // Read and delete under the same write transaction: the user_id condition is what keeps
    // one user from revoking another's session by guessing its id.
    auto find = sqlite::Stmt::prepare(*m_writer, std::string(k_session_cols) + " WHERE id = ? AND user_id = ?");
    if (!find)
        return find.error();
    find->bind(1, session_id).bind(2, user_id);
    auto row = find->step();
    if (!row)
        return row.error();
    if (!*row)
        return api::make_error(api::ErrorCode::not_found, "not found");
    Session session = read_session(*find);
    auto del = sqlite::Stmt::prepare(*m_writer, "DELETE FROM sessions WHERE token_hash = ?");
    if (!del)
        return del.error();
    if (auto st = del->bind(1, session.token_hash).run(); !st)
        return st.error();
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return session;
}

Result<std::vector<std::string>> SqliteStore::change_password(const std::string& user_id,
                                                              const std::string& password_hash,
                                                              const std::string& keep_token_hash,
                                                              const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    // The audit time is the change time (the app's clock); the replaced hash goes to
    // password_history by the users_password_history trigger (IAM-2 no reuse of the last N).
    auto upd = sqlite::Stmt::prepare(*m_writer,
                                     "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?");
    if (!upd)
        return upd.error();
    if (auto st = upd->bind(1, password_hash).bind(2, audit.at).bind(3, user_id).run(); !st)
        return st.error();
    if (m_writer->changes() != 1)
        return api::make_error(api::ErrorCode::not_found, "no such user");
    std::vector<std::string> revoked;
    auto others = sqlite::Stmt::prepare(*m_writer, "SELECT token_hash FROM sessions WHERE user_id = ? AND token_hash <> ?");
    if (!others)
        return others.error();
    others->bind(1, user_id).bind(2, keep_token_hash);
    for (auto row = others->step(); row && *row; row = others->step())
        revoked.push_back(others->text(0));
    auto del = sqlite::Stmt::prepare(*m_writer, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?");
    if (!del)
        return del.error();
    if (auto st = del->bind(1, user_id).bind(2, keep_token_hash).run(); !st)
        return st.error();
    auto with_count = audit;
    with_count.details["sessions_revoked"] = static_cast<std::int64_t>(revoked.size());
    if (auto st = insert_audit(*m_writer, with_count); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return revoked;
}

// [SECTION] Login throttling

LoginFailureCounter SqliteStore::login_failures(const std::string& key)
{
    LoginFailureCounter out;
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), "SELECT failures, first_at, last_at, blocked_until"
                                                   " FROM login_failures WHERE key = ?");
    if (!stmt)
        return out;
    stmt->bind(1, key);
    auto row = stmt->step();
    if (!row || !*row)
        return out;
    return {stmt->int64(0), stmt->int64(1), stmt->int64(2), stmt->int64(3)};
}

Result<LoginFailureCounter> SqliteStore::add_login_failure(const std::string& key, model::UnixMillis now,
                                                           model::UnixMillis window_ms, std::int64_t block_at,
                                                           model::UnixMillis block_ms)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    // Read-modify-write inside BEGIN IMMEDIATE: parallel failures (threads or processes) each
    // count, none is lost.
    LoginFailureCounter c;
    auto get = sqlite::Stmt::prepare(*m_writer, "SELECT failures, first_at, last_at, blocked_until"
                                                " FROM login_failures WHERE key = ?");
    if (!get)
        return get.error();
    get->bind(1, key);
    auto row = get->step();
    if (!row)
        return row.error();
    if (*row)
        c = {get->int64(0), get->int64(1), get->int64(2), get->int64(3)};
    const bool blocked = c.blocked_until > now;
    if (c.failures == 0 || (!blocked && now - c.first_at >= window_ms))
        c = {0, now, now, 0}; // a new window
    c.failures += 1;
    c.last_at = now;
    if (c.failures >= block_at && !blocked)
        c.blocked_until = now + block_ms;
    auto put = sqlite::Stmt::prepare(*m_writer, "INSERT INTO login_failures(key, failures, first_at, last_at,"
                                                " blocked_until) VALUES (?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET"
                                                " failures = excluded.failures, first_at = excluded.first_at,"
                                                " last_at = excluded.last_at, blocked_until = excluded.blocked_until");
    if (!put)
        return put.error();
    if (auto st = put->bind(1, key).bind(2, c.failures).bind(3, c.first_at).bind(4, c.last_at)
                      .bind(5, c.blocked_until).run();
        !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return c;
}

Status SqliteStore::clear_login_failures(const std::string& key)
{
    std::lock_guard lock(m_write_mutex);
    auto stmt = sqlite::Stmt::prepare(*m_writer, "DELETE FROM login_failures WHERE key = ?");
    if (!stmt)
        return stmt.error();
    return stmt->bind(1, key).run();
}

Status SqliteStore::prune_login_failures(model::UnixMillis before, model::UnixMillis now)
{
    std::lock_guard lock(m_write_mutex);
    auto stmt = sqlite::Stmt::prepare(*m_writer, "DELETE FROM login_failures WHERE last_at < ? AND blocked_until <= ?");
    if (!stmt)
        return stmt.error();
    return stmt->bind(1, before).bind(2, now).run();
}

// [SECTION] Login devices and outbox

Result<bool> SqliteStore::note_login_device(const std::string& user_id, const std::string& family,
                                            model::UnixMillis now)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto count = sqlite::Stmt::prepare(*m_writer, "SELECT count(*), coalesce(sum(family = ?), 0)"
                                                  " FROM login_devices WHERE user_id = ?");
    if (!count)
        return count.error();
    count->bind(1, family).bind(2, user_id);
    auto row = count->step();
    if (!row)
        return row.error();
    const bool had_any = count->int64(0) > 0;
    const bool known = count->int64(1) > 0;
    auto put = sqlite::Stmt::prepare(*m_writer, "INSERT INTO login_devices(user_id, family, first_at, last_at)"
                                                " VALUES (?,?,?,?) ON CONFLICT(user_id, family) DO UPDATE SET"
                                                " last_at = max(last_at, excluded.last_at)");
    if (!put)
        return put.error();
    if (auto st = put->bind(1, user_id).bind(2, family).bind(3, now).bind(4, now).run(); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return had_any && !known;
}

Status SqliteStore::enqueue_mail(const OutboxMail& mail)
{
    std::lock_guard lock(m_write_mutex);
    auto stmt = sqlite::Stmt::prepare(*m_writer, "INSERT INTO outbox(id, to_addr, template, data, created_at)"
                                                 " VALUES (?,?,?,?,?)");
    if (!stmt)
        return stmt.error();
    const auto id = mail.id.empty() ? crypto::random_id("ml") : mail.id;
    return stmt->bind(1, id).bind(2, mail.to_addr).bind(3, mail.template_name)
        .bind(4, mail.data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        .bind(5, mail.created_at).run();
}

} // namespace stronghold::server

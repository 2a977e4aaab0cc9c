// SqliteStore: two-factor state (IAM-3) and re-authentication (IAM-6). Every check that must
// hold under concurrency (a time step used once, a recovery code used once, a login challenge
// used once) is a single conditional UPDATE/DELETE whose changes() decides, never a read
// followed by a write.
#include "store/sqlite_store_impl.hpp"

namespace stronghold::server {

namespace {

// Runs one constant statement with binds already applied by `bind`; returns changes().
template <class Bind>
Result<std::int64_t> run_counted(sqlite::Db& db, std::string_view sql, Bind&& bind)
{
    auto stmt = sqlite::Stmt::prepare(db, sql);
    if (!stmt)
        return stmt.error();
    bind(*stmt);
    if (auto st = stmt->run(); !st)
        return st.error();
    return db.changes();
}

} // namespace

std::optional<TotpState> SqliteStore::find_totp(const std::string& user_id)
{
    return read_one("SELECT sealed_secret, enabled, last_step FROM user_totp"
                    " WHERE user_id = ?", user_id,
                    [&](sqlite::Stmt& st) { return TotpState{user_id, st.text(0), st.int64(1) == 1, st.int64(2)}; });
}

Status SqliteStore::start_totp_enrolment(const std::string& user_id, const std::string& sealed_secret,
                                         model::UnixMillis now, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    // The upsert leaves an enabled row untouched (WHERE on the conflict branch): changes() == 0
    // then means "already on", which the caller must turn off first (with re-authentication).
    auto changed = run_counted(*m_writer,
                               "INSERT INTO user_totp(user_id, sealed_secret, enabled, last_step, created_at)"
                               " VALUES (?, ?, 0, -1, ?) ON CONFLICT(user_id) DO UPDATE SET"
                               " sealed_secret = excluded.sealed_secret, last_step = -1,"
                               " created_at = excluded.created_at WHERE enabled = 0",
                               [&](sqlite::Stmt& s) { s.bind(1, user_id).bind(2, sealed_secret).bind(3, now); });
    if (!changed)
        return changed.error();
    if (*changed != 1)
        return api::make_error(api::ErrorCode::conflict, "two-factor authentication is already on");
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st;
    return tx->commit();
}

Status SqliteStore::enable_totp(const std::string& user_id, std::int64_t step,
                                const std::vector<std::string>& recovery_code_hashes, model::UnixMillis now,
                                const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto changed = run_counted(*m_writer,
                               "UPDATE user_totp SET enabled = 1, enabled_at = ?, last_step = ?"
                               " WHERE user_id = ? AND enabled = 0 AND last_step < ?",
                               [&](sqlite::Stmt& s) { s.bind(1, now).bind(2, step).bind(3, user_id).bind(4, step); });
    if (!changed)
        return changed.error();
    if (*changed != 1)
        return api::make_error(api::ErrorCode::conflict, "no pending two-factor enrolment");
    auto cleared = run_counted(*m_writer, "DELETE FROM recovery_codes WHERE user_id = ?",
                               [&](sqlite::Stmt& s) { s.bind(1, user_id); });
    if (!cleared)
        return cleared.error();
    auto ins = sqlite::Stmt::prepare(*m_writer, "INSERT INTO recovery_codes(user_id, code_hash, created_at)"
                                                " VALUES (?, ?, ?)");
    if (!ins)
        return ins.error();
    for (const auto& hash : recovery_code_hashes) {
        if (auto st = ins->bind(1, user_id).bind(2, hash).bind(3, now).run(); !st)
            return st;
        ins->reset();
    }
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st;
    return tx->commit();
}

Status SqliteStore::disable_totp(const std::string& user_id, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto removed = run_counted(*m_writer, "DELETE FROM user_totp WHERE user_id = ? AND enabled = 1",
                               [&](sqlite::Stmt& s) { s.bind(1, user_id); });
    if (!removed)
        return removed.error();
    if (*removed != 1)
        return api::make_error(api::ErrorCode::not_found, "two-factor authentication is not on");
    for (const char* sql : {"DELETE FROM recovery_codes WHERE user_id = ?", "DELETE FROM mfa_challenges WHERE user_id = ?"}) {
        auto done = run_counted(*m_writer, sql, [&](sqlite::Stmt& s) { s.bind(1, user_id); });
        if (!done)
            return done.error();
    }
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st;
    return tx->commit();
}

Status SqliteStore::consume_totp_step(const std::string& user_id, std::int64_t step)
{
    std::lock_guard lock(m_write_mutex);
    auto changed = run_counted(*m_writer,
                               "UPDATE user_totp SET last_step = ? WHERE user_id = ? AND enabled = 1 AND last_step < ?",
                               [&](sqlite::Stmt& s) { s.bind(1, step).bind(2, user_id).bind(3, step); });
    if (!changed)
        return changed.error();
    if (*changed != 1)
        return api::make_error(api::ErrorCode::conflict, "code already used");
    return {};
}

Status SqliteStore::consume_recovery_code(const std::string& user_id, const std::string& code_hash,
                                          model::UnixMillis now)
{
    std::lock_guard lock(m_write_mutex);
    auto changed = run_counted(*m_writer,
                               "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ?"
                               " AND used_at IS NULL",
                               [&](sqlite::Stmt& s) { s.bind(1, now).bind(2, user_id).bind(3, code_hash); });
    if (!changed)
        return changed.error();
    if (*changed != 1)
        return api::make_error(api::ErrorCode::not_found, "no such unused recovery code");
    return {};
}

Status SqliteStore::create_mfa_challenge(const MfaChallenge& c)
{
    std::lock_guard lock(m_write_mutex);
    // Expired challenges are removed here, so the table stays as small as the live ones.
    auto pruned = run_counted(*m_writer, "DELETE FROM mfa_challenges WHERE expires_at <= ?",
                              [&](sqlite::Stmt& s) { s.bind(1, c.created_at); });
    if (!pruned)
        return pruned.error();
    auto stmt = sqlite::Stmt::prepare(*m_writer, "INSERT INTO mfa_challenges(token_hash, user_id, created_at,"
                                                 " expires_at, failures) VALUES (?, ?, ?, ?, 0)");
    if (!stmt)
        return stmt.error();
    return stmt->bind(1, c.token_hash).bind(2, c.user_id).bind(3, c.created_at).bind(4, c.expires_at).run();
}

std::optional<MfaChallenge> SqliteStore::find_mfa_challenge(const std::string& token_hash)
{
    return read_one("SELECT user_id, created_at, expires_at, failures"
                    " FROM mfa_challenges WHERE token_hash = ?", token_hash,
                    [&](sqlite::Stmt& st) { return MfaChallenge{token_hash, st.text(0), st.int64(1), st.int64(2), st.int64(3)}; });
}

Status SqliteStore::add_mfa_failure(const std::string& token_hash, std::int64_t max_failures)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto counted = run_counted(*m_writer, "UPDATE mfa_challenges SET failures = failures + 1 WHERE token_hash = ?",
                               [&](sqlite::Stmt& s) { s.bind(1, token_hash); });
    if (!counted)
        return counted.error();
    auto dead = run_counted(*m_writer, "DELETE FROM mfa_challenges WHERE token_hash = ? AND failures >= ?",
                            [&](sqlite::Stmt& s) { s.bind(1, token_hash).bind(2, max_failures); });
    if (!dead)
        return dead.error();
    return tx->commit();
}

Status SqliteStore::consume_mfa_challenge(const std::string& token_hash)
{
    std::lock_guard lock(m_write_mutex);
    auto removed = run_counted(*m_writer, "DELETE FROM mfa_challenges WHERE token_hash = ?",
                               [&](sqlite::Stmt& s) { s.bind(1, token_hash); });
    if (!removed)
        return removed.error();
    if (*removed != 1)
        return api::make_error(api::ErrorCode::not_found, "challenge already used");
    return {};
}

Status SqliteStore::mark_session_reauth(const std::string& token_hash, model::UnixMillis now,
                                        const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto changed = run_counted(*m_writer, "UPDATE sessions SET reauth_at = max(reauth_at, ?) WHERE token_hash = ?",
                               [&](sqlite::Stmt& s) { s.bind(1, now).bind(2, token_hash); });
    if (!changed)
        return changed.error();
    if (*changed != 1)
        return api::make_error(api::ErrorCode::unauthenticated, "sign in required");
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st;
    return tx->commit();
}

} // namespace stronghold::server

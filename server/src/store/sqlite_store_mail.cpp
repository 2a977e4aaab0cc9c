// SQLite store, mail delivery state and password reset links (IAM-1, IAM-7).
//
// [SECTION] Outbox delivery
// [SECTION] Password resets
#include "store/sqlite_store_impl.hpp"

#include "stronghold/crypto/crypto.hpp"

namespace stronghold::server {

Status insert_mail(sqlite::Db& db, const OutboxMail& mail)
{
    auto stmt = sqlite::Stmt::prepare(db, "INSERT INTO outbox(id, to_addr, template, data, created_at)"
                                          " VALUES (?,?,?,?,?)");
    if (!stmt)
        return stmt.error();
    const auto id = mail.id.empty() ? crypto::random_id("ml") : mail.id;
    return stmt->bind(1, id).bind(2, mail.to_addr).bind(3, mail.template_name)
        .bind(4, mail.data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        .bind(5, mail.created_at).run();
}

// [SECTION] Outbox delivery

std::vector<PendingMail> SqliteStore::pending_mail(model::UnixMillis now, std::size_t limit)
{
    std::vector<PendingMail> out;
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), "SELECT id, to_addr, template, data, created_at, attempts FROM outbox"
                                                  " WHERE sent_at IS NULL AND failed_at IS NULL AND next_try_at <= ?"
                                                  " ORDER BY next_try_at, created_at, id LIMIT ?");
    if (!stmt)
        return out;
    stmt->bind(1, now).bind(2, static_cast<std::int64_t>(limit));
    for (auto row = stmt->step(); row && *row; row = stmt->step()) {
        PendingMail p;
        p.mail.id = stmt->text(0);
        p.mail.to_addr = stmt->text(1);
        p.mail.template_name = stmt->text(2);
        p.mail.data = nlohmann::json::parse(stmt->text(3), nullptr, false);
        if (!p.mail.data.is_object())
            p.mail.data = nlohmann::json::object(); // CHECK(json_valid) makes this unreachable
        p.mail.created_at = stmt->int64(4);
        p.attempts = stmt->int64(5);
        out.push_back(std::move(p));
    }
    return out;
}

Status SqliteStore::mark_mail_sent(const std::string& id, model::UnixMillis now)
{
    std::lock_guard lock(m_write_mutex);
    auto stmt = sqlite::Stmt::prepare(*m_writer, "UPDATE outbox SET sent_at = ?, data = '{}' WHERE id = ?");
    if (!stmt)
        return stmt.error();
    if (auto st = stmt->bind(1, now).bind(2, id).run(); !st)
        return st;
    if (m_writer->changes() != 1)
        return api::make_error(api::ErrorCode::not_found, "no such mail");
    return {};
}

Status SqliteStore::mark_mail_failed(const std::string& id, std::int64_t attempts,
                                     std::optional<model::UnixMillis> next_try_at, model::UnixMillis now)
{
    std::lock_guard lock(m_write_mutex);
    auto stmt = next_try_at
                    ? sqlite::Stmt::prepare(*m_writer, "UPDATE outbox SET attempts = ?, next_try_at = ? WHERE id = ?")
                    : sqlite::Stmt::prepare(*m_writer, "UPDATE outbox SET attempts = ?, failed_at = ?, data = '{}'"
                                                       " WHERE id = ?");
    if (!stmt)
        return stmt.error();
    if (auto st = stmt->bind(1, attempts).bind(2, next_try_at ? *next_try_at : now).bind(3, id).run(); !st)
        return st;
    if (m_writer->changes() != 1)
        return api::make_error(api::ErrorCode::not_found, "no such mail");
    return {};
}

// [SECTION] Password resets

Status SqliteStore::create_password_reset(const PasswordReset& reset, const OutboxMail& mail,
                                          const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto put = sqlite::Stmt::prepare(*m_writer, "INSERT INTO password_resets(token_hash, user_id, created_at, expires_at)"
                                                " VALUES (?,?,?,?)");
    if (!put)
        return put.error();
    if (auto st = put->bind(1, reset.token_hash).bind(2, reset.user_id).bind(3, reset.created_at)
                      .bind(4, reset.expires_at).run();
        !st)
        return st;
    if (auto st = insert_mail(*m_writer, mail); !st)
        return st;
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st;
    return tx->commit();
}

std::optional<PasswordReset> SqliteStore::find_password_reset(const std::string& token_hash)
{
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), "SELECT token_hash, user_id, created_at, expires_at,"
                                                  " coalesce(used_at, 0) FROM password_resets WHERE token_hash = ?");
    if (!stmt)
        return std::nullopt;
    stmt->bind(1, token_hash);
    auto row = stmt->step();
    if (!row || !*row)
        return std::nullopt;
    PasswordReset out;
    out.token_hash = stmt->text(0);
    out.user_id = stmt->text(1);
    out.created_at = stmt->int64(2);
    out.expires_at = stmt->int64(3);
    out.used_at = stmt->int64(4);
    return out;
}

Result<std::vector<std::string>> SqliteStore::reset_password(const std::string& token_hash,
                                                             const std::string& password_hash,
                                                             const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    // One conditional UPDATE claims the link: of two parallel confirmations exactly one changes
    // a row, the other sees it used.
    auto claim = sqlite::Stmt::prepare(*m_writer, "UPDATE password_resets SET used_at = ?"
                                                  " WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?");
    if (!claim)
        return claim.error();
    if (auto st = claim->bind(1, audit.at).bind(2, token_hash).bind(3, audit.at).run(); !st)
        return st.error();
    if (m_writer->changes() != 1)
        return api::make_error(api::ErrorCode::validation_failed, "This reset link is invalid or has expired.",
                               "token");
    auto who = sqlite::Stmt::prepare(*m_writer, "SELECT user_id FROM password_resets WHERE token_hash = ?");
    if (!who)
        return who.error();
    who->bind(1, token_hash);
    if (auto row = who->step(); !row || !*row)
        return api::make_error(api::ErrorCode::internal, "reset row vanished");
    const auto user_id = who->text(0);
    // The replaced hash goes to password_history by the users_password_history trigger.
    auto upd = sqlite::Stmt::prepare(*m_writer, "UPDATE users SET password_hash = ?, password_changed_at = ?"
                                                " WHERE id = ? AND active = 1");
    if (!upd)
        return upd.error();
    if (auto st = upd->bind(1, password_hash).bind(2, audit.at).bind(3, user_id).run(); !st)
        return st.error();
    if (m_writer->changes() != 1) // deactivated since the link was sent: the link is dead
        return api::make_error(api::ErrorCode::validation_failed, "This reset link is invalid or has expired.",
                               "token");
    std::vector<std::string> revoked;
    auto all = sqlite::Stmt::prepare(*m_writer, "SELECT token_hash FROM sessions WHERE user_id = ?");
    if (!all)
        return all.error();
    all->bind(1, user_id);
    for (auto row = all->step(); row && *row; row = all->step())
        revoked.push_back(all->text(0));
    auto del = sqlite::Stmt::prepare(*m_writer, "DELETE FROM sessions WHERE user_id = ?");
    if (!del)
        return del.error();
    if (auto st = del->bind(1, user_id).run(); !st)
        return st.error();
    // Any other outstanding link of this user dies with this reset.
    auto others = sqlite::Stmt::prepare(*m_writer, "UPDATE password_resets SET used_at = ?"
                                                   " WHERE user_id = ? AND used_at IS NULL");
    if (!others)
        return others.error();
    if (auto st = others->bind(1, audit.at).bind(2, user_id).run(); !st)
        return st.error();
    auto with_count = audit;
    with_count.target_id = user_id;
    with_count.details["sessions_revoked"] = static_cast<std::int64_t>(revoked.size());
    if (auto st = insert_audit(*m_writer, with_count); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return revoked;
}

} // namespace stronghold::server

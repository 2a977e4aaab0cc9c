// SQLite store, part 5: the agency security policy (IAM-2, IAM-3, IAM-5) and what password
// enforcement reads: when a password was set and the hashes it replaced (the history rows are
// written by the trigger of migration 4 on every password change).
#include "store/sqlite_store_impl.hpp"

namespace stronghold::server {

namespace {

constexpr const char* k_policy_cols =
    "SELECT password_profile, password_min_length, password_classes, password_history, password_max_age_days,"
    " require_2fa, session_idle_minutes, session_absolute_hours, version, updated_at, jita_requires_approval"
    " FROM agency_security_policy WHERE agency_id = ?";

SecurityPolicy read_policy(const sqlite::Stmt& s)
{
    SecurityPolicy p;
    p.password.profile = s.text(0) == "nist_800_63b" ? validate::PasswordProfile::nist : validate::PasswordProfile::classic;
    p.password.min_length = static_cast<std::size_t>(s.int64(1));
    p.password.required_classes = static_cast<std::uint8_t>(s.int64(2));
    p.password.history_count = static_cast<int>(s.int64(3));
    p.password.max_age_days = static_cast<int>(s.int64(4));
    p.require_2fa = s.int64(5) != 0;
    p.session_idle_minutes = s.int64(6);
    p.session_absolute_hours = s.int64(7);
    p.version = s.int64(8);
    p.updated_at = s.int64(9);
    p.jita_requires_approval = s.int64(10) != 0;
    return p;
}

} // namespace

SecurityPolicy SqliteStore::security_policy(const std::string& agency_id)
{
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), k_policy_cols);
    if (!stmt)
        return {};
    stmt->bind(1, agency_id);
    auto row = stmt->step();
    if (!row || !*row)
        return {};
    return read_policy(*stmt);
}

Result<SecurityPolicy> SqliteStore::update_security_policy(const std::string& agency_id, const SecurityPolicy& after,
                                                           std::int64_t expected_version, model::UnixMillis now,
                                                           const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    // The version is compared inside the write transaction: two admins saving at once cannot
    // both win (the second gets precondition_failed and the current policy).
    std::int64_t current = 0;
    {
        auto find = sqlite::Stmt::prepare(*m_writer, k_policy_cols);
        if (!find)
            return find.error();
        find->bind(1, agency_id);
        auto row = find->step();
        if (!row)
            return row.error();
        if (*row)
            current = read_policy(*find).version;
    }
    if (current != expected_version)
        return api::make_error(api::ErrorCode::precondition_failed, "the security policy was changed meanwhile");
    SecurityPolicy saved = after;
    saved.version = current + 1;
    saved.updated_at = now;
    auto up = sqlite::Stmt::prepare(
        *m_writer,
        "INSERT INTO agency_security_policy(agency_id, password_profile, password_min_length, password_classes,"
        " password_history, password_max_age_days, require_2fa, session_idle_minutes, session_absolute_hours,"
        " version, updated_at, jita_requires_approval) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(agency_id) DO UPDATE SET password_profile = excluded.password_profile,"
        " password_min_length = excluded.password_min_length, password_classes = excluded.password_classes,"
        " password_history = excluded.password_history, password_max_age_days = excluded.password_max_age_days,"
        " require_2fa = excluded.require_2fa, session_idle_minutes = excluded.session_idle_minutes,"
        " session_absolute_hours = excluded.session_absolute_hours, version = excluded.version,"
        " updated_at = excluded.updated_at, jita_requires_approval = excluded.jita_requires_approval");
    if (!up)
        return up.error();
    up->bind(1, agency_id)
        .bind(2, saved.password.profile == validate::PasswordProfile::nist ? "nist_800_63b" : "classic")
        .bind(3, static_cast<std::int64_t>(saved.password.min_length))
        .bind(4, static_cast<std::int64_t>(saved.password.required_classes))
        .bind(5, saved.password.history_count)
        .bind(6, saved.password.max_age_days)
        .bind(7, saved.require_2fa)
        .bind(8, saved.session_idle_minutes)
        .bind(9, saved.session_absolute_hours)
        .bind(10, saved.version)
        .bind(11, saved.updated_at)
        .bind(12, saved.jita_requires_approval);
    if (auto st = up->run(); !st)
        return st.error();
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return saved;
}

std::optional<model::UnixMillis> SqliteStore::password_changed_at(const std::string& user_id)
{
    return read_one("SELECT password_changed_at FROM users WHERE id = ?", user_id,
                    [&](sqlite::Stmt& st) { return st.int64(0); });
}

std::vector<std::string> SqliteStore::previous_password_hashes(const std::string& user_id, std::size_t limit)
{
    std::vector<std::string> out;
    if (limit == 0)
        return out;
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(),
                                      "SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY seq DESC LIMIT ?");
    if (!stmt)
        return out;
    stmt->bind(1, user_id).bind(2, static_cast<std::int64_t>(limit));
    for (auto row = stmt->step(); row && *row; row = stmt->step())
        out.push_back(stmt->text(0));
    return out;
}

} // namespace stronghold::server

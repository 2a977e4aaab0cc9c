// SQLite store, users administration (ACC-2, IAM-3, IAM-5): an agency's users and their
// memberships there, invitations (stored by token hash only), per-agency deactivation and
// membership replacement with the last-owner guard, and the sub-account 2FA requirement.
// Every mutation writes its audit row in the same transaction.
//
// [SECTION] Reading an agency's users
// [SECTION] Invitations
// [SECTION] Deactivation and memberships
// [SECTION] Sub-account security policy
#include "store/sqlite_store_impl.hpp"

#include "stronghold/access/permissions.hpp"

namespace stronghold::server {

namespace {

// Memberships inside one agency: agency-wide ones and those of its sub-accounts. Statements
// using it bind the agency id at ?1 (and alias memberships m, accounts a).
constexpr const char* k_in_agency = "(m.agency_id = ?1 OR a.agency_id = ?1)";

constexpr const char* k_agency_user_cols =
    "SELECT u.id, u.email, u.name, u.active, u.created_at, u.invited,"
    " coalesce((SELECT t.enabled FROM user_totp t WHERE t.user_id = u.id), 0),"
    " (SELECT max(d.last_at) FROM login_devices d WHERE d.user_id = u.id),"
    " m.agency_id, m.account_id, a.agency_id, m.role, m.deactivated_at"
    " FROM memberships m LEFT JOIN accounts a ON a.id = m.account_id JOIN users u ON u.id = m.user_id";

// Rows of k_agency_user_cols ordered by user, folded into one AgencyUser per user.
std::vector<AgencyUser> read_agency_users(sqlite::Stmt& s)
{
    std::vector<AgencyUser> out;
    bool any_live = false;
    auto finish = [&] {
        if (!out.empty())
            out.back().deactivated = !out.back().user.active || !any_live;
    };
    for (auto row = s.step(); row && *row; row = s.step()) {
        if (out.empty() || out.back().user.id != s.text(0)) {
            finish();
            any_live = false;
            AgencyUser u;
            u.user.id = s.text(0);
            u.user.email = s.text(1);
            u.user.name = s.text(2);
            u.user.active = s.int64(3) != 0;
            u.user.created_at = s.int64(4);
            u.invited = s.int64(5) != 0;
            u.totp_enabled = s.int64(6) != 0;
            if (!s.is_null(7))
                u.last_login_at = s.int64(7);
            out.push_back(std::move(u));
        }
        auto m = read_membership(s, 8, s.text(0));
        if (!m)
            continue;
        any_live = any_live || s.is_null(12);
        out.back().memberships.push_back(std::move(*m));
    }
    finish();
    return out;
}

Result<std::int64_t> count(sqlite::Db& db, const char* sql, const std::string& a, const std::string& b = {})
{
    auto stmt = sqlite::Stmt::prepare(db, sql);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, a);
    if (!b.empty())
        stmt->bind(2, b);
    auto row = stmt->step();
    if (!row)
        return row.error();
    return *row ? stmt->int64(0) : 0;
}

Status run(sqlite::Db& db, const char* sql, std::initializer_list<std::string> texts)
{
    auto stmt = sqlite::Stmt::prepare(db, sql);
    if (!stmt)
        return stmt.error();
    int i = 1;
    for (const auto& t : texts)
        stmt->bind(i++, t);
    return stmt->run();
}

// Active owners of the agency who can sign in (accepted, active, owner membership not deactivated).
Result<std::int64_t> active_owners(sqlite::Db& db, const std::string& agency_id)
{
    return count(db, "SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id"
                     " WHERE m.agency_id = ? AND m.account_id IS NULL AND m.role = 'agency_owner'"
                     " AND m.deactivated_at IS NULL AND u.active = 1 AND u.invited = 0",
                 agency_id);
}

Result<bool> is_active_owner(sqlite::Db& db, const std::string& agency_id, const std::string& user_id)
{
    auto n = count(db, "SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id"
                       " WHERE m.agency_id = ? AND m.user_id = ? AND m.account_id IS NULL AND m.role = 'agency_owner'"
                       " AND m.deactivated_at IS NULL AND u.active = 1 AND u.invited = 0",
                   agency_id, user_id);
    if (!n)
        return n.error();
    return *n > 0;
}

// deactivated_at 0: a live membership.
Status insert_membership(sqlite::Db& db, const model::Membership& m, model::UnixMillis at,
                         model::UnixMillis deactivated_at = 0)
{
    auto stmt = sqlite::Stmt::prepare(db, "INSERT INTO memberships(user_id, agency_id, account_id, role, created_at,"
                                          " deactivated_at) VALUES (?,?,?,?,?,?)");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, m.user_id).bind_text_or_null(2, m.agency_id).bind_text_or_null(3, m.account_id);
    stmt->bind(4, m.role_ref()).bind(5, at);
    if (deactivated_at != 0)
        stmt->bind(6, deactivated_at);
    else
        stmt->bind_null(6);
    return stmt->run();
}

// A membership for `agency_id` must name the agency itself or one of its sub-accounts.
Status check_membership_in(sqlite::Db& db, const std::string& agency_id, const model::Membership& m)
{
    if (m.agency_id.empty() == m.account_id.empty())
        return api::make_error(api::ErrorCode::validation_failed, "a membership names an agency or a sub-account",
                               "memberships");
    if (!m.agency_id.empty() && m.agency_id != agency_id)
        return api::make_error(api::ErrorCode::validation_failed, "is not this agency", "agency_id");
    if (!m.account_id.empty()) {
        auto n = count(db, "SELECT count(*) FROM accounts WHERE id = ? AND agency_id = ?", m.account_id, agency_id);
        if (!n)
            return n.error();
        if (*n == 0)
            return api::make_error(api::ErrorCode::validation_failed, "is not a sub-account of this agency",
                                   "account_id");
    }
    return {};
}

Status insert_invite(sqlite::Db& db, const Invite& invite)
{
    if (invite.token_hash.empty())
        return {};
    auto stmt = sqlite::Stmt::prepare(db, "INSERT INTO invites(token_hash, agency_id, user_id, created_by, created_at,"
                                          " expires_at) VALUES (?,?,?,?,?,?)");
    if (!stmt)
        return stmt.error();
    return stmt->bind(1, invite.token_hash).bind(2, invite.agency_id).bind(3, invite.user_id)
        .bind(4, invite.created_by).bind(5, invite.created_at).bind(6, invite.expires_at).run();
}

// The common tail of the invitation writes: the invite (when there is one), its mail, the audit row.
Status write_invite_mail_audit(sqlite::Db& db, const Invite& invite, const OutboxMail& mail, const AuditEntry& audit)
{
    if (auto st = insert_invite(db, invite); !st)
        return st;
    if (auto st = insert_mail(db, mail); !st)
        return st;
    return insert_audit(db, audit);
}

// Deletes every session of the user; returns their token hashes (their sockets are closed by the caller).
Result<std::vector<std::string>> delete_sessions(sqlite::Db& db, const std::string& user_id)
{
    std::vector<std::string> out;
    auto all = sqlite::Stmt::prepare(db, "SELECT token_hash FROM sessions WHERE user_id = ?");
    if (!all)
        return all.error();
    all->bind(1, user_id);
    for (auto row = all->step(); row && *row; row = all->step())
        out.push_back(all->text(0));
    if (auto st = run(db, "DELETE FROM sessions WHERE user_id = ?", {user_id}); !st)
        return st.error();
    return out;
}

} // namespace

std::optional<model::Membership> read_membership(const sqlite::Stmt& s, int first_col, const std::string& user_id)
{
    model::Membership m;
    m.user_id = user_id;
    m.agency_id = s.text(first_col);
    m.account_id = s.text(first_col + 1);
    m.account_agency_id = s.text(first_col + 2);
    const std::string role_ref = s.text(first_col + 3);
    if (access::is_custom_role_id(role_ref)) {
        m.role = model::Role::custom;
        m.role_id = role_ref;
    } else if (auto role = model::role_from_string(role_ref)) {
        m.role = *role;
    } else {
        return std::nullopt; // the CHECK constraint makes this unreachable; never grant a role we cannot name
    }
    return m;
}

// [SECTION] Reading an agency's users

std::vector<AgencyUser> SqliteStore::users_of_agency(const std::string& agency_id)
{
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), std::string(k_agency_user_cols) + " WHERE " + k_in_agency +
                                                      " ORDER BY u.email, u.id, m.created_at, m.rowid");
    if (!stmt)
        return {};
    stmt->bind(1, agency_id);
    return read_agency_users(*stmt);
}

std::optional<AgencyUser> SqliteStore::agency_user(const std::string& agency_id, const std::string& user_id)
{
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), std::string(k_agency_user_cols) + " WHERE " + k_in_agency +
                                                      " AND u.id = ?2 ORDER BY m.created_at, m.rowid");
    if (!stmt)
        return std::nullopt;
    stmt->bind(1, agency_id).bind(2, user_id);
    auto users = read_agency_users(*stmt);
    if (users.empty())
        return std::nullopt;
    return std::move(users.front());
}

// [SECTION] Invitations

Status SqliteStore::invite_new_user(const model::User& user, const model::Membership& membership,
                                    const Invite& invite, const OutboxMail& mail, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = check_membership_in(*m_writer, invite.agency_id, membership); !st)
        return st;
    auto taken = count(*m_writer, "SELECT count(*) FROM users WHERE email = ?", user.email);
    if (!taken)
        return taken.error();
    if (*taken > 0)
        return api::make_error(api::ErrorCode::conflict, "a user with this email already exists", "email");
    // No password until the invitation is accepted: sign-in cannot succeed before that.
    auto ins = sqlite::Stmt::prepare(*m_writer, "INSERT INTO users(id, email, name, active, password_hash, created_at,"
                                                " password_changed_at, invited) VALUES (?,?,?,1,'',?,?,1)");
    if (!ins)
        return ins.error();
    if (auto st = ins->bind(1, user.id).bind(2, user.email).bind(3, user.name).bind(4, user.created_at)
                      .bind(5, user.created_at).run();
        !st)
        return st;
    if (auto st = insert_membership(*m_writer, membership, user.created_at); !st)
        return st;
    if (auto st = write_invite_mail_audit(*m_writer, invite, mail, audit); !st)
        return st;
    return tx->commit();
}

Status SqliteStore::add_agency_membership(const std::string& agency_id, const model::Membership& membership,
                                          const Invite& invite, const OutboxMail& mail, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = check_membership_in(*m_writer, agency_id, membership); !st)
        return st;
    auto already = count(*m_writer, "SELECT count(*) FROM memberships m LEFT JOIN accounts a ON a.id = m.account_id"
                                    " WHERE (m.agency_id = ?1 OR a.agency_id = ?1) AND m.user_id = ?2",
                         agency_id, membership.user_id);
    if (!already)
        return already.error();
    if (*already > 0)
        return api::make_error(api::ErrorCode::conflict, "this person is already a member of the agency", "email");
    if (auto st = insert_membership(*m_writer, membership, audit.at); !st)
        return st;
    // users.active = 0 only means "no live membership anywhere": a new live one lifts it.
    if (auto st = run(*m_writer, "UPDATE users SET active = 1 WHERE id = ?", {membership.user_id}); !st)
        return st;
    if (auto st = write_invite_mail_audit(*m_writer, invite, mail, audit); !st)
        return st;
    return tx->commit();
}

Status SqliteStore::renew_invite(const Invite& invite, const OutboxMail& mail, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto invited = count(*m_writer, "SELECT count(*) FROM users WHERE id = ? AND invited = 1 AND active = 1",
                         invite.user_id);
    if (!invited)
        return invited.error();
    if (*invited == 0)
        return api::make_error(api::ErrorCode::conflict, "this person has already accepted the invitation");
    if (auto st = run(*m_writer, "DELETE FROM invites WHERE agency_id = ? AND user_id = ? AND used_at IS NULL",
                      {invite.agency_id, invite.user_id});
        !st)
        return st;
    if (auto st = write_invite_mail_audit(*m_writer, invite, mail, audit); !st)
        return st;
    return tx->commit();
}

std::optional<Invite> SqliteStore::find_invite(const std::string& token_hash)
{
    return read_one("SELECT token_hash, agency_id, user_id, created_by, created_at, expires_at, coalesce(used_at, 0)"
                    " FROM invites WHERE token_hash = ?",
                    token_hash, [](sqlite::Stmt& s) {
                        return Invite{s.text(0), s.text(1), s.text(2), s.text(3), s.int64(4), s.int64(5), s.int64(6)};
                    });
}

Result<model::User> SqliteStore::accept_invite(const std::string& token_hash, const std::string& name,
                                               const std::string& password_hash, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    // One conditional UPDATE claims the link (single use under concurrency); it is dead once the
    // user accepted another agency's link, or lost their membership in this agency.
    auto claim = sqlite::Stmt::prepare(
        *m_writer, "UPDATE invites SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1"
                   " AND EXISTS (SELECT 1 FROM users u WHERE u.id = invites.user_id AND u.invited = 1 AND u.active = 1)"
                   " AND EXISTS (SELECT 1 FROM memberships m LEFT JOIN accounts a ON a.id = m.account_id"
                   "   WHERE m.user_id = invites.user_id AND m.deactivated_at IS NULL"
                   "   AND (m.agency_id = invites.agency_id OR a.agency_id = invites.agency_id))");
    if (!claim)
        return claim.error();
    if (auto st = claim->bind(1, audit.at).bind(2, token_hash).run(); !st)
        return st.error();
    if (m_writer->changes() != 1)
        return api::make_error(api::ErrorCode::validation_failed, "This invitation link is invalid or has expired.",
                               "token");
    auto who = sqlite::Stmt::prepare(*m_writer, "SELECT user_id FROM invites WHERE token_hash = ?");
    if (!who)
        return who.error();
    who->bind(1, token_hash);
    if (auto row = who->step(); !row || !*row)
        return api::make_error(api::ErrorCode::internal, "invite row vanished");
    const auto user_id = who->text(0);
    auto upd = sqlite::Stmt::prepare(*m_writer, "UPDATE users SET name = ?, password_hash = ?, password_changed_at = ?,"
                                                " invited = 0 WHERE id = ?");
    if (!upd)
        return upd.error();
    if (auto st = upd->bind(1, name).bind(2, password_hash).bind(3, audit.at).bind(4, user_id).run(); !st)
        return st.error();
    // The person now has a password: every other outstanding link of theirs is spent too.
    auto others = sqlite::Stmt::prepare(*m_writer, "UPDATE invites SET used_at = ? WHERE user_id = ? AND used_at IS NULL");
    if (!others)
        return others.error();
    if (auto st = others->bind(1, audit.at).bind(2, user_id).run(); !st)
        return st.error();
    auto with_target = audit;
    with_target.target_id = user_id;
    with_target.actor.id = user_id; // the link proved who this is
    if (auto st = insert_audit(*m_writer, with_target); !st)
        return st.error();
    auto read = sqlite::Stmt::prepare(*m_writer, "SELECT id, email, name, active, created_at FROM users WHERE id = ?");
    if (!read)
        return read.error();
    read->bind(1, user_id);
    if (auto row = read->step(); !row || !*row)
        return api::make_error(api::ErrorCode::internal, "user row vanished");
    model::User user{read->text(0), read->text(1), read->text(2), read->int64(3) != 0, read->int64(4)};
    if (auto st = tx->commit(); !st)
        return st.error();
    return user;
}

// [SECTION] Deactivation and memberships

Result<std::vector<std::string>> SqliteStore::set_user_active(const std::string& agency_id, const std::string& user_id,
                                                              bool active, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto member = count(*m_writer, "SELECT count(*) FROM memberships m LEFT JOIN accounts a ON a.id = m.account_id"
                                   " WHERE (m.agency_id = ?1 OR a.agency_id = ?1) AND m.user_id = ?2",
                        agency_id, user_id);
    if (!member)
        return member.error();
    if (*member == 0)
        return api::make_error(api::ErrorCode::not_found, "not found");
    std::vector<std::string> revoked;
    if (!active) {
        auto owner = is_active_owner(*m_writer, agency_id, user_id);
        if (!owner)
            return owner.error();
        auto owners = active_owners(*m_writer, agency_id);
        if (!owners)
            return owners.error();
        if (*owner && *owners <= 1)
            return api::make_error(api::ErrorCode::conflict, "the last active owner of an agency cannot be deactivated",
                                   "active");
        auto mark = sqlite::Stmt::prepare(*m_writer, "UPDATE memberships SET deactivated_at = ?1 WHERE user_id = ?2"
                                                     " AND deactivated_at IS NULL AND (agency_id = ?3 OR account_id IN"
                                                     " (SELECT id FROM accounts WHERE agency_id = ?3))");
        if (!mark)
            return mark.error();
        if (auto st = mark->bind(1, audit.at).bind(2, user_id).bind(3, agency_id).run(); !st)
            return st.error();
        // Signed in nowhere any more; without a live membership anywhere, not at all.
        if (auto st = run(*m_writer, "UPDATE users SET active = 0 WHERE id = ?1 AND NOT EXISTS"
                                     " (SELECT 1 FROM memberships WHERE user_id = ?1 AND deactivated_at IS NULL)",
                          {user_id});
            !st)
            return st.error();
        auto deleted = delete_sessions(*m_writer, user_id);
        if (!deleted)
            return deleted.error();
        revoked = std::move(*deleted);
    } else {
        if (auto st = run(*m_writer, "UPDATE memberships SET deactivated_at = NULL WHERE user_id = ?1 AND (agency_id = ?2"
                                     " OR account_id IN (SELECT id FROM accounts WHERE agency_id = ?2))",
                          {user_id, agency_id});
            !st)
            return st.error();
        if (auto st = run(*m_writer, "UPDATE users SET active = 1 WHERE id = ?", {user_id}); !st)
            return st.error();
    }
    auto with_count = audit;
    with_count.details["sessions_revoked"] = static_cast<std::int64_t>(revoked.size());
    if (auto st = insert_audit(*m_writer, with_count); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return revoked;
}

Status SqliteStore::replace_memberships(const std::string& agency_id, const std::string& user_id,
                                        const std::vector<model::Membership>& memberships, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto live = count(*m_writer, "SELECT count(*) FROM memberships m LEFT JOIN accounts a ON a.id = m.account_id"
                                 " WHERE (m.agency_id = ?1 OR a.agency_id = ?1) AND m.user_id = ?2 AND m.deactivated_at IS NULL",
                      agency_id, user_id);
    auto all = count(*m_writer, "SELECT count(*) FROM memberships m LEFT JOIN accounts a ON a.id = m.account_id"
                                " WHERE (m.agency_id = ?1 OR a.agency_id = ?1) AND m.user_id = ?2",
                     agency_id, user_id);
    if (!live || !all)
        return !live ? live.error() : all.error();
    if (*all == 0)
        return api::make_error(api::ErrorCode::not_found, "not found");
    auto was_owner = is_active_owner(*m_writer, agency_id, user_id);
    if (!was_owner)
        return was_owner.error();
    // A user deactivated in this agency stays deactivated under new roles.
    const model::UnixMillis deactivated_at = *live == 0 ? audit.at : 0;
    if (auto st = run(*m_writer, "DELETE FROM memberships WHERE user_id = ?1 AND (agency_id = ?2"
                                 " OR account_id IN (SELECT id FROM accounts WHERE agency_id = ?2))",
                      {user_id, agency_id});
        !st)
        return st;
    for (const auto& m : memberships) {
        if (auto st = check_membership_in(*m_writer, agency_id, m); !st)
            return st;
        auto with_user = m;
        with_user.user_id = user_id;
        if (auto st = insert_membership(*m_writer, with_user, audit.at, deactivated_at); !st)
            return st.error().code == api::ErrorCode::conflict
                       ? api::make_error(api::ErrorCode::validation_failed, "names one place twice", "memberships")
                       : st;
    }
    if (*was_owner) {
        auto owners = active_owners(*m_writer, agency_id);
        if (!owners)
            return owners.error();
        if (*owners == 0)
            return api::make_error(api::ErrorCode::conflict, "the last active owner of an agency must stay an owner",
                                   "memberships");
    }
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st;
    return tx->commit();
}

// [SECTION] Sub-account security policy

AccountSecurityPolicy SqliteStore::account_security_policy(const std::string& account_id)
{
    auto found = read_one("SELECT coalesce(p.require_2fa, 0), coalesce(p.version, 0), coalesce(p.updated_at, 0),"
                          " a.sensitive_data_policy FROM accounts a LEFT JOIN account_security_policy p"
                          " ON p.account_id = a.id WHERE a.id = ?",
                          account_id, [](sqlite::Stmt& s) {
                              return AccountSecurityPolicy{s.int64(0) != 0, s.int64(1), s.int64(2),
                                                           s.text(3) == "mask" ? validate::SensitivePolicy::mask
                                                                               : validate::SensitivePolicy::refuse};
                          });
    return found.value_or(AccountSecurityPolicy{});
}

Result<AccountSecurityPolicy> SqliteStore::update_account_security_policy(const TenantScope& scope,
                                                                          const AccountSecurityPolicy& after,
                                                                          std::int64_t expected_version,
                                                                          model::UnixMillis now,
                                                                          const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto owned = count(*m_writer, "SELECT count(*) FROM accounts WHERE id = ? AND agency_id = ?", scope.account_id,
                       scope.agency_id);
    if (!owned)
        return owned.error();
    if (*owned == 0)
        return api::make_error(api::ErrorCode::not_found, "not found");
    auto current = count(*m_writer, "SELECT coalesce(max(version), 0) FROM account_security_policy WHERE account_id = ?",
                         scope.account_id);
    if (!current)
        return current.error();
    if (*current != expected_version)
        return api::make_error(api::ErrorCode::precondition_failed, "the security policy has changed since you read it");
    auto put = sqlite::Stmt::prepare(*m_writer, "INSERT INTO account_security_policy(account_id, agency_id, require_2fa,"
                                                " version, updated_at) VALUES (?1,?2,?3,?4,?5) ON CONFLICT(account_id)"
                                                " DO UPDATE SET require_2fa = ?3, version = ?4, updated_at = ?5");
    if (!put)
        return put.error();
    AccountSecurityPolicy saved{after.require_2fa, expected_version + 1, now, after.sensitive_data_policy};
    if (auto st = put->bind(1, scope.account_id).bind(2, scope.agency_id).bind(3, saved.require_2fa)
                      .bind(4, saved.version).bind(5, now).run();
        !st)
        return st.error();
    auto sensitive = sqlite::Stmt::prepare(*m_writer, "UPDATE accounts SET sensitive_data_policy = ? WHERE id = ?"
                                                      " AND agency_id = ?");
    if (!sensitive)
        return sensitive.error();
    if (auto st = sensitive->bind(1, saved.sensitive_data_policy == validate::SensitivePolicy::mask ? "mask" : "refuse")
                      .bind(2, scope.account_id).bind(3, scope.agency_id).run();
        !st)
        return st.error();
    if (auto st = insert_audit(*m_writer, audit); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return saved;
}

} // namespace stronghold::server

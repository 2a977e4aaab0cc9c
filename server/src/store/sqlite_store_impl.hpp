// Private to store/: the SQLite implementation of Store, split over two files
// (sqlite_store.cpp: open, tenants, users, sessions, audit; sqlite_store_contacts.cpp: contacts).
//
// Connections: one writer connection behind m_write_mutex (SQLite allows one writer at a time
// anyway; BEGIN IMMEDIATE + busy timeout make other processes, e.g. the admin CLI, queue
// rather than fail) and a small pool of reader connections (WAL lets readers run beside the
// writer and see only committed data).
#pragma once

#include <optional>
#include <string_view>
#include <type_traits>

#include "store/audit_chain.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "util/clock.hpp" // system_now_ms: the store's clock, only where a caller gives no time

#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <vector>

namespace stronghold::server {

class ReaderPool {
public:
    class Lease {
    public:
        Lease(ReaderPool& pool, std::unique_ptr<sqlite::Db> db) : m_pool(&pool), m_db(std::move(db)) {}
        ~Lease() { m_pool->give_back(std::move(m_db)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        sqlite::Db& db() { return *m_db; }

    private:
        ReaderPool* m_pool;
        std::unique_ptr<sqlite::Db> m_db;
    };

    void add(std::unique_ptr<sqlite::Db> db);
    Lease acquire(); // waits while every reader is in use

private:
    void give_back(std::unique_ptr<sqlite::Db> db);
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<std::unique_ptr<sqlite::Db>> m_idle;
};

// Copies the WAL into the database on a connection and thread of its own while imports write:
// an import batch commits with wal_autocheckpoint off, then kicks this, so the next batch is
// written while the one before it is checkpointed (a PASSIVE checkpoint never blocks the writer,
// and the writer never waits for it). At most one checkpoint runs; a kick while one runs is dropped
// (the next one copies both batches).
class WalCheckpointer {
public:
    ~WalCheckpointer()
    {
        if (m_done.valid())
            m_done.wait();
    }
    void kick(const std::string& db_path);

private:
    std::unique_ptr<sqlite::Db> m_db;
    std::future<void> m_done;
};

class SqliteStore final : public Store {
public:
    SqliteStore(std::unique_ptr<sqlite::Db> writer, ReaderPool* readers) : m_writer(std::move(writer)), m_readers(readers) {}
    ~SqliteStore() override;

    Result<model::Agency> create_agency(const model::Agency& agency, const ActorRef& actor) override;
    Result<model::Account> create_account(const model::Account& account, const ActorRef& actor) override;
    std::optional<model::Agency> find_agency(const std::string& agency_id) override;
    std::optional<model::Account> find_account(const std::string& account_id) override;
    std::vector<model::Account> accounts_of_agency(const std::string& agency_id) override;
    Result<model::User> create_user(const model::User& user, const std::string& password_hash,
                                    const model::Membership& membership, const ActorRef& actor) override;
    std::optional<Credentials> find_credentials_by_email(const std::string& email_lower) override;
    std::optional<model::User> find_user(const std::string& user_id) override;
    std::vector<model::Membership> memberships_of(const std::string& user_id) override;
    Status create_agency_with_owner(const model::Agency& agency, const model::Account& first_account,
                                    const model::User& owner, const std::string& password_hash,
                                    const ActorRef& actor) override;
    Status set_password_hash(const std::string& user_id, const std::string& password_hash,
                             const ActorRef& actor) override;

    Status create_session(const Session& session) override;
    Status ping() override;
    std::optional<Session> find_session(const std::string& token_hash) override;
    Status touch_session(const std::string& token_hash, model::UnixMillis now) override;
    Status delete_session(const std::string& token_hash) override;

    // sqlite_store_sessions.cpp
    std::vector<Session> sessions_of_user(const std::string& user_id) override;
    Result<Session> revoke_session(const std::string& user_id, const std::string& session_id,
                                   const AuditEntry& audit) override;
    Result<std::vector<std::string>> change_password(const std::string& user_id, const std::string& password_hash,
                                                     const std::string& keep_token_hash,
                                                     const AuditEntry& audit) override;
    LoginFailureCounter login_failures(const std::string& key) override;
    Result<LoginFailureCounter> add_login_failure(const std::string& key, model::UnixMillis now,
                                                  model::UnixMillis window_ms, std::int64_t block_at,
                                                  model::UnixMillis block_ms) override;
    Status clear_login_failures(const std::string& key) override;
    Status prune_login_failures(model::UnixMillis before, model::UnixMillis now) override;
    Result<bool> note_login_device(const std::string& user_id, const std::string& family,
                                   model::UnixMillis now) override;
    Status enqueue_mail(const OutboxMail& mail) override;
    // sqlite_store_mail.cpp
    std::vector<PendingMail> pending_mail(model::UnixMillis now, std::size_t limit) override;
    Status mark_mail_sent(const std::string& id, model::UnixMillis now) override;
    Status mark_mail_failed(const std::string& id, std::int64_t attempts,
                            std::optional<model::UnixMillis> next_try_at, model::UnixMillis now) override;
    Status create_password_reset(const PasswordReset& reset, const OutboxMail& mail,
                                 const AuditEntry& audit) override;
    std::optional<PasswordReset> find_password_reset(const std::string& token_hash) override;
    Result<std::vector<std::string>> reset_password(const std::string& token_hash, const std::string& password_hash,
                                                    const AuditEntry& audit) override;

    // sqlite_store_mfa.cpp
    std::optional<TotpState> find_totp(const std::string& user_id) override;
    Status start_totp_enrolment(const std::string& user_id, const std::string& sealed_secret, model::UnixMillis now,
                                const AuditEntry& audit) override;
    Status enable_totp(const std::string& user_id, std::int64_t step,
                       const std::vector<std::string>& recovery_code_hashes, model::UnixMillis now,
                       const AuditEntry& audit) override;
    Status disable_totp(const std::string& user_id, const AuditEntry& audit) override;
    Status consume_totp_step(const std::string& user_id, std::int64_t step) override;
    Status consume_recovery_code(const std::string& user_id, const std::string& code_hash,
                                 model::UnixMillis now) override;
    Status create_mfa_challenge(const MfaChallenge& challenge) override;
    std::optional<MfaChallenge> find_mfa_challenge(const std::string& token_hash) override;
    Status add_mfa_failure(const std::string& token_hash, std::int64_t max_failures) override;
    Status consume_mfa_challenge(const std::string& token_hash) override;
    Status mark_session_reauth(const std::string& token_hash, model::UnixMillis now,
                               const AuditEntry& audit) override;

    // sqlite_store_policy.cpp
    SecurityPolicy security_policy(const std::string& agency_id) override;
    Result<SecurityPolicy> update_security_policy(const std::string& agency_id, const SecurityPolicy& after,
                                                  std::int64_t expected_version, model::UnixMillis now,
                                                  const AuditEntry& audit) override;
    std::optional<model::UnixMillis> password_changed_at(const std::string& user_id) override;
    std::vector<std::string> previous_password_hashes(const std::string& user_id, std::size_t limit) override;

    // sqlite_store_idempotency.cpp
    Result<std::optional<IdempotentAnswer>> find_idempotent_answer(const std::string& actor_id,
                                                                   const std::string& route, const std::string& key,
                                                                   model::UnixMillis since) override;
    Status put_idempotent_answer(const std::string& actor_id, const std::string& route, const std::string& key,
                                 const IdempotentAnswer& answer, model::UnixMillis prune_before) override;

    Status append_audit(const AuditEntry& entry) override;
    std::vector<AuditEntry> audit_entries(const std::string& agency_id, std::size_t limit) override;
    Result<std::int64_t> checkpoint_audit(model::UnixMillis now) override; // sqlite_store_audit.cpp
    AuditRetention audit_retention(const std::string& agency_id) override; // sqlite_store_retention.cpp
    Result<AuditRetention> update_audit_retention(const std::string& agency_id, const audit::RetentionDays& days,
                                                  std::int64_t expected_version, model::UnixMillis now,
                                                  const AuditEntry& audit) override;
    Result<RetentionRun> apply_audit_retention(model::UnixMillis now) override;

    Result<ContactPage> list_contacts(const TenantScope& scope, const ContactQuery& query) override;
    Result<model::Contact> get_contact(const TenantScope& scope, const std::string& contact_id) override;
    Result<model::Contact> create_contact(const TenantScope& scope, const model::Contact& contact,
                                          const AuditEntry& audit) override;
    Result<model::Contact> update_contact(const TenantScope& scope, const model::Contact& after,
                                          std::int64_t expected_version, const AuditEntry& audit) override;
    Status delete_contact(const TenantScope& scope, const std::string& contact_id, std::int64_t expected_version,
                          const AuditEntry& audit) override;
    Status create_contacts_bulk(const TenantScope& scope, const std::vector<model::Contact>& contacts,
                                const AuditEntry& audit) override;
    Status import_contacts_batch(const TenantScope& scope, const std::vector<model::Contact>& contacts,
                                 const ImportJob& progress) override;
    // sqlite_store_import.cpp
    Status create_import_job(const ImportJob& job) override;
    std::optional<ImportJob> find_import_job(const TenantScope& scope, const std::string& job_id) override;
    Status finish_import_job(const ImportJob& job, const AuditEntry& audit) override;
    Status set_sensitive_data_policy(const TenantScope& scope, validate::SensitivePolicy policy,
                                     const AuditEntry& audit) override;

    // sqlite_store_security.cpp
    Status record_security_event(const SecurityEvent& event, const AuditEntry& audit) override;
    Result<std::int64_t> count_security_events(const std::string& source_key, const std::string& kind,
                                               model::UnixMillis since) override;
    Status create_staff(const model::User& user, const std::string& password_hash, access::StaffRole role,
                        const std::string& sealed_totp_secret, const AuditEntry& audit) override;
    std::optional<StaffMember> find_staff(const std::string& user_id) override;
    Status create_grant(const JitaGrant& grant, const AuditEntry& audit) override;
    std::optional<JitaGrant> find_grant(const std::string& id) override;
    std::vector<JitaGrant> grants_of_staff(const std::string& staff_id, std::size_t limit) override;
    std::vector<JitaGrant> grants_of_agency(const std::string& agency_id, const std::string& status,
                                            std::size_t limit) override;
    std::vector<JitaGrant> live_grants(const std::string& staff_id, model::UnixMillis now) override;
    std::int64_t granted_accounts_since(const std::string& staff_id, model::UnixMillis since) override;
    Result<JitaGrant> update_grant(const JitaGrant& after, access::GrantStatus expected,
                                   const AuditEntry& audit) override;
    PlatformOverview platform_overview(model::UnixMillis now) override;
    Result<std::vector<SecurityEvent>> list_security_events(const std::optional<std::string>& agency_id,
                                                            std::int64_t before_seq, std::size_t limit) override;
    Status block_source(const SourceBlock& block, const SecurityEvent& event, const AuditEntry& audit) override;
    Result<std::vector<SourceBlock>> active_blocks(model::UnixMillis now) override;
    Result<IdOwner> locate_id(const std::string& id) override;
    Status scan_audit(const AuditQuery& q, const std::function<bool(const AuditEntry&)>& fn) override;

    // sqlite_store_records.cpp
    Result<model::Record> create_record(const TenantScope& scope, const model::Record& record,
                                        const AuditEntry& audit) override;
    Result<model::Record> get_record(const TenantScope& scope, model::Kind kind, const std::string& id) override;
    Result<model::Record> get_record_any(const TenantScope& scope, const std::string& id) override;
    Result<model::Record> update_record(const TenantScope& scope, const model::Record& after,
                                        std::int64_t expected_version, const AuditEntry& audit) override;
    Status delete_record(const TenantScope& scope, model::Kind kind, const std::string& id,
                         std::int64_t expected_version, const AuditEntry& audit) override;
    Result<std::vector<model::Record>> bulk_write_records(const TenantScope& scope,
                                                          const std::vector<model::Record>& afters, bool remove,
                                                          const AuditEntry& audit) override;
    Status import_records_batch(const TenantScope& scope, const std::vector<model::Record>& records,
                                const ImportJob& progress) override;
    Result<RecordPage> list_records(const TenantScope& scope, const RecordQuery& query) override;
    Result<bool> record_exists(const TenantScope& scope, const std::string& id) override;
    Result<std::vector<RecordVersion>> record_versions(const TenantScope& scope, const std::string& id) override;
    Result<std::vector<TrashItem>> list_trash(const TenantScope& scope, std::size_t limit,
                                              const std::string& cursor) override;
    Result<std::int64_t> restore_from_trash(const TenantScope& scope, const std::string& id, model::UnixMillis now,
                                            const AuditEntry& audit) override;
    Result<std::int64_t> purge_trash(model::UnixMillis before, model::UnixMillis now) override;

    std::vector<access::RoleDef> roles_of_agency(const std::string& agency_id) override;
    std::optional<access::RoleDef> find_role(const std::string& agency_id, const std::string& role_id) override;
    std::vector<access::RoleDef> roles_by_id(const std::vector<std::string>& role_ids) override;
    std::vector<std::string> role_holders(const std::string& role_id) override;
    Result<access::RoleDef> create_role(const access::RoleDef& role, model::UnixMillis now,
                                        const AuditEntry& audit) override;
    Result<access::RoleDef> update_role(const access::RoleDef& after, std::int64_t expected_version,
                                        model::UnixMillis now, const AuditEntry& audit) override;
    Status delete_role(const std::string& agency_id, const std::string& role_id,
                       std::optional<std::int64_t> expected_version, const AuditEntry& audit) override;
    std::vector<access::Team> teams_of_user(const std::string& user_id) override;
    std::vector<StoredTeam> teams_of_account(const std::string& account_id) override;
    std::optional<StoredTeam> find_team(const std::string& account_id, const std::string& team_id) override;
    Result<StoredTeam> create_team(const access::Team& team, model::UnixMillis now, const AuditEntry& audit) override;
    Result<StoredTeam> update_team(const access::Team& after, std::int64_t expected_version, model::UnixMillis now,
                                   const AuditEntry& audit) override;
    Status delete_team(const std::string& account_id, const std::string& team_id,
                       std::optional<std::int64_t> expected_version, const AuditEntry& audit) override;

    // sqlite_store_users.cpp
    std::vector<AgencyUser> users_of_agency(const std::string& agency_id) override;
    std::optional<AgencyUser> agency_user(const std::string& agency_id, const std::string& user_id) override;
    Status invite_new_user(const model::User& user, const model::Membership& membership, const Invite& invite,
                           const OutboxMail& mail, const AuditEntry& audit) override;
    Status add_agency_membership(const std::string& agency_id, const model::Membership& membership,
                                 const Invite& invite, const OutboxMail& mail, const AuditEntry& audit) override;
    Status renew_invite(const Invite& invite, const OutboxMail& mail, const AuditEntry& audit) override;
    std::optional<Invite> find_invite(const std::string& token_hash) override;
    Result<model::User> accept_invite(const std::string& token_hash, const std::string& name,
                                      const std::string& password_hash, const AuditEntry& audit) override;
    Result<std::vector<std::string>> set_user_active(const std::string& agency_id, const std::string& user_id,
                                                     bool active, const AuditEntry& audit) override;
    Status replace_memberships(const std::string& agency_id, const std::string& user_id,
                               const std::vector<model::Membership>& memberships, const AuditEntry& audit) override;
    AccountSecurityPolicy account_security_policy(const std::string& account_id) override;
    Result<AccountSecurityPolicy> update_account_security_policy(const TenantScope& scope,
                                                                 const AccountSecurityPolicy& after,
                                                                 std::int64_t expected_version, model::UnixMillis now,
                                                                 const AuditEntry& audit) override;

    std::unique_ptr<ReaderPool> owned_readers; // set by open_sqlite_store
    std::unique_ptr<AuditSigner> audit_signer; // set by open_sqlite_store (checkpoint key in the data dir)

private:
    // The one-row lookup by a single key on a reader connection: nullopt when no row (or the
    // statement fails), else read(stmt) on the row.
    template <class Read>
    auto read_one(const char* sql, std::string_view key, Read&& read)
        -> std::optional<std::decay_t<std::invoke_result_t<Read, sqlite::Stmt&>>>
    {
        auto lease = m_readers->acquire();
        auto stmt = sqlite::Stmt::prepare(lease.db(), sql);
        if (!stmt)
            return std::nullopt;
        stmt->bind(1, key);
        auto row = stmt->step();
        if (!row || !*row)
            return std::nullopt;
        return read(*stmt);
    }

    std::mutex m_write_mutex; // guards m_writer: one write transaction at a time in this process
    std::unique_ptr<sqlite::Db> m_writer;
    ReaderPool* m_readers;
    WalCheckpointer m_import_checkpoints; // used under m_write_mutex
};

// Shared by the contacts and import files: saves an import job's progress columns on db
// (inside the caller's transaction).
Status save_import_progress(sqlite::Db& db, const ImportJob& job);
// Shared by the contacts and trash files: deletes the contact_emails rows of one contact, given
// its `emails` column (a JSON array), with a statement from prepare_delete_contact_email.
Status delete_contact_emails(sqlite::Stmt& del, const TenantScope& scope, const std::string& contact_id,
                             const std::string& emails_json);
Result<sqlite::Stmt> prepare_delete_contact_email(sqlite::Db& db);
// Shared by both files: inserts one audit row on db (inside the caller's transaction).
Status insert_audit(sqlite::Db& db, const AuditEntry& entry);
// Shared by the mail and users files: inserts one outbox row on db (inside the caller's transaction).
Status insert_mail(sqlite::Db& db, const OutboxMail& mail);
// Shared by the tenants and users files: a membership from the columns (agency_id, account_id,
// the account's agency, role reference) from first_col on; nullopt for a role it cannot name.
std::optional<model::Membership> read_membership(const sqlite::Stmt& s, int first_col, const std::string& user_id);

} // namespace stronghold::server

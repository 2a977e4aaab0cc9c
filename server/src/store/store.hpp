// Storage interface. SQLite (store/sqlite_store.cpp) is the default; PostgreSQL comes later
// behind the same interface. Rule: tenant data is reachable only through a TenantScope, so a
// query without a scope cannot compile. Every mutation of a record writes the record, a
// version row and an audit row in one transaction (the *_tx helpers below do all three).
#pragma once

#include "stronghold/api/result.hpp"
#include "stronghold/audit/retention.hpp"
#include "stronghold/model/contact.hpp"
#include "stronghold/model/filter.hpp"
#include "stronghold/model/record.hpp"
#include "stronghold/access/jita.hpp"
#include "stronghold/access/permissions.hpp"
#include "stronghold/model/tenancy.hpp"
#include "stronghold/validate/password.hpp"
#include "stronghold/validate/session.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stronghold::server {

// The sub-account a tenant-data call is about; agency_id is the owner of account_id (checked
// by the store: a scope whose pair does not match finds nothing).
struct TenantScope {
    std::string agency_id;
    std::string account_id;
};

// Who did something, for audit rows.
struct ActorRef {
    std::string type = "user"; // "user", "staff" (platform staff), "system", "cli"
    std::string id;            // user id, or empty for system/cli
    std::string ip;
    std::string user_agent;
    std::string grant_id;      // staff working under a JITA grant: its id (audit rows carry it)
};

struct AuditEntry {
    std::int64_t seq = 0;       // per-store sequence, assigned on insert
    model::UnixMillis at = 0;
    std::string agency_id;
    std::string account_id;     // empty for agency-level or global events
    ActorRef actor;
    std::string action;         // "auth.login", "auth.login_failed", "contact.create", ...
    std::string target_type;    // "contact", "user", "session", ...
    std::string target_id;
    std::string outcome = "success"; // "success" | "failure" | "denied"
    nlohmann::json details = nlohmann::json::object(); // e.g. {"fields":["first_name"]}; never secrets
    std::string grant_id;       // the JITA grant a staff actor worked under (ACC-5); "" otherwise
    // AUD-3 chain links, set by the store on insert (ignored when given): the position in the
    // agency's chain and the hashes (stronghold/audit/chain.hpp, server/doc/audit.md).
    std::int64_t chain_n = 0;
    std::string prev_hash;
    std::string hash;
    // AUD-4: when retention has cleared the details (details is null), the hash they had, which
    // the canonical form carries instead; "" otherwise.
    std::string details_hash;
};

struct Session {
    std::string id;             // "se_..." (public id, for listing/revoking)
    std::string token_hash;     // crypto::hash_hex(token); the token itself is never stored
    std::string user_id;
    model::UnixMillis created_at = 0;
    model::UnixMillis last_seen_at = 0;
    model::UnixMillis expires_at = 0; // absolute timeout
    std::string ip;
    std::string user_agent;
    model::UnixMillis reauth_at = 0; // last password/TOTP proof (login or /auth/reauth), IAM-6
};

struct Credentials {
    model::User user;
    std::string password_hash; // Argon2id encoded; empty when the user has none
};

// IAM-7 throttling counter for one key (an (email, IP) pair or an IP), see app/throttle.hpp.
struct LoginFailureCounter {
    std::int64_t failures = 0;
    model::UnixMillis first_at = 0;
    model::UnixMillis last_at = 0;
    model::UnixMillis blocked_until = 0; // 0: not blocked
};

// One mail waiting in the outbox for the SMTP sender.
struct OutboxMail {
    std::string id; // "ml_..."
    std::string to_addr;
    std::string template_name; // "login_blocked", "new_device_login", ...
    nlohmann::json data = nlohmann::json::object(); // template fields; never secrets or tokens
    model::UnixMillis created_at = 0;
};

// An unsent outbox row as the SMTP sender sees it (mail/smtp_sender.hpp).
struct PendingMail {
    OutboxMail mail;
    std::int64_t attempts = 0; // failed deliveries so far
};

// A password reset link (IAM-1): found by the hash of its token; single-use, 30 minutes.
struct PasswordReset {
    std::string token_hash;
    std::string user_id;
    model::UnixMillis created_at = 0;
    model::UnixMillis expires_at = 0;
    model::UnixMillis used_at = 0; // 0: unused
};

// A user's TOTP enrolment (IAM-3): pending until confirmed, then enabled. The seed is stored
// sealed by the SecretStore (context "user_totp.secret:<user_id>"), never in clear.
struct TotpState {
    std::string user_id;
    std::string sealed_secret;
    bool enabled = false;
    std::int64_t last_step = -1; // highest time step accepted (replay guard)
};

// The second step of a two-step login: found by the hash of the mfa_token handed out after the
// password step; single-use, short-lived, and dead after k_mfa_max_failures wrong codes.
struct MfaChallenge {
    std::string token_hash;
    std::string user_id;
    model::UnixMillis created_at = 0;
    model::UnixMillis expires_at = 0;
    std::int64_t failures = 0;
};

// An agency's security policy (IAM-2, IAM-3, IAM-5). version 0: never saved, the defaults
// (today's behaviour); each saved change adds one (the ETag of the security-policy API).
struct SecurityPolicy {
    validate::PasswordPolicy password;
    bool require_2fa = false;
    std::int64_t session_idle_minutes = validate::k_session_idle_minutes.fallback;
    std::int64_t session_absolute_hours = validate::k_session_absolute_hours.fallback;
    bool jita_requires_approval = true; // ACC-3: staff grants wait for an owner's or admin's approval
    std::int64_t version = 0;
    model::UnixMillis updated_at = 0;
};

// A user as an agency's admins see them (users administration, sqlite_store_users.cpp): the
// memberships inside that agency only, live and deactivated alike.
struct AgencyUser {
    model::User user;
    std::vector<model::Membership> memberships; // inside the agency, deactivated ones included
    bool invited = false;     // created by invitation, never accepted (no password yet)
    bool deactivated = false; // deactivated in this agency (or everywhere: users.active = 0)
    bool totp_enabled = false;
    std::optional<model::UnixMillis> last_login_at;
};

// An invitation link (ACC-2): found by the hash of its token; single use, 7 days, one agency.
struct Invite {
    std::string token_hash;
    std::string agency_id;
    std::string user_id;
    std::string created_by; // the inviting user's id
    model::UnixMillis created_at = 0;
    model::UnixMillis expires_at = 0;
    model::UnixMillis used_at = 0; // 0: unused
};

// A sub-account's security policy (IAM-3): version 0 means never saved (no requirement).
struct AccountSecurityPolicy {
    bool require_2fa = false;
    std::int64_t version = 0;
    model::UnixMillis updated_at = 0;
    // CRM-5: what free text holding a card number, IBAN, SSN or passport number gets (the
    // sub-account's accounts.sensitive_data_policy, versioned with this policy).
    validate::SensitivePolicy sensitive_data_policy = validate::SensitivePolicy::refuse;
};

// List query for contacts (cursor pagination, stable order by (sort key, id)).
struct ContactQuery {
    std::string q;               // name prefix (first, last or "first last") or exact email
    std::string sort = "name";   // "name" | "-name" | "updated_at" | "-updated_at" | "created_at" | "-created_at"
    std::size_t limit = 50;      // 1..200 (caller validates)
    std::string cursor;          // opaque, from a previous page's next_cursor
    std::optional<std::size_t> offset; // dashboard jump-to-row; ignored when cursor is set
    // Record scope (ACC-1): only records owned by one of these users (own: the actor; team: its
    // team peers); nullopt lists every record of the sub-account (scope "all").
    std::optional<std::vector<std::string>> owner_ids;
    // Filters (field[op]=value over model::k_contact_filter_fields), all of which must hold.
    std::vector<model::Filter> filters;
    bool count = false;          // also compute total
};

struct ContactPage {
    std::vector<model::Contact> items;
    std::optional<std::string> next_cursor;
    std::optional<std::int64_t> total;
    bool total_exact = true; // false: a filtered count stopped at its cap, total is a lower bound
};

// A team with its version (the ETag of the teams API).
struct StoredTeam {
    access::Team team; // member_ids sorted
    std::int64_t version = 0;
};

// AUD-5/TEN-2: one security event (app/security_events.hpp). agency_id/account_id name the tenant
// it concerns (the target of a cross-tenant attempt; empty for platform-wide events).
struct SecurityEvent {
    std::int64_t seq = 0;
    std::string id;             // "ev_..."
    model::UnixMillis at = 0;
    std::string agency_id;
    std::string account_id;
    std::string kind;           // "cross_tenant_attempt", "permission_denied_burst", "source_blocked", ...
    std::string severity;       // "low" | "medium" | "high" | "critical"
    std::string source_key;     // what thresholds count by: "user:us_...", "ip:203.0.113.7"
    std::string ip;
    std::string actor_type;     // "user", "api_key", "anonymous"
    std::string actor_id;
    nlohmann::json details = nlohmann::json::object(); // never secrets, never another tenant's data
};

// An automatic response in force: requests from source_key are refused until `until`.
struct SourceBlock {
    std::string source_key;
    model::UnixMillis until = 0;
    std::string reason;         // the event kind that triggered it
    std::string event_id;
};

// ACC-3..ACC-6: a platform staff member (a user with a platform role and no membership).
struct StaffMember {
    std::string user_id;
    access::StaffRole role = access::StaffRole::support;
    model::UnixMillis created_at = 0;
};

// A JITA grant: one staff member, one sub-account, 1..24 hours. expires_at is set when the grant
// becomes active (at once, or when the agency approves it); 0 while pending or never active.
struct JitaGrant {
    std::string id;         // "gr_..."
    std::string staff_id;
    std::string agency_id;
    std::string account_id;
    std::string reason;
    std::int64_t hours = 0;
    access::GrantStatus status = access::GrantStatus::pending; // stored: pending|active|denied|revoked
    model::UnixMillis requested_at = 0;
    model::UnixMillis decided_at = 0;
    std::string decided_by;
    model::UnixMillis expires_at = 0;
    model::UnixMillis revoked_at = 0;
    std::string revoked_by;
};

// ACC-6: what staff see without a grant: counts, never records.
struct PlatformOverview {
    std::int64_t agencies = 0;
    std::int64_t accounts = 0;
    std::int64_t users = 0;
    std::int64_t contacts = 0;
    std::int64_t records = 0;
    std::int64_t security_events_24h = 0;
    std::int64_t active_grants = 0;
};

// Which tenants an id belongs to, whatever its kind (contacts, records, imports, teams, roles,
// users through their memberships, sessions through their user): for telling a missing id from
// another tenant's (TEN-2). Empty `tenants`: no such id anywhere.
struct IdOwner {
    std::vector<TenantScope> tenants; // account_id empty for agency-level things (roles, agency staff)
    std::string user_id;              // sessions: their user; users: themselves
};

// AUD-4: an agency's retention settings (stronghold/audit/retention.hpp) and a job run's counts.
struct AuditRetention {
    audit::RetentionDays days = audit::default_retention_days();
    std::int64_t version = 0; // 0: never changed, the defaults
    model::UnixMillis updated_at = 0;
};

struct RetentionRun {
    std::int64_t details_cleared = 0;
    std::int64_t events_deleted = 0;
};

// AUD-1/AUD-2 audit reads (GET .../audit): one agency's chain, newest first, optionally one
// sub-account's rows only; every filter exact ("" = any) except an action ending in '.', which
// matches that prefix ("contact." -> every contact action).
struct AuditQuery {
    std::string agency_id;
    std::string account_id;
    std::string actor_id;
    std::string action;
    std::string target_id;
    model::UnixMillis since = 0; // at >= since (0: open)
    model::UnixMillis until = 0; // at < until (0: open)
    std::int64_t before_seq = 0; // cursor: seq < before_seq (0: from the newest)
    std::size_t limit = 50;      // 0: every match (exports)
};

// The first answer to a POST with an Idempotency-Key (RES-4, app/idempotency.hpp): what a retry
// with the same key gets back instead of running the handler again.
struct IdempotentAnswer {
    std::string request_hash; // hash of the request's target and body: another request under the key is refused
    int status = 0;
    nlohmann::json headers = nlohmann::json::object(); // {"ETag": "\"1\"", ...}: Content-Type, ETag, Location only
    std::string body;
    model::UnixMillis created_at = 0;
};

// List query for records of one kind (store/sqlite_store_records.cpp): cursor pagination in a
// stable order by (sort key, id).
struct RecordQuery {
    model::Kind kind = model::Kind::company;
    std::string q;             // prefix of the title (lower-cased match)
    std::string sort = "name"; // "name" | "-name" | "updated_at" | "-updated_at" | "created_at" | "-created_at"
    std::size_t limit = 50;    // 1..200 (caller validates)
    std::string cursor;
    std::optional<std::vector<std::string>> owner_ids; // record scope (own/team); nullopt: all
    std::string parent_id;     // notes/tasks of one record, deals of one pipeline, tickets of one contact
    std::vector<model::Filter> filters; // fields of the kind (validated by the caller) + created_at/updated_at
    bool count = false;
};

struct RecordPage {
    std::vector<model::Record> items;
    std::optional<std::string> next_cursor;
    std::optional<std::int64_t> total;
};

// One version of a record (RES-2): the record's data as it was after that change.
struct RecordVersion {
    std::int64_t version = 0;
    model::UnixMillis at = 0;
    std::string actor_id;
    nlohmann::json data;   // contacts: the stored contact JSON; records: the data object
    bool deleted = false;  // the tombstone written by a delete
};

// A trashed record of any kind (RES-1).
struct TrashItem {
    std::string id;
    std::string kind;      // "contact", "company", ...
    std::string title;
    std::string owner_id;   // record scope decides who sees it in the trash
    std::string parent_id;  // notes: the record they are attached to
    std::int64_t version = 0;
    model::UnixMillis deleted_at = 0;
    std::string deleted_by; // user id from the tombstone version
};

// A CSV import job (CRM-4, app/import.hpp) as stored: the progress that GET .../imports/{id}
// shows, the counts and the first row errors. Its records are written batch by batch, each
// batch in one transaction with the job's progress, so a crash leaves only whole batches.
inline constexpr std::size_t k_max_import_errors = 1000; // row errors kept per job (counts go on)

struct ImportJob {
    std::string id;           // "im_..."
    std::string agency_id;
    std::string account_id;
    std::string object = "contacts";
    std::string status = "running"; // "running" | "done" | "failed"
    bool dry_run = false;
    std::string created_by;   // user id; empty for the command line
    std::int64_t rows_done = 0; // data rows read (blank lines not counted)
    std::int64_t created = 0;
    std::int64_t failed = 0;
    std::int64_t bytes_done = 0;
    std::int64_t bytes_total = 0; // 0 when unknown (a stream)
    nlohmann::json mapping = nlohmann::json::object(); // {"CSV header":"field"} as applied
    nlohmann::json errors = nlohmann::json::array();   // [{row, column, code, message}], first k_max_import_errors
    nlohmann::json failure;   // null, or {code, message, row, column} when the file itself could not be read
    std::string file_sha256;  // hex, set when the whole file was read
    model::UnixMillis created_at = 0;
    model::UnixMillis updated_at = 0;
    model::UnixMillis finished_at = 0; // 0 while running
};

class Store {
public:
    virtual ~Store() = default;

    // Cheap round trip to the database for /healthz (e.g. SELECT 1 on a reader connection).
    // Added by the API engineer; the default reports "not implemented" so health never lies.
    virtual Status ping() { return api::make_error(api::ErrorCode::unavailable, "store ping not implemented"); }

    // --- platform level: tenants and identities (not tenant CRM data) ---
    virtual Result<model::Agency> create_agency(const model::Agency& agency, const ActorRef& actor) = 0;
    virtual Result<model::Account> create_account(const model::Account& account, const ActorRef& actor) = 0;
    virtual std::optional<model::Agency> find_agency(const std::string& agency_id) = 0;
    virtual std::optional<model::Account> find_account(const std::string& account_id) = 0;
    virtual std::vector<model::Account> accounts_of_agency(const std::string& agency_id) = 0;
    // Creates the user with the password hash and its first membership, in one transaction.
    // Duplicate email -> conflict (field "email").
    virtual Result<model::User> create_user(const model::User& user, const std::string& password_hash,
                                            const model::Membership& membership, const ActorRef& actor) = 0;
    virtual std::optional<Credentials> find_credentials_by_email(const std::string& email_lower) = 0;
    virtual std::optional<model::User> find_user(const std::string& user_id) = 0;
    virtual std::vector<model::Membership> memberships_of(const std::string& user_id) = 0;
    // Added with the SQLite store: the agency, its first sub-account and its owner (membership
    // agency_owner on the agency) in one transaction, so a failure (e.g. the email is taken:
    // conflict, field "email") leaves no agency without an owner. Used by `admin create-agency`
    // and the dev seed.
    virtual Status create_agency_with_owner(const model::Agency& agency, const model::Account& first_account,
                                            const model::User& owner, const std::string& password_hash,
                                            const ActorRef& actor) = 0;
    // Replaces a user's password hash (with an audit row "user.password_set"); not_found for an
    // unknown user. Callers revoke the user's other sessions as IAM-5 requires.
    virtual Status set_password_hash(const std::string& user_id, const std::string& password_hash,
                                     const ActorRef& actor) = 0;

    // --- sessions (stored by token hash only) ---
    virtual Status create_session(const Session& session) = 0;
    virtual std::optional<Session> find_session(const std::string& token_hash) = 0;
    virtual Status touch_session(const std::string& token_hash, model::UnixMillis now) = 0;
    virtual Status delete_session(const std::string& token_hash) = 0;

    // --- sessions management and password change (IAM-5, sqlite_store_sessions.cpp) ---
    virtual std::vector<Session> sessions_of_user(const std::string& user_id) = 0; // newest first
    // Deletes the session `session_id` of `user_id` and writes `audit` in one transaction;
    // returns the deleted session (its token_hash closes its sockets). not_found when the
    // session does not exist or belongs to someone else.
    virtual Result<Session> revoke_session(const std::string& user_id, const std::string& session_id,
                                           const AuditEntry& audit) = 0;
    // Sets the password hash, deletes every session of the user except `keep_token_hash` and
    // writes `audit`, in one transaction; returns the token hashes of the deleted sessions.
    virtual Result<std::vector<std::string>> change_password(const std::string& user_id,
                                                             const std::string& password_hash,
                                                             const std::string& keep_token_hash,
                                                             const AuditEntry& audit) = 0;

    // --- login throttling (IAM-7): counters by opaque key ---
    virtual LoginFailureCounter login_failures(const std::string& key) = 0; // zeroes when none
    // Adds one failure: a counter whose window (from first_at) has passed starts again at 1.
    // `block_at`: failures that set blocked_until = now + block_ms. Returns the new counter.
    virtual Result<LoginFailureCounter> add_login_failure(const std::string& key, model::UnixMillis now,
                                                          model::UnixMillis window_ms, std::int64_t block_at,
                                                          model::UnixMillis block_ms) = 0;
    virtual Status clear_login_failures(const std::string& key) = 0;
    // Removes counters idle since before `before` and not blocked at `now`.
    virtual Status prune_login_failures(model::UnixMillis before, model::UnixMillis now) = 0;
    // Records a successful login's device family; true when the user had signed in before but
    // never from this family (the new-device mail), false for a known family or a first login.
    virtual Result<bool> note_login_device(const std::string& user_id, const std::string& family,
                                           model::UnixMillis now) = 0;

    // --- mail ---
    virtual Status enqueue_mail(const OutboxMail& mail) = 0; // the SMTP sender drains the outbox
    // --- SMTP sender and password reset (mail/smtp_sender.cpp, app/password_reset.cpp;
    //     sqlite_store_mail.cpp) ---
    // Unsent, not given up, due (next_try_at <= now) mails, oldest first, at most `limit`.
    virtual std::vector<PendingMail> pending_mail(model::UnixMillis now, std::size_t limit) = 0;
    // Delivered: sets sent_at and clears the template data (a sent mail's fields, a sealed reset
    // link among them, have no further use).
    virtual Status mark_mail_sent(const std::string& id, model::UnixMillis now) = 0;
    // A failed delivery: stores `attempts` and retries at `next_try_at`; nullopt gives up (sets
    // failed_at = now, the row stays for inspection).
    virtual Status mark_mail_failed(const std::string& id, std::int64_t attempts,
                                    std::optional<model::UnixMillis> next_try_at, model::UnixMillis now) = 0;
    // Stores the reset, enqueues its mail and writes `audit`, in one transaction.
    virtual Status create_password_reset(const PasswordReset& reset, const OutboxMail& mail,
                                         const AuditEntry& audit) = 0;
    virtual std::optional<PasswordReset> find_password_reset(const std::string& token_hash) = 0;
    // In one transaction: marks the reset used if it is unused and unexpired at audit.at (else
    // validation_failed, field "token": single use under concurrency), sets the user's password
    // hash, deletes ALL the user's sessions and writes `audit`. Returns the deleted token hashes.
    virtual Result<std::vector<std::string>> reset_password(const std::string& token_hash,
                                                            const std::string& password_hash,
                                                            const AuditEntry& audit) = 0;

    // --- two-factor authentication (IAM-3, IAM-6; sqlite_store_mfa.cpp) ---
    virtual std::optional<TotpState> find_totp(const std::string& user_id) = 0;
    // Stores a new pending seed (replacing an earlier pending one) and writes `audit`, in one
    // transaction; conflict when 2FA is already enabled.
    virtual Status start_totp_enrolment(const std::string& user_id, const std::string& sealed_secret,
                                        model::UnixMillis now, const AuditEntry& audit) = 0;
    // Enables the pending seed with `step` as the first used step, replaces the recovery codes by
    // `recovery_code_hashes` and writes `audit`, in one transaction; conflict when there is no
    // pending seed or the step was already used.
    virtual Status enable_totp(const std::string& user_id, std::int64_t step,
                               const std::vector<std::string>& recovery_code_hashes, model::UnixMillis now,
                               const AuditEntry& audit) = 0;
    // Removes the seed and recovery codes and writes `audit`; not_found when 2FA is off.
    virtual Status disable_totp(const std::string& user_id, const AuditEntry& audit) = 0;
    // Marks `step` used if it is newer than every accepted one (one atomic UPDATE, so parallel
    // requests with one code get exactly one success); conflict otherwise.
    virtual Status consume_totp_step(const std::string& user_id, std::int64_t step) = 0;
    // Marks an unused recovery code used; not_found when there is no such unused code.
    virtual Status consume_recovery_code(const std::string& user_id, const std::string& code_hash,
                                         model::UnixMillis now) = 0;
    virtual Status create_mfa_challenge(const MfaChallenge& challenge) = 0;
    virtual std::optional<MfaChallenge> find_mfa_challenge(const std::string& token_hash) = 0;
    // Counts one wrong code; the challenge is deleted once it reaches max_failures.
    virtual Status add_mfa_failure(const std::string& token_hash, std::int64_t max_failures) = 0;
    // Deletes the challenge; not_found when it was already used (single use under concurrency).
    virtual Status consume_mfa_challenge(const std::string& token_hash) = 0;
    // Sets the session's reauth_at (IAM-6) and writes `audit`, in one transaction.
    virtual Status mark_session_reauth(const std::string& token_hash, model::UnixMillis now,
                                       const AuditEntry& audit) = 0;

    // --- custom roles and teams (sqlite_store_roles.cpp), ACC-1 ---
    // The agency's custom roles, by name. Built-ins are core tables, never stored.
    virtual std::vector<access::RoleDef> roles_of_agency(const std::string& agency_id) = 0;
    // One custom role of the agency; nullopt when unknown or another agency's.
    virtual std::optional<access::RoleDef> find_role(const std::string& agency_id, const std::string& role_id) = 0;
    // The custom roles with these ids (Actor::roles of a request: the ids its memberships name).
    virtual std::vector<access::RoleDef> roles_by_id(const std::vector<std::string>& role_ids) = 0;
    // Users with a membership naming the role (their live sockets close when it changes).
    virtual std::vector<std::string> role_holders(const std::string& role_id) = 0;
    // Saves a new custom role (id, agency_id, name set by the caller; version becomes 1) and `audit`,
    // in one transaction. A name the agency already has (case-insensitive) -> conflict, field "name".
    virtual Result<access::RoleDef> create_role(const access::RoleDef& role, model::UnixMillis now,
                                                const AuditEntry& audit) = 0;
    // Replaces the role (after.id of after.agency_id) if its stored version == expected_version, else
    // precondition_failed (not_found when gone); version + 1; conflict as create_role; with `audit`.
    virtual Result<access::RoleDef> update_role(const access::RoleDef& after, std::int64_t expected_version,
                                                model::UnixMillis now, const AuditEntry& audit) = 0;
    // Deletes the role with `audit`: not_found when gone, conflict while a membership names it,
    // precondition_failed when expected_version is given and stale.
    virtual Status delete_role(const std::string& agency_id, const std::string& role_id,
                               std::optional<std::int64_t> expected_version, const AuditEntry& audit) = 0;
    // The teams the user belongs to, each with all its members (Actor::teams), in one query.
    virtual std::vector<access::Team> teams_of_user(const std::string& user_id) = 0;
    virtual std::vector<StoredTeam> teams_of_account(const std::string& account_id) = 0; // by name
    // nullopt when unknown or another sub-account's.
    virtual std::optional<StoredTeam> find_team(const std::string& account_id, const std::string& team_id) = 0;
    // Team writes (the caller checked the members), each with `audit` in one transaction; a name
    // the sub-account already has (case-insensitive) -> conflict, field "name"; update and delete
    // answer not_found / precondition_failed as the role calls do.
    virtual Result<StoredTeam> create_team(const access::Team& team, model::UnixMillis now, const AuditEntry& audit) = 0;
    virtual Result<StoredTeam> update_team(const access::Team& after, std::int64_t expected_version,
                                           model::UnixMillis now, const AuditEntry& audit) = 0;
    virtual Status delete_team(const std::string& account_id, const std::string& team_id,
                               std::optional<std::int64_t> expected_version, const AuditEntry& audit) = 0;

    // --- users administration, invitations, sub-account security (sqlite_store_users.cpp) ---
    // Users with a membership in the agency (agency-wide or in one of its sub-accounts), by email.
    virtual std::vector<AgencyUser> users_of_agency(const std::string& agency_id) = 0;
    // One of them; nullopt when the user has no membership (live or deactivated) in the agency.
    virtual std::optional<AgencyUser> agency_user(const std::string& agency_id, const std::string& user_id) = 0;
    // A new user by invitation, in one transaction: the user (invited, no password), the
    // membership, the invite (unless token_hash is empty), the mail and `audit`. Email taken ->
    // conflict (field "email").
    virtual Status invite_new_user(const model::User& user, const model::Membership& membership, const Invite& invite,
                                   const OutboxMail& mail, const AuditEntry& audit) = 0;
    // An existing user gets `membership` in `agency_id`, plus the invite (unless token_hash is
    // empty), the mail and `audit`, in one transaction. conflict (field "email") when the user
    // already has a membership in the agency.
    virtual Status add_agency_membership(const std::string& agency_id, const model::Membership& membership,
                                         const Invite& invite, const OutboxMail& mail, const AuditEntry& audit) = 0;
    // Re-send: the user's unused invites in invite.agency_id are deleted (their links stop
    // working) and `invite`, `mail`, `audit` written, in one transaction; conflict when the user
    // is no longer invited.
    virtual Status renew_invite(const Invite& invite, const OutboxMail& mail, const AuditEntry& audit) = 0;
    virtual std::optional<Invite> find_invite(const std::string& token_hash) = 0;
    // In one transaction: claims the invite if unused and unexpired at audit.at and its user is
    // still invited and active (else validation_failed, field "token"), sets the user's name and
    // password hash, ends the invited state and writes `audit`. Returns the user.
    virtual Result<model::User> accept_invite(const std::string& token_hash, const std::string& name,
                                              const std::string& password_hash, const AuditEntry& audit) = 0;
    // Deactivates (every membership of the user in the agency; users.active = 0 when none is left
    // anywhere; every session deleted) or reactivates, with `audit`, in one transaction. conflict
    // (field "active") when it would leave the agency without an active owner. Returns the
    // deleted sessions' token hashes.
    virtual Result<std::vector<std::string>> set_user_active(const std::string& agency_id, const std::string& user_id,
                                                             bool active, const AuditEntry& audit) = 0;
    // Replaces the user's memberships inside the agency by `memberships` and writes `audit`, in one
    // transaction; conflict (field "memberships") when the agency would have no active owner left.
    virtual Status replace_memberships(const std::string& agency_id, const std::string& user_id,
                                       const std::vector<model::Membership>& memberships, const AuditEntry& audit) = 0;
    virtual AccountSecurityPolicy account_security_policy(const std::string& account_id) = 0;
    // Saves `after` if the stored version (0 when never saved) == expected_version, else
    // precondition_failed; writes `audit` in the same transaction. Returns it with the new version.
    virtual Result<AccountSecurityPolicy> update_account_security_policy(const TenantScope& scope,
                                                                         const AccountSecurityPolicy& after,
                                                                         std::int64_t expected_version,
                                                                         model::UnixMillis now,
                                                                         const AuditEntry& audit) = 0;

    // --- agency security policy and password age/history (sqlite_store_policy.cpp) ---
    // The agency's policy, or the defaults (version 0) when it never changed them.
    virtual SecurityPolicy security_policy(const std::string& agency_id) = 0;
    // Saves `after` if the stored version (0 when never saved) == expected_version, else
    // precondition_failed; writes `audit` in the same transaction. Returns it with the new version.
    virtual Result<SecurityPolicy> update_security_policy(const std::string& agency_id, const SecurityPolicy& after,
                                                          std::int64_t expected_version, model::UnixMillis now,
                                                          const AuditEntry& audit) = 0;
    // When the user's password was last set (creation or change); nullopt for an unknown user.
    virtual std::optional<model::UnixMillis> password_changed_at(const std::string& user_id) = 0;
    // The hashes the user's password had before the current one, newest first, at most `limit`.
    virtual std::vector<std::string> previous_password_hashes(const std::string& user_id, std::size_t limit) = 0;

    // --- Idempotency-Key answers (RES-4; sqlite_store_idempotency.cpp) ---
    // The answer stored under (actor_id, route, key) created at or after `since`; nullopt when none.
    virtual Result<std::optional<IdempotentAnswer>> find_idempotent_answer(const std::string& actor_id,
                                                                           const std::string& route,
                                                                           const std::string& key,
                                                                           model::UnixMillis since) = 0;
    // Stores the answer (replacing an expired one under the same key) and deletes a bounded batch
    // of answers created before `prune_before`, in one transaction.
    virtual Status put_idempotent_answer(const std::string& actor_id, const std::string& route, const std::string& key,
                                         const IdempotentAnswer& answer, model::UnixMillis prune_before) = 0;

    // --- audit (append-only) ---
    virtual Status append_audit(const AuditEntry& entry) = 0;
    virtual std::vector<AuditEntry> audit_entries(const std::string& agency_id, std::size_t limit) = 0;
    // AUD-3/AUD-4: signs a checkpoint for the head of every audit chain that moved since its last
    // one (Ed25519 key in <data>/keys, made on first use). Returns how many were written.
    virtual Result<std::int64_t> checkpoint_audit(model::UnixMillis now) = 0;
    // AUD-4 retention (sqlite_store_retention.cpp): the agency's days per kind (defaults and
    // version 0 until first changed); the change checks expected_version inside the write
    // transaction (else precondition_failed) and writes `audit` with it.
    virtual AuditRetention audit_retention(const std::string& agency_id) = 0;
    virtual Result<AuditRetention> update_audit_retention(const std::string& agency_id, const audit::RetentionDays& days,
                                                          std::int64_t expected_version, model::UnixMillis now,
                                                          const AuditEntry& audit) = 0;
    // Clears the details of audit rows past their kind's days (keeping their details_hash, so the
    // chain verifies) and deletes security events past "security", in batches of short write
    // transactions; one audit.retention_applied row per agency where something went.
    virtual Result<RetentionRun> apply_audit_retention(model::UnixMillis now) = 0;

    // --- contacts: tenant data, always scoped ---
    virtual Result<ContactPage> list_contacts(const TenantScope& scope, const ContactQuery& query) = 0;
    virtual Result<model::Contact> get_contact(const TenantScope& scope, const std::string& contact_id) = 0; // not_found
    // The one mutation path: record + version row + audit row in one transaction.
    // create: contact.id, created_at, updated_at set by caller; version becomes 1.
    virtual Result<model::Contact> create_contact(const TenantScope& scope, const model::Contact& contact,
                                                  const AuditEntry& audit) = 0;
    // update: applies `after` if the stored version == expected_version (else precondition_failed),
    // version becomes expected_version + 1.
    virtual Result<model::Contact> update_contact(const TenantScope& scope, const model::Contact& after,
                                                  std::int64_t expected_version, const AuditEntry& audit) = 0;
    // delete: soft delete (trash) if the stored version == expected_version.
    virtual Status delete_contact(const TenantScope& scope, const std::string& contact_id,
                                  std::int64_t expected_version, const AuditEntry& audit) = 0;
    // Many contacts in one transaction (dev seed, later imports): one version row each, one audit row.
    // --- records of every other kind, versions, trash (RES-1, RES-2; sqlite_store_records.cpp) ---
    // Writes the record (version 1), its version row and the audit row in one transaction.
    // A unique name (tags, custom field keys, custom value keys) already taken: conflict.
    virtual Result<model::Record> create_record(const TenantScope& scope, const model::Record& record,
                                                const AuditEntry& audit) = 0;
    // A live record of the kind; not_found otherwise (another tenant, trashed, or missing).
    virtual Result<model::Record> get_record(const TenantScope& scope, model::Kind kind, const std::string& id) = 0;
    // Records the caller names, live or trashed (for restore checks and links); missing ids are absent.
    virtual Result<model::Record> get_record_any(const TenantScope& scope, const std::string& id) = 0;
    // Replaces data (owner/parent derived) when the stored version is expected_version.
    virtual Result<model::Record> update_record(const TenantScope& scope, const model::Record& after,
                                                std::int64_t expected_version, const AuditEntry& audit) = 0;
    // Moves to the trash (deleted_at, a tombstone version); links stay for a restore.
    virtual Status delete_record(const TenantScope& scope, model::Kind kind, const std::string& id,
                                 std::int64_t expected_version, const AuditEntry& audit) = 0;
    // Many updates (bulk tag/assign) or deletes in one transaction: all or nothing. Each item
    // carries its expected version in `version`. Returns the stored records.
    virtual Result<std::vector<model::Record>> bulk_write_records(const TenantScope& scope,
                                                                  const std::vector<model::Record>& afters, bool remove,
                                                                  const AuditEntry& audit) = 0;
    virtual Result<RecordPage> list_records(const TenantScope& scope, const RecordQuery& query) = 0;
    // True when `id` (any kind, contacts included) is a live record of the scope.
    virtual Result<bool> record_exists(const TenantScope& scope, const std::string& id) = 0;
    // Every version of a contact ("ct_") or record, oldest first; not_found outside the scope.
    virtual Result<std::vector<RecordVersion>> record_versions(const TenantScope& scope, const std::string& id) = 0;
    // The sub-account's trash, newest first (every kind); cursor = last item's "deleted_at:id".
    virtual Result<std::vector<TrashItem>> list_trash(const TenantScope& scope, std::size_t limit,
                                                      const std::string& cursor) = 0;
    // Takes a contact or record out of the trash (a new version); not_found when not in the trash.
    virtual Result<std::int64_t> restore_from_trash(const TenantScope& scope, const std::string& id,
                                                    model::UnixMillis now, const AuditEntry& audit) = 0;
    // Deletes for good what was trashed before `before` (all tenants): rows and versions. Returns
    // how many records went. One audit row per sub-account purged (system actor).
    virtual Result<std::int64_t> purge_trash(model::UnixMillis before, model::UnixMillis now) = 0;

    virtual Status create_contacts_bulk(const TenantScope& scope, const std::vector<model::Contact>& contacts,
                                        const AuditEntry& audit) = 0;

    // --- imports (CRM-4, RES-4; sqlite_store_import.cpp) ---
    virtual Status create_import_job(const ImportJob& job) = 0;
    virtual std::optional<ImportJob> find_import_job(const TenantScope& scope, const std::string& job_id) = 0;
    // One batch, all or nothing: the contacts (version 1, one version row each, no audit row: the
    // job writes one at its end) and the job's progress row. Empty `contacts` saves progress only.
    virtual Status import_contacts_batch(const TenantScope& scope, const std::vector<model::Contact>& contacts,
                                         const ImportJob& progress) = 0;
    // The same for records of one kind (companies, deals; sqlite_store_records.cpp): version 1 and a
    // version row each, no audit row, the job's progress row; all or nothing.
    virtual Status import_records_batch(const TenantScope& scope, const std::vector<model::Record>& records,
                                        const ImportJob& progress) = 0;
    // The job's final row and its one audit row, in one transaction.
    virtual Status finish_import_job(const ImportJob& job, const AuditEntry& audit) = 0;
    // CRM-5: refuse or mask sensitive data in the sub-account's free text; with `audit`.
    virtual Status set_sensitive_data_policy(const TenantScope& scope, validate::SensitivePolicy policy,
                                             const AuditEntry& audit) = 0;

    // --- platform staff and JITA grants (ACC-3..ACC-6; sqlite_store_staff.cpp) ---
    // The user (no membership), its staff row and its enabled TOTP seed (sealed), with `audit`,
    // in one transaction: a staff member never exists without 2FA. conflict: the email is taken.
    virtual Status create_staff(const model::User& user, const std::string& password_hash, access::StaffRole role,
                                const std::string& sealed_totp_secret, const AuditEntry& audit) = 0;
    virtual std::optional<StaffMember> find_staff(const std::string& user_id) = 0;
    // Stores a new grant with its audit row.
    virtual Status create_grant(const JitaGrant& grant, const AuditEntry& audit) = 0;
    virtual std::optional<JitaGrant> find_grant(const std::string& id) = 0;
    // Newest first: one staff member's grants, or one agency's (status filter "" = any stored status).
    virtual std::vector<JitaGrant> grants_of_staff(const std::string& staff_id, std::size_t limit) = 0;
    virtual std::vector<JitaGrant> grants_of_agency(const std::string& agency_id, const std::string& status,
                                                    std::size_t limit) = 0;
    // Grants of the staff member active at `now` (status active, expires_at > now).
    virtual std::vector<JitaGrant> live_grants(const std::string& staff_id, model::UnixMillis now) = 0;
    // Distinct sub-accounts the staff member requested grants for at or after `since`.
    virtual std::int64_t granted_accounts_since(const std::string& staff_id, model::UnixMillis since) = 0;
    // Writes `after` if the stored status is still `expected` (conflict otherwise), with `audit`.
    virtual Result<JitaGrant> update_grant(const JitaGrant& after, access::GrantStatus expected,
                                           const AuditEntry& audit) = 0;
    virtual PlatformOverview platform_overview(model::UnixMillis now) = 0;

    // --- security events and automatic responses (AUD-5, TEN-2; sqlite_store_security.cpp) ---
    // The event and its audit row in one transaction (seq and id filled by the caller's event).
    virtual Status record_security_event(const SecurityEvent& event, const AuditEntry& audit) = 0;
    // Events of `kind` from `source_key` at or after `since`.
    virtual Result<std::int64_t> count_security_events(const std::string& source_key, const std::string& kind,
                                                       model::UnixMillis since) = 0;
    // Newest first. agency_id nullopt: every tenant's (the platform console); before_seq 0: from the newest.
    virtual Result<std::vector<SecurityEvent>> list_security_events(const std::optional<std::string>& agency_id,
                                                                    std::int64_t before_seq, std::size_t limit) = 0;
    // Upserts the block (a later `until` wins) with its event and audit row, in one transaction.
    virtual Status block_source(const SourceBlock& block, const SecurityEvent& event, const AuditEntry& audit) = 0;
    // Blocks still in force at `now` (loaded once at start by the app).
    virtual Result<std::vector<SourceBlock>> active_blocks(model::UnixMillis now) = 0;
    virtual Result<IdOwner> locate_id(const std::string& id) = 0;
    // Calls fn for each audit row matching q, newest first, until fn returns false (sqlite_store_audit_query.cpp).
    virtual Status scan_audit(const AuditQuery& q, const std::function<bool(const AuditEntry&)>& fn) = 0;
};

// Opens (creating if needed) DATA_DIR/stronghold.db: WAL, foreign keys, busy timeout, and runs
// the embedded migrations forward. Errors are values (e.g. a newer schema than this binary).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& data_dir);

} // namespace stronghold::server

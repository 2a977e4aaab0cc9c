// The SQLite schema, one numbered migration per change. Never edit a migration that has
// shipped: add the next number. Tables are STRICT (types enforced), the agency id leads every
// tenant index (so a sharded PostgreSQL can distribute by it later), and the partial indexes
// on contacts cover only live rows (`deleted_at IS NULL`), which every tenant query states.
#include "store/migrations.hpp"

#include <string>

namespace stronghold::server {

namespace {

constexpr const char* k_v1_initial = R"SQL(
CREATE TABLE agencies (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE accounts (
    id                    TEXT PRIMARY KEY,
    agency_id             TEXT NOT NULL REFERENCES agencies(id),
    name                  TEXT NOT NULL,
    default_country_code  TEXT NOT NULL DEFAULT '1',
    created_at            INTEGER NOT NULL
) STRICT;
CREATE INDEX accounts_by_agency ON accounts(agency_id, created_at, id);

-- Emails are stored lower-cased (the CHECK covers ASCII, which is all a valid address holds).
-- password_hash is an Argon2id encoded string, '' for users without a password (SSO later).
CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    name           TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    password_hash  TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL
) STRICT;

-- A role in one agency or in one sub-account, never both.
CREATE TABLE memberships (
    user_id     TEXT NOT NULL REFERENCES users(id),
    agency_id   TEXT REFERENCES agencies(id),
    account_id  TEXT REFERENCES accounts(id),
    role        TEXT NOT NULL CHECK (role IN ('agency_owner','agency_admin','agency_user',
                                              'account_admin','account_user','read_only')),
    created_at  INTEGER NOT NULL,
    CHECK ((agency_id IS NULL) <> (account_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX memberships_user_agency ON memberships(user_id, agency_id) WHERE agency_id IS NOT NULL;
CREATE UNIQUE INDEX memberships_user_account ON memberships(user_id, account_id) WHERE account_id IS NOT NULL;
CREATE INDEX memberships_by_agency ON memberships(agency_id) WHERE agency_id IS NOT NULL;
CREATE INDEX memberships_by_account ON memberships(account_id) WHERE account_id IS NOT NULL;

-- Sessions are found by the hash of their token; the token itself is never stored (IAM-5).
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    user_id       TEXT NOT NULL REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    ip            TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id);

-- Append-only (AUD-3): the triggers refuse any UPDATE or DELETE, whoever runs it. The hash
-- chain and retention (which clears old details) come with later migrations.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    at           INTEGER NOT NULL,
    agency_id    TEXT NOT NULL DEFAULT '',
    account_id   TEXT NOT NULL DEFAULT '',
    actor_type   TEXT NOT NULL,
    actor_id     TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    target_type  TEXT NOT NULL DEFAULT '',
    target_id    TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL CHECK (outcome IN ('success','failure','denied')),
    details      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
) STRICT;
CREATE INDEX audit_by_agency ON audit_log(agency_id, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Contacts. Derived, lower-cased columns serve sorting and prefix search through index
-- ranges (never LIKE '%..%'): sort_name is the lower-cased "first last" (the display name when
-- both are empty), full_lower the lower-cased "first last", last_lower the last name.
CREATE TABLE contacts (
    id            TEXT PRIMARY KEY,
    agency_id     TEXT NOT NULL,
    account_id    TEXT NOT NULL REFERENCES accounts(id),
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT NOT NULL DEFAULT '',
    sort_name     TEXT NOT NULL,
    full_lower    TEXT NOT NULL,
    last_lower    TEXT NOT NULL,
    emails        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(emails)),
    phones        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(phones)),
    company_name  TEXT NOT NULL DEFAULT '',
    owner_id      TEXT NOT NULL DEFAULT '',
    tags          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    version       INTEGER NOT NULL CHECK (version >= 1),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER
) STRICT;
CREATE INDEX contacts_by_name ON contacts(agency_id, account_id, sort_name, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_updated ON contacts(agency_id, account_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_created ON contacts(agency_id, account_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_full ON contacts(agency_id, account_id, full_lower) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_last ON contacts(agency_id, account_id, last_lower) WHERE deleted_at IS NULL;
CREATE INDEX contacts_trash ON contacts(agency_id, account_id, deleted_at) WHERE deleted_at IS NOT NULL;

-- Every version of a contact as a full JSON record (RES-2); a delete adds a tombstone version.
CREATE TABLE contact_versions (
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    version     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    actor_id    TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL CHECK (json_valid(data)),
    PRIMARY KEY (contact_id, version)
) STRICT, WITHOUT ROWID;

-- Exact-email search: one row per (contact, lower-cased address). Rows of trashed contacts
-- stay (a restore needs nothing); queries join the live contact.
CREATE TABLE contact_emails (
    agency_id   TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    email       TEXT NOT NULL,
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    PRIMARY KEY (agency_id, account_id, email, contact_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_emails_by_contact ON contact_emails(contact_id);
)SQL";

// IAM-7: login throttling state, the mail outbox and the devices a user has signed in from.
// login_failures is keyed by an opaque key (hash of the email + IP, or the IP alone), so the
// table never holds typed email text; it lives in the database so a block survives a restart
// and holds across processes. Rows are pruned once idle and unblocked.
constexpr const char* k_v3_login_throttle = R"SQL(
CREATE TABLE login_failures (
    key            TEXT PRIMARY KEY,
    failures       INTEGER NOT NULL CHECK (failures >= 0),
    first_at       INTEGER NOT NULL,
    last_at        INTEGER NOT NULL,
    blocked_until  INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX login_failures_by_last ON login_failures(last_at);

-- Mail waits here until the SMTP sender drains it (sent_at set), so a mail is never lost to an
-- outage and is sent by one process only.
CREATE TABLE outbox (
    id          TEXT PRIMARY KEY,
    to_addr     TEXT NOT NULL,
    template    TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER
) STRICT;
CREATE INDEX outbox_unsent ON outbox(created_at) WHERE sent_at IS NULL;

-- (user, device family such as "Chrome on Linux") of every successful login: a family never
-- seen before triggers the new-device mail.
CREATE TABLE login_devices (
    user_id     TEXT NOT NULL REFERENCES users(id),
    family      TEXT NOT NULL,
    first_at    INTEGER NOT NULL,
    last_at     INTEGER NOT NULL,
    PRIMARY KEY (user_id, family)
) STRICT, WITHOUT ROWID;
)SQL";

// IAM-3/IAM-6: TOTP seeds (sealed by the SecretStore), recovery codes and pending second login
// steps, all stored hashed or sealed; sessions remember their last re-authentication.
// Existing sessions get reauth_at 0: they must re-authenticate before a critical action.
constexpr const char* k_v2_two_factor = R"SQL(
ALTER TABLE sessions ADD COLUMN reauth_at INTEGER NOT NULL DEFAULT 0;

CREATE TABLE user_totp (
    user_id        TEXT PRIMARY KEY REFERENCES users(id),
    sealed_secret  TEXT NOT NULL,
    enabled        INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    last_step      INTEGER NOT NULL DEFAULT -1,
    created_at     INTEGER NOT NULL,
    enabled_at     INTEGER
) STRICT;

CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    used_at    INTEGER,
    PRIMARY KEY (user_id, code_hash)
) STRICT, WITHOUT ROWID;

CREATE TABLE mfa_challenges (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    failures    INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0)
) STRICT;
CREATE INDEX mfa_challenges_by_expiry ON mfa_challenges(expires_at);
)SQL";

// IAM-2/3/5/6: the agency security policy (one row per agency that changed the defaults; no row
// means the defaults), when each password was set (maximum age) and the hashes it replaced
// (no reuse of the last N). The trigger keeps the history on every path that changes a
// password hash, so no store method can forget it; it keeps at most 24 (the policy maximum).
// Existing users count their password from their creation.
constexpr const char* k_v4_security_policy = R"SQL(
CREATE TABLE agency_security_policy (
    agency_id               TEXT PRIMARY KEY REFERENCES agencies(id),
    password_profile        TEXT NOT NULL DEFAULT 'classic' CHECK (password_profile IN ('classic', 'nist_800_63b')),
    password_min_length     INTEGER NOT NULL,
    password_classes        INTEGER NOT NULL CHECK (password_classes BETWEEN 0 AND 15),
    password_history        INTEGER NOT NULL CHECK (password_history >= 0),
    password_max_age_days   INTEGER NOT NULL CHECK (password_max_age_days >= 0),
    require_2fa             INTEGER NOT NULL CHECK (require_2fa IN (0, 1)),
    session_idle_minutes    INTEGER NOT NULL CHECK (session_idle_minutes > 0),
    session_absolute_hours  INTEGER NOT NULL CHECK (session_absolute_hours > 0),
    version                 INTEGER NOT NULL CHECK (version >= 1),
    updated_at              INTEGER NOT NULL
) STRICT;

ALTER TABLE users ADD COLUMN password_changed_at INTEGER NOT NULL DEFAULT 0;
UPDATE users SET password_changed_at = created_at;

CREATE TABLE password_history (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        TEXT NOT NULL REFERENCES users(id),
    password_hash  TEXT NOT NULL
) STRICT;
CREATE INDEX password_history_by_user ON password_history(user_id, seq);

CREATE TRIGGER users_password_history AFTER UPDATE OF password_hash ON users
WHEN old.password_hash <> '' AND old.password_hash <> new.password_hash
BEGIN
    INSERT INTO password_history(user_id, password_hash) VALUES (old.id, old.password_hash);
    DELETE FROM password_history WHERE user_id = old.id AND seq NOT IN
        (SELECT seq FROM password_history WHERE user_id = old.id ORDER BY seq DESC LIMIT 24);
END;
)SQL";

// IAM-1/IAM-7 mail: the SMTP sender's retry state (attempts, next_try_at; failed_at once it gives
// up) and password reset links, stored by token hash only, single-use (used_at), 30 minutes.
constexpr const char* k_v5_mail_and_reset = R"SQL(
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE outbox ADD COLUMN next_try_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN failed_at INTEGER;
DROP INDEX outbox_unsent;
CREATE INDEX outbox_due ON outbox(next_try_at, created_at) WHERE sent_at IS NULL AND failed_at IS NULL;

CREATE TABLE password_resets (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
) STRICT;
CREATE INDEX password_resets_by_user ON password_resets(user_id);
)SQL";

// ACC-1 custom roles and teams. memberships.role now holds a built-in name or a custom role id
// ("ro_..."): SQLite cannot alter a CHECK, so the table is rebuilt (nothing references it).
// A custom role's permissions and capabilities are the core's RoleDef JSON (`definition`), read
// by the same code that the browser uses; name and version are columns for uniqueness and
// If-Match. Teams live inside one sub-account; team_members drives the "team" record scope.
constexpr const char* k_v6_roles_and_teams = R"SQL(
CREATE TABLE roles (
    id           TEXT PRIMARY KEY,
    agency_id    TEXT NOT NULL REFERENCES agencies(id),
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    definition   TEXT NOT NULL CHECK (json_valid(definition)),
    version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX roles_agency_name ON roles(agency_id, name_key);

CREATE TABLE memberships_v6 (
    user_id     TEXT NOT NULL REFERENCES users(id),
    agency_id   TEXT REFERENCES agencies(id),
    account_id  TEXT REFERENCES accounts(id),
    role        TEXT NOT NULL CHECK (role IN ('agency_owner','agency_admin','agency_user',
                                              'account_admin','account_user','read_only')
                                     OR (role LIKE 'ro\_%' ESCAPE '\' AND length(role) > 3)),
    created_at  INTEGER NOT NULL,
    CHECK ((agency_id IS NULL) <> (account_id IS NULL))
) STRICT;
INSERT INTO memberships_v6(rowid, user_id, agency_id, account_id, role, created_at)
    SELECT rowid, user_id, agency_id, account_id, role, created_at FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_v6 RENAME TO memberships;
CREATE UNIQUE INDEX memberships_user_agency ON memberships(user_id, agency_id) WHERE agency_id IS NOT NULL;
CREATE UNIQUE INDEX memberships_user_account ON memberships(user_id, account_id) WHERE account_id IS NOT NULL;
CREATE INDEX memberships_by_agency ON memberships(agency_id) WHERE agency_id IS NOT NULL;
CREATE INDEX memberships_by_account ON memberships(account_id) WHERE account_id IS NOT NULL;
CREATE INDEX memberships_by_custom_role ON memberships(role) WHERE role LIKE 'ro\_%' ESCAPE '\';

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX teams_account_name ON teams(account_id, name_key);

CREATE TABLE team_members (
    team_id  TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (team_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX team_members_by_user ON team_members(user_id, team_id);
)SQL";

// ACC-2/IAM-3/IAM-5 users administration (issue 4): invitations, stored by token hash only,
// single use, per agency (a re-send replaces the unused ones); users created by invitation are
// `invited` until they accept (no password until then). Deactivation is per agency: it marks the
// user's memberships in that agency (a membership with deactivated_at grants nothing), so one
// agency can never lock a user out of another; users.active drops to 0 once no live membership
// remains. A sub-account may require 2FA of its members (account_security_policy; no row means
// no requirement).
constexpr const char* k_v7_users_and_invites = R"SQL(
ALTER TABLE users ADD COLUMN invited INTEGER NOT NULL DEFAULT 0 CHECK (invited IN (0, 1));
ALTER TABLE memberships ADD COLUMN deactivated_at INTEGER;

CREATE TABLE invites (
    token_hash  TEXT PRIMARY KEY,
    agency_id   TEXT NOT NULL REFERENCES agencies(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
) STRICT;
CREATE INDEX invites_by_agency_user ON invites(agency_id, user_id);

CREATE TABLE account_security_policy (
    account_id   TEXT PRIMARY KEY REFERENCES accounts(id),
    agency_id    TEXT NOT NULL REFERENCES agencies(id),
    require_2fa  INTEGER NOT NULL CHECK (require_2fa IN (0, 1)),
    version      INTEGER NOT NULL CHECK (version >= 1),
    updated_at   INTEGER NOT NULL
) STRICT;
)SQL";

// RES-4: the first answer to a POST with an Idempotency-Key, per actor, route and key, kept
// 24 h (app/idempotency.cpp). headers holds only Content-Type, ETag and Location.
constexpr const char* k_v9_idempotency_keys = R"SQL(
CREATE TABLE idempotency_keys (
    actor_id      TEXT NOT NULL,
    route         TEXT NOT NULL,
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER NOT NULL,
    headers       TEXT NOT NULL CHECK (json_valid(headers)),
    body          TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (actor_id, route, key)
) STRICT;
CREATE INDEX idempotency_keys_by_created ON idempotency_keys(created_at);
)SQL";

// CRM-1, RES-1, RES-2: every CRM object but contacts in one table, typed by `kind` and
// validated by core's schema (model/record.hpp); data holds the kind's fields as JSON.
// owner_id and parent_id are copies the indexes need (record scope; notes of a record, deals of a
// pipeline); unique_key is set for kinds whose names are unique in a sub-account (tags, custom
// field keys, custom value keys) and enforced among live rows only, so a trashed tag does not
// block a new one (its restore then answers conflict).
constexpr const char* k_v8_records = R"SQL(
CREATE TABLE records (
    id          TEXT PRIMARY KEY,
    agency_id   TEXT NOT NULL,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    kind        TEXT NOT NULL,
    owner_id    TEXT NOT NULL DEFAULT '',
    parent_id   TEXT NOT NULL DEFAULT '',
    sort_key    TEXT NOT NULL DEFAULT '',
    unique_key  TEXT,
    data        TEXT NOT NULL CHECK (json_valid(data)),
    version     INTEGER NOT NULL CHECK (version >= 1),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
) STRICT;
CREATE INDEX records_by_name ON records(agency_id, account_id, kind, sort_key, id) WHERE deleted_at IS NULL;
CREATE INDEX records_by_updated ON records(agency_id, account_id, kind, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX records_by_created ON records(agency_id, account_id, kind, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX records_by_owner ON records(agency_id, account_id, kind, owner_id, sort_key, id) WHERE deleted_at IS NULL;
CREATE INDEX records_by_parent ON records(agency_id, account_id, parent_id, kind) WHERE deleted_at IS NULL;
CREATE INDEX records_trash ON records(agency_id, account_id, deleted_at) WHERE deleted_at IS NOT NULL;
CREATE UNIQUE INDEX records_unique ON records(agency_id, account_id, kind, unique_key)
    WHERE deleted_at IS NULL AND unique_key IS NOT NULL;

CREATE TABLE record_versions (
    record_id   TEXT NOT NULL REFERENCES records(id),
    version     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    actor_id    TEXT NOT NULL DEFAULT '',
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    data        TEXT NOT NULL CHECK (json_valid(data)),
    PRIMARY KEY (record_id, version)
) STRICT, WITHOUT ROWID;
)SQL";

// CRM-1 at scale (issue 5): contacts lists of 1,000,000 rows. contact_counts holds each
// sub-account's live contacts (count=true without a scan); contact_tags one row per (contact,
// tag) for tag filters. Both are kept by triggers, in the writing transaction, so no write path
// (create, bulk import, seed, trash, a later restore or purge) can forget them. Like
// contact_emails, tag rows of trashed contacts stay; queries join the live contact. The name
// search indexes now end in the keys the list sorts by (a page of a prefix search is read
// from them in order), and owner_id leads two indexes for own-scope lists and owner filters.
constexpr const char* k_v10_contacts_at_scale = R"SQL(
CREATE TABLE contact_counts (
    agency_id   TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    live        INTEGER NOT NULL CHECK (live >= 0),
    PRIMARY KEY (agency_id, account_id)
) STRICT, WITHOUT ROWID;
INSERT INTO contact_counts(agency_id, account_id, live)
    SELECT agency_id, account_id, count(*) FROM contacts WHERE deleted_at IS NULL GROUP BY agency_id, account_id;
CREATE TRIGGER contacts_count_insert AFTER INSERT ON contacts WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO contact_counts(agency_id, account_id, live) VALUES (NEW.agency_id, NEW.account_id, 1)
        ON CONFLICT(agency_id, account_id) DO UPDATE SET live = live + 1;
END;
CREATE TRIGGER contacts_count_trash AFTER UPDATE OF deleted_at ON contacts
    WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
BEGIN
    UPDATE contact_counts SET live = live - 1 WHERE agency_id = OLD.agency_id AND account_id = OLD.account_id;
END;
CREATE TRIGGER contacts_count_restore AFTER UPDATE OF deleted_at ON contacts
    WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL
BEGIN
    INSERT INTO contact_counts(agency_id, account_id, live) VALUES (NEW.agency_id, NEW.account_id, 1)
        ON CONFLICT(agency_id, account_id) DO UPDATE SET live = live + 1;
END;
CREATE TRIGGER contacts_count_purge AFTER DELETE ON contacts WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE contact_counts SET live = live - 1 WHERE agency_id = OLD.agency_id AND account_id = OLD.account_id;
END;

CREATE TABLE contact_tags (
    agency_id   TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    tag         TEXT NOT NULL,
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    PRIMARY KEY (agency_id, account_id, tag, contact_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_tags_by_contact ON contact_tags(contact_id);
INSERT OR IGNORE INTO contact_tags(agency_id, account_id, tag, contact_id)
    SELECT c.agency_id, c.account_id, t.value, c.id FROM contacts c, json_each(c.tags) t WHERE t.type = 'text';
CREATE TRIGGER contacts_tags_insert AFTER INSERT ON contacts
BEGIN
    INSERT OR IGNORE INTO contact_tags(agency_id, account_id, tag, contact_id)
        SELECT NEW.agency_id, NEW.account_id, value, NEW.id FROM json_each(NEW.tags) WHERE type = 'text';
END;
CREATE TRIGGER contacts_tags_update AFTER UPDATE OF tags ON contacts WHEN OLD.tags <> NEW.tags
BEGIN
    DELETE FROM contact_tags WHERE contact_id = OLD.id;
    INSERT OR IGNORE INTO contact_tags(agency_id, account_id, tag, contact_id)
        SELECT NEW.agency_id, NEW.account_id, value, NEW.id FROM json_each(NEW.tags) WHERE type = 'text';
END;
CREATE TRIGGER contacts_tags_purge BEFORE DELETE ON contacts
BEGIN
    DELETE FROM contact_tags WHERE contact_id = OLD.id;
END;

DROP INDEX contacts_by_full;
DROP INDEX contacts_by_last;
CREATE INDEX contacts_by_full_id ON contacts(agency_id, account_id, full_lower, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_last_sort ON contacts(agency_id, account_id, last_lower, sort_name, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_owner_name ON contacts(agency_id, account_id, owner_id, sort_name, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_owner_updated ON contacts(agency_id, account_id, owner_id, updated_at, id) WHERE deleted_at IS NULL;
)SQL";

// CRM-4 imports (app/import.hpp): one row per import job, its progress (updated in the same
// transaction as each batch of records, so it never counts rows that are not there) and its
// first 1,000 row errors. CRM-5: a sub-account chooses whether sensitive data in free text is
// refused or masked (accounts.sensitive_data_policy, read by the contacts API and imports).
constexpr const char* k_v11_import_jobs = R"SQL(
ALTER TABLE accounts ADD COLUMN sensitive_data_policy TEXT NOT NULL DEFAULT 'refuse'
    CHECK (sensitive_data_policy IN ('refuse', 'mask'));

CREATE TABLE import_jobs (
    id           TEXT PRIMARY KEY,
    agency_id    TEXT NOT NULL REFERENCES agencies(id),
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    object       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    dry_run      INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
    created_by   TEXT NOT NULL DEFAULT '',
    rows_done    INTEGER NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    bytes_done   INTEGER NOT NULL DEFAULT 0,
    bytes_total  INTEGER NOT NULL DEFAULT 0,
    mapping      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(mapping)),
    errors       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(errors)),
    failure      TEXT CHECK (failure IS NULL OR json_valid(failure)),
    file_sha256  TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    finished_at  INTEGER
) STRICT;
CREATE INDEX import_jobs_by_account ON import_jobs(agency_id, account_id, created_at);
)SQL";

// CRM-1: the contact fields issue 5 added (lifecycle stage, source, linked company, consent
// records, custom values) in one JSON column; the wire and core's model name them one by one.
constexpr const char* k_v12_contact_extra = R"SQL(
ALTER TABLE contacts ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
)SQL";

// AUD-3/AUD-4 (store/audit_chain.hpp, server/doc/audit.md): every audit row carries its position
// in its agency's chain and its hashes; grant_id is the JITA grant a staff actor used. Rows from
// before this migration get their links once at open (backfill); the update trigger lets only
// that through: a row's links are written once, nothing else ever changes. Checkpoints (signed
// chain heads) are append-only too.
constexpr const char* k_v13_audit_chain = R"SQL(
ALTER TABLE audit_log ADD COLUMN grant_id TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN chain_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_unchained ON audit_log(seq) WHERE hash = '';
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.hash <> '' OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at OR NEW.agency_id IS NOT OLD.agency_id
  OR NEW.account_id IS NOT OLD.account_id OR NEW.actor_type IS NOT OLD.actor_type OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.grant_id IS NOT OLD.grant_id OR NEW.action IS NOT OLD.action OR NEW.target_type IS NOT OLD.target_type
  OR NEW.target_id IS NOT OLD.target_id OR NEW.ip IS NOT OLD.ip OR NEW.user_agent IS NOT OLD.user_agent
  OR NEW.outcome IS NOT OLD.outcome OR NEW.details IS NOT OLD.details
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE audit_checkpoints (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id  TEXT NOT NULL,
    n          INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    hash       TEXT NOT NULL,
    at         INTEGER NOT NULL,
    key_id     TEXT NOT NULL,
    signature  TEXT NOT NULL
) STRICT;
CREATE INDEX audit_checkpoints_by_agency ON audit_checkpoints(agency_id, n);
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
)SQL";

// AUD-5/TEN-2 security events (app/security_events.hpp): what the platform and the tenant's
// admins see, one row each; `source_key` ("user:us_..", "ip:203.0.113.7") is what thresholds
// count by. source_blocks: the automatic responses in force (a block per source, until a time).
constexpr const char* k_v16_security_events = R"SQL(
CREATE TABLE security_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    at          INTEGER NOT NULL,
    agency_id   TEXT NOT NULL DEFAULT '',
    account_id  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    severity    TEXT NOT NULL CHECK (severity IN ('low','medium','high','critical')),
    source_key  TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    actor_type  TEXT NOT NULL DEFAULT '',
    actor_id    TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
) STRICT;
CREATE INDEX security_events_by_agency ON security_events(agency_id, seq);
CREATE INDEX security_events_by_source ON security_events(source_key, kind, at);
CREATE TABLE source_blocks (
    source_key  TEXT PRIMARY KEY,
    until       INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    event_id    TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
) STRICT;
)SQL";

// AUD-4 retention (app/retention.cpp, server/doc/audit.md): per agency, the days each kind of
// audit row keeps its details (a row per agency that changed them; defaults otherwise), and how
// far the job has gone through each chain per kind. A pruned row keeps its links and, in
// details_hash, the hash of the details it had, so its chain still verifies; its details become
// 'null'. The update trigger lets exactly that through besides the backfill of links.
constexpr const char* k_v18_audit_retention = R"SQL(
ALTER TABLE audit_log ADD COLUMN details_hash TEXT NOT NULL DEFAULT '';
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at OR NEW.agency_id IS NOT OLD.agency_id
  OR NEW.account_id IS NOT OLD.account_id OR NEW.actor_type IS NOT OLD.actor_type OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.grant_id IS NOT OLD.grant_id OR NEW.action IS NOT OLD.action OR NEW.target_type IS NOT OLD.target_type
  OR NEW.target_id IS NOT OLD.target_id OR NEW.ip IS NOT OLD.ip OR NEW.user_agent IS NOT OLD.user_agent
  OR NEW.outcome IS NOT OLD.outcome
  OR NOT ((OLD.hash = '' AND NEW.details IS OLD.details AND NEW.details_hash IS OLD.details_hash)
       OR (OLD.hash <> '' AND OLD.details_hash = '' AND NEW.details = 'null' AND length(NEW.details_hash) = 64
           AND NEW.chain_n IS OLD.chain_n AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash))
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE audit_retention (
    agency_id   TEXT PRIMARY KEY,
    days        TEXT NOT NULL CHECK (json_valid(days)),
    version     INTEGER NOT NULL CHECK (version >= 1),
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE TABLE audit_retention_progress (
    agency_id    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    through_seq  INTEGER NOT NULL,
    PRIMARY KEY (agency_id, kind)
) STRICT, WITHOUT ROWID;
)SQL";

// ACC-3..ACC-6 platform staff and just-in-time access (app/jita.hpp). A staff member is a user
// with a platform role and no agency membership; a grant opens one sub-account for 1..24 hours.
// The stored status is pending/active/denied/revoked; "expired" is computed from expires_at.
// Agencies choose whether grants wait for their approval (on by default).
constexpr const char* k_v17_platform_staff = R"SQL(
CREATE TABLE platform_staff (
    user_id     TEXT PRIMARY KEY REFERENCES users(id),
    role        TEXT NOT NULL CHECK (role IN ('support', 'security', 'platform_admin')),
    created_at  INTEGER NOT NULL
) STRICT;
CREATE TABLE jita_grants (
    id            TEXT PRIMARY KEY,
    staff_id      TEXT NOT NULL REFERENCES users(id),
    agency_id     TEXT NOT NULL REFERENCES agencies(id),
    account_id    TEXT NOT NULL REFERENCES accounts(id),
    reason        TEXT NOT NULL,
    hours         INTEGER NOT NULL CHECK (hours BETWEEN 1 AND 24),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'denied', 'revoked')),
    requested_at  INTEGER NOT NULL,
    decided_at    INTEGER NOT NULL DEFAULT 0,
    decided_by    TEXT NOT NULL DEFAULT '',
    expires_at    INTEGER NOT NULL DEFAULT 0,
    revoked_at    INTEGER NOT NULL DEFAULT 0,
    revoked_by    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX jita_grants_by_agency ON jita_grants(agency_id, requested_at);
CREATE INDEX jita_grants_by_staff ON jita_grants(staff_id, requested_at);
ALTER TABLE agency_security_policy ADD COLUMN jita_requires_approval INTEGER NOT NULL DEFAULT 1
    CHECK (jita_requires_approval IN (0, 1));
)SQL";

// Imports without a statement journal (issue 5): the live-count triggers of v10 used an upsert,
// whose DO UPDATE always aborts the statement on a failed constraint, so every contact INSERT kept
// a statement journal (a copy of each of the ~15 pages it touched, spilled to a temp file: most
// of an import's time). The same counts, kept by an UPDATE and an INSERT of a missing row.
constexpr const char* k_v19_contact_counts_without_upsert = R"SQL(
DROP TRIGGER contacts_count_insert;
CREATE TRIGGER contacts_count_insert AFTER INSERT ON contacts WHEN NEW.deleted_at IS NULL
BEGIN
    UPDATE contact_counts SET live = live + 1 WHERE agency_id = NEW.agency_id AND account_id = NEW.account_id;
    INSERT INTO contact_counts(agency_id, account_id, live) SELECT NEW.agency_id, NEW.account_id, 1
        WHERE NOT EXISTS (SELECT 1 FROM contact_counts WHERE agency_id = NEW.agency_id AND account_id = NEW.account_id);
END;
DROP TRIGGER contacts_count_restore;
CREATE TRIGGER contacts_count_restore AFTER UPDATE OF deleted_at ON contacts
    WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL
BEGIN
    UPDATE contact_counts SET live = live + 1 WHERE agency_id = NEW.agency_id AND account_id = NEW.account_id;
    INSERT INTO contact_counts(agency_id, account_id, live) SELECT NEW.agency_id, NEW.account_id, 1
        WHERE NOT EXISTS (SELECT 1 FROM contact_counts WHERE agency_id = NEW.agency_id AND account_id = NEW.account_id);
END;
)SQL";

// Three index entries fewer per contact (issue 5, CRM-4 import speed): contacts_by_full_id
// duplicated contacts_by_name (sort_name is full_lower whenever a contact has a name; a name
// search now reads sort_name and checks full_lower = sort_name); contact_tags_by_contact and
// contact_emails_by_contact served only deletes, which now find a contact's rows by their key
// (the old tags in the triggers; the old addresses, folded, in the store's code).
// Import batches run with triggers off (SqliteStore::import_contacts_batch writes the tag rows and
// the live count itself): a new trigger on contacts needs its counterpart there.
constexpr const char* k_v20_fewer_contact_indexes = R"SQL(
DROP INDEX contacts_by_full_id;
DROP INDEX contact_tags_by_contact;
DROP INDEX contact_emails_by_contact;
DROP TRIGGER contacts_tags_update;
CREATE TRIGGER contacts_tags_update AFTER UPDATE OF tags ON contacts WHEN OLD.tags <> NEW.tags
BEGIN
    DELETE FROM contact_tags WHERE agency_id = OLD.agency_id AND account_id = OLD.account_id AND contact_id = OLD.id
        AND tag IN (SELECT value FROM json_each(OLD.tags) WHERE type = 'text');
    INSERT OR IGNORE INTO contact_tags(agency_id, account_id, tag, contact_id)
        SELECT NEW.agency_id, NEW.account_id, value, NEW.id FROM json_each(NEW.tags) WHERE type = 'text';
END;
DROP TRIGGER contacts_tags_purge;
CREATE TRIGGER contacts_tags_purge BEFORE DELETE ON contacts
BEGIN
    DELETE FROM contact_tags WHERE agency_id = OLD.agency_id AND account_id = OLD.account_id AND contact_id = OLD.id
        AND tag IN (SELECT value FROM json_each(OLD.tags) WHERE type = 'text');
END;
)SQL";

constexpr Migration k_migrations[] = {
    {1, "initial schema: tenants, users, sessions, audit, contacts", k_v1_initial},
    {2, "two-factor: TOTP seeds, recovery codes, login challenges, session reauth_at", k_v2_two_factor},
    {3, "login throttling, mail outbox, login devices", k_v3_login_throttle},
    {4, "agency security policy, password age and history", k_v4_security_policy},
    {5, "mail retries, password reset links", k_v5_mail_and_reset},
    {6, "custom roles, teams; memberships name custom roles", k_v6_roles_and_teams},
    {7, "invitations, per-agency deactivation, sub-account 2FA requirement", k_v7_users_and_invites},
    {8, "records of every CRM object but contacts, their versions", k_v8_records},
    {9, "Idempotency-Key answers", k_v9_idempotency_keys},
    {10, "contacts at scale: live counts, tag rows, sort-ordered search and owner indexes", k_v10_contacts_at_scale},
    {11, "import jobs; sub-account sensitive-data policy", k_v11_import_jobs},
    {12, "contacts: lifecycle stage, source, company, consents, custom values", k_v12_contact_extra},
    {13, "audit hash chain: links per row, signed checkpoints", k_v13_audit_chain},
    {16, "security events and automatic source blocks", k_v16_security_events},
    {17, "platform staff, JITA grants, agency approval setting", k_v17_platform_staff},
    {18, "audit retention per kind: details_hash of pruned rows, settings, progress", k_v18_audit_retention},
    {19, "contact live counts without an upsert (imports need no statement journal)", k_v19_contact_counts_without_upsert},
    {20, "contacts: three index entries fewer per row (name search on sort_name, tag and email rows deleted by key)", k_v20_fewer_contact_indexes},
};

api::Error newer_schema_error(int found)
{
    return api::make_error(api::ErrorCode::internal, "the database schema (version " + std::to_string(found) +
                                                         ") is newer than this program knows (version " +
                                                         std::to_string(sqlite_schema_version_known()) +
                                                         "); upgrade the program");
}

} // namespace

std::span<const Migration> sqlite_migrations()
{
    return k_migrations;
}

int sqlite_schema_version_known()
{
    return k_migrations[std::size(k_migrations) - 1].version;
}

Result<int> sqlite_schema_version(sqlite::Db& db)
{
    if (auto st = db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT");
        !st)
        return st.error();
    auto stmt = sqlite::Stmt::prepare(db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    return static_cast<int>(stmt->int64(0));
}

Status run_sqlite_migrations(sqlite::Db& db, std::int64_t now_ms)
{
    for (const Migration& m : sqlite_migrations()) {
        // The version is read inside the write transaction: another process may have applied
        // this migration while we waited for the lock.
        auto tx = sqlite::Tx::begin(db);
        if (!tx)
            return tx.error();
        auto current = sqlite_schema_version(db);
        if (!current)
            return current.error();
        if (*current > sqlite_schema_version_known())
            return newer_schema_error(*current);
        // Applied is what schema_migrations lists, not everything below its maximum: migrations
        // written side by side may have reached a development database out of order.
        auto applied = sqlite::Stmt::prepare(db, "SELECT 1 FROM schema_migrations WHERE version = ?");
        if (!applied)
            return applied.error();
        applied->bind(1, m.version);
        auto row = applied->step();
        if (!row)
            return row.error();
        if (*row)
            continue; // already applied; the Tx destructor ends the empty transaction
        if (auto st = db.exec(m.sql); !st)
            return st.error();
        auto ins = sqlite::Stmt::prepare(db, "INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)");
        if (!ins)
            return ins.error();
        if (auto st = ins->bind(1, m.version).bind(2, now_ms).run(); !st)
            return st.error();
        if (auto st = tx->commit(); !st)
            return st.error();
    }
    // A fresh binary on a newer file when every known migration was already present.
    auto current = sqlite_schema_version(db);
    if (!current)
        return current.error();
    if (*current > sqlite_schema_version_known())
        return newer_schema_error(*current);
    return {};
}

} // namespace stronghold::server

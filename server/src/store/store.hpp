// Storage interface. SQLite (store/sqlite_store.cpp) is the default; PostgreSQL comes later
// behind the same interface. Rule: tenant data is reachable only through a TenantScope, so a
// query without a scope cannot compile. Every mutation of a record writes the record, a
// version row and an audit row in one transaction (the *_tx helpers below do all three).
#pragma once

#include "stronghold/api/result.hpp"
#include "stronghold/model/contact.hpp"
#include "stronghold/model/tenancy.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
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
    std::string type = "user"; // "user", "system", "cli"
    std::string id;            // user id, or empty for system/cli
    std::string ip;
    std::string user_agent;
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
};

struct Credentials {
    model::User user;
    std::string password_hash; // Argon2id encoded; empty when the user has none
};

// List query for contacts (cursor pagination, stable order by (sort key, id)).
struct ContactQuery {
    std::string q;               // name prefix (first, last or "first last") or exact email
    std::string sort = "name";   // "name" | "-name" | "updated_at" | "-updated_at" | "created_at" | "-created_at"
    std::size_t limit = 50;      // 1..200 (caller validates)
    std::string cursor;          // opaque, from a previous page's next_cursor
    std::optional<std::size_t> offset; // dashboard jump-to-row; ignored when cursor is set
    bool count = false;          // also compute total
};

struct ContactPage {
    std::vector<model::Contact> items;
    std::optional<std::string> next_cursor;
    std::optional<std::int64_t> total;
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

    // --- audit (append-only) ---
    virtual Status append_audit(const AuditEntry& entry) = 0;
    virtual std::vector<AuditEntry> audit_entries(const std::string& agency_id, std::size_t limit) = 0;

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
    virtual Status create_contacts_bulk(const TenantScope& scope, const std::vector<model::Contact>& contacts,
                                        const AuditEntry& audit) = 0;
};

// Opens (creating if needed) DATA_DIR/stronghold.db: WAL, foreign keys, busy timeout, and runs
// the embedded migrations forward. Errors are values (e.g. a newer schema than this binary).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& data_dir);

} // namespace stronghold::server

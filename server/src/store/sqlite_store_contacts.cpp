// SQLite store, part 2: contacts (tenant data). Every statement here carries
// `agency_id = ? AND account_id = ?` and, for reads, `deleted_at IS NULL` (TEN-1); every
// mutation writes the row, one contact_versions row and one audit row in one transaction
// (RES-2, RES-4, AUD-1).
//
// [SECTION] Row mapping
// [SECTION] Writing rows
// [SECTION] Reads
// [SECTION] Mutations
// Lists: sqlite_store_contacts_list.cpp.
#include "store/contact_keys.hpp"
#include "store/contact_rows.hpp"
#include "store/sqlite_store_impl.hpp"

#include "stronghold/io/json_text.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <string>

namespace stronghold::server {

namespace {

// [SECTION] Row mapping

constexpr const char* k_contact_cols = "id, account_id, first_name, last_name, emails, phones, company_name, owner_id,"
                                       " tags, version, created_at, updated_at, extra";

std::vector<std::string> string_array(const std::string& text)
{
    std::vector<std::string> out;
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_array())
        return out;
    for (const auto& v : j)
        if (v.is_string())
            out.push_back(v.get<std::string>());
    return out;
}

} // namespace

nlohmann::json extra_json(const model::Contact& c)
{
    return {{"lifecycle_stage", c.lifecycle_stage},
            {"source", c.source},
            {"company_id", c.company_id},
            {"consents", model::consents_json(c.consents)},
            {"custom", c.custom.is_object() ? c.custom : nlohmann::json::object()}};
}

namespace {

std::string json_strings(const std::vector<std::string>& items)
{
    std::string out;
    io::append_json_strings(out, items);
    return out;
}

// The JSON values of extra_json()'s two structured members. Both are rare on bulk paths:
// nlohmann writes them when they are not empty.
std::string consents_text(const model::Contact& c)
{
    return c.consents.empty() ? std::string("[]") : model::consents_json(c.consents).dump();
}

std::string custom_text(const model::Contact& c)
{
    return c.custom.is_object() && !c.custom.empty() ? c.custom.dump() : std::string("{}");
}

} // namespace

void apply_extra(model::Contact& c, const nlohmann::json& extra)
{
    if (!extra.is_object())
        return;
    c.lifecycle_stage = extra.value("lifecycle_stage", "");
    c.source = extra.value("source", "");
    c.company_id = extra.value("company_id", "");
    if (const auto it = extra.find("consents"); it != extra.end())
        c.consents = model::consents_from_json(*it);
    if (const auto it = extra.find("custom"); it != extra.end() && it->is_object())
        c.custom = *it;
}

std::string contact_cols(std::string_view prefix)
{
    std::string out;
    std::string_view cols = k_contact_cols;
    while (!cols.empty()) {
        const auto comma = cols.find(',');
        auto name = cols.substr(0, comma);
        while (!name.empty() && name.front() == ' ')
            name.remove_prefix(1);
        out += (out.empty() ? "" : ", ") + std::string(prefix) + std::string(name);
        cols = comma == std::string_view::npos ? std::string_view{} : cols.substr(comma + 1);
    }
    return out;
}

model::Contact read_contact(const sqlite::Stmt& s)
{
    model::Contact c;
    c.id = s.text(0);
    c.account_id = s.text(1);
    c.first_name = s.text(2);
    c.last_name = s.text(3);
    c.emails = string_array(s.text(4));
    c.phones = string_array(s.text(5));
    c.company_name = s.text(6);
    c.owner_id = s.text(7);
    c.tags = string_array(s.text(8));
    c.version = s.int64(9);
    c.created_at = s.int64(10);
    c.updated_at = s.int64(11);
    apply_extra(c, nlohmann::json::parse(s.text(12), nullptr, false));
    return c;
}

// The `extra` column's text: extra_json(c).dump() (its keys in nlohmann's sorted order),
// written directly (every import row has one), or "{}" (the column's default, which apply_extra
// reads as all defaults) when it would say no more than a contact without these fields.
std::string extra_text(const model::Contact& c)
{
    std::string out;
    io::JsonObject o(out);
    o.str("company_id", c.company_id);
    o.key("consents") += consents_text(c);
    o.key("custom") += custom_text(c);
    o.str("lifecycle_stage", c.lifecycle_stage);
    o.str("source", c.source);
    o.close();
    static const std::string k_defaults = extra_json(model::Contact{}).dump();
    return out == k_defaults ? std::string("{}") : out;
}

// The full record of one version, as kept in contact_versions (times in Unix millis, so a
// revert restores exactly what was stored): the contact's members and extra_json()'s, in
// nlohmann's (sorted) order, written directly: an import writes one per row.
std::string record_json(const model::Contact& c, bool deleted)
{
    std::string out;
    out.reserve(512);
    io::JsonObject o(out);
    o.str("account_id", c.account_id);
    o.str("company_id", c.company_id);
    o.str("company_name", c.company_name);
    o.key("consents") += consents_text(c);
    o.num("created_at", c.created_at);
    o.key("custom") += custom_text(c);
    if (deleted)
        o.key("deleted") += "true";
    io::append_json_strings(o.key("emails"), c.emails);
    o.str("first_name", c.first_name);
    o.str("id", c.id);
    o.str("last_name", c.last_name);
    o.str("lifecycle_stage", c.lifecycle_stage);
    o.str("owner_id", c.owner_id);
    io::append_json_strings(o.key("phones"), c.phones);
    o.str("source", c.source);
    io::append_json_strings(o.key("tags"), c.tags);
    o.num("updated_at", c.updated_at);
    o.num("version", c.version);
    o.close();
    return out;
}

namespace {

// [SECTION] Writing rows

// contact_emails rows are found by their key (no index by contact): a contact's rows are those of
// the addresses in its `emails` column, folded as they were stored.
constexpr const char* k_delete_contact_email =
    "DELETE FROM contact_emails WHERE agency_id=? AND account_id=? AND email=? AND contact_id=?";

// Runs `s` (an INSERT or DELETE of contact_emails: agency, account, folded address, contact) once
// per address.
Status run_per_email(sqlite::Stmt& s, const TenantScope& scope, const std::string& contact_id,
                     const std::vector<std::string>& emails)
{
    for (const auto& e : emails) {
        s.reset();
        if (auto st = s.bind(1, scope.agency_id).bind(2, scope.account_id).bind(3, fold_lower(e)).bind(4, contact_id).run();
            !st)
            return st;
    }
    return {};
}

} // namespace

Status delete_contact_emails(sqlite::Stmt& del, const TenantScope& scope, const std::string& contact_id,
                             const std::string& emails_json)
{
    return run_per_email(del, scope, contact_id, string_array(emails_json));
}

Result<sqlite::Stmt> prepare_delete_contact_email(sqlite::Db& db)
{
    return sqlite::Stmt::prepare(db, k_delete_contact_email);
}

namespace {

// Prepared once per transaction and reused for every row (the bulk path writes 100k rows).
// import: the INSERT is OR ROLLBACK. A failed constraint then ends the whole transaction (an
// import batch is all or nothing anyway) instead of the statement, so SQLite keeps no statement
// journal: without it every contact INSERT (a row, 8 index entries and the tag and count
// triggers: ~15 pages) copied each page it touched first, which was most of an import's time.
// The triggers' INSERT OR IGNORE of tag rows takes the ROLLBACK too: the parser drops repeated
// tags and a new contact has no tag rows yet, so it never conflicts.
class ContactWriter {
public:
    static Result<ContactWriter> make(sqlite::Db& db, bool import = false)
    {
        ContactWriter w;
        auto ins = sqlite::Stmt::prepare(
            db, std::string(import ? "INSERT OR ROLLBACK" : "INSERT") +
                    " INTO contacts(id, agency_id, account_id, first_name, last_name, sort_name, full_lower,"
                " last_lower, emails, phones, company_name, owner_id, tags, version, created_at, updated_at, extra)"
                " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)");
        auto upd = sqlite::Stmt::prepare(
            db, "UPDATE contacts SET first_name=?4, last_name=?5, sort_name=?6, full_lower=?7, last_lower=?8,"
                " emails=?9, phones=?10, company_name=?11, owner_id=?12, tags=?13, version=?14, updated_at=?16, extra=?17"
                " WHERE id=?1 AND agency_id=?2 AND account_id=?3 AND deleted_at IS NULL");
        auto email = sqlite::Stmt::prepare(db, "INSERT OR IGNORE INTO contact_emails(agency_id, account_id, email,"
                                               " contact_id) VALUES (?,?,?,?)");
        auto old = sqlite::Stmt::prepare(db, "SELECT emails FROM contacts WHERE id=? AND agency_id=? AND account_id=?");
        auto clear = sqlite::Stmt::prepare(db, k_delete_contact_email);
        auto ver = sqlite::Stmt::prepare(db, "INSERT INTO contact_versions(contact_id, version, at, actor_id, data)"
                                             " VALUES (?,?,?,?,?)");
        for (auto* r : {&ins, &upd, &email, &old, &clear, &ver})
            if (!*r)
                return r->error();
        if (import) { // triggers off: the tag rows contacts_tags_insert would add
            auto tag = sqlite::Stmt::prepare(db, "INSERT OR ROLLBACK INTO contact_tags(agency_id, account_id, tag,"
                                                 " contact_id) VALUES (?,?,?,?)");
            if (!tag)
                return tag.error();
            w.m_tag = std::move(*tag);
        }
        w.m_insert = std::move(*ins);
        w.m_update = std::move(*upd);
        w.m_email = std::move(*email);
        w.m_old_emails = std::move(*old);
        w.m_clear_email = std::move(*clear);
        w.m_version = std::move(*ver);
        return w;
    }

    // insert: a new row; else the update of a live row (caller checked it exists).
    Status write(const TenantScope& scope, const model::Contact& c, bool insert)
    {
        sqlite::Stmt& s = insert ? m_insert : m_update;
        const ContactKeys k = contact_keys(c);
        s.reset();
        s.bind(1, c.id).bind(2, scope.agency_id).bind(3, scope.account_id).bind(4, c.first_name).bind(5, c.last_name);
        s.bind(6, k.sort_name).bind(7, k.full_lower).bind(8, k.last_lower);
        s.bind(9, json_strings(c.emails)).bind(10, json_strings(c.phones));
        s.bind(11, c.company_name).bind(12, c.owner_id).bind(13, json_strings(c.tags));
        s.bind(14, c.version).bind(15, c.created_at).bind(16, c.updated_at).bind(17, extra_text(c));
        if (!insert) { // the old addresses' rows go first, by their key
            m_old_emails.reset();
            m_old_emails.bind(1, c.id).bind(2, scope.agency_id).bind(3, scope.account_id);
            auto row = m_old_emails.step();
            if (!row)
                return row.error();
            if (*row)
                if (auto st = delete_contact_emails(m_clear_email, scope, c.id, m_old_emails.text(0)); !st)
                    return st;
        }
        if (auto st = s.run(); !st)
            return st;
        return run_per_email(m_email, scope, c.id, c.emails);
    }

    // The one mutation path of create and update: the row, its version row and the audit row.
    Status write_with_history(sqlite::Db& db, const TenantScope& scope, const model::Contact& c, bool insert,
                              const AuditEntry& entry)
    {
        if (auto st = write(scope, c, insert); !st)
            return st;
        if (auto st = version(c, entry.at, entry.actor.id, false); !st)
            return st;
        return insert_audit(db, entry);
    }

    // A new contact's tag rows, for a batch written with triggers off (a writer made for an import).
    Status tag_rows(const TenantScope& scope, const model::Contact& c)
    {
        for (const auto& t : c.tags) {
            m_tag.reset();
            if (auto st = m_tag.bind(1, scope.agency_id).bind(2, scope.account_id).bind(3, t).bind(4, c.id).run(); !st)
                return st;
        }
        return {};
    }

    Status version(const model::Contact& c, model::UnixMillis at, const std::string& actor_id, bool deleted)
    {
        m_version.reset();
        return m_version.bind(1, c.id).bind(2, c.version).bind(3, at).bind(4, actor_id).bind(5, record_json(c, deleted)).run();
    }

private:
    sqlite::Stmt m_insert, m_update, m_email, m_old_emails, m_clear_email, m_version, m_tag;
};

// n more live contacts in the scope's count, as contacts_count_insert adds them one by one (for
// a batch written with triggers off).
Status add_live_contacts(sqlite::Db& db, const TenantScope& scope, std::int64_t n)
{
    auto upd = sqlite::Stmt::prepare(db, "UPDATE contact_counts SET live = live + ?3 WHERE agency_id = ?1 AND account_id = ?2");
    if (!upd)
        return upd.error();
    if (auto st = upd->bind(1, scope.agency_id).bind(2, scope.account_id).bind(3, n).run(); !st)
        return st;
    if (db.changes() > 0)
        return {};
    auto ins = sqlite::Stmt::prepare(db, "INSERT INTO contact_counts(agency_id, account_id, live) VALUES (?1, ?2, ?3)");
    if (!ins)
        return ins.error();
    return ins->bind(1, scope.agency_id).bind(2, scope.account_id).bind(3, n).run();
}

// not_found unless the scope's sub-account exists and belongs to the scope's agency.
Status check_scope(sqlite::Db& db, const TenantScope& scope)
{
    auto stmt = sqlite::Stmt::prepare(db, "SELECT 1 FROM accounts WHERE id = ? AND agency_id = ?");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, scope.account_id).bind(2, scope.agency_id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return api::make_error(api::ErrorCode::not_found, "no such sub-account");
    return {};
}

// The live row as stored, within the caller's transaction; not_found outside the scope.
Result<model::Contact> load_live(sqlite::Db& db, const TenantScope& scope, const std::string& id)
{
    auto stmt = sqlite::Stmt::prepare(db, std::string("SELECT ") + k_contact_cols +
                                              " FROM contacts WHERE agency_id = ? AND account_id = ? AND id = ?"
                                              " AND deleted_at IS NULL");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, scope.agency_id).bind(2, scope.account_id).bind(3, id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return api::make_error(api::ErrorCode::not_found, "no such contact");
    return read_contact(*stmt);
}

// The audit row of a contact mutation always names the scope's tenant and the contact,
// whatever the caller filled in.
AuditEntry contact_audit(const AuditEntry& given, const TenantScope& scope, const std::string& contact_id,
                         model::UnixMillis at)
{
    AuditEntry e = given;
    e.agency_id = scope.agency_id;
    e.account_id = scope.account_id;
    if (e.target_type.empty())
        e.target_type = "contact";
    if (e.target_id.empty())
        e.target_id = contact_id;
    if (e.at == 0)
        e.at = at;
    return e;
}

api::Error stale_version()
{
    return api::make_error(api::ErrorCode::precondition_failed, "the record has changed since you read it");
}

} // namespace

// [SECTION] Reads

Result<model::Contact> SqliteStore::get_contact(const TenantScope& scope, const std::string& contact_id)
{
    auto lease = m_readers->acquire();
    return load_live(lease.db(), scope, contact_id);
}

// [SECTION] Mutations

Result<model::Contact> SqliteStore::create_contact(const TenantScope& scope, const model::Contact& contact,
                                                   const AuditEntry& audit)
{
    model::Contact c = contact;
    c.account_id = scope.account_id;
    c.version = 1;
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = check_scope(*m_writer, scope); !st)
        return st.error();
    auto w = ContactWriter::make(*m_writer);
    if (!w)
        return w.error();
    if (auto st = w->write_with_history(*m_writer, scope, c, true, contact_audit(audit, scope, c.id, c.updated_at)); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return c;
}

Result<model::Contact> SqliteStore::update_contact(const TenantScope& scope, const model::Contact& after,
                                                   std::int64_t expected_version, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto current = load_live(*m_writer, scope, after.id);
    if (!current)
        return current.error();
    if (current->version != expected_version)
        return stale_version(); // the Tx destructor rolls back: nothing written
    model::Contact c = after;
    c.account_id = scope.account_id;
    c.created_at = current->created_at; // never changed by an update
    c.version = expected_version + 1;
    auto w = ContactWriter::make(*m_writer);
    if (!w)
        return w.error();
    if (auto st = w->write_with_history(*m_writer, scope, c, false, contact_audit(audit, scope, c.id, c.updated_at));
        !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return c;
}

Status SqliteStore::delete_contact(const TenantScope& scope, const std::string& contact_id,
                                   std::int64_t expected_version, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto current = load_live(*m_writer, scope, contact_id);
    if (!current)
        return current.error();
    if (current->version != expected_version)
        return stale_version();
    const auto entry = contact_audit(audit, scope, contact_id, system_now_ms());
    model::Contact c = *current;
    c.version = expected_version + 1;
    c.updated_at = entry.at;
    auto upd = sqlite::Stmt::prepare(*m_writer, "UPDATE contacts SET deleted_at = ?, updated_at = ?, version = ?"
                                                " WHERE agency_id = ? AND account_id = ? AND id = ?"
                                                " AND deleted_at IS NULL");
    if (!upd)
        return upd.error();
    if (auto st = upd->bind(1, entry.at).bind(2, entry.at).bind(3, c.version).bind(4, scope.agency_id)
                      .bind(5, scope.account_id).bind(6, contact_id).run();
        !st)
        return st;
    auto w = ContactWriter::make(*m_writer);
    if (!w)
        return w.error();
    if (auto st = w->version(c, entry.at, entry.actor.id, true); !st)
        return st;
    if (auto st = insert_audit(*m_writer, entry); !st)
        return st;
    return tx->commit();
}

Status SqliteStore::create_contacts_bulk(const TenantScope& scope, const std::vector<model::Contact>& contacts,
                                         const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = check_scope(*m_writer, scope); !st)
        return st;
    auto w = ContactWriter::make(*m_writer);
    if (!w)
        return w.error();
    AuditEntry entry = audit;
    entry.agency_id = scope.agency_id;
    entry.account_id = scope.account_id;
    if (entry.target_type.empty())
        entry.target_type = "contact";
    if (entry.at == 0)
        entry.at = system_now_ms();
    if (!entry.details.is_object())
        entry.details = nlohmann::json::object();
    entry.details["count"] = contacts.size();
    for (const auto& given : contacts) {
        model::Contact c = given;
        c.account_id = scope.account_id;
        c.version = 1;
        if (auto st = w->write(scope, c, true); !st)
            return st;
        if (auto st = w->version(c, c.updated_at, entry.actor.id, false); !st)
            return st;
    }
    if (auto st = insert_audit(*m_writer, entry); !st)
        return st;
    return tx->commit();
}

// CRM-4 imports: a batch of new contacts (version 1, one version row each) and the job's progress
// in one transaction; the job's one audit row comes at its end (finish_import_job).
Status SqliteStore::import_contacts_batch(const TenantScope& scope, const std::vector<model::Contact>& contacts,
                                          const ImportJob& progress)
{
    std::lock_guard lock(m_write_mutex);
    // Index pages of a big import stay in memory between batches (the default 2 MiB cache
    // re-reads them on every random insert): 256 MiB, kept for this connection.
    // A batch commits without its own fsync (WAL, synchronous=NORMAL: a crash may lose the last
    // batches, never leave half of one); the job's end (finish_import_job) commits with the
    // connection's FULL again, which makes every earlier batch durable with it.
    // Foreign keys and CHECK constraints are off for the batch: an immediate foreign key, or a
    // CHECK calling json_valid(), in a statement with triggers makes SQLite keep a statement
    // journal (see ContactWriter). What they guard holds by construction here: the sub-account
    // is checked below in the same transaction; emails, tags and versions name the contact just
    // inserted; every JSON column (the job's progress too) is written by nlohmann::json::dump();
    // version is 1.
    // The batch's commit does not checkpoint the WAL on this thread: m_import_checkpoints does,
    // on its own, while the next batch is written.
    // Triggers are off for the batch too: what the contacts triggers keep (v10: tag rows, live
    // counts) is written here directly, the tags row by row and the count once per batch,
    // instead of a json_each() and two count statements per contact. A new trigger on contacts
    // needs its counterpart here (migrations_sqlite.cpp says so at v20).
    if (!contacts.empty()) {
        if (auto st = m_writer->exec("PRAGMA cache_size = -262144; PRAGMA synchronous = NORMAL;"
                                     " PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON;"
                                     " PRAGMA wal_autocheckpoint = 0");
            !st)
            return st;
        (void)sqlite3_db_config(m_writer->handle(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
    }
    struct Restore {
        sqlite::Db& db;
        ~Restore()
        {
            (void)sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, nullptr);
            (void)db.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF;"
                          " PRAGMA wal_autocheckpoint = 1000");
        }
    } restore{*m_writer};
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = check_scope(*m_writer, scope); !st)
        return st;
    if (!contacts.empty()) {
        auto w = ContactWriter::make(*m_writer, /*import=*/true);
        if (!w)
            return w.error();
        for (model::Contact c : contacts) {
            c.account_id = scope.account_id;
            c.version = 1;
            if (auto st = w->write(scope, c, true); !st)
                return st;
            if (auto st = w->tag_rows(scope, c); !st)
                return st;
            if (auto st = w->version(c, c.updated_at, progress.created_by, false); !st)
                return st;
        }
        if (auto st = add_live_contacts(*m_writer, scope, static_cast<std::int64_t>(contacts.size())); !st)
            return st;
    }
    if (auto st = save_import_progress(*m_writer, progress); !st)
        return st;
    if (auto st = tx->commit(); !st)
        return st;
    if (!contacts.empty())
        m_import_checkpoints.kick(sqlite3_db_filename(m_writer->handle(), "main"));
    return {};
}

void WalCheckpointer::kick(const std::string& db_path)
{
    using namespace std::chrono_literals;
    if (m_done.valid() && m_done.wait_for(0s) != std::future_status::ready)
        return;
    if (!m_db) {
        auto db = sqlite::Db::open(db_path, /*create=*/false, /*read_only=*/false);
        if (!db)
            return; // the writer's own checkpoints (wal_autocheckpoint) take over after the import
        // A connection learns that the file is in WAL mode when it first reads it; until then a
        // checkpoint does nothing.
        if (!db->exec("SELECT count(*) FROM sqlite_schema"))
            return;
        m_db = std::make_unique<sqlite::Db>(std::move(*db));
    }
    m_done = std::async(std::launch::async, [db = m_db->handle()] {
        (void)sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    });
}

} // namespace stronghold::server

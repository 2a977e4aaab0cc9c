// SQLite store: import jobs (CRM-4) and the sub-account's sensitive-data policy (CRM-5). The
// records of an import go in with their job's progress (import_contacts_batch, in
// sqlite_store_contacts.cpp beside the other contact writes); this file keeps the job row.
//
// [SECTION] Job rows
// [SECTION] Settings
#include "store/sqlite_store_impl.hpp"

namespace stronghold::server {

namespace {

// [SECTION] Job rows

constexpr const char* k_job_cols = "id, agency_id, account_id, object, status, dry_run, created_by, rows_done, created,"
                                   " failed, bytes_done, bytes_total, mapping, errors, failure, file_sha256,"
                                   " created_at, updated_at, finished_at";

nlohmann::json json_or(const std::string& text, nlohmann::json fallback)
{
    auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? fallback : j;
}

ImportJob read_job(const sqlite::Stmt& s)
{
    ImportJob j;
    j.id = s.text(0);
    j.agency_id = s.text(1);
    j.account_id = s.text(2);
    j.object = s.text(3);
    j.status = s.text(4);
    j.dry_run = s.int64(5) != 0;
    j.created_by = s.text(6);
    j.rows_done = s.int64(7);
    j.created = s.int64(8);
    j.failed = s.int64(9);
    j.bytes_done = s.int64(10);
    j.bytes_total = s.int64(11);
    j.mapping = json_or(s.text(12), nlohmann::json::object());
    j.errors = json_or(s.text(13), nlohmann::json::array());
    j.failure = s.is_null(14) ? nlohmann::json() : json_or(s.text(14), nlohmann::json());
    j.file_sha256 = s.text(15);
    j.created_at = s.int64(16);
    j.updated_at = s.int64(17);
    j.finished_at = s.is_null(18) ? 0 : s.int64(18);
    return j;
}

} // namespace

Status save_import_progress(sqlite::Db& db, const ImportJob& job)
{
    auto stmt = sqlite::Stmt::prepare(
        db, "UPDATE import_jobs SET status = ?1, rows_done = ?2, created = ?3, failed = ?4, bytes_done = ?5,"
            " bytes_total = ?6, mapping = ?7, errors = ?8, failure = ?9, file_sha256 = ?10, updated_at = ?11,"
            " finished_at = ?12 WHERE id = ?13 AND agency_id = ?14 AND account_id = ?15");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, job.status).bind(2, job.rows_done).bind(3, job.created).bind(4, job.failed);
    stmt->bind(5, job.bytes_done).bind(6, job.bytes_total).bind(7, job.mapping.dump()).bind(8, job.errors.dump());
    if (job.failure.is_null())
        stmt->bind_null(9);
    else
        stmt->bind(9, job.failure.dump());
    stmt->bind(10, job.file_sha256).bind(11, job.updated_at != 0 ? job.updated_at : system_now_ms());
    if (job.finished_at != 0)
        stmt->bind(12, job.finished_at);
    else
        stmt->bind_null(12);
    stmt->bind(13, job.id).bind(14, job.agency_id).bind(15, job.account_id);
    if (auto st = stmt->run(); !st)
        return st;
    if (db.changes() != 1)
        return api::make_error(api::ErrorCode::not_found, "no such import job");
    return {};
}

Status SqliteStore::create_import_job(const ImportJob& job)
{
    std::lock_guard lock(m_write_mutex);
    auto stmt = sqlite::Stmt::prepare(*m_writer,
                                      "INSERT INTO import_jobs(id, agency_id, account_id, object, status, dry_run,"
                                      " created_by, bytes_total, mapping, created_at, updated_at)"
                                      " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10"
                                      " FROM accounts WHERE id = ?3 AND agency_id = ?2");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, job.id).bind(2, job.agency_id).bind(3, job.account_id).bind(4, job.object).bind(5, job.status);
    stmt->bind(6, job.dry_run).bind(7, job.created_by).bind(8, job.bytes_total).bind(9, job.mapping.dump());
    stmt->bind(10, job.created_at != 0 ? job.created_at : system_now_ms());
    if (auto st = stmt->run(); !st)
        return st;
    if (m_writer->changes() != 1)
        return api::make_error(api::ErrorCode::not_found, "no such sub-account");
    return {};
}

std::optional<ImportJob> SqliteStore::find_import_job(const TenantScope& scope, const std::string& job_id)
{
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), std::string("SELECT ") + k_job_cols +
                                                      " FROM import_jobs WHERE id = ? AND agency_id = ? AND account_id = ?");
    if (!stmt)
        return std::nullopt;
    stmt->bind(1, job_id).bind(2, scope.agency_id).bind(3, scope.account_id);
    auto row = stmt->step();
    if (!row || !*row)
        return std::nullopt;
    return read_job(*stmt);
}

Status SqliteStore::finish_import_job(const ImportJob& job, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = save_import_progress(*m_writer, job); !st)
        return st;
    AuditEntry entry = audit;
    entry.agency_id = job.agency_id;
    entry.account_id = job.account_id;
    if (entry.target_type.empty())
        entry.target_type = "import";
    if (entry.target_id.empty())
        entry.target_id = job.id;
    if (auto st = insert_audit(*m_writer, entry); !st)
        return st;
    return tx->commit();
}

// [SECTION] Settings

Status SqliteStore::set_sensitive_data_policy(const TenantScope& scope, validate::SensitivePolicy policy,
                                              const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto stmt = sqlite::Stmt::prepare(*m_writer,
                                      "UPDATE accounts SET sensitive_data_policy = ? WHERE id = ? AND agency_id = ?");
    if (!stmt)
        return stmt.error();
    const char* name = policy == validate::SensitivePolicy::mask ? "mask" : "refuse";
    if (auto st = stmt->bind(1, name).bind(2, scope.account_id).bind(3, scope.agency_id).run(); !st)
        return st;
    if (m_writer->changes() != 1)
        return api::make_error(api::ErrorCode::not_found, "no such sub-account");
    AuditEntry entry = audit;
    entry.agency_id = scope.agency_id;
    entry.account_id = scope.account_id;
    entry.details["sensitive_data_policy"] = name;
    if (auto st = insert_audit(*m_writer, entry); !st)
        return st;
    return tx->commit();
}

} // namespace stronghold::server

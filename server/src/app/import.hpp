// CSV imports (CRM-4): one engine for every object, shared by `stronghold import` and
// POST /api/v1/accounts/{account_id}/{object}/import. The engine streams the file (never all
// of it in memory: 64 KiB reads into core's CsvReader), maps columns to fields, hands each row
// to the object's step (ImportObject: row -> validated record) and writes the records in
// batches, each batch with the job's progress in one transaction (RES-4: a crash leaves whole
// batches only, every record with its version row). The job ends with one audit row
// ("<object>.import": rows, created, failed, dry_run, file_sha256, mapped headers), never one
// per row (DESIGN.md "Wire details").
//
// Row numbers: 1-based data rows as a spreadsheet shows them below the header (the header is
// row 0; a blank line still takes a number). Columns are named by their CSV header.
#pragma once

#include "store/store.hpp"

#include "stronghold/api/result.hpp"
#include "stronghold/model/record.hpp"
#include "stronghold/model/tenancy.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::server {

// Records per transaction: batches start at k_import_first_batch_rows and double up to the
// import's batch_rows (default k_import_batch_rows), so a small file shows progress soon and a
// big one writes in big transactions (each index page is written once per batch, not per row).
inline constexpr std::size_t k_import_batch_rows = 50000;
inline constexpr std::size_t k_import_first_batch_rows = 5000;
inline constexpr std::size_t k_import_read_bytes = 64 * 1024;

// One problem with one data row; the row is skipped, the import goes on.
struct ImportRowError {
    std::size_t row = 0;  // 1-based data row (header = 0)
    std::string column;   // the CSV header the value came from; empty for the row as a whole
    std::string code;     // api error code name ("validation_failed", "forbidden")
    std::string message;
};

// One mapped cell of a row: which field it feeds and from which column.
struct MappedValue {
    std::string_view field;
    std::string_view header;
    std::string_view value;
};

// One batch of records and the job's progress, written in one transaction (ImportObject::take_batch).
using ImportBatchWrite = std::function<Status(Store& store, const ImportJob& progress)>;

// The pluggable row -> record step of one object kind. Contacts: import_contacts.cpp;
// companies and deals: import_records.cpp (their fields, their parser, their batch write).
class ImportObject {
public:
    virtual ~ImportObject() = default;
    virtual std::string_view name() const = 0;              // "contacts" (the URL's and CLI's word)
    virtual std::string_view audit_action() const = 0;      // "contact.import"
    virtual std::span<const std::string_view> fields() const = 0; // mappable fields
    // Extra header spellings taken by the default mapping, as normalised keys ("emailaddress" -> "email").
    virtual std::span<const std::pair<std::string_view, std::string_view>> aliases() const = 0;
    // Validates one data row; on success keeps its record for the next write_batch.
    virtual std::optional<ImportRowError> add_row(std::size_t row, std::span<const MappedValue> values) = 0;
    virtual std::size_t pending() const = 0;
    // Hands over the kept records (none in a dry run) as one write of them with the job's
    // progress in one transaction, and forgets them. The write owns what it writes: it runs on
    // the import's writer thread while the next rows are read and checked.
    virtual ImportBatchWrite take_batch(bool dry_run) = 0;
};

// [Helpers for ImportObject steps] (import.cpp)

// Where each wire field's values came from: field -> the CSV header of each value (one per list
// element, in order), so a parser's error ("emails[1]", "custom.size") names its column.
using ImportSources = std::map<std::string, std::vector<std::string_view>, std::less<>>;
// A parser's error as a row error, its column looked up in sources (empty when unknown).
ImportRowError import_row_error(std::size_t row, const api::Error& e, const ImportSources& sources);
std::string trim_cell(std::string_view cell); // without leading and trailing spaces and tabs
// The trimmed, non-empty items of a ";"-separated cell (tags, multi-select values, id lists).
std::vector<std::string> split_cell_list(std::string_view cell);

// Whether a user may own records of one sub-account (a user who can open it; "" is no owner,
// allowed), asked of the store once per distinct user.
class ImportOwnerCheck {
public:
    ImportOwnerCheck(Store& store, TenantScope scope) : m_store(store), m_scope(std::move(scope)) {}
    bool may_own(const std::string& owner);

private:
    Store& m_store;
    TenantScope m_scope;
    std::map<std::string, bool> m_known{{"", true}};
};

// The object for a URL/CLI word ("contacts", "companies", "deals"), with the sub-account's
// validation rules (country code, CRM-5 policy, custom fields). default_owner owns rows without
// an owner_id column value. Unknown object -> validation_failed, field "object".
Result<std::unique_ptr<ImportObject>> make_import_object(std::string_view object, Store& store,
                                                         const model::Account& account, std::string default_owner,
                                                         model::UnixMillis now);

// companies and deals (import_records.cpp): the record step for a kind of model::ObjectSpec.
std::unique_ptr<ImportObject> make_record_import_object(const model::ObjectSpec& spec, Store& store,
                                                        const model::Account& account, std::string default_owner,
                                                        model::UnixMillis now);

// A header as the default mapping compares it: lower-case letters and digits only ("E-mail" -> "email").
std::string normalise_header(std::string_view header);

// Parses and checks an explicit mapping {"CSV header":"field"} (JSON object of strings):
// a field the object lacks is validation_failed naming "mapping.<header>".
Result<std::map<std::string, std::string>> parse_import_mapping(const ImportObject& object, const nlohmann::json& mapping);

struct ImportOptions {
    TenantScope scope;
    bool dry_run = false;
    std::map<std::string, std::string> mapping; // empty: the default mapping from the header row
    std::size_t batch_rows = k_import_batch_rows; // the largest batch
    ActorRef actor;                             // for the audit row; actor.id is the job's created_by
    std::int64_t bytes_total = 0;               // the file's size when known
};

// The job row for a new import (status running), stored; not_found for an unknown sub-account.
Result<ImportJob> start_import_job(Store& store, const ImportObject& object, const ImportOptions& options,
                                   model::UnixMillis now);

using Clock = std::function<model::UnixMillis()>;
using ImportProgressFn = std::function<void(const ImportJob&)>;

// Reads `in` to its end (or the first file-level error) and finishes the job: status "done", or
// "failed" with job.failure {code, message, field?, row?, column?} (CSV errors, a mapped header
// missing from the file, a store failure). Batches committed before a failure stay. Returns the
// final job as stored. progress runs after every batch and at the end.
ImportJob run_import(Store& store, ImportObject& object, ImportJob job, const ImportOptions& options, std::istream& in,
                     const Clock& clock, const ImportProgressFn& progress = {});

// The wire form of a job (GET .../imports/{id}, the CLI summary).
nlohmann::json import_job_json(const ImportJob& job);

} // namespace stronghold::server

// The import engine of app/import.hpp: mapping, streaming, batching, the file hash, the job's
// lifecycle. Nothing here knows an object's fields beyond ImportObject.
//
// [SECTION] Mapping
// [SECTION] Helpers for ImportObject steps
// [SECTION] Job
// [SECTION] Run
#include "app/import.hpp"

#include "stronghold/access/authorize.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "util/log.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <future>
#include <istream>

#include "stronghold/io/csv.hpp"

namespace stronghold::server {

namespace {

api::Error invalid(std::string field, std::string message)
{
    return api::make_error(api::ErrorCode::validation_failed, std::move(message), std::move(field));
}

bool has_field(const ImportObject& object, std::string_view field)
{
    const auto f = object.fields();
    return std::find(f.begin(), f.end(), field) != f.end();
}

// [SECTION] Mapping

// Column i of the file feeds plan[i] (empty: ignored).
struct ColumnPlan {
    std::vector<std::string> headers;
    std::vector<std::string> fields;
};

std::string default_field(const ImportObject& object, std::string_view header)
{
    const std::string key = normalise_header(header);
    for (const auto f : object.fields())
        if (normalise_header(f) == key)
            return std::string(f);
    for (const auto& [alias, field] : object.aliases())
        if (alias == key)
            return std::string(field);
    return {};
}

Result<ColumnPlan> plan_columns(const ImportObject& object, const std::vector<std::string>& headers,
                                const std::map<std::string, std::string>& mapping)
{
    ColumnPlan plan;
    plan.headers = headers;
    plan.fields.resize(headers.size());
    for (std::size_t i = 0; i < headers.size(); ++i) {
        if (mapping.empty()) {
            plan.fields[i] = default_field(object, headers[i]);
        } else if (auto it = mapping.find(headers[i]); it != mapping.end()) {
            plan.fields[i] = it->second;
        }
    }
    for (const auto& [header, field] : mapping)
        if (std::find(headers.begin(), headers.end(), header) == headers.end())
            return invalid("mapping." + header, "the file has no column \"" + header + "\"");
    if (std::all_of(plan.fields.begin(), plan.fields.end(), [](const std::string& f) { return f.empty(); }))
        return invalid("mapping", "no column of the file maps to a field of " + std::string(object.name()) +
                                      "; give a mapping");
    return plan;
}

nlohmann::json applied_mapping(const ColumnPlan& plan)
{
    nlohmann::json out = nlohmann::json::object();
    for (std::size_t i = 0; i < plan.headers.size(); ++i)
        if (!plan.fields[i].empty())
            out[plan.headers[i]] = plan.fields[i];
    return out;
}

nlohmann::json row_error_json(const ImportRowError& e)
{
    return {{"row", e.row}, {"column", e.column}, {"code", e.code}, {"message", e.message}};
}

nlohmann::json failure_json(const api::Error& e)
{
    nlohmann::json j = {{"code", api::to_string(e.code)}, {"message", e.message}};
    if (!e.field.empty())
        j["field"] = e.field;
    return j;
}

class Sha256 {
public:
    Sha256() { crypto_hash_sha256_init(&m_state); }
    void update(std::string_view data)
    {
        crypto_hash_sha256_update(&m_state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    }
    std::string hex()
    {
        std::array<std::uint8_t, crypto_hash_sha256_BYTES> out{};
        crypto_hash_sha256_final(&m_state, out.data());
        return crypto::to_hex(out);
    }

private:
    crypto_hash_sha256_state m_state{};
};

} // namespace

// [SECTION] Helpers for ImportObject steps

ImportRowError import_row_error(std::size_t row, const api::Error& e, const ImportSources& sources)
{
    ImportRowError out{row, "", std::string(api::to_string(e.code)), e.message};
    // "emails[2]" -> ("emails", 2); "first_name" -> ("first_name", none)
    std::string_view field = e.field;
    std::size_t index = 0;
    if (const auto open = field.find('['); open != std::string_view::npos && field.back() == ']') {
        for (char c : field.substr(open + 1, field.size() - open - 2))
            index = index * 10 + static_cast<std::size_t>(c - '0');
        field = field.substr(0, open);
    }
    if (auto it = sources.find(field); it != sources.end() && !it->second.empty())
        out.column = std::string(it->second[std::min(index, it->second.size() - 1)]);
    return out;
}

std::string trim_cell(std::string_view cell)
{
    const auto b = cell.find_first_not_of(" \t");
    if (b == std::string_view::npos)
        return {};
    const auto e = cell.find_last_not_of(" \t");
    return std::string(cell.substr(b, e - b + 1));
}

std::vector<std::string> split_cell_list(std::string_view cell)
{
    std::vector<std::string> out;
    for (auto semi = cell.find(';');; semi = cell.find(';')) {
        if (auto t = trim_cell(cell.substr(0, semi)); !t.empty())
            out.push_back(std::move(t));
        if (semi == std::string_view::npos)
            break;
        cell.remove_prefix(semi + 1);
    }
    return out;
}

bool ImportOwnerCheck::may_own(const std::string& owner)
{
    if (auto it = m_known.find(owner); it != m_known.end())
        return it->second;
    const access::Actor actor{owner, m_store.memberships_of(owner)};
    const bool ok = access::can_open_account(actor, m_scope.agency_id, m_scope.account_id);
    m_known[owner] = ok;
    return ok;
}

std::string normalise_header(std::string_view header)
{
    std::string out;
    for (char c : header)
        if (std::isalnum(static_cast<unsigned char>(c)))
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

Result<std::map<std::string, std::string>> parse_import_mapping(const ImportObject& object, const nlohmann::json& mapping)
{
    if (!mapping.is_object())
        return invalid("mapping", "mapping must be a JSON object {\"CSV header\":\"field\"}");
    std::map<std::string, std::string> out;
    for (const auto& [header, field] : mapping.items()) {
        if (!field.is_string() || !has_field(object, field.get_ref<const std::string&>())) {
            std::string names;
            for (const auto f : object.fields())
                names += (names.empty() ? "" : ", ") + std::string(f);
            return invalid("mapping." + header, "unknown field; " + std::string(object.name()) + " have " + names);
        }
        out[header] = field.get<std::string>();
    }
    return out;
}

// [SECTION] Job

Result<ImportJob> start_import_job(Store& store, const ImportObject& object, const ImportOptions& options,
                                   model::UnixMillis now)
{
    ImportJob job;
    job.id = crypto::random_id("im");
    job.agency_id = options.scope.agency_id;
    job.account_id = options.scope.account_id;
    job.object = std::string(object.name());
    job.dry_run = options.dry_run;
    job.created_by = options.actor.id;
    job.bytes_total = options.bytes_total;
    for (const auto& [header, field] : options.mapping)
        job.mapping[header] = field;
    job.created_at = now;
    job.updated_at = now;
    if (auto st = store.create_import_job(job); !st)
        return st.error();
    return job;
}

nlohmann::json import_job_json(const ImportJob& job)
{
    nlohmann::json j = {{"id", job.id},
                        {"object", job.object},
                        {"status", job.status},
                        {"dry_run", job.dry_run},
                        {"rows_done", job.rows_done},
                        {"created", job.created},
                        {"failed", job.failed},
                        {"bytes_done", job.bytes_done},
                        {"bytes_total", job.bytes_total},
                        {"mapping", job.mapping},
                        {"errors", job.errors},
                        {"failure", job.failure},
                        {"created_at", model::format_iso8601(job.created_at)},
                        {"finished_at", job.finished_at ? nlohmann::json(model::format_iso8601(job.finished_at)) : nlohmann::json()}};
    if (!job.file_sha256.empty())
        j["file_sha256"] = job.file_sha256;
    return j;
}

// [SECTION] Run

namespace {

class Runner {
public:
    Runner(Store& store, ImportObject& object, ImportJob job, const ImportOptions& options, const Clock& clock,
           const ImportProgressFn& progress)
        : m_store(store), m_object(object), m_job(std::move(job)), m_options(options), m_clock(clock),
          m_progress(progress)
    {
        m_stored = m_job;
    }

    ImportJob run(std::istream& in)
    {
        std::vector<io::CsvRow> rows;
        std::string buffer(k_import_read_bytes, '\0');
        bool ok = true;
        while (ok && in) {
            in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            const auto n = static_cast<std::size_t>(in.gcount());
            if (n == 0)
                break;
            const std::string_view chunk(buffer.data(), n);
            m_hash.update(chunk);
            m_job.bytes_done += static_cast<std::int64_t>(n);
            if (!m_reader.feed(chunk, rows))
                ok = false;
            ok = take(rows) && ok;
        }
        if (ok && in.bad())
            return fail(api::make_error(api::ErrorCode::internal, "the file could not be read to its end"));
        if (ok) {
            ok = m_reader.finish(rows);
            ok = take(rows) && ok;
        }
        if (m_failure)
            return finish();
        if (!ok) { // a CSV error: the row and column it was found at
            const auto& e = m_reader.error();
            nlohmann::json f = {{"code", e.code}, {"message", e.message}, {"row", e.row}, {"column", e.column}};
            return finish(std::move(f));
        }
        if (!m_plan)
            return fail(invalid("file", "the file has no header row"));
        if (!flush())
            return finish();
        m_job.file_sha256 = m_hash.hex();
        return finish();
    }

private:
    // Rows as they come; false once the import cannot go on (m_failure set).
    bool take(std::vector<io::CsvRow>& rows)
    {
        for (auto& row : rows) {
            if (m_failure)
                break;
            if (!m_plan) {
                auto plan = plan_columns(m_object, row.fields, m_options.mapping);
                if (!plan) {
                    fail(plan.error());
                    break;
                }
                m_plan = std::move(*plan);
                m_job.mapping = applied_mapping(*m_plan);
                continue;
            }
            ++m_job.rows_done;
            if (auto e = add(row))
                note(std::move(*e));
            if (m_since_save >= batch_limit())
                if (!flush())
                    break;
        }
        rows.clear();
        return !m_failure;
    }

    std::optional<ImportRowError> add(const io::CsvRow& row)
    {
        const auto& fields = m_plan->fields;
        m_values.clear();
        for (std::size_t i = 0; i < row.fields.size(); ++i) {
            if (i >= fields.size()) {
                if (!row.fields[i].empty())
                    return ImportRowError{row.number, "", "validation_failed",
                                          "the row has " + std::to_string(row.fields.size()) +
                                              " columns, the header " + std::to_string(fields.size())};
                continue;
            }
            if (!fields[i].empty())
                m_values.push_back({fields[i], m_plan->headers[i], row.fields[i]});
        }
        ++m_since_save;
        return m_object.add_row(row.number, m_values);
    }

    void note(ImportRowError e)
    {
        ++m_job.failed;
        if (m_job.errors.size() < k_max_import_errors)
            m_job.errors.push_back(row_error_json(e));
    }

    std::size_t batch_limit() const
    {
        const std::size_t ramp = k_import_first_batch_rows << std::min<std::size_t>(m_batches, 8);
        return std::min(m_options.batch_rows, ramp);
    }

    // Hands what is pending, with the progress, to the writer thread once the batch before it is
    // stored; false (m_failure set) when the store refused that one. While a batch is written
    // the next one is read and checked (on two cores an import takes the longer of the two, not
    // their sum); m_job counts the batch in flight as created, m_stored what is committed.
    bool flush()
    {
        if (!settle())
            return false;
        const auto batch = static_cast<std::int64_t>(m_object.pending());
        if (!m_options.dry_run)
            m_job.created += batch;
        m_job.updated_at = m_clock();
        m_since_save = 0;
        ++m_batches;
        m_in_flight = m_job;
        m_write = std::async(std::launch::async, [&store = m_store, write = m_object.take_batch(m_options.dry_run),
                                                  progress = m_job] { return write(store, progress); });
        return true;
    }

    // Waits for the batch in flight; false (m_failure set, m_job back to what is stored) when the
    // store refused it.
    bool settle()
    {
        if (!m_write.valid())
            return !m_failure;
        const Status st = m_write.get();
        if (!st) {
            m_job.created = m_stored.created;
            fail(st.error());
            return false;
        }
        m_stored = m_in_flight;
        if (m_progress)
            m_progress(m_stored);
        return !m_failure;
    }

    ImportJob fail(const api::Error& e)
    {
        log::warn("import.failed", {{"job", m_job.id}, {"code", api::to_string(e.code)}});
        m_failure = failure_json(e);
        return m_job;
    }

    ImportJob finish(nlohmann::json failure = nullptr)
    {
        settle(); // the batch in flight is stored (or its failure noted) before the job ends
        if (m_failure)
            failure = *m_failure;
        m_job.status = failure.is_null() ? "done" : "failed";
        m_job.failure = std::move(failure);
        m_job.finished_at = m_clock();
        m_job.updated_at = m_job.finished_at;
        AuditEntry audit;
        audit.at = m_job.finished_at;
        audit.actor = m_options.actor;
        audit.action = std::string(m_object.audit_action());
        audit.target_type = "import";
        audit.target_id = m_job.id;
        audit.outcome = m_job.status == "done" ? "success" : "failure";
        nlohmann::json headers = nlohmann::json::array();
        for (const auto& [header, field] : m_job.mapping.items())
            headers.push_back(header);
        // Counts, the file's hash and the mapped headers; never cell values (personal data).
        audit.details = {{"rows", m_job.rows_done}, {"created", m_job.created}, {"failed", m_job.failed},
                         {"dry_run", m_job.dry_run}, {"file_sha256", m_job.file_sha256},
                         {"mapping_headers", headers}, {"object", m_job.object}};
        if (auto st = m_store.finish_import_job(m_job, audit); !st)
            log::error("import.finish_failed", {{"job", m_job.id}, {"code", api::to_string(st.error().code)}});
        if (m_progress)
            m_progress(m_job);
        return m_job;
    }

    Store& m_store;
    ImportObject& m_object;
    ImportJob m_job;
    const ImportOptions& m_options;
    const Clock& m_clock;
    const ImportProgressFn& m_progress;
    io::CsvReader m_reader;
    Sha256 m_hash;
    std::optional<ColumnPlan> m_plan;
    std::vector<MappedValue> m_values;
    std::size_t m_since_save = 0; // rows since the last saved progress (failed rows count too)
    std::size_t m_batches = 0;    // handed to the writer so far
    std::optional<nlohmann::json> m_failure;
    std::future<Status> m_write; // the batch in flight (ImportObject::take_batch)
    ImportJob m_in_flight;       // the progress it writes
    ImportJob m_stored;          // the progress last committed
};

} // namespace

ImportJob run_import(Store& store, ImportObject& object, ImportJob job, const ImportOptions& options, std::istream& in,
                     const Clock& clock, const ImportProgressFn& progress)
{
    Runner runner(store, object, std::move(job), options, clock, progress);
    return runner.run(in);
}

} // namespace stronghold::server

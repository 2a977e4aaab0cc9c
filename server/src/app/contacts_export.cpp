// GET /api/v1/accounts/{account_id}/contacts/export?format=csv|json (CRM-4): every contact the
// actor may export, as a download. Takes the list's q, sort and field[op]=value filters (parsed by
// the list's own parse_contact_query, so both read them the same way); limit, cursor, offset and
// count are refused (an export is always the whole result). Re-authenticated (IAM-6) and
// audited: one "contact.export" row per export with its format, count, sort and which filters
// were used, never their values (a searched email is personal data).
//
// Memory stays flat whatever the size: the store is read a page at a time and the rows are
// written to a TempFile in the data dir, which net/ then sends from disk (Response::body_file)
// and removes. Pages follow the list's cursor: a contact changed during a long export may be
// seen at its old or its new place in the sort order.
//
// [SECTION] Parameters
// [SECTION] Writers - CSV (RFC 4180, formula guard from core io/csv) and a streamed JSON array
// [SECTION] Handler
#include "app/handlers.hpp"

#include "app/middleware.hpp"
#include "app/query.hpp"
#include "app/reauth.hpp"
#include "stronghold/io/csv.hpp"
#include "stronghold/model/contact.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>

namespace stronghold::server {

namespace {

constexpr std::size_t k_page = 200;                     // the store's largest page
constexpr std::size_t k_flush_bytes = 1024 * 1024;      // written to the file in pieces of about this
constexpr std::array<std::string_view, 4> k_list_only = {"limit", "cursor", "offset", "count"};

// [SECTION] Parameters

enum class Format { csv, json };

struct ExportRequest {
    Format format = Format::csv;
    ContactQuery query;
    std::vector<std::string> filters; // parameter names of the filters used ("tags[eq]"), for the audit row
};

api::Error invalid(std::string message, std::string field)
{
    return api::make_error(api::ErrorCode::validation_failed, std::move(message), std::move(field));
}

// format is the export's own; everything else goes through the list's parser untouched.
Result<ExportRequest> parse_export(std::string_view query_string)
{
    auto params = parse_query(query_string); // bad escapes and duplicates, named
    if (!params)
        return params.error();
    ExportRequest out;
    bool format_given = false;
    for (const auto& [name, value] : *params) {
        if (name == "format") {
            if (value != "csv" && value != "json")
                return invalid("must be csv or json", "format");
            out.format = value == "csv" ? Format::csv : Format::json;
            format_given = true;
        } else if (std::find(k_list_only.begin(), k_list_only.end(), name) != k_list_only.end()) {
            return invalid("is not a parameter of an export (it always holds every matching contact)", name);
        } else if (name.find('[') != std::string::npos) {
            out.filters.push_back(name);
        }
    }
    if (!format_given)
        return invalid("is required: csv or json", "format");
    // The rest, as received, for the list's parser (it refuses what it does not know).
    std::string rest;
    for (std::string_view q = query_string; !q.empty();) {
        const auto amp = q.find('&');
        const auto pair = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
        if (pair.empty() || percent_decode(pair.substr(0, pair.find('=')), true) == "format")
            continue;
        rest += rest.empty() ? "" : "&";
        rest += pair;
    }
    auto query = parse_contact_query(rest);
    if (!query)
        return query.error();
    out.query = std::move(*query);
    return out;
}

// [SECTION] Writers

// The wire fields of a contact (DESIGN.md "Wire details"), in this order.
constexpr std::array<std::string_view, 11> k_csv_columns = {"id",           "first_name", "last_name", "emails",
                                                            "phones",       "company_name", "owner_id", "tags",
                                                            "version",      "created_at", "updated_at"};
constexpr std::string_view k_list_separator = "; "; // several emails, phones or tags in one cell

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items) {
        if (!out.empty())
            out += k_list_separator;
        out += item;
    }
    return out;
}

void append_csv_header(std::string& out)
{
    std::vector<std::string> names(k_csv_columns.begin(), k_csv_columns.end());
    io::append_csv_row(out, names);
}

void append_csv_contact(std::string& out, const model::Contact& c, std::vector<std::string>& cells)
{
    cells.assign({c.id, c.first_name, c.last_name, joined(c.emails), joined(c.phones), c.company_name, c.owner_id,
                  joined(c.tags), std::to_string(c.version), model::format_iso8601(c.created_at),
                  model::format_iso8601(c.updated_at)});
    io::append_csv_row(out, cells);
}

// Buffered writes to the export's file; the first failure sticks.
class FileSink {
public:
    explicit FileSink(const std::string& path) : m_file(std::fopen(path.c_str(), "wb")) {}
    ~FileSink()
    {
        if (m_file)
            std::fclose(m_file);
    }
    FileSink(const FileSink&) = delete;
    FileSink& operator=(const FileSink&) = delete;

    std::string& buffer() { return m_buffer; }
    bool flush_if_full() { return m_buffer.size() < k_flush_bytes || flush(); }
    bool flush()
    {
        if (!m_file || std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size())
            m_ok = false;
        m_buffer.clear();
        return m_ok;
    }
    bool close()
    {
        flush();
        if (m_file && std::fclose(m_file) != 0)
            m_ok = false;
        m_file = nullptr;
        return m_ok;
    }

private:
    std::FILE* m_file;
    std::string m_buffer;
    bool m_ok = m_file != nullptr;
};

// Every page of the query into the sink; the number of contacts written.
Result<std::int64_t> write_export(Store& store, const TenantScope& scope, ContactQuery query, Format format,
                                  FileSink& sink)
{
    query.limit = k_page;
    query.count = false;
    query.offset.reset();
    query.cursor.clear();
    std::int64_t count = 0;
    std::vector<std::string> cells;
    if (format == Format::csv)
        append_csv_header(sink.buffer());
    else
        sink.buffer() += "[";
    for (;;) {
        auto page = store.list_contacts(scope, query);
        if (!page)
            return page.error();
        for (const auto& c : page->items) {
            if (format == Format::csv) {
                append_csv_contact(sink.buffer(), c, cells);
            } else {
                sink.buffer() += count == 0 ? "\n" : ",\n";
                sink.buffer() += dump_json(nlohmann::json(c));
            }
            ++count;
        }
        if (!sink.flush_if_full())
            return api::make_error(api::ErrorCode::internal, "the export could not be written");
        if (!page->next_cursor)
            break;
        query.cursor = std::move(*page->next_cursor);
    }
    if (format == Format::json)
        sink.buffer() += count == 0 ? "]\n" : "\n]\n";
    if (!sink.close())
        return api::make_error(api::ErrorCode::internal, "the export could not be written");
    return count;
}

std::string download_name(const model::Account& account, model::UnixMillis now, Format format)
{
    // "contacts-ac_x-2026-11-26.csv": ids and dates only, nothing that needs quoting.
    return "contacts-" + account.id + "-" + model::format_iso8601(now).substr(0, 10) +
           (format == Format::csv ? ".csv" : ".json");
}

} // namespace

// [SECTION] Handler

void handle_contacts_export(AppServices& services, Call call)
{
    const auto now = services.clock();
    if (auto st = require_recent_auth(*call.auth, now); !st)
        return call.done(error_response(st.error()));
    auto request = parse_export(call.request.query());
    if (!request)
        return call.done(error_response(request.error()));
    // Record scope of the export permission (ACC-1): own and team export only those owners' records.
    request->query.owner_ids = owners_in_scope(*call.auth, *call.account, access::Action::contact_export);

    auto file = TempFile::create(temp_dir_of(services.config.data_dir), "ex_");
    if (!file) {
        log::error("contacts.export_file_failed", {{"dir", temp_dir_of(services.config.data_dir)}});
        return call.done(error_response(api::ErrorCode::internal, "the export could not be written"));
    }
    Result<std::int64_t> count = 0;
    {
        FileSink sink(file->path());
        count = write_export(services.store, call.scope(), request->query, request->format, sink);
    }
    if (!count)
        return call.done(error_response(count.error()));

    // No export leaves without its audit row (CRM-4): a failed write answers 500 and the file goes.
    AuditEntry audit;
    audit.at = now;
    audit.agency_id = call.account->agency_id;
    audit.account_id = call.account->id;
    audit.actor = call.actor_ref();
    audit.action = "contact.export";
    audit.target_type = "contact";
    audit.details = {{"format", request->format == Format::csv ? "csv" : "json"},
                     {"count", *count},
                     {"sort", request->query.sort},
                     {"q", !request->query.q.empty()},
                     {"filters", request->filters}};
    if (auto st = services.store.append_audit(audit); !st) {
        log::error("contacts.export_audit_failed", {{"code", api::to_string(st.error().code)}});
        return call.done(error_response(api::ErrorCode::internal, "the export could not be recorded"));
    }

    Response r;
    r.status = 200;
    r.set_header("Content-Type", request->format == Format::csv ? "text/csv; charset=utf-8" : "application/json");
    r.set_header("Content-Disposition",
                 "attachment; filename=\"" + download_name(*call.account, now, request->format) + "\"");
    r.set_header("X-Export-Count", std::to_string(*count));
    r.body_file = std::move(file);
    call.done(std::move(r));
}

} // namespace stronghold::server

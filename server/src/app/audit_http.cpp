// The audit log API (AUD-1, AUD-2): GET /api/v1/agencies/{agency_id}/audit (the agency's whole
// chain) and GET /api/v1/accounts/{account_id}/audit (one sub-account's rows), for holders of
// view_audit_log there. Filters: actor, action (exact, or a prefix ending in '.'), target, since,
// until (ISO 8601 or Unix ms); cursor pagination (newest first, `limit` 1..200, `next_cursor`).
// `format=csv` and `format=json` export every matching row (no limit) from a temp file (JSON: an
// array of the list's row objects), and are themselves audited ("audit.export" with the format).
// Rows carry their chain links (n, prev_hash, hash, details_hash) so a client can recompute each
// row's hash and check the links with core's verifier (the dashboard does, in WASM).
#include "app/handlers.hpp"
#include "app/middleware.hpp"
#include "app/query.hpp"
#include "stronghold/audit/chain.hpp"
#include "stronghold/io/csv.hpp"
#include "stronghold/model/time.hpp"
#include "util/log.hpp"

#include <fstream>

namespace stronghold::server {

namespace {

enum class ExportFormat { none, csv, json };

struct AuditRequest {
    AuditQuery query;
    ExportFormat format = ExportFormat::none;
};

std::optional<model::UnixMillis> instant(const std::string& text)
{
    if (auto ms = parse_whole_number(text, 1, std::numeric_limits<std::int64_t>::max()))
        return *ms;
    return model::parse_iso8601(text);
}

Result<AuditRequest> parse_audit_request(std::string_view raw)
{
    auto params = parse_query(raw);
    if (!params)
        return params.error();
    AuditRequest out;
    const auto bad = [](std::string message, std::string field) {
        return api::make_error(api::ErrorCode::validation_failed, std::move(message), std::move(field));
    };
    for (const auto& [name, value] : *params) {
        if (name == "actor") {
            out.query.actor_id = value;
        } else if (name == "action") {
            out.query.action = value;
        } else if (name == "target") {
            out.query.target_id = value;
        } else if (name == "since" || name == "until") {
            auto t = instant(value);
            if (!t)
                return bad("must be an ISO 8601 time (2026-11-26T08:00:00Z) or Unix milliseconds", name);
            (name == "since" ? out.query.since : out.query.until) = *t;
        } else if (name == "limit") {
            auto v = parse_whole_number(value, 1, 200);
            if (!v)
                return bad("must be a whole number from 1 to 200", "limit");
            out.query.limit = static_cast<std::size_t>(*v);
        } else if (name == "cursor") {
            auto v = parse_whole_number(value, 1, std::numeric_limits<std::int64_t>::max());
            if (!v)
                return bad("not a cursor from this list", "cursor");
            out.query.before_seq = *v;
        } else if (name == "format") {
            if (value != "csv" && value != "json")
                return bad("must be csv or json", "format");
            out.format = value == "csv" ? ExportFormat::csv : ExportFormat::json;
        } else {
            return bad("unknown query parameter", name);
        }
    }
    if (out.query.since != 0 && out.query.until != 0 && out.query.until <= out.query.since)
        return bad("must be later than since", "until");
    return out;
}

// The details text exactly as the store hashed it (sqlite_store.cpp insert_audit); "null" once
// retention cleared them.
std::string stored_details(const AuditEntry& e)
{
    if (e.details.is_null())
        return "null";
    return e.details.is_object() ? e.details.dump() : std::string("{}");
}

// The hash the canonical form carries: of the details, or the one kept when retention cleared them.
std::string details_hash_of(const AuditEntry& e)
{
    return e.details.is_null() && !e.details_hash.empty() ? e.details_hash : audit::details_hash(stored_details(e));
}

nlohmann::json audit_json(const AuditEntry& e)
{
    return {{"seq", e.seq},
            {"at", model::format_iso8601(e.at)},
            {"agency_id", e.agency_id},
            {"account_id", e.account_id},
            {"actor", {{"type", e.actor.type}, {"id", e.actor.id}, {"grant_id", e.grant_id}}},
            {"action", e.action},
            {"target", {{"type", e.target_type}, {"id", e.target_id}}},
            {"ip", e.actor.ip},
            {"user_agent", e.actor.user_agent},
            {"outcome", e.outcome},
            {"details", e.details},
            {"chain",
             {{"n", e.chain_n},
              {"prev_hash", e.prev_hash},
              {"hash", e.hash},
              {"details_hash", details_hash_of(e)}}}};
}

void answer_list(AppServices& services, Call& call, AuditRequest request)
{
    auto items = nlohmann::json::array();
    std::int64_t last = 0;
    auto st = services.store.scan_audit(request.query, [&](const AuditEntry& e) {
        items.push_back(audit_json(e));
        last = e.seq;
        return true;
    });
    if (!st)
        return call.done(error_response(st.error()));
    nlohmann::json body{{"items", items}};
    body["next_cursor"] = items.size() == request.query.limit ? nlohmann::json(std::to_string(last)) : nlohmann::json();
    call.done(json_response(200, body));
}

// One exported row: a CSV line, or the list's row object as an element of a JSON array.
void append_export_row(std::string& buffer, ExportFormat format, const AuditEntry& e, bool first)
{
    if (format == ExportFormat::json) {
        buffer += first ? "\n" : ",\n";
        buffer += audit_json(e).dump();
        return;
    }
    const std::vector<std::string> row = {std::to_string(e.seq), model::format_iso8601(e.at), e.agency_id,
                                          e.account_id, e.actor.type, e.actor.id, e.grant_id, e.action,
                                          e.target_type, e.target_id, e.actor.ip, e.actor.user_agent, e.outcome,
                                          stored_details(e), std::to_string(e.chain_n), e.prev_hash, e.hash};
    io::append_csv_row(buffer, row);
}

void answer_export(AppServices& services, Call& call, AuditRequest request, const std::string& scope_id)
{
    const auto now = services.clock();
    const bool json = request.format == ExportFormat::json;
    request.query.limit = 0;
    request.query.before_seq = 0;
    auto file = TempFile::create(temp_dir_of(services.config.data_dir), "au_");
    if (!file)
        return call.done(error_response(api::ErrorCode::internal, "the export could not be written"));
    std::int64_t count = 0;
    {
        std::ofstream out(file->path(), std::ios::binary | std::ios::trunc);
        std::string buffer;
        if (json) {
            buffer = "[";
        } else {
            static const std::vector<std::string> header = {
                "seq",       "at", "agency_id",  "account_id", "actor_type", "actor_id", "grant_id", "action", "target_type",
                "target_id", "ip", "user_agent", "outcome",    "details",    "n",        "prev_hash", "hash"};
            io::append_csv_row(buffer, header);
        }
        auto st = services.store.scan_audit(request.query, [&](const AuditEntry& e) {
            append_export_row(buffer, request.format, e, count == 0);
            ++count;
            if (buffer.size() >= 256 * 1024) {
                out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
                buffer.clear();
            }
            return static_cast<bool>(out);
        });
        if (json)
            buffer += count == 0 ? "]\n" : "\n]\n";
        out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        out.flush();
        if (!st)
            return call.done(error_response(st.error()));
        if (!out)
            return call.done(error_response(api::ErrorCode::internal, "the export could not be written"));
    }
    // The export of the log is itself a row of the log (AUD-2).
    AuditEntry audit;
    audit.at = now;
    audit.agency_id = request.query.agency_id;
    audit.account_id = request.query.account_id;
    audit.actor = call.actor_ref();
    audit.action = "audit.export";
    audit.target_type = request.query.account_id.empty() ? "agency" : "account";
    audit.target_id = scope_id;
    audit.details = {{"format", json ? "json" : "csv"},
                     {"count", count},
                     {"actor", request.query.actor_id},
                     {"action", request.query.action},
                     {"target", request.query.target_id},
                     {"since", request.query.since},
                     {"until", request.query.until}};
    if (auto st = services.store.append_audit(audit); !st) {
        log::error("audit.export_audit_failed", {{"code", api::to_string(st.error().code)}});
        return call.done(error_response(api::ErrorCode::internal, "the export could not be recorded"));
    }
    const std::string ext = json ? "json" : "csv";
    Response r;
    r.status = 200;
    r.set_header("Content-Type", json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8");
    r.set_header("Content-Disposition", "attachment; filename=\"audit-" + scope_id + "-" +
                                            model::format_iso8601(now).substr(0, 10) + "." + ext + "\"");
    r.set_header("X-Export-Count", std::to_string(count));
    r.body_file = std::move(file);
    call.done(std::move(r));
}

} // namespace

void handle_agency_audit(AppServices& services, Call call)
{
    auto agency = resolve_agency(services, *call.auth, call.param("agency_id"));
    if (!agency)
        return call.done(not_found_response());
    if (!access::has_capability(call.auth->actor, access::Capability::view_audit_log, agency->id))
        return call.done(error_response(api::ErrorCode::forbidden, "you do not have permission to do this"));
    auto request = parse_audit_request(call.request.query());
    if (!request)
        return call.done(error_response(request.error()));
    request->query.agency_id = agency->id;
    if (request->format != ExportFormat::none)
        return answer_export(services, call, std::move(*request), agency->id);
    answer_list(services, call, std::move(*request));
}

void handle_account_audit(AppServices& services, Call call)
{
    const auto& account = *call.account;
    if (!access::has_capability(call.auth->actor, access::Capability::view_audit_log, account.agency_id, account.id))
        return call.done(error_response(api::ErrorCode::forbidden, "you do not have permission to do this"));
    auto request = parse_audit_request(call.request.query());
    if (!request)
        return call.done(error_response(request.error()));
    request->query.agency_id = account.agency_id;
    request->query.account_id = account.id;
    if (request->format != ExportFormat::none)
        return answer_export(services, call, std::move(*request), account.id);
    answer_list(services, call, std::move(*request));
}

} // namespace stronghold::server

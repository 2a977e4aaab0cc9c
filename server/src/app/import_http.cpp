// CSV import over HTTP (CRM-4): POST /api/v1/accounts/{account_id}/{contacts|companies|deals}/import starts a job
// and answers 202 at once; the job runs on the job pool (never an I/O or handler thread) and
// GET /api/v1/accounts/{account_id}/imports/{id} shows its progress. The middleware has checked
// Origin, the text/csv media type, the session, the sub-account and contact.import (companies and
// deals also need import and create on their object); importing is a high-risk action, so it also
// needs a recent re-authentication (IAM-6).
#include "app/handlers.hpp"

#include "app/import.hpp"
#include "app/middleware.hpp"
#include "app/query.hpp"
#include "app/reauth.hpp"
#include "app/records.hpp"
#include "app/worker_pool.hpp"
#include "util/log.hpp"

#include <fstream>
#include <sstream>

namespace stronghold::server {

namespace {

struct ImportQuery {
    bool dry_run = false;
    nlohmann::json mapping = nlohmann::json::object();
};

Result<ImportQuery> parse_import_query(std::string_view query)
{
    auto params = parse_query(query);
    if (!params)
        return params.error();
    ImportQuery out;
    for (const auto& [name, value] : *params) {
        if (name == "dry_run") {
            if (value != "true" && value != "false")
                return api::make_error(api::ErrorCode::validation_failed, "dry_run must be true or false", "dry_run");
            out.dry_run = value == "true";
        } else if (name == "mapping") {
            out.mapping = nlohmann::json::parse(value, nullptr, false);
            if (out.mapping.is_discarded())
                return api::make_error(api::ErrorCode::validation_failed,
                                       "mapping must be URL-encoded JSON {\"CSV header\":\"field\"}", "mapping");
        } else {
            return api::make_error(api::ErrorCode::validation_failed, "unknown parameter", name);
        }
    }
    return out;
}

// What the job reads: the streamed upload's file (kept alive by the job), else the in-memory body.
struct Upload {
    std::shared_ptr<const TempFile> file;
    std::string body;
    std::int64_t size() const { return file ? static_cast<std::int64_t>(file->size()) : static_cast<std::int64_t>(body.size()); }
};

void start_import(AppServices& services, Call& call, std::string_view object_name)
{
    if (auto st = require_recent_auth(*call.auth, services.clock()); !st)
        return call.done(error_response(st.error()));
    auto query = parse_import_query(call.request.query());
    if (!query)
        return call.done(error_response(query.error()));
    const auto now = services.clock();
    // Rows without an owner_id belong to the importer (as a POST's records do).
    auto object = make_import_object(object_name, services.store, *call.account, call.auth->user.id, now);
    if (!object)
        return call.done(error_response(object.error()));
    auto mapping = parse_import_mapping(**object, query->mapping);
    if (!mapping)
        return call.done(error_response(mapping.error()));
    auto upload = std::make_shared<Upload>();
    upload->file = call.request.body_file;
    if (!upload->file) { // an in-memory body (net/ streams text/csv uploads to a file) must still be CSV
        const auto type = call.request.header("Content-Type").value_or("");
        if (!iequals(trim_ows(std::string_view(type).substr(0, type.find(';'))), "text/csv"))
            return call.done(error_response(api::ErrorCode::unsupported_media_type, "the body must be text/csv"));
        upload->body = std::move(call.request.body);
    }
    if (!upload->file && upload->body.empty())
        return call.done(error_response(api::ErrorCode::validation_failed, "the body must be the CSV file", "body"));

    auto options = std::make_shared<ImportOptions>();
    options->scope = call.scope();
    options->dry_run = query->dry_run;
    options->mapping = std::move(*mapping);
    options->actor = call.actor_ref();
    options->bytes_total = upload->size();
    auto job = start_import_job(services.store, **object, *options, now);
    if (!job)
        return call.done(error_response(job.error()));

    std::shared_ptr<ImportObject> shared_object(std::move(*object));
    const bool queued = services.job_pool && services.job_pool->try_submit([&services, shared_object, options, upload,
                                                                            job = *job]() mutable {
        try {
            std::ifstream file;
            std::istringstream memory;
            std::istream* in = &memory;
            if (upload->file) {
                file.open(upload->file->path(), std::ios::binary);
                in = &file;
            } else {
                memory.str(std::move(upload->body));
            }
            const auto done = run_import(services.store, *shared_object, std::move(job), *options, *in, services.clock);
            log::info("import.finished", {{"job", done.id}, {"status", done.status}, {"rows", done.rows_done}});
        } catch (const std::exception& e) {
            log::error("import.exception", {{"what", e.what()}});
        }
    });
    if (!queued) {
        // Nothing was read: the job ends failed at once (with its audit row), the client may retry.
        const auto busy = api::make_error(api::ErrorCode::unavailable, "too many imports are waiting; try again shortly");
        job->failure = api::to_json(busy)["error"];
        AuditEntry audit;
        audit.at = now;
        audit.actor = options->actor;
        audit.action = std::string(shared_object->audit_action());
        audit.outcome = "failure";
        audit.details = {{"dry_run", options->dry_run}, {"rows", 0}, {"created", 0}, {"failed", 0}};
        job->status = "failed";
        job->finished_at = now;
        (void)services.store.finish_import_job(*job, audit);
        auto r = error_response(busy);
        r.set_header("Retry-After", "5");
        return call.done(std::move(r));
    }
    auto r = json_response(202, import_job_json(*job));
    r.set_header("Location", "/api/v1/accounts/" + call.account->id + "/imports/" + job->id);
    call.done(std::move(r));
}

} // namespace

void handle_contacts_import(AppServices& services, Call call)
{
    start_import(services, call, "contacts");
}

void handle_records_import(AppServices& services, Call call)
{
    // The route checked contact.import (no importing where contacts may not be imported); the
    // object's own import and create grants decide too, for records the importer will own.
    const auto& spec = spec_of_call(call);
    for (const auto verb : {access::Verb::import_, access::Verb::create})
        if (auto st = may(call, spec.object, verb, call.auth->user.id); !st)
            return call.done(error_response(st.error()));
    start_import(services, call, spec.path);
}

void handle_import_get(AppServices& services, Call call)
{
    const auto id = call.param("id");
    if (!crypto::is_id(id, "im"))
        return call.done(not_found_response());
    auto job = services.store.find_import_job(call.scope(), id);
    if (!job)
        return call.done(not_found_response());
    call.done(json_response(200, import_job_json(*job)));
}

} // namespace stronghold::server

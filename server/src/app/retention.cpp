// GET/PATCH /api/v1/agencies/{agency_id}/retention (AUD-4): how many days each kind of audit row
// keeps its details (stronghold/audit/retention.hpp; server/doc/audit.md lists the kinds), and
// the hourly job that applies it. Agency owners and admins read and change it (others in the
// agency 403, outsiders 404); a change is a critical action (re-authentication within 5 minutes)
// and names the version it was based on (If-Match: 428 without, 412 when stale). Every change
// writes retention.updated with the old and new days of each kind it touches. The job runs at
// start and hourly (http_app.cpp).
//
// [SECTION] Wire form
// [SECTION] Handlers
// [SECTION] Job
#include "app/handlers.hpp"

#include "app/reauth.hpp"
#include "stronghold/access/admin.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "util/log.hpp"

#include <string>

namespace stronghold::server {

namespace {

// [SECTION] Wire form

// {"agency_id","days":{"security":730,...},"min_days","max_days","version","updated_at"}
nlohmann::json retention_json(const std::string& agency_id, const AuditRetention& r)
{
    return {{"agency_id", agency_id},
            {"days", audit::retention_days_json(r.days)},
            {"min_days", audit::k_retention_min_days},
            {"max_days", audit::k_retention_max_days},
            {"version", r.version},
            {"updated_at", r.version == 0 ? nlohmann::json(nullptr) : nlohmann::json(model::format_iso8601(r.updated_at))}};
}

Response retention_response(const std::string& agency_id, const AuditRetention& r)
{
    auto out = json_response(200, retention_json(agency_id, r));
    out.set_header("ETag", strong_etag(r.version));
    return out;
}

// The merge patch {"days":{"<kind>":n,...}}: 422 naming "days.<kind>" (or the unknown field).
Status apply_patch(const nlohmann::json& patch, audit::RetentionDays& days)
{
    if (!patch.is_object())
        return api::make_error(api::ErrorCode::validation_failed, "expected a JSON object", "body");
    for (const auto& [key, value] : patch.items())
        if (key != "days")
            return api::make_error(api::ErrorCode::validation_failed, "is not a known field", key);
    if (!patch.contains("days"))
        return {};
    if (!patch["days"].is_object())
        return api::make_error(api::ErrorCode::validation_failed, "must be an object of days per kind", "days");
    auto st = audit::apply_retention_patch(patch["days"], days);
    if (!st) {
        auto e = st.error();
        e.field = "days." + e.field;
        return e;
    }
    return {};
}

} // namespace

// [SECTION] Handlers

bool authorize_agency_security(AppServices& services, Call& call)
{
    const auto agency_id = call.param("agency_id");
    if (!crypto::is_id(agency_id, "ag") || !access::is_member_of_agency(call.auth->actor, agency_id) ||
        !services.store.find_agency(agency_id)) {
        call.done(not_found_response());
        return false;
    }
    if (!access::can_manage_security(call.auth->actor, agency_id)) {
        call.done(error_response(api::ErrorCode::forbidden, "you do not have permission to do this"));
        return false;
    }
    return true;
}

void handle_retention_get(AppServices& services, Call call)
{
    if (!authorize_agency_security(services, call))
        return;
    const auto agency_id = call.param("agency_id");
    call.done(retention_response(agency_id, services.store.audit_retention(agency_id)));
}

void handle_retention_patch(AppServices& services, Call call)
{
    if (!authorize_agency_security(services, call))
        return;
    const auto now = services.clock();
    if (auto st = require_recent_auth(*call.auth, now); !st)
        return call.done(error_response(st.error()));
    const auto agency_id = call.param("agency_id");
    auto patch = parse_json_body(call.request.body);
    if (!patch)
        return call.done(error_response(patch.error()));
    const auto before = services.store.audit_retention(agency_id);
    auto days = before.days;
    if (auto st = apply_patch(*patch, days); !st)
        return call.done(error_response(st.error()));
    auto current = if_match_current(call.request, before.version);
    if (!current)
        return call.done(error_response(current.error()));
    if (!*current)
        return call.done(stale_response(retention_json(agency_id, before), before.version));
    auto changes = nlohmann::json::object();
    auto fields = nlohmann::json::array();
    for (const auto& k : audit::retention_kinds()) {
        const auto i = static_cast<std::size_t>(k.kind);
        if (before.days[i] == days[i])
            continue;
        const std::string field = "days." + std::string(k.name);
        fields.push_back(field);
        changes[field] = {{"old", before.days[i]}, {"new", days[i]}};
    }
    if (fields.empty()) // nothing to write: no version bump, no audit row
        return call.done(retention_response(agency_id, before));
    AuditEntry audit;
    audit.at = now;
    audit.agency_id = agency_id;
    audit.actor = call.actor_ref();
    audit.action = "retention.updated";
    audit.target_type = "agency";
    audit.target_id = agency_id;
    audit.details = {{"fields", fields}, {"changes", changes}};
    auto saved = services.store.update_audit_retention(agency_id, days, before.version, now, audit);
    if (!saved) {
        // Lost a race with another admin between our read and the write: as a stale If-Match.
        if (saved.error().code == api::ErrorCode::precondition_failed) {
            const auto latest = services.store.audit_retention(agency_id);
            return call.done(stale_response(retention_json(agency_id, latest), latest.version));
        }
        return call.done(error_response(saved.error()));
    }
    call.done(retention_response(agency_id, *saved));
}

// [SECTION] Job

Result<RetentionRun> run_audit_retention(Store& store, model::UnixMillis now)
{
    auto run = store.apply_audit_retention(now);
    if (!run)
        log::error("retention.failed", {{"code", api::to_string(run.error().code)}, {"message", run.error().message}});
    else if (run->details_cleared > 0 || run->events_deleted > 0)
        log::info("retention.applied", {{"details_cleared", run->details_cleared}, {"events_deleted", run->events_deleted}});
    return run;
}

} // namespace stronghold::server

// GET /api/v1/agencies/{agency_id}/security-events (AUD-5): the agency's own security events,
// newest first, for whoever may read its audit log (capability view_audit_log at agency level).
// Query: `limit` (1..200, default 50) and `cursor` (the previous page's next_cursor). Events of
// other tenants never appear; the platform console (GET /api/v1/staff/security-events, every
// tenant's, jita_http.cpp) is for platform staff of the security and platform_admin roles.
#include "app/handlers.hpp"
#include "app/middleware.hpp"
#include "app/query.hpp"
#include "app/security_events.hpp"
#include "stronghold/access/admin.hpp"

namespace stronghold::server {

void answer_security_events(AppServices& services, Call& call, const std::optional<std::string>& agency_id)
{
    auto query = parse_query(call.request.query());
    if (!query)
        return call.done(error_response(query.error()));
    std::int64_t limit = 50, before = 0;
    for (const auto& [name, value] : *query) {
        if (name == "limit") {
            auto v = parse_whole_number(value, 1, 200);
            if (!v)
                return call.done(error_response(api::ErrorCode::validation_failed,
                                                "must be a whole number from 1 to 200", "limit"));
            limit = *v;
        } else if (name == "cursor") {
            auto v = parse_whole_number(value, 1, std::numeric_limits<std::int64_t>::max());
            if (!v)
                return call.done(error_response(api::ErrorCode::validation_failed, "not a cursor from this list",
                                                "cursor"));
            before = *v;
        } else {
            return call.done(error_response(api::ErrorCode::validation_failed, "unknown query parameter", name));
        }
    }
    auto events = services.store.list_security_events(agency_id, before, static_cast<std::size_t>(limit));
    if (!events)
        return call.done(error_response(events.error()));
    auto items = nlohmann::json::array();
    for (const auto& e : *events)
        items.push_back(security_event_json(e));
    nlohmann::json body{{"items", items}};
    body["next_cursor"] = events->size() == static_cast<std::size_t>(limit) ? nlohmann::json(std::to_string(events->back().seq))
                                                                            : nlohmann::json(nullptr);
    call.done(json_response(200, body));
}

void handle_security_events_list(AppServices& services, Call call)
{
    auto agency = resolve_agency(services, *call.auth, call.param("agency_id"));
    if (!agency)
        return call.done(not_found_response());
    if (!access::has_capability(call.auth->actor, access::Capability::view_audit_log, agency->id))
        return call.done(error_response(api::ErrorCode::forbidden, "you do not have permission to do this"));
    answer_security_events(services, call, agency->id);
}

} // namespace stronghold::server

#include "app/context.hpp"

#include <sodium.h>

#include <algorithm>

#include "app/worker_pool.hpp"
#include "util/log.hpp"

namespace stronghold::server {

std::string Call::param(std::string_view name) const
{
    for (const auto& [k, v] : params)
        if (k == name)
            return v;
    return {};
}

const JitaGrant* AuthContext::grant_for(std::string_view account_id) const
{
    for (const auto& g : grants)
        if (g.account_id == account_id)
            return &g;
    return nullptr;
}

const JitaGrant* Call::jita_grant() const
{
    return auth && auth->staff && account ? auth->grant_for(account->id) : nullptr;
}

Response jita_refused_response()
{
    return error_response(api::ErrorCode::forbidden_under_jita,
                          "platform staff may not do this under just-in-time access; ask the agency");
}

ActorRef Call::actor_ref() const
{
    ActorRef ref;
    ref.type = auth && auth->staff ? "staff" : "user";
    if (auth)
        ref.id = auth->user.id;
    if (const auto* grant = jita_grant())
        ref.grant_id = grant->id;
    ref.ip = request.remote_ip;
    ref.user_agent = request.user_agent();
    return ref;
}

std::string dump_json(const nlohmann::json& body)
{
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response json_response(int status, const nlohmann::json& body)
{
    Response r;
    r.status = status;
    r.set_header("Content-Type", "application/json");
    r.body = dump_json(body);
    return r;
}

Response error_response(const api::Error& error)
{
    return json_response(api::http_status(error.code), api::to_json(error));
}

Response error_response(api::ErrorCode code, std::string message, std::string field)
{
    return error_response(api::make_error(code, std::move(message), std::move(field)));
}

Response not_found_response()
{
    return error_response(api::ErrorCode::not_found, "not found");
}

void append_audit_logged(AppServices& services, const AuditEntry& audit)
{
    if (auto st = services.store.append_audit(audit); !st)
        log::error("audit.append_failed", {{"action", audit.action}});
}

Result<nlohmann::json> parse_json_body(const std::string& body)
{
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded())
        return api::make_error(api::ErrorCode::malformed_json, "the request body is not valid JSON");
    return j;
}

Response stale_response(const nlohmann::json& current, std::int64_t version)
{
    auto body =
        api::to_json(api::make_error(api::ErrorCode::precondition_failed, "the record has changed since you read it"));
    body["current"] = current;
    auto r = json_response(412, body);
    r.set_header("ETag", strong_etag(version));
    return r;
}

std::string strong_etag(std::int64_t version)
{
    return "\"" + std::to_string(version) + "\"";
}

Result<bool> if_match_current(const Request& request, std::int64_t current_version)
{
    auto header = request.header("If-Match");
    if (!header)
        return api::make_error(api::ErrorCode::precondition_required,
                               "If-Match is required: send the ETag of the version you read");
    const auto want = strong_etag(current_version);
    std::string_view rest = *header;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        auto tag = trim_ows(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (tag == want)
            return true;
    }
    return false;
}

void run_on_hash_pool(AppServices& services, Call call, std::string_view what,
                      std::function<void(AppServices&, Call&)> job, std::string busy_message)
{
    auto shared_call = std::make_shared<Call>(std::move(call));
    auto* svc = &services;
    const bool queued = services.hash_pool.try_submit([svc, shared_call, job = std::move(job), what = std::string(what)] {
        try {
            job(*svc, *shared_call);
        } catch (const std::exception& e) {
            log::error(what + ".failed_internal", {{"what", e.what()}});
            shared_call->done(error_response(api::ErrorCode::internal, "internal error"));
        }
    });
    if (!queued) {
        auto r = error_response(api::ErrorCode::unavailable, std::move(busy_message));
        r.set_header("Retry-After", "1");
        shared_call->done(std::move(r));
    }
}

Result<nlohmann::json> parse_required_strings(const std::string& body, std::initializer_list<const char*> names)
{
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded())
        return api::make_error(api::ErrorCode::malformed_json, "the body is not valid JSON");
    if (!j.is_object())
        return api::make_error(api::ErrorCode::validation_failed, "expected a JSON object", "body");
    for (const auto& [key, value] : j.items())
        if (std::none_of(names.begin(), names.end(), [&key = key](const char* n) { return key == n; }))
            return api::make_error(api::ErrorCode::validation_failed, "is not a known field", key);
    for (const char* name : names) {
        auto it = j.find(name);
        if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
            return api::make_error(api::ErrorCode::validation_failed, "is required", name);
    }
    return j;
}

WipedString::~WipedString()
{
    sodium_memzero(value.data(), value.size());
}

} // namespace stronghold::server

// POST /api/v1/auth/reauth {"password"} or {"code"} (IAM-6): a fresh proof for critical actions,
// recorded as the session's reauth_at. The password check runs on the bounded hash pool, like
// login. A wrong password or code is 422 validation_failed naming the field: the session stays
// valid, and 401 would read as "signed out" to the dashboard's re-authentication dialog.
#include "app/handlers.hpp"

#include "app/mfa.hpp"
#include "app/worker_pool.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "util/log.hpp"

#include <memory>

namespace stronghold::server {

namespace {

constexpr std::size_t k_max_password_bytes = 1024; // as login: bounds the work one request asks for

void finish_reauth(AppServices& services, Call& call, const char* method, bool verified)
{
    const auto& auth = *call.auth;
    AuditEntry audit;
    audit.at = services.clock();
    audit.actor = call.actor_ref();
    audit.agency_id = home_agency(auth.actor.memberships);
    audit.action = "auth.reauth";
    audit.target_type = "session";
    audit.target_id = auth.session.id;
    audit.details = {{"method", method}};
    if (!verified) {
        audit.outcome = "failure";
        append_audit_logged(services, audit);
        const bool is_password = std::string_view(method) == "password";
        call.done(error_response(api::ErrorCode::validation_failed,
                                 is_password ? "The password is incorrect." : "The code is incorrect.",
                                 is_password ? "password" : "code"));
        return;
    }
    if (auto st = services.store.mark_session_reauth(auth.session.token_hash, audit.at, audit); !st) {
        call.done(error_response(st.error()));
        return;
    }
    Response r;
    r.status = 204;
    call.done(std::move(r));
}

} // namespace

void handle_reauth(AppServices& services, Call call)
{
    auto body = nlohmann::json::parse(call.request.body, nullptr, false);
    if (body.is_discarded()) {
        call.done(error_response(api::ErrorCode::malformed_json, "the request body is not valid JSON"));
        return;
    }
    auto password = string_member(body, "password");
    auto code = string_member(body, "code");
    if (password.has_value() == code.has_value()) {
        call.done(error_response(api::ErrorCode::validation_failed, "send either a password or a code",
                                 code ? "password" : "code"));
        return;
    }
    if (code) {
        bool ok = code->size() <= 16 && verify_and_consume_totp(services, call.auth->user.id, *code);
        finish_reauth(services, call, "totp", ok);
        return;
    }
    if (password->empty() || password->size() > k_max_password_bytes) {
        finish_reauth(services, call, "password", false);
        return;
    }
    auto credentials = services.store.find_credentials_by_email(call.auth->user.email);
    auto hash = credentials && !credentials->password_hash.empty() ? credentials->password_hash : services.dummy_hash;
    const bool has_password = credentials && !credentials->password_hash.empty();
    run_on_hash_pool(services, std::move(call), "reauth",
                     [hash, has_password, pw = std::move(*password)](AppServices& svc, Call& c) {
                         bool verified = has_password && crypto::password_verify(hash, pw);
                         finish_reauth(svc, c, "password", verified);
                     });
}

} // namespace stronghold::server

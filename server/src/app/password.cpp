// POST /api/v1/me/password (IAM-2, IAM-5, IAM-6): change the password of the signed-in user.
// The current password in the body is the fresh proof of identity (so no separate re-auth),
// a wrong one counts as a failed sign-in for throttling (a stolen cookie must not become an
// unthrottled password oracle), and success revokes every OTHER session of the user.
// Argon2id (verify and hash) runs on the bounded hash pool, like login.
#include "app/handlers.hpp"

#include "app/middleware.hpp"
#include "app/password_rules.hpp"
#include "app/throttle.hpp"
#include "app/worker_pool.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/validate/password.hpp"
#include "util/log.hpp"

#include <sodium.h>

#include <memory>

namespace stronghold::server {

namespace {

struct PasswordChange {
    WipedString current;
    WipedString next;
};

Result<std::shared_ptr<PasswordChange>> parse_change(const std::string& body)
{
    auto parsed = parse_required_strings(body, {"current_password", "new_password"});
    if (!parsed)
        return parsed.error();
    auto& j = *parsed;
    for (const char* name : {"current_password", "new_password"})
        if (j[name].get_ref<const std::string&>().size() > validate::k_password_max_bytes)
            return api::make_error(api::ErrorCode::validation_failed, "is too long", name);
    auto change = std::make_shared<PasswordChange>();
    change->current.value = j["current_password"].get<std::string>();
    change->next.value = j["new_password"].get<std::string>();
    auto& cur = j["current_password"].get_ref<std::string&>();
    auto& nxt = j["new_password"].get_ref<std::string&>();
    sodium_memzero(cur.data(), cur.size());
    sodium_memzero(nxt.data(), nxt.size());
    return change;
}

// Runs on the hash pool: verify, hash, write (password + revocations + audit in one transaction).
void finish_change(AppServices& services, Call& call, const PasswordChange& change)
{
    const auto& auth = *call.auth;
    // Again here: parallel requests queued before the first failure was counted (see login).
    if (auto retry = login_retry_after(services, auth.user.email, call.request.remote_ip)) {
        call.done(throttled_response(*retry));
        return;
    }
    const auto agency_id = home_agency(auth.actor.memberships);
    auto credentials = services.store.find_credentials_by_email(auth.user.email);
    const bool verified = credentials && credentials->user.id == auth.user.id &&
                          !credentials->password_hash.empty() &&
                          crypto::password_verify(credentials->password_hash, change.current.value);
    if (!verified) {
        record_login_failure(services, auth.user.email, call.actor_ref(), auth.user, agency_id);
        AuditEntry audit;
        audit.at = services.clock();
        audit.agency_id = agency_id;
        audit.actor = call.actor_ref();
        audit.action = "user.password_change_failed";
        audit.outcome = "failure";
        audit.target_type = "user";
        audit.target_id = auth.user.id;
        audit.details["reason"] = "wrong_current_password";
        append_audit_logged(services, audit);
        call.done(error_response(api::ErrorCode::validation_failed, "is incorrect", "current_password"));
        return;
    }
    // No reuse of the last N passwords (IAM-2): the current one and the N-1 before it. Only
    // after the current password proved the caller, so this is no oracle for old passwords.
    if (reuses_recent_password(services, auth.user.id, agency_id, credentials->password_hash, change.next.value)) {
        call.done(error_response(api::ErrorCode::validation_failed, "was used recently", "new_password"));
        return;
    }
    auto hash = crypto::password_hash(change.next.value, services.password_params);
    if (hash.empty()) {
        call.done(error_response(api::ErrorCode::internal, "internal error"));
        return;
    }
    AuditEntry audit;
    audit.at = services.clock();
    audit.agency_id = agency_id;
    audit.actor = call.actor_ref();
    audit.action = "user.password_changed";
    audit.target_type = "user";
    audit.target_id = auth.user.id;
    auto revoked = services.store.change_password(auth.user.id, hash, auth.session.token_hash, audit);
    if (!revoked) {
        call.done(error_response(revoked.error()));
        return;
    }
    for (const auto& token_hash : *revoked)
        services.hub.close_session(token_hash); // their sockets close now, not at their next frame
    record_login_success(services, auth.user.email, call.request.remote_ip);
    Response r;
    r.status = 204;
    call.done(std::move(r));
}

} // namespace

void handle_password_change(AppServices& services, Call call)
{
    auto change = parse_change(call.request.body);
    if (!change) {
        call.done(error_response(change.error()));
        return;
    }
    // Throttled like sign-in, before any hashing.
    if (auto retry = login_retry_after(services, call.auth->user.email, call.request.remote_ip)) {
        call.done(throttled_response(*retry));
        return;
    }
    if (auto st = check_new_password(services, call.auth->user, home_agency(call.auth->actor.memberships),
                                     (*change)->next.value);
        !st) {
        call.done(error_response(st.error()));
        return;
    }
    run_on_hash_pool(services, std::move(call), "password_change",
                     [job = *change](AppServices& svc, Call& c) { finish_change(svc, c, *job); });
}

} // namespace stronghold::server

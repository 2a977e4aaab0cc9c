// The second step of a two-step login (IAM-3). The password step (auth_login.cpp) hands out an
// mfa_token instead of a session when the user has 2FA on; POST /api/v1/auth/login/totp with
// that token and a TOTP code (or a recovery code) opens the session. The token is random,
// stored hashed, single-use, lives 5 minutes and dies after 5 wrong codes, so guessing codes
// costs a correct password (and its throttling) for every 5 guesses.
#include "app/handlers.hpp"

#include "app/mfa.hpp"
#include "app/middleware.hpp"
#include "app/sessions.hpp"
#include "app/throttle.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "util/log.hpp"

namespace stronghold::server {

namespace {

constexpr std::size_t k_max_code_bytes = 64;

Response second_step_failed()
{
    return error_response(api::ErrorCode::unauthenticated, "The code is incorrect or has expired.");
}

} // namespace

Response begin_mfa_login(AppServices& services, const Call& call, const model::User& user)
{
    auto token = crypto::random_token();
    MfaChallenge challenge;
    challenge.token_hash = crypto::hash_hex(token);
    challenge.user_id = user.id;
    challenge.created_at = services.clock();
    challenge.expires_at = challenge.created_at + k_mfa_token_ms;
    if (auto st = services.store.create_mfa_challenge(challenge); !st)
        return error_response(st.error());
    return json_response(200, {{"mfa_required", true}, {"mfa_token", token}});
}

Response open_user_session(AppServices& services, const Call& call, const model::User& user,
                           nlohmann::json audit_details)
{
    auto now = services.clock();
    // As in the password-only login: a new token every time, and a session planted before
    // login is revoked with its live sockets.
    if (auto old = session_token(call.request)) {
        const auto old_hash = crypto::hash_hex(*old);
        (void)services.store.delete_session(old_hash);
        services.hub.close_session(old_hash);
    }
    auto token = crypto::random_token();
    Session session;
    session.id = crypto::random_id("se");
    session.token_hash = crypto::hash_hex(token);
    session.user_id = user.id;
    session.created_at = now;
    session.last_seen_at = now;
    auto memberships = services.store.memberships_of(user.id);
    session.expires_at = now + session_limits(services, home_agency(memberships)).absolute_ms;
    session.ip = call.request.remote_ip;
    session.user_agent = call.request.user_agent().substr(0, 512);
    session.reauth_at = now; // signing in is a fresh proof (IAM-6)
    if (auto st = services.store.create_session(session); !st)
        return error_response(st.error());

    AuthContext auth;
    auth.session = session;
    auth.user = user;
    auth.actor = load_actor(services, user.id, std::move(memberships)); // the login answer's /me has roles, teams

    AuditEntry audit;
    audit.at = now;
    audit.actor = call.actor_ref();
    audit.actor.id = user.id;
    audit.agency_id = home_agency(auth.actor.memberships);
    audit.action = "auth.login";
    audit.target_type = "session";
    audit.target_id = session.id;
    audit.details = std::move(audit_details);
    append_audit_logged(services, audit);
    // The same follow-ups as a password-only login (IAM-7): reset the (email, IP) failure
    // counter, mail the owner about a new device.
    record_login_success(services, user.email, call.request.remote_ip);
    note_login_device(services, user, audit.actor);

    auto response = json_response(200, me_body(services, auth));
    response.set_header("Set-Cookie", session_cookie(token, session.expires_at - now));
    return response;
}

void handle_login_totp(AppServices& services, Call call)
{
    auto body = nlohmann::json::parse(call.request.body, nullptr, false);
    if (body.is_discarded()) {
        call.done(error_response(api::ErrorCode::malformed_json, "the request body is not valid JSON"));
        return;
    }
    auto mfa_token = string_member(body, "mfa_token");
    auto code = string_member(body, "code");
    auto recovery = string_member(body, "recovery_code");
    if (!mfa_token || mfa_token->empty() || mfa_token->size() > k_max_code_bytes) {
        call.done(second_step_failed());
        return;
    }
    if (code.has_value() == recovery.has_value()) {
        call.done(error_response(api::ErrorCode::validation_failed, "send either a code or a recovery code",
                                 code ? "recovery_code" : "code"));
        return;
    }
    const std::string& typed = code ? *code : *recovery;
    if (typed.size() > k_max_code_bytes) {
        call.done(error_response(api::ErrorCode::validation_failed, "the code is too long",
                                 code ? "code" : "recovery_code"));
        return;
    }

    const auto token_hash = crypto::hash_hex(*mfa_token);
    const auto now = services.clock();
    auto challenge = services.store.find_mfa_challenge(token_hash);
    if (!challenge || now >= challenge->expires_at || challenge->failures >= k_mfa_max_failures) {
        call.done(second_step_failed());
        return;
    }
    auto user = services.store.find_user(challenge->user_id);
    if (!user || !user->active) {
        call.done(second_step_failed());
        return;
    }

    const char* method = code ? "totp" : "recovery_code";
    bool verified = code ? verify_and_consume_totp(services, user->id, *code)
                         : verify_and_consume_recovery_code(services, user->id, *recovery);
    if (!verified) {
        if (auto st = services.store.add_mfa_failure(token_hash, k_mfa_max_failures); !st)
            log::error("2fa.failure_count_failed", {{"code", api::to_string(st.error().code)}});
        AuditEntry audit;
        audit.at = now;
        audit.actor = call.actor_ref();
        audit.actor.id = user->id;
        audit.agency_id = home_agency(services.store.memberships_of(user->id));
        audit.action = "auth.login_mfa_failed";
        audit.outcome = "failure";
        audit.target_type = "user";
        audit.target_id = user->id;
        audit.details = {{"mfa", method}, {"failures", challenge->failures + 1}};
        append_audit_logged(services, audit);
        call.done(second_step_failed());
        return;
    }
    // Single use: of two requests racing with one token (and two valid codes), one wins here.
    if (auto st = services.store.consume_mfa_challenge(token_hash); !st) {
        call.done(second_step_failed());
        return;
    }
    call.done(open_user_session(services, call, *user, {{"mfa", method}}));
}

} // namespace stronghold::server

// Turning TOTP two-factor authentication on and off for the signed-in user (IAM-3):
//   POST   /api/v1/me/2fa/totp          new pending seed, shown once as text, URI and QR matrix
//   POST   /api/v1/me/2fa/totp/confirm  {"code"}: a code of the pending seed turns it on and
//                                       answers the 10 recovery codes (shown once, stored hashed)
//   DELETE /api/v1/me/2fa/totp          turns it off
// Each is a 2FA change, so each needs a password or code proof from the last 5 minutes (IAM-6);
// a fresh login counts, so enrolling right after signing in needs no extra step.
// A wrong confirmation code is 422 validation_failed (field "code"): the session is fine, only
// the typed value is not, and 401 would read as "signed out" to clients.
#include "app/handlers.hpp"

#include "app/mfa.hpp"
#include "app/reauth.hpp"
#include "auth/secret_store.hpp"
#include "auth/totp.hpp"
#include "util/log.hpp"

#include <sodium.h>

#include <array>

namespace stronghold::server {

namespace {

AuditEntry audit_for(AppServices& services, const Call& call, std::string action)
{
    const auto& auth = *call.auth;
    AuditEntry audit;
    audit.at = services.clock();
    audit.actor = call.actor_ref();
    audit.agency_id = home_agency(auth.actor.memberships);
    audit.action = std::move(action);
    audit.target_type = "user";
    audit.target_id = auth.user.id;
    return audit;
}

} // namespace

void handle_totp_enrol(AppServices& services, Call call)
{
    const auto& auth = *call.auth;
    if (auto st = require_recent_auth(auth, services.clock()); !st) {
        call.done(error_response(st.error()));
        return;
    }
    std::array<std::uint8_t, auth::k_totp_secret_bytes> raw{};
    crypto::system_random().fill(raw);
    const std::string secret(reinterpret_cast<const char*>(raw.data()), raw.size());
    sodium_memzero(raw.data(), raw.size());

    auto sealed = services.secrets->seal(totp_secret_context(auth.user.id), secret);
    if (!sealed) {
        call.done(error_response(sealed.error()));
        return;
    }
    const auto b32 = auth::base32_encode(secret);
    const auto uri = auth::otpauth_uri(k_totp_issuer, auth.user.email, b32);
    auto qr = auth::qr_matrix(uri);
    if (!qr) {
        log::error("2fa.qr_failed");
        call.done(error_response(api::ErrorCode::internal, "internal error"));
        return;
    }
    if (auto st = services.store.start_totp_enrolment(auth.user.id, *sealed, services.clock(),
                                                      audit_for(services, call, "2fa.enrol_started"));
        !st) {
        call.done(error_response(st.error()));
        return;
    }
    call.done(json_response(
        200, {{"secret", b32}, {"otpauth_uri", uri}, {"qr", {{"size", qr->size}, {"modules", qr->modules}}}}));
}

void handle_totp_confirm(AppServices& services, Call call)
{
    const auto& auth = *call.auth;
    const auto now = services.clock();
    if (auto st = require_recent_auth(auth, now); !st) {
        call.done(error_response(st.error()));
        return;
    }
    auto body = nlohmann::json::parse(call.request.body, nullptr, false);
    if (body.is_discarded()) {
        call.done(error_response(api::ErrorCode::malformed_json, "the request body is not valid JSON"));
        return;
    }
    auto code = string_member(body, "code");
    if (!code) {
        call.done(error_response(api::ErrorCode::validation_failed, "enter the 6-digit code from your app", "code"));
        return;
    }
    auto totp = services.store.find_totp(auth.user.id);
    if (!totp || totp->enabled) {
        call.done(error_response(api::ErrorCode::conflict, "there is no pending two-factor enrolment"));
        return;
    }
    auto secret = services.secrets->open(totp_secret_context(auth.user.id), totp->sealed_secret);
    if (!secret) {
        call.done(error_response(secret.error()));
        return;
    }
    auto step = auth::totp_match(*secret, *code, now);
    if (!step) {
        call.done(error_response(api::ErrorCode::validation_failed, "That code is not right. Try the current one.",
                                 "code"));
        return;
    }
    auto codes = nlohmann::json::array();
    std::vector<std::string> hashes;
    for (std::size_t i = 0; i < auth::k_recovery_code_count; ++i) {
        auto c = auth::make_recovery_code();
        hashes.push_back(auth::recovery_code_hash(auth.user.id, *auth::normalize_recovery_code(c)));
        codes.push_back(std::move(c));
    }
    // The confirming code's step counts as used: it cannot then sign anyone in.
    if (auto st = services.store.enable_totp(auth.user.id, *step, hashes, now,
                                             audit_for(services, call, "2fa.enabled"));
        !st) {
        call.done(error_response(st.error()));
        return;
    }
    call.done(json_response(200, {{"recovery_codes", codes}}));
}

void handle_totp_disable(AppServices& services, Call call)
{
    const auto& auth = *call.auth;
    if (auth.staff) // platform staff always use 2FA (REQUIREMENTS IAM: "Platform staff accounts always need 2FA")
        return call.done(error_response(api::ErrorCode::forbidden, "platform staff cannot turn two-factor authentication off"));
    if (auto st = require_recent_auth(auth, services.clock()); !st) {
        call.done(error_response(st.error()));
        return;
    }
    if (auto st = services.store.disable_totp(auth.user.id, audit_for(services, call, "2fa.disabled")); !st) {
        call.done(error_response(st.error()));
        return;
    }
    Response r;
    r.status = 204;
    call.done(std::move(r));
}

} // namespace stronghold::server

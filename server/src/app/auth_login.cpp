// POST /api/v1/auth/login. The password check runs on the bounded hash pool, never on an I/O or
// handler thread, and every failure (malformed body, unknown email, wrong password, inactive
// user) answers the same 401 body (IAM-7). Unknown emails are verified against a dummy hash so
// their timing is in the same class as a real user's.
#include "app/handlers.hpp"

#include "app/middleware.hpp"
#include "app/sessions.hpp"
#include "app/throttle.hpp"
#include "app/worker_pool.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "util/log.hpp"

#include <cctype>
#include <memory>

namespace stronghold::server {

namespace {

constexpr std::size_t k_max_email_bytes = 254;
constexpr std::size_t k_max_password_bytes = 1024; // bounds the work one request can ask for

Response login_failed()
{
    return error_response(api::ErrorCode::unauthenticated, "Email or password is incorrect.");
}

struct LoginAttempt {
    std::string email;
    std::string password;
    std::optional<Credentials> credentials;
};

void audit_login_failure(AppServices& services, const Call& call, const LoginAttempt& attempt,
                         const std::string& reason)
{
    AuditEntry audit;
    audit.at = services.clock();
    audit.actor = call.actor_ref();
    audit.action = "auth.login_failed";
    audit.outcome = "failure";
    if (attempt.credentials) {
        const auto& user = attempt.credentials->user;
        audit.actor.id = user.id;
        audit.agency_id = home_agency(services.store.memberships_of(user.id));
        audit.target_type = "user";
        audit.target_id = user.id;
    } else {
        // Unknown email: a global row. The typed text is not stored (people type passwords into
        // the email field); its hash still lets an admin correlate repeated attempts.
        audit.target_type = "email";
        audit.details["email_hash"] = crypto::hash_hex(attempt.email);
    }
    audit.details["reason"] = reason;
    append_audit_logged(services, audit);
}

// Runs on the hash pool once the password has been checked.
void finish_login(AppServices& services, Call& call, LoginAttempt& attempt, bool verified)
{
    std::string reason;
    if (!attempt.credentials)
        reason = "unknown_email";
    else if (!verified)
        reason = "wrong_password";
    else if (!attempt.credentials->user.active)
        reason = "inactive_user";
    if (!reason.empty()) {
        audit_login_failure(services, call, attempt, reason);
        // IAM-7: every failure counts, unknown emails exactly like real ones.
        std::optional<model::User> account;
        std::string agency_id;
        if (attempt.credentials) {
            account = attempt.credentials->user;
            agency_id = home_agency(services.store.memberships_of(account->id));
        }
        record_login_failure(services, attempt.email, call.actor_ref(), account, agency_id);
        call.done(login_failed());
        return;
    }
    // IAM-3: with 2FA on the password is only the first step; no session and no cookie yet.
    if (auto totp = services.store.find_totp(attempt.credentials->user.id); totp && totp->enabled) {
        call.done(begin_mfa_login(services, call, attempt.credentials->user));
        return;
    }

    // One path opens every session (password-only here, after the second factor in mfa_login.cpp).
    call.done(open_user_session(services, call, attempt.credentials->user, nlohmann::json::object()));
}

std::optional<LoginAttempt> parse_login(const std::string& body)
{
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return std::nullopt;
    auto email = j.find("email");
    auto password = j.find("password");
    if (email == j.end() || password == j.end() || !email->is_string() || !password->is_string())
        return std::nullopt;
    LoginAttempt attempt;
    attempt.email = email->get<std::string>();
    attempt.password = password->get<std::string>();
    // Emails are stored lower-cased; trim what autofill sometimes adds.
    while (!attempt.email.empty() && std::isspace(static_cast<unsigned char>(attempt.email.back())))
        attempt.email.pop_back();
    while (!attempt.email.empty() && std::isspace(static_cast<unsigned char>(attempt.email.front())))
        attempt.email.erase(attempt.email.begin());
    for (auto& c : attempt.email)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (attempt.email.empty() || attempt.email.size() > k_max_email_bytes || attempt.password.empty() ||
        attempt.password.size() > k_max_password_bytes)
        return std::nullopt;
    return attempt;
}

} // namespace

void handle_login(AppServices& services, Call call)
{
    auto parsed = parse_login(call.request.body);
    if (!parsed) {
        call.done(login_failed());
        return;
    }
    // IAM-7: throttled before any lookup or hashing, with the same answer for every email.
    if (auto retry = login_retry_after(services, parsed->email, call.request.remote_ip)) {
        log::warn("login.throttled", {{"ip", call.request.remote_ip}, {"retry_after_s", *retry}});
        call.done(throttled_response(*retry));
        return;
    }
    auto attempt = std::make_shared<LoginAttempt>(std::move(*parsed));
    attempt->credentials = services.store.find_credentials_by_email(attempt->email);

    run_on_hash_pool(
        services, std::move(call), "login",
        [attempt](AppServices& svc, Call& c) {
            // Checked again when the job runs: a burst queued before its first failures were
            // counted must not get more guesses than the limit (the store read costs no hashing).
            if (auto retry = login_retry_after(svc, attempt->email, c.request.remote_ip)) {
                c.done(throttled_response(*retry));
                return;
            }
            const bool has_hash = attempt->credentials && !attempt->credentials->password_hash.empty();
            const auto& hash = has_hash ? attempt->credentials->password_hash : svc.dummy_hash;
            bool verified = crypto::password_verify(hash, attempt->password);
            if (!has_hash)
                verified = false; // the dummy hash's password is random and unknown, but never trust it
            finish_login(svc, c, *attempt, verified);
        },
        "too many sign-ins right now; try again shortly");
}

} // namespace stronghold::server

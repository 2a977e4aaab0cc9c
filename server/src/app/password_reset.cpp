// Password reset by email link (IAM-1: a password cannot be recovered, only reset).
//
// POST /api/v1/auth/password-reset {"email"} answers 202 {} whatever the email (no enumeration):
// a token is drawn and hashed either way; only a real active user gets a reset row and a mail.
// The link travels through the outbox sealed by the SecretStore (the outbox never holds a usable
// token in clear) and the database keeps only the token's hash.
// POST /api/v1/auth/password-reset/confirm {"token","new_password"} answers 204: the link is
// single-use and lives 30 minutes; the new password passes the same rules as a change (agency
// policy and history, password_rules.hpp); every session of the user is revoked.
#include "app/handlers.hpp"

#include "app/password_rules.hpp"
#include "app/throttle.hpp"
#include "app/worker_pool.hpp"
#include "auth/secret_store.hpp"
#include "mail/templates.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/validate/password.hpp"
#include "util/log.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace stronghold::server {

namespace {

constexpr std::size_t k_max_email_bytes = 254;
constexpr std::size_t k_max_token_bytes = 128;
constexpr const char* k_invalid_link = "This reset link is invalid or has expired.";

// Requests are counted per IP and per email (unknown emails alike): one IP cannot spray the
// endpoint, and nobody can flood one mailbox with reset mails. Separate keys from sign-in, so
// asking for a reset never blocks signing in and the other way round.
constexpr std::int64_t k_requests_per_ip = 20;
constexpr std::int64_t k_requests_per_email = 5;
constexpr model::UnixMillis k_request_window_ms = 15LL * 60 * 1000;
constexpr model::UnixMillis k_request_block_ms = 15LL * 60 * 1000;

std::string ip_key(const std::string& ip)
{
    return "pr-ip:" + ip;
}

std::string email_key(const std::string& email)
{
    return "pr-em:" + crypto::hash_hex(email); // hashed: the table never holds typed text
}

std::optional<int> request_retry_after(AppServices& services, const std::string& email, const std::string& ip)
{
    const auto now = services.clock();
    const auto until = std::max(services.store.login_failures(ip_key(ip)).blocked_until,
                                services.store.login_failures(email_key(email)).blocked_until);
    if (until <= now)
        return std::nullopt;
    return static_cast<int>(std::max<model::UnixMillis>(1, (until - now + 999) / 1000));
}

void count_request(AppServices& services, const std::string& email, const std::string& ip)
{
    const auto now = services.clock();
    // The limit-th request sets the block, so the next one is refused.
    if (!services.store.add_login_failure(ip_key(ip), now, k_request_window_ms, k_requests_per_ip,
                                          k_request_block_ms))
        log::error("password_reset.count_failed");
    if (!services.store.add_login_failure(email_key(email), now, k_request_window_ms, k_requests_per_email,
                                          k_request_block_ms))
        log::error("password_reset.count_failed");
}

Result<std::string> parse_request(const std::string& body)
{
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded())
        return api::make_error(api::ErrorCode::malformed_json, "the body is not valid JSON");
    if (!j.is_object())
        return api::make_error(api::ErrorCode::validation_failed, "expected a JSON object", "body");
    for (const auto& [key, value] : j.items())
        if (key != "email")
            return api::make_error(api::ErrorCode::validation_failed, "is not a known field", key);
    auto it = j.find("email");
    if (it == j.end() || !it->is_string())
        return api::make_error(api::ErrorCode::validation_failed, "is required", "email");
    std::string email = it->get<std::string>();
    // Stored lower-cased; trim what autofill sometimes adds (as sign-in does).
    while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back())))
        email.pop_back();
    while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front())))
        email.erase(email.begin());
    for (auto& c : email)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (email.empty())
        return api::make_error(api::ErrorCode::validation_failed, "is required", "email");
    if (email.size() > k_max_email_bytes || email.find('@') == std::string::npos)
        return api::make_error(api::ErrorCode::validation_failed, "is not a valid email address", "email");
    return email;
}

struct ResetConfirm {
    WipedString token;
    WipedString next;
};

Result<std::shared_ptr<ResetConfirm>> parse_confirm(const std::string& body)
{
    auto parsed = parse_required_strings(body, {"token", "new_password"});
    if (!parsed)
        return parsed.error();
    auto& j = *parsed;
    auto& token = j["token"].get_ref<std::string&>();
    auto& next = j["new_password"].get_ref<std::string&>();
    if (token.size() > k_max_token_bytes)
        return api::make_error(api::ErrorCode::validation_failed, k_invalid_link, "token");
    if (next.size() > validate::k_password_max_bytes)
        return api::make_error(api::ErrorCode::validation_failed, "is too long", "new_password");
    auto out = std::make_shared<ResetConfirm>();
    out->token.value = token;
    out->next.value = next;
    sodium_memzero(token.data(), token.size());
    sodium_memzero(next.data(), next.size());
    return out;
}

// Runs on the hash pool: history (Argon2id per old hash), hash, then the one transaction that
// claims the link, sets the password, revokes every session and writes the audit row.
void finish_reset(AppServices& services, Call& call, const ResetConfirm& confirm, const model::User& user,
                  const std::string& agency_id)
{
    auto credentials = services.store.find_credentials_by_email(user.email);
    const std::string current_hash = credentials && credentials->user.id == user.id ? credentials->password_hash : "";
    if (reuses_recent_password(services, user.id, agency_id, current_hash, confirm.next.value)) {
        call.done(error_response(api::ErrorCode::validation_failed, "was used recently", "new_password"));
        return;
    }
    auto hash = crypto::password_hash(confirm.next.value, services.password_params);
    if (hash.empty()) {
        call.done(error_response(api::ErrorCode::internal, "internal error"));
        return;
    }
    AuditEntry audit;
    audit.at = services.clock();
    audit.agency_id = agency_id;
    audit.actor = call.actor_ref();
    audit.actor.id = user.id; // the link proved who this is
    audit.action = "user.password_reset";
    audit.target_type = "user";
    audit.target_id = user.id;
    auto revoked = services.store.reset_password(crypto::hash_hex(confirm.token.value), hash, audit);
    if (!revoked) {
        call.done(error_response(revoked.error()));
        return;
    }
    for (const auto& token_hash : *revoked)
        services.hub.close_session(token_hash);
    services.hub.close_user(user.id); // sockets of sessions revoked by a concurrent path too
    record_login_success(services, user.email, call.request.remote_ip); // the owner may sign in now
    Response r;
    r.status = 204;
    call.done(std::move(r));
}

} // namespace

void handle_password_reset_request(AppServices& services, Call call)
{
    auto email = parse_request(call.request.body);
    if (!email) {
        call.done(error_response(email.error()));
        return;
    }
    const auto& ip = call.request.remote_ip;
    if (auto retry = request_retry_after(services, *email, ip)) {
        call.done(throttled_response(*retry));
        return;
    }
    count_request(services, *email, ip);

    // The same work for every email: draw and hash a token, look the email up.
    auto token = crypto::random_token();
    const auto token_hash = crypto::hash_hex(token);
    auto credentials = services.store.find_credentials_by_email(*email);
    if (credentials && credentials->user.active) {
        const auto& user = credentials->user;
        const auto now = services.clock();
        OutboxMail mail;
        mail.id = crypto::random_id("ml");
        mail.to_addr = user.email;
        mail.template_name = "password_reset";
        mail.created_at = now;
        std::string link = services.config.public_url + "/reset.html#token=" + token;
        auto sealed = services.secrets ? services.secrets->seal(reset_link_context(mail.id), link)
                                       : Result<std::string>(api::make_error(api::ErrorCode::internal, "no secrets"));
        sodium_memzero(link.data(), link.size());
        if (sealed) {
            mail.data = {{"sealed_link", *sealed}, {"ip", ip}, {"expires_minutes", k_reset_ttl_ms / 60000}};
            PasswordReset reset{token_hash, user.id, now, now + k_reset_ttl_ms, 0};
            AuditEntry audit;
            audit.at = now;
            audit.agency_id = home_agency(services.store.memberships_of(user.id));
            audit.actor = call.actor_ref();
            audit.action = "user.password_reset_requested";
            audit.target_type = "user";
            audit.target_id = user.id;
            if (auto st = services.store.create_password_reset(reset, mail, audit); !st)
                sealed = st.error();
        }
        // A failure is logged, not shown: an error only for real accounts would reveal them.
        // The person can ask again.
        if (!sealed)
            log::error("password_reset.request_failed", {{"code", api::to_string(sealed.error().code)}});
    }
    sodium_memzero(token.data(), token.size());
    call.done(json_response(202, nlohmann::json::object()));
}

void handle_password_reset_confirm(AppServices& services, Call call)
{
    auto confirm = parse_confirm(call.request.body);
    if (!confirm) {
        call.done(error_response(confirm.error()));
        return;
    }
    const auto now = services.clock();
    auto reset = services.store.find_password_reset(crypto::hash_hex((*confirm)->token.value));
    auto user = reset ? services.store.find_user(reset->user_id) : std::nullopt;
    if (!reset || reset->used_at != 0 || reset->expires_at <= now || !user || !user->active) {
        call.done(error_response(api::ErrorCode::validation_failed, k_invalid_link, "token"));
        return;
    }
    const auto agency_id = home_agency(services.store.memberships_of(user->id));
    if (auto st = check_new_password(services, *user, agency_id, (*confirm)->next.value); !st) {
        call.done(error_response(st.error()));
        return;
    }
    run_on_hash_pool(services, std::move(call), "password_reset",
                     [job = *confirm, who = *user, agency_id](AppServices& svc, Call& c) {
                         finish_reset(svc, c, *job, who, agency_id);
                     });
}

} // namespace stronghold::server

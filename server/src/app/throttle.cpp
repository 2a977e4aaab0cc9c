// Login throttling (IAM-7): see throttle.hpp for the rules and why they are shaped so.
#include "app/throttle.hpp"

#include "app/security_events.hpp"

#include "app/sessions.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/model/time.hpp"
#include "util/log.hpp"

#include <algorithm>

namespace stronghold::server {

namespace {

// The email is hashed into the key: the table never holds typed text (people type passwords
// into the email field).
std::string pair_key(const std::string& email, const std::string& ip)
{
    return "ei:" + crypto::hash_hex(email + "\n" + ip);
}

std::string ip_key(const std::string& ip)
{
    return "ip:" + ip;
}

int seconds_until(model::UnixMillis when, model::UnixMillis now)
{
    return static_cast<int>(std::max<model::UnixMillis>(1, (when - now + 999) / 1000));
}

// The delay after the n-th failure of a pair: 1 s after the 5th, 2 s, 4 s, then 8 s.
model::UnixMillis delay_after(std::int64_t failures)
{
    const auto steps = std::min<std::int64_t>(failures - k_throttle.delay_after, 4);
    return std::min(k_throttle.max_delay_ms, k_throttle.first_delay_ms << steps);
}

void enqueue_logged(AppServices& services, OutboxMail mail)
{
    mail.created_at = services.clock();
    if (auto st = services.store.enqueue_mail(mail); !st)
        log::error("outbox.enqueue_failed", {{"template", mail.template_name}});
}

} // namespace

std::optional<int> login_retry_after(AppServices& services, const std::string& email, const std::string& ip)
{
    const auto now = services.clock();
    model::UnixMillis next = 0;
    const auto by_ip = services.store.login_failures(ip_key(ip));
    if (by_ip.blocked_until > now)
        next = by_ip.blocked_until;
    const auto pair = services.store.login_failures(pair_key(email, ip));
    if (pair.blocked_until > now)
        next = std::max(next, pair.blocked_until);
    else if (pair.failures >= k_throttle.delay_after && now - pair.first_at < k_throttle.pair_window_ms)
        next = std::max(next, pair.last_at + delay_after(pair.failures));
    if (next <= now)
        return std::nullopt;
    return seconds_until(next, now);
}

Response throttled_response(int retry_after_s)
{
    auto r = error_response(api::ErrorCode::rate_limited, "Too many sign-in attempts. Try again later.");
    r.set_header("Retry-After", std::to_string(retry_after_s));
    return r;
}

void record_login_failure(AppServices& services, const std::string& email, const ActorRef& actor,
                          const std::optional<model::User>& account, const std::string& agency_id)
{
    const auto now = services.clock();
    auto pair = services.store.add_login_failure(pair_key(email, actor.ip), now, k_throttle.pair_window_ms,
                                                 k_throttle.block_after, k_throttle.block_ms);
    if (!pair)
        log::error("throttle.count_failed", {{"code", api::to_string(pair.error().code)}});
    else if (pair->failures == k_throttle.block_after) {
        // Just blocked: one audit row and, for a real account, one mail to its owner.
        AuditEntry audit;
        audit.at = now;
        audit.agency_id = agency_id;
        audit.actor = actor;
        audit.action = "auth.login_blocked";
        audit.outcome = "denied";
        audit.target_type = account ? "user" : "email";
        audit.target_id = account ? account->id : std::string{};
        if (!account)
            audit.details["email_hash"] = crypto::hash_hex(email);
        audit.details["failures"] = pair->failures;
        audit.details["blocked_until"] = model::format_iso8601(pair->blocked_until);
        auto event = make_security_event(services, actor, "brute_force", "medium");
        event.agency_id = agency_id;
        event.details = {{"failures", pair->failures}, {"blocked_until", audit.details["blocked_until"]}};
        raise_security_event(services, event, audit); // the event and this audit row
        if (account)
            enqueue_logged(services, {{}, account->email, "login_blocked",
                                      {{"ip", actor.ip}, {"device", device_label(actor.user_agent)},
                                       {"blocked_until", model::format_iso8601(pair->blocked_until)}},
                                      0});
    }

    auto by_ip = services.store.add_login_failure(ip_key(actor.ip), now, k_throttle.ip_window_ms,
                                                  k_throttle.ip_block_after, k_throttle.block_ms);
    if (!by_ip)
        log::error("throttle.count_failed", {{"code", api::to_string(by_ip.error().code)}});
    else if (by_ip->failures == k_throttle.ip_block_after) {
        // Many failures from one address within minutes: credential stuffing (AUD-5). A global
        // row (no agency): the attempts span tenants and unknown emails.
        AuditEntry audit;
        audit.at = now;
        audit.actor = actor;
        audit.actor.id.clear();
        audit.action = "security.credential_stuffing";
        audit.outcome = "denied";
        audit.target_type = "ip";
        audit.target_id = actor.ip;
        audit.details = {{"severity", "high"},
                         {"failures", by_ip->failures},
                         {"window_minutes", k_throttle.ip_window_ms / 60000},
                         {"blocked_until", model::format_iso8601(by_ip->blocked_until)}};
        auto event = make_security_event(services, audit.actor, "credential_stuffing", "high");
        event.details = audit.details;
        raise_security_event(services, event, audit); // the event and this audit row
        log::warn("security.credential_stuffing", {{"ip", actor.ip}, {"failures", by_ip->failures}});
    }

    if (auto st = services.store.prune_login_failures(now - k_throttle.prune_after_ms, now); !st)
        log::warn("throttle.prune_failed", {{"code", api::to_string(st.error().code)}});
}

void record_login_success(AppServices& services, const std::string& email, const std::string& ip)
{
    if (auto st = services.store.clear_login_failures(pair_key(email, ip)); !st)
        log::warn("throttle.reset_failed", {{"code", api::to_string(st.error().code)}});
}

void note_login_device(AppServices& services, const model::User& user, const ActorRef& actor)
{
    const auto family = device_label(actor.user_agent);
    auto is_new = services.store.note_login_device(user.id, family, services.clock());
    if (!is_new) {
        log::warn("login_device.note_failed", {{"code", api::to_string(is_new.error().code)}});
        return;
    }
    if (*is_new)
        enqueue_logged(services, {{}, user.email, "new_device_login",
                                  {{"device", family}, {"ip", actor.ip},
                                   {"at", model::format_iso8601(services.clock())}},
                                  0});
}

} // namespace stronghold::server

// Security events and automatic responses (AUD-5, TEN-2).
//
// An event is one stored row (store: security_events) plus one audit row, written together.
// Sources: cross-tenant attempts (an id or a sub-account/agency of another tenant answered with
// the ordinary 404, classified AFTER the answer has left so the timing class is that of a
// missing record), brute force and credential stuffing (app/throttle.cpp), bursts of 403s from
// one source, and bursts of 5xx answers (platform-wide).
//
// Responses: each kind has a rule (k_response_rules): when a source reaches `count` events of
// the kind within `window_ms`, it is blocked for `block_ms`: every request from it answers 429
// rate_limited with Retry-After until then. A block is itself an event ("source_blocked") and an
// audit row. Blocks are kept in the store (a restart keeps them) and mirrored in memory, so the
// check on every request costs no query.
#pragma once

#include "app/context.hpp"

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace stronghold::server {

struct ResponseRule {
    std::string_view kind;
    std::int64_t count;          // events of `kind` from one source ...
    model::UnixMillis window_ms; // ... within this window
    model::UnixMillis block_ms;  // block the source this long
};

// 5 cross-tenant attempts in 10 minutes block the user (or the IP when anonymous) for 15 minutes;
// one 403 burst (20 refusals in a minute) blocks the session's user for 5 minutes.
// A staff member's bulk read under a JITA grant (ACC-5) blocks them for 15 minutes.
inline constexpr ResponseRule k_response_rules[] = {
    {"cross_tenant_attempt", 5, 10LL * 60 * 1000, 15LL * 60 * 1000},
    {"permission_denied_burst", 1, 60LL * 1000, 5LL * 60 * 1000},
    {"jita_bulk_read", 1, 10LL * 60 * 1000, 15LL * 60 * 1000},
};
inline constexpr std::size_t k_denied_burst = 20;          // 403s from one source ...
inline constexpr model::UnixMillis k_denied_window_ms = 60LL * 1000; // ... in a minute
inline constexpr std::size_t k_error_spike = 50;           // 5xx answers in a minute, all sources
inline constexpr model::UnixMillis k_error_window_ms = 60LL * 1000;
// ACC-5 risk monitoring of platform staff: reads under grants, and grants on many sub-accounts.
inline constexpr std::size_t k_jita_read_burst = 100;         // reads (GET) by one staff member ...
inline constexpr model::UnixMillis k_jita_read_window_ms = 10LL * 60 * 1000; // ... in 10 minutes
inline constexpr std::int64_t k_jita_many_accounts = 3;       // grants on 3 sub-accounts ...
inline constexpr model::UnixMillis k_jita_accounts_window_ms = 60LL * 60 * 1000; // ... within an hour

// What a request looked like, kept for classifying its answer after it left.
struct RequestTrace {
    std::string method;
    std::string pattern; // the route's pattern ("/api/v1/accounts/{account_id}/contacts/{id}")
    PathParams params;
    std::string ip;
    std::string user_agent;
    std::optional<AuthContext> auth;
    std::optional<model::Account> account;
};

class SecurityMonitor {
public:
    // respond=false records events but never blocks (for tests of other matters).
    SecurityMonitor(Store& store, const Clock& clock, bool respond = true);

    // Stores the event with its audit row (action "security.<kind>", outcome "denied"), then
    // applies the kind's response rule. Never throws; a store failure is logged.
    void raise(AppServices& services, SecurityEvent event, const ActorRef& actor, std::string target_type = {},
               std::string target_id = {});
    // The same with the caller's own audit row (e.g. "auth.login_blocked").
    void raise(AppServices& services, const SecurityEvent& event, const AuditEntry& audit);

    // The block in force for any of `keys` ("ip:..", "user:..", "session:.."), if one is.
    std::optional<SourceBlock> blocked(const std::vector<std::string>& keys, model::UnixMillis now) const;

    // After an answer has been sent: a 404 may be a cross-tenant attempt, 403s and 5xx are counted.
    void after_answer(AppServices& services, const RequestTrace& trace, int status);

    // ACC-5: a request by staff under a JITA grant. k_jita_read_burst reads within the window
    // raise jita_bulk_read (high, in the grant's agency), which blocks the staff member.
    void note_staff_request(AppServices& services, const Call& call);
    // ACC-5: after a grant request: grants on k_jita_many_accounts sub-accounts within the window
    // raise jita_many_accounts (high) in the newest grant's agency.
    void note_grant_request(AppServices& services, const Call& call, const JitaGrant& grant);

private:
    void apply_rule(AppServices& services, const SecurityEvent& cause, const ActorRef& actor);
    void classify_not_found(AppServices& services, const RequestTrace& trace);
    bool note_burst(std::deque<model::UnixMillis>& times, model::UnixMillis now, std::size_t limit,
                    model::UnixMillis window);

    Store& m_store;
    bool m_respond = true;
    mutable std::mutex m_mutex;
    std::map<std::string, SourceBlock> m_blocks;
    std::map<std::string, std::deque<model::UnixMillis>> m_denied; // per source key
    std::deque<model::UnixMillis> m_errors;
    std::map<std::string, std::deque<model::UnixMillis>> m_staff_reads; // per staff user id
};

// "user:us_..." for a signed-in caller, else "ip:...".
std::string source_key_of(const ActorRef& actor);

// The event for a caller (id, time, source, actor) with kind and severity; the caller fills the tenant and details.
SecurityEvent make_security_event(const AppServices& services, const ActorRef& actor, std::string kind,
                                  std::string severity);

// Raises through services.security when the app has a monitor (the CLI has none).
void raise_security_event(AppServices& services, SecurityEvent event, const ActorRef& actor,
                          std::string target_type = {}, std::string target_id = {});

// The same with the caller's own audit row; without a monitor the event and row are still stored.
void raise_security_event(AppServices& services, const SecurityEvent& event, const AuditEntry& audit);

// Answers a page of events (`limit`, `cursor` from the query; 422 naming a bad one): one agency's,
// or every tenant's when agency_id is nullopt (the platform console).
void answer_security_events(AppServices& services, Call& call, const std::optional<std::string>& agency_id);

// The wire form of an event (GET .../security-events).
nlohmann::json security_event_json(const SecurityEvent& event);

// 429 for a blocked source (Retry-After: the seconds left).
Response blocked_response(const SourceBlock& block, model::UnixMillis now);

} // namespace stronghold::server

// Login throttling and account-takeover signals (IAM-7, DESIGN.md "Wire details" Limits).
//
// Counters live in the store (table login_failures) so they survive restarts and hold across
// processes. Two keys per attempt: the (email, IP) pair and the IP alone. A block of one pair
// never touches the same email from another IP, so the real owner is not locked out; unknown
// emails count exactly like real ones, so answers never reveal whether an account exists.
// The check runs BEFORE the Argon2id verify: a throttled flood costs no hashing, and nothing
// waits on a thread: a request that comes too early is answered 429 with Retry-After.
#pragma once

#include "app/context.hpp"

#include <optional>
#include <string>

namespace stronghold::server {

struct ThrottleLimits {
    std::int64_t delay_after = 5;                      // failures per (email, IP) before delays start
    model::UnixMillis first_delay_ms = 1000;           // 1 s, doubling per failure ...
    model::UnixMillis max_delay_ms = 8000;             // ... up to 8 s
    std::int64_t block_after = 10;                     // failures per (email, IP) that block it
    model::UnixMillis pair_window_ms = 15LL * 60 * 1000;
    model::UnixMillis block_ms = 15LL * 60 * 1000;     // how long a block lasts
    std::int64_t ip_block_after = 100;                 // failures per IP, across emails ...
    model::UnixMillis ip_window_ms = 10LL * 60 * 1000; // ... within this window: credential stuffing
    model::UnixMillis prune_after_ms = 60LL * 60 * 1000; // idle, unblocked counters are deleted
};
inline constexpr ThrottleLimits k_throttle{};

// Seconds until the next attempt for (email, ip) is allowed; nullopt when allowed now.
std::optional<int> login_retry_after(AppServices& services, const std::string& email, const std::string& ip);
// The 429 answer for a throttled attempt (same body whatever the account).
Response throttled_response(int retry_after_s);
// Counts a failed attempt; writes the block audit row and mail, or the credential-stuffing
// event, when this failure crosses a threshold. `account` is the user when the email is known.
void record_login_failure(AppServices& services, const std::string& email, const ActorRef& actor,
                          const std::optional<model::User>& account, const std::string& agency_id);
// A successful login resets the (email, ip) counter (the IP counter keeps counting).
void record_login_success(AppServices& services, const std::string& email, const std::string& ip);
// After a successful login: mails the owner when this device family is new for them.
void note_login_device(AppServices& services, const model::User& user, const ActorRef& actor);

} // namespace stronghold::server

// Idempotency-Key on authenticated POSTs (RES-4, DESIGN.md "Wire details"): a retry of a POST
// whose first answer was lost gets that first answer back instead of a second record. The rules
// (which routes, which answers are remembered, what a mismatch answers) are in
// server/doc/crm-api.md "## Idempotency-Key".
#pragma once

#include "app/context.hpp"

#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace stronghold::server {

inline constexpr std::string_view k_idempotency_header = "Idempotency-Key";
inline constexpr std::size_t k_idempotency_key_max = 255;                            // characters
inline constexpr model::UnixMillis k_idempotency_retention_ms = 24LL * 60 * 60 * 1000; // 24 h

// The keys whose first request is still running in this process. A duplicate meanwhile is
// answered 409 rather than run twice; a crash forgets them (the retry then runs the handler).
class IdempotencyInFlight {
  public:
    bool try_claim(const std::string& slot); // false when the slot is already claimed
    void release(const std::string& slot);

  private:
    std::mutex m_mutex;
    std::set<std::string> m_slots;
};

// True when the request's Idempotency-Key is honoured: POST, signed in, and outside
// /api/v1/auth/, /api/v1/me/2fa/ and /api/v1/me/password (no second cookie, recovery codes or
// stored digest of a password).
bool idempotency_applies(const Call& call);

// Runs after the middleware, before the route's handler. Answers the call itself and returns
// true for a malformed key (422), a replay of a remembered answer (with Idempotent-Replayed:
// true), the key reused for another request (422) or a duplicate still running (409). Otherwise
// returns false and, when the call carries a key, wraps call.done so the handler's answer is
// remembered before it is sent.
bool answer_from_idempotency_key(AppServices& services, IdempotencyInFlight& in_flight, Call& call);

} // namespace stronghold::server

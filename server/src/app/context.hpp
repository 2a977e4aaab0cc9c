// What a handler gets: the request, its path parameters, what the middleware established
// (session, actor, sub-account) and the services. Handlers complete `done` exactly once.
#pragma once

#include "app/app.hpp"
#include "live/hub.hpp"
#include "net/message.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"
#include "stronghold/access/authorize.hpp"
#include "stronghold/api/error.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/model/tenancy.hpp"
#include "stronghold/validate/session.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stronghold::server {

class WorkerPool;
class SecretStore;
class SecurityMonitor;

using Clock = std::function<model::UnixMillis()>;
inline constexpr std::size_t k_job_queue_limit = 16; // imports waiting for the job thread; beyond: 503
using Done = std::function<void(Response)>;

// Session lifetime (IAM): idle and absolute timeouts, and how often last_seen is written.
inline constexpr model::UnixMillis k_session_idle_ms = validate::k_session_idle_minutes.fallback * 60 * 1000;
inline constexpr model::UnixMillis k_session_absolute_ms = validate::k_session_absolute_hours.fallback * 60 * 60 * 1000;
inline constexpr model::UnixMillis k_session_touch_ms = 60LL * 1000;
inline constexpr std::string_view k_session_cookie = "__Host-stronghold_session";

struct AppServices {
    AppConfig config;
    Store& store;
    LiveHub& hub;
    Clock clock;
    WorkerPool& hash_pool;
    std::string dummy_hash; // Argon2id of a random password: unknown users cost the same
    model::UnixMillis started_at = 0;
    SecretStore* secrets = nullptr; // seals secrets at rest (TOTP seeds); owned by HttpApp
    WorkerPool* job_pool = nullptr; // long jobs (CSV imports) off the handler threads; owned by HttpApp
    SecurityMonitor* security = nullptr; // security events and blocks (AUD-5, TEN-2); owned by HttpApp
    // Argon2id cost for new password hashes (password change); tests make it cheap.
    crypto::PwhashParams password_params = crypto::k_pwhash_default;
};

using PathParams = std::vector<std::pair<std::string, std::string>>;

struct AuthContext {
    Session session;
    model::User user;
    access::Actor actor;
    // ACC-3..ACC-6: set for platform staff. Their live grants (active, unexpired, read on every
    // request, so expiry and revocation take effect at once) each add a k_jita_role membership
    // of that one sub-account to `actor`.
    std::optional<StaffMember> staff;
    std::vector<JitaGrant> grants;

    // The live grant for this sub-account, if the caller is staff working under one.
    const JitaGrant* grant_for(std::string_view account_id) const;
};

struct Call {
    Request request;
    PathParams params;
    Done done;
    std::optional<AuthContext> auth;       // set when the route needs a session
    std::optional<model::Account> account; // set when the route names {account_id}

    std::string param(std::string_view name) const;
    TenantScope scope() const { return {account->agency_id, account->id}; }
    // "user", or "staff" with the grant id when a staff member works under a JITA grant.
    ActorRef actor_ref() const;
    // The JITA grant this call works under (staff in the call's sub-account), else nullptr.
    const JitaGrant* jita_grant() const;
};

// Runs job on the bounded hash pool: Argon2id work never runs on a handler or I/O thread. A full
// queue answers 503 unavailable with Retry-After at once (fail fast, never queue without bound);
// an exception in the job answers 500 and is logged as "<what>.failed_internal". The job itself
// completes call.done.
void run_on_hash_pool(AppServices& services, Call call, std::string_view what,
                      std::function<void(AppServices&, Call&)> job,
                      std::string busy_message = "the server is busy; try again shortly");

// A secret taken from a request (password, token) whose bytes are wiped when it goes away, on
// every path (success, failure, exception): the holders of parse_required_strings() results.
struct WipedString {
    std::string value;
    WipedString() = default;
    WipedString(const WipedString&) = delete;
    WipedString& operator=(const WipedString&) = delete;
    ~WipedString();
};

// A JSON object body with exactly these members, each a non-empty string (passwords, tokens):
// malformed_json (400), else validation_failed naming the field (422). The caller moves the
// strings out and wipes the object's copies.
Result<nlohmann::json> parse_required_strings(const std::string& body, std::initializer_list<const char*> names);

// [SECTION] Responses
Response json_response(int status, const nlohmann::json& body);
// Appends an audit row outside a record transaction (logins, sessions, security events); a
// failure is logged, never shown to the caller, whose action already happened.
void append_audit_logged(AppServices& services, const AuditEntry& audit);
// The strong ETag of a version: "\"7\"".
std::string strong_etag(std::int64_t version);
// If-Match for updates (RES-4): precondition_required (428) when missing; true when one of its
// tags is the current strong ETag, false (answer 412) otherwise. Weak tags and `*` never match:
// an update must name the version it was based on.
Result<bool> if_match_current(const Request& request, std::int64_t current_version);
Response error_response(const api::Error& error);
// A request body as JSON: malformed_json (400) when it does not parse; the shape is the caller's.
Result<nlohmann::json> parse_json_body(const std::string& body);
// 412 precondition_failed for a stale If-Match (RES-4): the body carries `current` (the record as
// it is now, wire form) and the ETag names its version.
Response stale_response(const nlohmann::json& current, std::int64_t version);
Response error_response(api::ErrorCode code, std::string message, std::string field = {});
// 403 forbidden_under_jita (ACC-4): what a staff member may never do under a grant.
Response jita_refused_response();
// One body for "missing" and "not yours": the two must be indistinguishable (TEN-1).
Response not_found_response();
// Serialises without throwing on invalid UTF-8 (replaced): stored data cannot crash a handler.
std::string dump_json(const nlohmann::json& body);

} // namespace stronghold::server

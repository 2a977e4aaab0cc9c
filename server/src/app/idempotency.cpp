// Idempotency-Key (RES-4): claim the key in this process, replay a remembered answer, or let
// the handler run and remember what it answered.
//
// [SECTION] In-flight keys
// [SECTION] Key and request checks
// [SECTION] Replay and remember
#include "app/idempotency.hpp"

#include "stronghold/crypto/crypto.hpp"
#include "util/log.hpp"

#include <array>
#include <atomic>
#include <memory>

namespace stronghold::server {

// [SECTION] In-flight keys

bool IdempotencyInFlight::try_claim(const std::string& slot)
{
    std::lock_guard lock(m_mutex);
    return m_slots.insert(slot).second;
}

void IdempotencyInFlight::release(const std::string& slot)
{
    std::lock_guard lock(m_mutex);
    m_slots.erase(slot);
}

namespace {

// Released when the answer has been remembered, or when the call dies without one (a handler
// that threw: dispatch answers 500 through the original done, and the retry may run again).
class Claim {
  public:
    Claim(IdempotencyInFlight& in_flight, std::string slot) : m_in_flight(in_flight), m_slot(std::move(slot)) {}
    ~Claim() { release(); }
    Claim(const Claim&) = delete;
    Claim& operator=(const Claim&) = delete;
    void release()
    {
        if (!m_released.exchange(true))
            m_in_flight.release(m_slot);
    }

  private:
    IdempotencyInFlight& m_in_flight;
    std::string m_slot;
    std::atomic<bool> m_released{false};
};

// [SECTION] Key and request checks

constexpr std::array<std::string_view, 3> k_excluded_prefixes = {"/api/v1/auth/", "/api/v1/me/2fa/",
                                                                  "/api/v1/me/password"};

bool is_printable_ascii(std::string_view text)
{
    for (char c : text)
        if (c < 0x20 || c > 0x7e)
            return false;
    return true;
}

// The key when the request carries exactly one well-formed one; nullopt when none; an error
// (422, field "Idempotency-Key") otherwise.
Result<std::optional<std::string>> read_key(const Request& request)
{
    std::optional<std::string> key;
    for (const auto& [name, value] : request.headers) {
        if (!iequals(name, k_idempotency_header))
            continue;
        if (key)
            return api::make_error(api::ErrorCode::validation_failed, "send one Idempotency-Key header, not several",
                                   std::string(k_idempotency_header));
        key = std::string(trim_ows(value));
    }
    if (key && (key->empty() || key->size() > k_idempotency_key_max || !is_printable_ascii(*key)))
        return api::make_error(api::ErrorCode::validation_failed,
                               "Idempotency-Key must be 1 to 255 printable ASCII characters",
                               std::string(k_idempotency_header));
    return key;
}

// What makes two requests "the same" under one key: the target (path and query) and the body.
std::string request_hash(const Request& request)
{
    return crypto::hash_hex(request.target + '\n' + request.body);
}

// [SECTION] Replay and remember

// An answer a retry should get again. 401 and 429 ask the client to act (sign in, re-authenticate,
// wait) and try again; 5xx is a failure on our side: none of them is final, so none is kept.
bool is_remembered(int status)
{
    return status < 500 && status != 401 && status != 429;
}

nlohmann::json replayable_headers(const Response& r)
{
    auto out = nlohmann::json::object();
    for (const char* name : {"Content-Type", "ETag", "Location"})
        if (auto v = r.header(name))
            out[name] = *v;
    return out;
}

Response replay(const IdempotentAnswer& answer)
{
    Response r;
    r.status = answer.status;
    for (const auto& [name, value] : answer.headers.items())
        if (value.is_string())
            r.set_header(name, value.get<std::string>());
    r.body = answer.body;
    r.set_header("Idempotent-Replayed", "true");
    return r;
}

} // namespace

bool idempotency_applies(const Call& call)
{
    if (call.request.method != "POST" || !call.auth)
        return false;
    const auto path = call.request.path();
    for (auto prefix : k_excluded_prefixes)
        if (path.starts_with(prefix))
            return false;
    return true;
}

bool answer_from_idempotency_key(AppServices& services, IdempotencyInFlight& in_flight, Call& call)
{
    if (!idempotency_applies(call))
        return false;
    auto key = read_key(call.request);
    if (!key) {
        call.done(error_response(key.error()));
        return true;
    }
    if (!*key)
        return false;

    // Per actor and route: the same key from another user, or on another route, is another entry.
    std::string actor_id = call.auth->user.id;
    std::string route = call.request.method + " " + std::string(call.request.path());
    const auto slot = actor_id + '\n' + route + '\n' + **key;
    if (!in_flight.try_claim(slot)) {
        call.done(error_response(api::ErrorCode::conflict,
                                 "a request with this Idempotency-Key is still running; retry in a moment",
                                 std::string(k_idempotency_header)));
        return true;
    }
    auto claim = std::make_shared<Claim>(in_flight, slot);
    // Answers without the handler free the slot first: a retry right after them is not a duplicate.
    const auto answer_now = [&](Response r) {
        claim->release();
        call.done(std::move(r));
        return true;
    };
    const auto now = services.clock();
    const auto hash = request_hash(call.request);
    auto found = services.store.find_idempotent_answer(actor_id, route, **key, now - k_idempotency_retention_ms);
    if (!found)
        return answer_now(error_response(found.error())); // unknown whether it ran: never run it blind
    if (*found) {
        const auto& answer = **found;
        if (answer.request_hash != hash)
            return answer_now(error_response(
                api::ErrorCode::validation_failed,
                "this Idempotency-Key was already used with a different request; send a new key",
                std::string(k_idempotency_header)));
        log::info("idempotency.replayed", {{"route", route}, {"status", answer.status}});
        return answer_now(replay(answer));
    }

    call.done = [svc = &services, claim, original = std::move(call.done), actor_id = std::move(actor_id),
                 route = std::move(route), key = std::move(**key), hash, now](Response r) {
        // Remembered before it is sent and before the claim goes: a retry arriving after the
        // answer finds it. Nothing here may throw past original(), which must run exactly once.
        try {
            if (is_remembered(r.status)) {
                IdempotentAnswer answer{hash, r.status, replayable_headers(r), r.body, now};
                if (auto st = svc->store.put_idempotent_answer(actor_id, route, key, answer,
                                                              now - k_idempotency_retention_ms);
                    !st)
                    log::warn("idempotency.store_failed", {{"route", route}, {"code", api::to_string(st.error().code)}});
            }
        } catch (const std::exception& e) {
            log::error("idempotency.store_exception", {{"route", route}, {"what", e.what()}});
        }
        claim->release();
        original(std::move(r));
    };
    return false;
}

} // namespace stronghold::server

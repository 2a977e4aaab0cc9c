// Live events: WebSocket sessions subscribe per sub-account; handlers publish after a commit.
// Shared state is one class with its own lock: it copies the subscribers under the lock and
// sends after releasing it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace stronghold::server {

// Implemented by the WebSocket session in net/. Both calls must be thread-safe and non-blocking
// (queue the frame on the session's strand).
class LiveSink {
public:
    virtual ~LiveSink() = default;
    virtual void send(std::shared_ptr<const std::string> frame) = 0;
    virtual void close() = 0; // close the socket now (session revoked, user deactivated, ...)
};

struct LiveSubscription {
    std::string account_id;
    std::string user_id;
    std::string session_hash; // hash of the session token the socket authenticated with
    // Unix ms after which the socket may carry nothing more (a staff member's JITA grant ends);
    // 0: none. publish() closes such a socket instead of sending once the hub's clock reaches it.
    std::int64_t expires_at = 0;
};

class LiveHub {
public:
    // Registers a sink; returns a handle for unsubscribe. Dead sinks are dropped lazily.
    std::uint64_t subscribe(LiveSubscription sub, std::weak_ptr<LiveSink> sink);
    void unsubscribe(std::uint64_t handle);
    // Sends the JSON text frame to every sink subscribed to account_id.
    void publish(const std::string& account_id, std::string frame);
    // Closes every socket of a user / of one session (revocation, logout, deactivation).
    void close_user(const std::string& user_id);
    void close_session(const std::string& session_hash);
    std::size_t subscriber_count() const;
    // The clock publish() compares expires_at with (the app's; tests move it). Set before use.
    void set_clock(std::function<std::int64_t()> clock) { m_clock = std::move(clock); }

private:
    struct Entry {
        LiveSubscription sub;
        std::weak_ptr<LiveSink> sink;
    };
    template <class Pred>
    void close_if(Pred pred);

    mutable std::mutex m_mutex;
    std::uint64_t m_next = 1;
    std::unordered_map<std::uint64_t, Entry> m_entries;
    std::function<std::int64_t()> m_clock;
};

} // namespace stronghold::server

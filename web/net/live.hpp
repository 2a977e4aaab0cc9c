// Live updates: one WebSocket to /api/v1/live?account_id=... (the session cookie
// authenticates it; a browser WebSocket cannot send headers), reconnecting with backoff.
// Frames are delivered on the main loop, like HTTP answers.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace stronghold::web::net {

struct LiveEvent {
    std::string type;       // contact.created | contact.updated | contact.deleted | bulk_changed | ...
    std::string account_id;
    std::string id;
    std::int64_t version = 0;
};

// Parses one frame; false when it is not a JSON object with a string "type". Never throws.
bool parse_live_event(const std::string& text, LiveEvent& out);

// Delay before reconnect attempt `attempt` (0-based): 0.5 s doubling to 30 s, with up to 25%
// jitter from `jitter01` in [0,1) so a restarted server is not hit by every tab at once.
int reconnect_delay_ms(int attempt, double jitter01);

class LiveClient {
public:
    using Handler = std::function<void(const LiveEvent&)>;
    using StatusHandler = std::function<void(bool connected)>;
    void set_handler(Handler h) { m_handler = std::move(h); }
    void set_status_handler(StatusHandler h) { m_status = std::move(h); }
    void connect(const std::string& account_id); // (re)connects for this sub-account
    void disconnect();
    bool connected() const { return m_connected; }

    // Called by the transport (live_web.cpp); public so the callbacks can reach it.
    void on_open(std::uint64_t generation);
    void on_message(std::uint64_t generation, const std::string& text);
    void on_closed(std::uint64_t generation);
    void on_retry_timer(std::uint64_t generation);

private:
    void open_socket();
    Handler m_handler;
    StatusHandler m_status;
    std::string m_account_id;
    int m_socket = 0;
    std::uint64_t m_generation = 0; // callbacks of a socket we dropped carry an old generation
    int m_attempt = 0;
    bool m_connected = false;
};

} // namespace stronghold::web::net

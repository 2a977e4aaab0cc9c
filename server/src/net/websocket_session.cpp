// The live WebSocket (/api/v1/live): takes over an authorised upgrade, subscribes to LiveHub and
// writes frames in order from a queue on its strand. Client frames are read (so pings, pongs
// and close work) and ignored. LiveHub may call send()/close() from any thread.
#include "net/detail.hpp"

#include "live/hub.hpp"
#include "util/log.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>

namespace stronghold::server::net_detail {

namespace websocket = beast::websocket;

namespace {

class WebSocketSession : public LiveSink, public std::enable_shared_from_this<WebSocketSession> {
public:
    WebSocketSession(ServerState& state, TlsStream&& stream, LiveAuth auth)
        : m_state(state), m_ws(std::move(stream)), m_auth(std::move(auth))
    {
        ++m_state.connections;
    }

    ~WebSocketSession() override
    {
        if (m_handle != 0)
            m_state.app.live().unsubscribe(m_handle);
        --m_state.connections;
    }

    void run(BeastRequest upgrade)
    {
        // The HTTP deadline must not close the socket under the WebSocket: its own timeouts
        // (handshake, idle with pings) take over.
        beast::get_lowest_layer(m_ws).expires_never();
        m_ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        m_ws.read_message_max(m_state.config.ws_message_limit);
        m_ws.async_accept(upgrade, beast::bind_front_handler(&WebSocketSession::on_accept, shared_from_this()));
    }

    // LiveSink: any thread. The frame is shared, so fan-out to many sockets copies nothing.
    void send(std::shared_ptr<const std::string> frame) override
    {
        asio::post(m_ws.get_executor(), [self = shared_from_this(), frame = std::move(frame)]() mutable {
            self->on_send(std::move(frame));
        });
    }

    void close() override
    {
        asio::post(m_ws.get_executor(), [self = shared_from_this()] { self->do_close(websocket::close_code::policy_error); });
    }

private:
    void on_accept(beast::error_code ec)
    {
        if (ec)
            return log_failure(ec, "ws_accept");
        m_open = true;
        if (m_closing) { // the send queue overflowed during the handshake
            m_closing = false;
            return do_close(websocket::close_code::try_again_later);
        }
        LiveSubscription sub{m_auth.account_id, m_auth.user_id, m_auth.session_hash, m_auth.expires_at};
        m_handle = m_state.app.live().subscribe(std::move(sub), weak_from_this());
        // Frames published before the subscription existed are the client's to refetch; frames
        // queued by send() before accept completed go out now.
        if (!m_queue.empty())
            do_write();
        do_read();
    }

    void do_read()
    {
        m_ws.async_read(m_in, beast::bind_front_handler(&WebSocketSession::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t)
    {
        if (ec) {
            // closed by the client, by us, by the idle timeout, or a frame over the limit
            m_open = false;
            if (ec != websocket::error::closed)
                log_failure(ec, "ws_read");
            return;
        }
        m_in.consume(m_in.size()); // client messages carry nothing yet
        do_read();
    }

    void on_send(std::shared_ptr<const std::string> frame)
    {
        if (m_closing)
            return;
        if (m_queue.size() >= m_state.config.ws_send_queue_limit) {
            // A client that cannot keep up is closed rather than buffered without bound; it
            // reconnects and refetches.
            log::write(log::Level::debug, "net.ws_slow_consumer");
            return do_close(websocket::close_code::try_again_later);
        }
        m_queue.push_back(std::move(frame));
        if (m_open && m_queue.size() == 1)
            do_write();
    }

    void do_write()
    {
        m_ws.text(true);
        m_ws.async_write(asio::buffer(*m_queue.front()),
                         beast::bind_front_handler(&WebSocketSession::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t)
    {
        if (ec) {
            m_queue.clear();
            return log_failure(ec, "ws_write");
        }
        m_queue.pop_front();
        if (!m_queue.empty() && !m_closing)
            do_write();
    }

    void do_close(websocket::close_code code)
    {
        if (m_closing)
            return;
        m_closing = true;
        if (m_queue.size() > 1) // the frame being written stays until its write completes
            m_queue.erase(m_queue.begin() + 1, m_queue.end());
        if (!m_open)
            return; // the accept has not finished; its failure or the read loop ends the session
        m_ws.async_close(websocket::close_reason(code), [self = shared_from_this()](beast::error_code ec) {
            if (ec)
                log_failure(ec, "ws_close");
        });
    }

    ServerState& m_state;
    websocket::stream<TlsStream> m_ws;
    LiveAuth m_auth;
    beast::flat_buffer m_in;
    std::deque<std::shared_ptr<const std::string>> m_queue;
    std::uint64_t m_handle = 0;
    bool m_open = false;
    bool m_closing = false;
};

} // namespace

void run_websocket(ServerState& state, TlsStream stream, BeastRequest upgrade, LiveAuth auth)
{
    std::make_shared<WebSocketSession>(state, std::move(stream), std::move(auth))->run(std::move(upgrade));
}

} // namespace stronghold::server::net_detail

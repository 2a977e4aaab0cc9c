// LiveClient over <emscripten/websocket.h>.
#include "net/http.hpp"
#include "net/live.hpp"
#include "ui/platform.hpp"

#include <emscripten/eventloop.h>
#include <emscripten/websocket.h>

#include <cstdlib>

namespace stronghold::web::net {
namespace {

struct Tag { // userData of one socket's callbacks
    LiveClient* client;
    std::uint64_t generation;
};

EM_BOOL on_open_cb(int, const EmscriptenWebSocketOpenEvent*, void* user) {
    auto* tag = static_cast<Tag*>(user);
    post_to_main_loop([c = tag->client, g = tag->generation] { c->on_open(g); });
    return EM_TRUE;
}

EM_BOOL on_message_cb(int, const EmscriptenWebSocketMessageEvent* e, void* user) {
    auto* tag = static_cast<Tag*>(user);
    if (!e->isText || !e->data) return EM_TRUE;
    std::string text(reinterpret_cast<const char*>(e->data), e->numBytes > 0 ? e->numBytes - 1 : 0);
    post_to_main_loop([c = tag->client, g = tag->generation, text = std::move(text)] { c->on_message(g, text); });
    return EM_TRUE;
}

EM_BOOL on_close_cb(int, const EmscriptenWebSocketCloseEvent*, void* user) {
    auto* tag = static_cast<Tag*>(user);
    post_to_main_loop([c = tag->client, g = tag->generation] { c->on_closed(g); });
    return EM_TRUE;
}

void close_socket(int socket) {
    if (socket <= 0) return;
    emscripten_websocket_close(socket, 1000, "bye");
    emscripten_websocket_delete(socket);
}

} // namespace

void LiveClient::connect(const std::string& account_id) {
    disconnect();
    m_account_id = account_id;
    m_attempt = 0;
    open_socket();
}

void LiveClient::disconnect() {
    ++m_generation; // anything the old socket still says is ignored
    close_socket(m_socket);
    m_socket = 0;
    if (m_connected && m_status) m_status(false);
    m_connected = false;
}

void LiveClient::open_socket() {
    if (!emscripten_websocket_is_supported() || m_account_id.empty()) return;
    const std::string url = platform::ws_origin() + "/api/v1/live?account_id=" + platform::url_encode(m_account_id);
    EmscriptenWebSocketCreateAttributes attrs;
    emscripten_websocket_init_create_attributes(&attrs);
    attrs.url = url.c_str();
    attrs.createOnMainThread = EM_TRUE;
    m_socket = emscripten_websocket_new(&attrs);
    if (m_socket <= 0) {
        on_closed(m_generation);
        return;
    }
    // One small Tag per socket; leaked on purpose (a few bytes per reconnect) because the
    // browser may still fire a callback after delete.
    auto* tag = new Tag{this, m_generation};
    emscripten_websocket_set_onopen_callback(m_socket, tag, on_open_cb);
    emscripten_websocket_set_onmessage_callback(m_socket, tag, on_message_cb);
    emscripten_websocket_set_onclose_callback(m_socket, tag, on_close_cb);
}

void LiveClient::on_open(std::uint64_t generation) {
    if (generation != m_generation) return;
    m_attempt = 0;
    m_connected = true;
    if (m_status) m_status(true);
}

void LiveClient::on_message(std::uint64_t generation, const std::string& text) {
    if (generation != m_generation) return;
    LiveEvent event;
    if (parse_live_event(text, event) && m_handler) m_handler(event);
}

void LiveClient::on_closed(std::uint64_t generation) {
    if (generation != m_generation) return;
    const bool was = m_connected;
    m_connected = false;
    if (was && m_status) m_status(false);
    if (m_socket > 0) emscripten_websocket_delete(m_socket);
    m_socket = 0;
    const int delay = reconnect_delay_ms(m_attempt++, std::rand() / (RAND_MAX + 1.0));
    auto* tag = new Tag{this, m_generation};
    emscripten_set_timeout([](void* user) {
        auto* t = static_cast<Tag*>(user);
        post_to_main_loop([c = t->client, g = t->generation] { c->on_retry_timer(g); });
        delete t;
    }, delay, tag);
}

void LiveClient::on_retry_timer(std::uint64_t generation) {
    if (generation != m_generation) return;
    open_socket();
}

} // namespace stronghold::web::net

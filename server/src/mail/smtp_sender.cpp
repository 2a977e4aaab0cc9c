// SMTP sender: see smtp_sender.hpp.
//
// Each step is an Asio async operation run on a private io_context with run_for(timeout): a
// silent or slow server cannot hang the sender thread (plain blocking reads have no timeout).
#include "mail/smtp_sender.hpp"

#include "auth/secret_store.hpp"
#include "mail/templates.hpp"
#include "util/log.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <optional>
#include <type_traits>

namespace stronghold::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t k_max_reply_bytes = 64 * 1024;

api::Error smtp_error(const std::string& step, const std::string& what)
{
    return api::make_error(api::ErrorCode::unavailable, "smtp " + step + ": " + what);
}

// One conversation over a stream (the TCP socket, or TLS over it after STARTTLS).
template <class Stream>
class Conversation {
public:
    Conversation(asio::io_context& io, tcp::socket& socket, Stream& stream, model::UnixMillis timeout_ms)
        : m_io(io), m_socket(socket), m_stream(stream), m_timeout(timeout_ms)
    {
    }

    // Reads one (possibly multi-line "250-...") reply; its code, or an error. `lines` gets the
    // text of every line (for EHLO's extension list).
    Result<int> reply(const std::string& step, std::vector<std::string>* lines = nullptr)
    {
        for (;;) {
            boost::system::error_code ec;
            std::size_t n = 0;
            bool done = false;
            asio::async_read_until(m_stream, asio::dynamic_buffer(m_buffer, k_max_reply_bytes), "\r\n",
                                   [&](boost::system::error_code e, std::size_t size) {
                                       ec = e;
                                       n = size;
                                       done = true;
                                   });
            if (auto st = wait(step, done, ec); !st)
                return st.error();
            std::string line = m_buffer.substr(0, n - 2);
            m_buffer.erase(0, n);
            if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
                !std::isdigit(static_cast<unsigned char>(line[1])) || !std::isdigit(static_cast<unsigned char>(line[2])))
                return smtp_error(step, "malformed reply");
            if (lines)
                lines->push_back(line.size() > 4 ? line.substr(4) : std::string());
            if (line.size() == 3 || line[3] == ' ')
                return std::stoi(line.substr(0, 3));
            if (line[3] != '-')
                return smtp_error(step, "malformed reply");
        }
    }

    Status send(const std::string& step, const std::string& data)
    {
        boost::system::error_code ec;
        bool done = false;
        asio::async_write(m_stream, asio::buffer(data), [&](boost::system::error_code e, std::size_t) {
            ec = e;
            done = true;
        });
        return wait(step, done, ec);
    }

    // Sends a command and expects a reply code of class `expect_class` (2 or 3).
    Status command(const std::string& step, const std::string& line, int expect_class,
                   std::vector<std::string>* lines = nullptr)
    {
        if (auto st = send(step, line + "\r\n"); !st)
            return st;
        auto code = reply(step, lines);
        if (!code)
            return code.error();
        if (*code / 100 != expect_class)
            return smtp_error(step, std::to_string(*code)); // the code only: replies may echo addresses
        return {};
    }

    Status handshake_tls()
    {
        if constexpr (!std::is_same_v<Stream, tcp::socket>) {
            boost::system::error_code ec;
            bool done = false;
            m_stream.async_handshake(asio::ssl::stream_base::client, [&](boost::system::error_code e) {
                ec = e;
                done = true;
            });
            return wait("starttls", done, ec);
        } else {
            return smtp_error("starttls", "not a TLS stream");
        }
    }

    std::string take_buffer() { return std::exchange(m_buffer, {}); }

private:
    Status wait(const std::string& step, bool& done, boost::system::error_code& ec)
    {
        m_io.restart();
        m_io.run_for(std::chrono::milliseconds(m_timeout));
        if (!done) {
            boost::system::error_code ignored;
            m_socket.close(ignored); // aborts the pending operation
            m_io.restart();
            m_io.run();
            return smtp_error(step, "timed out");
        }
        if (ec)
            return smtp_error(step, ec.message());
        return {};
    }

    asio::io_context& m_io;
    tcp::socket& m_socket;
    Stream& m_stream;
    model::UnixMillis m_timeout;
    std::string m_buffer;
};

// MAIL FROM .. QUIT, after the greeting and EHLO.
template <class Stream>
Status transaction(Conversation<Stream>& c, const SmtpConfig& config, const std::string& to,
                   const std::string& message)
{
    if (auto st = c.command("mail_from", "MAIL FROM:<" + config.from + ">", 2); !st)
        return st;
    if (auto st = c.command("rcpt_to", "RCPT TO:<" + to + ">", 2); !st)
        return st;
    if (auto st = c.command("data", "DATA", 3); !st)
        return st;
    if (auto st = c.send("data_body", dot_stuff(message) + ".\r\n"); !st)
        return st;
    auto code = c.reply("data_end");
    if (!code)
        return code.error();
    if (*code / 100 != 2)
        return smtp_error("data_end", std::to_string(*code));
    // Accepted: a failing QUIT no longer matters (the mail is the server's now).
    (void)c.command("quit", "QUIT", 2);
    return {};
}

bool offers(const std::vector<std::string>& ehlo_lines, std::string_view keyword)
{
    for (const auto& line : ehlo_lines) {
        std::string word = line.substr(0, line.find(' '));
        for (auto& ch : word)
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (word == keyword)
            return true;
    }
    return false;
}

} // namespace

std::string dot_stuff(std::string_view message)
{
    std::string out;
    out.reserve(message.size() + 16);
    bool line_start = true;
    for (std::size_t i = 0; i < message.size(); ++i) {
        const char c = message[i];
        if (line_start && c == '.')
            out.push_back('.');
        // Bare LF or CR become CRLF: SMTP lines end in CRLF only.
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < message.size() && message[i + 1] == '\n')
                ++i;
            out += "\r\n";
            line_start = true;
            continue;
        }
        out.push_back(c);
        line_start = false;
    }
    if (!line_start)
        out += "\r\n";
    return out;
}

Status smtp_deliver(const SmtpConfig& config, const std::string& to, const std::string& message)
{
    if (!plain_address(to) || !plain_address(config.from))
        return api::make_error(api::ErrorCode::validation_failed, "not a plain address", "to");
    asio::io_context io;
    tcp::socket socket(io);
    {
        tcp::resolver resolver(io);
        boost::system::error_code ec;
        auto endpoints = resolver.resolve(config.host, std::to_string(config.port), ec);
        if (ec)
            return smtp_error("resolve", ec.message());
        bool done = false;
        asio::async_connect(socket, endpoints, [&](boost::system::error_code e, const tcp::endpoint&) {
            ec = e;
            done = true;
        });
        io.run_for(std::chrono::milliseconds(config.timeout_ms));
        if (!done) {
            socket.close(ec);
            io.restart();
            io.run();
            return smtp_error("connect", "timed out");
        }
        if (ec)
            return smtp_error("connect", ec.message());
    }
    Conversation<tcp::socket> plain(io, socket, socket, config.timeout_ms);
    auto greeting = plain.reply("greeting");
    if (!greeting)
        return greeting.error();
    if (*greeting != 220)
        return smtp_error("greeting", std::to_string(*greeting));
    std::vector<std::string> ehlo;
    if (auto st = plain.command("ehlo", "EHLO " + config.helo_name, 2, &ehlo); !st)
        return st;
    if (!config.starttls)
        return transaction(plain, config, to, message);

    if (!offers(ehlo, "STARTTLS"))
        return smtp_error("starttls", "not offered by the server");
    if (auto st = plain.command("starttls", "STARTTLS", 2); !st)
        return st;
    if (!plain.take_buffer().empty()) // bytes sent before TLS began would be injected (CVE-2011-0411 class)
        return smtp_error("starttls", "unexpected data before TLS");
    asio::ssl::context tls_context(asio::ssl::context::tls_client);
    tls_context.set_default_verify_paths();
    tls_context.set_verify_mode(asio::ssl::verify_peer);
    asio::ssl::stream<tcp::socket&> tls(socket, tls_context);
    tls.set_verify_callback(asio::ssl::host_name_verification(config.host));
    SSL_set_tlsext_host_name(tls.native_handle(), config.host.c_str());
    Conversation<asio::ssl::stream<tcp::socket&>> secure(io, socket, tls, config.timeout_ms);
    if (auto st = secure.handshake_tls(); !st)
        return st;
    if (auto st = secure.command("ehlo", "EHLO " + config.helo_name, 2); !st)
        return st;
    return transaction(secure, config, to, message);
}

model::UnixMillis smtp_retry_delay(const SmtpConfig& config, std::int64_t attempts)
{
    model::UnixMillis delay = config.first_retry_ms;
    for (std::int64_t i = 1; i < attempts && delay < config.max_retry_ms; ++i)
        delay *= 2;
    return std::min(delay, config.max_retry_ms);
}

SmtpSender::SmtpSender(SmtpConfig config, Store& store, SecretStore& secrets,
                       std::function<model::UnixMillis()> clock)
    : m_config(std::move(config)), m_store(store), m_secrets(secrets), m_clock(std::move(clock))
{
}

SmtpSender::~SmtpSender()
{
    stop();
}

void SmtpSender::start()
{
    m_thread = std::thread([this] { run(); });
}

void SmtpSender::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void SmtpSender::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        lock.unlock();
        try {
            drain_once();
        } catch (const std::exception& e) {
            log::error("mail.sender_failed", {{"what", e.what()}});
        }
        lock.lock();
        m_cv.wait_for(lock, std::chrono::milliseconds(m_config.poll_ms), [this] { return m_stopping; });
    }
}

std::size_t SmtpSender::drain_once()
{
    std::size_t sent = 0;
    for (auto& pending : m_store.pending_mail(m_clock(), m_config.batch)) {
        const auto& mail = pending.mail;
        const nlohmann::json where = {{"id", mail.id}, {"template", mail.template_name}};
        auto rendered = render_mail(mail, m_secrets);
        Status delivered;
        bool permanent = false;
        if (!rendered) {
            delivered = rendered.error();
            permanent = true; // a template that does not render now never will
        } else {
            const auto now = m_clock();
            delivered = smtp_deliver(m_config, mail.to_addr, compose_message(m_config.from, mail, *rendered, now));
            permanent = !delivered && delivered.error().code == api::ErrorCode::validation_failed;
        }
        const auto now = m_clock();
        if (delivered) {
            if (auto st = m_store.mark_mail_sent(mail.id, now); !st)
                log::error("mail.mark_sent_failed", where); // it may be sent again: better than lost
            else
                log::info("mail.sent", where);
            ++sent;
            continue;
        }
        const auto attempts = pending.attempts + 1;
        auto fields = where;
        fields["attempts"] = attempts;
        fields["error"] = delivered.error().message;
        std::optional<model::UnixMillis> next;
        if (!permanent && attempts < m_config.max_attempts)
            next = now + smtp_retry_delay(m_config, attempts);
        if (auto st = m_store.mark_mail_failed(mail.id, attempts, next, now); !st)
            log::error("mail.mark_failed_failed", where);
        if (next)
            log::warn("mail.retry_later", fields);
        else
            log::error("mail.gave_up", fields);
    }
    return sent;
}

} // namespace stronghold::server

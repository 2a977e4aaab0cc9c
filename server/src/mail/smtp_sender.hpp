// The SMTP sender (IAM-1, IAM-7 mails): a background thread started by `serve` that drains the
// outbox and speaks SMTP over TCP to the server given by --smtp-host/--smtp-port. Failed
// deliveries are retried with a doubling delay and given up after max_attempts; a mail is marked
// sent only after the server accepted its DATA (250), so an outage loses nothing.
// Logs name the mail id, template and SMTP reply code: never the body, link or token.
#pragma once

#include "store/store.hpp"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace stronghold::server {

class SecretStore;

struct SmtpConfig {
    std::string host;                          // empty: mail is not configured (mails wait in the outbox)
    std::uint16_t port = 25;
    std::string from;                          // envelope sender and From: address
    std::string helo_name = "localhost";       // EHLO argument
    // Require STARTTLS (certificate verified against `host`): a server that does not offer it
    // fails the delivery, never a silent fall back to clear text.
    bool starttls = false;
    model::UnixMillis timeout_ms = 30'000;     // per SMTP step
    std::int64_t max_attempts = 8;             // then the mail is given up (failed_at)
    model::UnixMillis first_retry_ms = 60'000; // doubling per failed attempt ...
    model::UnixMillis max_retry_ms = 60LL * 60 * 1000; // ... up to an hour
    model::UnixMillis poll_ms = 2'000;         // how often the outbox is looked at
    std::size_t batch = 20;                    // mails per look
};

// Lines starting with '.' get one more (RFC 5321 4.5.2) and the message ends with CRLF, ready
// for the terminating ".\r\n".
std::string dot_stuff(std::string_view message);

// One SMTP transaction over TCP: EHLO, [STARTTLS, EHLO,] MAIL FROM, RCPT TO, DATA, QUIT.
// unavailable ("smtp <step>: <code>") when a step fails or times out.
Status smtp_deliver(const SmtpConfig& config, const std::string& to, const std::string& message);

// The delay before the next try after `attempts` failures.
model::UnixMillis smtp_retry_delay(const SmtpConfig& config, std::int64_t attempts);

class SmtpSender {
public:
    SmtpSender(SmtpConfig config, Store& store, SecretStore& secrets,
               std::function<model::UnixMillis()> clock);
    ~SmtpSender(); // stops and joins
    SmtpSender(const SmtpSender&) = delete;
    SmtpSender& operator=(const SmtpSender&) = delete;

    void start(); // the background thread: drain_once() every poll_ms until stop()
    void stop();
    // Delivers every due mail once (deliver, or count the failure); returns how many were sent.
    std::size_t drain_once();

private:
    void run();

    SmtpConfig m_config;
    Store& m_store;
    SecretStore& m_secrets;
    std::function<model::UnixMillis()> m_clock;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace stronghold::server

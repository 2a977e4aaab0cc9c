// The SMTP sender (IAM-1, IAM-7 mails) against a real SMTP server: Debian's aiosmtpd on a
// loopback port (support/smtp_sink.hpp). The outbox is the real SQLite store of ApiFixture.
#include "api_fixture.hpp"
#include "auth/secret_store.hpp"
#include "cli/serve.hpp"
#include "mail/smtp_sender.hpp"
#include "mail/templates.hpp"
#include "support/smtp_sink.hpp"

#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <optional>
#include <string>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

constexpr const char* k_from = "no-reply@mail.stronghold.test";

struct OutboxRow {
    std::int64_t attempts = 0;
    std::int64_t next_try_at = 0;
    std::optional<std::int64_t> sent_at;
    std::optional<std::int64_t> failed_at;
    std::string data;
};

struct MailFixture : ApiFixture {
    MailFixture() : secrets((dir.path).string()) {}

    SmtpConfig config(std::uint16_t port)
    {
        SmtpConfig c;
        c.host = "127.0.0.1";
        c.port = port;
        c.from = k_from;
        c.timeout_ms = 5000;
        c.first_retry_ms = 60'000;
        c.max_attempts = 3;
        return c;
    }

    SmtpSender sender(const SmtpConfig& c)
    {
        return SmtpSender(c, *store, secrets, [this] { return now.load(); });
    }

    std::string enqueue(const std::string& to, const std::string& template_name, json data)
    {
        OutboxMail m;
        m.id = crypto::random_id("ml");
        m.to_addr = to;
        m.template_name = template_name;
        m.data = std::move(data);
        m.created_at = now;
        BOOST_REQUIRE(store->enqueue_mail(m).ok());
        return m.id;
    }

    OutboxRow row(const std::string& id)
    {
        sqlite3* db = nullptr;
        auto file = (dir.path / "stronghold.db").string();
        BOOST_REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        BOOST_REQUIRE(sqlite3_prepare_v2(db, "SELECT attempts, next_try_at, sent_at, failed_at, data FROM outbox WHERE id = ?",
                                         -1, &st, nullptr) == SQLITE_OK);
        sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        OutboxRow out;
        BOOST_REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        out.attempts = sqlite3_column_int64(st, 0);
        out.next_try_at = sqlite3_column_int64(st, 1);
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            out.sent_at = sqlite3_column_int64(st, 2);
        if (sqlite3_column_type(st, 3) != SQLITE_NULL)
            out.failed_at = sqlite3_column_int64(st, 3);
        out.data = reinterpret_cast<const char*>(sqlite3_column_text(st, 4));
        sqlite3_finalize(st);
        sqlite3_close(db);
        return out;
    }

    SodiumSecretStore secrets;
};

// The value of header `name` in a stored message ("" when absent).
std::string header(const std::string& message, const std::string& name)
{
    const auto head = message.substr(0, message.find("\n\n"));
    const std::string key = "\n" + name + ": ";
    auto at = ("\n" + head).find(key);
    if (at == std::string::npos)
        return {};
    auto start = at + key.size() - 1;
    return head.substr(start, head.find('\n', start) - start);
}

std::string body_of(const std::string& message)
{
    auto at = message.find("\n\n");
    return at == std::string::npos ? std::string() : message.substr(at + 2);
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(mail_smtp_tests, MailFixture)

BOOST_AUTO_TEST_CASE(iam1_smtp_delivers_reset_mail_with_headers_and_link)
{
    SmtpSink sink(dir.path / "sink");
    BOOST_REQUIRE(call("POST", "/api/v1/auth/password-reset", json{{"email", owner_a}}.dump()).status == 202);
    auto pending = store->pending_mail(now, 10);
    BOOST_REQUIRE(pending.size() == 1u);
    const auto id = pending.front().mail.id;
    BOOST_TEST(row(id).data.find("token=") == std::string::npos); // only sealed at rest

    auto s = sender(config(sink.port()));
    BOOST_TEST(s.drain_once() == 1u);
    auto messages = sink.messages(1);
    BOOST_REQUIRE(messages.size() == 1u);
    const auto& m = messages.front();
    BOOST_TEST(header(m, "From") == std::string("Stronghold <") + k_from + ">");
    BOOST_TEST(header(m, "To") == "<" + owner_a + ">");
    BOOST_TEST(header(m, "X-RcptTo") == owner_a); // the envelope recipient (aiosmtpd adds it)
    BOOST_TEST(header(m, "X-MailFrom") == k_from);
    BOOST_TEST(header(m, "Subject") == "Reset your Stronghold password");
    BOOST_TEST(header(m, "Date") == rfc5322_date(now));
    BOOST_TEST(header(m, "Message-ID") == "<" + id + "@mail.stronghold.test>");
    BOOST_TEST(header(m, "Content-Type") == "text/plain; charset=utf-8");
    const auto body = body_of(m);
    const std::string prefix = std::string("https://") + k_host + "/reset.html#token=";
    auto at = body.find(prefix);
    BOOST_REQUIRE(at != std::string::npos);
    BOOST_TEST(body.substr(at + prefix.size(), body.find('\n', at) - at - prefix.size()).size() == 43u);
    BOOST_TEST(body.find("within 30 minutes") != std::string::npos);

    // Sent once: marked, the sealed link dropped, nothing left to send.
    auto r = row(id);
    BOOST_TEST(r.sent_at.has_value());
    BOOST_TEST(r.data == "{}");
    BOOST_TEST(store->pending_mail(now + 24LL * 3600 * 1000, 10).empty());
    BOOST_TEST(s.drain_once() == 0u);
    BOOST_TEST(sink.messages(2, 300).size() == 1u);
}

BOOST_AUTO_TEST_CASE(iam7_smtp_renders_block_and_new_device_mails)
{
    SmtpSink sink(dir.path / "sink");
    enqueue(owner_a, "login_blocked",
            {{"ip", "203.0.113.9"}, {"device", "Chrome on Linux\r\nBcc: x@evil.test"}, {"blocked_until", "2027-01-15T08:00:00Z"}});
    now += 1;
    enqueue(owner_a, "new_device_login", {{"ip", "198.51.100.7"}, {"device", "Firefox on Windows"}, {"at", "2027-01-15T08:00:00Z"}});
    auto s = sender(config(sink.port()));
    BOOST_TEST(s.drain_once() == 2u);
    auto messages = sink.messages(2);
    BOOST_REQUIRE(messages.size() == 2u);
    std::string blocked = messages[0], device = messages[1];
    if (header(blocked, "Subject") != "Sign-in to your Stronghold account was blocked")
        std::swap(blocked, device);
    BOOST_TEST(header(blocked, "Subject") == "Sign-in to your Stronghold account was blocked");
    BOOST_TEST(body_of(blocked).find("203.0.113.9") != std::string::npos);
    BOOST_TEST(body_of(blocked).find("2027-01-15T08:00:00Z") != std::string::npos);
    // A CR/LF in a field cannot start a header: it is flattened into the body line.
    BOOST_TEST(header(blocked, "Bcc").empty());
    BOOST_TEST(body_of(blocked).find("Chrome on Linux  Bcc: x@evil.test") != std::string::npos);
    BOOST_TEST(header(device, "Subject") == "New sign-in to your Stronghold account");
    BOOST_TEST(body_of(device).find("Firefox on Windows (198.51.100.7)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(iam1_smtp_dot_stuffing_keeps_lines_that_start_with_a_dot)
{
    BOOST_TEST(dot_stuff(".a\r\nb\n.\n..c") == "..a\r\nb\r\n..\r\n...c\r\n");
    BOOST_TEST(dot_stuff("x\r\n") == "x\r\n");
    SmtpSink sink(dir.path / "sink");
    const std::string message = "From: <a@b.test>\r\nTo: <c@d.test>\r\nSubject: dots\r\n\r\n.first\r\n.\r\nlast\r\n";
    BOOST_REQUIRE(smtp_deliver(config(sink.port()), "c@d.test", message).ok());
    auto messages = sink.messages(1);
    BOOST_REQUIRE(messages.size() == 1u);
    // Without stuffing the lone "." would have ended DATA early and lost "last".
    BOOST_TEST(body_of(messages.front()) == ".first\n.\nlast\n");
}

BOOST_AUTO_TEST_CASE(iam1_smtp_outage_retries_with_backoff_then_gives_up)
{
    const auto dead_port = free_loopback_port(); // nobody listens there
    const auto id = enqueue(owner_a, "new_device_login", {{"ip", "198.51.100.7"}, {"device", "d"}, {"at", "t"}});
    auto c = config(dead_port);
    auto s = sender(c);
    BOOST_TEST(s.drain_once() == 0u);
    auto r = row(id);
    BOOST_TEST(r.attempts == 1);
    BOOST_TEST(r.next_try_at == now + 60'000);
    BOOST_TEST(!r.failed_at.has_value());
    BOOST_TEST(store->pending_mail(now + 59'999, 10).empty()); // not due before the delay
    now += 60'000;
    BOOST_TEST(s.drain_once() == 0u);
    BOOST_TEST(row(id).attempts == 2);
    BOOST_TEST(row(id).next_try_at == now + 120'000); // doubled
    now += 120'000;
    BOOST_TEST(s.drain_once() == 0u);
    r = row(id);
    BOOST_TEST(r.attempts == 3);
    BOOST_TEST(r.failed_at.has_value()); // max_attempts reached: given up, kept for inspection
    BOOST_TEST(!r.sent_at.has_value());
    BOOST_TEST(store->pending_mail(now + 365LL * 24 * 3600 * 1000, 10).empty());
    BOOST_TEST(smtp_retry_delay(c, 1) == 60'000);
    BOOST_TEST(smtp_retry_delay(c, 30) == c.max_retry_ms);
}

BOOST_AUTO_TEST_CASE(iam1_smtp_mail_waits_for_the_server_to_come_back)
{
    const auto id = enqueue(owner_a, "new_device_login", {{"ip", "198.51.100.7"}, {"device", "d"}, {"at", "t"}});
    {
        auto s = sender(config(free_loopback_port()));
        BOOST_TEST(s.drain_once() == 0u);
    }
    SmtpSink sink(dir.path / "sink");
    auto s = sender(config(sink.port()));
    BOOST_TEST(s.drain_once() == 0u); // not due yet
    now += 60'000;
    BOOST_TEST(s.drain_once() == 1u);
    BOOST_TEST(row(id).sent_at.has_value());
    BOOST_TEST(sink.messages(1).size() == 1u);
}

BOOST_AUTO_TEST_CASE(iam1_smtp_unknown_template_and_bad_address_are_given_up_at_once)
{
    SmtpSink sink(dir.path / "sink");
    const auto unknown = enqueue(owner_a, "no_such_template", json::object());
    now += 1;
    const auto bad_to = enqueue("victim@a.test>\r\nRCPT TO:<x@evil.test", "new_device_login",
                                {{"ip", "1"}, {"device", "d"}, {"at", "t"}});
    now += 1;
    const auto forged = enqueue(owner_a, "password_reset", {{"sealed_link", "v1.AAAA"}});
    auto s = sender(config(sink.port()));
    BOOST_TEST(s.drain_once() == 0u);
    for (const auto& id : {unknown, bad_to, forged}) {
        BOOST_TEST_CONTEXT(id)
        {
            auto r = row(id);
            BOOST_TEST(r.attempts == 1);
            BOOST_TEST(r.failed_at.has_value());
        }
    }
    BOOST_TEST(sink.messages(1, 300).empty());
}

BOOST_AUTO_TEST_CASE(iam1_smtp_starttls_required_refuses_a_server_without_it)
{
    SmtpSink sink(dir.path / "sink"); // aiosmtpd without a TLS context offers no STARTTLS
    auto c = config(sink.port());
    c.starttls = true;
    auto st = smtp_deliver(c, "c@d.test", "Subject: x\r\n\r\nsecret\r\n");
    BOOST_REQUIRE(!st.ok());
    BOOST_TEST(st.error().code == api::ErrorCode::unavailable);
    BOOST_TEST(st.error().message.find("starttls") != std::string::npos);
    BOOST_TEST(sink.messages(1, 300).empty()); // never fell back to clear text
}

BOOST_AUTO_TEST_CASE(iam1_smtp_background_thread_sends_and_stops)
{
    SmtpSink sink(dir.path / "sink");
    auto c = config(sink.port());
    c.poll_ms = 20;
    SmtpSender s(c, *store, secrets, [this] { return now.load(); });
    s.start();
    const auto id = enqueue(owner_a, "new_device_login", {{"ip", "198.51.100.7"}, {"device", "d"}, {"at", "t"}});
    BOOST_TEST(sink.messages(1).size() == 1u);
    s.stop();
    BOOST_TEST(row(id).sent_at.has_value());
}

BOOST_AUTO_TEST_CASE(iam1_serve_smtp_flags_are_validated)
{
    auto ok = parse_serve_args({"--data", "/tmp/x", "--smtp-host", "mail.test", "--smtp-port", "2525", "--mail-from",
                                "no-reply@a.test", "--smtp-starttls"});
    BOOST_REQUIRE(ok.ok());
    BOOST_TEST(ok->smtp_host == "mail.test");
    BOOST_TEST(ok->smtp_port == 2525);
    BOOST_TEST(ok->mail_from == "no-reply@a.test");
    BOOST_TEST(ok->smtp_starttls);
    BOOST_TEST(parse_serve_args({"--data", "/tmp/x"})->smtp_host.empty()); // mail off by default
    struct Bad {
        std::vector<std::string> args;
        const char* field;
    };
    const std::vector<Bad> bad = {
        {{"--data", "/tmp/x", "--smtp-host", "mail.test"}, "--mail-from"},
        {{"--data", "/tmp/x", "--smtp-host", "m", "--mail-from", "a@b.test", "--smtp-port", "0"}, "--smtp-port"},
        {{"--data", "/tmp/x", "--smtp-host", "m", "--mail-from", "a@b.test", "--smtp-port", "70000"}, "--smtp-port"},
        {{"--data", "/tmp/x", "--smtp-host", "m", "--mail-from", "a b@c.test"}, "--mail-from"},
        {{"--data", "/tmp/x", "--smtp-host", "m", "--mail-from", "<a@b.test>"}, "--mail-from"},
    };
    for (const auto& b : bad) {
        auto r = parse_serve_args(b.args);
        BOOST_TEST_CONTEXT(b.field)
        {
            BOOST_REQUIRE(!r.ok());
            BOOST_TEST(r.error().field == b.field);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

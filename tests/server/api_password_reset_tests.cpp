// IAM-1 password reset by email link through HttpApp in-process (real SQLite store, movable
// clock): no enumeration, single use, 30 minutes, policy and history, every session revoked,
// throttling; and once end to end through the SMTP sender and a real SMTP server.
#include "api_fixture.hpp"
#include "auth/secret_store.hpp"
#include "live/hub.hpp"
#include "mail/smtp_sender.hpp"
#include "mail/templates.hpp"
#include "support/smtp_sink.hpp"

#include <boost/test/unit_test.hpp>

#include <future>
#include <memory>
#include <string>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;
using nlohmann::json;

namespace {

constexpr const char* k_new_password = "Brand-New-Secret-42!";
constexpr const char* k_reset = "/api/v1/auth/password-reset";
constexpr const char* k_confirm = "/api/v1/auth/password-reset/confirm";
constexpr const char* k_invalid = "This reset link is invalid or has expired.";

struct ClosedSink final : LiveSink {
    std::atomic<bool> closed{false};
    void send(std::shared_ptr<const std::string>) override {}
    void close() override { closed = true; }
};

struct ResetFixture : ApiFixture {
    ResetFixture() : secrets(dir.path.string()) {}

    Response post_from(const std::string& ip, const std::string& target, const json& body,
                       const std::string& host = k_host)
    {
        Request r;
        r.method = "POST";
        r.target = target;
        r.body = body.dump();
        r.remote_ip = ip;
        r.headers = {{"Host", host}, {"User-Agent", "api-tests"}, {"Content-Type", "application/json"}};
        auto promise = std::make_shared<std::promise<Response>>();
        auto future = promise->get_future();
        app->handle(std::move(r), [promise](Response resp) { promise->set_value(std::move(resp)); });
        return future.get();
    }

    Response request_reset(const std::string& email) { return call("POST", k_reset, json{{"email", email}}.dump()); }

    Response confirm(const std::string& token, const std::string& password)
    {
        return call("POST", k_confirm, json{{"token", token}, {"new_password", password}}.dump());
    }

    // Asks for a reset of `email` and returns the token of the link it queued (opened from the
    // sealed outbox data, as the SMTP sender does).
    std::string reset_token(const std::string& email)
    {
        BOOST_REQUIRE(request_reset(email).status == 202);
        std::vector<OutboxMail> resets;
        for (auto& p : store->pending_mail(now, 100))
            if (p.mail.template_name == "password_reset" && p.mail.to_addr == email)
                resets.push_back(p.mail);
        BOOST_REQUIRE(resets.size() == 1u);
        const auto& mail = resets.front();
        auto link = secrets.open(reset_link_context(mail.id), mail.data.at("sealed_link").get<std::string>());
        BOOST_REQUIRE(link.ok());
        BOOST_REQUIRE(link->starts_with(std::string("https://") + k_host + "/reset.html#token="));
        // Sent: the next reset_token() call finds only its own mail.
        BOOST_REQUIRE(store->mark_mail_sent(mail.id, now).ok());
        return link->substr(link->find("#token=") + 7);
    }

    std::string field_of(const Response& r) { return api::error_from_json(json::parse(r.body))->field; }
    std::string message_of(const Response& r) { return api::error_from_json(json::parse(r.body))->message; }

    SodiumSecretStore secrets;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(api_password_reset_tests, ResetFixture)

BOOST_AUTO_TEST_CASE(iam1_reset_request_answers_the_same_for_unknown_and_real_emails)
{
    auto unknown = request_reset("nobody@nowhere.test");
    BOOST_TEST(unknown.status == 202);
    BOOST_TEST(unknown.body == "{}");
    BOOST_TEST(store->pending_mail(now, 10).empty()); // nothing queued for nobody
    auto real = request_reset(owner_a);
    BOOST_TEST(real.status == unknown.status);
    BOOST_TEST(real.body == unknown.body);
    BOOST_TEST(store->pending_mail(now, 10).size() == 1u);
}

BOOST_AUTO_TEST_CASE(iam1_reset_request_queues_a_sealed_single_link_and_audits)
{
    BOOST_REQUIRE(request_reset("  Owner@A.test ").status == 202); // trimmed and lower-cased like sign-in
    auto pending = store->pending_mail(now, 10);
    BOOST_REQUIRE(pending.size() == 1u);
    const auto& mail = pending.front().mail;
    BOOST_TEST(mail.to_addr == owner_a);
    BOOST_TEST(mail.data.dump().find("token") == std::string::npos); // sealed, never in clear
    BOOST_TEST(audit_count(agency_a, "user.password_reset_requested") == 1u);
    auto link = secrets.open(reset_link_context(mail.id), mail.data.at("sealed_link").get<std::string>());
    BOOST_REQUIRE(link.ok());
    const auto token = link->substr(link->find("#token=") + 7);
    auto reset = store->find_password_reset(crypto::hash_hex(token));
    BOOST_REQUIRE(reset.has_value());
    BOOST_TEST(reset->user_id == owner_a_id);
    BOOST_TEST(reset->expires_at == now + 30LL * 60 * 1000);
    BOOST_TEST(!store->find_password_reset(token).has_value()); // stored by hash only
    // The sealed link is bound to its mail: under another mail's context it does not open.
    BOOST_TEST(!secrets.open(reset_link_context("ml_other"), mail.data.at("sealed_link").get<std::string>()).ok());
}

BOOST_AUTO_TEST_CASE(iam1_iam5_reset_sets_the_password_once_and_revokes_every_session)
{
    auto first = login(owner_a);
    auto second = login(owner_a);
    auto socket = std::make_shared<ClosedSink>();
    app->live().subscribe({account_a1, owner_a_id, crypto::hash_hex(first)}, socket);
    const auto token = reset_token(owner_a);

    auto r = confirm(token, k_new_password);
    BOOST_REQUIRE_MESSAGE(r.status == 204, r.body);
    BOOST_TEST(store->sessions_of_user(owner_a_id).empty());
    BOOST_TEST(socket->closed.load());
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, first).status == 401);
    BOOST_TEST(call("GET", "/api/v1/me", {}, {}, second).status == 401);
    BOOST_TEST(audit_count(agency_a, "user.password_reset") == 1u);

    // The old password no longer works, the new one does.
    BOOST_TEST(call("POST", "/api/v1/auth/login", json{{"email", owner_a}, {"password", k_password}}.dump()).status ==
               401);
    BOOST_TEST(call("POST", "/api/v1/auth/login", json{{"email", owner_a}, {"password", k_new_password}}.dump())
                   .status == 200);

    // Single use.
    auto again = confirm(token, "Another-Secret-77!");
    BOOST_TEST(again.status == 422);
    BOOST_TEST(field_of(again) == "token");
    BOOST_TEST(message_of(again) == k_invalid);
    BOOST_TEST(audit_count(agency_a, "user.password_reset") == 1u);
}

BOOST_AUTO_TEST_CASE(iam1_reset_link_lives_30_minutes)
{
    const auto early = reset_token(owner_a);
    now += 30LL * 60 * 1000 - 1;
    BOOST_TEST(confirm(early, k_new_password).status == 204);

    const auto late = reset_token(owner_a);
    now += 30LL * 60 * 1000;
    auto r = confirm(late, "Another-Secret-77!");
    BOOST_TEST(r.status == 422);
    BOOST_TEST(field_of(r) == "token");
    BOOST_TEST(message_of(r) == k_invalid);
}

BOOST_AUTO_TEST_CASE(iam1_a_reset_kills_the_users_other_open_links)
{
    const auto one = reset_token(owner_a);
    const auto two = reset_token(owner_a);
    BOOST_TEST(confirm(two, k_new_password).status == 204);
    BOOST_TEST(confirm(one, "Another-Secret-77!").status == 422);
}

BOOST_AUTO_TEST_CASE(iam2_reset_applies_the_agency_policy_and_history)
{
    auto policy = store->security_policy(agency_a);
    policy.password.history_count = 3;
    AuditEntry audit;
    audit.at = now;
    audit.agency_id = agency_a;
    audit.action = "agency.security_policy_updated";
    BOOST_REQUIRE(store->update_security_policy(agency_a, policy, policy.version, now, audit).ok());
    const auto token = reset_token(owner_a);

    auto weak = confirm(token, "short");
    BOOST_TEST(weak.status == 422);
    BOOST_TEST(field_of(weak) == "new_password");
    auto named = confirm(token, "Owner-a.test-2027!"); // contains the email name
    BOOST_TEST(named.status == 422);
    BOOST_TEST(field_of(named) == "new_password");
    auto reused = confirm(token, k_password); // the current password: history
    BOOST_TEST(reused.status == 422);
    BOOST_TEST(field_of(reused) == "new_password");
    BOOST_TEST(message_of(reused) == "was used recently");
    // Refusals do not use the link up.
    BOOST_TEST(confirm(token, k_new_password).status == 204);
}

BOOST_AUTO_TEST_CASE(iam1_reset_bad_inputs_are_refused_with_stable_codes)
{
    struct Case {
        const char* name;
        const char* target;
        std::string body;
        int status;
        const char* field;
    };
    const std::string long_token(200, 'a');
    const std::vector<Case> cases = {
        {"request not json", k_reset, "{", 400, ""},
        {"request not an object", k_reset, "[]", 422, "body"},
        {"request no email", k_reset, "{}", 422, "email"},
        {"request email not a string", k_reset, R"({"email":5})", 422, "email"},
        {"request not an email", k_reset, R"({"email":"owner"})", 422, "email"},
        {"request unknown field", k_reset, R"({"email":"owner@a.test","admin":true})", 422, "admin"},
        {"confirm unknown token", k_confirm, json{{"token", "nope"}, {"new_password", k_new_password}}.dump(), 422,
         "token"},
        {"confirm token too long", k_confirm, json{{"token", long_token}, {"new_password", k_new_password}}.dump(),
         422, "token"},
        {"confirm no token", k_confirm, json{{"new_password", k_new_password}}.dump(), 422, "token"},
        {"confirm no password", k_confirm, json{{"token", "abc"}}.dump(), 422, "new_password"},
        {"confirm password too long", k_confirm,
         json{{"token", "abc"}, {"new_password", std::string(2000, 'x')}}.dump(), 422, "new_password"},
        {"confirm unknown field", k_confirm, R"({"token":"a","new_password":"b","user_id":"x"})", 422, "user_id"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            auto r = call("POST", c.target, c.body);
            BOOST_TEST(r.status == c.status);
            if (*c.field)
                BOOST_TEST(field_of(r) == c.field);
        }
    }
}

BOOST_FIXTURE_TEST_CASE(iam1_a_forged_host_never_reaches_the_reset_link, ResetFixture)
{
    // Password-reset poisoning: the link comes from the configured public URL, not from Host.
    auto r = post_from("192.0.2.1", k_reset, {{"email", owner_a}}, "evil.test");
    BOOST_TEST(r.status == 202);
    auto mails = store->pending_mail(now, 10);
    BOOST_TEST_REQUIRE(mails.size() == 1u);
    const auto& mail = mails[0].mail;
    auto link = secrets.open(reset_link_context(mail.id), mail.data.at("sealed_link").get<std::string>());
    BOOST_TEST_REQUIRE(link.ok());
    BOOST_TEST(link->starts_with(std::string("https://") + k_host + "/reset.html#token="));
    BOOST_TEST(link->find("evil.test") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(iam7_reset_requests_are_throttled_per_email_and_per_ip)
{
    // Per email, whether it exists or not (the answers stay alike): 5 then 429.
    for (const std::string& email : {owner_a, std::string("nobody@nowhere.test")}) {
        BOOST_TEST_CONTEXT(email)
        {
            for (int i = 0; i < 5; ++i)
                BOOST_TEST(post_from("192.0.2." + std::to_string(i + 1), k_reset, {{"email", email}}).status == 202);
            auto r = post_from("192.0.2.99", k_reset, {{"email", email}});
            BOOST_TEST(r.status == 429);
            BOOST_TEST(r.header("Retry-After").has_value());
        }
    }
    BOOST_TEST(store->pending_mail(now, 100).size() == 5u); // no mailbox flood
    // Per IP: 20 requests across emails, then 429 for any email.
    for (int i = 0; i < 20; ++i)
        BOOST_TEST(post_from("203.0.113.5", k_reset, {{"email", "u" + std::to_string(i) + "@x.test"}}).status == 202);
    BOOST_TEST(post_from("203.0.113.5", k_reset, {{"email", "fresh@x.test"}}).status == 429);
    BOOST_TEST(post_from("203.0.113.6", k_reset, {{"email", "fresh@x.test"}}).status == 202);
    // Blocks end.
    now += 15LL * 60 * 1000 + 1;
    BOOST_TEST(post_from("203.0.113.5", k_reset, {{"email", "fresh@x.test"}}).status == 202);
    // Sign-in is not affected by reset requests.
    BOOST_TEST(call("POST", "/api/v1/auth/login", json{{"email", owner_a}, {"password", k_password}}.dump()).status ==
               200);
}

BOOST_AUTO_TEST_CASE(iam1_reset_end_to_end_through_smtp)
{
    SmtpSink sink(dir.path / "sink");
    BOOST_REQUIRE(request_reset(user_a1).status == 202);
    SmtpConfig c;
    c.host = "127.0.0.1";
    c.port = sink.port();
    c.from = "no-reply@stronghold.test";
    c.timeout_ms = 5000;
    SmtpSender sender(c, *store, secrets, [this] { return now.load(); });
    BOOST_REQUIRE(sender.drain_once() == 1u);
    auto messages = sink.messages(1);
    BOOST_REQUIRE(messages.size() == 1u);
    const std::string marker = "/reset.html#token=";
    auto at = messages.front().find(marker);
    BOOST_REQUIRE(at != std::string::npos);
    const auto start = at + marker.size();
    const auto token = messages.front().substr(start, messages.front().find('\n', start) - start);
    BOOST_TEST(confirm(token, k_new_password).status == 204);
    BOOST_TEST(call("POST", "/api/v1/auth/login", json{{"email", user_a1}, {"password", k_new_password}}.dump())
                   .status == 200);
}

BOOST_AUTO_TEST_SUITE_END()

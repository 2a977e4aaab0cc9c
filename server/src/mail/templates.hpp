// The mails Stronghold sends (IAM-1, IAM-7): each outbox template rendered to a plain-text
// RFC 5322 message. Pure functions, so the SMTP sender and the tests share them.
#pragma once

#include "store/store.hpp"

#include <string>

namespace stronghold::server {

class SecretStore;

// A reset link lives 30 minutes (IAM-1).
inline constexpr model::UnixMillis k_reset_ttl_ms = 30LL * 60 * 1000;

// The SecretStore context of a password_reset mail's sealed link: bound to the mail id, so a
// sealed link copied to another row does not open.
inline std::string reset_link_context(const std::string& mail_id)
{
    return "outbox.reset_link:" + mail_id;
}

// An invitation link lives 7 days (ACC-2); its mail's sealed link is bound to the mail id too.
inline constexpr model::UnixMillis k_invite_ttl_ms = 7LL * 24 * 60 * 60 * 1000;
inline std::string invite_link_context(const std::string& mail_id)
{
    return "outbox.invite_link:" + mail_id;
}

struct RenderedMail {
    std::string subject;
    std::string body; // "\n" line ends
};

// validation_failed for an unknown template or missing fields, internal when a sealed link does
// not open: both are permanent (retrying cannot help).
Result<RenderedMail> render_mail(const OutboxMail& mail, SecretStore& secrets);

// "Thu, 26 Nov 2026 10:14:18 +0000" (RFC 5322 section 3.3, UTC).
std::string rfc5322_date(model::UnixMillis at);

// An address fit for a header and an SMTP command: non-empty, one '@', no white space, control
// characters or angle brackets (no header or command injection through stored data).
bool plain_address(const std::string& address);

// The whole message: From, To, Subject, Date, Message-ID, MIME headers, blank line, body; CRLF
// line ends; not yet dot-stuffed (the SMTP DATA step does that).
std::string compose_message(const std::string& from, const OutboxMail& mail, const RenderedMail& rendered,
                            model::UnixMillis now);

} // namespace stronghold::server

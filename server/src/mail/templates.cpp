// Mail templates: see templates.hpp. The texts say what happened, from where, and what to do;
// they never contain a password, and the reset link only in the password_reset mail.
#include "mail/templates.hpp"

#include "auth/secret_store.hpp"

#include <array>
#include <cctype>
#include <ctime>

namespace stronghold::server {

namespace {

// Template fields come from request data (IP, User-Agent label): keep them to one printable line.
std::string field(const OutboxMail& mail, const char* name)
{
    auto it = mail.data.find(name);
    std::string value;
    if (it != mail.data.end())
        value = it->is_string() ? it->get<std::string>() : it->dump();
    std::string out;
    for (unsigned char c : value)
        out.push_back(c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c));
    return out.empty() ? std::string("unknown") : out;
}

} // namespace

Result<RenderedMail> render_mail(const OutboxMail& mail, SecretStore& secrets)
{
    RenderedMail out;
    if (mail.template_name == "login_blocked") {
        out.subject = "Sign-in to your Stronghold account was blocked";
        out.body = "Several wrong passwords were entered for your Stronghold account from " + field(mail, "ip") +
                   " (" + field(mail, "device") + ").\n\nSign-in from there is blocked until " +
                   field(mail, "blocked_until") +
                   ". You can still sign in from your usual devices.\n\nIf this was not you, someone may be "
                   "guessing your password: change it in My profile & security, and turn on two-factor "
                   "authentication.\n";
    } else if (mail.template_name == "new_device_login") {
        out.subject = "New sign-in to your Stronghold account";
        out.body = "Your Stronghold account was signed in from a new device: " + field(mail, "device") + " (" +
                   field(mail, "ip") + ") at " + field(mail, "at") +
                   ".\n\nIf this was you, there is nothing to do.\n\nIf it was not, change your password now "
                   "and sign out the sessions you do not know in My profile & security.\n";
    } else if (mail.template_name == "password_reset") {
        auto it = mail.data.find("sealed_link");
        if (it == mail.data.end() || !it->is_string())
            return api::make_error(api::ErrorCode::validation_failed, "missing field", "sealed_link");
        auto link = secrets.open(reset_link_context(mail.id), it->get<std::string>());
        if (!link)
            return link.error();
        out.subject = "Reset your Stronghold password";
        out.body = "Someone, hopefully you, asked to reset the password of your Stronghold account from " +
                   field(mail, "ip") + ".\n\nOpen this link within 30 minutes to choose a new password:\n\n" +
                   *link +
                   "\n\nThe link works once. Setting a new password signs you out everywhere.\n\nIf you did not "
                   "ask for this, ignore this mail: your password stays as it is.\n";
    } else if (mail.template_name == "invite") {
        auto it = mail.data.find("sealed_link");
        if (it == mail.data.end() || !it->is_string())
            return api::make_error(api::ErrorCode::validation_failed, "missing field", "sealed_link");
        auto link = secrets.open(invite_link_context(mail.id), it->get<std::string>());
        if (!link)
            return link.error();
        out.subject = "Your invitation to Stronghold"; // fixed ASCII: names stay in the body
        out.body = "You have been invited to join " + field(mail, "agency_name") +
                   " on Stronghold.\n\nOpen this link within 7 days to choose your name and password:\n\n" + *link +
                   "\n\nThe link works once.\n\nIf you did not expect this invitation, ignore this mail.\n";
    } else if (mail.template_name == "membership_added") {
        out.subject = "You were added to an agency on Stronghold";
        out.body = "Your Stronghold account was given access to " + field(mail, "agency_name") +
                   ".\n\nSign in as usual to see it.\n\nIf you did not expect this, tell the agency or ignore this "
                   "mail.\n";
    } else {
        return api::make_error(api::ErrorCode::validation_failed, "unknown mail template", "template");
    }
    return out;
}

std::string rfc5322_date(model::UnixMillis at)
{
    static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t t = static_cast<std::time_t>(at / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[static_cast<std::size_t>(tm.tm_wday)],
                  tm.tm_mday, months[static_cast<std::size_t>(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

bool plain_address(const std::string& address)
{
    if (address.empty() || address.size() > 254)
        return false;
    std::size_t ats = 0;
    for (unsigned char c : address) {
        if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == '"')
            return false;
        ats += c == '@';
    }
    const auto at = address.find('@');
    return ats == 1 && at != 0 && at + 1 != address.size();
}

std::string compose_message(const std::string& from, const OutboxMail& mail, const RenderedMail& rendered,
                            model::UnixMillis now)
{
    const auto domain = from.substr(from.find('@') + 1);
    std::string out;
    out += "From: Stronghold <" + from + ">\r\n";
    out += "To: <" + mail.to_addr + ">\r\n";
    out += "Subject: " + rendered.subject + "\r\n"; // fixed ASCII texts, no encoding needed
    out += "Date: " + rfc5322_date(now) + "\r\n";
    out += "Message-ID: <" + mail.id + "@" + domain + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: 8bit\r\n";
    out += "Auto-Submitted: auto-generated\r\n"; // RFC 3834: no auto-replies to these
    out += "\r\n";
    for (char c : rendered.body) {
        if (c == '\n')
            out += "\r\n";
        else if (c != '\r')
            out.push_back(c);
    }
    return out;
}

} // namespace stronghold::server

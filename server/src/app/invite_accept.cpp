// The invited person's side (ACC-2, IAM-1, IAM-2): no session yet, the link's token proves who
// they are. POST /api/v1/auth/invite/inspect {"token"} shows whom and where the link invites;
// POST /api/v1/auth/invite/accept {"token","name","password"} sets name and password (the
// agency's policy, with the email, name and agency name refused inside it), spends the token
// and opens a session exactly as a password login does (open_user_session: cookie, /me body,
// restrictions such as the agency's 2FA requirement). An unknown, spent or expired link is 422
// on field "token", the same for every cause.
#include "app/handlers.hpp"

#include "app/password_rules.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/validate/password.hpp"
#include "stronghold/validate/text.hpp"

#include <sodium.h>

#include <memory>

namespace stronghold::server {

namespace {

constexpr std::size_t k_max_token_bytes = 128;
constexpr std::size_t k_max_user_name_chars = 100;
constexpr const char* k_invalid_link = "This invitation link is invalid or has expired.";

Response invalid_link()
{
    return error_response(api::ErrorCode::validation_failed, k_invalid_link, "token");
}

struct OpenInvite {
    Invite invite;
    AgencyUser user;
    model::Agency agency;
};

// The invitation behind a token while it can still be accepted (the store checks it again
// atomically when it is spent).
std::optional<OpenInvite> open_invite(AppServices& services, const std::string& token)
{
    if (token.size() > k_max_token_bytes)
        return std::nullopt;
    auto invite = services.store.find_invite(crypto::hash_hex(token));
    if (!invite || invite->used_at != 0 || invite->expires_at <= services.clock())
        return std::nullopt;
    auto user = services.store.agency_user(invite->agency_id, invite->user_id);
    auto agency = services.store.find_agency(invite->agency_id);
    if (!user || !user->invited || user->deactivated || !agency)
        return std::nullopt;
    return OpenInvite{std::move(*invite), std::move(*user), std::move(*agency)};
}

struct AcceptJob {
    WipedString token;
    std::string name;
    WipedString password;
};

void finish_accept(AppServices& services, Call& call, const AcceptJob& job, const std::string& agency_id)
{
    auto hash = crypto::password_hash(job.password.value, services.password_params);
    if (hash.empty()) {
        call.done(error_response(api::ErrorCode::internal, "internal error"));
        return;
    }
    AuditEntry audit;
    audit.at = services.clock();
    audit.agency_id = agency_id;
    audit.actor = call.actor_ref();
    audit.action = "user.invite_accepted";
    audit.target_type = "user";
    auto user = services.store.accept_invite(crypto::hash_hex(job.token.value), job.name, hash, audit);
    if (!user) {
        call.done(error_response(user.error()));
        return;
    }
    // The one session-opening path of every login.
    call.done(open_user_session(services, call, *user, {{"via", "invite"}}));
}

} // namespace

void handle_invite_inspect(AppServices& services, Call call)
{
    auto parsed = parse_required_strings(call.request.body, {"token"});
    if (!parsed) {
        call.done(parsed.error().field == "token" ? invalid_link() : error_response(parsed.error()));
        return;
    }
    auto& token = (*parsed)["token"].get_ref<std::string&>();
    auto open = open_invite(services, token);
    sodium_memzero(token.data(), token.size());
    if (!open) {
        call.done(invalid_link());
        return;
    }
    call.done(json_response(200, {{"email", open->user.user.email},
                                  {"agency_name", open->agency.name},
                                  {"expires_at", model::format_iso8601(open->invite.expires_at)}}));
}

void handle_invite_accept(AppServices& services, Call call)
{
    auto parsed = parse_required_strings(call.request.body, {"token", "name", "password"});
    if (!parsed) {
        call.done(parsed.error().field == "token" ? invalid_link() : error_response(parsed.error()));
        return;
    }
    auto job = std::make_shared<AcceptJob>();
    job->token.value = std::move((*parsed)["token"].get_ref<std::string&>());
    job->password.value = std::move((*parsed)["password"].get_ref<std::string&>());
    const auto raw_name = (*parsed)["name"].get<std::string>();
    auto open = open_invite(services, job->token.value);
    if (!open) {
        call.done(invalid_link());
        return;
    }
    auto name = validate::name("name", raw_name, k_max_user_name_chars, true);
    if (!name) {
        call.done(error_response(name.error()));
        return;
    }
    job->name = std::move(*name);
    if (job->password.value.size() > validate::k_password_max_bytes) {
        call.done(error_response(api::ErrorCode::validation_failed, "is too long", "password"));
        return;
    }
    // The agency's policy, with the person's email and chosen name and the agency's name refused
    // inside the password (the same rules as a change or a reset).
    auto user = open->user.user;
    user.name = job->name;
    if (auto st = check_new_password(services, user, open->agency.id, job->password.value); !st) {
        call.done(error_response(api::ErrorCode::validation_failed, st.error().message, "password"));
        return;
    }
    run_on_hash_pool(services, std::move(call), "invite_accept",
                     [job, agency_id = open->agency.id](AppServices& svc, Call& c) {
                         finish_accept(svc, c, *job, agency_id);
                     });
}

} // namespace stronghold::server

// Users administration (ACC-2, IAM-5): an agency's users, invitations and their re-sending,
// deactivation and membership changes. Access is core's: authorize_user_admin for an existing
// user, authorize_role_grant for every membership given, has_capability for the list. Outside
// the agency 404, inside without the right 403 (server/doc/admin-api.md "Users").
//
// [SECTION] Shared: agency, grants, JSON
// [SECTION] Invitation links
// [SECTION] GET users
// [SECTION] POST users (invite) and re-send
// [SECTION] PATCH users/{id}
#include "app/handlers.hpp"

#include "app/reauth.hpp"
#include "auth/secret_store.hpp"
#include "mail/templates.hpp"
#include "stronghold/access/admin.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/validate/text.hpp"

#include <sodium.h>

#include <algorithm>
#include <set>

namespace stronghold::server {

namespace {

constexpr std::size_t k_max_user_name_chars = 100;

// [SECTION] Shared: agency, grants, JSON

Response forbidden_response()
{
    return error_response(api::ErrorCode::forbidden, "you do not have permission to do this");
}

// The {agency_id} of the route when the actor belongs to it; 404 answered otherwise.
std::optional<model::Agency> route_agency(AppServices& services, Call& call)
{
    const auto agency_id = call.param("agency_id");
    if (crypto::is_id(agency_id, "ag") && access::is_member_of_agency(call.auth->actor, agency_id))
        if (auto agency = services.store.find_agency(agency_id))
            return agency;
    call.done(not_found_response());
    return std::nullopt;
}

// The target user {id} of the agency, when authorize_user_admin allows; 404/403 answered otherwise.
std::optional<AgencyUser> route_user(AppServices& services, Call& call, const std::string& agency_id)
{
    const auto user_id = call.param("id");
    std::optional<AgencyUser> target;
    if (crypto::is_id(user_id, "us"))
        target = services.store.agency_user(agency_id, user_id);
    const auto decision = access::authorize_user_admin(call.auth->actor, agency_id,
                                                       target ? target->memberships : std::vector<model::Membership>{});
    if (decision == access::Decision::allow && target)
        return target;
    call.done(decision == access::Decision::forbidden ? forbidden_response() : not_found_response());
    return std::nullopt;
}

Response decision_response(access::Decision decision)
{
    return decision == access::Decision::not_found ? not_found_response() : forbidden_response();
}

struct Grant {
    model::Membership membership;
    access::RoleDef role;
};

// A membership of this agency from its wire parts: the role reference (a built-in name or a
// custom role of this agency) and, for a sub-account membership, the sub-account. 422 naming
// `prefix` + the field otherwise. Roles that cannot sit where asked are refused too.
Result<Grant> resolve_grant(AppServices& services, const std::string& agency_id, const nlohmann::json& role,
                            const nlohmann::json* account_id, const std::string& prefix)
{
    Grant g;
    if (!role.is_string())
        return api::make_error(api::ErrorCode::validation_failed, "is required", prefix + "role");
    const auto& ref = role.get_ref<const std::string&>();
    if (auto builtin = model::role_from_string(ref)) {
        g.membership.role = *builtin;
        g.role = *access::builtin_role(*builtin);
    } else if (auto custom = access::is_custom_role_id(ref) ? services.store.find_role(agency_id, ref) : std::nullopt) {
        g.membership.role = model::Role::custom;
        g.membership.role_id = ref;
        g.role = std::move(*custom);
    } else {
        return api::make_error(api::ErrorCode::validation_failed, "is not a role of this agency", prefix + "role");
    }
    if (account_id) {
        std::optional<model::Account> account;
        if (account_id->is_string() && crypto::is_id(account_id->get_ref<const std::string&>(), "ac"))
            account = services.store.find_account(account_id->get<std::string>());
        if (!account || account->agency_id != agency_id)
            return api::make_error(api::ErrorCode::validation_failed, "is not a sub-account of this agency",
                                   prefix + "account_id");
        if (g.membership.role == model::Role::agency_owner || g.membership.role == model::Role::agency_admin)
            return api::make_error(api::ErrorCode::validation_failed, "is an agency-wide role", prefix + "role");
        g.membership.account_id = account->id;
        g.membership.account_agency_id = agency_id;
    } else {
        if (g.membership.role == model::Role::account_admin || g.membership.role == model::Role::account_user)
            return api::make_error(api::ErrorCode::validation_failed, "needs a sub-account (account_id)",
                                   prefix + "role");
        g.membership.agency_id = agency_id;
    }
    return g;
}

// The admin view of a user (admin-api.md "User JSON"), with only the memberships shown in `shown`.
nlohmann::json user_json(const AgencyUser& u, const std::vector<model::Membership>& shown)
{
    const char* status = u.deactivated ? "deactivated" : u.invited ? "invited" : "active";
    return {{"id", u.user.id},
            {"email", u.user.email},
            {"name", u.user.name},
            {"status", status},
            {"totp_enabled", u.totp_enabled},
            {"memberships", shown},
            {"created_at", model::format_iso8601(u.user.created_at)},
            {"last_login_at", u.last_login_at ? nlohmann::json(model::format_iso8601(*u.last_login_at))
                                              : nlohmann::json(nullptr)}};
}

AuditEntry admin_audit(AppServices& services, const Call& call, const std::string& agency_id, std::string action,
                       const std::string& user_id)
{
    AuditEntry audit;
    audit.at = services.clock();
    audit.agency_id = agency_id;
    audit.actor = call.actor_ref();
    audit.action = std::move(action);
    audit.target_type = "user";
    audit.target_id = user_id;
    return audit;
}

// [SECTION] Invitation links

struct InviteMail {
    Invite invite;
    OutboxMail mail;
};

// A fresh invitation of `user_id` to the agency: a 256-bit token whose hash is stored, and its
// mail with the link {public_url}/invite.html#token=... sealed by the SecretStore (the outbox
// never holds a usable token in clear). Without a token (an existing user with a password) the
// mail only tells them about the new access.
Result<InviteMail> make_invite_mail(AppServices& services, const Call& call, const model::Agency& agency,
                                    const std::string& user_id, const std::string& email, bool with_link)
{
    const auto now = services.clock();
    InviteMail out;
    out.mail.id = crypto::random_id("ml");
    out.mail.to_addr = email;
    out.mail.created_at = now;
    out.mail.data = {{"agency_name", agency.name}};
    if (!with_link) {
        out.mail.template_name = "membership_added";
        return out;
    }
    if (!services.secrets)
        return api::make_error(api::ErrorCode::internal, "internal error");
    auto token = crypto::random_token();
    std::string link = services.config.public_url + "/invite.html#token=" + token;
    auto sealed = services.secrets->seal(invite_link_context(out.mail.id), link);
    out.invite = {crypto::hash_hex(token), agency.id, user_id, call.auth->user.id, now, now + k_invite_ttl_ms, 0};
    sodium_memzero(link.data(), link.size());
    sodium_memzero(token.data(), token.size());
    if (!sealed)
        return sealed.error();
    out.mail.template_name = "invite";
    out.mail.data["sealed_link"] = *sealed;
    out.mail.data["expires_days"] = k_invite_ttl_ms / (24LL * 60 * 60 * 1000);
    return out;
}

nlohmann::json invite_json(const Invite& invite)
{
    if (invite.token_hash.empty())
        return nullptr;
    return {{"expires_at", model::format_iso8601(invite.expires_at)}};
}

// Unknown members of a body object: 422 naming the first (prefix + name).
Status only_fields(const nlohmann::json& body, std::initializer_list<const char*> names, const std::string& prefix = {})
{
    if (!body.is_object())
        return api::make_error(api::ErrorCode::validation_failed, "expected a JSON object",
                               prefix.empty() ? "body" : prefix.substr(0, prefix.size() - 1));
    for (const auto& [key, value] : body.items())
        if (std::none_of(names.begin(), names.end(), [&key = key](const char* n) { return key == n; }))
            return api::make_error(api::ErrorCode::validation_failed, "is not a known field", prefix + key);
    return {};
}

} // namespace

// [SECTION] GET users

void handle_users_list(AppServices& services, Call call)
{
    auto agency = route_agency(services, call);
    if (!agency)
        return;
    const auto& actor = call.auth->actor;
    const bool agency_wide = access::has_capability(actor, access::Capability::manage_users, agency->id);
    // Without the agency-wide right: the sub-accounts where the actor manages users, if any.
    std::set<std::string> managed;
    if (!agency_wide)
        for (const auto& acc : services.store.accounts_of_agency(agency->id))
            if (access::has_capability(actor, access::Capability::manage_users, agency->id, acc.id))
                managed.insert(acc.id);
    if (!agency_wide && managed.empty()) {
        call.done(forbidden_response());
        return;
    }
    auto items = nlohmann::json::array();
    for (const auto& u : services.store.users_of_agency(agency->id)) {
        std::vector<model::Membership> shown;
        for (const auto& m : u.memberships)
            if (agency_wide || managed.contains(m.account_id))
                shown.push_back(m);
        if (!shown.empty())
            items.push_back(user_json(u, shown));
    }
    call.done(json_response(200, {{"items", items}}));
}

// [SECTION] POST users (invite) and re-send

void handle_user_invite(AppServices& services, Call call)
{
    auto agency = route_agency(services, call);
    if (!agency)
        return;
    const auto& actor = call.auth->actor;
    // 403 before looking at the body when the actor manages users nowhere in this agency.
    bool manages_somewhere = access::has_capability(actor, access::Capability::manage_users, agency->id);
    for (const auto& acc : manages_somewhere ? std::vector<model::Account>{} : services.store.accounts_of_agency(agency->id))
        manages_somewhere = manages_somewhere ||
                            access::has_capability(actor, access::Capability::manage_users, agency->id, acc.id);
    if (!manages_somewhere) {
        call.done(forbidden_response());
        return;
    }
    auto body = nlohmann::json::parse(call.request.body, nullptr, false);
    if (body.is_discarded()) {
        call.done(error_response(api::ErrorCode::malformed_json, "the request body is not valid JSON"));
        return;
    }
    if (auto st = only_fields(body, {"email", "role", "account_id", "name"}); !st) {
        call.done(error_response(st.error()));
        return;
    }
    auto email_it = body.find("email");
    auto email = email_it != body.end() && email_it->is_string()
                     ? validate::email("email", email_it->get_ref<const std::string&>())
                     : Result<std::string>(api::make_error(api::ErrorCode::validation_failed, "is required", "email"));
    if (!email) {
        call.done(error_response(email.error()));
        return;
    }
    for (auto& c : *email) // stored lower-cased; a valid address is ASCII
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    auto account_it = body.find("account_id");
    auto grant = resolve_grant(services, agency->id, body.value("role", nlohmann::json()),
                               account_it != body.end() ? &*account_it : nullptr, "");
    if (!grant) {
        call.done(error_response(grant.error()));
        return;
    }
    std::string name;
    if (auto it = body.find("name"); it != body.end()) {
        auto checked = it->is_string() ? validate::name("name", it->get_ref<const std::string&>(), k_max_user_name_chars)
                                       : Result<std::string>(api::make_error(api::ErrorCode::validation_failed,
                                                                             "must be a string", "name"));
        if (!checked) {
            call.done(error_response(checked.error()));
            return;
        }
        name = std::move(*checked);
    }
    if (auto decision = access::authorize_role_grant(actor, grant->membership, grant->role);
        decision != access::Decision::allow) {
        call.done(decision_response(decision));
        return;
    }

    // A new email becomes an invited user; an existing one gets the membership (and a link only
    // when they never set a password, i.e. still invited elsewhere).
    auto existing = services.store.find_credentials_by_email(*email);
    model::User user;
    user.id = existing ? existing->user.id : crypto::random_id("us");
    user.email = *email;
    user.name = name;
    user.created_at = services.clock();
    grant->membership.user_id = user.id;
    const bool with_link = !existing || existing->password_hash.empty();
    auto prepared = make_invite_mail(services, call, *agency, user.id, user.email, with_link);
    if (!prepared) {
        call.done(error_response(prepared.error()));
        return;
    }
    auto audit = admin_audit(services, call, agency->id, "user.invited", user.id);
    audit.account_id = grant->membership.account_id;
    audit.details = {{"role", grant->membership.role_ref()}, {"existing_user", existing.has_value()},
                     {"link", with_link}}; // never the email or the token
    auto saved = existing ? services.store.add_agency_membership(agency->id, grant->membership, prepared->invite,
                                                                 prepared->mail, audit)
                          : services.store.invite_new_user(user, grant->membership, prepared->invite, prepared->mail,
                                                           audit);
    if (!saved) {
        call.done(error_response(saved.error()));
        return;
    }
    auto shown = services.store.agency_user(agency->id, user.id);
    if (!shown) {
        call.done(error_response(api::ErrorCode::internal, "internal error"));
        return;
    }
    auto r = json_response(201, {{"user", user_json(*shown, shown->memberships)}, {"invite", invite_json(prepared->invite)}});
    r.set_header("Location", "/api/v1/agencies/" + agency->id + "/users/" + user.id);
    call.done(std::move(r));
}

void handle_user_invite_resend(AppServices& services, Call call)
{
    auto agency = route_agency(services, call);
    if (!agency)
        return;
    auto target = route_user(services, call, agency->id);
    if (!target)
        return;
    if (!target->invited || target->deactivated) {
        call.done(error_response(api::ErrorCode::conflict, "this person has no pending invitation"));
        return;
    }
    auto prepared = make_invite_mail(services, call, *agency, target->user.id, target->user.email, true);
    if (!prepared) {
        call.done(error_response(prepared.error()));
        return;
    }
    auto audit = admin_audit(services, call, agency->id, "user.invite_resent", target->user.id);
    if (auto st = services.store.renew_invite(prepared->invite, prepared->mail, audit); !st) {
        call.done(error_response(st.error()));
        return;
    }
    call.done(json_response(200, {{"invite", invite_json(prepared->invite)}}));
}

// [SECTION] PATCH users/{id}

namespace {

// {"memberships":[{"agency_id"|"account_id","role"}, ...]}: each resolved and granted by core.
Result<std::vector<model::Membership>> parse_memberships(AppServices& services, const Call& call,
                                                         const std::string& agency_id, const nlohmann::json& list)
{
    if (!list.is_array() || list.empty())
        return api::make_error(api::ErrorCode::validation_failed,
                               "must list at least one membership (deactivate the user instead)", "memberships");
    std::vector<model::Membership> out;
    std::set<std::string> places;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto prefix = "memberships[" + std::to_string(i) + "].";
        const auto& item = list[i];
        if (auto st = only_fields(item, {"agency_id", "account_id", "role"}, prefix); !st)
            return st.error();
        auto agency_it = item.find("agency_id");
        auto account_it = item.find("account_id");
        if ((agency_it != item.end()) == (account_it != item.end()))
            return api::make_error(api::ErrorCode::validation_failed, "names the agency or one sub-account",
                                   prefix + "account_id");
        if (agency_it != item.end() && *agency_it != agency_id)
            return api::make_error(api::ErrorCode::validation_failed, "is not this agency", prefix + "agency_id");
        auto grant = resolve_grant(services, agency_id, item.value("role", nlohmann::json()),
                                   account_it != item.end() ? &*account_it : nullptr, prefix);
        if (!grant)
            return grant.error();
        if (!places.insert(grant->membership.account_id).second)
            return api::make_error(api::ErrorCode::validation_failed, "names one place twice", "memberships");
        switch (access::authorize_role_grant(call.auth->actor, grant->membership, grant->role)) {
        case access::Decision::allow:
            break;
        case access::Decision::forbidden:
            return api::make_error(api::ErrorCode::forbidden, "you do not have permission to do this");
        case access::Decision::not_found:
            return api::make_error(api::ErrorCode::not_found, "not found");
        }
        out.push_back(std::move(grant->membership));
    }
    return out;
}

} // namespace

void handle_user_patch(AppServices& services, Call call)
{
    auto agency = route_agency(services, call);
    if (!agency)
        return;
    auto target = route_user(services, call, agency->id);
    if (!target)
        return;
    auto body = nlohmann::json::parse(call.request.body, nullptr, false);
    if (body.is_discarded()) {
        call.done(error_response(api::ErrorCode::malformed_json, "the request body is not valid JSON"));
        return;
    }
    // Changing roles is critical (IAM-6): a fresh proof first, before the body's values are read.
    if (body.is_object() && body.contains("memberships"))
        if (auto st = require_recent_auth(*call.auth, services.clock()); !st) {
            call.done(error_response(st.error()));
            return;
        }
    if (auto st = only_fields(body, {"active", "memberships"}); !st) {
        call.done(error_response(st.error()));
        return;
    }
    std::optional<bool> active;
    if (auto it = body.find("active"); it != body.end()) {
        if (!it->is_boolean()) {
            call.done(error_response(api::ErrorCode::validation_failed, "must be true or false", "active"));
            return;
        }
        active = it->get<bool>();
        if (!*active && target->user.id == call.auth->user.id) {
            call.done(error_response(api::ErrorCode::conflict, "you cannot deactivate yourself", "active"));
            return;
        }
    }
    std::optional<std::vector<model::Membership>> memberships;
    if (auto it = body.find("memberships"); it != body.end()) {
        auto parsed = parse_memberships(services, call, agency->id, *it);
        if (!parsed) {
            call.done(error_response(parsed.error()));
            return;
        }
        memberships = std::move(*parsed);
    }
    const auto& user_id = target->user.id;
    if (memberships) {
        auto audit = admin_audit(services, call, agency->id, "user.memberships_changed", user_id);
        audit.details = {{"before", target->memberships}, {"after", *memberships}};
        if (auto st = services.store.replace_memberships(agency->id, user_id, *memberships, audit); !st) {
            call.done(error_response(st.error()));
            return;
        }
        services.hub.close_user(user_id); // its sockets were opened under the old roles
    }
    if (active && *active == target->deactivated) {
        auto audit = admin_audit(services, call, agency->id, *active ? "user.reactivated" : "user.deactivated", user_id);
        auto revoked = services.store.set_user_active(agency->id, user_id, *active, audit);
        if (!revoked) {
            call.done(error_response(revoked.error()));
            return;
        }
        for (const auto& hash : *revoked)
            services.hub.close_session(hash);
        services.hub.close_user(user_id);
    }
    auto shown = services.store.agency_user(agency->id, user_id);
    if (!shown) {
        call.done(not_found_response());
        return;
    }
    call.done(json_response(200, user_json(*shown, shown->memberships)));
}

} // namespace stronghold::server

// GET/PATCH /api/v1/accounts/{account_id}/security-policy (IAM-3, IAM-6): a sub-account's
// requirement of two-step verification for its members. Those with manage_security in the
// sub-account (core has_capability) read and change it; others who can open it 403, the rest
// 404 (the middleware's tenant scope). A change needs a recent re-authentication and If-Match,
// and writes account_security_policy.updated in the same transaction. Enforcement lives in
// restrictions.cpp: a member of such a sub-account is sent to enrolment like under an agency
// requirement.
#include "app/handlers.hpp"

#include "app/reauth.hpp"
#include "stronghold/access/authorize.hpp"

namespace stronghold::server {

namespace {

nlohmann::json account_policy_json(const model::Account& account, const AccountSecurityPolicy& p)
{
    return {{"account_id", account.id},
            {"require_2fa", p.require_2fa},
            {"sensitive_data_policy", p.sensitive_data_policy == validate::SensitivePolicy::mask ? "mask" : "refuse"},
            {"version", p.version},
            {"updated_at", p.version == 0 ? nlohmann::json(nullptr) : nlohmann::json(model::format_iso8601(p.updated_at))}};
}

Response account_policy_response(int status, const model::Account& account, const AccountSecurityPolicy& p)
{
    auto r = json_response(status, account_policy_json(account, p));
    r.set_header("ETag", strong_etag(p.version));
    return r;
}

Response stale_account_policy(const model::Account& account, const AccountSecurityPolicy& current)
{
    auto body = api::to_json(
        api::make_error(api::ErrorCode::precondition_failed, "the security policy has changed since you read it"));
    body["current"] = account_policy_json(account, current);
    auto r = json_response(412, body);
    r.set_header("ETag", strong_etag(current.version));
    return r;
}

bool may_manage_security(Call& call)
{
    if (access::has_capability(call.auth->actor, access::Capability::manage_security, call.account->agency_id,
                               call.account->id))
        return true;
    call.done(error_response(api::ErrorCode::forbidden, "you do not have permission to do this"));
    return false;
}

} // namespace

void handle_account_security_policy_get(AppServices& services, Call call)
{
    if (!may_manage_security(call))
        return;
    call.done(account_policy_response(200, *call.account, services.store.account_security_policy(call.account->id)));
}

void handle_account_security_policy_patch(AppServices& services, Call call)
{
    if (!may_manage_security(call))
        return;
    const auto now = services.clock();
    if (auto st = require_recent_auth(*call.auth, now); !st) {
        call.done(error_response(st.error()));
        return;
    }
    auto patch = nlohmann::json::parse(call.request.body, nullptr, false);
    if (patch.is_discarded()) {
        call.done(error_response(api::ErrorCode::malformed_json, "the request body is not valid JSON"));
        return;
    }
    if (!patch.is_object()) {
        call.done(error_response(api::ErrorCode::validation_failed, "expected a JSON object", "body"));
        return;
    }
    const auto& account = *call.account;
    const auto before = services.store.account_security_policy(account.id);
    auto after = before;
    for (const auto& [key, value] : patch.items()) {
        if (key == "sensitive_data_policy") { // CRM-5: refuse or mask card numbers, IBANs, SSNs, passports
            if (value != "refuse" && value != "mask") {
                call.done(error_response(api::ErrorCode::validation_failed, "must be refuse or mask", key));
                return;
            }
            after.sensitive_data_policy = value == "mask" ? validate::SensitivePolicy::mask : validate::SensitivePolicy::refuse;
            continue;
        }
        if (key != "require_2fa") {
            call.done(error_response(api::ErrorCode::validation_failed, "is not a known field", key));
            return;
        }
        if (!value.is_boolean()) {
            call.done(error_response(api::ErrorCode::validation_failed, "must be true or false", key));
            return;
        }
        after.require_2fa = value.get<bool>();
    }
    auto current = if_match_current(call.request, before.version);
    if (!current) {
        call.done(error_response(current.error()));
        return;
    }
    if (!*current) {
        call.done(stale_account_policy(account, before));
        return;
    }
    if (after.require_2fa == before.require_2fa && after.sensitive_data_policy == before.sensitive_data_policy) {
        // nothing to write: no version bump, no audit row
        call.done(account_policy_response(200, account, before));
        return;
    }
    AuditEntry audit;
    audit.at = now;
    audit.agency_id = account.agency_id;
    audit.account_id = account.id;
    audit.actor = call.actor_ref();
    audit.action = "account_security_policy.updated";
    audit.target_type = "account";
    audit.target_id = account.id;
    const auto name = [](validate::SensitivePolicy p) { return p == validate::SensitivePolicy::mask ? "mask" : "refuse"; };
    audit.details = {{"fields", nlohmann::json::array()}, {"changes", nlohmann::json::object()}};
    if (after.require_2fa != before.require_2fa) {
        audit.details["fields"].push_back("require_2fa");
        audit.details["changes"]["require_2fa"] = {{"old", before.require_2fa}, {"new", after.require_2fa}};
    }
    if (after.sensitive_data_policy != before.sensitive_data_policy) {
        audit.details["fields"].push_back("sensitive_data_policy");
        audit.details["changes"]["sensitive_data_policy"] = {{"old", name(before.sensitive_data_policy)},
                                                             {"new", name(after.sensitive_data_policy)}};
    }
    auto saved = services.store.update_account_security_policy(call.scope(), after, before.version, now, audit);
    if (!saved) {
        if (saved.error().code == api::ErrorCode::precondition_failed)
            call.done(stale_account_policy(account, services.store.account_security_policy(account.id)));
        else
            call.done(error_response(saved.error()));
        return;
    }
    call.done(account_policy_response(200, account, *saved));
}

} // namespace stronghold::server

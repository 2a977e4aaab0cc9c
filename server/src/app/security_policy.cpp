// GET/PATCH /api/v1/agencies/{agency_id}/security-policy (IAM-2, IAM-3, IAM-5, IAM-6): the
// agency's password policy, 2FA requirement, session timeouts and whether platform staff's
// just-in-time access grants wait for approval (ACC-3, jita_requires_approval). Agency owners and admins
// read and change it (others in the agency 403, outsiders 404); a change is a critical action
// (re-authentication within 5 minutes) and, like a record, names the version it was based on
// (If-Match; 428 without, 412 when stale). Every change writes security_policy.updated with
// the changed fields' old and new values (settings, never secrets).
#include "app/handlers.hpp"

#include "app/reauth.hpp"
#include "stronghold/access/admin.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/validate/password.hpp"
#include "stronghold/validate/session.hpp"

#include <string>
#include <utility>

namespace stronghold::server {

namespace {

constexpr std::size_t k_nist_min_length = 15;

const char* profile_name(validate::PasswordProfile p)
{
    return p == validate::PasswordProfile::nist ? "nist_800_63b" : "classic";
}

nlohmann::json policy_json(const std::string& agency_id, const SecurityPolicy& p)
{
    return {{"agency_id", agency_id},
            {"password_profile", profile_name(p.password.profile)},
            {"password_min_length", p.password.min_length},
            {"password_required_classes", validate::password_class_names(p.password.required_classes)},
            {"password_history", p.password.history_count},
            {"password_max_age_days", p.password.max_age_days},
            {"require_2fa", p.require_2fa},
            {"session_idle_minutes", p.session_idle_minutes},
            {"session_absolute_hours", p.session_absolute_hours},
            {"jita_requires_approval", p.jita_requires_approval},
            {"version", p.version},
            {"updated_at", p.version == 0 ? nlohmann::json(nullptr) : nlohmann::json(model::format_iso8601(p.updated_at))}};
}

Response policy_response(int status, const std::string& agency_id, const SecurityPolicy& p)
{
    auto r = json_response(status, policy_json(agency_id, p));
    r.set_header("ETag", strong_etag(p.version));
    return r;
}

// An integer field of the patch within [lo, hi]; 422 naming it otherwise.
Result<std::int64_t> int_field(const nlohmann::json& value, const char* field, std::int64_t lo, std::int64_t hi)
{
    if (!value.is_number_integer())
        return api::make_error(api::ErrorCode::validation_failed, "must be a whole number", field);
    auto v = value.get<std::int64_t>();
    if (v < lo || v > hi)
        return api::make_error(api::ErrorCode::validation_failed,
                               "must be between " + std::to_string(lo) + " and " + std::to_string(hi), field);
    return v;
}

// Applies a JSON merge patch of the writable fields to `p`. Choosing a profile without giving
// the length or classes in the same patch applies that profile's preset (the one-click NIST
// 800-63B choice); null is refused (every field has a value; the defaults are explicit numbers).
Status apply_patch(const nlohmann::json& patch, SecurityPolicy& p)
{
    if (!patch.is_object())
        return api::make_error(api::ErrorCode::validation_failed, "expected a JSON object", "body");
    for (const auto& [key, value] : patch.items()) {
        if (key == "password_profile") {
            if (!value.is_string() || (value != "classic" && value != "nist_800_63b"))
                return api::make_error(api::ErrorCode::validation_failed, "must be \"classic\" or \"nist_800_63b\"", key);
            const bool nist = value == "nist_800_63b";
            const auto preset = nist ? validate::PasswordPolicy::nist_800_63b() : validate::PasswordPolicy::classic();
            p.password.profile = preset.profile;
            if (!patch.contains("password_min_length"))
                p.password.min_length = preset.min_length;
            if (!patch.contains("password_required_classes"))
                p.password.required_classes = preset.required_classes;
        } else if (key == "password_min_length") {
            auto v = int_field(value, "password_min_length", 0, 1'000'000);
            if (!v)
                return v.error();
            p.password.min_length = static_cast<std::size_t>(*v);
        } else if (key == "password_required_classes") {
            if (!value.is_array())
                return api::make_error(api::ErrorCode::validation_failed, "must be a list of character classes", key);
            std::vector<std::string> names;
            for (const auto& n : value) {
                if (!n.is_string())
                    return api::make_error(api::ErrorCode::validation_failed, "must be a list of character classes", key);
                names.push_back(n.get<std::string>());
            }
            auto classes = validate::password_classes_from_names(names);
            if (!classes)
                return api::make_error(api::ErrorCode::validation_failed,
                                       "may hold only \"lower\", \"upper\", \"digit\" and \"special\", each once", key);
            p.password.required_classes = *classes;
        } else if (key == "password_history") {
            auto v = int_field(value, "password_history", 0, validate::k_password_history_max);
            if (!v)
                return v.error();
            p.password.history_count = static_cast<int>(*v);
        } else if (key == "password_max_age_days") {
            auto v = int_field(value, "password_max_age_days", 0, validate::k_password_max_age_days_max);
            if (!v)
                return v.error();
            p.password.max_age_days = static_cast<int>(*v);
        } else if (key == "require_2fa" || key == "jita_requires_approval") {
            if (!value.is_boolean())
                return api::make_error(api::ErrorCode::validation_failed, "must be true or false", key);
            (key == "require_2fa" ? p.require_2fa : p.jita_requires_approval) = value.get<bool>();
        } else if (key == "session_idle_minutes") {
            auto v = int_field(value, "session_idle_minutes", validate::k_session_idle_minutes.min, validate::k_session_idle_minutes.max);
            if (!v)
                return v.error();
            p.session_idle_minutes = *v;
        } else if (key == "session_absolute_hours") {
            auto v = int_field(value, "session_absolute_hours", validate::k_session_absolute_hours.min, validate::k_session_absolute_hours.max);
            if (!v)
                return v.error();
            p.session_absolute_hours = *v;
        } else {
            return api::make_error(api::ErrorCode::validation_failed, "is not a known field", key);
        }
    }
    // The core bounds (the same the dashboard shows), then the rule the profile adds.
    if (auto st = validate::validate_policy(p.password); !st)
        return st;
    if (p.password.profile == validate::PasswordProfile::nist && p.password.min_length < k_nist_min_length)
        return api::make_error(api::ErrorCode::validation_failed,
                               "must be at least 15 with the NIST 800-63B profile", "password_min_length");
    return {};
}

Response stale_response(const std::string& agency_id, const SecurityPolicy& current)
{
    auto body = api::to_json(api::make_error(api::ErrorCode::precondition_failed, "the security policy has changed since you read it"));
    body["current"] = policy_json(agency_id, current);
    auto r = json_response(412, body);
    r.set_header("ETag", strong_etag(current.version));
    return r;
}

// {"field": {"old": ..., "new": ...}} for every field the change touches (names only when equal).
nlohmann::json changes_of(const std::string& agency_id, const SecurityPolicy& before, const SecurityPolicy& after)
{
    auto b = policy_json(agency_id, before);
    auto a = policy_json(agency_id, after);
    auto out = nlohmann::json::object();
    for (const auto& [key, value] : a.items()) {
        if (key == "agency_id" || key == "version" || key == "updated_at")
            continue;
        if (b[key] != value)
            out[key] = {{"old", b[key]}, {"new", value}};
    }
    return out;
}

} // namespace

void handle_security_policy_get(AppServices& services, Call call)
{
    if (!authorize_agency_security(services, call))
        return;
    const auto agency_id = call.param("agency_id");
    call.done(policy_response(200, agency_id, services.store.security_policy(agency_id)));
}

void handle_security_policy_patch(AppServices& services, Call call)
{
    if (!authorize_agency_security(services, call))
        return;
    const auto now = services.clock();
    if (auto st = require_recent_auth(*call.auth, now); !st) {
        call.done(error_response(st.error()));
        return;
    }
    const auto agency_id = call.param("agency_id");
    auto patch = nlohmann::json::parse(call.request.body, nullptr, false);
    if (patch.is_discarded()) {
        call.done(error_response(api::ErrorCode::malformed_json, "the request body is not valid JSON"));
        return;
    }
    const auto before = services.store.security_policy(agency_id);
    auto after = before;
    if (auto st = apply_patch(patch, after); !st) {
        call.done(error_response(st.error()));
        return;
    }
    auto current = if_match_current(call.request, before.version);
    if (!current) {
        call.done(error_response(current.error()));
        return;
    }
    if (!*current) {
        call.done(stale_response(agency_id, before));
        return;
    }
    const auto changes = changes_of(agency_id, before, after);
    if (changes.empty()) { // nothing to write: no version bump, no audit row
        call.done(policy_response(200, agency_id, before));
        return;
    }
    AuditEntry audit;
    audit.at = now;
    audit.agency_id = agency_id;
    audit.actor = call.actor_ref();
    audit.action = "security_policy.updated";
    audit.target_type = "agency";
    audit.target_id = agency_id;
    auto fields = nlohmann::json::array();
    for (const auto& [key, _] : changes.items())
        fields.push_back(key);
    audit.details = {{"fields", fields}, {"changes", changes}};
    auto saved = services.store.update_security_policy(agency_id, after, before.version, now, audit);
    if (!saved) {
        // Lost a race with another admin between our read and the write: as a stale If-Match.
        if (saved.error().code == api::ErrorCode::precondition_failed)
            call.done(stale_response(agency_id, services.store.security_policy(agency_id)));
        else
            call.done(error_response(saved.error()));
        return;
    }
    call.done(policy_response(200, agency_id, *saved));
}

} // namespace stronghold::server

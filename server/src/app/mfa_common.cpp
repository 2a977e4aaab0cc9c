#include "app/mfa.hpp"

#include "app/reauth.hpp"
#include "auth/secret_store.hpp"
#include "auth/totp.hpp"
#include "util/log.hpp"

namespace stronghold::server {

std::string totp_secret_context(std::string_view user_id)
{
    return "user_totp.secret:" + std::string(user_id);
}

bool verify_and_consume_totp(AppServices& services, const std::string& user_id, std::string_view code)
{
    auto totp = services.store.find_totp(user_id);
    if (!totp || !totp->enabled)
        return false;
    auto secret = services.secrets->open(totp_secret_context(user_id), totp->sealed_secret);
    if (!secret) {
        log::error("2fa.secret_unreadable", {{"user_id", user_id}});
        return false;
    }
    auto step = auth::totp_match(*secret, code, services.clock());
    // The step check in the store is the replay guard; the read above is only a fast path.
    return step && *step > totp->last_step && services.store.consume_totp_step(user_id, *step).ok();
}

bool verify_and_consume_recovery_code(AppServices& services, const std::string& user_id, std::string_view typed)
{
    auto canonical = auth::normalize_recovery_code(typed);
    if (!canonical)
        return false;
    return services.store.consume_recovery_code(user_id, auth::recovery_code_hash(user_id, *canonical), services.clock())
        .ok();
}

std::optional<std::string> string_member(const nlohmann::json& body, const char* name)
{
    if (!body.is_object())
        return std::nullopt;
    auto it = body.find(name);
    if (it == body.end() || !it->is_string())
        return std::nullopt;
    return it->get<std::string>();
}

Status require_recent_auth(const AuthContext& auth, model::UnixMillis now)
{
    if (now - auth.session.reauth_at > k_reauth_window_ms)
        return api::make_error(api::ErrorCode::reauth_required, "Confirm it is you: enter your password or a code.");
    return {};
}

} // namespace stronghold::server

// New-password rules (IAM-2): see password_rules.hpp.
#include "app/password_rules.hpp"

#include "stronghold/crypto/crypto.hpp"
#include "stronghold/validate/password.hpp"

namespace stronghold::server {

Status check_new_password(AppServices& services, const model::User& user, const std::string& agency_id,
                          const std::string& password)
{
    validate::PasswordContext context;
    context.email = user.email;
    context.user_name = user.name;
    if (auto agency = services.store.find_agency(agency_id))
        context.brand_names.push_back(agency->name);
    const auto policy = services.store.security_policy(agency_id).password;
    auto verdict = validate::evaluate(policy, password, context);
    if (verdict.ok)
        return {};
    const std::string message =
        verdict.problems.empty() ? std::string("is not acceptable") : verdict.problems.front().message;
    return api::make_error(api::ErrorCode::validation_failed, message, "new_password");
}

bool reuses_recent_password(AppServices& services, const std::string& user_id, const std::string& agency_id,
                            const std::string& current_hash, const std::string& password)
{
    // The current one and the N-1 before it.
    const int history = services.store.security_policy(agency_id).password.history_count;
    if (history <= 0)
        return false;
    auto pool = services.store.previous_password_hashes(user_id, static_cast<std::size_t>(history - 1));
    if (!current_hash.empty())
        pool.insert(pool.begin(), current_hash);
    for (const auto& old_hash : pool)
        if (crypto::password_verify(old_hash, password))
            return true;
    return false;
}

} // namespace stronghold::server

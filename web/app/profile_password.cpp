// The change-password form's live feedback: the core's policy evaluator, the same code the
// server runs on POST /api/v1/me/password (IAM-2), so the browser never disagrees with it.
#include "app/profile.hpp"

#include <stronghold/validate/password.hpp>

namespace stronghold::web::app {
namespace {

// The core's messages follow the field name ("password must be at least 8 characters"); in a
// list under the field they read better on their own: "Must be at least 8 characters".
std::string standalone(std::string message) {
    constexpr std::string_view prefix = "password ";
    if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
    if (!message.empty() && message[0] >= 'a' && message[0] <= 'z') message[0] = static_cast<char>(message[0] - 'a' + 'A');
    return message;
}

} // namespace

PasswordFeedback evaluate_password(const std::string& password, const std::string& email, const std::string& name,
                                   const std::vector<std::string>& brand_names) {
    const validate::PasswordContext context{.email = email, .user_name = name, .brand_names = brand_names};
    const validate::PasswordVerdict verdict = validate::evaluate(validate::PasswordPolicy::classic(), password, context);
    PasswordFeedback out;
    out.ok = verdict.ok;
    out.strength = verdict.strength;
    for (const auto& p : verdict.problems) out.problems.push_back(standalone(p.message));
    return out;
}

} // namespace stronghold::web::app

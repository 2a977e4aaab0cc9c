#include "app/session.hpp"

#include <stronghold/access/admin.hpp>

#include <algorithm>

namespace stronghold::web::app {
namespace {
std::string str(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
} // namespace

bool Me::can(const std::string& account_id, access::Action action) const {
    auto it = permissions.find(account_id);
    return it != permissions.end() && it->second.count(std::string(access::to_string(action))) > 0;
}

access::Actor Me::actor() const { return access::Actor{user_id, memberships}; }

std::vector<std::string> Me::security_agencies() const {
    const access::Actor a = actor();
    std::vector<std::string> out;
    for (const auto& m : memberships)
        if (!m.agency_id.empty() && std::find(out.begin(), out.end(), m.agency_id) == out.end() &&
            access::can_manage_security(a, m.agency_id))
            out.push_back(m.agency_id);
    return out;
}

const AccountRef* Me::account(const std::string& id) const {
    for (const auto& a : accounts)
        if (a.id == id) return &a;
    return nullptr;
}

std::optional<Me> me_from_json(const nlohmann::json& body) {
    if (!body.is_object()) return std::nullopt;
    auto user = body.find("user");
    if (user == body.end() || !user->is_object()) return std::nullopt;
    Me me;
    me.user_id = str(*user, "id");
    me.email = str(*user, "email");
    me.name = str(*user, "name");
    if (me.user_id.empty()) return std::nullopt;
    if (auto accounts = body.find("accounts"); accounts != body.end() && accounts->is_array()) {
        for (const auto& a : *accounts) {
            AccountRef ref{str(a, "id"), str(a, "name"), str(a, "agency_id")};
            if (!ref.id.empty()) me.accounts.push_back(std::move(ref));
        }
    }
    if (auto list = body.find("memberships"); list != body.end() && list->is_array()) {
        for (const auto& m : *list)
            if (auto parsed = model::membership_from_json(m)) me.memberships.push_back(std::move(*parsed));
    }
    if (auto perms = body.find("permissions"); perms != body.end() && perms->is_object()) {
        for (const auto& [account_id, list] : perms->items()) {
            if (!list.is_array()) continue;
            auto& set = me.permissions[account_id];
            for (const auto& p : list)
                if (p.is_string()) set.insert(p.get<std::string>());
        }
    }
    return me;
}

} // namespace stronghold::web::app

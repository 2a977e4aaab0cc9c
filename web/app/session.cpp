#include "app/session.hpp"

#include "app/wire_read.hpp"

#include <stronghold/access/admin.hpp>

#include <algorithm>

namespace stronghold::web::app {
using wire::str;

bool Me::can(const std::string& account_id, access::Action action) const {
    auto it = permissions.find(account_id);
    return it != permissions.end() && it->second.count(std::string(access::to_string(action))) > 0;
}

access::Actor Me::actor() const { return access::Actor{user_id, memberships, roles, teams}; }

namespace {
// The agencies of the user's agency-wide memberships for which `rule` holds, in /me order.
template <class Rule>
std::vector<std::string> agencies_where(const Me& me, Rule rule) {
    const access::Actor a = me.actor();
    std::vector<std::string> out;
    for (const auto& m : me.memberships)
        if (!m.agency_id.empty() && std::find(out.begin(), out.end(), m.agency_id) == out.end() && rule(a, m.agency_id))
            out.push_back(m.agency_id);
    return out;
}
} // namespace

std::vector<std::string> Me::security_agencies() const { return agencies_where(*this, access::can_manage_security); }
std::vector<std::string> Me::user_agencies() const { return agencies_where(*this, access::can_manage_users); }
std::vector<std::string> Me::role_agencies() const { return agencies_where(*this, access::can_manage_roles); }
std::vector<std::string> Me::event_agencies() const {
    return agencies_where(*this, [](const access::Actor& a, std::string_view agency) {
        return access::has_capability(a, access::Capability::view_audit_log, agency);
    });
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
    // A sub-account membership names only the sub-account; the core's rules also want its agency.
    for (auto& m : me.memberships)
        if (!m.account_id.empty() && m.account_agency_id.empty())
            if (const AccountRef* a = me.account(m.account_id)) m.account_agency_id = a->agency_id;
    if (auto roles = body.find("roles"); roles != body.end() && roles->is_array()) {
        for (const auto& r : *roles)
            if (auto parsed = access::role_from_json(r)) me.roles.push_back(std::move(*parsed));
    }
    if (auto teams = body.find("teams"); teams != body.end() && teams->is_array()) {
        for (const auto& t : *teams)
            if (auto parsed = access::team_from_json(t)) me.teams.push_back(std::move(*parsed));
    }
    if (auto staff = body.find("staff"); staff != body.end() && staff->is_object()) me.staff_role = str(*staff, "role");
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

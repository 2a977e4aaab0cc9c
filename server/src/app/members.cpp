// The member directory of a sub-account (CRM-1 owner pickers, bulk "Assign to..."):
// GET /api/v1/accounts/{account_id}/members -> {"members":[{"id","name"}]} sorted by name.
// Who: every user whose memberships open the sub-account (agency-wide roles included), not
// deactivated in its agency. Readable by any member (the middleware answered 404 to anyone who
// cannot open the sub-account, another tenant included); emails are added only for a caller who
// may manage users there (core has_capability manage_users), as the users screen would show them.
#include "app/handlers.hpp"

#include <algorithm>

namespace stronghold::server {

void handle_members_list(AppServices& services, Call call)
{
    const auto& account = *call.account;
    const bool with_email =
        access::has_capability(call.auth->actor, access::Capability::manage_users, account.agency_id, account.id);
    std::vector<const AgencyUser*> shown;
    const auto users = services.store.users_of_agency(account.agency_id);
    for (const auto& u : users) {
        if (u.deactivated || !u.user.active)
            continue;
        const access::Actor member{u.user.id, u.memberships};
        if (access::can_open_account(member, account.agency_id, account.id))
            shown.push_back(&u);
    }
    // By name (case-insensitive), then id: the order of a picker.
    const auto key = [](const AgencyUser* u) {
        std::string k = u->user.name.empty() ? std::string("~") : u->user.name; // nameless last
        std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return k;
    };
    std::sort(shown.begin(), shown.end(), [&](const AgencyUser* a, const AgencyUser* b) {
        const auto ka = key(a), kb = key(b);
        return ka != kb ? ka < kb : a->user.id < b->user.id;
    });
    auto members = nlohmann::json::array();
    for (const auto* u : shown) {
        // A user without a name: "Teammate" (no part of the address leaks to those who may not see it).
        std::string name = u->user.name;
        if (name.empty())
            name = with_email ? u->user.email : "Teammate";
        nlohmann::json m = {{"id", u->user.id}, {"name", name}};
        if (with_email)
            m["email"] = u->user.email;
        members.push_back(std::move(m));
    }
    call.done(json_response(200, {{"members", members}}));
}

} // namespace stronghold::server

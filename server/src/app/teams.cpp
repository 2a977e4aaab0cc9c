// Teams API (ACC-1 "team" record scope; server/doc/admin-api.md "Teams"): the teams of a
// sub-account. The middleware resolved the sub-account (404 for anyone who cannot open it);
// reading needs nothing more, changes need manage_users there (403). Members must be users whose
// memberships reach the sub-account (422, field member_ids). A change counts from the members'
// next request (the actor's teams are loaded per request).
#include "app/handlers.hpp"

#include "app/middleware.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/validate/text.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace stronghold::server {

namespace {

constexpr std::size_t k_max_members = 1000;

nlohmann::json team_json(const StoredTeam& t)
{
    nlohmann::json j = t.team;
    j["version"] = t.version;
    return j;
}

Response team_response(int status, const StoredTeam& t)
{
    auto r = json_response(status, team_json(t));
    r.set_header("ETag", strong_etag(t.version));
    return r;
}

Response stale_response(const StoredTeam& current)
{
    auto body = api::to_json(api::make_error(api::ErrorCode::precondition_failed, "the team has changed since you read it"));
    body["current"] = team_json(current);
    auto r = json_response(412, body);
    r.set_header("ETag", strong_etag(current.version));
    return r;
}

api::Error invalid(std::string message, std::string field)
{
    return api::make_error(api::ErrorCode::validation_failed, std::move(message), std::move(field));
}

bool may_manage_teams(const Call& call)
{
    return access::has_capability(call.auth->actor, access::Capability::manage_users, call.account->agency_id,
                                  call.account->id);
}

// Strict reader of a create (base null: name required) or merge-patch body: only "name" and
// "member_ids"; every member must be able to open the sub-account.
Result<access::Team> team_from_request(AppServices& services, const Call& call, const access::Team* base)
{
    auto body = nlohmann::json::parse(call.request.body, nullptr, false);
    if (body.is_discarded())
        return api::make_error(api::ErrorCode::malformed_json, "the request body is not valid JSON");
    if (!body.is_object())
        return invalid("expected a JSON object", "body");
    access::Team team = base ? *base : access::Team{};
    for (const auto& [key, value] : body.items())
        if (key != "name" && key != "member_ids")
            return invalid("unknown or read-only field", key);
    if (auto it = body.find("name"); it != body.end()) {
        if (!it->is_string())
            return invalid("must be a string", "name");
        auto name = validate::name("name", it->get<std::string>(), 80, true);
        if (!name)
            return name.error();
        team.name = std::move(*name);
    } else if (!base) {
        return invalid("is required", "name");
    }
    if (auto it = body.find("member_ids"); it != body.end()) {
        if (!it->is_array() || it->size() > k_max_members)
            return invalid("must be an array of at most 1000 user ids", "member_ids");
        team.member_ids.clear();
        for (const auto& id : *it) {
            if (!id.is_string() || !crypto::is_id(id.get<std::string>(), "us"))
                return invalid("must be an array of user ids", "member_ids");
            const auto user_id = id.get<std::string>();
            // The same reach rule as every request: a member must be able to open this sub-account.
            const access::Actor member{user_id, services.store.memberships_of(user_id)};
            if (!access::can_open_account(member, call.account->agency_id, call.account->id))
                return invalid(user_id + " is not a member of this sub-account", "member_ids");
            team.member_ids.push_back(user_id);
        }
        std::sort(team.member_ids.begin(), team.member_ids.end());
        team.member_ids.erase(std::unique(team.member_ids.begin(), team.member_ids.end()), team.member_ids.end());
    }
    return team;
}

AuditEntry team_audit(AppServices& services, const Call& call, const char* action, const access::Team& team)
{
    AuditEntry audit;
    audit.at = services.clock();
    audit.agency_id = call.account->agency_id;
    audit.account_id = call.account->id;
    audit.actor = call.actor_ref();
    audit.action = action;
    audit.target_type = "team";
    audit.target_id = team.id;
    audit.details = {{"name", team.name}, {"member_ids", team.member_ids}};
    return audit;
}

// The {id} team of the call's sub-account; answers 404 itself when there is none.
std::optional<StoredTeam> team_of_path(AppServices& services, Call& call)
{
    const auto id = call.param("id");
    auto team = crypto::is_id(id, "tm") ? services.store.find_team(call.account->id, id) : std::nullopt;
    if (!team)
        call.done(not_found_response());
    return team;
}

Response store_failure(AppServices& services, const Call& call, const api::Error& e, const std::string& team_id)
{
    if (e.code == api::ErrorCode::precondition_failed)
        if (auto now = services.store.find_team(call.account->id, team_id))
            return stale_response(*now);
    return e.code == api::ErrorCode::not_found ? not_found_response() : error_response(e);
}

} // namespace

void handle_teams_list(AppServices& services, Call call)
{
    auto items = nlohmann::json::array();
    for (const auto& t : services.store.teams_of_account(call.account->id))
        items.push_back(team_json(t));
    call.done(json_response(200, {{"items", items}}));
}

void handle_team_create(AppServices& services, Call call)
{
    if (!may_manage_teams(call))
        return call.done(error_response(api::ErrorCode::forbidden, "you do not have permission to do this"));
    auto team = team_from_request(services, call, nullptr);
    if (!team)
        return call.done(error_response(team.error()));
    team->id = crypto::random_id("tm");
    team->account_id = call.account->id;
    auto saved = services.store.create_team(*team, services.clock(), team_audit(services, call, "team.create", *team));
    if (!saved)
        return call.done(error_response(saved.error()));
    auto r = team_response(201, *saved);
    r.set_header("Location", "/api/v1/accounts/" + call.account->id + "/teams/" + saved->team.id);
    call.done(std::move(r));
}

void handle_team_patch(AppServices& services, Call call)
{
    if (!may_manage_teams(call))
        return call.done(error_response(api::ErrorCode::forbidden, "you do not have permission to do this"));
    auto current = team_of_path(services, call);
    if (!current)
        return;
    auto after = team_from_request(services, call, &current->team);
    if (!after)
        return call.done(error_response(after.error()));
    auto fresh = if_match_current(call.request, current->version);
    if (!fresh)
        return call.done(error_response(fresh.error()));
    if (!*fresh)
        return call.done(stale_response(*current));
    if (*after == current->team) // nothing changes: no version bump, no audit row
        return call.done(team_response(200, *current));
    auto saved = services.store.update_team(*after, current->version, services.clock(),
                                            team_audit(services, call, "team.update", *after));
    if (!saved)
        return call.done(store_failure(services, call, saved.error(), current->team.id));
    call.done(team_response(200, *saved));
}

void handle_team_delete(AppServices& services, Call call)
{
    if (!may_manage_teams(call))
        return call.done(error_response(api::ErrorCode::forbidden, "you do not have permission to do this"));
    auto current = team_of_path(services, call);
    if (!current)
        return;
    // If-Match is optional, as for roles; when sent it must be current.
    auto expected = optional_if_match(call.request, current->version);
    if (!expected)
        return call.done(stale_response(*current));
    auto st = services.store.delete_team(call.account->id, current->team.id, *expected,
                                         team_audit(services, call, "team.delete", current->team));
    if (!st)
        return call.done(store_failure(services, call, st.error(), current->team.id));
    Response r;
    r.status = 204;
    call.done(std::move(r));
}

} // namespace stronghold::server

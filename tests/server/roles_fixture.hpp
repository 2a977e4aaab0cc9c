// Shared by the roles/teams API tests and the generated authorization matrix (ACC-1, ACC-2):
// ApiFixture plus users with any membership (custom roles included), roles and teams made
// through the API, and the error body readers.
#pragma once

#include "api_fixture.hpp"

#include "stronghold/crypto/crypto.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace stronghold::server::test {

inline std::string error_code_of(const Response& r)
{
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}

inline std::string error_field_of(const Response& r)
{
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("field", "") : "";
}

inline Headers if_match(std::int64_t version)
{
    return {{"If-Match", "\"" + std::to_string(version) + "\""}};
}

struct RolesFixture : ApiFixture {
    std::string roles_path(const std::string& agency) { return "/api/v1/agencies/" + agency + "/roles"; }
    std::string teams_path(const std::string& account) { return "/api/v1/accounts/" + account + "/teams"; }

    // A user (password k_password) with one membership: agency-wide when account_id is empty.
    std::string add_member(const std::string& email, const std::string& agency_id, const std::string& account_id,
                           const std::string& role_ref)
    {
        model::Membership m;
        if (account_id.empty())
            m.agency_id = agency_id;
        else {
            m.account_id = account_id;
            m.account_agency_id = agency_id;
        }
        if (access::is_custom_role_id(role_ref)) {
            m.role = model::Role::custom;
            m.role_id = role_ref;
        } else {
            m.role = *model::role_from_string(role_ref);
        }
        model::User u;
        u.id = crypto::random_id("us");
        u.email = email;
        u.name = email.substr(0, email.find('@'));
        u.created_at = 1;
        m.user_id = u.id;
        auto made = store->create_user(u, crypto::password_hash(k_password, {1, 1u << 20}), m, {"cli", "", "", ""});
        BOOST_REQUIRE_MESSAGE(made.ok(), "create_user " + email);
        return made->id;
    }

    // POSTs a role as `session` and returns its JSON (fails the test unless 201).
    nlohmann::json create_role(const std::string& session, const std::string& agency_id, const nlohmann::json& body)
    {
        auto r = call("POST", roles_path(agency_id), body.dump(), {}, session);
        BOOST_REQUIRE_MESSAGE(r.status == 201, "create role -> " + std::to_string(r.status) + " " + r.body);
        return nlohmann::json::parse(r.body);
    }

    nlohmann::json create_team(const std::string& session, const std::string& account_id, const nlohmann::json& body)
    {
        auto r = call("POST", teams_path(account_id), body.dump(), {}, session);
        BOOST_REQUIRE_MESSAGE(r.status == 201, "create team -> " + std::to_string(r.status) + " " + r.body);
        return nlohmann::json::parse(r.body);
    }
};

} // namespace stronghold::server::test

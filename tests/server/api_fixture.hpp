// In-process harness for the API tests: a real SQLite store in a temp dir, an HttpApp over it
// with a movable clock, two agencies with sub-accounts and users of several roles, and a
// synchronous call() that waits for App::handle's completion.
#pragma once

#include "app/http_app.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace stronghold::api {
// Lets BOOST_TEST print error codes by name (Boost.Test's customisation point, found by ADL).
inline std::ostream& boost_test_print_type(std::ostream& os, ErrorCode code)
{
    return os << to_string(code);
}
} // namespace stronghold::api

namespace stronghold::server::test {

inline constexpr const char* k_host = "localhost:8443";
inline constexpr const char* k_origin = "https://localhost:8443";
inline constexpr const char* k_password = "Correct-Horse-9!";

struct TempDir {
    TempDir();
    ~TempDir();
    std::filesystem::path path;
};

struct Headers : std::vector<std::pair<std::string, std::string>> {
    using vector::vector;
};

// A user with one membership and the test password, stored directly; returns the user id.
std::string add_user(Store& store, const std::string& email, model::Membership m);

struct ApiFixture {
    ApiFixture();
    ~ApiFixture();

    // Sends one request (Host set; JSON Content-Type when body is non-empty unless given; the
    // cookie of `session` when non-empty) and waits for the response.
    Response call(const std::string& method, const std::string& target, const std::string& body = {},
                  Headers headers = {}, const std::string& session = {});
    // Logs in; returns the session token (fails the test when login does not succeed).
    std::string login(const std::string& email, const std::string& password = k_password);
    // Creates a contact through the API as `session`; returns its JSON.
    nlohmann::json create_contact(const std::string& session, const std::string& account_id,
                                  const nlohmann::json& body);
    // (Re)starts the app over the same store. security_responses=false: security events are still
    // recorded, but no source is ever blocked (for tests that walk many refusals on purpose).
    void make_app(bool security_responses = true);
    std::size_t audit_count(const std::string& agency_id, const std::string& action);
    std::size_t version_count(const std::string& contact_id); // rows in contact_versions

    TempDir dir;
    std::unique_ptr<Store> store;
    std::atomic<model::UnixMillis> now{1'800'000'000'000};
    std::atomic<bool> clock_throws{false}; // makes the app's clock throw (to provoke a 500)
    std::unique_ptr<HttpApp> app;

    // Agency A: owner (agency_owner), sub-accounts a1, a2; a1 has an account_user, an account
    // read_only and an agency_user assigned to a1 only. Agency B: owner, sub-account b1.
    std::string agency_a, account_a1, account_a2, agency_b, account_b1;
    std::string owner_a = "owner@a.test", user_a1 = "user@a1.test", reader_a1 = "reader@a1.test",
                agency_user_a = "staff@a.test", owner_b = "owner@b.test";
    std::string owner_a_id, user_a1_id;
};

} // namespace stronghold::server::test

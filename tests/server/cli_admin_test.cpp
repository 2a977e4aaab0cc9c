// `stronghold admin ...` run in-process through admin_main(): the JSON on stdout, the error JSON
// on stderr and the exit codes 0 / 1 / 2 are the contract scripts rely on.
#include "cli/admin.hpp"

#include "store_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;

namespace {

constexpr const char* k_good_password = "Correct-Horse-9";

struct Run {
    int code = -1;
    nlohmann::json out; // parsed stdout (discarded when not JSON)
    nlohmann::json err; // parsed stderr
    std::string out_text, err_text;
};

Run admin(std::vector<std::string> args, const std::string& stdin_text = {})
{
    std::istringstream in(stdin_text);
    std::ostringstream out, err;
    Run r;
    r.code = admin_main(args, in, out, err);
    r.out_text = out.str();
    r.err_text = err.str();
    r.out = nlohmann::json::parse(r.out_text, nullptr, false);
    r.err = nlohmann::json::parse(r.err_text, nullptr, false);
    return r;
}

Run create_agency(const TempDir& dir, const std::string& email = "boss@agency.example",
                  const std::string& pw = std::string(k_good_password) + "\r\n")
{
    return admin({"create-agency", "--data", dir.str(), "--name", "Acme Agency", "--owner-email", email,
                  "--password-stdin"},
                 pw);
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_admin)

BOOST_AUTO_TEST_CASE(create_agency_prints_the_new_ids_and_the_owner_can_log_in)
{
    TempDir dir;
    auto r = create_agency(dir, "Boss@Agency.Example");
    BOOST_TEST_REQUIRE(r.code == 0, r.err_text);
    BOOST_TEST(r.err_text.empty());
    BOOST_REQUIRE(r.out.is_object());
    BOOST_TEST(r.out.size() == 3u);
    BOOST_TEST(crypto::is_id(r.out.value("agency_id", ""), "ag"));
    BOOST_TEST(crypto::is_id(r.out.value("account_id", ""), "ac"));
    BOOST_TEST(crypto::is_id(r.out.value("owner_id", ""), "us"));

    auto store = open_store_or_fail(dir.str());
    auto creds = store->find_credentials_by_email("boss@agency.example"); // stored lower-cased
    BOOST_REQUIRE(creds);
    BOOST_TEST(creds->user.id == r.out["owner_id"].get<std::string>());
    BOOST_TEST(crypto::password_verify(creds->password_hash, k_good_password)); // \r\n stripped
    auto accounts = store->accounts_of_agency(r.out["agency_id"]);
    BOOST_REQUIRE(accounts.size() == 1u);
    BOOST_TEST(accounts[0].name == "Acme Agency");
    auto audit = store->audit_entries(r.out["agency_id"], 10);
    BOOST_TEST(audit.size() == 3u);
    for (const auto& e : audit)
        BOOST_TEST(e.actor.type == "cli");
}

BOOST_AUTO_TEST_CASE(create_account_and_users_in_both_scopes)
{
    TempDir dir;
    auto ag = create_agency(dir);
    BOOST_TEST_REQUIRE(ag.code == 0, ag.err_text);
    const std::string agency = ag.out["agency_id"];

    auto ac = admin({"create-account", "--data", dir.str(), "--agency", agency, "--name", "Client Two"});
    BOOST_TEST_REQUIRE(ac.code == 0, ac.err_text);
    BOOST_TEST(ac.out.size() == 1u);
    const std::string account = ac.out.value("account_id", "");
    BOOST_TEST(crypto::is_id(account, "ac"));

    auto admin_user = admin({"create-user", "--data", dir.str(), "--email", "admin@agency.example", "--role",
                             "agency_admin", "--agency", agency, "--password-stdin"},
                            k_good_password);
    BOOST_TEST_REQUIRE(admin_user.code == 0, admin_user.err_text);
    BOOST_TEST(crypto::is_id(admin_user.out.value("user_id", ""), "us"));

    auto client_user = admin({"create-user", "--data", dir.str(), "--email", "staff@client.example", "--role",
                              "account_user", "--account", account, "--password-stdin"},
                             k_good_password);
    BOOST_TEST_REQUIRE(client_user.code == 0, client_user.err_text);

    auto store = open_store_or_fail(dir.str());
    auto mem = store->memberships_of(client_user.out["user_id"]);
    BOOST_REQUIRE(mem.size() == 1u);
    BOOST_TEST(mem[0].account_id == account);
    BOOST_TEST(mem[0].account_agency_id == agency);
    BOOST_TEST((mem[0].role == model::Role::account_user));
}

BOOST_AUTO_TEST_CASE(iam2_weak_password_is_refused_with_exit_1)
{
    TempDir dir;
    for (const std::string weak : {"short1!A", "alllowercase1!", "NoDigitsHere!", "NoSpecial123", "Ab1!"}) {
        BOOST_TEST_CONTEXT("password " << weak)
        {
            auto r = create_agency(dir, "boss@agency.example", weak + "\n");
            if (weak == "short1!A") {
                BOOST_TEST(r.code == 0); // exactly 8 with every class is fine
                continue;
            }
            BOOST_TEST(r.code == 1);
            BOOST_TEST(r.out_text.empty());
            BOOST_REQUIRE(r.err.is_object());
            BOOST_TEST(r.err["error"]["code"] == "validation_failed");
            BOOST_TEST(r.err["error"]["field"] == "password");
            BOOST_TEST(r.err_text.find(weak) == std::string::npos); // never echoed
        }
    }
    BOOST_TEST(check_default_password_policy("Pässwörd-1").empty());
    BOOST_TEST(!check_default_password_policy("Pass\x01word-1").empty());
}

// The CLI applies the core policy with the user's context: the message is the core's, the
// error shape and exit code the CLI's.
BOOST_AUTO_TEST_CASE(iam2_common_and_named_passwords_are_refused_with_exit_1)
{
    TempDir dir;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"Password1!", "is too common"},
        {"NoSpecial123", "must contain a special character (anything but a letter or digit)"},
        {"Acme-Zebra-77", "must not contain the agency or brand name"}, // agency "Acme Agency"
        {"Boss-Zebra-77", "must not contain your email name"},          // boss@agency.example
    };
    for (const auto& [pw, message] : cases) {
        BOOST_TEST_CONTEXT("password " << pw)
        {
            auto r = create_agency(dir, "boss@agency.example", pw + "\n");
            BOOST_TEST(r.code == 1);
            BOOST_TEST(r.out_text.empty());
            BOOST_REQUIRE(r.err.is_object());
            BOOST_TEST(r.err["error"]["code"] == "validation_failed");
            BOOST_TEST(r.err["error"]["field"] == "password");
            BOOST_TEST(r.err["error"]["message"] == message);
            BOOST_TEST(r.err_text.find(pw) == std::string::npos);
        }
    }

    // create-user checks against the names of the agency and sub-account it joins.
    auto agency = create_agency(dir);
    BOOST_TEST_REQUIRE(agency.code == 0, agency.err_text);
    const std::string account = agency.out["account_id"];
    auto named = admin({"create-user", "--data", dir.str(), "--email", "kim@client.example", "--role",
                        "account_user", "--account", account, "--password-stdin"},
                       "Zebra-ACME-77\n");
    BOOST_TEST(named.code == 1);
    BOOST_TEST(named.err["error"]["message"] == "must not contain the agency or brand name");
    auto own = admin({"create-user", "--data", dir.str(), "--email", "kim.lee@client.example", "--role",
                      "agency_user", "--agency", agency.out["agency_id"], "--password-stdin"},
                     "Zebra-Kim.Lee-77\n");
    BOOST_TEST(own.code == 1);
    BOOST_TEST(own.err["error"]["message"] == "must not contain your email name");
    auto fine = admin({"create-user", "--data", dir.str(), "--email", "kim@client.example", "--role",
                       "account_user", "--account", account, "--password-stdin"},
                      std::string(k_good_password) + "\n");
    BOOST_TEST(fine.code == 0, fine.err_text);
}

BOOST_AUTO_TEST_CASE(failures_exit_1_with_error_json)
{
    TempDir dir;
    BOOST_TEST_REQUIRE(create_agency(dir).code == 0);
    auto dup = create_agency(dir);
    BOOST_TEST(dup.code == 1);
    BOOST_TEST(dup.err["error"]["code"] == "conflict");
    BOOST_TEST(dup.err["error"]["field"] == "email");

    auto bad_email = create_agency(dir, "not-an-email");
    BOOST_TEST(bad_email.code == 1);
    BOOST_TEST(bad_email.err["error"]["field"] == "email");

    auto no_agency = admin({"create-account", "--data", dir.str(), "--agency", "ag_missing", "--name", "X"});
    BOOST_TEST(no_agency.code == 1);
    BOOST_TEST(no_agency.err["error"]["code"] == "not_found");

    auto bad_name = admin({"create-account", "--data", dir.str(), "--agency", "ag_x", "--name", "Bad\x07Name"});
    BOOST_TEST(bad_name.code == 1);
    BOOST_TEST(bad_name.err["error"]["code"] == "validation_failed");
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2_with_error_json)
{
    TempDir dir;
    const std::string d = dir.str();
    const std::vector<std::vector<std::string>> cases = {
        {},
        {"frobnicate"},
        {"create-agency", "--data", d, "--name", "X", "--password-stdin"},                          // no email
        {"create-agency", "--data", d, "--name", "X", "--owner-email", "a@b.example"},              // no stdin flag
        {"create-agency", "--data", d, "--name", "X", "--owner-email", "a@b.example", "--password-stdin", "--x"},
        {"create-account", "--data", d, "--agency"},                                                 // no value
        {"create-account", "--data", d, "--agency", "a", "--agency", "b", "--name", "N"},          // twice
        {"create-user", "--data", d, "--email", "a@b.example", "--role", "god", "--agency", "ag_x", "--password-stdin"},
        {"create-user", "--data", d, "--email", "a@b.example", "--role", "agency_admin", "--account", "ac_x",
         "--password-stdin"},
        {"create-user", "--data", d, "--email", "a@b.example", "--role", "account_user", "--agency", "ag_x",
         "--password-stdin"},
        {"create-user", "--data", d, "--email", "a@b.example", "--role", "read_only", "--agency", "ag_x", "--account",
         "ac_x", "--password-stdin"},
    };
    for (const auto& args : cases) {
        std::string joined;
        for (const auto& a : args)
            joined += a + " ";
        BOOST_TEST_CONTEXT("admin " << joined)
        {
            auto r = admin(args, std::string(k_good_password) + "\n");
            BOOST_TEST(r.code == 2);
            BOOST_TEST(r.out_text.empty());
            BOOST_REQUIRE(r.err.is_object());
            BOOST_TEST(r.err["error"]["code"] == "validation_failed");
            BOOST_TEST(!r.err["error"].value("message", "").empty());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

// `stronghold demo seed` in-process through demo_main(): contacts land in the named sub-account
// only, progress is reported (bar on a terminal, JSON lines otherwise), bad flags are usage errors.
#include "cli/admin.hpp"
#include "cli/demo.hpp"
#include "store/store.hpp"

#include "cli_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

using namespace stronghold;
using namespace stronghold::server;
using namespace stronghold::server::test;

namespace {

Run demo(const std::vector<std::string>& args, bool terminal = false)
{
    return run_command([](const auto& a, auto& o, auto& e, bool t) { return demo_main(a, o, e, t); }, args, terminal);
}

std::size_t count_contacts(const std::string& data, const std::string& agency, const std::string& account)
{
    auto store = open_sqlite_store(data);
    BOOST_REQUIRE(store.ok());
    ContactQuery q;
    q.limit = 1;
    q.count = true;
    auto page = (*store)->list_contacts(TenantScope{agency, account}, q);
    BOOST_REQUIRE(page.ok());
    return page->total.value_or(0);
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_demo)

BOOST_AUTO_TEST_CASE(crm_demo_seed_adds_contacts_to_one_sub_account_with_progress)
{
    TempDir dir;
    const auto ids = make_agency(dir);
    const std::string agency = ids["agency_id"], account = ids["account_id"], owner = ids["owner_id"];
    std::istringstream in;
    std::ostringstream out, err;
    BOOST_REQUIRE(admin_main({"create-account", "--data", dir.str(), "--agency", agency, "--name", "Other"}, in, out, err) == 0);
    const std::string other = nlohmann::json::parse(out.str())["account_id"];

    auto r = demo({"seed", "--data", dir.str(), "--account", account, "--contacts", "25000", "--owner", owner});
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    const auto result = nlohmann::json::parse(r.out);
    BOOST_TEST(result["account_id"] == account);
    BOOST_TEST(result["contacts"] == 25000);
    BOOST_TEST(result["per_second"].get<std::int64_t>() > 0);
    // JSON-line progress, the last one complete.
    std::istringstream lines(r.err);
    std::string line, last;
    int n = 0;
    while (std::getline(lines, line)) {
        const auto j = nlohmann::json::parse(line);
        BOOST_TEST(j["event"] == "demo.seed.progress");
        last = line;
        ++n;
    }
    BOOST_TEST(n >= 2);
    BOOST_TEST(nlohmann::json::parse(last)["done"] == 25000);

    BOOST_TEST(count_contacts(dir.str(), agency, account) == 25000u);
    BOOST_TEST(count_contacts(dir.str(), agency, other) == 0u);

    // A terminal gets a bar that ends at 100%.
    auto t = demo({"seed", "--data", dir.str(), "--account", other, "--contacts", "10", "--seed", "7"}, true);
    BOOST_TEST_REQUIRE(t.code == 0, t.err);
    BOOST_TEST(t.err.find("100%") != std::string::npos);
    BOOST_TEST(t.err.find('\r') != std::string::npos);
    BOOST_TEST(count_contacts(dir.str(), agency, other) == 10u);
}

BOOST_AUTO_TEST_CASE(crm_demo_seed_refuses_bad_flags_with_the_flag_named)
{
    TempDir dir;
    const auto ids = make_agency(dir);
    const std::string account = ids["account_id"];
    const auto field = [](const Run& r) { return nlohmann::json::parse(r.err)["error"]["field"].get<std::string>(); };
    auto r = demo({"seed", "--data", dir.str(), "--account", account, "--contacts", "0"});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(field(r) == "--contacts");
    r = demo({"seed", "--data", dir.str(), "--account", account, "--contacts", "12abc"});
    BOOST_TEST(r.code == 2);
    r = demo({"seed", "--data", dir.str(), "--account", account});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(field(r) == "--contacts");
    r = demo({"seed", "--data", dir.str(), "--account", "ac_nobody", "--contacts", "5"});
    BOOST_TEST(r.code == 1);
    BOOST_TEST(field(r) == "--account");
    r = demo({"seed", "--data", dir.str(), "--account", account, "--contacts", "5", "--owner", "us_stranger"});
    BOOST_TEST(r.code == 1);
    BOOST_TEST(field(r) == "--owner");
    r = demo({"grow", "--data", dir.str()});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(count_contacts(dir.str(), ids["agency_id"], account) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

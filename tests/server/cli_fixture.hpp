// Shared by the in-process command tests (cli_demo_test.cpp, cli_import_test.cpp): a command's
// exit code and output, and a fresh agency made with `admin create-agency`.
#pragma once

#include "cli/admin.hpp"

#include "store_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace stronghold::server::test {

struct Run {
    int code = -1;
    std::string out, err;
};

// main_fn(args, out, err, terminal), e.g. demo_main or import_main.
template <class Main>
Run run_command(Main main_fn, const std::vector<std::string>& args, bool terminal)
{
    std::ostringstream out, err;
    Run r;
    r.code = main_fn(args, out, err, terminal);
    r.out = out.str();
    r.err = err.str();
    return r;
}

// {"agency_id","account_id","owner_id"} of a new agency in dir.
inline nlohmann::json make_agency(const TempDir& dir)
{
    std::istringstream in("Correct-Horse-9\n");
    std::ostringstream out, err;
    BOOST_REQUIRE(admin_main({"create-agency", "--data", dir.str(), "--name", "Seed Agency", "--owner-email",
                              "boss@seed.example", "--password-stdin"},
                             in, out, err) == 0);
    return nlohmann::json::parse(out.str());
}

} // namespace stronghold::server::test

#include "cli/demo.hpp"

#include "cli/flags.hpp"
#include "cli/progress.hpp"
#include "cli/seed.hpp"
#include "util/clock.hpp"

#include "stronghold/access/authorize.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <unistd.h>

namespace stronghold::server {

namespace {

using namespace cli;

constexpr std::uint64_t k_max_demo_contacts = 10'000'000;

std::optional<std::uint64_t> parse_count(const std::string& s)
{
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

int seed(const std::vector<std::string>& args, Io& io, bool terminal)
{
    auto flags = parse_flags(args, {"--data", "--account", "--contacts", "--owner", "--seed"}, {});
    if (!flags)
        return fail(io, flags.error(), k_exit_usage);
    if (auto st = require(*flags, {"--data", "--account", "--contacts"}); !st)
        return fail(io, st.error(), k_exit_usage);
    const auto n = parse_count(flags->get("--contacts"));
    if (!n || *n == 0 || *n > k_max_demo_contacts)
        return usage(io, "--contacts must be a whole number from 1 to 10000000", "--contacts");
    std::uint64_t data_seed = k_demo_data_seed;
    if (flags->has("--seed")) {
        const auto s = parse_count(flags->get("--seed"));
        if (!s)
            return usage(io, "--seed must be a whole number", "--seed");
        data_seed = *s;
    }
    auto store = open_sqlite_store(flags->get("--data"));
    if (!store)
        return fail(io, store.error(), k_exit_failure);
    const auto account = (*store)->find_account(flags->get("--account"));
    if (!account)
        return fail(io, api::make_error(api::ErrorCode::not_found, "no such sub-account", "--account"), k_exit_failure);
    std::string owner;
    if (flags->has("--owner")) { // must be someone who can open the sub-account
        owner = flags->get("--owner");
        if (auto st = check_account_user(**store, *account, owner, "--owner"); !st)
            return fail(io, st.error(), k_exit_failure);
    }

    const TenantScope scope{account->agency_id, account->id};
    const auto total = static_cast<std::size_t>(*n);
    ProgressReporter reporter(io.err, terminal, "demo.seed.progress");
    const auto progress = [&](std::size_t done) {
        reporter.update(done, total, done, {{"done", done}, {"total", total}},
                        std::to_string(done) + " / " + std::to_string(total) + "  " +
                            std::to_string(reporter.per_second(done)) + "/s");
    };
    crypto::SeededRandom data_rng(data_seed);
    if (auto st = seed_contacts(**store, scope, total, data_rng, system_now_ms(), owner, crypto::system_random(), progress);
        !st)
        return fail(io, st.error(), k_exit_failure);
    const double secs = reporter.seconds();
    io.out << nlohmann::json{{"account_id", account->id},
                             {"contacts", total},
                             {"seconds", std::round(secs * 100) / 100},
                             {"per_second", static_cast<std::uint64_t>(secs > 0 ? total / secs : 0)}}
                  .dump()
           << "\n";
    return k_exit_ok;
}

} // namespace

int demo_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, bool err_is_terminal)
{
    Io io{std::cin, out, err};
    if (args.empty())
        return usage(io, "usage: stronghold demo seed --data DIR --account ID --contacts N [--owner USER_ID] [--seed S]",
                     "command");
    if (args[0] == "seed")
        return seed(args, io, err_is_terminal);
    return usage(io, "unknown demo command " + args[0], "command");
}

int demo_main(const std::vector<std::string>& args)
{
    return demo_main(args, std::cout, std::cerr, isatty(STDERR_FILENO) != 0);
}

} // namespace stronghold::server

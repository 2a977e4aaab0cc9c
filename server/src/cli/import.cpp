#include "cli/import.hpp"

#include "app/import.hpp"
#include "cli/flags.hpp"
#include "cli/progress.hpp"
#include "util/clock.hpp"

#include "stronghold/access/authorize.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <unistd.h>

namespace stronghold::server {

namespace {

using namespace cli;

constexpr const char* k_usage = "usage: stronghold import --data DIR --account ID --object contacts|companies|deals --file F.csv"
                                " [--map \"CSV header=field\" ...] [--dry-run] [--owner USER_ID]";

// --map may repeat: taken out before the other flags are parsed (which refuse repeats).
Result<nlohmann::json> take_maps(std::vector<std::string>& args)
{
    nlohmann::json mapping = nlohmann::json::object();
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] != "--map") {
            rest.push_back(args[i]);
            continue;
        }
        if (i + 1 >= args.size())
            return api::make_error(api::ErrorCode::validation_failed, "--map needs \"CSV header=field\"", "--map");
        const std::string& pair = args[++i];
        const auto eq = pair.rfind('=');
        if (eq == std::string::npos || eq == 0)
            return api::make_error(api::ErrorCode::validation_failed, "--map needs \"CSV header=field\"", "--map");
        mapping[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    args = std::move(rest);
    return mapping;
}

std::string human_bytes(std::uint64_t n)
{
    return std::to_string(n / (1024 * 1024)) + " MiB";
}

} // namespace

int import_main(const std::vector<std::string>& given, std::ostream& out, std::ostream& err, bool err_is_terminal)
{
    Io io{std::cin, out, err};
    std::vector<std::string> args{"import"};
    args.insert(args.end(), given.begin(), given.end());
    auto maps = take_maps(args);
    if (!maps)
        return fail(io, maps.error(), k_exit_usage);
    auto flags =
        parse_flags(args, {"--data", "--account", "--object", "--file", "--owner", "--batch-rows"}, {"--dry-run"});
    if (!flags)
        return fail(io, flags.error(), k_exit_usage);
    if (auto st = require(*flags, {"--data", "--account", "--object", "--file"}); !st)
        return fail(io, st.error(), k_exit_usage);
    const std::string path = flags->get("--file");
    std::ifstream file(path, std::ios::binary);
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!file || ec)
        return usage(io, "cannot read " + path, "--file");

    auto store = open_sqlite_store(flags->get("--data"));
    if (!store)
        return fail(io, store.error(), k_exit_failure);
    const auto account = (*store)->find_account(flags->get("--account"));
    if (!account)
        return fail(io, api::make_error(api::ErrorCode::not_found, "no such sub-account", "--account"), k_exit_failure);
    std::string owner;
    if (flags->has("--owner")) {
        owner = flags->get("--owner");
        if (auto st = check_account_user(**store, *account, owner, "--owner"); !st)
            return fail(io, st.error(), k_exit_failure);
    }
    const auto now = system_now_ms();
    auto object = make_import_object(flags->get("--object"), **store, *account, owner, now);
    if (!object) {
        auto e = object.error();
        e.field = "--object";
        return fail(io, e, k_exit_usage);
    }
    auto mapping = parse_import_mapping(**object, *maps);
    if (!mapping)
        return fail(io, mapping.error(), k_exit_usage);

    ImportOptions options;
    if (flags->has("--batch-rows")) { // tests and benchmarks; the default suits real files
        const auto& v = flags->get("--batch-rows");
        std::size_t n = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc{} || end != v.data() + v.size() || n == 0 || n > 1'000'000)
            return usage(io, "--batch-rows must be a whole number from 1 to 1000000", "--batch-rows");
        options.batch_rows = n;
    }
    options.scope = {account->agency_id, account->id};
    options.dry_run = flags->switches.count("--dry-run") != 0;
    options.mapping = std::move(*mapping);
    options.actor = cli_actor("stronghold import");
    options.bytes_total = static_cast<std::int64_t>(size);
    auto job = start_import_job(**store, **object, options, now);
    if (!job)
        return fail(io, job.error(), k_exit_failure);

    ProgressReporter reporter(io.err, err_is_terminal, "import.progress");
    const auto progress = [&](const ImportJob& j) {
        const auto done = static_cast<std::uint64_t>(j.status == "running" ? j.bytes_done : std::max(j.bytes_done, j.bytes_total));
        reporter.update(done, static_cast<std::uint64_t>(j.bytes_total), static_cast<std::uint64_t>(j.rows_done),
                        {{"id", j.id}, {"rows_done", j.rows_done}, {"created", j.created}, {"failed", j.failed},
                         {"bytes_done", j.bytes_done}, {"bytes_total", j.bytes_total}},
                        std::to_string(j.rows_done) + " rows  " + human_bytes(j.bytes_done) + "  " +
                            std::to_string(reporter.per_second(j.rows_done)) + " rows/s");
    };
    const ImportJob result = run_import(**store, **object, std::move(*job), options, file, system_now_ms, progress);
    nlohmann::json summary = import_job_json(result);
    summary["seconds"] = std::round(reporter.seconds() * 100) / 100;
    summary["per_second"] = reporter.per_second(static_cast<std::uint64_t>(result.rows_done));
    if (result.status != "done") {
        io.err << nlohmann::json{{"error", result.failure}, {"job", summary}}.dump() << "\n";
        return k_exit_failure;
    }
    io.out << summary.dump() << "\n";
    return k_exit_ok;
}

int import_main(const std::vector<std::string>& args)
{
    return import_main(args, std::cout, std::cerr, isatty(STDERR_FILENO) != 0);
}

} // namespace stronghold::server

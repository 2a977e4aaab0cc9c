// `stronghold audit ...` (cli/audit.hpp).
#include "cli/audit.hpp"

#include "cli/flags.hpp"
#include "store/audit_chain.hpp"

#include <iostream>
#include <sstream>

namespace stronghold::server {

using namespace cli;

namespace {

int verify(const std::vector<std::string>& args, Io& io)
{
    auto flags = parse_flags(args, {"--data", "--public-key"}, {});
    if (!flags)
        return fail(io, flags.error(), k_exit_usage);
    if (auto st = require(*flags, {"--data"}); !st)
        return fail(io, st.error(), k_exit_usage);
    auto report = verify_audit_log(flags->get("--data"), flags->has("--public-key") ? flags->get("--public-key") : "");
    if (!report) {
        const bool bad_flag = report.error().code == api::ErrorCode::validation_failed;
        return fail(io, report.error(), bad_flag ? k_exit_usage : k_exit_failure);
    }
    io.out << report->dump() << "\n";
    return report->value("ok", false) ? k_exit_ok : k_exit_failure;
}

} // namespace

int audit_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    std::istringstream no_input;
    Io io{no_input, out, err};
    if (args.empty())
        return usage(io, "usage: stronghold audit verify --data DIR [--public-key HEX]", "command");
    if (args[0] == "verify")
        return verify(args, io);
    return usage(io, "unknown audit command " + args[0], "command");
}

int audit_main(const std::vector<std::string>& args)
{
    return audit_main(args, std::cout, std::cerr);
}

} // namespace stronghold::server

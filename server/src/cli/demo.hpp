// `stronghold demo seed --data DIR --account ID --contacts N [--owner USER_ID] [--seed S]`:
// adds N realistic contacts to a sub-account, quickly (batches of 10,000 per transaction, one
// audit row per batch), for demos and the scale benchmarks (tests/bench/scale_bench.sh).
// Progress goes to stderr: a bar for a terminal, JSON lines otherwise. Prints
// {"account_id","contacts":N,"seconds":S,"per_second":R} on stdout. Works while the server runs.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace stronghold::server {

// args: the words after "demo" (args[0] is the command). crypto::init() must have run.
// err_is_terminal chooses the progress bar over JSON lines.
int demo_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, bool err_is_terminal);
int demo_main(const std::vector<std::string>& args);

} // namespace stronghold::server

// `stronghold import --data DIR --account ID --object contacts|companies|deals --file F.csv [--map "CSV header=field" ...]
// [--dry-run] [--owner USER_ID] [--batch-rows N]`: the import engine of app/import.hpp from the command line (works
// while the server runs). Progress on stderr (a bar on a terminal, JSON lines otherwise); the
// finished job as one JSON object on stdout. Exit 0 when the job is done (rows may have failed:
// see "failed" and "errors"), 1 when it failed (the file or the store), 2 on usage errors.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace stronghold::server {

// args: the words after "import". crypto::init() must have run.
int import_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, bool err_is_terminal);
int import_main(const std::vector<std::string>& args);

} // namespace stronghold::server

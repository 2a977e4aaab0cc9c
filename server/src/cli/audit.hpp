// `stronghold audit verify --data DIR [--public-key HEX]`: checks every audit hash chain and
// every signed checkpoint of the data dir's database (read-only: works while the server runs)
// and prints one JSON report on stdout:
//   {"ok":true|false,"chains":N,"entries":N,"checkpoints":N,"key_id":"...",
//    "broken":[{"agency_id":"...","seq":N,"n":N,"reason":"hash_mismatch|...","detail":"..."}]}
// Exit 0 when everything verifies, 1 when a chain is broken (or the database or key cannot be
// read: {"error":{...}} on stderr), 2 on usage errors. --public-key pins the key to trust
// instead of <data>/keys/audit_signing.pub. server/doc/audit.md says what is checked.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace stronghold::server {

// args: the words after "audit" (args[0] is the command). crypto::init() must have run.
int audit_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int audit_main(const std::vector<std::string>& args); // std::cout, std::cerr

} // namespace stronghold::server

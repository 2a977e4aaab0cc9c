// `stronghold admin ...`: set up tenants and users from scripts and tests. Works while the
// server runs (a separate process on the same SQLite file: WAL + BEGIN IMMEDIATE + busy timeout).
//   admin create-agency  --data DIR --name N --owner-email E --password-stdin
//       -> {"agency_id":"ag_...","account_id":"ac_...","owner_id":"us_..."}
//   admin create-account --data DIR --agency ID --name N            -> {"account_id":"ac_..."}
//   admin create-user    --data DIR --email E --role ROLE (--agency ID | --account ID) --password-stdin
//       -> {"user_id":"us_..."}   (agency roles need --agency, account roles --account)
// Conventions (DESIGN.md, Wire details, CLI): success prints one JSON object on stdout and
// exits 0; a failure prints {"error":{...}} on stderr and exits 1; a usage error prints the
// same shape (code validation_failed, field = the flag) and exits 2. The password is the first
// line of stdin (never an argument: arguments show in `ps`).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace stronghold::server {

// args: the words after "admin" (args[0] is the command). crypto::init() must have run.
int admin_main(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);
int admin_main(const std::vector<std::string>& args); // std::cin, std::cout, std::cerr

// IAM-2 default policy (validate::PasswordPolicy::classic(), no names to avoid): empty string
// when acceptable, else the message for the "password" field. The commands also refuse the
// email name and the agency/sub-account names.
std::string check_default_password_policy(const std::string& password);

} // namespace stronghold::server

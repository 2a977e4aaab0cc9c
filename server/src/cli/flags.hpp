// What every `stronghold <group> <command>` shares (DESIGN.md "Wire details", CLI): success is
// one JSON object on stdout and exit 0; a failure is {"error":{...}} on stderr and exit 1; a
// usage error the same shape (code validation_failed, field = the flag) and exit 2.
#pragma once

#include "store/store.hpp"

#include "stronghold/api/error.hpp"
#include "stronghold/api/result.hpp"

#include <initializer_list>
#include <iosfwd>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace stronghold::server::cli {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failure = 1;
inline constexpr int k_exit_usage = 2;

struct Io {
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
};

int fail(Io& io, const api::Error& e, int code);
int usage(Io& io, std::string message, std::string field = {});

// "--flag value" pairs plus value-less switches; anything else is a usage error.
struct Flags {
    std::map<std::string, std::string> values;
    std::set<std::string> switches;
    bool has(const std::string& f) const { return values.count(f) != 0; }
    const std::string& get(const std::string& f) const { return values.at(f); }
};

// args[0] is the command word and is skipped.
Result<Flags> parse_flags(const std::vector<std::string>& args, const std::set<std::string>& value_flags,
                          const std::set<std::string>& switch_flags);
Status require(const Flags& flags, std::initializer_list<const char*> names);

// ok when user_id can open the sub-account (an owner of its records); else validation_failed naming `flag`.
Status check_account_user(Store& store, const model::Account& account, const std::string& user_id, const char* flag);

// The actor recorded in audit rows written by a command.
ActorRef cli_actor(std::string user_agent);

} // namespace stronghold::server::cli

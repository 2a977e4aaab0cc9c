#include "cli/flags.hpp"

#include "stronghold/access/authorize.hpp"

#include <ostream>

namespace stronghold::server::cli {

int fail(Io& io, const api::Error& e, int code)
{
    io.err << api::to_json(e).dump() << "\n";
    return code;
}

int usage(Io& io, std::string message, std::string field)
{
    return fail(io, api::make_error(api::ErrorCode::validation_failed, std::move(message), std::move(field)),
                k_exit_usage);
}

Result<Flags> parse_flags(const std::vector<std::string>& args, const std::set<std::string>& value_flags,
                          const std::set<std::string>& switch_flags)
{
    Flags flags;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (switch_flags.count(a)) {
            flags.switches.insert(a);
        } else if (value_flags.count(a)) {
            if (i + 1 >= args.size())
                return api::make_error(api::ErrorCode::validation_failed, a + " needs a value", a);
            if (!flags.values.emplace(a, args[i + 1]).second)
                return api::make_error(api::ErrorCode::validation_failed, a + " is given twice", a);
            ++i;
        } else {
            return api::make_error(api::ErrorCode::validation_failed, "unknown argument " + a, a);
        }
    }
    return flags;
}

Status require(const Flags& flags, std::initializer_list<const char*> names)
{
    for (const char* n : names)
        if (!flags.has(n) && !flags.switches.count(n))
            return api::make_error(api::ErrorCode::validation_failed, std::string(n) + " is required", n);
    return {};
}

Status check_account_user(Store& store, const model::Account& account, const std::string& user_id, const char* flag)
{
    const access::Actor actor{user_id, store.memberships_of(user_id)};
    if (!access::can_open_account(actor, account.agency_id, account.id))
        return api::make_error(api::ErrorCode::validation_failed, "the owner must be a user of this sub-account", flag);
    return {};
}

ActorRef cli_actor(std::string user_agent)
{
    ActorRef a;
    a.type = "cli";
    a.user_agent = std::move(user_agent);
    return a;
}

} // namespace stronghold::server::cli

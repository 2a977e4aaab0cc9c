#include "cli/admin.hpp"

#include "cli/flags.hpp"

#include "app/mfa.hpp"
#include "auth/secret_store.hpp"
#include "auth/totp.hpp"

#include "store/store.hpp"
#include "util/clock.hpp"

#include "stronghold/crypto/crypto.hpp"
#include "stronghold/validate/password.hpp"
#include "stronghold/validate/text.hpp"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <array>
#include <iostream>

namespace stronghold::server {

namespace {

using namespace cli;

constexpr std::size_t k_max_tenant_name_chars = 200;

ActorRef cli_actor() { return cli::cli_actor("stronghold admin"); }

// Reads, checks (IAM-2 default policy, the core's evaluator) and hashes the password; the
// clear text is wiped before returning.
Result<std::string> read_password_hash(std::istream& in, const validate::PasswordContext& context)
{
    std::string pw;
    std::getline(in, pw);
    while (!pw.empty() && (pw.back() == '\n' || pw.back() == '\r'))
        pw.pop_back();
    const Status checked = validate::check_password(validate::PasswordPolicy::classic(), pw, context);
    std::string hash;
    if (checked)
        hash = crypto::password_hash(pw);
    sodium_memzero(pw.data(), pw.size());
    if (!checked)
        return checked.error();
    if (hash.empty())
        return api::make_error(api::ErrorCode::internal, "password hashing failed (out of memory?)");
    return hash;
}

Result<std::string> checked_email(const std::string& raw)
{
    auto email = validate::email("email", raw);
    if (!email)
        return email.error();
    std::string lower = *email;
    for (char& ch : lower)
        if (ch >= 'A' && ch <= 'Z')
            ch = static_cast<char>(ch - 'A' + 'a'); // a valid address is ASCII (dot-atom)
    return lower;
}

Result<std::unique_ptr<Store>> open_store(const Flags& flags)
{
    return open_sqlite_store(flags.get("--data"));
}

// The names a new user's password must not contain. An unknown id yields none here: the store
// refuses it in create_user() with its usual not_found.
std::vector<std::string> tenant_names(Store& store, const Flags& flags)
{
    std::vector<std::string> names;
    std::string agency_id;
    if (flags.has("--account")) {
        if (auto account = store.find_account(flags.get("--account"))) {
            names.push_back(account->name);
            agency_id = account->agency_id;
        }
    } else {
        agency_id = flags.get("--agency");
    }
    if (auto agency = store.find_agency(agency_id))
        names.push_back(agency->name);
    return names;
}

int create_agency(const std::vector<std::string>& args, Io& io)
{
    auto flags = parse_flags(args, {"--data", "--name", "--owner-email"}, {"--password-stdin"});
    if (!flags)
        return fail(io, flags.error(), k_exit_usage);
    if (auto st = require(*flags, {"--data", "--name", "--owner-email", "--password-stdin"}); !st)
        return fail(io, st.error(), k_exit_usage);
    auto name = validate::name("name", flags->get("--name"), k_max_tenant_name_chars, true);
    if (!name)
        return fail(io, name.error(), k_exit_failure);
    auto email = checked_email(flags->get("--owner-email"));
    if (!email)
        return fail(io, email.error(), k_exit_failure);
    auto hash = read_password_hash(io.in, {*email, "", {*name}});
    if (!hash)
        return fail(io, hash.error(), k_exit_failure);
    auto store = open_store(*flags);
    if (!store)
        return fail(io, store.error(), k_exit_failure);

    const auto now = system_now_ms();
    model::Agency agency{crypto::random_id("ag"), *name, now};
    model::Account account{crypto::random_id("ac"), agency.id, *name, "1", now};
    model::User owner{crypto::random_id("us"), *email, "", true, now};
    if (auto st = (*store)->create_agency_with_owner(agency, account, owner, *hash, cli_actor()); !st)
        return fail(io, st.error(), k_exit_failure);
    io.out << nlohmann::json{{"agency_id", agency.id}, {"account_id", account.id}, {"owner_id", owner.id}}.dump()
           << "\n";
    return k_exit_ok;
}

int create_account(const std::vector<std::string>& args, Io& io)
{
    auto flags = parse_flags(args, {"--data", "--agency", "--name"}, {});
    if (!flags)
        return fail(io, flags.error(), k_exit_usage);
    if (auto st = require(*flags, {"--data", "--agency", "--name"}); !st)
        return fail(io, st.error(), k_exit_usage);
    auto name = validate::name("name", flags->get("--name"), k_max_tenant_name_chars, true);
    if (!name)
        return fail(io, name.error(), k_exit_failure);
    auto store = open_store(*flags);
    if (!store)
        return fail(io, store.error(), k_exit_failure);
    model::Account account{crypto::random_id("ac"), flags->get("--agency"), *name, "1", system_now_ms()};
    if (auto r = (*store)->create_account(account, cli_actor()); !r)
        return fail(io, r.error(), k_exit_failure);
    io.out << nlohmann::json{{"account_id", account.id}}.dump() << "\n";
    return k_exit_ok;
}

int create_user(const std::vector<std::string>& args, Io& io)
{
    auto flags = parse_flags(args, {"--data", "--email", "--role", "--agency", "--account"}, {"--password-stdin"});
    if (!flags)
        return fail(io, flags.error(), k_exit_usage);
    if (auto st = require(*flags, {"--data", "--email", "--role", "--password-stdin"}); !st)
        return fail(io, st.error(), k_exit_usage);
    const auto role = model::role_from_string(flags->get("--role"));
    if (!role)
        return usage(io, "--role must be one of agency_owner, agency_admin, agency_user, account_admin, account_user, "
                         "read_only", "--role");
    if (flags->has("--agency") == flags->has("--account"))
        return usage(io, "give exactly one of --agency or --account", "--agency");
    // Keep scopes unambiguous: agency roles are held on an agency, the others on a sub-account.
    if (model::is_agency_role(*role) && !flags->has("--agency"))
        return usage(io, "an agency role needs --agency", "--agency");
    if (!model::is_agency_role(*role) && !flags->has("--account"))
        return usage(io, "a sub-account role needs --account", "--account");
    auto email = checked_email(flags->get("--email"));
    if (!email)
        return fail(io, email.error(), k_exit_failure);
    // The store first: the policy refuses passwords holding the agency's or sub-account's name.
    auto store = open_store(*flags);
    if (!store)
        return fail(io, store.error(), k_exit_failure);
    auto hash = read_password_hash(io.in, {*email, "", tenant_names(**store, *flags)});
    if (!hash)
        return fail(io, hash.error(), k_exit_failure);

    model::User user{crypto::random_id("us"), *email, "", true, system_now_ms()};
    model::Membership m;
    m.user_id = user.id;
    m.role = *role;
    if (flags->has("--agency"))
        m.agency_id = flags->get("--agency");
    else
        m.account_id = flags->get("--account");
    if (auto r = (*store)->create_user(user, *hash, m, cli_actor()); !r)
        return fail(io, r.error(), k_exit_failure);
    io.out << nlohmann::json{{"user_id", user.id}}.dump() << "\n";
    return k_exit_ok;
}

// ACC-3: a platform staff member (support, security, platform_admin) with TOTP enabled from the
// start (staff always use 2FA). Prints the id and the TOTP secret to enrol in an authenticator,
// once; the seed is stored sealed by the data dir's secret key, like every other TOTP seed.
int create_staff(const std::vector<std::string>& args, Io& io)
{
    auto flags = parse_flags(args, {"--data", "--email", "--role", "--name"}, {"--password-stdin"});
    if (!flags)
        return fail(io, flags.error(), k_exit_usage);
    if (auto st = require(*flags, {"--data", "--email", "--role", "--password-stdin"}); !st)
        return fail(io, st.error(), k_exit_usage);
    const auto role = access::staff_role_from_string(flags->get("--role"));
    if (!role)
        return usage(io, "--role must be one of support, security, platform_admin", "--role");
    auto email = checked_email(flags->get("--email"));
    if (!email)
        return fail(io, email.error(), k_exit_failure);
    auto name = validate::name("name", flags->has("--name") ? flags->get("--name") : std::string{}, 200, false);
    if (!name)
        return fail(io, name.error(), k_exit_failure);
    auto hash = read_password_hash(io.in, {*email, *name, {}});
    if (!hash)
        return fail(io, hash.error(), k_exit_failure);
    auto store = open_store(*flags);
    if (!store)
        return fail(io, store.error(), k_exit_failure);

    model::User user{crypto::random_id("us"), *email, *name, true, system_now_ms()};
    std::array<std::uint8_t, auth::k_totp_secret_bytes> raw{};
    crypto::system_random().fill(raw);
    std::string secret(reinterpret_cast<const char*>(raw.data()), raw.size());
    sodium_memzero(raw.data(), raw.size());
    SodiumSecretStore secrets(flags->get("--data"));
    auto sealed = secrets.seal(totp_secret_context(user.id), secret);
    const auto b32 = auth::base32_encode(secret);
    sodium_memzero(secret.data(), secret.size());
    if (!sealed)
        return fail(io, sealed.error(), k_exit_failure);

    AuditEntry audit;
    audit.at = user.created_at;
    audit.actor = cli_actor();
    audit.action = "staff.created";
    audit.target_type = "user";
    audit.target_id = user.id;
    audit.details = {{"role", access::to_string(*role)}};
    if (auto st = (*store)->create_staff(user, *hash, *role, *sealed, audit); !st)
        return fail(io, st.error(), k_exit_failure);
    io.out << nlohmann::json{{"id", user.id},
                             {"email", user.email},
                             {"role", access::to_string(*role)},
                             {"totp_secret", b32},
                             {"otpauth_uri", auth::otpauth_uri(k_totp_issuer, user.email, b32)}}
                  .dump()
           << "\n";
    return k_exit_ok;
}

} // namespace

std::string check_default_password_policy(const std::string& password)
{
    const Status st = validate::check_password(validate::PasswordPolicy::classic(), password);
    return st ? std::string{} : st.error().message;
}

int admin_main(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err)
{
    Io io{in, out, err};
    if (args.empty())
        return usage(io, "usage: stronghold admin create-agency|create-account|create-user|create-staff ...", "command");
    const std::string& cmd = args[0];
    if (cmd == "create-agency")
        return create_agency(args, io);
    if (cmd == "create-account")
        return create_account(args, io);
    if (cmd == "create-user")
        return create_user(args, io);
    if (cmd == "create-staff")
        return create_staff(args, io);
    return usage(io, "unknown admin command " + cmd, "command");
}

int admin_main(const std::vector<std::string>& args)
{
    return admin_main(args, std::cin, std::cout, std::cerr);
}

} // namespace stronghold::server

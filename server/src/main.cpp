// stronghold: one binary, subcommands.
//   stronghold serve ...   HTTPS server (cli/serve.hpp)
//   stronghold admin ...   tenant set-up commands (cli/admin.hpp)
//   stronghold demo ...    demo data at scale (cli/demo.hpp)
//   stronghold import ...  CSV import into a sub-account (cli/import.hpp)
//   stronghold audit ...   audit log checks: verify the hash chains (cli/audit.hpp)
//   stronghold version
#include "cli/admin.hpp"
#include "cli/audit.hpp"
#include "cli/demo.hpp"
#include "cli/import.hpp"
#include "cli/serve.hpp"
#include "stronghold/crypto/crypto.hpp"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace {

int usage()
{
    std::fprintf(stderr, "usage: stronghold <command> [options]\n"
                         "  serve --data DIR [--listen HOST:PORT] [--tls-cert F --tls-key F] [--web DIR] [--dev]\n"
                         "        [--smtp-host H [--smtp-port P] --mail-from ADDR [--smtp-starttls]] [--public-url URL]\n"
                         "  admin create-agency|create-account|create-user|create-staff ... (stronghold admin --help)\n"
                         "  demo seed --data DIR --account ID --contacts N [--owner USER_ID] [--seed S]\n"
                         "  import --data DIR --account ID --object contacts|companies|deals --file F.csv [--map \"CSV header=field\" ...]\n"
                         "         [--dry-run] [--owner USER_ID]\n"
                         "  audit verify --data DIR [--public-key HEX]\n"
                         "  version\n");
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
        return usage();
    std::string_view command = argv[1];
    if (command == "version") {
        std::printf("{\"version\":\"%s\"}\n", STRONGHOLD_VERSION);
        return 0;
    }
    if (!stronghold::crypto::init()) {
        std::fprintf(stderr, "{\"error\":{\"code\":\"internal\",\"message\":\"libsodium cannot start\"}}\n");
        return 1;
    }
    if (command == "serve")
        return stronghold::server::serve_main(std::vector<std::string>(argv + 2, argv + argc));
    if (command == "admin")
        return stronghold::server::admin_main(std::vector<std::string>(argv + 2, argv + argc));
    if (command == "demo")
        return stronghold::server::demo_main(std::vector<std::string>(argv + 2, argv + argc));
    if (command == "audit")
        return stronghold::server::audit_main(std::vector<std::string>(argv + 2, argv + argc));
    if (command == "import")
        return stronghold::server::import_main(std::vector<std::string>(argv + 2, argv + argc));
    return usage();
}

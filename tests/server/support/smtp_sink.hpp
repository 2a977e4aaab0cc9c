// A real SMTP server for the mail tests: Debian's python3-aiosmtpd on a free loopback port,
// storing every accepted message in a Maildir (aiosmtpd.handlers.Mailbox). Started by the
// constructor (which waits until it accepts connections), stopped by the destructor.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

namespace stronghold::server::test {

class SmtpSink {
public:
    explicit SmtpSink(std::filesystem::path dir); // throws std::runtime_error when it cannot start
    ~SmtpSink();
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    std::uint16_t port() const { return m_port; }
    // The messages delivered so far, as stored (headers, blank line, body; "\n" line ends),
    // oldest first. Waits up to `wait_ms` for at least `at_least` of them.
    std::vector<std::string> messages(std::size_t at_least = 0, int wait_ms = 5000) const;

private:
    std::filesystem::path m_dir;
    std::uint16_t m_port = 0;
    pid_t m_pid = -1;
};

// A loopback port nobody listens on (bound then released).
std::uint16_t free_loopback_port();

} // namespace stronghold::server::test

// SmtpSink: see smtp_sink.hpp.
#include "support/smtp_sink.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace stronghold::server::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::uint16_t free_loopback_port()
{
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port();
}

SmtpSink::SmtpSink(std::filesystem::path dir) : m_dir(std::move(dir))
{
    std::filesystem::create_directories(m_dir);
    m_port = free_loopback_port();
    const std::string listen = "127.0.0.1:" + std::to_string(m_port);
    const std::string maildir = (m_dir / "maildir").string();
    m_pid = fork();
    if (m_pid < 0)
        throw std::runtime_error("fork failed");
    if (m_pid == 0) {
        // Debian's interpreter, where python3-aiosmtpd is installed (a PATH python may lack it).
        execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c",
              "aiosmtpd.handlers.Mailbox", maildir.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    for (;;) {
        asio::io_context io;
        tcp::socket s(io);
        boost::system::error_code ec;
        s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), m_port), ec);
        if (!ec)
            return;
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            throw std::runtime_error("aiosmtpd exited (is python3-aiosmtpd installed?)");
        }
        if (std::chrono::steady_clock::now() > deadline) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, &status, 0);
            m_pid = -1;
            throw std::runtime_error("aiosmtpd did not start listening");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

SmtpSink::~SmtpSink()
{
    if (m_pid > 0) {
        kill(m_pid, SIGTERM);
        int status = 0;
        waitpid(m_pid, &status, 0);
    }
}

std::vector<std::string> SmtpSink::messages(std::size_t at_least, int wait_ms) const
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
    for (;;) {
        std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> files;
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(m_dir / "maildir" / "new", ec))
            files.emplace_back(e.last_write_time(), e.path());
        if (files.size() >= at_least || std::chrono::steady_clock::now() > deadline) {
            std::sort(files.begin(), files.end());
            std::vector<std::string> out;
            for (const auto& [when, path] : files) {
                std::ifstream in(path, std::ios::binary);
                std::ostringstream text;
                text << in.rdbuf();
                out.push_back(text.str());
            }
            return out;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

} // namespace stronghold::server::test

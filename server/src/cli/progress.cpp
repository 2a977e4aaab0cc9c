#include "cli/progress.hpp"

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace stronghold::server::cli {

std::string progress_bar(std::uint64_t done, std::uint64_t total, const std::string& label)
{
    constexpr int k_width = 30;
    const int filled = total ? static_cast<int>(k_width * std::min(done, total) / total) : k_width;
    std::ostringstream os;
    os << '[' << std::string(static_cast<std::size_t>(filled), '=') << (filled < k_width ? ">" : "")
       << std::string(static_cast<std::size_t>(std::max(0, k_width - filled - 1)), ' ') << "] " << std::setw(3)
       << (total ? 100 * std::min(done, total) / total : 100) << "%  " << label;
    return os.str();
}

ProgressReporter::ProgressReporter(std::ostream& err, bool terminal, std::string event)
    : m_err(err), m_terminal(terminal), m_event(std::move(event))
{
}

double ProgressReporter::seconds() const
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
}

std::uint64_t ProgressReporter::per_second(std::uint64_t counted) const
{
    const double secs = seconds();
    return static_cast<std::uint64_t>(secs > 0 ? static_cast<double>(counted) / secs : 0.0);
}

void ProgressReporter::update(std::uint64_t done, std::uint64_t total, std::uint64_t counted,
                              const nlohmann::json& fields, const std::string& label)
{
    if (m_ended)
        return;
    const bool end = done >= total;
    if (m_terminal) {
        m_err << '\r' << progress_bar(done, total, label) << std::flush;
        if (end)
            m_err << '\n';
    } else if (end || done - m_last_reported >= total / 10) { // about every 10%
        m_last_reported = done;
        nlohmann::json line = fields;
        line["event"] = m_event;
        line["per_second"] = per_second(counted);
        m_err << line.dump() << std::endl;
    }
    m_ended = end;
}

} // namespace stronghold::server::cli

// Progress of a long command on stderr (DESIGN.md CLI conventions): a bar redrawn in place when
// stderr is a terminal, else one JSON line about every 10% (and at the end) for scripts and logs.
// Used by `demo seed` and `import`.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace stronghold::server::cli {

// "[=========>          ]  48%  <label>"
std::string progress_bar(std::uint64_t done, std::uint64_t total, const std::string& label);

class ProgressReporter {
public:
    ProgressReporter(std::ostream& err, bool terminal, std::string event);
    // done/total drive the bar and the 10% steps; `counted` (rows, contacts) gives per_second;
    // `fields` go into the JSON line beside "event" and "per_second"; `label` follows the bar.
    void update(std::uint64_t done, std::uint64_t total, std::uint64_t counted, const nlohmann::json& fields,
                const std::string& label);
    double seconds() const;
    std::uint64_t per_second(std::uint64_t counted) const;

private:
    std::ostream& m_err;
    bool m_terminal;
    std::string m_event;
    std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
    std::uint64_t m_last_reported = 0;
    bool m_ended = false;
};

} // namespace stronghold::server::cli

#include "live/hub.hpp"

namespace stronghold::server {

std::uint64_t LiveHub::subscribe(LiveSubscription sub, std::weak_ptr<LiveSink> sink)
{
    std::lock_guard lock(m_mutex);
    auto handle = m_next++;
    m_entries.emplace(handle, Entry{std::move(sub), std::move(sink)});
    return handle;
}

void LiveHub::unsubscribe(std::uint64_t handle)
{
    std::lock_guard lock(m_mutex);
    m_entries.erase(handle);
}

void LiveHub::publish(const std::string& account_id, std::string frame)
{
    auto shared = std::make_shared<const std::string>(std::move(frame));
    std::vector<std::shared_ptr<LiveSink>> targets, expired;
    const std::int64_t now = m_clock ? m_clock() : 0;
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            auto sink = it->second.sink.lock();
            if (!sink) {
                it = m_entries.erase(it);
                continue;
            }
            const auto& sub = it->second.sub;
            if (sub.expires_at != 0 && m_clock && now >= sub.expires_at) { // its JITA grant has ended
                expired.push_back(std::move(sink));
                it = m_entries.erase(it);
                continue;
            }
            if (sub.account_id == account_id)
                targets.push_back(std::move(sink));
            ++it;
        }
    }
    for (auto& t : expired)
        t->close();
    for (auto& t : targets)
        t->send(shared);
}

template <class Pred>
void LiveHub::close_if(Pred pred)
{
    std::vector<std::shared_ptr<LiveSink>> targets;
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            if (pred(it->second.sub)) {
                if (auto sink = it->second.sink.lock())
                    targets.push_back(std::move(sink));
                it = m_entries.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& t : targets)
        t->close();
}

void LiveHub::close_user(const std::string& user_id)
{
    close_if([&](const LiveSubscription& s) { return s.user_id == user_id; });
}

void LiveHub::close_session(const std::string& session_hash)
{
    close_if([&](const LiveSubscription& s) { return s.session_hash == session_hash; });
}

std::size_t LiveHub::subscriber_count() const
{
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

} // namespace stronghold::server

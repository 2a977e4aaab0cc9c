#include "app/worker_pool.hpp"

#include "util/log.hpp"

#include <exception>

namespace stronghold::server {

WorkerPool::WorkerPool(std::string name, int threads, std::size_t queue_limit)
    : m_name(std::move(name)), m_limit(queue_limit)
{
    if (threads < 1)
        threads = 1;
    for (int i = 0; i < threads; ++i)
        m_threads.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    for (auto& t : m_threads)
        t.join();
}

bool WorkerPool::try_submit(std::function<void()> job)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || m_jobs.size() >= m_limit)
            return false;
        m_jobs.push_back(std::move(job));
    }
    m_cv.notify_one();
    return true;
}

std::size_t WorkerPool::queued() const
{
    std::lock_guard lock(m_mutex);
    return m_jobs.size();
}

void WorkerPool::run()
{
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [&] { return m_stopping || !m_jobs.empty(); });
            if (m_jobs.empty())
                return; // stopping and drained
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        // Jobs catch their own errors; this is the last line so one bug cannot kill a worker.
        try {
            job();
        } catch (const std::exception& e) {
            log::error("worker.uncaught", {{"pool", m_name}, {"what", e.what()}});
        } catch (...) {
            log::error("worker.uncaught", {{"pool", m_name}});
        }
    }
}

} // namespace stronghold::server

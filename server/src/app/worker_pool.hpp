// A fixed set of threads with a bounded queue. Two of them exist: one runs request handlers,
// one runs Argon2id (slow on purpose), so a login flood fills only its own queue (DESIGN.md rule 6).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stronghold::server {

class WorkerPool {
  public:
    WorkerPool(std::string name, int threads, std::size_t queue_limit);
    ~WorkerPool(); // runs what is queued, then joins: a queued job may hold a reply owed to a client
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    [[nodiscard]] bool try_submit(std::function<void()> job); // false when the queue is full or stopping
    std::size_t queued() const;

  private:
    void run();

    std::string m_name;
    std::size_t m_limit;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::function<void()>> m_jobs;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

} // namespace stronghold::server

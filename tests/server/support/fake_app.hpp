// FakeApp: a small App for net/ tests. Like the real one it answers from a worker thread, never
// the I/O thread that called it.
//   /echo          200 JSON {method, target, body_size, remote_ip, headers{lower-case name: value}},
//                  plus X-Fake, an ETag and two Set-Cookie headers
//   /status/<n>    that status, empty body
//   anything else  404 JSON not_found
// Live: `/api/v1/live?account_id=ac_ok` with Cookie `session=good` (and Origin, when sent,
// equal to the server's origin) is accepted as user us_1, session sess_1; no cookie 401,
// another origin 403, another account 404.
#pragma once

#include "app/app.hpp"
#include "live/hub.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace stronghold::test {

class FakeApp : public server::App {
public:
    explicit FakeApp(std::string origin);
    ~FakeApp() override; // finishes queued work, joins the worker

    void handle(server::Request request, std::function<void(server::Response)> done) override;
    void authorize_live(server::Request upgrade, std::function<void(Result<server::LiveAuth>)> done) override;
    server::LiveHub& live() override { return m_hub; }

    std::size_t handled() const; // requests answered so far

private:
    void post(std::function<void()> job);
    void worker();

    std::string m_origin;
    server::LiveHub m_hub;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::function<void()>> m_jobs;
    std::size_t m_handled = 0;
    bool m_stop = false;
    std::thread m_thread; // last: starts after everything it uses exists
};

} // namespace stronghold::test

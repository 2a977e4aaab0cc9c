#include "support/fake_app.hpp"

#include <nlohmann/json.hpp>

#include <cctype>

namespace stronghold::test {

using server::Request;
using server::Response;

FakeApp::FakeApp(std::string origin) : m_origin(std::move(origin)), m_thread([this] { worker(); }) {}

FakeApp::~FakeApp()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

void FakeApp::post(std::function<void()> job)
{
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_cv.notify_one();
}

void FakeApp::worker()
{
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
            if (m_jobs.empty())
                return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job();
    }
}

std::size_t FakeApp::handled() const
{
    std::lock_guard lock(m_mutex);
    return m_handled;
}

namespace {

Response json_response(int status, const nlohmann::json& body)
{
    Response r;
    r.status = status;
    r.body = body.dump();
    r.set_header("Content-Type", "application/json");
    return r;
}

Response route(const Request& req)
{
    auto path = req.path();
    if (path == "/echo") {
        nlohmann::json headers = nlohmann::json::object();
        for (const auto& [k, v] : req.headers) {
            std::string lower(k);
            for (auto& c : lower)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            headers[lower] = v;
        }
        auto r = json_response(200, {{"method", req.method},
                                     {"target", req.target},
                                     {"body_size", req.body.size()},
                                     {"remote_ip", req.remote_ip},
                                     {"headers", headers}});
        r.set_header("X-Fake", "yes");
        r.set_header("ETag", "\"7\"");
        r.headers.emplace_back("Set-Cookie", "a=1; Path=/; Secure; HttpOnly");
        r.headers.emplace_back("Set-Cookie", "b=2; Path=/");
        return r;
    }
    if (path.starts_with("/status/")) {
        Response r;
        r.status = std::stoi(std::string(path.substr(8)));
        return r;
    }
    return json_response(404, {{"error", {{"code", "not_found"}, {"message", "no such route"}}}});
}

} // namespace

void FakeApp::handle(Request request, std::function<void(Response)> done)
{
    post([this, request = std::move(request), done = std::move(done)] {
        auto response = route(request);
        {
            std::lock_guard lock(m_mutex);
            ++m_handled;
        }
        done(std::move(response));
    });
}

void FakeApp::authorize_live(Request upgrade, std::function<void(Result<server::LiveAuth>)> done)
{
    post([this, upgrade = std::move(upgrade), done = std::move(done)] {
        using api::ErrorCode;
        auto origin = upgrade.header("Origin");
        auto cookie = upgrade.header("Cookie").value_or("");
        if (origin && *origin != m_origin)
            return done(api::make_error(ErrorCode::forbidden, "origin not allowed"));
        if (cookie.find("session=good") == std::string::npos)
            return done(api::make_error(ErrorCode::unauthenticated, "sign in first"));
        if (upgrade.query() != "account_id=ac_ok")
            return done(api::make_error(ErrorCode::not_found, "no such account"));
        done(server::LiveAuth{"ac_ok", "us_1", "sess_1"});
    });
}

} // namespace stronghold::test

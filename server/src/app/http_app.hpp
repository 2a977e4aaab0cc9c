// HttpApp: the App behind net/. handle() only queues; a bounded handler pool runs the
// middleware chain and the route's handler; Argon2id runs on a separate bounded hash pool.
#pragma once

#include "app/app.hpp"
#include "app/context.hpp"
#include "app/idempotency.hpp"
#include "app/security_events.hpp"
#include "app/worker_pool.hpp"
#include "auth/secret_store.hpp"
#include "live/hub.hpp"
#include "stronghold/crypto/crypto.hpp"

#include <atomic>
#include <memory>

namespace stronghold::server {

struct HttpAppOptions {
    Clock clock = system_now_ms;                                       // tests move time to expire sessions
    crypto::PwhashParams dummy_hash_params = crypto::k_pwhash_default; // same cost as real users' hashes
    std::size_t handler_queue_limit = 4096;                            // beyond: 503 at once
    bool security_responses = true; // automatic blocks (TEN-2); tests of other matters may turn them off
};

class HttpApp final : public App {
  public:
    HttpApp(AppConfig config, Store& store, HttpAppOptions options = {}); // store must outlive the app
    ~HttpApp() override; // finishes queued requests, then joins the pools

    void handle(Request request, std::function<void(Response)> done) override;
    void authorize_live(Request upgrade, std::function<void(Result<LiveAuth>)> done) override;
    LiveHub& live() override { return m_hub; }

  private:
    void dispatch(Call call);
    Result<LiveAuth> check_live(const Request& upgrade);
    void purge_trash_when_due();
    void checkpoint_audit_when_due();
    void apply_retention_when_due();
    // Housekeeping by the app's clock: the first request after start, then once per `every`,
    // queues job(now) on the handler pool; one at a time (the claim is a compare-exchange).
    template <class Job>
    void run_when_due(std::atomic<model::UnixMillis>& last_run, model::UnixMillis every, Job job);

    LiveHub m_hub;
    std::atomic<model::UnixMillis> m_last_purge{0};
    std::atomic<model::UnixMillis> m_last_audit_checkpoint{0};
    std::atomic<model::UnixMillis> m_last_retention{0};
    IdempotencyInFlight m_idempotency; // Idempotency-Key requests still running (RES-4)
    std::unique_ptr<WorkerPool> m_hash_pool;
    std::unique_ptr<WorkerPool> m_job_pool; // CSV imports: one at a time beside the handlers
    std::unique_ptr<SecretStore> m_secrets; // key under config.data_dir/keys, read on first use
    std::unique_ptr<SecurityMonitor> m_security; // security events, source blocks (AUD-5, TEN-2)
    AppServices m_services;
    std::unique_ptr<WorkerPool> m_handlers; // last member: destroyed (drained) first
};

} // namespace stronghold::server

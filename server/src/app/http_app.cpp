#include "app/http_app.hpp"

#include "app/handlers.hpp"
#include "app/idempotency.hpp"
#include "app/middleware.hpp"
#include "app/query.hpp"
#include "app/restrictions.hpp"
#include "app/router.hpp"
#include "app/security_headers.hpp"
#include "util/log.hpp"

#include <chrono>

namespace stronghold::server {

namespace {

Response internal_error()
{
    return error_response(api::ErrorCode::internal, "internal error");
}

} // namespace

HttpApp::HttpApp(AppConfig config, Store& store, HttpAppOptions options)
    : m_hash_pool(std::make_unique<WorkerPool>("hash", config.hash_threads, config.hash_queue_limit)),
      m_job_pool(std::make_unique<WorkerPool>("job", 1, k_job_queue_limit)),
      m_secrets(std::make_unique<SodiumSecretStore>(config.data_dir)),
      m_services{config, store, m_hub, options.clock, *m_hash_pool,
                 // The dummy's password is random and thrown away: nobody can log in with it.
                 crypto::password_hash(crypto::random_token(), options.dummy_hash_params), 0},
      m_handlers(std::make_unique<WorkerPool>("handler", config.handler_threads, options.handler_queue_limit))
{
    // Live sockets opened under a JITA grant close at its end (the hub compares by this clock).
    m_hub.set_clock([clock = m_services.clock]() -> std::int64_t {
        try {
            return clock();
        } catch (const std::exception&) {
            return 0; // a broken clock closes nothing
        }
    });
    m_services.started_at = m_services.clock();
    m_services.secrets = m_secrets.get();
    m_services.job_pool = m_job_pool.get();
    m_security = std::make_unique<SecurityMonitor>(store, m_services.clock, options.security_responses);
    m_services.security = m_security.get();
    m_services.password_params = options.dummy_hash_params; // "same cost as real users' hashes"
    // AUD-4: retention once at start, before the first request (its progress marks keep a restart
    // cheap), then hourly (apply_retention_when_due).
    m_last_retention = m_services.started_at;
    (void)run_audit_retention(store, m_services.started_at);
}

HttpApp::~HttpApp()
{
    m_handlers.reset(); // may still submit logins to the hash pool: drain it first
    m_job_pool.reset(); // a running import finishes (its batches are whole either way)
    m_hash_pool.reset();
}

void HttpApp::handle(Request request, std::function<void(Response)> done)
{
    auto started = std::chrono::steady_clock::now();
    // Every answer leaves through here: security headers and one log line, never bodies,
    // cookies or query values (they may hold personal data such as a searched email).
    Done finish = [done = std::move(done), started, method = request.method, path = std::string(request.path()),
                   ip = request.remote_ip](Response r) {
        add_security_headers(r);
        auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        log::info("http.request", {{"method", method}, {"path", path}, {"status", r.status}, {"ms", ms}, {"ip", ip}});
        done(std::move(r));
    };
    auto call = std::make_shared<Call>();
    call->request = std::move(request);
    call->done = finish;
    if (!m_handlers->try_submit([this, call] { dispatch(std::move(*call)); }))
        finish(error_response(api::ErrorCode::unavailable, "the server is busy; try again shortly"));
    purge_trash_when_due();
    checkpoint_audit_when_due();
    apply_retention_when_due();
}

template <class Job>
void HttpApp::run_when_due(std::atomic<model::UnixMillis>& last_run, model::UnixMillis every, Job job)
{
    model::UnixMillis now = 0;
    try {
        now = m_services.clock();
    } catch (const std::exception&) {
        return; // a broken clock already answered the request with 500
    }
    auto last = last_run.load();
    if (last != 0 && now - last < every)
        return;
    if (!last_run.compare_exchange_strong(last, now))
        return;
    (void)m_handlers->try_submit([job = std::move(job), now] { job(now); });
}

// RES-1: the trash purge, first request after start, then one an hour (by the app's clock, so
// tests can move time).
void HttpApp::purge_trash_when_due()
{
    run_when_due(m_last_purge, 60LL * 60 * 1000, [this](model::UnixMillis now) {
        auto purged = purge_expired_trash(m_services.store, now);
        if (!purged)
            log::error("trash.purge_failed", {{"code", api::to_string(purged.error().code)}});
        else if (*purged > 0)
            log::info("trash.purged", {{"records", *purged}});
    });
}

// AUD-4: a signed checkpoint of every audit chain that moved, every 5 minutes (and at each
// start, by the store): truncating the log's tail past a checkpoint is detected by verify.
void HttpApp::checkpoint_audit_when_due()
{
    run_when_due(m_last_audit_checkpoint, 5LL * 60 * 1000, [this](model::UnixMillis now) {
        auto written = m_services.store.checkpoint_audit(now);
        if (!written)
            log::error("audit.checkpoint_failed", {{"code", api::to_string(written.error().code)}});
    });
}

// AUD-4: audit rows past their kind's retention lose their details (their chain links stay),
// security events past "security" go; at start (the constructor), then hourly by the app's clock.
void HttpApp::apply_retention_when_due()
{
    run_when_due(m_last_retention, 60LL * 60 * 1000,
                 [this](model::UnixMillis now) { (void)run_audit_retention(m_services.store, now); });
}

void HttpApp::dispatch(Call call)
{
    auto done = call.done;
    try {
        auto& req = call.request;
        if (auto e = check_media_type(req))
            return done(error_response(*e));
        if (is_state_changing(req.method))
            if (auto e = check_origin(req, false))
                return done(error_response(*e));

        auto path = req.path();
        if (!path.starts_with("/api/") && path != "/healthz") {
            if (req.method != "GET") {
                auto r = error_response(api::ErrorCode::method_not_allowed, "method not allowed");
                r.set_header("Allow", "GET");
                return done(std::move(r));
            }
            return done(serve_static(m_services.config, path));
        }

        auto match = api_router().match(req.method, path);
        if (match.kind == RouteMatch::Kind::not_found)
            return done(not_found_response());
        if (match.kind == RouteMatch::Kind::method_not_allowed) {
            auto r = error_response(api::ErrorCode::method_not_allowed, "method not allowed");
            r.set_header("Allow", match.allow);
            return done(std::move(r));
        }
        const Route& route = *match.route;
        call.params = std::move(match.params);
        // TEN-2/AUD-5: a blocked source is refused before anything else is looked at.
        const auto now = m_services.clock();
        std::vector<std::string> sources{"ip:" + req.remote_ip};
        if (auto block = m_security->blocked(sources, now))
            return done(blocked_response(*block, now));

        std::shared_ptr<RequestTrace> trace;
        if (route.needs_session) {
            auto auth = authenticate(m_services, req);
            if (!auth)
                return done(error_response(auth.error()));
            call.auth = std::move(*auth);
            sources = {"user:" + call.auth->user.id, "session:" + call.auth->session.id};
            if (auto block = m_security->blocked(sources, now))
                return done(blocked_response(*block, now));
            // The answer is classified after it has left (a cross-tenant 404 keeps the timing of a
            // missing record's; 403 and 5xx bursts are counted).
            trace = std::make_shared<RequestTrace>();
            trace->method = req.method;
            trace->pattern = route.pattern;
            trace->params = call.params;
            trace->ip = req.remote_ip;
            trace->user_agent = std::string(req.user_agent());
            trace->auth = *call.auth;
            call.done = [this, trace, inner = call.done](Response r) {
                const int status = r.status;
                inner(std::move(r));
                if (status == 404 || status == 403 || status >= 500)
                    m_security->after_answer(m_services, *trace, status);
            };
            done = call.done;
            // A session restricted to changing the password or enrolling 2FA (IAM-2, IAM-3).
            if (auto e = check_restrictions(m_services, *call.auth, path))
                return done(error_response(*e));
        }
        // ACC-3: a staff member's grant opens one sub-account, never its agency's settings.
        if (call.auth && call.auth->staff && route.pattern.find("{agency_id}") != std::string::npos)
            return done(not_found_response());
        if (route.pattern.find("{account_id}") != std::string::npos) {
            auto account = resolve_account(m_services, *call.auth, call.param("account_id"));
            if (!account)
                return done(account.error().code == api::ErrorCode::forbidden ? error_response(account.error())
                                                                               : not_found_response());
            call.account = std::move(*account);
            if (trace)
                trace->account = call.account;
            // ACC-4: refused under a JITA grant whatever the role would allow; ACC-5: reads counted.
            if (call.jita_grant()) {
                if (route.jita_guard && access::refused_under_jita(route.jita_guard->first, route.jita_guard->second))
                    return done(jita_refused_response());
                m_security->note_staff_request(m_services, call);
            }
            if (route.account_action)
                if (auto st = check_account_permission(*call.auth, *call.account, *route.account_action); !st)
                    return done(st.error().code == api::ErrorCode::not_found ? not_found_response()
                                                                             : error_response(st.error()));
        }
        if (answer_from_idempotency_key(m_services, m_idempotency, call))
            return;
        route.handler(m_services, std::move(call));
    } catch (const std::exception& e) {
        log::error("http.handler_exception", {{"what", e.what()}});
        done(internal_error());
    } catch (...) {
        log::error("http.handler_exception", {});
        done(internal_error());
    }
}

Result<LiveAuth> HttpApp::check_live(const Request& upgrade)
{
    if (upgrade.path() != "/api/v1/live")
        return api::make_error(api::ErrorCode::not_found, "not found");
    // A browser WebSocket cannot send custom headers, so Origin is the CSRF defence here (NET-2).
    if (auto e = check_origin(upgrade, true))
        return *e;
    auto auth = authenticate(m_services, upgrade);
    if (!auth)
        return auth.error();
    if (auto e = check_restrictions(m_services, *auth, upgrade.path()))
        return *e;
    auto params = parse_query(upgrade.query());
    if (!params)
        return params.error();
    std::string account_id;
    for (const auto& [k, v] : *params)
        if (k == "account_id")
            account_id = v;
    auto account = resolve_account(m_services, *auth, account_id);
    if (!account)
        return account.error();
    if (auto st = check_account_permission(*auth, *account, access::Action::contact_view); !st)
        return st.error();
    const auto* grant = auth->staff ? auth->grant_for(account->id) : nullptr;
    return LiveAuth{account->id, auth->user.id, auth->session.token_hash, grant ? grant->expires_at : 0};
}

void HttpApp::authorize_live(Request upgrade, std::function<void(Result<LiveAuth>)> done)
{
    auto shared = std::make_shared<Request>(std::move(upgrade));
    auto cb = std::make_shared<std::function<void(Result<LiveAuth>)>>(std::move(done));
    bool queued = m_handlers->try_submit([this, shared, cb] {
        try {
            auto result = check_live(*shared);
            log::info("live.authorize",
                      {{"status", result ? 101 : api::http_status(result.error().code)}, {"ip", shared->remote_ip}});
            (*cb)(std::move(result));
        } catch (const std::exception& e) {
            log::error("live.authorize_exception", {{"what", e.what()}});
            (*cb)(api::make_error(api::ErrorCode::internal, "internal error"));
        }
    });
    if (!queued)
        (*cb)(api::make_error(api::ErrorCode::unavailable, "the server is busy; try again shortly"));
}

} // namespace stronghold::server

// Security events and automatic responses (AUD-5, TEN-2): see security_events.hpp.
//
// [SECTION] Raising and responding
// [SECTION] Blocks
// [SECTION] Classifying answers (cross-tenant 404s, 403 and 5xx bursts)
// [SECTION] Risk monitoring of platform staff (ACC-5)
// [SECTION] Wire form
#include "app/security_events.hpp"

#include "stronghold/access/admin.hpp"
#include "stronghold/model/time.hpp"
#include "util/log.hpp"

#include <algorithm>

namespace stronghold::server {

std::string source_key_of(const ActorRef& actor)
{
    if ((actor.type == "user" || actor.type == "staff") && !actor.id.empty())
        return "user:" + actor.id; // the http app checks blocks by "user:<id>" for every session
    return "ip:" + actor.ip;
}

SecurityEvent make_security_event(const AppServices& services, const ActorRef& actor, std::string kind,
                                  std::string severity)
{
    SecurityEvent e;
    e.at = services.clock();
    e.id = crypto::time_ordered_id("ev", e.at);
    e.kind = std::move(kind);
    e.severity = std::move(severity);
    e.source_key = source_key_of(actor);
    e.ip = actor.ip;
    e.actor_type = actor.id.empty() ? "anonymous" : actor.type;
    e.actor_id = actor.id;
    return e;
}

void raise_security_event(AppServices& services, SecurityEvent event, const ActorRef& actor, std::string target_type,
                          std::string target_id)
{
    if (services.security)
        services.security->raise(services, std::move(event), actor, std::move(target_type), std::move(target_id));
    else
        log::warn("security.event_unmonitored", {{"kind", event.kind}});
}

void raise_security_event(AppServices& services, const SecurityEvent& event, const AuditEntry& audit)
{
    if (services.security)
        services.security->raise(services, event, audit);
    else if (auto st = services.store.record_security_event(event, audit); !st)
        log::error("security.event_write_failed", {{"kind", event.kind}, {"code", api::to_string(st.error().code)}});
}

SecurityMonitor::SecurityMonitor(Store& store, const Clock& clock, bool respond) : m_store(store), m_respond(respond)
{
    model::UnixMillis now = 0;
    try {
        now = clock();
    } catch (const std::exception&) {
    }
    if (auto blocks = store.active_blocks(now))
        for (auto& b : *blocks)
            m_blocks[b.source_key] = std::move(b);
    else
        log::error("security.blocks_load_failed", {{"code", api::to_string(blocks.error().code)}});
}

// [SECTION] Raising and responding

namespace {

AuditEntry event_audit(const SecurityEvent& e, const ActorRef& actor, std::string target_type, std::string target_id)
{
    AuditEntry a;
    a.at = e.at;
    a.agency_id = e.agency_id;
    a.account_id = e.account_id;
    a.actor = actor;
    a.action = "security." + e.kind;
    a.target_type = std::move(target_type);
    a.target_id = std::move(target_id);
    a.outcome = "denied";
    a.details = e.details;
    a.details["event_id"] = e.id;
    a.details["severity"] = e.severity;
    return a;
}

} // namespace

void SecurityMonitor::raise(AppServices& services, SecurityEvent event, const ActorRef& actor, std::string target_type,
                            std::string target_id)
{
    raise(services, event, event_audit(event, actor, std::move(target_type), std::move(target_id)));
}

void SecurityMonitor::raise(AppServices& services, const SecurityEvent& event, const AuditEntry& audit)
{
    if (auto st = m_store.record_security_event(event, audit); !st) {
        log::error("security.event_write_failed", {{"kind", event.kind}, {"code", api::to_string(st.error().code)}});
        return;
    }
    log::warn("security.event", {{"kind", event.kind}, {"severity", event.severity}, {"id", event.id}});
    apply_rule(services, event, audit.actor);
}

void SecurityMonitor::apply_rule(AppServices& services, const SecurityEvent& cause, const ActorRef& actor)
{
    const auto rule = std::find_if(std::begin(k_response_rules), std::end(k_response_rules),
                                   [&](const ResponseRule& r) { return r.kind == cause.kind; });
    if (!m_respond || rule == std::end(k_response_rules) || cause.source_key.empty())
        return;
    auto seen = m_store.count_security_events(cause.source_key, cause.kind, cause.at - rule->window_ms + 1);
    if (!seen || *seen < rule->count)
        return;
    SourceBlock block{cause.source_key, cause.at + rule->block_ms, std::string(cause.kind), cause.id};
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_blocks.find(block.source_key); it != m_blocks.end() && it->second.until >= block.until)
            return; // already blocked at least this long
    }
    auto event = make_security_event(services, actor, "source_blocked", "high");
    event.at = cause.at;
    event.source_key = cause.source_key; // the block's own event never counts toward another block
    event.agency_id = cause.agency_id;
    event.account_id = cause.account_id;
    event.details = {{"source", block.source_key},
                     {"reason", block.reason},
                     {"cause_event_id", cause.id},
                     {"events", *seen},
                     {"until", model::format_iso8601(block.until)}};
    auto audit = event_audit(event, actor, "source", block.source_key);
    if (auto st = m_store.block_source(block, event, audit); !st) {
        log::error("security.block_write_failed", {{"code", api::to_string(st.error().code)}});
        return;
    }
    log::warn("security.source_blocked", {{"source", block.source_key}, {"reason", block.reason}});
    std::lock_guard lock(m_mutex);
    m_blocks[block.source_key] = std::move(block);
}

// [SECTION] Blocks

std::optional<SourceBlock> SecurityMonitor::blocked(const std::vector<std::string>& keys, model::UnixMillis now) const
{
    std::lock_guard lock(m_mutex);
    for (const auto& k : keys)
        if (auto it = m_blocks.find(k); it != m_blocks.end() && it->second.until > now)
            return it->second;
    return std::nullopt;
}

Response blocked_response(const SourceBlock& block, model::UnixMillis now)
{
    auto r = error_response(api::ErrorCode::rate_limited,
                            "requests from this source are blocked for a while after repeated security events");
    r.set_header("Retry-After", std::to_string(std::max<model::UnixMillis>(1, (block.until - now + 999) / 1000)));
    return r;
}

// [SECTION] Classifying answers (cross-tenant 404s, 403 and 5xx bursts)

bool SecurityMonitor::note_burst(std::deque<model::UnixMillis>& times, model::UnixMillis now, std::size_t limit,
                                 model::UnixMillis window)
{
    while (!times.empty() && times.front() <= now - window)
        times.pop_front();
    times.push_back(now);
    if (times.size() < limit)
        return false;
    times.clear(); // one event per burst
    return true;
}

void SecurityMonitor::after_answer(AppServices& services, const RequestTrace& trace, int status)
{
    try {
        const auto now = services.clock();
        ActorRef actor{trace.auth && trace.auth->staff ? "staff" : "user", trace.auth ? trace.auth->user.id : std::string{}, trace.ip, trace.user_agent};
        if (status == 404 && trace.auth) {
            classify_not_found(services, trace);
        } else if (status == 403 && trace.auth) {
            bool burst = false;
            {
                std::lock_guard lock(m_mutex);
                burst = note_burst(m_denied[source_key_of(actor)], now, k_denied_burst, k_denied_window_ms);
            }
            if (burst) {
                auto e = make_security_event(services, actor, "permission_denied_burst", "medium");
                if (trace.account) {
                    e.agency_id = trace.account->agency_id;
                    e.account_id = trace.account->id;
                }
                e.details = {{"refusals", k_denied_burst}, {"window_s", k_denied_window_ms / 1000}};
                raise(services, std::move(e), actor);
            }
        } else if (status >= 500) {
            bool spike = false;
            {
                std::lock_guard lock(m_mutex);
                spike = note_burst(m_errors, now, k_error_spike, k_error_window_ms);
            }
            if (spike) {
                auto e = make_security_event(services, actor, "error_rate_spike", "high");
                e.source_key.clear(); // platform-wide: no source to block
                e.details = {{"errors", k_error_spike}, {"window_s", k_error_window_ms / 1000}};
                raise(services, std::move(e), actor);
            }
        }
    } catch (const std::exception& e) {
        log::error("security.classify_failed", {{"what", e.what()}});
    }
}

// [SECTION] Risk monitoring of platform staff (ACC-5)

void SecurityMonitor::note_staff_request(AppServices& services, const Call& call)
{
    const auto* grant = call.jita_grant();
    if (!grant || call.request.method != "GET")
        return;
    bool burst = false;
    {
        std::lock_guard lock(m_mutex);
        burst = note_burst(m_staff_reads[call.auth->user.id], services.clock(), k_jita_read_burst,
                           k_jita_read_window_ms);
    }
    if (!burst)
        return;
    const auto actor = call.actor_ref();
    auto e = make_security_event(services, actor, "jita_bulk_read", "high");
    e.agency_id = grant->agency_id;
    e.account_id = grant->account_id;
    e.details = {{"grant_id", grant->id}, {"reads", k_jita_read_burst}, {"window_s", k_jita_read_window_ms / 1000}};
    raise(services, std::move(e), actor, "jita_grant", grant->id);
}

void SecurityMonitor::note_grant_request(AppServices& services, const Call& call, const JitaGrant& grant)
{
    const auto since = services.clock() - k_jita_accounts_window_ms;
    const auto accounts = m_store.granted_accounts_since(grant.staff_id, since);
    if (accounts < k_jita_many_accounts)
        return;
    const auto actor = call.actor_ref();
    auto e = make_security_event(services, actor, "jita_many_accounts", "high");
    e.agency_id = grant.agency_id;
    e.account_id = grant.account_id;
    e.details = {{"grant_id", grant.id}, {"accounts", accounts}, {"window_s", k_jita_accounts_window_ms / 1000}};
    raise(services, std::move(e), actor, "jita_grant", grant.id);
}

namespace {

const std::string* param_of(const PathParams& params, std::string_view name)
{
    for (const auto& [k, v] : params)
        if (k == name)
            return &v;
    return nullptr;
}

} // namespace

// A 404 names another tenant when a sub-account or agency in the path exists but the caller may
// not open it, or an id in the path belongs to a tenant other than the path's (or, on /me
// routes, to another user). The 404 itself has already been answered.
void SecurityMonitor::classify_not_found(AppServices& services, const RequestTrace& trace)
{
    const auto& actor_ctx = trace.auth->actor;
    std::optional<TenantScope> target;
    std::string target_type, target_id;
    if (const auto* account_id = param_of(trace.params, "account_id"); account_id && !trace.account) {
        if (auto account = services.store.find_account(*account_id);
            account && !access::can_open_account(actor_ctx, account->agency_id, account->id)) {
            target = TenantScope{account->agency_id, account->id};
            target_type = "account";
            target_id = account->id;
        }
    }
    if (const auto* agency_id = param_of(trace.params, "agency_id"); !target && agency_id) {
        if (!access::is_member_of_agency(actor_ctx, *agency_id) && services.store.find_agency(*agency_id)) {
            target = TenantScope{*agency_id, {}};
            target_type = "agency";
            target_id = *agency_id;
        }
    }
    for (const auto& [name, value] : trace.params) {
        if (target || name == "account_id" || name == "agency_id" || name == "n")
            continue;
        auto owner = services.store.locate_id(value);
        if (!owner || owner->tenants.empty())
            continue; // missing everywhere: an ordinary 404
        const auto* agency_id = param_of(trace.params, "agency_id");
        bool ours = false;
        for (const auto& t : owner->tenants) {
            if (trace.account)
                ours = ours || t.account_id == trace.account->id ||
                       (t.account_id.empty() && t.agency_id == trace.account->agency_id);
            else if (agency_id)
                ours = ours || t.agency_id == *agency_id;
        }
        if (!trace.account && !agency_id) // /me/...: only the caller's own things
            ours = owner->user_id == trace.auth->user.id;
        if (!ours) {
            target = owner->tenants.front();
            target_type = "id";
            target_id = value;
        }
    }
    if (!target)
        return;
    ActorRef actor{trace.auth->staff ? "staff" : "user", trace.auth->user.id, trace.ip, trace.user_agent};
    auto e = make_security_event(services, actor, "cross_tenant_attempt", "high");
    e.agency_id = target->agency_id;
    e.account_id = target->account_id;
    e.details = {{"method", trace.method}, {"route", trace.pattern}};
    raise(services, std::move(e), actor, target_type, target_id);
}

// [SECTION] Wire form

nlohmann::json security_event_json(const SecurityEvent& e)
{
    return {{"id", e.id},
            {"at", model::format_iso8601(e.at)},
            {"agency_id", e.agency_id},
            {"account_id", e.account_id},
            {"kind", e.kind},
            {"severity", e.severity},
            {"source", e.source_key},
            {"ip", e.ip},
            {"actor", {{"type", e.actor_type}, {"id", e.actor_id}}},
            {"details", e.details}};
}

} // namespace stronghold::server

#include "app/trust.hpp"

#include "app/admin.hpp"
#include "app/wire_read.hpp"

#include <algorithm>
#include <map>

namespace stronghold::web::app {
namespace {

using nlohmann::json;

// A string member, present and a string (an empty one is fine); false otherwise.
bool read_str(const json& j, const char* key, std::string& out) {
    if (!j.is_object()) return false;
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return false;
    out = it->get<std::string>();
    return true;
}

bool read_int(const json& j, const char* key, std::int64_t& out) {
    if (!j.is_object()) return false;
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) return false;
    out = it->get<std::int64_t>();
    return true;
}

std::optional<std::string> cursor_of(const json& body) {
    auto it = body.find("next_cursor");
    if (it != body.end() && it->is_string()) return it->get<std::string>();
    return std::nullopt;
}

// "snake_case_words" -> "Snake case words"
std::string words_of(std::string_view wire) {
    std::string out(wire);
    for (char& c : out)
        if (c == '_') c = ' ';
    return wire::sentence(std::move(out));
}

// A time as typed in a filter: ISO 8601, or a date alone (midnight UTC).
std::optional<model::UnixMillis> typed_time(const std::string& text) {
    if (auto t = model::parse_iso8601(text)) return t;
    if (text.size() == 10) return model::parse_iso8601(text + "T00:00:00Z");
    return std::nullopt;
}

} // namespace

// [SECTION] Audit rows

std::optional<AuditScope> audit_scope(const Me& me, const std::string& account_id) {
    if (const auto agencies = me.event_agencies(); !agencies.empty()) return AuditScope{agency_path(agencies.front()) + "/audit", "the whole agency"};
    const AccountRef* account = me.account(account_id);
    if (account && access::has_capability(me.actor(), access::Capability::view_audit_log, account->agency_id, account->id))
        return AuditScope{account_path(account->id) + "/audit", account->name};
    return std::nullopt;
}

std::optional<AuditRow> audit_row_from_json(const json& j) {
    if (!j.is_object()) return std::nullopt;
    AuditRow row;
    auto& e = row.entry;
    const json* actor = j.contains("actor") && j["actor"].is_object() ? &j["actor"] : nullptr;
    const json* target = j.contains("target") && j["target"].is_object() ? &j["target"] : nullptr;
    const json* chain = j.contains("chain") && j["chain"].is_object() ? &j["chain"] : nullptr;
    if (!actor || !target || !chain) return std::nullopt;
    if (!read_int(j, "seq", e.seq) || !read_str(j, "at", row.at_iso) || !read_str(j, "agency_id", e.agency_id) ||
        !read_str(j, "account_id", e.account_id) || !read_str(*actor, "type", e.actor_type) || !read_str(*actor, "id", e.actor_id) ||
        !read_str(j, "action", e.action) || !read_str(*target, "type", e.target_type) || !read_str(*target, "id", e.target_id) ||
        !read_str(j, "ip", e.ip) || !read_str(j, "user_agent", e.user_agent) || !read_str(j, "outcome", e.outcome) ||
        !read_int(*chain, "n", e.n) || !read_str(*chain, "prev_hash", e.prev_hash) || !read_str(*chain, "hash", e.hash))
        return std::nullopt;
    // grant_id is "" for rows that were not written under a JITA grant; an older server omits it.
    if (actor->contains("grant_id") && !read_str(*actor, "grant_id", e.grant_id)) return std::nullopt;
    const auto at = model::parse_iso8601(row.at_iso);
    if (!at) return std::nullopt;
    e.at = *at;
    // The details the page shows are the ones hashed: the server's dump is nlohmann's, as ours,
    // so an object parsed and dumped again is byte for byte the stored text. Only when retention
    // removed them does the row's details_hash stand in.
    auto details = j.find("details");
    if (details != j.end() && details->is_object()) {
        row.details = *details;
        e.details = details->dump();
    } else {
        row.details_pruned = true;
        if (!read_str(*chain, "details_hash", e.details_hash) || e.details_hash.empty()) return std::nullopt;
    }
    return row;
}

std::optional<AuditPage> audit_page_from_json(const json& body) {
    if (!body.is_object() || !body.contains("items") || !body["items"].is_array()) return std::nullopt;
    AuditPage page;
    for (const auto& item : body["items"]) {
        auto row = audit_row_from_json(item);
        if (!row) return std::nullopt; // a row we cannot read could hide a break: the page is refused
        page.rows.push_back(std::move(*row));
    }
    page.next_cursor = cursor_of(body);
    return page;
}

std::string actor_label(const AuditRow& row) {
    const auto& e = row.entry;
    if (e.actor_id.empty()) return e.actor_type.empty() ? "system" : e.actor_type;
    std::string out = e.actor_type + " " + e.actor_id;
    if (!e.grant_id.empty()) out += " via " + e.grant_id;
    return out;
}

std::string target_label(const AuditRow& row) {
    const auto& e = row.entry;
    if (e.target_id.empty()) return e.target_type;
    return e.target_type.empty() ? e.target_id : e.target_type + " " + e.target_id;
}

std::string short_time(const std::string& iso) {
    if (iso.size() < 19 || iso[10] != 'T') return iso;
    return iso.substr(0, 10) + " " + iso.substr(11, 8) + " UTC";
}

// [SECTION] Chain verification of what is shown

ChainVerdict verify_rows(const std::vector<AuditRow>& rows) {
    ChainVerdict v;
    auto fail = [&](audit::Break reason, std::size_t index, std::string detail) {
        if (!v.ok()) return;
        v.reason = reason;
        v.index = index;
        v.seq = rows[index].entry.seq;
        v.n = rows[index].entry.n;
        v.detail = std::move(detail);
    };
    // Every row: its fields must give its hash.
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& e = rows[i].entry;
        ++v.entries;
        if (audit::entry_hash(e.prev_hash, e) != e.hash)
            fail(audit::Break::hash_mismatch, i, "its fields do not give its stored hash (the entry was edited)");
    }
    // Links, per chain, in seq order.
    std::map<std::string, std::vector<std::size_t>> chains;
    for (std::size_t i = 0; i < rows.size(); ++i) chains[rows[i].entry.agency_id].push_back(i);
    for (auto& [agency, idx] : chains) {
        std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return rows[a].entry.seq < rows[b].entry.seq; });
        for (std::size_t k = 0; k < idx.size(); ++k) {
            const auto& e = rows[idx[k]].entry;
            if (e.n == 1) {
                ++v.links;
                if (e.prev_hash != audit::k_genesis_hash)
                    fail(audit::Break::prev_mismatch, idx[k], "the first entry of the chain does not start from the genesis hash");
            }
            if (k == 0) continue;
            const auto& prev = rows[idx[k - 1]].entry;
            if (e.n <= prev.n) {
                fail(audit::Break::reordered, idx[k], "its chain position is not after the position of the entry written before it");
            } else if (e.n == prev.n + 1) {
                ++v.links;
                if (e.prev_hash != prev.hash)
                    fail(audit::Break::prev_mismatch, idx[k], "it does not link to the entry before it (prev_hash differs from that entry's hash)");
            }
        }
    }
    return v;
}

std::string verdict_text(const ChainVerdict& v) {
    if (v.ok()) {
        std::string out = "Chain verified for " + std::to_string(v.entries) + (v.entries == 1 ? " entry" : " entries");
        // A contiguous page has one link fewer than entries (its oldest links to a row not shown): only gaps are worth saying.
        if (v.links + 1 < v.entries) out += " (" + std::to_string(v.links) + (v.links == 1 ? " link" : " links") + " checked)";
        return out;
    }
    return "Broken at entry " + std::to_string(v.seq) + " (position " + std::to_string(v.n) + "): " +
           std::string(audit::to_string(v.reason)) + " - " + v.detail;
}

// [SECTION] Audit filters

std::string audit_query(const AuditFilters& f, std::string (*encode)(const std::string&), std::optional<FilterError>& error) {
    error.reset();
    std::string out;
    auto add = [&](const char* name, const std::string& value) {
        if (value.empty()) return;
        if (!out.empty()) out += '&';
        out += name;
        out += '=';
        out += encode(value);
    };
    const auto trim = [](std::string s) {
        while (!s.empty() && s.front() == ' ') s.erase(s.begin());
        while (!s.empty() && s.back() == ' ') s.pop_back();
        return s;
    };
    const std::string since = trim(f.since), until = trim(f.until);
    std::optional<model::UnixMillis> t_since, t_until;
    if (!since.empty() && !(t_since = typed_time(since))) {
        error = FilterError{"since", "Use a date (2026-11-26) or an ISO 8601 time (2026-11-26T08:00:00Z)"};
        return {};
    }
    if (!until.empty() && !(t_until = typed_time(until))) {
        error = FilterError{"until", "Use a date (2026-11-26) or an ISO 8601 time (2026-11-26T08:00:00Z)"};
        return {};
    }
    if (t_since && t_until && *t_until <= *t_since) {
        error = FilterError{"until", "Must be later than Since"};
        return {};
    }
    add("actor", trim(f.actor));
    add("action", trim(f.action));
    add("target", trim(f.target));
    if (t_since) add("since", std::to_string(*t_since));
    if (t_until) add("until", std::to_string(*t_until));
    return out;
}

// [SECTION] Security events

std::string_view severity_label(Severity s) {
    switch (s) {
    case Severity::low: return "Low";
    case Severity::medium: return "Medium";
    case Severity::high: return "High";
    case Severity::critical: return "Critical";
    }
    return "Medium";
}

std::string kind_label(std::string_view kind) {
    if (kind == "cross_tenant_attempt") return "Cross-tenant attempt";
    if (kind == "error_rate_spike") return "Error-rate spike";
    return words_of(kind);
}

std::string details_line(const json& details) {
    if (!details.is_object()) return {};
    std::string out;
    for (auto it = details.begin(); it != details.end(); ++it) {
        if (!out.empty()) out += "  \xC2\xB7  "; // middle dot
        out += it.key() + " ";
        out += it->is_string() ? it->get<std::string>() : it->dump();
    }
    return out;
}

std::optional<SecurityEventPage> security_events_from_json(const json& body) {
    if (!body.is_object() || !body.contains("items") || !body["items"].is_array()) return std::nullopt;
    SecurityEventPage page;
    for (const auto& j : body["items"]) {
        SecurityEvent e;
        std::string severity;
        if (!read_str(j, "id", e.id) || !read_str(j, "kind", e.kind) || !read_str(j, "severity", severity)) continue;
        if (severity == "low") e.severity = Severity::low;
        else if (severity == "medium") e.severity = Severity::medium;
        else if (severity == "high") e.severity = Severity::high;
        else if (severity == "critical") e.severity = Severity::critical;
        else continue;
        e.at_iso = wire::str(j, "at");
        e.agency_id = wire::str(j, "agency_id");
        e.account_id = wire::str(j, "account_id");
        e.source = wire::str(j, "source");
        e.ip = wire::str(j, "ip");
        if (j.contains("actor")) {
            e.actor_type = wire::str(j["actor"], "type");
            e.actor_id = wire::str(j["actor"], "id");
        }
        if (j.contains("details") && j["details"].is_object()) e.details = j["details"];
        page.items.push_back(std::move(e));
    }
    page.next_cursor = cursor_of(body);
    return page;
}

// [SECTION] JITA grants

std::string_view grant_status_label(GrantStatus s) {
    switch (s) {
    case GrantStatus::pending: return "Pending";
    case GrantStatus::active: return "Active";
    case GrantStatus::denied: return "Denied";
    case GrantStatus::revoked: return "Revoked";
    case GrantStatus::expired: return "Expired";
    }
    return "Pending";
}

std::optional<StaffGrant> staff_grant_from_json(const json& j) {
    StaffGrant g;
    std::string status;
    if (!read_str(j, "id", g.id) || !read_str(j, "account_id", g.account_id) || !read_str(j, "status", status) ||
        !read_int(j, "hours", g.hours))
        return std::nullopt;
    static constexpr std::pair<std::string_view, GrantStatus> k_status[] = {
        {"pending", GrantStatus::pending}, {"active", GrantStatus::active}, {"denied", GrantStatus::denied},
        {"revoked", GrantStatus::revoked}, {"expired", GrantStatus::expired}};
    auto it = std::find_if(std::begin(k_status), std::end(k_status), [&](const auto& p) { return p.first == status; });
    if (it == std::end(k_status)) return std::nullopt;
    g.status = it->second;
    g.agency_id = wire::str(j, "agency_id");
    g.account_name = wire::str(j, "account_name");
    g.staff_id = wire::str(j, "staff_id");
    g.staff_email = wire::str(j, "staff_email");
    g.staff_role = wire::str(j, "staff_role");
    g.reason = wire::str(j, "reason");
    g.requested_at = wire::str(j, "requested_at");
    g.decided_at = wire::str(j, "decided_at");
    g.decided_by = wire::str(j, "decided_by");
    g.expires_at = wire::str(j, "expires_at");
    g.revoked_at = wire::str(j, "revoked_at");
    g.revoked_by = wire::str(j, "revoked_by");
    return g;
}

std::optional<std::vector<StaffGrant>> staff_grants_from_json(const json& body) {
    if (!body.is_object() || !body.contains("items") || !body["items"].is_array()) return std::nullopt;
    std::vector<StaffGrant> out;
    for (const auto& item : body["items"])
        if (auto g = staff_grant_from_json(item)) out.push_back(std::move(*g));
    const auto rank = [](GrantStatus s) { return s == GrantStatus::pending ? 0 : s == GrantStatus::active ? 1 : 2; };
    std::stable_sort(out.begin(), out.end(), [&](const StaffGrant& a, const StaffGrant& b) {
        if (rank(a.status) != rank(b.status)) return rank(a.status) < rank(b.status);
        // ISO 8601 UTC strings of one format sort as their instants.
        return rank(a.status) == 0 ? a.requested_at < b.requested_at : a.requested_at > b.requested_at;
    });
    return out;
}

bool can_approve(const StaffGrant& g) { return g.status == GrantStatus::pending; }
bool can_deny(const StaffGrant& g) { return g.status == GrantStatus::pending; }
bool can_revoke(const StaffGrant& g) { return g.status == GrantStatus::pending || g.status == GrantStatus::active; }

// [SECTION] Operator console (platform staff)

std::optional<std::vector<Figure>> staff_overview_from_json(const json& body) {
    static constexpr std::pair<const char*, const char*> k_figures[] = {
        {"agencies", "Agencies"}, {"accounts", "Sub-accounts"}, {"users", "Users"}, {"contacts", "Contacts"},
        {"records", "Records"}, {"security_events_24h", "Security events (24 h)"}, {"active_grants", "Active grants"}};
    std::vector<Figure> out;
    for (const auto& [key, label] : k_figures) {
        Figure f{label, 0};
        if (!read_int(body, key, f.value)) return std::nullopt;
        out.push_back(std::move(f));
    }
    return out;
}

std::optional<json> GrantRequestForm::validate() {
    for (auto& e : m_error) e.clear();
    m_general.clear();
    const auto trimmed = [](std::string s) {
        while (!s.empty() && s.front() == ' ') s.erase(s.begin());
        while (!s.empty() && s.back() == ' ') s.pop_back();
        return s;
    };
    const std::string account = trimmed(m_text[account_id]), why = trimmed(m_text[reason]), h = trimmed(m_text[hours]);
    if (account.empty()) m_error[account_id] = "Enter the sub-account's id (ac_...)";
    if (why.empty()) m_error[reason] = "Say why you need access (it is shown to the agency and audited)";
    int n = 0;
    const bool digits = !h.empty() && h.size() <= 2 && std::all_of(h.begin(), h.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) n = std::stoi(h);
    if (!digits || n < 1 || n > 24) m_error[hours] = "Must be a whole number of hours from 1 to 24";
    for (const auto& e : m_error)
        if (!e.empty()) return std::nullopt;
    return json{{"account_id", account}, {"reason", why}, {"hours", n}};
}

void GrantRequestForm::apply_server_error(const std::string& field, const std::string& message) {
    for (int f = 0; f < field_count; ++f)
        if (field == k_wire[f]) {
            m_error[f] = wire::sentence(message);
            return;
        }
    m_general = wire::sentence(message);
}

void GrantRequestForm::clear() {
    m_text[account_id].clear();
    m_text[reason].clear();
    m_text[hours] = "1";
    for (auto& e : m_error) e.clear();
    m_general.clear();
}

} // namespace stronghold::web::app

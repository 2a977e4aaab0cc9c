// The trust layer's screens' model (issue 6: AUD-1..5, ACC-4/5): audit rows as
// GET /api/v1/{agencies|accounts}/{id}/audit answers them and their in-browser verification with
// the core's chain code (stronghold/audit/chain.hpp, the same code `stronghold audit verify` runs),
// security events (GET /api/v1/agencies/{id}/security-events) and JITA grants
// (GET /api/v1/agencies/{id}/grants, /briefs/jita-contract.md). Pure values, unit-tested (web_tests).
//
// [SECTION] Audit rows
// [SECTION] Chain verification of what is shown
// [SECTION] Audit filters
// [SECTION] Security events
// [SECTION] JITA grants
// [SECTION] Operator console (platform staff)
#pragma once

#include "app/session.hpp"

#include <stronghold/audit/chain.hpp>
#include <stronghold/model/time.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::web::app {

// [SECTION] Audit rows

// Whose log the user may read: the agency's whole chain where core grants view_audit_log
// agency-wide (owner, agency admin), else the current sub-account's (its admin); nullopt when
// neither (the "Audit log" entry is not offered).
struct AuditScope {
    std::string url;   // "/api/v1/agencies/<id>/audit" or "/api/v1/accounts/<id>/audit"
    std::string label; // "the whole agency" or the sub-account's name
};
std::optional<AuditScope> audit_scope(const Me& me, const std::string& account_id);

struct AuditRow {
    audit::ChainEntry entry;   // what the chain hashes, read from the row (details as their JSON text)
    std::string at_iso;        // "at" as the server wrote it
    nlohmann::json details;    // as shown (null when retention removed them)
    bool details_pruned = false; // no details: the row's chain.details_hash stands in for them
};
// One row of the list (or of the JSON export); nullopt when a field the canonical form needs is
// missing or mistyped, so a row is never "verified" from guessed values.
std::optional<AuditRow> audit_row_from_json(const nlohmann::json& j);
// {"items":[...],"next_cursor"}: the rows (nullopt when a row is unreadable) and the cursor.
struct AuditPage {
    std::vector<AuditRow> rows;
    std::optional<std::string> next_cursor; // nullopt on the last page
};
std::optional<AuditPage> audit_page_from_json(const nlohmann::json& body);
std::string actor_label(const AuditRow& row); // "user us_...", "staff us_... via gr_..."
std::string target_label(const AuditRow& row); // "contact ct_..." or "" when none
std::string short_time(const std::string& iso); // "2026-11-26T17:57:03.298Z" -> "2026-11-26 17:57:03 UTC"; "" stays ""

// [SECTION] Chain verification of what is shown
// Each row's hash is recomputed from its fields (audit::entry_hash over its prev_hash); rows of
// one chain at consecutive positions must link (the later's prev_hash is the earlier's hash),
// position 1 links to k_genesis_hash, and positions rise with seq. A page may hold a sub-account's
// rows only (gaps between positions): those gaps are not breaks, they are simply not links.
struct ChainVerdict {
    std::size_t entries = 0;        // rows whose hash was recomputed
    std::size_t links = 0;          // consecutive pairs whose link was checked
    audit::Break reason = audit::Break::none;
    std::size_t index = 0;          // the broken row's index in the rows given (newest first)
    std::int64_t seq = 0, n = 0;    // and its seq and chain position
    std::string detail;             // one sentence for people
    bool ok() const { return reason == audit::Break::none; }
};
ChainVerdict verify_rows(const std::vector<AuditRow>& rows); // rows in any order (the list's: newest first)
// "Chain verified for 50 entries" / "Broken at entry 812 (#97): hash_mismatch - its fields do not give its stored hash"
std::string verdict_text(const ChainVerdict& v);

// [SECTION] Audit filters
struct AuditFilters {
    std::string actor, action, target, since, until; // as typed; since/until ISO 8601 (a date alone is midnight UTC)
};
struct FilterError {
    std::string field; // "actor", "action", "target", "since", "until"
    std::string message;
};
// "actor=...&action=...&since=..." (URL-encoded by `encode`; empty filters left out), or the first
// bad field: a time that is not ISO 8601, until not after since.
std::string audit_query(const AuditFilters& f, std::string (*encode)(const std::string&), std::optional<FilterError>& error);

// [SECTION] Security events
enum class Severity { low, medium, high, critical };
std::string_view severity_label(Severity s); // "Low" ... "Critical"
struct SecurityEvent {
    std::string id, at_iso, agency_id, account_id, kind, source, ip;
    Severity severity = Severity::medium;
    std::string actor_type, actor_id;
    nlohmann::json details = nlohmann::json::object();
};
std::string kind_label(std::string_view kind); // "cross_tenant_attempt" -> "Cross-tenant attempt"
std::string details_line(const nlohmann::json& details); // "method GET · route /api/v1/..." (keys in order)
struct SecurityEventPage {
    std::vector<SecurityEvent> items; // unreadable items skipped
    std::optional<std::string> next_cursor;
};
std::optional<SecurityEventPage> security_events_from_json(const nlohmann::json& body);

// [SECTION] JITA grants
enum class GrantStatus { pending, active, denied, revoked, expired };
std::string_view grant_status_label(GrantStatus s); // "Pending" ...
struct StaffGrant {
    std::string id, agency_id, account_id, account_name, staff_id, staff_email, staff_role, reason;
    std::int64_t hours = 0;
    GrantStatus status = GrantStatus::pending;
    std::string requested_at, decided_at, decided_by, expires_at, revoked_at, revoked_by; // ISO or ""
};
std::optional<StaffGrant> staff_grant_from_json(const nlohmann::json& j);
// {"items":[...]}: pending first (oldest request first, they wait longest), then active, then the
// rest newest first. nullopt when not such a list.
std::optional<std::vector<StaffGrant>> staff_grants_from_json(const nlohmann::json& body);
bool can_approve(const StaffGrant& g); // pending
bool can_deny(const StaffGrant& g);    // pending
bool can_revoke(const StaffGrant& g);  // pending or active

// [SECTION] Operator console (platform staff)
// GET /api/v1/staff/overview: aggregate figures only, in the contract's order, as label and number.
struct Figure {
    std::string label;
    std::int64_t value = 0;
};
std::optional<std::vector<Figure>> staff_overview_from_json(const nlohmann::json& body); // nullopt unless every figure is a number

// "Request access": account id, reason, hours 1..24 as typed. The POST body when all are fine,
// else the errors under their fields (the server's 422 names the same fields).
class GrantRequestForm {
public:
    enum Field { account_id, reason, hours, field_count };
    static constexpr std::string_view k_wire[field_count] = {"account_id", "reason", "hours"};
    std::string& text(Field f) { return m_text[f]; }
    const std::string& error(Field f) const { return m_error[f]; }
    const std::string& general_error() const { return m_general; }
    void on_edit(Field f) { m_error[f].clear(); m_general.clear(); }
    std::optional<nlohmann::json> validate();       // {"account_id","reason","hours"}
    void apply_server_error(const std::string& field, const std::string& message); // under its field, else general
    void clear();

private:
    std::string m_text[field_count] = {"", "", "1"};
    std::string m_error[field_count];
    std::string m_general;
};

} // namespace stronghold::web::app

// Every handler of the route table (routes.cpp). Each runs on a handler worker after the
// middleware, and completes call.done exactly once (login does so from the hash pool).
#pragma once

#include "app/context.hpp"

namespace stronghold::server {

// auth_login.cpp
void handle_login(AppServices& services, Call call); // POST /api/v1/auth/login
// auth_session.cpp
void handle_logout(AppServices& services, Call call);                   // POST /api/v1/auth/logout
void handle_me(AppServices& services, Call call);                       // GET /api/v1/me
nlohmann::json me_body(AppServices& services, const AuthContext& auth); // the /me (and login) body
std::string session_cookie(std::string_view token, model::UnixMillis max_age_ms); // Set-Cookie for a new session
std::string expired_session_cookie();                                   // Set-Cookie value that removes it
// The agency a user's audit rows (login, logout) belong to: that of the first membership.
std::string home_agency(const std::vector<model::Membership>& memberships);

// sessions.cpp (IAM-5): own sessions, and an agency admin's view of a user's sessions
void handle_my_sessions(AppServices& services, Call call);         // GET /api/v1/me/sessions
void handle_my_session_revoke(AppServices& services, Call call);   // DELETE /api/v1/me/sessions/{id}
void handle_user_sessions(AppServices& services, Call call);       // GET /api/v1/agencies/{agency_id}/users/{id}/sessions
void handle_user_session_revoke(AppServices& services, Call call); // DELETE .../users/{id}/sessions/{session_id}
// password.cpp
void handle_password_change(AppServices& services, Call call); // POST /api/v1/me/password
// password_reset.cpp (IAM-1): reset by email link, no session
void handle_password_reset_request(AppServices& services, Call call); // POST /api/v1/auth/password-reset
void handle_password_reset_confirm(AppServices& services, Call call); // POST /api/v1/auth/password-reset/confirm
// security_policy.cpp (IAM-2/3/5): agency owners and admins; PATCH needs a recent re-auth
void handle_security_policy_get(AppServices& services, Call call);   // GET /api/v1/agencies/{agency_id}/security-policy
void handle_security_policy_patch(AppServices& services, Call call); // PATCH (merge patch, If-Match)

// users.cpp (ACC-2, IAM-5): an agency's users, invitations, deactivation, memberships
void handle_users_list(AppServices& services, Call call);         // GET /api/v1/agencies/{agency_id}/users
void handle_security_events_list(AppServices& services, Call call); // GET /api/v1/agencies/{agency_id}/security-events
// ACC-3..ACC-6 platform staff and JITA grants (jita_http.cpp)
nlohmann::json grant_json(AppServices& services, const JitaGrant& grant);
void handle_staff_grant_create(AppServices& services, Call call);   // POST /api/v1/staff/grants
void handle_staff_grants_list(AppServices& services, Call call);    // GET /api/v1/staff/grants
void handle_staff_overview(AppServices& services, Call call);       // GET /api/v1/staff/overview
void handle_staff_security_events(AppServices& services, Call call); // GET /api/v1/staff/security-events
void handle_agency_grants_list(AppServices& services, Call call);   // GET /api/v1/agencies/{agency_id}/grants
void handle_agency_grant_approve(AppServices& services, Call call); // POST .../grants/{id}/approve
void handle_agency_grant_deny(AppServices& services, Call call);    // POST .../grants/{id}/deny
void handle_agency_grant_revoke(AppServices& services, Call call);  // POST .../grants/{id}/revoke
void handle_agency_audit(AppServices& services, Call call);  // GET /api/v1/agencies/{agency_id}/audit (audit_http.cpp)
void handle_account_audit(AppServices& services, Call call); // GET /api/v1/accounts/{account_id}/audit
void handle_user_invite(AppServices& services, Call call);        // POST /api/v1/agencies/{agency_id}/users
void handle_user_invite_resend(AppServices& services, Call call); // POST .../users/{id}/invite
void handle_user_patch(AppServices& services, Call call);         // PATCH .../users/{id} (active, memberships)
// invite_accept.cpp: the invited person's side, no session yet
void handle_invite_inspect(AppServices& services, Call call); // POST /api/v1/auth/invite/inspect
void handle_invite_accept(AppServices& services, Call call);  // POST /api/v1/auth/invite/accept (opens a session)
// account_security.cpp (IAM-3): a sub-account's 2FA requirement; PATCH needs a recent re-auth
void handle_account_security_policy_get(AppServices& services, Call call);   // GET /api/v1/accounts/{account_id}/security-policy
void handle_account_security_policy_patch(AppServices& services, Call call); // PATCH (If-Match)

// mfa_login.cpp: the second login step (IAM-3)
void handle_login_totp(AppServices& services, Call call); // POST /api/v1/auth/login/totp
// The password step's answer for a user with 2FA on: {"mfa_required":true,"mfa_token":...}.
Response begin_mfa_login(AppServices& services, const Call& call, const model::User& user);
// A new session for `user` (signed in now, reauth_at = now): /me body, cookie, audit auth.login
// with `audit_details` (e.g. {"mfa":"totp"}).
Response open_user_session(AppServices& services, const Call& call, const model::User& user,
                           nlohmann::json audit_details);
// mfa_enrol.cpp: the user's own TOTP (each needs a recent re-authentication)
void handle_totp_enrol(AppServices& services, Call call);   // POST /api/v1/me/2fa/totp
void handle_totp_confirm(AppServices& services, Call call); // POST /api/v1/me/2fa/totp/confirm
void handle_totp_disable(AppServices& services, Call call); // DELETE /api/v1/me/2fa/totp
// mfa_reauth.cpp
void handle_reauth(AppServices& services, Call call); // POST /api/v1/auth/reauth

// contacts.cpp / contacts_list.cpp
void handle_contacts_list(AppServices& services, Call call);
Result<ContactQuery> parse_contact_query(std::string_view query_string); // 422 naming the bad parameter
void handle_contact_create(AppServices& services, Call call);
void handle_contact_get(AppServices& services, Call call);
void handle_contact_patch(AppServices& services, Call call);
void handle_contact_delete(AppServices& services, Call call);
// contacts_export.cpp (CRM-4): the list's q/sort/filters as a CSV or JSON download; contact.export + re-auth
void handle_contacts_export(AppServices& services, Call call); // GET /api/v1/accounts/{account_id}/contacts/export

// records.cpp (CRM-1): companies, deals, pipelines, tickets, tasks, notes, tags, custom fields and
// custom values under /api/v1/accounts/{account_id}/<path>; the kind comes from <path>.
void handle_records_list(AppServices& services, Call call);
void handle_record_create(AppServices& services, Call call);
void handle_record_get(AppServices& services, Call call);
void handle_record_patch(AppServices& services, Call call);
void handle_record_delete(AppServices& services, Call call);
void handle_records_bulk(AppServices& services, Call call); // POST .../<path>/bulk
// history.cpp (RES-1, RES-2): versions and revert of contacts and records, trash, quick search
void handle_versions_list(AppServices& services, Call call);  // GET .../{object}/{id}/versions
void handle_version_revert(AppServices& services, Call call); // POST .../{object}/{id}/versions/{n}/revert
void handle_trash_list(AppServices& services, Call call);     // GET .../trash
void handle_trash_restore(AppServices& services, Call call);  // POST .../trash/{id}/restore
void handle_quick_search(AppServices& services, Call call);   // GET .../search?q=
// retention.cpp (AUD-4): days per kind of audit row, agency owners and admins; PATCH needs a
// recent re-auth and If-Match. run_audit_retention is the hourly job (logs what it did).
// The gate of an agency's security settings: 404 (answered) outside the agency or for a missing
// one, 403 inside without can_manage_security; true when the handler may go on.
bool authorize_agency_security(AppServices& services, Call& call);
void handle_retention_get(AppServices& services, Call call);   // GET /api/v1/agencies/{agency_id}/retention
void handle_retention_patch(AppServices& services, Call call); // PATCH (merge patch {"days":{...}}, If-Match)
Result<RetentionRun> run_audit_retention(Store& store, model::UnixMillis now);

// Trashed records are kept 30 days, then purged for good (RES-1).
inline constexpr model::UnixMillis k_trash_keep_ms = 30LL * 24 * 60 * 60 * 1000;
// Purges what was trashed more than k_trash_keep_ms before `now`; returns how many records went.
Result<std::int64_t> purge_expired_trash(Store& store, model::UnixMillis now);

// import_http.cpp (CRM-4): CSV import jobs; POST needs contact.import and a recent re-auth
void handle_contacts_import(AppServices& services, Call call); // POST /api/v1/accounts/{account_id}/contacts/import (text/csv)
void handle_records_import(AppServices& services, Call call);  // POST .../{companies|deals}/import (text/csv); also <object>.import + create
void handle_import_get(AppServices& services, Call call);      // GET /api/v1/accounts/{account_id}/imports/{id}

// roles.cpp (ACC-1, ACC-2): an agency's roles; built-ins are read-only, custom ones need manage_roles
void handle_roles_list(AppServices& services, Call call);  // GET /api/v1/agencies/{agency_id}/roles
void handle_role_create(AppServices& services, Call call); // POST (copy_of; no capability the author lacks)
void handle_role_patch(AppServices& services, Call call);  // PATCH .../roles/{id} (If-Match, reauth)
void handle_role_delete(AppServices& services, Call call); // DELETE .../roles/{id} (409 while assigned)
// teams.cpp (ACC-1 team scope): read by anyone in the sub-account, changed with manage_users there
void handle_teams_list(AppServices& services, Call call);  // GET /api/v1/accounts/{account_id}/teams
void handle_team_create(AppServices& services, Call call); // POST
void handle_team_patch(AppServices& services, Call call);  // PATCH .../teams/{id} (If-Match)
void handle_team_delete(AppServices& services, Call call); // DELETE .../teams/{id}
// members.cpp: the sub-account's member directory (owner pickers), read by any member
void handle_members_list(AppServices& services, Call call); // GET /api/v1/accounts/{account_id}/members

// health_static.cpp
void handle_health(AppServices& services, Call call); // GET /healthz
// GET of paths outside /api/: `/` redirects to the login page, files come from web_root.
Response serve_static(const AppConfig& config, std::string_view path);

} // namespace stronghold::server

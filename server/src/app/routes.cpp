// The route table: every API endpoint, in one place. route_table() exposes it to tests.
#include "app/handlers.hpp"
#include "app/router.hpp"
#include "stronghold/model/record.hpp"

namespace stronghold::server {

const Router& api_router()
{
    static const Router router = [] {
        using access::Action;
        using access::Object;
        using access::Verb;
        Router r;
        r.add({"GET", "/healthz", false, std::nullopt, handle_health});
        r.add({"POST", "/api/v1/auth/login", false, std::nullopt, handle_login});
        r.add({"POST", "/api/v1/auth/logout", true, std::nullopt, handle_logout});
        r.add({"POST", "/api/v1/auth/login/totp", false, std::nullopt, handle_login_totp});
        r.add({"POST", "/api/v1/auth/reauth", true, std::nullopt, handle_reauth});
        r.add({"POST", "/api/v1/auth/password-reset", false, std::nullopt, handle_password_reset_request});
        r.add({"POST", "/api/v1/auth/password-reset/confirm", false, std::nullopt, handle_password_reset_confirm});
        r.add({"POST", "/api/v1/me/2fa/totp", true, std::nullopt, handle_totp_enrol});
        r.add({"DELETE", "/api/v1/me/2fa/totp", true, std::nullopt, handle_totp_disable});
        r.add({"POST", "/api/v1/me/2fa/totp/confirm", true, std::nullopt, handle_totp_confirm});
        r.add({"GET", "/api/v1/me", true, std::nullopt, handle_me});
        // IAM-5 sessions and password change (sessions.cpp, password.cpp)
        r.add({"GET", "/api/v1/me/sessions", true, std::nullopt, handle_my_sessions});
        r.add({"DELETE", "/api/v1/me/sessions/{id}", true, std::nullopt, handle_my_session_revoke});
        r.add({"POST", "/api/v1/me/password", true, std::nullopt, handle_password_change});
        r.add({"GET", "/api/v1/agencies/{agency_id}/users/{id}/sessions", true, std::nullopt, handle_user_sessions});
        r.add({"DELETE", "/api/v1/agencies/{agency_id}/users/{id}/sessions/{session_id}", true, std::nullopt,
               handle_user_session_revoke});
        // IAM-2/3/5 agency security policy (security_policy.cpp)
        r.add({"GET", "/api/v1/agencies/{agency_id}/security-policy", true, std::nullopt, handle_security_policy_get});
        r.add({"PATCH", "/api/v1/agencies/{agency_id}/security-policy", true, std::nullopt,
               handle_security_policy_patch});
        // ACC-2/IAM-5 users, invitations (users.cpp, invite_accept.cpp); IAM-3 sub-account 2FA
        r.add({"GET", "/api/v1/agencies/{agency_id}/users", true, std::nullopt, handle_users_list});
        // AUD-5 the agency's security events (security_events_http.cpp)
        r.add({"GET", "/api/v1/agencies/{agency_id}/security-events", true, std::nullopt, handle_security_events_list});
        // AUD-4 retention per kind of audit row (retention.cpp)
        r.add({"GET", "/api/v1/agencies/{agency_id}/retention", true, std::nullopt, handle_retention_get});
        r.add({"PATCH", "/api/v1/agencies/{agency_id}/retention", true, std::nullopt, handle_retention_patch});
        // ACC-3..ACC-6 platform staff and JITA grants (jita_http.cpp)
        r.add({"POST", "/api/v1/staff/grants", true, std::nullopt, handle_staff_grant_create});
        r.add({"GET", "/api/v1/staff/grants", true, std::nullopt, handle_staff_grants_list});
        r.add({"GET", "/api/v1/staff/overview", true, std::nullopt, handle_staff_overview});
        r.add({"GET", "/api/v1/staff/security-events", true, std::nullopt, handle_staff_security_events});
        r.add({"GET", "/api/v1/agencies/{agency_id}/grants", true, std::nullopt, handle_agency_grants_list});
        r.add({"POST", "/api/v1/agencies/{agency_id}/grants/{id}/approve", true, std::nullopt,
               handle_agency_grant_approve});
        r.add({"POST", "/api/v1/agencies/{agency_id}/grants/{id}/deny", true, std::nullopt, handle_agency_grant_deny});
        r.add({"POST", "/api/v1/agencies/{agency_id}/grants/{id}/revoke", true, std::nullopt,
               handle_agency_grant_revoke});
        // AUD-1/AUD-2 the audit log, agency-wide and per sub-account (audit_http.cpp)
        r.add({"GET", "/api/v1/agencies/{agency_id}/audit", true, std::nullopt, handle_agency_audit});
        r.add({"GET", "/api/v1/accounts/{account_id}/audit", true, std::nullopt, handle_account_audit});
        r.add({"POST", "/api/v1/agencies/{agency_id}/users", true, std::nullopt, handle_user_invite});
        r.add({"POST", "/api/v1/agencies/{agency_id}/users/{id}/invite", true, std::nullopt, handle_user_invite_resend});
        r.add({"PATCH", "/api/v1/agencies/{agency_id}/users/{id}", true, std::nullopt, handle_user_patch});
        r.add({"POST", "/api/v1/auth/invite/inspect", false, std::nullopt, handle_invite_inspect});
        r.add({"POST", "/api/v1/auth/invite/accept", false, std::nullopt, handle_invite_accept});
        r.add({"GET", "/api/v1/accounts/{account_id}/security-policy", true, std::nullopt,
               handle_account_security_policy_get});
        r.add({"PATCH", "/api/v1/accounts/{account_id}/security-policy", true, std::nullopt,
               handle_account_security_policy_patch});
        r.add({"GET", "/api/v1/accounts/{account_id}/contacts", true, Action::contact_view, handle_contacts_list});
        r.add({"POST", "/api/v1/accounts/{account_id}/contacts", true, Action::contact_create, handle_contact_create});
        // Before .../contacts/{id}: the first pattern that matches wins.
        r.add({"GET", "/api/v1/accounts/{account_id}/contacts/export", true, Action::contact_export,
               handle_contacts_export, std::pair{Object::contact, Verb::export_}});
        // Record routes check the sub-account with contact_view here; edit/delete are decided
        // again in the handler once the record's owner is known.
        r.add({"GET", "/api/v1/accounts/{account_id}/contacts/{id}", true, Action::contact_view, handle_contact_get});
        r.add(
            {"PATCH", "/api/v1/accounts/{account_id}/contacts/{id}", true, Action::contact_view, handle_contact_patch});
        r.add({"DELETE", "/api/v1/accounts/{account_id}/contacts/{id}", true, Action::contact_view,
               handle_contact_delete, std::pair{Object::contact, Verb::remove}});
        // CRM-4 CSV import (import_http.cpp): a job, then its progress
        r.add({"POST", "/api/v1/accounts/{account_id}/contacts/import", true, Action::contact_import,
               handle_contacts_import, std::pair{Object::contact, Verb::import_}});
        for (const auto& [path, object] : {std::pair{"companies", Object::company}, std::pair{"deals", Object::deal}})
            r.add({"POST", "/api/v1/accounts/{account_id}/" + std::string(path) + "/import", true,
                   Action::contact_import, handle_records_import, std::pair{object, Verb::import_}});
        r.add({"GET", "/api/v1/accounts/{account_id}/imports/{id}", true, Action::contact_import, handle_import_get});
        // CRM-1 records of every other kind (records.cpp): the middleware resolves the
        // sub-account (404); each handler decides by the kind's access rule.
        for (const auto& spec : model::object_specs()) {
            const std::string base = "/api/v1/accounts/{account_id}/" + std::string(spec.path);
            r.add({"GET", base, true, std::nullopt, handle_records_list});
            r.add({"POST", base, true, std::nullopt, handle_record_create});
            r.add({"POST", base + "/bulk", true, std::nullopt, handle_records_bulk});
            r.add({"GET", base + "/{id}", true, std::nullopt, handle_record_get});
            r.add({"PATCH", base + "/{id}", true, std::nullopt, handle_record_patch});
            // Settings and attached records (notes, tasks) are not among ACC-4's deletes.
            std::optional<std::pair<Object, Verb>> delete_guard;
            if (spec.rule == model::AccessRule::record)
                delete_guard = std::pair{spec.object, Verb::remove};
            r.add({"DELETE", base + "/{id}", true, std::nullopt, handle_record_delete, delete_guard});
            r.add({"GET", base + "/{id}/versions", true, std::nullopt, handle_versions_list});
            r.add({"POST", base + "/{id}/versions/{n}/revert", true, std::nullopt, handle_version_revert});
        }
        // RES-1/RES-2 contact history, the trash of every kind, quick search (history.cpp)
        r.add({"GET", "/api/v1/accounts/{account_id}/contacts/{id}/versions", true, Action::contact_view,
               handle_versions_list});
        r.add({"POST", "/api/v1/accounts/{account_id}/contacts/{id}/versions/{n}/revert", true, Action::contact_view,
               handle_version_revert});
        r.add({"GET", "/api/v1/accounts/{account_id}/trash", true, std::nullopt, handle_trash_list});
        r.add({"POST", "/api/v1/accounts/{account_id}/trash/{id}/restore", true, std::nullopt, handle_trash_restore});
        r.add({"GET", "/api/v1/accounts/{account_id}/search", true, std::nullopt, handle_quick_search});
        // ACC-1/ACC-2 roles and teams (roles.cpp, teams.cpp)
        r.add({"GET", "/api/v1/agencies/{agency_id}/roles", true, std::nullopt, handle_roles_list});
        r.add({"POST", "/api/v1/agencies/{agency_id}/roles", true, std::nullopt, handle_role_create});
        r.add({"PATCH", "/api/v1/agencies/{agency_id}/roles/{id}", true, std::nullopt, handle_role_patch});
        r.add({"DELETE", "/api/v1/agencies/{agency_id}/roles/{id}", true, std::nullopt, handle_role_delete});
        r.add({"GET", "/api/v1/accounts/{account_id}/teams", true, std::nullopt, handle_teams_list});
        r.add({"GET", "/api/v1/accounts/{account_id}/members", true, std::nullopt, handle_members_list});
        r.add({"POST", "/api/v1/accounts/{account_id}/teams", true, std::nullopt, handle_team_create});
        r.add({"PATCH", "/api/v1/accounts/{account_id}/teams/{id}", true, std::nullopt, handle_team_patch});
        r.add({"DELETE", "/api/v1/accounts/{account_id}/teams/{id}", true, std::nullopt, handle_team_delete});
        return r;
    }();
    return router;
}

} // namespace stronghold::server

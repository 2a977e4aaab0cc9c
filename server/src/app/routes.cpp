// The route table: every API endpoint, in one place. route_table() exposes it to tests.
#include "app/handlers.hpp"
#include "app/router.hpp"

namespace stronghold::server {

const Router& api_router()
{
    static const Router router = [] {
        using access::Action;
        Router r;
        r.add({"GET", "/healthz", false, std::nullopt, handle_health});
        r.add({"POST", "/api/v1/auth/login", false, std::nullopt, handle_login});
        r.add({"POST", "/api/v1/auth/logout", true, std::nullopt, handle_logout});
        r.add({"GET", "/api/v1/me", true, std::nullopt, handle_me});
        r.add({"GET", "/api/v1/accounts/{account_id}/contacts", true, Action::contact_view, handle_contacts_list});
        r.add({"POST", "/api/v1/accounts/{account_id}/contacts", true, Action::contact_create, handle_contact_create});
        // Record routes check the sub-account with contact_view here; edit/delete are decided
        // again in the handler once the record's owner is known.
        r.add({"GET", "/api/v1/accounts/{account_id}/contacts/{id}", true, Action::contact_view, handle_contact_get});
        r.add(
            {"PATCH", "/api/v1/accounts/{account_id}/contacts/{id}", true, Action::contact_view, handle_contact_patch});
        r.add({"DELETE", "/api/v1/accounts/{account_id}/contacts/{id}", true, Action::contact_view,
               handle_contact_delete});
        return r;
    }();
    return router;
}

} // namespace stronghold::server

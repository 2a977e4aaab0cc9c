// "Audit log" (AUD-1, AUD-2, AUD-3): who did what, when, from where, for the agency (owners and
// agency admins) or one sub-account (its admins): core view_audit_log decides who sees the entry.
// Filters (actor, action, target, since, until) and "Load more" over the API's cursor; CSV and
// JSON export (audited by the server). Every row shown is re-hashed in the browser with the
// core's chain code and the links between consecutive positions are checked (app::verify_rows):
// the badge says "Chain verified for N entries" or names the first broken entry.
#pragma once

#include "app/session.hpp"
#include "app/trust.hpp"
#include "net/http.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stronghold::web::views {

class AuditView {
public:
    using Scope = app::AuditScope; // app::audit_scope() says which, if any
    void open(Scope scope, std::string me_id); // first page, filters cleared; me_id: rows by the user read "You"
    void close();
    void draw();

private:
    void load(bool more);
    void export_as(const char* format);
    void draw_filters(float width);
    void draw_status(float width);
    void draw_table(float height);

    std::string actor_text(const app::AuditRow& row) const; // "You", a member's name, else app::actor_label

    Scope m_scope;
    std::string m_me_id;
    app::AuditFilters m_filters;
    std::optional<app::FilterError> m_filter_error;
    std::string m_query; // the applied filters
    std::vector<app::AuditRow> m_rows;
    std::optional<std::string> m_next;
    app::ChainVerdict m_verdict;
    int m_generation = 0; // load(false) starts a new one; older answers are dropped
    bool m_loading = false, m_loaded = false, m_exporting = false;
    std::string m_error;
    net::Lifetime m_life;
};

} // namespace stronghold::web::views

// Method + path pattern -> handler. Patterns are literal segments and `{name}` segments that
// match one non-empty segment. The route table lives in one place (routes.cpp) and is exposed
// by route_table(), so tests can walk every route (e.g. the tenant-isolation sweep).
#pragma once

#include "app/context.hpp"
#include "stronghold/access/authorize.hpp"
#include "stronghold/access/jita.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::server {

using Handler = std::function<void(AppServices&, Call)>;

struct Route {
    std::string method;  // "GET", "POST", "PATCH", "DELETE"
    std::string pattern; // "/api/v1/accounts/{account_id}/contacts/{id}"
    bool needs_session = true;
    // Checked by the middleware once the sub-account is resolved ({account_id} routes only);
    // record-level checks (e.g. delete own) happen again in the handler with the owner known.
    std::optional<access::Action> account_action;
    Handler handler;
    // ACC-4: what the route does, for access::refused_under_jita (staff under a grant get 403
    // forbidden_under_jita before any other check). Routes without one are checked in the handler.
    std::optional<std::pair<access::Object, access::Verb>> jita_guard{};
};

struct RouteMatch {
    enum class Kind { found, not_found, method_not_allowed };
    Kind kind = Kind::not_found;
    const Route* route = nullptr;
    PathParams params;
    std::string allow; // for 405: "GET, POST"
};

class Router {
  public:
    void add(Route route);
    RouteMatch match(std::string_view method, std::string_view path) const;
    const std::vector<Route>& routes() const { return m_routes; }

  private:
    std::vector<Route> m_routes;
};

// Splits a path into segments; nullopt for an empty segment ("//", trailing '/') or no leading '/'.
std::optional<std::vector<std::string_view>> split_path(std::string_view path);

// The API's routes with their handlers (routes.cpp). Static files and `/` are the fallback
// for GET paths outside /api/ and are not in this table.
const Router& api_router();

struct RouteInfo {
    std::string method;
    std::string pattern;
    bool needs_session;
    bool tenant_scoped; // pattern contains {account_id}
};
std::vector<RouteInfo> route_table();

} // namespace stronghold::server

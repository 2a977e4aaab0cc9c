#include "app/router.hpp"

namespace stronghold::server {

std::optional<std::vector<std::string_view>> split_path(std::string_view path)
{
    if (path.empty() || path.front() != '/')
        return std::nullopt;
    std::vector<std::string_view> out;
    if (path.size() == 1)
        return out; // "/"
    std::size_t pos = 1;
    for (;;) {
        auto next = path.find('/', pos);
        auto seg = path.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
        if (seg.empty())
            return std::nullopt;
        out.push_back(seg);
        if (next == std::string_view::npos)
            return out;
        pos = next + 1;
    }
}

void Router::add(Route route)
{
    m_routes.push_back(std::move(route));
}

namespace {

bool match_pattern(std::string_view pattern, const std::vector<std::string_view>& segs, PathParams& params)
{
    auto pat = split_path(pattern);
    if (!pat || pat->size() != segs.size())
        return false;
    PathParams found;
    for (std::size_t i = 0; i < segs.size(); ++i) {
        auto p = (*pat)[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}')
            found.emplace_back(std::string(p.substr(1, p.size() - 2)), std::string(segs[i]));
        else if (p != segs[i])
            return false;
    }
    params = std::move(found);
    return true;
}

} // namespace

RouteMatch Router::match(std::string_view method, std::string_view path) const
{
    RouteMatch result;
    auto segs = split_path(path);
    if (!segs)
        return result;
    for (const auto& route : m_routes) {
        PathParams params;
        if (!match_pattern(route.pattern, *segs, params))
            continue;
        if (route.method == method) {
            result.kind = RouteMatch::Kind::found;
            result.route = &route;
            result.params = std::move(params);
            result.allow.clear();
            return result;
        }
        result.kind = RouteMatch::Kind::method_not_allowed;
        if (result.allow.find(route.method) == std::string::npos)
            result.allow += (result.allow.empty() ? "" : ", ") + route.method;
    }
    return result;
}

std::vector<RouteInfo> route_table()
{
    std::vector<RouteInfo> out;
    for (const auto& r : api_router().routes())
        out.push_back({r.method, r.pattern, r.needs_session, r.pattern.find("{account_id}") != std::string::npos});
    return out;
}

} // namespace stronghold::server

// GET /api/v1/accounts/{account_id}/contacts: {"items":[...],"next_cursor":...,("total")}.
// Parameters: limit (1..200, default 50), cursor (opaque, the store validates it), q (name
// prefix or exact email), sort (name, -name, updated_at, -updated_at), count=true, offset, and
// filters field[op]=value over model::k_contact_filter_fields (parsed by core's model/filter).
// Unknown parameters are refused: a filter the server silently ignored would return wrong data.
// count=true adds "total" and "total_exact" (false: a filtered count stopped at its cap, so
// total is a lower bound; server/doc/crm-api.md "Contacts list at scale").
// Only records in the actor's view scope are listed (own: theirs; team: their team peers').
#include "app/handlers.hpp"

#include "app/middleware.hpp"
#include "app/query.hpp"
#include "stronghold/model/contact_filter.hpp"
#include "stronghold/validate/text.hpp"

#include <charconv>

namespace stronghold::server {

namespace {

constexpr std::size_t k_default_limit = 50;
constexpr std::size_t k_max_limit = 200;
constexpr std::size_t k_max_offset = 100'000'000;
constexpr std::size_t k_max_q_chars = 254; // the longest email
constexpr std::size_t k_max_filters = 20;

std::optional<std::size_t> parse_size(const std::string& text)
{
    std::size_t v = 0;
    if (text.empty() || text.size() > 12)
        return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return v;
}

api::Error invalid(std::string message, std::string field)
{
    return api::make_error(api::ErrorCode::validation_failed, std::move(message), std::move(field));
}

} // namespace

Result<ContactQuery> parse_contact_query(std::string_view query_string)
{
    auto params = parse_query(query_string);
    if (!params)
        return params.error();
    ContactQuery query;
    query.limit = k_default_limit;
    for (const auto& [name, value] : *params) {
        if (name == "limit") {
            auto v = parse_size(value);
            if (!v || *v < 1 || *v > k_max_limit)
                return invalid("must be a whole number from 1 to 200", "limit");
            query.limit = *v;
        } else if (name == "cursor") {
            query.cursor = value;
        } else if (name == "q") {
            auto len = validate::utf8_length(value);
            if (!len || *len > k_max_q_chars || validate::has_control_chars(value))
                return invalid("must be at most 254 characters of text", "q");
            query.q = value;
        } else if (name == "sort") {
            if (value != "name" && value != "-name" && value != "updated_at" && value != "-updated_at")
                return invalid("must be one of name, -name, updated_at, -updated_at", "sort");
            query.sort = value;
        } else if (name == "count") {
            if (value != "true" && value != "false")
                return invalid("must be true or false", "count");
            query.count = value == "true";
        } else if (name == "offset") {
            auto v = parse_size(value);
            if (!v || *v > k_max_offset)
                return invalid("must be a whole number from 0", "offset");
            query.offset = *v;
        } else if (model::is_filter_param(name)) {
            auto f = model::parse_filter_param(name, value, model::k_contact_filter_fields);
            if (!f)
                return f.error();
            if (query.filters.size() == k_max_filters)
                return invalid("is one filter too many (at most 20)", name);
            query.filters.push_back(std::move(*f));
        } else {
            return invalid("is not a known parameter", name);
        }
    }
    return query;
}

void handle_contacts_list(AppServices& services, Call call)
{
    auto query = parse_contact_query(call.request.query());
    if (!query)
        return call.done(error_response(query.error()));
    // Record scope (ACC-1): the middleware let through own, team or all; narrower scopes filter by owner.
    query->owner_ids = owners_in_scope(*call.auth, *call.account, access::Action::contact_view);
    auto page = services.store.list_contacts(call.scope(), *query);
    if (!page)
        return call.done(error_response(page.error()));
    nlohmann::json body = {{"items", page->items}};
    body["next_cursor"] = page->next_cursor ? nlohmann::json(*page->next_cursor) : nlohmann::json(nullptr);
    if (query->count) {
        body["total"] = page->total.value_or(0);
        body["total_exact"] = page->total_exact;
    }
    call.done(json_response(200, body));
}

} // namespace stronghold::server

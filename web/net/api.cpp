#include "net/api.hpp"

#include "ui/platform.hpp"

namespace stronghold::web::net {
namespace {

constexpr const char* k_login_page = "/login.html";

void call(HttpRequest request, ApiCallback done) {
    send(std::move(request), [done = std::move(done)](const HttpResponse& raw) {
        ApiResponse r = to_api_response(raw.status, raw.body);
        r.etag = raw.etag;
        if (signed_out(r)) return;
        done(r);
    });
}

std::string if_match(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

} // namespace

void call_api(HttpRequest request, ApiCallback done) { call(std::move(request), std::move(done)); }

ApiResponse to_api_response(int status, const std::string& body) {
    ApiResponse r;
    r.status = status;
    r.body = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!r.ok()) {
        if (!r.body.is_discarded()) r.error = api::error_from_json(r.body);
        if (!r.error) {
            r.error = api::make_error(r.status == 0 ? api::ErrorCode::unavailable : api::ErrorCode::internal,
                                      r.status == 0 ? "The server cannot be reached. Check your connection."
                                                    : "The server answered with an error (" + std::to_string(r.status) + ").");
        }
    }
    return r;
}

bool signed_out(const ApiResponse& r) {
    // Session expired or revoked: sign in again. reauth_required is not that: the session
    // is fine but the action wants a fresh proof (views/reauth_dialog asks and retries).
    if (r.status == 401 && !(r.error && r.error->code == api::ErrorCode::reauth_required)) {
        platform::navigate(k_login_page);
        return true;
    }
    return false;
}

std::string contacts_url(const std::string& account_id) {
    return "/api/v1/accounts/" + platform::url_encode(account_id) + "/contacts";
}

void get_me(ApiCallback done) { call({.method = "GET", .url = "/api/v1/me"}, std::move(done)); }

void logout(ApiCallback done) {
    call({.method = "POST", .url = "/api/v1/auth/logout"}, std::move(done));
}

void list_contacts(const app::PageRequest& page, ApiCallback done) {
    std::string url = contacts_url(page.query.account_id) + "?limit=" + std::to_string(page.limit) +
                      "&offset=" + std::to_string(page.offset) + "&count=true&sort=" + platform::url_encode(page.query.sort);
    if (!page.query.q.empty()) url += "&q=" + platform::url_encode(page.query.q);
    call({.method = "GET", .url = std::move(url)}, std::move(done));
}

void create_contact(const std::string& account_id, const nlohmann::json& body, ApiCallback done) {
    call({.method = "POST", .url = contacts_url(account_id), .body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)},
         std::move(done));
}

void patch_contact(const std::string& account_id, const std::string& id, std::int64_t version,
                   const nlohmann::json& patch, ApiCallback done) {
    call({.method = "PATCH",
          .url = contacts_url(account_id) + "/" + platform::url_encode(id),
          .body = patch.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
          .headers = {{"If-Match", if_match(version)}}},
         std::move(done));
}

void delete_contact(const std::string& account_id, const std::string& id, std::int64_t version, ApiCallback done) {
    call({.method = "DELETE",
          .url = contacts_url(account_id) + "/" + platform::url_encode(id),
          .headers = {{"If-Match", if_match(version)}}},
         std::move(done));
}

std::string describe(const ApiResponse& r) {
    if (r.error && !r.error->message.empty()) return r.error->message;
    return "Request failed (" + std::to_string(r.status) + ").";
}

} // namespace stronghold::web::net

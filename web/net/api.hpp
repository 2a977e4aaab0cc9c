// The Stronghold REST API as the dashboard uses it (DESIGN.md "Wire details"). Each call
// parses the answer once: JSON body (never throws), the error body as an api::Error, ETag.
// A 401 anywhere means the session is gone: the page goes to /login.html.
#pragma once

#include "app/row_cache.hpp"
#include "net/http.hpp"

#include <stronghold/api/error.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>

namespace stronghold::web::net {

struct ApiResponse {
    int status = 0;                  // 0: the server could not be reached
    nlohmann::json body;             // discarded (is_discarded()) when not JSON
    std::optional<api::Error> error; // set for every non-2xx (a generic one when the body has none)
    std::string etag;
    bool ok() const { return status >= 200 && status < 300; }
};

using ApiCallback = std::function<void(const ApiResponse&)>;

// Any API request with the handling above (JSON, error body, 401 -> login page except
// reauth_required, which reaches `done`). Body, when set, is JSON.
void call_api(HttpRequest request, ApiCallback done);
// The same parsing for answers that came another way (platform::upload_file / download).
ApiResponse to_api_response(int status, const std::string& body);
bool signed_out(const ApiResponse& r); // a 401 other than reauth_required: goes to the login page, true
void get_me(ApiCallback done);
void logout(ApiCallback done);
void list_contacts(const app::PageRequest& page, ApiCallback done);
void create_contact(const std::string& account_id, const nlohmann::json& body, ApiCallback done);
void patch_contact(const std::string& account_id, const std::string& id, std::int64_t version,
                   const nlohmann::json& patch, ApiCallback done);
void delete_contact(const std::string& account_id, const std::string& id, std::int64_t version, ApiCallback done);

std::string contacts_url(const std::string& account_id); // "/api/v1/accounts/<id>/contacts"
std::string describe(const ApiResponse& r);               // one line for a toast

} // namespace stronghold::web::net

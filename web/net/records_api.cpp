#include "net/records_api.hpp"

#include "ui/platform.hpp"

namespace stronghold::web::net {
namespace {

std::string enc(const std::string& s) { return platform::url_encode(s); }
std::string if_match(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }
std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }
std::string item_url(const std::string& account_id, const std::string& path, const std::string& id) {
    return account_url(account_id) + "/" + path + "/" + enc(id);
}

} // namespace

std::string account_url(const std::string& account_id) { return "/api/v1/accounts/" + enc(account_id); }

void list_records(const app::RecordPageRequest& page, ApiCallback done) {
    call_api({.method = "GET", .url = app::record_list_url(page.query, page.cursor, page.limit, enc)}, std::move(done));
}

void get_list(const std::string& account_id, const std::string& path, const std::string& params, ApiCallback done) {
    call_api({.method = "GET", .url = account_url(account_id) + "/" + path + (params.empty() ? "" : "?" + params)}, std::move(done));
}

void get_record(const std::string& account_id, const std::string& path, const std::string& id, ApiCallback done) {
    call_api({.method = "GET", .url = item_url(account_id, path, id)}, std::move(done));
}

void create_record(const std::string& account_id, const std::string& path, const nlohmann::json& body, ApiCallback done) {
    call_api({.method = "POST", .url = account_url(account_id) + "/" + path, .body = dump(body)}, std::move(done));
}

void patch_record(const std::string& account_id, const std::string& path, const std::string& id, std::int64_t version,
                  const nlohmann::json& patch, ApiCallback done) {
    call_api({.method = "PATCH", .url = item_url(account_id, path, id), .body = dump(patch), .headers = {{"If-Match", if_match(version)}}},
             std::move(done));
}

void delete_record(const std::string& account_id, const std::string& path, const std::string& id, std::int64_t version,
                   ApiCallback done) {
    call_api({.method = "DELETE", .url = item_url(account_id, path, id), .headers = {{"If-Match", if_match(version)}}}, std::move(done));
}

void bulk_records(const std::string& account_id, const std::string& path, const nlohmann::json& body, ApiCallback done) {
    call_api({.method = "POST", .url = account_url(account_id) + "/" + path + "/bulk", .body = dump(body)}, std::move(done));
}

void list_versions(const std::string& account_id, const std::string& path, const std::string& id, ApiCallback done) {
    call_api({.method = "GET", .url = item_url(account_id, path, id) + "/versions"}, std::move(done));
}

void revert_version(const std::string& account_id, const std::string& path, const std::string& id, std::int64_t n,
                    std::int64_t current_version, ApiCallback done) {
    call_api({.method = "POST",
              .url = item_url(account_id, path, id) + "/versions/" + std::to_string(n) + "/revert",
              .headers = {{"If-Match", if_match(current_version)}}},
             std::move(done));
}

void restore_from_trash(const std::string& account_id, const std::string& id, ApiCallback done) {
    call_api({.method = "POST", .url = account_url(account_id) + "/trash/" + enc(id) + "/restore"}, std::move(done));
}

void quick_search(const std::string& account_id, const std::string& q, ApiCallback done) {
    call_api({.method = "GET", .url = account_url(account_id) + "/search?limit=8&q=" + enc(q)}, std::move(done));
}

} // namespace stronghold::web::net

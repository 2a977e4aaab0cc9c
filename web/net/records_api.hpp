// The CRM record API as the dashboard uses it (CRM-1, RES-1, RES-2): one set of calls for every
// record path ("companies", "deals", ...), contacts' history, the trash and quick search.
// Writes carry If-Match; answers go through net::call_api (JSON, error body, 401 -> login).
#pragma once

#include "app/record_list.hpp"
#include "net/api.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stronghold::web::net {

std::string account_url(const std::string& account_id); // "/api/v1/accounts/<id>"

void list_records(const app::RecordPageRequest& page, ApiCallback done);
// GET .../<path>?<params> (params already encoded, e.g. "record_id=co_1&limit=50").
void get_list(const std::string& account_id, const std::string& path, const std::string& params, ApiCallback done);
void get_record(const std::string& account_id, const std::string& path, const std::string& id, ApiCallback done);
void create_record(const std::string& account_id, const std::string& path, const nlohmann::json& body, ApiCallback done);
void patch_record(const std::string& account_id, const std::string& path, const std::string& id, std::int64_t version,
                  const nlohmann::json& patch, ApiCallback done);
void delete_record(const std::string& account_id, const std::string& path, const std::string& id, std::int64_t version,
                   ApiCallback done);
// POST .../<path>/bulk {"ids","action",("tag"|"owner_id")}
void bulk_records(const std::string& account_id, const std::string& path, const nlohmann::json& body, ApiCallback done);
// History of a record or contact (path "contacts" or a record path).
void list_versions(const std::string& account_id, const std::string& path, const std::string& id, ApiCallback done);
void revert_version(const std::string& account_id, const std::string& path, const std::string& id, std::int64_t n,
                    std::int64_t current_version, ApiCallback done);
void restore_from_trash(const std::string& account_id, const std::string& id, ApiCallback done);
void quick_search(const std::string& account_id, const std::string& q, ApiCallback done);

} // namespace stronghold::web::net

// Shared by the record handlers (records.cpp) and the history, trash and search handlers
// (history.cpp): how a call's object kind, permissions and events are worked out.
#pragma once

#include "app/context.hpp"
#include "stronghold/access/authorize.hpp"
#include "stronghold/model/record.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace stronghold::server {

// The kind a /api/v1/accounts/{account_id}/<path>/... call is about (by its <path> segment).
const model::ObjectSpec& spec_of_call(const Call& call);
// access::authorize for the call's sub-account as a Status: 404 outside it, 403 inside.
Status decision_status(access::Decision d);
Status may(const Call& call, access::Object object, access::Verb verb, const std::string& owner_id);
// The owners whose records of `object` the actor may view in the call's sub-account: nullopt for
// every record (scope all), else own/team; forbidden when it may view none.
Result<std::optional<std::vector<std::string>>> view_owners(const Call& call, access::Object object);
// contact/company/deal/ticket by id prefix; nullopt for other kinds.
std::optional<access::Object> object_of_id(std::string_view id);
// The owner of a live record of the call's sub-account (contacts included); not_found otherwise.
Result<std::string> owner_of(AppServices& services, const Call& call, const std::string& id);
// The custom field definitions of one object ("contact", "company", ...) in a sub-account.
std::vector<model::CustomFieldDef> custom_fields_of(AppServices& services, const TenantScope& scope,
                                                    std::string_view object);
std::vector<model::CustomFieldDef> custom_fields_of(Store& store, const TenantScope& scope, std::string_view object);
AuditEntry record_audit(AppServices& services, const Call& call, const model::ObjectSpec& spec, std::string_view verb,
                        const std::string& id, const std::vector<std::string>& fields);
// {"type":"<object>.<event>","account_id","id","version"} to the sub-account's live sockets.
void publish_change(AppServices& services, const Call& call, std::string_view object, std::string_view event,
                    const std::string& id, std::int64_t version);
Response record_response(int status, const model::Record& r);

} // namespace stronghold::server

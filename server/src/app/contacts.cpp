// Contacts: GET/POST /api/v1/accounts/{account_id}/contacts (list in contacts_list.cpp) and
// GET/PATCH/DELETE .../contacts/{id}. The middleware has already checked Origin, media type,
// session, the sub-account (404) and the account-level permission; each mutation then follows
// the one path: validate -> authorize -> store (record + version + audit in one transaction)
// -> publish the live event -> respond.
#include "app/handlers.hpp"

#include "app/middleware.hpp"
#include "app/records.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/model/contact.hpp"
#include "util/log.hpp"

namespace stronghold::server {

namespace {

// [SECTION] Helpers

std::string etag_of(const model::Contact& c)
{
    return strong_etag(c.version);
}

Response record_response(int status, const model::Contact& c)
{
    auto r = json_response(status, nlohmann::json(c));
    r.set_header("ETag", etag_of(c));
    return r;
}

model::ContactRules rules_for(AppServices& services, const Call& call, const nlohmann::json& current_custom = {})
{
    model::ContactRules rules;
    rules.default_country_code = call.account->default_country_code;
    rules.sensitive_policy = call.account->sensitive_data_policy;
    rules.custom_fields = custom_fields_of(services, call.scope(), "contact");
    rules.current_custom = current_custom.is_object() ? current_custom : nlohmann::json::object();
    return rules;
}

// Consent records given without a time were given now; a linked company must be a live
// company of this sub-account the actor may view (a foreign id reads like a missing one).
Status complete_changes(AppServices& services, const Call& call, model::ContactChanges& changes,
                        const std::string& current_company = {})
{
    if (changes.consents)
        for (auto& c : *changes.consents)
            if (c.at == 0)
                c.at = services.clock();
    if (changes.company_id && !changes.company_id->empty() && *changes.company_id != current_company) {
        auto co = services.store.get_record(call.scope(), model::Kind::company, *changes.company_id);
        if (!co || !may(call, access::Object::company, access::Verb::view, co->owner_id))
            return api::make_error(api::ErrorCode::validation_failed, "no such company in this sub-account", "company_id");
    }
    return {};
}

Response stale_contact(const model::Contact& current)
{
    return stale_response(nlohmann::json(current), current.version);
}

void publish(AppServices& services, const char* type, const model::Account& account, const std::string& id,
             std::int64_t version)
{
    nlohmann::json frame = {{"type", type}, {"account_id", account.id}, {"id", id}, {"version", version}};
    services.hub.publish(account.id, dump_json(frame));
}

AuditEntry audit_for(AppServices& services, const Call& call, const char* action, const std::string& id,
                     const std::vector<std::string>& fields)
{
    AuditEntry audit;
    audit.at = services.clock();
    audit.agency_id = call.account->agency_id;
    audit.account_id = call.account->id;
    audit.actor = call.actor_ref();
    audit.action = action;
    audit.target_type = "contact";
    audit.target_id = id;
    // Field NAMES only: values are personal data and stay in the version rows.
    audit.details = {{"fields", fields}};
    return audit;
}

// Moving a record between owners is as strong as deleting the records of both: otherwise a
// "delete own" role could take a colleague's record and then delete it, or hand its own records
// to someone it may not touch. Under team scope, records move freely within the team.
bool may_assign(const Call& call, const std::string& from_owner, const std::string& to_owner)
{
    const auto& actor = call.auth->user.id;
    return (from_owner == actor ||
            check_permission(*call.auth, *call.account, access::Action::contact_delete, from_owner).ok()) &&
           (to_owner == actor || check_permission(*call.auth, *call.account, access::Action::contact_delete, to_owner).ok());
}

// Loads the {id} record of the call's sub-account; a malformed, missing or foreign id all
// answer the same 404.
Result<model::Contact> load(AppServices& services, const Call& call)
{
    auto id = call.param("id");
    if (!crypto::is_id(id, "ct"))
        return api::make_error(api::ErrorCode::not_found, "not found");
    auto found = services.store.get_contact(call.scope(), id);
    if (!found && found.error().code == api::ErrorCode::not_found)
        return api::make_error(api::ErrorCode::not_found, "not found");
    return found;
}

Response failure(const api::Error& e)
{
    return e.code == api::ErrorCode::not_found ? not_found_response() : error_response(e);
}

} // namespace

// [SECTION] Handlers

void handle_contact_create(AppServices& services, Call call)
{
    auto body = parse_json_body(call.request.body);
    if (!body)
        return call.done(error_response(body.error()));
    auto changes = model::parse_contact_create(*body, rules_for(services, call));
    if (!changes)
        return call.done(error_response(changes.error()));
    if (auto st = complete_changes(services, call, *changes); !st)
        return call.done(error_response(st.error()));
    // The creator owns the record unless the body names someone; contact.create is decided for
    // that owner (record scope, ACC-1).
    const std::string owner =
        changes->owner_id && !changes->owner_id->empty() ? *changes->owner_id : call.auth->user.id;
    if (auto st = check_permission(*call.auth, *call.account, access::Action::contact_create, owner); !st)
        return call.done(failure(st.error()));
    if (!may_assign(call, call.auth->user.id, owner))
        return call.done(
            error_response(api::ErrorCode::forbidden, "you may not assign records to other users", "owner_id"));

    auto now = services.clock();
    model::Contact contact;
    contact.id = crypto::random_id("ct");
    contact.account_id = call.account->id;
    model::apply_changes(contact, *changes);
    contact.owner_id = owner;
    contact.created_at = now;
    contact.updated_at = now;
    auto fields = model::changed_fields(model::Contact{}, contact);
    auto stored = services.store.create_contact(call.scope(), contact,
                                                audit_for(services, call, "contact.create", contact.id, fields));
    if (!stored)
        return call.done(error_response(stored.error()));
    publish(services, "contact.created", *call.account, stored->id, stored->version);
    auto r = record_response(201, *stored);
    r.set_header("Location", "/api/v1/accounts/" + call.account->id + "/contacts/" + stored->id);
    call.done(std::move(r));
}

void handle_contact_get(AppServices& services, Call call)
{
    auto found = load(services, call);
    if (!found)
        return call.done(failure(found.error()));
    // A known record outside the actor's view scope (own/team) is 403, like edit and delete.
    if (auto st = check_permission(*call.auth, *call.account, access::Action::contact_view, found->owner_id); !st)
        return call.done(failure(st.error()));
    call.done(record_response(200, *found));
}

void handle_contact_patch(AppServices& services, Call call)
{
    auto current = load(services, call);
    if (!current)
        return call.done(failure(current.error()));
    if (auto st = check_permission(*call.auth, *call.account, access::Action::contact_edit, current->owner_id); !st)
        return call.done(failure(st.error()));
    auto body = parse_json_body(call.request.body);
    if (!body)
        return call.done(error_response(body.error()));
    auto changes = model::parse_contact_patch(*body, rules_for(services, call, current->custom));
    if (!changes)
        return call.done(error_response(changes.error()));
    if (auto st = complete_changes(services, call, *changes, current->company_id); !st)
        return call.done(error_response(st.error()));
    auto expected = if_match_current(call.request, current->version);
    if (!expected)
        return call.done(error_response(expected.error()));
    if (!*expected)
        return call.done(stale_contact(*current));
    if (changes->owner_id && *changes->owner_id != current->owner_id &&
        (!may_assign(call, current->owner_id, *changes->owner_id) ||
         !check_permission(*call.auth, *call.account, access::Action::contact_edit, *changes->owner_id)))
        return call.done(error_response(api::ErrorCode::forbidden, "you may not change a record's owner", "owner_id"));

    auto after = *current;
    model::apply_changes(after, *changes);
    auto fields = model::changed_fields(*current, after);
    if (fields.empty()) // nothing changes: no new version, no audit row, no event
        return call.done(record_response(200, *current));
    after.updated_at = services.clock();
    auto stored = services.store.update_contact(call.scope(), after, current->version,
                                                audit_for(services, call, "contact.update", after.id, fields));
    if (!stored) {
        // Lost a race with another writer between our read and the write: same answer as a stale If-Match.
        if (stored.error().code == api::ErrorCode::precondition_failed)
            if (auto now = load(services, call))
                return call.done(stale_contact(*now));
        return call.done(failure(stored.error()));
    }
    publish(services, "contact.updated", *call.account, stored->id, stored->version);
    call.done(record_response(200, *stored));
}

void handle_contact_delete(AppServices& services, Call call)
{
    auto current = load(services, call);
    if (!current)
        return call.done(failure(current.error()));
    if (auto st = check_permission(*call.auth, *call.account, access::Action::contact_delete, current->owner_id); !st)
        return call.done(failure(st.error()));
    auto expected = if_match_current(call.request, current->version);
    if (!expected)
        return call.done(error_response(expected.error()));
    if (!*expected)
        return call.done(stale_contact(*current));
    auto st = services.store.delete_contact(call.scope(), current->id, current->version,
                                            audit_for(services, call, "contact.delete", current->id, {}));
    if (!st) {
        if (st.error().code == api::ErrorCode::precondition_failed)
            if (auto now = load(services, call))
                return call.done(stale_contact(*now));
        return call.done(failure(st.error()));
    }
    // The trash keeps a tombstone version: the event names it so clients can order events.
    publish(services, "contact.deleted", *call.account, current->id, current->version + 1);
    Response r;
    r.status = 204;
    call.done(std::move(r));
}

} // namespace stronghold::server

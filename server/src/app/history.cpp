// Version history, revert, trash and quick search (RES-1, RES-2, CRM-1):
//   GET  /api/v1/accounts/{account_id}/{object}/{id}/versions
//   POST /api/v1/accounts/{account_id}/{object}/{id}/versions/{n}/revert   (If-Match required)
//   GET  /api/v1/accounts/{account_id}/trash?limit=&cursor=
//   POST /api/v1/accounts/{account_id}/trash/{id}/restore
//   GET  /api/v1/accounts/{account_id}/search?q=&limit=
// {object} is "contacts" or any record path. A revert writes a new version holding the old
// version's data, validated again by today's rules; it never rewrites history.
//
// [SECTION] Versions
// [SECTION] Revert
// [SECTION] Trash
// [SECTION] Quick search
#include "app/handlers.hpp"
#include "app/middleware.hpp"
#include "app/query.hpp"
#include "app/records.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/model/contact.hpp"

#include <algorithm>
#include <charconv>

namespace stronghold::server {

namespace {

using model::Kind;
using nlohmann::json;

constexpr std::string_view k_contact_fields[] = {"first_name", "last_name", "emails",          "phones",
                                                 "company_name", "owner_id",  "tags",            "lifecycle_stage",
                                                 "source",       "company_id", "consents",       "custom"};

bool is_contact_call(const Call& call)
{
    const auto path = call.request.path();
    return path.find("/contacts/") != std::string_view::npos;
}

api::Error invalid(std::string field, std::string message)
{
    return api::make_error(api::ErrorCode::validation_failed, std::move(message), std::move(field));
}

Response failure(const api::Error& e)
{
    return e.code == api::ErrorCode::not_found ? not_found_response() : error_response(e);
}

// The writable data of a stored version: contacts keep the whole record with times in millis.
json version_fields(bool contact, const json& data)
{
    if (!contact)
        return data;
    json out = json::object();
    for (auto f : k_contact_fields)
        if (data.contains(std::string(f)))
            out[std::string(f)] = data[std::string(f)];
    return out;
}

// The record behind {id} (contact or record of the path's kind), live, with its owner and
// access object; 404 for anything else.
struct Target {
    std::string id;
    std::int64_t version = 0;
    std::string owner_id;
    std::string parent_id;
    access::Object object = access::Object::contact;
    const model::ObjectSpec* spec = nullptr; // nullptr: a contact
    std::optional<model::Contact> contact;
    std::optional<model::Record> record;
};

Result<Target> load_target(AppServices& services, const Call& call)
{
    Target t;
    t.id = call.param("id");
    if (is_contact_call(call)) {
        if (!crypto::is_id(t.id, "ct"))
            return api::make_error(api::ErrorCode::not_found, "not found");
        auto c = services.store.get_contact(call.scope(), t.id);
        if (!c)
            return c.error();
        t.version = c->version;
        t.owner_id = c->owner_id;
        t.contact = std::move(*c);
        return t;
    }
    const auto& spec = spec_of_call(call);
    if (!crypto::is_id(t.id, spec.prefix))
        return api::make_error(api::ErrorCode::not_found, "not found");
    auto r = services.store.get_record(call.scope(), spec.kind, t.id);
    if (!r)
        return r.error();
    t.spec = &spec;
    t.version = r->version;
    t.owner_id = r->owner_id;
    t.parent_id = r->parent_id;
    t.object = spec.object;
    t.record = std::move(*r);
    return t;
}

// View (history) or edit (revert) permission on the target, by its kind's rule.
Status may_target(AppServices& services, const Call& call, const Target& t, access::Verb verb)
{
    if (!t.spec)
        return may(call, access::Object::contact, verb, t.owner_id);
    switch (t.spec->rule) {
    case model::AccessRule::record:
        return may(call, t.spec->object, verb, t.owner_id);
    case model::AccessRule::attached: {
        const auto object = object_of_id(t.parent_id);
        auto owner = owner_of(services, call, t.parent_id);
        if (!object || !owner)
            return api::make_error(api::ErrorCode::forbidden, "you do not have permission to do this");
        return may(call, *object, verb == access::Verb::view ? access::Verb::view : access::Verb::edit, *owner);
    }
    case model::AccessRule::setting:
        if (verb == access::Verb::view ||
            access::has_capability(call.auth->actor, access::Capability::manage_settings, call.account->agency_id,
                                   call.account->id))
            return {};
        return api::make_error(api::ErrorCode::forbidden, "you do not have permission to do this");
    }
    return api::make_error(api::ErrorCode::forbidden, "you do not have permission to do this");
}

} // namespace

// [SECTION] Versions

// {"items":[{"version","at","actor_id","deleted","fields":[changed since the previous],"data"}]}
// oldest first; `data` is the record's writable fields as they were.
void handle_versions_list(AppServices& services, Call call)
{
    auto t = load_target(services, call);
    if (!t)
        return call.done(failure(t.error()));
    if (auto st = may_target(services, call, *t, access::Verb::view); !st)
        return call.done(failure(st.error()));
    auto versions = services.store.record_versions(call.scope(), t->id);
    if (!versions)
        return call.done(failure(versions.error()));
    json items = json::array();
    json previous = json::object();
    for (const auto& v : *versions) {
        const json data = version_fields(t->contact.has_value(), v.data);
        items.push_back({{"version", v.version},
                         {"at", model::format_iso8601(v.at)},
                         {"actor_id", v.actor_id},
                         {"deleted", v.deleted},
                         {"fields", v.deleted ? std::vector<std::string>{} : model::changed_fields(previous, data)},
                         {"data", data}});
        if (!v.deleted)
            previous = data;
    }
    call.done(json_response(200, {{"items", items}}));
}

// [SECTION] Revert

void handle_version_revert(AppServices& services, Call call)
{
    auto t = load_target(services, call);
    if (!t)
        return call.done(failure(t.error()));
    if (auto st = may_target(services, call, *t, access::Verb::edit); !st)
        return call.done(failure(st.error()));
    std::int64_t n = 0;
    const auto n_text = call.param("n");
    if (auto [end, ec] = std::from_chars(n_text.data(), n_text.data() + n_text.size(), n);
        ec != std::errc{} || end != n_text.data() + n_text.size())
        return call.done(not_found_response());
    auto expected = if_match_current(call.request, t->version);
    if (!expected)
        return call.done(error_response(expected.error()));
    auto versions = services.store.record_versions(call.scope(), t->id);
    if (!versions)
        return call.done(failure(versions.error()));
    const auto it = std::find_if(versions->begin(), versions->end(), [&](const RecordVersion& v) { return v.version == n; });
    if (it == versions->end() || it->deleted)
        return call.done(not_found_response());
    const json old = version_fields(t->contact.has_value(), it->data);
    if (t->contact) {
        if (!*expected)
            return call.done(stale_response(json(*t->contact), t->version));
        model::ContactRules rules;
        rules.default_country_code = call.account->default_country_code;
        rules.custom_fields = custom_fields_of(services, call.scope(), "contact");
        rules.current_custom = t->contact->custom;
        json old_fields = old;
        if (old_fields.contains("custom")) // a revert restores the values as they were: cleared ones too
            for (const auto& [k, _] : t->contact->custom.items())
                if (!old_fields["custom"].contains(k))
                    old_fields["custom"][k] = nullptr;
        auto changes = model::parse_contact_patch(old_fields, rules);
        if (!changes)
            return call.done(error_response(invalid(changes.error().field, "version " + std::to_string(n) +
                                                                              " no longer passes today's rules: " +
                                                                              changes.error().message)));
        model::Contact after = *t->contact;
        model::apply_changes(after, *changes);
        if (after.owner_id != t->contact->owner_id &&
            (!may(call, access::Object::contact, access::Verb::remove, t->contact->owner_id) ||
             !may(call, access::Object::contact, access::Verb::remove, after.owner_id)))
            return call.done(error_response(api::ErrorCode::forbidden, "you may not change a record's owner", "owner_id"));
        const auto fields = model::changed_fields(*t->contact, after);
        if (fields.empty())
            return call.done([&] {
                auto r = json_response(200, json(*t->contact));
                r.set_header("ETag", strong_etag(t->version));
                return r;
            }());
        after.updated_at = services.clock();
        AuditEntry audit;
        audit.at = after.updated_at;
        audit.actor = call.actor_ref();
        audit.action = "contact.revert";
        audit.target_type = "contact";
        audit.target_id = after.id;
        audit.details = {{"fields", fields}, {"to_version", n}};
        auto stored = services.store.update_contact(call.scope(), after, t->version, audit);
        if (!stored)
            return call.done(failure(stored.error()));
        publish_change(services, call, "contact", "updated", stored->id, stored->version);
        auto r = json_response(200, json(*stored));
        r.set_header("ETag", strong_etag(stored->version));
        return call.done(std::move(r));
    }
    const auto& spec = *t->spec;
    if (!*expected)
        return call.done(stale_response(json(*t->record), t->version));
    // Today's rules: a custom field made required since, a stage since removed... say which.
    json patch = old;
    for (const auto& f : spec.fields)
        if (f.immutable)
            patch.erase(std::string(f.name));
    model::RecordRules rules;
    rules.default_country_code = call.account->default_country_code;
    if (spec.custom_fields)
        rules.custom_fields = custom_fields_of(services, call.scope(), spec.name);
    auto data = model::parse_record_patch(spec, t->record->data, patch, rules);
    if (!data)
        return call.done(error_response(invalid(data.error().field, "version " + std::to_string(n) +
                                                                        " no longer passes today's rules: " +
                                                                        data.error().message)));
    model::Record after = *t->record;
    after.data = std::move(*data);
    model::derive_columns(spec, after);
    if (after.owner_id != t->record->owner_id && spec.rule == model::AccessRule::record &&
        (!may(call, spec.object, access::Verb::remove, t->record->owner_id) ||
         !may(call, spec.object, access::Verb::remove, after.owner_id)))
        return call.done(error_response(api::ErrorCode::forbidden, "you may not change a record's owner",
                                        std::string(spec.owner_field)));
    const auto fields = model::changed_fields(t->record->data, after.data);
    if (fields.empty())
        return call.done(record_response(200, *t->record));
    after.updated_at = services.clock();
    auto audit = record_audit(services, call, spec, "revert", after.id, fields);
    audit.details["to_version"] = n;
    auto stored = services.store.update_record(call.scope(), after, t->version, audit);
    if (!stored)
        return call.done(failure(stored.error()));
    publish_change(services, call, spec.name, "updated", stored->id, stored->version);
    call.done(record_response(200, *stored));
}

// [SECTION] Trash

namespace {

// Who may see and restore a trashed item: view it, and delete it (a restore undoes a delete).
bool may_trash_item(AppServices& services, const Call& call, const TrashItem& item, access::Verb verb)
{
    if (item.kind == "contact")
        return may(call, access::Object::contact, verb, item.owner_id).ok();
    const auto* spec = model::spec_by_name(item.kind);
    if (!spec)
        return false;
    switch (spec->rule) {
    case model::AccessRule::record:
        return may(call, spec->object, verb, item.owner_id).ok();
    case model::AccessRule::attached: {
        const auto object = object_of_id(item.parent_id);
        auto owner = owner_of(services, call, item.parent_id);
        return object && owner && may(call, *object, verb == access::Verb::view ? verb : access::Verb::edit, *owner).ok();
    }
    case model::AccessRule::setting:
        return verb == access::Verb::view ||
               access::has_capability(call.auth->actor, access::Capability::manage_settings, call.account->agency_id,
                                      call.account->id);
    }
    return false;
}

} // namespace

// {"items":[{"id","kind","title","deleted_at","deleted_by","purge_at","version"}],"next_cursor"}
void handle_trash_list(AppServices& services, Call call)
{
    auto params = parse_query(call.request.query());
    if (!params)
        return call.done(error_response(params.error()));
    std::size_t limit = 50;
    std::string cursor;
    for (const auto& [name, value] : *params) {
        if (name == "cursor") {
            cursor = value;
        } else if (name == "limit") {
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
            if (ec != std::errc{} || end != value.data() + value.size() || limit < 1 || limit > 200)
                return call.done(error_response(invalid("limit", "must be a whole number from 1 to 200")));
        } else {
            return call.done(error_response(invalid(name, "is not a parameter of the trash")));
        }
    }
    // Items the actor may not see are skipped; pages stay full by reading on.
    json items = json::array();
    std::optional<std::string> next;
    while (items.size() < limit) {
        auto page = services.store.list_trash(call.scope(), limit, cursor);
        if (!page)
            return call.done(error_response(page.error()));
        for (const auto& t : *page) {
            cursor = std::to_string(t.deleted_at) + ":" + t.id;
            if (!may_trash_item(services, call, t, access::Verb::view))
                continue;
            items.push_back({{"id", t.id},
                             {"kind", t.kind},
                             {"title", t.title},
                             {"version", t.version},
                             {"deleted_at", model::format_iso8601(t.deleted_at)},
                             {"deleted_by", t.deleted_by},
                             {"purge_at", model::format_iso8601(t.deleted_at + k_trash_keep_ms)},
                             {"restorable", may_trash_item(services, call, t, access::Verb::remove)}});
            if (items.size() == limit)
                break;
        }
        if (page->size() < limit) {
            cursor.clear();
            break;
        }
    }
    if (items.size() == limit && !cursor.empty())
        next = cursor;
    call.done(json_response(200, {{"items", items}, {"next_cursor", next ? json(*next) : json(nullptr)}}));
}

void handle_trash_restore(AppServices& services, Call call)
{
    const auto id = call.param("id");
    const auto us = id.find('_');
    const auto prefix = us == std::string::npos ? std::string{} : id.substr(0, us);
    const model::ObjectSpec* spec = model::spec_by_prefix(prefix);
    if ((prefix != "ct" && !spec) || !crypto::is_id(id, prefix))
        return call.done(not_found_response());
    // Find it in the trash (and its owner) through the listing's own row shape.
    TrashItem item;
    item.id = id;
    item.kind = prefix == "ct" ? "contact" : std::string(spec->name);
    if (prefix == "ct") {
        auto versions = services.store.record_versions(call.scope(), id);
        if (!versions || versions->empty() || !versions->back().deleted)
            return call.done(not_found_response());
        item.owner_id = versions->back().data.value("owner_id", "");
    } else {
        auto r = services.store.get_record_any(call.scope(), id);
        if (!r || !r->deleted_at)
            return call.done(not_found_response());
        item.owner_id = r->owner_id;
        item.parent_id = r->parent_id;
    }
    if (!may_trash_item(services, call, item, access::Verb::view))
        return call.done(not_found_response());
    if (!may_trash_item(services, call, item, access::Verb::remove))
        return call.done(error_response(api::ErrorCode::forbidden, "you do not have permission to restore this"));
    AuditEntry audit;
    audit.at = services.clock();
    audit.actor = call.actor_ref();
    audit.action = item.kind + ".restore";
    audit.target_type = item.kind;
    audit.target_id = id;
    auto version = services.store.restore_from_trash(call.scope(), id, audit.at, audit);
    if (!version)
        return call.done(failure(version.error()));
    publish_change(services, call, item.kind, "restored", id, *version);
    call.done(json_response(200, {{"id", id}, {"kind", item.kind}, {"version", *version}}));
}

Result<std::int64_t> purge_expired_trash(Store& store, model::UnixMillis now)
{
    return store.purge_trash(now - k_trash_keep_ms, now);
}

// [SECTION] Quick search

// {"items":[{"kind","id","title"}]}: name prefixes across contacts, companies, deals, tickets and
// tasks the actor may view, at most `limit` (default 5) of each kind.
void handle_quick_search(AppServices& services, Call call)
{
    auto params = parse_query(call.request.query());
    if (!params)
        return call.done(error_response(params.error()));
    std::string q;
    std::size_t limit = 5;
    for (const auto& [name, value] : *params) {
        if (name == "q") {
            q = value;
        } else if (name == "limit") {
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
            if (ec != std::errc{} || end != value.data() + value.size() || limit < 1 || limit > 20)
                return call.done(error_response(invalid("limit", "must be a whole number from 1 to 20")));
        } else {
            return call.done(error_response(invalid(name, "is not a parameter of search")));
        }
    }
    if (q.empty() || q.size() > 200)
        return call.done(error_response(invalid("q", "type 1 to 200 characters to search")));
    json items = json::array();
    if (auto scope = view_owners(call, access::Object::contact)) {
        ContactQuery cq;
        cq.q = q;
        cq.limit = limit;
        cq.owner_ids = *scope;
        if (auto page = services.store.list_contacts(call.scope(), cq))
            for (const auto& c : page->items)
                items.push_back({{"kind", "contact"}, {"id", c.id}, {"title", model::display_name(c)}});
    }
    for (Kind kind : {Kind::company, Kind::deal, Kind::ticket, Kind::task}) {
        const auto& spec = model::spec_of(kind);
        auto scope = view_owners(call, spec.object);
        if (!scope)
            continue;
        RecordQuery rq;
        rq.kind = kind;
        rq.q = q;
        rq.limit = limit;
        rq.owner_ids = *scope;
        if (auto page = services.store.list_records(call.scope(), rq))
            for (const auto& r : page->items)
                items.push_back({{"kind", spec.name}, {"id", r.id}, {"title", model::record_title(spec, r.data)}});
    }
    call.done(json_response(200, {{"items", items}}));
}

} // namespace stronghold::server

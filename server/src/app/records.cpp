// Records of every CRM object but contacts: /api/v1/accounts/{account_id}/<path>[/{id}] for
// companies, deals, pipelines, tickets, tasks, notes, tags, custom-fields and custom-values
// (CRM-1), plus bulk actions. One set of handlers serves every kind; core's schema table
// (model/record.hpp) decides the fields. Each mutation follows the one path: validate ->
// authorize -> store (record + version + audit in one transaction) -> live event -> respond.
//
// [SECTION] Access (the kind's AccessRule)
// [SECTION] Links and cross-record rules
// [SECTION] Handlers
// [SECTION] Bulk actions
#include "app/records.hpp"

#include "app/handlers.hpp"
#include "app/middleware.hpp"
#include "app/query.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "stronghold/validate/text.hpp"

#include <algorithm>
#include <charconv>

namespace stronghold::server {

using model::AccessRule;
using model::Kind;
using model::ObjectSpec;
using model::Record;

// [SECTION] Access (the kind's AccessRule)

Status decision_status(access::Decision d)
{
    switch (d) {
    case access::Decision::allow:
        return {};
    case access::Decision::not_found:
        return api::make_error(api::ErrorCode::not_found, "not found");
    default:
        return api::make_error(api::ErrorCode::forbidden, "you do not have permission to do this");
    }
}

Status may(const Call& call, access::Object object, access::Verb verb, const std::string& owner_id)
{
    return decision_status(access::authorize(call.auth->actor, object, verb,
                                             {call.account->agency_id, call.account->id, owner_id}));
}

std::optional<access::Object> object_of_id(std::string_view id)
{
    if (id.starts_with("ct_"))
        return access::Object::contact;
    if (id.starts_with("co_"))
        return access::Object::company;
    if (id.starts_with("dl_"))
        return access::Object::deal;
    if (id.starts_with("tk_"))
        return access::Object::ticket;
    return std::nullopt;
}

// The owner of a live record of the scope, any kind; not_found when there is none.
Result<std::string> owner_of(AppServices& services, const Call& call, const std::string& id)
{
    if (id.starts_with("ct_")) {
        auto c = services.store.get_contact(call.scope(), id);
        if (!c)
            return c.error();
        return c->owner_id;
    }
    auto r = services.store.get_record_any(call.scope(), id);
    if (!r || r->deleted_at)
        return api::make_error(api::ErrorCode::not_found, "not found");
    return r->owner_id;
}

namespace {

api::Error forbidden()
{
    return api::make_error(api::ErrorCode::forbidden, "you do not have permission to do this");
}

bool has_settings(const Call& call)
{
    return access::has_capability(call.auth->actor, access::Capability::manage_settings, call.account->agency_id,
                                  call.account->id);
}

// May the actor do `verb` to a record of this kind with this owner / attached to this parent?
Status may_record(AppServices& services, const Call& call, const ObjectSpec& spec, access::Verb verb,
                  const std::string& owner_id, const std::string& parent_id)
{
    using access::Verb;
    switch (spec.rule) {
    case AccessRule::record:
        return may(call, spec.object, verb, owner_id);
    case AccessRule::attached: {
        const auto object = object_of_id(parent_id);
        if (!object)
            return forbidden();
        auto parent_owner = owner_of(services, call, parent_id);
        if (!parent_owner)
            return forbidden(); // the parent went to the trash: its notes wait with it
        return may(call, *object, verb == Verb::view ? Verb::view : Verb::edit, *parent_owner);
    }
    case AccessRule::setting:
        if (verb == Verb::view)
            return {}; // every member of the sub-account (the middleware checked that)
        if (has_settings(call))
            return {};
        if (spec.kind == Kind::tag && verb != Verb::remove &&
            access::scope_in(call.auth->actor, access::Object::contact, Verb::edit, call.account->agency_id,
                             call.account->id) != access::RecordScope::none)
            return {};
        return forbidden();
    }
    return forbidden();
}

} // namespace

Result<std::optional<std::vector<std::string>>> view_owners(const Call& call, access::Object object)
{
    const auto scope = access::scope_in(call.auth->actor, object, access::Verb::view, call.account->agency_id,
                                        call.account->id);
    switch (scope) {
    case access::RecordScope::all:
        return std::optional<std::vector<std::string>>{};
    case access::RecordScope::team:
        return std::optional<std::vector<std::string>>{access::team_peers(call.auth->actor, call.account->id)};
    case access::RecordScope::own:
        return std::optional<std::vector<std::string>>{std::vector<std::string>{call.auth->user.id}};
    default:
        return forbidden();
    }
}

namespace {

// The owner filter of a list under record scope; nullopt: every record.
Result<std::optional<std::vector<std::string>>> list_scope(const Call& call, const ObjectSpec& spec)
{
    if (spec.rule != AccessRule::record)
        return std::optional<std::vector<std::string>>{};
    return view_owners(call, spec.object);
}

// [SECTION] Links and cross-record rules

api::Error invalid(std::string field, std::string message)
{
    return api::make_error(api::ErrorCode::validation_failed, std::move(message), std::move(field));
}

// Every id a record links to must be a live record of this sub-account the actor may view; an id
// from elsewhere reads exactly like a missing one.
Status check_links(AppServices& services, const Call& call, const ObjectSpec& spec, const nlohmann::json& data,
                   const nlohmann::json& before)
{
    for (const auto& f : spec.fields) {
        if (f.type != model::FieldType::ref && f.type != model::FieldType::ref_list)
            continue;
        if (f.ref_prefixes.size() == 1 && f.ref_prefixes[0] == "us")
            continue; // users: checked as owners below
        const std::string name(f.name);
        const auto& v = data[name];
        std::vector<std::pair<std::string, std::string>> ids; // (field, id)
        if (v.is_string() && !v.get<std::string>().empty())
            ids.emplace_back(name, v.get<std::string>());
        if (v.is_array())
            for (std::size_t i = 0; i < v.size(); ++i)
                ids.emplace_back(name + "[" + std::to_string(i) + "]", v[i].get<std::string>());
        for (const auto& [field, id] : ids) {
            // Links kept from before need no new check (the target may be in the trash now).
            if (before.is_object() && before.contains(name) && before[name].dump().find('"' + id + '"') != std::string::npos)
                continue;
            auto exists = services.store.record_exists(call.scope(), id);
            if (!exists)
                return exists.error();
            bool visible = *exists;
            if (visible)
                if (const auto object = object_of_id(id)) {
                    auto owner = owner_of(services, call, id);
                    visible = owner && may(call, *object, access::Verb::view, *owner).ok();
                }
            if (!visible)
                return invalid(field, "no such record in this sub-account");
        }
    }
    if (spec.kind == Kind::deal) {
        auto pipeline = services.store.get_record(call.scope(), Kind::pipeline, data["pipeline_id"].get<std::string>());
        if (!pipeline)
            return invalid("pipeline_id", "no such pipeline in this sub-account");
        const auto stage = data["stage_id"].get<std::string>();
        const auto& stages = pipeline->data["stages"];
        if (!std::any_of(stages.begin(), stages.end(), [&](const nlohmann::json& s) { return s.value("id", "") == stage; }))
            return invalid("stage_id", "is not a stage of the deal's pipeline");
    }
    return {};
}

model::RecordRules rules_for(AppServices& services, const Call& call, const ObjectSpec& spec)
{
    model::RecordRules rules;
    rules.default_country_code = call.account->default_country_code;
    rules.sensitive_policy = call.account->sensitive_data_policy;
    if (!spec.custom_fields)
        return rules;
    rules.custom_fields = custom_fields_of(services, call.scope(), spec.name);
    return rules;
}

// Owner changes are as strong as deleting the records of both owners (as for contacts).
bool may_assign(const Call& call, const ObjectSpec& spec, const std::string& from, const std::string& to)
{
    if (spec.rule != AccessRule::record)
        return true;
    const auto& me = call.auth->user.id;
    return (from == me || may(call, spec.object, access::Verb::remove, from).ok()) &&
           (to == me || may(call, spec.object, access::Verb::remove, to).ok());
}

Response failure(const api::Error& e)
{
    return e.code == api::ErrorCode::not_found ? not_found_response() : error_response(e);
}

Response stale_record(const Record& current)
{
    return stale_response(nlohmann::json(current), current.version);
}

// The live record named by {id}; malformed, missing, trashed and foreign ids all answer 404.
Result<Record> load(AppServices& services, const Call& call, const ObjectSpec& spec)
{
    const auto id = call.param("id");
    if (!crypto::is_id(id, spec.prefix))
        return api::make_error(api::ErrorCode::not_found, "not found");
    return services.store.get_record(call.scope(), spec.kind, id);
}

} // namespace

const ObjectSpec& spec_of_call(const Call& call)
{
    // The route pattern's collection segment: /api/v1/accounts/{account_id}/<path>/...
    const auto path = call.request.path();
    const auto start = path.find('/', std::string_view("/api/v1/accounts/").size()) + 1;
    const auto end = path.find('/', start);
    const auto* spec = model::spec_by_path(path.substr(start, end == std::string_view::npos ? end : end - start));
    return spec ? *spec : model::spec_of(Kind::company);
}

std::vector<model::CustomFieldDef> custom_fields_of(AppServices& services, const TenantScope& scope,
                                                    std::string_view object)
{
    return custom_fields_of(services.store, scope, object);
}

std::vector<model::CustomFieldDef> custom_fields_of(Store& store, const TenantScope& scope, std::string_view object)
{
    std::vector<model::CustomFieldDef> out;
    RecordQuery q;
    q.kind = Kind::custom_field;
    q.limit = 200;
    model::Filter f;
    f.field = "object";
    f.values = {std::string(object)};
    q.filters.push_back(f);
    if (auto page = store.list_records(scope, q))
        for (const auto& r : page->items)
            if (auto def = model::custom_field_from_data(r.id, r.data))
                out.push_back(std::move(*def));
    return out;
}

AuditEntry record_audit(AppServices& services, const Call& call, const ObjectSpec& spec, std::string_view verb,
                        const std::string& id, const std::vector<std::string>& fields)
{
    AuditEntry audit;
    audit.at = services.clock();
    audit.agency_id = call.account->agency_id;
    audit.account_id = call.account->id;
    audit.actor = call.actor_ref();
    audit.action = std::string(spec.name) + "." + std::string(verb);
    audit.target_type = std::string(spec.name);
    audit.target_id = id;
    // Field NAMES only: values are personal data and stay in the version rows.
    audit.details = {{"fields", fields}};
    return audit;
}

void publish_change(AppServices& services, const Call& call, std::string_view object, std::string_view event,
                    const std::string& id, std::int64_t version)
{
    nlohmann::json frame = {{"type", std::string(object) + "." + std::string(event)},
                            {"account_id", call.account->id},
                            {"id", id},
                            {"version", version}};
    services.hub.publish(call.account->id, dump_json(frame));
}

Response record_response(int status, const Record& r)
{
    auto resp = json_response(status, nlohmann::json(r));
    resp.set_header("ETag", strong_etag(r.version));
    return resp;
}

// [SECTION] Handlers

void handle_record_create(AppServices& services, Call call)
{
    const auto& spec = spec_of_call(call);
    auto body = parse_json_body(call.request.body);
    if (!body)
        return call.done(error_response(body.error()));
    if (spec.kind == Kind::note && body->is_object() && body->contains("author_id"))
        return call.done(error_response(invalid("author_id", "is read-only")));
    auto data = model::parse_record_create(spec, *body, rules_for(services, call, spec));
    if (!data)
        return call.done(error_response(data.error()));
    const auto now = services.clock();
    Record r;
    r.id = crypto::random_id(spec.prefix);
    r.kind = spec.kind;
    r.account_id = call.account->id;
    r.data = std::move(*data);
    if (spec.kind == Kind::note)
        r.data["author_id"] = call.auth->user.id;
    // The creator owns the record unless the body names someone else.
    if (!spec.owner_field.empty() && spec.kind != Kind::note && r.data[std::string(spec.owner_field)] == "" &&
        spec.rule == AccessRule::record && spec.kind != Kind::ticket && spec.kind != Kind::task)
        r.data[std::string(spec.owner_field)] = call.auth->user.id;
    model::derive_columns(spec, r);
    if (auto st = may_record(services, call, spec, access::Verb::create, r.owner_id, r.parent_id); !st)
        return call.done(failure(st.error()));
    if (!r.owner_id.empty() && !may_assign(call, spec, call.auth->user.id, r.owner_id))
        return call.done(error_response(api::ErrorCode::forbidden, "you may not assign records to other users",
                                        std::string(spec.owner_field)));
    if (auto st = check_links(services, call, spec, r.data, nullptr); !st)
        return call.done(error_response(st.error()));
    r.created_at = now;
    r.updated_at = now;
    auto stored = services.store.create_record(
        call.scope(), r, record_audit(services, call, spec, "create", r.id, model::changed_fields(nlohmann::json::object(), r.data)));
    if (!stored)
        return call.done(error_response(stored.error()));
    publish_change(services, call, spec.name, "created", stored->id, stored->version);
    auto resp = record_response(201, *stored);
    resp.set_header("Location", "/api/v1/accounts/" + call.account->id + "/" + std::string(spec.path) + "/" + stored->id);
    call.done(std::move(resp));
}

void handle_record_get(AppServices& services, Call call)
{
    const auto& spec = spec_of_call(call);
    auto found = load(services, call, spec);
    if (!found)
        return call.done(failure(found.error()));
    if (auto st = may_record(services, call, spec, access::Verb::view, found->owner_id, found->parent_id); !st)
        return call.done(failure(st.error()));
    call.done(record_response(200, *found));
}

void handle_record_patch(AppServices& services, Call call)
{
    const auto& spec = spec_of_call(call);
    auto current = load(services, call, spec);
    if (!current)
        return call.done(failure(current.error()));
    if (auto st = may_record(services, call, spec, access::Verb::edit, current->owner_id, current->parent_id); !st)
        return call.done(failure(st.error()));
    auto body = parse_json_body(call.request.body);
    if (!body)
        return call.done(error_response(body.error()));
    if (spec.kind == Kind::note && body->is_object() && body->contains("author_id"))
        return call.done(error_response(invalid("author_id", "is read-only")));
    auto data = model::parse_record_patch(spec, current->data, *body, rules_for(services, call, spec));
    if (!data)
        return call.done(error_response(data.error()));
    auto expected = if_match_current(call.request, current->version);
    if (!expected)
        return call.done(error_response(expected.error()));
    if (!*expected)
        return call.done(stale_record(*current));
    Record after = *current;
    after.data = std::move(*data);
    model::derive_columns(spec, after);
    if (after.owner_id != current->owner_id &&
        (!may_assign(call, spec, current->owner_id, after.owner_id) ||
         !may_record(services, call, spec, access::Verb::edit, after.owner_id, after.parent_id)))
        return call.done(error_response(api::ErrorCode::forbidden, "you may not change a record's owner",
                                        std::string(spec.owner_field)));
    const auto fields = model::changed_fields(current->data, after.data);
    if (fields.empty())
        return call.done(record_response(200, *current));
    if (auto st = check_links(services, call, spec, after.data, current->data); !st)
        return call.done(error_response(st.error()));
    after.updated_at = services.clock();
    auto stored = services.store.update_record(call.scope(), after, current->version,
                                               record_audit(services, call, spec, "update", after.id, fields));
    if (!stored) {
        if (stored.error().code == api::ErrorCode::precondition_failed)
            if (auto now = load(services, call, spec))
                return call.done(stale_record(*now));
        return call.done(failure(stored.error()));
    }
    publish_change(services, call, spec.name, "updated", stored->id, stored->version);
    call.done(record_response(200, *stored));
}

void handle_record_delete(AppServices& services, Call call)
{
    const auto& spec = spec_of_call(call);
    auto current = load(services, call, spec);
    if (!current)
        return call.done(failure(current.error()));
    if (auto st = may_record(services, call, spec, access::Verb::remove, current->owner_id, current->parent_id); !st)
        return call.done(failure(st.error()));
    auto expected = if_match_current(call.request, current->version);
    if (!expected)
        return call.done(error_response(expected.error()));
    if (!*expected)
        return call.done(stale_record(*current));
    auto st = services.store.delete_record(call.scope(), spec.kind, current->id, current->version,
                                           record_audit(services, call, spec, "delete", current->id, {}));
    if (!st) {
        if (st.error().code == api::ErrorCode::precondition_failed)
            if (auto now = load(services, call, spec))
                return call.done(stale_record(*now));
        return call.done(failure(st.error()));
    }
    publish_change(services, call, spec.name, "deleted", current->id, current->version + 1);
    Response r;
    r.status = 204;
    call.done(std::move(r));
}

// GET .../<path>?q=&sort=&limit=&cursor=&count=&record_id=&<field>[<op>]=<value>
void handle_records_list(AppServices& services, Call call)
{
    const auto& spec = spec_of_call(call);
    auto params = parse_query(call.request.query());
    if (!params)
        return call.done(error_response(params.error()));
    RecordQuery q;
    q.kind = spec.kind;
    // Filterable fields: the kind's own (custom values as custom.<key>), plus the times.
    std::vector<std::string> names;
    std::vector<model::FilterField> fields{{"created_at", model::FilterType::time}, {"updated_at", model::FilterType::time}};
    for (const auto& f : spec.fields) {
        using model::FieldType;
        const auto type = f.type == FieldType::string_list || f.type == FieldType::ref_list || f.type == FieldType::multi_select
                              ? model::FilterType::set
                          : f.type == FieldType::ref ? model::FilterType::id
                                                     : model::FilterType::text;
        if (f.type != FieldType::stages)
            fields.push_back({f.name, type});
    }
    if (spec.custom_fields) {
        for (const auto& def : custom_fields_of(services, call.scope(), spec.name))
            names.push_back("custom." + def.key);
        for (const auto& n : names)
            fields.push_back({n, model::FilterType::text});
    }
    for (const auto& [name, value] : *params) {
        if (name == "q")
            q.q = value;
        else if (name == "sort")
            q.sort = value;
        else if (name == "cursor")
            q.cursor = value;
        else if (name == "count")
            q.count = value == "true";
        else if (name == "record_id")
            q.parent_id = value;
        else if (name == "limit") {
            std::size_t n = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc{} || end != value.data() + value.size() || n < 1 || n > 200)
                return call.done(error_response(invalid("limit", "must be a whole number from 1 to 200")));
            q.limit = n;
        } else if (model::is_filter_param(name)) {
            auto f = model::parse_filter_param(name, value, fields);
            if (!f)
                return call.done(error_response(f.error()));
            q.filters.push_back(std::move(*f));
        } else {
            return call.done(error_response(invalid(name, "is not a parameter of this list")));
        }
    }
    if (spec.rule == AccessRule::attached) {
        // Notes are listed per record, under that record's view permission.
        if (q.parent_id.empty())
            return call.done(error_response(invalid("record_id", "name the record whose notes to list")));
        if (auto st = may_record(services, call, spec, access::Verb::view, {}, q.parent_id); !st)
            return call.done(failure(st.error()));
    }
    auto scope = list_scope(call, spec);
    if (!scope)
        return call.done(failure(scope.error()));
    q.owner_ids = std::move(*scope);
    auto page = services.store.list_records(call.scope(), q);
    if (!page)
        return call.done(error_response(page.error()));
    nlohmann::json body;
    body["items"] = nlohmann::json::array();
    for (const auto& r : page->items)
        body["items"].push_back(r);
    body["next_cursor"] = page->next_cursor ? nlohmann::json(*page->next_cursor) : nlohmann::json(nullptr);
    if (page->total)
        body["total"] = *page->total;
    call.done(json_response(200, body));
}

// [SECTION] Bulk actions

// POST .../<path>/bulk {"ids":[...], "action":"tag"|"untag"|"assign"|"delete", "tag":"...",
// "owner_id":"us_..."}: every record is checked first; then all change in one transaction or
// none does. Answers {"updated": n} and sends one bulk_changed frame.
void handle_records_bulk(AppServices& services, Call call)
{
    const auto& spec = spec_of_call(call);
    auto body = parse_json_body(call.request.body);
    if (!body)
        return call.done(error_response(body.error()));
    if (!body->is_object())
        return call.done(error_response(invalid("", "the body must be a JSON object")));
    for (const auto& [k, _] : body->items())
        if (k != "ids" && k != "action" && k != "tag" && k != "owner_id")
            return call.done(error_response(invalid(k, "is not a field of a bulk action")));
    const auto& ids = (*body)["ids"];
    if (!ids.is_array() || ids.empty() || ids.size() > 1000)
        return call.done(error_response(invalid("ids", "must be an array of 1 to 1000 record ids")));
    const std::string action = body->value("action", "");
    if (action != "tag" && action != "untag" && action != "assign" && action != "delete")
        return call.done(error_response(invalid("action", "must be tag, untag, assign or delete")));
    const bool has_tags = model::field_of(spec, "tags") != nullptr;
    if ((action == "tag" || action == "untag") && !has_tags)
        return call.done(error_response(invalid("action", "records of this kind have no tags")));
    if (action == "assign" && spec.owner_field.empty())
        return call.done(error_response(invalid("action", "records of this kind have no owner")));
    if (action == "delete" && spec.rule == model::AccessRule::record && call.jita_grant() &&
        access::refused_under_jita(spec.object, access::Verb::remove))
        return call.done(jita_refused_response()); // ACC-4, like DELETE .../{id}
    std::string tag, owner;
    if (action == "tag" || action == "untag") {
        const auto t = body->contains("tag") && (*body)["tag"].is_string() ? (*body)["tag"].get<std::string>() : "";
        auto v = validate::name("tag", t, 100, true);
        if (!v)
            return call.done(error_response(v.error()));
        tag = *v;
    }
    if (action == "assign") {
        owner = body->contains("owner_id") && (*body)["owner_id"].is_string() ? (*body)["owner_id"].get<std::string>() : "";
        if (!crypto::is_id(owner, "us"))
            return call.done(error_response(invalid("owner_id", "must be a user id")));
    }
    const auto rules = rules_for(services, call, spec);
    std::vector<Record> afters;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::string field = "ids[" + std::to_string(i) + "]";
        if (!ids[i].is_string() || !crypto::is_id(ids[i].get<std::string>(), spec.prefix))
            return call.done(error_response(invalid(field, "is not a " + std::string(spec.name) + " id")));
        auto current = services.store.get_record(call.scope(), spec.kind, ids[i].get<std::string>());
        if (!current)
            return call.done(error_response(invalid(field, "no such record in this sub-account")));
        const auto verb = action == "delete" ? access::Verb::remove : access::Verb::edit;
        if (auto st = may_record(services, call, spec, verb, current->owner_id, current->parent_id); !st)
            return call.done(error_response(api::ErrorCode::forbidden, "you may not change " + ids[i].get<std::string>(), field));
        Record after = *current;
        after.version = current->version; // the expected version
        if (action == "tag" || action == "untag") {
            auto tags = after.data["tags"];
            auto it = std::find(tags.begin(), tags.end(), tag);
            if (action == "tag" && it == tags.end())
                tags.push_back(tag);
            if (action == "untag" && it != tags.end())
                tags.erase(it);
            auto data = model::parse_record_patch(spec, current->data, {{"tags", tags}}, rules);
            if (!data)
                return call.done(error_response(invalid(field, data.error().message)));
            after.data = std::move(*data);
        } else if (action == "assign") {
            if (!may_assign(call, spec, current->owner_id, owner))
                return call.done(error_response(api::ErrorCode::forbidden, "you may not assign " + current->id, field));
            after.data[std::string(spec.owner_field)] = owner;
        }
        model::derive_columns(spec, after);
        after.updated_at = services.clock();
        afters.push_back(std::move(after));
    }
    auto audit = record_audit(services, call, spec, "bulk_" + action, "", {});
    audit.details["ids"] = ids;
    auto stored = services.store.bulk_write_records(call.scope(), afters, action == "delete", audit);
    if (!stored)
        return call.done(failure(stored.error()));
    nlohmann::json frame = {{"type", "bulk_changed"}, {"account_id", call.account->id}, {"object", spec.name},
                            {"count", stored->size()}};
    services.hub.publish(call.account->id, dump_json(frame));
    call.done(json_response(200, {{"updated", stored->size()}}));
}

} // namespace stronghold::server

// Built-in role tables (DESIGN.md "Built-in roles") and the JSON of roles and teams.
#include "stronghold/access/permissions.hpp"

#include "stronghold/validate/text.hpp"

#include <array>

namespace stronghold::access {

namespace {

using model::Role;

constexpr std::array<std::string_view, k_object_count> k_object_names{"contact", "company", "deal", "ticket"};
constexpr std::array<std::string_view, k_verb_count> k_verb_names{"view", "create", "edit", "delete", "export", "import"};
constexpr std::array<std::string_view, 4> k_scope_names{"none", "own", "team", "all"};
constexpr std::array<std::string_view, std::size(k_capabilities)> k_capability_names{
    "manage_users", "manage_roles", "manage_security", "manage_branding", "manage_api_keys", "view_audit_log", "manage_settings"};

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::string_view, N>& names, std::string_view s)
{
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s)
            return static_cast<E>(i);
    return std::nullopt;
}

template <std::size_t N>
std::string_view name_at(const std::array<std::string_view, N>& names, std::size_t i)
{
    return i < N ? names[i] : std::string_view{};
}

// Same grant for every object: built-ins treat all CRM objects alike.
RoleDef make_builtin(Role role, std::string_view name, std::string_view description,
                     std::array<RecordScope, k_verb_count> per_verb, std::initializer_list<Capability> caps)
{
    RoleDef r;
    r.id = std::string(model::to_string(role));
    r.name = std::string(name);
    r.description = std::string(description);
    r.builtin = true;
    for (auto& row : r.records)
        row = per_verb;
    for (const Capability c : caps)
        r.grant(c);
    return r;
}

constexpr auto N = RecordScope::none;
constexpr auto O = RecordScope::own;
constexpr auto A = RecordScope::all;

const std::array<RoleDef, 6>& builtins()
{
    // view, create, edit, delete, export, import
    static const std::array<RoleDef, 6> table{
        make_builtin(Role::agency_owner, "Agency owner", "Everything in every sub-account; the only role that manages owners.",
                     {A, A, A, A, A, A}, {Capability::manage_users, Capability::manage_roles, Capability::manage_security, Capability::manage_branding,
                      Capability::manage_api_keys, Capability::view_audit_log, Capability::manage_settings}),
        make_builtin(Role::agency_admin, "Agency admin", "Everything in every sub-account, except managing owners.",
                     {A, A, A, A, A, A}, {Capability::manage_users, Capability::manage_roles, Capability::manage_security, Capability::manage_branding,
                      Capability::manage_api_keys, Capability::view_audit_log, Capability::manage_settings}),
        make_builtin(Role::agency_user, "Agency user", "Works in the sub-accounts assigned to them; deletes own records.",
                     {A, A, A, O, N, N}, {}),
        make_builtin(Role::account_admin, "Sub-account admin", "Everything in its sub-account, its users and settings.",
                     {A, A, A, A, A, A},
                     {Capability::manage_users, Capability::manage_security, Capability::manage_branding,
                      Capability::manage_api_keys, Capability::view_audit_log, Capability::manage_settings}),
        make_builtin(Role::account_user, "Sub-account user", "Works in its sub-account; deletes own records.",
                     {A, A, A, O, N, N}, {}),
        make_builtin(Role::read_only, "Read only", "Views records; changes nothing.", {A, N, N, N, N, N}, {}),
    };
    return table;
}

const nlohmann::json* member(const nlohmann::json& j, const char* key)
{
    const auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

api::Error invalid(std::string field, std::string message)
{
    return api::make_error(api::ErrorCode::validation_failed, std::move(message), std::move(field));
}

} // namespace

std::string_view to_string(Object o) { return name_at(k_object_names, static_cast<std::size_t>(o)); }
std::string_view to_string(Verb v) { return name_at(k_verb_names, static_cast<std::size_t>(v)); }
std::string_view to_string(RecordScope s) { return name_at(k_scope_names, static_cast<std::size_t>(s)); }
std::string_view to_string(Capability c) { return name_at(k_capability_names, static_cast<std::size_t>(c)); }
std::optional<Object> object_from_string(std::string_view s) { return lookup<Object>(k_object_names, s); }
std::optional<Verb> verb_from_string(std::string_view s) { return lookup<Verb>(k_verb_names, s); }
std::optional<RecordScope> scope_from_string(std::string_view s) { return lookup<RecordScope>(k_scope_names, s); }
std::optional<Capability> capability_from_string(std::string_view s) { return lookup<Capability>(k_capability_names, s); }

const RoleDef* builtin_role(Role role)
{
    const auto i = static_cast<std::size_t>(role);
    return role == Role::custom || i >= builtins().size() ? nullptr : &builtins()[i];
}

std::vector<RoleDef> builtin_roles() { return {builtins().begin(), builtins().end()}; }

bool is_custom_role_id(std::string_view id) { return id.size() > 3 && id.substr(0, 3) == "ro_"; }

void to_json(nlohmann::json& j, const RoleDef& role)
{
    auto permissions = nlohmann::json::object();
    for (const Object o : k_objects) {
        auto verbs = nlohmann::json::object();
        for (const Verb v : k_verbs)
            verbs[std::string(to_string(v))] = to_string(role.scope(o, v));
        permissions[std::string(to_string(o))] = std::move(verbs);
    }
    auto caps = nlohmann::json::array();
    for (const Capability c : k_capabilities)
        if (role.has(c))
            caps.push_back(to_string(c));
    j = nlohmann::json{{"id", role.id},
                       {"name", role.name},
                       {"description", role.description},
                       {"builtin", role.builtin},
                       {"version", role.version},
                       {"permissions", std::move(permissions)},
                       {"capabilities", std::move(caps)}};
    if (!role.agency_id.empty())
        j["agency_id"] = role.agency_id;
}

std::optional<RoleDef> role_from_json(const nlohmann::json& j)
{
    if (!j.is_object())
        return std::nullopt;
    RoleDef r;
    const auto* id = member(j, "id");
    const auto* name = member(j, "name");
    if (!id || !id->is_string() || !name || !name->is_string())
        return std::nullopt;
    r.id = id->get<std::string>();
    r.name = name->get<std::string>();
    if (const auto* d = member(j, "description"); d && d->is_string())
        r.description = d->get<std::string>();
    if (const auto* a = member(j, "agency_id"); a && a->is_string())
        r.agency_id = a->get<std::string>();
    if (const auto* b = member(j, "builtin"); b && b->is_boolean())
        r.builtin = b->get<bool>();
    if (const auto* v = member(j, "version"); v && v->is_number_integer())
        r.version = v->get<std::int64_t>();
    if (const auto* p = member(j, "permissions"); p && p->is_object()) {
        for (const auto& [object_name, verbs] : p->items()) {
            const auto o = object_from_string(object_name);
            if (!o || !verbs.is_object())
                continue; // an object this build does not know grants nothing here
            for (const auto& [verb_name, scope] : verbs.items()) {
                const auto v = verb_from_string(verb_name);
                const auto s = scope.is_string() ? scope_from_string(scope.get<std::string>()) : std::nullopt;
                if (v && s)
                    r.set(*o, *v, *s);
            }
        }
    }
    if (const auto* c = member(j, "capabilities"); c && c->is_array())
        for (const auto& name_j : *c)
            if (name_j.is_string())
                if (const auto cap = capability_from_string(name_j.get<std::string>()))
                    r.grant(*cap);
    return r;
}

Result<RoleDef> role_from_request(const nlohmann::json& body, const RoleDef* base)
{
    if (!body.is_object())
        return invalid("", "the body must be a JSON object");
    RoleDef r = base ? *base : RoleDef{};
    for (const auto& [key, value] : body.items()) {
        (void)value;
        if (key != "name" && key != "description" && key != "permissions" && key != "capabilities")
            return invalid(key, "unknown or read-only field");
    }
    if (const auto* name = member(body, "name")) {
        if (!name->is_string())
            return invalid("name", "must be a string");
        auto v = validate::name("name", name->get<std::string>(), 80, true);
        if (!v)
            return v.error();
        r.name = std::move(*v);
    } else if (!base) {
        return invalid("name", "is required");
    }
    if (const auto* d = member(body, "description")) {
        if (!d->is_string())
            return invalid("description", "must be a string");
        auto v = validate::name("description", d->get<std::string>(), 500, false);
        if (!v)
            return v.error();
        r.description = std::move(*v);
    }
    if (const auto* p = member(body, "permissions")) {
        if (!p->is_object())
            return invalid("permissions", "must be an object of objects, e.g. {\"contact\":{\"view\":\"all\"}}");
        for (const auto& [object_name, verbs] : p->items()) {
            const std::string field = "permissions." + object_name;
            const auto o = object_from_string(object_name);
            if (!o)
                return invalid(field, "unknown object; use contact, company, deal or ticket");
            if (!verbs.is_object())
                return invalid(field, "must be an object of verb -> scope");
            for (const auto& [verb_name, scope] : verbs.items()) {
                const auto v = verb_from_string(verb_name);
                if (!v)
                    return invalid(field + "." + verb_name, "unknown action; use view, create, edit, delete, export or import");
                const auto s = scope.is_string() ? scope_from_string(scope.get<std::string>()) : std::nullopt;
                if (!s)
                    return invalid(field + "." + verb_name, "scope must be none, own, team or all");
                r.set(*o, *v, *s);
            }
        }
    }
    if (const auto* c = member(body, "capabilities")) {
        if (!c->is_array())
            return invalid("capabilities", "must be an array of capability names");
        r.capabilities = 0;
        for (const auto& name_j : *c) {
            const auto cap = name_j.is_string() ? capability_from_string(name_j.get<std::string>()) : std::nullopt;
            if (!cap)
                return invalid("capabilities", "unknown capability; use manage_users, manage_roles, manage_security, "
                                               "manage_branding, manage_api_keys, view_audit_log or manage_settings");
            r.grant(*cap);
        }
    }
    r.builtin = false;
    return r;
}

void to_json(nlohmann::json& j, const Team& t)
{
    j = nlohmann::json{{"id", t.id}, {"account_id", t.account_id}, {"name", t.name}, {"member_ids", t.member_ids}};
}

std::optional<Team> team_from_json(const nlohmann::json& j)
{
    if (!j.is_object())
        return std::nullopt;
    Team t;
    const auto* id = member(j, "id");
    const auto* account = member(j, "account_id");
    if (!id || !id->is_string() || !account || !account->is_string())
        return std::nullopt;
    t.id = id->get<std::string>();
    t.account_id = account->get<std::string>();
    if (const auto* n = member(j, "name"); n && n->is_string())
        t.name = n->get<std::string>();
    if (const auto* m = member(j, "member_ids"); m && m->is_array())
        for (const auto& u : *m)
            if (u.is_string())
                t.member_ids.push_back(u.get<std::string>());
    return t;
}

} // namespace stronghold::access

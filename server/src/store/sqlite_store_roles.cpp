// SQLite store, part 6: custom roles and teams (ACC-1). A role's table is the core's RoleDef
// JSON in `definition`; id, agency, name and version are columns (uniqueness, If-Match).
#include "store/sqlite_store_impl.hpp"

namespace stronghold::server {

namespace {

constexpr const char* k_role_cols = "SELECT id, agency_id, name, definition, version FROM roles";

std::optional<access::RoleDef> read_role(const sqlite::Stmt& s)
{
    auto parsed = nlohmann::json::parse(s.text(3), nullptr, false);
    auto role = access::role_from_json(parsed);
    if (!role)
        return std::nullopt;
    role->id = s.text(0);
    role->agency_id = s.text(1);
    role->name = s.text(2);
    role->version = s.int64(4);
    role->builtin = false;
    return role;
}

} // namespace

std::vector<access::RoleDef> SqliteStore::roles_of_agency(const std::string& agency_id)
{
    std::vector<access::RoleDef> out;
    auto lease = m_readers->acquire();
    auto stmt = sqlite::Stmt::prepare(lease.db(), std::string(k_role_cols) + " WHERE agency_id = ? ORDER BY name_key, id");
    if (!stmt)
        return out;
    stmt->bind(1, agency_id);
    for (auto row = stmt->step(); row && *row; row = stmt->step())
        if (auto role = read_role(*stmt))
            out.push_back(std::move(*role));
    return out;
}

std::optional<access::RoleDef> SqliteStore::find_role(const std::string& agency_id, const std::string& role_id)
{
    auto role = read_one((std::string(k_role_cols) + " WHERE id = ?").c_str(), role_id,
                         [](sqlite::Stmt& s) { return read_role(s); });
    if (!role || !*role || (*role)->agency_id != agency_id)
        return std::nullopt;
    return std::move(**role);
}

} // namespace stronghold::server

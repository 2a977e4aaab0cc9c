// SQLite store, part 6: custom roles and teams (ACC-1). A role's table is the core's RoleDef
// JSON in `definition`; id, agency, name and version are columns (uniqueness, If-Match). A team
// is a row plus its team_members; reads return the member ids sorted.
//
// [SECTION] Row mapping and shared steps
// [SECTION] Roles
// [SECTION] Teams
#include "store/contact_keys.hpp" // fold_lower: case-insensitive name keys
#include "store/sqlite_store_impl.hpp"

#include <algorithm>

namespace stronghold::server {

namespace {

// [SECTION] Row mapping and shared steps

constexpr const char* k_role_cols = "SELECT id, agency_id, name, definition, version FROM roles";

// Members come back as one JSON array per team (one query for the list, no N+1).
constexpr const char* k_team_cols =
    "SELECT t.id, t.account_id, t.name, t.version,"
    " (SELECT json_group_array(user_id) FROM (SELECT user_id FROM team_members WHERE team_id = t.id"
    " ORDER BY user_id)) FROM teams t";

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

StoredTeam read_team(const sqlite::Stmt& s)
{
    StoredTeam t;
    t.team.id = s.text(0);
    t.team.account_id = s.text(1);
    t.team.name = s.text(2);
    t.version = s.int64(3);
    const auto members = nlohmann::json::parse(s.text(4), nullptr, false);
    if (members.is_array())
        for (const auto& m : members)
            if (m.is_string())
                t.team.member_ids.push_back(m.get<std::string>());
    return t;
}

template <class T, class Read>
std::vector<T> read_all(sqlite::Db& db, const std::string& sql, const std::string& key, Read read)
{
    std::vector<T> out;
    auto stmt = sqlite::Stmt::prepare(db, sql);
    if (!stmt)
        return out;
    stmt->bind(1, key);
    for (auto row = stmt->step(); row && *row; row = stmt->step())
        if (auto item = read(*stmt))
            out.push_back(std::move(*item));
    return out;
}

// The two versioned tables: how to read a row's version and parent (agency or sub-account) and
// how to delete it.
struct Table {
    const char* version_sql;
    const char* delete_sql;
    const char* what;
};
constexpr Table k_roles{"SELECT version, agency_id FROM roles WHERE id = ?", "DELETE FROM roles WHERE id = ?", "role"};
constexpr Table k_teams{"SELECT version, account_id FROM teams WHERE id = ?",
                        "DELETE FROM teams WHERE id = ?", // team_members cascade
                        "team"};

// Inside the caller's transaction: the stored version of row `id`, which must belong to `parent`;
// not_found otherwise; precondition_failed when `expected` is given and differs.
Result<std::int64_t> current_version(sqlite::Db& db, const Table& table, const std::string& id,
                                     const std::string& parent, std::optional<std::int64_t> expected)
{
    auto stmt = sqlite::Stmt::prepare(db, table.version_sql);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row || stmt->text(1) != parent)
        return api::make_error(api::ErrorCode::not_found, std::string("no such ") + table.what);
    const auto version = stmt->int64(0);
    if (expected && *expected != version)
        return api::make_error(api::ErrorCode::precondition_failed,
                               std::string("the ") + table.what + " has changed since you read it");
    return version;
}

Status delete_row(sqlite::Db& db, const Table& table, const std::string& id)
{
    auto del = sqlite::Stmt::prepare(db, table.delete_sql);
    if (!del)
        return del.error();
    return del->bind(1, id).run();
}

// The end of every write here: the audit row in the same transaction, then the commit.
Status audit_and_commit(sqlite::Db& db, sqlite::Tx& tx, const AuditEntry& audit)
{
    if (auto st = insert_audit(db, audit); !st)
        return st;
    return tx.commit();
}

// A unique-name violation is the only constraint these writes can break: 409 naming the field.
Status name_conflict(Status st, const char* what)
{
    if (!st && st.error().code == api::ErrorCode::conflict)
        return api::make_error(api::ErrorCode::conflict, std::string("a ") + what + " with this name already exists",
                               "name");
    return st;
}

std::string role_definition(const access::RoleDef& role)
{
    return nlohmann::json(role).dump();
}

Status write_members(sqlite::Db& db, const access::Team& team)
{
    auto clear = sqlite::Stmt::prepare(db, "DELETE FROM team_members WHERE team_id = ?");
    if (!clear)
        return clear.error();
    if (auto st = clear->bind(1, team.id).run(); !st)
        return st;
    auto ins = sqlite::Stmt::prepare(db, "INSERT OR IGNORE INTO team_members(team_id, user_id) VALUES (?, ?)");
    if (!ins)
        return ins.error();
    for (const auto& user_id : team.member_ids) {
        ins->reset();
        if (auto st = ins->bind(1, team.id).bind(2, user_id).run(); !st)
            return st;
    }
    return {};
}

StoredTeam sorted(const access::Team& team, std::int64_t version)
{
    StoredTeam out{team, version};
    std::sort(out.team.member_ids.begin(), out.team.member_ids.end());
    out.team.member_ids.erase(std::unique(out.team.member_ids.begin(), out.team.member_ids.end()),
                              out.team.member_ids.end());
    return out;
}

} // namespace

// [SECTION] Roles

std::vector<access::RoleDef> SqliteStore::roles_of_agency(const std::string& agency_id)
{
    auto lease = m_readers->acquire();
    return read_all<access::RoleDef>(lease.db(), std::string(k_role_cols) + " WHERE agency_id = ? ORDER BY name_key, id",
                                     agency_id, read_role);
}

std::optional<access::RoleDef> SqliteStore::find_role(const std::string& agency_id, const std::string& role_id)
{
    auto role = read_one((std::string(k_role_cols) + " WHERE id = ?").c_str(), role_id,
                         [](sqlite::Stmt& s) { return read_role(s); });
    if (!role || !*role || (*role)->agency_id != agency_id)
        return std::nullopt;
    return std::move(**role);
}

std::vector<access::RoleDef> SqliteStore::roles_by_id(const std::vector<std::string>& role_ids)
{
    if (role_ids.empty())
        return {};
    auto lease = m_readers->acquire();
    // Primary-key lookups of the ids the memberships name, bound as one JSON array.
    return read_all<access::RoleDef>(lease.db(),
                                     std::string(k_role_cols) + " WHERE id IN (SELECT value FROM json_each(?))",
                                     nlohmann::json(role_ids).dump(), read_role);
}

std::vector<std::string> SqliteStore::role_holders(const std::string& role_id)
{
    auto lease = m_readers->acquire();
    return read_all<std::string>(lease.db(), "SELECT DISTINCT user_id FROM memberships WHERE role = ? ORDER BY user_id",
                                 role_id, [](sqlite::Stmt& s) { return std::optional(s.text(0)); });
}

Result<access::RoleDef> SqliteStore::create_role(const access::RoleDef& role, model::UnixMillis now,
                                                 const AuditEntry& audit)
{
    access::RoleDef saved = role;
    saved.builtin = false;
    saved.version = 1;
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto ins = sqlite::Stmt::prepare(*m_writer, "INSERT INTO roles(id, agency_id, name, name_key, definition, version,"
                                                " created_at, updated_at) VALUES (?,?,?,?,?,1,?,?)");
    if (!ins)
        return ins.error();
    ins->bind(1, saved.id).bind(2, saved.agency_id).bind(3, saved.name).bind(4, fold_lower(saved.name));
    if (auto st = name_conflict(ins->bind(5, role_definition(saved)).bind(6, now).bind(7, now).run(), "role"); !st)
        return st.error();
    if (auto st = audit_and_commit(*m_writer, *tx, audit); !st)
        return st.error();
    return saved;
}

Result<access::RoleDef> SqliteStore::update_role(const access::RoleDef& after, std::int64_t expected_version,
                                                 model::UnixMillis now, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto version = current_version(*m_writer, k_roles, after.id, after.agency_id, expected_version);
    if (!version)
        return version.error();
    access::RoleDef saved = after;
    saved.builtin = false;
    saved.version = *version + 1;
    auto up = sqlite::Stmt::prepare(*m_writer, "UPDATE roles SET name = ?, name_key = ?, definition = ?, version = ?,"
                                               " updated_at = ? WHERE id = ?");
    if (!up)
        return up.error();
    up->bind(1, saved.name).bind(2, fold_lower(saved.name)).bind(3, role_definition(saved)).bind(4, saved.version);
    if (auto st = name_conflict(up->bind(5, now).bind(6, saved.id).run(), "role"); !st)
        return st.error();
    if (auto st = audit_and_commit(*m_writer, *tx, audit); !st)
        return st.error();
    return saved;
}

Status SqliteStore::delete_role(const std::string& agency_id, const std::string& role_id,
                                std::optional<std::int64_t> expected_version, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto v = current_version(*m_writer, k_roles, role_id, agency_id, expected_version); !v)
        return v.error();
    // Checked inside the transaction: a membership granted meanwhile cannot be left dangling.
    auto used = sqlite::Stmt::prepare(*m_writer, "SELECT 1 FROM memberships WHERE role = ? LIMIT 1");
    if (!used)
        return used.error();
    auto row = used->bind(1, role_id).step();
    if (!row)
        return row.error();
    if (*row)
        return api::make_error(api::ErrorCode::conflict,
                               "the role is still assigned to users; give them another role first");
    if (auto st = delete_row(*m_writer, k_roles, role_id); !st)
        return st;
    return audit_and_commit(*m_writer, *tx, audit);
}

// [SECTION] Teams

std::vector<access::Team> SqliteStore::teams_of_user(const std::string& user_id)
{
    auto lease = m_readers->acquire();
    auto stored = read_all<StoredTeam>(
        lease.db(),
        std::string(k_team_cols) +
            " WHERE t.id IN (SELECT team_id FROM team_members WHERE user_id = ?) ORDER BY t.account_id, t.name_key, t.id",
        user_id, [](sqlite::Stmt& s) { return std::optional(read_team(s)); });
    std::vector<access::Team> out;
    out.reserve(stored.size());
    for (auto& t : stored)
        out.push_back(std::move(t.team));
    return out;
}

std::vector<StoredTeam> SqliteStore::teams_of_account(const std::string& account_id)
{
    auto lease = m_readers->acquire();
    return read_all<StoredTeam>(lease.db(), std::string(k_team_cols) + " WHERE t.account_id = ? ORDER BY t.name_key, t.id",
                                account_id, [](sqlite::Stmt& s) { return std::optional(read_team(s)); });
}

std::optional<StoredTeam> SqliteStore::find_team(const std::string& account_id, const std::string& team_id)
{
    auto team = read_one((std::string(k_team_cols) + " WHERE t.id = ?").c_str(), team_id,
                         [](sqlite::Stmt& s) { return read_team(s); });
    if (!team || team->team.account_id != account_id)
        return std::nullopt;
    return team;
}

Result<StoredTeam> SqliteStore::create_team(const access::Team& team, model::UnixMillis now, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto ins = sqlite::Stmt::prepare(*m_writer, "INSERT INTO teams(id, account_id, name, name_key, version, created_at,"
                                                " updated_at) VALUES (?,?,?,?,1,?,?)");
    if (!ins)
        return ins.error();
    ins->bind(1, team.id).bind(2, team.account_id).bind(3, team.name).bind(4, fold_lower(team.name));
    if (auto st = name_conflict(ins->bind(5, now).bind(6, now).run(), "team"); !st)
        return st.error();
    if (auto st = write_members(*m_writer, team); !st)
        return st.error();
    if (auto st = audit_and_commit(*m_writer, *tx, audit); !st)
        return st.error();
    return sorted(team, 1);
}

Result<StoredTeam> SqliteStore::update_team(const access::Team& after, std::int64_t expected_version,
                                            model::UnixMillis now, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    auto version = current_version(*m_writer, k_teams, after.id, after.account_id, expected_version);
    if (!version)
        return version.error();
    auto up = sqlite::Stmt::prepare(*m_writer,
                                    "UPDATE teams SET name = ?, name_key = ?, version = ?, updated_at = ? WHERE id = ?");
    if (!up)
        return up.error();
    up->bind(1, after.name).bind(2, fold_lower(after.name)).bind(3, *version + 1).bind(4, now);
    if (auto st = name_conflict(up->bind(5, after.id).run(), "team"); !st)
        return st.error();
    if (auto st = write_members(*m_writer, after); !st)
        return st.error();
    if (auto st = audit_and_commit(*m_writer, *tx, audit); !st)
        return st.error();
    return sorted(after, *version + 1);
}

Status SqliteStore::delete_team(const std::string& account_id, const std::string& team_id,
                                std::optional<std::int64_t> expected_version, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto v = current_version(*m_writer, k_teams, team_id, account_id, expected_version); !v)
        return v.error();
    if (auto st = delete_row(*m_writer, k_teams, team_id); !st)
        return st;
    return audit_and_commit(*m_writer, *tx, audit);
}

} // namespace stronghold::server

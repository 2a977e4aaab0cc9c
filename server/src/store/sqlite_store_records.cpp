// SQLite store, part 3: records of every CRM object but contacts (companies, deals, pipelines,
// tickets, tasks, notes, tags, custom fields, custom values), the versions of every record
// (contacts included), and the trash of every kind (RES-1, RES-2). Every statement carries
// `agency_id = ? AND account_id = ?` (TEN-1); every mutation writes the row, a version row and
// an audit row in one transaction (RES-4, AUD-1).
//
// [SECTION] Row mapping
// [SECTION] Writing
// [SECTION] Reads and listing
// [SECTION] Mutations
// [SECTION] Versions and trash
#include "store/contact_keys.hpp"
#include "store/sqlite_store_impl.hpp"

#include <variant>

namespace stronghold::server {

namespace {

using model::Kind;
using model::Record;
using nlohmann::json;

// [SECTION] Row mapping

constexpr const char* k_record_cols = "id, kind, account_id, owner_id, parent_id, data, version, created_at, updated_at,"
                                      " deleted_at";

std::optional<Kind> kind_from_name(const std::string& name)
{
    const auto* spec = model::spec_by_name(name);
    return spec ? std::optional<Kind>(spec->kind) : std::nullopt;
}

Record read_record(const sqlite::Stmt& s)
{
    Record r;
    r.id = s.text(0);
    r.kind = kind_from_name(s.text(1)).value_or(Kind::company);
    r.account_id = s.text(2);
    r.owner_id = s.text(3);
    r.parent_id = s.text(4);
    r.data = json::parse(s.text(5), nullptr, false);
    if (!r.data.is_object())
        r.data = json::object();
    r.version = s.int64(6);
    r.created_at = s.int64(7);
    r.updated_at = s.int64(8);
    if (!s.is_null(9))
        r.deleted_at = s.int64(9);
    return r;
}

// Names unique among the live records of a kind in a sub-account; nullopt: no constraint.
std::optional<std::string> unique_key_of(const Record& r)
{
    const auto str = [&](const char* k) { return r.data.value(k, std::string{}); };
    switch (r.kind) {
    case Kind::tag:
        return fold_lower(str("name"));
    case Kind::custom_field:
        return str("object") + "." + str("key");
    case Kind::custom_value:
        return str("key");
    default:
        return std::nullopt;
    }
}

std::string unique_field_of(Kind kind)
{
    return kind == Kind::tag ? "name" : "key";
}

AuditEntry scoped_audit(const AuditEntry& given, const TenantScope& scope, const Record& r, model::UnixMillis at)
{
    AuditEntry e = given;
    e.agency_id = scope.agency_id;
    e.account_id = scope.account_id;
    if (e.target_type.empty())
        e.target_type = std::string(model::spec_of(r.kind).name);
    if (e.target_id.empty())
        e.target_id = r.id;
    if (e.at == 0)
        e.at = at;
    return e;
}

api::Error stale()
{
    return api::make_error(api::ErrorCode::precondition_failed, "the record has changed since you read it");
}

api::Error not_found()
{
    return api::make_error(api::ErrorCode::not_found, "not found");
}

// [SECTION] Writing

Status write_version(sqlite::Db& db, const std::string& id, std::int64_t version, model::UnixMillis at,
                     const std::string& actor_id, bool deleted, const json& data)
{
    auto s = sqlite::Stmt::prepare(
        db, "INSERT INTO record_versions(record_id, version, at, actor_id, deleted, data) VALUES (?,?,?,?,?,?)");
    if (!s)
        return s.error();
    return s->bind(1, id).bind(2, version).bind(3, at).bind(4, actor_id).bind(5, deleted).bind(6, data.dump()).run();
}

// The row (insert or update of a live row), then its version row. A taken unique name is conflict.
Status write_row(sqlite::Db& db, const TenantScope& scope, const Record& r, bool insert, const std::string& actor_id)
{
    const auto& spec = model::spec_of(r.kind);
    auto s = sqlite::Stmt::prepare(
        db, insert ? "INSERT INTO records(id, agency_id, account_id, kind, owner_id, parent_id, sort_key, unique_key,"
                     " data, version, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)"
                   : "UPDATE records SET owner_id=?5, parent_id=?6, sort_key=?7, unique_key=?8, data=?9, version=?10,"
                     " updated_at=?12 WHERE id=?1 AND agency_id=?2 AND account_id=?3 AND kind=?4"
                     " AND deleted_at IS NULL");
    if (!s)
        return s.error();
    s->bind(1, r.id).bind(2, scope.agency_id).bind(3, scope.account_id).bind(4, spec.name);
    s->bind(5, r.owner_id).bind(6, r.parent_id).bind(7, fold_lower(model::sort_key_of(spec, r.data)));
    if (auto u = unique_key_of(r))
        s->bind(8, *u);
    else
        s->bind_null(8);
    s->bind(9, r.data.dump()).bind(10, r.version).bind(11, r.created_at).bind(12, r.updated_at);
    if (auto st = s->run(); !st) {
        if (unique_key_of(r) && (st.error().code == api::ErrorCode::conflict ||
                                 st.error().message.find("UNIQUE") != std::string::npos))
            return api::make_error(api::ErrorCode::conflict,
                                   "another " + std::string(spec.name) + " of this sub-account has this " +
                                       unique_field_of(r.kind),
                                   unique_field_of(r.kind));
        return st;
    }
    return write_version(db, r.id, r.version, r.updated_at, actor_id, false, r.data);
}

// The scope's sub-account exists (and belongs to its agency); not_found otherwise.
Status account_exists(sqlite::Db& db, const TenantScope& scope)
{
    auto acc = sqlite::Stmt::prepare(db, "SELECT 1 FROM accounts WHERE id = ? AND agency_id = ?");
    if (!acc)
        return acc.error();
    acc->bind(1, scope.account_id).bind(2, scope.agency_id);
    if (auto row = acc->step(); !row || !*row)
        return not_found();
    return {};
}

Result<Record> load_row(sqlite::Db& db, const TenantScope& scope, const std::string& id, bool live_only)
{
    auto s = sqlite::Stmt::prepare(db, std::string("SELECT ") + k_record_cols +
                                           " FROM records WHERE agency_id = ? AND account_id = ? AND id = ?" +
                                           (live_only ? " AND deleted_at IS NULL" : ""));
    if (!s)
        return s.error();
    s->bind(1, scope.agency_id).bind(2, scope.account_id).bind(3, id);
    auto row = s->step();
    if (!row)
        return row.error();
    if (!*row)
        return not_found();
    return read_record(*s);
}

// [SECTION] Reads and listing

using Bind = std::variant<std::string, std::int64_t>;

struct Sql {
    std::string text;
    std::vector<Bind> binds;
    Sql& add(std::string_view fragment)
    {
        text += fragment;
        return *this;
    }
    Sql& arg(Bind b)
    {
        binds.push_back(std::move(b));
        return *this;
    }
};

void bind_all(sqlite::Stmt& s, const std::vector<Bind>& binds)
{
    int i = 1;
    for (const auto& b : binds) {
        if (const auto* str = std::get_if<std::string>(&b))
            s.bind(i++, *str);
        else
            s.bind(i++, std::get<std::int64_t>(b));
    }
}

// The SQL expression of a filter's field. Names come from the schema (or "custom.<key>" with a
// key of [a-z0-9_]), checked by the caller, so they are safe to place in the text.
std::string field_expr(const std::string& field)
{
    if (field == "created_at" || field == "updated_at" || field == "owner_id")
        return field;
    return "json_extract(data, '$." + field + "')";
}

bool is_number_field(const model::ObjectSpec& spec, const std::string& field)
{
    const auto* f = model::field_of(spec, field);
    return f && f->type == model::FieldType::number;
}

void add_filter(Sql& sql, const model::ObjectSpec& spec, const model::Filter& f)
{
    using model::FilterOp;
    const std::string expr = field_expr(f.field);
    const bool time = !f.times.empty() || f.field == "created_at" || f.field == "updated_at";
    const bool number = is_number_field(spec, f.field);
    const bool set = model::field_of(spec, f.field) &&
                     (model::field_of(spec, f.field)->type == model::FieldType::string_list ||
                      model::field_of(spec, f.field)->type == model::FieldType::ref_list ||
                      model::field_of(spec, f.field)->type == model::FieldType::multi_select);
    const auto operand = [&](std::size_t i) -> Bind {
        if (time)
            return Bind(f.times.at(i));
        return Bind(f.values.at(i));
    };
    const std::string rhs = number ? "CAST(? AS REAL)" : "?";
    if (f.op == FilterOp::exists) {
        if (set)
            sql.add(f.exists ? " AND json_array_length(" + expr + ") > 0" : " AND coalesce(json_array_length(" + expr + "), 0) = 0");
        else
            sql.add(f.exists ? " AND coalesce(" + expr + ", '') <> ''" : " AND coalesce(" + expr + ", '') = ''");
        return;
    }
    if (set) {
        const std::string each = " EXISTS (SELECT 1 FROM json_each(records.data, '$." + f.field + "') WHERE ";
        switch (f.op) {
        case FilterOp::eq:
            sql.add(" AND" + each + "value = ?)").arg(f.values.at(0));
            return;
        case FilterOp::ne:
            sql.add(" AND NOT" + each + "value = ?)").arg(f.values.at(0));
            return;
        case FilterOp::prefix:
            sql.add(" AND" + each + "value >= ? AND value < ?)").arg(f.values.at(0)).arg(prefix_upper_bound(f.values.at(0)));
            return;
        default: { // in
            sql.add(" AND" + each + "value IN (");
            for (std::size_t i = 0; i < f.values.size(); ++i)
                sql.add(i ? ",?" : "?").arg(f.values[i]);
            sql.add("))");
            return;
        }
        }
    }
    const char* cmp = f.op == FilterOp::eq ? " = " : f.op == FilterOp::lt ? " < " : f.op == FilterOp::lte ? " <= "
                    : f.op == FilterOp::gt ? " > " : f.op == FilterOp::gte ? " >= " : nullptr;
    if (cmp) {
        sql.add(" AND " + expr + cmp + rhs).arg(operand(0));
        return;
    }
    switch (f.op) {
    case FilterOp::ne:
        sql.add(" AND coalesce(" + expr + ", '') <> " + rhs).arg(operand(0));
        return;
    case FilterOp::prefix:
        sql.add(" AND " + expr + " >= ? AND " + expr + " < ?").arg(f.values.at(0)).arg(prefix_upper_bound(f.values.at(0)));
        return;
    case FilterOp::in: {
        sql.add(" AND " + expr + " IN (");
        const std::size_t n = time ? f.times.size() : f.values.size();
        for (std::size_t i = 0; i < n; ++i)
            sql.add(i ? "," + rhs : rhs).arg(operand(i));
        sql.add(")");
        return;
    }
    default:
        return;
    }
}

const char* sort_col(SortField f)
{
    switch (f) {
    case SortField::updated_at:
        return "updated_at";
    case SortField::created_at:
        return "created_at";
    default:
        return "sort_key";
    }
}

// The tenant, kind, scope, parent, search and filters: shared by the page and its count.
Sql where_of(const TenantScope& scope, const RecordQuery& q)
{
    const auto& spec = model::spec_of(q.kind);
    Sql sql;
    sql.add(" WHERE agency_id = ? AND account_id = ? AND kind = ? AND deleted_at IS NULL")
        .arg(scope.agency_id)
        .arg(scope.account_id)
        .arg(std::string(spec.name));
    if (q.owner_ids) {
        sql.add(" AND owner_id IN (");
        if (q.owner_ids->empty())
            sql.add("NULL");
        for (std::size_t i = 0; i < q.owner_ids->size(); ++i)
            sql.add(i ? ",?" : "?").arg((*q.owner_ids)[i]);
        sql.add(")");
    }
    if (!q.parent_id.empty())
        sql.add(" AND parent_id = ?").arg(q.parent_id);
    if (!q.q.empty()) {
        const auto p = fold_lower(q.q);
        sql.add(" AND sort_key >= ? AND sort_key < ?").arg(p).arg(prefix_upper_bound(p));
    }
    for (const auto& f : q.filters)
        add_filter(sql, spec, f);
    return sql;
}

} // namespace

// [SECTION] Mutations

Result<Record> SqliteStore::create_record(const TenantScope& scope, const Record& record, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = account_exists(*m_writer, scope); !st)
        return st.error();
    Record r = record;
    r.account_id = scope.account_id;
    r.version = 1;
    r.deleted_at.reset();
    const auto entry = scoped_audit(audit, scope, r, r.updated_at);
    if (auto st = write_row(*m_writer, scope, r, true, entry.actor.id); !st)
        return st.error();
    if (auto st = insert_audit(*m_writer, entry); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return r;
}

Result<Record> SqliteStore::get_record(const TenantScope& scope, Kind kind, const std::string& id)
{
    auto lease = m_readers->acquire();
    auto r = load_row(lease.db(), scope, id, true);
    if (r && r->kind != kind)
        return not_found();
    return r;
}

Result<Record> SqliteStore::get_record_any(const TenantScope& scope, const std::string& id)
{
    auto lease = m_readers->acquire();
    return load_row(lease.db(), scope, id, false);
}

Result<Record> SqliteStore::update_record(const TenantScope& scope, const Record& after, std::int64_t expected_version,
                                          const AuditEntry& audit)
{
    auto out = bulk_write_records(scope, {[&] {
                                      Record r = after;
                                      r.version = expected_version;
                                      return r;
                                  }()},
                                  false, audit);
    if (!out)
        return out.error();
    return out->front();
}

Status SqliteStore::delete_record(const TenantScope& scope, Kind kind, const std::string& id,
                                  std::int64_t expected_version, const AuditEntry& audit)
{
    Record r;
    r.id = id;
    r.kind = kind;
    r.version = expected_version;
    auto out = bulk_write_records(scope, {r}, true, audit);
    if (!out)
        return out.error();
    return {};
}

Result<std::vector<Record>> SqliteStore::bulk_write_records(const TenantScope& scope, const std::vector<Record>& afters,
                                                            bool remove, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    const auto now = audit.at != 0 ? audit.at : system_now_ms();
    std::vector<Record> out;
    out.reserve(afters.size());
    for (const auto& given : afters) {
        auto current = load_row(*m_writer, scope, given.id, true);
        if (!current)
            return current.error();
        if (current->kind != given.kind)
            return not_found();
        if (current->version != given.version)
            return stale(); // the Tx destructor rolls back: nothing written
        Record r = remove ? *current : given;
        r.account_id = scope.account_id;
        r.created_at = current->created_at;
        r.version = current->version + 1;
        if (remove) {
            r.updated_at = now;
            auto s = sqlite::Stmt::prepare(*m_writer, "UPDATE records SET deleted_at = ?, updated_at = ?, version = ?"
                                                      " WHERE agency_id = ? AND account_id = ? AND id = ?");
            if (!s)
                return s.error();
            if (auto st = s->bind(1, now).bind(2, now).bind(3, r.version).bind(4, scope.agency_id)
                              .bind(5, scope.account_id).bind(6, r.id).run();
                !st)
                return st.error();
            if (auto st = write_version(*m_writer, r.id, r.version, now, audit.actor.id, true, r.data); !st)
                return st.error();
            r.deleted_at = now;
        } else if (auto st = write_row(*m_writer, scope, r, false, audit.actor.id); !st) {
            return st.error();
        }
        out.push_back(std::move(r));
    }
    // One audit row: a single change names its record; a bulk change names the count.
    AuditEntry entry = audit;
    if (afters.size() == 1) {
        entry = scoped_audit(audit, scope, out.front(), now);
    } else {
        entry.agency_id = scope.agency_id;
        entry.account_id = scope.account_id;
        entry.at = now;
        if (!entry.details.is_object())
            entry.details = json::object();
        entry.details["count"] = out.size();
    }
    if (auto st = insert_audit(*m_writer, entry); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return out;
}

// CRM-4 imports of companies and deals: like import_contacts_batch, new records (version 1, a
// version row each) and the job's progress in one transaction; the job's one audit row comes at
// its end (finish_import_job).
Status SqliteStore::import_records_batch(const TenantScope& scope, const std::vector<Record>& records,
                                         const ImportJob& progress)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    if (auto st = account_exists(*m_writer, scope); !st)
        return st;
    for (Record r : records) {
        r.account_id = scope.account_id;
        r.version = 1;
        r.deleted_at.reset();
        if (auto st = write_row(*m_writer, scope, r, true, progress.created_by); !st)
            return st;
    }
    if (auto st = save_import_progress(*m_writer, progress); !st)
        return st;
    return tx->commit();
}

// [SECTION] Reads and listing

Result<RecordPage> SqliteStore::list_records(const TenantScope& scope, const RecordQuery& q)
{
    auto sort = parse_sort(q.sort);
    if (!sort)
        return sort.error();
    std::optional<Cursor> cursor;
    if (!q.cursor.empty()) {
        auto c = decode_cursor(*sort, q.cursor);
        if (!c)
            return c.error();
        cursor = std::move(*c);
    }
    const char* col = sort_col(sort->field);
    const char* cmp = sort->descending ? "<" : ">";
    const char* dir = sort->descending ? " DESC" : "";

    Sql sql = where_of(scope, q);
    Sql count_sql = sql;
    if (cursor) {
        sql.add(std::string(" AND (") + col + ", id) " + cmp + " (?, ?)");
        if (const auto* s = std::get_if<std::string>(&cursor->key))
            sql.arg(*s);
        else
            sql.arg(std::get<std::int64_t>(cursor->key));
        sql.arg(cursor->id);
    }
    sql.add(std::string(" ORDER BY ") + col + dir + ", id" + dir + " LIMIT ?").arg(static_cast<std::int64_t>(q.limit + 1));

    auto lease = m_readers->acquire();
    auto s = sqlite::Stmt::prepare(lease.db(), std::string("SELECT ") + k_record_cols + ", sort_key FROM records" + sql.text);
    if (!s)
        return s.error();
    bind_all(*s, sql.binds);
    RecordPage page;
    std::string last_key;
    while (true) {
        auto row = s->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        if (page.items.size() == q.limit) {
            const Record& last = page.items.back();
            Cursor next{sort->field == SortField::name ? Cursor{last_key, last.id}.key
                        : sort->field == SortField::updated_at ? std::variant<std::string, std::int64_t>(last.updated_at)
                                                               : std::variant<std::string, std::int64_t>(last.created_at),
                        last.id};
            page.next_cursor = encode_cursor(*sort, next);
            break;
        }
        page.items.push_back(read_record(*s));
        last_key = s->text(10);
    }
    if (q.count) {
        auto c = sqlite::Stmt::prepare(lease.db(), "SELECT count(*) FROM records" + count_sql.text);
        if (!c)
            return c.error();
        bind_all(*c, count_sql.binds);
        if (auto row = c->step(); row && *row)
            page.total = c->int64(0);
    }
    return page;
}

Result<bool> SqliteStore::record_exists(const TenantScope& scope, const std::string& id)
{
    auto lease = m_readers->acquire();
    const bool contact = id.starts_with("ct_");
    auto s = sqlite::Stmt::prepare(lease.db(), contact ? "SELECT 1 FROM contacts WHERE agency_id = ? AND account_id = ?"
                                                         " AND id = ? AND deleted_at IS NULL"
                                                       : "SELECT 1 FROM records WHERE agency_id = ? AND account_id = ?"
                                                         " AND id = ? AND deleted_at IS NULL");
    if (!s)
        return s.error();
    s->bind(1, scope.agency_id).bind(2, scope.account_id).bind(3, id);
    auto row = s->step();
    if (!row)
        return row.error();
    return *row;
}

// [SECTION] Versions and trash

Result<std::vector<RecordVersion>> SqliteStore::record_versions(const TenantScope& scope, const std::string& id)
{
    auto lease = m_readers->acquire();
    const bool contact = id.starts_with("ct_");
    auto s = sqlite::Stmt::prepare(
        lease.db(), contact ? "SELECT v.version, v.at, v.actor_id, 0, v.data FROM contact_versions v JOIN contacts c"
                              " ON c.id = v.contact_id WHERE c.agency_id = ? AND c.account_id = ? AND c.id = ?"
                              " ORDER BY v.version"
                            : "SELECT v.version, v.at, v.actor_id, v.deleted, v.data FROM record_versions v JOIN records r"
                              " ON r.id = v.record_id WHERE r.agency_id = ? AND r.account_id = ? AND r.id = ?"
                              " ORDER BY v.version");
    if (!s)
        return s.error();
    s->bind(1, scope.agency_id).bind(2, scope.account_id).bind(3, id);
    std::vector<RecordVersion> out;
    while (true) {
        auto row = s->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        RecordVersion v;
        v.version = s->int64(0);
        v.at = s->int64(1);
        v.actor_id = s->text(2);
        v.data = json::parse(s->text(4), nullptr, false);
        if (!v.data.is_object())
            v.data = json::object();
        v.deleted = s->int64(3) != 0 || v.data.value("deleted", false);
        v.data.erase("deleted");
        out.push_back(std::move(v));
    }
    if (out.empty())
        return not_found();
    return out;
}

Result<std::vector<TrashItem>> SqliteStore::list_trash(const TenantScope& scope, std::size_t limit,
                                                       const std::string& cursor)
{
    // Cursor: "<deleted_at>:<id>" of the last item (newest first).
    std::int64_t c_at = std::numeric_limits<std::int64_t>::max();
    std::string c_id = "\xff";
    if (!cursor.empty()) {
        const auto colon = cursor.find(':');
        try {
            if (colon == std::string::npos)
                throw std::invalid_argument("cursor");
            c_at = std::stoll(cursor.substr(0, colon));
            c_id = cursor.substr(colon + 1);
        } catch (const std::exception&) {
            return api::make_error(api::ErrorCode::validation_failed, "the cursor is not valid", "cursor");
        }
    }
    auto lease = m_readers->acquire();
    auto s = sqlite::Stmt::prepare(
        lease.db(),
        "SELECT id, kind, title, version, deleted_at, owner_id, parent_id FROM ("
        " SELECT id, 'contact' AS kind, CASE WHEN trim(first_name || ' ' || last_name) <> ''"
        " THEN trim(first_name || ' ' || last_name) WHEN company_name <> '' THEN company_name"
        " ELSE coalesce(json_extract(emails, '$[0]'), '') END AS title, version, deleted_at, owner_id, '' AS parent_id"
        " FROM contacts WHERE agency_id = ?1 AND account_id = ?2 AND deleted_at IS NOT NULL"
        " UNION ALL SELECT id, kind, data AS title, version, deleted_at, owner_id, parent_id FROM records"
        " WHERE agency_id = ?1 AND account_id = ?2 AND deleted_at IS NOT NULL)"
        " WHERE (deleted_at, id) < (?3, ?4) ORDER BY deleted_at DESC, id DESC LIMIT ?5");
    if (!s)
        return s.error();
    s->bind(1, scope.agency_id).bind(2, scope.account_id).bind(3, c_at).bind(4, c_id).bind(5, static_cast<std::int64_t>(limit));
    std::vector<TrashItem> out;
    while (true) {
        auto row = s->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        TrashItem t;
        t.id = s->text(0);
        t.kind = s->text(1);
        t.title = s->text(2);
        if (t.kind != "contact")
            if (const auto* spec = model::spec_by_name(t.kind))
                t.title = model::record_title(*spec, json::parse(t.title, nullptr, false));
        t.version = s->int64(3);
        t.deleted_at = s->int64(4);
        t.owner_id = s->text(5);
        t.parent_id = s->text(6);
        out.push_back(std::move(t));
    }
    // Who deleted: the tombstone version's actor.
    for (auto& t : out) {
        auto v = sqlite::Stmt::prepare(lease.db(), t.kind == "contact"
                                                       ? "SELECT actor_id FROM contact_versions WHERE contact_id = ? AND version = ?"
                                                       : "SELECT actor_id FROM record_versions WHERE record_id = ? AND version = ?");
        if (!v)
            return v.error();
        v->bind(1, t.id).bind(2, t.version);
        if (auto row = v->step(); row && *row)
            t.deleted_by = v->text(0);
    }
    return out;
}

Result<std::int64_t> SqliteStore::restore_from_trash(const TenantScope& scope, const std::string& id,
                                                     model::UnixMillis now, const AuditEntry& audit)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    const bool contact = id.starts_with("ct_");
    AuditEntry entry = audit;
    entry.agency_id = scope.agency_id;
    entry.account_id = scope.account_id;
    entry.target_id = id;
    if (entry.at == 0)
        entry.at = now;
    std::int64_t version = 0;
    if (contact) {
        auto s = sqlite::Stmt::prepare(*m_writer, "SELECT version FROM contacts WHERE agency_id = ? AND account_id = ?"
                                                  " AND id = ? AND deleted_at IS NOT NULL");
        if (!s)
            return s.error();
        s->bind(1, scope.agency_id).bind(2, scope.account_id).bind(3, id);
        auto row = s->step();
        if (!row)
            return row.error();
        if (!*row)
            return not_found();
        version = s->int64(0) + 1;
        auto upd = sqlite::Stmt::prepare(*m_writer, "UPDATE contacts SET deleted_at = NULL, version = ?, updated_at = ?"
                                                    " WHERE agency_id = ? AND account_id = ? AND id = ?");
        if (!upd)
            return upd.error();
        if (auto st = upd->bind(1, version).bind(2, now).bind(3, scope.agency_id).bind(4, scope.account_id).bind(5, id).run(); !st)
            return st.error();
        // The version row: the last live data with the new version and time.
        auto last = sqlite::Stmt::prepare(*m_writer, "SELECT data FROM contact_versions WHERE contact_id = ?"
                                                     " ORDER BY version DESC LIMIT 1");
        if (!last)
            return last.error();
        last->bind(1, id);
        json data = json::object();
        if (auto r = last->step(); r && *r)
            data = json::parse(last->text(0), nullptr, false);
        if (!data.is_object())
            data = json::object();
        data.erase("deleted");
        data["version"] = version;
        data["updated_at"] = now;
        auto ins = sqlite::Stmt::prepare(*m_writer, "INSERT INTO contact_versions(contact_id, version, at, actor_id, data)"
                                                    " VALUES (?,?,?,?,?)");
        if (!ins)
            return ins.error();
        if (auto st = ins->bind(1, id).bind(2, version).bind(3, now).bind(4, entry.actor.id).bind(5, data.dump()).run(); !st)
            return st.error();
        entry.target_type = "contact";
    } else {
        auto current = load_row(*m_writer, scope, id, false);
        if (!current)
            return current.error();
        if (!current->deleted_at)
            return not_found();
        Record r = *current;
        r.version = current->version + 1;
        r.updated_at = now;
        auto upd = sqlite::Stmt::prepare(*m_writer, "UPDATE records SET deleted_at = NULL WHERE agency_id = ?"
                                                    " AND account_id = ? AND id = ?");
        if (!upd)
            return upd.error();
        if (auto st = upd->bind(1, scope.agency_id).bind(2, scope.account_id).bind(3, id).run(); !st)
            return st.error();
        if (auto st = write_row(*m_writer, scope, r, false, entry.actor.id); !st)
            return st.error(); // e.g. a live tag took the name meanwhile: conflict
        version = r.version;
        entry.target_type = std::string(model::spec_of(r.kind).name);
    }
    if (auto st = insert_audit(*m_writer, entry); !st)
        return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return version;
}

Result<std::int64_t> SqliteStore::purge_trash(model::UnixMillis before, model::UnixMillis now)
{
    std::lock_guard lock(m_write_mutex);
    auto tx = sqlite::Tx::begin(*m_writer);
    if (!tx)
        return tx.error();
    // Per sub-account counts first, for the audit rows.
    auto counts = sqlite::Stmt::prepare(
        *m_writer, "SELECT agency_id, account_id, count(*) FROM (SELECT agency_id, account_id FROM contacts"
                   " WHERE deleted_at IS NOT NULL AND deleted_at < ?1 UNION ALL SELECT agency_id, account_id FROM records"
                   " WHERE deleted_at IS NOT NULL AND deleted_at < ?1) GROUP BY agency_id, account_id");
    if (!counts)
        return counts.error();
    counts->bind(1, before);
    std::vector<AuditEntry> entries;
    std::int64_t total = 0;
    while (true) {
        auto row = counts->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        AuditEntry e;
        e.at = now;
        e.agency_id = counts->text(0);
        e.account_id = counts->text(1);
        e.actor.type = "system";
        e.action = "trash.purge";
        e.target_type = "trash";
        e.details = {{"count", counts->int64(2)}};
        total += counts->int64(2);
        entries.push_back(std::move(e));
    }
    { // the email rows of purged contacts, by their key
        auto purged = sqlite::Stmt::prepare(*m_writer, "SELECT agency_id, account_id, id, emails FROM contacts"
                                                       " WHERE deleted_at IS NOT NULL AND deleted_at < ?1");
        auto del = prepare_delete_contact_email(*m_writer);
        if (!purged)
            return purged.error();
        if (!del)
            return del.error();
        purged->bind(1, before);
        while (true) {
            auto row = purged->step();
            if (!row)
                return row.error();
            if (!*row)
                break;
            const TenantScope scope{purged->text(0), purged->text(1)};
            if (auto st = delete_contact_emails(*del, scope, purged->text(2), purged->text(3)); !st)
                return st.error();
        }
    }
    constexpr const char* k_purge[] = {
        "DELETE FROM contact_versions WHERE contact_id IN (SELECT id FROM contacts WHERE deleted_at < ?1)",
        "DELETE FROM contacts WHERE deleted_at < ?1",
        "DELETE FROM record_versions WHERE record_id IN (SELECT id FROM records WHERE deleted_at < ?1)",
        "DELETE FROM records WHERE deleted_at < ?1",
    };
    for (const char* sql : k_purge) {
        auto s = sqlite::Stmt::prepare(*m_writer, sql);
        if (!s)
            return s.error();
        if (auto st = s->bind(1, before).run(); !st)
            return st.error();
    }
    for (const auto& e : entries)
        if (auto st = insert_audit(*m_writer, e); !st)
            return st.error();
    if (auto st = tx->commit(); !st)
        return st.error();
    return total;
}

} // namespace stronghold::server

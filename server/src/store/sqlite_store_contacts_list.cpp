// SQLite store, part 2b: listing contacts at scale (issue 5: 1,000,000 contacts in one
// sub-account). A page is always read along an index; what decides which one:
//  - A name-prefix search sorted by name merges two index ranges that are already in
//    (sort key, id) order, the "first last" prefix and the last-name prefix, and stops at the
//    page's end (MERGE (UNION) in the plan); no match is read beyond what the page needs but
//    the last-name matches' keys, taken from a covering index.
//  - A filter or record scope whose own index finds few rows (a capped probe counts at most
//    k_probe_cap of them) drives the query: its rows are fetched and sorted. Otherwise the
//    list walks its sort index and tests the filters on each row, so a common filter costs a
//    few extra rows, never a sort of half the table. owner_id = x (own scope, owner filter)
//    and a range on the sort's own time column read an index in the sort's order.
//  - count=true without filters reads contact_counts (kept by triggers); with filters it counts
//    up to k_count_cap matches and says whether it stopped there (total_exact).
// Every statement states agency_id, account_id and deleted_at IS NULL (TEN-1, partial indexes).
//
// [SECTION] SQL text and binds
// [SECTION] Search
// [SECTION] Conditions (filters and record scope)
// [SECTION] The page, its count
#include "store/contact_keys.hpp"
#include "store/contact_rows.hpp"
#include "store/sqlite_store_impl.hpp"

#include <algorithm>
#include <functional>
#include <string>
#include <variant>

namespace stronghold::server {

namespace {

constexpr std::size_t k_max_page = 200;
constexpr std::int64_t k_probe_cap = 5000;  // fewer matches than this: the condition drives
constexpr std::int64_t k_count_cap = 10000; // filtered counts are exact up to this

// [SECTION] SQL text and binds

// Statement text from constant fragments and whitelisted column names; every value is bound.
// ?1 and ?2 are always the agency and the sub-account.
class Sql {
public:
    using Value = std::variant<std::string, std::int64_t>;
    Sql(const TenantScope& scope) : m_binds{scope.agency_id, scope.account_id} {}

    Sql& operator<<(std::string_view fragment)
    {
        m_text += fragment;
        return *this;
    }
    std::string param(Value v) // "?N" for a new bound value
    {
        m_binds.push_back(std::move(v));
        return "?" + std::to_string(m_binds.size());
    }
    const std::string& text() const { return m_text; }

    Result<sqlite::Stmt> prepare(sqlite::Db& db) const
    {
        auto s = sqlite::Stmt::prepare(db, m_text);
        if (!s)
            return s.error();
        int i = 1;
        for (const auto& v : m_binds) {
            if (const auto* text = std::get_if<std::string>(&v))
                s->bind(i++, *text);
            else
                s->bind(i++, std::get<std::int64_t>(v));
        }
        return s;
    }

private:
    std::string m_text;
    std::vector<Value> m_binds;
};

constexpr const char* k_tenant = "agency_id = ?1 AND account_id = ?2 AND deleted_at IS NULL";
// The unary + keeps SQLite from walking every row of the tenant when another index drives.
constexpr const char* k_tenant_plus = "+agency_id = ?1 AND +account_id = ?2 AND deleted_at IS NULL";

Result<std::int64_t> scalar(sqlite::Db& db, const Sql& sql)
{
    auto s = sql.prepare(db);
    if (!s)
        return s.error();
    auto row = s->step();
    if (!row)
        return row.error();
    return *row ? s->int64(0) : 0;
}

// [SECTION] Search

enum class QKind { none, name_prefix, email };

struct Search {
    QKind kind = QKind::none;
    std::string value; // folded prefix or folded email
};

Search parse_q(const std::string& q)
{
    // Collapse runs of white space so "Ana   Lima" finds "ana lima".
    std::string norm;
    for (char ch : q) {
        const bool space = ch == ' ' || ch == '\t';
        if (space && (norm.empty() || norm.back() == ' '))
            continue;
        norm += space ? ' ' : ch;
    }
    while (!norm.empty() && norm.back() == ' ')
        norm.pop_back();
    if (norm.empty())
        return {};
    return {norm.find('@') != std::string::npos ? QKind::email : QKind::name_prefix, fold_lower(norm)};
}

// The rows a search finds, as a rowid set (used when the page is not sorted by name, and for counts).
void add_search_filter(Sql& sql, const Search& q)
{
    if (q.kind == QKind::name_prefix) {
        const auto lo = sql.param(q.value), hi = sql.param(prefix_upper_bound(q.value));
        sql << " AND rowid IN (SELECT rowid FROM contacts WHERE " << k_tenant << " AND sort_name >= " << lo
            << " AND sort_name < " << hi << " AND full_lower = sort_name UNION SELECT rowid FROM contacts WHERE " << k_tenant
            << " AND last_lower >= " << lo << " AND last_lower < " << hi << ")";
    } else if (q.kind == QKind::email) {
        sql << " AND rowid IN (SELECT c.rowid FROM contact_emails e JOIN contacts c ON c.id = e.contact_id"
               " WHERE e.agency_id = ?1 AND e.account_id = ?2 AND e.email = "
            << sql.param(q.value) << ")";
    }
}

// [SECTION] Conditions (filters and record scope)

const char* sort_column(SortField f)
{
    switch (f) {
    case SortField::name:
        return "sort_name";
    case SortField::updated_at:
        return "updated_at";
    case SortField::created_at:
        return "created_at";
    }
    return "sort_name";
}

std::string json_list(const std::vector<std::string>& values)
{
    return nlohmann::json(values).dump();
}

std::string json_list(const std::vector<model::UnixMillis>& values)
{
    return nlohmann::json(values).dump();
}

bool is_range(model::FilterOp op)
{
    using model::FilterOp;
    return op == FilterOp::eq || op == FilterOp::lt || op == FilterOp::lte || op == FilterOp::gt || op == FilterOp::gte;
}

// One filter (or the record scope as owner_id in [...]) over the contacts table.
// plain: the test as an index may serve it; walk: the same test that never drives the query.
class Condition {
public:
    Condition(model::Filter f, const SortSpec& sort) : m_f(std::move(f))
    {
        const bool set = m_f.field == "email" || m_f.field == "tag";
        if (m_f.field == "email")
            for (auto& v : m_f.values)
                v = fold_lower(v); // contact_emails holds folded addresses
        using model::FilterOp;
        const bool time = m_f.field == "created_at" || m_f.field == "updated_at";
        const bool owner = m_f.field == "owner_id";
        m_probe = (set && (m_f.op == FilterOp::eq || m_f.op == FilterOp::in || m_f.op == FilterOp::prefix)) ||
                  ((time || owner) && (is_range(m_f.op) || m_f.op == FilterOp::in));
        m_ordered = (owner && m_f.op == FilterOp::eq && sort.field != SortField::created_at) ||
                    (time && is_range(m_f.op) && m_f.field == sort_column(sort.field));
        m_set = set;
    }

    bool probes() const { return m_probe; }     // has an index that can find its rows
    bool ordered() const { return m_ordered; }  // that index also yields the page's order
    bool drives_by_id() const { return m_set; } // finds rows by id (the tenant columns then take +)

    void add(Sql& sql, bool plain) const
    {
        if (m_set)
            return add_set(sql, plain);
        add_column(sql, std::string(plain ? "" : "+") + m_f.field);
    }

    // At most cap + 1 matches counted through the condition's own index.
    Sql probe_sql(const TenantScope& scope) const
    {
        Sql sql(scope);
        if (m_set) {
            sql << "SELECT count(*) FROM (SELECT 1 FROM " << side_table() << " WHERE agency_id = ?1 AND account_id = ?2";
            add_side_test(sql, "");
        } else {
            sql << "SELECT count(*) FROM (SELECT 1 FROM contacts WHERE " << k_tenant;
            add(sql, true);
        }
        sql << " LIMIT " << std::to_string(k_probe_cap + 1) << ")";
        return sql;
    }

private:
    const char* side_table() const { return m_f.field == "email" ? "contact_emails" : "contact_tags"; }
    const char* side_column() const { return m_f.field == "email" ? "email" : "tag"; }

    std::string operand(Sql& sql, std::size_t i) const
    {
        return m_f.times.empty() ? sql.param(m_f.values.at(i)) : sql.param(m_f.times.at(i));
    }

    void add_column(Sql& sql, const std::string& col) const
    {
        using model::FilterOp;
        const bool time = !m_f.times.empty() || m_f.field == "created_at" || m_f.field == "updated_at";
        switch (m_f.op) {
        case FilterOp::eq:
            sql << " AND " << col << " = " << operand(sql, 0);
            return;
        case FilterOp::ne:
            sql << " AND " << col << " <> " << operand(sql, 0);
            return;
        case FilterOp::lt:
            sql << " AND " << col << " < " << operand(sql, 0);
            return;
        case FilterOp::lte:
            sql << " AND " << col << " <= " << operand(sql, 0);
            return;
        case FilterOp::gt:
            sql << " AND " << col << " > " << operand(sql, 0);
            return;
        case FilterOp::gte:
            sql << " AND " << col << " >= " << operand(sql, 0);
            return;
        case FilterOp::in:
            sql << " AND " << col << " IN (SELECT value FROM json_each("
                << sql.param(time ? json_list(m_f.times) : json_list(m_f.values)) << "))";
            return;
        case FilterOp::prefix:
            sql << " AND " << col << " >= " << sql.param(m_f.values.at(0)) << " AND " << col << " < "
                << sql.param(prefix_upper_bound(m_f.values.at(0)));
            return;
        case FilterOp::exists:
            if (time) // a contact always has its times
                sql << (m_f.exists ? "" : " AND 0");
            else
                sql << " AND " << col << (m_f.exists ? " <> ''" : " = ''");
            return;
        }
    }

    // The side-table test on `alias`.column (contact_emails.email or contact_tags.tag).
    void add_side_test(Sql& sql, const std::string& alias) const
    {
        using model::FilterOp;
        const std::string col = alias + side_column();
        if (m_f.op == FilterOp::in)
            sql << " AND " << col << " IN (SELECT value FROM json_each(" << sql.param(json_list(m_f.values)) << "))";
        else if (m_f.op == FilterOp::prefix)
            sql << " AND " << col << " >= " << sql.param(m_f.values.at(0)) << " AND " << col << " < "
                << sql.param(prefix_upper_bound(m_f.values.at(0)));
        else // eq, ne (negated by the caller)
            sql << " AND " << col << " = " << sql.param(m_f.values.at(0));
    }

    void add_set(Sql& sql, bool plain) const
    {
        using model::FilterOp;
        if (m_f.op == FilterOp::exists) { // the JSON column says it without a join
            const char* col = m_f.field == "email" ? "emails" : "tags";
            sql << " AND " << col << (m_f.exists ? " <> '[]'" : " = '[]'");
            return;
        }
        if (plain && m_f.op != FilterOp::ne) {
            sql << " AND id IN (SELECT contact_id FROM " << side_table() << " WHERE agency_id = ?1 AND account_id = ?2";
            add_side_test(sql, "");
            sql << ")";
            return;
        }
        sql << (m_f.op == FilterOp::ne ? " AND NOT EXISTS" : " AND EXISTS") << " (SELECT 1 FROM " << side_table()
            << " s WHERE s.agency_id = ?1 AND s.account_id = ?2 AND s.contact_id = contacts.id";
        add_side_test(sql, "s.");
        sql << ")";
    }

    model::Filter m_f;
    bool m_probe = false;
    bool m_ordered = false;
    bool m_set = false;
};

// The record scope (own: one owner, team: its peers) as an owner_id filter; an empty scope is
// answered before any query (never widened).
std::optional<Condition> scope_condition(const ContactQuery& q, const SortSpec& sort)
{
    if (!q.owner_ids || q.owner_ids->empty())
        return std::nullopt;
    model::Filter f;
    f.field = "owner_id";
    f.op = q.owner_ids->size() == 1 ? model::FilterOp::eq : model::FilterOp::in;
    f.values = *q.owner_ids;
    return Condition(f, sort);
}

// How each condition is written: which one drives (plain) and whether the sort index is walked.
struct Plan {
    std::vector<bool> plain;
    bool walk_sort_index = true; // false: the matches are sorted after they are found
    bool tenant_plus = false;    // a driver finds rows by id
};

Result<Plan> choose_plan(sqlite::Db& db, const TenantScope& scope, const std::vector<Condition>& conds)
{
    Plan plan;
    plan.plain.assign(conds.size(), false);
    for (std::size_t i = 0; i < conds.size(); ++i)
        if (conds[i].ordered()) { // the best index there is: in order and narrowed
            plan.plain[i] = true;
            return plan;
        }
    std::optional<std::size_t> driver;
    std::int64_t fewest = k_probe_cap;
    for (std::size_t i = 0; i < conds.size(); ++i) {
        if (!conds[i].probes())
            continue;
        auto n = scalar(db, conds[i].probe_sql(scope));
        if (!n)
            return n.error();
        if (*n < fewest) {
            fewest = *n;
            driver = i;
        }
    }
    if (driver) {
        plan.plain[*driver] = true;
        plan.walk_sort_index = false;
        plan.tenant_plus = conds[*driver].drives_by_id();
    }
    return plan;
}

void add_conditions(Sql& sql, const std::vector<Condition>& conds, const Plan& plan)
{
    for (std::size_t i = 0; i < conds.size(); ++i)
        conds[i].add(sql, plan.plain[i]);
}

// Keyset: `col >= key` is the index range (a row-value comparison would only filter, so a late
// page of a big table would walk every earlier entry); the OR settles ties by id.
void add_cursor(Sql& sql, const std::string& col, const SortSpec& sort, const std::optional<Cursor>& cursor)
{
    if (!cursor)
        return;
    const auto key = std::holds_alternative<std::string>(cursor->key) ? sql.param(std::get<std::string>(cursor->key))
                                                                       : sql.param(std::get<std::int64_t>(cursor->key));
    const auto id = sql.param(cursor->id);
    if (sort.descending)
        sql << " AND " << col << " <= " << key << " AND (" << col << " < " << key << " OR id < " << id << ")";
    else
        sql << " AND " << col << " >= " << key << " AND (" << col << " > " << key << " OR id > " << id << ")";
}

} // namespace

// [SECTION] The page, its count

Result<ContactPage> SqliteStore::list_contacts(const TenantScope& scope, const ContactQuery& query)
{
    auto sort = parse_sort(query.sort);
    if (!sort)
        return sort.error();
    std::optional<Cursor> cursor;
    if (!query.cursor.empty()) {
        auto c = decode_cursor(*sort, query.cursor);
        if (!c)
            return c.error();
        cursor = std::move(*c);
    }
    const Search search = parse_q(query.q);
    const std::size_t limit = std::clamp<std::size_t>(query.limit, 1, k_max_page);
    const std::string col = sort_column(sort->field);
    const char* dir = sort->descending ? " DESC" : "";
    const auto limit_sql = [&](Sql& sql) {
        // One row more than asked tells whether there is a next page.
        sql << " LIMIT " << sql.param(static_cast<std::int64_t>(limit + 1)) << " OFFSET "
            << sql.param(static_cast<std::int64_t>(cursor ? 0 : query.offset.value_or(0)));
    };

    std::vector<Condition> conds;
    for (const auto& f : query.filters)
        conds.emplace_back(f, *sort);
    if (auto c = scope_condition(query, *sort))
        conds.push_back(std::move(*c));
    if (query.owner_ids && query.owner_ids->empty()) { // scope none: the middleware answered 403 already
        ContactPage none;
        if (query.count)
            none.total = 0;
        return none;
    }

    auto lease = m_readers->acquire();
    sqlite::Db& db = lease.db();
    Plan plan;
    plan.plain.assign(conds.size(), false);
    if (search.kind == QKind::none) {
        auto chosen = choose_plan(db, scope, conds);
        if (!chosen)
            return chosen.error();
        plan = std::move(*chosen);
    } else {
        plan.walk_sort_index = false; // the search's own indexes drive
        plan.tenant_plus = true;
    }
    // The tenant, search and conditions: shared by the page and its count.
    const auto where = [&](Sql& sql) {
        sql << " WHERE " << (plan.tenant_plus ? k_tenant_plus : k_tenant);
        add_search_filter(sql, search);
        add_conditions(sql, conds, plan);
    };

    Sql sql(scope);
    if (search.kind == QKind::name_prefix && sort->field == SortField::name) {
        // Two ranges in (key, id) order merged: "first last" starts with the prefix (sort_name is
        // full_lower then; a contact without a name sorts by its company or email, which a name
        // search does not match), or the last name does (sort_name from the index).
        const auto lo = sql.param(search.value), hi = sql.param(prefix_upper_bound(search.value));
        sql << "WITH page(k, id) AS (SELECT sort_name, id FROM contacts WHERE " << k_tenant << " AND sort_name >= " << lo
            << " AND sort_name < " << hi << " AND full_lower = sort_name";
        add_cursor(sql, "sort_name", *sort, cursor);
        add_conditions(sql, conds, plan);
        sql << " UNION SELECT sort_name, id FROM contacts WHERE " << k_tenant << " AND last_lower >= " << lo
            << " AND last_lower < " << hi;
        add_cursor(sql, "sort_name", *sort, cursor);
        add_conditions(sql, conds, plan);
        sql << " ORDER BY 1" << dir << ", 2" << dir;
        limit_sql(sql);
        sql << ") SELECT " << contact_cols("c.") << " FROM page JOIN contacts c ON c.id = page.id"
            << " ORDER BY page.k" << dir << ", page.id" << dir;
    } else {
        sql << "SELECT " << contact_cols("") << " FROM contacts";
        where(sql);
        add_cursor(sql, col, *sort, cursor);
        sql << " ORDER BY " << (plan.walk_sort_index ? "" : "+") << col << dir << ", id" << dir;
        limit_sql(sql);
    }

    ContactPage page;
    auto stmt = sql.prepare(db);
    if (!stmt)
        return stmt.error();
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        page.items.push_back(read_contact(*stmt));
    }
    if (page.items.size() > limit) {
        page.items.resize(limit);
        const model::Contact& last = page.items.back();
        Cursor next;
        next.id = last.id;
        if (sort->field == SortField::name)
            next.key = contact_keys(last).sort_name;
        else
            next.key = sort->field == SortField::updated_at ? last.updated_at : last.created_at;
        page.next_cursor = encode_cursor(*sort, next);
    }
    if (!query.count)
        return page;

    if (search.kind == QKind::none && conds.empty()) {
        Sql count(scope);
        count << "SELECT live FROM contact_counts WHERE agency_id = ?1 AND account_id = ?2";
        auto n = scalar(db, count);
        if (!n)
            return n.error();
        page.total = *n;
        return page;
    }
    // A count needs no order: every condition with an index of its own may drive it.
    for (std::size_t i = 0; i < conds.size(); ++i)
        if (conds[i].probes() && search.kind == QKind::none) {
            plan.plain[i] = true;
            plan.tenant_plus = plan.tenant_plus || conds[i].drives_by_id();
        }
    Sql count(scope);
    count << "SELECT count(*) FROM (SELECT 1 FROM contacts";
    where(count);
    count << " LIMIT " << std::to_string(k_count_cap + 1) << ")";
    auto n = scalar(db, count);
    if (!n)
        return n.error();
    page.total_exact = *n <= k_count_cap;
    page.total = std::min(*n, k_count_cap);
    return page;
}

} // namespace stronghold::server

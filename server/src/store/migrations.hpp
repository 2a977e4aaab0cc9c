// Schema migrations: numbered, embedded in the binary, run forward at open (RES-5).
// Each migration runs in its own BEGIN IMMEDIATE transaction together with its
// schema_migrations row, so a crash leaves the schema at a whole version, and two processes
// opening the same fresh data dir at once cannot both apply it.
#pragma once

#include "stronghold/api/result.hpp"
#include "store/sqlite.hpp"

#include <cstdint>
#include <span>

namespace stronghold::server {

struct Migration {
    int version;
    const char* name;
    const char* sql; // one or more statements, constant text
};

std::span<const Migration> sqlite_migrations(); // ascending versions, starting at 1, no gaps
int sqlite_schema_version_known();              // the highest version this binary knows

// The version recorded in schema_migrations (0 for a fresh file).
Result<int> sqlite_schema_version(sqlite::Db& db);
// Applies every known migration above the current version. A database at a newer version than
// this binary knows is refused (an older binary must not write a newer schema).
Status run_sqlite_migrations(sqlite::Db& db, std::int64_t now_ms);

} // namespace stronghold::server

// Numbered schema migrations, one folder per dialect (migrations/sqlite,
// migrations/postgres), embedded in the binary at build time, applied in
// order and recorded in schema_migrations. Each runs in its own transaction.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace staffroom::db {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

const std::vector<Migration>& embedded_migrations_sqlite();
const std::vector<Migration>& embedded_migrations_postgres();
const std::vector<Migration>& embedded_migrations(Dialect d);
// SQLite's second file (schema "derived", see open_sqlite): its own
// numbered steps, recorded in derived.schema_migrations, so a file that is
// missing or was deleted gets its tables again.
const std::vector<Migration>& embedded_migrations_sqlite_derived();

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this call
  int current_version = 0;
};

// Applies what is missing. progress (optional) is called before each one.
Result<MigrationReport> migrate(Database& db, const std::function<void(const Migration&)>& progress = {});

}  // namespace staffroom::db

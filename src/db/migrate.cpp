#include "db/migrate.hpp"

#include <ctime>

namespace staffroom::db {

namespace {
constexpr Sql kCreateVersionTable{
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER "
    "NOT NULL)",
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT "
    "NOT NULL)"};
constexpr std::string_view kCreateDerivedVersionTable =
    "CREATE TABLE IF NOT EXISTS derived.schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at INTEGER NOT NULL)";
constexpr Sql kApplied{"SELECT version FROM schema_migrations ORDER BY version"};
constexpr Sql kRecord{"INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"};
constexpr Sql kDerivedApplied{"SELECT version FROM derived.schema_migrations ORDER BY version"};
constexpr Sql kDerivedRecord{"INSERT INTO derived.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"};

struct MigrationSet {
  const std::vector<Migration>& steps;
  std::string_view create_version_table;
  const Sql& applied;
  const Sql& record;
};
// Two servers starting at once against one PostgreSQL must not both migrate,
// nor race to create the version table. SQLite serialises writers itself.
constexpr Sql kLock{"SELECT 1", "SELECT pg_advisory_lock(7240511)"};
constexpr Sql kUnlock{"SELECT 1", "SELECT pg_advisory_unlock(7240511)"};

Status apply_missing(Connection& conn, const MigrationSet& set, MigrationReport& report,
                     const std::function<void(const Migration&)>& progress) {
  SR_TRY(conn.execute_script(set.create_version_table));
  for (const auto& m : set.steps) {
    SR_TRY(conn.begin(true));
    auto step = [&]() -> Status {
      SR_ASSIGN(auto rows, conn.query(set.applied));
      for (const auto& r : rows.rows)
        if (r.int64(0) == m.version) return {};  // already applied (maybe by another process)
      if (progress) progress(m);
      Status applied = conn.execute_script(m.sql);
      if (!applied.ok()) {
        return Error::internal("migration " + m.name + " failed: " + applied.error().detail);
      }
      const Value params[] = {static_cast<std::int64_t>(m.version), m.name,
                              static_cast<std::int64_t>(std::time(nullptr)) * 1000};
      SR_TRY(conn.query(set.record, params));
      report.applied.push_back(m.name);
      return {};
    };
    Status s = step();
    if (!s.ok()) {
      (void)conn.rollback();
      return std::move(s).error();
    }
    SR_TRY(conn.commit());
  }
  return {};
}

Result<MigrationReport> apply_all(Connection& conn, Dialect dialect,
                                  const std::function<void(const Migration&)>& progress) {
  MigrationReport report;
  // SQLite's second file first: a step of the main file may change what
  // the second holds (its tables then exist).
  if (dialect == Dialect::Sqlite) {
    const MigrationSet derived{embedded_migrations_sqlite_derived(), kCreateDerivedVersionTable, kDerivedApplied,
                               kDerivedRecord};
    SR_TRY(apply_missing(conn, derived, report, progress));
  }
  const MigrationSet main{embedded_migrations(dialect), kCreateVersionTable.for_dialect(dialect), kApplied, kRecord};
  SR_TRY(apply_missing(conn, main, report, progress));
  if (!main.steps.empty()) report.current_version = main.steps.back().version;
  return report;
}
}  // namespace

const std::vector<Migration>& embedded_migrations(Dialect d) {
  return d == Dialect::Sqlite ? embedded_migrations_sqlite() : embedded_migrations_postgres();
}

Result<MigrationReport> migrate(Database& db, const std::function<void(const Migration&)>& progress) {
  SR_ASSIGN(auto lease, db.acquire());
  SR_TRY(lease->query(kLock));
  auto report = apply_all(*lease, db.dialect(), progress);
  (void)lease->query(kUnlock);
  return report;
}

}  // namespace staffroom::db

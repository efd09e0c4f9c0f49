#include "db/migrate.hpp"

#include <ctime>

namespace staffroom::db {

namespace {
constexpr Sql kCreateVersionTable{
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER "
    "NOT NULL)",
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT "
    "NOT NULL)"};
constexpr Sql kApplied{"SELECT version FROM schema_migrations ORDER BY version"};
constexpr Sql kRecord{"INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"};
// Two servers starting at once against one PostgreSQL must not both migrate.
constexpr Sql kLock{"SELECT 1", "SELECT pg_advisory_xact_lock(7240511)"};
}  // namespace

const std::vector<Migration>& embedded_migrations(Dialect d) {
  return d == Dialect::Sqlite ? embedded_migrations_sqlite() : embedded_migrations_postgres();
}

Result<MigrationReport> migrate(Database& db, const std::function<void(const Migration&)>& progress) {
  SR_ASSIGN(auto lease, db.acquire());
  SR_TRY(lease->execute_script(kCreateVersionTable.for_dialect(db.dialect())));
  MigrationReport report;
  for (const auto& m : embedded_migrations(db.dialect())) {
    SR_TRY(lease->begin(true));
    auto step = [&]() -> Status {
      SR_TRY(lease->query(kLock).ok() ? Status{} : Status{Error::internal("cannot take the migration lock")});
      SR_ASSIGN(auto rows, lease->query(kApplied));
      for (const auto& r : rows.rows)
        if (r.int64(0) == m.version) return {};  // already applied (maybe by another process)
      if (progress) progress(m);
      Status applied = lease->execute_script(m.sql);
      if (!applied.ok()) {
        return Error::internal("migration " + m.name + " failed: " + applied.error().detail);
      }
      const Value params[] = {static_cast<std::int64_t>(m.version), m.name,
                              static_cast<std::int64_t>(std::time(nullptr)) * 1000};
      SR_TRY(lease->query(kRecord, params));
      report.applied.push_back(m.name);
      return {};
    };
    Status s = step();
    if (!s.ok()) {
      (void)lease->rollback();
      return std::move(s).error();
    }
    SR_TRY(lease->commit());
    report.current_version = m.version;
  }
  return report;
}

}  // namespace staffroom::db

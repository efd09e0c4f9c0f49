// The storage contract, run unchanged against every backend.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "db/testing.hpp"

using namespace staffroom;
using namespace staffroom::db;

class Storage : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db::test_support::available(GetParam())) GTEST_SKIP() << "set STAFFROOM_TEST_PG to a PostgreSQL admin URL";
    t_ = std::make_unique<test_support::TestDatabase>(GetParam());
    auto lease = t_->db().acquire();
    ASSERT_TRUE(lease.ok());
    const char* ddl = t_->db().dialect() == Dialect::Sqlite
                          ? "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER, x REAL)"
                          : "CREATE TABLE things (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT NOT "
                            "NULL UNIQUE, n BIGINT, x DOUBLE PRECISION)";
    ASSERT_TRUE(lease.value()->execute_script(ddl).ok());
  }
  Database& db() { return t_->db(); }
  std::unique_ptr<test_support::TestDatabase> t_;
};

constexpr Sql kInsert{"INSERT INTO things (name, n, x) VALUES ($1, $2, $3) RETURNING id"};
constexpr Sql kByName{"SELECT id, name, n, x FROM things WHERE name = $1"};
constexpr Sql kCount{"SELECT COUNT(*) FROM things"};

TEST_P(Storage, RoundTripsIntegersRealsTextAndNull) {
  const Value p[] = {std::string("Grüße, 'quoted' $1"), std::int64_t{9007199254740993}, 2.5};
  auto ins = db().query(kInsert, p);
  ASSERT_TRUE(ins.ok()) << ins.error().detail;
  EXPECT_GT(ins->front().int64(0), 0);
  const Value q[] = {std::string("Grüße, 'quoted' $1")};
  auto rows = db().query(kByName, q);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->rows.size(), 1u);
  EXPECT_EQ(rows->front().text(1), "Grüße, 'quoted' $1");
  EXPECT_EQ(rows->front().int64(2), 9007199254740993);
  EXPECT_DOUBLE_EQ(rows->front().real(3), 2.5);

  const Value nulls[] = {std::string("empty"), std::monostate{}, std::monostate{}};
  ASSERT_TRUE(db().query(kInsert, nulls).ok());
  const Value e[] = {std::string("empty")};
  auto r2 = db().query(kByName, e);
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->front().is_null(2));
  EXPECT_FALSE(r2->front().opt_int64(2));
}

TEST_P(Storage, PlaceholdersMayRepeatAndComeOutOfOrder) {
  constexpr Sql sql{"SELECT CAST($2 AS TEXT) || '-' || CAST($1 AS TEXT) || '-' || CAST($2 AS TEXT)"};
  const Value p[] = {std::string("a"), std::string("b")};
  auto rows = db().query(sql, p);
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  EXPECT_EQ(rows->front().text(0), "b-a-b");
  constexpr Sql literal{"SELECT '$1' || CAST($1 AS TEXT)"};
  const Value one[] = {std::string("x")};
  auto lit = db().query(literal, one);
  ASSERT_TRUE(lit.ok()) << lit.error().detail;
  EXPECT_EQ(lit->front().text(0), "$1x");
}

// A bulk read (COPY on PostgreSQL) answers what the same query answers:
// parameters of every kind, NULL, and text that needs escaping in COPY's
// format (tabs, line breaks, backslashes, quotes, a literal $1).
TEST_P(Storage, BulkReadsAnswerWhatQueriesAnswer) {
  const std::string odd = "tab\there\nnew line \\ back\\slash 'quote' $1 \\N";
  for (const auto& [name, n] : std::vector<std::pair<std::string, std::int64_t>>{{odd, 7}, {"plain", -3}, {"", 0}}) {
    const Value p[] = {name, n, 1.25};
    ASSERT_TRUE(db().query(kInsert, p).ok());
  }
  const Value nulls[] = {std::string("nulls"), std::monostate{}, std::monostate{}};
  ASSERT_TRUE(db().query(kInsert, nulls).ok());
  constexpr Sql normal{"SELECT id, name, n, x FROM things WHERE n IS NULL OR n > $1 OR name = $2 ORDER BY id"};
  constexpr Sql bulk{
      "SELECT id, name, n, x FROM things WHERE n IS NULL OR n > $1 OR name = $2 ORDER BY id", {}, false, true};
  const Value q[] = {std::int64_t{-1}, std::string("it's $2")};
  auto a = db().query(normal, q);
  auto b = db().query(bulk, q);
  ASSERT_TRUE(a.ok()) << a.error().detail;
  ASSERT_TRUE(b.ok()) << b.error().detail;
  ASSERT_EQ(a->rows.size(), 3u);  // not "plain": -3 is not above -1
  ASSERT_EQ(b->rows.size(), a->rows.size());
  for (std::size_t i = 0; i < a->rows.size(); ++i) {
    EXPECT_EQ(b->rows[i].int64(0), a->rows[i].int64(0));
    EXPECT_EQ(b->rows[i].text(1), a->rows[i].text(1));
    EXPECT_EQ(b->rows[i].is_null(2), a->rows[i].is_null(2));
    if (!a->rows[i].is_null(2)) {
      EXPECT_EQ(b->rows[i].int64(2), a->rows[i].int64(2));
    }
    if (!a->rows[i].is_null(3)) {
      EXPECT_DOUBLE_EQ(b->rows[i].real(3), a->rows[i].real(3));
    }
  }
  EXPECT_EQ(b->rows[0].text(1), odd);
  // A bad bulk read is an error, and the connection still works after it.
  constexpr Sql broken{"SELECT no_such_column FROM things WHERE n > $1", {}, false, true};
  const Value r[] = {std::int64_t{0}};
  EXPECT_FALSE(db().query(broken, r).ok());
  EXPECT_TRUE(db().query(kCount).ok());
}

TEST_P(Storage, UniqueViolationIsAConflict) {
  const Value p[] = {std::string("same"), std::int64_t{1}, 1.0};
  ASSERT_TRUE(db().query(kInsert, p).ok());
  auto again = db().query(kInsert, p);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(is_unique_violation(again.error()));
}

TEST_P(Storage, FailedTransactionLeavesNothingBehind) {
  Status s = db().transaction([](Connection& c) -> Status {
    const Value a[] = {std::string("first"), std::int64_t{1}, 1.0};
    SR_TRY(c.query(kInsert, a));
    return Error::validation("x", "stop here");
  });
  EXPECT_FALSE(s.ok());
  auto count = db().query(kCount);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->front().int64(0), 0);

  auto ok = db().transaction<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
    const Value a[] = {std::string("kept"), std::int64_t{1}, 1.0};
    SR_ASSIGN(auto rows, c.query(kInsert, a));
    return rows.front().int64(0);
  });
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(db().query(kCount)->front().int64(0), 1);
}

TEST_P(Storage, BulkInsertWritesEveryRowOrNone) {
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 5000; ++i)
    rows.push_back(
        {std::string("bulk-" + std::to_string(i) + "\ttab\\slash\nline"), std::int64_t{i}, std::monostate{}});
  const std::string_view cols[] = {"name", "n", "x"};
  auto lease = db().acquire();
  ASSERT_TRUE(lease.ok());
  auto n = lease.value()->bulk_insert("things", cols, rows);
  ASSERT_TRUE(n.ok()) << n.error().detail;
  EXPECT_EQ(*n, 5000);
  const Value q[] = {std::string("bulk-7\ttab\\slash\nline")};
  auto r = lease.value()->query(kByName, q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->front().int64(2), 7);

  std::vector<std::vector<Value>> dup{{std::string("new-one"), std::int64_t{1}, std::monostate{}},
                                      {std::string("bulk-1\ttab\\slash\nline"), std::int64_t{1}, std::monostate{}}};
  ASSERT_TRUE(lease.value()->begin(true).ok());
  auto failed = lease.value()->bulk_insert("things", cols, dup);
  (void)lease.value()->rollback();
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(lease.value()->query(kCount)->front().int64(0), 5000);
}

TEST_P(Storage, ThePoolServesConcurrentWriters) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        Status s = db().transaction([&](Connection& c) -> Status {
          const Value p[] = {std::string("t" + std::to_string(t) + "-" + std::to_string(i)), std::int64_t{i}, 0.0};
          SR_TRY(c.query(kInsert, p));
          return {};
        });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(db().query(kCount)->front().int64(0), 200);
  EXPECT_LE(db().stats().size, 4);
  EXPECT_EQ(db().stats().in_use, 0);
}

TEST_P(Storage, MigrationsAreRecordedAndIdempotent) {
  auto again = migrate(db());
  ASSERT_TRUE(again.ok()) << again.error().detail;
  EXPECT_TRUE(again->applied.empty());
  auto versions = db().query({"SELECT version, name FROM schema_migrations ORDER BY version"});
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->rows.size(), embedded_migrations(db().dialect()).size());
  EXPECT_EQ(versions->front().int64(0), 1);
  EXPECT_EQ(versions->front().text(1), "0001_accounts");
}

TEST_P(Storage, ReportsHealth) {
  EXPECT_TRUE(db().healthy());
}

INSTANTIATE_TEST_SUITE_P(Backends, Storage, ::testing::ValuesIn(test_support::backends()),
                         [](const auto& p) { return p.param; });

TEST(StorageUrls, BadUrlsAreExplained) {
  auto bad = Database::open("mysql://x", 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().detail.find("sqlite:PATH"), std::string::npos);
  auto empty = Database::open("sqlite:", 1);
  ASSERT_FALSE(empty.ok());
}

TEST(Migrations, BothDialectsHaveTheSameNumberedSteps) {
  const auto& s = embedded_migrations(Dialect::Sqlite);
  const auto& p = embedded_migrations(Dialect::Postgres);
  ASSERT_EQ(s.size(), p.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s[i].version, static_cast<int>(i + 1));
    EXPECT_EQ(s[i].name, p[i].name);
  }
}

// Commits leave checkpoints to the checkpointer thread: once the WAL passes
// its length, the pages reach the database file without any commit (or
// connection close) doing it, and the WAL is reused from its start.
TEST(SqliteCheckpoints, RunOffTheCommittingThread) {
  const auto dir = std::filesystem::temp_directory_path() / ("staffroom-checkpoint-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const auto file = dir / "c.db";
  {
    auto db = Database::open("sqlite:" + file.string(), 2);
    ASSERT_TRUE(db.ok()) << db.error().detail;
    ASSERT_TRUE((*db)->query(Sql{"CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB NOT NULL)"}).ok());
    const auto size_before = std::filesystem::file_size(file);
    // More than kPages pages of 4 KiB, in commits of 64 rows.
    const int rows = SqliteCheckpointer::kPages + 512;
    for (int start = 0; start < rows; start += 64) {
      auto done = (*db)->transaction([&](Connection& c) -> Status {
        for (int i = start; i < start + 64; ++i) {
          const Value p[] = {std::int64_t{i}};
          SR_TRY(c.query(Sql{"INSERT INTO pages (id, body) VALUES ($1, zeroblob(4000))"}, p));
        }
        return {};
      });
      ASSERT_TRUE(done.ok()) << done.error().detail;
    }
    // No commit checkpointed (the WAL stayed under four times the length),
    // so only the checkpointer's thread can grow the database file.
    const auto wanted = static_cast<std::uintmax_t>(SqliteCheckpointer::kPages) * 4096;
    for (int i = 0; i < 100 && std::filesystem::file_size(file) < wanted; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_GE(std::filesystem::file_size(file), wanted) << "before: " << size_before;
    auto count = (*db)->query(Sql{"SELECT COUNT(*) FROM pages"});
    ASSERT_TRUE(count.ok());
    EXPECT_EQ(count->front().int64(0), rows);
  }
  std::filesystem::remove_all(dir);
}

// The second file's WAL has its own, longer length: past the main file's
// length it is not yet checkpointed, past its own the checkpointer's thread
// copies it into the second file, and the main file is left alone.
TEST(SqliteCheckpoints, TheSecondFileWaitsForItsOwnLength) {
  const auto dir = std::filesystem::temp_directory_path() / ("staffroom-checkpoint2-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const auto file = dir / "c.db";
  const auto second = dir / "c.db-derived";
  {
    auto db = Database::open("sqlite:" + file.string(), 2);
    ASSERT_TRUE(db.ok()) << db.error().detail;
    ASSERT_TRUE((*db)->query(Sql{"CREATE TABLE derived.pages (id INTEGER PRIMARY KEY, body BLOB NOT NULL)"}).ok());
    int written = 0;
    auto write_until = [&](int rows) {
      for (; written < rows; written += 64) {
        auto done = (*db)->transaction([&](Connection& c) -> Status {
          for (int i = written; i < written + 64; ++i) {
            const Value p[] = {std::int64_t{i}};
            SR_TRY(c.query(Sql{"INSERT INTO derived.pages (id, body) VALUES ($1, zeroblob(4000))"}, p));
          }
          return {};
        });
        if (!done.ok()) return done;
      }
      return Status{};
    };
    // Past the main file's length (a page a row), under the second file's.
    auto first = write_until(SqliteCheckpointer::kPages + 512);
    ASSERT_TRUE(first.ok()) << first.error().detail;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto short_of_length = static_cast<std::uintmax_t>(SqliteCheckpointer::kPages) * 4096;
    EXPECT_LT(std::filesystem::file_size(second), short_of_length) << "checkpointed before its length";
    // Past its own length: only the checkpointer's thread can grow the file
    // (no commit left the WAL at four times the length).
    auto rest = write_until(SqliteCheckpointer::kDerivedPages + 512);
    ASSERT_TRUE(rest.ok()) << rest.error().detail;
    const auto wanted = static_cast<std::uintmax_t>(SqliteCheckpointer::kDerivedPages) * 4096;
    for (int i = 0; i < 200 && std::filesystem::file_size(second) < wanted; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_GE(std::filesystem::file_size(second), wanted);
    EXPECT_LT(std::filesystem::file_size(file), short_of_length);
    auto count = (*db)->query(Sql{"SELECT COUNT(*) FROM derived.pages"});
    ASSERT_TRUE(count.ok());
    EXPECT_EQ(count->front().int64(0), written);
  }
  std::filesystem::remove_all(dir);
}

// The second file (PATH-derived, schema "derived"): its tables are found by
// unqualified names; a transaction that writes the main file locks only
// that file when it begins deferred, so a writer of the second file does not
// wait for it; and migrate() gives a missing second file its tables again.
TEST(SqliteDerivedFile, HasItsOwnWriteLockAndItsOwnMigrations) {
  const auto dir = std::filesystem::temp_directory_path() / ("staffroom-derived-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const auto file = dir / "d.db";
  auto count_keys = [](Database& db) -> std::int64_t {
    auto n = db.query(Sql{"SELECT COUNT(*) FROM xapi_statement_keys"});
    return n.ok() ? n->front().int64(0) : -1;
  };
  {
    auto db = Database::open("sqlite:" + file.string(), 3);
    ASSERT_TRUE(db.ok()) << db.error().detail;
    ASSERT_TRUE(migrate(**db).ok());
    EXPECT_TRUE(std::filesystem::exists(derived_path(file.string())));
    auto where = (*db)->query(Sql{"SELECT COUNT(*) FROM derived.sqlite_master WHERE name = 'xapi_statement_keys'"});
    ASSERT_TRUE(where.ok());
    EXPECT_EQ(where->front().int64(0), 1) << "the index's table is in the second file";
    EXPECT_EQ(count_keys(**db), 0) << "found without its schema's name";

    // A deferred transaction holds the main file's write lock ...
    auto holder = (*db)->acquire();
    ASSERT_TRUE(holder.ok());
    ASSERT_TRUE((*holder)->begin(false).ok());
    ASSERT_TRUE((*holder)->query(Sql{"UPDATE schema_migrations SET name = name WHERE version = 1"}).ok());
    // ... and another connection writes the second file meanwhile, at once.
    const auto started = std::chrono::steady_clock::now();
    auto other = (*db)->transaction(
        [&](Connection& c) -> Status {
          const Value p[] = {std::string("v http://example.com/verb"), std::int64_t{1}};
          SR_TRY(c.query(Sql{"INSERT INTO xapi_statement_keys (key, seq) VALUES ($1, $2)"}, p));
          return {};
        },
        false);
    EXPECT_TRUE(other.ok()) << other.error().detail;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
    ASSERT_TRUE((*holder)->commit().ok());
    EXPECT_EQ(count_keys(**db), 1);
  }
  // Without the second file (deleted, or a copy of the main file restored
  // alone), the next migrate() creates its tables again, empty.
  std::filesystem::remove(derived_path(file.string()));
  std::filesystem::remove(derived_path(file.string()) + "-wal");
  std::filesystem::remove(derived_path(file.string()) + "-shm");
  {
    auto db = Database::open("sqlite:" + file.string(), 1);
    ASSERT_TRUE(db.ok()) << db.error().detail;
    EXPECT_EQ(count_keys(**db), -1) << "no table before migrating";
    auto report = migrate(**db);
    ASSERT_TRUE(report.ok()) << report.error().detail;
    ASSERT_EQ(report->applied.size(), embedded_migrations_sqlite_derived().size());
    EXPECT_EQ(report->applied.front(), embedded_migrations_sqlite_derived().front().name);
    EXPECT_EQ(count_keys(**db), 0);
    auto again = migrate(**db);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->applied.empty());
  }
  std::filesystem::remove_all(dir);
}

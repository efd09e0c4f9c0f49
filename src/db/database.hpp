// The storage interface every store uses, with two implementations: SQLite
// (embedded, the default) and PostgreSQL (libpq). Domain code writes SQL with
// $1, $2 ... placeholders and never learns which database runs; where the
// dialects differ, a store keeps one text per dialect (see Sql).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace staffroom::db {

enum class Dialect { Sqlite, Postgres };
std::string_view dialect_name(Dialect d);  // "sqlite" or "postgresql"

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

// One statement, optionally with a different text for PostgreSQL.
struct Sql {
  std::string_view text;
  std::string_view postgres = {};  // empty: the same text works on both
  // The best plan depends on the parameter values (a key that matches ten
  // rows or a million): PostgreSQL plans each execution for its values
  // instead of reusing a generic plan. Costs planning time on every call, so
  // only for queries whose row counts vary by orders of magnitude.
  bool plan_for_values = false;
  // A read of a great many rows: PostgreSQL sends it with COPY, so rows are
  // converted while the server is still producing them instead of after the
  // whole result has arrived. Its values then arrive as text (Row converts).
  bool bulk_read = false;
  std::string_view for_dialect(Dialect d) const {
    return d == Dialect::Postgres && !postgres.empty() ? postgres : text;
  }
};

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  std::int64_t int64(std::size_t i) const;
  double real(std::size_t i) const;
  std::string text(std::size_t i) const;
  std::optional<std::int64_t> opt_int64(std::size_t i) const {
    return is_null(i) ? std::nullopt : std::optional(int64(i));
  }
  std::optional<std::string> opt_text(std::size_t i) const {
    return is_null(i) ? std::nullopt : std::optional(text(i));
  }
  std::size_t size() const { return values_.size(); }

 private:
  std::vector<Value> values_;
};

struct Rows {
  std::vector<Row> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const { return rows.empty(); }
  const Row& front() const { return rows.front(); }
};

// One database connection. Not thread-safe; the pool hands it to one thread.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs a prepared (and cached) statement with positional parameters.
  virtual Result<Rows> query(const Sql& sql, std::span<const Value> params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual Status execute_script(std::string_view sql) = 0;
  // Inserts many rows fast: one transaction of a reused prepared statement on
  // SQLite, COPY on PostgreSQL. Returns the number of rows written.
  virtual Result<std::int64_t> bulk_insert(std::string_view table, std::span<const std::string_view> columns,
                                           const std::vector<std::vector<Value>>& rows) = 0;
  // write: take the write lock up front (SQLite: of every file); otherwise
  // a write takes it when it comes (SQLite: of the file it writes)
  virtual Status begin(bool write) = 0;
  virtual Status commit() = 0;
  virtual Status rollback() = 0;
  virtual bool healthy() = 0;  // a cheap round trip
  // Whether a transaction is open; the pool rolls back (or drops) a
  // connection returned in that state, so one failure cannot wedge the next.
  virtual bool in_transaction() = 0;
};

struct PoolStats {
  int size = 0;
  int in_use = 0;
  std::uint64_t waits = 0;  // acquisitions that had to wait for a free connection
};

class Database;
class SqliteCheckpointer;

// A connection borrowed from the pool; returned when it goes out of scope.
class Lease {
 public:
  Lease(Database* db, std::unique_ptr<Connection> conn) : db_(db), conn_(std::move(conn)) {}
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&&) noexcept = default;
  ~Lease();
  Connection* operator->() { return conn_.get(); }
  Connection& operator*() { return *conn_; }

 private:
  Database* db_;
  std::unique_ptr<Connection> conn_;
};

class Database {
 public:
  // url: "sqlite:PATH" (or a bare path ending in .db), or "postgresql://..."
  // / "postgres://...". The pool opens connections lazily up to pool_size.
  static Result<std::unique_ptr<Database>> open(const std::string& url, int pool_size);
  ~Database();

  Dialect dialect() const { return dialect_; }
  Result<Lease> acquire();
  PoolStats stats();

  // Runs fn in a transaction on one connection; commits when fn returns ok,
  // rolls back otherwise. fn receives the connection.
  template <class T>
  Result<T> transaction(const std::function<Result<T>(Connection&)>& fn, bool write = true);
  Status transaction(const std::function<Status(Connection&)>& fn, bool write = true);

  // Convenience for a single statement outside an explicit transaction.
  Result<Rows> query(const Sql& sql, std::span<const Value> params = {});
  bool healthy();

 private:
  friend class Lease;
  Database(Dialect dialect, std::string target, int pool_size);
  Result<std::unique_ptr<Connection>> connect();
  void release(std::unique_ptr<Connection> conn);

  Dialect dialect_;
  std::string target_;  // file path or libpq conninfo
  std::unique_ptr<SqliteCheckpointer> checkpointer_;
  int pool_size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  int in_use_ = 0;
  std::uint64_t waits_ = 0;
};

template <class T>
Result<T> Database::transaction(const std::function<Result<T>(Connection&)>& fn, bool write) {
  SR_ASSIGN(auto lease, acquire());
  SR_TRY(lease->begin(write));
  Result<T> result = fn(*lease);
  if (!result.ok()) {
    (void)lease->rollback();
    return result;
  }
  Status committed = lease->commit();
  if (!committed.ok()) {
    (void)lease->rollback();
    return std::move(committed).error();
  }
  return result;
}

// Hash for maps keyed by SQL text that are looked up with a string_view, so
// finding a cached statement allocates nothing.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// Implementations, in sqlite.cpp and postgres.cpp.
//
// SQLite checkpoints (copying the WAL back into the database file) run off
// the committing thread: connections opened with a checkpointer do not
// checkpoint on commit; a commit that leaves the WAL long wakes the
// checkpointer's thread, which checkpoints on its own connection without
// blocking writers or readers. Should it fall far behind, the committing
// connection checkpoints itself, as SQLite would.
class SqliteCheckpointer {
 public:
  explicit SqliteCheckpointer(std::string path);
  ~SqliteCheckpointer();
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;
  void wake(bool derived);  // the main file's WAL, or the second file's
  // A checkpoint once a file's WAL is this long. The second file's index
  // pages change over and over; a longer WAL copies each of them once for
  // many commits.
  static constexpr int kPages = 8192;
  static constexpr int kDerivedPages = 32768;

 private:
  void run();
  std::string path_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool main_wanted_ = false, derived_wanted_ = false, stopping_ = false;
  std::thread thread_;
};
// A SQLite connection to PATH, with PATH-derived attached as schema
// "derived": a second file for data derived from the first (its own write
// lock, no fsync per commit). A transaction begun without the write lock up
// front (begin(false)) locks each file at its first write there, so writers
// of the two files do not wait for each other; begin(true) locks both.
Result<std::unique_ptr<Connection>> open_sqlite(const std::string& path, SqliteCheckpointer* checkpointer = nullptr);
std::string derived_path(const std::string& path);  // PATH-derived
Result<std::unique_ptr<Connection>> open_postgres(const std::string& conninfo);

// Whether an error from the database is a unique-constraint violation; stores
// map it to Conflict with a domain message.
bool is_unique_violation(const Error& e);

}  // namespace staffroom::db

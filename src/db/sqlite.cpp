// SQLite implementation of the storage interface: WAL journal, synchronous
// FULL (an acknowledged commit survives a crash or power loss), a busy
// timeout, foreign keys on, and a per-connection cache of prepared statements.
#include <sqlite3.h>

#include <filesystem>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "db/database.hpp"

namespace staffroom::db {

namespace {

// Rewrites $N placeholders to SQLite's ?N (explicit index), leaving string
// literals and quoted identifiers alone.
std::string rewrite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out += '?';
      continue;
    }
    out += c;
  }
  return out;
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [k, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::Sqlite; }

  Result<Rows> query(const Sql& sql, std::span<const Value> params) override {
    SR_ASSIGN(sqlite3_stmt * stmt, prepare(sql.for_dialect(Dialect::Sqlite)));
    SR_TRY(bind(stmt, params));
    Rows out;
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        out.rows.emplace_back(read_row(stmt));
        continue;
      }
      if (rc == SQLITE_DONE) break;
      Error e = error_from(rc);
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
      return e;
    }
    out.affected = sqlite3_changes64(db_);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return out;
  }

  Status execute_script(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return Error::unavailable("the database is busy; try again in a moment");
      return Error::internal("SQLite: " + msg);
    }
    return {};
  }

  Result<std::int64_t> bulk_insert(std::string_view table, std::span<const std::string_view> columns,
                                   const std::vector<std::vector<Value>>& rows) override {
    std::string sql = "INSERT INTO " + std::string(table) + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + std::string(columns[i]);
    sql += ") VALUES (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(i + 1);
    sql += ")";
    const bool own_tx = !in_tx_;
    if (own_tx) SR_TRY(begin(true));
    auto prepared = prepare(sql);
    if (!prepared.ok()) {
      if (own_tx) (void)rollback();
      return std::move(prepared).error();
    }
    sqlite3_stmt* stmt = prepared.value();
    for (const auto& row : rows) {
      if (row.size() != columns.size()) {
        if (own_tx) (void)rollback();
        return Error::internal("bulk insert row has " + std::to_string(row.size()) + " values for " +
                               std::to_string(columns.size()) + " columns");
      }
      Status bound = bind(stmt, row);
      const int rc = bound.ok() ? sqlite3_step(stmt) : SQLITE_ERROR;
      sqlite3_reset(stmt);
      if (rc != SQLITE_DONE) {
        Error e = bound.ok() ? error_from(rc) : bound.error();
        if (own_tx) (void)rollback();
        return e;
      }
    }
    sqlite3_clear_bindings(stmt);
    if (own_tx) SR_TRY(commit());
    return static_cast<std::int64_t>(rows.size());
  }

  Status begin(bool write) override {
    SR_TRY(execute_script(write ? "BEGIN IMMEDIATE" : "BEGIN"));
    in_tx_ = true;
    return {};
  }
  Status commit() override {
    Status s = execute_script("COMMIT");
    if (s.ok()) in_tx_ = false;
    return s;
  }
  Status rollback() override {
    in_tx_ = false;
    if (sqlite3_get_autocommit(db_)) return {};
    return execute_script("ROLLBACK");
  }
  bool healthy() override { return execute_script("SELECT 1").ok(); }
  bool in_transaction() override { return !sqlite3_get_autocommit(db_); }

 private:
  Result<sqlite3_stmt*> prepare(std::string_view text) {
    auto it = cache_.find(text);
    if (it != cache_.end()) return it->second;
    const std::string rewritten = rewrite_placeholders(text);
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, rewritten.c_str(), static_cast<int>(rewritten.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return Error::internal("SQLite could not prepare a statement: " + std::string(sqlite3_errmsg(db_)));
    }
    cache_.emplace(std::string(text), stmt);
    return stmt;
  }

  Status bind(sqlite3_stmt* stmt, std::span<const Value> params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      const auto& v = params[i];
      if (std::holds_alternative<std::monostate>(v))
        rc = sqlite3_bind_null(stmt, idx);
      else if (auto p = std::get_if<std::int64_t>(&v))
        rc = sqlite3_bind_int64(stmt, idx, *p);
      else if (auto d = std::get_if<double>(&v))
        rc = sqlite3_bind_double(stmt, idx, *d);
      else if (auto s = std::get_if<std::string>(&v))
        rc = sqlite3_bind_text64(stmt, idx, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      if (rc != SQLITE_OK) return Error::internal("SQLite could not bind parameter " + std::to_string(idx));
    }
    return {};
  }

  static std::vector<Value> read_row(sqlite3_stmt* stmt) {
    const int n = sqlite3_column_count(stmt);
    std::vector<Value> row;
    row.reserve(static_cast<std::size_t>(n));
    for (int c = 0; c < n; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER:
          row.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
          break;
        case SQLITE_FLOAT:
          row.emplace_back(sqlite3_column_double(stmt, c));
          break;
        case SQLITE_NULL:
          row.emplace_back(std::monostate{});
          break;
        default: {
          const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
          const int len = sqlite3_column_bytes(stmt, c);
          row.emplace_back(std::string(p ? p : "", static_cast<std::size_t>(len)));
        }
      }
    }
    return row;
  }

  Error error_from(int rc) const {
    const int ext = sqlite3_extended_errcode(db_);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
      // Stores replace this with a message in the domain's words.
      return Error::conflict("a record with the same unique value already exists");
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      return Error::unavailable("the database is busy; try again in a moment");
    return Error::internal("SQLite: " + std::string(sqlite3_errmsg(db_)));
  }

  sqlite3* db_;
  bool in_tx_ = false;
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> cache_;
};

// After each commit: past kPages the checkpointer is woken; past four
// times that, this connection checkpoints itself rather than let the WAL
// grow without bound.
int on_wal_commit(void* arg, sqlite3* db, const char* schema, int pages) {
  const bool derived = std::string_view(schema) == "derived";
  const int length = derived ? SqliteCheckpointer::kDerivedPages : SqliteCheckpointer::kPages;
  if (pages >= 4 * length) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= length) {
    static_cast<SqliteCheckpointer*>(arg)->wake(derived);
  }
  return SQLITE_OK;
}

}  // namespace

SqliteCheckpointer::SqliteCheckpointer(std::string path) : path_(std::move(path)), thread_([this] { run(); }) {}

SqliteCheckpointer::~SqliteCheckpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void SqliteCheckpointer::wake(bool derived) {
  {
    std::lock_guard lock(mu_);
    (derived ? derived_wanted_ : main_wanted_) = true;
  }
  cv_.notify_one();
}

void SqliteCheckpointer::run() {
  std::unique_ptr<Connection> conn;
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return main_wanted_ || derived_wanted_ || stopping_; });
    if (stopping_) return;
    const bool main_file = std::exchange(main_wanted_, false);
    const bool derived = std::exchange(derived_wanted_, false);
    lock.unlock();
    if (!conn) {
      auto opened = open_sqlite(path_);
      if (opened.ok()) conn = std::move(opened).value();
    }
    // PASSIVE: copies what no reader still needs, never waits for a lock.
    // A failure (a busy moment) is retried at the next wake-up.
    if (conn && main_file) (void)conn->execute_script("PRAGMA main.wal_checkpoint(PASSIVE)");
    if (conn && derived) (void)conn->execute_script("PRAGMA derived.wal_checkpoint(PASSIVE)");
    lock.lock();
  }
}

std::string derived_path(const std::string& path) {
  return path + "-derived";
}

Result<std::unique_ptr<Connection>> open_sqlite(const std::string& path, SqliteCheckpointer* checkpointer) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error::unavailable("cannot open the SQLite database '" + path + "': " + msg);
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_busy_timeout(db, 5000);
  Status s = conn->execute_script(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
      // A 16 MiB page cache per connection keeps the hot part of large
      // indexes (the LRS's) in memory; a longer WAL lets repeated page
      // changes share one checkpoint.
      "PRAGMA cache_size=-16384; PRAGMA wal_autocheckpoint=8192;");
  if (!s.ok()) return Error::unavailable("cannot configure the SQLite database '" + path + "': " + s.error().detail);
  // The second file, for derived data (an index rebuilt from the main file
  // when missing): its own write lock, so it can be written beside the main
  // file by transactions that begin deferred; WAL without an fsync per
  // commit (synchronous=NORMAL), since whatever a crash takes from it is
  // derived again. Unqualified names find its tables too.
  const Value file[] = {derived_path(path)};
  auto attached = conn->query(Sql{"ATTACH DATABASE $1 AS derived"}, file);
  s = attached.ok() ? conn->execute_script(
                          "PRAGMA derived.journal_mode=WAL; PRAGMA derived.synchronous=NORMAL; "
                          "PRAGMA derived.cache_size=-16384;")
                    : Status(std::move(attached).error());
  if (!s.ok())
    return Error::unavailable("cannot open the SQLite database's second file '" + derived_path(path) +
                              "': " + s.error().detail);
  // With a checkpointer, commits leave checkpoints to its thread (this
  // replaces the automatic checkpoint set above).
  if (checkpointer) sqlite3_wal_hook(db, on_wal_commit, checkpointer);
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace staffroom::db

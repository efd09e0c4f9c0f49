#include "db/database.hpp"

#include <stdexcept>

namespace staffroom::db {

std::string_view dialect_name(Dialect d) {
  return d == Dialect::Sqlite ? "sqlite" : "postgresql";
}

std::int64_t Row::int64(std::size_t i) const {
  const auto& v = values_.at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  if (auto s = std::get_if<std::string>(&v)) return std::stoll(*s);
  throw std::logic_error("column " + std::to_string(i) + " is NULL, not an integer");
}

double Row::real(std::size_t i) const {
  const auto& v = values_.at(i);
  if (auto d = std::get_if<double>(&v)) return *d;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto s = std::get_if<std::string>(&v)) return std::stod(*s);
  throw std::logic_error("column " + std::to_string(i) + " is NULL, not a number");
}

std::string Row::text(std::size_t i) const {
  const auto& v = values_.at(i);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}

Lease::~Lease() {
  if (db_ && conn_) db_->release(std::move(conn_));
}

Database::Database(Dialect dialect, std::string target, int pool_size)
    : dialect_(dialect), target_(std::move(target)), pool_size_(pool_size < 1 ? 1 : pool_size) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(const std::string& url, int pool_size) {
  std::unique_ptr<Database> db;
  if (url.starts_with("sqlite:")) {
    std::string path = url.substr(7);
    if (path.starts_with("//")) path = path.substr(2);
    if (path.empty())
      return Error::bad_request("the database URL 'sqlite:' needs a file path, like sqlite:var/staffroom.db");
    db.reset(new Database(Dialect::Sqlite, path, pool_size));
    db->checkpointer_ = std::make_unique<SqliteCheckpointer>(path);
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    db.reset(new Database(Dialect::Postgres, url, pool_size));
  } else {
    return Error::bad_request("unknown database URL '" + url +
                              "'; use sqlite:PATH or postgresql://user@host:port/dbname");
  }
  // Open one connection now so that a wrong URL fails at start, not later.
  SR_ASSIGN(auto first, db->connect());
  {
    std::lock_guard lock(db->mu_);
    db->idle_.push_back(std::move(first));
    db->open_ = 1;
  }
  return db;
}

Result<std::unique_ptr<Connection>> Database::connect() {
  return dialect_ == Dialect::Sqlite ? open_sqlite(target_, checkpointer_.get()) : open_postgres(target_);
}

Result<Lease> Database::acquire() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      ++in_use_;
      return Lease(this, std::move(conn));
    }
    if (open_ < pool_size_) {
      ++open_;
      ++in_use_;
      lock.unlock();
      auto conn = connect();
      if (!conn.ok()) {
        lock.lock();
        --open_;
        --in_use_;
        cv_.notify_one();
        return std::move(conn).error();
      }
      return Lease(this, std::move(conn).value());
    }
    ++waits_;
    if (!cv_.wait_for(lock, std::chrono::seconds(10), [&] { return !idle_.empty() || open_ < pool_size_; })) {
      return Error::unavailable("all database connections are busy; try again in a moment");
    }
  }
}

void Database::release(std::unique_ptr<Connection> conn) {
  // A lease given back mid-transaction (an early return, an exception, a
  // failed COMMIT) must not keep SQLite's write lock or an aborted
  // PostgreSQL transaction: roll back, or close the connection.
  if (conn->in_transaction() && !conn->rollback().ok()) conn.reset();
  std::lock_guard lock(mu_);
  --in_use_;
  if (conn) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  cv_.notify_one();
}

PoolStats Database::stats() {
  std::lock_guard lock(mu_);
  return {pool_size_, in_use_, waits_};
}

Status Database::transaction(const std::function<Status(Connection&)>& fn, bool write) {
  SR_ASSIGN(auto lease, acquire());
  SR_TRY(lease->begin(write));
  Status result = fn(*lease);
  if (!result.ok()) {
    (void)lease->rollback();
    return result;
  }
  Status committed = lease->commit();
  if (!committed.ok()) {
    (void)lease->rollback();
    return committed;
  }
  return {};
}

Result<Rows> Database::query(const Sql& sql, std::span<const Value> params) {
  SR_ASSIGN(auto lease, acquire());
  return lease->query(sql, params);
}

bool Database::healthy() {
  auto lease = acquire();
  return lease.ok() && lease.value()->healthy();
}

bool is_unique_violation(const Error& e) {
  return e.code == ErrorCode::Conflict;
}

}  // namespace staffroom::db

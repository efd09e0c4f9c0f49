// Fresh databases for tests, on every backend the test run has: SQLite always,
// PostgreSQL when STAFFROOM_TEST_PG holds an admin URL of a (throwaway)
// server. Each call makes a new empty database and removes it afterwards.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "db/database.hpp"
#include "db/migrate.hpp"

namespace staffroom::db::test_support {

// Both backends are always listed; PostgreSQL cases skip (saying why) when
// the run has no server, and `make test` always provides one.
inline std::vector<std::string> backends() {
  return {"sqlite", "postgresql"};
}

inline bool available(const std::string& backend) {
  if (backend == "sqlite") return true;
  const char* pg = std::getenv("STAFFROOM_TEST_PG");
  return pg && *pg;
}

class TestDatabase {
 public:
  explicit TestDatabase(const std::string& backend, bool migrated = true) {
    const std::string name = "sr_unit_" + crypto::hex(crypto::random_bytes(6));
    if (backend == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / name;
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "test.db").string();
    } else {
      admin_url_ = std::getenv("STAFFROOM_TEST_PG");
      auto admin = Database::open(admin_url_, 1);
      if (!admin.ok()) throw std::runtime_error("cannot reach the test PostgreSQL: " + admin.error().detail);
      auto lease = (*admin)->acquire();
      if (!lease.ok() || !lease.value()->execute_script("CREATE DATABASE " + name).ok())
        throw std::runtime_error("cannot create a test database");
      name_ = name;
      url_ = admin_url_.substr(0, admin_url_.rfind('/') + 1) + name;
    }
    auto db = Database::open(url_, 4);
    if (!db.ok()) throw std::runtime_error("cannot open test database: " + db.error().detail);
    db_ = std::move(db).value();
    if (migrated) {
      auto m = migrate(*db_);
      if (!m.ok()) throw std::runtime_error("migrations failed: " + m.error().detail);
    }
  }
  ~TestDatabase() {
    db_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
    if (!name_.empty()) {
      auto admin = Database::open(admin_url_, 1);
      if (admin.ok()) {
        auto lease = (*admin)->acquire();
        if (lease.ok()) (void)lease.value()->execute_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      }
    }
  }
  Database& db() { return *db_; }
  const std::string& url() const { return url_; }

 private:
  std::filesystem::path dir_;
  std::string admin_url_, name_, url_;
  std::unique_ptr<Database> db_;
};

}  // namespace staffroom::db::test_support

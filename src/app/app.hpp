// The application: opens the database, builds the services and the route
// table, and turns each request into a response (authentication, access
// rules, CSRF, errors as problem+json, metrics and the access log).
#pragma once

#include <memory>
#include <string>

#include "accounts/service.hpp"
#include "activities/service.hpp"
#include "catalog/service.hpp"
#include "core/rate_limiter.hpp"
#include "credentials/service.hpp"
#include "credit/service.hpp"
#include "db/database.hpp"
#include "districts/service.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "lrs/service.hpp"
#include "lrs/xapi.hpp"

namespace staffroom::app {

struct AppConfig {
  std::string db_url = "sqlite:var/staffroom.db";
  int db_pool_size = 8;
  std::string assets_dir = "web/dist";
  std::string public_url = "http://127.0.0.1:8080";
  double rate_limit_per_second = 50;  // per client address; 0 turns it off
  double rate_limit_burst = 200;
  bool migrate_on_start = true;
  lrs::XapiConfig xapi;
  // Where the issuer keys live; empty: beside a SQLite database ("keys"
  // next to the file), or var/keys for PostgreSQL.
  std::string key_dir;
  std::string did_web;     // a domain: issue as did:web:DOMAIN instead of did:key
  int award_every_ms = 0;  // how often award rules look at new evidence (0: not in the background)
};

class App {
 public:
  static Result<std::unique_ptr<App>> create(AppConfig config);

  http::Response handle(http::Request& request);

  db::Database& database() { return *db_; }
  accounts::AccountsService& accounts() { return *accounts_; }
  catalog::CatalogService& catalog() { return *catalog_; }
  activities::ActivityService& activities() { return *activities_; }
  lrs::LrsService& lrs() { return *lrs_; }
  districts::DistrictService& districts() { return *districts_; }
  credit::CreditService& credit() { return *credit_; }
  credentials::CredentialService& credentials() { return *credentials_; }
  http::Metrics& metrics() { return metrics_; }
  const http::Router& router() const { return router_; }
  const AppConfig& config() const { return config_; }

 private:
  explicit App(AppConfig config);
  http::Response route(http::Request& request, std::string_view& route_label);
  Result<std::optional<Identity>> identify(const http::Request& request);
  void add_system_routes();

  AppConfig config_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<accounts::AccountsService> accounts_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<activities::ActivityService> activities_;
  std::unique_ptr<lrs::LrsService> lrs_;
  std::unique_ptr<districts::DistrictService> districts_;
  std::unique_ptr<credit::CreditService> credit_;
  std::unique_ptr<credentials::CredentialService> credentials_;
  std::unique_ptr<lrs::XapiEndpoint> xapi_;
  http::Router router_;
  http::Metrics metrics_;
  http::StaticFiles assets_;
  TokenBucketLimiter limiter_;
  std::string openapi_json_;
};

std::string version();

}  // namespace staffroom::app

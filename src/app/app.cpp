#include "app/app.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>

#include "accounts/routes.hpp"
#include "activities/routes.hpp"
#include "activities/store.hpp"
#include "catalog/routes.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "credentials/routes.hpp"
#include "credit/routes.hpp"
#include "db/migrate.hpp"
#include "districts/routes.hpp"
#include "districts/store.hpp"
#include "http/openapi.hpp"
#include "http/problem.hpp"
#include "lrs/routes.hpp"

namespace staffroom::app {

std::string version() {
  return STAFFROOM_VERSION;
}

namespace {

std::string key_dir_for(const AppConfig& config) {
  if (!config.key_dir.empty()) return config.key_dir;
  if (config.db_url.starts_with("sqlite:")) {
    const auto path = std::filesystem::path(config.db_url.substr(7));
    return (path.parent_path().empty() ? std::filesystem::path("keys") : path.parent_path() / "keys").string();
  }
  return "var/keys";
}

// Metric labels come from a fixed set, so odd methods cannot grow the series.
std::string_view method_label(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    if (method == known) return known;
  return "OTHER";
}
}  // namespace

App::App(AppConfig config)
    : config_(std::move(config)), limiter_(config_.rate_limit_per_second, config_.rate_limit_burst) {}

Result<std::unique_ptr<App>> App::create(AppConfig config) {
  std::unique_ptr<App> app(new App(std::move(config)));
  SR_ASSIGN(app->db_, db::Database::open(app->config_.db_url, app->config_.db_pool_size));
  if (app->config_.migrate_on_start) {
    SR_ASSIGN(auto report, db::migrate(*app->db_));
    for (const auto& name : report.applied) log::info("migration applied", {{"name", name}});
  }
  SR_ASSIGN(app->assets_, http::StaticFiles::load(app->config_.assets_dir));
  if (!app->config_.assets_dir.empty() && app->assets_.file_count() == 0) {
    log::warn("no web assets found; pages will ask for a build", {{"assets_dir", app->config_.assets_dir}});
  }

  accounts::AccountsConfig acfg;
  acfg.public_url = app->config_.public_url;
  app->accounts_ = std::make_unique<accounts::AccountsService>(*app->db_, acfg);
  accounts::add_routes(app->router_, *app->accounts_,
                       {.secure_cookies = app->config_.public_url.starts_with("https://")});
  app->catalog_ = std::make_unique<catalog::CatalogService>(*app->db_, app->config_.public_url);
  catalog::add_routes(app->router_, *app->catalog_);
  // Evidence recorded about a person before they proved their address
  // becomes theirs when they do.
  app->accounts_->on_identity_verified(
      [](db::Connection& c, std::int64_t user_id, const std::vector<std::string>& people) -> Status {
        SR_TRY(activities::store::link_attendance(c, user_id, people));
        // A roster's place for the address, and the role it gives, too.
        return districts::store::link_members(c, user_id, people, now_ms());
      });
  app->activities_ = std::make_unique<activities::ActivityService>(
      *app->db_, activities::ServiceConfig{.public_url = app->config_.public_url});
  activities::add_routes(app->router_, *app->activities_);
  app->lrs_ = std::make_unique<lrs::LrsService>(*app->db_, app->config_.public_url);
  app->lrs_->start_indexer();
  lrs::add_routes(app->router_, *app->lrs_, app->config_.public_url);
  // The xAPI endpoint limits each client by its key; requests whose
  // credentials fail count against their address like any other.
  App* self = app.get();
  app->xapi_ = std::make_unique<lrs::XapiEndpoint>(
      *app->lrs_, app->config_.xapi, [self](const std::string& address) { return self->limiter_.take(address); });
  app->districts_ = std::make_unique<districts::DistrictService>(*app->db_);
  districts::add_routes(app->router_, *app->districts_);
  app->credit_ = std::make_unique<credit::CreditService>(*app->db_, *app->districts_, app->config_.public_url);
  credit::add_routes(app->router_, *app->credit_);
  SR_ASSIGN(auto keys, credentials::IssuerKeys::open(key_dir_for(app->config_), app->config_.did_web));
  app->credentials_ = std::make_unique<credentials::CredentialService>(*app->db_, *app->districts_, std::move(keys),
                                                                       app->config_.public_url);
  credentials::add_routes(app->router_, *app->credentials_, [self](const http::Request& r) {
    auto page = self->assets_.serve(r);
    return page ? std::move(*page) : http::Response::text(404, "not found", "text/plain; charset=utf-8");
  });
  if (app->config_.award_every_ms > 0)
    app->credentials_->start_awarder(std::chrono::milliseconds(app->config_.award_every_ms));
  app->add_system_routes();
  app->openapi_json_ = boost::json::serialize(http::openapi_document(app->router_, version()));

  db::Database* db = app->db_.get();
  app->metrics_.add_gauge({"staffroom_db_pool_connections", "Database connections by state.", "state=\"in_use\"",
                           [db] { return static_cast<double>(db->stats().in_use); }});
  app->metrics_.add_gauge({"staffroom_db_pool_connections", "Database connections by state.", "state=\"max\"",
                           [db] { return static_cast<double>(db->stats().size); }});
  app->metrics_.add_gauge({"staffroom_db_pool_waits", "Times a request waited for a free database connection.", "",
                           [db] { return static_cast<double>(db->stats().waits); }});
  return app;
}

Result<std::optional<Identity>> App::identify(const http::Request& request) {
  if (auto auth = request.header("authorization")) {
    std::string_view v = *auth;
    if (v.size() > 7 && (v.substr(0, 7) == "Bearer " || v.substr(0, 7) == "bearer ")) {
      SR_ASSIGN(auto id, accounts_->authenticate_token(std::string(v.substr(7))));
      if (!id)
        return Error::unauthenticated(
            "the API token is not valid or has been revoked; create a new one on your account page");
      return id;
    }
    return Error::unauthenticated("send the API token as 'Authorization: Bearer <token>'");
  }
  if (auto cookie = request.cookie(accounts::kSessionCookie); cookie && !cookie->empty()) {
    SR_ASSIGN(auto id, accounts_->authenticate_session(*cookie));
    if (!id) return Error::unauthenticated("your session has ended; sign in again");
    return id;
  }
  return std::optional<Identity>();
}

http::Response App::route(http::Request& request, std::string_view& route_label) {
  if (lrs::XapiEndpoint::handles(request.path)) return xapi_->handle(request, route_label);
  auto match = router_.match(request.method, request.path);
  if (!match.ok()) {
    if (match.error().code == ErrorCode::NotFound) {
      if (auto page = assets_.serve(request)) {
        route_label = "(static)";
        return std::move(*page);
      }
    }
    route_label = "(unmatched)";
    return http::problem_response(match.error(), request.path, request.request_id);
  }
  const http::Route& r = *match->route;
  route_label = r.pattern;
  request.path_params = std::move(match->params);
  auto fail = [&](const Error& e) { return http::problem_response(e, request.path, request.request_id); };

  if (r.doc.json_body) {
    auto ct = request.header("content-type");
    std::string type(ct.value_or(""));
    type = type.substr(0, type.find(';'));
    for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    if (type != "application/json") {
      return fail({ErrorCode::UnsupportedMediaType,
                   "send the body as JSON with the header 'Content-Type: application/json'",
                   {},
                   0,
                   {}});
    }
  }

  std::optional<Identity> identity;
  if (r.access.role != "public") {
    auto id = identify(request);
    if (!id.ok()) {
      if (id.error().code != ErrorCode::Unavailable) return fail(id.error());
      log::warn("request unavailable",
                {{"request_id", request.request_id}, {"route", r.pattern}, {"error", id.error().detail}});
      return fail(Error{ErrorCode::Unavailable,
                        "the service is busy or its database cannot be reached; try again in a moment",
                        {},
                        2,
                        {}});
    }
    identity = std::move(id).value();
  } else if (request.header("authorization") || request.cookie("sr_session")) {
    // Public routes still know who is asking when they can (drafts are shown
    // to their hosts); credentials that do not work leave the caller anonymous.
    if (auto id = identify(request); id.ok()) identity = std::move(id).value();
  }
  if (Status allowed = http::authorize(r.access, identity ? &*identity : nullptr, request.path_params); !allowed.ok()) {
    if (identity)
      log::warn("access refused",
                {{"request_id", request.request_id}, {"user_id", identity->user_id}, {"route", r.pattern}});
    return fail(allowed.error());
  }
  // Cookies ride along on cross-site requests; the CSRF token does not.
  if (identity && identity->via_cookie && request.is_unsafe_method()) {
    auto sent = request.header("x-csrf-token");
    if (!sent || !crypto::constant_time_equal(*sent, identity->csrf_token)) {
      return fail({ErrorCode::Csrf,
                   "send the header 'X-CSRF-Token' with the value of the sr_csrf cookie (also returned as csrf_token "
                   "when you sign in)",
                   {},
                   0,
                   {}});
    }
  }

  http::Context ctx{request, identity ? &*identity : nullptr};
  auto result = r.handler(ctx);
  if (!result.ok()) {
    Error e = std::move(result).error();
    if (e.code == ErrorCode::Internal) {
      log::error("request failed", {{"request_id", request.request_id}, {"route", r.pattern}, {"error", e.detail}});
      e.detail = "something went wrong on our side; the request id is " + request.request_id;
    } else if (e.code == ErrorCode::Unavailable) {
      // Database messages can name hosts, users and files: log, don't show.
      log::warn("request unavailable", {{"request_id", request.request_id}, {"route", r.pattern}, {"error", e.detail}});
      e.detail = "the service is busy or its database cannot be reached; try again in a moment";
      if (e.retry_after_seconds == 0) e.retry_after_seconds = 2;
    }
    return fail(e);
  }
  http::Response res = std::move(result).value();
  if (!res.header("cache-control")) res.set_header("cache-control", "no-store");
  return res;
}

http::Response App::handle(http::Request& request) {
  const auto started = std::chrono::steady_clock::now();
  std::string_view route_label;  // a literal or a route's pattern: both outlive the request
  http::Response res;
  // Probes are never limited; the xAPI endpoint limits per client itself.
  const bool probe = request.path == "/healthz" || request.path == "/readyz" || request.path == "/metrics" ||
                     lrs::XapiEndpoint::handles(request.path);
  if (int wait = probe ? 0 : limiter_.take(request.remote_address); wait > 0) {
    route_label = "(rate-limited)";
    res = http::problem_response(Error::rate_limited("too many requests from your address; slow down and retry", wait),
                                 request.path, request.request_id);
  } else {
    res = route(request, route_label);
  }
  res.set_header("x-content-type-options", "nosniff");
  if (auto ct = res.header("content-type"); ct && ct->starts_with("text/html")) {
    // Achievement badges are images their owners host elsewhere (https only).
    res.set_header(
        "content-security-policy",
        "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
        "base-uri 'self'; form-action 'self'");
    res.set_header("referrer-policy", "same-origin");
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.record(method_label(request.method), route_label, res.status, seconds);
  // Secrets in paths (personal calendar links) never reach the log.
  std::string logged_path = request.path;
  for (const auto& [name, value] : request.path_params) {
    if (name != "token" || value.empty()) continue;
    if (auto pos = logged_path.find(value); pos != std::string::npos)
      logged_path.replace(pos, value.size(), "[redacted]");
  }
  log::request({request.request_id, request.method, logged_path, route_label, request.remote_address, res.status,
                static_cast<std::int64_t>(seconds * 1e6), res.body.size()});
  return res;
}

}  // namespace staffroom::app

// Operational routes: liveness, readiness, metrics, and the API description.
#include <boost/json.hpp>

#include "app/app.hpp"

namespace staffroom::app {

using http::Access;
using http::Context;
using http::HandlerResult;
using http::Response;

void App::add_system_routes() {
  router_.add("GET", "/healthz", Access::open(), {"getHealth", "The process is up", "operations", false, {200}},
              [](Context&) -> HandlerResult {
                return Response::json(200, boost::json::object{{"status", "ok"}});
              });

  router_.add("GET", "/readyz", Access::open(),
              {"getReadiness", "The database answers", "operations", false, {200, 503}},
              [this](Context&) -> HandlerResult {
                if (!db_->healthy()) return Error::unavailable("the database does not answer");
                return Response::json(
                    200, boost::json::object{{"status", "ready"}, {"database", db::dialect_name(db_->dialect())}});
              });

  router_.add("GET", "/metrics", Access::open(),
              {"getMetrics", "Prometheus metrics", "operations", false, {200}, "text/plain"},
              [this](Context&) -> HandlerResult {
                return Response::text(200, metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
              });

  router_.add("GET", "/api/v1/openapi.json", Access::open(),
              {"getOpenApi", "This API's OpenAPI 3.1 description", "operations", false, {200}},
              [this](Context&) -> HandlerResult {
                Response r = Response::text(200, openapi_json_, "application/json");
                r.set_header("cache-control", "no-cache");
                return r;
              });
}

}  // namespace staffroom::app

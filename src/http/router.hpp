// Maps (method, path) to a route. Patterns are literal segments and {name}
// parameters: "/api/v1/tokens/{id}". Every route declares the role it needs,
// which the application checks before the handler runs, and describes itself
// for the OpenAPI document, so the document cannot drift from the routes.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/identity.hpp"
#include "http/message.hpp"

namespace staffroom::http {

// Roles a route can require. "public" needs nothing; "educator" means any
// signed-in account; scoped roles name the path parameter holding the scope.
struct Access {
  std::string role = "public";
  std::string scope_type;   // organization, district, campaign (scoped roles)
  std::string scope_param;  // path parameter naming the scope

  static Access open() { return {}; }
  static Access signed_in() { return {"educator", "", ""}; }
  static Access site_admin() { return {"site_admin", "", ""}; }
  static Access scoped(std::string role, std::string scope_type, std::string param) {
    return {std::move(role), std::move(scope_type), std::move(param)};
  }
};

struct Context {
  Request& request;
  const Identity* identity = nullptr;  // null when not signed in
};

using Handler = std::function<HandlerResult(Context&)>;

struct RouteDoc {
  std::string operation_id;
  std::string summary;
  std::string tag;
  bool json_body = false;                         // requires Content-Type: application/json
  std::vector<int> responses;                     // statuses the operation can answer (besides errors common to all)
  std::string content_type = "application/json";  // of the success answer
};

struct Route {
  std::string method;
  std::string pattern;
  Access access;
  RouteDoc doc;
  Handler handler;
  std::vector<std::string> segments;  // split pattern; "{x}" marks a parameter
};

class Router {
 public:
  Route& add(std::string method, std::string pattern, Access access, RouteDoc doc, Handler handler);

  struct Match {
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
  };
  // NotFound when no pattern matches; MethodNotAllowed (with allow) when the
  // path matches under other methods. HEAD falls back to GET.
  Result<Match> match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Whether an identity satisfies a route's access rule, with the path's params.
// Site administrators pass every rule. Returns Unauthenticated or Forbidden.
Status authorize(const Access& access, const Identity* identity,
                 const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace staffroom::http

// The xAPI endpoint at /xapi/: the protocol's own front door. It negotiates
// X-Experience-API-Version, unpacks 1.0.3's alternate request syntax,
// authenticates LRS clients with HTTP Basic and checks their scopes, then
// serves the statement, activity and agent resources. Errors are
// problem+json with the statuses xAPI requires (400 for bad statements).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/rate_limiter.hpp"
#include "http/message.hpp"
#include "lrs/service.hpp"

namespace staffroom::lrs {

struct XapiConfig {
  // The version answered to a request that names none (it is refused), so a
  // client sees which version to send.
  std::string default_version = "2.0.0";
  int page_size = 100;  // statements per page when limit is absent or 0
  int max_page_size = 500;
  double rate_per_client = 2000;   // requests a second per LRS client; 0: no limit
  double burst_per_client = 4000;  // serve sets it to twice the rate
};

class XapiEndpoint {
 public:
  // limit_address: the application's per-address limiter, for requests whose
  // credentials fail (seconds to wait, 0 when allowed).
  XapiEndpoint(LrsService& lrs, XapiConfig config, std::function<int(const std::string&)> limit_address);

  static bool handles(std::string_view path) { return path == "/xapi" || path.starts_with("/xapi/"); }
  // route_label is set to a literal naming the resource, for metrics.
  http::Response handle(http::Request& request, std::string_view& route_label);

 private:
  http::HandlerResult dispatch(http::Request& request, std::string_view& route_label, Version version);
  http::HandlerResult statements(http::Request& request, const Client& client, Version version);
  http::HandlerResult get_statements(http::Request& request, const Client& client);
  http::HandlerResult put_statement(http::Request& request, const Client& client, Version version);
  http::HandlerResult post_statements(http::Request& request, const Client& client, Version version);
  http::HandlerResult documents(http::Request& request, const Client& client, Version version, DocumentKind kind);
  http::HandlerResult activities(http::Request& request, const Client& client);
  http::HandlerResult agents(http::Request& request, const Client& client);

  LrsService& lrs_;
  XapiConfig config_;
  std::function<int(const std::string&)> limit_address_;
  TokenBucketLimiter client_limiter_;
};

}  // namespace staffroom::lrs

// The HTTP request and response as handlers see them. Plain structs with no
// Beast or Asio in sight, so route files compile fast and can be tested
// without a socket.
#pragma once

#include <boost/json/fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace staffroom::http {

struct Header {
  std::string name;  // lower-case
  std::string value;
};

struct Request {
  std::string method;  // as received, upper-case
  std::string target;  // raw request target
  std::string path;    // percent-decoded path
  std::string query;   // raw query string without '?'
  std::vector<Header> headers;
  std::string body;
  std::string remote_address;
  std::string request_id;
  std::vector<std::pair<std::string, std::string>> path_params;  // filled by the router

  // Splits target into path and query; false when the target is not a valid
  // origin-form URI.
  bool set_target(std::string_view raw);
  std::optional<std::string_view> header(std::string_view lower_name) const;
  std::optional<std::string> query_param(std::string_view name) const;
  // Every value of a repeated parameter (?format=a&format=b), in order.
  std::vector<std::string> query_params(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  // A path parameter declared by the matched route (empty if absent).
  const std::string& param(std::string_view name) const;
  bool accepts_gzip() const;
  bool is_unsafe_method() const;
};

// A path parameter holding a positive integer id; anything else is NotFound
// ("there is no <what> '<text>'"), since no such resource can exist.
Result<std::int64_t> id_param(const Request& r, std::string_view name, std::string_view what);

// A CSV upload: text/csv (text/plain and application/csv, which spreadsheets
// and tools also send, are taken too); otherwise UnsupportedMediaType asking
// for `what` as text/csv.
Status require_csv(const Request& r, std::string_view what);

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;

  static Response json(int status, const boost::json::value& value);
  static Response no_content();
  static Response text(int status, std::string body, std::string content_type);

  void set_header(std::string_view name, std::string value);  // replaces
  void add_header(std::string_view name, std::string value);  // appends (Set-Cookie)
  std::optional<std::string_view> header(std::string_view lower_name) const;
};

struct CookieOptions {
  bool http_only = true;
  long max_age_seconds = -1;  // -1: session cookie; 0: delete
  std::string same_site = "Lax";
  bool secure = false;
};
std::string set_cookie_value(std::string_view name, std::string_view value, const CookieOptions& options);

// Handlers answer with a Response or an Error that becomes problem+json.
using HandlerResult = Result<Response>;

}  // namespace staffroom::http

#include "http/message.hpp"

#include "core/json.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>

namespace staffroom::http {

namespace {
bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}
}  // namespace

bool Request::set_target(std::string_view raw) {
  target = std::string(raw);
  auto parsed = boost::urls::parse_origin_form(raw);
  if (!parsed) return false;
  path = std::string(parsed->path());
  query = parsed->has_query() ? std::string(parsed->encoded_query()) : std::string();
  if (path.empty() || path.front() != '/') return false;
  // A decoded NUL in a path is never meaningful and confuses file lookups.
  if (path.find('\0') != std::string::npos) return false;
  return true;
}

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (const auto& h : headers)
    if (h.name == lower_name) return std::string_view(h.value);
  return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  if (query.empty()) return std::nullopt;
  const std::string query_target = "/?" + query;  // the view below points into it
  auto parsed = boost::urls::parse_origin_form(query_target);
  if (!parsed) return std::nullopt;
  for (auto p : parsed->params()) {
    if (p.key == name) return std::string(p.value);
  }
  return std::nullopt;
}

std::vector<std::string> Request::query_params(std::string_view name) const {
  std::vector<std::string> out;
  if (query.empty()) return out;
  const std::string query_target = "/?" + query;
  auto parsed = boost::urls::parse_origin_form(query_target);
  if (!parsed) return out;
  for (auto p : parsed->params()) {
    if (p.key == name) out.emplace_back(p.value);
  }
  return out;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.name != "cookie") continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

const std::string& Request::param(std::string_view name) const {
  static const std::string empty;
  for (const auto& [k, v] : path_params)
    if (k == name) return v;
  return empty;
}

bool Request::accepts_gzip() const {
  auto ae = header("accept-encoding");
  if (!ae) return false;
  std::string_view rest = *ae;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    auto semi = item.find(';');
    std::string_view coding = item.substr(0, semi);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (iequals(coding, "gzip")) {
      if (semi != std::string_view::npos) {
        auto q = item.substr(semi + 1);
        if (q.find("q=0") != std::string_view::npos && q.find("q=0.") == std::string_view::npos) return false;
      }
      return true;
    }
  }
  return false;
}

bool Request::is_unsafe_method() const {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

Response Response::json(int status, const boost::json::value& value) {
  Response r;
  r.status = status;
  r.body = staffroom::json::serialize(value);
  r.headers.push_back({"content-type", "application/json"});
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.push_back({"content-type", std::move(content_type)});
  return r;
}

void Response::set_header(std::string_view name, std::string value) {
  for (auto& h : headers) {
    if (h.name == name) {
      h.value = std::move(value);
      return;
    }
  }
  headers.push_back({std::string(name), std::move(value)});
}

void Response::add_header(std::string_view name, std::string value) {
  headers.push_back({std::string(name), std::move(value)});
}

std::optional<std::string_view> Response::header(std::string_view lower_name) const {
  for (const auto& h : headers)
    if (h.name == lower_name) return std::string_view(h.value);
  return std::nullopt;
}

std::string set_cookie_value(std::string_view name, std::string_view value, const CookieOptions& o) {
  std::string s;
  s.append(name).append("=").append(value).append("; Path=/");
  if (o.max_age_seconds >= 0) s += "; Max-Age=" + std::to_string(o.max_age_seconds);
  if (o.http_only) s += "; HttpOnly";
  if (o.secure) s += "; Secure";
  if (!o.same_site.empty()) s += "; SameSite=" + o.same_site;
  return s;
}

Status require_csv(const Request& r, std::string_view what) {
  const auto type = r.header("content-type").value_or("");
  if (type.starts_with("text/csv") || type.starts_with("text/plain") || type.starts_with("application/csv")) return {};
  return Error{ErrorCode::UnsupportedMediaType, "send " + std::string(what) + " as text/csv", {}, 0, {}};
}

Result<std::int64_t> id_param(const Request& r, std::string_view name, std::string_view what) {
  const auto& text = r.param(name);
  auto missing = [&] { return Error::not_found("there is no " + std::string(what) + " '" + text + "'"); };
  if (text.empty() || text.size() > 15) return missing();
  std::int64_t id = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return missing();
    id = id * 10 + (ch - '0');
  }
  if (id == 0) return missing();
  return id;
}

}  // namespace staffroom::http

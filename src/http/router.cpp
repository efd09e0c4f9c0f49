#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace staffroom::http {

namespace {
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}
bool is_param(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}
}  // namespace

Route& Router::add(std::string method, std::string pattern, Access access, RouteDoc doc, Handler handler) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.access = std::move(access);
  r.doc = std::move(doc);
  r.handler = std::move(handler);
  for (auto seg : split_path(r.pattern)) r.segments.emplace_back(seg);
  if (!r.access.scope_param.empty() &&
      std::find(r.segments.begin(), r.segments.end(), "{" + r.access.scope_param + "}") == r.segments.end()) {
    throw std::logic_error("route " + r.pattern + " scopes its role by a parameter it does not have");
  }
  for (const auto& existing : routes_) {
    if (existing.method == r.method && existing.pattern == r.pattern)
      throw std::logic_error("route registered twice: " + r.method + " " + r.pattern);
  }
  routes_.push_back(std::move(r));
  return routes_.back();
}

Result<Router::Match> Router::match(std::string_view method, std::string_view path) const {
  const auto parts = split_path(path);
  std::vector<std::string> allow;
  const Route* head_fallback = nullptr;
  Match head_match;
  for (const auto& r : routes_) {
    if (r.segments.size() != parts.size()) continue;
    Match m;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const auto& seg = r.segments[i];
      if (is_param(seg)) {
        if (parts[i].empty()) {
          ok = false;
          break;
        }
        m.params.emplace_back(seg.substr(1, seg.size() - 2), std::string(parts[i]));
      } else if (seg != parts[i]) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (r.method == method) {
      m.route = &r;
      return m;
    }
    if (method == "HEAD" && r.method == "GET" && !head_fallback) {
      head_fallback = &r;
      head_match = std::move(m);
    }
    allow.push_back(r.method);
  }
  if (head_fallback) {
    head_match.route = head_fallback;
    return head_match;
  }
  if (!allow.empty()) {
    if (std::find(allow.begin(), allow.end(), "GET") != allow.end()) allow.push_back("HEAD");
    std::sort(allow.begin(), allow.end());
    allow.erase(std::unique(allow.begin(), allow.end()), allow.end());
    std::string list;
    for (const auto& a : allow) list += (list.empty() ? "" : ", ") + a;
    Error e{ErrorCode::MethodNotAllowed, std::string(method) + " is not supported here; use " + list, {}, 0, allow};
    return e;
  }
  return Error::not_found("there is no resource at " + std::string(path));
}

Status authorize(const Access& access, const Identity* identity,
                 const std::vector<std::pair<std::string, std::string>>& params) {
  if (access.role == "public") return {};
  if (!identity)
    return Error::unauthenticated("sign in, or send a personal API token as 'Authorization: Bearer <token>'");
  if (access.role == "educator") return {};
  if (identity->has_role("site_admin")) return {};
  if (access.scope_param.empty()) {
    if (identity->has_role(access.role)) return {};
  } else {
    std::string scope_id;
    for (const auto& [k, v] : params)
      if (k == access.scope_param) scope_id = v;
    if (identity->has_scoped_role(access.role, access.scope_type, scope_id)) return {};
  }
  return Error::forbidden("this needs the " + access.role + " role" +
                          (access.scope_type.empty() ? std::string() : " for this " + access.scope_type));
}

}  // namespace staffroom::http

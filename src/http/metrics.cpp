#include "http/metrics.hpp"

#include <cstdio>

namespace staffroom::http {

namespace {
std::string escape_label(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}
}  // namespace

void Metrics::record(std::string_view method, std::string_view route, int status, double seconds) {
  std::lock_guard lock(mu_);
  auto it = series_.find(KeyLess::View{method, route, status});
  if (it == series_.end()) it = series_.emplace(Key{std::string(method), std::string(route), status}, Series{}).first;
  auto& s = it->second;
  ++s.count;
  s.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++s.buckets[i];
}

void Metrics::add_gauge(Gauge gauge) {
  std::lock_guard lock(mu_);
  gauges_.push_back(std::move(gauge));
}

std::string Metrics::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP staffroom_http_requests_total HTTP requests answered, by method, route and status.\n";
  out += "# TYPE staffroom_http_requests_total counter\n";
  for (const auto& [key, s] : series_) {
    const auto& [method, route, status] = key;
    out += "staffroom_http_requests_total{method=\"" + escape_label(method) + "\",route=\"" + escape_label(route) +
           "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(s.count) + "\n";
  }
  out += "# HELP staffroom_http_request_duration_seconds Time from a complete request to its response.\n";
  out += "# TYPE staffroom_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series_) {
    const auto& [method, route, status] = key;
    const std::string labels = "method=\"" + escape_label(method) + "\",route=\"" + escape_label(route) +
                               "\",status=\"" + std::to_string(status) + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += "staffroom_http_request_duration_seconds_bucket{" + labels + ",le=\"" + num(kBuckets[i]) + "\"} " +
             std::to_string(s.buckets[i]) + "\n";
    }
    out +=
        "staffroom_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(s.count) + "\n";
    out += "staffroom_http_request_duration_seconds_sum{" + labels + "} " + num(s.sum) + "\n";
    out += "staffroom_http_request_duration_seconds_count{" + labels + "} " + std::to_string(s.count) + "\n";
  }
  std::string last_name;
  for (const auto& g : gauges_) {
    if (g.name != last_name) {
      out += "# HELP " + g.name + " " + g.help + "\n";
      out += "# TYPE " + g.name + " gauge\n";
      last_name = g.name;
    }
    out += g.name + (g.labels.empty() ? "" : "{" + g.labels + "}") + " " + num(g.read()) + "\n";
  }
  return out;
}

}  // namespace staffroom::http

// Prometheus metrics for the HTTP layer: request counts and latency
// histograms by method, route pattern and status, plus gauges that other
// modules provide (the database pool) through callbacks.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace staffroom::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  // route is the matched pattern ("/api/v1/tokens/{id}"), never the raw path,
  // so the number of series stays bounded.
  void record(std::string_view method, std::string_view route, int status, double seconds);

  struct Gauge {
    std::string name;
    std::string help;
    std::string labels;  // already formatted: state="idle"
    std::function<double()> read;
  };
  void add_gauge(Gauge gauge);

  std::string render() const;  // text exposition format 0.0.4

 private:
  struct Series {
    std::uint64_t count = 0;
    double sum = 0;
    std::array<std::uint64_t, kBuckets.size()> buckets{};
  };
  using Key = std::tuple<std::string, std::string, int>;
  // Orders keys and lets record() look one up from string_views without
  // building strings first.
  struct KeyLess {
    using is_transparent = void;
    using View = std::tuple<std::string_view, std::string_view, int>;
    static View view(const Key& k) { return {std::get<0>(k), std::get<1>(k), std::get<2>(k)}; }
    static const View& view(const View& v) { return v; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return view(a) < view(b);
    }
  };
  mutable std::mutex mu_;
  std::map<Key, Series, KeyLess> series_;
  std::vector<Gauge> gauges_;
};

}  // namespace staffroom::http

// In-process rate limits keyed by a string (a client address, an email).
// Two shapes: a token bucket for request rates, and a failure window for
// sign-in attempts. Both are thread-safe and bounded in memory.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace staffroom {

class TokenBucketLimiter {
 public:
  // rate per second, burst tokens; rate <= 0 disables the limiter.
  TokenBucketLimiter(double rate, double burst, std::size_t max_keys = 100000);
  // Returns 0 when allowed, otherwise the seconds to wait.
  int take(const std::string& key);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  double rate_, burst_;
  std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

class FailureWindow {
 public:
  FailureWindow(int max_failures, std::chrono::seconds window, std::size_t max_keys = 100000);
  // Seconds until the key may try again, or 0 when it may try now.
  int blocked_for(const std::string& key);
  void record_failure(const std::string& key);
  void reset(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    std::chrono::steady_clock::time_point first;
  };
  int max_failures_;
  std::chrono::seconds window_;
  std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace staffroom

#include "core/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace staffroom {

using Clock = std::chrono::steady_clock;

TokenBucketLimiter::TokenBucketLimiter(double rate, double burst, std::size_t max_keys)
    : rate_(rate), burst_(burst), max_keys_(max_keys) {}

int TokenBucketLimiter::take(const std::string& key) {
  if (rate_ <= 0) return 0;
  const auto now = Clock::now();
  std::lock_guard lock(mu_);
  if (buckets_.size() >= max_keys_ && !buckets_.contains(key)) {
    // Forget buckets that have refilled; they carry no information.
    std::erase_if(buckets_, [&](const auto& kv) {
      return kv.second.tokens + std::chrono::duration<double>(now - kv.second.updated).count() * rate_ >= burst_;
    });
    if (buckets_.size() >= max_keys_) buckets_.clear();
  }
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  auto& b = it->second;
  if (!inserted) {
    b.tokens = std::min(burst_, b.tokens + std::chrono::duration<double>(now - b.updated).count() * rate_);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)));
}

FailureWindow::FailureWindow(int max_failures, std::chrono::seconds window, std::size_t max_keys)
    : max_failures_(max_failures), window_(window), max_keys_(max_keys) {}

int FailureWindow::blocked_for(const std::string& key) {
  const auto now = Clock::now();
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return 0;
  if (now - it->second.first >= window_) {
    entries_.erase(it);
    return 0;
  }
  if (it->second.failures < max_failures_) return 0;
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(it->second.first + window_ - now).count();
  return static_cast<int>(std::max<long long>(1, left));
}

void FailureWindow::record_failure(const std::string& key) {
  const auto now = Clock::now();
  std::lock_guard lock(mu_);
  if (entries_.size() >= max_keys_ && !entries_.contains(key)) {
    std::erase_if(entries_, [&](const auto& kv) { return now - kv.second.first >= window_; });
    if (entries_.size() >= max_keys_) entries_.clear();
  }
  auto& e = entries_[key];
  if (e.failures == 0 || now - e.first >= window_) {
    e.failures = 0;
    e.first = now;
  }
  ++e.failures;
}

void FailureWindow::reset(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

}  // namespace staffroom

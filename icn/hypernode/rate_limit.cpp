// Token buckets for the challenge API.
#include "icn/hypernode/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace icn::hypernode {

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {
// At least one token and a refill period of at least 1 ms: config checks it, tests may not.
TokenBucketOptions sane(TokenBucketOptions o) {
  o.burst = std::max<uint32_t>(1, o.burst);
  o.refill_every = std::max(o.refill_every, std::chrono::milliseconds(1));
  return o;
}
}  // namespace

RateLimiter::RateLimiter(TokenBucketOptions options, MonotonicClock clock, size_t max_keys)
    : options_(sane(options)), clock_(std::move(clock)), max_keys_(std::max<size_t>(1, max_keys)) {}

double RateLimiter::level(const Bucket& b, int64_t now) const {
  double gained =
      double(std::max<int64_t>(0, now - b.at_ms)) / double(options_.refill_every.count());
  return std::min(double(options_.burst), b.tokens + gained);
}

void RateLimiter::prune(int64_t now) {
  std::erase_if(buckets_, [&](const auto& kv) { return level(kv.second, now) >= options_.burst; });
  if (buckets_.size() >= max_keys_) buckets_.clear();
}

RateLimiter::Decision RateLimiter::take(const std::string& key) {
  const int64_t now = clock_();
  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) prune(now);
    it = buckets_.emplace(key, Bucket{double(options_.burst), now}).first;
  }
  Bucket& b = it->second;
  b.tokens = level(b, now);
  b.at_ms = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  auto wait = int64_t(std::ceil((1.0 - b.tokens) * double(options_.refill_every.count())));
  return {false, std::chrono::milliseconds(std::max<int64_t>(1, wait))};
}

size_t RateLimiter::keys() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace icn::hypernode

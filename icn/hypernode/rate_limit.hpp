// Flood protection for the challenge API: token buckets per ScalerNode id (read from the decoded
// body, before the costly signature recovery) and per remote IP, so one node or one host cannot
// crowd out the others. A refused request is answered 429 "rate_limited" and changes nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace icn::hypernode {

// Monotonic milliseconds; a fake in tests.
using MonotonicClock = std::function<int64_t()>;
int64_t steady_ms();

// A bucket holds at most `burst` tokens and gains one every `refill_every`; a request takes one.
struct TokenBucketOptions {
  uint32_t burst = 10;
  std::chrono::milliseconds refill_every{1000};
};

// Thread-safe. Keys are bounded: beyond `max_keys` the buckets that have refilled to full (the
// same as never seen) are dropped, then, if still too many, all of them (a flood of fresh keys
// must not grow memory without bound).
class RateLimiter {
 public:
  RateLimiter(TokenBucketOptions options, MonotonicClock clock, size_t max_keys = 100'000);

  struct Decision {
    bool allowed = true;
    std::chrono::milliseconds retry_after{0};  // when refused: until the next token
  };
  // Takes a token from `key`'s bucket if it has one; a refusal takes nothing.
  Decision take(const std::string& key);
  size_t keys() const;

 private:
  struct Bucket {
    double tokens;
    int64_t at_ms;
  };
  double level(const Bucket& b, int64_t now) const;
  void prune(int64_t now);

  const TokenBucketOptions options_;
  const MonotonicClock clock_;
  const size_t max_keys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// The limits of the challenge API (hypernode.toml [rate_limit]). Honest traffic is one challenge
// per node per era plus up to 3 retries (and a repeat after a daemon restart); the per-node
// bucket allows a burst of 10 and one more per second, far above that and far below a flood. The
// per-IP bucket is wider: many daemons may share one address (NAT, a devnet on 127.0.0.1).
struct RateLimitOptions {
  TokenBucketOptions per_node{10, std::chrono::milliseconds(1000)};
  TokenBucketOptions per_ip{500, std::chrono::milliseconds(5)};
};

class ChallengeLimits {
 public:
  explicit ChallengeLimits(RateLimitOptions options = {}, MonotonicClock clock = steady_ms)
      : per_node(options.per_node, clock), per_ip(options.per_ip, clock) {}
  RateLimiter per_node;  // keyed by the ScalerNode id (decimal)
  RateLimiter per_ip;    // keyed by the remote address
};

}  // namespace icn::hypernode

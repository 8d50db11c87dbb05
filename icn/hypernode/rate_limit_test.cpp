// Tests for the challenge API's flood protection: a flood from one node or host is cut off with
// 429 "rate_limited" and changes nothing, other nodes are unaffected, tokens refill with time
// (a fake clock), honest retries pass, and the bucket map stays bounded.
#include "icn/hypernode/rate_limit.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "icn/core/protocol_json.hpp"
#include "icn/hypernode/http_api.hpp"
#include "icn/hypernode/test_support.hpp"

namespace icn::hypernode {
namespace {

using testing::FakeChain;
using testing::FakeClock;
using testing::key_of;

struct FakeMonotonic {
  std::atomic<int64_t> ms{1'000'000};
  MonotonicClock fn() {
    return [this] { return ms.load(); };
  }
};

TEST(RateLimiter, BurstThenOneTokenPerRefillPeriod) {
  FakeMonotonic now;
  RateLimiter limiter({3, std::chrono::milliseconds(1000)}, now.fn());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("a").allowed) << i;
  auto refused = limiter.take("a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, std::chrono::milliseconds(1000));
  EXPECT_TRUE(limiter.take("b").allowed);  // another key has its own bucket
  now.ms += 400;
  auto later = limiter.take("a");  // a refusal takes nothing: 0.4 tokens now
  EXPECT_FALSE(later.allowed);
  EXPECT_EQ(later.retry_after, std::chrono::milliseconds(600));
  now.ms += 600;
  EXPECT_TRUE(limiter.take("a").allowed);
  EXPECT_FALSE(limiter.take("a").allowed);
  now.ms += 60'000;  // refills up to the burst, not beyond
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("a").allowed) << i;
  EXPECT_FALSE(limiter.take("a").allowed);
}

TEST(RateLimiter, KeysStayBounded) {
  FakeMonotonic now;
  RateLimiter limiter({2, std::chrono::milliseconds(1000)}, now.fn(), 100);
  for (int i = 0; i < 1000; ++i) limiter.take("k" + std::to_string(i));
  EXPECT_LE(limiter.keys(), 100u);
  // Full buckets are the first to go: a drained key keeps its state while fresh keys churn.
  EXPECT_TRUE(limiter.take("drained").allowed);
  EXPECT_TRUE(limiter.take("drained").allowed);
  now.ms += 5000;  // every "k…" bucket is full again; "drained" gets 2 back too
  for (int i = 0; i < 1000; ++i) limiter.take("x" + std::to_string(i));
  EXPECT_LE(limiter.keys(), 100u);
}

constexpr int64_t kNowMs = 1'700'000'000'000;
const U256 kHyperNodeId = 3;

class ChallengeFloodTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (uint8_t n : {5, 6}) chain.add_node(n, key_of(n).address());
    store = std::move(HyperNodeStore::open(":memory:").value());
    service =
        std::make_unique<ChallengeService>(chain, *store, kHyperNodeId, key_of(1), clock.fn());
    limits = std::make_unique<ChallengeLimits>(RateLimitOptions{}, now.fn());  // the defaults
  }
  std::string challenge_json(uint8_t node, uint8_t nonce = 1) {
    protocol::Challenge c;
    c.era = 7;
    c.scaler_node_id = node;
    c.hyper_node_id = kHyperNodeId;
    c.nonce[0] = nonce;
    c.daemon_time = uint64_t(kNowMs / 1000);
    return protocol::encode(protocol::sign(service->domain(), c, key_of(node)));
  }
  infra::HttpResponse post(const std::string& body, const std::string& ip = "10.0.0.5") {
    auto request = infra::HttpRequest::for_test("POST", "/v1/challenge", body, ip);
    return handle_challenge(request, *service, metrics, limits.get());
  }
  static std::string code(const infra::HttpResponse& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"]["code"].get<std::string>() : "";
  }

  FakeChain chain;
  FakeClock clock{kNowMs};
  FakeMonotonic now;
  std::unique_ptr<HyperNodeStore> store;
  std::unique_ptr<ChallengeService> service;
  std::unique_ptr<ChallengeLimits> limits;
  infra::MetricsRegistry registry;
  HyperNodeMetrics metrics{registry};
};

TEST_F(ChallengeFloodTest, HonestChallengeAndItsRetriesPass) {
  // One challenge and three retries of the same one (a daemon that lost the answers), then the
  // same again after a daemon restart: all answered, identically.
  auto first = post(challenge_json(5));
  ASSERT_EQ(first.status, 200) << first.body;
  for (int i = 0; i < 7; ++i) {
    auto again = post(challenge_json(5));
    ASSERT_EQ(again.status, 200) << i << ": " << again.body;
    EXPECT_EQ(again.body, first.body);
  }
  EXPECT_EQ(metrics.rate_limited.with({"scalernode"}).value(), 0);
}

TEST_F(ChallengeFloodTest, AFloodFromOneNodeIsCutOffAndChangesNothing) {
  ASSERT_EQ(post(challenge_json(5)).status, 200);
  int limited = 0;
  std::optional<infra::HttpResponse> refusal;
  for (uint8_t nonce = 2; nonce < 40; ++nonce) {
    auto r = post(challenge_json(5, nonce), "10.0.0.5");
    if (r.status == 429) {
      ++limited;
      refusal = r;
    } else {
      EXPECT_EQ(code(r), "duplicate_challenge");  // the bucket's first 9 reach the service
    }
  }
  EXPECT_EQ(limited, 38 - 9);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(code(*refusal), "rate_limited");
  bool retry_after = false;
  for (const auto& [k, v] : refusal->headers) retry_after |= k == "Retry-After" && v == "1";
  EXPECT_TRUE(retry_after);
  EXPECT_EQ(service->status().answered_this_era, 1u);
  EXPECT_EQ(store->answers(7)->size(), 1u);
  EXPECT_EQ(metrics.rate_limited.with({"scalernode"}).value(), limited);
  EXPECT_EQ(metrics.challenges.with({"limited", "rate_limited"}).value(), limited);

  // Another node, from its own address, is unaffected; so is node 5 from an address the forged
  // flood did not come from (the node id is not authenticated before the limit).
  EXPECT_EQ(post(challenge_json(6), "10.0.0.6").status, 200);
  EXPECT_EQ(post(challenge_json(5), "10.0.0.7").status, 200);

  // Tokens come back with time: one a second.
  EXPECT_EQ(post(challenge_json(5), "10.0.0.5").status, 429);
  now.ms += 1000;
  EXPECT_EQ(post(challenge_json(5), "10.0.0.5").status, 200);  // the stored answer again
  EXPECT_EQ(post(challenge_json(5), "10.0.0.5").status, 429);
}

TEST_F(ChallengeFloodTest, AFloodFromOneAddressIsCutOffBeforeDecoding) {
  RateLimitOptions options;
  options.per_ip = {20, std::chrono::milliseconds(100)};
  limits = std::make_unique<ChallengeLimits>(options, now.fn());
  int limited = 0;
  for (int i = 0; i < 50; ++i) {
    auto r = post("{not json", "10.9.9.9");
    if (r.status == 429) {
      ++limited;
      EXPECT_EQ(code(r), "rate_limited");
    } else {
      EXPECT_EQ(code(r), "bad_challenge");
    }
  }
  EXPECT_EQ(limited, 30);  // the IP bucket holds 20
  EXPECT_EQ(metrics.rate_limited.with({"ip"}).value(), 30);
  EXPECT_EQ(metrics.challenges.with({"malformed", "bad_challenge"}).value(), 20);
  EXPECT_EQ(post(challenge_json(6), "10.0.0.6").status, 200);  // other hosts are unaffected
  now.ms += 100;
  EXPECT_EQ(post("{not json", "10.9.9.9").status, 400);  // refilled: one token per 100 ms
}

}  // namespace
}  // namespace icn::hypernode

// Tests for the HyperNode HTTP API over a real socket: status codes, JSON error bodies with the
// reason codes, the body limit, /v1/status and /metrics.
#include "icn/hypernode/http_api.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include "icn/core/protocol_json.hpp"
#include "icn/hypernode/test_support.hpp"

namespace icn::hypernode {
namespace {

using testing::FakeChain;
using testing::FakeClock;
using testing::key_of;

constexpr int64_t kNowMs = 1'700'000'000'000;
const U256 kHyperNodeId = 3;

class HyperNodeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chain.add_node(5, key_of(5).address());
    store = std::move(HyperNodeStore::open(":memory:").value());
    service =
        std::make_unique<ChallengeService>(chain, *store, kHyperNodeId, key_of(1), clock.fn());
    infra::HttpServerOptions options;
    options.max_body_bytes = kMaxChallengeBodyBytes;
    server = std::make_unique<infra::HttpServer>(options);
    mount_hypernode_api(*server, *service, metrics, registry);
    ASSERT_TRUE(server->start().ok());
    client = std::make_unique<httplib::Client>("127.0.0.1", server->port());
  }
  void TearDown() override { server->stop(); }

  std::string challenge_json(uint64_t era = 7, uint8_t nonce = 1, uint8_t signer = 5) {
    protocol::Challenge c;
    c.era = era;
    c.scaler_node_id = 5;
    c.hyper_node_id = kHyperNodeId;
    c.nonce[0] = nonce;
    c.daemon_time = uint64_t(kNowMs / 1000);
    return protocol::encode(protocol::sign(service->domain(), c, key_of(signer)));
  }
  httplib::Result post(const std::string& body) {
    return client->Post("/v1/challenge", body, "application/json");
  }
  static std::string error_code(const httplib::Result& r) {
    auto j = nlohmann::json::parse(r->body, nullptr, false);
    if (!j.is_object() || !j.contains("error")) return "<no JSON error: " + r->body + ">";
    EXPECT_TRUE(j["error"]["message"].is_string());
    return j["error"]["code"].get<std::string>();
  }

  FakeChain chain;
  FakeClock clock{kNowMs};
  std::unique_ptr<HyperNodeStore> store;
  std::unique_ptr<ChallengeService> service;
  infra::MetricsRegistry registry;
  HyperNodeMetrics metrics{registry};
  std::unique_ptr<infra::HttpServer> server;
  std::unique_ptr<httplib::Client> client;
};

TEST_F(HyperNodeApiTest, AnswersAChallengeWithTheSignedResponse) {
  auto r = post(challenge_json());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto response = protocol::decode_signed_challenge_response(r->body);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_TRUE(protocol::verify(service->domain(), *response, key_of(1).address()).ok());
  // The repeat is byte-identical.
  auto again = post(challenge_json());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(again->body, r->body);
}

TEST_F(HyperNodeApiTest, RefusalsHaveTheirStatusAndReasonCode) {
  struct Case {
    std::string body;
    int status;
    std::string code;
  };
  ASSERT_EQ(post(challenge_json())->status, 200);
  const std::vector<Case> cases = {
      {"{not json", 400, "bad_challenge"},
      {R"({"era":7})", 400, "bad_challenge"},
      {challenge_json(6), 422, "stale_era"},
      {challenge_json(9), 422, "future_era"},
      {challenge_json(7, 2, 6), 403, "wrong_daemon_key"},
      {challenge_json(7, 2), 409, "duplicate_challenge"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.body);
    auto r = post(tc.body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, tc.status) << r->body;
    EXPECT_EQ(error_code(r), tc.code);
  }
}

TEST_F(HyperNodeApiTest, OversizedBodyIs413) {
  std::string body = challenge_json();
  body.append(kMaxChallengeBodyBytes, ' ');
  auto r = post(body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(error_code(r), "body_too_large");
  EXPECT_EQ(service->status().answered_this_era, 0u);
}

TEST_F(HyperNodeApiTest, StatusAndMetricsReportTheEra) {
  ASSERT_EQ(post(challenge_json())->status, 200);
  ASSERT_EQ(post(challenge_json(6))->status, 422);
  auto s = client->Get("/v1/status");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->status, 200);
  auto j = nlohmann::json::parse(s->body);
  EXPECT_EQ(j["hyperNodeId"], "3");
  EXPECT_EQ(j["signer"], key_of(1).address().checksummed());
  EXPECT_EQ(j["era"], 7);
  EXPECT_EQ(j["answeredThisEra"], 1);

  auto m = client->Get("/metrics");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->status, 200);
  EXPECT_NE(m->body.find(R"(icn_hypernode_challenges_total{outcome="answered",reason="ok"} 1)"),
            std::string::npos)
      << m->body;
  EXPECT_NE(
      m->body.find(R"(icn_hypernode_challenges_total{outcome="refused",reason="stale_era"} 1)"),
      std::string::npos);
  EXPECT_NE(m->body.find("icn_hypernode_challenge_duration_seconds_count 2"), std::string::npos);
}

}  // namespace
}  // namespace icn::hypernode

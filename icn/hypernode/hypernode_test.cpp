// Tests for the hypernode.toml reader: every key, required keys, the satellites list, strictness.
#include "icn/hypernode/hypernode.hpp"

#include <gtest/gtest.h>

namespace icn::hypernode {
namespace {

Result<HyperNodeConfig> read(std::string_view text) {
  auto config = infra::Config::parse(text, "hypernode.toml", "/etc/icn");
  if (!config) return config.error();
  return read_hypernode_config(*config);
}

constexpr std::string_view kMinimal = R"(
data_dir = "state"
deployment = "deployment.json"
key_file = "/keys/hypernode.key"
hypernode_id = "3"
)";

TEST(HyperNodeConfig, ReadsEveryKey) {
  auto c = read(R"(
data_dir = "state"
rpc = "http://10.0.0.1:8545"
deployment = "deployment.json"
artifacts = "/opt/icn/artifacts"
key_file = "/keys/hypernode.key"
password_file = "pw"
hypernode_id = "12"
satellites = ["http://sat1:7600", "https://sat2.example/"]
log_level = "debug"
poll_interval = "500ms"
listen = "0.0.0.0:7401"
http_threads = 16
[batches]
first_retry = "2s"
max_retry = "5m"
[rate_limit]
node_burst = 4
node_refill = "10s"
ip_burst = 50
ip_refill = "100ms"
)");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->rate_limit.per_node.burst, 4u);
  EXPECT_EQ(c->rate_limit.per_node.refill_every, std::chrono::milliseconds(10000));
  EXPECT_EQ(c->rate_limit.per_ip.burst, 50u);
  EXPECT_EQ(c->rate_limit.per_ip.refill_every, std::chrono::milliseconds(100));
  EXPECT_EQ(c->data_dir, "/etc/icn/state");
  EXPECT_EQ(c->rpc_url, "http://10.0.0.1:8545");
  EXPECT_EQ(c->deployment_file, "/etc/icn/deployment.json");
  EXPECT_EQ(c->artifacts_dir, "/opt/icn/artifacts");
  EXPECT_EQ(c->password_file, "/etc/icn/pw");
  EXPECT_EQ(c->hyper_node_id, U256(12));
  EXPECT_EQ(c->satellites, (std::vector<std::string>{"http://sat1:7600", "https://sat2.example"}));
  EXPECT_EQ(c->log_level, "debug");
  EXPECT_EQ(c->poll_interval.count(), 500);
  EXPECT_EQ(c->listen_host, "0.0.0.0");
  EXPECT_EQ(c->listen_port, 7401);
  EXPECT_EQ(c->http_threads, 16u);
  EXPECT_EQ(c->batch_first_retry.count(), 2000);
  EXPECT_EQ(c->batch_max_retry.count(), 300000);
}

TEST(HyperNodeConfig, DefaultsForOptionalKeys) {
  auto c = read(kMinimal);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->listen_port, 7400);
  EXPECT_TRUE(c->satellites.empty());
  EXPECT_TRUE(c->artifacts_dir.empty());
  EXPECT_EQ(c->rate_limit.per_node.burst, 10u);
  EXPECT_EQ(c->rate_limit.per_node.refill_every, std::chrono::milliseconds(1000));
}

TEST(HyperNodeConfig, RefusesWhatIsWrong) {
  struct Case {
    std::string text;
    std::string error;
  };
  const std::string base(kMinimal);
  const std::vector<Case> cases = {
      {"data_dir = \"x\"\n", "deployment is required"},
      {base + "satellites = \"http://a\"\n", "expected an array of URLs"},
      {base + "satellites = [\"ftp://a\"]\n", "satellites[0]"},
      {base + "satelites = []\n", "unknown key satelites"},
      {base + "listen = \"7401\"\n", "expected HOST:PORT"},
      {std::string(R"(data_dir = "s"
deployment = "d"
key_file = "k"
hypernode_id = "03"
)"),
       "hypernode_id"},
      {std::string(R"(data_dir = "s"
deployment = "d"
key_file = "k"
hypernode_id = "0"
)"),
       "above 0"},
      {base + "[batches]\nfirst_retry = \"10s\"\nmax_retry = \"1s\"\n", "max_retry"},
      {base + "[rate_limit]\nnode_burst = 0\n", "node_burst"},
      {base + "[rate_limit]\nip_refill = \"0ms\"\n", "ip_refill"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.text);
    auto c = read(tc.text);
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().message.find(tc.error), std::string::npos) << c.error().message;
  }
}

}  // namespace
}  // namespace icn::hypernode

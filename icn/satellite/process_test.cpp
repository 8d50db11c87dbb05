// The satellite config keys (defaults, ranges, unknown keys) and a process run that serves its API
// and stops on request.
#include "icn/satellite/process.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "icn/infra/http_client.hpp"
#include "icn/satellite/test_support.hpp"

namespace icn::satellite {
namespace {

Result<SatelliteConfig> parse(const std::string& text) {
  ICN_TRY(auto config, infra::Config::parse(text, "satellite.toml", "/etc/icn"));
  return read_satellite_config(config);
}

const std::string kRequired =
    "data_dir = \"data\"\ndeployment = \"deployment.json\"\nkey_file = \"key\"\n";

TEST(SatelliteConfig, DefaultsAndKeys) {
  auto c = parse(kRequired);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->data_dir, "/etc/icn/data");
  EXPECT_EQ(c->listen_port, 7400);
  EXPECT_EQ(c->options.grace_blocks, 5u);
  EXPECT_EQ(c->options.fill_blocks, 3u);
  EXPECT_EQ(c->options.retention_eras, 0u) << "every batch kept unless configured";
  EXPECT_EQ(c->options.fill_timeout, std::chrono::seconds(5));
  EXPECT_TRUE(c->options.peers.empty());
  EXPECT_FALSE(c->first_era.has_value());
  EXPECT_TRUE(c->submit);

  c = parse(kRequired +
            "listen = \"0.0.0.0:9000\"\npeers = [\"http://a:1/\", \"https://b:2\"]\ngrace_blocks = "
            "150\nsubmit_timeout_blocks = 30\nfirst_era = 4\npoll_interval = \"2s\"\n"
            "fill_blocks = 10\nfill_timeout = \"1s\"\nretention_eras = 720\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen_host, "0.0.0.0");
  EXPECT_EQ(c->listen_port, 9000);
  EXPECT_EQ(c->options.peers, (std::vector<std::string>{"http://a:1", "https://b:2"}));
  EXPECT_EQ(c->options.grace_blocks, 150u);
  EXPECT_EQ(c->options.submit_timeout_blocks, 30u);
  EXPECT_EQ(c->first_era, std::optional<uint64_t>(4));
  EXPECT_EQ(c->options.first_era, 4u);
  EXPECT_EQ(c->options.poll_interval, std::chrono::seconds(2));
  EXPECT_EQ(c->options.fill_blocks, 10u);
  EXPECT_EQ(c->options.fill_timeout, std::chrono::seconds(1));
  EXPECT_EQ(c->options.retention_eras, 720u);
}

TEST(SatelliteConfig, Rejections) {
  struct Case {
    std::string text, reason;
  };
  std::vector<Case> cases = {
      {"deployment = \"d\"\nkey_file = \"k\"\n", "data_dir is required"},
      {kRequired + "listen = \"7400\"\n", "expected HOST:PORT"},
      {kRequired + "listen = \"h:99999\"\n", "expected HOST:PORT"},
      {kRequired + "peers = [\"ftp://x\"]\n", "expected an http:// or https:// URL"},
      {kRequired + "peers = \"http://a\"\n", "expected an array of URLs"},
      {kRequired + "grace_blocks = -1\n", "grace_blocks"},
      {kRequired + "fill_blocks = -1\n", "fill_blocks"},
      {kRequired + "fill_timeout = \"1ms\"\n", "fill_timeout"},
      {kRequired + "retention_eras = -3\n", "retention_eras"},
      {kRequired + "grase_blocks = 5\n", "unknown key"},
  };
  for (const auto& c : cases) {
    auto r = parse(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_NE(r.error().message.find(c.reason), std::string::npos)
        << c.text << " → " << r.error().message;
  }
}

TEST(SatelliteProcess, ServesStatusAndMetricsAndStops) {
  auto dir = std::filesystem::temp_directory_path() /
             ("icn-satellite-process-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  SatelliteConfig config;
  config.data_dir = dir;
  config.listen_port = 0;
  testing::FakeChainView chain;  // no nodes, no HyperNodes
  chain.head = 3;
  testing::ZeroEconomics economics;
  testing::NoMaintenance maintenance;
  auto key = *PrivateKey::from_hex("0x" + std::string(63, '0') + "7");
  infra::StopFlag stop;
  std::mutex mu;
  std::condition_variable cv;
  std::string url;
  Status result;
  std::thread runner([&] {
    result = run_satellite(config, chain, key, economics, maintenance, nullptr, stop,
                           [&](const std::string& u) {
                             std::lock_guard lock(mu);
                             url = u;
                             cv.notify_all();
                           });
  });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return !url.empty(); }));
  }
  infra::JsonHttpClient client(url);
  auto status = client.get("/v1/status");
  EXPECT_TRUE(status) << status.error().message;
  if (status) {
    EXPECT_EQ((*status)["signer"], key.address().checksummed());
  }
  infra::HttpConnection http;
  auto metrics = http.perform(url + "/metrics", nullptr);
  EXPECT_NE(metrics.body.find("icn_satellite_http_requests_total"), std::string::npos);
  // A second process on the same data dir is refused while the first holds it.
  infra::StopFlag other_stop;
  other_stop.request("test");
  auto second = run_satellite(config, chain, key, economics, maintenance, nullptr, other_stop);
  EXPECT_FALSE(second);
  stop.request("test");
  runner.join();
  EXPECT_TRUE(result) << result.error().message;
  EXPECT_TRUE(std::filesystem::exists(dir / "satellite.db"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace icn::satellite

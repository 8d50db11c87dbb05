// Tests for the daemon's loop: nothing is sent before the era's moment, the era is challenged
// once at it, its batch reaches a satellite after the era ends, the status API tells where it is,
// and run() returns promptly on stop.
#include "icn/daemon/daemon.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "icn/core/protocol_json.hpp"
#include "icn/daemon/schedule.hpp"
#include "icn/daemon/test_support.hpp"
#include "icn/infra/http_client.hpp"

namespace icn::daemon {
namespace {

using namespace testing;

class FakeSatellite {
 public:
  FakeSatellite() {
    server_.post(std::string(report::kBatchesPath), [this](const infra::HttpRequest& request) {
      std::lock_guard lock(mu_);
      bodies_.emplace_back(request.body());
      return infra::HttpResponse::json_body({{"stored", true}});
    });
    EXPECT_TRUE(server_.start().ok());
  }
  std::string url() const { return server_.url(); }
  std::vector<std::string> bodies() const {
    std::lock_guard lock(mu_);
    return bodies_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> bodies_;
  infra::HttpServer server_;
};

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_dir("daemon_test");
    auto db = infra::Database::open(dir_ / "daemon.db");
    ASSERT_TRUE(db.ok());
    db_ = std::make_unique<infra::Database>(std::move(*db));
    ASSERT_TRUE(infra::migrate(*db_, daemon_migrations()).ok());
    options_.scaler_node_id = U256(42);
    options_.satellites = {satellite_.url()};
    options_.challenge.first_retry = std::chrono::milliseconds(1);
    options_.poll_interval = std::chrono::milliseconds(5);
  }
  std::unique_ptr<Daemon> make_daemon() {
    return std::make_unique<Daemon>(chain_, *db_, key_of(1), options_, metrics_, poster_, clock_,
                                    std::mt19937_64(kSeed));
  }

  static constexpr uint64_t kSeed = 5;
  std::filesystem::path dir_;
  FakeChain chain_;
  FakeSatellite satellite_;
  std::unique_ptr<infra::Database> db_;
  DaemonOptions options_;
  infra::MetricsRegistry registry_;
  DaemonMetrics metrics_{registry_};
  report::CurlHttpPoster poster_;
  UnixClock clock_ = [] { return report::system_unix_ms(); };
  infra::StopFlag stop_;
};

TEST_F(DaemonTest, ChallengesAtTheScheduledBlockAndReportsTheEndedEra) {
  const chain::EraBounds era3{3, 60, 80};
  std::mt19937_64 same(kSeed);
  const uint64_t moment = schedule(era3, same);
  FakeHyperNode node(chain_.domain(), key_of(11));
  chain_.hyper_node_list = {hyper_node_info(1, node)};
  auto daemon = make_daemon();

  chain_.head = 60;
  if (moment > 60) {
    chain_.head = moment - 1;
    ASSERT_TRUE(daemon->tick(stop_).ok());
    EXPECT_TRUE(node.bodies().empty());  // not before its moment
    EXPECT_EQ(daemon->status().challenge_block, moment);
  }
  chain_.head = moment;
  ASSERT_TRUE(daemon->tick(stop_).ok());
  EXPECT_EQ(node.bodies().size(), 1u);
  EXPECT_EQ(daemon->status().last_challenged_era, 3u);
  chain_.head = 79;
  ASSERT_TRUE(daemon->tick(stop_).ok());
  EXPECT_EQ(node.bodies().size(), 1u);       // once per era
  EXPECT_TRUE(satellite_.bodies().empty());  // the era has not ended

  chain_.head = 80;  // era 4 begins: era 3 is reported and delivered
  ASSERT_TRUE(daemon->tick(stop_).ok());
  auto bodies = satellite_.bodies();
  ASSERT_EQ(bodies.size(), 1u);
  auto batch = protocol::decode_daemon_batch(bodies[0]);
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_EQ(batch->era, 3u);
  ASSERT_EQ(batch->entries.size(), 1u);
  EXPECT_TRUE(protocol::verify_batch(chain_.domain(), *batch, key_of(1).address()).ok());
  DaemonStatus s = daemon->status();
  EXPECT_EQ(s.last_reported_era, 3u);
  EXPECT_EQ(s.outbox_pending, 0);
  EXPECT_EQ(s.era, 4u);
  EXPECT_EQ(metrics_.era.value(), 4);
  EXPECT_EQ(metrics_.deliveries.with({"delivered"}).value(), 1);

  // A restarted daemon does not report era 3 again.
  daemon = make_daemon();
  ASSERT_TRUE(daemon->tick(stop_).ok());
  EXPECT_EQ(satellite_.bodies().size(), 1u);
}

// An era whose challenges take long (a HyperNode down: retries with backoff) must not hold the
// ended era's batch back: it reaches the satellites before the next era's first challenge, or it
// misses their grace blocks and an UP node counts DOWN (seen on a devnet with a HyperNode stopped).
TEST_F(DaemonTest, DeliversTheEndedErasBatchBeforeChallengingTheNextEra) {
  FakeHyperNode node(chain_.domain(), key_of(11));
  chain_.hyper_node_list = {hyper_node_info(1, node)};
  auto daemon = make_daemon();
  chain_.head = 79;  // era 3 (60..79), past its moment (in the first 80 %)
  ASSERT_TRUE(daemon->tick(stop_).ok());
  ASSERT_EQ(node.bodies().size(), 1u);
  ASSERT_TRUE(satellite_.bodies().empty());

  std::atomic<int> delivered_when_challenged{-1};
  node.set_behaviour([&](const protocol::SignedChallenge& c, int) {
    delivered_when_challenged = static_cast<int>(satellite_.bodies().size());
    return node.answer(c);
  });
  chain_.head = 99;  // era 4, past its moment: era 3 is reported and era 4 challenged in one tick
  ASSERT_TRUE(daemon->tick(stop_).ok());
  ASSERT_EQ(node.bodies().size(), 2u);
  EXPECT_EQ(delivered_when_challenged.load(), 1);
  EXPECT_EQ(daemon->status().last_challenged_era, 4u);
}

TEST_F(DaemonTest, SkipsErasOutOfServiceAtTheirStartBlockAndResumes) {
  FakeHyperNode node(chain_.domain(), key_of(11));
  chain_.hyper_node_list = {hyper_node_info(1, node)};
  // Registered (not yet validated) until block 75, inside era 3, Validated from then on: era 3
  // (read at its start block 60) is skipped, era 4 (start block 80) is served.
  chain_.node_status = [](uint64_t block) {
    return block < 75 ? chain::ScalerNodeStatus::kRegistered : chain::ScalerNodeStatus::kValidated;
  };
  auto daemon = make_daemon();
  for (uint64_t head = 60; head < 80; ++head) {  // every block of era 3
    chain_.head = head;
    ASSERT_TRUE(daemon->tick(stop_).ok());
  }
  EXPECT_TRUE(node.bodies().empty());  // no challenge in era 3
  DaemonStatus s = daemon->status();
  EXPECT_EQ(s.not_in_service, "node 42 is Registered, not in service at era 3");
  EXPECT_FALSE(s.challenge_block.has_value());
  EXPECT_EQ(metrics_.in_service.value(), 0);
  auto body = nlohmann::json::parse(handle_status(*daemon).body);
  EXPECT_EQ(body["notInService"], "node 42 is Registered, not in service at era 3");

  for (uint64_t head = 80; head < 100; ++head) {  // era 4: in service at its start block
    chain_.head = head;
    ASSERT_TRUE(daemon->tick(stop_).ok());
  }
  EXPECT_EQ(node.bodies().size(), 1u);
  EXPECT_EQ(daemon->status().not_in_service, "");
  EXPECT_EQ(daemon->status().last_challenged_era, 4u);
  EXPECT_EQ(metrics_.in_service.value(), 1);

  // Offboarded at era 5's start block, and unknown to the Registry later: skipped with the reason.
  chain_.node_status = [](uint64_t block) {
    return block < 120 ? chain::ScalerNodeStatus::kOffboarded : chain::ScalerNodeStatus::kNone;
  };
  chain_.head = 100;  // era 4's batch is reported; era 3 (skipped) never is
  ASSERT_TRUE(daemon->tick(stop_).ok());
  auto bodies = satellite_.bodies();
  ASSERT_EQ(bodies.size(), 1u);
  auto batch = protocol::decode_daemon_batch(bodies[0]);
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_EQ(batch->era, 4u);

  for (uint64_t head = 100; head < 120; ++head) {
    chain_.head = head;
    ASSERT_TRUE(daemon->tick(stop_).ok());
  }
  EXPECT_EQ(node.bodies().size(), 1u);
  EXPECT_EQ(daemon->status().not_in_service, "node 42 is Offboarded, not in service at era 5");
  chain_.head = 125;
  ASSERT_TRUE(daemon->tick(stop_).ok());
  EXPECT_EQ(daemon->status().not_in_service, "node 42 is not registered at era 6");
  EXPECT_EQ(satellite_.bodies().size(), 1u);  // eras 5 and 6 have no batch
  EXPECT_EQ(node.bodies().size(), 1u);
}

TEST_F(DaemonTest, StatusAndMetricsOverHttp) {
  auto daemon = make_daemon();
  infra::HttpServer server;
  mount_daemon_api(server, *daemon, registry_);
  ASSERT_TRUE(server.start().ok());
  infra::JsonHttpClient client(server.url());
  auto before = client.get("/v1/status");
  ASSERT_FALSE(before.ok());  // 503 until the head was read
  EXPECT_NE(before.error().message.find("HTTP 503"), std::string::npos) << before.error().message;

  chain_.head = 2;  // era 0, before any HyperNode: nothing to challenge
  ASSERT_TRUE(daemon->tick(stop_).ok());
  auto status = client.get("/v1/status");
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ((*status)["era"], 0);
  EXPECT_EQ((*status)["headBlock"], 2);
  EXPECT_EQ((*status)["outboxPending"], 0);

  infra::HttpConnection raw;
  auto metrics = raw.perform(server.url() + "/metrics", nullptr);
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("icn_daemon_era 0"), std::string::npos);
  EXPECT_NE(metrics.body.find("icn_daemon_outbox_pending 0"), std::string::npos);
}

TEST_F(DaemonTest, RunReturnsPromptlyWhenStopped) {
  chain_.head = 200;
  auto daemon = make_daemon();
  std::thread loop([&] { daemon->run(stop_); });
  // Wait (with a deadline) for the first tick, then stop.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!daemon->status().ready && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_TRUE(daemon->status().ready);
  const auto asked = std::chrono::steady_clock::now();
  stop_.request("test");
  loop.join();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(2));
}

}  // namespace
}  // namespace icn::daemon

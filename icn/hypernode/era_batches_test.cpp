// Tests for era batches: built once per ended era, signed, spooled on disk, delivered to every
// satellite with retries (a satellite that fails first, one that already has the batch), and
// still owed after a restart.
#include "icn/hypernode/era_batches.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <mutex>

#include "icn/core/protocol_json.hpp"
#include "icn/hypernode/test_support.hpp"
#include "icn/infra/http_server.hpp"

namespace icn::hypernode {
namespace {

using testing::FakeChain;
using testing::FakeClock;
using testing::key_of;

constexpr int64_t kNowMs = 1'700'000'000'000;
const U256 kHyperNodeId = 3;

// A satellite's batch endpoint answering from a script of statuses (the last one repeats).
class FakeSatellite {
 public:
  explicit FakeSatellite(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    server_.post("/v1/batches", [this](const infra::HttpRequest& request) {
      std::lock_guard lock(mu_);
      bodies_.emplace_back(request.body());
      int status = statuses_[std::min(bodies_.size() - 1, statuses_.size() - 1)];
      if (status == 409) return infra::error_response(409, "duplicate", "batch already stored");
      if (status >= 400) return infra::error_response(status, "unavailable", "try later");
      return infra::HttpResponse::json_body({{"stored", true}}, status);
    });
    EXPECT_TRUE(server_.start().ok());
  }
  std::string url() const { return server_.url(); }
  std::vector<std::string> bodies() const {
    std::lock_guard lock(mu_);
    return bodies_;
  }

 private:
  infra::HttpServer server_;
  mutable std::mutex mu_;
  std::vector<int> statuses_;
  std::vector<std::string> bodies_;
};

class EraBatchesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("icn_hypernode_batches_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    chain.add_node(5, key_of(5).address());
    chain.add_node(8, key_of(8).address());
    reopen();
  }
  void TearDown() override {
    service.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void reopen() {
    service.reset();
    store.reset();
    store = std::move(HyperNodeStore::open(dir / "hypernode.db").value());
    service =
        std::make_unique<ChallengeService>(chain, *store, kHyperNodeId, key_of(1), clock.fn());
    ASSERT_TRUE(service->refresh().ok());
  }
  Hash answer(uint64_t node) {
    protocol::Challenge c;
    c.era = service->status().era;
    c.scaler_node_id = node;
    c.hyper_node_id = kHyperNodeId;
    c.nonce[3] = uint8_t(node);
    c.daemon_time = uint64_t(clock() / 1000);
    auto outcome = service->answer(protocol::sign(service->domain(), c, key_of(uint8_t(node))));
    EXPECT_TRUE(std::holds_alternative<Answered>(outcome));
    return protocol::signing_digest(service->domain(), c);
  }
  EraBatcher batcher(std::vector<std::string> satellites) {
    return EraBatcher(*service, *store, key_of(1), "icn/0.1.0", std::move(satellites), clock.fn());
  }

  std::filesystem::path dir;
  FakeChain chain;
  FakeClock clock{kNowMs};
  std::unique_ptr<HyperNodeStore> store;
  std::unique_ptr<ChallengeService> service;
};

TEST_F(EraBatchesTest, AnEndedEraGetsOneSignedBatchOfItsChallengeHashes) {
  std::vector<Hash> hashes = {answer(5), answer(8)};
  std::sort(hashes.begin(), hashes.end());
  auto b = batcher({"http://127.0.0.1:1"});
  EXPECT_TRUE(b.spool_ended_eras()->empty());  // era 7 is still running

  chain.set_head(8 * 20);
  ASSERT_TRUE(service->refresh().ok());
  auto spooled = b.spool_ended_eras();
  ASSERT_TRUE(spooled.ok()) << spooled.error().message;
  EXPECT_EQ(*spooled, std::vector<uint64_t>{7});
  EXPECT_TRUE(b.spool_ended_eras()->empty());  // once

  auto body = store->batch_body(7);
  ASSERT_TRUE(body.ok() && body->has_value());
  auto batch = protocol::decode_hypernode_batch(**body);
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_EQ(batch->era, 7u);
  EXPECT_EQ(batch->hyper_node_id, kHyperNodeId);
  EXPECT_EQ(batch->version, "icn/0.1.0");
  EXPECT_EQ(batch->challenge_hashes, hashes);
  EXPECT_TRUE(protocol::verify_batch(service->domain(), *batch, key_of(1).address()).ok());
  EXPECT_EQ(protocol::encode(*batch), **body);  // canonical
}

TEST_F(EraBatchesTest, AnEraWithoutChallengesStillGetsAnEmptyBatch) {
  chain.set_head(8 * 20 + 5);
  ASSERT_TRUE(service->refresh().ok());
  auto spooled = batcher({}).spool_ended_eras();
  ASSERT_TRUE(spooled.ok());
  EXPECT_EQ(*spooled, std::vector<uint64_t>{7});
  auto batch = protocol::decode_hypernode_batch(**store->batch_body(7));
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(batch->challenge_hashes.empty());
}

TEST_F(EraBatchesTest, DeliveryRetriesWithBackoffUntilEverySatelliteAcknowledges) {
  FakeSatellite flaky({503, 200});  // fails first, then stores it
  FakeSatellite has_it({409});      // already has it: counts as stored
  std::vector<std::string> satellites = {flaky.url(), has_it.url() + "/"};
  answer(5);
  chain.set_head(8 * 20);
  ASSERT_TRUE(service->refresh().ok());
  ASSERT_TRUE(batcher(satellites).spool_ended_eras().ok());

  BatchSenderOptions options;
  options.satellites = satellites;
  options.first_retry = std::chrono::milliseconds(1000);
  {
    BatchSender sender(*store, options, clock.fn());
    auto round = sender.deliver_due();
    ASSERT_TRUE(round.ok()) << round.error().message;
    EXPECT_EQ(round->attempted, 2u);
    EXPECT_EQ(round->delivered, 1u);
    EXPECT_EQ(round->failed, 1u);
    ASSERT_EQ(round->errors.size(), 1u);
    EXPECT_NE(round->errors[0].find("HTTP 503"), std::string::npos) << round->errors[0];

    // Not due again before the backoff has passed.
    EXPECT_EQ(sender.deliver_due()->attempted, 0u);
    EXPECT_EQ(*store->undelivered_count(), 1);
  }

  // A restart in between: the spool is on disk.
  reopen();
  clock.advance_ms(1000);
  BatchSender sender(*store, options, clock.fn());
  auto round = sender.deliver_due();
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->attempted, 1u);
  EXPECT_EQ(round->delivered, 1u);
  EXPECT_EQ(*store->undelivered_count(), 0);
  clock.advance_ms(3'600'000);
  EXPECT_EQ(sender.deliver_due()->attempted, 0u);  // nothing owed any more

  ASSERT_EQ(flaky.bodies().size(), 2u);
  EXPECT_EQ(flaky.bodies()[0], flaky.bodies()[1]);  // the same canonical batch each time
  ASSERT_EQ(has_it.bodies().size(), 1u);
  EXPECT_EQ(has_it.bodies()[0], **store->batch_body(7));
}

TEST_F(EraBatchesTest, BackoffDoublesUpToTheCap) {
  BatchSenderOptions options;
  options.first_retry = std::chrono::milliseconds(1000);
  options.max_retry = std::chrono::milliseconds(5000);
  BatchSender sender(*store, options, clock.fn());
  EXPECT_EQ(sender.backoff(0).count(), 1000);
  EXPECT_EQ(sender.backoff(1).count(), 2000);
  EXPECT_EQ(sender.backoff(2).count(), 4000);
  EXPECT_EQ(sender.backoff(3).count(), 5000);
  EXPECT_EQ(sender.backoff(1000).count(), 5000);
}

TEST_F(EraBatchesTest, AnUnreachableSatelliteStaysOwed) {
  FakeSatellite up({200});
  std::string down = "http://127.0.0.1:1";  // nothing listens on port 1
  chain.set_head(8 * 20);
  ASSERT_TRUE(service->refresh().ok());
  ASSERT_TRUE(batcher({up.url(), down}).spool_ended_eras().ok());
  BatchSenderOptions options;
  options.satellites = {up.url(), down};
  options.connect_timeout = std::chrono::milliseconds(500);
  BatchSender sender(*store, options, clock.fn());
  auto round = sender.deliver_due();
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->delivered, 1u);
  EXPECT_EQ(round->failed, 1u);
  EXPECT_EQ(*store->undelivered_count(), 1);
}

TEST(BatchAcknowledged, TwoHundredsAndConflictOnly) {
  EXPECT_TRUE(batch_acknowledged(200));
  EXPECT_TRUE(batch_acknowledged(201));
  EXPECT_TRUE(batch_acknowledged(409));
  EXPECT_FALSE(batch_acknowledged(400));
  EXPECT_FALSE(batch_acknowledged(500));
  EXPECT_FALSE(batch_acknowledged(0));
}

}  // namespace
}  // namespace icn::hypernode

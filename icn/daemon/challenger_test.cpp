// Tests for the challenger and the era reporter against real local HTTP servers standing in for
// HyperNodes (honest, wrong signer, garbage, 500, refusing, down, slow): every outcome recorded
// with its reason, retries repeat the same challenge, the batch holds confirmed entries only and
// is built and spooled exactly once across restarts.
#include "icn/daemon/challenger.hpp"

#include <gtest/gtest.h>

#include <condition_variable>

#include "icn/core/protocol_json.hpp"
#include "icn/daemon/era_reporter.hpp"
#include "icn/daemon/test_support.hpp"
#include "icn/infra/metrics.hpp"

namespace icn::daemon {
namespace {

using namespace testing;

class ChallengerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_dir("challenger_test");
    open();
    options_.retries = 2;
    options_.first_retry = std::chrono::milliseconds(1);
    options_.timeout = std::chrono::milliseconds(3000);
    chain_.head = 205;  // era 10: blocks [200, 220)
  }
  void open() {
    store_.reset();
    db_.reset();
    auto db = infra::Database::open(dir_ / "daemon.db");
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::make_unique<infra::Database>(std::move(*db));
    ASSERT_TRUE(infra::migrate(*db_, daemon_migrations()).ok());
    store_ = std::make_unique<ChallengeStore>(*db_);
  }
  Challenger challenger() {
    return Challenger(chain_, *store_, U256(42), daemon_key_, options_, clock_, random_nonce,
                      &metrics_);
  }
  ChallengeRecord record(uint64_t hyper_node) {
    auto r = store_->find(10, U256(hyper_node));
    EXPECT_TRUE(r.ok() && r->has_value()) << "no record of HyperNode " << hyper_node;
    return r.ok() && r->has_value() ? **r : ChallengeRecord{};
  }
  double counter(uint64_t hyper_node, const std::string& result) {
    return metrics_.challenges.with({std::to_string(hyper_node), result}).value();
  }

  std::filesystem::path dir_;
  FakeChain chain_;
  std::unique_ptr<infra::Database> db_;
  std::unique_ptr<ChallengeStore> store_;
  PrivateKey daemon_key_ = key_of(1);
  ChallengerOptions options_;
  std::atomic<int64_t> now_ms_{1'700'000'000'000};
  UnixClock clock_ = [this] { return now_ms_.load(); };
  infra::MetricsRegistry registry_;
  DaemonMetrics metrics_{registry_};
  infra::StopFlag stop_;
  const chain::EraBounds era10_{10, 200, 220};
};

TEST_F(ChallengerTest, RecordsEveryOutcomeWithItsReason) {
  const Hash domain = chain_.domain();
  FakeHyperNode honest(domain, key_of(11));
  FakeHyperNode wrong_signer(domain, key_of(12));
  wrong_signer.set_behaviour(
      [&](const protocol::SignedChallenge& c, int) { return wrong_signer.answer(c, key_of(99)); });
  FakeHyperNode garbage(domain, key_of(13));
  garbage.set_behaviour([](const protocol::SignedChallenge&, int) {
    return infra::HttpResponse::text("surely not a response", "application/json");
  });
  FakeHyperNode broken(domain, key_of(14));
  broken.set_behaviour([](const protocol::SignedChallenge&, int) {
    return infra::error_response(500, "internal", "disk on fire");
  });
  FakeHyperNode refusing(domain, key_of(15));
  refusing.set_behaviour([](const protocol::SignedChallenge&, int) {
    return infra::error_response(422, "clock_skew", "challenge time is 40 s off");
  });
  FakeHyperNode other_hash(domain, key_of(16));
  other_hash.set_behaviour([&](const protocol::SignedChallenge& c, int) {
    return other_hash.answer(c, std::nullopt, Hash{1, 2, 3});
  });
  FakeHyperNode down(domain, key_of(17));
  FakeHyperNode inactive(domain, key_of(18));
  chain_.hyper_node_list = {hyper_node_info(7, down),         hyper_node_info(1, honest),
                            hyper_node_info(2, wrong_signer), hyper_node_info(3, garbage),
                            hyper_node_info(4, broken),       hyper_node_info(5, refusing),
                            hyper_node_info(6, other_hash),   hyper_node_info(8, inactive, false)};
  down.stop();

  Challenger c = challenger();
  auto summary = c.run_era(era10_, stop_);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->hyper_nodes, 7u);
  EXPECT_EQ(summary->ok, 1u);
  EXPECT_EQ(summary->failed, 6u);
  EXPECT_EQ(summary->pending, 0u);

  ChallengeRecord ok = record(1);
  EXPECT_EQ(ok.status, ChallengeStatus::kOk);
  EXPECT_EQ(ok.reason, "ok");
  EXPECT_EQ(ok.attempts, 1);
  ASSERT_TRUE(ok.response.has_value());
  ASSERT_TRUE(ok.rtt_ms.has_value());
  EXPECT_EQ(ok.response->response.challenge_hash, ok.challenge_hash);
  EXPECT_TRUE(protocol::verify(domain, ok.challenge, daemon_key_.address()).ok());
  EXPECT_EQ(ok.challenge.challenge.era, 10u);
  EXPECT_EQ(ok.challenge.challenge.scaler_node_id, U256(42));
  EXPECT_EQ(ok.challenge.challenge.daemon_time, 1'700'000'000u);
  EXPECT_EQ(honest.bodies(), std::vector<std::string>{protocol::encode(ok.challenge)});

  EXPECT_EQ(record(2).reason, "bad_signature");
  EXPECT_NE(record(2).error.find("signature is by"), std::string::npos) << record(2).error;
  EXPECT_EQ(record(3).reason, "malformed_response");
  EXPECT_EQ(record(4).reason, "server_error");
  EXPECT_EQ(record(4).attempts, 3);  // the first and two retries
  EXPECT_NE(record(4).error.find("HTTP 500 internal: disk on fire"), std::string::npos)
      << record(4).error;
  EXPECT_EQ(record(5).reason, "refused");
  EXPECT_EQ(record(5).attempts, 1);  // a refusal is an answer: not retried
  EXPECT_NE(record(5).error.find("HTTP 422 clock_skew"), std::string::npos) << record(5).error;
  EXPECT_EQ(record(6).reason, "wrong_challenge_hash");
  EXPECT_EQ(record(7).reason, "unreachable");
  EXPECT_EQ(record(7).attempts, 3);
  for (uint64_t id : {2, 3, 4, 5, 6, 7}) {
    EXPECT_EQ(record(id).status, ChallengeStatus::kFailed) << id;
    EXPECT_FALSE(record(id).response.has_value()) << id;
  }
  EXPECT_FALSE(store_->find(10, U256(8))->has_value());  // inactive: not challenged
  EXPECT_TRUE(inactive.bodies().empty());
  // The same challenge on every retry.
  auto retried = broken.bodies();
  ASSERT_EQ(retried.size(), 3u);
  EXPECT_EQ(retried[0], retried[2]);
  EXPECT_TRUE(store_->era(10)->value().challenged);

  EXPECT_EQ(counter(1, "sent"), 1);
  EXPECT_EQ(counter(1, "ok"), 1);
  EXPECT_EQ(counter(4, "sent"), 3);
  EXPECT_EQ(counter(4, "failed"), 1);
  EXPECT_EQ(metrics_.rtt_seconds.snapshot().count, 1u);

  // Running the era again sends nothing: every HyperNode has its outcome.
  auto again = challenger().run_era(era10_, stop_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ok, 1u);
  EXPECT_EQ(honest.bodies().size(), 1u);
}

TEST_F(ChallengerTest, ARetryAfterATimeoutRepeatsTheSameNonce) {
  options_.timeout = std::chrono::milliseconds(200);
  FakeHyperNode slow(chain_.domain(), key_of(11));
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
  slow.set_behaviour([&](const protocol::SignedChallenge& c, int call) {
    if (call == 0) {  // holds the first answer past the daemon's timeout
      std::unique_lock lock(mu);
      cv.wait_for(lock, std::chrono::seconds(10), [&] { return released; });
    }
    return slow.answer(c);
  });
  chain_.hyper_node_list = {hyper_node_info(1, slow)};
  auto summary = challenger().run_era(era10_, stop_);
  {
    std::lock_guard lock(mu);
    released = true;
  }
  cv.notify_all();
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->ok, 1u);
  ChallengeRecord r = record(1);
  EXPECT_EQ(r.status, ChallengeStatus::kOk);
  EXPECT_EQ(r.attempts, 2);
  auto bodies = slow.bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0], bodies[1]);  // same nonce, same time, same signature
}

TEST_F(ChallengerTest, APendingChallengeResumesWithItsNonceAfterARestart) {
  FakeHyperNode node(chain_.domain(), key_of(11));
  node.set_behaviour([](const protocol::SignedChallenge&, int) {
    return infra::error_response(503, "chain_unavailable", "no chain");
  });
  chain_.hyper_node_list = {hyper_node_info(1, node)};
  stop_.request("test");  // returns after the first round
  auto first = challenger().run_era(era10_, stop_);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->pending, 1u);
  EXPECT_FALSE(store_->era(10)->value().challenged);

  open();  // restart
  node.set_behaviour(nullptr);
  infra::StopFlag running;
  auto second = challenger().run_era(era10_, running);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->ok, 1u);
  auto bodies = node.bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0], bodies[1]);
  EXPECT_EQ(record(1).attempts, 2);
}

TEST_F(ChallengerTest, RetriesStopWhenTheEraEnds) {
  FakeHyperNode node(chain_.domain(), key_of(11));
  node.set_behaviour([&](const protocol::SignedChallenge&, int) {
    chain_.head = 220;  // the era ends while the HyperNode fails
    return infra::error_response(500, "internal", "x");
  });
  chain_.hyper_node_list = {hyper_node_info(1, node)};
  auto summary = challenger().run_era(era10_, stop_);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(record(1).reason, "era_ended");
  EXPECT_EQ(record(1).attempts, 1);
  EXPECT_EQ(node.bodies().size(), 1u);
}

TEST_F(ChallengerTest, EachChallengeCarriesTheTimeItIsFirstSent) {
  const Hash domain = chain_.domain();
  FakeHyperNode slow(domain, key_of(11)), next(domain, key_of(12));
  slow.set_behaviour([&](const protocol::SignedChallenge& c, int) {
    now_ms_ += 40'000;  // answering took 40 s of daemon time
    return slow.answer(c);
  });
  chain_.hyper_node_list = {hyper_node_info(1, slow), hyper_node_info(2, next)};
  auto summary = challenger().run_era(era10_, stop_);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->ok, 2u);
  EXPECT_EQ(record(1).challenge.challenge.daemon_time, 1'700'000'000u);
  // Not the round's start: 40 s later the HyperNode's 30 s skew limit would refuse it.
  EXPECT_EQ(record(2).challenge.challenge.daemon_time, 1'700'000'040u);
}

class EraReporterTest : public ChallengerTest {
 protected:
  report::Outbox outbox() { return report::Outbox(*db_, {}, clock_); }
  EraReporter reporter(report::Outbox& box) {
    return EraReporter(*store_, box, chain_.domain(), U256(42), daemon_key_,
                       {"icn/0.1.0", {"http://sat-a:1", "http://sat-b:2"}}, clock_, &metrics_);
  }
};

TEST_F(EraReporterTest, BatchHoldsConfirmedEntriesOnlyAndVerifies) {
  const Hash domain = chain_.domain();
  FakeHyperNode a(domain, key_of(11)), b(domain, key_of(12)), bad(domain, key_of(13));
  bad.set_behaviour(
      [&](const protocol::SignedChallenge& c, int) { return bad.answer(c, key_of(9)); });
  // Registered out of order: the batch is ascending by HyperNode id anyway.
  chain_.hyper_node_list = {hyper_node_info(30, a), hyper_node_info(5, b),
                            hyper_node_info(17, bad)};
  ASSERT_TRUE(challenger().run_era(era10_, stop_).ok());

  report::Outbox box = outbox();
  EraReporter r = reporter(box);
  EXPECT_TRUE(r.report_ended_eras(10)->empty());  // era 10 is still current
  auto reported = r.report_ended_eras(11);
  ASSERT_TRUE(reported.ok()) << reported.error().message;
  EXPECT_EQ(*reported, std::vector<uint64_t>{10});

  auto pending = box.pending();
  ASSERT_EQ(pending->size(), 2u);  // one per satellite
  EXPECT_EQ((*pending)[0].kind, kDaemonBatchKind);
  EXPECT_EQ((*pending)[0].body, (*pending)[1].body);
  auto batch = protocol::decode_daemon_batch((*pending)[0].body);
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_TRUE(protocol::verify_batch(domain, *batch, daemon_key_.address()).ok());
  EXPECT_EQ(batch->era, 10u);
  EXPECT_EQ(batch->scaler_node_id, U256(42));
  EXPECT_EQ(batch->version, "icn/0.1.0");
  ASSERT_EQ(batch->entries.size(), 2u);
  EXPECT_EQ(batch->entries[0].hyper_node_id, U256(5));
  EXPECT_EQ(batch->entries[1].hyper_node_id, U256(30));
  // Each entry is a complete report: both signatures check against the right keys.
  for (const auto& [entry, signer] :
       {std::pair{batch->entries[0], b.signer()}, std::pair{batch->entries[1], a.signer()}}) {
    protocol::SignedChallengeResponse response{protocol::response_of(domain, entry, 10, U256(42)),
                                               entry.hyper_node_signature};
    EXPECT_TRUE(protocol::verify(domain, response, signer).ok());
    protocol::SignedChallenge challenge{protocol::challenge_of(entry, 10, U256(42)),
                                        entry.daemon_signature};
    EXPECT_TRUE(protocol::verify(domain, challenge, daemon_key_.address()).ok());
    EXPECT_EQ(protocol::challenge_hash(domain, entry, 10, U256(42)),
              record(entry.hyper_node_id == U256(5) ? 5 : 30).challenge_hash);
  }
  EXPECT_EQ(store_->era(10)->value().entries, 2);
  EXPECT_EQ(metrics_.batches_enqueued.value(), 1);
}

TEST_F(EraReporterTest, AnEraIsReportedExactlyOnceAcrossRestarts) {
  FakeHyperNode a(chain_.domain(), key_of(11));
  FakeHyperNode failing(chain_.domain(), key_of(12));
  failing.set_behaviour([](const protocol::SignedChallenge&, int) {
    return infra::error_response(503, "storage_failed", "x");
  });
  chain_.hyper_node_list = {hyper_node_info(1, a), hyper_node_info(2, failing)};
  stop_.request("test");  // leaves HyperNode 2 pending when the era ends
  ASSERT_TRUE(challenger().run_era(era10_, stop_).ok());
  {
    report::Outbox box = outbox();
    ASSERT_EQ(reporter(box).report_ended_eras(12)->size(), 1u);
  }
  EXPECT_EQ(record(2).status, ChallengeStatus::kFailed);
  EXPECT_EQ(record(2).reason, "era_ended");
  open();  // restart
  report::Outbox box = outbox();
  EXPECT_TRUE(reporter(box).report_ended_eras(13)->empty());
  EXPECT_EQ(box.pending_count().value(), 2);
  auto batch = protocol::decode_daemon_batch(box.pending()->front().body);
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->entries.size(), 1u);
  EXPECT_EQ(batch->entries[0].hyper_node_id, U256(1));
}

TEST_F(EraReporterTest, AnEraWithoutConfirmedChallengesStillGetsAnEmptySignedBatch) {
  FakeHyperNode down(chain_.domain(), key_of(11));
  chain_.hyper_node_list = {hyper_node_info(1, down)};
  down.stop();
  ASSERT_TRUE(challenger().run_era(era10_, stop_).ok());
  report::Outbox box = outbox();
  ASSERT_EQ(reporter(box).report_ended_eras(11)->size(), 1u);
  auto batch = protocol::decode_daemon_batch(box.pending()->front().body);
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(batch->entries.empty());
  EXPECT_TRUE(protocol::verify_batch(chain_.domain(), *batch, daemon_key_.address()).ok());
}

}  // namespace
}  // namespace icn::daemon

// Tests for the outbox: retries with backoff against a real local server, acknowledgement rule,
// once-per-(kind, era) enqueue, and pending deliveries surviving a reopened database.
#include "icn/report/outbox.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "icn/infra/http_server.hpp"

namespace icn::report {
namespace {

// A satellite stand-in: answers the first `failures` POSTs with `fail_status`, then `ok_status`.
class FakeSatellite {
 public:
  FakeSatellite(int failures, int fail_status = 500, int ok_status = 200)
      : failures_(failures), fail_status_(fail_status), ok_status_(ok_status) {
    server_.post(std::string(kBatchesPath), [this](const infra::HttpRequest& request) {
      std::lock_guard lock(mu_);
      bodies_.emplace_back(request.body());
      if (static_cast<int>(bodies_.size()) <= failures_) {
        return infra::error_response(fail_status_, "unavailable", "try later");
      }
      return infra::HttpResponse::json_body({{"stored", true}}, ok_status_);
    });
    EXPECT_TRUE(server_.start().ok());
  }
  std::string url() const { return server_.url(); }
  std::vector<std::string> bodies() const {
    std::lock_guard lock(mu_);
    return bodies_;
  }

 private:
  int failures_, fail_status_, ok_status_;
  mutable std::mutex mu_;
  std::vector<std::string> bodies_;
  infra::HttpServer server_;
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("outbox_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  infra::Database open_db() {
    auto db = infra::Database::open(dir_ / "state.db");
    EXPECT_TRUE(db.ok()) << db.error().message;
    // How a role includes the outbox: its schema as one of the role's own migrations.
    std::vector<infra::Migration> migrations = {{1, "CREATE TABLE role_things (x INTEGER)"},
                                                {2, std::string(kOutboxSchemaV1)}};
    Status s = infra::migrate(*db, migrations);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return std::move(*db);
  }

  UnixClock clock() {
    return [this] { return now_.load(); };
  }

  std::filesystem::path dir_;
  std::atomic<int64_t> now_{1'000'000};
  CurlHttpPoster poster_;
};

TEST_F(OutboxTest, RetriesAFailedDeliveryAfterBackoffUntilAccepted) {
  FakeSatellite satellite(2);
  infra::Database db = open_db();
  Outbox outbox(db, {}, clock());
  ASSERT_TRUE(outbox.enqueue("daemon_batch", 7, R"({"era":7})", {satellite.url()}).value());

  auto r1 = outbox.deliver_due(poster_);
  ASSERT_TRUE(r1.ok()) << r1.error().message;
  EXPECT_EQ(r1->attempted, 1u);
  EXPECT_EQ(r1->failed, 1u);
  ASSERT_EQ(r1->errors.size(), 1u);
  EXPECT_NE(r1->errors[0].find("/v1/batches daemon_batch era 7: HTTP 500"), std::string::npos)
      << r1->errors[0];

  // Not due before the first backoff (1 s) has passed.
  now_ += 999;
  EXPECT_EQ(outbox.deliver_due(poster_)->attempted, 0u);
  now_ += 1;
  EXPECT_EQ(outbox.deliver_due(poster_)->failed, 1u);
  // The second failure doubles the wait.
  now_ += 1999;
  EXPECT_EQ(outbox.deliver_due(poster_)->attempted, 0u);
  now_ += 1;
  auto r4 = outbox.deliver_due(poster_);
  EXPECT_EQ(r4->delivered, 1u);
  EXPECT_EQ(outbox.pending_count().value(), 0);
  EXPECT_EQ(satellite.bodies(), std::vector<std::string>(3, R"({"era":7})"));
  // Delivered: never sent again.
  now_ += 1'000'000;
  EXPECT_EQ(outbox.deliver_due(poster_)->attempted, 0u);
}

TEST_F(OutboxTest, BackoffDoublesFromOneSecondUpToOneMinute) {
  infra::Database db = open_db();
  Outbox outbox(db, {}, clock());
  EXPECT_EQ(outbox.backoff(1).count(), 1000);
  EXPECT_EQ(outbox.backoff(2).count(), 2000);
  EXPECT_EQ(outbox.backoff(6).count(), 32000);
  EXPECT_EQ(outbox.backoff(7).count(), 60000);
  EXPECT_EQ(outbox.backoff(1000).count(), 60000);
}

TEST_F(OutboxTest, ConflictCountsAsDelivered) {
  FakeSatellite satellite(0, 500, 409);
  infra::Database db = open_db();
  Outbox outbox(db, {}, clock());
  ASSERT_TRUE(outbox.enqueue("daemon_batch", 3, "{}", {satellite.url()}).ok());
  auto r = outbox.deliver_due(poster_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->delivered, 1u);
  EXPECT_EQ(outbox.pending_count().value(), 0);
}

TEST_F(OutboxTest, APermanentRefusalClosesTheDeliveryAndATransientOneIsRetried) {
  FakeSatellite refusing(1'000, 403);
  FakeSatellite throttling(1, 429);
  infra::Database db = open_db();
  Outbox outbox(db, {}, clock());
  ASSERT_TRUE(outbox.enqueue("daemon_batch", 4, "{}", {refusing.url(), throttling.url()}).ok());
  auto r = outbox.deliver_due(poster_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->refused, 1u);
  EXPECT_EQ(r->failed, 1u);
  ASSERT_EQ(r->refusals.size(), 1u);
  EXPECT_NE(r->refusals[0].find("HTTP 403"), std::string::npos) << r->refusals[0];
  EXPECT_NE(r->refusals[0].find("not sent again"), std::string::npos) << r->refusals[0];
  EXPECT_EQ(outbox.pending_count().value(), 1) << "only the throttled copy is still pending";
  now_ += 1'000'000;
  auto later = outbox.deliver_due(poster_);
  EXPECT_EQ(later->attempted, 1u);
  EXPECT_EQ(later->delivered, 1u);
  EXPECT_EQ(refusing.bodies().size(), 1u) << "a refused copy is never sent again";
  EXPECT_EQ(outbox.pending_count().value(), 0);
  EXPECT_FALSE(refused_for_good(409));
  EXPECT_FALSE(refused_for_good(503));
  EXPECT_TRUE(refused_for_good(400));
}

TEST_F(OutboxTest, PendingDeliveriesSurviveReopeningTheDatabase) {
  FakeSatellite up(0);
  std::string down_url;
  {
    FakeSatellite gone(0);
    down_url = gone.url();
  }  // stopped: its port refuses connections now
  {
    infra::Database db = open_db();
    Outbox outbox(db, {}, clock());
    ASSERT_TRUE(outbox.enqueue("daemon_batch", 9, "{\"a\":1}", {down_url, up.url()}).value());
    auto r = outbox.deliver_due(poster_);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->delivered, 1u);
    EXPECT_EQ(r->failed, 1u);
  }
  infra::Database db = open_db();
  Outbox outbox(db, {}, clock());
  auto pending = outbox.pending();
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].destination, down_url);
  EXPECT_EQ((*pending)[0].era, 9u);
  EXPECT_EQ((*pending)[0].attempts, 1);
  EXPECT_EQ((*pending)[0].body, "{\"a\":1}");
  EXPECT_EQ((*pending)[0].last_error, "connection refused");
  EXPECT_EQ((*pending)[0].next_attempt_ms, now_.load() + 1000);
  // Enqueueing the era again after the restart adds nothing.
  EXPECT_FALSE(outbox.enqueue("daemon_batch", 9, "{\"a\":2}", {up.url()}).value());
  EXPECT_EQ(outbox.pending_count().value(), 1);
  EXPECT_TRUE(outbox.contains("daemon_batch", 9).value());
  EXPECT_FALSE(outbox.contains("daemon_batch", 10).value());
  EXPECT_EQ(up.bodies().size(), 1u);
}

// A frozen satellite (it takes the connection, then answers nothing) must not hold the other
// satellites' batches: they are sent while its exchange is still waiting.
TEST_F(OutboxTest, AHangingDestinationDoesNotHoldTheOthers) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  int hanging_posts = 0;
  infra::HttpServer frozen;
  frozen.post(std::string(kBatchesPath), [&](const infra::HttpRequest&) {
    std::unique_lock lock(mu);
    ++hanging_posts;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    return infra::error_response(503, "frozen", "was stopped");
  });
  ASSERT_TRUE(frozen.start().ok());
  FakeSatellite up(0);
  infra::Database db = open_db();
  Outbox outbox(db, {}, clock());
  // Two messages each, the frozen destination first in the outbox's order (by destination).
  std::vector<std::string> destinations = {frozen.url(), up.url()};
  std::sort(destinations.begin(), destinations.end());
  if (destinations.front() != frozen.url()) std::swap(destinations.front(), destinations.back());
  ASSERT_TRUE(outbox.enqueue("daemon_batch", 1, "{\"era\":1}", destinations).value());
  ASSERT_TRUE(outbox.enqueue("daemon_batch", 2, "{\"era\":2}", destinations).value());

  std::optional<Result<DeliveryRound>> round;
  std::thread deliver([&] { round.emplace(outbox.deliver_due(poster_)); });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (up.bodies().size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(up.bodies().size(), 2u) << "the live satellite waited for the frozen one";
  {
    // The frozen satellite's first request may reach it after the live one's: wait for it.
    std::unique_lock lock(mu);
    cv.wait_until(lock, deadline, [&] { return hanging_posts > 0; });
    EXPECT_EQ(hanging_posts, 1) << "the frozen satellite's first exchange is still open";
    release = true;
  }
  cv.notify_all();
  deliver.join();
  ASSERT_TRUE(round && round->ok()) << round->error().message;
  EXPECT_EQ((*round)->delivered, 2u);
  // The frozen destination answered 503 to the first message; that was an answer, so the
  // second was tried too and failed the same way.
  EXPECT_EQ((*round)->failed, 2u);
  EXPECT_EQ(outbox.pending_count().value(), 2);
}

TEST_F(OutboxTest, EnqueueJoinsTheCallersTransaction) {
  infra::Database db = open_db();
  Outbox outbox(db, {}, clock());
  {
    auto tx = db.begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(outbox.enqueue("daemon_batch", 1, "{}", {"http://127.0.0.1:1"}).value());
  }  // rolled back
  EXPECT_EQ(outbox.pending_count().value(), 0);
  EXPECT_FALSE(outbox.contains("daemon_batch", 1).value());
}

}  // namespace
}  // namespace icn::report

// The booking follower's state machine on a fake market log source and a real SQLite file:
// booked → provisioned → deprovisioned, renewals, Expired, restarts, retries with backoff,
// hostile access keys, other nodes' bookings, RPC errors, and the exec provisioner end to end.
#include "icn/daemon/bookings.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "icn/core/abi_codec.hpp"
#include "icn/daemon/challenge_store.hpp"
#include "icn/daemon/test_support.hpp"

namespace icn::daemon {
namespace {

namespace fs = std::filesystem;
using testing::test_dir;

const std::string kKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOuxbGzJJk/LPGUYWag1Qk4ylz+BOUKihznpzxa0vqzK b@x";
const Address kBuilder = *Address::parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
const Address kMarket = *Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");

int64_t g_now_ms = 1'000'000;
int64_t fake_now() {
  return g_now_ms;
}

Hash topic_of(const U256& v) {
  return u256_to_be(v);
}

// Encodes the non-indexed parameters of `signature` (the market's event text) into a log.
eth::Log make_log(const Hash& topic0, std::vector<Hash> indexed, const std::string& data_types,
                  std::vector<abi::Value> values, uint64_t block) {
  std::vector<abi::Type> types;
  size_t start = 0;
  while (start < data_types.size()) {
    size_t comma = data_types.find(',', start);
    if (comma == std::string::npos) comma = data_types.size();
    types.push_back(*abi::Type::parse(data_types.substr(start, comma - start)));
    start = comma + 1;
  }
  eth::Log log;
  log.address = kMarket;
  log.topics.push_back(topic0);
  for (const Hash& h : indexed) log.topics.push_back(h);
  auto data = abi::encode(types, values);
  EXPECT_TRUE(data.ok()) << data.error().message;
  log.data = *data;
  log.block_number = block;
  return log;
}

eth::Log booked(uint64_t id, uint64_t node, uint64_t activation, uint64_t eras, uint64_t block,
                const std::string& key = kKey) {
  Hash builder{};
  std::copy(kBuilder.bytes.begin(), kBuilder.bytes.end(), builder.begin() + 12);
  return make_log(booked_topic(), {topic_of(id), builder, topic_of(node)},
                  "uint32,uint256,uint256,uint64,uint256,uint256,uint256,bytes",
                  {U256(1), U256(1), U256(eras * 86400), U256(activation), U256(eras), U256(100),
                   U256(25), Bytes(key.begin(), key.end())},
                  block);
}
eth::Log renewed(uint64_t id, uint64_t extra_eras, uint64_t new_eras, uint64_t block) {
  return make_log(
      renewed_topic(), {topic_of(id)}, "uint256,uint256,uint256,uint256,uint256,uint256",
      {U256(extra_eras * 86400), U256(10), U256(2), U256(new_eras), U256(110), U256(1)}, block);
}
eth::Log expired(uint64_t id, uint64_t node, uint64_t era, uint64_t block) {
  return make_log(expired_topic(), {topic_of(id), topic_of(node)}, "uint64,uint256,uint256",
                  {U256(era), U256(era), U256(0)}, block);
}

// The chain as the follower sees it: logs by block, a head, an era; errors on demand.
class FakeMarket final : public MarketLogSource {
 public:
  std::vector<eth::Log> logs;
  uint64_t head = 10;
  uint64_t era = 0;
  int fail_polls = 0;
  uint64_t delivered_through = 0;  // resume point (0: from the start)

  Result<eth::PollReport> poll_once(const eth::LogSink& sink) override {
    if (fail_polls > 0) {
      --fail_polls;
      return fail("rpc: connection refused");
    }
    eth::PollReport r;
    r.head = head;
    if (delivered_through < head) {
      std::vector<eth::Log> range;
      for (const eth::Log& l : logs) {
        if (l.block_number > delivered_through && l.block_number <= head) range.push_back(l);
      }
      eth::Checkpoint through{head, u256_to_be(U256(head))};
      ICN_CHECK(sink.on_logs(range, through));
      r.scanned = true;
      r.logs_delivered = range.size();
      delivered_through = head;
    }
    r.caught_up = true;
    r.checkpoint = eth::Checkpoint{head, u256_to_be(U256(head))};
    return r;
  }
  Result<uint64_t> current_era() override { return era; }
};

// Records every call; fails the next `failures` calls of either kind.
class RecordingProvisioner final : public Provisioner {
 public:
  std::vector<std::string> calls;  // "provision 1", "deprovision 1"
  int failures = 0;
  bool ssh_keys_only = false;

  std::string_view kind() const override { return "recording"; }
  Status validate(const BookingTerms& t) const override {
    if (!ssh_keys_only) return Provisioner::validate(t);
    ICN_TRY(std::string line, parse_ssh_public_key(t.access_key));
    (void)line;
    return {};
  }
  Result<std::string> provision(const BookingTerms& t) override {
    calls.push_back("provision " + to_decimal(t.booking_id));
    if (failures > 0) {
      --failures;
      return fail("hypervisor busy");
    }
    return "ssh://b" + to_decimal(t.booking_id) + "@node";
  }
  Status deprovision(const BookingTerms& t) override {
    calls.push_back("deprovision " + to_decimal(t.booking_id));
    if (failures > 0) {
      --failures;
      return fail("hypervisor busy");
    }
    return {};
  }
};

class BookingFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_dir("bookings");
    open();
    g_now_ms = 1'000'000;
  }
  void open() {
    follower_.reset();
    db_.reset();
    auto db = infra::Database::open(dir_ / "daemon.db");
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_.emplace(std::move(db).value());
    ASSERT_TRUE(infra::migrate(*db_, daemon_migrations()).ok());
    BookingFollowerOptions o;
    o.scaler_node_id = U256(1);
    o.retry_initial = std::chrono::milliseconds(1000);
    o.retry_max = std::chrono::milliseconds(3000);
    follower_.emplace(market_, *db_, provisioner_, o, &metrics_, fake_now);
  }
  void sync() {
    Status s = follower_->sync_once();
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  std::optional<BookingRecord> booking(uint64_t id) {
    for (const BookingRecord& r : follower_->status().bookings) {
      if (r.terms.booking_id == U256(id)) return r;
    }
    return std::nullopt;
  }
  BookingState state(uint64_t id) {
    auto r = booking(id);
    EXPECT_TRUE(r.has_value()) << "booking " << id;
    return r ? r->state : BookingState::kRejected;
  }
  double gauge(const std::string& state) { return metrics_.bookings.with({state}).value(); }

  fs::path dir_;
  FakeMarket market_;
  RecordingProvisioner provisioner_;
  infra::MetricsRegistry registry_;
  BookingMetrics metrics_{registry_};
  std::optional<infra::Database> db_;
  std::optional<BookingFollower> follower_;
};

TEST_F(BookingFollowerTest, ProvisionsAtActivationAndDeprovisionsAfterTheLastEra) {
  market_.era = 4;
  market_.logs = {booked(1, 1, 5, 3, 8)};
  sync();
  EXPECT_EQ(state(1), BookingState::kBooked);
  EXPECT_TRUE(provisioner_.calls.empty()) << "not before the activation era";
  EXPECT_EQ(booking(1)->terms.access_key, Bytes(kKey.begin(), kKey.end()));

  market_.era = 5;
  sync();
  EXPECT_EQ(state(1), BookingState::kProvisioned);
  EXPECT_EQ(booking(1)->endpoint, "ssh://b1@node");
  EXPECT_EQ(gauge("provisioned"), 1);
  market_.era = 7;  // the last era (5 + 3 − 1)
  sync();
  EXPECT_EQ(state(1), BookingState::kProvisioned);
  market_.era = 8;
  sync();
  EXPECT_EQ(state(1), BookingState::kDeprovisioned);
  EXPECT_EQ(provisioner_.calls, (std::vector<std::string>{"provision 1", "deprovision 1"}));
  EXPECT_EQ(gauge("provisioned"), 0);
  EXPECT_EQ(gauge("deprovisioned"), 1);
  sync();
  EXPECT_EQ(provisioner_.calls.size(), 2u) << "nothing more once over";
}

TEST_F(BookingFollowerTest, RenewalExtendsTheBooking) {
  market_.era = 5;
  market_.logs = {booked(1, 1, 5, 3, 8)};
  sync();
  EXPECT_EQ(state(1), BookingState::kProvisioned);
  market_.logs.push_back(renewed(1, 2, 5, 12));
  market_.head = 12;
  market_.era = 8;
  sync();
  EXPECT_EQ(booking(1)->terms.eras, 5u);
  EXPECT_EQ(booking(1)->terms.duration, 5u * 86400);
  EXPECT_EQ(state(1), BookingState::kProvisioned) << "renewed to era 9";
  market_.era = 10;
  sync();
  EXPECT_EQ(state(1), BookingState::kDeprovisioned);
}

TEST_F(BookingFollowerTest, ARenewalSeenAfterTheOldEndProvisionsAgain) {
  market_.era = 5;
  market_.logs = {booked(1, 1, 5, 3, 8)};
  sync();
  market_.era = 8;  // the head passed the old end before the Renewed log was confirmed
  sync();
  EXPECT_EQ(state(1), BookingState::kDeprovisioned);
  market_.logs.push_back(renewed(1, 2, 5, 12));
  market_.head = 12;
  sync();
  EXPECT_EQ(state(1), BookingState::kProvisioned);
  EXPECT_EQ(provisioner_.calls,
            (std::vector<std::string>{"provision 1", "deprovision 1", "provision 1"}));
}

TEST_F(BookingFollowerTest, ExpiredEventEndsTheBooking) {
  market_.era = 5;
  market_.logs = {booked(1, 1, 5, 100, 8)};
  sync();
  EXPECT_EQ(state(1), BookingState::kProvisioned);
  market_.logs.push_back(expired(1, 1, 6, 12));
  market_.head = 12;
  market_.era = 6;
  sync();
  EXPECT_EQ(state(1), BookingState::kDeprovisioned);
  EXPECT_EQ(booking(1)->expired_era, 6u);
}

TEST_F(BookingFollowerTest, OtherNodesBookingsAreIgnoredAndOldOnesNeverProvisioned) {
  market_.era = 50;
  market_.logs = {booked(1, 2, 5, 3, 3), expired(1, 2, 8, 4), booked(2, 1, 5, 3, 5),
                  booked(3, 1, 40, 30, 9)};
  sync();
  EXPECT_FALSE(booking(1).has_value()) << "node 2's";
  EXPECT_EQ(state(2), BookingState::kDeprovisioned) << "over long ago: never provisioned";
  EXPECT_EQ(state(3), BookingState::kProvisioned);
  EXPECT_EQ(provisioner_.calls, (std::vector<std::string>{"provision 3"}));
}

TEST_F(BookingFollowerTest, RestartNeitherReprovisionsNorForgetsADeprovision) {
  market_.era = 5;
  market_.logs = {booked(1, 1, 5, 3, 8), booked(2, 1, 5, 10, 9)};
  sync();
  EXPECT_EQ(state(1), BookingState::kProvisioned);
  EXPECT_EQ(state(2), BookingState::kProvisioned);
  // Booking 1 ends, its de-provisioning fails, and the daemon stops.
  market_.era = 8;
  provisioner_.failures = 1;
  sync();
  EXPECT_EQ(state(1), BookingState::kDeprovisioning);

  // A new process: the source resumes from the stored checkpoint (the fake delivers nothing
  // twice), the provisioner starts empty.
  auto cp = BookingStore(*db_).checkpoint();
  ASSERT_TRUE(cp.ok() && cp->has_value());
  EXPECT_EQ((*cp)->block_number, 10u);
  provisioner_.calls.clear();
  open();
  g_now_ms += 1000;
  sync();
  EXPECT_EQ(state(1), BookingState::kDeprovisioned);
  EXPECT_EQ(state(2), BookingState::kProvisioned);
  EXPECT_EQ(provisioner_.calls, (std::vector<std::string>{"deprovision 1"}));
}

TEST_F(BookingFollowerTest, FailedProvisioningIsRetriedWithBackoffAndReported) {
  market_.era = 5;
  market_.logs = {booked(1, 1, 5, 10, 8)};
  provisioner_.failures = 3;
  sync();
  auto r = booking(1);
  EXPECT_EQ(r->state, BookingState::kBooked);
  EXPECT_EQ(r->attempts, 1);
  EXPECT_EQ(r->last_error, "hypervisor busy");
  EXPECT_EQ(r->next_attempt_ms, g_now_ms + 1000);
  sync();
  EXPECT_EQ(provisioner_.calls.size(), 1u) << "not before the backoff";
  g_now_ms += 1000;
  sync();
  EXPECT_EQ(booking(1)->attempts, 2);
  EXPECT_EQ(booking(1)->next_attempt_ms, g_now_ms + 2000) << "doubled";
  g_now_ms += 2000;
  sync();
  EXPECT_EQ(booking(1)->next_attempt_ms, g_now_ms + 3000) << "capped at retry_max";
  g_now_ms += 3000;
  sync();
  EXPECT_EQ(state(1), BookingState::kProvisioned);
  EXPECT_EQ(booking(1)->attempts, 0);
  EXPECT_EQ(booking(1)->last_error, "");
  EXPECT_EQ(provisioner_.calls.size(), 4u);
  EXPECT_EQ(metrics_.provision_failures.with({"provision"}).value(), 3);

  auto response = handle_bookings(*follower_);
  EXPECT_EQ(response.status, 200);
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["provisioner"], "recording");
  EXPECT_EQ(body["era"], 5);
  EXPECT_EQ(body["bookings"][0]["bookingId"], "1");
  EXPECT_EQ(body["bookings"][0]["state"], "provisioned");
  EXPECT_EQ(body["bookings"][0]["endpoint"], "ssh://b1@node");
  EXPECT_EQ(body["bookings"][0]["lastEra"], 14);
}

TEST_F(BookingFollowerTest, HostileAccessKeyIsRejectedAndNeverProvisioned) {
  provisioner_.ssh_keys_only = true;
  market_.era = 5;
  market_.logs = {booked(1, 1, 5, 10, 8, kKey + "\nssh-ed25519 AAAA evil"),
                  booked(2, 1, 5, 10, 9, "command=\"sh\" " + kKey)};
  sync();
  EXPECT_EQ(state(1), BookingState::kRejected);
  EXPECT_NE(booking(1)->last_error.find("not printable ASCII"), std::string::npos);
  EXPECT_EQ(state(2), BookingState::kRejected);
  sync();
  market_.era = 20;
  sync();
  EXPECT_TRUE(provisioner_.calls.empty());
  EXPECT_EQ(gauge("rejected"), 2);
}

TEST_F(BookingFollowerTest, ChainErrorsChangeNothingAndAreRetried) {
  market_.era = 5;
  market_.logs = {booked(1, 1, 5, 10, 8)};
  market_.fail_polls = 1;
  Status s = follower_->sync_once();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("connection refused"), std::string::npos);
  EXPECT_FALSE(booking(1).has_value());
  sync();
  EXPECT_EQ(state(1), BookingState::kProvisioned);
}

TEST_F(BookingFollowerTest, ExecProvisionerGetsTheBookingOnStdin) {
  fs::path script = dir_ / "provision.sh";
  std::ofstream(script) << "#!/bin/sh\n"
                           "cat > \""
                        << (dir_ / "last.json").string()
                        << "\"\n"
                           "echo '{\"endpoint\":\"vm://10.0.0.7\"}'\n";
  fs::permissions(script, fs::perms::owner_all);
  ExecProvisioner exec({{script.string()}, std::chrono::seconds(10), dir_ / "work"});
  BookingFollowerOptions o;
  o.scaler_node_id = U256(1);
  BookingFollower f(market_, *db_, exec, o, nullptr, fake_now);
  market_.era = 5;
  market_.logs = {booked(9, 1, 5, 2, 8)};
  ASSERT_TRUE(f.sync_once().ok());
  auto sent = nlohmann::json::parse(std::ifstream(dir_ / "last.json"));
  EXPECT_EQ(sent["action"], "provision");
  EXPECT_EQ(sent["bookingId"], "9");
  EXPECT_EQ(sent["builder"], kBuilder.checksummed());
  EXPECT_EQ(sent["nodeId"], "1");
  EXPECT_EQ(sent["activationEra"], 5);
  EXPECT_EQ(sent["eras"], 2);
  EXPECT_EQ(sent["duration"], 2 * 86400);
  EXPECT_EQ(sent["accessKey"], kKey);
  EXPECT_EQ(f.status().bookings.at(0).endpoint, "vm://10.0.0.7");
  market_.era = 7;
  ASSERT_TRUE(f.sync_once().ok());
  auto last = nlohmann::json::parse(std::ifstream(dir_ / "last.json"));
  EXPECT_EQ(last["action"], "deprovision");
  EXPECT_EQ(f.status().bookings.at(0).state, BookingState::kDeprovisioned);
}

}  // namespace
}  // namespace icn::daemon

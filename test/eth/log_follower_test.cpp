// LogFollower against a scripted chain (exact reorgs, range limits, hostile answers) and against
// anvil (a reorg made with evm_snapshot/evm_revert).
#include "icn/eth/log_follower.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <mutex>

#include "icn/core/keccak.hpp"
#include "test/support/anvil_fixture.hpp"
#include "test/support/fake_chain.hpp"
#include "test/support/fake_rpc_server.hpp"

namespace icn::eth {
namespace {

using test::FakeReply;

using test::FakeChain;
const Address kContract = FakeChain::kContract;
const Hash kTopic = FakeChain::topic();

// A sink that applies deliveries and rollbacks to an in-memory store, as an indexer would.
struct Store {
  std::map<uint64_t, std::vector<uint64_t>> serials_by_block;
  std::optional<Checkpoint> checkpoint;
  std::vector<uint64_t> rollbacks;
  std::string fail_next;  // when set, the next on_logs fails with it

  LogSink sink() {
    return {[this](std::span<const Log> logs, const Checkpoint& through) -> Status {
              if (!fail_next.empty()) {
                std::string why = std::move(fail_next);
                fail_next.clear();
                return fail(why);
              }
              for (const Log& l : logs) {
                serials_by_block[l.block_number].push_back(uint64_t(u256_from_be(l.data)));
              }
              checkpoint = through;
              return {};
            },
            [this](const Checkpoint& ancestor) -> Status {
              rollbacks.push_back(ancestor.block_number);
              serials_by_block.erase(serials_by_block.upper_bound(ancestor.block_number),
                                     serials_by_block.end());
              checkpoint = ancestor;
              return {};
            }};
  }
  std::vector<uint64_t> all() const {
    std::vector<uint64_t> out;
    for (const auto& [block, serials] : serials_by_block)
      out.insert(out.end(), serials.begin(), serials.end());
    return out;
  }
};

// Polls until caught up (bounded, so a bug cannot loop forever).
std::vector<PollReport> drain(LogFollower& f, Store& store, size_t max_polls = 1000) {
  std::vector<PollReport> reports;
  for (size_t i = 0; i < max_polls; ++i) {
    auto r = f.poll_once(store.sink());
    EXPECT_TRUE(r.ok()) << r.error().message;
    if (!r) break;
    reports.push_back(*r);
    if (r->caught_up) break;
  }
  return reports;
}

LogFollowerOptions options_for_contract() {
  LogFollowerOptions o;
  o.addresses = {kContract};
  o.topics = {{kTopic}};
  return o;
}

class FakeChainTest : public ::testing::Test {
 protected:
  FakeChain chain;
  test::FakeRpcServer server{[this](const std::string& body, size_t) { return chain.serve(body); }};
  RpcClient rpc{server.url()};
};

TEST_F(FakeChainTest, DeliversEveryLogInPagesAndHalvesRefusedRanges) {
  chain.extend(100);
  chain.max_logs_range = 10;
  LogFollowerOptions o = options_for_contract();
  o.max_range = 64;
  LogFollower f(rpc, o);
  Store store;
  auto reports = drain(f, store);
  ASSERT_FALSE(reports.empty());
  EXPECT_TRUE(reports.back().caught_up);
  EXPECT_EQ(store.all(), chain.serials_after(0));
  EXPECT_EQ(store.all().size(), 100u);
  EXPECT_EQ(f.checkpoint()->block_number, 100u);
  EXPECT_EQ(f.checkpoint()->block_hash, chain.hash_at(100));
  EXPECT_EQ(store.checkpoint, f.checkpoint());
  size_t pages = 0;
  for (const auto& r : reports) {
    if (!r.scanned) continue;
    ++pages;
    EXPECT_LE(r.to_block - r.from_block + 1, 10u);
  }
  // 64 → 32 → 16 → 8 took three refusals; the range then probes upwards now and again (each
  // probe one refusal), so refusals stay a fraction of the pages.
  size_t refusals = chain.get_logs_calls - pages;
  EXPECT_GE(refusals, 3u);
  EXPECT_LE(refusals, 3 + pages / 4);
  EXPECT_LE(f.current_range(), 16u);
  // Caught up: another poll scans nothing.
  auto again = f.poll_once(store.sink());
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->scanned);
  EXPECT_TRUE(again->caught_up);
}

TEST_F(FakeChainTest, ReorgRollsBackToTheCommonAncestorAndRedelivers) {
  chain.extend(50);
  LogFollowerOptions o = options_for_contract();
  o.max_range = 8;
  LogFollower f(rpc, o);
  Store store;
  drain(f, store);
  ASSERT_EQ(store.all(), chain.serials_after(0));
  chain.reorg(45, 8);  // blocks 45..52 replaced/added; 44 is the common ancestor
  auto reports = drain(f, store);
  ASSERT_FALSE(reports.empty());
  ASSERT_TRUE(reports[0].rolled_back_to.has_value());
  EXPECT_EQ(reports[0].rolled_back_to->block_number, 44u);
  EXPECT_EQ(reports[0].rolled_back_to->block_hash, chain.hash_at(44));
  EXPECT_EQ(store.rollbacks, std::vector<uint64_t>{44});
  EXPECT_EQ(store.all(), chain.serials_after(0));
  EXPECT_EQ(f.checkpoint()->block_hash, chain.hash_at(52));
}

TEST_F(FakeChainTest, ShorterChainAfterReorgIsHandled) {
  chain.extend(20);
  LogFollower f(rpc, options_for_contract());
  Store store;
  drain(f, store);
  chain.reorg(15, 2);  // the new head (16) is below the old cursor (20)
  auto reports = drain(f, store);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports[0].rolled_back_to.value().block_number, 14u);
  EXPECT_EQ(store.all(), chain.serials_after(0));
}

TEST_F(FakeChainTest, ReorgDeeperThanTheWindowIsAnError) {
  chain.extend(10);
  LogFollowerOptions o = options_for_contract();
  o.max_range = 1;  // one block per poll: the window holds exactly the last 4 blocks
  o.reorg_window = 4;
  LogFollower f(rpc, o);
  Store store;
  drain(f, store);
  EXPECT_EQ(f.recent_blocks().size(), 4u);
  chain.reorg(3, 10);
  auto r = f.poll_once(store.sink());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "log follower: reorg deeper than the window: none of the 4 known blocks 7..10 is "
            "canonical any more; resume from an older checkpoint");
  EXPECT_TRUE(store.rollbacks.empty());
}

TEST_F(FakeChainTest, ChainMovingDuringAScanDeliversNothingThenRecovers) {
  chain.extend(10);
  LogFollower f(rpc, options_for_contract());
  Store store;
  drain(f, store);
  chain.extend(5);
  chain.on_get_logs = [this] {
    chain.on_get_logs = nullptr;  // once
    chain.reorg(12, 6);
  };
  auto moved = f.poll_once(store.sink());
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_TRUE(moved->chain_moved);
  EXPECT_FALSE(moved->scanned);
  EXPECT_EQ(f.checkpoint()->block_number, 10u);
  drain(f, store);
  EXPECT_EQ(store.all(), chain.serials_after(0));
  EXPECT_TRUE(store.rollbacks.empty());  // nothing above 10 had been delivered
}

TEST_F(FakeChainTest, SinkFailureLeavesTheFollowerWhereItWas) {
  chain.extend(5);
  LogFollower f(rpc, options_for_contract());
  Store store;
  store.fail_next = "disk full";
  auto r = f.poll_once(store.sink());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "log sink: disk full");
  EXPECT_FALSE(f.checkpoint().has_value());
  drain(f, store);
  EXPECT_EQ(store.all(), chain.serials_after(0));
}

TEST_F(FakeChainTest, ConfirmationsHoldBackTheNewestBlocks) {
  chain.extend(10);
  LogFollowerOptions o = options_for_contract();
  o.confirmations = 3;
  LogFollower f(rpc, o);
  Store store;
  drain(f, store);
  EXPECT_EQ(f.checkpoint()->block_number, 7u);
  EXPECT_EQ(store.all(), std::vector<uint64_t>({1, 2, 3, 4, 5, 6, 7}));
  chain.extend(2);
  drain(f, store);
  EXPECT_EQ(f.checkpoint()->block_number, 9u);
}

TEST_F(FakeChainTest, ResumesFromAPersistedCheckpoint) {
  chain.extend(10);
  Store store;
  std::string saved;
  {
    LogFollower f(rpc, options_for_contract());
    drain(f, store);
    saved = f.checkpoint()->to_json();
  }
  chain.extend(5);
  auto cp = Checkpoint::from_json(saved);
  ASSERT_TRUE(cp.ok()) << cp.error().message;
  LogFollower resumed(rpc, options_for_contract(), {*cp});
  drain(resumed, store);
  EXPECT_EQ(store.all(), chain.serials_after(0));  // 11..15 added once, nothing twice
}

TEST_F(FakeChainTest, StartBlockSkipsEarlierLogs) {
  chain.extend(10);
  LogFollowerOptions o = options_for_contract();
  o.start_block = 6;
  LogFollower f(rpc, o);
  Store store;
  drain(f, store);
  EXPECT_EQ(store.all(), chain.serials_after(5));
}

TEST_F(FakeChainTest, HostileLogsAreRejected) {
  chain.extend(5);
  struct Case {
    std::function<json(json)> tamper;
    std::string error;
  } cases[] = {
      {[](json logs) {
         logs[0]["blockNumber"] = "0x63";
         return logs;
       },
       "log follower: node returned a log of block 99 for range 0..5"},
      {[](json logs) {
         logs[0]["address"] = "0x0000000000000000000000000000000000000001";
         return logs;
       },
       "log follower: node returned a log outside the filter (block 1, index 0)"},
      {[](json logs) {
         logs.push_back(logs[0]);
         return logs;
       },
       "log follower: node returned log 0 of block 1 twice"},
  };
  for (const auto& c : cases) {
    chain.tamper_logs = c.tamper;
    LogFollower f(rpc, options_for_contract());
    Store store;
    auto r = f.poll_once(store.sink());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, c.error);
    EXPECT_TRUE(store.all().empty());
  }
  // A log whose block hash is not the canonical one at its height: the chain moved.
  chain.tamper_logs = [](json logs) {
    logs[0]["blockHash"] = to_hex(keccak256("elsewhere"));
    return logs;
  };
  LogFollower f(rpc, options_for_contract());
  Store store;
  auto r = f.poll_once(store.sink());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->chain_moved);
  EXPECT_TRUE(store.all().empty());
}

TEST(Checkpoint, JsonRoundTripAndRejections) {
  Checkpoint c{123, keccak256("x")};
  EXPECT_EQ(c.to_json(), R"({"block_hash":")" + to_hex(c.block_hash) + R"(","block_number":123})");
  EXPECT_EQ(Checkpoint::from_json(c.to_json()).value(), c);
  EXPECT_EQ(Checkpoint::from_json("nope").error().message, "checkpoint: not a JSON object");
  EXPECT_EQ(Checkpoint::from_json(R"({"block_number":-1,"block_hash":"0x00"})").error().message,
            "checkpoint: block_number missing or not a non-negative integer");
  EXPECT_EQ(Checkpoint::from_json(R"({"block_number":1,"block_hash":"0x00"})").error().message,
            "checkpoint: block_hash: expected 32 bytes, got 1");
  EXPECT_EQ(
      Checkpoint::from_json(R"({"block_number":1,"block_hash":"0x00","x":1})").error().message,
      "checkpoint: expected exactly block_number and block_hash");
}

// ---- Against anvil
// -------------------------------------------------------------------------------

Bytes selector(std::string_view signature) {
  Hash h = keccak256(signature);
  return Bytes(h.begin(), h.begin() + 4);
}

class LogFollowerAnvilTest : public test::AnvilTest {
 protected:
  Address deploy_emitter() {
    std::ifstream in(test::artifact_path("Emitter"));
    Bytes code = parse_hex(json::parse(in)["bytecode"].get<std::string>()).value();
    auto r = send_as(test::dev_address(0), std::nullopt, code);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r->contract_address.value();
  }
  void bump(const Address& emitter, uint64_t by, size_t account) {
    Bytes data = selector("bump(uint256)");
    Hash w = u256_to_be(U256(by));
    append(data, w);
    auto r = send_as(test::dev_address(account), emitter, data);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE(r->status);
  }
};

TEST_F(LogFollowerAnvilTest, FollowsBumpsAcrossAReorgMadeWithSnapshotAndRevert) {
  Address emitter = deploy_emitter();
  LogFollowerOptions o;
  o.addresses = {emitter};
  o.topics = {{keccak256("Bumped(address,uint256,bytes32,string)")}};
  o.max_range = 2;
  LogFollower f(rpc(), o);
  // The sink keeps each Bumped's newValue (topic 2) by block.
  std::map<uint64_t, std::vector<uint64_t>> values;
  std::vector<uint64_t> rollbacks;
  LogSink sink{[&](std::span<const Log> logs, const Checkpoint&) -> Status {
                 for (const Log& l : logs) {
                   values[l.block_number].push_back(uint64_t(u256_from_be(l.topics[2])));
                 }
                 return {};
               },
               [&](const Checkpoint& ancestor) -> Status {
                 rollbacks.push_back(ancestor.block_number);
                 values.erase(values.upper_bound(ancestor.block_number), values.end());
                 return {};
               }};
  auto follow = [&] {
    for (int i = 0; i < 100; ++i) {
      auto r = f.poll_once(sink);
      EXPECT_TRUE(r.ok()) << r.error().message;
      if (!r || r->caught_up) return;
    }
    ADD_FAILURE() << "follower did not catch up";
  };
  auto flat = [&] {
    std::vector<uint64_t> out;
    for (const auto& [b, v] : values) out.insert(out.end(), v.begin(), v.end());
    return out;
  };

  bump(emitter, 1, 0);  // value 1
  bump(emitter, 2, 1);  // value 3
  follow();
  EXPECT_EQ(flat(), std::vector<uint64_t>({1, 3}));
  const uint64_t fork_point = head();

  std::string snap = snapshot();
  bump(emitter, 10, 0);  // 13
  bump(emitter, 20, 0);  // 33
  bump(emitter, 30, 0);  // 63
  follow();
  EXPECT_EQ(flat(), std::vector<uint64_t>({1, 3, 13, 33, 63}));

  revert_to(snap);
  bump(emitter, 100, 2);  // 103, on the new branch
  bump(emitter, 200, 2);  // 303
  follow();
  ASSERT_EQ(rollbacks.size(), 1u);
  EXPECT_EQ(rollbacks[0], fork_point);
  EXPECT_EQ(flat(), std::vector<uint64_t>({1, 3, 103, 303}));

  // The sink now holds exactly what a fresh scan of the chain finds.
  LogFilter all;
  all.addresses = {emitter};
  all.from_block = BlockRef::number(0);
  all.to_block = BlockRef::latest();
  auto logs = get_logs(rpc(), all);
  ASSERT_TRUE(logs.ok()) << logs.error().message;
  ASSERT_EQ(logs->size(), 4u);
  EXPECT_EQ(f.checkpoint()->block_number, head());
  EXPECT_EQ(f.checkpoint()->block_hash, get_block(rpc(), BlockRef::latest()).value()->hash);
}

}  // namespace
}  // namespace icn::eth

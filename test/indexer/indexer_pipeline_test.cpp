// The indexer's pipelined sync (ranges fetched and decoded on one thread while the previous ones
// are stored on another) against a scripted chain: a reorg while ranges wait to be stored, a
// stop in the middle and the resume after it — the database must end as the canonical chain,
// every event once.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "icn/core/abi_events.hpp"
#include "icn/indexer/indexer.hpp"
#include "test/support/fake_chain.hpp"

namespace icn::indexer {
namespace {

using nlohmann::json;
using test::FakeChain;
using Clock = std::chrono::steady_clock;

// The fake chain's Ping(uint256 serial) as the one watched contract.
std::vector<WatchedContract> ping_contract() {
  json entry = {
      {"type", "event"},
      {"name", "Ping"},
      {"anonymous", false},
      {"inputs", json::array({{{"name", "serial"}, {"type", "uint256"}, {"indexed", false}}})}};
  auto binding = eth::Contract::from_abi(json::array({entry}));
  auto event = abi::EventAbi::from_json(entry);
  EXPECT_TRUE(binding.ok() && event.ok());
  Hash topic0 = event->topic0();
  EXPECT_EQ(topic0, FakeChain::topic());
  return {WatchedContract{"Ping",
                          FakeChain::kContract,
                          binding->at(FakeChain::kContract),
                          {{topic0, entry}},
                          {{topic0, *event}}}};
}

struct StoredPing {
  uint64_t block = 0;
  std::string block_hash;
  uint64_t serial = 0;
};

std::vector<StoredPing> stored_pings(IndexStore& store) {
  auto rows = store.read([](infra::SqlDatabase& db) -> Result<std::vector<StoredPing>> {
    ICN_TRY(infra::SqlStatement st,
            db.prepare("SELECT block_number, block_hash, event, args FROM events "
                       "ORDER BY block_number, log_index"));
    std::vector<StoredPing> out;
    while (true) {
      ICN_TRY(bool row, st.step());
      if (!row) break;
      if (st.column_text(2) != "Ping") return fail("not decoded: " + st.column_text(3));
      json args = json::parse(st.column_text(3));  // uint256: a decimal string
      out.push_back({uint64_t(st.column_int64(0)), st.column_text(1),
                     std::stoull(args["serial"].get<std::string>())});
    }
    return out;
  });
  EXPECT_TRUE(rows.ok()) << rows.error().message;
  return rows.ok() ? *rows : std::vector<StoredPing>{};
}

// The stored events are exactly the canonical chain's logs up to `through`, each once.
void expect_canonical_prefix(IndexStore& store, FakeChain& chain, uint64_t through) {
  std::vector<StoredPing> stored = stored_pings(store);
  std::vector<uint64_t> serials;
  for (const StoredPing& p : stored) {
    serials.push_back(p.serial);
    EXPECT_EQ(p.block_hash, to_hex(chain.hash_at(p.block))) << "block " << p.block;
  }
  std::vector<uint64_t> expected = chain.serials_after(0);
  expected.resize(std::min<size_t>(expected.size(), through));  // one log per block from 1
  EXPECT_EQ(serials, expected);
  auto cp = store.checkpoint();
  ASSERT_TRUE(cp.ok() && cp->has_value());
  EXPECT_EQ((*cp)->block_number, through);
  EXPECT_EQ((*cp)->block_hash, chain.hash_at(through));
}

// Waits for `done` with a deadline (no sleep-and-hope: the condition is what is waited for).
bool wait_until(const std::function<bool()>& done) {
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

class IndexerPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = IndexStore::open(":memory:");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store = std::move(opened).value();
  }

  std::unique_ptr<Indexer> make_indexer(size_t prefetch_ranges = 2) {
    IndexerOptions o;
    o.max_range = 5;
    o.prefetch_ranges = prefetch_ranges;
    auto created = Indexer::create(rpc, *store, ping_contract(), 0, o);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? std::move(created).value() : nullptr;
  }

  FakeChain chain;
  test::FakeRpcServer server{[this](const std::string& body, size_t) { return chain.serve(body); }};
  eth::RpcClient rpc{server.url()};
  std::unique_ptr<IndexStore> store;
};

TEST_F(IndexerPipelineTest, ReorgWhileRangesWaitToBeStoredIsRolledBack) {
  chain.extend(40);
  std::atomic<int> commits = 0;
  std::atomic<bool> reorged = false;
  // The first commit holds the storing thread until the fetcher has queued the next ranges, then
  // replaces blocks 7.. (inside the queued range 5..9) before any of them is stored.
  store->on_commit([&] {
    if (commits.fetch_add(1) != 0) return;
    EXPECT_TRUE(wait_until([&] { return chain.get_logs_calls_now() >= 3; }));
    chain.reorg(7, 40);
    reorged = true;
  });
  auto indexer = make_indexer();
  ASSERT_TRUE(indexer);
  Status synced = indexer->sync();
  ASSERT_TRUE(synced.ok()) << synced.error().message;
  ASSERT_TRUE(reorged);
  EXPECT_EQ(indexer->reorgs(), 1u);
  expect_canonical_prefix(*store, chain, chain.head());
  EXPECT_EQ(indexer->checkpoint()->block_hash, chain.hash_at(chain.head()));
}

TEST_F(IndexerPipelineTest, ReorgDuringAPrefetchDeliversNothingStaleAndRecovers) {
  chain.extend(40);
  // The third eth_getLogs (a range fetched while the first ones wait) sees the chain change
  // under it: that range must not be delivered, and what was queued before it is rolled back.
  chain.on_get_logs = [&] {  // runs on the server thread, outside the chain's lock
    if (chain.get_logs_calls == 3) chain.reorg(3, 45);
  };
  auto indexer = make_indexer();
  ASSERT_TRUE(indexer);
  Status synced = indexer->sync();
  ASSERT_TRUE(synced.ok()) << synced.error().message;
  EXPECT_EQ(indexer->reorgs(), 1u);
  expect_canonical_prefix(*store, chain, chain.head());
}

TEST_F(IndexerPipelineTest, WithoutPrefetchTheSameReorgEndsTheSame) {
  chain.extend(40);
  chain.on_get_logs = [&] {
    if (chain.get_logs_calls == 3) chain.reorg(3, 45);
  };
  auto indexer = make_indexer(0);
  ASSERT_TRUE(indexer);
  Status synced = indexer->sync();
  ASSERT_TRUE(synced.ok()) << synced.error().message;
  EXPECT_EQ(indexer->reorgs(), 1u);
  expect_canonical_prefix(*store, chain, chain.head());
}

TEST_F(IndexerPipelineTest, StopMidSyncThenResumeStoresEveryEventOnce) {
  chain.extend(40);
  infra::StopFlag stop;
  std::atomic<int> commits = 0;
  store->on_commit([&] {
    if (commits.fetch_add(1) == 1) stop.request("test");
  });
  {
    auto indexer = make_indexer();
    ASSERT_TRUE(indexer);
    Status synced = indexer->sync(&stop);
    ASSERT_TRUE(synced.ok()) << synced.error().message;
    // Stopped after the second range: ranges fetched beyond it are dropped, not stored.
    auto cp = store->checkpoint();
    ASSERT_TRUE(cp.ok() && cp->has_value());
    EXPECT_EQ((*cp)->block_number, 9u);
    expect_canonical_prefix(*store, chain, 9);
    // The same indexer continues from what is stored, not from what it had fetched.
    store->on_commit([] {});
    synced = indexer->sync();
    ASSERT_TRUE(synced.ok()) << synced.error().message;
    expect_canonical_prefix(*store, chain, 40);
  }
  // A new process resumes from the checkpoint.
  chain.extend(12);
  auto resumed = make_indexer();
  ASSERT_TRUE(resumed);
  Status synced = resumed->sync();
  ASSERT_TRUE(synced.ok()) << synced.error().message;
  expect_canonical_prefix(*store, chain, 52);
  EXPECT_EQ(resumed->reorgs(), 0u);
}

}  // namespace
}  // namespace icn::indexer

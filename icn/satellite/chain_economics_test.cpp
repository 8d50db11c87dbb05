// ChainEconomics and ChainMaintenance over the shared fake ChainView: the mapping from chain
// records to EraEconomics (booking covering the era or not, subsidy = per-unit rate × capacity,
// Link bundles' earning window), every validation failure, reads pinned to the era's last block,
// and maintenance declarations scanned once and filtered by era and block.
#include "icn/satellite/chain_economics.hpp"

#include <gtest/gtest.h>

#include "icn/satellite/test_support.hpp"

namespace icn::satellite {
namespace {

constexpr uint64_t kEra = 7;  // blocks 140 … 159 with the fake's 20-block eras
const U256 kWad = U256(protocol::kWadUnit);

chain::EraBounds bounds() {
  return chain::EraBounds{kEra, 140, 160};
}

protocol::EraVerdicts verdicts(std::vector<std::pair<U256, protocol::Verdict>> nodes) {
  protocol::EraVerdicts v;
  v.era = kEra;
  v.has_verdict = true;
  for (auto& [id, verdict] : nodes) {
    protocol::ScalerNodeVerdict n;
    n.id = id;
    n.verdict = verdict;
    v.scaler_nodes.push_back(n);
  }
  return v;
}

chain::NodeEconomicsInfo node(const U256& id) {
  chain::NodeEconomicsInfo n;
  n.node_id = id;
  n.capacity = 10;
  n.region_id = 1;
  n.class_id = 2;
  n.reward_multiplier_wad = kWad;
  n.collateral = 5000;
  n.slash_taken = 0;
  return n;
}

chain::BookingInfo booking(const U256& id, const U256& node_id, uint64_t activation,
                           uint64_t eras) {
  chain::BookingInfo b;
  b.id = id;
  b.node_id = node_id;
  b.activation_era = activation;
  b.eras = eras;
  b.price_per_era = 300;
  b.escrow = 300 * eras + 7;
  b.status = chain::BookingStatus::kActive;
  return b;
}

chain::LinkBundleInfo bundle(const U256& id, const U256& hn, uint32_t links, uint64_t staked_era) {
  chain::LinkBundleInfo b;
  b.id = id;
  b.hyper_node_id = hn;
  b.links = links;
  b.status = chain::BundleStatus::kStaked;
  b.staked_era = staked_era;
  return b;
}

class ChainEconomicsTest : public ::testing::Test {
 protected:
  testing::FakeChainView chain;
  ChainEconomics economics{chain};
  void SetUp() override {
    chain.node_econ[1] = node(1);
    chain.node_econ[2] = node(2);
    chain.node_econ[3] = node(3);
    chain.subsidy_per_unit[{1, 2}] = 4;
    chain.subsidy_per_unit[{3, 2}] = 9;
  }
  std::string error_of(const protocol::EraVerdicts& v) {
    auto r = economics.economics(bounds(), v);
    return r ? std::string("no error") : r.error().message;
  }
};

TEST_F(ChainEconomicsTest, MapsBookingsSubsidyCollateralAndBundles) {
  chain.node_econ[1].booking = booking(11, 1, kEra, 5);      // starts this era: covers it
  chain.node_econ[2].booking = booking(12, 2, kEra + 1, 5);  // starts next era: does not
  chain.node_econ[3].booking = booking(13, 3, 2, 5);         // last era 6: over
  chain.node_econ[3].booking->status = chain::BookingStatus::kExpired;
  chain.node_econ[2].region_id = 3;
  chain.node_econ[2].reward_multiplier_wad = kWad + kWad / 10;
  chain.node_econ[2].collateral = 77;
  chain.node_econ[2].slash_taken = 5;
  chain.bundles = {bundle(1, 9, 4, kEra), bundle(2, 9, 1, kEra + 1)};
  chain.bundles.push_back(bundle(3, 8, 2, 1));
  chain.bundles.back().status = chain::BundleStatus::kUnstaking;
  chain.bundles.back().unstake_era = kEra;  // unstaking this era: no longer counts
  chain.bundles.push_back(bundle(4, 8, 3, 1));
  chain.bundles.back().status = chain::BundleStatus::kUnstaking;
  chain.bundles.back().unstake_era = kEra + 1;  // still counts in E
  chain.curve = {U256(250), U256(kWad / 2)};

  auto r = economics.economics(bounds(),
                               verdicts({{1, protocol::Verdict::kUp},
                                         {2, protocol::Verdict::kDown},
                                         {3, protocol::Verdict::kMaintenance},
                                         {4, protocol::Verdict::kNone}}));  // not judged: not read
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->nodes.size(), 3u);
  EXPECT_EQ(r->nodes[0].node_id, 1);
  EXPECT_EQ(r->nodes[0].booking_id, 11);
  EXPECT_EQ(r->nodes[0].price_per_era, 300);
  EXPECT_EQ(r->nodes[0].subsidy_per_era, 40);  // 4 per unit × 10 units
  EXPECT_EQ(r->nodes[0].reward_multiplier_wad, kWad);
  EXPECT_EQ(r->nodes[0].collateral, 5000);
  EXPECT_EQ(r->nodes[1].booking_id, 0);
  EXPECT_EQ(r->nodes[1].price_per_era, 0);
  EXPECT_EQ(r->nodes[1].subsidy_per_era, 90);  // region 3's rate
  EXPECT_EQ(r->nodes[1].reward_multiplier_wad, kWad + kWad / 10);
  EXPECT_EQ(r->nodes[1].collateral, 77);
  EXPECT_EQ(r->nodes[1].slash_taken, 5);
  EXPECT_EQ(r->nodes[2].booking_id, 0);  // an ended booking does not cover the era
  ASSERT_EQ(r->bundles.size(), 2u);
  EXPECT_EQ(r->bundles[0].bundle_id, 1);
  EXPECT_EQ(r->bundles[0].hyper_node_id, 9);
  EXPECT_EQ(r->bundles[0].links, 4);
  EXPECT_EQ(r->bundles[0].reward_per_link_per_era, 250);
  EXPECT_EQ(r->bundles[0].min_performance_wad, kWad / 2);
  EXPECT_EQ(r->bundles[1].bundle_id, 4);
  // Every read at the era's last block; the curve at the era's start block's timestamp.
  ASSERT_FALSE(chain.economics_blocks.empty());
  for (uint64_t b : chain.economics_blocks) EXPECT_EQ(b, 159u);
  EXPECT_EQ(chain.timestamp_blocks, std::vector<uint64_t>{140});
}

TEST_F(ChainEconomicsTest, SettlesWithCoreRules) {
  chain.node_econ[1].booking = booking(11, 1, kEra, 5);
  chain.node_econ[1].reward_multiplier_wad = kWad + kWad / 5;
  auto v = verdicts({{1, protocol::Verdict::kUp}});
  protocol::HyperNodeReport hn;
  hn.id = 9;
  hn.in_a = true;
  hn.answered_up = 1;
  v.hyper_nodes.push_back(hn);
  v.up_count = 1;
  chain.bundles = {bundle(5, 9, 2, 0)};
  auto e = economics.economics(bounds(), v);
  ASSERT_TRUE(e) << e.error().message;
  protocol::EraState previous;
  previous.era = kEra - 1;
  auto settled = protocol::settle_era(previous, v, *e);
  ASSERT_TRUE(settled) << settled.error().message;
  const auto& s = settled->state.nodes.at(1);
  EXPECT_EQ(s.utilisation, 300);
  EXPECT_EQ(s.subsidy, 48);  // 40 × 1.2
  EXPECT_EQ(s.booking_id, 11);
  EXPECT_EQ(s.booking_up_eras, 1);
  EXPECT_EQ(settled->state.bundle_rewards.at(5), 2000);  // 1000 × 2 Links × p = 1
}

TEST_F(ChainEconomicsTest, NoVerdictReadsNothing) {
  auto v = verdicts({{1, protocol::Verdict::kNone}});
  v.has_verdict = false;
  auto r = economics.economics(bounds(), v);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->nodes.empty());
  EXPECT_TRUE(r->bundles.empty());
  EXPECT_TRUE(chain.economics_blocks.empty());
}

TEST_F(ChainEconomicsTest, RejectsWhatTheChainCannotHold) {
  const U256 huge = U256(1) << 128;
  struct Case {
    std::function<void(testing::FakeChainView&)> change;
    std::string reason;
  };
  std::vector<Case> cases = {
      {[](auto& c) { c.node_econ[1].booking = booking(11, 2, kEra, 5); }, "names node 2"},
      {[](auto& c) { c.node_econ[1].booking = booking(0, 1, kEra, 5); }, "has id 0"},
      {[](auto& c) {
         c.node_econ[1].booking = booking(11, 1, kEra, 5);
         c.node_econ[1].booking->status = chain::BookingStatus::kNone;
       },
       "does not exist"},
      {[](auto& c) {
         c.node_econ[1].booking = booking(11, 1, kEra, 5);
         c.node_econ[1].booking->status = chain::BookingStatus::kExpired;
       },
       "is not Active"},
      {[](auto& c) {
         c.node_econ[1].booking = booking(11, 1, kEra, 5);
         c.node_econ[1].booking->price_per_era = 10'000;
       },
       "above its escrow"},
      {[huge](auto& c) {
         c.node_econ[1].booking = booking(11, 1, kEra, 5);
         c.node_econ[1].booking->escrow = huge;
       },
       "escrow"},
      {[huge](auto& c) { c.node_econ[1].collateral = huge; }, "collateral"},
      {[huge](auto& c) { c.node_econ[1].slash_taken = huge; }, "slashTaken"},
      {[huge](auto& c) { c.node_econ[1].capacity = huge; }, "capacity"},
      {[](auto& c) {
         c.subsidy_per_unit[{1, 2}] = (U256(1) << 127);
       },
       "subsidy per era"},
      {[huge](auto& c) {
         c.subsidy_per_unit[{1, 2}] = huge;
       },
       "capacity subsidy per unit"},
      {[](auto& c) { c.node_econ[1].reward_multiplier_wad = kWad - 1; }, "reward multiplier"},
      {[](auto& c) { c.node_econ[1].reward_multiplier_wad = 2 * kWad + 1; }, "reward multiplier"},
      {[](auto& c) { c.node_econ[1].node_id = 2; }, "answered for node 2"},
      {[](auto& c) { c.bundles = {bundle(1, 9, 0, 0)}; }, "0 Links"},
      {[](auto& c) { c.bundles = {bundle(1, 9, 401, 0)}; }, "401 Links"},
      {[](auto& c) { c.bundles = {bundle(1, 0, 1, 0)}; }, "zero id or HyperNode"},
      {[huge](auto& c) {
         c.bundles = {bundle(1, 9, 1, 0)};
         c.curve.reward_per_link_per_era = huge;
       },
       "linkRewardPerEra"},
      {[](auto& c) {
         c.bundles = {bundle(1, 9, 1, 0)};
         c.curve.min_performance_wad = kWad + 1;
       },
       "linkMinPerformance"},
      {[](auto& c) { c.node_econ.erase(1); }, "no economics for node 1"},
  };
  for (const auto& c : cases) {
    testing::FakeChainView fresh;
    fresh.node_econ[1] = node(1);
    fresh.subsidy_per_unit[{1, 2}] = 4;
    c.change(fresh);
    ChainEconomics e(fresh);
    auto r = e.economics(bounds(), verdicts({{1, protocol::Verdict::kUp}}));
    ASSERT_FALSE(r) << c.reason;
    EXPECT_NE(r.error().message.find(c.reason), std::string::npos)
        << c.reason << " → " << r.error().message;
  }
}

TEST_F(ChainEconomicsTest, EmptyEraIsAnError) {
  ChainEconomics e(chain);
  auto r = e.economics(chain::EraBounds{kEra, 160, 160}, verdicts({{1, protocol::Verdict::kUp}}));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("has no blocks"), std::string::npos) << r.error().message;
}

chain::MaintenanceDeclaration declared(const U256& node, uint64_t start, uint64_t count,
                                       uint64_t block) {
  return chain::MaintenanceDeclaration{node, start, count, block};
}

TEST(ChainMaintenance, CoversDeclaredErasAndScansEachBlockOnce) {
  testing::FakeChainView chain;
  chain.declarations = {declared(2, kEra - 3, 4, 60),  // eras 4 … 7
                        declared(3, kEra - 3, 2, 61),  // eras 4, 5: over
                        declared(1, kEra, 1, 100), declared(4, kEra + 1, 4, 150),  // next eras
                        declared(5, kEra, 2, 170)};  // after the era's last block
  ChainMaintenance maintenance(chain, 10);
  auto r = maintenance.in_maintenance(bounds());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, (std::set<U256>{1, 2}));
  // The next era reads only blocks 160 … 179; an earlier era again reads nothing new and
  // ignores declarations made after its last block.
  auto next = maintenance.in_maintenance(chain::EraBounds{kEra + 1, 160, 180});
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(*next, (std::set<U256>{4, 5}));
  auto again = maintenance.in_maintenance(bounds());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, (std::set<U256>{1, 2}));
  using Range = std::pair<uint64_t, uint64_t>;
  EXPECT_EQ(chain.declaration_ranges, (std::vector<Range>{{10, 159}, {160, 179}}));
}

TEST(ChainMaintenance, RejectsMalformedDeclarations) {
  for (auto bad : {declared(0, kEra, 1, 100), declared(1, kEra, 0, 100)}) {
    testing::FakeChainView chain;
    chain.declarations = {bad};
    ChainMaintenance maintenance(chain, 0);
    auto r = maintenance.in_maintenance(bounds());
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("zero node id or era count"), std::string::npos)
        << r.error().message;
    // Nothing was cached: the same range is asked for again.
    chain.declarations.clear();
    auto retry = maintenance.in_maintenance(bounds());
    ASSERT_TRUE(retry) << retry.error().message;
    EXPECT_TRUE(retry->empty());
  }
}

TEST(ChainMaintenance, RejectsDeclarationsOutOfChainOrder) {
  testing::FakeChainView chain;
  chain.declarations = {declared(1, kEra, 1, 100), declared(2, kEra, 1, 90)};
  ChainMaintenance maintenance(chain, 0);
  auto r = maintenance.in_maintenance(bounds());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("out of order"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace icn::satellite

// Cumulative results: every settle_era rule (utilisation, subsidy, bookings, the DOWN window,
// slash size and cap, maintenance, no-verdict eras, Link rewards at the p boundaries) and the
// results tree against OpenZeppelin's merkle-tree (test/conformance/results_tree.js).
#include "icn/core/era_results.hpp"

#include <gtest/gtest.h>

namespace icn::protocol {
namespace {

constexpr uint64_t kWad = kWadUnit;

Hash h(std::string_view hex) {
  return *parse_fixed_hex<32>(hex);
}

struct HnPerf {
  U256 id;
  uint32_t answered_up;
  bool in_a = true;
};

// Verdicts for one era: nodes with their verdicts, HyperNodes with their UP-answer counts.
EraVerdicts verdicts(uint64_t era, std::vector<std::pair<uint64_t, Verdict>> nodes,
                     std::vector<HnPerf> hns = {}, bool has_verdict = true) {
  EraVerdicts v;
  v.era = era;
  v.has_verdict = has_verdict;
  for (auto [id, verdict] : nodes) {
    ScalerNodeVerdict s;
    s.id = id;
    s.verdict = has_verdict ? verdict : Verdict::kNone;
    v.scaler_nodes.push_back(s);
    if (verdict == Verdict::kUp) ++v.up_count;
  }
  for (const HnPerf& p : hns) {
    HyperNodeReport r;
    r.id = p.id;
    r.answered_up = p.answered_up;
    r.in_a = p.in_a;
    v.hyper_nodes.push_back(r);
  }
  return v;
}

NodeEconomics econ(uint64_t id, uint64_t booking, uint64_t price, uint64_t subsidy,
                   U256 multiplier = U256(kWad), U256 collateral = U256(1'000'000),
                   U256 slash_taken = 0) {
  return NodeEconomics{id, booking, price, subsidy, multiplier, collateral, slash_taken};
}

EraSettlement settle(const EraState& s, const EraVerdicts& v, const EraEconomics& e) {
  auto r = settle_era(s, v, e);
  EXPECT_TRUE(r) << r.error().message;
  return r ? *r : EraSettlement{};
}

TEST(EraResults, UpEraAddsPriceAndSubsidyTimesMultiplier) {
  EraState s;
  EraEconomics e{{econ(101, 5, 100, 50, U256(kWad) * 3 / 2)}, {}, {}};
  EraSettlement r = settle(s, verdicts(1, {{101, Verdict::kUp}}), e);
  const NodeState& n = r.state.nodes.at(101);
  EXPECT_EQ(n.utilisation, 100);
  EXPECT_EQ(n.subsidy, 75);
  EXPECT_EQ(n.booking_id, 5);
  EXPECT_EQ(n.booking_up_eras, 1);
  EXPECT_EQ(n.slashed, 0);
  EXPECT_EQ(r.state.era, 1u);

  // Subsidy × multiplier rounds down: 7 × 1.1 = 7.7 → 7.
  EraEconomics odd{{econ(101, 5, 100, 7, U256(1'100'000'000'000'000'000ULL))}, {}, {}};
  EraSettlement r2 = settle(r.state, verdicts(2, {{101, Verdict::kUp}}), odd);
  EXPECT_EQ(r2.state.nodes.at(101).subsidy, 82);
  EXPECT_EQ(r2.state.nodes.at(101).utilisation, 200);
  EXPECT_EQ(r2.state.nodes.at(101).booking_up_eras, 2);
  EXPECT_EQ(r2.nodes[0].subsidy_added, 7);
}

TEST(EraResults, DownEraEarnsNothing) {
  EraState s;
  EraSettlement r =
      settle(s, verdicts(1, {{101, Verdict::kDown}}), {{econ(101, 5, 100, 50)}, {}, {}});
  const NodeState& n = r.state.nodes.at(101);
  EXPECT_EQ(n.utilisation, 0);
  EXPECT_EQ(n.subsidy, 0);
  EXPECT_EQ(n.booking_id, 5);  // the booking is named even before its first UP era
  EXPECT_EQ(n.booking_up_eras, 0);
  EXPECT_EQ(n.down_history, 1u);
}

TEST(EraResults, Bookings) {
  EraState s;
  s.era = 9;
  s.nodes[101] = NodeState{500, 0, 0, 5, 3, 0};
  // A new booking restarts the count.
  EraSettlement r = settle(s, verdicts(10, {{101, Verdict::kUp}}), {{econ(101, 6, 40, 0)}, {}, {}});
  EXPECT_EQ(r.state.nodes.at(101).booking_id, 6);
  EXPECT_EQ(r.state.nodes.at(101).booking_up_eras, 1);
  EXPECT_EQ(r.state.nodes.at(101).utilisation, 540);
  // Unbooked: the last booking stays in the leaf, nothing released.
  EraSettlement r2 =
      settle(r.state, verdicts(11, {{101, Verdict::kUp}}), {{econ(101, 0, 0, 10)}, {}, {}});
  EXPECT_EQ(r2.state.nodes.at(101).booking_id, 6);
  EXPECT_EQ(r2.state.nodes.at(101).booking_up_eras, 1);
  EXPECT_EQ(r2.state.nodes.at(101).utilisation, 540);
  EXPECT_EQ(r2.state.nodes.at(101).subsidy, 10);

  auto price_without_booking =
      settle_era(r.state, verdicts(11, {{101, Verdict::kUp}}), {{econ(101, 0, 5, 0)}, {}, {}});
  ASSERT_FALSE(price_without_booking);
  EXPECT_EQ(price_without_booking.error().message,
            "scalerNode 101: pricePerEra 5 without a booking");
  auto backwards =
      settle_era(r.state, verdicts(11, {{101, Verdict::kUp}}), {{econ(101, 5, 5, 0)}, {}, {}});
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().message, "scalerNode 101: bookingId went back from 6 to 5");
}

// Runs a verdict sequence for node 101 (earning 100 + 50 per era) and returns each era's slash.
std::vector<U256> slashes(const std::vector<Verdict>& seq, EraState* final_state = nullptr,
                          U256 collateral = U256(1'000'000)) {
  EraState s;
  std::vector<U256> out;
  for (size_t i = 0; i < seq.size(); ++i) {
    EraEconomics e{{econ(101, 5, 100, 50, U256(kWad), collateral)}, {}, {}};
    EraSettlement r = settle(s, verdicts(i + 1, {{101, seq[i]}}), e);
    out.push_back(r.nodes.at(0).slash_added);
    s = r.state;
  }
  if (final_state) *final_state = s;
  return out;
}

TEST(EraResults, SlashOnlyForPersistentDowntime) {
  const Verdict U = Verdict::kUp, D = Verdict::kDown, M = Verdict::kMaintenance;
  // 3.5 × (100 + 50) = 525 once ≥ 3 of the last 6 judged eras were DOWN.
  std::vector<U256> got = slashes({D, D, D, U, U, U, D, D, U, U, U, U, D});
  std::vector<U256> want = {0, 0, 525, 0, 0, 0, 525, 525, 0, 0, 0, 0, 0};
  EXPECT_EQ(got, want);
  // Two DOWN eras in six are never slashed.
  got = slashes({D, U, D, U, U, U, U, D, D});
  EXPECT_EQ(got.back(), 0);
  EXPECT_EQ(got[7], 0);
  // Maintenance is never slashed and counts as not DOWN in the window.
  got = slashes({D, D, M, M, D, M});
  want = {0, 0, 0, 0, 525, 0};
  EXPECT_EQ(got, want);
  // DOWN eras that left the window do not count: D D at eras 1–2, then six UP, then D.
  got = slashes({D, D, U, U, U, U, U, D, D});
  EXPECT_EQ(got.back(), 0);
  EraState final_state;
  slashes({D, D, D, D}, &final_state);
  EXPECT_EQ(final_state.nodes.at(101).slashed, 1050);
  EXPECT_EQ(final_state.nodes.at(101).down_history, 0b1111u);
}

TEST(EraResults, SlashRoundsDownAndIsCappedByCollateral) {
  EraState s;
  s.era = 0;
  s.nodes[101].down_history = 0b11;
  // earned 3 → 3.5 × 3 = 10.5 → 10.
  EraSettlement r = settle(s, verdicts(1, {{101, Verdict::kDown}}), {{econ(101, 0, 0, 3)}, {}, {}});
  EXPECT_EQ(r.nodes[0].slash_due, 10);
  EXPECT_EQ(r.nodes[0].slash_added, 10);

  // Collateral 1,000 and nothing taken yet: cumulative slashed stops at 1,000.
  EraState capped;
  std::vector<U256> got =
      slashes({Verdict::kDown, Verdict::kDown, Verdict::kDown, Verdict::kDown, Verdict::kDown},
              &capped, 1000);
  std::vector<U256> want = {0, 0, 525, 475, 0};
  EXPECT_EQ(got, want);
  EXPECT_EQ(capped.nodes.at(101).slashed, 1000);

  // 400 was taken (collateral now 600): owed may grow to 600 again, so slashed to 1,000 + 525.
  EraEconomics taken{{econ(101, 5, 100, 50, U256(kWad), 600, 400)}, {}, {}};
  capped.nodes.at(101).slashed = 1000;
  EraSettlement more = settle(capped, verdicts(6, {{101, Verdict::kDown}}), taken);
  EXPECT_EQ(more.nodes[0].slash_due, 525);
  EXPECT_EQ(more.nodes[0].slash_added, 0);  // owed 600 = collateral 600 already
  EraEconomics taken_more{{econ(101, 5, 100, 50, U256(kWad), 600, 900)}, {}, {}};
  EraSettlement after = settle(capped, verdicts(6, {{101, Verdict::kDown}}), taken_more);
  EXPECT_EQ(after.nodes[0].slash_added, 500);  // owed 100 → room 500
  EXPECT_EQ(after.state.nodes.at(101).slashed, 1500);

  EraEconomics impossible{{econ(101, 5, 100, 50, U256(kWad), 600, 1001)}, {}, {}};
  EXPECT_FALSE(settle_era(capped, verdicts(6, {{101, Verdict::kDown}}), impossible));
}

TEST(EraResults, NoVerdictChangesNothing) {
  EraState s;
  s.era = 4;
  s.nodes[101] = NodeState{10, 20, 30, 5, 2, 0b101};
  s.bundle_rewards[1] = 77;
  EraVerdicts none = verdicts(5, {{101, Verdict::kDown}}, {{1, 0}}, false);
  // Economics that would change everything, were there a verdict.
  EraEconomics e{{econ(101, 6, 100, 50)}, {{1, 1, 10, 1000, U256(kWad / 2)}}, {}};
  EraSettlement r = settle(s, none, e);
  EraState want = s;
  want.era = 5;
  EXPECT_EQ(r.state, want);
  EXPECT_TRUE(r.nodes.empty());
}

TEST(EraResults, EraOrderAndMissingEconomics) {
  EraState s;
  s.era = 5;
  auto skipped = settle_era(s, verdicts(7, {}), {});
  ASSERT_FALSE(skipped);
  EXPECT_EQ(skipped.error().message, "settle era: state is at era 5, cannot apply era 7");
  auto missing = settle_era(s, verdicts(6, {{101, Verdict::kUp}}), {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "settle era: no economics for judged scalerNode 101");
  // Nodes the era did not judge keep their state.
  s.nodes[202] = NodeState{1, 2, 3, 4, 5, 0};
  EraSettlement r = settle(s, verdicts(6, {{101, Verdict::kUp}}), {{econ(101, 0, 0, 1)}, {}, {}});
  EXPECT_EQ(r.state.nodes.at(202), s.nodes.at(202));
}

// Link bundles: rewardPerLink × links × min(p, 1), nothing below the minimum performance.
TEST(EraResults, LinkRewards) {
  struct Case {
    uint32_t answered_up, up_count;
    bool in_a;
    uint64_t want;
  };
  // 10 Links at 1,000 per Link per era = 10,000 at p = 1.
  const Case cases[] = {
      {10, 10, true, 10'000}, {9, 10, true, 9'000}, {5, 10, true, 5'000},  // exactly 0.5 earns
      {4, 10, true, 0},       {2, 3, true, 6'666},                         // floor(10,000 × 2/3)
      {1, 3, true, 0},        {0, 0, true, 10'000},                        // no UP node: in A
      {0, 0, false, 0},
  };
  for (const Case& c : cases) {
    std::vector<std::pair<uint64_t, Verdict>> nodes;
    for (uint32_t i = 0; i < c.up_count; ++i) nodes.push_back({101 + i, Verdict::kUp});
    EraVerdicts v = verdicts(1, nodes, {{7, c.answered_up, c.in_a}});
    EraEconomics e;
    for (uint32_t i = 0; i < c.up_count; ++i) e.nodes.push_back(econ(101 + i, 0, 0, 0));
    e.bundles.push_back({42, 7, 10, 1000, U256(kWad / 2)});
    EraSettlement r = settle(EraState{}, v, e);
    EXPECT_EQ(r.state.bundle_rewards.at(42), c.want)
        << c.answered_up << "/" << c.up_count << (c.in_a ? " in A" : "");
  }
  // Cumulative across eras; a HyperNode that was not active earns its bundles nothing.
  EraState s;
  s.bundle_rewards[42] = 5;
  EraEconomics e{{}, {{42, 7, 10, 1000, U256(kWad / 2)}, {43, 8, 1, 1, U256(kWad / 2)}}, {}};
  EraSettlement r = settle(s, verdicts(1, {}, {{7, 0}}), e);
  EXPECT_EQ(r.state.bundle_rewards.at(42), 10'005);
  EXPECT_EQ(r.state.bundle_rewards.at(43), 0);
  EXPECT_EQ(r.bundles[1].reason, "hyperNode 8 was not active");
}

// The values of test/conformance/results_tree.js's reference run (OpenZeppelin merkle-tree 1.0.8):
// ICN_EVM_TOOLS=tools/evm/node_modules node test/conformance/results_tree.js IN.json with
// IN = {"nodes": [["101","1000","2000","0","5","3"], ["102","0","0","0","0","0"],
//   ["103","1000000000000000000000000","7","35","9","1"], ["4294967295","1","2","3","4","5"]],
//   "links": [["1","0"], ["2","123456789"], ["7","1000000000000000000000"]]}.
TEST(EraResults, ResultsTreeMatchesOpenZeppelin) {
  EraState s;
  s.nodes[101] = NodeState{1000, 2000, 0, 5, 3, 0};
  s.nodes[102] = NodeState{};
  s.nodes[103] = NodeState{U256("1000000000000000000000000"), 7, 35, 9, 1, 0b10};
  s.nodes[4294967295u] = NodeState{1, 2, 3, 4, 5, 0};
  s.bundle_rewards[1] = 0;
  s.bundle_rewards[2] = 123456789;
  s.bundle_rewards[7] = U256("1000000000000000000000");
  ResultsTree t = ResultsTree::build(s);

  EXPECT_EQ(t.root(), h("0x1aa1d6cce0b536163ed213a7cdd0e305c746e1e29f5cd60b4a75dcaffb44a173"));
  const char* leaves[] = {"0xc55f7234bd2264af8cd8bd4883fb336f58096b9ebb70720938376ab2b696b9e7",
                          "0xa04addab34a1c78b50642c515f3d79746079ef46dea0000578000fae048f87dc",
                          "0x96992db3076d19fd6afee08c7aa8138332c45a4e778402dbbbf954a7710e1bcf",
                          "0x029303b0c83a3fd5d1b29c7c7f4ff8377617ec373d8f7926732f8da9c72785fd",
                          "0x3805a8dfb9d4ca39d5cb3b0155f60c4cf37e2086da10a7ea772a1ef693506ad8",
                          "0xfe3abeef71de8eb0e7150efd0448325f5fd71c9cc637769504f1c24cf2ddb7c9",
                          "0x38a8b521d79d9d0b260a71c9f7f136d1b9eeee46daf5a7f680d84211957bf4b3"};
  ASSERT_EQ(t.node_leaves().size(), 4u);
  ASSERT_EQ(t.link_leaves().size(), 3u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(leaf_hash(t.node_leaves()[i]), h(leaves[i])) << i;
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(leaf_hash(t.link_leaves()[i]), h(leaves[4 + i])) << i;

  auto proof_101 = t.node_proof(101);
  ASSERT_TRUE(proof_101);
  std::vector<Hash> want_101 = {
      h("0xa04addab34a1c78b50642c515f3d79746079ef46dea0000578000fae048f87dc"),
      h("0x703baf8532c99f179812cedd77789280b2cffd9ce1fcfde3338317702fc8dc17"),
      h("0x4a6aacc913d2ef149ab108c44c9be7176b3ce7afd7a9d91f3a782c87207d14d3")};
  EXPECT_EQ(*proof_101, want_101);
  auto proof_max = t.node_proof(4294967295u);
  ASSERT_TRUE(proof_max);
  std::vector<Hash> want_max = {
      h("0x3805a8dfb9d4ca39d5cb3b0155f60c4cf37e2086da10a7ea772a1ef693506ad8"),
      h("0xfe3abeef71de8eb0e7150efd0448325f5fd71c9cc637769504f1c24cf2ddb7c9"),
      h("0x2e94e0e2839da9a805066f5019e983890d6ebe01ec47e40eb4da60cff9aeea4b")};
  EXPECT_EQ(*proof_max, want_max);
  auto proof_link2 = t.link_proof(2);
  ASSERT_TRUE(proof_link2);
  std::vector<Hash> want_link2 = {
      h("0x416bd4d1ae5ef210962c08e3901754bda1b8a15e103b34015ad66f181e817eba"),
      h("0x2e94e0e2839da9a805066f5019e983890d6ebe01ec47e40eb4da60cff9aeea4b")};
  EXPECT_EQ(*proof_link2, want_link2);
  auto proof_link7 = t.link_proof(7);
  ASSERT_TRUE(proof_link7);
  EXPECT_EQ(proof_link7->front(),
            h("0x96992db3076d19fd6afee08c7aa8138332c45a4e778402dbbbf954a7710e1bcf"));

  // Every proof verifies; an unknown id has none.
  for (const NodeLeaf& l : t.node_leaves()) {
    EXPECT_TRUE(abi::StandardMerkleTree::verify(t.root(), leaf_hash(l), *t.node_proof(l.node_id)));
  }
  for (const LinkLeaf& l : t.link_leaves()) {
    EXPECT_TRUE(
        abi::StandardMerkleTree::verify(t.root(), leaf_hash(l), *t.link_proof(l.bundle_id)));
  }
  EXPECT_EQ(t.node_proof(5).error().message, "results tree: no leaf for scalerNode 5");
  EXPECT_FALSE(t.link_proof(101));

  // One leaf: the root is the leaf (same script, nodes [["101","1000","2000","0","5","3"]]).
  EraState one;
  one.nodes[101] = NodeState{1000, 2000, 0, 5, 3, 0};
  ResultsTree t1 = ResultsTree::build(one);
  EXPECT_EQ(t1.root(), h("0xc55f7234bd2264af8cd8bd4883fb336f58096b9ebb70720938376ab2b696b9e7"));
  EXPECT_TRUE(t1.node_proof(101)->empty());
  EXPECT_EQ(ResultsTree::build(EraState{}).root(), Hash{});
}

// StandardMerkleTree.of([[0x11…], [0x22…], [0x33…]], ["bytes32"]).root from OpenZeppelin.
TEST(EraResults, DataRoot) {
  Hash a = h("0x1111111111111111111111111111111111111111111111111111111111111111");
  Hash b = h("0x2222222222222222222222222222222222222222222222222222222222222222");
  Hash c = h("0x3333333333333333333333333333333333333333333333333333333333333333");
  Hash want = h("0xa9b9d19e00269b8e357d6b17ae987e7f306e63b8e77615ce706ec522974d2fea");
  EXPECT_EQ(data_root(std::vector<Hash>{a, b, c}), want);
  EXPECT_EQ(data_root(std::vector<Hash>{c, a, b, a}), want);  // order and duplicates do not matter
  EXPECT_EQ(data_root({}), Hash{});
}

}  // namespace
}  // namespace icn::protocol

// verify-era's check and the claim output: an honest publication matches the committed roots; an
// altered batch, a tampered or missing leaf, or roots of another era are mismatches; ICNT amounts
// print in decimal ICNT.
#include "icn/claims/era_check.hpp"

#include <gtest/gtest.h>

#include "icn/claims/claimer.hpp"
#include "icn/core/keccak.hpp"

namespace icn::claims {
namespace {

using nlohmann::json;

PrivateKey test_key(uint8_t n) {
  FixedBytes<32> secret{};
  secret[31] = n;
  return *PrivateKey::from_bytes(secret);
}

struct Published {
  json batches, results;
  chain::CommittedEra committed;
};

// Two signed daemon batches (one an equivocation) and a state of two nodes and a bundle.
Published honest(uint64_t era) {
  Hash domain = protocol::domain_separator(
      31337, *Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
  json list = json::array();
  std::vector<Hash> hashes;
  for (int i = 0; i < 2; ++i) {
    protocol::DaemonBatch b{101, i == 0 ? "icn/test" : "icn/other", era, {}, {}};
    EXPECT_TRUE(protocol::sign_batch(domain, b, test_key(2)));
    Hash h = protocol::batch_hash(b);
    hashes.push_back(h);
    list.push_back(protocol::published_batch_json(h, protocol::OriginatorKind::kScalerNode, 101,
                                                  i == 1, protocol::encode(b)));
  }
  protocol::EraState state;
  state.era = era;
  state.nodes[101] = {1000, 50, 0, 1010, 1, 0};
  state.nodes[102] = {0, 0, 3675, 0, 0, 7};
  state.bundle_rewards[9] = 100;
  auto tree = protocol::ResultsTree::build(state);
  Hash data_root = protocol::data_root(hashes);
  auto published = protocol::publish_results(era, tree, data_root, test_key(1).address(),
                                             sign_hash(test_key(1), keccak256("x")));
  EXPECT_TRUE(published);
  return {json{{"era", era}, {"batches", list}}, protocol::to_json(*published),
          chain::CommittedEra{era, tree.root(), data_root}};
}

TEST(EraCheck, HonestEraMatches) {
  Published p = honest(5);
  auto c = check_era(p.committed, p.batches, p.results);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->matches()) << describe(*c);
  EXPECT_EQ(c->batches, 2u);
  EXPECT_EQ(c->evidence, 1u);
  EXPECT_EQ(c->node_leaves, 2u);
  EXPECT_EQ(c->link_leaves, 1u);
  std::string text = describe(*c);
  EXPECT_EQ(text.rfind("era 5: MATCH", 0), 0u) << text;
  EXPECT_NE(text.find("not recomputed"), std::string::npos);
}

TEST(EraCheck, AlteredBatchIsADataRootMismatch) {
  Published p = honest(5);
  p.batches["batches"][0]["batch"]["version"] = "icn/altered";
  auto c = check_era(p.committed, p.batches, p.results);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_FALSE(c->data_root_matches());
  EXPECT_TRUE(c->results_root_matches());
  EXPECT_FALSE(c->matches());
  EXPECT_EQ(c->batch_problems.size(), 1u);
  EXPECT_EQ(describe(*c).rfind("era 5: MISMATCH", 0), 0u);

  // The hash rewritten to match the altered content: still not the committed dataRoot.
  Published q = honest(5);
  q.batches["batches"][0]["batch"]["version"] = "icn/altered";
  auto decoded = protocol::decode_published_batches(q.batches, protocol::WireLimits{});
  ASSERT_TRUE(decoded);
  q.batches["batches"][0]["hash"] = to_hex(protocol::batch_hash(decoded->batches[0].batch));
  c = check_era(q.committed, q.batches, q.results);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->batch_problems.empty());
  EXPECT_FALSE(c->data_root_matches());

  // A batch dropped from the publication.
  Published r = honest(5);
  r.batches["batches"].erase(1);
  c = check_era(r.committed, r.batches, r.results);
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->data_root_matches());
}

TEST(EraCheck, TamperedOrMissingLeafIsAResultsMismatch) {
  Published p = honest(5);
  p.results["nodes"][0]["utilisation"] = "2000";
  auto c = check_era(p.committed, p.batches, p.results);
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->results_root_matches());
  ASSERT_EQ(c->leaf_problems.size(), 1u);
  EXPECT_NE(c->leaf_problems[0].find("node 101"), std::string::npos) << c->leaf_problems[0];

  Published q = honest(5);
  q.results["nodes"].erase(1);  // the slashed node's leaf withheld
  c = check_era(q.committed, q.batches, q.results);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->leaf_problems.empty());
  EXPECT_FALSE(c->results_root_matches());
}

TEST(EraCheck, OtherEraOrMalformedIsAnError) {
  Published p = honest(5);
  chain::CommittedEra other = p.committed;
  other.era = 6;
  EXPECT_FALSE(check_era(other, p.batches, p.results));
  p.results.erase("nodes");
  EXPECT_FALSE(check_era(p.committed, p.batches, p.results));
}

TEST(ClaimOutput, IcntInDecimal) {
  ClaimOutcome o;
  o.id = 3;
  o.status = ClaimStatus::kClaimed;
  o.era = 4;
  o.utilisation = U256("10000000000000000000");
  o.subsidy = U256("2500000000000000000");
  o.amount = o.utilisation + o.subsidy;
  EXPECT_EQ(describe(o).rfind("node 3: claimed 12.5 ICNT (utilisation 10, subsidy 2.5", 0), 0u)
      << describe(o);
}

}  // namespace
}  // namespace icn::claims

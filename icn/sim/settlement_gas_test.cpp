// measure_settlement_gas on a real anvil: commitEra flat in N, claims flat in eras covered, the
// per-node design's sampling arithmetic, and the sim's roots committed in order.
#include "icn/sim/settlement_gas.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "icn/core/keccak.hpp"

namespace icn::sim {
namespace {

namespace fs = std::filesystem;

class SettlementGasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("icn-settlement-gas-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    o_.anvil_binary = fs::path(ICN_EVM_TOOLS) / "@foundry-rs/anvil-linux-amd64/bin/anvil";
    o_.artifacts_dir = ICN_ARTIFACTS_DIR;
    o_.genesis_template = fs::path(ICN_SOURCE_DIR) / "deploy/genesis/devnet.toml";
    o_.work_dir = dir_ / "work";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // bench/contracts compiled by the pinned solc, as bench/settlement.js does.
  fs::path per_node_artifact() {
    std::string cmd = "node '" + std::string(ICN_SOURCE_DIR) + "/tools/evm/compile.js' --out '" +
                      (dir_ / "artifacts").string() + "' '" + std::string(ICN_SOURCE_DIR) +
                      "/bench/contracts' > /dev/null 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return dir_ / "artifacts" / "PerNodeSettlement.json";
  }

  fs::path dir_;
  SettlementGasOptions o_;
};

TEST_F(SettlementGasTest, CommitIsFlatInNodesAndClaimsAreFlatInErasCovered) {
  o_.sizes = {10, 1000};
  o_.claim_spans = {1, 6};
  o_.claim_span_tree_size = 64;
  o_.per_node_artifact = per_node_artifact();
  o_.per_node_sample = 4;  // N = 10 sampled: 4 sent per era, the mean × 10
  auto r = measure_settlement_gas(o_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->committee_size, 3u);
  EXPECT_EQ(r->threshold, 2u);
  ASSERT_EQ(r->sizes.size(), 2u);
  const SizeGas& small = r->sizes[0];
  const SizeGas& big = r->sizes[1];
  // commitEra: one transaction whatever N; only the roots' calldata bytes differ.
  EXPECT_GT(small.commit_gas, 21'000u);
  EXPECT_NEAR(double(big.commit_gas), double(small.commit_gas), 200.0);
  // A claim proves one leaf: ⌈log2 N⌉ hashes (the real node's leaf may sit one level higher).
  EXPECT_GE(small.proof_length, 3u);
  EXPECT_LE(small.proof_length, 4u);
  EXPECT_GE(big.proof_length, 9u);
  EXPECT_LE(big.proof_length, 10u);
  EXPECT_GT(big.claim_gas, small.claim_gas);
  EXPECT_GT(r->first_claim_gas, small.claim_gas);  // the settlement record is written once
  // Per-node: sampled for both sizes; first era writes fresh slots, later eras update them.
  EXPECT_EQ(small.per_node_sent, 4u);
  EXPECT_EQ(big.per_node_sent, 4u);
  EXPECT_GT(small.per_node_first_era_gas, small.per_node_era_gas);
  EXPECT_NEAR(double(small.per_node_era_gas), 10 * small.per_node_tx_gas, 1.0);
  EXPECT_NEAR(double(big.per_node_era_gas), 1000 * big.per_node_tx_gas, 1.0);
  EXPECT_GT(small.per_node_tx_gas, 21'000.0);
  // Claims covering 1 and 6 eras cost the same but for calldata bytes.
  ASSERT_EQ(r->claim_spans.size(), 2u);
  EXPECT_EQ(r->claim_spans[0].eras_covered, 1u);
  EXPECT_EQ(r->claim_spans[1].eras_covered, 6u);
  EXPECT_NEAR(double(r->claim_spans[1].claim_gas), double(r->claim_spans[0].claim_gas), 1000.0);
  const auto j = to_json(*r);
  EXPECT_EQ(j["sizes"][1]["nodes"], 1000);
  EXPECT_EQ(j["sizes"][0]["perNodeExtrapolated"], true);
}

TEST_F(SettlementGasTest, TheSimsRootsAreCommittedInOrder) {
  o_.roots = {{1, keccak256(std::string_view("r1")), keccak256(std::string_view("d1"))},
              {2, keccak256(std::string_view("r2")), keccak256(std::string_view("d2"))}};
  auto r = measure_settlement_gas(o_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->root_commit_gas.size(), 2u);
  EXPECT_EQ(r->root_commit_eras[1], r->root_commit_eras[0] + 1);
  EXPECT_GT(r->root_commit_gas[0], 21'000u);
  EXPECT_TRUE(r->sizes.empty());
}

TEST_F(SettlementGasTest, AGenesisWhoseCommitteeKeysWeDoNotHoldIsRefused) {
  std::string text;
  {
    std::ifstream in(o_.genesis_template);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string member = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955";
  auto at = text.find(member);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, member.size(), "0x000000000000000000000000000000000000dEaD");
  o_.genesis_template = dir_ / "genesis.toml";
  std::ofstream(o_.genesis_template) << text;
  auto r = measure_settlement_gas(o_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("is not an anvil dev account"), std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace icn::sim

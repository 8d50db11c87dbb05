// Genesis parsing: the shipped files, and every kind of rejection naming its key path.
#include "icn/deploy/genesis.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "icn/deploy/plan.hpp"

namespace icn::deploy {
namespace {

std::string read(const std::string& relative) {
  std::ifstream in(std::string(ICN_SOURCE_DIR) + "/" + relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string devnet() {
  return read("deploy/genesis/devnet.toml");
}

// devnet.toml with `from` replaced by `to` (which must occur).
std::string devnet_with(const std::string& from, const std::string& to) {
  std::string text = devnet();
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string error_of(const std::string& text) {
  auto g = parse_genesis(text, contract_names());
  EXPECT_FALSE(g.ok());
  return g ? "" : g.error().message;
}

U256 ether(uint64_t whole) {
  return U256(whole) * U256(1'000'000'000'000'000'000ULL);
}

TEST(Genesis, DevnetIsWhatRunLocalSetUp) {
  auto g = parse_genesis(devnet(), contract_names());
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g->chain.chain_id, 31337u);
  EXPECT_EQ(g->chain.era_blocks, 20u);
  EXPECT_EQ(g->chain.start_block, 0u);
  EXPECT_FALSE(g->allocations.tge.has_value());  // "now"
  EXPECT_EQ(g->allocations.beneficiaries[0].kind, GenesisAccount::Kind::kDeployer);
  EXPECT_EQ(g->allocations.beneficiaries[5].kind, GenesisAccount::Kind::kContract);
  EXPECT_EQ(g->allocations.beneficiaries[5].contract, "LinkRewardPool");
  EXPECT_EQ(g->allocations.beneficiaries[6].contract, "RewardsReserve");
  ASSERT_EQ(g->settlement.committee.size(), 3u);
  EXPECT_EQ(g->settlement.committee[2].checksummed(), "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720");
  EXPECT_EQ(g->settlement.threshold, 2u);
  EXPECT_EQ(g->settlement.eras_per_30_days, 129600u);
  EXPECT_EQ(g->market.era_seconds, 20u);
  EXPECT_EQ(g->market.burn_share, 0);
  EXPECT_EQ(g->links.min_staking_period, 0u);
  ASSERT_EQ(g->regions.size(), 1u);
  EXPECT_EQ(g->regions[0].code, "EUW");
  ASSERT_EQ(g->classes.size(), 1u);
  EXPECT_EQ(g->classes[0].name, "storage-dev");
  EXPECT_EQ(g->classes[0].vcpus, 2u);
  EXPECT_EQ(g->classes[0].ram_gb, 4u);
  ASSERT_EQ(g->classes[0].regions.size(), 1u);
  const auto& e = g->classes[0].regions[0];
  EXPECT_EQ(e.collateral_req_per_unit, ether(100));
  EXPECT_EQ(e.target_capacity, 1000);
  EXPECT_EQ(e.release_schedule, 124416000u);
  EXPECT_EQ(e.maximum_bootstrap_release, ether(1'000'000));
  EXPECT_EQ(e.protocol_margin, ether(25));
  ASSERT_EQ(g->clusters.size(), 1u);
  EXPECT_EQ(g->clusters[0].name, "FRA-1");
  EXPECT_EQ(g->clusters[0].max_price, U256(2'800'000'000'000'000'000ULL));
}

TEST(Genesis, ProductionExampleParses) {
  auto g = parse_genesis(read("deploy/genesis/production.example.toml"), contract_names());
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g->chain.era_blocks, 1800u);
  EXPECT_FALSE(g->chain.start_block.has_value());
  EXPECT_EQ(g->settlement.committee.size(), 5u);
  EXPECT_EQ(g->settlement.threshold, 3u);
  EXPECT_EQ(g->settlement.hp_claim_delay_eras, 168u);
  EXPECT_EQ(g->links.min_staking_period, 30u * 86400);
}

TEST(Genesis, UnknownKeyIsNamedWithItsPath) {
  std::string e = error_of(devnet_with("threshold = 2", "threshold = 2\nthreshhold = 2"));
  EXPECT_NE(e.find("settlement.threshhold"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key"), std::string::npos) << e;
  EXPECT_NE(e.find("(line "), std::string::npos) << e;
  e = error_of(devnet_with("nic_gbps = 1", "nic_gbps = 1\ngpus = 1"));
  EXPECT_NE(e.find("genesis: classes[0].gpus (line "), std::string::npos) << e;
  e = error_of(devnet() + "\n[extra]\nx = 1\n");
  EXPECT_NE(e.find("extra"), std::string::npos) << e;
}

TEST(Genesis, BadAddressIsNamed) {
  std::string e = error_of(devnet_with("0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", "0x1234"));
  EXPECT_NE(e.find("settlement.committee[1]"), std::string::npos) << e;
  // A wrong EIP-55 checksum (one letter's case flipped).
  e = error_of(devnet_with("0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
                           "0x23618e81e3f5cdF7f54C3d65f7FBc0aBf5B21E8f"));
  EXPECT_NE(e.find("settlement.committee[1]"), std::string::npos) << e;
  e = error_of(devnet_with("team = \"deployer\"", "team = \"Deployer\""));
  EXPECT_NE(e.find("allocations.team"), std::string::npos) << e;
  EXPECT_NE(e.find("not an address, \"deployer\" or a contract"), std::string::npos) << e;
}

TEST(Genesis, ThresholdAboveCommitteeSize) {
  std::string e = error_of(devnet_with("threshold = 2", "threshold = 4"));
  EXPECT_NE(e.find("settlement.threshold"), std::string::npos) << e;
  EXPECT_NE(e.find("4 is more than the committee's 3 members"), std::string::npos) << e;
  e = error_of(devnet_with("threshold = 2", "threshold = 0"));
  EXPECT_NE(e.find("settlement.threshold"), std::string::npos) << e;
}

TEST(Genesis, MissingSectionAndKey) {
  std::string text = devnet();
  size_t from = text.find("[market]");
  size_t to = text.find("[links]");
  std::string e = error_of(text.substr(0, from) + text.substr(to));
  EXPECT_NE(e.find("missing market"), std::string::npos) << e;
  e = error_of(devnet_with("first_era = 0\n", ""));
  EXPECT_NE(e.find("missing chain.first_era"), std::string::npos) << e;
}

TEST(Genesis, RangesAndUnits) {
  std::string e = error_of(devnet_with("era_blocks = 20", "era_blocks = 0"));
  EXPECT_NE(e.find("chain.era_blocks"), std::string::npos) << e;
  e = error_of(devnet_with("max_price = \"2.8\"", "max_price = 2800000000000000000"));
  EXPECT_NE(e.find("clusters[0].max_price"), std::string::npos) << e;
  EXPECT_NE(e.find("a token amount is a string"), std::string::npos) << e;
  e = error_of(devnet_with("burn_share = \"0%\"", "burn_share = \"51%\""));
  EXPECT_NE(e.find("market.burn_share"), std::string::npos) << e;
  e = error_of(devnet_with("vcpus = 2", "vcpus = 4294967296"));
  EXPECT_NE(e.find("classes[0].vcpus"), std::string::npos) << e;
  e = error_of(devnet_with("code = \"EUW\"", "code = \"euw\""));
  EXPECT_NE(e.find("regions[0].code"), std::string::npos) << e;
  e = error_of(devnet_with("class = \"storage-dev\"", "class = \"storage-xl\""));
  EXPECT_NE(e.find("clusters[0].class"), std::string::npos) << e;
  e = error_of(devnet_with("tge = \"now\"", "tge = \"soon\""));
  EXPECT_NE(e.find("allocations.tge"), std::string::npos) << e;
  e = error_of("[chain\n");
  EXPECT_NE(e.find("genesis: line 1"), std::string::npos) << e;
}

TEST(Genesis, TokenAmountsAndPercents) {
  EXPECT_EQ(*parse_token_amount("2.8"), U256(2'800'000'000'000'000'000ULL));
  EXPECT_EQ(*parse_token_amount("0.000000000000000001"), 1);
  EXPECT_EQ(*parse_token_amount("700000000"), ether(700'000'000));
  EXPECT_EQ(*parse_token_amount("5 wei"), 5);
  EXPECT_EQ(*parse_token_amount("2800000000000000000 wei"), U256(2'800'000'000'000'000'000ULL));
  for (const char* bad :
       {"", "1.", ".5", "-1", "1e18", "0x10", "1.0000000000000000001", "2.8 wei", " 2", "2 ICNT"}) {
    EXPECT_FALSE(parse_token_amount(bad).ok()) << bad;
  }
  EXPECT_EQ(*parse_percent("25%"), ether(25));
  EXPECT_EQ(*parse_percent("2.5%"), U256(2'500'000'000'000'000'000ULL));
  EXPECT_FALSE(parse_percent("25").ok());
  EXPECT_FALSE(parse_percent("%").ok());
}

TEST(Plan, DevnetPlanNamesEveryContractOnce) {
  auto g = parse_genesis(devnet(), contract_names());
  ASSERT_TRUE(g.ok());
  Plan plan = protocol_plan(*g);
  EXPECT_EQ(plan.contracts.size(), 14u);
  std::set<std::string> names;
  for (const auto& c : plan.contracts) EXPECT_TRUE(names.insert(c.name).second) << c.name;
  // 11 wiring, 10 parameters, 2 Vesting handovers, region + class + enable + cluster.
  EXPECT_EQ(plan.steps.size(), 11u + 10 + 2 + 4);
  for (const auto& s : plan.steps) EXPECT_FALSE(s.checks.empty()) << s.label;
}

}  // namespace
}  // namespace icn::deploy

// `icn deploy` against a fresh anvil: the devnet genesis deployed, wired and read back
// independently with cast; refusals (existing deployment, bad genesis) send nothing; a revert names
// its step.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "icn/chain/deployment.hpp"
#include "icn/core/keccak.hpp"
#include "test/support/anvil_fixture.hpp"
#include "test/support/command.hpp"

namespace icn::test {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

class DeployCli : public AnvilTest {
 protected:
  void SetUp() override {
    AnvilTest::SetUp();
    dir_ = fs::temp_directory_path() /
           ("icn-deploy-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    key_file_ = dir_ / "deployer.key";
    write_text(key_file_, std::string(infra::kAnvilDevPrivateKeys[0]) + "\n");
    genesis_ = fs::path(ICN_SOURCE_DIR) / "deploy/genesis/devnet.toml";
    out_ = dir_ / "state" / "deployment.json";
  }
  void TearDown() override {
    fs::remove_all(dir_);
    AnvilTest::TearDown();
  }

  CommandResult deploy(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        icn_path(),         "deploy",    "--rpc",           anvil().rpc_url(), "--key-file",
        key_file_.string(), "--genesis", genesis_.string(), "--out",           out_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_command(args, std::chrono::seconds(120));
  }
  // cast against this test's anvil (`rpc`), or offline.
  std::string cast(std::vector<std::string> args, bool rpc = true) {
    args.insert(args.begin(), cast_path());
    if (rpc) args.insert(args.end(), {"--rpc-url", anvil().rpc_url()});
    CommandResult r = run_command(args);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return trimmed(r.out);
  }
  uint64_t deployer_nonce() {
    auto address = Address::parse(infra::kAnvilDevAddresses[0]);
    auto nonce = eth::get_transaction_count(rpc(), *address, eth::BlockRef::latest());
    EXPECT_TRUE(nonce.ok());
    return nonce.value_or(0);
  }
  // devnet.toml with `from` replaced by `to`, written to the test's directory.
  fs::path genesis_with(const std::string& from, const std::string& to) {
    std::string text = read_text(fs::path(ICN_SOURCE_DIR) / "deploy/genesis/devnet.toml");
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    fs::path p = dir_ / "genesis.toml";
    write_text(p, text);
    return p;
  }

  fs::path dir_, key_file_, genesis_, out_;
};

TEST_F(DeployCli, DevnetDeploysAndReadsBackIndependently) {
  auto started = std::chrono::steady_clock::now();
  CommandResult r = deploy();  // artifacts: the build's own, found next to the binary
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count();
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  std::cout << "full devnet deploy on anvil: " << ms << " ms\n";
  EXPECT_EQ(trimmed(r.out), out_.string());
  EXPECT_NE(r.err.find("deploy: [1/14] Vesting 0x"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("deploy: [2/14] ICNT 0x"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("deploy: wiring: Registry grants PROTOCOL_ROLE to Collateral"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("deploy: genesis: region EUW"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("deploy: verified"), std::string::npos) << r.err;

  // The deployment file.
  auto d = chain::Deployment::parse(read_text(out_));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->chain_id, 31337u);
  EXPECT_EQ(d->deployer.checksummed(), infra::kAnvilDevAddresses[0]);
  EXPECT_EQ(d->genesis_keccak, keccak256(read_text(genesis_)));
  EXPECT_EQ(d->icn_version, trimmed(run_command({icn_path(), "--version"}).out));
  ASSERT_EQ(d->contracts.size(), 14u);
  EXPECT_EQ(d->contracts[0].first, "Vesting");
  auto json = nlohmann::json::parse(read_text(out_));
  EXPECT_EQ(json["format"], "icn-deployment/1");
  // The deploy block is the Vesting deployment's: the deployer's first transaction.
  std::string first_tx_block = cast({"block", std::to_string(d->deploy_block), "--json"});
  auto block = nlohmann::json::parse(first_tx_block);
  ASSERT_FALSE(block["transactions"].empty());
  std::string creation =
      cast({"receipt", block["transactions"][0].get<std::string>(), "contractAddress"});
  EXPECT_EQ(Address::parse(creation)->checksummed(), d->address_of("Vesting")->checksummed());

  auto at = [&](const char* name) { return d->address_of(name)->checksummed(); };
  // Committee: dev accounts 7, 8, 9 and t = 2.
  std::string committee = cast({"call", at("Settlement"), "committee()(address[],uint8)"});
  EXPECT_EQ(committee, "[" + std::string(infra::kAnvilDevAddresses[7]) + ", " +
                           std::string(infra::kAnvilDevAddresses[8]) + ", " +
                           std::string(infra::kAnvilDevAddresses[9]) + "]\n2");
  // Cluster 1: FRA-1 in region 1, class 1, max price 2.8 ICNT.
  std::string cluster =
      cast({"call", at("Registry"),
            "cluster(uint32)((uint32,uint32,uint64,uint128,uint128,uint128,uint256,string))", "1"});
  EXPECT_TRUE(cluster.starts_with("(1, 1, ")) << cluster;
  EXPECT_NE(cluster.find("2800000000000000000 [2.8e18]"), std::string::npos) << cluster;
  EXPECT_NE(cluster.find("\"FRA-1\""), std::string::npos) << cluster;
  // PROTOCOL_ROLE on the Registry for Collateral, and not for a stranger.
  std::string role = cast({"keccak", "PROTOCOL_ROLE"}, false);
  EXPECT_EQ(
      cast({"call", at("Registry"), "hasRole(bytes32,address)(bool)", role, at("Collateral")}),
      "true");
  EXPECT_EQ(cast({"call", at("Registry"), "hasRole(bytes32,address)(bool)", role, at("Treasury")}),
            "false");
  // Wiring, parameters and the Vesting handover.
  EXPECT_EQ(cast({"call", at("CapacityMarket"), "settlement()(address)"}), at("Settlement"));
  EXPECT_EQ(cast({"call", at("Settlement"), "erasPer30Days()(uint256)"}), "129600 [1.296e5]");
  EXPECT_EQ(cast({"call", at("Vesting"), "beneficiary(uint8)(address)", "6"}),
            at("RewardsReserve"));
  EXPECT_EQ(cast({"call", at("Vesting"), "token()(address)"}), at("ICNT"));
}

TEST_F(DeployCli, RerunIsRefusedAndSendsNothing) {
  CommandResult first = deploy();
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  std::string before = read_text(out_);
  uint64_t nonce = deployer_nonce();
  for (auto extra : {std::vector<std::string>{}, std::vector<std::string>{"--overwrite"}}) {
    CommandResult again = deploy(extra);
    EXPECT_EQ(again.exit_code, 1) << again.describe();
    EXPECT_TRUE(again.out.empty()) << again.out;
    EXPECT_NE(again.err.find("already describes a deployment on chain 31337 (Vesting at 0x"),
              std::string::npos)
        << again.err;
    EXPECT_NE(again.err.find("has code); refusing to deploy again"), std::string::npos)
        << again.err;
    EXPECT_EQ(deployer_nonce(), nonce);
    EXPECT_EQ(read_text(out_), before);
  }
}

TEST_F(DeployCli, OverwriteOnlyReplacesADeadOrForeignFile) {
  fs::create_directories(out_.parent_path());
  chain::Deployment foreign;
  foreign.chain_id = 1;
  foreign.deployer = *Address::parse(infra::kAnvilDevAddresses[0]);
  foreign.contracts = {{"Registry", *Address::parse(infra::kAnvilDevAddresses[5])}};
  write_text(out_, foreign.to_json());
  CommandResult refused = deploy();
  EXPECT_EQ(refused.exit_code, 1) << refused.describe();
  EXPECT_NE(refused.err.find("describes a deployment on chain 1, this endpoint is chain 31337; "
                             "pass --overwrite"),
            std::string::npos)
      << refused.err;

  chain::Deployment dead = foreign;
  dead.chain_id = 31337;  // same chain, but the named address has no code (a reset chain)
  write_text(out_, dead.to_json());
  refused = deploy();
  EXPECT_EQ(refused.exit_code, 1) << refused.describe();
  EXPECT_NE(refused.err.find("names contracts without code on chain 31337"), std::string::npos)
      << refused.err;
  EXPECT_EQ(deployer_nonce(), 0u);

  CommandResult replaced = deploy({"--overwrite"});
  ASSERT_EQ(replaced.exit_code, 0) << replaced.describe();
  auto d = chain::Deployment::parse(read_text(out_));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->contracts.size(), 14u);
}

TEST_F(DeployCli, GenesisErrorsSendNothing) {
  struct Case {
    std::string from, to, reason;
  };
  const Case cases[] = {
      {"threshold = 2", "threshold = 2\nquorum = 2", "settlement.quorum"},
      {"0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", "0x23618e81", "settlement.committee[1]"},
      {"threshold = 2", "threshold = 4", "4 is more than the committee's 3 members"},
      {"[links]", "[link]", "genesis: missing links"},
      {"chain_id = 31337", "chain_id = 8453",
       "the genesis is for chain 8453, this endpoint is chain 31337"},
  };
  for (const auto& c : cases) {
    genesis_ = genesis_with(c.from, c.to);
    CommandResult r = deploy();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_NE(r.err.find(c.reason), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out_));
  }
  EXPECT_EQ(deployer_nonce(), 0u);
}

TEST_F(DeployCli, RevertMidDeployNamesTheStep) {
  // The build's artifacts, with a Treasury whose creation code is REVERT(0, 0).
  fs::path artifacts = dir_ / "artifacts";
  fs::copy(ICN_ARTIFACTS_DIR, artifacts, fs::copy_options::recursive);
  auto treasury = nlohmann::json::parse(read_text(artifacts / "Treasury.json"));
  treasury["bytecode"] = "0x60006000fd";
  write_text(artifacts / "Treasury.json", treasury.dump());

  CommandResult r = deploy({"--artifacts", artifacts.string()});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("error: deploy failed at Treasury: transaction reverted"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out_));
  // Vesting and the two reserve pools went out before Treasury; nothing after it.
  EXPECT_EQ(deployer_nonce(), 3u);
}

}  // namespace
}  // namespace icn::test

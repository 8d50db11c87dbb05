// `icn node register | validate | list | maintenance`, `icn hypernode register`, `icn link` and
// `icn book` as processes against anvil with the devnet deployment: exit codes, what they print,
// and refusals that name the command, the contract, the function and the decoded reason.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "icn/actions/onboarding.hpp"
#include "icn/actions/protocol.hpp"
#include "icn/infra/anvil.hpp"
#include "test/support/command.hpp"
#include "test/support/deployed_fixture.hpp"

namespace icn::test {
namespace {

const U256 kIcnt = U256(1'000'000'000'000'000'000ULL);

class ActionsCli : public DeployedTest {
 protected:
  CommandResult icn(std::vector<std::string> args, const std::string& key_file) {
    args.insert(args.begin(), icn_path());
    args.insert(args.end(), {"--rpc", anvil().rpc_url(), "--deployment",
                             (dir_ / "deployment.json").string(), "--key-file", key_file});
    return run_command(args, std::chrono::seconds(60));
  }
  void fund(size_t account, const U256& amount) {
    auto p = actions::Protocol::open(rpc(), deployment_, ICN_ARTIFACTS_DIR);
    ASSERT_TRUE(p.ok()) << p.error().message;
    eth::TransactionSender deployer = sender(0);
    auto funded = actions::fund_icnt(*p, deployer, dev_address(account), amount);
    ASSERT_TRUE(funded.ok()) << funded.error().message;
  }
};

TEST_F(ActionsCli, RegistersValidatesAndRefusesATakenDaemonKey) {
  fund(1, 300 * kIcnt);
  std::string hp_key = key_file(1, "hp.key").string();
  std::string operator_key = (dir_ / "deployer.key").string();
  std::string daemon = dev_address(6).checksummed();
  std::vector<std::string> node = {"node",       "register", "--daemon-address", daemon,
                                   "--region",   "EUW",      "--class",          "storage-dev",
                                   "--capacity", "1",        "--location",       "DEU"};

  CommandResult first = icn(node, hp_key);
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  EXPECT_EQ(trimmed(first.out), "1");

  std::vector<std::string> second = node;
  second[3] = dev_address(4).checksummed();
  second.insert(second.end(), {"--name", "rack-2", "--collateral", "50", "--json"});
  CommandResult json = icn(second, hp_key);
  ASSERT_EQ(json.exit_code, 0) << json.describe();
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j.at("node_id"), "2");
  EXPECT_EQ(j.at("hp_id"), 1);
  EXPECT_EQ(j.at("name"), "rack-2");

  CommandResult taken = icn(node, hp_key);
  EXPECT_EQ(taken.exit_code, 1) << taken.describe();
  EXPECT_TRUE(taken.out.empty()) << taken.out;
  EXPECT_NE(taken.err.find("error: node register failed: Registry.registerScalerNodes reverted: "
                           "DaemonKeyTaken("),
            std::string::npos)
      << taken.err;

  CommandResult bad_amount =
      icn({"node", "register", "--daemon-address", daemon, "--region", "EUW", "--class",
           "storage-dev", "--capacity", "1", "--location", "DEU", "--collateral", "1.5e3"},
          hp_key);
  EXPECT_EQ(bad_amount.exit_code, 1);
  EXPECT_NE(bad_amount.err.find("--collateral"), std::string::npos) << bad_amount.err;

  CommandResult not_operator = icn({"node", "validate", "1"}, hp_key);
  EXPECT_EQ(not_operator.exit_code, 1);
  EXPECT_NE(not_operator.err.find("node validate failed: Registry.validateScalerNodes reverted: "
                                  "AccessControlUnauthorizedAccount("),
            std::string::npos)
      << not_operator.err;
  CommandResult validated = icn({"node", "validate", "1", "2"}, operator_key);
  ASSERT_EQ(validated.exit_code, 0) << validated.describe();
  CommandResult listed = icn({"node", "list", "1", "2"}, hp_key);
  ASSERT_EQ(listed.exit_code, 0) << listed.describe();

  // A Builder: 2.8 ICNT per TB-month for 90 days plus the 25 % margin.
  CommandResult funded = icn({"icnt", "transfer", "--to", dev_address(2).checksummed(), "--amount",
                              "100", "--release-vested"},
                             operator_key);
  ASSERT_EQ(funded.exit_code, 0) << funded.describe();
  EXPECT_EQ(trimmed(funded.out),
            "sent 100 ICNT to " + dev_address(2).checksummed() + " (balance 100 ICNT)");
  std::string builder_key = key_file(2, "builder.key").string();
  std::vector<std::string> book = {"book", "--cluster",  "1",  "--capacity",
                                   "1",    "--duration", "90d"};
  std::vector<std::string> cheap = book;
  cheap.insert(cheap.end(), {"--max-price", "10"});
  CommandResult refused = icn(cheap, builder_key);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(trimmed(refused.out), "quote: node 1, price 8.4 ICNT + margin 2.1 ICNT = 10.5 ICNT");
  EXPECT_NE(refused.err.find("book failed: the quote (10.5 ICNT) exceeds --max-price 10 ICNT"),
            std::string::npos)
      << refused.err;
  book.insert(book.end(), {"--max-price", "11", "--access-key", "ssh-ed25519 AAAA"});
  CommandResult booked = icn(book, builder_key);
  ASSERT_EQ(booked.exit_code, 0) << booked.describe();
  EXPECT_EQ(booked.out, "quote: node 1, price 8.4 ICNT + margin 2.1 ICNT = 10.5 ICNT\nbooking 1\n");

  CommandResult too_soon =
      icn({"node", "maintenance", "--node", "2", "--from-era", "0", "--eras", "1"}, hp_key);
  EXPECT_EQ(too_soon.exit_code, 1);
  EXPECT_NE(too_soon.err.find("node maintenance failed: Settlement.declareMaintenance reverted: "
                              "MaintenanceTooSoon("),
            std::string::npos)
      << too_soon.err;
  CommandResult maintenance =
      icn({"node", "maintenance", "--node", "2", "--from-era", "1000", "--eras", "2"}, hp_key);
  ASSERT_EQ(maintenance.exit_code, 0) << maintenance.describe();
  EXPECT_EQ(trimmed(maintenance.out), "node 2: maintenance in eras 1000..1001");
}

TEST_F(ActionsCli, RegistersAHyperNodeAndStakesLinks) {
  std::string operator_key = key_file(3, "operator.key").string();
  std::string signing_key = key_file(5, "signing.key").string();
  CommandResult hn = icn({"hypernode", "register", "--signing-key-file", signing_key, "--location",
                          "DEU", "--endpoint", "http://127.0.0.1:7001"},
                         operator_key);
  ASSERT_EQ(hn.exit_code, 0) << hn.describe();
  EXPECT_EQ(trimmed(hn.out), "1");

  CommandResult bad_endpoint =
      icn({"hypernode", "register", "--signing-key-file", key_file(6, "other.key").string(),
           "--location", "DEU", "--endpoint", "http://a b"},
          operator_key);
  EXPECT_EQ(bad_endpoint.exit_code, 1);
  EXPECT_NE(bad_endpoint.err.find("hypernode register failed: HyperNodeRegistry."
                                  "registerHyperNode reverted: InvalidEndpointByte("),
            std::string::npos)
      << bad_endpoint.err;

  CommandResult minted = icn({"link", "mint", "--to", dev_address(3).checksummed(), "--count", "2"},
                             (dir_ / "deployer.key").string());
  ASSERT_EQ(minted.exit_code, 0) << minted.describe();
  EXPECT_EQ(trimmed(minted.out), "1 2");
  CommandResult staked = icn({"link", "stake", "--hypernode", "1", "1", "2"}, operator_key);
  ASSERT_EQ(staked.exit_code, 0) << staked.describe();
  EXPECT_EQ(trimmed(staked.out), "1");

  // Running still needs --config.
  CommandResult run = run_command({icn_path(), "hypernode"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("--config is required"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace icn::test

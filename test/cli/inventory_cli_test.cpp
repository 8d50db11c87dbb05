// `icn node inventory` on captured trees and this machine (with tiny benchmarks), and
// `icn node register --from-inventory` against anvil with the devnet deployment: the capacity
// taken from the captured data path, what it used on stderr, and its refusals.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "icn/actions/onboarding.hpp"
#include "icn/actions/protocol.hpp"
#include "icn/chain/protocol_reader.hpp"
#include "icn/infra/anvil.hpp"
#include "test/support/command.hpp"
#include "test/support/deployed_fixture.hpp"

namespace icn::test {
namespace {

namespace fs = std::filesystem;
const fs::path kSamples = fs::path(ICN_SOURCE_DIR) / "icn/host/testdata";

CommandResult icn_cli(std::vector<std::string> args) {
  args.insert(args.begin(), icn_path());
  return run_command(args, std::chrono::seconds(60));
}

TEST(InventoryCli, PrintsACapturedServer) {
  CommandResult text = icn_cli({"node", "inventory", "--root", (kSamples / "gpu-h100").string()});
  ASSERT_EQ(text.exit_code, 0) << text.describe();
  EXPECT_NE(text.out.find("cpu           Intel(R) Xeon(R) Platinum 8480C (x86_64): 2 socket(s), "
                          "112 cores, 224 threads\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("memory        2015.5 GiB\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("gpu           NVIDIA H100 80GB HBM3, 81559 MiB\n"), std::string::npos);
  EXPECT_NE(text.out.find("nic eno3      7c:c2:55:aa:bb:01, down, speed unknown\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("fingerprint   0x"), std::string::npos);

  CommandResult json = icn_cli({"node", "inventory", "--root", (kSamples / "xeon-storage").string(),
                                "--data-path", "/srv/icn", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.describe();
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j.at("inventory").at("cpu").at("threads"), 80);
  EXPECT_EQ(j.at("inventory").at("disks").size(), 13u);
  EXPECT_EQ(j.at("inventory").at("dataPath").at("totalBytes"), 45654000000ULL * 4096);
  EXPECT_EQ(j.at("fingerprint").get<std::string>().size(), 66u);
  EXPECT_TRUE(j.at("benchmarks").is_null());
}

TEST(InventoryCli, BenchmarksThisMachineBrieflyAndCleansUp) {
  const fs::path dir =
      fs::temp_directory_path() / ("icn-inventory-cli-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  CommandResult r = icn_cli({"node", "inventory", "--data-path", dir.string(), "--bench",
                             "--bench-duration", "20ms", "--bench-file-mb", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j.at("inventory").at("cpu").at("threads").get<int>(), 0);
  const auto& b = j.at("benchmarks");
  EXPECT_GT(b.at("cpuKeccakMBps").get<double>(), 0);
  EXPECT_GT(b.at("memoryCopyGBps").get<double>(), 0);
  EXPECT_GT(b.at("disk").at("writeMBps").get<double>(), 0);
  EXPECT_GT(b.at("disk").at("randomReadIops").get<double>(), 0);
  EXPECT_TRUE(b.at("lowPriority").get<bool>());
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(InventoryCli, RefusesWhatItCannotRead) {
  CommandResult missing = icn_cli({"node", "inventory", "--root", "/no/such/tree"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(
      missing.err.find("error: node inventory failed: cannot read /no/such/tree/proc/cpuinfo"),
      std::string::npos)
      << missing.err;
  CommandResult bad = icn_cli({"node", "inventory", "--bench", "--bench-duration", "soon"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("--bench-duration \"soon\""), std::string::npos) << bad.err;
}

class RegisterFromInventory : public DeployedTest {
 protected:
  CommandResult icn(std::vector<std::string> args, const std::string& key_file) {
    args.insert(args.begin(), icn_path());
    args.insert(args.end(), {"--rpc", anvil().rpc_url(), "--deployment",
                             (dir_ / "deployment.json").string(), "--key-file", key_file});
    return run_command(args, std::chrono::seconds(60));
  }
};

TEST_F(RegisterFromInventory, TakesTheCapacityFromTheDataPath) {
  {
    auto p = actions::Protocol::open(rpc(), deployment_, ICN_ARTIFACTS_DIR);
    ASSERT_TRUE(p.ok()) << p.error().message;
    eth::TransactionSender deployer = sender(0);
    const U256 icnt = U256(1'000'000'000'000'000'000ULL);
    ASSERT_TRUE(actions::fund_icnt(*p, deployer, dev_address(1), 2000 * icnt).ok());
  }
  const std::string hp_key = key_file(1, "hp.key").string();
  std::vector<std::string> base = {
      "node",       "register", "--daemon-address", dev_address(6).checksummed(),
      "--region",   "EUW",      "--class",          "storage-dev",
      "--location", "DEU"};

  CommandResult no_capacity = icn(base, hp_key);
  EXPECT_EQ(no_capacity.exit_code, 1);
  EXPECT_NE(no_capacity.err.find("--capacity is required (or --from-inventory with --data-path)"),
            std::string::npos)
      << no_capacity.err;

  std::vector<std::string> no_path = base;
  no_path.push_back("--from-inventory");
  CommandResult needs_path = icn(no_path, hp_key);
  EXPECT_EQ(needs_path.exit_code, 1);
  EXPECT_NE(needs_path.err.find("--from-inventory needs --data-path"), std::string::npos)
      << needs_path.err;

  // This build machine's capture: its data path holds less than one TB.
  std::vector<std::string> small = base;
  small.insert(small.end(),
               {"--from-inventory", "--root", (kSamples / "epyc-vm").string(), "--data-path", "/"});
  CommandResult too_small = icn(small, hp_key);
  EXPECT_EQ(too_small.exit_code, 1);
  EXPECT_NE(too_small.err.find("less than one TB of class storage-dev (1 TB per TB)"),
            std::string::npos)
      << too_small.err;

  // The Ampere box's data path: 15.36 TB, so 15 units of storage-dev.
  std::vector<std::string> ampere = base;
  ampere.insert(ampere.end(), {"--from-inventory", "--root", (kSamples / "ampere-altra").string(),
                               "--data-path", "/srv/icn", "--json"});
  CommandResult ok = icn(ampere, hp_key);
  ASSERT_EQ(ok.exit_code, 0) << ok.describe();
  auto j = nlohmann::json::parse(ok.out);
  EXPECT_EQ(j.at("node_id"), "1");
  EXPECT_EQ(j.at("capacity"), "15");
  EXPECT_EQ(j.at("from_inventory").at("used")[0],
            "capacity 15 TB from data path /srv/icn (15.36 TB, class storage-dev: 1 TB per TB)");
  EXPECT_NE(ok.err.find("from the inventory: capacity 15 TB from data path /srv/icn"),
            std::string::npos)
      << ok.err;
  EXPECT_NE(ok.err.find("ok: 80 vCPUs meets the class's 2"), std::string::npos) << ok.err;

  auto reader = chain::ProtocolReader::open(rpc(), deployment_, ICN_ARTIFACTS_DIR);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto node = reader->scaler_node(U256(1), *reader->head_block());
  ASSERT_TRUE(node.ok()) << node.error().message;
  ASSERT_TRUE(node->has_value());
  EXPECT_EQ((*node)->capacity, 15);
}

}  // namespace
}  // namespace icn::test

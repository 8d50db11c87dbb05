// The devnet's files: the topology (keys, ports, strict parsing), the genesis it deploys, the
// role configs it writes and the status file `icn devnet status` reads.
#include "icn/devnet/devnet.hpp"

#include <gtest/gtest.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "icn/deploy/genesis.hpp"
#include "icn/deploy/plan.hpp"
#include "icn/devnet/role_configs.hpp"
#include "icn/devnet/status.hpp"
#include "icn/devnet/topology.hpp"
#include "icn/infra/key_file.hpp"

namespace icn::devnet {
namespace {

namespace fs = std::filesystem;

class DevnetFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("icn-devnet-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Topology small() {
    DevnetOptions o;
    o.scaler_nodes = 5;
    o.hyper_nodes = 2;
    o.satellites = 3;
    o.era_blocks = 12;
    o.nodes_per_hp = 2;
    auto t = create_topology(o, dir_);
    EXPECT_TRUE(t.ok()) << t.error().message;
    return *t;
  }

  fs::path dir_;
};

TEST_F(DevnetFilesTest, TopologyHasEveryAccountAKeyFileAndDistinctPorts) {
  Topology t = small();
  // deployer, 3 HPs (5 nodes, 2 per HP), 5 daemons, 2 × 2 HyperNode keys, 3 satellites, builder
  EXPECT_EQ(t.accounts.size(), 1u + 3 + 5 + 4 + 3 + 1);
  EXPECT_EQ(t.roles.size(), 3u + 2 + 5 + 1);
  EXPECT_EQ(t.roles_of(RoleKind::kSatellite).size(), 3u);
  EXPECT_EQ(t.roles.back().kind, RoleKind::kIndexer);
  std::set<uint16_t> ports;
  for (const Role& r : t.roles) {
    EXPECT_NE(r.port, 0) << r.name;
    EXPECT_TRUE(ports.insert(r.port).second) << r.name << " shares port " << r.port;
  }
  for (const Account& a : t.accounts) {
    fs::path key_file = dir_ / a.key_file();
    auto key = infra::load_private_key(key_file);
    ASSERT_TRUE(key.ok()) << a.name << ": " << key.error().message;
    EXPECT_EQ(key->address(), a.address) << a.name;
    EXPECT_EQ(fs::status(key_file).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write)
        << a.name;
  }
  // The deployer is anvil's first dev account; every other key is fresh.
  EXPECT_EQ(t.account("deployer")->address.checksummed(),
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  EXPECT_NE(t.account("hp-1")->address, t.account("hp-2")->address);
}

TEST_F(DevnetFilesTest, TopologyRoundTripsAndRefusesBrokenFiles) {
  Topology t = small();
  t.role("daemon-2")->chain_id = 7;
  t.onboarded = true;
  std::string text = t.to_json();
  auto back = Topology::parse(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->to_json(), text);
  EXPECT_EQ(back->role("daemon-2")->chain_id, U256(7));
  EXPECT_TRUE(back->onboarded);

  auto refused = [&](std::string from, std::string to, std::string_view reason) {
    std::string broken = text;
    size_t at = broken.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    broken.replace(at, from.size(), to);
    auto r = Topology::parse(broken);
    ASSERT_FALSE(r.ok()) << "accepted with " << to;
    EXPECT_NE(r.error().message.find(reason), std::string::npos) << r.error().message;
  };
  refused("icn-devnet/1", "icn-devnet/9", "start over with --fresh");
  refused("\"port\": " + std::to_string(t.roles[1].port),
          "\"port\": " + std::to_string(t.roles[0].port), "a port another role has");
  refused("\"key\": \"satellite-1\"", "\"key\": \"satellite-9\"", "unknown account satellite-9");
  refused("\"onboarded\": true", "\"onboarded\": 1", "onboarded is not a boolean");
  refused("\"name\": \"hp-2\"", "\"name\": \"hp-1\"", "repeats");
  refused("\"scalernodes\": 5", "\"scalernodes\": 500", "--scalernodes 500");
  EXPECT_FALSE(Topology::parse("[]").ok());
  EXPECT_FALSE(Topology::parse("{").ok());
}

TEST_F(DevnetFilesTest, OptionsOutsideWhatTheMachineTakesAreRefusedByFlag) {
  DevnetOptions o;
  o.satellites = 0;
  auto r = create_topology(o, dir_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("--satellites 0"), std::string::npos) << r.error().message;
  o = {};
  o.era_blocks = 2;
  EXPECT_NE(check_options(o).error().message.find("--era-blocks 2"), std::string::npos);
}

TEST_F(DevnetFilesTest, GenesisNamesTheSatellitesAsCommitteeWithAMajorityAndTheEraLength) {
  Topology t = small();
  std::ifstream in(fs::path(ICN_SOURCE_DIR) / "deploy/genesis/devnet.toml");
  std::stringstream text;
  text << in.rdbuf();
  auto genesis_text = devnet_genesis(text.str(), t);
  ASSERT_TRUE(genesis_text.ok()) << genesis_text.error().message;
  auto g = deploy::parse_genesis(*genesis_text, deploy::contract_names());
  ASSERT_TRUE(g.ok()) << g.error().message;
  ASSERT_EQ(g->settlement.committee.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(g->settlement.committee[i], t.account(satellite_account(i + 1))->address);
  }
  EXPECT_EQ(g->settlement.threshold, 2u);
  EXPECT_EQ(g->chain.era_blocks, 12u);
  EXPECT_EQ(g->market.era_seconds, 12u);
  EXPECT_EQ(g->settlement.eras_per_30_days, 30u * 86400 / 12);
  // everything else is the template's
  EXPECT_EQ(g->clusters.at(0).name, "FRA-1");

  auto bad = devnet_genesis("[chain\n", t);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("parse error at line 1"), std::string::npos);
  EXPECT_FALSE(devnet_genesis("[chain]\nera_blocks = 1\n", t).ok());
}

TEST_F(DevnetFilesTest, RoleConfigsPointAtTheirPeersKeysAndChain) {
  Topology t = small();
  RoleConfigInputs in{dir_, "/artifacts", "http://127.0.0.1:8545"};
  const Role& sat = *t.role("satellite-2");
  auto text = role_config(t, sat, in);
  ASSERT_TRUE(text.ok()) << text.error().message;
  toml::table c = toml::parse(*text);
  EXPECT_EQ(c["listen"].value_or(std::string{}), "127.0.0.1:" + std::to_string(sat.port));
  const toml::array* peers = c["peers"].as_array();
  ASSERT_NE(peers, nullptr);
  ASSERT_EQ(peers->size(), 2u) << "a satellite is not its own peer";
  EXPECT_EQ((*peers)[0].value_or(std::string{}), t.role("satellite-1")->url());
  EXPECT_EQ((*peers)[1].value_or(std::string{}), t.role("satellite-3")->url());
  EXPECT_EQ(c["key_file"].value_or(std::string{}), (dir_ / "keys/satellite-2.key").string());
  EXPECT_EQ(c["rpc"].value_or(std::string{}), "http://127.0.0.1:8545");

  // HyperNodes and daemons need their on-chain id first.
  const Role& hn = *t.role("hypernode-1");
  auto unregistered = role_config(t, hn, in);
  ASSERT_FALSE(unregistered.ok());
  EXPECT_NE(unregistered.error().message.find("not registered yet"), std::string::npos);
  t.role("hypernode-1")->chain_id = 4;
  auto hn_text = role_config(t, *t.role("hypernode-1"), in);
  ASSERT_TRUE(hn_text.ok()) << hn_text.error().message;
  toml::table h = toml::parse(*hn_text);
  EXPECT_EQ(h["hypernode_id"].value_or(std::string{}), "4");
  EXPECT_EQ(h["listen"].value_or(std::string{}), "127.0.0.1:" + std::to_string(hn.port));
  EXPECT_EQ(h["satellites"].as_array()->size(), 3u);
  EXPECT_EQ(h["key_file"].value_or(std::string{}), (dir_ / "keys/hypernode-1-signer.key").string());

  auto argv = role_argv("/bin/icn", dir_, hn);
  EXPECT_EQ(argv, (std::vector<std::string>{"/bin/icn", "hypernode", "--config",
                                            (dir_ / "hypernode-1/hypernode.toml").string()}));
}

TEST_F(DevnetFilesTest, TheIndexerServesTheConsoleWithAccountsNoProcessSendsFrom) {
  Topology t = small();
  fs::path artifacts = dir_ / "build" / "artifacts";
  RoleConfigInputs in{dir_, artifacts, "http://127.0.0.1:8545"};
  const Role& indexer = *t.role("indexer");
  auto without = role_config(t, indexer, in);
  ASSERT_TRUE(without.ok()) << without.error().message;
  toml::table c = toml::parse(*without);
  EXPECT_FALSE(c.contains("console_dir")) << "no console built: API only";
  EXPECT_EQ(c["console_devnet_accounts"].value_or(std::string{}),
            (dir_ / "console-accounts.json").string());
  EXPECT_EQ(c["satellites"].as_array()->size(), 3u);

  fs::create_directories(dir_ / "build" / "console");
  std::ofstream(dir_ / "build" / "console" / "index.html") << "<!doctype html>";
  toml::table built = toml::parse(*role_config(t, indexer, in));
  EXPECT_EQ(built["console_dir"].value_or(std::string{}), (dir_ / "build" / "console").string());

  auto text = console_accounts_json(t, dir_);
  ASSERT_TRUE(text.ok()) << text.error().message;
  auto doc = nlohmann::json::parse(*text);
  std::vector<std::string> names;
  for (const auto& a : doc["accounts"]) {
    names.push_back(a["name"].get<std::string>());
    const Account* account = t.account(names.back());
    ASSERT_NE(account, nullptr);
    EXPECT_EQ(a["address"], account->address.checksummed());
    auto key = PrivateKey::from_hex(a["private_key"].get<std::string>());
    ASSERT_TRUE(key.ok()) << key.error().message;
    EXPECT_EQ(key->address(), account->address) << "the key is the account's own";
  }
  // Builder, HPs and HyperNode operators; never a key a running process signs with.
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"builder", "hp-1", "hp-2", "hp-3",
                                             "hypernode-1-operator", "hypernode-2-operator"}));
}

TEST_F(DevnetFilesTest, StatusRoundTripsAndLivenessIsChecked) {
  fs::create_directories(dir_);
  DevnetStatus s;
  s.supervisor_pid = ::getpid();
  s.state = "ready";
  s.rpc_url = "http://127.0.0.1:1";
  s.chain_id = 31337;
  s.api_url = "http://127.0.0.1:2";
  s.processes.push_back({"anvil", "chain", 12, "running", "http://127.0.0.1:1", "/x"});
  ASSERT_TRUE(write_status(dir_, s).ok());
  auto back = read_status(dir_);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ((*back)->to_json(), s.to_json());
  EXPECT_FALSE(DevnetStatus::parse("{\"format\":\"icn-devnet-status/1\"}").ok());

  auto none = read_status(dir_ / "nothing");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_TRUE(process_alive(::getpid()));
  EXPECT_FALSE(process_alive(0));
  EXPECT_FALSE(process_alive(4'000'000));  // above pid_max
}

}  // namespace
}  // namespace icn::devnet

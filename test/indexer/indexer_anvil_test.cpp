// The indexer against a real anvil with the devnet deployed by `icn deploy`: scripted
// transactions appear in the REST API with the right values; a reorg made with
// evm_snapshot/evm_revert is rolled back; stopping mid-sync and resuming loses and duplicates
// nothing.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "icn/eth/artifact.hpp"
#include "icn/indexer/api.hpp"
#include "icn/indexer/indexer.hpp"
#include "icn/infra/http_server.hpp"
#include "test/support/anvil_fixture.hpp"
#include "test/support/command.hpp"

namespace icn::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class IndexerAnvilTest : public AnvilTest {
 protected:
  void SetUp() override {
    AnvilTest::SetUp();
    dir_ = fs::temp_directory_path() /
           ("icn-indexer-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "deployer.key") << infra::kAnvilDevPrivateKeys[0] << "\n";
    CommandResult r =
        run_command({icn_path(), "deploy", "--rpc", anvil().rpc_url(), "--key-file",
                     (dir_ / "deployer.key").string(), "--genesis",
                     (fs::path(ICN_SOURCE_DIR) / "deploy/genesis/devnet.toml").string(), "--out",
                     (dir_ / "deployment.json").string(), "--artifacts", ICN_ARTIFACTS_DIR},
                    std::chrono::seconds(120));
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    auto d = chain::Deployment::parse(read_text(dir_ / "deployment.json"));
    ASSERT_TRUE(d.ok()) << d.error().message;
    deployment_ = *d;
    auto contracts = indexer::load_contracts(deployment_, ICN_ARTIFACTS_DIR);
    ASSERT_TRUE(contracts.ok()) << contracts.error().message;
    contracts_ = *contracts;
    auto registry = eth::Artifact::load(artifact_path("Registry"));
    ASSERT_TRUE(registry.ok()) << registry.error().message;
    registry_ = eth::Contract::from_artifact(*registry).value();
  }
  void TearDown() override {
    fs::remove_all(dir_);
    AnvilTest::TearDown();
  }

  // A Registry call from dev account `from` (0: the deployer, who governs the devnet).
  void registry_call(size_t from, std::string_view function, std::vector<abi::Value> args = {}) {
    auto data = registry_.encode_call(function, args);
    ASSERT_TRUE(data.ok()) << data.error().message;
    auto receipt = send_as(dev_address(from), *deployment_.address_of("Registry"), *data);
    ASSERT_TRUE(receipt.ok()) << receipt.error().message;
    ASSERT_TRUE(receipt->status) << function << " reverted";
  }

  std::unique_ptr<indexer::IndexStore> open_store(const std::string& name) {
    auto s = indexer::IndexStore::open(dir_ / name);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::unique_ptr<indexer::Indexer> make_indexer(indexer::IndexStore& store,
                                                 indexer::IndexerOptions options = {}) {
    auto i = indexer::Indexer::create(rpc(), store, contracts_, deployment_.deploy_block, options);
    EXPECT_TRUE(i.ok()) << i.error().message;
    return i.ok() ? std::move(i).value() : nullptr;
  }
  // (block hash, log index, contract, event, args) of every stored event, in chain order.
  std::vector<std::string> stored_events(indexer::IndexStore& store) {
    return store.read([](infra::SqlDatabase& db) {
      std::vector<std::string> out;
      auto st = db.prepare(
          "SELECT block_hash, log_index, contract, event, args FROM events "
          "ORDER BY block_number, log_index");
      EXPECT_TRUE(st.ok());
      while (st.ok() && st->step().value_or(false)) {
        out.push_back(st->column_text(0) + "/" + std::to_string(st->column_int64(1)) + " " +
                      st->column_text(2) + "." + st->column_text(3) + " " + st->column_text(4));
      }
      return out;
    });
  }

  fs::path dir_;
  chain::Deployment deployment_;
  std::vector<indexer::WatchedContract> contracts_;
  eth::Contract registry_;
};

json get_json(httplib::Client& client, const std::string& path, int expect_status = 200) {
  auto r = client.Get(path);
  EXPECT_TRUE(r) << path;
  if (!r) return nullptr;
  EXPECT_EQ(r->status, expect_status) << path << ": " << r->body;
  return json::parse(r->body, nullptr, false);
}

TEST_F(IndexerAnvilTest, ScriptedScenarioAppearsInTheApi) {
  registry_call(1, "registerHardwareProvider");
  registry_call(0, "createRegion", {abi::Value("USE")});
  registry_call(0, "setClusterMaxPrice",
                {abi::Value::uint(1), abi::Value(U256("3000000000000000000"))});

  auto store = open_store("index.db");
  auto idx = make_indexer(*store);
  ASSERT_TRUE(store && idx);
  ASSERT_TRUE(idx->sync().ok());

  infra::HttpServer server;
  indexer::mount_api(server, *store, {[&] { return std::optional<uint64_t>(idx->head()); }});
  ASSERT_TRUE(server.start().ok());
  httplib::Client client("127.0.0.1", server.port());

  json stats = get_json(client, "/v1/stats");
  EXPECT_EQ(stats["regions"], 2);
  EXPECT_EQ(stats["clusters"], 1);
  EXPECT_EQ(stats["hardware_providers"], 1);
  EXPECT_EQ(stats["indexed_block"], head());
  EXPECT_GT(stats["events"].get<int64_t>(), 10);

  json regions = get_json(client, "/v1/regions");
  ASSERT_EQ(regions["items"].size(), 2u);
  EXPECT_EQ(regions["items"][0]["name"], "EUW");  // from the genesis
  EXPECT_EQ(regions["items"][1]["name"], "USE");  // from the scenario
  json clusters = get_json(client, "/v1/clusters");
  ASSERT_EQ(clusters["items"].size(), 1u);
  EXPECT_EQ(clusters["items"][0]["name"], "FRA-1");
  EXPECT_EQ(clusters["items"][0]["max_price"], "3000000000000000000");  // 2.8 ICNT, then 3

  json account = get_json(client, "/v1/accounts/" + dev_address(1).checksummed());
  EXPECT_EQ(account["hardware_provider_id"], 1);
  get_json(client, "/v1/accounts/0xnope", 400);
  get_json(client, "/v1/scalernodes/1", 404);

  // Indexing again from the same checkpoint finds nothing new and changes nothing.
  auto before = stored_events(*store);
  ASSERT_TRUE(idx->sync().ok());
  EXPECT_EQ(stored_events(*store), before);
}

TEST_F(IndexerAnvilTest, ReorgMadeWithSnapshotAndRevertIsRolledBack) {
  auto store = open_store("index.db");
  auto idx = make_indexer(*store);
  ASSERT_TRUE(store && idx);
  ASSERT_TRUE(idx->sync().ok());
  auto genesis_events = stored_events(*store);

  std::string snap = snapshot();
  registry_call(1, "registerHardwareProvider");
  registry_call(0, "createRegion", {abi::Value("APS")});
  ASSERT_TRUE(idx->sync().ok());
  EXPECT_EQ(store->read([](infra::SqlDatabase& db) {
    auto st = db.prepare("SELECT COUNT(*) FROM regions WHERE name = 'APS'");
    return st.ok() && st->step().value_or(false) ? st->column_int64(0) : -1;
  }),
            1);
  EXPECT_EQ(stored_events(*store).size(), genesis_events.size() + 2);

  // The fork: the two blocks are gone; other transactions take their heights.
  revert_to(snap);
  registry_call(0, "createRegion", {abi::Value("AFS")});
  registry_call(0, "createRegion", {abi::Value("MEA")});
  mine(1);
  ASSERT_TRUE(idx->sync().ok());
  EXPECT_EQ(idx->reorgs(), 1u);

  auto events = stored_events(*store);
  ASSERT_EQ(events.size(), genesis_events.size() + 2);
  EXPECT_TRUE(std::equal(genesis_events.begin(), genesis_events.end(), events.begin()));
  EXPECT_NE(events[events.size() - 2].find("AFS"), std::string::npos) << events[events.size() - 2];
  EXPECT_NE(events.back().find("MEA"), std::string::npos) << events.back();
  int64_t hps = store->read([](infra::SqlDatabase& db) {
    auto st = db.prepare("SELECT COUNT(*) FROM hardware_providers");
    return st.ok() && st->step().value_or(false) ? st->column_int64(0) : -1;
  });
  EXPECT_EQ(hps, 0);
  int64_t aps = store->read([](infra::SqlDatabase& db) {
    auto st = db.prepare("SELECT COUNT(*) FROM regions WHERE name = 'APS'");
    return st.ok() && st->step().value_or(false) ? st->column_int64(0) : -1;
  });
  EXPECT_EQ(aps, 0);
  auto cp = store->checkpoint();
  ASSERT_TRUE(cp.ok() && cp->has_value());
  EXPECT_EQ((*cp)->block_number, head());
}

TEST_F(IndexerAnvilTest, StopMidSyncThenResumeLosesAndDuplicatesNothing) {
  for (const char* code : {"USE", "APS", "AFS"})
    registry_call(0, "createRegion", {abi::Value(code)});
  registry_call(1, "registerHardwareProvider");
  registry_call(2, "registerHardwareProvider");

  // Reference: one uninterrupted sync into its own database.
  auto reference_store = open_store("reference.db");
  auto reference = make_indexer(*reference_store);
  ASSERT_TRUE(reference_store && reference);
  ASSERT_TRUE(reference->sync().ok());
  auto expected = stored_events(*reference_store);

  // Small ranges so the sync takes many steps; stop after a few of them.
  indexer::IndexerOptions options;
  options.max_range = 3;
  {
    auto store = open_store("index.db");
    auto idx = make_indexer(*store, options);
    ASSERT_TRUE(store && idx);
    for (int i = 0; i < 4; ++i) {
      auto report = idx->poll_once();
      ASSERT_TRUE(report.ok()) << report.error().message;
      ASSERT_FALSE(report->caught_up) << "the sync should take more steps than this";
    }
    auto partial = stored_events(*store);
    EXPECT_LT(partial.size(), expected.size());
  }  // the process "dies": the follower's memory is gone, only the database remains

  auto store = open_store("index.db");
  auto idx = make_indexer(*store, options);
  ASSERT_TRUE(store && idx);
  ASSERT_TRUE(idx->sync().ok());
  EXPECT_EQ(stored_events(*store), expected);
}

}  // namespace
}  // namespace icn::test

// The indexer against a real anvil with the devnet deployed by `icn deploy`: scripted
// transactions appear in the REST API with the right values; a reorg made with
// evm_snapshot/evm_revert is rolled back (and reaches /v1/events as `event: reorg` before the
// new blocks' events); stopping mid-sync and resuming loses and duplicates nothing.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "icn/actions/onboarding.hpp"
#include "icn/actions/protocol.hpp"
#include "icn/eth/artifact.hpp"
#include "icn/indexer/api.hpp"
#include "icn/indexer/event_stream.hpp"
#include "icn/indexer/indexer.hpp"
#include "icn/infra/http_server.hpp"
#include "test/support/anvil_fixture.hpp"
#include "test/support/command.hpp"
#include "test/support/postgres_fixture.hpp"
#include "test/support/sse_client.hpp"

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

// Every test runs with the store in SQLite and in PostgreSQL (a fresh database per store on the
// binary's throwaway server).
class IndexerAnvilTest : public AnvilTest, public ::testing::WithParamInterface<DbBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == DbBackend::kPostgres) {
      if (std::string why = postgres_unavailable_reason(); !why.empty()) {
        std::cout << "[  SKIPPED ] PostgreSQL tests: " << why << std::endl;
        GTEST_SKIP() << "PostgreSQL is not installed: " << why;
      }
    }
    AnvilTest::SetUp();
    dir_ = fs::temp_directory_path() /
           ("icn-indexer-" + std::to_string(::getpid()) + "-" + test_name());
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
    if (dir_.empty()) return;  // skipped
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

  static std::string test_name() {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    return name;
  }

  // The store called `name` (the same one again when reopened): a SQLite file in the test's
  // directory, or a PostgreSQL database created for it.
  std::unique_ptr<indexer::IndexStore> open_store(const std::string& name) {
    auto it = targets_.find(name);
    if (it == targets_.end()) {
      std::string target = (dir_ / name).string();
      if (GetParam() == DbBackend::kPostgres) {
        auto url = fresh_postgres_database();
        EXPECT_TRUE(url.ok()) << url.error().message;
        if (!url.ok()) return nullptr;
        target = *url;
      }
      it = targets_.emplace(name, target).first;
    }
    auto s = indexer::IndexStore::open_db(it->second);
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
  std::map<std::string, std::string> targets_;  // store name → its --db target
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

TEST_P(IndexerAnvilTest, ScriptedScenarioAppearsInTheApi) {
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

// Real lock/delegate, Link mint/stake/unstake and vesting-release transactions (icn/actions, as
// the devnet's onboarding sends them) appear in /v1/locks, /v1/delegations, /v1/links,
// /v1/vesting, /v1/stats and /v1/accounts, and agree with the contracts' own views.
TEST_P(IndexerAnvilTest, DelegationLinksAndVestingAppearInTheApi) {
  auto opened = actions::Protocol::open(rpc(), deployment_, ICN_ARTIFACTS_DIR);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  actions::Protocol& p = *opened;
  auto sender = [&](size_t i) {
    auto key = PrivateKey::from_hex(infra::kAnvilDevPrivateKeys.at(i));
    EXPECT_TRUE(key.ok());
    eth::SenderOptions options;
    options.expected_chain_id = deployment_.chain_id;
    return eth::TransactionSender::create(rpc(), *key, options).value();
  };
  const U256 icnt = U256(1'000'000'000'000'000'000ULL);
  eth::TransactionSender deployer = sender(0), hp = sender(1), delegator = sender(2),
                         hn_operator = sender(3);
  // The deployer's vested allocations are released to fund the HP and the delegator.
  ASSERT_TRUE(actions::fund_icnt(p, deployer, hp.address(), 1000 * icnt).ok());
  ASSERT_TRUE(actions::fund_icnt(p, deployer, delegator.address(), 500 * icnt).ok());
  ASSERT_TRUE(actions::register_hardware_provider(p, hp).ok());
  actions::ScalerNodeSpec spec;
  spec.name = "node-a";
  spec.region = "EUW";
  spec.hardware_class = "storage-dev";
  spec.location = "DEU";
  spec.capacity = 1;
  spec.daemon = dev_address(6);
  std::vector<actions::ScalerNodeSpec> specs = {spec};
  auto nodes = actions::register_scaler_nodes(p, hp, specs);
  ASSERT_TRUE(nodes.ok()) << nodes.error().message;
  ASSERT_TRUE(actions::validate_scaler_nodes(p, deployer, *nodes).ok());

  // Lock 300 ICNT for 30 days, all delegated to the node.
  auto delegation = p.address_of("Delegation");
  ASSERT_TRUE(delegation.ok());
  ASSERT_TRUE(p.transact(delegator, "ICNT", "approve", {*delegation, 300 * icnt}).ok());
  auto delegated =
      p.transact(delegator, "Delegation", "delegate", {(*nodes)[0], 300 * icnt, U256(30)});
  ASSERT_TRUE(delegated.ok()) << delegated.error().message;

  // A HyperNode with two bundles of Links; the first starts unstaking.
  auto hn_key = PrivateKey::from_hex(infra::kAnvilDevPrivateKeys[5]);
  ASSERT_TRUE(hn_key.ok());
  auto hn = actions::register_hyper_node(p, hn_operator, *hn_key, "CHE", "http://127.0.0.1:7001");
  ASSERT_TRUE(hn.ok()) << hn.error().message;
  auto links = actions::mint_links(p, deployer, hn_operator.address(), 3);
  ASSERT_TRUE(links.ok()) << links.error().message;
  std::vector<U256> first = {(*links)[0], (*links)[1]}, second = {(*links)[2]};
  auto bundle1 = actions::stake_links(p, hn_operator, *hn, first);
  auto bundle2 = actions::stake_links(p, hn_operator, *hn, second);
  ASSERT_TRUE(bundle1.ok() && bundle2.ok());
  ASSERT_TRUE(p.transact(hn_operator, "ICNLink", "initiateUnstake", {*bundle1}).ok());

  auto store = open_store("index.db");
  auto idx = make_indexer(*store);
  ASSERT_TRUE(store && idx);
  ASSERT_TRUE(idx->sync().ok());
  infra::HttpServer server;
  indexer::mount_api(server, *store);
  ASSERT_TRUE(server.start().ok());
  httplib::Client client("127.0.0.1", server.port());
  auto view = [&](const char* contract, const char* function) {
    auto out = p.call(contract, function, {});
    EXPECT_TRUE(out.ok()) << out.error().message;
    return out.ok() ? to_decimal(out->at(0).get<U256>()) : std::string();
  };

  std::string who = delegator.address().checksummed();
  json locks = get_json(client, "/v1/locks?owner=" + who);
  ASSERT_EQ(locks["items"].size(), 1u);
  EXPECT_EQ(locks["items"][0]["lock_id"], 1);
  EXPECT_EQ(locks["items"][0]["owner"], who);
  EXPECT_EQ(locks["items"][0]["amount"], to_decimal(300 * icnt));
  EXPECT_EQ(locks["items"][0]["lock_days"], 30);
  EXPECT_EQ(locks["items"][0]["status"], "locked");
  auto multiplier = p.call("Delegation", "lockMultiplier", {U256(30)});
  ASSERT_TRUE(multiplier.ok()) << multiplier.error().message;
  EXPECT_EQ(locks["items"][0]["multiplier"], to_decimal(multiplier->at(0).get<U256>()));

  json delegations = get_json(client, "/v1/delegations?node=" + to_decimal((*nodes)[0]));
  ASSERT_EQ(delegations["items"].size(), 1u);
  EXPECT_EQ(delegations["items"][0]["lock_id"], 1);
  EXPECT_EQ(delegations["items"][0]["owner"], who);
  EXPECT_EQ(delegations["items"][0]["status"], "active");
  EXPECT_EQ(delegations["items"][0]["amount"], to_decimal(300 * icnt));

  json bundles = get_json(client, "/v1/links?owner=" + hn_operator.address().checksummed());
  ASSERT_EQ(bundles["items"].size(), 2u);
  EXPECT_EQ(bundles["items"][0]["status"], "unstaking");
  EXPECT_EQ(bundles["items"][0]["quantity"], 2);
  EXPECT_FALSE(bundles["items"][0]["unlock_era"].is_null());
  EXPECT_EQ(bundles["items"][1]["status"], "staked");
  EXPECT_EQ(bundles["items"][1]["hyper_node_id"], 1);

  json stats = get_json(client, "/v1/stats");
  EXPECT_EQ(stats["icnt_locked"], to_decimal(300 * icnt));
  EXPECT_EQ(stats["icnt_delegated"], view("Delegation", "totalDelegated"));
  EXPECT_EQ(stats["links_staked"].dump(), view("ICNLink", "totalStakedLinks"));
  EXPECT_EQ(stats["countries"]["scaler_nodes"]["DEU"], 1);
  EXPECT_EQ(stats["countries"]["hyper_nodes"]["CHE"], 1);

  json vesting = get_json(client, "/v1/vesting?beneficiary=" + deployer.address().checksummed());
  ASSERT_FALSE(vesting["items"].empty());
  U256 released = 0;
  for (const json& v : vesting["items"]) released += *parse_u256(v["released"].get<std::string>());
  EXPECT_GE(released, 1500 * icnt);  // what the two fundings needed, at least
  json all = get_json(client, "/v1/vesting");
  EXPECT_EQ(all["items"].size(), 7u);  // every category, from the constructor's events

  json account = get_json(client, "/v1/accounts/" + hn_operator.address().checksummed());
  EXPECT_EQ(account["links"], json::parse(R"({"held":3,"bundles":2,"staked":1,"unstaking":2})"));
  json staker = get_json(client, "/v1/accounts/" + who);
  EXPECT_EQ(staker["delegations"]["amount"], to_decimal(300 * icnt));
}

TEST_P(IndexerAnvilTest, ReorgMadeWithSnapshotAndRevertIsRolledBack) {
  auto store = open_store("index.db");
  auto idx = make_indexer(*store);
  ASSERT_TRUE(store && idx);
  // The service's wiring (indexer/service.cpp): rollbacks go to the event stream.
  indexer::EventStreamOptions stream_options;
  stream_options.heartbeat = std::chrono::milliseconds(200);
  indexer::EventStream stream(*store, stream_options);
  std::vector<std::pair<uint64_t, eth::Checkpoint>> reorgs;
  idx->on_reorg([&](uint64_t from_block, const eth::Checkpoint& ancestor) {
    reorgs.emplace_back(from_block, ancestor);
    stream.reorg({from_block, ancestor});
  });
  infra::HttpServer server;
  indexer::ApiOptions api;
  api.events = &stream;
  indexer::mount_api(server, *store, api);
  ASSERT_TRUE(server.start().ok());
  ASSERT_TRUE(idx->sync().ok());
  auto genesis_events = stored_events(*store);
  SseClient client(server.port(), "/v1/events");
  ASSERT_TRUE(client.wait_for_comment("stream open", std::chrono::seconds(30)));

  uint64_t fork_block = head();
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
  ASSERT_EQ(reorgs.size(), 1u);
  EXPECT_EQ(reorgs[0].first, fork_block + 2);  // the indexed head before: the two replaced blocks
  EXPECT_LE(reorgs[0].second.block_number, fork_block);

  // The stream: the two events, the reorg, then the new blocks' two events.
  ASSERT_TRUE(client.wait_for_messages(5, std::chrono::seconds(30))) << client.messages().size();
  auto messages = client.messages();
  EXPECT_EQ(messages[0].event, "");
  EXPECT_EQ(messages[1].event, "");
  EXPECT_EQ(messages[2].event, "reorg");
  json reorg = json::parse(messages[2].data, nullptr, false);
  EXPECT_EQ(reorg["from_block"], fork_block + 2);
  EXPECT_EQ(reorg["to_block"], reorgs[0].second.block_number);
  EXPECT_EQ(reorg["block_hash"], to_hex(reorgs[0].second.block_hash));
  EXPECT_LT(reorg["last_event_id"].get<int64_t>(), messages[0].id.value_or(0));
  EXPECT_NE(messages[3].data.find("AFS"), std::string::npos) << messages[3].data;
  EXPECT_NE(messages[4].data.find("MEA"), std::string::npos) << messages[4].data;

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

TEST_P(IndexerAnvilTest, StopMidSyncThenResumeLosesAndDuplicatesNothing) {
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

TEST_P(IndexerAnvilTest, EventStreamFollowsIndexingAndResumesWithoutGapsOrDuplicates) {
  auto store = open_store("index.db");
  auto idx = make_indexer(*store);
  ASSERT_TRUE(store && idx);
  indexer::EventStreamOptions stream_options;
  stream_options.heartbeat = std::chrono::milliseconds(200);  // a stopped client is noticed soon
  indexer::EventStream events(*store, stream_options);
  infra::HttpServer server;
  indexer::ApiOptions api;
  api.events = &events;
  indexer::mount_api(server, *store, api);
  ASSERT_TRUE(server.start().ok());
  auto stored_ids = [&] {
    return store->read([](infra::SqlDatabase& db) {
      std::vector<int64_t> ids;
      auto st = db.prepare("SELECT id FROM events ORDER BY id");
      EXPECT_TRUE(st.ok());
      while (st.ok() && st->step().value_or(false)) ids.push_back(st->column_int64(0));
      return ids;
    });
  };
  constexpr auto kWait = std::chrono::seconds(30);

  // Listening from the start while the deployment's events are indexed.
  std::vector<SseMessage> seen;
  {
    SseClient first(server.port(), "/v1/events?last_event_id=0");
    ASSERT_TRUE(first.wait_for_comment("stream open", kWait));
    ASSERT_TRUE(idx->sync().ok());
    size_t genesis = stored_ids().size();
    ASSERT_GT(genesis, 10u);
    ASSERT_TRUE(first.wait_for_messages(genesis, kWait)) << first.messages().size();
    first.stop();
    seen = first.messages();
  }

  // Transactions indexed while nobody listens, then a resume, then more while listening.
  registry_call(1, "registerHardwareProvider");
  registry_call(0, "createRegion", {abi::Value("USE")});
  ASSERT_TRUE(idx->sync().ok());
  SseClient resumed(server.port(), "/v1/events",
                    {{"Last-Event-ID", std::to_string(seen.back().id.value_or(-1))}});
  ASSERT_TRUE(resumed.wait_for_comment("stream open", kWait));
  registry_call(0, "createRegion", {abi::Value("APS")});
  ASSERT_TRUE(idx->sync().ok());
  std::vector<int64_t> ids = stored_ids();
  ASSERT_TRUE(resumed.wait_for_messages(ids.size() - seen.size(), kWait))
      << resumed.messages().size() << " of " << ids.size() - seen.size();
  for (const SseMessage& m : resumed.messages()) seen.push_back(m);

  std::vector<int64_t> streamed;
  for (const SseMessage& m : seen) streamed.push_back(m.id.value_or(-1));
  EXPECT_EQ(streamed, ids);  // every stored event once, in order
  json last = json::parse(seen.back().data, nullptr, false);
  EXPECT_EQ(last["contract"], "Registry");
  EXPECT_EQ(last["event"], "RegionCreated");
  EXPECT_EQ(last["args"]["name"], "APS");
  EXPECT_EQ(last["id"], ids.back());
  events.close();
  EXPECT_TRUE(resumed.wait_for_end(kWait));
}

INSTANTIATE_TEST_SUITE_P(Backends, IndexerAnvilTest,
                         ::testing::Values(DbBackend::kSqlite, DbBackend::kPostgres),
                         db_backend_name);

}  // namespace
}  // namespace icn::test

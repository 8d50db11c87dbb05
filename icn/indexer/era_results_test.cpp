// Era results from satellites: only results whose leaves rebuild the committed root are kept
// (hostile satellites are skipped for the next one), verdicts are checked for form, a satellite
// that is down is survived, a restart resumes from the store, and the API serves per-era rows.
#include "icn/indexer/era_results.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>

#include "icn/core/era_publication.hpp"
#include "icn/core/keccak.hpp"
#include "icn/core/secp256k1.hpp"
#include "icn/indexer/api.hpp"
#include "icn/indexer/test_support.hpp"
#include "icn/infra/http_server.hpp"
#include "test/support/postgres_fixture.hpp"

namespace icn::indexer {
namespace {

using testing::event;

using nlohmann::json;

const char* kHp = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const int64_t kEra = 7;

protocol::EraState sample_state() {
  protocol::EraState s;
  s.era = kEra;
  s.nodes[5] = protocol::NodeState{1000, 50, 0, 1, 1, 0};
  s.nodes[6] = protocol::NodeState{0, 0, 3675, 0, 0, 1};
  s.bundle_rewards[1] = 100;
  s.bundle_rewards[2] = 30;
  return s;
}

json published_json(const protocol::EraState& state) {
  auto key = PrivateKey::from_hex(std::string(64, '1')).value();
  auto tree = protocol::ResultsTree::build(state);
  auto p = protocol::publish_results(uint64_t(kEra), tree, keccak256("data"), key.address(),
                                     sign_hash(key, keccak256("era result")));
  EXPECT_TRUE(p) << p.error().message;
  return protocol::to_json(*p);
}

Hash root_of(const protocol::EraState& state) {
  return protocol::ResultsTree::build(state).root();
}

json verdicts_json(const Hash& root) {
  return {{"era", kEra},
          {"resultsRoot", to_hex(root)},
          {"hasVerdict", true},
          {"upCount", 1},
          {"nodes",
           {{{"nodeId", "5"}, {"verdict", "up"}},
            {{"nodeId", "6"}, {"verdict", "down"}},
            {{"nodeId", "8"}, {"verdict", "maintenance"}}}},
          {"hyperNodes",
           {{{"hyperNodeId", "1"}, {"performance", "500000000000000000"}, {"good", true}}}}};
}

TEST(VerifyEraResults, AcceptsLeavesThatRebuildTheCommittedRoot) {
  auto state = sample_state();
  Hash root = root_of(state);
  auto r = verify_era_results(kEra, root, published_json(state), verdicts_json(root));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->results_root, to_hex(root));
  EXPECT_TRUE(r->has_verdicts);
  EXPECT_EQ(r->up, 1);
  EXPECT_EQ(r->down, 1);
  EXPECT_EQ(r->maintenance, 1);
  ASSERT_EQ(r->nodes.size(), 3u);  // 5 and 6 from leaves and verdicts, 8 from its verdict only
  EXPECT_EQ(r->nodes[0].node_id, 5);
  EXPECT_EQ(r->nodes[0].utilisation, "1000");
  EXPECT_EQ(r->nodes[0].verdict, "up");
  EXPECT_EQ(r->nodes[1].slashed, "3675");
  EXPECT_EQ(r->nodes[2].node_id, 8);
  EXPECT_EQ(r->nodes[2].utilisation, "0");
  ASSERT_EQ(r->link_rewards.size(), 2u);
  EXPECT_EQ(r->link_rewards[0], (std::pair<int64_t, std::string>{1, "100"}));
  ASSERT_EQ(r->hyper_nodes.size(), 1u);
  EXPECT_EQ(r->hyper_nodes[0].performance, "500000000000000000");

  auto without = verify_era_results(kEra, root, published_json(state), nullptr);
  ASSERT_TRUE(without.ok()) << without.error().message;
  EXPECT_FALSE(without->has_verdicts);
  EXPECT_FALSE(without->nodes[0].verdict.has_value());
}

TEST(VerifyEraResults, RejectsWhatIsNotTheCommittedTreeOrMalformed) {
  auto state = sample_state();
  Hash root = root_of(state);
  json good = published_json(state);
  auto rejects = [&](const json& results, const json& verdicts, const std::string& why) {
    auto r = verify_era_results(kEra, root, results, verdicts);
    ASSERT_FALSE(r.ok()) << why;
    EXPECT_NE(r.error().message.find(why), std::string::npos) << r.error().message;
  };
  // Another state's results: another root.
  auto other = state;
  other.nodes[5].utilisation = 999999;
  rejects(published_json(other), nullptr, "the committed one is");
  // The committed root claimed, but a leaf left out: the leaves rebuild another tree.
  json dropped = good;
  dropped["links"].erase(dropped["links"].begin() + 1);
  rejects(dropped, nullptr, "rebuild");
  // A leaf's value changed under its published hash.
  json tampered = good;
  tampered["nodes"][0]["utilisation"] = "5";
  EXPECT_FALSE(verify_era_results(kEra, root, tampered, nullptr).ok());
  rejects(good, json{{"era", kEra}}, "verdicts: resultsRoot");
  json wrong_era = verdicts_json(root);
  wrong_era["era"] = 8;
  rejects(good, wrong_era, "not for era 7");
  json bad_verdict = verdicts_json(root);
  bad_verdict["nodes"][0]["verdict"] = "UP!";
  rejects(good, bad_verdict, "verdicts.nodes[0].verdict");
  json twice = verdicts_json(root);
  twice["nodes"][1]["nodeId"] = "5";
  rejects(good, twice, "listed twice");
  json padded = verdicts_json(root);
  padded["nodes"][0]["nodeId"] = "05";
  rejects(good, padded, "verdicts.nodes[0].nodeId");
  json huge = verdicts_json(root);
  huge["hyperNodes"][0]["performance"] = "1000000000000000001";
  rejects(good, huge, "above 1e18");
  rejects(json::array(), nullptr, "results");
  auto wrong = verify_era_results(kEra + 1, root, good, nullptr);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("for era 7, not 8"), std::string::npos);
}

// A satellite's HTTP API serving fixed bodies (or garbage), counting requests.
struct FakeSatellite {
  explicit FakeSatellite(json results, json verdicts) {
    server.get("/v1/eras/*", [this, results, verdicts](const infra::HttpRequest& req) {
      ++requests;
      std::string tail(req.path_tail());
      if (tail == "7/results") return infra::HttpResponse::json_body(results);
      if (tail == "7/verdicts" && !verdicts.is_null()) {
        return infra::HttpResponse::json_body(verdicts);
      }
      return infra::error_response(404, "not_found", "no " + tail);
    });
    EXPECT_TRUE(server.start().ok());
  }
  infra::HttpServer server;
  std::atomic<int> requests{0};
};

class EraResultsFollowerTest : public ::testing::TestWithParam<test::DbBackend> {
 protected:
  void SetUp() override {
    ICN_DB_TARGET_OR_SKIP(target, GetParam(), ":memory:");
    auto s = IndexStore::open_db(target);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    root_ = root_of(sample_state());
    std::vector<IndexedEvent> events = {
        event(5, 0, "HyperNodeRegistry", "HyperNodeRegistered",
              {{"hyperNodeId", 1},
               {"operator", kHp},
               {"signingKey", kHp},
               {"location", "0x444555"},
               {"endpoint", "http://h"}}),
        event(5, 1, "ICNLink", "LinksStaked",
              {{"bundleId", 1},
               {"owner", kHp},
               {"hyperNodeId", 1},
               {"tokenCount", 2},
               {"stakedEra", 2},
               {"unstakableAt", 0},
               {"tokenIds", {1, 2}}}),
        event(5, 2, "ICNLink", "LinksStaked",
              {{"bundleId", 2},
               {"owner", kHp},
               {"hyperNodeId", 1},
               {"tokenCount", 1},
               {"stakedEra", 2},
               {"unstakableAt", 0},
               {"tokenIds", {3}}}),
        event(6, 0, "Registry", "HardwareProviderRegistered", {{"hpId", 1}, {"account", kHp}}),
        event(6, 1, "Registry", "ScalerNodeRegistered",
              {{"nodeId", 5},
               {"hpId", 1},
               {"clusterId", 1},
               {"params",
                {{"name", "n5"},
                 {"regionId", 1},
                 {"classId", 1},
                 {"clusterId", 0},
                 {"location", "0x444555"},
                 {"capacity", "1"},
                 {"reservationPrice", "5"},
                 {"maxBookingDuration", 100},
                 {"nodeRewardShare", "0"},
                 {"daemon", kHp},
                 {"collateralAmount", "1000"},
                 {"commitmentDuration", 100}}}}),
        event(10, 0, "Settlement", "EraCommitted",
              {{"era", kEra},
               {"resultsRoot", to_hex(root_)},
               {"dataRoot", to_hex(keccak256("data"))},
               {"submitter", kHp},
               {"signerMask", "3"}}),
    };
    ASSERT_TRUE(store_->store(events, {10, events.back().block_hash}, {}).ok());
  }

  std::unique_ptr<IndexStore> store_;
  Hash root_{};
};

TEST_P(EraResultsFollowerTest, HostileAndDownSatellitesAreSkippedAndTheApiServesTheRows) {
  auto state = sample_state();
  // Hostile: the committed root claimed over other leaves. Down: nothing listens there.
  auto forged = state;
  forged.nodes[5].utilisation = 1;
  json lying = published_json(forged);
  lying["resultsRoot"] = to_hex(root_);
  FakeSatellite hostile(lying, verdicts_json(root_));
  FakeSatellite honest(published_json(state), verdicts_json(root_));
  std::string down_url;
  {
    infra::HttpServer gone;
    ASSERT_TRUE(gone.start().ok());
    down_url = gone.url();
  }

  infra::MetricsRegistry registry;
  EraResultsMetrics metrics(registry);
  EraResultsOptions options;
  options.satellites = {down_url, hostile.server.url(), honest.server.url()};
  options.request_timeout = std::chrono::milliseconds(2000);
  EraResultsFollower follower(*store_, options, &metrics);
  auto stored = follower.poll_once();
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(*stored, 1u);
  EXPECT_EQ(metrics.rejected.with({"unreachable"}).value(), 1);
  EXPECT_EQ(metrics.rejected.with({"bad_results"}).value(), 1);
  EXPECT_EQ(metrics.stored.value(), 1);
  auto again = follower.poll_once();  // nothing pending: nobody is asked
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
  EXPECT_EQ(honest.requests.load(), 2);  // results + verdicts, once

  // A restarted follower resumes from the store: nothing to fetch.
  EraResultsFollower restarted(*store_, options);
  auto resumed = restarted.poll_once();
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(*resumed, 0u);
  EXPECT_EQ(honest.requests.load(), 2);

  infra::HttpServer api;
  mount_api(api, *store_);
  ASSERT_TRUE(api.start().ok());
  httplib::Client client("127.0.0.1", api.port());
  auto get = [&](const std::string& path) {
    auto r = client.Get(path);
    EXPECT_TRUE(r) << path;
    return r ? std::make_pair(r->status, json::parse(r->body, nullptr, false))
             : std::make_pair(0, json());
  };
  auto [s1, eras] = get("/v1/eras");
  ASSERT_EQ(s1, 200);
  ASSERT_EQ(eras["items"].size(), 1u);
  EXPECT_EQ(eras["items"][0]["up"], 1);
  EXPECT_EQ(eras["items"][0]["down"], 1);
  EXPECT_EQ(eras["items"][0]["maintenance"], 1);
  auto [s2, node] = get("/v1/scalernodes/5/eras");
  ASSERT_EQ(s2, 200);
  EXPECT_EQ(node["items"],
            json::parse(R"([{"era":7,"verdict":"up","utilisation":"1000","subsidy":"50",)"
                        R"("slashed":"0"}])"));
  auto [s3, hyper] = get("/v1/hypernodes/1/eras");
  ASSERT_EQ(s3, 200);
  EXPECT_EQ(hyper["items"], json::parse(R"([{"era":7,"performance":"500000000000000000",)"
                                        R"("good":true,"link_reward":"130"}])"));
  auto [s4, one] = get("/v1/hypernodes/1");
  ASSERT_EQ(s4, 200);
  EXPECT_EQ(one["links_staked"], 3);
  EXPECT_EQ(get("/v1/scalernodes/99/eras").first, 404);
  EXPECT_EQ(get("/v1/hypernodes/9/eras").first, 404);
  EXPECT_EQ(get("/v1/hypernodes/x/eras").second["error"]["code"], "bad_id");
  EXPECT_EQ(get("/v1/scalernodes/5/eras?limit=0").second["error"]["code"], "bad_limit");
  EXPECT_EQ(get("/v1/scalernodes/5/verdicts").first, 404);
}

TEST_P(EraResultsFollowerTest, NoSatelliteAnsweringIsAnErrorAndNothingIsStored) {
  auto forged = sample_state();
  forged.bundle_rewards[2] = 31;
  FakeSatellite hostile(published_json(forged), nullptr);
  EraResultsOptions options;
  options.satellites = {hostile.server.url()};
  EraResultsFollower follower(*store_, options);
  auto r = follower.poll_once();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("era 7 results from no satellite"), std::string::npos)
      << r.error().message;
  auto missing = store_->eras_without_results(10);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, EraResultsFollowerTest,
                         ::testing::Values(test::DbBackend::kSqlite, test::DbBackend::kPostgres),
                         test::db_backend_name);

}  // namespace
}  // namespace icn::indexer

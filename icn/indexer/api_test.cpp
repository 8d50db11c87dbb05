// The REST API over a store filled by hand: values as projected, pagination, filters, and 4xx
// JSON errors for malformed input.
#include "icn/indexer/api.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <set>

#include "icn/indexer/test_support.hpp"
#include "test/support/postgres_fixture.hpp"

namespace icn::indexer {
namespace {

using testing::event;

using nlohmann::json;

const char* kHp = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const char* kDaemon = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

json node_registered(int node, int cluster, const char* capacity) {
  return {{"nodeId", node},
          {"hpId", 1},
          {"clusterId", cluster},
          {"params",
           {{"name", "n" + std::to_string(node)},
            {"regionId", 1},
            {"classId", 1},
            {"clusterId", 0},
            {"location", "0x444555"},
            {"capacity", capacity},
            {"reservationPrice", "5"},
            {"maxBookingDuration", 100},
            {"nodeRewardShare", "0"},
            {"daemon", kDaemon},
            {"collateralAmount", "1000"},
            {"commitmentDuration", 100}}}};
}

// Every test runs on SQLite and on PostgreSQL and expects the same bytes from both.
class ApiTest : public ::testing::TestWithParam<test::DbBackend> {
 protected:
  void SetUp() override {
    ICN_DB_TARGET_OR_SKIP(target, GetParam(), ":memory:");
    auto s = IndexStore::open_db(target);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    std::vector<IndexedEvent> events = {
        event(5, 0, "Registry", "RegionCreated", {{"regionId", 1}, {"name", "EUW"}}),
        event(5, 1, "Registry", "ClusterCreated",
              {{"clusterId", 1},
               {"regionId", 1},
               {"classId", 1},
               {"name", "FRA-1"},
               {"maxPrice", "28"}}),
        event(5, 2, "Registry", "ClusterCreated",
              {{"clusterId", 2},
               {"regionId", 1},
               {"classId", 1},
               {"name", "FRA-2"},
               {"maxPrice", "28"}}),
        event(6, 0, "Registry", "HardwareProviderRegistered", {{"hpId", 1}, {"account", kHp}}),
    };
    for (int i = 1; i <= 5; ++i) {
      events.push_back(event(7, i, "Registry", "ScalerNodeRegistered",
                             node_registered(i, i <= 3 ? 1 : 2, "10")));
    }
    events.push_back(event(8, 0, "Registry", "ScalerNodeValidated",
                           {{"nodeId", 2}, {"clusterId", 1}, {"capacity", "20"}}));
    events.push_back(event(8, 1, "Registry", "ScalerNodeValidated",
                           {{"nodeId", 4}, {"clusterId", 2}, {"capacity", "30"}}));
    events.push_back(event(9, 0, "CapacityMarket", "Booked",
                           {{"bookingId", 1},
                            {"builder", kDaemon},
                            {"nodeId", 4},
                            {"clusterId", 2},
                            {"capacity", "7"},
                            {"duration", "100"},
                            {"activationEra", 3},
                            {"eras", "5"},
                            {"price", "50"},
                            {"margin", "5"},
                            {"accessKey", "0x"}}));
    events.push_back(event(10, 0, "Settlement", "EraCommitted",
                           {{"era", 2},
                            {"resultsRoot", "0x01"},
                            {"dataRoot", "0x02"},
                            {"submitter", kHp},
                            {"signerMask", "3"}}));
    const std::string zero = "0x0000000000000000000000000000000000000000";
    events.push_back(event(10, 1, "Delegation", "Locked",
                           {{"lockId", 1},
                            {"owner", kHp},
                            {"amount", "1000"},
                            {"lockDays", 30},
                            {"multiplier", "2"},
                            {"unlockTime", 100}}));
    events.push_back(event(10, 2, "Delegation", "Delegated",
                           {{"delegationId", 1}, {"lockId", 1}, {"nodeId", 2}, {"amount", "600"}}));
    events.push_back(event(10, 3, "Delegation", "Delegated",
                           {{"delegationId", 2}, {"lockId", 1}, {"nodeId", 4}, {"amount", "400"}}));
    events.push_back(event(10, 4, "Delegation", "Undelegated",
                           {{"delegationId", 2}, {"by", kHp}, {"reclaimEra", 9}}));
    events.push_back(
        event(10, 5, "ICNLink", "Transfer", {{"from", zero}, {"to", kHp}, {"tokenId", 1}}));
    events.push_back(
        event(10, 6, "ICNLink", "Transfer", {{"from", zero}, {"to", kHp}, {"tokenId", 2}}));
    events.push_back(event(10, 7, "ICNLink", "LinksStaked",
                           {{"bundleId", 1},
                            {"owner", kHp},
                            {"hyperNodeId", 1},
                            {"tokenCount", 2},
                            {"stakedEra", 2},
                            {"unstakableAt", 50},
                            {"tokenIds", {1, 2}}}));
    events.push_back(event(10, 8, "HyperNodeRegistry", "HyperNodeRegistered",
                           {{"hyperNodeId", 1},
                            {"operator", kDaemon},
                            {"signingKey", kDaemon},
                            {"location", "0x555341"},
                            {"endpoint", "http://h"}}));
    events.push_back(event(10, 9, "Vesting", "Released",
                           {{"category", 3}, {"beneficiary", kDaemon}, {"amount", "70"}}));
    ASSERT_TRUE(store_->store(events, {10, events.back().block_hash}, {}).ok());
    mount_api(server_, *store_, {[] { return std::optional<uint64_t>(12); }});
    ASSERT_TRUE(server_.start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_.port());
  }

  // status, parsed body
  std::pair<int, json> get(const std::string& path) {
    auto r = client_->Get(path);
    if (!r) return {0, nullptr};
    return {r->status, json::parse(r->body, nullptr, false)};
  }
  void expect_error(const std::string& path, int status, const std::string& code) {
    auto [st, body] = get(path);
    EXPECT_EQ(st, status) << path;
    EXPECT_EQ(body["error"]["code"], code) << path << ": " << body.dump();
  }

  std::unique_ptr<IndexStore> store_;
  infra::HttpServer server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_P(ApiTest, StatsCountAndSum) {
  auto [status, stats] = get("/v1/stats");
  ASSERT_EQ(status, 200);
  EXPECT_EQ(stats["indexed_block"], 10);
  EXPECT_EQ(stats["head_block"], 12);
  EXPECT_EQ(stats["lag_blocks"], 2);
  EXPECT_EQ(stats["regions"], 1);
  EXPECT_EQ(stats["clusters"], 2);
  EXPECT_EQ(stats["scaler_nodes"]["total"], 5);
  EXPECT_EQ(stats["scaler_nodes"]["registered"], 3);
  EXPECT_EQ(stats["scaler_nodes"]["validated"], 2);
  EXPECT_EQ(stats["capacity"], "50");  // validated: 20 + 30
  EXPECT_EQ(stats["capacity_booked"], "7");
  EXPECT_EQ(stats["bookings_active"], 1);
  EXPECT_EQ(stats["eras_committed"], 1);
  EXPECT_EQ(stats["events"], 22);
  EXPECT_EQ(stats["icnt_locked"], "1000");
  EXPECT_EQ(stats["icnt_delegated"], "600");
  EXPECT_EQ(stats["links_staked"], 2);
  EXPECT_EQ(stats["countries"],
            json::parse(R"({"scaler_nodes":{"DEU":5},"hyper_nodes":{"USA":1}})"));
}

TEST_P(ApiTest, LocksDelegationsLinksVesting) {
  std::string lower = kHp;
  for (char& c : lower) c = char(std::tolower(c));
  auto [s1, locks] = get("/v1/locks?owner=" + lower);
  ASSERT_EQ(s1, 200);
  ASSERT_EQ(locks["items"].size(), 1u);
  EXPECT_EQ(locks["items"][0], json::parse(std::string(R"({"lock_id":1,"owner":")") + kHp +
                                           R"(","amount":"1000","initial_amount":"1000",)"
                                           R"("lock_days":30,"multiplier":"2","unlock_time":100,)"
                                           R"("status":"locked","block_number":10})"));
  auto [s2, delegations] = get("/v1/delegations?owner=" + lower + "&limit=1");
  ASSERT_EQ(s2, 200);
  ASSERT_EQ(delegations["items"].size(), 1u);
  EXPECT_EQ(delegations["items"][0]["node_id"], 2);
  EXPECT_EQ(delegations["items"][0]["status"], "active");
  EXPECT_EQ(delegations["items"][0]["slashed"], "0");
  EXPECT_TRUE(delegations["items"][0]["reclaim_era"].is_null());
  EXPECT_EQ(delegations["next_cursor"], "1");
  auto [s3, by_node] = get("/v1/delegations?node=4");
  ASSERT_EQ(by_node["items"].size(), 1u);
  EXPECT_EQ(by_node["items"][0]["status"], "undelegated");
  EXPECT_EQ(by_node["items"][0]["reclaim_era"], 9);
  auto [s4, active] = get("/v1/delegations?status=active");
  EXPECT_EQ(active["items"].size(), 1u);
  auto [s5, links] = get("/v1/links?hypernode=1");
  ASSERT_EQ(s5, 200);
  ASSERT_EQ(links["items"].size(), 1u);
  EXPECT_EQ(links["items"][0]["quantity"], 2);
  EXPECT_EQ(links["items"][0]["status"], "staked");
  EXPECT_EQ(links["items"][0]["owner"], kHp);
  EXPECT_TRUE(links["items"][0]["unlock_era"].is_null());
  auto [s6, vesting] = get(std::string("/v1/vesting?beneficiary=") + kDaemon);
  ASSERT_EQ(s6, 200);
  ASSERT_EQ(vesting["items"].size(), 1u);
  EXPECT_EQ(vesting["items"][0]["category"], 3);
  EXPECT_EQ(vesting["items"][0]["name"], "EcoDev");
  EXPECT_EQ(vesting["items"][0]["released"], "70");
  auto [s7, none] = get(std::string("/v1/vesting?beneficiary=") + kHp);
  EXPECT_EQ(none["items"].size(), 0u);

  auto [s8, account] = get("/v1/accounts/" + lower);
  ASSERT_EQ(s8, 200);
  EXPECT_EQ(account["locks"], json::parse(R"({"count":1,"active":1,"amount":"1000"})"));
  EXPECT_EQ(account["delegations"], json::parse(R"({"count":2,"active":1,"amount":"600"})"));
  EXPECT_EQ(account["links"], json::parse(R"({"held":2,"bundles":1,"staked":2,"unstaking":0})"));
}

TEST_P(ApiTest, ScalerNodesPageByCursorAndFilter) {
  auto [s1, page1] = get("/v1/scalernodes?limit=2");
  ASSERT_EQ(s1, 200);
  ASSERT_EQ(page1["items"].size(), 2u);
  EXPECT_EQ(page1["items"][0]["node_id"], 1);
  EXPECT_EQ(page1["items"][0]["owner"], kHp);
  EXPECT_EQ(page1["items"][0]["location"], "DEU");
  EXPECT_EQ(page1["next_cursor"], "2");
  auto [s2, page2] = get("/v1/scalernodes?limit=2&cursor=2");
  ASSERT_EQ(s2, 200);
  EXPECT_EQ(page2["items"][0]["node_id"], 3);
  EXPECT_EQ(page2["next_cursor"], "4");
  auto [s3, page3] = get("/v1/scalernodes?limit=2&cursor=4");
  ASSERT_EQ(page3["items"].size(), 1u);
  EXPECT_TRUE(page3["next_cursor"].is_null());

  auto [s4, validated] = get("/v1/scalernodes?status=validated&cluster=2");
  ASSERT_EQ(s4, 200);
  ASSERT_EQ(validated["items"].size(), 1u);
  EXPECT_EQ(validated["items"][0]["node_id"], 4);
  EXPECT_EQ(validated["items"][0]["capacity"], "30");

  auto [s5, node] = get("/v1/scalernodes/4");
  ASSERT_EQ(s5, 200);
  EXPECT_EQ(node["status"], "validated");
  ASSERT_EQ(node["bookings"].size(), 1u);
  EXPECT_EQ(node["bookings"][0]["price"], "50");
}

// Rewards diverted into a node's collateral (HpRewardsClaimed.toCollateral, from the stored
// event) and collateral taken by slashes (SlashApplied.fromCollateral), oldest first, paged by
// event id; movements of 0 are left out.
TEST_P(ApiTest, NodeCollateralMovements) {
  auto claim = [](int node, int era, const char* to_collateral) {
    return json{{"nodeId", node},       {"era", era},      {"hp", kHp},
                {"utilisation", "100"}, {"subsidy", "20"}, {"toCollateral", to_collateral},
                {"toDelegators", "0"},  {"toHp", "5"}};
  };
  auto slash = [](int node, int era, const char* from_collateral) {
    return json{{"nodeId", node},        {"era", era},
                {"slashed", "40"},       {"fromCollateral", from_collateral},
                {"fromDelegation", "0"}, {"owed", "0"}};
  };
  std::vector<IndexedEvent> events = {
      event(11, 0, "Settlement", "HpRewardsClaimed", claim(2, 3, "115")),
      event(11, 1, "Settlement", "HpRewardsClaimed", claim(4, 3, "9")),  // another node
      event(12, 0, "Settlement", "SlashApplied", slash(2, 4, "40")),
      event(12, 1, "Settlement", "HpRewardsClaimed", claim(2, 4, "0")),  // nothing diverted
      event(13, 0, "Settlement", "HpRewardsClaimed", claim(2, 5, "7")),
  };
  ASSERT_TRUE(store_->store(events, {13, events.back().block_hash}, {}).ok());
  auto [s1, all] = get("/v1/scalernodes/2/collateral");
  ASSERT_EQ(s1, 200);
  ASSERT_EQ(all["items"].size(), 3u) << all.dump();
  EXPECT_EQ(all["items"][0]["kind"], "diverted");
  EXPECT_EQ(all["items"][0]["era"], 3);
  EXPECT_EQ(all["items"][0]["amount"], "115");
  EXPECT_EQ(all["items"][0]["block_number"], 11);
  EXPECT_EQ(all["items"][1]["kind"], "slashed");
  EXPECT_EQ(all["items"][1]["era"], 4);
  EXPECT_EQ(all["items"][1]["amount"], "40");
  EXPECT_EQ(all["items"][2]["kind"], "diverted");
  EXPECT_EQ(all["items"][2]["amount"], "7");
  EXPECT_TRUE(all["next_cursor"].is_null());
  // Pages of 2 movements: the zero claim counts for the page, then is left out.
  auto [s2, first] = get("/v1/scalernodes/2/collateral?limit=2");
  ASSERT_EQ(first["items"].size(), 2u);
  ASSERT_TRUE(first["next_cursor"].is_string());
  auto [s3, second] =
      get("/v1/scalernodes/2/collateral?limit=2&cursor=" + first["next_cursor"].get<std::string>());
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["amount"], "7");
  EXPECT_TRUE(second["next_cursor"].is_null());
  auto [s4, other] = get("/v1/scalernodes/1/collateral");
  ASSERT_EQ(s4, 200);
  EXPECT_EQ(other["items"].size(), 0u);
  expect_error("/v1/scalernodes/42/collateral", 404, "not_found");
  expect_error("/v1/scalernodes/2/collateral?limit=0", 400, "bad_limit");
}

TEST_P(ApiTest, HyperNodesByOperator) {
  auto [s1, mine] = get(std::string("/v1/hypernodes?operator=") + kDaemon);
  ASSERT_EQ(s1, 200);
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["hyper_node_id"], 1);
  auto [s2, none] = get(std::string("/v1/hypernodes?operator=") + kHp);
  EXPECT_EQ(none["items"].size(), 0u);
  expect_error("/v1/hypernodes?operator=0x12", 400, "bad_address");
}

TEST_P(ApiTest, ErasBookingsAccounts) {
  auto [s1, era] = get("/v1/eras/2");
  ASSERT_EQ(s1, 200);
  EXPECT_EQ(era["submitter"], kHp);
  EXPECT_TRUE(era["claims"].is_array());
  auto [s2, eras] = get("/v1/eras");
  EXPECT_EQ(eras["items"].size(), 1u);
  auto [s3, bookings] = get(std::string("/v1/bookings?builder=") + kDaemon);
  ASSERT_EQ(s3, 200);
  EXPECT_EQ(bookings["items"].size(), 1u);
  // Lower-case addresses name the same account.
  std::string lower = kHp;
  for (char& c : lower) c = char(std::tolower(c));
  auto [s4, account] = get("/v1/accounts/" + lower);
  ASSERT_EQ(s4, 200);
  EXPECT_EQ(account["address"], kHp);
  EXPECT_EQ(account["hardware_provider_id"], 1);
  EXPECT_EQ(account["scaler_nodes"].size(), 5u);
  auto [s5, clusters] = get("/v1/clusters?region=1");
  EXPECT_EQ(clusters["items"].size(), 2u);
  auto [s6, regions] = get("/v1/regions");
  EXPECT_EQ(regions["items"][0]["name"], "EUW");
}

TEST_P(ApiTest, BadInputIsA4xxJsonError) {
  expect_error("/v1/scalernodes?limit=0", 400, "bad_limit");
  expect_error("/v1/scalernodes?limit=501", 400, "bad_limit");
  expect_error("/v1/scalernodes?limit=abc", 400, "bad_limit");
  expect_error("/v1/scalernodes?limit=-1", 400, "bad_limit");
  expect_error("/v1/scalernodes?cursor=x", 400, "bad_cursor");
  expect_error("/v1/scalernodes?status=sleeping", 400, "bad_status");
  expect_error("/v1/scalernodes?cluster=1.5", 400, "bad_cluster");
  expect_error("/v1/scalernodes/abc", 400, "bad_id");
  expect_error("/v1/scalernodes/99999999999999999999999", 400, "bad_id");
  expect_error("/v1/scalernodes/007", 400, "bad_id");
  expect_error("/v1/scalernodes/42", 404, "not_found");
  expect_error("/v1/eras/x", 400, "bad_era");
  expect_error("/v1/eras/77", 404, "not_found");
  expect_error("/v1/accounts/0x1234", 400, "bad_address");
  // A mixed-case address with a wrong EIP-55 checksum.
  expect_error("/v1/accounts/0x70997970c51812dc3A010C7d01b50e0d17dc79C8", 400, "bad_address");
  expect_error("/v1/bookings?status=pending", 400, "bad_status");
  expect_error("/v1/bookings?node=-3", 400, "bad_node");
  expect_error("/v1/hypernodes?retired=maybe", 400, "bad_retired");
  expect_error("/v1/locks?owner=0x12", 400, "bad_address");
  expect_error("/v1/locks?status=open", 400, "bad_status");
  expect_error("/v1/locks?limit=1000", 400, "bad_limit");
  expect_error("/v1/delegations?node=x", 400, "bad_node");
  expect_error("/v1/delegations?lock=-1", 400, "bad_lock");
  expect_error("/v1/delegations?status=slashed", 400, "bad_status");
  expect_error("/v1/delegations?owner=kHp", 400, "bad_address");
  expect_error("/v1/links?hypernode=1e3", 400, "bad_hypernode");
  expect_error("/v1/links?status=gone", 400, "bad_status");
  expect_error("/v1/links?cursor=abc", 400, "bad_cursor");
  expect_error("/v1/vesting?beneficiary=0x70997970c51812dc3A010C7d01b50e0d17dc79C8", 400,
               "bad_address");
  expect_error("/v1/nope", 404, "not_found");
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest,
                         ::testing::Values(test::DbBackend::kSqlite, test::DbBackend::kPostgres),
                         test::db_backend_name);

TEST(ApiDocument, OpenApiPathsAreExactlyTheRoutes) {
  std::ifstream in(std::string(ICN_SOURCE_DIR) + "/docs/openapi/indexer.yaml");
  ASSERT_TRUE(in) << "docs/openapi/indexer.yaml missing";
  std::set<std::string> documented;
  std::string line;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (line == "paths:") {
      in_paths = true;
      continue;
    }
    if (in_paths && !line.empty() && line[0] != ' ' && line[0] != '#') in_paths = false;
    // Path keys are indented by two spaces: "  /v1/stats:".
    if (in_paths && line.rfind("  /", 0) == 0 && line.back() == ':') {
      documented.insert(line.substr(2, line.size() - 3));
    }
  }
  std::set<std::string> served(api_routes().begin(), api_routes().end());
  served.insert("/metrics");
  EXPECT_EQ(documented, served);
}

}  // namespace
}  // namespace icn::indexer

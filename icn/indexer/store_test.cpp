// Projections from hand-built decoded events: values land in the right columns, re-delivery is
// idempotent, rollback removes orphaned events and rebuilds projections, checkpoints persist.
#include "icn/indexer/store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

#include "icn/indexer/test_support.hpp"
#include "test/support/postgres_fixture.hpp"

namespace icn::indexer {
namespace {

using testing::event;
using testing::hash_of;

using nlohmann::json;

eth::Checkpoint at(uint64_t block, uint8_t fork = 0) {
  return {block, hash_of(block, fork)};
}

const char* kHp = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const char* kDaemon = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

json node_params() {
  return {{"name", "node-1"},
          {"regionId", 1},
          {"classId", 1},
          {"clusterId", 0},
          {"location", "0x444555"},
          {"capacity", "10"},
          {"reservationPrice", "2000000000000000000"},
          {"maxBookingDuration", 15552000},
          {"nodeRewardShare", "10000000000000000000"},
          {"daemon", kDaemon},
          {"collateralAmount", "1000000000000000000000"},
          {"commitmentDuration", 94608000}};
}

std::vector<IndexedEvent> genesis_events() {
  return {
      event(10, 0, "Registry", "RegionCreated", {{"regionId", 1}, {"name", "EUW"}}),
      event(10, 1, "Registry", "HardwareClassCreated",
            {{"classId", 1}, {"spec", {{"name", "storage-dev"}, {"capacityUnit", "TB"}}}}),
      event(11, 0, "Registry", "ClusterCreated",
            {{"clusterId", 7},
             {"regionId", 1},
             {"classId", 1},
             {"name", "FRA-1"},
             {"maxPrice", "2800000000000000000"}}),
      event(12, 0, "Registry", "HardwareProviderRegistered", {{"hpId", 3}, {"account", kHp}}),
  };
}

// Every test runs against SQLite (a file) and PostgreSQL (a fresh database on the binary's
// throwaway server): same schema, same projections, same answers.
class StoreTest : public ::testing::TestWithParam<test::DbBackend> {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("indexer_store_" + std::to_string(::getpid()) + "_" + name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ICN_DB_TARGET_OR_SKIP(target, GetParam(), (dir_ / "index.db").string());
    target_ = target;
    auto s = IndexStore::open_db(target_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  int64_t count(const std::string& sql) {
    return store_->read([&](infra::SqlDatabase& db) -> int64_t {
      auto st = db.prepare(sql);
      EXPECT_TRUE(st.ok()) << st.error().message;
      if (!st.ok()) return -1;
      auto row = st->step();
      EXPECT_TRUE(row.ok() && *row);
      return st->column_int64(0);
    });
  }
  std::string text(const std::string& sql) {
    return store_->read([&](infra::SqlDatabase& db) -> std::string {
      auto st = db.prepare(sql);
      EXPECT_TRUE(st.ok()) << st.error().message;
      if (!st.ok()) return "";
      auto row = st->step();
      if (!row.ok() || !*row) return "<no row>";
      return st->is_null(0) ? "<null>" : st->column_text(0);
    });
  }
  std::filesystem::path dir_;
  std::string target_;
  std::unique_ptr<IndexStore> store_;
};

TEST_P(StoreTest, ProjectsRegistryEventsIntoTables) {
  auto events = genesis_events();
  events.push_back(
      event(13, 0, "Registry", "ScalerNodeRegistered",
            {{"nodeId", "5"}, {"hpId", 3}, {"clusterId", 7}, {"params", node_params()}}));
  auto added = store_->store(events, at(13), {});
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(*added, 5u);

  EXPECT_EQ(text("SELECT name FROM regions WHERE region_id = 1"), "EUW");
  EXPECT_EQ(text("SELECT capacity_unit FROM hardware_classes WHERE class_id = 1"), "TB");
  EXPECT_EQ(text("SELECT max_price FROM clusters WHERE cluster_id = 7"), "2800000000000000000");
  EXPECT_EQ(text("SELECT status FROM scaler_nodes WHERE node_id = 5"), "registered");
  EXPECT_EQ(text("SELECT owner FROM scaler_nodes WHERE node_id = 5"), kHp);
  EXPECT_EQ(text("SELECT daemon FROM scaler_nodes WHERE node_id = 5"), kDaemon);
  EXPECT_EQ(text("SELECT location FROM scaler_nodes WHERE node_id = 5"), "DEU");
  EXPECT_EQ(count("SELECT cluster_id FROM scaler_nodes WHERE node_id = 5"), 7);
  EXPECT_EQ(text("SELECT capacity FROM scaler_nodes WHERE node_id = 5"), "10");

  // Validated with the capacity the validator measured, then booked, then a new daemon key.
  std::vector<IndexedEvent> later = {
      event(14, 0, "Registry", "ScalerNodeValidated",
            {{"nodeId", "5"}, {"clusterId", 7}, {"capacity", "12"}}),
      event(15, 0, "Registry", "ScalerNodeBooked", {{"nodeId", "5"}, {"activationEra", 3}}),
      event(15, 1, "Registry", "DaemonKeySet",
            {{"nodeId", "5"}, {"oldKey", kDaemon}, {"newKey", kHp}}),
  };
  ASSERT_TRUE(store_->store(later, at(15), {}).ok());
  EXPECT_EQ(text("SELECT status FROM scaler_nodes WHERE node_id = 5"), "booked");
  EXPECT_EQ(text("SELECT capacity FROM scaler_nodes WHERE node_id = 5"), "12");
  EXPECT_EQ(text("SELECT daemon FROM scaler_nodes WHERE node_id = 5"), kHp);
  EXPECT_EQ(count("SELECT updated_block FROM scaler_nodes WHERE node_id = 5"), 15);
}

TEST_P(StoreTest, MarketSettlementAndHyperNodeProjections) {
  std::vector<IndexedEvent> events = {
      event(20, 0, "CapacityMarket", "Booked",
            {{"bookingId", "1"},
             {"builder", kHp},
             {"nodeId", "5"},
             {"clusterId", 7},
             {"capacity", "4"},
             {"duration", "7776000"},
             {"activationEra", 9},
             {"eras", "100"},
             {"price", "1000"},
             {"margin", "250"},
             {"accessKey", "0x01"}}),
      event(21, 0, "CapacityMarket", "Renewed",
            {{"bookingId", "1"},
             {"extraDuration", "100"},
             {"price", "10"},
             {"margin", "2"},
             {"eras", "120"},
             {"escrow", "0"},
             {"pricePerEra", "0"}}),
      event(22, 0, "Settlement", "EraCommitted",
            {{"era", 4},
             {"resultsRoot", "0x" + std::string(64, 'a')},
             {"dataRoot", "0x" + std::string(64, 'b')},
             {"submitter", kHp},
             {"signerMask", "3"}}),
      event(22, 1, "Settlement", "HpRewardsClaimed",
            {{"nodeId", "5"},
             {"era", 4},
             {"hp", kHp},
             {"utilisation", "1"},
             {"subsidy", "2"},
             {"toCollateral", "0"},
             {"toDelegators", "0"},
             {"toHp", "3"}}),
      event(22, 2, "Settlement", "SlashApplied",
            {{"nodeId", "5"},
             {"era", 4},
             {"slashed", "9"},
             {"fromCollateral", "8"},
             {"fromDelegation", "1"},
             {"owed", "0"}}),
      event(23, 0, "HyperNodeRegistry", "HyperNodeRegistered",
            {{"hyperNodeId", "1"},
             {"operator", kHp},
             {"signingKey", kDaemon},
             {"location", "0x444555"},
             {"endpoint", "http://a"}}),
      event(23, 1, "HyperNodeRegistry", "HyperNodeRetired", {{"hyperNodeId", "1"}}),
      event(
          24, 0, "CapacityMarket", "Expired",
          {{"bookingId", "1"}, {"nodeId", "5"}, {"era", 200}, {"upEras", "100"}, {"refund", "7"}}),
  };
  ASSERT_TRUE(store_->store(events, at(24), {}).ok());
  EXPECT_EQ(text("SELECT duration FROM bookings WHERE booking_id = 1"), "7776100");
  EXPECT_EQ(text("SELECT price FROM bookings WHERE booking_id = 1"), "1010");
  EXPECT_EQ(text("SELECT eras FROM bookings WHERE booking_id = 1"), "120");
  EXPECT_EQ(text("SELECT status FROM bookings WHERE booking_id = 1"), "expired");
  EXPECT_EQ(text("SELECT refund FROM bookings WHERE booking_id = 1"), "7");
  EXPECT_EQ(text("SELECT results_root FROM eras WHERE era = 4"), "0x" + std::string(64, 'a'));
  EXPECT_EQ(text("SELECT submitter FROM eras WHERE era = 4"), kHp);
  EXPECT_EQ(text("SELECT amount FROM claims WHERE kind = 'hp'"), "3");
  EXPECT_EQ(text("SELECT slashed FROM slashes WHERE node_id = 5"), "9");
  EXPECT_EQ(count("SELECT retired FROM hyper_nodes WHERE hyper_node_id = 1"), 1);
  EXPECT_EQ(text("SELECT location FROM hyper_nodes WHERE hyper_node_id = 1"), "DEU");
}

// A lock delegated to node 5, a slash of the node, the delegation settled (loss), undelegated,
// reclaimed, the lock withdrawn; Links minted, staked, unstaked; vesting released.
TEST_P(StoreTest, DelegationLinkAndVestingProjections) {
  const std::string zero = "0x0000000000000000000000000000000000000000";
  std::vector<IndexedEvent> events = {
      event(30, 0, "Delegation", "Locked",
            {{"lockId", "1"},
             {"owner", kHp},
             {"amount", "1000"},
             {"lockDays", "30"},
             {"multiplier", "500000000000000000"},
             {"unlockTime", 1900000000}}),
      event(30, 1, "Delegation", "Delegated",
            {{"delegationId", "1"}, {"lockId", "1"}, {"nodeId", "5"}, {"amount", "1000"}}),
      event(31, 0, "Delegation", "Locked",
            {{"lockId", "2"},
             {"owner", kDaemon},
             {"amount", "500"},
             {"lockDays", "1"},
             {"multiplier", "1"},
             {"unlockTime", 1800000000}}),
      event(31, 1, "Delegation", "Delegated",
            {{"delegationId", "2"}, {"lockId", "2"}, {"nodeId", "5"}, {"amount", "500"}}),
  };
  ASSERT_TRUE(store_->store(events, at(31), {}).ok());
  EXPECT_EQ(text("SELECT owner FROM delegations WHERE delegation_id = 1"), kHp);
  EXPECT_EQ(text("SELECT status FROM delegations WHERE delegation_id = 1"), "active");
  EXPECT_EQ(text("SELECT delegated FROM node_delegation WHERE node_id = 5"), "1500");
  EXPECT_EQ(text("SELECT multiplier FROM locks WHERE lock_id = 1"), "500000000000000000");
  EXPECT_EQ(count("SELECT lock_days FROM locks WHERE lock_id = 1"), 30);

  std::vector<IndexedEvent> later = {
      // 150 of node 5's 1500 slashed: the node total drops at once.
      event(32, 0, "Delegation", "DelegationSlashed",
            {{"nodeId", "5"},
             {"requested", "150"},
             {"taken", "150"},
             {"fromActive", "150"},
             {"fromUndelegated", "0"},
             {"treasury", kHp}}),
      // Delegation 1 settles its 100 loss when undelegating.
      event(33, 0, "Delegation", "SlashLossSettled",
            {{"delegationId", "1"}, {"lockId", "1"}, {"loss", "100"}, {"amount", "900"}}),
      event(33, 1, "Delegation", "Undelegated",
            {{"delegationId", "1"}, {"by", kHp}, {"reclaimEra", 12}}),
      event(34, 0, "Delegation", "Reclaimed",
            {{"delegationId", "1"}, {"lockId", "1"}, {"amount", "900"}}),
      event(35, 0, "Delegation", "Withdrawn", {{"lockId", "1"}, {"owner", kHp}, {"amount", "900"}}),
  };
  ASSERT_TRUE(store_->store(later, at(35), {}).ok());
  EXPECT_EQ(text("SELECT delegated FROM node_delegation WHERE node_id = 5"), "450");
  EXPECT_EQ(text("SELECT undelegated FROM node_delegation WHERE node_id = 5"), "0");
  EXPECT_EQ(text("SELECT status FROM delegations WHERE delegation_id = 1"), "reclaimed");
  EXPECT_EQ(text("SELECT slashed FROM delegations WHERE delegation_id = 1"), "100");
  EXPECT_EQ(count("SELECT reclaim_era FROM delegations WHERE delegation_id = 1"), 12);
  EXPECT_EQ(text("SELECT amount FROM locks WHERE lock_id = 1"), "0");
  EXPECT_EQ(text("SELECT status FROM locks WHERE lock_id = 1"), "withdrawn");
  EXPECT_EQ(text("SELECT initial_amount FROM locks WHERE lock_id = 1"), "1000");
  EXPECT_EQ(text("SELECT status FROM locks WHERE lock_id = 2"), "locked");

  std::vector<IndexedEvent> links = {
      event(40, 0, "ICNLink", "LinksMinted",
            {{"to", kHp}, {"firstTokenId", "1"}, {"quantity", "3"}}),
      event(40, 1, "ICNLink", "Transfer", {{"from", zero}, {"to", kHp}, {"tokenId", "1"}}),
      event(40, 2, "ICNLink", "Transfer", {{"from", zero}, {"to", kHp}, {"tokenId", "2"}}),
      event(40, 3, "ICNLink", "Transfer", {{"from", zero}, {"to", kHp}, {"tokenId", "3"}}),
      event(41, 0, "ICNLink", "Transfer", {{"from", kHp}, {"to", kDaemon}, {"tokenId", "3"}}),
      event(42, 0, "ICNLink", "LinksStaked",
            {{"bundleId", "1"},
             {"owner", kHp},
             {"hyperNodeId", "2"},
             {"tokenCount", "2"},
             {"stakedEra", "7"},
             {"unstakableAt", "1900000000"},
             {"tokenIds", {"1", "2"}}}),
      event(43, 0, "ICNLink", "UnstakeInitiated",
            {{"bundleId", "1"},
             {"owner", kHp},
             {"hyperNodeId", "2"},
             {"tokenCount", "2"},
             {"unstakeEra", "9"},
             {"withdrawableEra", "11"},
             {"hyperNodeRetired", false}}),
      event(44, 0, "Vesting", "BeneficiaryChanged",
            {{"category", 2}, {"previous", zero}, {"current", kHp}}),
      event(44, 1, "Vesting", "Released", {{"category", 2}, {"beneficiary", kHp}, {"amount", "7"}}),
      event(45, 0, "Vesting", "Released", {{"category", 2}, {"beneficiary", kHp}, {"amount", "5"}}),
      event(45, 1, "Vesting", "BeneficiaryChanged",
            {{"category", 2}, {"previous", kHp}, {"current", kDaemon}}),
  };
  ASSERT_TRUE(store_->store(links, at(45), {}).ok());
  EXPECT_EQ(count(std::string("SELECT balance FROM link_holders WHERE owner = '") + kHp + "'"), 2);
  EXPECT_EQ(count(std::string("SELECT balance FROM link_holders WHERE owner = '") + kDaemon + "'"),
            1);
  EXPECT_EQ(text("SELECT status FROM link_bundles WHERE bundle_id = 1"), "unstaking");
  EXPECT_EQ(count("SELECT unlock_era FROM link_bundles WHERE bundle_id = 1"), 11);
  EXPECT_EQ(count("SELECT quantity FROM link_bundles WHERE bundle_id = 1"), 2);
  EXPECT_EQ(text("SELECT released FROM vesting WHERE category = 2"), "12");
  EXPECT_EQ(text("SELECT beneficiary FROM vesting WHERE category = 2"), kDaemon);

  // A rollback replays all of it to the same state.
  ASSERT_TRUE(store_->rebuild_projections().ok());
  EXPECT_EQ(text("SELECT delegated FROM node_delegation WHERE node_id = 5"), "450");
  EXPECT_EQ(text("SELECT released FROM vesting WHERE category = 2"), "12");
  EXPECT_EQ(count(std::string("SELECT balance FROM link_holders WHERE owner = '") + kHp + "'"), 2);
}

TEST_P(StoreTest, StoringTheSameEventsAgainChangesNothing) {
  auto events = genesis_events();
  events.push_back(event(20, 0, "Settlement", "HpRewardsClaimed",
                         {{"nodeId", "5"},
                          {"era", 4},
                          {"hp", kHp},
                          {"utilisation", "1"},
                          {"subsidy", "2"},
                          {"toCollateral", "0"},
                          {"toDelegators", "0"},
                          {"toHp", "3"}}));
  ASSERT_TRUE(store_->store(events, at(20), {}).ok());
  auto again = store_->store(events, at(20), {});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, 0u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM claims"), 1);
}

// A range of hundreds of events spans several multi-row INSERTs (store.cpp's kInsertRows):
// events keep chain order in their ids, each is projected after the events before it (a price
// set lands on the node registered before it), a duplicate inside one delivery and a
// re-delivered prefix are stored and projected once.
TEST_P(StoreTest, ARangeOfManyEventsIsStoredInChainOrderAcrossInsertChunks) {
  auto events = genesis_events();
  for (uint64_t i = 1; i <= 300; ++i) {
    uint64_t block = 20 + i / 2, index = (i % 2) * 2;
    json params = node_params();
    params["reservationPrice"] = "1";
    events.push_back(
        event(block, index, "Registry", "ScalerNodeRegistered",
              {{"nodeId", std::to_string(i)}, {"hpId", 3}, {"clusterId", 7}, {"params", params}}));
    events.push_back(
        event(block, index + 1, "Registry", "ReservationPriceSet",
              {{"nodeId", std::to_string(i)}, {"reservationPrice", std::to_string(1000 + i)}}));
  }
  std::vector<IndexedEvent> prefix(events.begin(), events.begin() + 400);
  auto first = store_->store(prefix, at(prefix.back().block_number), {});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, 400u);
  std::vector<IndexedEvent> again = events;
  again.insert(again.begin() + 450, events[449]);  // the same log twice in one delivery
  auto added = store_->store(again, at(170), {});
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(*added, events.size() - 400);

  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), int64_t(events.size()));
  EXPECT_EQ(count("SELECT COUNT(*) FROM events a JOIN events b ON a.id < b.id WHERE "
                  "a.block_number > b.block_number OR (a.block_number = b.block_number AND "
                  "a.log_index > b.log_index)"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM scaler_nodes"), 300);
  EXPECT_EQ(count("SELECT COUNT(*) FROM scaler_nodes WHERE owner = '" + std::string(kHp) + "'"),
            300);
  for (int node : {1, 128, 129, 255, 256, 300}) {
    EXPECT_EQ(
        text("SELECT reservation_price FROM scaler_nodes WHERE node_id = " + std::to_string(node)),
        std::to_string(1000 + node));
  }
  // A rebuild from the stored events (what a rollback does) gives the same projections.
  ASSERT_TRUE(store_->rebuild_projections().ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM scaler_nodes"), 300);
  EXPECT_EQ(text("SELECT reservation_price FROM scaler_nodes WHERE node_id = 200"), "1200");
}

TEST_P(StoreTest, RollbackDeletesOrphanedEventsAndRebuildsProjections) {
  ASSERT_TRUE(store_->store(genesis_events(), at(12), {}).ok());
  std::vector<IndexedEvent> fork_a = {
      event(13, 0, "Registry", "ScalerNodeRegistered",
            {{"nodeId", "5"}, {"hpId", 3}, {"clusterId", 7}, {"params", node_params()}}),
      event(14, 0, "Registry", "ClusterMaxPriceSet",
            {{"clusterId", 7}, {"oldMaxPrice", "2800000000000000000"}, {"newMaxPrice", "1"}}),
  };
  std::vector<eth::Checkpoint> window = {at(10), at(11), at(12), at(13)};
  ASSERT_TRUE(store_->store(fork_a, at(14), window).ok());
  EXPECT_EQ(text("SELECT max_price FROM clusters WHERE cluster_id = 7"), "1");

  ASSERT_TRUE(store_->roll_back(at(12)).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM scaler_nodes"), 0);
  EXPECT_EQ(text("SELECT max_price FROM clusters WHERE cluster_id = 7"), "2800000000000000000");
  auto cp = store_->checkpoint();
  ASSERT_TRUE(cp.ok() && cp->has_value());
  EXPECT_EQ(**cp, at(12));
  auto blocks = store_->recent_blocks();
  ASSERT_TRUE(blocks.ok());
  ASSERT_FALSE(blocks->empty());
  EXPECT_EQ(blocks->back(), at(12));

  // The other fork's block 13 (a different hash) is stored as new.
  std::vector<IndexedEvent> fork_b = {
      event(13, 0, "Registry", "RegionCreated", {{"regionId", 2}, {"name", "USE"}}, 1)};
  ASSERT_TRUE(store_->store(fork_b, at(13, 1), {}).ok());
  EXPECT_EQ(text("SELECT name FROM regions WHERE region_id = 2"), "USE");
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), 5);
}

TEST_P(StoreTest, CheckpointAndWindowSurviveReopen) {
  std::vector<eth::Checkpoint> window = {at(10), at(11)};
  ASSERT_TRUE(store_->store(genesis_events(), at(12), window).ok());
  store_.reset();
  auto s = IndexStore::open_db(target_);
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto cp = (*s)->checkpoint();
  ASSERT_TRUE(cp.ok() && cp->has_value());
  EXPECT_EQ(**cp, at(12));
  auto blocks = (*s)->recent_blocks();
  ASSERT_TRUE(blocks.ok());
  EXPECT_EQ(*blocks, (std::vector<eth::Checkpoint>{at(10), at(11), at(12)}));
  auto again = (*s)->store(genesis_events(), at(12), window);  // migrations ran once
  ASSERT_TRUE(again.ok()) << again.error().message;
}

TEST_P(StoreTest, AMistypedArgumentFailsTheWholeRangeAndNamesIt) {
  std::vector<IndexedEvent> events = {
      event(10, 0, "Registry", "RegionCreated", {{"regionId", 1}, {"name", "EUW"}}),
      event(10, 1, "Registry", "RegionCreated", {{"regionId", "x"}, {"name", "USE"}}),
  };
  auto r = store_->store(events, at(10), {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("regionId"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("Registry.RegionCreated"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), 0);
  auto cp = store_->checkpoint();
  ASSERT_TRUE(cp.ok());
  EXPECT_FALSE(cp->has_value());
}

// A database written before migration 3 (events_name present, version 2) keeps its events and
// loses the index when opened.
TEST_P(StoreTest, MigrationThreeDropsTheUnusedEventsIndexOfAnExistingDatabase) {
  ASSERT_TRUE(store_->store(genesis_events(), at(12), {}).ok());
  const bool sqlite = GetParam() == test::DbBackend::kSqlite;
  const std::string has_index =
      sqlite ? "SELECT COUNT(*) FROM sqlite_master WHERE name = 'events_name'"
             : "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'events_name'";
  Status back = store_->read([](infra::SqlDatabase& db) -> Status {
    ICN_CHECK(db.exec("CREATE INDEX events_name ON events (contract, event)"));
    return db.exec("DELETE FROM schema_migrations WHERE version = 3");
  });
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(count(has_index), 1);
  store_.reset();
  auto s = IndexStore::open_db(target_);
  ASSERT_TRUE(s.ok()) << s.error().message;
  store_ = std::move(s).value();
  EXPECT_EQ(count(has_index), 0);
  EXPECT_EQ(count("SELECT MAX(version) FROM schema_migrations"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), int64_t(genesis_events().size()));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(test::DbBackend::kSqlite, test::DbBackend::kPostgres),
                         test::db_backend_name);

}  // namespace
}  // namespace icn::indexer

// The daemon's booking follower against a real chain: two nodes onboarded and booked by a Builder
// on a fresh anvil with the devnet deployment; one node's follower provisions through an exec
// script, the other's through ssh-account; mining past the booking's last era de-provisions both.
// Governance sets the market's era length to one day first, so the 90-day minimum booking lasts
// 90 eras (1,800 blocks) rather than 388,800. The Expired path needs a committed era and a Merkle
// proof from the satellites; it is covered by the unit test on a fake source (bookings_test.cpp).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "icn/actions/market.hpp"
#include "icn/actions/onboarding.hpp"
#include "icn/actions/protocol.hpp"
#include "icn/chain/protocol_reader.hpp"
#include "icn/daemon/bookings.hpp"
#include "icn/daemon/challenge_store.hpp"
#include "test/support/deployed_fixture.hpp"

namespace icn::test {
namespace {

namespace fs = std::filesystem;
const U256 kIcnt = U256(1'000'000'000'000'000'000ULL);
const std::string kKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOuxbGzJJk/LPGUYWag1Qk4ylz+BOUKihznpzxa0vqzK "
    "builder@example";

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One node's follower: its own database, chain source and provisioner, as the daemon has.
struct NodeFollower {
  NodeFollower(eth::RpcClient& rpc, chain::ProtocolReader& reader, const chain::Deployment& d,
               const fs::path& db_path, const U256& node_id, daemon::Provisioner& provisioner)
      : db(*infra::Database::open(db_path)),
        source(rpc, reader, *d.address_of("CapacityMarket"), d.deploy_block, std::nullopt, 0),
        follower(source, db, provisioner, {.scaler_node_id = node_id}, nullptr, wall_ms) {
    EXPECT_TRUE(infra::migrate(db, daemon::daemon_migrations()).ok());
  }
  daemon::BookingRecord only_booking() {
    auto s = follower.status();
    EXPECT_EQ(s.bookings.size(), 1u);
    return s.bookings.empty() ? daemon::BookingRecord{} : s.bookings[0];
  }
  void sync() {
    Status s = follower.sync_once();
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  infra::Database db;
  daemon::ChainMarketLogSource source;
  daemon::BookingFollower follower;
};

class BookingsAnvilTest : public DeployedTest {};

TEST_F(BookingsAnvilTest, ABookingOnChainIsProvisionedThenDeprovisionedAfterItsLastEra) {
  auto opened = actions::Protocol::open(rpc(), deployment_, ICN_ARTIFACTS_DIR);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  actions::Protocol& p = *opened;
  auto reader = chain::ProtocolReader::open(rpc(), deployment_, ICN_ARTIFACTS_DIR);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  // Before the senders read their nonces: this one is sent by anvil for the unlocked deployer.
  send(dev_address(0), bound("CapacityMarket"), "setEraSeconds", {U256(86400)});
  eth::TransactionSender deployer = sender(0);
  eth::TransactionSender hp = sender(1);
  eth::TransactionSender builder = sender(2);
  ASSERT_TRUE(actions::fund_icnt(p, deployer, hp.address(), 1000 * kIcnt).ok());
  ASSERT_TRUE(actions::register_hardware_provider(p, hp).ok());
  std::vector<actions::ScalerNodeSpec> specs(2);
  for (size_t i = 0; i < 2; ++i) {
    specs[i].name = "node-" + std::to_string(i);
    specs[i].region = "EUW";
    specs[i].hardware_class = "storage-dev";
    specs[i].location = "DEU";
    specs[i].capacity = 1;
    specs[i].daemon = dev_address(6 - 2 * i);
  }
  auto ids = actions::register_scaler_nodes(p, hp, specs);
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  ASSERT_TRUE(actions::validate_scaler_nodes(p, deployer, *ids).ok());
  ASSERT_TRUE(actions::list_scaler_nodes(p, hp, *ids).ok());

  // Node 1 runs an exec script that keeps every request; node 2 makes SSH accounts.
  fs::path requests = dir_ / "requests";
  fs::create_directories(requests);
  fs::path script = dir_ / "provision.sh";
  std::ofstream(script) << "#!/bin/sh\n"
                           "cat > \""
                        << requests.string()
                        << "/$(date +%s%N).json\"\n"
                           "echo '{\"endpoint\":\"vm://node-1/booking\"}'\n";
  fs::permissions(script, fs::perms::owner_all);
  daemon::ExecProvisioner exec({{script.string()}, std::chrono::seconds(20), dir_ / "work"});
  daemon::SshAccountProvisioner ssh({.accounts_dir = dir_ / "accounts", .host = "node-2.test"});
  NodeFollower node1(rpc(), *reader, deployment_, dir_ / "node1.db", (*ids)[0], exec);
  NodeFollower node2(rpc(), *reader, deployment_, dir_ / "node2.db", (*ids)[1], ssh);

  ASSERT_TRUE(actions::fund_icnt(p, deployer, builder.address(), 100 * kIcnt).ok());
  const uint64_t days90 = 90 * 86400;
  Bytes key(kKey.begin(), kKey.end());
  auto first = actions::book_capacity(p, builder, 1, 1, days90, 20 * kIcnt, key);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = actions::book_capacity(p, builder, 1, 1, days90, 20 * kIcnt, key);
  ASSERT_TRUE(second.ok()) << second.error().message;
  auto info = actions::read_booking(p, *first);
  ASSERT_TRUE(info.ok()) << info.error().message;
  ASSERT_EQ(info->node_id, (*ids)[0]);
  ASSERT_EQ(info->eras, 90u) << "90 days of one-day eras";

  // Seen, not yet active: the booking counts from the era after `book`.
  node1.sync();
  node2.sync();
  daemon::BookingRecord r1 = node1.only_booking();
  EXPECT_EQ(r1.terms.booking_id, *first);
  EXPECT_EQ(r1.terms.activation_era, info->activation_era);
  EXPECT_EQ(r1.terms.eras, 90u);
  EXPECT_EQ(r1.terms.builder, builder.address());
  EXPECT_EQ(r1.terms.access_key, key);
  EXPECT_EQ(r1.state, daemon::BookingState::kBooked);
  EXPECT_EQ(node2.only_booking().terms.booking_id, *second);
  EXPECT_TRUE(fs::is_empty(requests));

  auto head = reader->head_block();
  ASSERT_TRUE(head.ok());
  mine(info->activation_era * 20 - *head);  // era_blocks = 20, first era 0 at block 0
  node1.sync();
  node2.sync();
  r1 = node1.only_booking();
  ASSERT_EQ(r1.state, daemon::BookingState::kProvisioned) << r1.last_error;
  EXPECT_EQ(r1.endpoint, "vm://node-1/booking");
  std::vector<fs::path> sent(fs::directory_iterator(requests), fs::directory_iterator{});
  ASSERT_EQ(sent.size(), 1u);
  auto request = nlohmann::json::parse(std::ifstream(sent[0]));
  EXPECT_EQ(request["action"], "provision");
  EXPECT_EQ(request["bookingId"], to_decimal(*first));
  EXPECT_EQ(request["nodeId"], to_decimal((*ids)[0]));
  EXPECT_EQ(request["builder"], builder.address().checksummed());
  EXPECT_EQ(request["clusterId"], 1);
  EXPECT_EQ(request["capacity"], "1");
  EXPECT_EQ(request["duration"], days90);
  EXPECT_EQ(request["activationEra"], info->activation_era);
  EXPECT_EQ(request["eras"], 90);
  EXPECT_EQ(request["accessKey"], kKey);

  daemon::BookingRecord r2 = node2.only_booking();
  ASSERT_EQ(r2.state, daemon::BookingState::kProvisioned) << r2.last_error;
  std::string account = "icn-b" + to_decimal(*second);
  EXPECT_EQ(r2.endpoint, "ssh://" + account + "@node-2.test");
  fs::path keys = dir_ / "accounts" / account / ".ssh" / "authorized_keys";
  std::ifstream in(keys);
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, kKey + "\n");

  // Past the last era (activation + 89): both de-provision.
  head = reader->head_block();
  ASSERT_TRUE(head.ok());
  mine((info->activation_era + 90) * 20 - *head);
  node1.sync();
  node2.sync();
  r1 = node1.only_booking();
  EXPECT_EQ(r1.state, daemon::BookingState::kDeprovisioned) << r1.last_error;
  r2 = node2.only_booking();
  EXPECT_EQ(r2.state, daemon::BookingState::kDeprovisioned) << r2.last_error;
  EXPECT_FALSE(fs::exists(dir_ / "accounts" / account));
  sent.assign(fs::directory_iterator(requests), fs::directory_iterator{});
  ASSERT_EQ(sent.size(), 2u);
  std::sort(sent.begin(), sent.end());
  EXPECT_EQ(nlohmann::json::parse(std::ifstream(sent[1]))["action"], "deprovision");
}

}  // namespace
}  // namespace icn::test

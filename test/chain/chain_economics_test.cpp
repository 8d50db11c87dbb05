// Settlement economics read from a fresh anvil with the devnet deployment: an HP with a
// validated, booked ScalerNode, a HyperNode with staked Links and a declared maintenance window,
// set up with raw contract calls. ProtocolReader's batched reads and ChainEconomics /
// ChainMaintenance give the values the contracts hold at the era's last block, and changes made
// after that block are not seen.
#include "icn/satellite/chain_economics.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "icn/chain/protocol_reader.hpp"
#include "icn/core/eip191.hpp"
#include "icn/core/secp256k1.hpp"
#include "test/support/command.hpp"
#include "test/support/deployed_fixture.hpp"

namespace icn::test {
namespace {

namespace fs = std::filesystem;

const U256 kIcnt = U256(protocol::kWadUnit);
constexpr uint64_t kDay = 86'400;

class ChainEconomicsTest : public DeployedTest {
 protected:
  U256 view_uint(const eth::Contract& c, std::string_view fn, std::vector<abi::Value> args,
                 uint64_t block) {
    auto out = c.call(rpc(), fn, args, eth::BlockRef::number(block));
    EXPECT_TRUE(out.ok()) << fn << ": " << (out.ok() ? "" : out.error().message);
    if (!out.ok() || out->empty() || !(*out)[0].get_if<U256>()) return 0;
    return *(*out)[0].get_if<U256>();
  }
  // Liquid ICNT for a test account: the devnet's allocations sit in Vesting, so the test
  // impersonates it (anvil) and transfers.
  void fund(const Address& to, const U256& amount) {
    Address vesting = *deployment_.address_of("Vesting");
    ASSERT_TRUE(
        rpc().call("anvil_impersonateAccount", eth::json::array({vesting.lower_hex()})).ok());
    ASSERT_TRUE(rpc()
                    .call("anvil_setBalance",
                          eth::json::array({vesting.lower_hex(), "0x56bc75e2d63100000"}))
                    .ok());
    send(vesting, bound("ICNT"), "transfer", {to, amount});
  }
  uint64_t era_of(uint64_t block) {
    auto era = reader_->era_at(block);
    EXPECT_TRUE(era.ok()) << era.error().message;
    return era.value_or(0);
  }

  std::optional<chain::ProtocolReader> reader_;
};

TEST_F(ChainEconomicsTest, ReadsBookedNodeBundlesAndMaintenanceAtTheEraBoundary) {
  auto opened = chain::ProtocolReader::open(rpc(), deployment_, ICN_ARTIFACTS_DIR);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  reader_.emplace(std::move(opened).value());
  chain::ProtocolReader& r = *reader_;

  const Address deployer = dev_address(0);
  const Address hp = dev_address(1);
  const Address builder = dev_address(2);
  const Address daemon = dev_address(3);
  const Address holder = dev_address(4);
  const Address hn_operator = dev_address(6);
  eth::Contract icnt = bound("ICNT");
  eth::Contract registry = bound("Registry");
  eth::Contract market = bound("CapacityMarket");
  eth::Contract links = bound("ICNLink");
  eth::Contract settlement = bound("Settlement");
  eth::Contract collateral = bound("Collateral");
  eth::Contract policy = bound("RewardPolicy");
  const U256 max = (U256(1) << 256) - 1;

  // An HP with one 10 TB node in FRA-1 (region 1, class 1, cluster 1), fully collateralised.
  fund(hp, 100'000 * kIcnt);
  fund(builder, 100'000 * kIcnt);
  send(hp, registry, "registerHardwareProvider", {});
  send(hp, icnt, "approve", {*deployment_.address_of("Collateral"), max});
  abi::Value::List params = {abi::Value("node-1"),
                             abi::Value::uint(1),
                             abi::Value::uint(1),
                             abi::Value::uint(0),
                             abi::Value(Bytes{'D', 'E', 'U'}),
                             abi::Value::uint(10),
                             abi::Value(2 * kIcnt),
                             abi::Value::uint(180 * kDay),
                             abi::Value::uint(0),
                             abi::Value(daemon),
                             abi::Value(1000 * kIcnt),
                             abi::Value::uint(1080 * kDay)};
  send(hp, registry, "registerScalerNodes", {abi::Value::List{abi::Value(params)}});
  send(deployer, registry, "validateScalerNode", {U256(1)});
  send(hp, market, "list", {U256(1)});
  // A Builder books it for 90 days: price 2 ICNT/TB/month × 10 TB × 3 months = 60 ICNT.
  send(builder, icnt, "approve", {*deployment_.address_of("CapacityMarket"), max});
  send(builder, market, "book",
       {abi::Value::uint(1), abi::Value::uint(10), abi::Value::uint(90 * kDay),
        abi::Value(1000 * kIcnt), abi::Value(Bytes{'s', 's', 'h'})});

  // A HyperNode with a bundle of two Links.
  auto signing_key = PrivateKey::from_hex(infra::kAnvilDevPrivateKeys[5]);
  ASSERT_TRUE(signing_key.ok());
  eth::Contract hyper_nodes = bound("HyperNodeRegistry");
  std::vector<abi::Value> proof_args = {abi::Value(hn_operator)};
  auto proof_hash = hyper_nodes.call(rpc(), "hyperNodeKeyProofHash", proof_args);
  ASSERT_TRUE(proof_hash.ok()) << proof_hash.error().message;
  FixedBytes<65> proof =
      sign_hash(*signing_key, eip191_message_hash(*(*proof_hash)[0].get_if<Bytes>())).to_rsv65();
  send(hn_operator, hyper_nodes, "registerHyperNode",
       {abi::Value(signing_key->address()), abi::Value(Bytes{'D', 'E', 'U'}),
        abi::Value("http://127.0.0.1:7001"), abi::Value(Bytes(proof.begin(), proof.end()))});
  send(deployer, links, "mint", {holder, U256(3)});
  send(holder, links, "stake", {U256(1), abi::Value::List{U256(1), U256(2)}});

  // Maintenance for the next era E (declared at least one era ahead).
  const uint64_t era = era_of(head() + 1) + 1;
  send(hp, settlement, "declareMaintenance", {U256(1), U256(era), U256(1)});
  auto bounds = r.era_bounds(era);
  ASSERT_TRUE(bounds.ok()) << bounds.error().message;
  const uint64_t boundary = bounds->end_block - 1;
  ASSERT_LT(head(), boundary);
  mine(boundary - head());
  ASSERT_EQ(head(), boundary);

  // After the boundary: more collateral, another bundle, another maintenance declaration.
  send(hp, collateral, "topUp", {U256(1), U256(500 * kIcnt)});
  send(holder, links, "stake", {U256(1), abi::Value::List{U256(3)}});
  send(hp, settlement, "declareMaintenance", {U256(1), U256(era + 2), U256(1)});
  mine(2);

  // ProtocolReader at the boundary.
  std::vector<U256> ids = {U256(1)};
  auto infos = r.node_economics(ids, boundary);
  ASSERT_TRUE(infos.ok()) << infos.error().message;
  ASSERT_EQ(infos->size(), 1u);
  const chain::NodeEconomicsInfo& n = (*infos)[0];
  EXPECT_EQ(n.node_id, 1);
  EXPECT_EQ(n.capacity, 10);
  EXPECT_EQ(n.region_id, 1u);
  EXPECT_EQ(n.class_id, 1u);
  EXPECT_EQ(n.collateral, 1000 * kIcnt);  // not the top-up after the boundary
  EXPECT_EQ(n.slash_taken, 0);
  EXPECT_EQ(n.reward_multiplier_wad, view_uint(policy, "rewardMultiplier", {U256(1)}, boundary));
  ASSERT_TRUE(n.booking.has_value());
  const chain::BookingInfo& b = *n.booking;
  EXPECT_EQ(b.id, 1);
  EXPECT_EQ(b.node_id, 1);
  EXPECT_EQ(b.builder, builder);
  EXPECT_EQ(b.status, chain::BookingStatus::kActive);
  EXPECT_EQ(b.escrow, 60 * kIcnt);
  EXPECT_EQ(b.eras, 90 * kDay / 20);                          // devnet eraSeconds = 20
  EXPECT_EQ(b.price_per_era, 60 * kIcnt / (90 * kDay / 20));  // floor(escrow / eras)
  EXPECT_LE(b.activation_era, era);
  EXPECT_TRUE(b.covers(era));

  auto per_unit = r.capacity_subsidy_per_unit(1, 1, boundary);
  ASSERT_TRUE(per_unit.ok()) << per_unit.error().message;
  EXPECT_GT(*per_unit, 0);
  // RewardPolicy.nodeSubsidyPerEra = per unit × capacity × multiplier: the same split settle_era
  // applies.
  EXPECT_EQ(*per_unit * 10 * n.reward_multiplier_wad / kIcnt,
            view_uint(policy, "nodeSubsidyPerEra", {U256(1)}, boundary));

  auto bundles = r.link_bundles(boundary);
  ASSERT_TRUE(bundles.ok()) << bundles.error().message;
  ASSERT_EQ(bundles->size(), 1u);  // the second stake came after the boundary
  EXPECT_EQ((*bundles)[0].id, 1);
  EXPECT_EQ((*bundles)[0].owner, holder);
  EXPECT_EQ((*bundles)[0].hyper_node_id, 1);
  EXPECT_EQ((*bundles)[0].links, 2u);
  EXPECT_EQ((*bundles)[0].status, chain::BundleStatus::kStaked);
  EXPECT_TRUE((*bundles)[0].counts_in(era));
  auto later = r.link_bundles(head());
  ASSERT_TRUE(later.ok()) << later.error().message;
  EXPECT_EQ(later->size(), 2u);

  auto start_time = r.block_timestamp(bounds->start_block);
  ASSERT_TRUE(start_time.ok()) << start_time.error().message;
  auto curve = r.link_curve(*start_time, boundary);
  ASSERT_TRUE(curve.ok()) << curve.error().message;
  // Curve month 1 (reward_start = the deployment): 85 % × 140M × 48 / 1,176 / 55,000 per 30 days,
  // × 20 s eras.
  const U256 stream = U256(119'000'000) * kIcnt;
  EXPECT_EQ(curve->reward_per_link_per_era, stream * 48 * 20 / (U256(1176) * 55'000 * (30 * kDay)));
  EXPECT_EQ(curve->min_performance_wad, kIcnt / 2);

  auto declared = r.maintenance_declarations(deployment_.deploy_block, boundary);
  ASSERT_TRUE(declared.ok()) << declared.error().message;
  ASSERT_EQ(declared->size(), 1u);
  EXPECT_EQ((*declared)[0].node_id, 1);
  EXPECT_EQ((*declared)[0].start_era, era);
  EXPECT_EQ((*declared)[0].era_count, 1u);
  auto all_declared = r.maintenance_declarations(deployment_.deploy_block, head());
  ASSERT_TRUE(all_declared.ok()) << all_declared.error().message;
  EXPECT_EQ(all_declared->size(), 2u);

  // The satellite's sources over the reader.
  satellite::ChainMaintenance maintenance(r, deployment_.deploy_block);
  auto in_maintenance = maintenance.in_maintenance(*bounds);
  ASSERT_TRUE(in_maintenance.ok()) << in_maintenance.error().message;
  EXPECT_EQ(*in_maintenance, std::set<U256>{U256(1)});
  auto next = r.era_bounds(era + 1);
  ASSERT_TRUE(next.ok());
  mine(next->end_block - head());
  auto not_next = maintenance.in_maintenance(*next);
  ASSERT_TRUE(not_next.ok()) << not_next.error().message;
  EXPECT_TRUE(not_next->empty());

  protocol::EraVerdicts verdicts;
  verdicts.era = era;
  verdicts.has_verdict = true;
  protocol::ScalerNodeVerdict v;
  v.id = 1;
  v.verdict = protocol::Verdict::kUp;
  verdicts.scaler_nodes.push_back(v);
  satellite::ChainEconomics economics(r);
  auto e = economics.economics(*bounds, verdicts);
  ASSERT_TRUE(e.ok()) << e.error().message;
  ASSERT_EQ(e->nodes.size(), 1u);
  EXPECT_EQ(e->nodes[0].node_id, 1);
  EXPECT_EQ(e->nodes[0].booking_id, 1);
  EXPECT_EQ(e->nodes[0].price_per_era, b.price_per_era);
  EXPECT_EQ(e->nodes[0].subsidy_per_era, *per_unit * 10);
  EXPECT_EQ(e->nodes[0].reward_multiplier_wad, n.reward_multiplier_wad);
  EXPECT_EQ(e->nodes[0].collateral, 1000 * kIcnt);
  ASSERT_EQ(e->bundles.size(), 1u);
  EXPECT_EQ(e->bundles[0].bundle_id, 1);
  EXPECT_EQ(e->bundles[0].hyper_node_id, 1);
  EXPECT_EQ(e->bundles[0].links, 2);
  EXPECT_EQ(e->bundles[0].reward_per_link_per_era, curve->reward_per_link_per_era);
}

TEST_F(ChainEconomicsTest, AnUnknownNodeFailsTheRead) {
  auto opened = chain::ProtocolReader::open(rpc(), deployment_, ICN_ARTIFACTS_DIR);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  std::vector<U256> ids = {U256(42)};
  auto infos = opened->node_economics(ids, head());
  ASSERT_FALSE(infos.ok());
  EXPECT_NE(infos.error().message.find("42"), std::string::npos) << infos.error().message;
}

}  // namespace
}  // namespace icn::test

// icn/actions against a fresh anvil with the devnet deployment: an HP funded from the deployer's
// vested allocations registers nodes that the operator validates, a HyperNode becomes active
// with staked Links, a Builder books a node and pays the quote, the HP declares maintenance; and
// refusals (a daemon key taken, someone else's Link) come back with the contract's reason.
#include <gtest/gtest.h>

#include "icn/actions/market.hpp"
#include "icn/actions/onboarding.hpp"
#include "icn/actions/protocol.hpp"
#include "icn/chain/protocol_reader.hpp"
#include "icn/infra/anvil.hpp"
#include "test/support/deployed_fixture.hpp"

namespace icn::test {
namespace {

const U256 kIcnt = U256(1'000'000'000'000'000'000ULL);

class ActionsTest : public DeployedTest {
 protected:
  void SetUp() override {
    DeployedTest::SetUp();
    if (HasFatalFailure()) return;
    auto p = actions::Protocol::open(rpc(), deployment_, ICN_ARTIFACTS_DIR);
    ASSERT_TRUE(p.ok()) << p.error().message;
    protocol_.emplace(std::move(p).value());
    auto r = chain::ProtocolReader::open(rpc(), deployment_, ICN_ARTIFACTS_DIR);
    ASSERT_TRUE(r.ok()) << r.error().message;
    reader_.emplace(std::move(r).value());
  }

  actions::ScalerNodeSpec node(const std::string& name, const Address& daemon) {
    actions::ScalerNodeSpec s;
    s.name = name;
    s.region = "EUW";
    s.hardware_class = "storage-dev";
    s.location = "DEU";
    s.capacity = 1;
    s.daemon = daemon;
    return s;
  }
  uint64_t current_era() {
    auto out = protocol_->call("EraManager", "currentEra", {});
    EXPECT_TRUE(out.ok()) << out.error().message;
    return static_cast<uint64_t>(out->at(0).get<U256>());
  }

  std::optional<actions::Protocol> protocol_;
  std::optional<chain::ProtocolReader> reader_;
};

TEST_F(ActionsTest, OnboardsNodesAndAHyperNodeThenBooksAndDeclaresMaintenance) {
  actions::Protocol& p = *protocol_;
  eth::TransactionSender deployer = sender(0);
  eth::TransactionSender hp = sender(1);
  eth::TransactionSender builder = sender(2);
  eth::TransactionSender hn_operator = sender(3);
  auto hn_key = PrivateKey::from_hex(infra::kAnvilDevPrivateKeys[5]);
  ASSERT_TRUE(hn_key.ok());

  // The deployer holds no liquid ICNT after `icn deploy`: funding releases its vested allocations
  // in category order until it has enough; DevCo's 18.9M at TGE is.
  ASSERT_EQ(*actions::icnt_balance(p, deployer.address()), U256(0));
  ASSERT_TRUE(actions::fund_icnt(p, deployer, hp.address(), 1000 * kIcnt).ok());
  EXPECT_EQ(*actions::icnt_balance(p, hp.address()), 1000 * kIcnt);
  // DevCo's remainder streams by the second after the TGE, so the blocks between the deployment
  // and the release add a little (0.3 ICNT seen on a slow machine): at least the TGE part, far
  // below the next category.
  U256 left = *actions::icnt_balance(p, deployer.address());
  EXPECT_GE(left, (18'900'000 - 1000) * kIcnt);
  EXPECT_LT(left, (18'900'000 - 1000 + 100) * kIcnt);

  auto hp_id = actions::register_hardware_provider(p, hp);
  ASSERT_TRUE(hp_id.ok()) << hp_id.error().message;
  EXPECT_EQ(*hp_id, 1u);
  auto again = actions::register_hardware_provider(p, hp);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, 1u) << "idempotent: the existing id";

  Address daemon_a = dev_address(6), daemon_b = dev_address(4);
  std::vector<actions::ScalerNodeSpec> specs = {node("node-a", daemon_a), node("node-b", daemon_b)};
  auto ids = actions::register_scaler_nodes(p, hp, specs);
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  ASSERT_EQ(*ids, (std::vector<U256>{1, 2}));
  // devnet.toml: 100 ICNT per TB, the full requirement by default
  EXPECT_EQ(*actions::icnt_balance(p, hp.address()), 800 * kIcnt);
  auto registered = reader_->scaler_node(1, *reader_->head_block());
  ASSERT_TRUE(registered.ok() && registered->has_value());
  EXPECT_EQ((*registered)->status, chain::ScalerNodeStatus::kRegistered);
  EXPECT_EQ((*registered)->daemon, daemon_a);

  ASSERT_TRUE(actions::validate_scaler_nodes(p, deployer, *ids).ok());
  for (const U256& id : *ids) {
    auto n = reader_->scaler_node(id, *reader_->head_block());
    ASSERT_TRUE(n.ok() && n->has_value());
    EXPECT_EQ((*n)->status, chain::ScalerNodeStatus::kValidated);
  }

  auto hn = actions::register_hyper_node(p, hn_operator, *hn_key, "DEU", "http://127.0.0.1:7001");
  ASSERT_TRUE(hn.ok()) << hn.error().message;
  EXPECT_EQ(*hn, U256(1));
  auto links = actions::mint_links(p, deployer, hn_operator.address(), 3);
  ASSERT_TRUE(links.ok()) << links.error().message;
  EXPECT_EQ(*links, (std::vector<U256>{1, 2, 3}));
  auto inactive = reader_->hyper_node(*hn, *reader_->head_block());
  ASSERT_TRUE(inactive.ok() && inactive->has_value());
  EXPECT_FALSE((*inactive)->active);
  auto bundle = actions::stake_links(p, hn_operator, *hn, *links);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  EXPECT_EQ(*bundle, U256(1));
  auto active = reader_->hyper_node(*hn, *reader_->head_block());
  ASSERT_TRUE(active.ok() && active->has_value());
  EXPECT_TRUE((*active)->active);
  EXPECT_EQ((*active)->signer, hn_key->address());

  // Book one node for 90 days: 2.8 ICNT/TB-month × 3 months = 8.4 ICNT, + 25 % margin.
  ASSERT_TRUE(actions::list_scaler_nodes(p, hp, *ids).ok());
  ASSERT_TRUE(actions::list_scaler_nodes(p, hp, *ids).ok()) << "listed nodes are skipped";
  ASSERT_TRUE(actions::fund_icnt(p, deployer, builder.address(), 100 * kIcnt).ok());
  const uint64_t days90 = 90 * 86400;
  auto quote = actions::quote_booking(p, 1, 1, days90);
  ASSERT_TRUE(quote.ok()) << quote.error().message;
  EXPECT_EQ(quote->node_id, U256(1));
  EXPECT_EQ(quote->price, 84 * kIcnt / 10);
  EXPECT_EQ(quote->margin, 21 * kIcnt / 10);
  EXPECT_EQ(quote->total, quote->price + quote->margin);

  auto too_cheap = actions::book_capacity(p, builder, 1, 1, days90, quote->total - 1, {});
  ASSERT_FALSE(too_cheap.ok());
  EXPECT_NE(too_cheap.error().message.find("exceeds the maximum"), std::string::npos)
      << too_cheap.error().message;

  Bytes access_key = {'s', 's', 'h'};
  auto booking = actions::book_capacity(p, builder, 1, 1, days90, 20 * kIcnt, access_key);
  ASSERT_TRUE(booking.ok()) << booking.error().message;
  EXPECT_EQ(*actions::icnt_balance(p, builder.address()), 100 * kIcnt - quote->total);
  auto info = actions::read_booking(p, *booking);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->builder, builder.address());
  EXPECT_EQ(info->node_id, quote->node_id);
  EXPECT_EQ(info->escrow, quote->price);
  EXPECT_EQ(info->duration, days90);
  EXPECT_EQ(info->status, actions::BookingStatus::kActive);
  auto booked = reader_->scaler_node(quote->node_id, *reader_->head_block());
  ASSERT_TRUE(booked.ok() && booked->has_value());
  EXPECT_EQ((*booked)->status, chain::ScalerNodeStatus::kBooked);

  uint64_t era = current_era();
  ASSERT_TRUE(actions::declare_maintenance(p, hp, 2, era + 2, 3).ok());
  auto too_soon = actions::declare_maintenance(p, hp, 2, current_era(), 1);
  ASSERT_FALSE(too_soon.ok());
  EXPECT_NE(too_soon.error().message.find("Settlement.declareMaintenance reverted: "
                                          "MaintenanceTooSoon("),
            std::string::npos)
      << too_soon.error().message;
}

TEST_F(ActionsTest, RefusalsCarryTheContractsReason) {
  actions::Protocol& p = *protocol_;
  eth::TransactionSender deployer = sender(0);
  eth::TransactionSender hp = sender(1);
  eth::TransactionSender holder = sender(3);
  eth::TransactionSender stranger = sender(4);
  ASSERT_TRUE(actions::fund_icnt(p, deployer, hp.address(), 500 * kIcnt).ok());
  ASSERT_TRUE(actions::register_hardware_provider(p, hp).ok());

  Address daemon = dev_address(6);
  std::vector<actions::ScalerNodeSpec> first = {node("first", daemon)};
  auto ids = actions::register_scaler_nodes(p, hp, first);
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  std::vector<actions::ScalerNodeSpec> second = {node("second", daemon)};
  auto taken = actions::register_scaler_nodes(p, hp, second);
  ASSERT_FALSE(taken.ok());
  EXPECT_NE(taken.error().message.find("Registry.registerScalerNodes reverted: DaemonKeyTaken("),
            std::string::npos)
      << taken.error().message;

  // An unknown region is refused before anything is sent.
  std::vector<actions::ScalerNodeSpec> nowhere = {node("nowhere", dev_address(5))};
  nowhere[0].region = "MARS";
  auto unknown = actions::register_scaler_nodes(p, hp, nowhere);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown region \"MARS\""), std::string::npos)
      << unknown.error().message;

  auto hn_key = PrivateKey::from_hex(infra::kAnvilDevPrivateKeys[5]);
  auto hn = actions::register_hyper_node(p, holder, *hn_key, "DEU", "http://127.0.0.1:7001");
  ASSERT_TRUE(hn.ok()) << hn.error().message;
  auto links = actions::mint_links(p, deployer, holder.address(), 2);
  ASSERT_TRUE(links.ok()) << links.error().message;
  auto stolen = actions::stake_links(p, stranger, *hn, *links);
  ASSERT_FALSE(stolen.ok());
  EXPECT_NE(stolen.error().message.find("ICNLink.stake reverted: NotTokenOwner("),
            std::string::npos)
      << stolen.error().message;

  // Minting is GOVERNANCE's.
  auto not_governance = actions::mint_links(p, stranger, stranger.address(), 1);
  ASSERT_FALSE(not_governance.ok());
  EXPECT_NE(not_governance.error().message.find("ICNLink.mint reverted: "), std::string::npos)
      << not_governance.error().message;
}

}  // namespace
}  // namespace icn::test

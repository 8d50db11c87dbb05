// ProtocolReader against a fresh anvil with the devnet deployment: era boundaries, the committee,
// ScalerNodes and HyperNodes read back as registered, unknown ids as "none", and a deployment file
// for another chain refused.
#include "icn/chain/protocol_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "icn/core/eip191.hpp"
#include "icn/core/secp256k1.hpp"
#include "test/support/command.hpp"
#include "test/support/deployed_fixture.hpp"

namespace icn::test {
namespace {

namespace fs = std::filesystem;

class ProtocolReaderTest : public DeployedTest {
 protected:
  chain::ProtocolReader reader() {
    auto r = chain::ProtocolReader::open(rpc(), deployment_, ICN_ARTIFACTS_DIR);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return std::move(r).value();
  }
};

TEST_F(ProtocolReaderTest, ReadsErasCommitteeAndEmptyRegistries) {
  chain::ProtocolReader r = reader();
  EXPECT_EQ(r.chain_id(), 31337u);
  EXPECT_EQ(r.settlement(), *deployment_.address_of("Settlement"));
  auto head = r.head_block();
  ASSERT_TRUE(head.ok());

  // devnet.toml: eras of 20 blocks from the deployment's start block
  auto era = r.era_at(*head);
  ASSERT_TRUE(era.ok()) << era.error().message;
  auto bounds = r.era_bounds(*era);
  ASSERT_TRUE(bounds.ok()) << bounds.error().message;
  EXPECT_EQ(bounds->end_block - bounds->start_block, 20u);
  EXPECT_LE(bounds->start_block, *head);
  EXPECT_LT(*head, bounds->end_block);
  auto next = r.era_bounds(*era + 1);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->start_block, bounds->end_block);
  EXPECT_EQ(*r.era_at(bounds->end_block), *era + 1);

  auto committee = r.committee(*head);
  ASSERT_TRUE(committee.ok()) << committee.error().message;
  ASSERT_EQ(committee->members.size(), 3u);
  EXPECT_EQ(committee->threshold, 2);
  EXPECT_EQ(committee->members[0], *Address::parse(infra::kAnvilDevAddresses[7]));
  EXPECT_EQ(committee->members[2], *Address::parse(infra::kAnvilDevAddresses[9]));

  auto committed = r.last_committed_era(*head);
  ASSERT_TRUE(committed.ok()) << committed.error().message;
  EXPECT_FALSE(committed->has_value());

  auto nodes = r.scaler_nodes(*head);
  ASSERT_TRUE(nodes.ok()) << nodes.error().message;
  EXPECT_TRUE(nodes->empty());
  auto unknown = r.scaler_node(U256(7), *head);
  ASSERT_TRUE(unknown.ok()) << unknown.error().message;
  EXPECT_FALSE(unknown->has_value());
  auto by_daemon = r.scaler_node_by_daemon(*Address::parse(infra::kAnvilDevAddresses[3]), *head);
  ASSERT_TRUE(by_daemon.ok());
  EXPECT_FALSE(by_daemon->has_value());
  auto hyper = r.hyper_node(U256(1), *head);
  ASSERT_TRUE(hyper.ok()) << hyper.error().message;
  EXPECT_FALSE(hyper->has_value());
}

TEST_F(ProtocolReaderTest, ReadsTheGenesisHardwareClass) {
  chain::ProtocolReader r = reader();
  uint64_t head = *r.head_block();
  auto id = r.hardware_class_id("storage-dev", head);
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_TRUE(id->has_value());
  auto c = r.hardware_class(**id, head);
  ASSERT_TRUE(c.ok()) << c.error().message;
  // deploy/genesis/devnet.toml's [[classes]]
  EXPECT_EQ(c->name, "storage-dev");
  EXPECT_EQ(c->unit, "TB");
  EXPECT_EQ(c->storage_tb_per_unit, 1u);
  EXPECT_EQ(c->vcpus, 2u);
  EXPECT_EQ(c->ram_gb, 4u);
  EXPECT_EQ(c->disks, 1u);
  EXPECT_EQ(c->disk_tb, 1u);
  EXPECT_EQ(c->nic_gbps, 1u);
  auto none = r.hardware_class_id("no-such-class", head);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto unknown = r.hardware_class(99, head);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("Registry.hardwareClass"), std::string::npos)
      << unknown.error().message;
}

TEST_F(ProtocolReaderTest, ReadsARegisteredHyperNodeAtItsBlock) {
  chain::ProtocolReader r = reader();
  uint64_t before = *r.head_block();
  Address operator_account = *Address::parse(infra::kAnvilDevAddresses[1]);
  auto signing_key = PrivateKey::from_hex(infra::kAnvilDevPrivateKeys[5]);
  ASSERT_TRUE(signing_key.ok());
  eth::Contract hyper_nodes = bound("HyperNodeRegistry");
  std::vector<abi::Value> proof_args = {abi::Value(operator_account)};
  auto proof_hash = hyper_nodes.call(rpc(), "hyperNodeKeyProofHash", proof_args);
  ASSERT_TRUE(proof_hash.ok()) << proof_hash.error().message;
  const Bytes* h = (*proof_hash)[0].get_if<Bytes>();
  ASSERT_NE(h, nullptr);
  FixedBytes<65> proof = sign_hash(*signing_key, eip191_message_hash(*h)).to_rsv65();
  send(operator_account, hyper_nodes, "registerHyperNode",
       {abi::Value(signing_key->address()), abi::Value(Bytes{'D', 'E', 'U'}),
        abi::Value("http://127.0.0.1:7001"), abi::Value(Bytes(proof.begin(), proof.end()))});

  uint64_t after = *r.head_block();
  auto all = r.hyper_nodes(after);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 1u);
  const chain::HyperNodeInfo& hn = (*all)[0];
  EXPECT_EQ(hn.id, U256(1));
  EXPECT_EQ(hn.operator_account, operator_account);
  EXPECT_EQ(hn.signer, signing_key->address());
  EXPECT_EQ(hn.endpoint, "http://127.0.0.1:7001");
  EXPECT_EQ(hn.location, "DEU");
  EXPECT_FALSE(hn.active) << "no Link staked yet";
  // at the block before the registration it did not exist
  auto earlier = r.hyper_nodes(before);
  ASSERT_TRUE(earlier.ok());
  EXPECT_TRUE(earlier->empty());
}

TEST_F(ProtocolReaderTest, RefusesADeploymentOfAnotherChain) {
  chain::Deployment other = deployment_;
  other.chain_id = 8453;
  auto r = chain::ProtocolReader::open(rpc(), other, ICN_ARTIFACTS_DIR);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("deployment.json is for chain 8453, the RPC serves chain 31337"),
            std::string::npos)
      << r.error().message;
  chain::Deployment missing = deployment_;
  missing.contracts.erase(missing.contracts.begin());  // Vesting first; Settlement stays
  std::erase_if(missing.contracts, [](const auto& c) { return c.first == "EraManager"; });
  auto m = chain::ProtocolReader::open(rpc(), missing, ICN_ARTIFACTS_DIR);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("deployment.json names no EraManager"), std::string::npos)
      << m.error().message;
}

}  // namespace
}  // namespace icn::test

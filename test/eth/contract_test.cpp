// The Emitter fixture through its compiled artifact: deploy, transact, read, decode events and
// explain reverts (Error(string) and the custom error Refused) with the contract's own ABI.
#include <gtest/gtest.h>

#include "icn/core/keccak.hpp"
#include "icn/eth/artifact.hpp"
#include "icn/eth/log_follower.hpp"
#include "test/support/anvil_fixture.hpp"

namespace icn::eth {
namespace {

Deadline in_seconds(int s) {
  return std::chrono::steady_clock::now() + std::chrono::seconds(s);
}

class ContractTest : public test::AnvilTest {
 protected:
  void SetUp() override {
    AnvilTest::SetUp();
    if (HasFatalFailure()) return;
    auto a = Artifact::load(test::artifact_path("Emitter"));
    ASSERT_TRUE(a.ok()) << a.error().message;
    artifact_ = std::move(a).value();
    SenderOptions o;
    o.expected_chain_id = 31337;
    auto s = TransactionSender::create(
        rpc(), PrivateKey::from_hex(infra::kAnvilDevPrivateKeys[0]).value(), o);
    ASSERT_TRUE(s.ok()) << s.error().message;
    sender_.emplace(std::move(s).value());
    auto binding = Contract::from_artifact(artifact_);
    ASSERT_TRUE(binding.ok()) << binding.error().message;
    auto deployed = binding->deploy(*sender_, artifact_.bytecode, {}, in_seconds(30));
    ASSERT_TRUE(deployed.ok()) << deployed.error().message;
    emitter_.emplace(std::move(deployed).value());
  }

  Artifact artifact_;
  std::optional<TransactionSender> sender_;
  std::optional<Contract> emitter_;
};

TEST_F(ContractTest, ArtifactMatchesTheFixture) {
  EXPECT_EQ(artifact_.contract_name, "Emitter");
  EXPECT_EQ(artifact_.source_name, "contracts/src/fixtures/Emitter.sol");
  EXPECT_EQ(emitter_->function("bump").value()->canonical, "bump(uint256)");
  EXPECT_EQ(emitter_->function("value").value()->state_mutability, "view");
  ASSERT_EQ(emitter_->errors().size(), 1u);
  EXPECT_EQ(emitter_->errors()[0].canonical(), "Refused(uint256,address)");
  // The deployed code is what the artifact says it is.
  EXPECT_EQ(get_code(rpc(), emitter_->address().value()).value(), artifact_.deployed_bytecode);
}

TEST_F(ContractTest, TransactsReadsAndDecodesEvents) {
  std::vector<abi::Value> by = {abi::Value::uint(5)};
  auto receipt = emitter_->transact(*sender_, "bump", by, in_seconds(30));
  ASSERT_TRUE(receipt.ok()) << receipt.error().message;
  ASSERT_EQ(receipt->logs.size(), 1u);
  auto decoded = emitter_->decode_log(receipt->logs[0]);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->event, "Bumped");
  ASSERT_EQ(decoded->params.size(), 4u);
  EXPECT_EQ(decoded->params[0].name, "who");
  EXPECT_EQ(decoded->params[0].value.get<Address>(), test::dev_address(0));
  EXPECT_EQ(decoded->params[1].value.get<U256>(), 5);
  // tag = keccak256(abi.encodePacked(newValue))
  Hash packed = u256_to_be(U256(5));
  Hash tag = keccak256(packed);
  EXPECT_EQ(decoded->params[2].value.get<Bytes>(), Bytes(tag.begin(), tag.end()));
  EXPECT_EQ(decoded->params[3].value.get<std::string>(), "bumped");

  auto value = emitter_->call(rpc(), "value", {});
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ((*value)[0].get<U256>(), 5);
  std::vector<abi::Value> more = {abi::Value::uint(10)};
  ASSERT_TRUE(emitter_->transact(*sender_, "bump(uint256)", more, in_seconds(30)).ok());
  EXPECT_EQ(emitter_->call(rpc(), "value()", {}).value()[0].get<U256>(), 15);
  // Reading at an older block sees the older state.
  EXPECT_EQ(emitter_->call(rpc(), "value", {}, BlockRef::number(receipt->block_number))
                .value()[0]
                .get<U256>(),
            5);
}

TEST_F(ContractTest, RevertsAreExplainedWithTheContractsErrors) {
  std::vector<abi::Value> why = {"not today"};
  auto call = emitter_->call(rpc(), "fail", why);
  ASSERT_FALSE(call.ok());
  EXPECT_EQ(call.error().message, "call fail(string) reverted: not today");

  auto tx = emitter_->transact(*sender_, "fail", why, in_seconds(30));
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.error().message, "fail(string): transaction reverted: not today");

  std::vector<abi::Value> code = {abi::Value::uint(7)};
  auto custom = emitter_->transact(*sender_, "failCustom", code, in_seconds(30));
  ASSERT_FALSE(custom.ok());
  EXPECT_EQ(custom.error().message,
            "failCustom(uint256): transaction reverted: Refused(code=7, who=" +
                test::dev_address(0).checksummed() + ")");

  // Mined anyway (gas given, no estimate): the reason comes from replaying the call.
  SendOptions forced;
  forced.gas_limit = 100000;
  auto mined = emitter_->transact(*sender_, "failCustom", code, in_seconds(30), 0, forced);
  ASSERT_FALSE(mined.ok());
  EXPECT_EQ(mined.error().message.rfind(
                "failCustom(uint256): transaction reverted: Refused(code=7, who=" +
                    test::dev_address(0).checksummed() + ") (tx 0x",
                0),
            0u)
      << mined.error().message;
}

TEST_F(ContractTest, FollowerDeliversDecodableEvents) {
  for (uint64_t by : {1, 2, 3}) {
    std::vector<abi::Value> args = {abi::Value::uint(by)};
    ASSERT_TRUE(emitter_->transact(*sender_, "bump", args, in_seconds(30)).ok());
  }
  LogFollowerOptions o;
  o.addresses = {*emitter_->address()};
  o.topics = {{emitter_->event("Bumped").value()->topic0()}};
  LogFollower follower(rpc(), o);
  std::vector<uint64_t> values;
  LogSink sink{[&](std::span<const Log> logs, const Checkpoint&) -> Status {
                 for (const Log& l : logs) {
                   ICN_TRY(abi::DecodedLog d, emitter_->decode_log(l));
                   values.push_back(uint64_t(d.params[1].value.get<U256>()));
                 }
                 return {};
               },
               nullptr};
  for (int i = 0; i < 10; ++i) {
    auto r = follower.poll_once(sink);
    ASSERT_TRUE(r.ok()) << r.error().message;
    if (r->caught_up) break;
  }
  EXPECT_EQ(values, std::vector<uint64_t>({1, 3, 6}));
}

}  // namespace
}  // namespace icn::eth

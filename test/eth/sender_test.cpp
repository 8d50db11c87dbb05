// TransactionSender against anvil: signed sends, receipts, deploys, reverts with reasons,
// nonce resync, duplicate sends, the wrong-chain guard and fee caps.
#include "icn/eth/sender.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "icn/core/keccak.hpp"
#include "test/support/anvil_fixture.hpp"

namespace icn::eth {
namespace {

using namespace std::chrono_literals;

PrivateKey dev_key(size_t i) {
  return PrivateKey::from_hex(infra::kAnvilDevPrivateKeys.at(i)).value();
}

Bytes selector(std::string_view signature) {
  Hash h = keccak256(signature);
  return Bytes(h.begin(), h.begin() + 4);
}

Bytes call_data(std::string_view signature, std::initializer_list<Hash> words) {
  Bytes out = selector(signature);
  for (const Hash& w : words) append(out, w);
  return out;
}

Hash uint_word(uint64_t v) {
  return u256_to_be(U256(v));
}

Bytes emitter_bytecode() {
  std::ifstream in(test::artifact_path("Emitter"));
  return parse_hex(json::parse(in)["bytecode"].get<std::string>()).value();
}

Deadline in_seconds(int s) {
  return std::chrono::steady_clock::now() + std::chrono::seconds(s);
}

abi::ErrorAbi refused_error() {
  return abi::ErrorAbi::from_signature("Refused(uint256 code, address who)").value();
}

class SenderTest : public test::AnvilTest {
 protected:
  TransactionSender make_sender(size_t account, SenderOptions o = {}) {
    if (o.expected_chain_id == 0) o.expected_chain_id = 31337;
    auto s = TransactionSender::create(rpc(), dev_key(account), o);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return std::move(s).value();
  }
};

TEST_F(SenderTest, TransfersValueAndWaitsForTheReceipt) {
  TransactionSender sender = make_sender(1);
  EXPECT_EQ(sender.address(), test::dev_address(1));
  EXPECT_EQ(sender.next_nonce(), 0u);
  U256 before = get_balance(rpc(), test::dev_address(5)).value();
  U256 one_eth("1000000000000000000");
  auto receipt = sender.send_and_wait(test::dev_address(5), {}, one_eth, in_seconds(30));
  ASSERT_TRUE(receipt.ok()) << receipt.error().message;
  EXPECT_TRUE(receipt->status);
  EXPECT_EQ(receipt->from, test::dev_address(1));
  EXPECT_EQ(get_balance(rpc(), test::dev_address(5)).value(), before + one_eth);
  EXPECT_EQ(sender.next_nonce(), 1u);
  // The node saw an EIP-1559 transaction with our nonce and fees.
  auto tx = rpc().call("eth_getTransactionByHash", json::array({to_hex(receipt->tx_hash)}));
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ((*tx)["type"], "0x2");
  EXPECT_EQ((*tx)["nonce"], "0x0");
  EXPECT_EQ((*tx)["chainId"], "0x7a69");
}

TEST_F(SenderTest, FeesFollowTheBaseFeeAndGasHasAMargin) {
  TransactionSender sender = make_sender(1);
  auto sent = sender.send(test::dev_address(2), {}, 1);
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  U256 base = get_block(rpc(), BlockRef::number(0)).value()->base_fee.value();
  U256 tip = max_priority_fee(rpc()).value();
  EXPECT_EQ(sent->max_priority_fee_per_gas, tip);
  EXPECT_EQ(sent->max_fee_per_gas, 2 * base + tip);
  EXPECT_EQ(sent->gas_limit, 21000u * 120 / 100 + 10000);
  EXPECT_TRUE(sender.wait_for_receipt(sent->tx_hash, in_seconds(30)).ok());

  SenderOptions capped;
  capped.fees.max_fee_cap = 1000;
  TransactionSender cheap = make_sender(3, capped);
  auto refused = cheap.send(test::dev_address(2), {}, 1);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "max fee per gas " + to_decimal(2 * base + tip) + " exceeds the cap 1000");
  EXPECT_EQ(cheap.next_nonce(), 0u);
}

TEST_F(SenderTest, DeploysTransactsAndReadsLogs) {
  TransactionSender sender = make_sender(0);
  auto emitter = sender.deploy(emitter_bytecode(), {}, in_seconds(30));
  ASSERT_TRUE(emitter.ok()) << emitter.error().message;
  EXPECT_FALSE(get_code(rpc(), *emitter).value().empty());
  auto receipt = sender.send_and_wait(*emitter, call_data("bump(uint256)", {uint_word(41)}), 0,
                                      in_seconds(30));
  ASSERT_TRUE(receipt.ok()) << receipt.error().message;
  ASSERT_EQ(receipt->logs.size(), 1u);
  EXPECT_EQ(receipt->logs[0].topics[0], keccak256("Bumped(address,uint256,bytes32,string)"));
  EXPECT_EQ(receipt->logs[0].topics[2], uint_word(41));
  CallRequest read;
  read.to = *emitter;
  read.data = selector("value()");
  EXPECT_EQ(to_hex(eth_call(rpc(), read).value()), to_hex(uint_word(41)));
}

TEST_F(SenderTest, RevertingEstimateIsReportedWithItsReasonAndUsesNoNonce) {
  SenderOptions o;
  o.custom_errors = {refused_error()};
  TransactionSender sender = make_sender(0, o);
  Address emitter = sender.deploy(emitter_bytecode(), {}, in_seconds(30)).value();
  uint64_t nonce = sender.next_nonce();

  Bytes fail_call = selector("fail(string)");
  append(fail_call, uint_word(32));
  append(fail_call, uint_word(4));
  Hash boom{};
  std::copy_n("boom", 4, boom.begin());
  append(fail_call, boom);
  auto r = sender.send(emitter, fail_call);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "transaction reverted: boom");

  auto custom = sender.send(emitter, call_data("failCustom(uint256)", {uint_word(7)}));
  ASSERT_FALSE(custom.ok());
  EXPECT_EQ(custom.error().message, "transaction reverted: Refused(code=7, who=" +
                                        test::dev_address(0).checksummed() + ")");
  EXPECT_EQ(sender.next_nonce(), nonce);
}

TEST_F(SenderTest, RevertedReceiptIsExplainedByReplayingTheCall) {
  TransactionSender plain = make_sender(0);
  Address emitter = plain.deploy(emitter_bytecode(), {}, in_seconds(30)).value();
  SendOptions forced;
  forced.gas_limit = 100000;  // skips the estimate, so the reverting call is mined
  Bytes data = call_data("failCustom(uint256)", {uint_word(7)});

  auto undecoded = plain.send_and_wait(emitter, data, 0, in_seconds(30), forced);
  ASSERT_FALSE(undecoded.ok());
  const std::string& m = undecoded.error().message;
  EXPECT_EQ(m.rfind("transaction reverted: unknown error 0x18ff0ee4 (64 bytes of data): 0x" +
                        to_hex_digits(uint_word(7)),
                    0),
            0u)
      << m;
  EXPECT_NE(m.find(" (tx 0x"), std::string::npos) << m;
  EXPECT_EQ(plain.next_nonce(), 2u);  // mined, so the nonce is used

  SenderOptions o;
  o.custom_errors = {refused_error()};
  TransactionSender decoding = make_sender(0, o);
  auto decoded = decoding.send_and_wait(emitter, data, 0, in_seconds(30), forced);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().message.rfind("transaction reverted: Refused(code=7, who=" +
                                              test::dev_address(0).checksummed() + ") (tx 0x",
                                          0),
            0u)
      << decoded.error().message;

  // Out of gas is named as such.
  SendOptions starved;
  starved.gas_limit = 22000;
  auto oog = decoding.send_and_wait(emitter, call_data("bump(uint256)", {uint_word(1)}), 0,
                                    in_seconds(30), starved);
  ASSERT_FALSE(oog.ok());
  EXPECT_EQ(oog.error().message.rfind("transaction reverted: out of gas (used all 22000)", 0), 0u)
      << oog.error().message;
}

TEST_F(SenderTest, ResyncsAfterTransactionsSentElsewhere) {
  TransactionSender ours = make_sender(4);
  TransactionSender elsewhere = make_sender(4);
  ASSERT_TRUE(elsewhere.send_and_wait(test::dev_address(2), {}, 1, in_seconds(30)).ok());
  ASSERT_TRUE(elsewhere.send_and_wait(test::dev_address(2), {}, 1, in_seconds(30)).ok());
  EXPECT_EQ(ours.next_nonce(), 0u);  // stale: the node says nonce too low, the sender resyncs
  auto r = ours.send_and_wait(test::dev_address(2), {}, 1, in_seconds(30));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(ours.next_nonce(), 3u);
  EXPECT_EQ(get_transaction_count(rpc(), test::dev_address(4), BlockRef::latest()).value(), 3u);
}

TEST_F(SenderTest, PipelinedSendsUseConsecutiveNonces) {
  TransactionSender sender = make_sender(6);
  std::vector<SendResult> sent;
  for (int i = 0; i < 10; ++i) {
    auto r = sender.send(test::dev_address(7), {}, U256(i + 1));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->nonce, uint64_t(i));
    sent.push_back(*r);
  }
  for (const auto& s : sent) {
    auto receipt = sender.wait_for_receipt(s.tx_hash, in_seconds(30));
    ASSERT_TRUE(receipt.ok()) << receipt.error().message;
    EXPECT_TRUE(receipt->status);
  }
  EXPECT_EQ(get_transaction_count(rpc(), test::dev_address(6), BlockRef::latest()).value(), 10u);
}

class WrongChainTest : public test::AnvilTest {
 protected:
  infra::AnvilOptions anvil_options() const override {
    infra::AnvilOptions o = AnvilTest::anvil_options();
    o.chain_id = 1;
    return o;
  }
};

TEST_F(WrongChainTest, SenderRefusesAnotherChain) {
  SenderOptions o;
  o.expected_chain_id = 31337;
  auto s = TransactionSender::create(rpc(), dev_key(0), o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "wrong chain: expected 31337, RPC reports 1");
  EXPECT_EQ(TransactionSender::create(rpc(), dev_key(0), {}).error().message,
            "sender: no expected chain id given");
}

class NoMiningTest : public test::AnvilTest {
 protected:
  infra::AnvilOptions anvil_options() const override {
    infra::AnvilOptions o = AnvilTest::anvil_options();
    o.no_mining = true;
    return o;
  }
};

TEST_F(NoMiningTest, DuplicateSendIsAcceptedAndReceiptWaitTimesOut) {
  SenderOptions o;
  o.expected_chain_id = 31337;
  TransactionSender a = TransactionSender::create(rpc(), dev_key(0), o).value();
  TransactionSender b = TransactionSender::create(rpc(), dev_key(0), o).value();
  SendOptions fixed;
  fixed.gas_limit = 21000;
  fixed.max_fee_per_gas = 10'000'000'000ull;
  fixed.max_priority_fee_per_gas = 1'000'000'000ull;
  auto first = a.send(test::dev_address(3), {}, 5, fixed);
  ASSERT_TRUE(first.ok()) << first.error().message;
  // b signs the byte-identical transaction: the node already has it, which is a success.
  auto second = b.send(test::dev_address(3), {}, 5, fixed);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->tx_hash, first->tx_hash);
  EXPECT_EQ(b.next_nonce(), 1u);

  auto t0 = std::chrono::steady_clock::now();
  auto pending = a.wait_for_receipt(first->tx_hash, t0 + 200ms);
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(
      pending.error().message.rfind("no receipt for " + to_hex(first->tx_hash) + " within ", 0),
      0u);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 200ms);
  mine(1);
  auto mined = a.wait_for_receipt(first->tx_hash, in_seconds(30));
  ASSERT_TRUE(mined.ok()) << mined.error().message;
  EXPECT_TRUE(mined->status);
}

}  // namespace
}  // namespace icn::eth

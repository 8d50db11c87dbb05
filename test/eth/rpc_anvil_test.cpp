// The typed eth_* calls against a real anvil: blocks, balances, receipts, logs and revert data.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "icn/core/keccak.hpp"
#include "icn/eth/rpc_types.hpp"
#include "test/support/anvil_fixture.hpp"

namespace icn::eth {
namespace {

using test::AnvilTest;
using test::dev_address;

Bytes emitter_bytecode() {
  std::ifstream in(test::artifact_path("Emitter"));
  json artifact = json::parse(in);
  return parse_hex(artifact["bytecode"].get<std::string>()).value();
}

Bytes selector(std::string_view signature) {
  Hash h = keccak256(signature);
  return Bytes(h.begin(), h.begin() + 4);
}

// An address as a 32-byte topic / ABI word (left-padded).
Hash address_word(const Address& a) {
  Hash w{};
  std::copy(a.bytes.begin(), a.bytes.end(), w.begin() + 12);
  return w;
}

Bytes word(uint64_t v) {
  Hash w = u256_to_be(U256(v));
  return Bytes(w.begin(), w.end());
}

class RpcAnvilTest : public AnvilTest {
 protected:
  Address deploy_emitter() {
    auto receipt = send_as(dev_address(0), std::nullopt, emitter_bytecode());
    EXPECT_TRUE(receipt.ok()) << receipt.error().message;
    EXPECT_TRUE(receipt->status);
    return receipt->contract_address.value();
  }
  Receipt bump(const Address& emitter, uint64_t by, size_t account = 0) {
    Bytes data = selector("bump(uint256)");
    append(data, word(by));
    auto receipt = send_as(dev_address(account), emitter, data);
    EXPECT_TRUE(receipt.ok()) << receipt.error().message;
    return receipt.value_or(Receipt{});
  }
};

TEST_F(RpcAnvilTest, ChainBlocksAndBalances) {
  EXPECT_EQ(chain_id(rpc()).value(), 31337u);
  EXPECT_EQ(block_number(rpc()).value(), 0u);
  mine(3);
  EXPECT_EQ(block_number(rpc()).value(), 3u);
  auto b3 = get_block(rpc(), BlockRef::number(3)).value();
  auto b2 = get_block(rpc(), BlockRef::number(2)).value();
  ASSERT_TRUE(b3 && b2);
  EXPECT_EQ(b3->number, 3u);
  EXPECT_EQ(b3->parent_hash, b2->hash);
  EXPECT_TRUE(b3->base_fee.has_value());
  auto latest = get_block(rpc(), BlockRef::latest()).value();
  EXPECT_EQ(latest->hash, b3->hash);
  EXPECT_EQ(get_block_by_hash(rpc(), b2->hash).value()->number, 2u);
  EXPECT_FALSE(get_block(rpc(), BlockRef::number(1000)).value().has_value());
  EXPECT_EQ(get_balance(rpc(), dev_address(1)).value(), U256("10000000000000000000000"));
  EXPECT_EQ(get_transaction_count(rpc(), dev_address(1)).value(), 0u);
  EXPECT_GT(max_priority_fee(rpc()).value(), 0);
  EXPECT_GT(gas_price(rpc()).value(), 0);
  // anvil fills its fee-history cache in the background after a block is mined: wait for it.
  auto history = fee_history(rpc(), 2, BlockRef::latest(), {50.0});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (history.ok() && history->base_fee_per_gas.size() < 3 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    history = fee_history(rpc(), 2, BlockRef::latest(), {50.0});
  }
  ASSERT_TRUE(history.ok()) << history.error().message;
  EXPECT_EQ(history->oldest_block, 2u);
  EXPECT_EQ(history->base_fee_per_gas.size(), 3u);
  EXPECT_EQ(history->reward.size(), 2u);
}

TEST_F(RpcAnvilTest, ReceiptsAndLogsOfEmitter) {
  Address emitter = deploy_emitter();
  EXPECT_FALSE(get_code(rpc(), emitter).value().empty());
  Receipt r = bump(emitter, 5);
  EXPECT_TRUE(r.status);
  ASSERT_EQ(r.logs.size(), 1u);
  const Log& l = r.logs[0];
  EXPECT_EQ(l.address, emitter);
  EXPECT_EQ(l.topics[0], keccak256("Bumped(address,uint256,bytes32,string)"));
  EXPECT_EQ(Bytes(l.topics[2].begin(), l.topics[2].end()), word(5));
  bump(emitter, 7, 1);

  LogFilter filter;
  filter.addresses = {emitter};
  filter.from_block = BlockRef::number(0);
  filter.to_block = BlockRef::latest();
  auto logs = get_logs(rpc(), filter);
  ASSERT_TRUE(logs.ok()) << logs.error().message;
  ASSERT_EQ(logs->size(), 2u);
  EXPECT_EQ(Bytes((*logs)[1].topics[2].begin(), (*logs)[1].topics[2].end()), word(12));
  EXPECT_LT((*logs)[0].block_number, (*logs)[1].block_number);

  // Topic filter: only dev account 1's bump.
  filter.topics = {{}, {address_word(dev_address(1))}};
  logs = get_logs(rpc(), filter);
  ASSERT_TRUE(logs.ok());
  ASSERT_EQ(logs->size(), 1u);
  EXPECT_EQ((*logs)[0].tx_hash, get_logs(rpc(), filter).value()[0].tx_hash);

  // eth_call reads the counter without a transaction.
  CallRequest read;
  read.to = emitter;
  read.data = selector("value()");
  EXPECT_EQ(eth_call(rpc(), read).value(), word(12));
  EXPECT_FALSE(get_transaction_receipt(rpc(), Hash{}).value().has_value());
}

TEST_F(RpcAnvilTest, RevertsCarryTheirDataInTheError) {
  Address emitter = deploy_emitter();
  CallRequest call;
  call.from = dev_address(0);
  call.to = emitter;
  call.data = selector("failCustom(uint256)");
  append(call.data, word(7));
  for (bool estimate : {false, true}) {
    Error e = estimate ? estimate_gas(rpc(), call).error() : eth_call(rpc(), call).error();
    auto rpc_error = find_rpc_error(e);
    ASSERT_TRUE(rpc_error.has_value()) << e.message;
    EXPECT_EQ(rpc_error->method, estimate ? "eth_estimateGas" : "eth_call");
    auto data = rpc_error->revert_data();
    ASSERT_TRUE(data.has_value()) << e.message;
    Bytes expected = selector("Refused(uint256,address)");
    append(expected, word(7));
    append(expected, address_word(dev_address(0)));
    EXPECT_EQ(to_hex(*data), to_hex(expected));
  }
}

TEST_F(RpcAnvilTest, BatchAgainstAnvil) {
  mine(2);
  auto r = rpc().batch({{"eth_chainId"},
                        {"eth_blockNumber"},
                        {"eth_getBalance", json::array({dev_address(0).lower_hex(), "latest"})},
                        {"no_such_method"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].value(), "0x7a69");
  EXPECT_EQ((*r)[1].value(), "0x2");
  EXPECT_TRUE((*r)[2].ok());
  ASSERT_FALSE((*r)[3].ok());
  auto e = find_rpc_error((*r)[3].error());
  ASSERT_TRUE(e.has_value()) << (*r)[3].error().message;
  EXPECT_EQ(e->code, -32601);
}

TEST_F(RpcAnvilTest, SendRawTransactionRejectsGarbageWithTheNodesReason) {
  auto r = send_raw_transaction(rpc(), Bytes{0x02});
  ASSERT_FALSE(r.ok());
  auto e = find_rpc_error(r.error());
  ASSERT_TRUE(e.has_value()) << r.error().message;
  EXPECT_EQ(e->method, "eth_sendRawTransaction");
}

}  // namespace
}  // namespace icn::eth

// Tests for the eth_* field decoders and request encoders, on responses captured from anvil 1.5.1.
#include "icn/eth/rpc_types.hpp"

#include <gtest/gtest.h>

#include "icn/eth/test_samples.hpp"

namespace icn::eth {
namespace {

using test_samples::kAnvilReceipt;

// anvil 1.5.1: eth_getBlockByNumber("latest", false) (roots and bloom dropped).
constexpr const char* kAnvilBlock =
    R"({"hash":"0x3a9a6d3b87093befa4bd3b63b9449e59fd3b0f28f84137c10f0e7f8d5ba6a4ad",
"parentHash":"0x20036e7150b4d100100c68a26812a5ee88659654af1644c0804d7e2ddc828a86",
"miner":"0x0000000000000000000000000000000000000000","difficulty":"0x0","number":"0x2",
"gasLimit":"0x1c9c380","gasUsed":"0xb595","timestamp":"0x6b06e63a","extraData":"0x",
"nonce":"0x0000000000000000","baseFeePerGas":"0x343ff181","totalDifficulty":"0x0","size":"0x2fb",
"uncles":[],"transactions":["0xbc42db8a285d197c23a0a5546b39722c32b7b6fabe1b3507c1ff98549a8afc5a"],
"withdrawals":[]})";

// anvil 1.5.1: eth_feeHistory("0x2", "latest", [50]).
constexpr const char* kAnvilFeeHistory =
    R"({"baseFeePerGas":["0x3b9aca00","0x343ff181","0x2dbd21c9"],
"gasUsedRatio":[0.0064233,0.0015495],"baseFeePerBlobGas":["0x1","0x1","0x1"],
"blobGasUsedRatio":[0.0,0.0],"oldestBlock":"0x1","reward":[["0x1"],["0x1"]]})";

TEST(ParseQuantity, AcceptsCanonicalForms) {
  EXPECT_EQ(parse_quantity(json("0x0")).value(), 0);
  EXPECT_EQ(parse_quantity(json("0x7a69")).value(), 31337);
  std::string max = "0x" + std::string(64, 'f');
  EXPECT_EQ(parse_quantity(json(max)).value(), ~U256(0));
  EXPECT_EQ(parse_quantity_u64(json("0xffffffffffffffff")).value(), UINT64_MAX);
}

TEST(ParseQuantity, RejectsNonCanonicalAndHugeValues) {
  struct Case {
    json value;
    const char* error;
  } cases[] = {
      {json("0x"), "quantity \"0x\" must be \"0x\" followed by hex digits"},
      {json("7a69"), "quantity \"7a69\" must be \"0x\" followed by hex digits"},
      {json("0X1"), "quantity \"0X1\" must be \"0x\" followed by hex digits"},
      {json("0x01"), "quantity \"0x01\" has a leading zero"},
      {json("0x00"), "quantity \"0x00\" has a leading zero"},
      {json("0x7A69"), "quantity \"0x7A69\" has a character other than 0-9a-f"},
      {json("0x1g"), "quantity \"0x1g\" has a character other than 0-9a-f"},
      {json("0x-1"), "quantity \"0x-1\" has a character other than 0-9a-f"},
      {json("0x1" + std::string(64, '0')), nullptr},
      {json(31337), "expected a hex string, got number"},
      {json(nullptr), "expected a hex string, got null"},
  };
  for (const auto& c : cases) {
    auto r = parse_quantity(c.value);
    ASSERT_FALSE(r.ok()) << c.value.dump();
    if (c.error) {
      EXPECT_EQ(r.error().message, c.error);
    } else {
      EXPECT_NE(r.error().message.find("does not fit in 256 bits"), std::string::npos);
    }
  }
  auto big = parse_quantity_u64(json("0x10000000000000000"));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().message, "quantity 0x10000000000000000 does not fit in 64 bits");
}

TEST(ParseData, HashesAndAddressesHaveExactSizes) {
  EXPECT_EQ(parse_data(json("0x")).value(), Bytes{});
  EXPECT_FALSE(parse_data(json("0x0")).ok());
  EXPECT_FALSE(parse_hash(json("0x" + std::string(62, 'a'))).ok());
  EXPECT_EQ(parse_hash(json("0x1234")).error().message, "expected 32 bytes, got 2");
  EXPECT_TRUE(parse_address(json("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")).ok());
  EXPECT_FALSE(parse_address(json("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92267")).ok());
}

TEST(ParseReceipt, DecodesAnvilsReceipt) {
  auto r = parse_receipt(json::parse(kAnvilReceipt));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->status);
  EXPECT_EQ(r->block_number, 2u);
  EXPECT_EQ(to_hex(r->block_hash),
            "0x3a9a6d3b87093befa4bd3b63b9449e59fd3b0f28f84137c10f0e7f8d5ba6a4ad");
  EXPECT_EQ(r->gas_used, 0xb595u);
  EXPECT_EQ(r->effective_gas_price.value(), 0x343ff182);
  EXPECT_FALSE(r->contract_address.has_value());
  EXPECT_EQ(r->to->checksummed(), "0x5FbDB2315678afecb367f032d93F642f64180aa3");
  ASSERT_EQ(r->logs.size(), 1u);
  const Log& l = r->logs[0];
  EXPECT_EQ(l.topics.size(), 3u);
  EXPECT_EQ(l.data.size(), 128u);
  EXPECT_EQ(l.log_index, 0u);
  EXPECT_FALSE(l.removed);
}

TEST(ParseReceipt, RejectsMissingOrBadFields) {
  auto with = [](const char* key, json value) {
    json j = json::parse(kAnvilReceipt);
    if (value.is_discarded()) {
      j.erase(key);
    } else {
      j[key] = value;
    }
    auto r = parse_receipt(j);
    return r ? std::string("ok") : r.error().message;
  };
  json erase(json::value_t::discarded);
  EXPECT_EQ(with("status", erase),
            "missing field \"status\" (pre-Byzantium receipts are not supported)");
  EXPECT_EQ(with("status", "0x2"), "field \"status\": 2 is not 0 or 1");
  EXPECT_EQ(with("blockHash", erase), "missing field \"blockHash\"");
  EXPECT_EQ(with("blockHash", nullptr), "field \"blockHash\": expected a hex string, got null");
  EXPECT_EQ(with("gasUsed", "0x0b595"),
            "field \"gasUsed\": quantity \"0x0b595\" has a leading zero");
  EXPECT_EQ(with("contractAddress", "0x12"),
            "field \"contractAddress\": address: expected 20 bytes, got 1");
  EXPECT_EQ(with("logs", json::object()), "field \"logs\": expected an array");
  EXPECT_EQ(with("transactionHash", "0x" + std::string(64, '1')),
            "log 0: from another transaction");
  json j = json::parse(kAnvilReceipt);
  j["logs"][0]["topics"] =
      json::array({j["logs"][0]["topics"][0], j["logs"][0]["topics"][0], j["logs"][0]["topics"][0],
                   j["logs"][0]["topics"][0], j["logs"][0]["topics"][0]});
  EXPECT_EQ(parse_receipt(j).error().message, "log 0: field \"topics\": 5 topics (at most 4)");
  j = json::parse(kAnvilReceipt);
  j["logs"][0].erase("removed");  // some nodes omit it
  EXPECT_TRUE(parse_receipt(j).ok());
  j["logs"][0]["removed"] = "false";
  EXPECT_EQ(parse_receipt(j).error().message, "log 0: field \"removed\": expected a boolean");
}

TEST(ParseBlockHeader, DecodesAnvilsBlock) {
  auto b = parse_block_header(json::parse(kAnvilBlock));
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->number, 2u);
  EXPECT_EQ(to_hex(b->parent_hash),
            "0x20036e7150b4d100100c68a26812a5ee88659654af1644c0804d7e2ddc828a86");
  EXPECT_EQ(b->timestamp, 0x6b06e63au);
  EXPECT_EQ(b->base_fee.value(), 0x343ff181);
  EXPECT_EQ(b->gas_limit, 30000000u);
  json pre_london = json::parse(kAnvilBlock);
  pre_london.erase("baseFeePerGas");
  EXPECT_FALSE(parse_block_header(pre_london).value().base_fee.has_value());
  EXPECT_EQ(parse_block_header(json::array()).error().message, "expected an object, got array");
}

TEST(ParseFeeHistory, DecodesAnvilsFeeHistory) {
  auto h = parse_fee_history(json::parse(kAnvilFeeHistory));
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_EQ(h->oldest_block, 1u);
  ASSERT_EQ(h->base_fee_per_gas.size(), 3u);
  EXPECT_EQ(h->base_fee_per_gas[0], 1000000000);
  EXPECT_EQ(h->reward.size(), 2u);
  EXPECT_EQ(h->reward[1][0], 1);
  json bad = json::parse(kAnvilFeeHistory);
  bad["gasUsedRatio"].push_back(0.5);
  EXPECT_EQ(parse_fee_history(bad).error().message, "fee history: 3 base fees for 3 blocks");
}

TEST(Requests, EncodeAsNodesExpect) {
  EXPECT_EQ(BlockRef::number(0).to_json(), "0x0");
  EXPECT_EQ(BlockRef::number(255).to_json(), "0xff");
  EXPECT_EQ(BlockRef::pending().to_json(), "pending");
  EXPECT_EQ(BlockRef::number(3).describe(), "block 3");

  CallRequest call;
  call.to = Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3").value();
  call.data = {0x3f, 0xa4, 0xf2, 0x45};
  call.value = 10;
  EXPECT_EQ(call.to_json(), json::parse(R"({"to":"0x5fbdb2315678afecb367f032d93f642f64180aa3",
      "input":"0x3fa4f245","data":"0x3fa4f245","value":"0xa"})"));

  LogFilter f;
  f.addresses = {call.to.value()};
  Hash t0{};
  t0[31] = 1;
  Hash t1{};
  t1[31] = 2;
  f.topics = {{t0}, {}, {t0, t1}};
  f.from_block = BlockRef::number(1);
  f.to_block = BlockRef::latest();
  EXPECT_EQ(f.to_json(), json::parse(R"({"address":"0x5fbdb2315678afecb367f032d93f642f64180aa3",
      "topics":["0x0000000000000000000000000000000000000000000000000000000000000001",null,
        ["0x0000000000000000000000000000000000000000000000000000000000000001",
         "0x0000000000000000000000000000000000000000000000000000000000000002"]],
      "fromBlock":"0x1","toBlock":"latest"})"));
  f.block_hash = t1;
  json by_hash = f.to_json();
  EXPECT_FALSE(by_hash.contains("fromBlock"));
  EXPECT_EQ(by_hash["blockHash"], to_hex(t1));
}

}  // namespace
}  // namespace icn::eth

// Tests for JSON-RPC response validation and the RpcError text round trip (no network).
#include "icn/eth/json_rpc.hpp"

#include <gtest/gtest.h>

namespace icn::eth {
namespace {

std::string message_of(const Result<json>& r) {
  return r ? "ok: " + r->dump() : r.error().message;
}

TEST(ParseResponse, AcceptsResultsIncludingNull) {
  auto r = parse_response(R"({"jsonrpc":"2.0","id":7,"result":"0x1"})", 7, "eth_chainId");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "0x1");
  auto null_result = parse_response(R"({"id":3,"jsonrpc":"2.0","result":null})", 3, "m");
  ASSERT_TRUE(null_result.ok());
  EXPECT_TRUE(null_result->is_null());
}

TEST(ParseResponse, RejectsMalformedEnvelopes) {
  struct Case {
    const char* body;
    const char* error;
  } cases[] = {
      {"<html>502</html>", "rpc m: invalid JSON-RPC response: not JSON: <html>502</html>"},
      {"", "rpc m: invalid JSON-RPC response: not JSON: "},
      {R"({"jsonrpc":"2.0","id":1,"result":"0x1")",
       "rpc m: invalid JSON-RPC response: not JSON: "
       R"({"jsonrpc":"2.0","id":1,"result":"0x1")"},
      {R"("just a string")",
       "rpc m: invalid JSON-RPC response: expected a JSON object, got string"},
      {R"([{"jsonrpc":"2.0","id":1,"result":1}])",
       "rpc m: invalid JSON-RPC response: got a batch (array) for a single call"},
      {R"({"id":1,"result":1})", "rpc m: invalid JSON-RPC response: missing \"jsonrpc\""},
      {R"({"jsonrpc":"1.0","id":1,"result":1})",
       "rpc m: invalid JSON-RPC response: jsonrpc version \"1.0\" is not \"2.0\""},
      {R"({"jsonrpc":2.0,"id":1,"result":1})",
       "rpc m: invalid JSON-RPC response: jsonrpc version 2.0 is not \"2.0\""},
      {R"({"jsonrpc":"2.0","result":1})", "rpc m: invalid JSON-RPC response: missing id"},
      {R"({"jsonrpc":"2.0","id":2,"result":1})",
       "rpc m: invalid JSON-RPC response: id 2 does not match request id 1"},
      {R"({"jsonrpc":"2.0","id":"1","result":1})",
       "rpc m: invalid JSON-RPC response: id \"1\" is not ours"},
      {R"({"jsonrpc":"2.0","id":1.0,"result":1})",
       "rpc m: invalid JSON-RPC response: id 1.0 is not ours"},
      {R"({"jsonrpc":"2.0","id":-1,"result":1})",
       "rpc m: invalid JSON-RPC response: id -1 is not ours"},
      {R"({"jsonrpc":"2.0","id":1e400,"result":1})", nullptr},  // not JSON or not our id
      {R"({"jsonrpc":"2.0","id":null,"result":1})",
       "rpc m: invalid JSON-RPC response: null id on a result"},
      {R"({"jsonrpc":"2.0","id":1})", "rpc m: invalid JSON-RPC response: neither result nor error"},
      {R"({"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":"x"}})",
       "rpc m: invalid JSON-RPC response: both result and error"},
      {R"({"jsonrpc":"2.0","id":1,"error":"boom"})",
       "rpc m: invalid JSON-RPC response: error is a string"},
      {R"({"jsonrpc":"2.0","id":1,"error":{"message":"x"}})",
       "rpc m: invalid JSON-RPC response: error code missing or not an integer"},
      {R"({"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"x"}})",
       "rpc m: invalid JSON-RPC response: error code missing or not an integer"},
      {R"({"jsonrpc":"2.0","id":1,"error":{"code":18446744073709551615,"message":"x"}})",
       "rpc m: invalid JSON-RPC response: error code out of range"},
      {R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000}})",
       "rpc m: invalid JSON-RPC response: error message missing or not a string"},
  };
  for (const auto& c : cases) {
    auto r = parse_response(c.body, 1, "m");
    ASSERT_FALSE(r.ok()) << c.body;
    if (c.error) {
      EXPECT_EQ(r.error().message, c.error) << c.body;
    } else {
      EXPECT_EQ(r.error().message.rfind("rpc m: invalid JSON-RPC response: ", 0), 0u)
          << r.error().message;
    }
    EXPECT_FALSE(find_rpc_error(r.error()).has_value()) << c.body;
  }
}

TEST(ParseResponse, RejectsHostileNestingWithoutRecursing) {
  std::string deep(100000, '[');
  auto r = parse_response(deep, 1, "m");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "rpc m: invalid JSON-RPC response: nesting deeper than 128");
  // Brackets inside strings do not count.
  std::string in_string = R"({"jsonrpc":"2.0","id":1,"result":")" + std::string(1000, '[') + "\"}";
  EXPECT_TRUE(parse_response(in_string, 1, "m").ok());
}

TEST(ParseResponse, NodeErrorsBecomeStructuredRpcErrors) {
  auto r = parse_response(
      R"({"jsonrpc":"2.0","id":4,"error":{"code":3,"message":"execution reverted: no","data":"0x08c379a0"}})",
      4, "eth_call");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            R"(rpc eth_call: error 3: execution reverted: no (data: "0x08c379a0"))");
  auto e = find_rpc_error(r.error().context("deploy").context("step 2"));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->method, "eth_call");
  EXPECT_EQ(e->code, 3);
  EXPECT_EQ(e->message, "execution reverted: no");
  ASSERT_TRUE(e->revert_data().has_value());
  EXPECT_EQ(to_hex(*e->revert_data()), "0x08c379a0");

  // A null id with an error: the node could not attribute it (e.g. it could not parse us).
  auto parse_error = parse_response(
      R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}})", 9, "m");
  ASSERT_FALSE(parse_error.ok());
  EXPECT_EQ(parse_error.error().message, "rpc m: error -32700: Parse error");
}

TEST(RpcError, TextRoundTripsWithAwkwardMessagesAndData) {
  RpcError e{"eth_estimateGas", -32000, "weird (data: not json) message: error 5: x",
             json{{"data", "0xdeadbeef"}, {"note", "a (data: b)"}}};
  auto back = find_rpc_error(Error{"outer: " + e.to_text()});
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->method, e.method);
  EXPECT_EQ(back->code, e.code);
  EXPECT_EQ(back->message, e.message);
  EXPECT_EQ(back->data, e.data);
  EXPECT_EQ(to_hex(back->revert_data().value()), "0xdeadbeef");  // nested data.data

  RpcError plain{"eth_sendRawTransaction", -32003, "nonce too low", std::nullopt};
  auto p = find_rpc_error(plain.to_error());
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->message, "nonce too low");
  EXPECT_FALSE(p->data.has_value());
  EXPECT_FALSE(p->revert_data().has_value());

  EXPECT_FALSE(find_rpc_error(Error{"rpc eth_call: HTTP 502 from http://x"}).has_value());
  EXPECT_FALSE(find_rpc_error(Error{"grpc m: error 3: x"}).has_value());
  RpcError not_hex{"eth_call", 3, "reverted", json("0xzz")};
  EXPECT_FALSE(not_hex.revert_data().has_value());
}

TEST(ParseBatchResponse, MatchesIdsInAnyOrder) {
  std::vector<RpcCall> calls = {{"eth_chainId"}, {"eth_blockNumber"}, {"eth_call"}};
  auto r = parse_batch_response(
      R"([{"jsonrpc":"2.0","id":12,"error":{"code":3,"message":"reverted"}},
          {"jsonrpc":"2.0","id":10,"result":"0x7a69"},
          {"jsonrpc":"2.0","id":11,"result":"0x5"}])",
      {10, 11, 12}, calls);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].value(), "0x7a69");
  EXPECT_EQ((*r)[1].value(), "0x5");
  ASSERT_FALSE((*r)[2].ok());
  EXPECT_EQ((*r)[2].error().message, "rpc eth_call: error 3: reverted");
}

TEST(ParseBatchResponse, MissingIdsAreErrorsForThoseCalls) {
  std::vector<RpcCall> calls = {{"eth_chainId"}, {"eth_blockNumber"}};
  auto r = parse_batch_response(R"([{"jsonrpc":"2.0","id":2,"result":"0x5"}])", {1, 2}, calls);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_FALSE((*r)[0].ok());
  EXPECT_EQ((*r)[0].error().message,
            "rpc eth_chainId: invalid JSON-RPC response: no response for id 1 in the batch");
  EXPECT_EQ((*r)[1].value(), "0x5");
}

TEST(ParseBatchResponse, RejectsBrokenBatches) {
  std::vector<RpcCall> calls = {{"a"}, {"b"}};
  std::vector<uint64_t> ids = {1, 2};
  auto msg = [&](std::string_view body) {
    return message_of([&]() -> Result<json> {
      auto r = parse_batch_response(body, ids, calls);
      if (!r) return std::move(r).error();
      return json("batch accepted");
    }());
  };
  EXPECT_EQ(msg(R"([{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":1,"result":2}])"),
            "rpc batch: invalid JSON-RPC response: duplicate id 1");
  EXPECT_EQ(msg(R"([{"jsonrpc":"2.0","id":3,"result":1}])"),
            "rpc batch: invalid JSON-RPC response: unknown id 3");
  EXPECT_EQ(
      msg(R"([{"jsonrpc":"2.0","id":null,"result":1}])"),
      R"(rpc batch: invalid JSON-RPC response: member with null id: {"id":null,"jsonrpc":"2.0","result":1})");
  EXPECT_EQ(msg(R"([{"id":1,"result":1}])"),
            "rpc batch: invalid JSON-RPC response: missing \"jsonrpc\"");
  EXPECT_EQ(msg(R"("nope")"),
            "rpc batch: invalid JSON-RPC response: expected an array, got string");
  EXPECT_EQ(
      msg(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch too large"}})"),
      "rpc batch: error -32600: batch too large");
  EXPECT_EQ(msg(R"({"jsonrpc":"2.0","id":1,"result":1})"),
            "rpc batch: invalid JSON-RPC response: expected an array, got a single result");
  EXPECT_EQ(msg("[]"), "ok: \"batch accepted\"");  // every entry then says "no response"
}

}  // namespace
}  // namespace icn::eth

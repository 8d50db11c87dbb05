// RpcClient against a scripted HTTP server: keep-alive, retries, timeouts and hostile answers.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "icn/eth/json_rpc.hpp"
#include "icn/eth/rpc_types.hpp"
#include "test/support/fake_rpc_server.hpp"

namespace icn::eth {
namespace {

using namespace std::chrono_literals;
using test::FakeReply;
using test::FakeRpcServer;

RpcClientOptions fast_retries(unsigned retries) {
  RpcClientOptions o;
  o.max_retries = retries;
  o.retry_backoff = 1ms;
  o.retry_backoff_max = 4ms;
  o.request_timeout = 10s;
  return o;
}

TEST(RpcClient, CallsShareOneKeptAliveConnection) {
  FakeRpcServer server(test::echo_first_param);
  RpcClient rpc(server.url());
  for (int i = 0; i < 20; ++i) {
    auto r = rpc.call("echo", json::array({i}));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(*r, i);
  }
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 20u);
  for (const auto& s : seen) EXPECT_EQ(s.remote_port, seen[0].remote_port);
  // Each request carries a fresh id and the JSON-RPC envelope.
  auto first = json::parse(seen[0].body), last = json::parse(seen[19].body);
  EXPECT_EQ(first["jsonrpc"], "2.0");
  EXPECT_EQ(first["method"], "echo");
  EXPECT_NE(first["id"], last["id"]);
  EXPECT_EQ(rpc.requests_sent(), 20u);
}

TEST(RpcClient, LargeBodiesDoNotWaitForExpectContinue) {
  FakeRpcServer server(test::echo_first_param);
  RpcClient rpc(server.url());
  std::string big(64 * 1024, 'a');
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) {
    auto r = rpc.call("echo", json::array({big}));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(*r, big);
  }
  // curl waits a full second per request for "100 Continue" unless Expect is suppressed.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
}

TEST(RpcClient, Http500IsReportedAndNotRetried) {
  FakeRpcServer server([](const std::string&, size_t) { return FakeReply{500, "oops"}; });
  RpcClient rpc(server.url(), fast_retries(3));
  auto r = rpc.call("eth_call");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "rpc eth_call: HTTP 500 from " + server.url() + " (body: oops)");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(RpcClient, Http502IsRetriedThenReported) {
  FakeRpcServer server([](const std::string&, size_t) { return FakeReply{502, ""}; });
  RpcClient rpc(server.url(), fast_retries(2));
  auto r = rpc.call("eth_call");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "rpc eth_call: HTTP 502 from " + server.url() + " after 3 attempts");
  EXPECT_EQ(server.request_count(), 3u);
}

TEST(RpcClient, TransientUnavailabilityRecovers) {
  FakeRpcServer server([](const std::string& body, size_t index) {
    if (index < 2) return FakeReply{503, "busy"};
    return test::result_for(body, R"("0x7a69")");
  });
  RpcClient rpc(server.url(), fast_retries(3));
  auto id = chain_id(rpc);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(*id, 31337u);
  EXPECT_EQ(server.request_count(), 3u);
}

TEST(RpcClient, ConnectionRefusedNamesTheUrl) {
  test::RefusingPort port;
  std::string url = "http://127.0.0.1:" + std::to_string(port.port());
  RpcClient once(url, fast_retries(0));
  auto r = once.call("eth_chainId");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "rpc eth_chainId: connection refused (" + url + ")");
  RpcClient retrying(url, fast_retries(2));
  r = retrying.call("eth_chainId");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "rpc eth_chainId: connection refused (" + url + ") after 3 attempts");
  EXPECT_EQ(retrying.requests_sent(), 3u);
}

TEST(RpcClient, SlowServerTimesOut) {
  FakeRpcServer server([](const std::string& body, size_t) {
    FakeReply reply = test::result_for(body, "1");
    reply.delay = 5s;
    return reply;
  });
  RpcClientOptions o = fast_retries(0);
  o.request_timeout = 200ms;
  RpcClient rpc(server.url(), o);
  auto t0 = std::chrono::steady_clock::now();
  auto r = rpc.call("eth_call");
  auto elapsed = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("rpc eth_call: timed out (" + server.url() + "): ", 0), 0u)
      << r.error().message;
  EXPECT_GE(elapsed, 200ms);
  EXPECT_LT(elapsed, 3s);
}

TEST(RpcClient, OversizedResponseIsRefused) {
  FakeRpcServer server([](const std::string& body, size_t) {
    return test::result_for(body, "\"" + std::string(5000, 'f') + "\"");
  });
  RpcClientOptions o = fast_retries(3);
  o.max_response_bytes = 1000;
  RpcClient rpc(server.url(), o);
  auto r = rpc.call("eth_getLogs");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "rpc eth_getLogs: response larger than 1000 bytes from " + server.url());
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(RpcClient, HostileBodiesAreInvalidResponsesNotRetried) {
  struct Case {
    std::function<std::string(const json& request)> body;
    std::string error;
  } cases[] = {
      {[](const json&) { return std::string("<html>Bad Gateway</html>"); },
       "rpc eth_call: invalid JSON-RPC response: not JSON: <html>Bad Gateway</html>"},
      {[](const json& q) {
         return R"({"jsonrpc":"2.0","id":)" + std::to_string(q["id"].get<uint64_t>() + 1) +
                R"(,"result":"0x1"})";
       },
       ""},  // message checked below: names both ids
      {[](const json& q) { return R"({"jsonrpc":"2.0","id":)" + q["id"].dump() + "}"; },
       "rpc eth_call: invalid JSON-RPC response: neither result nor error"},
      {[](const json& q) {
         return R"({"jsonrpc":"1.0","id":)" + q["id"].dump() + R"(,"result":"0x1"})";
       },
       "rpc eth_call: invalid JSON-RPC response: jsonrpc version \"1.0\" is not \"2.0\""},
  };
  for (const auto& c : cases) {
    FakeRpcServer server([&](const std::string& body, size_t) {
      return FakeReply{200, c.body(json::parse(body))};
    });
    RpcClient rpc(server.url(), fast_retries(3));
    auto r = rpc.call("eth_call");
    ASSERT_FALSE(r.ok());
    if (c.error.empty()) {
      EXPECT_NE(r.error().message.find("does not match request id"), std::string::npos)
          << r.error().message;
    } else {
      EXPECT_EQ(r.error().message, c.error);
    }
    EXPECT_EQ(server.request_count(), 1u) << "an answer that arrived must not be retried";
  }
}

TEST(RpcClient, HugeNumbersAreRejectedByTheTypedCalls) {
  std::string result;
  FakeRpcServer server(
      [&](const std::string& body, size_t) { return test::result_for(body, result); });
  RpcClient rpc(server.url(), fast_retries(0));
  result = "\"0x1" + std::string(64, '0') + "\"";
  auto balance = get_balance(rpc, Address{});
  ASSERT_FALSE(balance.ok());
  EXPECT_EQ(balance.error().message, "rpc eth_getBalance: invalid result: quantity \"0x1" +
                                         std::string(64, '0') + "\" does not fit in 256 bits");
  result = "\"0x10000000000000000\"";
  auto number = block_number(rpc);
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.error().message,
            "rpc eth_blockNumber: invalid result: quantity 0x10000000000000000 does not fit in 64 "
            "bits");
  result = "1e999";  // a JSON number nlohmann cannot hold as an integer
  number = block_number(rpc);
  ASSERT_FALSE(number.ok());
  result = "12345678901234567890123";  // a bare JSON number where a hex string belongs
  number = block_number(rpc);
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.error().message,
            "rpc eth_blockNumber: invalid result: expected a hex string, got number");
}

TEST(RpcClient, NodeErrorsKeepCodeMessageAndRevertData) {
  FakeRpcServer server([](const std::string& body, size_t) {
    auto q = json::parse(body);
    return FakeReply{
        200, R"({"jsonrpc":"2.0","id":)" + q["id"].dump() +
                 R"(,"error":{"code":-32000,"message":"execution reverted","data":"0x08c379a0"}})"};
  });
  RpcClient rpc(server.url(), fast_retries(3));
  auto r = eth_call(rpc, CallRequest{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            R"(rpc eth_call: error -32000: execution reverted (data: "0x08c379a0"))");
  auto e = find_rpc_error(r.error());
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->code, -32000);
  EXPECT_EQ(to_hex(e->revert_data().value()), "0x08c379a0");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(RpcClient, BatchMatchesOutOfOrderAnswersAndFlagsMissingOnes) {
  FakeRpcServer server([](const std::string& body, size_t) {
    auto q = json::parse(body);
    // Answers in reverse order and drops the middle call.
    json out = json::array();
    out.push_back({{"jsonrpc", "2.0"}, {"id", q[2]["id"]}, {"result", "third"}});
    out.push_back({{"jsonrpc", "2.0"},
                   {"id", q[0]["id"]},
                   {"error", {{"code", -32601}, {"message", "method not found"}}}});
    return FakeReply{200, out.dump()};
  });
  RpcClient rpc(server.url());
  auto r = rpc.batch({{"a_first"}, {"b_second", json::array({1})}, {"c_third"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  ASSERT_FALSE((*r)[0].ok());
  EXPECT_EQ((*r)[0].error().message, "rpc a_first: error -32601: method not found");
  ASSERT_FALSE((*r)[1].ok());
  EXPECT_NE(
      (*r)[1].error().message.find("rpc b_second: invalid JSON-RPC response: no response for id"),
      std::string::npos);
  EXPECT_EQ((*r)[2].value(), "third");
  auto sent = json::parse(server.requests().at(0).body);
  ASSERT_TRUE(sent.is_array());
  EXPECT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[1]["params"], json::array({1}));
  EXPECT_NE(sent[0]["id"], sent[1]["id"]);
  auto empty = rpc.batch({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(RpcClient, ConcurrentCallersEachGetTheirOwnAnswer) {
  FakeRpcServer server(test::echo_first_param);
  RpcClient rpc(server.url());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        int v = t * 1000 + i;
        auto r = rpc.call("echo", json::array({v}));
        if (!r || *r != v) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(server.request_count(), 200u);
}

TEST(RpcClient, ParamsMustBeAnArrayOrObject) {
  RpcClient rpc("http://127.0.0.1:1");
  auto r = rpc.call("eth_call", json(5));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "rpc eth_call: params must be an array or an object");
}

}  // namespace
}  // namespace icn::eth

// Tests for the one-pass eth_getLogs reader: the same logs as the DOM path on anvil's answers, and
// each refusal with its reason — and every refusal of a malformed answer is one the DOM path
// (get_logs' fallback) refuses too, so no hostile answer gets through either way.
#include "icn/eth/log_reader.hpp"

#include <gtest/gtest.h>

#include "icn/eth/test_samples.hpp"

namespace icn::eth {
namespace {

using test_samples::kAnvilLog;

std::string response(const std::string& result, uint64_t id = 7) {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"result":)" + result + "}";
}

// What get_logs' fallback makes of the same body.
Result<std::vector<Log>> dom_path(std::string_view body, uint64_t id) {
  ICN_TRY(json v, parse_response(body, id, "eth_getLogs"));
  if (!v.is_array()) return fail("expected an array");
  std::vector<Log> out;
  for (size_t i = 0; i < v.size(); ++i) {
    ICN_TRY_CTX(Log l, parse_log(v[i]), "log " + std::to_string(i));
    out.push_back(std::move(l));
  }
  return out;
}

void expect_same(const std::vector<Log>& a, const std::vector<Log>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].address, b[i].address);
    EXPECT_EQ(a[i].topics, b[i].topics);
    EXPECT_EQ(a[i].data, b[i].data);
    EXPECT_EQ(a[i].block_number, b[i].block_number);
    EXPECT_EQ(a[i].block_hash, b[i].block_hash);
    EXPECT_EQ(a[i].tx_hash, b[i].tx_hash);
    EXPECT_EQ(a[i].tx_index, b[i].tx_index);
    EXPECT_EQ(a[i].log_index, b[i].log_index);
    EXPECT_EQ(a[i].removed, b[i].removed);
  }
}

// kAnvilLog with one member's value replaced (or removed when `value` is empty).
std::string log_with(const std::string& member, const std::string& value) {
  json log = json::parse(kAnvilLog);
  if (value.empty()) {
    log.erase(member);
    return log.dump();
  }
  log[member] = "@@";
  std::string text = log.dump();
  return text.replace(text.find("\"@@\""), 4, value);
}

TEST(ReadGetLogsResponse, SameLogsAsTheDomPath) {
  std::string second = log_with("logIndex", R"("0x1a")");
  second = second.replace(second.find(R"("removed":false)"), 15, R"("removed":null)");
  std::vector<std::string> bodies = {
      response("[" + std::string(kAnvilLog) + "," + second + "]"),
      response("[]"),
      // Member order, whitespace and an unread null member are free.
      " {\n \"result\" : [ " + std::string(kAnvilLog) +
          " ] ,\"id\":7,\t\"jsonrpc\" : \"2.0\" }\r\n",
      response("[" + log_with("removed", "") + "]"),
      response("[" + log_with("removed", "true") + "]"),
      response("[" + log_with("address", R"("0x5FbDB2315678afecb367f032d93F642f64180aa3")") + "]"),
  };
  for (const std::string& body : bodies) {
    auto fast = read_get_logs_response(body, 7);
    ASSERT_TRUE(fast.ok()) << fast.error().message << "\n" << body;
    auto dom = dom_path(body, 7);
    ASSERT_TRUE(dom.ok()) << dom.error().message;
    expect_same(*fast, *dom);
  }
  auto two = read_get_logs_response(bodies[0], 7).value();
  EXPECT_EQ(two[1].log_index, 0x1au);
  EXPECT_EQ(two[0].topics.size(), 3u);
  EXPECT_EQ(two[0].data.size(), 128u);
  EXPECT_TRUE(read_get_logs_response(bodies[4], 7).value()[0].removed);
}

TEST(ReadGetLogsResponse, MalformedAnswersAreRefusedWithTheirReason) {
  const std::string log = kAnvilLog;
  struct Case {
    std::string body;
    std::string error;
  } cases[] = {
      {response("[" + log_with("blockHash", R"("0x3a9a")") + "]"),
       "getLogs reader: log 0: field \"blockHash\": at offset 102: expected 32 bytes, got 2"},
      {response("[" + log_with("transactionHash", R"("0xzz")") + "]"),
       "getLogs reader: log 0: field \"transactionHash\": at offset 758: invalid hex digit 'z' at "
       "position 2"},
      {response("[" + log_with("data", R"("0x123")") + "]"),
       "getLogs reader: log 0: field \"data\": at offset 228: odd number of hex digits (3)"},
      {response("[" + log_with("blockNumber", R"("0x02")") + "]"),
       "getLogs reader: log 0: field \"blockNumber\": at offset 185: quantity \"0x02\" has a "
       "leading "
       "zero"},
      {response("[" + log_with("logIndex", R"("0x10000000000000000")") + "]"),
       "getLogs reader: log 0: field \"logIndex\": at offset 500: quantity 0x10000000000000000 "
       "does "
       "not fit in 64 bits"},
      {response("[" + log_with("address", R"("0x5fbdb2315678afecb367f032d93f642f64180a")") + "]"),
       "getLogs reader: log 0: field \"address\": at offset 45: address: expected 20 bytes, got "
       "19"},
      {response("[" + log_with("transactionHash", "") + "]"),
       "getLogs reader: log 0: missing field \"transactionHash\" at offset 765"},
      {response("[" + log_with("topics", R"(["0x0", 1])") + "]"),
       "getLogs reader: log 0: field \"topics\": at offset 532: odd number of hex digits (1)"},
      {response("[" + log_with("removed", R"("no")") + "]"),
       "getLogs reader: log 0: field \"removed\": expected a boolean at offset 516"},
      {response("[" + log + "," + log_with("logIndex", "1") + "]"),
       "getLogs reader: log 1: field \"logIndex\": expected '\"' at offset 1327"},
      {response(R"({"not":"an array"})"), "getLogs reader: expected '[' at offset 33"},
      {response("[" + log + "]", 8), "getLogs reader: id 8 is not ours at offset 23"},
      {R"({"jsonrpc":"1.0","id":7,"result":[]})",
       "getLogs reader: jsonrpc version is not \"2.0\" at offset 16"},
      {R"({"jsonrpc":"2.0","result":[]})",
       "getLogs reader: missing \"jsonrpc\", \"id\" or \"result\" at offset 29"},
      {response("[]") + "x", "getLogs reader: unexpected text after the value at offset 36"},
      {response("[" + log), "getLogs reader: expected ']' at offset 860"},
  };
  for (const Case& c : cases) {
    auto fast = read_get_logs_response(c.body, 7);
    ASSERT_FALSE(fast.ok()) << c.body;
    EXPECT_EQ(fast.error().message, c.error) << c.body;
    EXPECT_FALSE(dom_path(c.body, 7).ok()) << "the DOM path must refuse it too: " << c.body;
  }
  // More than four topics.
  json five = json::parse(kAnvilLog);
  for (int i = 0; i < 2; ++i) five["topics"].push_back(five["topics"][0]);
  auto fast = read_get_logs_response(response("[" + five.dump() + "]"), 7);
  ASSERT_FALSE(fast.ok());
  EXPECT_NE(fast.error().message.find("log 0: field \"topics\": more than 4 topics"),
            std::string::npos)
      << fast.error().message;
  EXPECT_FALSE(dom_path(response("[" + five.dump() + "]"), 7).ok());
}

TEST(ReadGetLogsResponse, ValidAnswersOutsideItsSubsetAreLeftToTheDomPath) {
  struct Case {
    std::string body;
    std::string error;
  } cases[] = {
      // A node's error: the DOM path reports it as the call's error.
      {R"({"jsonrpc":"2.0","id":7,"error":{"code":-32005,"message":"too many"}})",
       "getLogs reader: unexpected member \"error\" at offset 32"},
      {response("[" + log_with("blockTimestamp", R"("\u0030x1")") + "]"),
       "getLogs reader: log 0: escape sequence in a string at offset 209"},
      {response("[" + log_with("blockTimestamp", "12") + "]"),
       "getLogs reader: log 0: unexpected value of an unread member at offset 208"},
      {response("[" + log_with("blockTimestamp", R"("é")") + "]"),
       "getLogs reader: log 0: byte outside printable ASCII in a string at offset 209"},
      {R"({"jsonrpc":"2.0","jsonrpc":"2.0","id":7,"result":[]})",
       "getLogs reader: duplicate member \"jsonrpc\" at offset 27"},
  };
  for (const Case& c : cases) {
    auto fast = read_get_logs_response(c.body, 7);
    ASSERT_FALSE(fast.ok()) << c.body;
    EXPECT_EQ(fast.error().message, c.error) << c.body;
  }
  // Apart from the node's error, each is a valid answer the fallback decodes.
  for (size_t i = 1; i < std::size(cases); ++i) {
    EXPECT_TRUE(dom_path(cases[i].body, 7).ok()) << cases[i].body;
  }
  auto node_error = dom_path(cases[0].body, 7);
  ASSERT_FALSE(node_error.ok());
  EXPECT_EQ(node_error.error().message, "rpc eth_getLogs: error -32005: too many");
}

}  // namespace
}  // namespace icn::eth

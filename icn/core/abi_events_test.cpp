// Event logs and revert data decoded against JSON ABI entries (encodings from cast 1.5.1).
#include "icn/core/abi_events.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "icn/core/abi_codec.hpp"
#include "icn/core/abi_text.hpp"
#include "icn/core/keccak.hpp"

namespace icn::abi {
namespace {

Bytes hex(std::string_view text) {
  return *parse_hex(text);
}
Hash hash(std::string_view text) {
  return *parse_fixed_hex<32>(text);
}

const char* kAbi = R"([
  {"type": "function", "name": "transfer", "inputs": [], "outputs": []},
  {"type": "event", "name": "Transfer", "anonymous": false, "inputs": [
    {"name": "from", "type": "address", "indexed": true, "internalType": "address"},
    {"name": "to", "type": "address", "indexed": true, "internalType": "address"},
    {"name": "value", "type": "uint256", "indexed": false, "internalType": "uint256"}]},
  {"type": "event", "name": "Named", "anonymous": false, "inputs": [
    {"name": "label", "type": "string", "indexed": true},
    {"name": "id", "type": "uint256", "indexed": true},
    {"name": "pair", "type": "tuple", "indexed": true,
     "components": [{"name": "a", "type": "uint8"}, {"name": "b", "type": "bool"}]},
    {"name": "blob", "type": "bytes", "indexed": false}]},
  {"type": "event", "name": "Ping", "anonymous": true, "inputs": [
    {"name": "n", "type": "int8", "indexed": true}]},
  {"type": "error", "name": "Refused", "inputs": [
    {"name": "code", "type": "uint256"}, {"name": "who", "type": "address"}]},
  {"type": "error", "name": "Unnamed", "inputs": [{"name": "", "type": "string"}]}
])";

TEST(AbiEvents, ReadsEventsAndErrorsFromJsonAbi) {
  auto abi = nlohmann::json::parse(kAbi);
  auto events = events_from_json_abi(abi);
  ASSERT_TRUE(events.ok()) << events.error().message;
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].canonical(), "Transfer(address,address,uint256)");
  EXPECT_EQ(to_hex((*events)[0].topic0()),
            "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  EXPECT_EQ((*events)[1].canonical(), "Named(string,uint256,(uint8,bool),bytes)");
  EXPECT_TRUE((*events)[2].anonymous);
  auto errors = errors_from_json_abi(nlohmann::json{{"abi", abi}});  // an artifact object
  ASSERT_TRUE(errors.ok());
  ASSERT_EQ(errors->size(), 2u);
  EXPECT_EQ(to_hex((*errors)[0].selector()), "0x18ff0ee4");  // cast sig "Refused(uint256,address)"

  EXPECT_EQ(events_from_json_abi(nlohmann::json::parse("{}")).error().message,
            "abi: a JSON ABI must be an array of entries (or an artifact with an \"abi\" array)");
  EXPECT_EQ(events_from_json_abi(nlohmann::json::parse(R"([{"type": "event", "inputs": []}])"))
                .error()
                .message,
            "abi: event entry has no name");
  EXPECT_EQ(events_from_json_abi(
                nlohmann::json::parse(
                    R"([{"type": "event", "name": "E", "inputs": [{"type": "uint7"}]}])"))
                .error()
                .message,
            "abi: uint7 is not a valid type (in E)");
}

TEST(AbiEvents, DecodesTransferLog) {
  auto transfer =
      EventAbi::from_signature("Transfer(address indexed from, address indexed to, uint256 value)");
  ASSERT_TRUE(transfer.ok());
  std::vector<Hash> topics = {
      hash("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"),
      hash("0x0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
      hash("0x000000000000000000000000fb6916095ca1df60bb79ce92ce3ea74c37c5d359"),
  };
  Bytes data = hex("0x0000000000000000000000000000000000000000000000000de0b6b3a7640000");
  auto log = decode_log(*transfer, topics, data);
  ASSERT_TRUE(log.ok()) << log.error().message;
  EXPECT_EQ(log->event, "Transfer");
  ASSERT_EQ(log->params.size(), 3u);
  EXPECT_EQ(log->params[0].name, "from");
  EXPECT_TRUE(log->params[0].indexed);
  EXPECT_EQ(format_value(log->params[0].type, log->params[0].value),
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  EXPECT_EQ(format_value(log->params[1].type, log->params[1].value),
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
  EXPECT_EQ(log->params[2].value, Value(U256(1'000'000'000'000'000'000ull)));
  EXPECT_FALSE(log->params[2].indexed);

  // Wrong topic0, wrong topic count, dirty indexed address, truncated data.
  std::vector<Hash> wrong = topics;
  wrong[0][0] ^= 1;
  EXPECT_EQ(decode_log(*transfer, wrong, data).error().message,
            "abi: log topic0 0xdcf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef "
            "is not Transfer(address,address,uint256) "
            "(0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef)");
  EXPECT_EQ(decode_log(*transfer, std::span(topics).first(2), data).error().message,
            "abi: log of Transfer(address,address,uint256) has 2 topics, expected 3");
  std::vector<Hash> dirty = topics;
  dirty[1][0] = 1;
  EXPECT_EQ(decode_log(*transfer, dirty, data).error().message,
            "abi: address word 0x0100000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed "
            "has non-zero upper 12 bytes (in topic 1 of Transfer(address,address,uint256))");
  EXPECT_EQ(decode_log(*transfer, topics, ByteView(data).first(31)).error().message,
            "abi: data too short: 0x20 bytes of head at 0x0 run past the end of data (len 0x1f) "
            "(in the data of Transfer(address,address,uint256))");
}

TEST(AbiEvents, IndexedReferenceTypesAreTopicHashes) {
  auto events = *events_from_json_abi(nlohmann::json::parse(kAbi));
  const EventAbi& named = events[1];
  // cast sig-event "Named(string indexed,uint256 indexed,(uint8,bool) indexed,bytes)"
  EXPECT_EQ(to_hex(named.topic0()),
            "0xa1f8a0b7f12da19467122ef509beedd6036600fef0827b3590dfa4a3cb04d59b");
  Hash label = keccak256(std::string_view("hello"));
  // cast keccak $(cast abi-encode "f(uint8,bool)" 7 true)
  Hash pair = hash("0xdc686ec4a0ff239c70e7c7c36e8f853eced3bc8618f48d2b816da2a74311237e");
  std::vector<Hash> topics = {named.topic0(), label, u256_to_be(U256(42)), pair};
  // cast abi-encode "f(bytes)" 0xc0ffee
  Bytes data =
      hex("0x0000000000000000000000000000000000000000000000000000000000000020"
          "0000000000000000000000000000000000000000000000000000000000000003"
          "c0ffee0000000000000000000000000000000000000000000000000000000000");
  auto log = decode_log(named, topics, data);
  ASSERT_TRUE(log.ok()) << log.error().message;
  EXPECT_TRUE(log->params[0].hashed);
  EXPECT_EQ(
      to_hex(log->params[0].value.get<Bytes>()),
      "0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");  // cast keccak hello
  EXPECT_FALSE(log->params[1].hashed);
  EXPECT_EQ(log->params[1].value, Value(U256(42)));
  EXPECT_TRUE(log->params[2].hashed);
  EXPECT_EQ(log->params[2].value.get<Bytes>(), Bytes(pair.begin(), pair.end()));
  EXPECT_EQ(log->params[3].value, Value(Bytes{0xc0, 0xff, 0xee}));
}

TEST(AbiEvents, AnonymousEventsHaveNoTopic0) {
  auto ping = *EventAbi::from_signature("Ping(int8 indexed n) anonymous");
  std::vector<Hash> topics = {i256_to_word(I256(-3))};
  auto log = decode_log(ping, topics, {});
  ASSERT_TRUE(log.ok()) << log.error().message;
  EXPECT_EQ(log->params[0].value, Value(I256(-3)));
  std::vector<Hash> with_topic0 = {ping.topic0(), topics[0]};
  EXPECT_EQ(decode_log(ping, with_topic0, {}).error().message,
            "abi: log of Ping(int8) has 2 topics, expected 1");
}

TEST(AbiEvents, RevertReasons) {
  auto errors = *errors_from_json_abi(nlohmann::json::parse(kAbi));
  auto text = [&](std::string_view data) {
    auto r = decode_revert(hex(data), errors);
    return r ? r->text : "error: " + r.error().message;
  };
  // cast calldata "Error(string)" "insufficient balance"
  EXPECT_EQ(text("0x08c379a0"
                 "0000000000000000000000000000000000000000000000000000000000000020"
                 "0000000000000000000000000000000000000000000000000000000000000014"
                 "696e73756666696369656e742062616c616e6365000000000000000000000000"),
            "insufficient balance");
  // cast calldata "Panic(uint256)" 17
  auto panic = decode_revert(
      hex("0x4e487b710000000000000000000000000000000000000000000000000000000000000011"), errors);
  ASSERT_TRUE(panic.ok());
  EXPECT_EQ(panic->kind, RevertReason::Kind::kPanic);
  EXPECT_EQ(panic->text, "panic 0x11 (arithmetic overflow or underflow)");
  EXPECT_EQ(*panic->panic_code, 0x11);
  EXPECT_EQ(text("0x4e487b710000000000000000000000000000000000000000000000000000000000000001"),
            "panic 0x01 (assertion failed)");
  EXPECT_EQ(text("0x4e487b710000000000000000000000000000000000000000000000000000000000000032"),
            "panic 0x32 (array index out of bounds)");
  EXPECT_EQ(text("0x4e487b710000000000000000000000000000000000000000000000000000000000000099"),
            "panic 0x99");
  EXPECT_EQ(text("0x4e487b710000000000000000000000000000000000000000000000000000000000001234"),
            "panic 0x1234");
  // cast calldata "Refused(uint256,address)" 7 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed
  auto custom =
      decode_revert(hex("0x18ff0ee4"
                        "0000000000000000000000000000000000000000000000000000000000000007"
                        "0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
                    errors);
  ASSERT_TRUE(custom.ok()) << custom.error().message;
  EXPECT_EQ(custom->kind, RevertReason::Kind::kCustom);
  EXPECT_EQ(custom->text, "Refused(code=7, who=0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed)");
  EXPECT_EQ(custom->error->name, "Refused");
  FixedBytes<4> unnamed_selector = selector("Unnamed(string)");
  Bytes unnamed(unnamed_selector.begin(), unnamed_selector.end());
  auto msg = encode(std::vector<Type>{Type::string()}, Value::List{"a \"b\""});
  append(unnamed, *msg);
  EXPECT_EQ(text(to_hex(unnamed)), "Unnamed(\"a \\\"b\\\"\")");

  EXPECT_EQ(text("0x"), "reverted without a reason");
  EXPECT_EQ(text("0x12345678" + std::string(128, '0')),
            "unknown error 0x12345678 (64 bytes of data)");
  EXPECT_EQ(text("0xabcd"), "malformed revert data 0xabcd (2 bytes, shorter than a selector)");
  EXPECT_EQ(text("0x08c379a0"
                 "0000000000000000000000000000000000000000000000000000000000000040"),
            "error: abi: offset 0x40 points past the end of data (len 0x20) (in Error(string) "
            "revert data)");
  EXPECT_EQ(text("0x18ff0ee4"
                 "0000000000000000000000000000000000000000000000000000000000000007"),
            "error: abi: data too short: 0x40 bytes of head at 0x0 run past the end of data (len "
            "0x20) (in Refused(uint256,address) revert data)");
}

TEST(AbiEvents, PanicCodesAreNamed) {
  EXPECT_EQ(panic_description(0x00), "generic compiler panic");
  EXPECT_EQ(panic_description(0x12), "division or modulo by zero");
  EXPECT_EQ(panic_description(0x21), "invalid enum value");
  EXPECT_EQ(panic_description(0x22), "incorrectly encoded storage byte array");
  EXPECT_EQ(panic_description(0x31), "pop() on an empty array");
  EXPECT_EQ(panic_description(0x41), "out of memory (too much memory allocated)");
  EXPECT_EQ(panic_description(0x51), "call to a zero-initialized internal function");
  EXPECT_EQ(panic_description(0x52), "");
}

}  // namespace
}  // namespace icn::abi

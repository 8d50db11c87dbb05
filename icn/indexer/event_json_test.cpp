// Decoded event arguments as JSON: number widths, names of tuple components, hashed topics.
#include "icn/indexer/event_json.hpp"

#include <gtest/gtest.h>

namespace icn::indexer {
namespace {

using nlohmann::json;

TEST(EventJson, NumbersByWidthTuplesByComponentName) {
  abi::Type spec = abi::Type::tuple({abi::Type::string(), abi::Type::uint(32)});
  abi::DecodedLog log;
  log.event = "Thing";
  log.params = {
      {"id", abi::Type::uint(32), abi::Value::uint(7), true, false},
      {"amount", abi::Type::uint(256), abi::Value(U256("123456789012345678901234567890")), false,
       false},
      {"delta", abi::Type::int_(64), abi::Value::int_(-5), false, false},
      {"spec", spec, abi::Value(abi::Value::List{abi::Value("storage"), abi::Value::uint(2)}),
       false, false},
      {"", abi::Type::fixed_bytes(3), abi::Value(Bytes{'D', 'E', 'U'}), false, false},
      {"tag", abi::Type::string(), abi::Value(Bytes(32, 0xab)), true, true},
  };
  json entry = json::parse(R"({"type":"event","name":"Thing","inputs":[
    {"name":"id","type":"uint32"},{"name":"amount","type":"uint256"},{"name":"delta","type":"int64"},
    {"name":"spec","type":"tuple","components":[{"name":"name","type":"string"},
                                                 {"name":"vcpus","type":"uint32"}]},
    {"name":"","type":"bytes3"},{"name":"tag","type":"string","indexed":true}]})");
  json args = args_to_json(log, &entry);
  EXPECT_EQ(args["id"], 7);
  EXPECT_EQ(args["amount"], "123456789012345678901234567890");
  EXPECT_EQ(args["delta"], -5);
  EXPECT_EQ(args["spec"], json({{"name", "storage"}, {"vcpus", 2}}));
  EXPECT_EQ(args["arg4"], "0x444555");
  std::string tag = "0x";
  for (int i = 0; i < 32; ++i) tag += "ab";
  EXPECT_EQ(args["tag"], tag);  // an indexed string: only its keccak is known

  // Without the ABI entry a tuple has no names: an array.
  json bare = args_to_json(log);
  EXPECT_EQ(bare["spec"], json::array({"storage", 2}));
}

TEST(EventJson, InvalidUtf8IsReplacedWhenDumped) {
  json j = {{"name", std::string("a\xff"
                                 "b")}};
  EXPECT_EQ(dump_json(j),
            "{\"name\":\"a\xEF\xBF\xBD"
            "b\"}");
}

}  // namespace
}  // namespace icn::indexer

// ABI type strings, signatures, selectors and JSON ABI parameters (selectors from cast 1.5.1).
#include "icn/core/abi_type.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace icn::abi {
namespace {

std::string canonical_of(std::string_view text) {
  auto t = Type::parse(text);
  return t ? t->canonical() : "error: " + t.error().message;
}

std::string error_of(std::string_view text) {
  auto t = Type::parse(text);
  return t ? "parsed as " + t->canonical() : t.error().message;
}

TEST(AbiType, ParsesCanonicalNames) {
  for (const char* text :
       {"uint8", "uint256", "int8", "int136", "int256", "address", "bool", "bytes1", "bytes32",
        "bytes", "string", "uint256[]", "uint8[3]", "bool[2][]", "string[][4]", "(uint256,address)",
        "()", "(bytes,(address,uint64[]))[2]", "((uint8)[],string)[]"}) {
    EXPECT_EQ(canonical_of(text), text);
  }
}

TEST(AbiType, AcceptsAliasesTupleSpellingAndWhitespace) {
  EXPECT_EQ(canonical_of("uint"), "uint256");
  EXPECT_EQ(canonical_of("int"), "int256");
  EXPECT_EQ(canonical_of("uint[]"), "uint256[]");
  EXPECT_EQ(canonical_of("tuple(uint,bytes)[2]"), "(uint256,bytes)[2]");
  EXPECT_EQ(canonical_of("tuple()"), "()");
  EXPECT_EQ(canonical_of(" ( uint256 , tuple ( bool ) ) "), "(uint256,(bool))");
}

TEST(AbiType, RejectsWithReasons) {
  EXPECT_EQ(error_of("uint7"), "abi: uint7 is not a valid type");
  EXPECT_EQ(error_of("uint264"), "abi: uint264 is not a valid type");
  EXPECT_EQ(error_of("int0"), "abi: int0 is not a valid type");
  EXPECT_EQ(error_of("uint08"), "abi: uint08 is not a valid type");
  EXPECT_EQ(error_of("bytes0"), "abi: bytes0 is not a valid type");
  EXPECT_EQ(error_of("bytes33"), "abi: bytes33 is not a valid type");
  EXPECT_EQ(error_of("foo"), "abi: foo is not a valid type");
  EXPECT_EQ(error_of("function"), "abi: function types are not supported");
  EXPECT_EQ(error_of("fixed128x18"), "abi: fixed-point types are not supported");
  EXPECT_EQ(error_of(""), "abi: missing type at position 0 of \"\"");
  EXPECT_EQ(error_of("(uint256"), "abi: missing ')' at position 8 of \"(uint256\"");
  EXPECT_EQ(error_of("uint256)"), "abi: unexpected ')' at position 7 of \"uint256)\"");
  EXPECT_EQ(error_of("(uint256,)"),
            "abi: expected a type, found ')' at position 9 of \"(uint256,)\"");
  EXPECT_EQ(error_of("(uint256 bool)"),
            "abi: expected ',' or ')', found 'b' at position 9 of \"(uint256 bool)\"");
  EXPECT_EQ(error_of("tuple uint256"),
            "abi: expected '(' after tuple at position 6 of \"tuple uint256\"");
  EXPECT_EQ(error_of("uint256[2"),
            "abi: expected ']' in array type at position 9 of \"uint256[2\"");
  EXPECT_EQ(error_of("uint256[x]"),
            "abi: expected ']' in array type at position 8 of \"uint256[x]\"");
  EXPECT_EQ(error_of("uint256[0]"),
            "abi: array length 0 must be a positive number without leading zeros");
  EXPECT_EQ(error_of("uint256[1000001]"), "abi: fixed array length 1000001 exceeds 1000000");
  EXPECT_EQ(error_of("uint256[99999999999999999999]"),
            "abi: fixed array length 99999999999999999999 exceeds 1000000");
  EXPECT_EQ(error_of("uint256[1000000][1000000]"),
            "abi: type uint256[1000000][1000000] is too large (static size over 1 GiB)");
  EXPECT_EQ(error_of("()[]"), "abi: arrays of empty tuples are not supported");
  EXPECT_EQ(error_of("uint256 x"), "abi: unexpected 'x' at position 8 of \"uint256 x\"");
  EXPECT_EQ(error_of("uint256[]]"), "abi: unexpected ']' at position 9 of \"uint256[]]\"");
}

TEST(AbiType, RejectsAbsurdNesting) {
  std::string deep_array = "uint8";
  for (int i = 0; i < 33; ++i) deep_array += "[]";
  EXPECT_EQ(error_of(deep_array), "abi: type nested deeper than 32 levels");
  std::string ok_array = "uint8";
  for (int i = 0; i < 32; ++i) ok_array += "[]";
  EXPECT_EQ(canonical_of(ok_array), ok_array);

  std::string deep_tuple = std::string(40, '(') + "bool" + std::string(40, ')');
  EXPECT_EQ(error_of(deep_tuple), "abi: type nested deeper than 32 levels");
  // A hostile string far deeper than the limit must fail fast, not overflow the stack.
  std::string hostile = std::string(1'000'000, '(');
  EXPECT_EQ(error_of(hostile), "abi: type nested deeper than 32 levels");
}

TEST(AbiType, DynamicAndHeadSize) {
  struct Case {
    const char* type;
    bool dynamic;
    size_t head;
  } cases[] = {
      {"uint8", false, 32},
      {"bytes32", false, 32},
      {"bytes", true, 32},
      {"string", true, 32},
      {"uint256[]", true, 32},
      {"uint256[3]", false, 96},
      {"uint256[2][3]", false, 192},
      {"string[2]", true, 32},
      {"(uint256,bool)", false, 64},
      {"(uint256,bytes)", true, 32},
      {"(uint256,bool)[2]", false, 128},
      {"()", false, 0},
  };
  for (const Case& c : cases) {
    auto t = Type::parse(c.type);
    ASSERT_TRUE(t.ok()) << c.type;
    EXPECT_EQ(t->is_dynamic(), c.dynamic) << c.type;
    EXPECT_EQ(t->head_size(), c.head) << c.type;
  }
}

TEST(AbiType, BuildersMatchParsing) {
  Type built = Type::tuple({Type::uint(256), Type::array(Type::address()),
                            Type::fixed_array(Type::fixed_bytes(4), 2), Type::string()});
  EXPECT_EQ(built.canonical(), "(uint256,address[],bytes4[2],string)");
  EXPECT_EQ(*Type::parse("(uint,address[],bytes4[2],string)"), built);
  EXPECT_FALSE(*Type::parse("uint8") == Type::uint(16));
}

// Selectors and topics against `cast sig` / `cast sig-event` (and the Solidity docs' examples).
TEST(AbiType, SelectorsMatchCast) {
  struct Case {
    const char* signature;
    const char* selector;
  } cases[] = {
      {"transfer(address,uint256)", "0xa9059cbb"},
      {"baz(uint32,bool)", "0xcdcd77c0"},
      {"bar(bytes3[2])", "0xfce353f6"},
      {"sam(bytes,bool,uint256[])", "0xa5643bf2"},
      {"f(uint256,uint32[],bytes10,bytes)", "0x8be65246"},
      {"g(uint256[][],string[])", "0x2289b18c"},
      {"f(uint,int,tuple(uint,bytes)[2],(bool)[])", "0x9ebf4e46"},
      {"f( uint256 a, address b )", "0x50336458"},
      {"function f(uint256) external returns (bool)", "0xb3de648b"},
      {"f(uint)(bool)", "0xb3de648b"},
      {"f()", "0x26121ff0"},
      {"Refused(uint256,address)", "0x18ff0ee4"},
  };
  for (const Case& c : cases) {
    auto sig = parse_signature(c.signature);
    ASSERT_TRUE(sig.ok()) << c.signature << ": " << sig.error().message;
    EXPECT_EQ(to_hex(sig->selector()), c.selector) << c.signature;
  }
  EXPECT_EQ(to_hex(selector("transfer(address,uint256)")), "0xa9059cbb");
  EXPECT_EQ(to_hex(event_topic("Transfer(address,address,uint256)")),
            "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  auto event = parse_signature("Transfer(address indexed from, address indexed to, uint256 value)");
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(to_hex(event->topic()),
            "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  EXPECT_EQ(event->indexed, (std::vector<bool>{true, true, false}));
  EXPECT_EQ(event->input_names, (std::vector<std::string>{"from", "to", "value"}));
  auto named = parse_signature("Named(string indexed,uint256 indexed,(uint8,bool) indexed,bytes)");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(to_hex(named->topic()),
            "0xa1f8a0b7f12da19467122ef509beedd6036600fef0827b3590dfa4a3cb04d59b");
}

TEST(AbiType, SignaturesWithOutputsAndNames) {
  auto sig = parse_signature("balanceOf(address owner)(uint256)");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->name, "balanceOf");
  EXPECT_EQ(sig->canonical(), "balanceOf(address)");
  EXPECT_EQ(canonical_list(sig->outputs), "(uint256)");
  EXPECT_EQ(sig->input_names[0], "owner");

  auto returns = parse_signature("get(uint256 id) returns (string memory name, bool)");
  ASSERT_TRUE(returns.ok());
  EXPECT_EQ(canonical_list(returns->outputs), "(string,bool)");
  EXPECT_EQ(returns->output_names, (std::vector<std::string>{"name", ""}));

  auto colon = parse_signature("get():(bytes32)");
  ASSERT_TRUE(colon.ok());
  EXPECT_EQ(canonical_list(colon->outputs), "(bytes32)");

  auto structs = parse_signature("f((uint256 a, string b) memory x, bytes calldata)");
  ASSERT_TRUE(structs.ok());
  EXPECT_EQ(structs->canonical(), "f((uint256,string),bytes)");

  auto anon = parse_signature("event Ping(uint256 indexed n) anonymous");
  ASSERT_TRUE(anon.ok());
  EXPECT_TRUE(anon->anonymous);

  EXPECT_EQ(parse_signature("f").error().message, "abi: expected '(' at position 1 of \"f\"");
  EXPECT_EQ(parse_signature("(uint256)").error().message,
            "abi: signature must start with a name at position 0 of \"(uint256)\"");
  EXPECT_EQ(parse_signature("f(uint7)").error().message, "abi: uint7 is not a valid type");
  EXPECT_EQ(parse_signature("f(uint256 a b)").error().message,
            "abi: unexpected word 'b' after parameter a");
  EXPECT_FALSE(parse_signature("f(uint256)(bool").ok());
  EXPECT_FALSE(parse_signature("f(uint256) extra").ok());
}

TEST(AbiType, TypeLists) {
  auto list = parse_type_list("(uint256, address[] ,(bool,string))");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(canonical_list(*list), "(uint256,address[],(bool,string))");
  EXPECT_EQ(canonical_list(*list, false), "uint256,address[],(bool,string)");
  EXPECT_TRUE(parse_type_list("()")->empty());
  EXPECT_EQ(parse_type_list("uint256").error().message,
            "abi: expected '(' at position 0 of \"uint256\"");
  EXPECT_FALSE(parse_type_list("(uint256)[]").ok());
}

TEST(AbiType, FromSolcJsonAbi) {
  auto param = nlohmann::json::parse(R"({
    "name": "orders", "type": "tuple[2][]", "internalType": "struct Book.Order[2][]",
    "components": [
      {"name": "maker", "type": "address"},
      {"name": "amounts", "type": "uint256[]"},
      {"name": "meta", "type": "tuple", "components": [
        {"name": "tag", "type": "bytes32"}, {"name": "note", "type": "string"}]}
    ]})");
  auto t = from_json_abi(param);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->canonical(), "(address,uint256[],(bytes32,string))[2][]");

  auto p = param_from_json_abi(nlohmann::json::parse(
      R"({"name": "from", "type": "address", "indexed": true, "internalType": "address"})"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "from");
  EXPECT_TRUE(p->indexed);

  EXPECT_EQ(from_json_abi(nlohmann::json::parse(R"({"type": "uint7"})")).error().message,
            "abi: uint7 is not a valid type");
  EXPECT_EQ(from_json_abi(nlohmann::json::parse(R"({"type": "tuple"})")).error().message,
            "abi: JSON ABI tuple parameter has no \"components\" array");
  EXPECT_EQ(from_json_abi(nlohmann::json::parse(R"({"name": "x"})")).error().message,
            "abi: JSON ABI parameter has no \"type\" string");
  EXPECT_EQ(from_json_abi(nlohmann::json::parse("[]")).error().message,
            "abi: JSON ABI parameter must be an object");
  EXPECT_FALSE(
      from_json_abi(nlohmann::json::parse(R"({"type": "tuple[0]", "components": []})")).ok());
  EXPECT_FALSE(from_json_abi(
                   nlohmann::json::parse(R"({"type": "tuple[", "components": [{"type": "bool"}]})"))
                   .ok());
  auto params = params_from_json_abi(
      nlohmann::json::parse(R"([{"type": "uint256"}, {"type": "string", "name": "s"}])"));
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(canonical_list(types_of(*params)), "(uint256,string)");
}

}  // namespace
}  // namespace icn::abi

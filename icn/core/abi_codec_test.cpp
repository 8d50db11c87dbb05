// ABI encoding and strict decoding: the Solidity docs' examples (as cast 1.5.1 encodes them),
// value range checks, non-canonical words, and hostile offsets and lengths.
#include "icn/core/abi_codec.hpp"

#include <gtest/gtest.h>

namespace icn::abi {
namespace {

Bytes hex(std::string_view text) {
  auto b = parse_hex(text);
  EXPECT_TRUE(b.ok()) << text;
  return b.value_or({});
}

Bytes ascii(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

Value list(Value::List items) {
  return Value(std::move(items));
}

// 32-byte words as hex, for building hostile inputs readably.
Bytes words(std::initializer_list<std::string_view> ws) {
  Bytes out;
  for (std::string_view w : ws) {
    Bytes b = hex(w);
    EXPECT_LE(b.size(), 32u);
    out.insert(out.end(), 32 - b.size(), 0);
    append(out, b);
  }
  return out;
}

std::vector<Type> types(std::string_view list) {
  return *parse_type_list(list);
}

std::string decode_error(std::string_view type_list, ByteView data) {
  auto v = decode(types(type_list), data);
  return v ? "decoded" : v.error().message;
}

struct DocExample {
  const char* signature;
  Value::List args;
  const char* calldata;  // `cast calldata`, identical to the Solidity docs' listings
};

std::vector<DocExample> doc_examples() {
  return {
      {"baz(uint32,bool)",
       {Value::uint(69), true},
       "0xcdcd77c0"
       "0000000000000000000000000000000000000000000000000000000000000045"
       "0000000000000000000000000000000000000000000000000000000000000001"},
      {"bar(bytes3[2])",
       {list({ascii("abc"), ascii("def")})},
       "0xfce353f6"
       "6162630000000000000000000000000000000000000000000000000000000000"
       "6465660000000000000000000000000000000000000000000000000000000000"},
      {"sam(bytes,bool,uint256[])",
       {ascii("dave"), true, list({Value::uint(1), Value::uint(2), Value::uint(3)})},
       "0xa5643bf2"
       "0000000000000000000000000000000000000000000000000000000000000060"
       "0000000000000000000000000000000000000000000000000000000000000001"
       "00000000000000000000000000000000000000000000000000000000000000a0"
       "0000000000000000000000000000000000000000000000000000000000000004"
       "6461766500000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000003"
       "0000000000000000000000000000000000000000000000000000000000000001"
       "0000000000000000000000000000000000000000000000000000000000000002"
       "0000000000000000000000000000000000000000000000000000000000000003"},
      {"f(uint256,uint32[],bytes10,bytes)",
       {Value::uint(0x123), list({Value::uint(0x456), Value::uint(0x789)}), ascii("1234567890"),
        ascii("Hello, world!")},
       "0x8be65246"
       "0000000000000000000000000000000000000000000000000000000000000123"
       "0000000000000000000000000000000000000000000000000000000000000080"
       "3132333435363738393000000000000000000000000000000000000000000000"
       "00000000000000000000000000000000000000000000000000000000000000e0"
       "0000000000000000000000000000000000000000000000000000000000000002"
       "0000000000000000000000000000000000000000000000000000000000000456"
       "0000000000000000000000000000000000000000000000000000000000000789"
       "000000000000000000000000000000000000000000000000000000000000000d"
       "48656c6c6f2c20776f726c642100000000000000000000000000000000000000"},
      {"g(uint256[][],string[])",
       {list({list({Value::uint(1), Value::uint(2)}), list({Value::uint(3)})}),
        list({"one", "two", "three"})},
       "0x2289b18c"
       "0000000000000000000000000000000000000000000000000000000000000040"
       "0000000000000000000000000000000000000000000000000000000000000140"
       "0000000000000000000000000000000000000000000000000000000000000002"
       "0000000000000000000000000000000000000000000000000000000000000040"
       "00000000000000000000000000000000000000000000000000000000000000a0"
       "0000000000000000000000000000000000000000000000000000000000000002"
       "0000000000000000000000000000000000000000000000000000000000000001"
       "0000000000000000000000000000000000000000000000000000000000000002"
       "0000000000000000000000000000000000000000000000000000000000000001"
       "0000000000000000000000000000000000000000000000000000000000000003"
       "0000000000000000000000000000000000000000000000000000000000000003"
       "0000000000000000000000000000000000000000000000000000000000000060"
       "00000000000000000000000000000000000000000000000000000000000000a0"
       "00000000000000000000000000000000000000000000000000000000000000e0"
       "0000000000000000000000000000000000000000000000000000000000000003"
       "6f6e650000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000003"
       "74776f0000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000005"
       "7468726565000000000000000000000000000000000000000000000000000000"},
  };
}

TEST(AbiCodec, SolidityDocsExamplesEncodeAndDecode) {
  for (const DocExample& ex : doc_examples()) {
    auto sig = parse_signature(ex.signature);
    ASSERT_TRUE(sig.ok()) << ex.signature;
    auto calldata = encode_call(*sig, ex.args);
    ASSERT_TRUE(calldata.ok()) << ex.signature << ": " << calldata.error().message;
    EXPECT_EQ(to_hex(*calldata), ex.calldata) << ex.signature;

    auto decoded = decode_call(*sig, *calldata);
    ASSERT_TRUE(decoded.ok()) << ex.signature << ": " << decoded.error().message;
    EXPECT_EQ(decoded->list(), ex.args) << ex.signature;
  }
}

TEST(AbiCodec, TupleTypeEncodesAsItsComponents) {
  Type pair = *Type::parse("(uint256,bool)");
  auto direct = encode(pair, list({Value::uint(7), true}));
  auto as_list = encode(pair.components(), Value::List{Value::uint(7), true});
  ASSERT_TRUE(direct.ok() && as_list.ok());
  EXPECT_EQ(*direct, *as_list);

  // A non-tuple type is abi.encode(value): a lone string gets its offset word.
  auto s = encode(Type::string(), Value("hi"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(to_hex(*s),
            "0x0000000000000000000000000000000000000000000000000000000000000020"
            "0000000000000000000000000000000000000000000000000000000000000002"
            "6869000000000000000000000000000000000000000000000000000000000000");
  auto back = decode(Type::string(), *s);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->get<std::string>(), "hi");
  EXPECT_EQ(decode(pair, *direct)->list(), (Value::List{Value::uint(7), true}));
}

TEST(AbiCodec, IntegersEncodeAtTheirWidth) {
  auto b = encode(types("(int8,int256,uint8,int16)"),
                  Value::List{I256(-1), I256(-(I256(1) << 255)), U256(255), U256(32767)});
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(to_hex(*b),
            "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
            "8000000000000000000000000000000000000000000000000000000000000000"
            "00000000000000000000000000000000000000000000000000000000000000ff"
            "0000000000000000000000000000000000000000000000000000000000007fff");
  // Non-negative I256 for a uint, in-range U256 for an int: accepted.
  EXPECT_TRUE(encode(types("(uint8,int8)"), Value::List{I256(5), U256(127)}).ok());
}

TEST(AbiCodec, RejectsValuesOutsideTheirType) {
  auto error = [](std::string_view list, Value::List values) {
    auto b = encode(types(list), values);
    return b ? "encoded" : b.error().message;
  };
  EXPECT_EQ(error("(uint8)", {U256(256)}), "abi: argument 0: value 256 does not fit in uint8");
  EXPECT_EQ(error("(uint8)", {I256(-1)}), "abi: argument 0: value -1 does not fit in uint8");
  EXPECT_EQ(error("(int8)", {I256(-129)}), "abi: argument 0: value -129 does not fit in int8");
  EXPECT_EQ(error("(int8)", {I256(128)}), "abi: argument 0: value 128 does not fit in int8");
  EXPECT_EQ(error("(int8)", {U256(128)}), "abi: argument 0: value 128 does not fit in int8");
  EXPECT_EQ(error("(int256)", {I256(U256(1) << 255)}),
            "abi: argument 0: value "
            "57896044618658097711785492504343953926634992332820282019728792003956564819968 does "
            "not fit in int256");
  EXPECT_EQ(error("(bytes4)", {Bytes{1, 2, 3}}),
            "abi: argument 0: expected 4 bytes for bytes4, got 3");
  EXPECT_EQ(error("(address)", {"0x00"}),
            "abi: argument 0: expected a value of type address, got a string");
  EXPECT_EQ(error("(bool,string)", {true, Bytes{}}),
            "abi: argument 1: expected a value of type string, got bytes");
  EXPECT_EQ(error("(uint8[2])", {list({U256(1)})}),
            "abi: argument 0: expected 2 values for uint8[2], got 1");
  EXPECT_EQ(error("((uint8,bool))", {list({U256(1)})}),
            "abi: argument 0: expected 2 values for (uint8,bool), got 1");
  EXPECT_EQ(error("(uint8[])", {list({U256(1), U256(300)})}),
            "abi: argument 0: element 1: value 300 does not fit in uint8");
  EXPECT_EQ(error("((bool,(string,uint8)))", {list({true, list({"x", U256(999)})})}),
            "abi: argument 0: component 1: component 1: value 999 does not fit in uint8");
  EXPECT_EQ(error("(uint8,uint8)", {U256(1)}), "abi: expected 2 values, got 1");
}

TEST(AbiCodec, RoundTripsNestedDynamicValues) {
  auto ts = types("((bytes,(address,uint64[]))[],string[2],int24[][],bytes32,bool)");
  Address a = *Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  Value::List values{
      list({list({Bytes{1, 2, 3}, list({a, list({U256(7), U256(8)})})}),
            list({Bytes(40, 0xab), list({Address{}, list({})})})}),
      list({"", std::string(33, 'z')}),
      list({list({I256(-8388608), I256(8388607)}), list({}), list({I256(0)})}),
      Bytes(32, 0xee),
      false,
  };
  auto encoded = encode(ts, values);
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  EXPECT_EQ(encoded->size() % 32, 0u);
  auto decoded = decode(ts, *encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->list(), values);
}

TEST(AbiCodec, EncodeIntoAppendsAfterExistingBytes) {
  Bytes out = {0xaa};
  auto ts = types("(uint8,string)");
  ASSERT_TRUE(encode_into(out, ts, Value::List{U256(1), "x"}).ok());
  auto alone = encode(ts, Value::List{U256(1), "x"});
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(out.size(), 1 + alone->size());
  EXPECT_TRUE(std::equal(alone->begin(), alone->end(), out.begin() + 1));
}

TEST(AbiCodec, DecodeRejectsNonCanonicalWords) {
  EXPECT_EQ(decode_error("(uint8)", words({"0x01ff"})),
            "abi: uint8 word 0x00000000000000000000000000000000000000000000000000000000000001ff "
            "has dirty high bits");
  EXPECT_EQ(decode_error("(uint248)", words({"0x01" + std::string(62, '0')})),
            "abi: uint248 word 0x0100000000000000000000000000000000000000000000000000000000000000 "
            "has dirty high bits");
  EXPECT_EQ(decode_error("(int8)", words({"0x80"})),
            "abi: int8 word 0x0000000000000000000000000000000000000000000000000000000000000080 is "
            "not sign-extended");
  EXPECT_EQ(decode_error("(int16)", words({"0x" + std::string(60, 'f') + "7fff"})),
            "abi: int16 word 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7fff "
            "is not sign-extended");
  EXPECT_EQ(decode_error("(address)", words({"0x01" + std::string(62, '0')})),
            "abi: address word 0x0100000000000000000000000000000000000000000000000000000000000000 "
            "has non-zero upper 12 bytes");
  EXPECT_EQ(decode_error("(bool)", words({"0x02"})),
            "abi: bool word 0x0000000000000000000000000000000000000000000000000000000000000002 is "
            "not 0 or 1");
  EXPECT_EQ(decode_error("(bytes4)", words({"0x1234567801" + std::string(54, '0')})),
            "abi: bytes4 word 0x1234567801000000000000000000000000000000000000000000000000000000 "
            "has non-zero padding");
  // bytes/string padding must be present and zero.
  EXPECT_EQ(decode_error("(bytes)", words({"0x20", "0x03", "0xc0ffee01" + std::string(56, '0')})),
            "abi: bytes has non-zero padding");
  Bytes unpadded = words({"0x20", "0x03"});
  append(unpadded, hex("0xc0ffee"));
  EXPECT_EQ(decode_error("(bytes)", unpadded),
            "abi: bytes of length 0x3 is missing its zero padding");

  // Valid sign extension and bounds decode.
  auto ok = decode(types("(int8,int8,uint8,bool)"),
                   words({"0x" + std::string(62, 'f') + "80", "0x7f", "0xff", "0x01"}));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->list(), (Value::List{I256(-128), I256(127), U256(255), true}));
}

TEST(AbiCodec, DecodeRejectsHostileOffsetsAndLengths) {
  // Truncated: the head alone needs 64 bytes.
  EXPECT_EQ(decode_error("(uint256,uint256)", words({"0x01"})),
            "abi: data too short: 0x40 bytes of head at 0x0 run past the end of data (len 0x20)");
  EXPECT_EQ(decode_error("(uint256)", {}),
            "abi: data too short: 0x20 bytes of head at 0x0 run past the end of data (len 0x0)");
  // An offset far past the end, and one of 2^256 - 1.
  EXPECT_EQ(decode_error("(bytes)", words({"0x40"})),
            "abi: offset 0x40 points past the end of data (len 0x20)");
  EXPECT_EQ(decode_error("(string)", words({"0x" + std::string(64, 'f')})),
            "abi: offset 0x" + std::string(64, 'f') + " points past the end of data (len 0x20)");
  // Offset 0 would read the head itself as the string's length: a loop in disguise.
  EXPECT_EQ(decode_error("(string)", words({"0x00", "0x00"})),
            "abi: offset 0x0 points into the head it belongs to (0x20 bytes)");
  // A nested offset pointing back at its own array's head.
  EXPECT_EQ(decode_error("(string[])", words({"0x20", "0x01", "0x00"})),
            "abi: offset 0x0 points into the head it belongs to (0x20 bytes)");
  // Lengths the remaining data cannot hold.
  EXPECT_EQ(
      decode_error("(bytes)", words({"0x20", "0x" + std::string(64, 'f')})),
      "abi: bytes length 0x" + std::string(64, 'f') + " exceeds the remaining data (0x0 bytes)");
  EXPECT_EQ(decode_error("(string)", words({"0x20", "0x21", "0x00"})),
            "abi: string length 0x21 exceeds the remaining data (0x20 bytes)");
  EXPECT_EQ(decode_error("(uint256[])", words({"0x20", "0xffffffffffffffff", "0x01"})),
            "abi: array length 0xffffffffffffffff exceeds the remaining data (0x20 bytes for "
            "elements of at least 0x20 bytes)");
  EXPECT_EQ(decode_error("(uint256[3][])", words({"0x20", "0x02", "0x01", "0x02", "0x03"})),
            "abi: array length 0x2 exceeds the remaining data (0x60 bytes for elements of at "
            "least 0x60 bytes)");
  EXPECT_EQ(decode_error("(bytes[])", words({"0x20", "0x02", "0x40"})),
            "abi: array length 0x2 exceeds the remaining data (0x20 bytes for elements of at "
            "least 0x20 bytes)");
}

TEST(AbiCodec, DecodeRejectsReusedDataInsteadOfBlowingUp) {
  // 4096 array elements all pointing at one 4 KiB string: decoding would produce 16 MiB from
  // 132 KiB of input, and a crafted nesting of such arrays grows quadratically.
  const size_t n = 4096;
  Bytes data = words({"0x20", "0x" + to_hex_digits(be_bytes_trimmed(n))});
  for (size_t i = 0; i < n; ++i)
    append(data, words({"0x" + to_hex_digits(be_bytes_trimmed(n * 32))}));
  append(data, words({"0x1000"}));
  data.resize(data.size() + 4096, 'a');
  EXPECT_EQ(decode_error("(string[])", data),
            "abi: encoded values overlap (decoding would read more than the 0x21060 bytes of "
            "input)");

  // Two arguments sharing one tail also overlap.
  EXPECT_EQ(
      decode_error("(bytes,bytes)", words({"0x40", "0x40", "0x01", "0xaa" + std::string(62, '0')})),
      "abi: encoded values overlap (decoding would read more than the 0x80 bytes of input)");
}

TEST(AbiCodec, DecodeAllowsTrailingBytesAndChecksSelectors) {
  Bytes data = words({"0x05", "0xdead"});
  auto v = decode(types("(uint8)"), data);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->list()[0], Value(U256(5)));

  auto sig = *parse_signature("baz(uint32,bool)");
  EXPECT_EQ(decode_call(sig, hex("0xcdcd77")).error().message,
            "abi: calldata of 3 bytes has no 4-byte selector");
  EXPECT_EQ(decode_call(sig, hex("0x12345678")).error().message,
            "abi: calldata selector 0x12345678 does not match baz(uint32,bool) (0xcdcd77c0)");
}

}  // namespace
}  // namespace icn::abi

// RLP against the ethereum/tests RLPTests vectors (rlptest.json, invalidRLPTest.json).
#include "icn/core/rlp.hpp"

#include <gtest/gtest.h>

namespace icn::rlp {
namespace {

// A decoded RLP tree, for comparing whole structures in tests.
struct Node {
  bool is_list = false;
  Bytes str;
  std::vector<Node> items;

  bool operator==(const Node&) const = default;
};

Node S(std::string_view s) {
  return Node{false, to_bytes(as_view(s)), {}};
}
Node L(std::vector<Node> items) {
  return Node{true, {}, std::move(items)};
}

Bytes encode(const Node& node) {
  if (!node.is_list) return encode_bytes(node.str);
  std::vector<Bytes> items;
  for (const Node& item : node.items) items.push_back(encode(item));
  return encode_list(items);
}

// Test-only recursive walk (inputs here are shallow; the fuzz target bounds the depth).
Result<Node> to_node(const Item& item) {
  if (!item.is_list) return Node{false, to_bytes(item.payload), {}};
  ICN_TRY(std::vector<Item> items, decode_list_items(item.payload));
  Node out{true, {}, {}};
  for (const Item& i : items) {
    ICN_TRY(Node child, to_node(i));
    out.items.push_back(std::move(child));
  }
  return out;
}

Result<Node> decode_tree(ByteView input) {
  ICN_TRY(Item item, decode_one(input));
  return to_node(item);
}

Bytes hex(std::string_view h) {
  auto b = parse_hex(h);
  EXPECT_TRUE(b.ok()) << h;
  return b.value_or({});
}

std::vector<Node> repeat(const Node& n, size_t count) {
  return std::vector<Node>(count, n);
}

struct Valid {
  const char* name;
  Node in;
  std::string out;
};

TEST(Rlp, OfficialStructureVectorsEncodeAndDecode) {
  const std::string lorem55 = "Lorem ipsum dolor sit amet, consectetur adipisicing eli";
  const Node asdf = L({S("asdf"), S("qwer"), S("zxcv")});
  const std::string asdf_hex = "cf84617364668471776572847a786376";
  std::string long_list2 = "0xf90200";
  for (int i = 0; i < 32; ++i) long_list2 += asdf_hex;

  const std::vector<Valid> vectors = {
      {"emptystring", S(""), "0x80"},
      {"bytestring00", S(std::string_view("\0", 1)), "0x00"},
      {"bytestring01", S("\x01"), "0x01"},
      {"bytestring7F", S("\x7f"), "0x7f"},
      {"shortstring", S("dog"), "0x83646f67"},
      {"shortstring2", S(lorem55),
       "0xb74c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164"
       "697069736963696e6720656c69"},
      {"longstring", S(lorem55 + "t"),
       "0xb8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e736563746574757220"
       "6164697069736963696e6720656c6974"},
      {"emptylist", L({}), "0xc0"},
      {"stringlist", L({S("dog"), S("god"), S("cat")}), "0xcc83646f6783676f6483636174"},
      {"multilist", L({S("zw"), L({S("\x04")}), S("\x01")}), "0xc6827a77c10401"},
      {"shortListMax1",
       L({S("asdf"), S("qwer"), S("zxcv"), S("asdf"), S("qwer"), S("zxcv"), S("asdf"), S("qwer"),
          S("zxcv"), S("asdf"), S("qwer")}),
       "0xf784617364668471776572847a78637684617364668471776572847a78637684617364668471776572847a"
       "78637684617364668471776572"},
      {"longList1", L(repeat(asdf, 4)), "0xf840" + asdf_hex + asdf_hex + asdf_hex + asdf_hex},
      {"longList2", L(repeat(asdf, 32)), long_list2},
      {"listsoflists", L({L({L({}), L({})}), L({})}), "0xc4c2c0c0c0"},
      {"listsoflists2", L({L({}), L({L({})}), L({L({}), L({L({})})})}), "0xc7c0c1c0c3c0c1c0"},
      {"dictTest1",
       L({L({S("key1"), S("val1")}), L({S("key2"), S("val2")}), L({S("key3"), S("val3")}),
          L({S("key4"), S("val4")})}),
       "0xecca846b6579318476616c31ca846b6579328476616c32ca846b6579338476616c33ca846b6579348476616c"
       "34"},
  };
  for (const Valid& v : vectors) {
    SCOPED_TRACE(v.name);
    EXPECT_EQ(to_hex(encode(v.in)), v.out);
    auto decoded = decode_tree(hex(v.out));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(*decoded, v.in);
  }
}

TEST(Rlp, LongString2HeaderForKilobyteString) {
  // longstring2 is 1024 bytes of text: three-byte header b9 04 00.
  Bytes text(1024, 'x');
  Bytes encoded = encode_bytes(text);
  ASSERT_EQ(encoded.size(), 1027u);
  EXPECT_EQ(to_hex(ByteView(encoded).first(3)), "0xb90400");
  auto item = decode_one(encoded);
  ASSERT_TRUE(item.ok()) << item.error().message;
  EXPECT_FALSE(item->is_list);
  EXPECT_EQ(to_bytes(item->payload), text);
}

TEST(Rlp, OfficialIntegerVectors) {
  struct IntVector {
    const char* name;
    const char* value;
    const char* out;
  };
  const std::vector<IntVector> vectors = {
      {"zero", "0", "0x80"},
      {"smallint", "1", "0x01"},
      {"smallint2", "16", "0x10"},
      {"smallint3", "79", "0x4f"},
      {"smallint4", "127", "0x7f"},
      {"mediumint1", "128", "0x8180"},
      {"mediumint2", "1000", "0x8203e8"},
      {"mediumint3", "100000", "0x830186a0"},
      {"mediumint4", "83729609699884896815286331701780722", "0x8f102030405060708090a0b0c0d0e0f2"},
      {"mediumint5", "105315505618206987246253880190783558935785933862974822347068935681",
       "0x9c0100020003000400050006000700080009000a000b000c000d000e01"},
  };
  for (const IntVector& v : vectors) {
    SCOPED_TRACE(v.name);
    U256 value = *parse_u256(v.value);
    EXPECT_EQ(to_hex(encode_uint(value)), v.out);
    const Bytes encoded = hex(v.out);  // items are views into it
    auto item = decode_one(encoded);
    ASSERT_TRUE(item.ok()) << item.error().message;
    auto decoded = decode_uint(*item);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(*decoded, value);
  }
  EXPECT_EQ(to_hex(encode_uint(uint64_t(0))), "0x80");
  EXPECT_EQ(to_hex(encode_uint(uint64_t(1024))), "0x820400");
  EXPECT_EQ(encode_uint(uint64_t(UINT64_MAX)), encode_uint(U256(UINT64_MAX)));
}

TEST(Rlp, BigintDoesNotFitU256) {
  // "bigint" is 2^256: a valid RLP string, but not a 256-bit integer.
  Bytes bigint = hex("0xa1010000000000000000000000000000000000000000000000000000000000000000");
  auto item = decode_one(bigint);
  ASSERT_TRUE(item.ok()) << item.error().message;
  EXPECT_EQ(item->payload.size(), 33u);
  EXPECT_EQ(decode_uint(*item).error().message,
            "rlp: integer of 33 bytes does not fit in 256 bits");
  // 2^256 - 1 still fits.
  const Bytes max_encoded = encode_uint(~U256(0));
  auto max = decode_one(max_encoded);
  EXPECT_EQ(*decode_uint(*max), ~U256(0));
}

TEST(Rlp, IntegerCanonicalForm) {
  auto int_error = [](std::string_view h) {
    const Bytes encoded = *parse_hex(h);
    auto item = decode_one(encoded);
    EXPECT_TRUE(item.ok()) << h;
    return decode_uint(*item).error().message;
  };
  // Zero is the empty string; a 0x00 byte is a leading zero.
  EXPECT_EQ(int_error("0x00"), "rlp: non-canonical integer (leading zero bytes)");
  EXPECT_EQ(int_error("0x820001"), "rlp: non-canonical integer (leading zero bytes)");
  EXPECT_EQ(int_error("0xc0"), "rlp: expected an integer, got a list");

  auto u64 = [](std::string_view h) { return decode_u64(*decode_one(*parse_hex(h))); };
  EXPECT_EQ(*u64("0x88ffffffffffffffff"), UINT64_MAX);
  EXPECT_EQ(*u64("0x80"), 0u);
  EXPECT_EQ(u64("0x89010000000000000000").error().message,
            "rlp: integer of 9 bytes does not fit in 64 bits");
  EXPECT_EQ(u64("0x8200ff").error().message, "rlp: non-canonical integer (leading zero bytes)");

  EXPECT_EQ(decode_bytes(*decode_one(*parse_hex("0xc0"))).error().message,
            "rlp: expected a string, got a list");
}

struct Invalid {
  const char* name;
  const char* in;
  const char* reason;
};

TEST(Rlp, OfficialInvalidVectorsRejectedWithReason) {
  const std::string lead =
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
      "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";
  const std::string leading_zeros_array = "0xb90040" + lead;
  const std::string leading_zeros_list = "0xfb00000040" + lead;
  const std::vector<Invalid> vectors = {
      {"emptyEncoding", "0x", "rlp: empty input"},
      {"bytesShouldBeSingleByte00", "0x8100",
       "rlp: non-canonical single byte 0x00 (must be encoded as itself, not as a 1-byte string)"},
      {"bytesShouldBeSingleByte01", "0x8101",
       "rlp: non-canonical single byte 0x01 (must be encoded as itself, not as a 1-byte string)"},
      {"bytesShouldBeSingleByte7F", "0x817F",
       "rlp: non-canonical single byte 0x7f (must be encoded as itself, not as a 1-byte string)"},
      {"leadingZerosInLongLengthArray1", leading_zeros_array.c_str(),
       "rlp: string length has leading zero bytes"},
      {"leadingZerosInLongLengthArray2", "0xb800", "rlp: string length has leading zero bytes"},
      {"leadingZerosInLongLengthList1", leading_zeros_list.c_str(),
       "rlp: list length has leading zero bytes"},
      {"leadingZerosInLongLengthList2", "0xf800", "rlp: list length has leading zero bytes"},
      {"nonOptimalLongLengthArray1", "0xb81000112233445566778899aabbccddeeff",
       "rlp: string uses the long form for length 16 < 56"},
      {"nonOptimalLongLengthArray2", "0xb801ff",
       "rlp: string uses the long form for length 1 < 56"},
      {"nonOptimalLongLengthList1", "0xf810000102030405060708090a0b0c0d0e0f",
       "rlp: list uses the long form for length 16 < 56"},
      {"nonOptimalLongLengthList2", "0xf803112233",
       "rlp: list uses the long form for length 3 < 56"},
      {"wrongSizeList", "0xf80180", "rlp: list uses the long form for length 1 < 56"},
      {"wrongSizeList2", "0xf80100", "rlp: list uses the long form for length 1 < 56"},
      {"lessThanShortLengthArray1", "0x81",
       "rlp: string of length 1 runs past the end of the input (0 bytes left)"},
      {"lessThanShortLengthArray2",
       "0xa0000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e",
       "rlp: string of length 32 runs past the end of the input (31 bytes left)"},
      {"lessThanShortLengthList1", "0xc5010203",
       "rlp: list of length 5 runs past the end of the input (3 bytes left)"},
      {"lessThanShortLengthList2", "0xe201020304050607",
       "rlp: list of length 34 runs past the end of the input (7 bytes left)"},
      {"lessThanLongLengthArray1", "0xba010000aabbccddeeff",
       "rlp: string of length 65536 runs past the end of the input (6 bytes left)"},
      {"lessThanLongLengthArray2", "0xb840ffeeddccbbaa99887766554433221100",
       "rlp: string of length 64 runs past the end of the input (16 bytes left)"},
      {"lessThanLongLengthList1", "0xf90180",
       "rlp: list of length 384 runs past the end of the input (0 bytes left)"},
      {"lessThanLongLengthList2", "0xffffffffffffffffff0001020304050607",
       "rlp: list length 18446744073709551615 exceeds 2^32 - 1"},
      {"int32Overflow", "0xbf0f000000000000021111",
       "rlp: string length 1080863910568919042 exceeds 2^32 - 1"},
      {"int32Overflow2", "0xff0f000000000000021111",
       "rlp: list length 1080863910568919042 exceeds 2^32 - 1"},
      {"incorrectLengthInArray",
       "0xb9002100dc2b275d0f74e8a53e6f4ec61b27f24278820be3f82ea2110e582081b0565df0",
       "rlp: string length has leading zero bytes"},
      {"length bytes past input", "0xb901",
       "rlp: string length of 2 bytes runs past the end of the input (1 byte left)"},
      {"length bytes past input", "0xfb",
       "rlp: list length of 4 bytes runs past the end of the input (0 bytes left)"},
      {"trailing bytes", "0x83646f6700", "rlp: 1 byte trailing after the item"},
      {"trailing bytes", "0xc0c0c0", "rlp: 2 bytes trailing after the item"},
  };
  for (const Invalid& v : vectors) {
    SCOPED_TRACE(v.name);
    auto item = decode_one(hex(v.in));
    ASSERT_FALSE(item.ok());
    EXPECT_EQ(item.error().message, v.reason);
  }
}

TEST(Rlp, RandomRlpFailsInsideTheList) {
  // invalidRLPTest "randomRLP": the outer header is fine, an inner length has a leading zero.
  Bytes random = hex(
      "0xf861f83eb9002100dc2b275d0f74e8a53e6f4ec61b27f24278820be3f82ea2110e582081b0565df027b900"
      "15002d5ef8325ae4d034df55d4b58d0dfba64d61ddd17be00000b9001a00dae30907045a2f66fa36f2bb8aa902"
      "9cbb0b8a7b3b5c435ab331");
  auto tree = decode_tree(random);
  ASSERT_FALSE(tree.ok());
  EXPECT_NE(tree.error().message.find("rlp: list item 0: string length has leading zero bytes"),
            std::string::npos)
      << tree.error().message;
}

TEST(Rlp, ListItemErrorsNameTheItem) {
  // [ "dog", 0x8100 ]
  auto items = decode_list(hex("0xc683646f678100"));
  ASSERT_FALSE(items.ok());
  EXPECT_EQ(items.error().message,
            "rlp: list item 1: non-canonical single byte 0x00 (must be encoded as itself, not as "
            "a 1-byte string)");
  EXPECT_EQ(decode_list(hex("0x83646f67")).error().message, "rlp: expected a list, got a string");
  // An item running past the end of its list, though not past the end of the input.
  auto overrun = decode_tree(hex("0xc2c3010203"));
  ASSERT_FALSE(overrun.ok());
}

TEST(Rlp, DecodePrefixReportsSize) {
  const Bytes input = hex("0x83646f67c0ff");
  auto prefix = decode_prefix(input);
  ASSERT_TRUE(prefix.ok());
  EXPECT_EQ(prefix->encoded_size, 4u);
  EXPECT_EQ(to_bytes(prefix->item.payload), to_bytes(as_view("dog")));
}

TEST(Rlp, ListBuilderMatchesEncodeList) {
  Bytes built = ListBuilder()
                    .add_bytes(as_view("zw"))
                    .add_encoded(encode_list(std::vector<Bytes>{encode_uint(uint64_t(4))}))
                    .add_uint(U256(1))
                    .finish();
  EXPECT_EQ(to_hex(built), "0xc6827a77c10401");
}

TEST(Rlp, DeepNestingDecodesOneLevelAtATime) {
  // 10,000 nested lists: decoding never recurses, so walking it needs no stack.
  constexpr int kDepth = 10000;
  Bytes nested = encode_list_payload({});
  for (int i = 1; i < kDepth; ++i) nested = encode_list_payload(nested);
  ByteView view = nested;
  int depth = 0;
  while (true) {
    auto item = decode_one(view);
    ASSERT_TRUE(item.ok()) << item.error().message;
    ASSERT_TRUE(item->is_list);
    ++depth;
    if (item->payload.empty()) break;
    view = item->payload;
  }
  EXPECT_EQ(depth, kDepth);
}

}  // namespace
}  // namespace icn::rlp

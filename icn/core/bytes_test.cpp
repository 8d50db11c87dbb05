// Strict hex, u256 conversions and EIP-55 addresses.
#include "icn/core/bytes.hpp"

#include <gtest/gtest.h>

#include "icn/core/address.hpp"
#include "icn/core/keccak.hpp"
#include "icn/core/u256.hpp"

namespace icn {
namespace {

TEST(Hex, RoundTrips) {
  auto b = parse_hex("0x00ffA0");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(*b, (Bytes{0x00, 0xff, 0xa0}));
  EXPECT_EQ(to_hex(*b), "0x00ffa0");
  EXPECT_EQ(parse_hex("0x")->size(), 0u);
}

TEST(Hex, RejectsWithReason) {
  EXPECT_EQ(parse_hex("00ff").error().message, "hex must start with 0x");
  EXPECT_EQ(parse_hex("0xabc").error().message, "odd number of hex digits (3)");
  EXPECT_EQ(parse_hex("0xab0g").error().message, "invalid hex digit 'g' at position 5");
  EXPECT_FALSE(parse_hex("").ok());
  EXPECT_FALSE(parse_hex(std::string_view("0x0\0", 4)).ok());
  EXPECT_EQ(parse_fixed_hex<4>("0x0102").error().message, "expected 4 bytes, got 2");
}

TEST(Keccak, KnownDigests) {
  EXPECT_EQ(to_hex(keccak256(std::string_view(""))),
            "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(to_hex(keccak256(std::string_view("transfer(address,uint256)"))).substr(0, 10),
            "0xa9059cbb");
  Keccak256 inc;
  inc.update(as_view("trans"));
  inc.update(as_view("fer(address,uint256)"));
  EXPECT_EQ(inc.finish(), keccak256(std::string_view("transfer(address,uint256)")));
}

TEST(U256, ParsesAndPrints) {
  EXPECT_EQ(to_decimal(*parse_u256("0x7b")), "123");
  EXPECT_EQ(to_hex_quantity(*parse_u256("255")), "0xff");
  EXPECT_EQ(to_hex_quantity(U256(0)), "0x0");
  const char* max =
      "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  EXPECT_EQ(to_decimal(*parse_u256(max)), max);
  EXPECT_EQ(
      parse_u256("115792089237316195423570985008687907853269984665640564039457584007913129639936")
          .error()
          .message,
      "number does not fit in 256 bits");
  EXPECT_FALSE(parse_u256("-1").ok());
  EXPECT_FALSE(parse_u256("12a").ok());
  EXPECT_FALSE(parse_u256("0x").ok());
}

TEST(U256, WordsRoundTrip) {
  U256 v = *parse_u256("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
  Hash w = u256_to_be(v);
  EXPECT_EQ(w[0], 1);
  EXPECT_EQ(w[31], 0x20);
  EXPECT_EQ(u256_from_be(w), v);
  EXPECT_EQ(u256_to_be_trimmed(U256(0x0100)), (Bytes{1, 0}));
}

TEST(I256, TwosComplement) {
  I256 minus_one = -1;
  Hash w = i256_to_word(minus_one);
  for (uint8_t b : w) EXPECT_EQ(b, 0xff);
  EXPECT_EQ(i256_from_word(w), minus_one);
  I256 min =
      *parse_i256("-57896044618658097711785492504343953926634992332820282019728792003956564819968");
  Hash mw = i256_to_word(min);
  EXPECT_EQ(mw[0], 0x80);
  EXPECT_EQ(i256_from_word(mw), min);
  EXPECT_FALSE(
      parse_i256("57896044618658097711785492504343953926634992332820282019728792003956564819968")
          .ok());
}

TEST(U256, Checked) {
  U256 max = ~U256(0);
  EXPECT_FALSE(checked_add(max, 1).has_value());
  EXPECT_FALSE(checked_sub(U256(1), U256(2)).has_value());
  EXPECT_FALSE(checked_mul(max, 2).has_value());
  EXPECT_EQ(*checked_mul(U256(3), U256(4)), 12);
}

// The EIP-55 specification's examples.
TEST(Address, Eip55Vectors) {
  for (const char* s :
       {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
    auto a = Address::parse(s);
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(a->checksummed(), s);
  }
  EXPECT_TRUE(Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").ok());
  auto bad = Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("checksum"), std::string::npos);
  EXPECT_FALSE(Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea").ok());
}

}  // namespace
}  // namespace icn

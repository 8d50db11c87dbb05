// Tests for describe_revert on revert data produced by cast (Error(string), Panic(uint256)).
#include "icn/eth/sender.hpp"

#include <gtest/gtest.h>

namespace icn::eth {
namespace {

Bytes hex(std::string_view text) {
  return parse_hex(text).value();
}

TEST(DescribeRevert, ErrorStringAndPanic) {
  // cast calldata "Error(string)" boom
  EXPECT_EQ(
      describe_revert(hex("0x08c379a0"
                          "0000000000000000000000000000000000000000000000000000000000000020"
                          "0000000000000000000000000000000000000000000000000000000000000004"
                          "626f6f6d00000000000000000000000000000000000000000000000000000000")),
      "boom");
  // cast calldata "Error(string)" ""
  EXPECT_EQ(
      describe_revert(hex("0x08c379a0"
                          "0000000000000000000000000000000000000000000000000000000000000020"
                          "0000000000000000000000000000000000000000000000000000000000000000")),
      "");
  // cast calldata "Panic(uint256)" 17 / 50
  EXPECT_EQ(describe_revert(
                hex("0x4e487b710000000000000000000000000000000000000000000000000000000000000011")),
            "Panic(0x11: arithmetic overflow or underflow)");
  EXPECT_EQ(describe_revert(
                hex("0x4e487b710000000000000000000000000000000000000000000000000000000000000032")),
            "Panic(0x32: array index out of bounds)");
  EXPECT_EQ(describe_revert({}), "no reason given");
}

TEST(DescribeRevert, MalformedOrUnknownDataIsShownRaw) {
  // Error(string) whose length points past the data: not decoded, shown as data.
  Bytes bad =
      hex("0x08c379a0"
          "0000000000000000000000000000000000000000000000000000000000000020"
          "00000000000000000000000000000000000000000000000000000000000000ff");
  EXPECT_EQ(describe_revert(bad),
            "custom error 0x08c379a0 (data 0x" + to_hex_digits(ByteView(bad).subspan(4)) + ")");
  EXPECT_EQ(describe_revert(hex("0x0102")), "revert data 0x0102");
  Bytes custom =
      hex("0x18ff0ee4"
          "0000000000000000000000000000000000000000000000000000000000000007");
  EXPECT_EQ(describe_revert(custom),
            "custom error 0x18ff0ee4 (data "
            "0x0000000000000000000000000000000000000000000000000000000000000007)");
  RevertDecoder decoder = [](ByteView d) -> std::optional<std::string> {
    if (d.size() >= 4 && d[0] == 0x18) return std::string("Refused(code=7)");
    return std::nullopt;
  };
  EXPECT_EQ(describe_revert(custom, decoder), "Refused(code=7)");
  // Control characters in a revert string cannot forge log lines.
  Bytes newline =
      hex("0x08c379a0"
          "0000000000000000000000000000000000000000000000000000000000000020"
          "0000000000000000000000000000000000000000000000000000000000000003"
          "610a620000000000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(describe_revert(newline), "a?b");
}

}  // namespace
}  // namespace icn::eth

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
      "Error(\"\")");
  // cast calldata "Panic(uint256)" 17 / 50
  EXPECT_EQ(describe_revert(
                hex("0x4e487b710000000000000000000000000000000000000000000000000000000000000011")),
            "panic 0x11 (arithmetic overflow or underflow)");
  EXPECT_EQ(describe_revert(
                hex("0x4e487b710000000000000000000000000000000000000000000000000000000000000032")),
            "panic 0x32 (array index out of bounds)");
  EXPECT_EQ(describe_revert({}), "reverted without a reason");
}

TEST(DescribeRevert, CustomErrorsUnknownAndMalformedData) {
  // cast calldata "Refused(uint256,address)" 7 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
  Bytes refused =
      hex("0x18ff0ee4"
          "0000000000000000000000000000000000000000000000000000000000000007"
          "000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  EXPECT_EQ(describe_revert(refused),
            "unknown error 0x18ff0ee4 (64 bytes of data): 0x"
            "0000000000000000000000000000000000000000000000000000000000000007"
            "000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  auto error = abi::ErrorAbi::from_signature("Refused(uint256 code, address who)").value();
  EXPECT_EQ(describe_revert(refused, {error}),
            "Refused(code=7, who=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266)");
  // OpenZeppelin's errors are known without the token's ABI (a transfer inside a claim):
  // cast calldata "ERC20InsufficientBalance(address,uint256,uint256)" 0x7099…79C8 5 7
  EXPECT_EQ(
      describe_revert(hex("0xe450d38c"
                          "00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"
                          "0000000000000000000000000000000000000000000000000000000000000005"
                          "0000000000000000000000000000000000000000000000000000000000000007")),
      "ERC20InsufficientBalance(sender=0x70997970C51812dc3A010C7d01b50e0d17dc79C8, "
      "balance=5, needed=7)");
  // Error(string) whose length points past the data.
  Bytes bad =
      hex("0x08c379a0"
          "0000000000000000000000000000000000000000000000000000000000000020"
          "00000000000000000000000000000000000000000000000000000000000000ff");
  EXPECT_EQ(describe_revert(bad).rfind("malformed revert data " + to_hex(bad) + " (abi: ", 0), 0u)
      << describe_revert(bad);
  EXPECT_EQ(describe_revert(hex("0x0102")),
            "malformed revert data 0x0102 (2 bytes, shorter than a selector)");
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

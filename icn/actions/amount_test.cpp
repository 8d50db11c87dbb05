// format_icnt against hand-worked values, and round trips through deploy's parser syntax.
#include "icn/actions/amount.hpp"

#include <gtest/gtest.h>

namespace icn::actions {
namespace {

TEST(FormatIcnt, ShowsDecimalsWithoutTrailingZeros) {
  EXPECT_EQ(format_icnt(U256(0)), "0");
  EXPECT_EQ(format_icnt(U256(1)), "0.000000000000000001");
  EXPECT_EQ(format_icnt(U256(2'800'000'000'000'000'000ULL)), "2.8");
  EXPECT_EQ(format_icnt(U256(1'000'000'000'000'000'000ULL)), "1");
  EXPECT_EQ(format_icnt(*parse_u256("100050000000000000000")), "100.05");
  // 700M ICNT, the total supply
  EXPECT_EQ(format_icnt(*parse_u256("700000000000000000000000000")), "700000000");
  EXPECT_EQ(format_icnt(*parse_u256("123456789012345678901")), "123.456789012345678901");
}

}  // namespace
}  // namespace icn::actions

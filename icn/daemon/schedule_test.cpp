// Tests for the challenge moment: always inside the era's first 80 %, and spread over it.
#include "icn/daemon/schedule.hpp"

#include <gtest/gtest.h>

#include <set>

namespace icn::daemon {
namespace {

TEST(ScheduleTest, StaysInTheFirstEightyPercentAndCoversIt) {
  std::mt19937_64 rng(42);
  chain::EraBounds devnet{7, 140, 160};  // 20 blocks: window [140, 156)
  std::set<uint64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    uint64_t block = schedule(devnet, rng);
    ASSERT_GE(block, 140u);
    ASSERT_LT(block, 156u);
    seen.insert(block);
  }
  EXPECT_EQ(seen.size(), 16u);  // every block of the window is possible
}

TEST(ScheduleTest, ProductionEraWindow) {
  std::mt19937_64 rng(7);
  chain::EraBounds era{3, 5400, 7200};  // 1,800 blocks: window of 1,440
  uint64_t lo = UINT64_MAX, hi = 0;
  for (int i = 0; i < 5000; ++i) {
    uint64_t b = schedule(era, rng);
    lo = std::min(lo, b);
    hi = std::max(hi, b);
  }
  EXPECT_GE(lo, 5400u);
  EXPECT_LE(hi, 5400u + 1440 - 1);
  EXPECT_GT(hi, 5400u + 1300);  // reaches near the window's end
  EXPECT_LT(lo, 5400u + 100);
}

TEST(ScheduleTest, TinyAndDegenerateErasStartAtTheirFirstBlock) {
  std::mt19937_64 rng(1);
  EXPECT_EQ(schedule({1, 10, 11}, rng), 10u);  // one block: ⌊0.8⌋ = 0, still the first block
  EXPECT_EQ(schedule({1, 10, 10}, rng), 10u);  // empty
  EXPECT_EQ(schedule({1, 10, 5}, rng), 10u);   // inverted (a broken chain read)
  EXPECT_EQ(schedule({1, 0, UINT64_MAX}, rng) < UINT64_MAX / 100 * 80 + 1, true);
}

}  // namespace
}  // namespace icn::daemon

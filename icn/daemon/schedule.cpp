// The random challenge moment of an era.
#include "icn/daemon/schedule.hpp"

namespace icn::daemon {

uint64_t schedule(const chain::EraBounds& bounds, std::mt19937_64& rng) {
  if (bounds.end_block <= bounds.start_block) return bounds.start_block;
  const uint64_t length = bounds.end_block - bounds.start_block;
  // length · 80 / 100 without overflow for any uint64 length.
  uint64_t window =
      length / 100 * kChallengeWindowPercent + length % 100 * kChallengeWindowPercent / 100;
  if (window == 0) window = 1;
  std::uniform_int_distribution<uint64_t> pick(0, window - 1);
  return bounds.start_block + pick(rng);
}

}  // namespace icn::daemon

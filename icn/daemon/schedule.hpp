// When in an era the daemon challenges: a uniformly random block in the era's first 80 %
// (DESIGN §6.2), so HyperNodes cannot predict the moment and serve only then.
#pragma once

#include <cstdint>
#include <random>

#include "icn/chain/chain_view.hpp"

namespace icn::daemon {

// The share of the era in which challenges start, in percent.
inline constexpr uint64_t kChallengeWindowPercent = 80;

// The block at (or after) which the era's challenges start: uniform over
// [start_block, start_block + max(1, ⌊0.8 · length⌋)). An empty or inverted era gives its start.
uint64_t schedule(const chain::EraBounds& bounds, std::mt19937_64& rng);

}  // namespace icn::daemon

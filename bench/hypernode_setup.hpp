// What the HyperNode benchmarks share: 20,000 ScalerNodes on an in-memory chain, each with one
// challenge for era 7 signed by its daemon key — generated once per process (signing is not what
// is measured).
#pragma once

#include "icn/hypernode/test_support.hpp"

namespace icn::hypernode::bench {

using testing::FakeChain;
using testing::key_of;

constexpr int64_t kNowMs = 1'700'000'000'000;
constexpr size_t kChallenges = 20'000;  // one per ScalerNode: each (node, era) is answered once

struct Setup {
  FakeChain chain;
  std::vector<icn::protocol::SignedChallenge> challenges;
  Setup() {
    icn::PrivateKey daemon = key_of(5);
    icn::Hash domain = icn::protocol::domain_separator(icn::U256(31337), chain.settlement());
    for (size_t i = 1; i <= kChallenges; ++i) {
      chain.add_node(i, daemon.address());
      icn::protocol::Challenge c;
      c.era = 7;
      c.scaler_node_id = i;
      c.hyper_node_id = 3;
      c.nonce[0] = uint8_t(i);
      c.nonce[1] = uint8_t(i >> 8);
      c.daemon_time = uint64_t(kNowMs / 1000);
      challenges.push_back(icn::protocol::sign(domain, c, daemon));
    }
  }
};
inline Setup& setup() {
  static Setup s;
  return s;
}

}  // namespace icn::hypernode::bench

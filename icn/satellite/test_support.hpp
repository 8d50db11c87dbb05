// Test doubles for the satellite's tests: the in-memory chain, and the zero economics / no
// maintenance stand-ins for tests (and `icn sim`) that do not look at rewards.
#pragma once

#include <set>

#include "icn/chain/memory_chain.hpp"
#include "icn/satellite/era_inputs.hpp"

namespace icn::satellite::testing {

// The satellite tests' chain: settable state, and what was asked of it.
using FakeChainView = chain::MemoryChain;

// Every judged node listed with zero economics and no bundles: settle_era tracks verdicts and
// DOWN history while no reward accrues.
class ZeroEconomics final : public EconomicsSource {
 public:
  Result<protocol::EraEconomics> economics(const chain::EraBounds&,
                                           const protocol::EraVerdicts& verdicts) override {
    protocol::EraEconomics out;
    for (const auto& node : verdicts.scaler_nodes) {
      if (node.verdict == protocol::Verdict::kNone) continue;
      protocol::NodeEconomics e;
      e.node_id = node.id;
      out.nodes.push_back(e);
    }
    return out;
  }
};

class NoMaintenance final : public MaintenanceSource {
 public:
  Result<std::set<U256>> in_maintenance(const chain::EraBounds&) override {
    return std::set<U256>{};
  }
};

}  // namespace icn::satellite::testing

// What an era's settlement needs beyond ChainView: the economics read from chain at the era's
// end boundary and the declared maintenance windows. Both are interfaces so the lead can wire
// the chain readers when ChainView grows them; until then the zero/none implementations apply.
#pragma once

#include <set>

#include "icn/chain/chain_view.hpp"
#include "icn/core/era_results.hpp"

namespace icn::satellite {

// Economics of the nodes the era judged and of every Link staking bundle (era_results.hpp).
class EconomicsSource {
 public:
  virtual ~EconomicsSource() = default;
  virtual Result<protocol::EraEconomics> economics(const chain::EraBounds& era,
                                                   const protocol::EraVerdicts& verdicts) = 0;
};

// No bookings, no subsidy, no collateral, no bundles: every judged node listed with zeros, so
// settle_era tracks verdicts and DOWN history while no reward accrues. Stand-in until chain
// economics are readable (TODO(economics-from-chain): the lead wires the real source).
class ZeroEconomics final : public EconomicsSource {
 public:
  Result<protocol::EraEconomics> economics(const chain::EraBounds& era,
                                           const protocol::EraVerdicts& verdicts) override;
};

// ScalerNodes in a declared maintenance window during the era.
class MaintenanceSource {
 public:
  virtual ~MaintenanceSource() = default;
  virtual Result<std::set<U256>> in_maintenance(const chain::EraBounds& era) = 0;
};

// TODO(maintenance-from-chain): ChainView does not expose maintenance windows yet; until it does,
// no node is ever in maintenance.
class NoMaintenance final : public MaintenanceSource {
 public:
  Result<std::set<U256>> in_maintenance(const chain::EraBounds&) override {
    return std::set<U256>{};
  }
};

}  // namespace icn::satellite

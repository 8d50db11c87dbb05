// What an era's settlement needs beyond the verdict inputs: the economics read from chain at the
// era's end boundary and the declared maintenance windows. Interfaces, so tests choose them;
// chain_economics.hpp reads both from a ChainView.
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

// ScalerNodes in a declared maintenance window during the era.
class MaintenanceSource {
 public:
  virtual ~MaintenanceSource() = default;
  virtual Result<std::set<U256>> in_maintenance(const chain::EraBounds& era) = 0;
};

}  // namespace icn::satellite

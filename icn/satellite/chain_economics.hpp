// The era's economics and maintenance windows read from chain (ChainView) at the era's end
// boundary: the last block of the era, so every satellite reads the same state whatever its head.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "icn/chain/chain_view.hpp"
#include "icn/satellite/era_inputs.hpp"

namespace icn::satellite {

// The block an era's economics and maintenance are read at: its last block (end_block − 1).
// State a transaction changes in the next era's first block is not seen.
Result<uint64_t> era_boundary_block(const chain::EraBounds& era);

// Per judged node (docs/protocol.md §5): the booking covering the era (CapacityMarket.nodeState's
// booking when activationEra ≤ E ≤ lastEra), its pricePerEra, subsidy = the (region, class)
// per-unit rate × capacity (the multiplier is applied by settle_era), the reward multiplier,
// collateral and slashTaken. Per Link bundle counting in the era (links.md's earning window):
// HyperNode, Links, linkRewardPerEra at the era's start timestamp and linkMinPerformance.
// Every value is checked (a booking of another node, a multiplier outside [1, 2], amounts above
// uint128, …); a bad value fails the era with the reason instead of settling it.
// The ChainView must be safe to use from the satellite's era thread (the Satellite locks it).
class ChainEconomics final : public EconomicsSource {
 public:
  explicit ChainEconomics(chain::ChainView& chain) : chain_(chain) {}
  Result<protocol::EraEconomics> economics(const chain::EraBounds& era,
                                           const protocol::EraVerdicts& verdicts) override;

 private:
  chain::ChainView& chain_;
};

// Nodes with a MaintenanceDeclared covering the era, among declarations made up to the era's last
// block (one era ahead is the contract's rule, so every declaration for E lands before E starts).
// Declarations are scanned once, from `first_block` (the deployment block), and cached: each era
// reads only the blocks since the last one. Thread-safe.
class ChainMaintenance final : public MaintenanceSource {
 public:
  ChainMaintenance(chain::ChainView& chain, uint64_t first_block)
      : chain_(chain), next_block_(first_block) {}
  Result<std::set<U256>> in_maintenance(const chain::EraBounds& era) override;

 private:
  chain::ChainView& chain_;
  std::mutex mu_;
  uint64_t next_block_;                                      // first block not scanned yet
  std::vector<chain::MaintenanceDeclaration> declarations_;  // in chain order
};

}  // namespace icn::satellite

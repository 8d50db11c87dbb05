// ChainEconomics and ChainMaintenance: the era's settlement inputs from ChainView, validated.
#include "icn/satellite/chain_economics.hpp"

#include <map>
#include <utility>

namespace icn::satellite {
namespace {

// Every amount the contracts store fits 128 bits (uint128 / uint96 / uint88 fields); more is not
// a value the chain can hold, so the answer is wrong and must not be settled.
const U256 kMaxAmount = (U256(1) << 128) - 1;
const U256 kWad = U256(protocol::kWadUnit);
constexpr uint32_t kMaxLinksPerBundle = 400;  // ICNLink's cap per HyperNode bounds a bundle

std::string text(const U256& v) {
  return v.str();
}

Status check_amount(const U256& value, const std::string& what) {
  if (value > kMaxAmount) return fail(what + " " + text(value) + " is above uint128");
  return {};
}

Result<protocol::NodeEconomics> node_economics(const chain::NodeEconomicsInfo& info,
                                               const U256& node_id, uint64_t era,
                                               const U256& subsidy_per_unit) {
  const std::string what = "scalerNode " + text(node_id);
  if (info.node_id != node_id) {
    return fail(what + ": the chain answered for node " + text(info.node_id));
  }
  protocol::NodeEconomics e;
  e.node_id = node_id;
  if (info.booking) {
    const chain::BookingInfo& b = *info.booking;
    const std::string bw = what + ": booking " + text(b.id);
    if (b.id == 0) return fail(bw + " has id 0");
    if (b.node_id != node_id) return fail(bw + " names node " + text(b.node_id));
    if (b.status == chain::BookingStatus::kNone) return fail(bw + " does not exist");
    ICN_CHECK(check_amount(b.escrow, bw + " escrow"));
    ICN_CHECK(check_amount(b.price_per_era, bw + " pricePerEra"));
    if (b.price_per_era > b.escrow) {
      return fail(bw + " pricePerEra " + text(b.price_per_era) + " is above its escrow " +
                  text(b.escrow));
    }
    if (b.covers(era)) {
      // Expiry needs the booking's last era committed, which E is not yet.
      if (b.status != chain::BookingStatus::kActive) {
        return fail(bw + " covers era " + std::to_string(era) + " but is not Active");
      }
      e.booking_id = b.id;
      e.price_per_era = b.price_per_era;
    }
  }
  ICN_CHECK(check_amount(info.capacity, what + " capacity"));
  e.subsidy_per_era = subsidy_per_unit * info.capacity;  // both < 2^128: no overflow in 256 bits
  ICN_CHECK(check_amount(e.subsidy_per_era, what + " subsidy per era"));
  // RewardPolicy: 1 + maxBonus × clamp(coverage − 1, 0, 1) with maxBonus ≤ 1.
  if (info.reward_multiplier_wad < kWad || info.reward_multiplier_wad > 2 * kWad) {
    return fail(what + ": reward multiplier " + text(info.reward_multiplier_wad) +
                " is outside [1e18, 2e18]");
  }
  e.reward_multiplier_wad = info.reward_multiplier_wad;
  ICN_CHECK(check_amount(info.collateral, what + " collateral"));
  ICN_CHECK(check_amount(info.slash_taken, what + " slashTaken"));
  e.collateral = info.collateral;
  e.slash_taken = info.slash_taken;
  return e;
}

}  // namespace

Result<uint64_t> era_boundary_block(const chain::EraBounds& era) {
  if (era.end_block <= era.start_block) {
    return fail("era " + std::to_string(era.era) + " has no blocks (" +
                std::to_string(era.start_block) + " … " + std::to_string(era.end_block) + ")");
  }
  return era.end_block - 1;
}

Result<protocol::EraEconomics> ChainEconomics::economics(const chain::EraBounds& era,
                                                         const protocol::EraVerdicts& verdicts) {
  protocol::EraEconomics out;
  // A no-verdict era changes nothing (settle_era rule 2): nothing to read.
  if (!verdicts.has_verdict) return out;
  ICN_TRY(uint64_t block, era_boundary_block(era));

  std::vector<U256> ids;
  for (const auto& node : verdicts.scaler_nodes) {
    if (node.verdict != protocol::Verdict::kNone) ids.push_back(node.id);
  }
  if (!ids.empty()) {
    ICN_TRY_CTX(auto infos, chain_.node_economics(ids, block),
                "node economics at block " + std::to_string(block));
    if (infos.size() != ids.size()) {
      return fail("node economics: asked for " + std::to_string(ids.size()) + " nodes, got " +
                  std::to_string(infos.size()));
    }
    // The per-unit subsidy is the same for every node of a (region, class): read it once.
    std::map<std::pair<uint32_t, uint32_t>, U256> per_unit;
    for (const auto& info : infos) {
      auto key = std::make_pair(info.region_id, info.class_id);
      if (per_unit.count(key)) continue;
      ICN_TRY_CTX(U256 rate, chain_.capacity_subsidy_per_unit(key.first, key.second, block),
                  "capacity subsidy of region " + std::to_string(key.first) + " class " +
                      std::to_string(key.second));
      ICN_CHECK(check_amount(rate, "capacity subsidy per unit of region " +
                                       std::to_string(key.first) + " class " +
                                       std::to_string(key.second)));
      per_unit.emplace(key, rate);
    }
    for (size_t i = 0; i < ids.size(); ++i) {
      const U256& rate = per_unit.at({infos[i].region_id, infos[i].class_id});
      ICN_TRY(auto e, node_economics(infos[i], ids[i], era.era, rate));
      out.nodes.push_back(std::move(e));
    }
  }

  ICN_TRY_CTX(auto bundles, chain_.link_bundles(block),
              "Link bundles at block " + std::to_string(block));
  std::optional<chain::LinkCurve> curve;
  for (const auto& b : bundles) {
    if (!b.counts_in(era.era)) continue;
    const std::string what = "Link bundle " + text(b.id);
    if (b.id == 0 || b.hyper_node_id == 0) return fail(what + ": zero id or HyperNode");
    if (b.links == 0 || b.links > kMaxLinksPerBundle) {
      return fail(what + ": " + std::to_string(b.links) + " Links (expected 1 … " +
                  std::to_string(kMaxLinksPerBundle) + ")");
    }
    if (!curve) {
      // linkRewardPerEra is evaluated at the era's start (RewardPolicy's NatSpec).
      ICN_TRY_CTX(uint64_t start_time, chain_.block_timestamp(era.start_block),
                  "era " + std::to_string(era.era) + " start block");
      ICN_TRY_CTX(curve, chain_.link_curve(start_time, block),
                  "Link curve at block " + std::to_string(block));
      ICN_CHECK(check_amount(curve->reward_per_link_per_era, "linkRewardPerEra"));
      if (curve->min_performance_wad > kWad) {
        return fail("linkMinPerformance " + text(curve->min_performance_wad) + " is above 1e18");
      }
    }
    protocol::LinkBundleEconomics e;
    e.bundle_id = b.id;
    e.hyper_node_id = b.hyper_node_id;
    e.links = b.links;
    e.reward_per_link_per_era = curve->reward_per_link_per_era;
    e.min_performance_wad = curve->min_performance_wad;
    out.bundles.push_back(e);
  }
  return out;
}

Result<std::set<U256>> ChainMaintenance::in_maintenance(const chain::EraBounds& era) {
  ICN_TRY(uint64_t block, era_boundary_block(era));
  std::lock_guard lock(mu_);
  if (block >= next_block_) {
    ICN_TRY_CTX(auto found, chain_.maintenance_declarations(next_block_, block),
                "maintenance declarations in blocks " + std::to_string(next_block_) + " … " +
                    std::to_string(block));
    uint64_t last = next_block_;
    for (const auto& d : found) {
      if (d.block < last || d.block > block) {
        return fail("maintenance declaration of node " + text(d.node_id) + " at block " +
                    std::to_string(d.block) + " is out of order or outside the range");
      }
      if (d.node_id == 0 || d.era_count == 0) {
        return fail("maintenance declaration at block " + std::to_string(d.block) +
                    ": zero node id or era count");
      }
      last = d.block;
    }
    declarations_.insert(declarations_.end(), found.begin(), found.end());
    next_block_ = block + 1;
  }
  std::set<U256> out;
  for (const auto& d : declarations_) {
    if (d.block <= block && d.covers(era.era)) out.insert(d.node_id);
  }
  return out;
}

}  // namespace icn::satellite

// Cumulative era results (DESIGN §7–§8): the state carried from era to era, the per-era update
// from verdicts and the economics read from chain, and the results tree the committee signs.
//
// Rules of settle_era for era E (all amounts ICNT base units as U256; every division floors):
//  1. The state must be at era E − 1 (or at genesis: no era yet); afterwards it is at E.
//  2. An era without a verdict changes nothing else: no reward, no slash, no booking or history
//     change.
//  3. Every node with a verdict (UP, DOWN or MAINTENANCE) needs its economics; its state entry is
//     created (all zero) if new. Nodes the era did not judge keep their state.
//     - Booking: when economics names a booking (bookingId ≠ 0) other than the state's, the state
//       takes it and bookingUpEras restarts at 0 (whatever the verdict, so an expiring booking's
//       leaf names it even if the node was never UP in it). bookingId 0 keeps the last booking.
//       A bookingId lower than the state's, or a price without a booking, is an error.
//     - earned = pricePerEra (when booked) + floor(subsidyPerEra × rewardMultiplier / 10^18).
//     - UP: utilisation += pricePerEra and bookingUpEras += 1 (when booked; exactly the escrow
//       CapacityMarket releases per UP era); subsidy += floor(subsidyPerEra × multiplier / 10^18).
//     - History: the node's last `window` judged eras (bit 0 = E); DOWN sets the bit, UP and
//       MAINTENANCE clear it.
//     - Slash: a DOWN era is slashable when ≥ `threshold` of the last `window` judged eras
//       (E included) were DOWN. It adds floor(earned × fee_num / fee_den) (3.5 × earned), capped
//       so that slashed − slashTaken never exceeds collateral, i.e. the increase is at most
//       max(0, collateral + slashTaken − slashed): what is owed never exceeds what the node's
//       collateral can cover (collateral and slashTaken as read at E's end boundary).
//  4. Link bundles with economics: state entry created if new. A bundle earns
//     floor(rewardPerLinkPerEra × links × answeredUp / upCount) where answeredUp / upCount is its
//     HyperNode's p (≤ 1; with no UP node 1 for a HyperNode in A, else 0), and nothing when
//     p < minPerformance (answeredUp × 10^18 < minPerformance × upCount, exact) or when its
//     HyperNode was not active.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <vector>

#include "icn/core/era_verdict.hpp"
#include "icn/core/merkle.hpp"

namespace icn::protocol {

inline constexpr uint64_t kWadUnit = 1'000'000'000'000'000'000ULL;

struct NodeState {
  U256 utilisation;  // released from Builder escrow, all eras
  U256 subsidy;      // capacity subsidy × multiplier, all eras
  U256 slashed;      // slashes, all eras
  U256 booking_id;   // current or last booking (0: never booked)
  U256 booking_up_eras;
  uint32_t down_history = 0;  // bit i: DOWN in the i-th most recent judged era
  bool operator==(const NodeState&) const = default;
};

struct EraState {
  std::optional<uint64_t> era;          // the last era applied; none at genesis
  std::map<U256, NodeState> nodes;      // by ScalerNode id
  std::map<U256, U256> bundle_rewards;  // Link staking bundle id → cumulative reward
  bool operator==(const EraState&) const = default;
};

// Read from chain at the era's end boundary, for every node the era judges.
struct NodeEconomics {
  U256 node_id;
  U256 booking_id;     // the booking covering this era, 0 when none
  U256 price_per_era;  // that booking's pricePerEra (0 when none)
  U256 subsidy_per_era;
  U256 reward_multiplier_wad = U256(kWadUnit);
  U256 collateral;   // node collateral held now
  U256 slash_taken;  // Settlement.nodeSettlement(node).slashTaken
};

struct LinkBundleEconomics {
  U256 bundle_id;
  U256 hyper_node_id;
  U256 links;
  U256 reward_per_link_per_era;
  U256 min_performance_wad = U256(kWadUnit / 2);
};

struct SlashRules {
  uint32_t window = 6;     // judged eras looked at (≤ 32)
  uint32_t threshold = 3;  // DOWN eras among them that make a DOWN era slashable
  U256 fee_num = 7;        // slash = earned × 7 / 2
  U256 fee_den = 2;
};

struct EraEconomics {
  std::vector<NodeEconomics> nodes;
  std::vector<LinkBundleEconomics> bundles;
  SlashRules slash;
};

// What the era changed, for explanations and the indexer.
struct NodeEraChange {
  U256 node_id;
  Verdict verdict = Verdict::kNone;
  U256 utilisation_added;
  U256 subsidy_added;
  U256 slash_due;    // 3.5 × earned, before the cap (0 when not slashable)
  U256 slash_added;  // after the cap
  bool slashable = false;
  uint32_t down_in_window = 0;
};

struct BundleEraChange {
  U256 bundle_id;
  U256 reward_added;
  std::string reason;  // why nothing, when nothing
};

struct EraSettlement {
  EraState state;
  std::vector<NodeEraChange> nodes;  // ascending id, judged nodes only
  std::vector<BundleEraChange> bundles;
};

Result<EraSettlement> settle_era(const EraState& previous, const EraVerdicts& verdicts,
                                 const EraEconomics& economics);

// ---- the results tree (ResultLeaves.sol) ----

struct NodeLeaf {
  U256 node_id, utilisation, subsidy, slashed, booking_id, booking_up_eras;
  bool operator==(const NodeLeaf&) const = default;
};
struct LinkLeaf {
  U256 bundle_id, reward;
  bool operator==(const LinkLeaf&) const = default;
};
inline constexpr uint8_t kNodeLeafKind = 1;
inline constexpr uint8_t kLinkLeafKind = 2;

// StandardMerkleTree leaf hashes: keccak256(keccak256(abi.encode(1, nodeId, utilisation, subsidy,
// slashed, bookingId, bookingUpEras))) and keccak256(keccak256(abi.encode(2, bundleId, reward))).
Hash leaf_hash(const NodeLeaf& leaf);
Hash leaf_hash(const LinkLeaf& leaf);

// One tree over every node leaf and every Link leaf of a state, in the OpenZeppelin layout
// (SimpleMerkleTree over the leaf hashes: sorted, so the order of leaves does not matter).
class ResultsTree {
 public:
  static ResultsTree build(const EraState& state);

  // Zero when the state has no leaves.
  Hash root() const;
  const std::vector<NodeLeaf>& node_leaves() const { return nodes_; }  // ascending id
  const std::vector<LinkLeaf>& link_leaves() const { return links_; }  // ascending id
  const NodeLeaf* node_leaf(const U256& node_id) const;
  const LinkLeaf* link_leaf(const U256& bundle_id) const;
  Result<std::vector<Hash>> node_proof(const U256& node_id) const;
  Result<std::vector<Hash>> link_proof(const U256& bundle_id) const;

 private:
  std::vector<NodeLeaf> nodes_;
  std::vector<LinkLeaf> links_;
  std::optional<abi::SimpleMerkleTree> tree_;  // leaves: nodes_ then links_
};

NodeLeaf node_leaf(const U256& node_id, const NodeState& state);

// The era's dataRoot: hash_list_root over the content hashes (batch_hash) of every batch the
// satellites accepted for the era, duplicates removed; zero when there is none.
Hash data_root(std::span<const Hash> batch_hashes);

}  // namespace icn::protocol

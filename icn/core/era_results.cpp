// settle_era and the results tree: the rules at the top of era_results.hpp.
#include "icn/core/era_results.hpp"

#include <algorithm>
#include <bit>

#include "icn/core/abi_type.hpp"

namespace icn::protocol {
namespace {

std::string id_text(const U256& id) {
  return to_decimal(id);
}

Result<U256> add(const U256& a, const U256& b, std::string_view what) {
  auto sum = checked_add(a, b);
  if (!sum) return fail(std::string(what) + ": overflow past 2^256 - 1");
  return *sum;
}

Result<U256> mul(const U256& a, const U256& b, std::string_view what) {
  auto product = checked_mul(a, b);
  if (!product) return fail(std::string(what) + ": overflow past 2^256 - 1");
  return *product;
}

Result<U256> mul_div(const U256& a, const U256& b, const U256& den, std::string_view what) {
  ICN_TRY(U256 product, mul(a, b, what));
  return product / den;
}

struct NodeUpdate {
  NodeState state;
  NodeEraChange change;
};

Result<NodeUpdate> settle_node(NodeState s, const ScalerNodeVerdict& v, const NodeEconomics& e,
                               const SlashRules& rules) {
  std::string what = "scalerNode " + id_text(v.id);
  NodeEraChange change;
  change.node_id = v.id;
  change.verdict = v.verdict;

  if (e.booking_id == 0 && e.price_per_era != 0) {
    return fail(what + ": pricePerEra " + to_decimal(e.price_per_era) + " without a booking");
  }
  const bool booked = e.booking_id != 0;
  if (booked && e.booking_id < s.booking_id) {
    return fail(what + ": bookingId went back from " + to_decimal(s.booking_id) + " to " +
                to_decimal(e.booking_id));
  }
  if (e.slash_taken > s.slashed) {
    return fail(what + ": slashTaken " + to_decimal(e.slash_taken) +
                " is above the cumulative slashed " + to_decimal(s.slashed));
  }
  if (booked && e.booking_id != s.booking_id) {
    s.booking_id = e.booking_id;
    s.booking_up_eras = 0;
  }
  ICN_TRY(U256 subsidy,
          mul_div(e.subsidy_per_era, e.reward_multiplier_wad, U256(kWadUnit), what + " subsidy"));
  const U256 price = booked ? e.price_per_era : U256(0);
  ICN_TRY(U256 earned, add(price, subsidy, what + " earned"));

  const uint32_t window_mask =
      rules.window >= 32 ? ~uint32_t(0) : ((uint32_t(1) << rules.window) - 1);
  s.down_history = (s.down_history << 1) | (v.verdict == Verdict::kDown ? 1u : 0u);
  s.down_history &= window_mask;
  change.down_in_window = uint32_t(std::popcount(s.down_history));

  if (v.verdict == Verdict::kUp) {
    ICN_TRY(s.utilisation, add(s.utilisation, price, what + " utilisation"));
    if (booked) {
      ICN_TRY(s.booking_up_eras, add(s.booking_up_eras, 1, what + " bookingUpEras"));
    }
    ICN_TRY(s.subsidy, add(s.subsidy, subsidy, what + " subsidy"));
    change.utilisation_added = price;
    change.subsidy_added = subsidy;
  } else if (v.verdict == Verdict::kDown && change.down_in_window >= rules.threshold) {
    change.slashable = true;
    ICN_TRY(change.slash_due, mul_div(earned, rules.fee_num, rules.fee_den, what + " slash"));
    // Owed (slashed − taken) stays within the collateral: slashed' ≤ collateral + taken.
    ICN_TRY(U256 ceiling, add(e.collateral, e.slash_taken, what + " slash cap"));
    U256 room = ceiling > s.slashed ? U256(ceiling - s.slashed) : U256(0);
    change.slash_added = std::min(change.slash_due, room);
    s.slashed += change.slash_added;  // ≤ ceiling: cannot overflow
  }
  return NodeUpdate{std::move(s), std::move(change)};
}

}  // namespace

Result<EraSettlement> settle_era(const EraState& previous, const EraVerdicts& verdicts,
                                 const EraEconomics& economics) {
  const SlashRules& rules = economics.slash;
  if (rules.window == 0 || rules.window > 32 || rules.fee_den == 0) {
    return fail("settle era: slash rules need 1 ≤ window ≤ 32 and a non-zero fee denominator");
  }
  if (previous.era && *previous.era + 1 != verdicts.era) {
    return fail("settle era: state is at era " + std::to_string(*previous.era) +
                ", cannot apply era " + std::to_string(verdicts.era));
  }
  EraSettlement out;
  out.state = previous;
  out.state.era = verdicts.era;
  if (!verdicts.has_verdict) return out;

  std::map<U256, const NodeEconomics*> node_econ;
  for (const NodeEconomics& e : economics.nodes) {
    if (!node_econ.emplace(e.node_id, &e).second) {
      return fail("settle era: economics list scalerNode " + id_text(e.node_id) + " twice");
    }
  }
  for (const ScalerNodeVerdict& v : verdicts.scaler_nodes) {
    if (v.verdict == Verdict::kNone) continue;
    auto it = node_econ.find(v.id);
    if (it == node_econ.end()) {
      return fail("settle era: no economics for judged scalerNode " + id_text(v.id));
    }
    NodeState& slot = out.state.nodes[v.id];
    ICN_TRY(NodeUpdate u, settle_node(slot, v, *it->second, rules));
    slot = std::move(u.state);
    out.nodes.push_back(std::move(u.change));
  }

  std::map<U256, bool> seen_bundles;
  for (const LinkBundleEconomics& b : economics.bundles) {
    std::string what = "link bundle " + id_text(b.bundle_id);
    if (!seen_bundles.emplace(b.bundle_id, true).second) {
      return fail("settle era: economics list " + what + " twice");
    }
    BundleEraChange change;
    change.bundle_id = b.bundle_id;
    U256& reward = out.state.bundle_rewards[b.bundle_id];
    const HyperNodeReport* hn = verdicts.hyper_node(b.hyper_node_id);
    if (!hn) {
      change.reason = "hyperNode " + id_text(b.hyper_node_id) + " was not active";
    } else {
      // p = answeredUp / upCount; with no UP node, 1 in A and 0 outside.
      U256 num = verdicts.up_count == 0 ? U256(hn->in_a ? 1 : 0) : U256(hn->answered_up);
      U256 den = verdicts.up_count == 0 ? U256(1) : U256(verdicts.up_count);
      ICN_TRY(U256 lhs, mul(num, U256(kWadUnit), what));
      ICN_TRY(U256 rhs, mul(b.min_performance_wad, den, what));
      if (lhs < rhs) {
        change.reason = "hyperNode performance below the minimum";
      } else {
        if (num > den) num = den;  // min(p, 1)
        ICN_TRY(U256 per_era, mul(b.reward_per_link_per_era, b.links, what));
        ICN_TRY(change.reward_added, mul_div(per_era, num, den, what));
        ICN_TRY(reward, add(reward, change.reward_added, what));
      }
    }
    out.bundles.push_back(std::move(change));
  }
  return out;
}

// ---- results tree ----

namespace {

const std::vector<abi::Type>& node_leaf_types() {
  static const std::vector<abi::Type> kTypes =
      *abi::parse_type_list("(uint8,uint256,uint256,uint256,uint256,uint256,uint256)");
  return kTypes;
}
const std::vector<abi::Type>& link_leaf_types() {
  static const std::vector<abi::Type> kTypes = *abi::parse_type_list("(uint8,uint256,uint256)");
  return kTypes;
}

}  // namespace

Hash leaf_hash(const NodeLeaf& l) {
  std::vector<abi::Value> values{abi::Value::uint(kNodeLeafKind),
                                 l.node_id,
                                 l.utilisation,
                                 l.subsidy,
                                 l.slashed,
                                 l.booking_id,
                                 l.booking_up_eras};
  return *abi::leaf_hash(node_leaf_types(), values);  // static types, matching values
}

Hash leaf_hash(const LinkLeaf& l) {
  std::vector<abi::Value> values{abi::Value::uint(kLinkLeafKind), l.bundle_id, l.reward};
  return *abi::leaf_hash(link_leaf_types(), values);
}

NodeLeaf node_leaf(const U256& node_id, const NodeState& s) {
  return NodeLeaf{node_id, s.utilisation, s.subsidy, s.slashed, s.booking_id, s.booking_up_eras};
}

ResultsTree ResultsTree::build(const EraState& state) {
  ResultsTree t;
  std::vector<Hash> leaves;
  leaves.reserve(state.nodes.size() + state.bundle_rewards.size());
  for (const auto& [id, s] : state.nodes) {
    t.nodes_.push_back(protocol::node_leaf(id, s));
    leaves.push_back(leaf_hash(t.nodes_.back()));
  }
  for (const auto& [id, reward] : state.bundle_rewards) {
    t.links_.push_back(LinkLeaf{id, reward});
    leaves.push_back(leaf_hash(t.links_.back()));
  }
  if (!leaves.empty()) t.tree_ = std::move(*abi::SimpleMerkleTree::build(std::move(leaves)));
  return t;
}

Hash ResultsTree::root() const {
  return tree_ ? tree_->root() : Hash{};
}

const NodeLeaf* ResultsTree::node_leaf(const U256& id) const {
  auto it = std::lower_bound(nodes_.begin(), nodes_.end(), id,
                             [](const NodeLeaf& l, const U256& x) { return l.node_id < x; });
  return it != nodes_.end() && it->node_id == id ? &*it : nullptr;
}

const LinkLeaf* ResultsTree::link_leaf(const U256& id) const {
  auto it = std::lower_bound(links_.begin(), links_.end(), id,
                             [](const LinkLeaf& l, const U256& x) { return l.bundle_id < x; });
  return it != links_.end() && it->bundle_id == id ? &*it : nullptr;
}

Result<std::vector<Hash>> ResultsTree::node_proof(const U256& id) const {
  const NodeLeaf* leaf = node_leaf(id);
  if (!leaf) return fail("results tree: no leaf for scalerNode " + id_text(id));
  return tree_->proof(size_t(leaf - nodes_.data()));
}

Result<std::vector<Hash>> ResultsTree::link_proof(const U256& id) const {
  const LinkLeaf* leaf = link_leaf(id);
  if (!leaf) return fail("results tree: no leaf for link bundle " + id_text(id));
  return tree_->proof(nodes_.size() + size_t(leaf - links_.data()));
}

Hash data_root(std::span<const Hash> batch_hashes) {
  std::vector<Hash> unique(batch_hashes.begin(), batch_hashes.end());
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  return hash_list_root(unique);
}

}  // namespace icn::protocol

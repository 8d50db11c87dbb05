// Onboarding transactions: HPs, ScalerNodes, HyperNodes, Links, ICNT transfers and devnet funding.
#include "icn/actions/onboarding.hpp"

#include <map>

#include "icn/core/eip191.hpp"

namespace icn::actions {
namespace {

Result<U256> call_uint(Protocol& p, std::string_view contract, std::string_view function,
                       std::vector<abi::Value> args) {
  ICN_TRY(abi::Value::List out, p.call(contract, function, std::move(args)));
  std::string what = std::string(contract) + "." + std::string(function);
  ICN_TRY(const abi::Value* v, single(out, what));
  return as_uint(*v, what);
}

Result<Bytes> location_bytes(std::string_view location) {
  if (location.size() != 3) {
    return fail("location \"" + std::string(location) +
                "\" is not an ISO-3166-1 alpha-3 code (3 letters, e.g. DEU)");
  }
  return Bytes(location.begin(), location.end());
}

// Region and class ids by name, and the pair's default reservation price, asked once per batch.
class Catalogue {
 public:
  explicit Catalogue(Protocol& p) : p_(p) {}

  Result<uint32_t> region(const std::string& code) {
    if (auto it = regions_.find(code); it != regions_.end()) return it->second;
    ICN_TRY(U256 id, call_uint(p_, "Registry", "regionIdByName", {code}));
    if (id == 0) return fail("unknown region \"" + code + "\"");
    return regions_[code] = static_cast<uint32_t>(id);
  }
  Result<uint32_t> hardware_class(const std::string& name) {
    if (auto it = classes_.find(name); it != classes_.end()) return it->second;
    ICN_TRY(U256 id, call_uint(p_, "Registry", "hardwareClassIdByName", {name}));
    if (id == 0) return fail("unknown hardware class \"" + name + "\"");
    return classes_[name] = static_cast<uint32_t>(id);
  }
  // ClusterInfo: (regionId, classId, createdAt, maxPrice, totalCapacity, utilizedCapacity,
  // nodeCount, name).
  Result<U256> cluster_max_price(uint32_t cluster_id) {
    ICN_TRY(abi::Value::List out, p_.call("Registry", "cluster", {U256(cluster_id)}));
    ICN_TRY(const abi::Value* v, single(out, "Registry.cluster"));
    ICN_TRY(const abi::Value::List* info, as_tuple(*v, 8, "Registry.cluster"));
    return as_uint((*info)[3], "Registry.cluster maxPrice");
  }
  Result<U256> default_price(uint32_t region_id, uint32_t class_id, uint32_t cluster_id,
                             const ScalerNodeSpec& spec) {
    if (cluster_id != 0) return cluster_max_price(cluster_id);
    auto key = std::make_pair(region_id, class_id);
    if (auto it = prices_.find(key); it != prices_.end()) return it->second;
    ICN_TRY(abi::Value::List out,
            p_.call("Registry", "regionClassClusterIds", {U256(region_id), U256(class_id)}));
    ICN_TRY(const abi::Value* v, single(out, "Registry.regionClassClusterIds"));
    const abi::Value::List* ids = v->get_if<abi::Value::List>();
    if (!ids) return fail("Registry.regionClassClusterIds: expected an array");
    if (ids->empty()) {
      return fail("no cluster of class " + spec.hardware_class + " in region " + spec.region);
    }
    U256 best = 0;
    for (const abi::Value& id : *ids) {
      ICN_TRY(U256 cid, as_uint(id, "cluster id"));
      ICN_TRY(U256 price, cluster_max_price(static_cast<uint32_t>(cid)));
      if (price > best) best = price;
    }
    return prices_[key] = best;
  }
  // Registry.requiredCollateral → (requirement, minimum): the full requirement.
  Result<U256> requirement(uint32_t region_id, uint32_t class_id, const U256& capacity) {
    ICN_TRY(abi::Value::List out,
            p_.call("Registry", "requiredCollateral", {U256(region_id), U256(class_id), capacity}));
    if (out.size() != 2) return fail("Registry.requiredCollateral: expected two return values");
    return as_uint(out[0], "Registry.requiredCollateral");
  }

 private:
  Protocol& p_;
  std::map<std::string, uint32_t> regions_, classes_;
  std::map<std::pair<uint32_t, uint32_t>, U256> prices_;
};

// One ScalerNodeParams tuple, in the struct's field order (IRegistry.sol), and its collateral.
struct NodeParams {
  abi::Value tuple;
  U256 collateral;
};

Result<NodeParams> node_params(Catalogue& catalogue, const ScalerNodeSpec& s) {
  if (s.name.empty() || s.name.size() > 30) {
    return fail("node name \"" + s.name + "\" must be 1..30 bytes");
  }
  ICN_TRY(Bytes location, location_bytes(s.location));
  ICN_TRY(uint32_t region_id, catalogue.region(s.region));
  ICN_TRY(uint32_t class_id, catalogue.hardware_class(s.hardware_class));
  U256 price;
  if (s.reservation_price) {
    price = *s.reservation_price;
  } else {
    ICN_TRY(price, catalogue.default_price(region_id, class_id, s.cluster_id, s));
  }
  U256 collateral;
  if (s.collateral) {
    collateral = *s.collateral;
  } else {
    ICN_TRY(collateral, catalogue.requirement(region_id, class_id, s.capacity));
  }
  abi::Value::List t = {s.name,
                        U256(region_id),
                        U256(class_id),
                        U256(s.cluster_id),
                        std::move(location),
                        s.capacity,
                        price,
                        U256(s.max_booking_seconds),
                        s.node_reward_share,
                        s.daemon,
                        collateral,
                        U256(s.commitment_seconds)};
  return NodeParams{abi::Value(std::move(t)), collateral};
}

Status approve_icnt(Protocol& p, eth::TransactionSender& owner, std::string_view spender,
                    const U256& amount) {
  ICN_TRY(Address to, p.address_of(spender));
  ICN_TRY(eth::Receipt r, p.transact(owner, "ICNT", "approve", {to, amount}));
  (void)r;
  return {};
}

}  // namespace

Result<uint32_t> register_hardware_provider(Protocol& p, eth::TransactionSender& hp) {
  ICN_TRY(U256 id, call_uint(p, "Registry", "hardwareProviderId", {hp.address()}));
  if (id != 0) return static_cast<uint32_t>(id);
  ICN_TRY(eth::Receipt receipt, p.transact(hp, "Registry", "registerHardwareProvider", {}));
  ICN_TRY(auto logs, p.events(receipt, "Registry", "HardwareProviderRegistered"));
  if (logs.size() != 1) return fail("registerHardwareProvider: no HardwareProviderRegistered log");
  ICN_TRY(const abi::Value* v, param(logs[0], "hpId"));
  ICN_TRY(U256 registered, as_uint(*v, "hpId"));
  return static_cast<uint32_t>(registered);
}

Result<std::vector<U256>> register_scaler_nodes(Protocol& p, eth::TransactionSender& hp,
                                                std::span<const ScalerNodeSpec> nodes) {
  if (nodes.empty()) return fail("no nodes to register");
  Catalogue catalogue(p);
  std::vector<U256> ids;
  for (size_t start = 0; start < nodes.size(); start += kNodesPerRegistration) {
    size_t end = std::min(nodes.size(), start + kNodesPerRegistration);
    abi::Value::List batch;
    U256 total = 0;
    for (size_t i = start; i < end; ++i) {
      ICN_TRY_CTX(NodeParams n, node_params(catalogue, nodes[i]),
                  "node " + std::to_string(i + 1) + " (" + nodes[i].name + ")");
      total += n.collateral;
      batch.push_back(std::move(n.tuple));
    }
    // Collateral pulls the batch's sum from the HP inside registerScalerNodes.
    if (total > 0) ICN_CHECK(approve_icnt(p, hp, "Collateral", total));
    ICN_TRY(eth::Receipt receipt,
            p.transact(hp, "Registry", "registerScalerNodes", {abi::Value(std::move(batch))}));
    ICN_TRY(auto logs, p.events(receipt, "Registry", "ScalerNodeRegistered"));
    if (logs.size() != end - start) {
      return fail("registerScalerNodes: " + std::to_string(logs.size()) +
                  " ScalerNodeRegistered logs for " + std::to_string(end - start) + " nodes");
    }
    for (const auto& log : logs) {
      ICN_TRY(const abi::Value* v, param(log, "nodeId"));
      ICN_TRY(U256 id, as_uint(*v, "nodeId"));
      ids.push_back(id);
    }
  }
  return ids;
}

Status validate_scaler_nodes(Protocol& p, eth::TransactionSender& registry_operator,
                             std::span<const U256> ids) {
  if (ids.empty()) return fail("no nodes to validate");
  for (size_t start = 0; start < ids.size(); start += kNodesPerValidation) {
    size_t end = std::min(ids.size(), start + kNodesPerValidation);
    abi::Value::List batch;
    for (size_t i = start; i < end; ++i) batch.push_back(ids[i]);
    ICN_TRY(eth::Receipt r, p.transact(registry_operator, "Registry", "validateScalerNodes",
                                       {abi::Value(std::move(batch))}));
    (void)r;
  }
  return {};
}

Result<U256> register_hyper_node(Protocol& p, eth::TransactionSender& op,
                                 const PrivateKey& signing_key, std::string_view location,
                                 std::string_view endpoint) {
  ICN_TRY(Bytes loc, location_bytes(location));
  ICN_TRY(abi::Value::List out,
          p.call("HyperNodeRegistry", "hyperNodeKeyProofHash", {op.address()}));
  ICN_TRY(const abi::Value* v, single(out, "HyperNodeRegistry.hyperNodeKeyProofHash"));
  const Bytes* hash = v->get_if<Bytes>();
  if (!hash || hash->size() != 32) return fail("hyperNodeKeyProofHash: expected bytes32");
  FixedBytes<65> proof = sign_hash(signing_key, eip191_message_hash(*hash)).to_rsv65();
  ICN_TRY(eth::Receipt receipt,
          p.transact(op, "HyperNodeRegistry", "registerHyperNode",
                     {signing_key.address(), std::move(loc), std::string(endpoint),
                      Bytes(proof.begin(), proof.end())}));
  ICN_TRY(auto logs, p.events(receipt, "HyperNodeRegistry", "HyperNodeRegistered"));
  if (logs.size() != 1) return fail("registerHyperNode: no HyperNodeRegistered log");
  ICN_TRY(const abi::Value* id, param(logs[0], "hyperNodeId"));
  return as_uint(*id, "hyperNodeId");
}

Result<std::vector<U256>> mint_links(Protocol& p, eth::TransactionSender& governance,
                                     const Address& to, uint64_t quantity) {
  if (quantity == 0) return fail("mint at least one Link");
  std::vector<U256> ids;
  for (uint64_t left = quantity; left > 0;) {
    uint64_t n = std::min(left, kMaxLinksPerMint);
    ICN_TRY(eth::Receipt receipt, p.transact(governance, "ICNLink", "mint", {to, U256(n)}));
    ICN_TRY(auto logs, p.events(receipt, "ICNLink", "Transfer"));
    for (const auto& log : logs) {
      ICN_TRY(const abi::Value* from, param(log, "from"));
      ICN_TRY(const abi::Value* receiver, param(log, "to"));
      ICN_TRY(const abi::Value* token, param(log, "tokenId"));
      ICN_TRY(Address from_address, as_address(*from, "from"));
      ICN_TRY(Address to_address, as_address(*receiver, "to"));
      if (from_address != Address{} || to_address != to) continue;
      ICN_TRY(U256 id, as_uint(*token, "tokenId"));
      ids.push_back(id);
    }
    left -= n;
  }
  if (ids.size() != quantity) {
    return fail("ICNLink.mint: " + std::to_string(ids.size()) + " Transfer logs for " +
                std::to_string(quantity) + " Links");
  }
  return ids;
}

Result<U256> stake_links(Protocol& p, eth::TransactionSender& holder, const U256& hyper_node_id,
                         std::span<const U256> token_ids) {
  if (token_ids.empty() || token_ids.size() > kMaxLinksPerStake) {
    return fail("a bundle holds 1.." + std::to_string(kMaxLinksPerStake) + " Links, not " +
                std::to_string(token_ids.size()));
  }
  abi::Value::List tokens(token_ids.begin(), token_ids.end());
  ICN_TRY(eth::Receipt receipt,
          p.transact(holder, "ICNLink", "stake", {hyper_node_id, abi::Value(std::move(tokens))}));
  ICN_TRY(auto logs, p.events(receipt, "ICNLink", "LinksStaked"));
  if (logs.size() != 1) return fail("ICNLink.stake: no LinksStaked log");
  ICN_TRY(const abi::Value* id, param(logs[0], "bundleId"));
  return as_uint(*id, "bundleId");
}

Status transfer_icnt(Protocol& p, eth::TransactionSender& from, const Address& to,
                     const U256& amount) {
  ICN_TRY(eth::Receipt r, p.transact(from, "ICNT", "transfer", {to, amount}));
  (void)r;
  return {};
}

Result<U256> icnt_balance(Protocol& p, const Address& account) {
  return call_uint(p, "ICNT", "balanceOf", {account});
}

Result<U256> release_vesting(Protocol& p, eth::TransactionSender& caller,
                             VestingCategory category) {
  U256 c(static_cast<unsigned>(category));
  ICN_TRY(U256 due, call_uint(p, "Vesting", "releasable", {c}));
  if (due == 0) return U256(0);
  ICN_TRY(eth::Receipt receipt, p.transact(caller, "Vesting", "release", {c}));
  ICN_TRY(auto logs, p.events(receipt, "Vesting", "Released"));
  if (logs.size() != 1) return fail("Vesting.release: no Released log");
  ICN_TRY(const abi::Value* amount, param(logs[0], "amount"));
  return as_uint(*amount, "amount");
}

Status fund_icnt(Protocol& p, eth::TransactionSender& from, const Address& to, const U256& amount) {
  ICN_TRY(U256 liquid, icnt_balance(p, from.address()));
  for (unsigned c = 0;
       liquid < amount && c <= static_cast<unsigned>(VestingCategory::kRewardsReserve); ++c) {
    ICN_TRY(abi::Value::List out, p.call("Vesting", "beneficiary", {U256(c)}));
    ICN_TRY(const abi::Value* v, single(out, "Vesting.beneficiary"));
    ICN_TRY(Address beneficiary, as_address(*v, "Vesting.beneficiary"));
    if (beneficiary != from.address()) continue;
    ICN_TRY(U256 released, release_vesting(p, from, static_cast<VestingCategory>(c)));
    liquid += released;
  }
  if (liquid < amount) {
    return fail("funding: " + from.address().checksummed() + " holds " + to_decimal(liquid) +
                " ICNT base units (its vested allocations included), " + to_decimal(amount) +
                " needed");
  }
  return transfer_icnt(p, from, to, amount);
}

}  // namespace icn::actions

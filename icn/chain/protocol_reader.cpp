// ProtocolReader: ChainView answered by eth_call into the deployed protocol contracts.
#include "icn/chain/protocol_reader.hpp"

#include <limits>

#include "icn/core/abi_read.hpp"
#include "icn/eth/rpc_types.hpp"

namespace icn::chain {
namespace {

using abi::as_address;
using abi::as_bool;
using abi::as_string;
using abi::as_tuple;
using abi::as_u32;
using abi::as_u64;
using abi::as_uint;
using abi::single;
using abi::single_uint;

Result<eth::Contract> bind(const Deployment& d, const std::filesystem::path& artifacts_dir,
                           std::string_view name, std::string_view artifact_name) {
  std::optional<Address> at = d.address_of(name);
  if (!at) return fail("deployment.json names no " + std::string(name));
  ICN_TRY(eth::Artifact artifact,
          eth::Artifact::load(artifacts_dir / (std::string(artifact_name) + ".json")));
  ICN_TRY(eth::Contract contract, eth::Contract::from_artifact(artifact));
  return contract.at(*at);
}

Result<std::string> as_location(const abi::Value& v, std::string_view what) {
  const Bytes* b = v.get_if<Bytes>();
  if (!b || b->size() != 3) return fail(std::string(what) + ": expected bytes3");
  return std::string(b->begin(), b->end());
}
std::string id_text(const U256& id) {
  return id.str();
}

}  // namespace

std::string_view to_string(ScalerNodeStatus status) {
  switch (status) {
    case ScalerNodeStatus::kNone:
      return "None";
    case ScalerNodeStatus::kRegistered:
      return "Registered";
    case ScalerNodeStatus::kValidated:
      return "Validated";
    case ScalerNodeStatus::kRejected:
      return "Rejected";
    case ScalerNodeStatus::kBooked:
      return "Booked";
    case ScalerNodeStatus::kOffboarded:
      return "Offboarded";
  }
  return "unknown";
}

Result<ProtocolReader> ProtocolReader::open(eth::RpcClient& rpc, const Deployment& deployment,
                                            const std::filesystem::path& artifacts_dir) {
  ProtocolReader r;
  r.rpc_ = &rpc;
  ICN_TRY_CTX(uint64_t served, eth::chain_id(rpc), "reading the chain id");
  if (served != deployment.chain_id) {
    return fail("deployment.json is for chain " + std::to_string(deployment.chain_id) +
                ", the RPC serves chain " + std::to_string(served));
  }
  r.chain_id_ = served;
  ICN_TRY(r.eras_, bind(deployment, artifacts_dir, "EraManager", "EraManager"));
  ICN_TRY(r.registry_, bind(deployment, artifacts_dir, "Registry", "Registry"));
  ICN_TRY(r.hyper_node_registry_,
          bind(deployment, artifacts_dir, "HyperNodeRegistry", "HyperNodeRegistry"));
  ICN_TRY(r.links_, bind(deployment, artifacts_dir, "ICNLink", "ICNLink"));
  ICN_TRY(r.settlement_, bind(deployment, artifacts_dir, "Settlement", "Settlement"));
  ICN_TRY(r.market_, bind(deployment, artifacts_dir, "CapacityMarket", "CapacityMarket"));
  ICN_TRY(r.reward_policy_, bind(deployment, artifacts_dir, "RewardPolicy", "RewardPolicy"));
  ICN_TRY(r.collateral_, bind(deployment, artifacts_dir, "Collateral", "Collateral"));
  return r;
}

Result<abi::Value::List> ProtocolReader::call(const eth::Contract& contract, std::string_view name,
                                              std::string_view function,
                                              std::vector<abi::Value> args,
                                              const eth::BlockRef& block) {
  auto out = contract.call(*rpc_, function, args, block);
  if (!out.ok()) {
    return fail(std::string(name) + "." + std::string(function) + " at " + block.describe() + ": " +
                out.error().message);
  }
  return std::move(out).value();
}

Result<uint64_t> ProtocolReader::head_block() {
  return eth::block_number(*rpc_);
}

// Era numbering only ever changes in the future (EraManager appends segments ahead of time), so
// the latest state answers for any block, including ones not mined yet.
Result<uint64_t> ProtocolReader::era_at(uint64_t block) {
  ICN_TRY(auto out, call(eras_, "EraManager", "eraAt", {U256(block)}, eth::BlockRef::latest()));
  ICN_TRY(const abi::Value* v, single(out, "eraAt"));
  return as_u64(*v, "eraAt");
}

Result<EraBounds> ProtocolReader::era_bounds(uint64_t era) {
  EraBounds b;
  b.era = era;
  ICN_TRY(auto start,
          call(eras_, "EraManager", "eraStartBlock", {U256(era)}, eth::BlockRef::latest()));
  ICN_TRY(const abi::Value* s, single(start, "eraStartBlock"));
  ICN_TRY(b.start_block, as_u64(*s, "eraStartBlock"));
  ICN_TRY(auto next, call(eras_, "EraManager", "eraStartBlock", {U256(U256(era) + 1)},
                          eth::BlockRef::latest()));
  ICN_TRY(const abi::Value* e, single(next, "eraStartBlock"));
  ICN_TRY(b.end_block, as_u64(*e, "eraStartBlock"));
  if (b.end_block <= b.start_block)
    return fail("EraManager: era " + std::to_string(era) + " is empty");
  return b;
}

Result<std::optional<ScalerNodeInfo>> ProtocolReader::scaler_node(const U256& id, uint64_t block) {
  const eth::BlockRef at = eth::BlockRef::number(block);
  ICN_TRY(auto status_out, call(registry_, "Registry", "scalerNodeStatus", {id}, at));
  ICN_TRY(const abi::Value* status_v, single(status_out, "scalerNodeStatus"));
  ICN_TRY(uint64_t status, as_u64(*status_v, "scalerNodeStatus"));
  if (status > static_cast<uint64_t>(ScalerNodeStatus::kOffboarded)) {
    return fail("Registry.scalerNodeStatus: unknown status " + std::to_string(status));
  }
  if (status == 0) return std::optional<ScalerNodeInfo>();
  ICN_TRY(auto node_out, call(registry_, "Registry", "scalerNode", {id}, at));
  ICN_TRY(const abi::Value* node_v, single(node_out, "scalerNode"));
  ICN_TRY(const abi::Value::List* f, as_tuple(*node_v, 12, "scalerNode"));
  ScalerNodeInfo n;
  n.id = id;
  n.status = static_cast<ScalerNodeStatus>(status);
  ICN_TRY(n.location, as_location((*f)[1], "scalerNode.location"));
  ICN_TRY(U256 cluster, as_uint((*f)[3], "scalerNode.clusterId"));
  n.cluster_id = static_cast<uint32_t>(cluster);  // uint32 in the ABI: decoding bounded it
  ICN_TRY(n.daemon, as_address((*f)[6], "scalerNode.daemon"));
  ICN_TRY(n.capacity, as_uint((*f)[8], "scalerNode.capacity"));
  ICN_TRY(auto owner_out, call(registry_, "Registry", "scalerNodeOwner", {id}, at));
  ICN_TRY(const abi::Value* owner_v, single(owner_out, "scalerNodeOwner"));
  ICN_TRY(n.owner, as_address(*owner_v, "scalerNodeOwner"));
  return std::optional<ScalerNodeInfo>(std::move(n));
}

Result<std::optional<U256>> ProtocolReader::scaler_node_by_daemon(const Address& daemon,
                                                                  uint64_t block) {
  ICN_TRY(auto out, call(registry_, "Registry", "scalerNodeIdByDaemon", {daemon},
                         eth::BlockRef::number(block)));
  ICN_TRY(const abi::Value* v, single(out, "scalerNodeIdByDaemon"));
  ICN_TRY(U256 id, as_uint(*v, "scalerNodeIdByDaemon"));
  if (id == 0) return std::optional<U256>();
  return std::optional<U256>(id);
}

// Node ids run 1 … scalerNodeCount (the Registry never deletes a node record).
Result<std::vector<ScalerNodeInfo>> ProtocolReader::scaler_nodes(uint64_t block) {
  ICN_TRY(auto out,
          call(registry_, "Registry", "scalerNodeCount", {}, eth::BlockRef::number(block)));
  ICN_TRY(const abi::Value* v, single(out, "scalerNodeCount"));
  ICN_TRY(uint64_t count, as_u64(*v, "scalerNodeCount"));
  std::vector<ScalerNodeInfo> nodes;
  nodes.reserve(count);
  for (uint64_t id = 1; id <= count; ++id) {
    ICN_TRY(std::optional<ScalerNodeInfo> n, scaler_node(U256(id), block));
    if (!n)
      return fail("Registry: node " + std::to_string(id) + " of " + std::to_string(count) +
                  " is missing");
    nodes.push_back(std::move(*n));
  }
  return nodes;
}

Result<std::optional<HyperNodeInfo>> ProtocolReader::hyper_node(const U256& id, uint64_t block) {
  const eth::BlockRef at = eth::BlockRef::number(block);
  ICN_TRY(auto known_out,
          call(hyper_node_registry_, "HyperNodeRegistry", "isHyperNodeRegistered", {id}, at));
  ICN_TRY(const abi::Value* known_v, single(known_out, "isHyperNodeRegistered"));
  ICN_TRY(bool known, as_bool(*known_v, "isHyperNodeRegistered"));
  if (!known) return std::optional<HyperNodeInfo>();
  ICN_TRY(auto out, call(hyper_node_registry_, "HyperNodeRegistry", "hyperNode", {id}, at));
  ICN_TRY(const abi::Value* v, single(out, "hyperNode"));
  ICN_TRY(const abi::Value::List* f, as_tuple(*v, 6, "hyperNode"));
  HyperNodeInfo h;
  h.id = id;
  ICN_TRY(h.operator_account, as_address((*f)[0], "hyperNode.operator"));
  ICN_TRY(h.signer, as_address((*f)[1], "hyperNode.signingKey"));
  ICN_TRY(h.location, as_location((*f)[2], "hyperNode.location"));
  ICN_TRY(h.endpoint, as_string((*f)[5], "hyperNode.endpoint"));
  ICN_TRY(auto active_out, call(links_, "ICNLink", "isHyperNodeActive", {id}, at));
  ICN_TRY(const abi::Value* active_v, single(active_out, "isHyperNodeActive"));
  ICN_TRY(h.active, as_bool(*active_v, "isHyperNodeActive"));
  return std::optional<HyperNodeInfo>(std::move(h));
}

Result<std::vector<HyperNodeInfo>> ProtocolReader::hyper_nodes(uint64_t block) {
  ICN_TRY(auto out, call(hyper_node_registry_, "HyperNodeRegistry", "hyperNodeCount", {},
                         eth::BlockRef::number(block)));
  ICN_TRY(const abi::Value* v, single(out, "hyperNodeCount"));
  ICN_TRY(uint64_t count, as_u64(*v, "hyperNodeCount"));
  std::vector<HyperNodeInfo> nodes;
  nodes.reserve(count);
  for (uint64_t id = 1; id <= count; ++id) {
    ICN_TRY(std::optional<HyperNodeInfo> h, hyper_node(U256(id), block));
    if (!h) return fail("HyperNodeRegistry: HyperNode " + std::to_string(id) + " is missing");
    nodes.push_back(std::move(*h));
  }
  return nodes;
}

Result<Committee> ProtocolReader::committee(uint64_t block) {
  ICN_TRY(auto out, call(settlement_, "Settlement", "committee", {}, eth::BlockRef::number(block)));
  if (out.size() != 2) return fail("Settlement.committee: expected two return values");
  const abi::Value::List* members = out[0].get_if<abi::Value::List>();
  if (!members) return fail("Settlement.committee: expected an address array");
  Committee c;
  for (const abi::Value& m : *members) {
    ICN_TRY(Address a, as_address(m, "Settlement.committee member"));
    c.members.push_back(a);
  }
  ICN_TRY(uint64_t t, as_u64(out[1], "Settlement.committee threshold"));
  c.threshold = static_cast<uint8_t>(t);  // uint8 in the ABI: decoding bounded it
  return c;
}

Result<std::optional<CommittedEra>> ProtocolReader::last_committed_era(uint64_t block) {
  const eth::BlockRef at = eth::BlockRef::number(block);
  ICN_TRY(auto out, call(settlement_, "Settlement", "lastCommittedEra", {}, at));
  ICN_TRY(const abi::Value* v, single(out, "lastCommittedEra"));
  ICN_TRY(uint64_t era, as_u64(*v, "lastCommittedEra"));
  if (era == std::numeric_limits<uint64_t>::max()) return std::optional<CommittedEra>();
  ICN_TRY(auto roots, call(settlement_, "Settlement", "eraRoots", {U256(era)}, at));
  if (roots.size() != 2) return fail("Settlement.eraRoots: expected two return values");
  CommittedEra c;
  c.era = era;
  for (int i = 0; i < 2; ++i) {
    const Bytes* b = roots[i].get_if<Bytes>();
    if (!b || b->size() != 32) return fail("Settlement.eraRoots: expected bytes32");
    std::copy(b->begin(), b->end(), (i == 0 ? c.results_root : c.data_root).begin());
  }
  return std::optional<CommittedEra>(c);
}

Result<HardwareClassInfo> ProtocolReader::hardware_class(uint32_t class_id, uint64_t block) {
  ICN_TRY(auto out, call(registry_, "Registry", "hardwareClass", {U256(class_id)},
                         eth::BlockRef::number(block)));
  ICN_TRY(const abi::Value* v, single(out, "hardwareClass"));
  ICN_TRY(const abi::Value::List* f, as_tuple(*v, 8, "hardwareClass"));
  HardwareClassInfo c;
  c.id = class_id;
  ICN_TRY(c.name, as_string((*f)[0], "hardwareClass.name"));
  ICN_TRY(c.unit, as_string((*f)[1], "hardwareClass.capacityUnit"));
  ICN_TRY(c.storage_tb_per_unit, as_u32((*f)[2], "hardwareClass.storageTbPerUnit"));
  ICN_TRY(c.vcpus, as_u32((*f)[3], "hardwareClass.vcpus"));
  ICN_TRY(c.ram_gb, as_u32((*f)[4], "hardwareClass.ramGb"));
  ICN_TRY(c.disks, as_u32((*f)[5], "hardwareClass.disks"));
  ICN_TRY(c.disk_tb, as_u32((*f)[6], "hardwareClass.diskTb"));
  ICN_TRY(c.nic_gbps, as_u32((*f)[7], "hardwareClass.nicGbps"));
  return c;
}

Result<std::optional<uint32_t>> ProtocolReader::hardware_class_id(const std::string& name,
                                                                  uint64_t block) {
  ICN_TRY(auto out, call(registry_, "Registry", "hardwareClassIdByName", {name},
                         eth::BlockRef::number(block)));
  ICN_TRY(const abi::Value* v, single(out, "hardwareClassIdByName"));
  ICN_TRY(uint32_t id, as_u32(*v, "hardwareClassIdByName"));
  if (id == 0) return std::optional<uint32_t>();
  return std::optional<uint32_t>(id);
}

Result<std::vector<abi::Value::List>> ProtocolReader::call_batch(
    const std::vector<BatchCall>& calls, const eth::BlockRef& block) {
  std::vector<abi::Value::List> out;
  out.reserve(calls.size());
  for (size_t first = 0; first < calls.size(); first += kBatchCalls) {
    const size_t last = std::min(calls.size(), first + kBatchCalls);
    std::vector<eth::RpcCall> rpc_calls;
    rpc_calls.reserve(last - first);
    for (size_t i = first; i < last; ++i) {
      const BatchCall& c = calls[i];
      ICN_TRY(Bytes data, c.contract->encode_call(c.function, c.args));
      eth::CallRequest request;
      request.to = c.contract->address();
      request.data = std::move(data);
      rpc_calls.push_back({"eth_call", eth::json::array({request.to_json(), block.to_json()})});
    }
    ICN_TRY_CTX(
        auto answers, rpc_->batch(rpc_calls),
        "batch of " + std::to_string(rpc_calls.size()) + " eth_calls at " + block.describe());
    for (size_t i = first; i < last; ++i) {
      const BatchCall& c = calls[i];
      auto where = [&] {
        return std::string(c.name) + "." + std::string(c.function) + " at " + block.describe();
      };
      auto& answer = answers[i - first];
      if (!answer.ok()) {
        if (auto e = eth::find_rpc_error(answer.error())) {
          if (auto revert = e->revert_data()) {
            return fail(where() + " reverted: " + c.contract->describe_revert(*revert));
          }
        }
        return fail(where() + ": " + answer.error().message);
      }
      auto bytes = eth::parse_data(*answer);
      if (!bytes.ok()) return fail(where() + ": " + bytes.error().message);
      auto decoded = c.contract->decode_result(c.function, *bytes);
      if (!decoded.ok()) return fail(where() + ": " + decoded.error().message);
      out.push_back(std::move(decoded).value());
    }
  }
  return out;
}

Result<uint64_t> ProtocolReader::block_timestamp(uint64_t block) {
  ICN_TRY(std::optional<eth::BlockHeader> header,
          eth::get_block(*rpc_, eth::BlockRef::number(block)));
  if (!header) return fail("block " + std::to_string(block) + " is not known to the node");
  return header->timestamp;
}

Result<std::vector<NodeEconomicsInfo>> ProtocolReader::node_economics(std::span<const U256> ids,
                                                                      uint64_t block) {
  const eth::BlockRef at = eth::BlockRef::number(block);
  constexpr size_t kPerNode = 6;
  std::vector<BatchCall> calls;
  calls.reserve(ids.size() * kPerNode);
  for (const U256& id : ids) {
    calls.push_back({&registry_, "Registry", "scalerNode", {id}});
    calls.push_back({&registry_, "Registry", "scalerNodeRegionClass", {id}});
    calls.push_back({&market_, "CapacityMarket", "nodeState", {id}});
    calls.push_back({&reward_policy_, "RewardPolicy", "rewardMultiplier", {id}});
    calls.push_back({&collateral_, "Collateral", "collateralOf", {id}});
    calls.push_back({&settlement_, "Settlement", "nodeSettlement", {id}});
  }
  ICN_TRY(auto answers, call_batch(calls, at));

  std::vector<NodeEconomicsInfo> nodes(ids.size());
  std::vector<BatchCall> booking_calls;
  std::vector<size_t> booked;  // index into nodes of each booking call
  for (size_t i = 0; i < ids.size(); ++i) {
    const abi::Value::List* a = &answers[i * kPerNode];
    NodeEconomicsInfo& n = nodes[i];
    n.node_id = ids[i];
    const std::string what = "node " + id_text(ids[i]);
    ICN_TRY(const abi::Value* node_v, single(a[0], what + " scalerNode"));
    ICN_TRY(const abi::Value::List* f, as_tuple(*node_v, 12, what + " scalerNode"));
    ICN_TRY(uint64_t status, as_u64((*f)[0], what + " scalerNode.status"));
    if (status == 0) return fail("Registry: " + what + " is not registered");
    ICN_TRY(n.capacity, as_uint((*f)[8], what + " scalerNode.capacity"));
    if (a[1].size() != 2) return fail(what + " scalerNodeRegionClass: expected two values");
    ICN_TRY(n.region_id, as_u32(a[1][0], what + " regionId"));
    ICN_TRY(n.class_id, as_u32(a[1][1], what + " classId"));
    ICN_TRY(const abi::Value* state_v, single(a[2], what + " nodeState"));
    ICN_TRY(const abi::Value::List* st, as_tuple(*state_v, 4, what + " nodeState"));
    ICN_TRY(U256 booking_id, as_uint((*st)[2], what + " nodeState.booking"));
    if (booking_id != 0) {
      booking_calls.push_back({&market_, "CapacityMarket", "booking", {booking_id}});
      booked.push_back(i);
      n.booking.emplace().id = booking_id;
    }
    ICN_TRY(n.reward_multiplier_wad, single_uint(a[3], what + " rewardMultiplier"));
    ICN_TRY(n.collateral, single_uint(a[4], what + " collateralOf"));
    ICN_TRY(const abi::Value* ns_v, single(a[5], what + " nodeSettlement"));
    ICN_TRY(const abi::Value::List* ns, as_tuple(*ns_v, 4, what + " nodeSettlement"));
    ICN_TRY(n.slash_taken, as_uint((*ns)[3], what + " nodeSettlement.slashTaken"));
  }

  ICN_TRY(auto bookings, call_batch(booking_calls, at));
  for (size_t k = 0; k < booked.size(); ++k) {
    BookingInfo& b = *nodes[booked[k]].booking;
    const std::string what = "booking " + id_text(b.id);
    ICN_TRY(const abi::Value* v, single(bookings[k], what));
    ICN_TRY(const abi::Value::List* f, as_tuple(*v, 10, what));
    ICN_TRY(b.builder, as_address((*f)[0], what + " builder"));
    ICN_TRY(b.node_id, as_uint((*f)[1], what + " nodeId"));
    ICN_TRY(b.activation_era, as_u64((*f)[4], what + " activationEra"));
    ICN_TRY(b.eras, as_u64((*f)[5], what + " eras"));
    ICN_TRY(b.price_per_era, as_uint((*f)[6], what + " pricePerEra"));
    ICN_TRY(b.escrow, as_uint((*f)[7], what + " escrow"));
    ICN_TRY(b.refunded, as_uint((*f)[8], what + " refunded"));
    ICN_TRY(uint64_t status, as_u64((*f)[9], what + " status"));
    if (status > static_cast<uint64_t>(BookingStatus::kExpired)) {
      return fail(what + ": unknown status " + std::to_string(status));
    }
    b.status = static_cast<BookingStatus>(status);
  }
  return nodes;
}

Result<U256> ProtocolReader::capacity_subsidy_per_unit(uint32_t region_id, uint32_t class_id,
                                                       uint64_t block) {
  ICN_TRY(auto out, call(reward_policy_, "RewardPolicy", "capacitySubsidyPerUnitPerEra",
                         {U256(region_id), U256(class_id)}, eth::BlockRef::number(block)));
  return single_uint(out, "capacitySubsidyPerUnitPerEra");
}

Result<std::vector<LinkBundleInfo>> ProtocolReader::link_bundles(uint64_t block) {
  const eth::BlockRef at = eth::BlockRef::number(block);
  ICN_TRY(auto count_out, call(links_, "ICNLink", "bundleCount", {}, at));
  ICN_TRY(uint64_t count, [&]() -> Result<uint64_t> {
    ICN_TRY(const abi::Value* v, single(count_out, "bundleCount"));
    return as_u64(*v, "bundleCount");
  }());
  // ICNLink caps Links at 80,000 and a bundle holds at least one.
  constexpr uint64_t kMaxBundles = 1'000'000;
  if (count > kMaxBundles) {
    return fail("ICNLink.bundleCount " + std::to_string(count) + " is implausible (above " +
                std::to_string(kMaxBundles) + ")");
  }
  std::vector<BatchCall> calls;
  calls.reserve(count);
  for (uint64_t id = 1; id <= count; ++id) {
    calls.push_back({&links_, "ICNLink", "bundle", {U256(id)}});
  }
  ICN_TRY(auto answers, call_batch(calls, at));
  std::vector<LinkBundleInfo> bundles;
  bundles.reserve(count);
  for (uint64_t id = 1; id <= count; ++id) {
    const std::string what = "bundle " + std::to_string(id);
    ICN_TRY(const abi::Value* v, single(answers[id - 1], what));
    ICN_TRY(const abi::Value::List* f, as_tuple(*v, 9, what));
    LinkBundleInfo b;
    b.id = id;
    ICN_TRY(b.owner, as_address((*f)[0], what + " owner"));
    ICN_TRY(b.links, as_u32((*f)[2], what + " tokenCount"));
    ICN_TRY(uint64_t status, as_u64((*f)[3], what + " status"));
    if (status > static_cast<uint64_t>(BundleStatus::kUnstaked)) {
      return fail(what + ": unknown status " + std::to_string(status));
    }
    b.status = static_cast<BundleStatus>(status);
    ICN_TRY(b.staked_era, as_u64((*f)[4], what + " stakedEra"));
    ICN_TRY(b.unstake_era, as_u64((*f)[5], what + " unstakeEra"));
    ICN_TRY(b.hyper_node_id, as_uint((*f)[8], what + " hyperNodeId"));
    bundles.push_back(std::move(b));
  }
  return bundles;
}

Result<LinkCurve> ProtocolReader::link_curve(uint64_t era_start_timestamp, uint64_t block) {
  const eth::BlockRef at = eth::BlockRef::number(block);
  ICN_TRY(auto answers,
          call_batch(
              {{&reward_policy_, "RewardPolicy", "linkRewardPerEra", {U256(era_start_timestamp)}},
               {&reward_policy_, "RewardPolicy", "linkMinPerformance", {}}},
              at));
  LinkCurve c;
  ICN_TRY(c.reward_per_link_per_era, single_uint(answers[0], "linkRewardPerEra"));
  ICN_TRY(c.min_performance_wad, single_uint(answers[1], "linkMinPerformance"));
  return c;
}

Result<std::vector<MaintenanceDeclaration>> ProtocolReader::maintenance_declarations(
    uint64_t from_block, uint64_t to_block) {
  ICN_TRY(const abi::EventAbi* event, settlement_.event("MaintenanceDeclared"));
  std::vector<MaintenanceDeclaration> out;
  for (uint64_t from = from_block; from <= to_block;) {
    const uint64_t to = to_block - from < kLogRange ? to_block : from + kLogRange - 1;
    eth::LogFilter filter;
    filter.addresses = {*settlement_.address()};
    filter.topics = {{event->topic0()}};
    filter.from_block = eth::BlockRef::number(from);
    filter.to_block = eth::BlockRef::number(to);
    ICN_TRY_CTX(auto logs, eth::get_logs(*rpc_, filter),
                "Settlement MaintenanceDeclared logs in blocks " + std::to_string(from) + "…" +
                    std::to_string(to));
    for (const eth::Log& log : logs) {
      const std::string what = "MaintenanceDeclared at block " + std::to_string(log.block_number);
      if (log.address != *settlement_.address() || log.block_number < from ||
          log.block_number > to || log.removed) {
        return fail(what + ": not a log of the range asked for");
      }
      ICN_TRY_CTX(abi::DecodedLog d, settlement_.decode_log(log), what);
      if (d.event != "MaintenanceDeclared" || d.params.size() != 3) {
        return fail(what + ": unexpected event " + d.event);
      }
      MaintenanceDeclaration m;
      m.block = log.block_number;
      ICN_TRY(m.node_id, as_uint(d.params[0].value, what + " nodeId"));
      ICN_TRY(m.start_era, as_u64(d.params[1].value, what + " startEra"));
      ICN_TRY(m.era_count, as_u64(d.params[2].value, what + " eraCount"));
      out.push_back(m);
    }
    if (to == to_block) break;
    from = to + 1;
  }
  return out;
}

}  // namespace icn::chain

// A ChainView held in memory: eras of a fixed length from block 0, and whatever nodes, HyperNodes,
// committee and settlement economics its owner puts in (the same at every block). `icn sim` runs
// the real satellite on one (reading the registry is not what it measures) and the role tests use
// it as their chain. Concurrent reads are safe while nobody writes (its owner fills it first, or a
// subclass locks); the economics and timestamp reads also record what was asked.
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "icn/chain/chain_view.hpp"
#include "icn/core/era_results.hpp"  // kWadUnit

namespace icn::chain {

class MemoryChain : public ChainView {
 public:
  uint64_t chain_id_ = 31337;
  Address settlement_{};
  uint64_t era_length = 20;  // era e is blocks [e × era_length, (e + 1) × era_length)
  std::atomic<uint64_t> head{0};
  std::map<U256, ScalerNodeInfo> nodes;
  std::map<U256, HyperNodeInfo> hns;
  Committee committee_;
  std::optional<CommittedEra> committed;

  // Settlement economics, the same at every block unless a test changes them.
  std::map<U256, NodeEconomicsInfo> node_econ;
  std::map<std::pair<uint32_t, uint32_t>, U256> subsidy_per_unit;
  std::vector<LinkBundleInfo> bundles;
  LinkCurve curve{U256(1000), U256(protocol::kWadUnit / 2)};
  std::vector<MaintenanceDeclaration> declarations;
  // What was asked: the block of each economics read, and each declaration range scanned.
  std::vector<uint64_t> economics_blocks;
  std::vector<std::pair<uint64_t, uint64_t>> declaration_ranges;
  std::vector<uint64_t> timestamp_blocks;

  uint64_t chain_id() const override { return chain_id_; }
  Address settlement() const override { return settlement_; }
  Result<uint64_t> head_block() override { return head.load(); }
  Result<uint64_t> era_at(uint64_t block) override { return block / era_length; }
  Result<EraBounds> era_bounds(uint64_t era) override {
    return EraBounds{era, era * era_length, (era + 1) * era_length};
  }
  Result<std::optional<ScalerNodeInfo>> scaler_node(const U256& id, uint64_t) override {
    auto it = nodes.find(id);
    if (it == nodes.end()) return std::optional<ScalerNodeInfo>();
    return std::optional<ScalerNodeInfo>(it->second);
  }
  Result<std::optional<U256>> scaler_node_by_daemon(const Address& daemon, uint64_t) override {
    for (const auto& [id, n] : nodes) {
      if (n.daemon == daemon) return std::optional<U256>(id);
    }
    return std::optional<U256>();
  }
  Result<std::vector<ScalerNodeInfo>> scaler_nodes(uint64_t) override {
    std::vector<ScalerNodeInfo> out;
    for (const auto& [id, n] : nodes) out.push_back(n);
    return out;
  }
  Result<std::optional<HyperNodeInfo>> hyper_node(const U256& id, uint64_t) override {
    auto it = hns.find(id);
    if (it == hns.end()) return std::optional<HyperNodeInfo>();
    return std::optional<HyperNodeInfo>(it->second);
  }
  Result<std::vector<HyperNodeInfo>> hyper_nodes(uint64_t) override {
    std::vector<HyperNodeInfo> out;
    for (const auto& [id, h] : hns) out.push_back(h);
    return out;
  }
  Result<Committee> committee(uint64_t) override { return committee_; }
  Result<std::optional<CommittedEra>> last_committed_era(uint64_t) override { return committed; }

  Result<uint64_t> block_timestamp(uint64_t block) override {
    timestamp_blocks.push_back(block);
    return 1'700'000'000 + block;
  }
  Result<std::vector<NodeEconomicsInfo>> node_economics(std::span<const U256> ids,
                                                        uint64_t block) override {
    economics_blocks.push_back(block);
    std::vector<NodeEconomicsInfo> out;
    for (const U256& id : ids) {
      auto it = node_econ.find(id);
      if (it == node_econ.end()) return fail("memory chain: no economics for node " + id.str());
      out.push_back(it->second);
    }
    return out;
  }
  Result<U256> capacity_subsidy_per_unit(uint32_t region, uint32_t cls, uint64_t block) override {
    economics_blocks.push_back(block);
    auto it = subsidy_per_unit.find({region, cls});
    return it == subsidy_per_unit.end() ? U256(0) : it->second;
  }
  Result<std::vector<LinkBundleInfo>> link_bundles(uint64_t block) override {
    economics_blocks.push_back(block);
    return bundles;
  }
  Result<LinkCurve> link_curve(uint64_t, uint64_t block) override {
    economics_blocks.push_back(block);
    return curve;
  }
  Result<std::vector<MaintenanceDeclaration>> maintenance_declarations(uint64_t from_block,
                                                                       uint64_t to_block) override {
    declaration_ranges.emplace_back(from_block, to_block);
    std::vector<MaintenanceDeclaration> out;
    for (const auto& d : declarations) {
      if (d.block >= from_block && d.block <= to_block) out.push_back(d);
    }
    return out;
  }
};

}  // namespace icn::chain

// Test doubles for the satellite's tests: a ChainView with settable state (eras of a fixed length,
// nodes, HyperNodes, committee, and the settlement economics) and the zero economics / no
// maintenance stand-ins for tests that do not look at rewards.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "icn/chain/chain_view.hpp"
#include "icn/satellite/era_inputs.hpp"

namespace icn::satellite::testing {

class FakeChainView : public chain::ChainView {
 public:
  uint64_t chain_id_ = 31337;
  Address settlement_{};
  uint64_t era_length = 20;  // era e is blocks [e × era_length, (e + 1) × era_length)
  std::atomic<uint64_t> head{0};
  std::map<U256, chain::ScalerNodeInfo> nodes;
  std::map<U256, chain::HyperNodeInfo> hns;
  chain::Committee committee_;
  std::optional<chain::CommittedEra> committed;

  // Settlement economics, the same at every block unless a test changes them.
  std::map<U256, chain::NodeEconomicsInfo> node_econ;
  std::map<std::pair<uint32_t, uint32_t>, U256> subsidy_per_unit;
  std::vector<chain::LinkBundleInfo> bundles;
  chain::LinkCurve curve{U256(1000), U256(protocol::kWadUnit / 2)};
  std::vector<chain::MaintenanceDeclaration> declarations;
  // What was asked: the block of each economics read, and each declaration range scanned.
  std::vector<uint64_t> economics_blocks;
  std::vector<std::pair<uint64_t, uint64_t>> declaration_ranges;
  std::vector<uint64_t> timestamp_blocks;

  uint64_t chain_id() const override { return chain_id_; }
  Address settlement() const override { return settlement_; }
  Result<uint64_t> head_block() override { return head.load(); }
  Result<uint64_t> era_at(uint64_t block) override { return block / era_length; }
  Result<chain::EraBounds> era_bounds(uint64_t era) override {
    return chain::EraBounds{era, era * era_length, (era + 1) * era_length};
  }
  Result<std::optional<chain::ScalerNodeInfo>> scaler_node(const U256& id, uint64_t) override {
    auto it = nodes.find(id);
    if (it == nodes.end()) return std::optional<chain::ScalerNodeInfo>();
    return std::optional<chain::ScalerNodeInfo>(it->second);
  }
  Result<std::optional<U256>> scaler_node_by_daemon(const Address& daemon, uint64_t) override {
    for (const auto& [id, n] : nodes) {
      if (n.daemon == daemon) return std::optional<U256>(id);
    }
    return std::optional<U256>();
  }
  Result<std::vector<chain::ScalerNodeInfo>> scaler_nodes(uint64_t) override {
    std::vector<chain::ScalerNodeInfo> out;
    for (const auto& [id, n] : nodes) out.push_back(n);
    return out;
  }
  Result<std::optional<chain::HyperNodeInfo>> hyper_node(const U256& id, uint64_t) override {
    auto it = hns.find(id);
    if (it == hns.end()) return std::optional<chain::HyperNodeInfo>();
    return std::optional<chain::HyperNodeInfo>(it->second);
  }
  Result<std::vector<chain::HyperNodeInfo>> hyper_nodes(uint64_t) override {
    std::vector<chain::HyperNodeInfo> out;
    for (const auto& [id, h] : hns) out.push_back(h);
    return out;
  }
  Result<chain::Committee> committee(uint64_t) override { return committee_; }
  Result<std::optional<chain::CommittedEra>> last_committed_era(uint64_t) override {
    return committed;
  }

  Result<uint64_t> block_timestamp(uint64_t block) override {
    timestamp_blocks.push_back(block);
    return 1'700'000'000 + block;
  }
  Result<std::vector<chain::NodeEconomicsInfo>> node_economics(std::span<const U256> ids,
                                                               uint64_t block) override {
    economics_blocks.push_back(block);
    std::vector<chain::NodeEconomicsInfo> out;
    for (const U256& id : ids) {
      auto it = node_econ.find(id);
      if (it == node_econ.end()) return fail("fake chain: no economics for node " + id.str());
      out.push_back(it->second);
    }
    return out;
  }
  Result<U256> capacity_subsidy_per_unit(uint32_t region, uint32_t cls, uint64_t block) override {
    economics_blocks.push_back(block);
    auto it = subsidy_per_unit.find({region, cls});
    return it == subsidy_per_unit.end() ? U256(0) : it->second;
  }
  Result<std::vector<chain::LinkBundleInfo>> link_bundles(uint64_t block) override {
    economics_blocks.push_back(block);
    return bundles;
  }
  Result<chain::LinkCurve> link_curve(uint64_t, uint64_t block) override {
    economics_blocks.push_back(block);
    return curve;
  }
  Result<std::vector<chain::MaintenanceDeclaration>> maintenance_declarations(
      uint64_t from_block, uint64_t to_block) override {
    declaration_ranges.emplace_back(from_block, to_block);
    std::vector<chain::MaintenanceDeclaration> out;
    for (const auto& d : declarations) {
      if (d.block >= from_block && d.block <= to_block) out.push_back(d);
    }
    return out;
  }
};

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

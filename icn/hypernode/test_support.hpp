// Test doubles shared by the HyperNode tests: a ChainView with settable eras and ScalerNodes, a
// settable clock, and daemons that sign challenges.
#pragma once

#include <atomic>
#include <map>
#include <mutex>

#include "icn/chain/chain_view.hpp"
#include "icn/core/protocol_messages.hpp"
#include "icn/core/secp256k1.hpp"

namespace icn::hypernode::testing {

inline PrivateKey key_of(uint8_t n) {
  Bytes secret(32, 0);
  secret[31] = n;
  secret[0] = 0x11;
  return *PrivateKey::from_bytes(secret);
}

// Eras are `era_length` blocks from block 0; the head is settable.
class FakeChain final : public chain::ChainView {
 public:
  uint64_t chain_id() const override { return 31337; }
  Address settlement() const override {
    return *Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  }
  Result<uint64_t> head_block() override {
    std::lock_guard lock(mu_);
    ++head_reads;
    if (broken) return fail("rpc: connection refused");
    return head;
  }
  Result<uint64_t> era_at(uint64_t block) override { return block / era_length; }
  Result<chain::EraBounds> era_bounds(uint64_t era) override {
    return chain::EraBounds{era, era * era_length, (era + 1) * era_length};
  }
  Result<std::optional<chain::ScalerNodeInfo>> scaler_node(const U256& id, uint64_t) override {
    std::lock_guard lock(mu_);
    auto it = nodes.find(id);
    if (it == nodes.end()) return std::optional<chain::ScalerNodeInfo>();
    return std::optional<chain::ScalerNodeInfo>(it->second);
  }
  Result<std::optional<U256>> scaler_node_by_daemon(const Address&, uint64_t) override {
    return fail("not used");
  }
  Result<std::vector<chain::ScalerNodeInfo>> scaler_nodes(uint64_t) override {
    std::lock_guard lock(mu_);
    ++node_reads;
    std::vector<chain::ScalerNodeInfo> out;
    for (const auto& [id, info] : nodes) out.push_back(info);
    return out;
  }
  Result<std::optional<chain::HyperNodeInfo>> hyper_node(const U256&, uint64_t) override {
    return std::optional<chain::HyperNodeInfo>();
  }
  Result<std::vector<chain::HyperNodeInfo>> hyper_nodes(uint64_t) override {
    return std::vector<chain::HyperNodeInfo>();
  }
  Result<chain::Committee> committee(uint64_t) override { return chain::Committee{}; }
  Result<std::optional<chain::CommittedEra>> last_committed_era(uint64_t) override {
    return std::optional<chain::CommittedEra>();
  }

  void add_node(uint64_t id, const Address& daemon,
                chain::ScalerNodeStatus status = chain::ScalerNodeStatus::kValidated) {
    std::lock_guard lock(mu_);
    chain::ScalerNodeInfo info;
    info.id = id;
    info.daemon = daemon;
    info.status = status;
    nodes[U256(id)] = info;
  }
  void set_head(uint64_t block) {
    std::lock_guard lock(mu_);
    head = block;
  }

  uint64_t era_length = 20;
  uint64_t head = 7 * 20 + 3;  // era 7
  bool broken = false;
  int head_reads = 0;
  int node_reads = 0;
  std::map<U256, chain::ScalerNodeInfo> nodes;

 private:
  std::mutex mu_;
};

class FakeClock {
 public:
  explicit FakeClock(int64_t ms) : ms_(ms) {}
  int64_t operator()() const { return ms_.load(); }
  void advance_ms(int64_t by) { ms_ += by; }
  std::function<int64_t()> fn() {
    return [this] { return ms_.load(); };
  }

 private:
  std::atomic<int64_t> ms_;
};

}  // namespace icn::hypernode::testing

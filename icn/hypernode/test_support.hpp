// Test doubles shared by the HyperNode tests: the in-memory chain with locked reads, a settable
// clock, and daemon keys that sign challenges.
#pragma once

#include <atomic>
#include <mutex>

#include "icn/chain/memory_chain.hpp"
#include "icn/core/protocol_messages.hpp"
#include "icn/core/secp256k1.hpp"

namespace icn::hypernode::testing {

inline PrivateKey key_of(uint8_t n) {
  Bytes secret(32, 0);
  secret[31] = n;
  secret[0] = 0x11;
  return *PrivateKey::from_bytes(secret);
}

// The in-memory chain with eras of 20 blocks, the head in era 7, locked reads (the service reads
// from several threads while tests change it), a switch that breaks the RPC, and read counters.
class FakeChain final : public chain::MemoryChain {
 public:
  FakeChain() {
    settlement_ = *Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    head = 7 * 20 + 3;
  }
  Result<uint64_t> head_block() override {
    std::lock_guard lock(mu_);
    ++head_reads;
    if (broken) return fail("rpc: connection refused");
    return head.load();
  }
  Result<std::optional<chain::ScalerNodeInfo>> scaler_node(const U256& id,
                                                           uint64_t block) override {
    std::lock_guard lock(mu_);
    return MemoryChain::scaler_node(id, block);
  }
  Result<std::vector<chain::ScalerNodeInfo>> scaler_nodes(uint64_t block) override {
    std::lock_guard lock(mu_);
    ++node_reads;
    return MemoryChain::scaler_nodes(block);
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
  void set_head(uint64_t block) { head = block; }

  bool broken = false;
  int head_reads = 0;
  int node_reads = 0;

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

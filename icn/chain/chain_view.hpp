// What the roles read from the protocol's contracts, as one interface: era boundaries, ScalerNodes,
// HyperNodes, the committee. `ProtocolReader` (protocol_reader.hpp) answers it over JSON-RPC at a
// given block; tests give roles a fake. Every read names the block it is at, so two satellites that
// read "the era's start block" see the same state whatever the head is.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "icn/core/address.hpp"
#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"
#include "icn/core/u256.hpp"

namespace icn::chain {

// Registry's ScalerNodeStatus, in its order (contracts/src/interfaces/IRegistry.sol).
enum class ScalerNodeStatus : uint8_t {
  kNone,
  kRegistered,
  kValidated,
  kRejected,
  kBooked,
  kOffboarded
};
std::string_view to_string(ScalerNodeStatus status);

struct ScalerNodeInfo {
  U256 id;
  ScalerNodeStatus status = ScalerNodeStatus::kNone;
  Address owner;   // the HP account
  Address daemon;  // the node's daemon key (signs challenges and batches)
  uint32_t cluster_id = 0;
  U256 capacity;
  std::string location;  // ISO-3166-1 alpha-3
  // Validated or Booked: the node is in service and is expected to challenge and report.
  bool in_service() const {
    return status == ScalerNodeStatus::kValidated || status == ScalerNodeStatus::kBooked;
  }
};

struct HyperNodeInfo {
  U256 id;
  Address operator_account;
  Address signer;        // its registered signing key (signs challenge responses and batches)
  std::string endpoint;  // base URL of its challenge API
  std::string location;
  bool active = false;  // ≥ 1 Link staked and not retired (ICNLink.isHyperNodeActive)
};

struct EraBounds {
  uint64_t era = 0;
  uint64_t start_block = 0;  // first block of the era
  uint64_t end_block = 0;    // first block of the next era (exclusive)
};

struct Committee {
  std::vector<Address> members;  // member i is bit i of EraCommitted's signer mask
  uint8_t threshold = 0;
};

struct CommittedEra {
  uint64_t era = 0;
  Hash results_root{};
  Hash data_root{};
};

class ChainView {
 public:
  virtual ~ChainView() = default;

  virtual uint64_t chain_id() const = 0;
  virtual Address settlement() const = 0;  // the EIP-712 verifyingContract of every message

  virtual Result<uint64_t> head_block() = 0;
  virtual Result<uint64_t> era_at(uint64_t block) = 0;
  virtual Result<EraBounds> era_bounds(uint64_t era) = 0;

  // Unknown ids give nullopt (not an error): outside input names them.
  virtual Result<std::optional<ScalerNodeInfo>> scaler_node(const U256& id, uint64_t block) = 0;
  virtual Result<std::optional<U256>> scaler_node_by_daemon(const Address& daemon,
                                                            uint64_t block) = 0;
  virtual Result<std::vector<ScalerNodeInfo>> scaler_nodes(uint64_t block) = 0;  // every node
  virtual Result<std::optional<HyperNodeInfo>> hyper_node(const U256& id, uint64_t block) = 0;
  virtual Result<std::vector<HyperNodeInfo>> hyper_nodes(uint64_t block) = 0;  // every HyperNode

  virtual Result<Committee> committee(uint64_t block) = 0;
  // The last era Settlement committed at `block` (nullopt before the first) and its roots.
  virtual Result<std::optional<CommittedEra>> last_committed_era(uint64_t block) = 0;
};

}  // namespace icn::chain

// What the roles read from the protocol's contracts, as one interface: era boundaries, ScalerNodes,
// HyperNodes, the committee, and what an era's settlement needs (node economics, Link bundles, the
// Link curve, maintenance declarations). `ProtocolReader` (protocol_reader.hpp) answers it over
// JSON-RPC at a given block; tests give roles a fake. Every read names the block it is at, so two
// satellites that read "the era's start block" see the same state whatever the head is.
#pragma once

#include <optional>
#include <span>
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

// CapacityMarket's BookingStatus, in its order.
enum class BookingStatus : uint8_t { kNone, kActive, kExpired };

// CapacityMarket.booking(id), as stored.
struct BookingInfo {
  U256 id;
  U256 node_id;
  Address builder;
  uint64_t activation_era = 0;  // first era the booking counts
  uint64_t eras = 0;            // its last era is activation_era + eras − 1
  U256 price_per_era;           // escrow released per UP era
  U256 escrow;                  // paid into escrow, renewals included (margin excluded)
  U256 refunded;
  BookingStatus status = BookingStatus::kNone;
  bool covers(uint64_t era) const {
    return eras > 0 && era >= activation_era && era - activation_era < eras;
  }
};

// One ScalerNode's economics as the contracts hold them at a block.
struct NodeEconomicsInfo {
  U256 node_id;
  U256 capacity;  // Registry.scalerNode(id).capacity
  uint32_t region_id = 0;
  uint32_t class_id = 0;  // Registry.scalerNodeRegionClass(id)
  // CapacityMarket.nodeState(id).booking (its current or last booking) and that booking; none when
  // the node was never booked.
  std::optional<BookingInfo> booking;
  U256 reward_multiplier_wad;  // RewardPolicy.rewardMultiplier(id)
  U256 collateral;             // Collateral.collateralOf(id)
  U256 slash_taken;            // Settlement.nodeSettlement(id).slashTaken
};

// Registry.hardwareClass(id): what a node of the class must have (contracts/src/registry).
struct HardwareClassInfo {
  uint32_t id = 0;
  std::string name;  // "storage-s1"
  std::string unit;  // what a node's capacity counts, "TB"
  uint32_t storage_tb_per_unit = 0, vcpus = 0, ram_gb = 0, disks = 0, disk_tb = 0, nic_gbps = 0;
};

// ICNLink's BundleStatus, in its order.
enum class BundleStatus : uint8_t { kNone, kStaked, kUnstaking, kUnstaked };

// ICNLink.bundle(id).
struct LinkBundleInfo {
  U256 id;
  Address owner;
  U256 hyper_node_id;
  uint32_t links = 0;  // tokenCount
  BundleStatus status = BundleStatus::kNone;
  uint64_t staked_era = 0;
  uint64_t unstake_era = 0;  // meaningful once Unstaking
  // links.md's earning window: counts in era e when stakedEra ≤ e and (still Staked or e <
  // unstakeEra).
  bool counts_in(uint64_t era) const {
    if (status == BundleStatus::kNone || staked_era > era) return false;
    return status == BundleStatus::kStaked || era < unstake_era;
  }
};

// The Link curve at a block (RewardPolicy).
struct LinkCurve {
  U256 reward_per_link_per_era;  // linkRewardPerEra(the era's start timestamp)
  U256 min_performance_wad;      // linkMinPerformance
};

// One MaintenanceDeclared(nodeId, startEra, eraCount) of Settlement.
struct MaintenanceDeclaration {
  U256 node_id;
  uint64_t start_era = 0;
  uint64_t era_count = 0;
  uint64_t block = 0;  // where it was declared
  bool covers(uint64_t era) const { return era >= start_era && era - start_era < era_count; }
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

  // The class's specification; an unknown id is an error (ids come from the Registry itself).
  // Defaults fail like the economics below: only the daemon's host check and the CLI read it.
  virtual Result<HardwareClassInfo> hardware_class(uint32_t class_id, uint64_t block) {
    (void)class_id, (void)block;
    return fail("this chain view does not read hardware classes");
  }

  // ---- settlement economics (DESIGN §7, docs/protocol.md §5) ----
  // These have defaults that fail, so views that do not settle eras (the daemon's and the
  // HyperNode's fakes) need not implement them; a satellite given such a view fails the era with
  // the reason instead of settling zeros.

  virtual Result<uint64_t> block_timestamp(uint64_t block) {
    (void)block;
    return fail("this chain view does not read block timestamps");
  }
  // The economics of each node in `ids`, in that order, read together (ProtocolReader batches the
  // eth_calls). An unknown node is an error: only judged nodes are asked for.
  virtual Result<std::vector<NodeEconomicsInfo>> node_economics(std::span<const U256> ids,
                                                                uint64_t block) {
    (void)ids, (void)block;
    return fail("this chain view does not read node economics");
  }
  // RewardPolicy.capacitySubsidyPerUnitPerEra(region, class) at `block` (its timestamp and the
  // pair's utilised capacity then).
  virtual Result<U256> capacity_subsidy_per_unit(uint32_t region_id, uint32_t class_id,
                                                 uint64_t block) {
    (void)region_id, (void)class_id, (void)block;
    return fail("this chain view does not read capacity subsidies");
  }
  // Every Link bundle ever created (ids 1 … bundleCount), at `block`.
  virtual Result<std::vector<LinkBundleInfo>> link_bundles(uint64_t block) {
    (void)block;
    return fail("this chain view does not read Link bundles");
  }
  // The Link curve for an era starting at `era_start_timestamp`, as RewardPolicy says at `block`.
  virtual Result<LinkCurve> link_curve(uint64_t era_start_timestamp, uint64_t block) {
    (void)era_start_timestamp, (void)block;
    return fail("this chain view does not read the Link curve");
  }
  // Settlement's MaintenanceDeclared events in blocks from_block … to_block (inclusive), in
  // chain order. Declarations are only in events: Settlement.maintenanceWindow holds the 30-day
  // allowance, not which eras were declared.
  virtual Result<std::vector<MaintenanceDeclaration>> maintenance_declarations(uint64_t from_block,
                                                                               uint64_t to_block) {
    (void)from_block, (void)to_block;
    return fail("this chain view does not read maintenance declarations");
  }
};

}  // namespace icn::chain

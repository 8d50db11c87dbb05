// SPDX-License-Identifier: MIT
// The Registry's records and the calls other ICN contracts make on it.
pragma solidity ^0.8.24;

/// @notice ScalerNode lifecycle (spec §4.5): Registered → Validated | Rejected; Validated ⇄ Booked;
/// Registered | Validated → Offboarded.
enum ScalerNodeStatus {
    None,
    Registered,
    Validated,
    Rejected,
    Booked,
    Offboarded
}

/// @notice What an HP supplies for each node it registers (spec §4.4).
struct ScalerNodeParams {
    string name; // 1..30 bytes
    uint32 regionId; // must exist
    uint32 classId; // must be enabled in the region
    uint32 clusterId; // 0: the Registry places the node in the first open cluster of (region, class)
    bytes3 location; // ISO-3166-1 alpha-3, e.g. "DEU"
    uint128 capacity; // in the class's capacity unit (TB for storage), > 0
    uint128 reservationPrice; // ICNT base units per capacity unit per 30-day month, > 0
    uint64 maxBookingDuration; // seconds, ≥ 180 days
    uint128 nodeRewardShare; // share of node rewards for its delegators, ≤ 100e18 (= 100 %)
    address daemon; // the daemon's hot key; unique across nodes
    uint256 collateralAmount; // ICNT pulled from the HP; ≥ minCollateralPercent of the requirement
    uint64 commitmentDuration; // seconds, ≥ 36 months, a whole number of 6-month steps beyond it
}

/// @notice A ScalerNode as stored (region and class come from its cluster).
struct ScalerNode {
    ScalerNodeStatus status;
    bytes3 location;
    uint32 hpId;
    uint32 clusterId;
    uint64 createdAt; // block timestamp of registration
    uint64 activationEra; // set while Booked: first era the booking counts
    address daemon;
    uint64 maxBookingDuration;
    uint128 capacity;
    uint128 reservationPrice;
    uint128 nodeRewardShare;
    string name;
}

interface IRegistry {
    // ---- reads used by Collateral, Delegation, ICNLink and the market/settlement contracts
    /// @notice ScalerNode `nodeId` as stored (reverts for an unknown node).
    function scalerNode(uint256 nodeId) external view returns (ScalerNode memory);
    /// @notice The status of ScalerNode `nodeId` (None for an unknown node).
    function scalerNodeStatus(uint256 nodeId) external view returns (ScalerNodeStatus);
    /// @notice The HP account that owns node `nodeId` (reverts for an unknown node).
    function scalerNodeOwner(uint256 nodeId) external view returns (address);
    /// @notice Who is paid node `nodeId`'s rewards: its HP account, and the share (1e18 fixed point,
    /// 100 % = 100e18) that goes to its delegators (reverts for an unknown node).
    function scalerNodePayee(uint256 nodeId) external view returns (address owner, uint256 nodeRewardShare);
    /// @notice Full collateral requirement of node `nodeId` in ICNT base units:
    /// collateralReq(region, class) × marketAdjustmentFactor × capacity.
    function collateralRequirement(uint256 nodeId) external view returns (uint256);
    /// @notice Sum of the capacity of every Validated or Booked node (the network capacity).
    function networkCapacity() external view returns (uint256);
    /// @notice True when HyperNode `hyperNodeId` is registered and not retired.
    function isHyperNodeRegistered(uint256 hyperNodeId) external view returns (bool);

    // ---- status changes made by protocol contracts (PROTOCOL_ROLE)
    /// @notice Validated → Booked; the booking counts from `activationEra`.
    function markBooked(uint256 nodeId, uint64 activationEra) external;
    /// @notice Booked → Validated when a booking ends.
    function markUnbooked(uint256 nodeId) external;
    /// @notice Registered | Validated → Offboarded when the HP exits (Collateral).
    function markOffboarded(uint256 nodeId) external;
}

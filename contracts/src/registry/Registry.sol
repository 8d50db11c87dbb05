// SPDX-License-Identifier: MIT
// The ICN Registry: regions, hardware classes, clusters, Hardware Providers and ScalerNodes.
pragma solidity ^0.8.24;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ProtocolRoles} from "../common/ProtocolRoles.sol";
import {WAD, HUNDRED_PERCENT} from "../common/Units.sol";
import {ICollateral} from "../interfaces/ICollateral.sol";
import {IRegistry, ScalerNode, ScalerNodeParams, ScalerNodeStatus} from "../interfaces/IRegistry.sol";
import {HyperNodeRegistry} from "./HyperNodeRegistry.sol";
import {Iso3166} from "./Iso3166.sol";

/// @notice What a hardware class is (spec §4.1): a standard resource bundle; nodes of one class are
/// interchangeable. Global catalogue; the economics live per (region, class).
struct HardwareClassSpec {
    string name; // unique, [a-z0-9-], 1..32 bytes, e.g. "storage-s1"
    string capacityUnit; // what a node's `capacity` counts, e.g. "TB"; 1..16 printable bytes
    uint32 storageTbPerUnit;
    uint32 vcpus;
    uint32 ramGb;
    uint32 disks;
    uint32 diskTb;
    uint32 nicGbps;
}

/// @notice The economics of one hardware class in one region (spec §4.2, §9, §12.2).
struct RegionClassEconomics {
    uint128 collateralReqPerUnit; // ICNT base units per capacity unit (before marketAdjustmentFactor), > 0
    uint128 targetCapacity; // capacity units the capacity subsidy aims for, > 0
    uint64 releaseSchedule; // seconds over which the capacity subsidy is released (default 1,440 days)
    uint128 maximumBootstrapRelease; // ICNT cap of the bootstrap (capacity) release; 0 = no subsidy
    uint128 protocolMargin; // added to booking prices, 1e18 fixed point, ≤ 100e18 (default 25e18)
}

/// @notice A (region, class) pair as the views return it.
struct RegionClassInfo {
    bool enabled;
    uint64 enabledAt;
    RegionClassEconomics economics;
    uint128 totalCapacity; // capacity of its Validated and Booked nodes
    uint128 utilizedCapacity; // capacity of its Booked nodes
    uint256 clusterCount;
}

/// @notice A cluster as the views return it.
struct ClusterInfo {
    uint32 regionId;
    uint32 classId;
    uint64 createdAt;
    uint128 maxPrice; // ICNT base units per capacity unit per 30-day month
    uint128 totalCapacity; // capacity of its Validated and Booked nodes
    uint128 utilizedCapacity; // capacity of its Booked nodes
    uint256 nodeCount; // Registered, Validated and Booked nodes (the slots taken)
    string name;
}

enum HardwareProviderStatus {
    None,
    Registered
}

/// @notice A Hardware Provider (spec §4.2).
struct HardwareProvider {
    address account; // the owner (cold) account that registers and manages its ScalerNodes
    HardwareProviderStatus status;
    uint64 registeredAt;
    uint128 totalCapacity; // capacity of its Validated and Booked nodes
    uint128 utilizedCapacity; // capacity of its Booked nodes
}

/// @title Registry
/// @notice The catalogue of the network: governance creates regions, hardware classes (with per-region
/// economics) and clusters; Hardware Providers register ScalerNodes (collateral goes to the Collateral
/// contract in the same transaction); the operator validates or rejects them; protocol contracts mark them
/// booked, unbooked and offboarded. HyperNodes live in a HyperNodeRegistry this contract creates (EIP-170
/// size limit); `isHyperNodeRegistered` and `hyperNodeCount` forward to it.
/// @dev Every counter the views return (per-status node counts, capacities per cluster, region-class, HP
/// and network) is maintained incrementally on each status change; no loop runs over a user-growable array
/// (auto-placement scans the governance-created cluster list of one region-class, ≤ 256 entries).
contract Registry is IRegistry, ProtocolRoles {
    // ---------------------------------------------------------------- constants

    /// @notice Nodes per `registerScalerNodes` call and per HP batch update (spec §4.4).
    uint256 public constant MAX_BATCH = 1_000;
    /// @notice Node name length in bytes (spec §12.2: ≤ 30 characters).
    uint256 internal constant MAX_NODE_NAME = 30;
    /// @notice Upper bound of a node's capacity (keeps every requirement product far from overflow).
    uint256 internal constant MAX_NODE_CAPACITY = type(uint64).max;
    /// @notice Maximum booking duration an HP may offer: at least 180 days (spec §4.3), at most 10 years.
    uint64 internal constant MIN_MAX_BOOKING_DURATION = 180 days;
    uint64 internal constant MAX_MAX_BOOKING_DURATION = 3600 days;
    /// @notice Clusters per (region, class): bounds the auto-placement scan.
    uint256 internal constant MAX_CLUSTERS_PER_REGION_CLASS = 256;
    /// @notice Bounds and defaults of the global parameters (DESIGN §11, spec §12.2).
    uint128 internal constant DEFAULT_MIN_COLLATERAL_PERCENT = 30e18;
    uint128 internal constant MIN_MIN_COLLATERAL_PERCENT = 1e18;
    uint128 internal constant DEFAULT_MARKET_ADJUSTMENT_FACTOR = 1e18;
    uint128 internal constant MIN_MARKET_ADJUSTMENT_FACTOR = 1e16;
    uint128 internal constant MAX_MARKET_ADJUSTMENT_FACTOR = 100e18;
    uint32 internal constant DEFAULT_MAX_NODES_PER_CLUSTER = 50;
    uint32 internal constant MAX_MAX_NODES_PER_CLUSTER = 1_000;
    /// @notice Defaults and bounds of the per-(region, class) economics.
    uint64 public constant DEFAULT_RELEASE_SCHEDULE = 1440 days;
    uint64 internal constant MIN_RELEASE_SCHEDULE = 1 days;
    uint64 internal constant MAX_RELEASE_SCHEDULE = 3600 days;
    uint128 public constant DEFAULT_PROTOCOL_MARGIN = 25e18;

    // ---------------------------------------------------------------- storage

    /// @dev The stored form of a ScalerNode: the interface struct plus its position in its cluster's node
    /// list, in 4 slots (registration gas): maxBookingDuration ≤ 3,600 days fits 32 bits and capacity ≤
    /// MAX_NODE_CAPACITY fits 64, both enforced on every write; `name` ≤ 30 bytes is stored inline.
    struct StoredNode {
        ScalerNodeStatus status;
        bytes3 location;
        uint32 hpId;
        uint32 clusterId;
        uint64 createdAt;
        uint64 activationEra;
        uint16 clusterIndex;
        address daemon;
        uint32 maxBookingDuration;
        uint64 capacity;
        uint128 reservationPrice;
        uint128 nodeRewardShare;
        string name;
    }

    /// @dev A hardware class as stored: names are ≤ 32 / 16 bytes without zero bytes, kept left-aligned.
    struct StoredClass {
        bytes32 name;
        bytes16 capacityUnit;
        uint32 storageTbPerUnit;
        uint32 vcpus;
        uint32 ramGb;
        uint32 disks;
        uint32 diskTb;
        uint32 nicGbps;
    }

    struct RegionClass {
        bool enabled;
        uint64 enabledAt;
        uint64 releaseSchedule;
        uint128 collateralReqPerUnit;
        uint128 targetCapacity;
        uint128 maximumBootstrapRelease;
        uint128 protocolMargin;
        uint128 totalCapacity;
        uint128 utilizedCapacity;
        uint32[] clusterIds;
    }

    struct Cluster {
        uint32 regionId;
        uint32 classId;
        uint64 createdAt;
        uint128 maxPrice;
        uint128 totalCapacity;
        uint128 utilizedCapacity;
        uint32[] nodeIds;
        bytes32 name;
    }

    /// @dev Values read once per `registerScalerNodes` call, plus the auto-placement cursor: within one
    /// call clusters only fill up, so the scan resumes where the previous node of the same pair was placed.
    struct Batch {
        uint32 hpId;
        uint256 maxNodes;
        uint256 minPercent;
        uint256 marketFactor;
        uint32 cursorRegion;
        uint32 cursorClass;
        uint256 cursor;
    }

    /// @notice The HyperNode records (created by the constructor with the same admin).
    HyperNodeRegistry public immutable hyperNodeRegistry;
    /// @notice The Collateral contract registration deposits into (set once by governance).
    ICollateral public collateral;
    uint32 private _scalerNodeCount;
    uint32 private _hpCount;

    uint32 private _regionCount;
    uint32 private _classCount;
    uint32 private _clusterCount;
    /// @notice Nodes a cluster holds at most (Registered, Validated and Booked).
    uint32 public maxNodesPerCluster;

    /// @notice Share of the collateral requirement an HP must deposit at registration (1e18 = 1 %).
    uint128 public minCollateralPercent;
    /// @notice Multiplies every per-unit collateral requirement (1e18 = 1.0).
    uint128 public marketAdjustmentFactor;

    uint256 private _networkCapacity;
    uint256 private _networkUtilizedCapacity;

    mapping(ScalerNodeStatus => uint256) private _statusCount;
    mapping(uint256 => StoredNode) private _nodes;
    mapping(address => uint256) private _nodeByDaemon;
    mapping(uint256 => HardwareProvider) private _hps;
    mapping(address => uint32) private _hpByAccount;
    mapping(uint256 => bytes32) private _regionNames;
    mapping(bytes32 => uint32) private _regionByName;
    mapping(uint256 => StoredClass) private _classes;
    mapping(bytes32 => uint32) private _classByName;
    mapping(uint256 => mapping(uint256 => RegionClass)) private _regionClasses;
    mapping(uint256 => Cluster) private _clusters;
    mapping(bytes32 => uint32) private _clusterByName;

    // ---------------------------------------------------------------- events

    event CollateralSet(address indexed collateral);
    event RegionCreated(uint32 indexed regionId, string name);
    event HardwareClassCreated(uint32 indexed classId, HardwareClassSpec spec);
    event ClassEnabledInRegion(uint32 indexed regionId, uint32 indexed classId, RegionClassEconomics economics);
    event RegionClassEconomicsSet(uint32 indexed regionId, uint32 indexed classId, RegionClassEconomics economics);
    event ClusterCreated(
        uint32 indexed clusterId, uint32 indexed regionId, uint32 indexed classId, string name, uint128 maxPrice
    );
    event ClusterMaxPriceSet(uint32 indexed clusterId, uint128 oldMaxPrice, uint128 newMaxPrice);
    event MinCollateralPercentSet(uint256 oldValue, uint256 newValue);
    event MarketAdjustmentFactorSet(uint256 oldValue, uint256 newValue);
    event MaxNodesPerClusterSet(uint256 oldValue, uint256 newValue);
    event HardwareProviderRegistered(uint32 indexed hpId, address indexed account);
    /// @dev `params` is the HP's input as given (clusterId 0 = auto-placed; `clusterId` here is where the node
    /// went). The Collateral contract emits its own event for the deposit.
    event ScalerNodeRegistered(
        uint256 indexed nodeId, uint32 indexed hpId, uint32 indexed clusterId, ScalerNodeParams params
    );
    event ScalerNodeValidated(uint256 indexed nodeId, uint32 indexed clusterId, uint128 capacity);
    event ScalerNodeRejected(uint256 indexed nodeId, string reason);
    event ScalerNodeBooked(uint256 indexed nodeId, uint64 activationEra);
    event ScalerNodeUnbooked(uint256 indexed nodeId);
    event ScalerNodeOffboarded(uint256 indexed nodeId, ScalerNodeStatus previousStatus);
    event DaemonKeySet(uint256 indexed nodeId, address indexed oldKey, address indexed newKey);
    event ReservationPriceSet(uint256 indexed nodeId, uint128 reservationPrice);
    event MaxBookingDurationSet(uint256 indexed nodeId, uint64 maxBookingDuration);
    event NodeRewardShareSet(uint256 indexed nodeId, uint128 nodeRewardShare);
    // ---------------------------------------------------------------- errors

    error CollateralAlreadySet(address current);
    error CollateralNotSet();
    error InvalidName(string name);
    error NameTaken(string name, uint32 existingId);
    error InvalidCapacityUnit(string capacityUnit);
    error UnknownRegion(uint32 regionId);
    error UnknownHardwareClass(uint32 classId);
    error UnknownCluster(uint32 clusterId);
    error ClassAlreadyEnabled(uint32 regionId, uint32 classId);
    error ClassNotEnabled(uint32 regionId, uint32 classId);
    error ZeroCollateralRequirement();
    error ZeroTargetCapacity();
    error ReleaseScheduleOutOfRange(uint256 releaseSchedule, uint256 min, uint256 max);
    error ProtocolMarginTooHigh(uint256 protocolMargin, uint256 max);
    error ZeroMaxPrice();
    error TooManyClusters(uint32 regionId, uint32 classId, uint256 max);
    error MinCollateralPercentOutOfRange(uint256 value, uint256 min, uint256 max);
    error MarketAdjustmentFactorOutOfRange(uint256 value, uint256 min, uint256 max);
    error MaxNodesPerClusterOutOfRange(uint256 value, uint256 min, uint256 max);
    error AlreadyHardwareProvider(address account, uint32 hpId);
    error NotHardwareProvider(address account);
    error BatchSizeOutOfRange(uint256 size, uint256 max);
    error LengthMismatch(uint256 nodeIds, uint256 values);
    error ClusterNotInRegionClass(uint32 clusterId, uint32 regionId, uint32 classId);
    error ClusterFull(uint32 clusterId, uint256 maxNodes);
    error NoOpenCluster(uint32 regionId, uint32 classId);
    error InvalidNodeName(uint256 length, uint256 max);
    error InvalidLocation(bytes3 location);
    error CapacityOutOfRange(uint256 capacity, uint256 max);
    error ZeroReservationPrice();
    error MaxBookingDurationOutOfRange(uint256 duration, uint256 min, uint256 max);
    error NodeRewardShareTooHigh(uint256 share, uint256 max);
    error ZeroDaemonKey();
    error DaemonKeyTaken(address daemon, uint256 nodeId);
    error CollateralBelowMinimum(uint256 amount, uint256 minimum);
    error UnknownScalerNode(uint256 nodeId);
    error NotNodeOwner(uint256 nodeId, address caller);
    error UnexpectedStatus(uint256 nodeId, ScalerNodeStatus status);

    /// @notice Also creates the HyperNodeRegistry, with the same admin.
    /// @param admin receives DEFAULT_ADMIN, GOVERNANCE, OPERATOR and EMERGENCY (see ProtocolRoles) here and
    /// in the HyperNodeRegistry
    constructor(address admin) ProtocolRoles(admin) {
        hyperNodeRegistry = new HyperNodeRegistry(admin);
        maxNodesPerCluster = DEFAULT_MAX_NODES_PER_CLUSTER;
        minCollateralPercent = DEFAULT_MIN_COLLATERAL_PERCENT;
        marketAdjustmentFactor = DEFAULT_MARKET_ADJUSTMENT_FACTOR;
    }

    // ================================================================ governance

    /// @notice Wires the Collateral contract (once); ScalerNode registration needs it.
    /// @param collateral_ the Collateral contract; it must grant this Registry its PROTOCOL_ROLE
    function setCollateral(ICollateral collateral_) external onlyRole(GOVERNANCE_ROLE) {
        if (address(collateral_) == address(0)) revert ZeroAddress();
        if (address(collateral) != address(0)) revert CollateralAlreadySet(address(collateral));
        collateral = collateral_;
        emit CollateralSet(address(collateral_));
    }

    /// @notice Creates a region (spec §4.1), e.g. "EUW".
    /// @param name unique, 1..32 bytes of [A-Z0-9-]
    /// @return regionId the new region's id (sequential from 1)
    function createRegion(string calldata name) external onlyRole(GOVERNANCE_ROLE) returns (uint32 regionId) {
        bytes32 key = _nameKey(name, true);
        if (_regionByName[key] != 0) revert NameTaken(name, _regionByName[key]);
        regionId = ++_regionCount;
        _regionByName[key] = regionId;
        _regionNames[regionId] = key;
        emit RegionCreated(regionId, name);
    }

    /// @notice Adds a hardware class to the global catalogue (spec §4.1).
    /// @param spec the class; `name` unique, 1..32 bytes of [a-z0-9-]; `capacityUnit` 1..16 printable bytes
    /// @return classId the new class's id (sequential from 1)
    function createHardwareClass(HardwareClassSpec calldata spec)
        external
        onlyRole(GOVERNANCE_ROLE)
        returns (uint32 classId)
    {
        bytes32 key = _nameKey(spec.name, false);
        if (_classByName[key] != 0) revert NameTaken(spec.name, _classByName[key]);
        bytes calldata unit = bytes(spec.capacityUnit);
        if (unit.length == 0 || unit.length > 16 || _firstNonPrintable(unit) < unit.length) {
            revert InvalidCapacityUnit(spec.capacityUnit);
        }
        classId = ++_classCount;
        _classByName[key] = classId;
        StoredClass storage c = _classes[classId];
        c.name = key;
        // forge-lint: disable-next-line(unsafe-typecast) unit.length ≤ 16 was checked
        c.capacityUnit = bytes16(unit);
        c.storageTbPerUnit = spec.storageTbPerUnit;
        c.vcpus = spec.vcpus;
        c.ramGb = spec.ramGb;
        c.disks = spec.disks;
        c.diskTb = spec.diskTb;
        c.nicGbps = spec.nicGbps;
        emit HardwareClassCreated(classId, hardwareClass(classId));
    }

    /// @notice Makes class `classId` available in region `regionId` with its economics there.
    /// @param regionId an existing region
    /// @param classId an existing class, not yet enabled in the region
    /// @param economics collateral requirement and target capacity > 0; release schedule 1 day..10 years;
    /// protocol margin ≤ 100e18 (defaults: DEFAULT_RELEASE_SCHEDULE, DEFAULT_PROTOCOL_MARGIN)
    function enableClassInRegion(uint32 regionId, uint32 classId, RegionClassEconomics calldata economics)
        external
        onlyRole(GOVERNANCE_ROLE)
    {
        _requireRegion(regionId);
        if (classId == 0 || classId > _classCount) revert UnknownHardwareClass(classId);
        RegionClass storage rc = _regionClasses[regionId][classId];
        if (rc.enabled) revert ClassAlreadyEnabled(regionId, classId);
        rc.enabled = true;
        rc.enabledAt = uint64(block.timestamp);
        _setEconomics(rc, economics);
        emit ClassEnabledInRegion(regionId, classId, economics);
    }

    /// @notice Replaces the economics of an enabled (region, class); the collateral requirement of its
    /// existing nodes follows the new value.
    /// @param regionId the region
    /// @param classId a class enabled in the region
    /// @param economics the new values (same bounds as `enableClassInRegion`)
    function setRegionClassEconomics(uint32 regionId, uint32 classId, RegionClassEconomics calldata economics)
        external
        onlyRole(GOVERNANCE_ROLE)
    {
        _setEconomics(_enabledRegionClass(regionId, classId), economics);
        emit RegionClassEconomicsSet(regionId, classId, economics);
    }

    /// @notice Creates a cluster of class `classId` in region `regionId` (spec §4.1), e.g. "FRA-1".
    /// @param regionId the region
    /// @param classId a class enabled in the region (≤ MAX_CLUSTERS_PER_REGION_CLASS clusters each)
    /// @param name unique, 1..32 bytes of [A-Z0-9-]
    /// @param maxPrice ICNT base units per capacity unit per 30-day month, > 0
    /// @return clusterId the new cluster's id (sequential from 1)
    function createCluster(uint32 regionId, uint32 classId, string calldata name, uint128 maxPrice)
        external
        onlyRole(GOVERNANCE_ROLE)
        returns (uint32 clusterId)
    {
        RegionClass storage rc = _enabledRegionClass(regionId, classId);
        if (rc.clusterIds.length >= MAX_CLUSTERS_PER_REGION_CLASS) {
            revert TooManyClusters(regionId, classId, MAX_CLUSTERS_PER_REGION_CLASS);
        }
        bytes32 key = _nameKey(name, true);
        if (_clusterByName[key] != 0) revert NameTaken(name, _clusterByName[key]);
        if (maxPrice == 0) revert ZeroMaxPrice();
        clusterId = ++_clusterCount;
        _clusterByName[key] = clusterId;
        rc.clusterIds.push(clusterId);
        Cluster storage c = _clusters[clusterId];
        c.regionId = regionId;
        c.classId = classId;
        c.createdAt = uint64(block.timestamp);
        c.maxPrice = maxPrice;
        c.name = key;
        emit ClusterCreated(clusterId, regionId, classId, name, maxPrice);
    }

    /// @notice Sets the highest price a booking in cluster `clusterId` pays.
    /// @param clusterId the cluster
    /// @param maxPrice ICNT base units per capacity unit per 30-day month, > 0
    function setClusterMaxPrice(uint32 clusterId, uint128 maxPrice) external onlyRole(GOVERNANCE_ROLE) {
        Cluster storage c = _requireCluster(clusterId);
        if (maxPrice == 0) revert ZeroMaxPrice();
        emit ClusterMaxPriceSet(clusterId, c.maxPrice, maxPrice);
        c.maxPrice = maxPrice;
    }

    /// @notice Sets the share of the requirement deposited at registration.
    /// @param value 1e18 = 1 %, within [1e18, 100e18]
    function setMinCollateralPercent(uint128 value) external onlyRole(GOVERNANCE_ROLE) {
        if (value < MIN_MIN_COLLATERAL_PERCENT || value > HUNDRED_PERCENT) {
            revert MinCollateralPercentOutOfRange(value, MIN_MIN_COLLATERAL_PERCENT, HUNDRED_PERCENT);
        }
        emit MinCollateralPercentSet(minCollateralPercent, value);
        minCollateralPercent = value;
    }

    /// @notice Sets the factor applied to every per-unit collateral requirement.
    /// @param value 1e18 = 1.0, within [1e16, 100e18]
    function setMarketAdjustmentFactor(uint128 value) external onlyRole(GOVERNANCE_ROLE) {
        if (value < MIN_MARKET_ADJUSTMENT_FACTOR || value > MAX_MARKET_ADJUSTMENT_FACTOR) {
            revert MarketAdjustmentFactorOutOfRange(value, MIN_MARKET_ADJUSTMENT_FACTOR, MAX_MARKET_ADJUSTMENT_FACTOR);
        }
        emit MarketAdjustmentFactorSet(marketAdjustmentFactor, value);
        marketAdjustmentFactor = value;
    }

    /// @notice Sets how many nodes a cluster holds; lowering it below a cluster's size only stops new
    /// nodes from joining that cluster.
    /// @param value within [1, 1,000]
    function setMaxNodesPerCluster(uint32 value) external onlyRole(GOVERNANCE_ROLE) {
        if (value == 0 || value > MAX_MAX_NODES_PER_CLUSTER) {
            revert MaxNodesPerClusterOutOfRange(value, 1, MAX_MAX_NODES_PER_CLUSTER);
        }
        emit MaxNodesPerClusterSet(maxNodesPerCluster, value);
        maxNodesPerCluster = value;
    }

    // ================================================================ Hardware Providers and ScalerNodes

    /// @notice Registers the caller as a Hardware Provider (one per account).
    /// @return hpId the new HP id (sequential from 1)
    function registerHardwareProvider() external whenNotPaused returns (uint32 hpId) {
        uint32 existing = _hpByAccount[msg.sender];
        if (existing != 0) revert AlreadyHardwareProvider(msg.sender, existing);
        hpId = ++_hpCount;
        _hpByAccount[msg.sender] = hpId;
        HardwareProvider storage hp = _hps[hpId];
        hp.account = msg.sender;
        hp.status = HardwareProviderStatus.Registered;
        hp.registeredAt = uint64(block.timestamp);
        emit HardwareProviderRegistered(hpId, msg.sender);
    }

    /// @notice Registers 1..1,000 ScalerNodes of the calling HP (spec §4.4) and deposits their initial
    /// collateral: the Collateral contract pulls the sum of `collateralAmount` from the caller (approve it
    /// first) and checks each `commitmentDuration`. Nodes start Registered, each in a cluster.
    /// @param nodes one entry per node; a `clusterId` of 0 places the node in the first open cluster of
    /// its (region, class)
    /// @return firstId the id of `nodes[0]`; the others follow consecutively
    function registerScalerNodes(ScalerNodeParams[] calldata nodes) external whenNotPaused returns (uint256 firstId) {
        uint256 n = nodes.length;
        if (n == 0 || n > MAX_BATCH) revert BatchSizeOutOfRange(n, MAX_BATCH);
        ICollateral collateral_ = collateral;
        if (address(collateral_) == address(0)) revert CollateralNotSet();
        uint32 hpId = _hpByAccount[msg.sender];
        if (hpId == 0) revert NotHardwareProvider(msg.sender);

        Batch memory b = Batch({
            hpId: hpId,
            maxNodes: maxNodesPerCluster,
            minPercent: minCollateralPercent,
            marketFactor: marketAdjustmentFactor,
            cursorRegion: 0,
            cursorClass: 0,
            cursor: 0
        });
        uint256[] memory amounts = new uint256[](n);
        uint64[] memory durations = new uint64[](n);
        firstId = uint256(_scalerNodeCount) + 1;
        for (uint256 i; i < n; ++i) {
            ScalerNodeParams calldata p = nodes[i];
            _registerNode(firstId + i, p, b);
            amounts[i] = p.collateralAmount;
            durations[i] = p.commitmentDuration;
        }
        _scalerNodeCount = SafeCast.toUint32(firstId + n - 1); // also makes the uint32 ids below exact
        _statusCount[ScalerNodeStatus.Registered] += n;
        collateral_.depositInitial(msg.sender, firstId, amounts, durations);
    }

    /// @notice Rotates the daemon (hot) key of node `nodeId`; HP owner only.
    /// @param nodeId a Registered, Validated or Booked node of the caller
    /// @param daemon the new key: non-zero and not used by another node
    function setDaemonKey(uint256 nodeId, address daemon) external whenNotPaused {
        StoredNode storage node = _ownedLiveNode(nodeId);
        _claimDaemon(daemon, nodeId);
        address old = node.daemon;
        delete _nodeByDaemon[old];
        node.daemon = daemon;
        emit DaemonKeySet(nodeId, old, daemon);
    }

    /// @notice Sets the reservation price of up to 1,000 nodes of the caller.
    /// @param nodeIds live nodes of the caller
    /// @param prices ICNT base units per capacity unit per 30-day month, each > 0
    function setReservationPrice(uint256[] calldata nodeIds, uint128[] calldata prices) external whenNotPaused {
        _checkBatch(nodeIds.length, prices.length);
        for (uint256 i; i < nodeIds.length; ++i) {
            if (prices[i] == 0) revert ZeroReservationPrice();
            _ownedLiveNode(nodeIds[i]).reservationPrice = prices[i];
            emit ReservationPriceSet(nodeIds[i], prices[i]);
        }
    }

    /// @notice Sets the longest booking up to 1,000 nodes of the caller accept.
    /// @param nodeIds live nodes of the caller
    /// @param durations seconds, each within [180 days, 3,600 days]
    function setMaxBookingDuration(uint256[] calldata nodeIds, uint64[] calldata durations) external whenNotPaused {
        _checkBatch(nodeIds.length, durations.length);
        for (uint256 i; i < nodeIds.length; ++i) {
            _checkMaxBookingDuration(durations[i]);
            // forge-lint: disable-next-line(unsafe-typecast) ≤ MAX_MAX_BOOKING_DURATION, checked above
            _ownedLiveNode(nodeIds[i]).maxBookingDuration = uint32(durations[i]);
            emit MaxBookingDurationSet(nodeIds[i], durations[i]);
        }
    }

    /// @notice Sets the share of node rewards passed to delegators for up to 1,000 nodes of the caller.
    /// @param nodeIds live nodes of the caller
    /// @param shares 1e18 fixed point, each ≤ 100e18
    function setNodeRewardShare(uint256[] calldata nodeIds, uint128[] calldata shares) external whenNotPaused {
        _checkBatch(nodeIds.length, shares.length);
        for (uint256 i; i < nodeIds.length; ++i) {
            if (shares[i] > HUNDRED_PERCENT) revert NodeRewardShareTooHigh(shares[i], HUNDRED_PERCENT);
            _ownedLiveNode(nodeIds[i]).nodeRewardShare = shares[i];
            emit NodeRewardShareSet(nodeIds[i], shares[i]);
        }
    }

    // ================================================================ operator

    /// @notice Registered → Validated after the operator checked the hardware and daemon; its capacity
    /// joins the totals of its cluster, region-class, HP and the network.
    /// @param nodeId a Registered node
    function validateScalerNode(uint256 nodeId) external onlyRole(OPERATOR_ROLE) {
        _validate(nodeId);
    }

    /// @notice `validateScalerNode` for several nodes (all or none).
    /// @param nodeIds Registered nodes
    function validateScalerNodes(uint256[] calldata nodeIds) external onlyRole(OPERATOR_ROLE) {
        for (uint256 i; i < nodeIds.length; ++i) {
            _validate(nodeIds[i]);
        }
    }

    /// @notice Registered → Rejected; frees its cluster slot and its daemon key.
    /// @param nodeId a Registered node
    /// @param reason why, for the HP (emitted, not stored)
    function rejectScalerNode(uint256 nodeId, string calldata reason) external onlyRole(OPERATOR_ROLE) {
        _reject(nodeId, reason);
    }

    /// @notice `rejectScalerNode` for several nodes with one reason (all or none).
    /// @param nodeIds Registered nodes
    /// @param reason why, for the HP
    function rejectScalerNodes(uint256[] calldata nodeIds, string calldata reason) external onlyRole(OPERATOR_ROLE) {
        for (uint256 i; i < nodeIds.length; ++i) {
            _reject(nodeIds[i], reason);
        }
    }

    // ================================================================ protocol contracts

    /// @inheritdoc IRegistry
    function markBooked(uint256 nodeId, uint64 activationEra) external onlyRole(PROTOCOL_ROLE) {
        StoredNode storage node = _nodeWithStatus(nodeId, ScalerNodeStatus.Validated);
        node.status = ScalerNodeStatus.Booked;
        node.activationEra = activationEra;
        _moveStatus(ScalerNodeStatus.Validated, ScalerNodeStatus.Booked);
        _adjust(node, true, true);
        emit ScalerNodeBooked(nodeId, activationEra);
    }

    /// @inheritdoc IRegistry
    function markUnbooked(uint256 nodeId) external onlyRole(PROTOCOL_ROLE) {
        StoredNode storage node = _nodeWithStatus(nodeId, ScalerNodeStatus.Booked);
        node.status = ScalerNodeStatus.Validated;
        node.activationEra = 0;
        _moveStatus(ScalerNodeStatus.Booked, ScalerNodeStatus.Validated);
        _adjust(node, true, false);
        emit ScalerNodeUnbooked(nodeId);
    }

    /// @inheritdoc IRegistry
    function markOffboarded(uint256 nodeId) external onlyRole(PROTOCOL_ROLE) {
        StoredNode storage node = _requireNode(nodeId);
        ScalerNodeStatus previous = node.status;
        if (previous == ScalerNodeStatus.Validated) {
            _adjust(node, false, false);
        } else if (previous != ScalerNodeStatus.Registered) {
            revert UnexpectedStatus(nodeId, previous);
        }
        node.status = ScalerNodeStatus.Offboarded;
        _moveStatus(previous, ScalerNodeStatus.Offboarded);
        _leaveCluster(node);
        emit ScalerNodeOffboarded(nodeId, previous);
    }

    // ================================================================ views

    /// @inheritdoc IRegistry
    function scalerNode(uint256 nodeId) external view returns (ScalerNode memory) {
        StoredNode storage s = _requireNode(nodeId);
        return ScalerNode({
            status: s.status,
            location: s.location,
            hpId: s.hpId,
            clusterId: s.clusterId,
            createdAt: s.createdAt,
            activationEra: s.activationEra,
            daemon: s.daemon,
            maxBookingDuration: s.maxBookingDuration,
            capacity: s.capacity,
            reservationPrice: s.reservationPrice,
            nodeRewardShare: s.nodeRewardShare,
            name: s.name
        });
    }

    /// @inheritdoc IRegistry
    function scalerNodeStatus(uint256 nodeId) external view returns (ScalerNodeStatus) {
        return _nodes[nodeId].status;
    }

    /// @inheritdoc IRegistry
    function scalerNodeOwner(uint256 nodeId) external view returns (address) {
        return _hps[_requireNode(nodeId).hpId].account;
    }

    /// @inheritdoc IRegistry
    function scalerNodePayee(uint256 nodeId) external view returns (address owner, uint256 nodeRewardShare) {
        StoredNode storage node = _requireNode(nodeId);
        return (_hps[node.hpId].account, node.nodeRewardShare);
    }

    /// @notice The region and class of node `nodeId` (those of its cluster).
    /// @param nodeId an existing node
    /// @return regionId its region
    /// @return classId its hardware class
    function scalerNodeRegionClass(uint256 nodeId) external view returns (uint32 regionId, uint32 classId) {
        Cluster storage c = _clusters[_requireNode(nodeId).clusterId];
        return (c.regionId, c.classId);
    }

    /// @inheritdoc IRegistry
    function collateralRequirement(uint256 nodeId) external view returns (uint256) {
        StoredNode storage node = _requireNode(nodeId);
        Cluster storage c = _clusters[node.clusterId];
        return _requirement(_regionClasses[c.regionId][c.classId].collateralReqPerUnit, node.capacity);
    }

    /// @notice Quote for a node not yet registered: its full collateral requirement and the minimum to
    /// deposit at registration, at the current parameters.
    /// @param regionId the region
    /// @param classId a class enabled in the region
    /// @param capacity in the class's capacity unit
    /// @return requirement collateralReqPerUnit × marketAdjustmentFactor / 1e18 × capacity
    /// @return minimum requirement × minCollateralPercent / 100e18
    function requiredCollateral(uint32 regionId, uint32 classId, uint256 capacity)
        external
        view
        returns (uint256 requirement, uint256 minimum)
    {
        if (capacity > MAX_NODE_CAPACITY) revert CapacityOutOfRange(capacity, MAX_NODE_CAPACITY);
        requirement = _requirement(_enabledRegionClass(regionId, classId).collateralReqPerUnit, capacity);
        minimum = requirement * minCollateralPercent / HUNDRED_PERCENT;
    }

    /// @notice The node whose daemon key is `daemon` (0 if none; keys of Rejected and Offboarded nodes are
    /// released).
    /// @param daemon a daemon key
    /// @return the node id or 0
    function scalerNodeIdByDaemon(address daemon) external view returns (uint256) {
        return _nodeByDaemon[daemon];
    }

    /// @notice Number of ScalerNodes ever registered (ids run from 1 to this).
    /// @return the count
    function scalerNodeCount() external view returns (uint256) {
        return _scalerNodeCount;
    }

    /// @notice Number of ScalerNodes currently in `status`.
    /// @param status a status (None always counts 0)
    /// @return the count
    function scalerNodesWithStatus(ScalerNodeStatus status) external view returns (uint256) {
        return _statusCount[status];
    }

    /// @inheritdoc IRegistry
    function networkCapacity() external view returns (uint256) {
        return _networkCapacity;
    }

    /// @notice Sum of the capacity of every Booked node.
    /// @return the booked capacity of the network
    function networkUtilizedCapacity() external view returns (uint256) {
        return _networkUtilizedCapacity;
    }

    /// @notice Hardware Provider `hpId` (status None when unknown).
    /// @param hpId the HP id
    /// @return the record
    function hardwareProvider(uint32 hpId) external view returns (HardwareProvider memory) {
        return _hps[hpId];
    }

    /// @notice The HP id of `account` (0 if it is not an HP).
    /// @param account an account
    /// @return the HP id or 0
    function hardwareProviderId(address account) external view returns (uint32) {
        return _hpByAccount[account];
    }

    /// @notice Number of Hardware Providers (ids run from 1 to this).
    /// @return the count
    function hardwareProviderCount() external view returns (uint256) {
        return _hpCount;
    }

    /// @notice Region `regionId`'s name.
    /// @param regionId an existing region
    /// @return the region's name
    function regionName(uint32 regionId) external view returns (string memory) {
        _requireRegion(regionId);
        return _string(_regionNames[regionId]);
    }

    /// @notice The region called `name` (0 if none).
    /// @param name a region name
    /// @return the region id or 0
    function regionIdByName(string calldata name) external view returns (uint32) {
        return _regionByName[_lookupKey(name)];
    }

    /// @notice Number of regions (ids run from 1 to this).
    /// @return the count
    function regionCount() external view returns (uint256) {
        return _regionCount;
    }

    /// @notice Hardware class `classId` of the catalogue.
    /// @param classId an existing class
    /// @return the class's specification
    function hardwareClass(uint32 classId) public view returns (HardwareClassSpec memory) {
        if (classId == 0 || classId > _classCount) revert UnknownHardwareClass(classId);
        StoredClass storage c = _classes[classId];
        return HardwareClassSpec({
            name: _string(c.name),
            capacityUnit: _string(c.capacityUnit),
            storageTbPerUnit: c.storageTbPerUnit,
            vcpus: c.vcpus,
            ramGb: c.ramGb,
            disks: c.disks,
            diskTb: c.diskTb,
            nicGbps: c.nicGbps
        });
    }

    /// @notice The hardware class called `name` (0 if none).
    /// @param name a class name
    /// @return the class id or 0
    function hardwareClassIdByName(string calldata name) external view returns (uint32) {
        return _classByName[_lookupKey(name)];
    }

    /// @notice Number of hardware classes (ids run from 1 to this).
    /// @return the count
    function hardwareClassCount() external view returns (uint256) {
        return _classCount;
    }

    /// @notice Economics and live counters of class `classId` in region `regionId` (all zero if the class is
    /// not enabled there).
    /// @param regionId the region
    /// @param classId the class
    /// @return info the pair's state
    function regionClass(uint32 regionId, uint32 classId) external view returns (RegionClassInfo memory info) {
        RegionClass storage rc = _regionClasses[regionId][classId];
        info.enabled = rc.enabled;
        info.enabledAt = rc.enabledAt;
        info.economics = RegionClassEconomics({
            collateralReqPerUnit: rc.collateralReqPerUnit,
            targetCapacity: rc.targetCapacity,
            releaseSchedule: rc.releaseSchedule,
            maximumBootstrapRelease: rc.maximumBootstrapRelease,
            protocolMargin: rc.protocolMargin
        });
        info.totalCapacity = rc.totalCapacity;
        info.utilizedCapacity = rc.utilizedCapacity;
        info.clusterCount = rc.clusterIds.length;
    }

    /// @notice The clusters of class `classId` in region `regionId`, in creation order (the order
    /// auto-placement tries them).
    /// @param regionId the region
    /// @param classId the class
    /// @return the cluster ids
    function regionClassClusterIds(uint32 regionId, uint32 classId) external view returns (uint32[] memory) {
        return _regionClasses[regionId][classId].clusterIds;
    }

    /// @notice Cluster `clusterId`.
    /// @param clusterId an existing cluster
    /// @return info its region, class, price, capacities, node count and name
    function cluster(uint32 clusterId) external view returns (ClusterInfo memory info) {
        Cluster storage c = _requireCluster(clusterId);
        info = ClusterInfo({
            regionId: c.regionId,
            classId: c.classId,
            createdAt: c.createdAt,
            maxPrice: c.maxPrice,
            totalCapacity: c.totalCapacity,
            utilizedCapacity: c.utilizedCapacity,
            nodeCount: c.nodeIds.length,
            name: _string(c.name)
        });
    }

    /// @notice The nodes in cluster `clusterId` (Registered, Validated and Booked; order changes when a
    /// node leaves: the last one takes its place).
    /// @param clusterId an existing cluster
    /// @return ids the node ids
    function clusterNodeIds(uint32 clusterId) external view returns (uint256[] memory ids) {
        uint32[] storage stored = _requireCluster(clusterId).nodeIds;
        ids = new uint256[](stored.length);
        for (uint256 i; i < ids.length; ++i) {
            ids[i] = stored[i];
        }
    }

    /// @notice The cluster called `name` (0 if none).
    /// @param name a cluster name
    /// @return the cluster id or 0
    function clusterIdByName(string calldata name) external view returns (uint32) {
        return _clusterByName[_lookupKey(name)];
    }

    /// @notice Number of clusters (ids run from 1 to this).
    /// @return the count
    function clusterCount() external view returns (uint256) {
        return _clusterCount;
    }

    /// @inheritdoc IRegistry
    function isHyperNodeRegistered(uint256 hyperNodeId) external view returns (bool) {
        return hyperNodeRegistry.isHyperNodeRegistered(hyperNodeId);
    }

    /// @notice Number of HyperNodes ever registered, retired ones included (forwarded).
    /// @return the count
    function hyperNodeCount() external view returns (uint256) {
        return hyperNodeRegistry.hyperNodeCount();
    }

    // ================================================================ internals

    function _registerNode(uint256 id, ScalerNodeParams calldata p, Batch memory b) private {
        RegionClass storage rc = _enabledRegionClass(p.regionId, p.classId);
        uint256 nameLength = bytes(p.name).length;
        if (nameLength == 0 || nameLength > MAX_NODE_NAME) revert InvalidNodeName(nameLength, MAX_NODE_NAME);
        _checkLocation(p.location);
        if (p.capacity == 0 || p.capacity > MAX_NODE_CAPACITY) {
            revert CapacityOutOfRange(p.capacity, MAX_NODE_CAPACITY);
        }
        if (p.reservationPrice == 0) revert ZeroReservationPrice();
        _checkMaxBookingDuration(p.maxBookingDuration);
        if (p.nodeRewardShare > HUNDRED_PERCENT) revert NodeRewardShareTooHigh(p.nodeRewardShare, HUNDRED_PERCENT);
        _claimDaemon(p.daemon, id);
        uint256 minimum =
            uint256(rc.collateralReqPerUnit) * b.marketFactor / WAD * p.capacity * b.minPercent / HUNDRED_PERCENT;
        if (p.collateralAmount < minimum) revert CollateralBelowMinimum(p.collateralAmount, minimum);

        uint32 clusterId = _place(p.regionId, p.classId, p.clusterId, rc, b);
        uint32[] storage members = _clusters[clusterId].nodeIds;
        StoredNode storage node = _nodes[id];
        node.status = ScalerNodeStatus.Registered;
        node.location = p.location;
        node.hpId = b.hpId;
        node.clusterId = clusterId;
        node.createdAt = uint64(block.timestamp);
        // forge-lint: disable-next-line(unsafe-typecast) members.length < maxNodes ≤ MAX_MAX_NODES_PER_CLUSTER
        node.clusterIndex = uint16(members.length);
        node.daemon = p.daemon;
        // forge-lint: disable-next-line(unsafe-typecast) ≤ MAX_MAX_BOOKING_DURATION, checked above
        node.maxBookingDuration = uint32(p.maxBookingDuration);
        // forge-lint: disable-next-line(unsafe-typecast) ≤ MAX_NODE_CAPACITY, checked above
        node.capacity = uint64(p.capacity);
        node.reservationPrice = p.reservationPrice;
        node.nodeRewardShare = p.nodeRewardShare;
        node.name = p.name;
        // forge-lint: disable-next-line(unsafe-typecast) registerScalerNodes reverts past type(uint32).max
        members.push(uint32(id));
        emit ScalerNodeRegistered(id, b.hpId, clusterId, p);
    }

    /// @dev The cluster a new node joins: the requested one (checked) or the first open one of its pair.
    function _place(uint32 regionId, uint32 classId, uint32 requested, RegionClass storage rc, Batch memory b)
        private
        view
        returns (uint32)
    {
        if (requested != 0) {
            Cluster storage c = _requireCluster(requested);
            if (c.regionId != regionId || c.classId != classId) {
                revert ClusterNotInRegionClass(requested, regionId, classId);
            }
            if (c.nodeIds.length >= b.maxNodes) revert ClusterFull(requested, b.maxNodes);
            return requested;
        }
        uint32[] storage ids = rc.clusterIds;
        uint256 i = (b.cursorRegion == regionId && b.cursorClass == classId) ? b.cursor : 0;
        for (; i < ids.length; ++i) {
            uint32 id = ids[i];
            if (_clusters[id].nodeIds.length < b.maxNodes) {
                (b.cursorRegion, b.cursorClass, b.cursor) = (regionId, classId, i);
                return id;
            }
        }
        revert NoOpenCluster(regionId, classId);
    }

    function _validate(uint256 nodeId) private {
        StoredNode storage node = _nodeWithStatus(nodeId, ScalerNodeStatus.Registered);
        node.status = ScalerNodeStatus.Validated;
        _moveStatus(ScalerNodeStatus.Registered, ScalerNodeStatus.Validated);
        _adjust(node, false, true);
        emit ScalerNodeValidated(nodeId, node.clusterId, node.capacity);
    }

    function _reject(uint256 nodeId, string calldata reason) private {
        StoredNode storage node = _nodeWithStatus(nodeId, ScalerNodeStatus.Registered);
        node.status = ScalerNodeStatus.Rejected;
        _moveStatus(ScalerNodeStatus.Registered, ScalerNodeStatus.Rejected);
        _leaveCluster(node);
        emit ScalerNodeRejected(nodeId, reason);
    }

    /// @dev Adds (or removes) the node's capacity to the total (or, with `utilized`, the utilised) capacity
    /// of its cluster, region-class, HP and the network.
    function _adjust(StoredNode storage node, bool utilized, bool add) private {
        uint128 capacity = node.capacity;
        Cluster storage c = _clusters[node.clusterId];
        RegionClass storage rc = _regionClasses[c.regionId][c.classId];
        HardwareProvider storage hp = _hps[node.hpId];
        if (utilized) {
            c.utilizedCapacity = _step(c.utilizedCapacity, capacity, add);
            rc.utilizedCapacity = _step(rc.utilizedCapacity, capacity, add);
            hp.utilizedCapacity = _step(hp.utilizedCapacity, capacity, add);
            _networkUtilizedCapacity = add ? _networkUtilizedCapacity + capacity : _networkUtilizedCapacity - capacity;
        } else {
            c.totalCapacity = _step(c.totalCapacity, capacity, add);
            rc.totalCapacity = _step(rc.totalCapacity, capacity, add);
            hp.totalCapacity = _step(hp.totalCapacity, capacity, add);
            _networkCapacity = add ? _networkCapacity + capacity : _networkCapacity - capacity;
        }
    }

    function _step(uint128 value, uint128 delta, bool add) private pure returns (uint128) {
        return add ? value + delta : value - delta;
    }

    /// @dev Removes the node from its cluster's list (swap with the last, pop) and releases its daemon key.
    function _leaveCluster(StoredNode storage node) private {
        uint32[] storage ids = _clusters[node.clusterId].nodeIds;
        uint256 position = node.clusterIndex;
        uint256 last = ids.length - 1;
        if (position != last) {
            uint32 moved = ids[last];
            ids[position] = moved;
            // forge-lint: disable-next-line(unsafe-typecast) positions stay below MAX_MAX_NODES_PER_CLUSTER
            _nodes[moved].clusterIndex = uint16(position);
        }
        ids.pop();
        delete _nodeByDaemon[node.daemon];
    }

    function _moveStatus(ScalerNodeStatus from, ScalerNodeStatus to) private {
        --_statusCount[from];
        ++_statusCount[to];
    }

    function _setEconomics(RegionClass storage rc, RegionClassEconomics calldata e) private {
        if (e.collateralReqPerUnit == 0) revert ZeroCollateralRequirement();
        if (e.targetCapacity == 0) revert ZeroTargetCapacity();
        if (e.releaseSchedule < MIN_RELEASE_SCHEDULE || e.releaseSchedule > MAX_RELEASE_SCHEDULE) {
            revert ReleaseScheduleOutOfRange(e.releaseSchedule, MIN_RELEASE_SCHEDULE, MAX_RELEASE_SCHEDULE);
        }
        if (e.protocolMargin > HUNDRED_PERCENT) revert ProtocolMarginTooHigh(e.protocolMargin, HUNDRED_PERCENT);
        rc.collateralReqPerUnit = e.collateralReqPerUnit;
        rc.targetCapacity = e.targetCapacity;
        rc.releaseSchedule = e.releaseSchedule;
        rc.maximumBootstrapRelease = e.maximumBootstrapRelease;
        rc.protocolMargin = e.protocolMargin;
    }

    function _requirement(uint256 perUnit, uint256 capacity) private view returns (uint256) {
        return perUnit * marketAdjustmentFactor / WAD * capacity;
    }

    function _claimDaemon(address daemon, uint256 nodeId) private {
        if (daemon == address(0)) revert ZeroDaemonKey();
        uint256 holder = _nodeByDaemon[daemon];
        if (holder != 0) revert DaemonKeyTaken(daemon, holder);
        _nodeByDaemon[daemon] = nodeId;
    }

    function _checkMaxBookingDuration(uint64 duration) private pure {
        if (duration < MIN_MAX_BOOKING_DURATION || duration > MAX_MAX_BOOKING_DURATION) {
            revert MaxBookingDurationOutOfRange(duration, MIN_MAX_BOOKING_DURATION, MAX_MAX_BOOKING_DURATION);
        }
    }

    function _checkBatch(uint256 n, uint256 values) private pure {
        if (n != values) revert LengthMismatch(n, values);
        if (n == 0 || n > MAX_BATCH) revert BatchSizeOutOfRange(n, MAX_BATCH);
    }

    function _checkLocation(bytes3 location) private pure {
        if (!Iso3166.isValid(location)) revert InvalidLocation(location);
    }

    /// @dev Position of the first byte outside printable ASCII without space (0x21..0x7e), or the length.
    function _firstNonPrintable(bytes calldata s) private pure returns (uint256 i) {
        for (; i < s.length; ++i) {
            if (s[i] <= 0x20 || s[i] >= 0x7f) return i;
        }
    }

    /// @dev The string stored left-aligned in `b` (up to its first zero byte).
    function _string(bytes32 b) private pure returns (string memory s) {
        uint256 length;
        while (length < 32 && b[length] != 0) ++length;
        s = new string(length);
        assembly ("memory-safe") {
            mstore(add(s, 32), b)
        }
    }

    /// @dev The lookup key of a region, class or cluster name (≤ 32 bytes, never a zero byte, so the
    /// zero-padded bytes32 is unambiguous); reverts unless 1..32 bytes of [A-Z0-9-] (`upper`) or [a-z0-9-].
    function _nameKey(string calldata name, bool upper) private pure returns (bytes32) {
        bytes calldata s = bytes(name);
        if (s.length == 0 || s.length > 32) revert InvalidName(name);
        // forge-lint: disable-next-line(unsafe-typecast) one-character literals
        (bytes1 lo, bytes1 hi) = upper ? (bytes1("A"), bytes1("Z")) : (bytes1("a"), bytes1("z"));
        for (uint256 i; i < s.length; ++i) {
            bytes1 ch = s[i];
            if (!((ch >= lo && ch <= hi) || (ch >= "0" && ch <= "9") || ch == "-")) revert InvalidName(name);
        }
        // forge-lint: disable-next-line(unsafe-typecast) s.length ≤ 32 was checked
        return bytes32(s);
    }

    /// @dev The key a name is stored under; names longer than 32 bytes map to the empty key (never used).
    function _lookupKey(string calldata name) private pure returns (bytes32) {
        // forge-lint: disable-next-line(unsafe-typecast) only names of ≤ 32 bytes reach the cast
        return bytes(name).length > 32 ? bytes32(0) : bytes32(bytes(name));
    }

    function _requireRegion(uint32 regionId) private view {
        if (regionId == 0 || regionId > _regionCount) revert UnknownRegion(regionId);
    }

    function _enabledRegionClass(uint32 regionId, uint32 classId) private view returns (RegionClass storage rc) {
        rc = _regionClasses[regionId][classId];
        if (!rc.enabled) {
            _requireRegion(regionId);
            revert ClassNotEnabled(regionId, classId);
        }
    }

    function _requireCluster(uint32 clusterId) private view returns (Cluster storage) {
        if (clusterId == 0 || clusterId > _clusterCount) revert UnknownCluster(clusterId);
        return _clusters[clusterId];
    }

    function _requireNode(uint256 nodeId) private view returns (StoredNode storage node) {
        node = _nodes[nodeId];
        if (node.status == ScalerNodeStatus.None) revert UnknownScalerNode(nodeId);
    }

    function _nodeWithStatus(uint256 nodeId, ScalerNodeStatus status) private view returns (StoredNode storage node) {
        node = _requireNode(nodeId);
        if (node.status != status) revert UnexpectedStatus(nodeId, node.status);
    }

    /// @dev A node of the caller that is Registered, Validated or Booked.
    function _ownedLiveNode(uint256 nodeId) private view returns (StoredNode storage node) {
        node = _requireNode(nodeId);
        if (_hps[node.hpId].account != msg.sender) revert NotNodeOwner(nodeId, msg.sender);
        ScalerNodeStatus s = node.status;
        if (s == ScalerNodeStatus.Rejected || s == ScalerNodeStatus.Offboarded) revert UnexpectedStatus(nodeId, s);
    }
}

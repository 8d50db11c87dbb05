// SPDX-License-Identifier: MIT
// Registry invariants: every counter the Registry maintains incrementally (per-status counts, cluster
// membership and sizes, capacity totals per cluster, region-class, HP and network, the daemon index)
// equals what is recomputed from the stored node records, whatever the sequence of registrations,
// validations, rejections, bookings, unbookings, offboardings, key rotations and cluster-size changes.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {InvariantTest} from "../utils/Invariant.sol";
import {Genesis} from "../utils/Genesis.sol";
import {Registry, RegionClassEconomics, HardwareClassSpec, ClusterInfo} from "../../src/registry/Registry.sol";
import {ScalerNode, ScalerNodeParams, ScalerNodeStatus} from "../../src/interfaces/IRegistry.sol";
import {Collateral} from "../../src/collateral/Collateral.sol";
import {ICNT} from "../../src/token/ICNT.sol";

/// Drives the Registry with bounded inputs; holds GOVERNANCE, OPERATOR and PROTOCOL on it.
contract RegistryHandler is Test {
    Registry public immutable registry;
    ICNT public immutable icnt;
    Collateral public immutable collateral;

    address[] public actors;
    uint32[2][] public pairs; // (regionId, classId) with clusters
    uint256 public depositedTotal; // ghost: ICNT the Collateral pulled at registration
    uint256 private _daemonNonce;
    mapping(bytes4 => uint256) public calls;

    constructor(Registry registry_, ICNT icnt_, Collateral collateral_, uint32[2][] memory pairs_) {
        registry = registry_;
        icnt = icnt_;
        collateral = collateral_;
        for (uint256 i; i < pairs_.length; ++i) {
            pairs.push(pairs_[i]);
        }
        for (uint256 i; i < 4; ++i) {
            actors.push(address(uint160(0x4B0000 + i)));
        }
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function pairCount() external view returns (uint256) {
        return pairs.length;
    }

    // ---------------------------------------------------------------- actions

    function registerHp(uint256 actorSeed) public {
        address a = actors[actorSeed % actors.length];
        if (registry.hardwareProviderId(a) != 0) return;
        assertTrue(icnt.transfer(a, 10_000_000e18));
        vm.startPrank(a);
        icnt.approve(address(collateral), type(uint256).max);
        registry.registerHardwareProvider();
        vm.stopPrank();
        calls[this.registerHp.selector]++;
    }

    function registerNodes(uint256 actorSeed, uint256 n, uint256 pairSeed, uint256 placementSeed, uint256 capSeed)
        external
    {
        address hp = actors[actorSeed % actors.length];
        if (registry.hardwareProviderId(hp) == 0) registerHp(actorSeed);
        uint32[2] memory pair = pairs[pairSeed % pairs.length];
        uint32[] memory clusterIds = registry.regionClassClusterIds(pair[0], pair[1]);
        uint256 maxNodes = registry.maxNodesPerCluster();
        uint256[] memory sizes = new uint256[](clusterIds.length);
        uint256 open;
        for (uint256 i; i < clusterIds.length; ++i) {
            sizes[i] = registry.cluster(clusterIds[i]).nodeCount;
            if (sizes[i] < maxNodes) open += maxNodes - sizes[i];
        }
        if (open == 0) return;
        n = bound(n, 1, open < 8 ? open : 8);

        ScalerNodeParams[] memory ps = new ScalerNodeParams[](n);
        uint256 total;
        for (uint256 i; i < n; ++i) {
            uint128 capacity = uint128(bound(uint256(keccak256(abi.encode(capSeed, i))), 1, 1_000));
            (, uint256 minimum) = registry.requiredCollateral(pair[0], pair[1], capacity);
            // explicit placement for every other node when that cluster has room, else automatic
            uint256 pick = uint256(keccak256(abi.encode(placementSeed, i)));
            uint32 clusterId;
            uint256 k = pick % clusterIds.length;
            if (pick % 2 == 0 && sizes[k] < maxNodes) {
                clusterId = clusterIds[k];
                sizes[k]++;
            } else {
                for (uint256 j; j < sizes.length; ++j) {
                    if (sizes[j] < maxNodes) {
                        sizes[j]++;
                        break;
                    }
                }
            }
            ps[i] = ScalerNodeParams({
                name: "inv-node",
                regionId: pair[0],
                classId: pair[1],
                clusterId: clusterId,
                location: i % 2 == 0 ? bytes3("DEU") : bytes3("USA"),
                capacity: capacity,
                reservationPrice: uint128(1e18 + i),
                maxBookingDuration: 180 days,
                nodeRewardShare: 5e18,
                daemon: address(uint160(0xDAE00000) + uint160(++_daemonNonce)),
                collateralAmount: minimum + (pick % 1_000),
                commitmentDuration: 1_080 days
            });
            total += ps[i].collateralAmount;
        }
        vm.prank(hp);
        registry.registerScalerNodes(ps);
        depositedTotal += total;
        calls[this.registerNodes.selector]++;
    }

    function validate(uint256 seed) external {
        (bool found, uint256 id) = _pick(seed, ScalerNodeStatus.Registered, ScalerNodeStatus.Registered);
        if (!found) return;
        registry.validateScalerNode(id);
        calls[this.validate.selector]++;
    }

    function reject(uint256 seed) external {
        (bool found, uint256 id) = _pick(seed, ScalerNodeStatus.Registered, ScalerNodeStatus.Registered);
        if (!found) return;
        registry.rejectScalerNode(id, "invariant");
        calls[this.reject.selector]++;
    }

    function book(uint256 seed, uint64 era) external {
        (bool found, uint256 id) = _pick(seed, ScalerNodeStatus.Validated, ScalerNodeStatus.Validated);
        if (!found) return;
        registry.markBooked(id, uint64(bound(era, 1, 1e9)));
        calls[this.book.selector]++;
    }

    function unbook(uint256 seed) external {
        (bool found, uint256 id) = _pick(seed, ScalerNodeStatus.Booked, ScalerNodeStatus.Booked);
        if (!found) return;
        registry.markUnbooked(id);
        calls[this.unbook.selector]++;
    }

    function offboard(uint256 seed) external {
        (bool found, uint256 id) = _pick(seed, ScalerNodeStatus.Registered, ScalerNodeStatus.Validated);
        if (!found) return;
        registry.markOffboarded(id);
        calls[this.offboard.selector]++;
    }

    function rotateDaemon(uint256 seed) external {
        (bool found, uint256 id) = _pick(seed, ScalerNodeStatus.Registered, ScalerNodeStatus.Booked);
        if (!found) return;
        ScalerNodeStatus s = registry.scalerNodeStatus(id);
        if (s == ScalerNodeStatus.Rejected) return;
        vm.prank(registry.scalerNodeOwner(id));
        registry.setDaemonKey(id, address(uint160(0xDAE00000) + uint160(++_daemonNonce)));
        calls[this.rotateDaemon.selector]++;
    }

    function setMaxNodesPerCluster(uint256 value) external {
        registry.setMaxNodesPerCluster(uint32(bound(value, 1, 8)));
        calls[this.setMaxNodesPerCluster.selector]++;
    }

    /// The first node at or after a seeded start whose status lies in [lo, hi] (enum order).
    function _pick(uint256 seed, ScalerNodeStatus lo, ScalerNodeStatus hi) private view returns (bool, uint256) {
        uint256 count = registry.scalerNodeCount();
        if (count == 0) return (false, 0);
        uint256 start = seed % count;
        for (uint256 k; k < count; ++k) {
            uint256 id = (start + k) % count + 1;
            ScalerNodeStatus s = registry.scalerNodeStatus(id);
            if (uint8(s) >= uint8(lo) && uint8(s) <= uint8(hi)) return (true, id);
        }
        return (false, 0);
    }
}

contract RegistryInvariantTest is InvariantTest {
    Registry internal registry;
    Collateral internal collateral;
    ICNT internal icnt;
    RegistryHandler internal handler;

    function setUp() public {
        (icnt,, registry, collateral) = Genesis.deployRegistry(address(0x7EA5));
        registry.setMaxNodesPerCluster(4);

        uint32 euw = registry.createRegion("EUW");
        uint32 use = registry.createRegion("USE");
        uint32 storageClass = registry.createHardwareClass(_spec("storage-s1"));
        uint32 gpu = registry.createHardwareClass(_spec("gpu-g1"));
        RegionClassEconomics memory e = Genesis.economics(50e18, 10_000, 0);
        registry.enableClassInRegion(euw, storageClass, e);
        registry.enableClassInRegion(euw, gpu, e);
        registry.enableClassInRegion(use, storageClass, e);
        registry.createCluster(euw, storageClass, "FRA-1", 1e18);
        registry.createCluster(euw, storageClass, "FRA-2", 1e18);
        registry.createCluster(euw, storageClass, "AMS-1", 1e18);
        registry.createCluster(euw, gpu, "FRA-GPU-1", 1e18);
        registry.createCluster(use, storageClass, "NYC-1", 1e18);
        registry.createCluster(use, storageClass, "NYC-2", 1e18);

        uint32[2][] memory pairs = new uint32[2][](3);
        pairs[0] = [euw, storageClass];
        pairs[1] = [euw, gpu];
        pairs[2] = [use, storageClass];
        handler = new RegistryHandler(registry, icnt, collateral, pairs);
        assertTrue(icnt.transfer(address(handler), 600_000_000e18));
        registry.grantRole(registry.GOVERNANCE_ROLE(), address(handler));
        registry.grantRole(registry.OPERATOR_ROLE(), address(handler));
        registry.grantRole(registry.PROTOCOL_ROLE(), address(handler));

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](9);
        selectors[0] = RegistryHandler.registerHp.selector;
        selectors[1] = RegistryHandler.registerNodes.selector;
        selectors[2] = RegistryHandler.validate.selector;
        selectors[3] = RegistryHandler.reject.selector;
        selectors[4] = RegistryHandler.book.selector;
        selectors[5] = RegistryHandler.unbook.selector;
        selectors[6] = RegistryHandler.offboard.selector;
        selectors[7] = RegistryHandler.rotateDaemon.selector;
        selectors[8] = RegistryHandler.setMaxNodesPerCluster.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    function _spec(string memory name) private pure returns (HardwareClassSpec memory) {
        return HardwareClassSpec({
            name: name, capacityUnit: "TB", storageTbPerUnit: 1, vcpus: 8, ramGb: 32, disks: 4, diskTb: 8, nicGbps: 10
        });
    }

    function _nodes() private view returns (ScalerNode[] memory nodes) {
        nodes = new ScalerNode[](registry.scalerNodeCount() + 1); // index = node id; [0] unused
        for (uint256 id = 1; id < nodes.length; ++id) {
            nodes[id] = registry.scalerNode(id);
        }
    }

    function _live(ScalerNodeStatus s) private pure returns (bool) {
        return s == ScalerNodeStatus.Registered || s == ScalerNodeStatus.Validated || s == ScalerNodeStatus.Booked;
    }

    function _counted(ScalerNodeStatus s) private pure returns (bool) {
        return s == ScalerNodeStatus.Validated || s == ScalerNodeStatus.Booked;
    }

    function invariant_statusCounts() public view {
        ScalerNode[] memory nodes = _nodes();
        uint256[6] memory counts;
        for (uint256 id = 1; id < nodes.length; ++id) {
            assertTrue(nodes[id].status != ScalerNodeStatus.None, "ids are dense");
            counts[uint8(nodes[id].status)]++;
        }
        uint256 sum;
        for (uint8 s; s < 6; ++s) {
            assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus(s)), counts[s], "per-status count");
            sum += counts[s];
        }
        assertEq(sum, registry.scalerNodeCount(), "statuses cover every node");
    }

    function invariant_clusterMembershipAndTotals() public view {
        ScalerNode[] memory nodes = _nodes();
        uint256 clusters = registry.clusterCount();
        for (uint32 c = 1; c <= clusters; ++c) {
            uint256 live;
            uint256 total;
            uint256 utilized;
            for (uint256 id = 1; id < nodes.length; ++id) {
                if (nodes[id].clusterId != c) continue;
                if (_live(nodes[id].status)) live++;
                if (_counted(nodes[id].status)) total += nodes[id].capacity;
                if (nodes[id].status == ScalerNodeStatus.Booked) utilized += nodes[id].capacity;
            }
            uint256[] memory members = registry.clusterNodeIds(c);
            assertEq(members.length, live, "cluster holds exactly its live nodes");
            for (uint256 i; i < members.length; ++i) {
                assertEq(nodes[members[i]].clusterId, c, "member of its own cluster");
                assertTrue(_live(nodes[members[i]].status), "members are live");
                for (uint256 j; j < i; ++j) {
                    assertTrue(members[i] != members[j], "no duplicates");
                }
            }
            ClusterInfo memory info = registry.cluster(c);
            assertEq(info.nodeCount, live, "cluster node count");
            assertEq(info.totalCapacity, total, "cluster total capacity");
            assertEq(info.utilizedCapacity, utilized, "cluster utilised capacity");
        }
    }

    function invariant_regionClassHpAndNetworkTotals() public view {
        ScalerNode[] memory nodes = _nodes();
        uint256 network;
        uint256 networkUtilized;
        for (uint256 p; p < handler.pairCount(); ++p) {
            (uint32 r, uint32 k) = (handler.pairs(p, 0), handler.pairs(p, 1));
            uint256 total;
            uint256 utilized;
            for (uint256 id = 1; id < nodes.length; ++id) {
                ClusterInfo memory c = registry.cluster(nodes[id].clusterId);
                if (c.regionId != r || c.classId != k) continue;
                if (_counted(nodes[id].status)) total += nodes[id].capacity;
                if (nodes[id].status == ScalerNodeStatus.Booked) utilized += nodes[id].capacity;
            }
            assertEq(registry.regionClass(r, k).totalCapacity, total, "region-class total");
            assertEq(registry.regionClass(r, k).utilizedCapacity, utilized, "region-class utilised");
            network += total;
            networkUtilized += utilized;
        }
        assertEq(registry.networkCapacity(), network, "network capacity");
        assertEq(registry.networkUtilizedCapacity(), networkUtilized, "network utilised");

        for (uint32 hp = 1; hp <= registry.hardwareProviderCount(); ++hp) {
            uint256 total;
            uint256 utilized;
            for (uint256 id = 1; id < nodes.length; ++id) {
                if (nodes[id].hpId != hp) continue;
                if (_counted(nodes[id].status)) total += nodes[id].capacity;
                if (nodes[id].status == ScalerNodeStatus.Booked) utilized += nodes[id].capacity;
            }
            assertEq(registry.hardwareProvider(hp).totalCapacity, total, "HP total");
            assertEq(registry.hardwareProvider(hp).utilizedCapacity, utilized, "HP utilised");
        }
    }

    function invariant_daemonIndexAndBookingEra() public view {
        ScalerNode[] memory nodes = _nodes();
        for (uint256 id = 1; id < nodes.length; ++id) {
            uint256 holder = registry.scalerNodeIdByDaemon(nodes[id].daemon);
            if (_live(nodes[id].status)) assertEq(holder, id, "live node owns its daemon key");
            else assertTrue(holder != id, "released key");
            if (nodes[id].status == ScalerNodeStatus.Booked) assertGt(nodes[id].activationEra, 0);
            else assertEq(nodes[id].activationEra, 0, "activation era only while booked");
        }
    }

    function invariant_collateralPulled() public view {
        assertEq(icnt.balanceOf(address(collateral)), handler.depositedTotal(), "deposits reached Collateral");
    }
}

// SPDX-License-Identifier: MIT
// Registry unit and fuzz tests: every external function's success path and each of its custom errors.
pragma solidity ^0.8.24;

import {RegistryFixture} from "./RegistryFixture.sol";
import {Genesis} from "../utils/Genesis.sol";
import {
    Registry,
    HardwareClassSpec,
    RegionClassEconomics,
    RegionClassInfo,
    ClusterInfo,
    HardwareProvider,
    HardwareProviderStatus
} from "../../src/registry/Registry.sol";
import {HyperNodeRegistry} from "../../src/registry/HyperNodeRegistry.sol";
import {ScalerNode, ScalerNodeParams, ScalerNodeStatus} from "../../src/interfaces/IRegistry.sol";
import {ICollateral} from "../../src/interfaces/ICollateral.sol";
import {Collateral} from "../../src/collateral/Collateral.sol";
import {ProtocolRoles} from "../../src/common/ProtocolRoles.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

contract RegistryTest is RegistryFixture {
    bytes32 internal GOVERNANCE;
    bytes32 internal OPERATOR;
    bytes32 internal PROTOCOL;

    function setUp() public override {
        super.setUp();
        GOVERNANCE = registry.GOVERNANCE_ROLE();
        OPERATOR = registry.OPERATOR_ROLE();
        PROTOCOL = registry.PROTOCOL_ROLE();
    }

    function _expectUnauthorized(address account, bytes32 role) internal {
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, role));
    }

    // ================================================================ construction and wiring

    function test_constructor_defaultsAndRoles() public view {
        assertEq(registry.minCollateralPercent(), 30e18);
        assertEq(registry.marketAdjustmentFactor(), 1e18);
        assertEq(registry.maxNodesPerCluster(), 50);
        assertEq(registry.MAX_BATCH(), 1_000);
        assertTrue(registry.hasRole(GOVERNANCE, address(this)));
        assertTrue(registry.hasRole(OPERATOR, address(this)));
        assertTrue(registry.hasRole(registry.EMERGENCY_ROLE(), address(this)));
        assertTrue(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), address(this)));
        HyperNodeRegistry hn = registry.hyperNodeRegistry();
        assertTrue(address(hn) != address(0));
        assertTrue(hn.hasRole(hn.DEFAULT_ADMIN_ROLE(), address(this)));
        assertTrue(hn.hasRole(hn.EMERGENCY_ROLE(), address(this)));
        assertEq(address(registry.collateral()), address(collateral));
    }

    function test_constructor_revertsOnZeroAdmin() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Registry(address(0));
    }

    function test_setCollateral() public {
        Registry r = new Registry(address(this));
        vm.expectEmit(true, true, true, true, address(r));
        emit Registry.CollateralSet(address(collateral));
        r.setCollateral(ICollateral(address(collateral)));
        assertEq(address(r.collateral()), address(collateral));
    }

    function test_setCollateral_errors() public {
        Registry r = new Registry(address(this));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        r.setCollateral(ICollateral(address(0)));
        _expectUnauthorized(STRANGER, GOVERNANCE);
        vm.prank(STRANGER);
        r.setCollateral(ICollateral(address(collateral)));
        r.setCollateral(ICollateral(address(collateral)));
        vm.expectRevert(abi.encodeWithSelector(Registry.CollateralAlreadySet.selector, address(collateral)));
        r.setCollateral(ICollateral(address(0xC0)));
    }

    // ================================================================ regions

    function test_createRegion() public {
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.RegionCreated(2, "US-EAST-1");
        uint32 id = registry.createRegion("US-EAST-1");
        assertEq(id, 2);
        assertEq(registry.regionCount(), 2);
        assertEq(registry.regionIdByName("US-EAST-1"), 2);
        assertEq(registry.regionIdByName("EUW"), euw);
        assertEq(registry.regionIdByName("NOPE"), 0);
        assertEq(registry.regionIdByName("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"), 0); // 33 bytes
        assertEq(registry.regionName(2), "US-EAST-1");
        string memory longest = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"; // 32 bytes
        uint32 id3 = registry.createRegion(longest);
        assertEq(registry.regionName(id3), longest);
        assertEq(registry.regionIdByName(longest), id3);
    }

    function test_createRegion_errors() public {
        string[5] memory bad = ["", "euw", "EU W", "EU_W", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"];
        for (uint256 i; i < bad.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(Registry.InvalidName.selector, bad[i]));
            registry.createRegion(bad[i]);
        }
        vm.expectRevert(abi.encodeWithSelector(Registry.NameTaken.selector, "EUW", euw));
        registry.createRegion("EUW");
        _expectUnauthorized(STRANGER, GOVERNANCE);
        vm.prank(STRANGER);
        registry.createRegion("APAC");
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownRegion.selector, 0));
        registry.regionName(0);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownRegion.selector, 2));
        registry.regionName(2);
    }

    // ================================================================ hardware classes

    function test_createHardwareClass() public {
        HardwareClassSpec memory spec = HardwareClassSpec({
            name: "gpu-h100",
            capacityUnit: "GPU",
            storageTbPerUnit: 0,
            vcpus: 224,
            ramGb: 2048,
            disks: 8,
            diskTb: 4,
            nicGbps: 400
        });
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.HardwareClassCreated(2, spec);
        uint32 id = registry.createHardwareClass(spec);
        assertEq(id, 2);
        assertEq(registry.hardwareClassCount(), 2);
        assertEq(registry.hardwareClassIdByName("gpu-h100"), 2);
        assertEq(registry.hardwareClassIdByName("storage-s1"), storageClass);
        assertEq(registry.hardwareClassIdByName("gpu-h200"), 0);
        HardwareClassSpec memory got = registry.hardwareClass(2);
        assertEq(keccak256(abi.encode(got)), keccak256(abi.encode(spec)));
        // a 16-byte unit and a 32-byte name survive the compact storage
        spec.name = "abcdefghijklmnopqrstuvwxyz-01234";
        spec.capacityUnit = "0123456789abcdef";
        id = registry.createHardwareClass(spec);
        assertEq(keccak256(abi.encode(registry.hardwareClass(id))), keccak256(abi.encode(spec)));
    }

    function test_createHardwareClass_errors() public {
        HardwareClassSpec memory spec = Genesis.storageClassSpec("Storage-S2");
        vm.expectRevert(abi.encodeWithSelector(Registry.InvalidName.selector, "Storage-S2"));
        registry.createHardwareClass(spec);
        spec.name = "";
        vm.expectRevert(abi.encodeWithSelector(Registry.InvalidName.selector, ""));
        registry.createHardwareClass(spec);
        spec.name = "storage-s1";
        vm.expectRevert(abi.encodeWithSelector(Registry.NameTaken.selector, "storage-s1", storageClass));
        registry.createHardwareClass(spec);
        spec.name = "storage-s2";
        string[3] memory badUnits = ["", "T B", "0123456789abcdefg"];
        for (uint256 i; i < badUnits.length; ++i) {
            spec.capacityUnit = badUnits[i];
            vm.expectRevert(abi.encodeWithSelector(Registry.InvalidCapacityUnit.selector, badUnits[i]));
            registry.createHardwareClass(spec);
        }
        spec.capacityUnit = "TB";
        _expectUnauthorized(STRANGER, GOVERNANCE);
        vm.prank(STRANGER);
        registry.createHardwareClass(spec);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownHardwareClass.selector, 0));
        registry.hardwareClass(0);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownHardwareClass.selector, 2));
        registry.hardwareClass(2);
    }

    // ================================================================ region-class economics

    function test_enableClassInRegion() public {
        uint32 r2 = registry.createRegion("USE");
        RegionClassEconomics memory e = _economics();
        e.protocolMargin = 0;
        vm.warp(block.timestamp + 5);
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ClassEnabledInRegion(r2, storageClass, e);
        registry.enableClassInRegion(r2, storageClass, e);
        RegionClassInfo memory info = registry.regionClass(r2, storageClass);
        assertTrue(info.enabled);
        assertEq(info.enabledAt, block.timestamp);
        assertEq(keccak256(abi.encode(info.economics)), keccak256(abi.encode(e)));
        assertEq(info.totalCapacity, 0);
        assertEq(info.clusterCount, 0);
        assertFalse(registry.regionClass(r2, 7).enabled);
        // default constants the deployer uses
        assertEq(registry.DEFAULT_RELEASE_SCHEDULE(), 1440 days);
        assertEq(registry.DEFAULT_PROTOCOL_MARGIN(), 25e18);
    }

    function test_enableClassInRegion_errors() public {
        RegionClassEconomics memory e = _economics();
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownRegion.selector, 9));
        registry.enableClassInRegion(9, storageClass, e);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownHardwareClass.selector, 9));
        registry.enableClassInRegion(euw, 9, e);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownHardwareClass.selector, 0));
        registry.enableClassInRegion(euw, 0, e);
        vm.expectRevert(abi.encodeWithSelector(Registry.ClassAlreadyEnabled.selector, euw, storageClass));
        registry.enableClassInRegion(euw, storageClass, e);
        uint32 r2 = registry.createRegion("USE");
        _expectEconomicsErrors(r2, true);
        _expectUnauthorized(STRANGER, GOVERNANCE);
        vm.prank(STRANGER);
        registry.enableClassInRegion(r2, storageClass, e);
    }

    function _expectEconomicsErrors(uint32 regionId, bool enable) internal {
        RegionClassEconomics memory e = _economics();
        e.collateralReqPerUnit = 0;
        vm.expectRevert(Registry.ZeroCollateralRequirement.selector);
        _applyEconomics(regionId, e, enable);
        e = _economics();
        e.targetCapacity = 0;
        vm.expectRevert(Registry.ZeroTargetCapacity.selector);
        _applyEconomics(regionId, e, enable);
        e = _economics();
        e.releaseSchedule = 1 days - 1;
        vm.expectRevert(
            abi.encodeWithSelector(Registry.ReleaseScheduleOutOfRange.selector, 1 days - 1, 1 days, 3600 days)
        );
        _applyEconomics(regionId, e, enable);
        e.releaseSchedule = 3600 days + 1;
        vm.expectRevert(
            abi.encodeWithSelector(Registry.ReleaseScheduleOutOfRange.selector, 3600 days + 1, 1 days, 3600 days)
        );
        _applyEconomics(regionId, e, enable);
        e = _economics();
        e.protocolMargin = 100e18 + 1;
        vm.expectRevert(abi.encodeWithSelector(Registry.ProtocolMarginTooHigh.selector, 100e18 + 1, 100e18));
        _applyEconomics(regionId, e, enable);
    }

    function _applyEconomics(uint32 regionId, RegionClassEconomics memory e, bool enable) internal {
        if (enable) registry.enableClassInRegion(regionId, storageClass, e);
        else registry.setRegionClassEconomics(regionId, storageClass, e);
    }

    function test_setRegionClassEconomics() public {
        uint256 id = _registerOne();
        assertEq(registry.collateralRequirement(id), 5_000e18);
        RegionClassEconomics memory e = _economics();
        e.collateralReqPerUnit = 80e18;
        e.releaseSchedule = 1 days;
        e.maximumBootstrapRelease = 0;
        e.protocolMargin = 100e18;
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.RegionClassEconomicsSet(euw, storageClass, e);
        registry.setRegionClassEconomics(euw, storageClass, e);
        assertEq(keccak256(abi.encode(registry.regionClass(euw, storageClass).economics)), keccak256(abi.encode(e)));
        assertEq(registry.collateralRequirement(id), 8_000e18); // existing nodes follow
    }

    function test_setRegionClassEconomics_errors() public {
        _expectEconomicsErrors(euw, false);
        uint32 r2 = registry.createRegion("USE");
        vm.expectRevert(abi.encodeWithSelector(Registry.ClassNotEnabled.selector, r2, storageClass));
        registry.setRegionClassEconomics(r2, storageClass, _economics());
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownRegion.selector, 77));
        registry.setRegionClassEconomics(77, storageClass, _economics());
        _expectUnauthorized(STRANGER, GOVERNANCE);
        vm.prank(STRANGER);
        registry.setRegionClassEconomics(euw, storageClass, _economics());
    }

    // ================================================================ clusters

    function test_createCluster() public {
        vm.warp(block.timestamp + 100);
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ClusterCreated(3, euw, storageClass, "FRA-3", 3e18);
        uint32 id = registry.createCluster(euw, storageClass, "FRA-3", 3e18);
        assertEq(id, 3);
        assertEq(registry.clusterCount(), 3);
        assertEq(registry.clusterIdByName("FRA-3"), 3);
        assertEq(registry.clusterIdByName("FRA-9"), 0);
        ClusterInfo memory c = registry.cluster(3);
        assertEq(c.regionId, euw);
        assertEq(c.classId, storageClass);
        assertEq(c.createdAt, block.timestamp);
        assertEq(c.maxPrice, 3e18);
        assertEq(c.nodeCount, 0);
        assertEq(c.name, "FRA-3");
        uint32[] memory ids = registry.regionClassClusterIds(euw, storageClass);
        assertEq(ids.length, 3);
        assertEq(ids[0], fra1);
        assertEq(ids[2], 3);
        assertEq(registry.regionClass(euw, storageClass).clusterCount, 3);
    }

    function test_createCluster_errors() public {
        uint32 r2 = registry.createRegion("USE");
        vm.expectRevert(abi.encodeWithSelector(Registry.ClassNotEnabled.selector, r2, storageClass));
        registry.createCluster(r2, storageClass, "NYC-1", MAX_PRICE);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownRegion.selector, 9));
        registry.createCluster(9, storageClass, "NYC-1", MAX_PRICE);
        vm.expectRevert(abi.encodeWithSelector(Registry.InvalidName.selector, "fra-3"));
        registry.createCluster(euw, storageClass, "fra-3", MAX_PRICE);
        vm.expectRevert(abi.encodeWithSelector(Registry.NameTaken.selector, "FRA-1", fra1));
        registry.createCluster(euw, storageClass, "FRA-1", MAX_PRICE);
        vm.expectRevert(Registry.ZeroMaxPrice.selector);
        registry.createCluster(euw, storageClass, "FRA-3", 0);
        _expectUnauthorized(STRANGER, GOVERNANCE);
        vm.prank(STRANGER);
        registry.createCluster(euw, storageClass, "FRA-3", MAX_PRICE);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownCluster.selector, 0));
        registry.cluster(0);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownCluster.selector, 3));
        registry.clusterNodeIds(3);
    }

    function test_createCluster_tooManyClusters() public {
        for (uint256 i = 2; i < 256; ++i) {
            registry.createCluster(euw, storageClass, string.concat("C-", vm.toString(i)), MAX_PRICE);
        }
        assertEq(registry.regionClass(euw, storageClass).clusterCount, 256);
        vm.expectRevert(abi.encodeWithSelector(Registry.TooManyClusters.selector, euw, storageClass, 256));
        registry.createCluster(euw, storageClass, "ONE-TOO-MANY", MAX_PRICE);
    }

    function test_setClusterMaxPrice() public {
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ClusterMaxPriceSet(fra1, MAX_PRICE, 5e18);
        registry.setClusterMaxPrice(fra1, 5e18);
        assertEq(registry.cluster(fra1).maxPrice, 5e18);
        vm.expectRevert(Registry.ZeroMaxPrice.selector);
        registry.setClusterMaxPrice(fra1, 0);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownCluster.selector, 9));
        registry.setClusterMaxPrice(9, 1);
        _expectUnauthorized(STRANGER, GOVERNANCE);
        vm.prank(STRANGER);
        registry.setClusterMaxPrice(fra1, 1);
    }

    // ================================================================ global parameters

    function test_setMinCollateralPercent() public {
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.MinCollateralPercentSet(30e18, 100e18);
        registry.setMinCollateralPercent(100e18);
        assertEq(registry.minCollateralPercent(), 100e18);
        registry.setMinCollateralPercent(1e18);
        assertEq(registry.minCollateralPercent(), 1e18);
        vm.expectRevert(
            abi.encodeWithSelector(Registry.MinCollateralPercentOutOfRange.selector, 1e18 - 1, 1e18, 100e18)
        );
        registry.setMinCollateralPercent(1e18 - 1);
        vm.expectRevert(
            abi.encodeWithSelector(Registry.MinCollateralPercentOutOfRange.selector, 100e18 + 1, 1e18, 100e18)
        );
        registry.setMinCollateralPercent(100e18 + 1);
        _expectUnauthorized(STRANGER, GOVERNANCE);
        vm.prank(STRANGER);
        registry.setMinCollateralPercent(50e18);
    }

    function test_setMarketAdjustmentFactor() public {
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.MarketAdjustmentFactorSet(1e18, 1e16);
        registry.setMarketAdjustmentFactor(1e16);
        assertEq(registry.marketAdjustmentFactor(), 1e16);
        registry.setMarketAdjustmentFactor(100e18);
        vm.expectRevert(
            abi.encodeWithSelector(Registry.MarketAdjustmentFactorOutOfRange.selector, 1e16 - 1, 1e16, 100e18)
        );
        registry.setMarketAdjustmentFactor(1e16 - 1);
        vm.expectRevert(
            abi.encodeWithSelector(Registry.MarketAdjustmentFactorOutOfRange.selector, 100e18 + 1, 1e16, 100e18)
        );
        registry.setMarketAdjustmentFactor(100e18 + 1);
        _expectUnauthorized(STRANGER, GOVERNANCE);
        vm.prank(STRANGER);
        registry.setMarketAdjustmentFactor(2e18);
    }

    function test_setMaxNodesPerCluster() public {
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.MaxNodesPerClusterSet(50, 1_000);
        registry.setMaxNodesPerCluster(1_000);
        assertEq(registry.maxNodesPerCluster(), 1_000);
        registry.setMaxNodesPerCluster(1);
        vm.expectRevert(abi.encodeWithSelector(Registry.MaxNodesPerClusterOutOfRange.selector, 0, 1, 1_000));
        registry.setMaxNodesPerCluster(0);
        vm.expectRevert(abi.encodeWithSelector(Registry.MaxNodesPerClusterOutOfRange.selector, 1_001, 1, 1_000));
        registry.setMaxNodesPerCluster(1_001);
        _expectUnauthorized(STRANGER, GOVERNANCE);
        vm.prank(STRANGER);
        registry.setMaxNodesPerCluster(10);
    }

    // ================================================================ Hardware Providers

    function test_registerHardwareProvider() public {
        vm.warp(block.timestamp + 7);
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.HardwareProviderRegistered(2, HP2);
        vm.prank(HP2);
        uint32 id = registry.registerHardwareProvider();
        assertEq(id, 2);
        assertEq(registry.hardwareProviderCount(), 2);
        assertEq(registry.hardwareProviderId(HP2), 2);
        assertEq(registry.hardwareProviderId(STRANGER), 0);
        HardwareProvider memory hp = registry.hardwareProvider(2);
        assertEq(hp.account, HP2);
        assertTrue(hp.status == HardwareProviderStatus.Registered);
        assertEq(hp.registeredAt, block.timestamp);
        assertEq(hp.totalCapacity, 0);
        assertTrue(registry.hardwareProvider(3).status == HardwareProviderStatus.None);
    }

    function test_registerHardwareProvider_errors() public {
        vm.expectRevert(abi.encodeWithSelector(Registry.AlreadyHardwareProvider.selector, HP, 1));
        vm.prank(HP);
        registry.registerHardwareProvider();
        registry.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(HP2);
        registry.registerHardwareProvider();
    }

    // ================================================================ ScalerNode registration

    function test_registerScalerNodes_one() public {
        ScalerNodeParams memory p = _params();
        uint256 balanceBefore = icnt.balanceOf(HP);
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ScalerNodeRegistered(1, 1, fra1, p);
        vm.expectEmit(true, true, true, true, address(collateral));
        emit Collateral.CollateralDeposited(
            1, HP, MIN_DEPOSIT, uint64(block.timestamp), uint64(block.timestamp + 1080 days)
        );
        uint256 id = _register(HP, _one(p));
        assertEq(id, 1);

        ScalerNode memory n = registry.scalerNode(1);
        assertTrue(n.status == ScalerNodeStatus.Registered);
        assertEq(bytes32(n.location), bytes32(bytes3("DEU")));
        assertEq(n.hpId, 1);
        assertEq(n.clusterId, fra1);
        assertEq(n.createdAt, block.timestamp);
        assertEq(n.activationEra, 0);
        assertEq(n.daemon, p.daemon);
        assertEq(n.maxBookingDuration, 360 days);
        assertEq(n.capacity, CAPACITY);
        assertEq(n.reservationPrice, 2e18);
        assertEq(n.nodeRewardShare, 10e18);
        assertEq(n.name, "fra-node");

        assertEq(registry.scalerNodeCount(), 1);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Registered), 1);
        assertTrue(registry.scalerNodeStatus(1) == ScalerNodeStatus.Registered);
        assertEq(registry.scalerNodeOwner(1), HP);
        assertEq(registry.scalerNodeIdByDaemon(p.daemon), 1);
        (uint32 r, uint32 c) = registry.scalerNodeRegionClass(1);
        assertEq(r, euw);
        assertEq(c, storageClass);
        assertEq(registry.collateralRequirement(1), 5_000e18);
        assertEq(registry.clusterNodeIds(fra1).length, 1);
        assertEq(registry.clusterNodeIds(fra1)[0], 1);
        assertEq(registry.cluster(fra1).nodeCount, 1);
        assertEq(registry.cluster(fra1).totalCapacity, 0); // only Validated/Booked count
        assertEq(registry.networkCapacity(), 0);
        // the real Collateral pulled the deposit
        assertEq(collateral.collateralOf(1), MIN_DEPOSIT);
        assertEq(icnt.balanceOf(HP), balanceBefore - MIN_DEPOSIT);
        assertEq(icnt.balanceOf(address(collateral)), MIN_DEPOSIT);
    }

    function test_registerScalerNodes_batchIsConsecutive() public {
        _registerOne();
        ScalerNodeParams[] memory ps = _batch(3);
        ps[1].clusterId = fra2;
        ps[2].collateralAmount = 5_000e18;
        uint256 first = _register(HP, ps);
        assertEq(first, 2);
        assertEq(registry.scalerNodeCount(), 4);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Registered), 4);
        assertEq(registry.scalerNode(3).clusterId, fra2);
        assertEq(registry.scalerNode(4).clusterId, fra1);
        assertEq(registry.scalerNodeIdByDaemon(ps[2].daemon), 4);
        assertEq(collateral.collateralOf(4), 5_000e18);
        assertEq(collateral.shortfall(4), 0);
        assertEq(collateral.shortfall(2), 3_500e18);
        assertEq(registry.clusterNodeIds(fra1).length, 3);
    }

    function test_registerScalerNodes_maxBatch() public {
        registry.setMaxNodesPerCluster(1_000);
        uint256 first = _register(HP, _batch(1_000));
        assertEq(first, 1);
        assertEq(registry.scalerNodeCount(), 1_000);
        assertEq(registry.clusterNodeIds(fra1).length, 1_000);
        assertEq(collateral.collateralOf(1_000), MIN_DEPOSIT);
    }

    function test_registerScalerNodes_autoPlacementFillsClustersInOrder() public {
        registry.setMaxNodesPerCluster(2);
        ScalerNodeParams[] memory ps = _batch(3);
        _register(HP, ps);
        assertEq(registry.scalerNode(1).clusterId, fra1);
        assertEq(registry.scalerNode(2).clusterId, fra1);
        assertEq(registry.scalerNode(3).clusterId, fra2);
        // a freed slot in FRA-1 is taken first again
        registry.rejectScalerNode(1, "bad disks");
        _registerOne();
        assertEq(registry.scalerNode(4).clusterId, fra1);
        _registerOne();
        assertEq(registry.scalerNode(5).clusterId, fra2);
        vm.expectRevert(abi.encodeWithSelector(Registry.NoOpenCluster.selector, euw, storageClass));
        _registerOne();
        // explicit placement into a full cluster
        ScalerNodeParams memory p = _params();
        p.clusterId = fra1;
        vm.expectRevert(abi.encodeWithSelector(Registry.ClusterFull.selector, fra1, 2));
        _register(HP, _one(p));
    }

    function test_registerScalerNodes_cursorSkipsExplicitlyFilledCluster() public {
        registry.setMaxNodesPerCluster(2);
        ScalerNodeParams[] memory ps = _batch(4);
        // auto, explicit FRA-1 (fills it), auto (must skip to FRA-2), auto (FRA-2)
        ps[1].clusterId = fra1;
        _register(HP, ps);
        assertEq(registry.scalerNode(1).clusterId, fra1);
        assertEq(registry.scalerNode(2).clusterId, fra1);
        assertEq(registry.scalerNode(3).clusterId, fra2);
        assertEq(registry.scalerNode(4).clusterId, fra2);
    }

    function test_registerScalerNodes_mixedRegionClassesInOneBatch() public {
        uint32 r2 = registry.createRegion("USE");
        registry.enableClassInRegion(r2, storageClass, _economics());
        uint32 nyc = registry.createCluster(r2, storageClass, "NYC-1", MAX_PRICE);
        ScalerNodeParams[] memory ps = _batch(4);
        ps[1].regionId = r2;
        ps[1].location = "USA";
        ps[3].regionId = r2;
        _register(HP, ps);
        assertEq(registry.scalerNode(1).clusterId, fra1);
        assertEq(registry.scalerNode(2).clusterId, nyc);
        assertEq(registry.scalerNode(3).clusterId, fra1);
        assertEq(registry.scalerNode(4).clusterId, nyc);
    }

    function test_registerScalerNodes_batchErrors() public {
        vm.expectRevert(abi.encodeWithSelector(Registry.BatchSizeOutOfRange.selector, 0, 1_000));
        _register(HP, new ScalerNodeParams[](0));
        vm.expectRevert(abi.encodeWithSelector(Registry.BatchSizeOutOfRange.selector, 1_001, 1_000));
        _register(HP, new ScalerNodeParams[](1_001));
        ScalerNodeParams[] memory ps = _one(_params());
        vm.expectRevert(abi.encodeWithSelector(Registry.NotHardwareProvider.selector, HP2));
        _register(HP2, ps);
        registry.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _register(HP, ps);
        registry.unpause();
        _register(HP, ps);
    }

    /// Node ids are stored as uint32 (cluster lists); the id space cannot wrap.
    function test_registerScalerNodes_idSpaceExhausted() public {
        // _scalerNodeCount: slot 1, bytes 21..24 (after `_paused` and `collateral`)
        bytes32 slot = bytes32(uint256(1));
        uint256 word = uint256(vm.load(address(registry), slot));
        word = (word & ~(uint256(type(uint32).max) << 168)) | (uint256(type(uint32).max - 1) << 168);
        vm.store(address(registry), slot, bytes32(word));
        assertEq(registry.scalerNodeCount(), type(uint32).max - 1);
        assertEq(address(registry.collateral()), address(collateral));
        vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 32, 1 << 32));
        _register(HP, _batch(2));
        assertEq(_registerOne(), type(uint32).max);
        assertEq(registry.clusterNodeIds(fra1)[0], type(uint32).max);
    }

    function test_registerScalerNodes_collateralNotSet() public {
        Registry r = new Registry(address(this));
        vm.prank(HP);
        r.registerHardwareProvider();
        ScalerNodeParams[] memory ps = _one(_params());
        vm.expectRevert(Registry.CollateralNotSet.selector);
        vm.prank(HP);
        r.registerScalerNodes(ps);
    }

    function test_registerScalerNodes_fieldErrors() public {
        ScalerNodeParams memory p = _params();
        p.regionId = 0;
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.UnknownRegion.selector, 0));
        p.regionId = 5;
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.UnknownRegion.selector, 5));

        p = _params();
        p.classId = 4;
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.ClassNotEnabled.selector, euw, 4));

        p = _params();
        p.clusterId = 9;
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.UnknownCluster.selector, 9));
        uint32 r2 = registry.createRegion("USE");
        registry.enableClassInRegion(r2, storageClass, _economics());
        uint32 nyc = registry.createCluster(r2, storageClass, "NYC-1", MAX_PRICE);
        p.clusterId = nyc;
        _expectRegisterRevert(
            p, abi.encodeWithSelector(Registry.ClusterNotInRegionClass.selector, nyc, euw, storageClass)
        );
        uint32 gpu = registry.createHardwareClass(Genesis.storageClassSpec("gpu-1"));
        registry.enableClassInRegion(euw, gpu, _economics());
        p.clusterId = fra1;
        p.classId = gpu;
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.ClusterNotInRegionClass.selector, fra1, euw, gpu));
        p.clusterId = 0;
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.NoOpenCluster.selector, euw, gpu));

        p = _params();
        p.name = "";
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.InvalidNodeName.selector, 0, 30));
        p.name = "0123456789012345678901234567890"; // 31 bytes
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.InvalidNodeName.selector, 31, 30));

        p = _params();
        p.location = "XXX";
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.InvalidLocation.selector, bytes3("XXX")));
        p.location = "deu";
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.InvalidLocation.selector, bytes3("deu")));

        p = _params();
        p.capacity = 0;
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.CapacityOutOfRange.selector, 0, type(uint64).max));
        p.capacity = uint128(type(uint64).max) + 1;
        _expectRegisterRevert(
            p,
            abi.encodeWithSelector(
                Registry.CapacityOutOfRange.selector, uint256(type(uint64).max) + 1, type(uint64).max
            )
        );

        p = _params();
        p.reservationPrice = 0;
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.ZeroReservationPrice.selector));

        p = _params();
        p.maxBookingDuration = 180 days - 1;
        _expectRegisterRevert(
            p, abi.encodeWithSelector(Registry.MaxBookingDurationOutOfRange.selector, 180 days - 1, 180 days, 3600 days)
        );
        p.maxBookingDuration = 3600 days + 1;
        _expectRegisterRevert(
            p,
            abi.encodeWithSelector(Registry.MaxBookingDurationOutOfRange.selector, 3600 days + 1, 180 days, 3600 days)
        );

        p = _params();
        p.nodeRewardShare = 100e18 + 1;
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.NodeRewardShareTooHigh.selector, 100e18 + 1, 100e18));

        p = _params();
        p.daemon = address(0);
        _expectRegisterRevert(p, abi.encodeWithSelector(Registry.ZeroDaemonKey.selector));

        p = _params();
        p.collateralAmount = MIN_DEPOSIT - 1;
        _expectRegisterRevert(
            p, abi.encodeWithSelector(Registry.CollateralBelowMinimum.selector, MIN_DEPOSIT - 1, MIN_DEPOSIT)
        );

        // the Collateral contract's own check (commitment) reverts the whole registration
        p = _params();
        p.commitmentDuration = 1080 days - 1;
        _expectRegisterRevert(
            p, abi.encodeWithSelector(Collateral.CommitmentTooShort.selector, 1080 days - 1, 1080 days)
        );
        assertEq(registry.scalerNodeCount(), 0);
    }

    function test_registerScalerNodes_boundaryValuesAccepted() public {
        RegionClassEconomics memory e = _economics();
        e.collateralReqPerUnit = 1; // so the largest capacity needs only ~18 ICNT
        registry.setRegionClassEconomics(euw, storageClass, e);
        ScalerNodeParams memory p = _params();
        p.name = "012345678901234567890123456789"; // 30 bytes
        p.capacity = type(uint64).max;
        p.collateralAmount = uint256(type(uint64).max) * 30 / 100;
        p.maxBookingDuration = 180 days;
        p.nodeRewardShare = 100e18;
        p.reservationPrice = 1;
        assertTrue(icnt.transfer(HP, p.collateralAmount));
        uint256 id = _register(HP, _one(p));
        p = _params();
        p.maxBookingDuration = 3600 days;
        p.nodeRewardShare = 0;
        _register(HP, _one(p));
        assertEq(registry.scalerNode(id).name, "012345678901234567890123456789");
        assertEq(registry.collateralRequirement(id), type(uint64).max);
    }

    function test_registerScalerNodes_daemonKeyTaken() public {
        ScalerNodeParams memory p = _params();
        _register(HP, _one(p));
        ScalerNodeParams memory q = _params();
        q.daemon = p.daemon;
        _expectRegisterRevert(q, abi.encodeWithSelector(Registry.DaemonKeyTaken.selector, p.daemon, 1));
        // twice in one batch
        ScalerNodeParams[] memory ps = _batch(2);
        ps[1].daemon = ps[0].daemon;
        vm.expectRevert(abi.encodeWithSelector(Registry.DaemonKeyTaken.selector, ps[0].daemon, 2));
        _register(HP, ps);
    }

    function _expectRegisterRevert(ScalerNodeParams memory p, bytes memory err) internal {
        ScalerNodeParams[] memory ps = _one(p);
        vm.expectRevert(err);
        vm.prank(HP);
        registry.registerScalerNodes(ps);
    }

    // ================================================================ HP node settings

    function test_setDaemonKey() public {
        uint256 id = _registerOne();
        address old = registry.scalerNode(id).daemon;
        address fresh = address(0xFEED);
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.DaemonKeySet(id, old, fresh);
        vm.prank(HP);
        registry.setDaemonKey(id, fresh);
        assertEq(registry.scalerNode(id).daemon, fresh);
        assertEq(registry.scalerNodeIdByDaemon(fresh), id);
        assertEq(registry.scalerNodeIdByDaemon(old), 0);
        // the old key is free for another node
        ScalerNodeParams memory p = _params();
        p.daemon = old;
        uint256 id2 = _register(HP, _one(p));
        assertEq(registry.scalerNodeIdByDaemon(old), id2);
        // Validated and Booked nodes rotate too
        registry.validateScalerNode(id);
        vm.prank(HP);
        registry.setDaemonKey(id, address(0xFEED2));
        registry.markBooked(id, 5);
        vm.prank(HP);
        registry.setDaemonKey(id, address(0xFEED3));
        assertEq(registry.scalerNode(id).daemon, address(0xFEED3));
    }

    function test_setDaemonKey_errors() public {
        uint256 id = _registerOne();
        uint256 id2 = _registerOne();
        address taken = registry.scalerNode(id2).daemon;
        vm.startPrank(HP);
        vm.expectRevert(Registry.ZeroDaemonKey.selector);
        registry.setDaemonKey(id, address(0));
        vm.expectRevert(abi.encodeWithSelector(Registry.DaemonKeyTaken.selector, taken, id2));
        registry.setDaemonKey(id, taken);
        address own = registry.scalerNode(id).daemon;
        vm.expectRevert(abi.encodeWithSelector(Registry.DaemonKeyTaken.selector, own, id));
        registry.setDaemonKey(id, own);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownScalerNode.selector, 99));
        registry.setDaemonKey(99, address(0xFEED));
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(Registry.NotNodeOwner.selector, id, HP2));
        vm.prank(HP2);
        registry.setDaemonKey(id, address(0xFEED));
        registry.rejectScalerNode(id, "no");
        vm.expectRevert(abi.encodeWithSelector(Registry.UnexpectedStatus.selector, id, ScalerNodeStatus.Rejected));
        vm.prank(HP);
        registry.setDaemonKey(id, address(0xFEED));
        registry.markOffboarded(id2);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnexpectedStatus.selector, id2, ScalerNodeStatus.Offboarded));
        vm.prank(HP);
        registry.setDaemonKey(id2, address(0xFEED));
        registry.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(HP);
        registry.setDaemonKey(id, address(0xFEED));
    }

    function test_setReservationPrice() public {
        uint256 a = _registerOne();
        uint256 b = _registerValidated();
        uint128[] memory prices = new uint128[](2);
        (prices[0], prices[1]) = (1, 7e18);
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ReservationPriceSet(a, 1);
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ReservationPriceSet(b, 7e18);
        vm.prank(HP);
        registry.setReservationPrice(_ids(a, b), prices);
        assertEq(registry.scalerNode(a).reservationPrice, 1);
        assertEq(registry.scalerNode(b).reservationPrice, 7e18);
    }

    function test_setReservationPrice_errors() public {
        uint256 a = _registerOne();
        uint128[] memory one = new uint128[](1);
        one[0] = 1e18;
        vm.startPrank(HP);
        vm.expectRevert(abi.encodeWithSelector(Registry.LengthMismatch.selector, 2, 1));
        registry.setReservationPrice(_ids(a, a), one);
        vm.expectRevert(abi.encodeWithSelector(Registry.BatchSizeOutOfRange.selector, 0, 1_000));
        registry.setReservationPrice(new uint256[](0), new uint128[](0));
        vm.expectRevert(abi.encodeWithSelector(Registry.BatchSizeOutOfRange.selector, 1_001, 1_000));
        registry.setReservationPrice(new uint256[](1_001), new uint128[](1_001));
        one[0] = 0;
        vm.expectRevert(Registry.ZeroReservationPrice.selector);
        registry.setReservationPrice(_ids(a), one);
        vm.stopPrank();
        one[0] = 1;
        vm.expectRevert(abi.encodeWithSelector(Registry.NotNodeOwner.selector, a, STRANGER));
        vm.prank(STRANGER);
        registry.setReservationPrice(_ids(a), one);
        registry.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(HP);
        registry.setReservationPrice(_ids(a), one);
    }

    function test_setMaxBookingDuration() public {
        uint256 a = _registerOne();
        uint64[] memory d = new uint64[](1);
        d[0] = 720 days;
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.MaxBookingDurationSet(a, 720 days);
        vm.prank(HP);
        registry.setMaxBookingDuration(_ids(a), d);
        assertEq(registry.scalerNode(a).maxBookingDuration, 720 days);

        vm.startPrank(HP);
        d[0] = 179 days;
        vm.expectRevert(
            abi.encodeWithSelector(Registry.MaxBookingDurationOutOfRange.selector, 179 days, 180 days, 3600 days)
        );
        registry.setMaxBookingDuration(_ids(a), d);
        vm.expectRevert(abi.encodeWithSelector(Registry.LengthMismatch.selector, 2, 1));
        registry.setMaxBookingDuration(_ids(a, a), d);
        vm.stopPrank();
        d[0] = 200 days;
        vm.expectRevert(abi.encodeWithSelector(Registry.NotNodeOwner.selector, a, HP2));
        vm.prank(HP2);
        registry.setMaxBookingDuration(_ids(a), d);
        registry.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(HP);
        registry.setMaxBookingDuration(_ids(a), d);
    }

    function test_setNodeRewardShare() public {
        uint256 a = _registerOne();
        uint128[] memory s = new uint128[](1);
        s[0] = 100e18;
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.NodeRewardShareSet(a, 100e18);
        vm.prank(HP);
        registry.setNodeRewardShare(_ids(a), s);
        assertEq(registry.scalerNode(a).nodeRewardShare, 100e18);

        vm.startPrank(HP);
        s[0] = 100e18 + 1;
        vm.expectRevert(abi.encodeWithSelector(Registry.NodeRewardShareTooHigh.selector, 100e18 + 1, 100e18));
        registry.setNodeRewardShare(_ids(a), s);
        vm.expectRevert(abi.encodeWithSelector(Registry.BatchSizeOutOfRange.selector, 0, 1_000));
        registry.setNodeRewardShare(new uint256[](0), new uint128[](0));
        vm.stopPrank();
        s[0] = 0;
        vm.expectRevert(abi.encodeWithSelector(Registry.NotNodeOwner.selector, a, HP2));
        vm.prank(HP2);
        registry.setNodeRewardShare(_ids(a), s);
        registry.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(HP);
        registry.setNodeRewardShare(_ids(a), s);
    }

    // ================================================================ operator

    function test_validateScalerNode() public {
        uint256 id = _registerOne();
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ScalerNodeValidated(id, fra1, CAPACITY);
        registry.validateScalerNode(id);
        assertTrue(registry.scalerNodeStatus(id) == ScalerNodeStatus.Validated);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Registered), 0);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Validated), 1);
        assertEq(registry.cluster(fra1).totalCapacity, CAPACITY);
        assertEq(registry.regionClass(euw, storageClass).totalCapacity, CAPACITY);
        assertEq(registry.hardwareProvider(1).totalCapacity, CAPACITY);
        assertEq(registry.networkCapacity(), CAPACITY);
        assertEq(registry.networkUtilizedCapacity(), 0);
    }

    function test_validateScalerNode_errors() public {
        uint256 id = _registerOne();
        _expectUnauthorized(STRANGER, OPERATOR);
        vm.prank(STRANGER);
        registry.validateScalerNode(id);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownScalerNode.selector, 5));
        registry.validateScalerNode(5);
        registry.validateScalerNode(id);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnexpectedStatus.selector, id, ScalerNodeStatus.Validated));
        registry.validateScalerNode(id);
    }

    function test_validateScalerNodes_batch() public {
        uint256 first = _register(HP, _batch(3));
        uint256[] memory ids = new uint256[](3);
        for (uint256 i; i < 3; ++i) {
            ids[i] = first + i;
        }
        registry.validateScalerNodes(ids);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Validated), 3);
        assertEq(registry.networkCapacity(), 3 * CAPACITY);
        // all or none
        uint256 id4 = _registerOne();
        vm.expectRevert(abi.encodeWithSelector(Registry.UnexpectedStatus.selector, first, ScalerNodeStatus.Validated));
        registry.validateScalerNodes(_ids(id4, first));
        assertTrue(registry.scalerNodeStatus(id4) == ScalerNodeStatus.Registered);
        _expectUnauthorized(STRANGER, OPERATOR);
        vm.prank(STRANGER);
        registry.validateScalerNodes(_ids(id4));
    }

    function test_rejectScalerNode() public {
        registry.setMaxNodesPerCluster(1);
        uint256 id = _registerOne(); // FRA-1, full
        address daemon = registry.scalerNode(id).daemon;
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ScalerNodeRejected(id, "daemon unreachable");
        registry.rejectScalerNode(id, "daemon unreachable");
        assertTrue(registry.scalerNodeStatus(id) == ScalerNodeStatus.Rejected);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Rejected), 1);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Registered), 0);
        assertEq(registry.clusterNodeIds(fra1).length, 0);
        assertEq(registry.scalerNodeIdByDaemon(daemon), 0);
        assertEq(registry.scalerNode(id).clusterId, fra1); // history kept
        // the HP re-registers the same server with the same daemon key in the freed slot
        ScalerNodeParams memory p = _params();
        p.daemon = daemon;
        uint256 again = _register(HP, _one(p));
        assertEq(registry.scalerNode(again).clusterId, fra1);
    }

    function test_rejectScalerNode_errors() public {
        uint256 id = _registerValidated();
        vm.expectRevert(abi.encodeWithSelector(Registry.UnexpectedStatus.selector, id, ScalerNodeStatus.Validated));
        registry.rejectScalerNode(id, "late");
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownScalerNode.selector, 0));
        registry.rejectScalerNode(0, "none");
        _expectUnauthorized(STRANGER, OPERATOR);
        vm.prank(STRANGER);
        registry.rejectScalerNode(id, "x");
    }

    function test_rejectScalerNodes_batch() public {
        uint256 first = _register(HP, _batch(3));
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ScalerNodeRejected(first, "batch");
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ScalerNodeRejected(first + 2, "batch");
        registry.rejectScalerNodes(_ids(first, first + 2), "batch");
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Rejected), 2);
        uint256[] memory left = registry.clusterNodeIds(fra1);
        assertEq(left.length, 1);
        assertEq(left[0], first + 1);
        _expectUnauthorized(STRANGER, OPERATOR);
        vm.prank(STRANGER);
        registry.rejectScalerNodes(_ids(first + 1), "x");
    }

    // ================================================================ protocol contracts

    function test_markBookedAndUnbooked() public {
        uint256 id = _registerValidated();
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ScalerNodeBooked(id, 42);
        registry.markBooked(id, 42);
        ScalerNode memory n = registry.scalerNode(id);
        assertTrue(n.status == ScalerNodeStatus.Booked);
        assertEq(n.activationEra, 42);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Booked), 1);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Validated), 0);
        assertEq(registry.cluster(fra1).utilizedCapacity, CAPACITY);
        assertEq(registry.regionClass(euw, storageClass).utilizedCapacity, CAPACITY);
        assertEq(registry.hardwareProvider(1).utilizedCapacity, CAPACITY);
        assertEq(registry.networkUtilizedCapacity(), CAPACITY);
        assertEq(registry.networkCapacity(), CAPACITY);

        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ScalerNodeUnbooked(id);
        registry.markUnbooked(id);
        n = registry.scalerNode(id);
        assertTrue(n.status == ScalerNodeStatus.Validated);
        assertEq(n.activationEra, 0);
        assertEq(registry.cluster(fra1).utilizedCapacity, 0);
        assertEq(registry.regionClass(euw, storageClass).utilizedCapacity, 0);
        assertEq(registry.hardwareProvider(1).utilizedCapacity, 0);
        assertEq(registry.networkUtilizedCapacity(), 0);
        assertEq(registry.networkCapacity(), CAPACITY);
    }

    function test_markBookedAndUnbooked_errors() public {
        uint256 id = _registerOne();
        vm.expectRevert(abi.encodeWithSelector(Registry.UnexpectedStatus.selector, id, ScalerNodeStatus.Registered));
        registry.markBooked(id, 1);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnexpectedStatus.selector, id, ScalerNodeStatus.Registered));
        registry.markUnbooked(id);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownScalerNode.selector, 9));
        registry.markBooked(9, 1);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownScalerNode.selector, 9));
        registry.markUnbooked(9);
        registry.validateScalerNode(id);
        registry.markBooked(id, 1);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnexpectedStatus.selector, id, ScalerNodeStatus.Booked));
        registry.markBooked(id, 2);
        _expectUnauthorized(STRANGER, PROTOCOL);
        vm.prank(STRANGER);
        registry.markBooked(id, 1);
        _expectUnauthorized(STRANGER, PROTOCOL);
        vm.prank(STRANGER);
        registry.markUnbooked(id);
    }

    function test_markOffboarded_validated() public {
        uint256 a = _registerValidated();
        uint256 b = _registerValidated();
        uint256 c = _registerValidated();
        address daemon = registry.scalerNode(a).daemon;
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ScalerNodeOffboarded(a, ScalerNodeStatus.Validated);
        registry.markOffboarded(a);
        assertTrue(registry.scalerNodeStatus(a) == ScalerNodeStatus.Offboarded);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Offboarded), 1);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Validated), 2);
        assertEq(registry.networkCapacity(), 2 * CAPACITY);
        assertEq(registry.cluster(fra1).totalCapacity, 2 * CAPACITY);
        assertEq(registry.regionClass(euw, storageClass).totalCapacity, 2 * CAPACITY);
        assertEq(registry.hardwareProvider(1).totalCapacity, 2 * CAPACITY);
        assertEq(registry.scalerNodeIdByDaemon(daemon), 0);
        // swap-and-pop: the last node took the freed position, and can itself leave correctly
        uint256[] memory ids = registry.clusterNodeIds(fra1);
        assertEq(ids.length, 2);
        assertEq(ids[0], c);
        assertEq(ids[1], b);
        registry.markOffboarded(c);
        ids = registry.clusterNodeIds(fra1);
        assertEq(ids.length, 1);
        assertEq(ids[0], b);
    }

    function test_markOffboarded_registered() public {
        uint256 a = _registerOne();
        vm.expectEmit(true, true, true, true, address(registry));
        emit Registry.ScalerNodeOffboarded(a, ScalerNodeStatus.Registered);
        registry.markOffboarded(a);
        assertEq(registry.networkCapacity(), 0);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Registered), 0);
        assertEq(registry.clusterNodeIds(fra1).length, 0);
    }

    function test_markOffboarded_errors() public {
        uint256 a = _registerValidated();
        registry.markBooked(a, 3);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnexpectedStatus.selector, a, ScalerNodeStatus.Booked));
        registry.markOffboarded(a);
        uint256 b = _registerOne();
        registry.rejectScalerNode(b, "x");
        vm.expectRevert(abi.encodeWithSelector(Registry.UnexpectedStatus.selector, b, ScalerNodeStatus.Rejected));
        registry.markOffboarded(b);
        registry.markUnbooked(a);
        registry.markOffboarded(a);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnexpectedStatus.selector, a, ScalerNodeStatus.Offboarded));
        registry.markOffboarded(a);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownScalerNode.selector, 77));
        registry.markOffboarded(77);
        _expectUnauthorized(STRANGER, PROTOCOL);
        vm.prank(STRANGER);
        registry.markOffboarded(a);
    }

    /// The Collateral contract offboards through PROTOCOL_ROLE when the HP exits a never-validated node.
    function test_markOffboarded_throughCollateralExit() public {
        uint256 a = _registerOne();
        registry.grantRole(PROTOCOL, address(collateral));
        vm.prank(HP);
        collateral.exit(a);
        assertTrue(registry.scalerNodeStatus(a) == ScalerNodeStatus.Offboarded);
        assertEq(registry.clusterNodeIds(fra1).length, 0);
    }

    /// Pause stops the user functions only: validation, bookings and Collateral's offboarding go on.
    function test_pause_leavesOperatorProtocolAndGovernanceCallsRunning() public {
        uint256 a = _registerOne();
        uint256 b = _registerOne();
        registry.pause();
        registry.validateScalerNode(a);
        registry.rejectScalerNode(b, "while paused");
        registry.markBooked(a, 1);
        registry.markUnbooked(a);
        registry.markOffboarded(a);
        registry.setMaxNodesPerCluster(10);
        registry.createRegion("APAC");
        _expectUnauthorized(STRANGER, registry.EMERGENCY_ROLE());
        vm.prank(STRANGER);
        registry.unpause();
        registry.unpause();
        _registerOne();
    }

    // ================================================================ views

    function test_views_unknownNode() public {
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownScalerNode.selector, 1));
        registry.scalerNode(1);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownScalerNode.selector, 1));
        registry.scalerNodeOwner(1);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownScalerNode.selector, 1));
        registry.collateralRequirement(1);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownScalerNode.selector, 1));
        registry.scalerNodeRegionClass(1);
        assertTrue(registry.scalerNodeStatus(1) == ScalerNodeStatus.None);
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.None), 0);
    }

    function test_requiredCollateral() public {
        (uint256 req, uint256 min) = registry.requiredCollateral(euw, storageClass, 100);
        assertEq(req, 5_000e18);
        assertEq(min, 1_500e18);
        registry.setMarketAdjustmentFactor(2e18);
        registry.setMinCollateralPercent(50e18);
        (req, min) = registry.requiredCollateral(euw, storageClass, 100);
        assertEq(req, 10_000e18);
        assertEq(min, 5_000e18);
        vm.expectRevert(abi.encodeWithSelector(Registry.ClassNotEnabled.selector, euw, 3));
        registry.requiredCollateral(euw, 3, 1);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownRegion.selector, 3));
        registry.requiredCollateral(3, storageClass, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                Registry.CapacityOutOfRange.selector, uint256(type(uint64).max) + 1, type(uint64).max
            )
        );
        registry.requiredCollateral(euw, storageClass, uint256(type(uint64).max) + 1);
    }

    function test_hyperNodeForwarding() public {
        HyperNodeRegistry hn = registry.hyperNodeRegistry();
        assertEq(registry.hyperNodeCount(), 0);
        assertFalse(registry.isHyperNodeRegistered(1));
        uint256 key = 0xA11CE;
        address operator = address(0x09E);
        bytes32 digest = MessageHashUtils.toEthSignedMessageHash(hn.hyperNodeKeyProofHash(operator));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        vm.prank(operator);
        uint256 id = hn.registerHyperNode(vm.addr(key), "CHE", "https://hn.example.org", abi.encodePacked(r, s, v));
        assertEq(registry.hyperNodeCount(), 1);
        assertTrue(registry.isHyperNodeRegistered(id));
        vm.prank(operator);
        hn.retireHyperNode(id);
        assertFalse(registry.isHyperNodeRegistered(id));
        assertEq(registry.hyperNodeCount(), 1);
    }

    // ================================================================ fuzz

    /// Any capacity, per-unit requirement, market factor and minimum percent: the quote, the stored
    /// requirement and the acceptance threshold all follow requirement = req × f / 1e18 × capacity.
    function testFuzz_collateralThreshold(
        uint128 capacity,
        uint128 perUnit,
        uint128 factor,
        uint128 percent,
        uint256 amount
    ) public {
        // requirement ≤ 1e6 × 1e18 × 100 = 100M ICNT, so twice the minimum stays within the test's supply
        capacity = uint128(bound(capacity, 1, 1e6));
        perUnit = uint128(bound(perUnit, 1, 1e18));
        factor = uint128(bound(factor, 1e16, 100e18));
        percent = uint128(bound(percent, 1e18, 100e18));
        RegionClassEconomics memory e = _economics();
        e.collateralReqPerUnit = perUnit;
        registry.setRegionClassEconomics(euw, storageClass, e);
        registry.setMarketAdjustmentFactor(factor);
        registry.setMinCollateralPercent(percent);

        uint256 requirement = uint256(perUnit) * factor / 1e18 * capacity;
        uint256 minimum = requirement * percent / 100e18;
        (uint256 quotedReq, uint256 quotedMin) = registry.requiredCollateral(euw, storageClass, capacity);
        assertEq(quotedReq, requirement);
        assertEq(quotedMin, minimum);

        amount = bound(amount, 0, minimum * 2 + 10);
        assertTrue(icnt.transfer(HP, amount));
        ScalerNodeParams memory p = _params();
        p.capacity = capacity;
        p.collateralAmount = amount;
        if (amount < minimum) {
            _expectRegisterRevert(p, abi.encodeWithSelector(Registry.CollateralBelowMinimum.selector, amount, minimum));
        } else {
            uint256 id = _register(HP, _one(p));
            assertEq(registry.collateralRequirement(id), requirement);
            assertEq(collateral.collateralOf(id), amount);
            assertEq(registry.scalerNode(id).capacity, capacity);
        }
    }

    /// Prices and durations within bounds are stored as given; out-of-bounds ones are rejected.
    function testFuzz_priceAndDurationSetters(uint128 price, uint64 duration, uint128 share) public {
        uint256 id = _registerOne();
        uint128[] memory prices = new uint128[](1);
        prices[0] = price;
        uint64[] memory durations = new uint64[](1);
        durations[0] = duration;
        uint128[] memory shares = new uint128[](1);
        shares[0] = share;
        vm.startPrank(HP);
        if (price == 0) vm.expectRevert(Registry.ZeroReservationPrice.selector);
        registry.setReservationPrice(_ids(id), prices);
        if (duration < 180 days || duration > 3600 days) {
            vm.expectRevert(
                abi.encodeWithSelector(Registry.MaxBookingDurationOutOfRange.selector, duration, 180 days, 3600 days)
            );
        }
        registry.setMaxBookingDuration(_ids(id), durations);
        if (share > 100e18) {
            vm.expectRevert(abi.encodeWithSelector(Registry.NodeRewardShareTooHigh.selector, share, 100e18));
        }
        registry.setNodeRewardShare(_ids(id), shares);
        vm.stopPrank();
        ScalerNode memory n = registry.scalerNode(id);
        assertEq(n.reservationPrice, price == 0 ? 2e18 : price);
        assertEq(n.maxBookingDuration, duration < 180 days || duration > 3600 days ? 360 days : duration);
        assertEq(n.nodeRewardShare, share > 100e18 ? 10e18 : share);
    }

    /// Batches of any size spread over the clusters of the pair, in order, with consecutive ids.
    function testFuzz_batchPlacement(uint256 n, uint32 perCluster, uint256 priorNodes) public {
        perCluster = uint32(bound(perCluster, 1, 20));
        registry.setMaxNodesPerCluster(perCluster);
        registry.createCluster(euw, storageClass, "FRA-3", MAX_PRICE);
        uint256 capacity = 3 * uint256(perCluster);
        priorNodes = bound(priorNodes, 0, capacity - 1);
        if (priorNodes > 0) _register(HP, _batch(priorNodes));
        n = bound(n, 1, 70);
        ScalerNodeParams[] memory ps = _batch(n);
        if (priorNodes + n > capacity) {
            vm.expectRevert(abi.encodeWithSelector(Registry.NoOpenCluster.selector, euw, storageClass));
            _register(HP, ps);
            return;
        }
        uint256 first = _register(HP, ps);
        assertEq(first, priorNodes + 1);
        for (uint256 i; i < n; ++i) {
            uint256 id = first + i;
            assertEq(registry.scalerNode(id).clusterId, uint32((id - 1) / perCluster + 1));
            assertEq(registry.scalerNodeIdByDaemon(ps[i].daemon), id);
        }
        assertEq(registry.scalerNodesWithStatus(ScalerNodeStatus.Registered), priorNodes + n);
        assertEq(icnt.balanceOf(address(collateral)), (priorNodes + n) * MIN_DEPOSIT);
    }

    /// Capacity totals at every level follow validate / book / unbook / offboard for any capacities.
    function testFuzz_capacityTotals(uint128 c1, uint128 c2, uint128 c3) public {
        c1 = uint128(bound(c1, 1, type(uint64).max));
        c2 = uint128(bound(c2, 1, type(uint64).max));
        c3 = uint128(bound(c3, 1, type(uint64).max));
        registry.setMinCollateralPercent(1e18);
        registry.setMarketAdjustmentFactor(1e16);
        RegionClassEconomics memory e = _economics();
        e.collateralReqPerUnit = 1;
        registry.setRegionClassEconomics(euw, storageClass, e);
        ScalerNodeParams[] memory ps = _batch(3);
        (ps[0].capacity, ps[1].capacity, ps[2].capacity) = (c1, c2, c3);
        ps[2].clusterId = fra2;
        uint256 first = _register(HP, ps);
        registry.validateScalerNodes(_ids(first, first + 1));
        registry.validateScalerNode(first + 2);
        registry.markBooked(first + 1, 9);
        registry.markOffboarded(first);
        uint256 total = uint256(c2) + c3;
        assertEq(registry.networkCapacity(), total);
        assertEq(registry.networkUtilizedCapacity(), c2);
        assertEq(registry.regionClass(euw, storageClass).totalCapacity, total);
        assertEq(registry.regionClass(euw, storageClass).utilizedCapacity, c2);
        assertEq(registry.hardwareProvider(1).totalCapacity, total);
        assertEq(registry.cluster(fra1).totalCapacity, c2);
        assertEq(registry.cluster(fra1).utilizedCapacity, c2);
        assertEq(registry.cluster(fra2).totalCapacity, c3);
        registry.markUnbooked(first + 1);
        assertEq(registry.networkUtilizedCapacity(), 0);
        assertEq(registry.hardwareProvider(1).utilizedCapacity, 0);
    }
}

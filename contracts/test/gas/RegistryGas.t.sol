// SPDX-License-Identifier: MIT
// Gas of ScalerNode batch registration (1 and 100 nodes, real Collateral pulling the deposit) and of the
// per-node status changes; the per-node figures are logged (forge test -vv) and the totals snapshotted.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {Genesis} from "../utils/Genesis.sol";
import {Registry} from "../../src/registry/Registry.sol";
import {ScalerNodeParams} from "../../src/interfaces/IRegistry.sol";
import {Collateral} from "../../src/collateral/Collateral.sol";
import {ICNT} from "../../src/token/ICNT.sol";

contract RegistryGasTest is Test {

    Registry private registry;
    Collateral private collateral;
    address private constant HP = address(0x4B01);
    uint32 private euw;
    uint32 private storageClass;

    function setUp() public {
        ICNT icnt;
        (icnt,, registry, collateral) = Genesis.deployRegistry(address(0x7EA5));
        (euw, storageClass,) = Genesis.createEuwStorage(registry, Genesis.economics(50e18, 100_000, 0), 2.8e18);
        registry.createCluster(euw, storageClass, "FRA-2", 2.8e18);
        // a node already in FRA-1, so the measured batches start in warm clusters like a live network
        assertTrue(icnt.transfer(HP, 10_000_000e18));
        vm.startPrank(HP);
        icnt.approve(address(collateral), type(uint256).max);
        registry.registerHardwareProvider();
        registry.registerScalerNodes(_batch(1, 1_000));
        vm.stopPrank();
    }

    function _batch(uint256 n, uint256 salt) private view returns (ScalerNodeParams[] memory ps) {
        ps = new ScalerNodeParams[](n);
        for (uint256 i; i < n; ++i) {
            ps[i] = ScalerNodeParams({
                name: "fra-node-0001",
                regionId: euw,
                classId: storageClass,
                clusterId: 0,
                location: "DEU",
                capacity: 100,
                reservationPrice: 2e18,
                maxBookingDuration: 360 days,
                nodeRewardShare: 10e18,
                daemon: address(uint160(0xDAE00000 + salt + i)),
                collateralAmount: 1_500e18,
                commitmentDuration: 1080 days
            });
        }
    }

    function _measure(uint256 n) private returns (uint256 used) {
        ScalerNodeParams[] memory ps = _batch(n, 2_000);
        vm.prank(HP);
        uint256 before = gasleft();
        registry.registerScalerNodes(ps);
        used = before - gasleft();
        emit log_named_uint(string.concat("registerScalerNodes(", vm.toString(n), ") gas"), used);
        emit log_named_uint("  per node", used / n);
    }

    function test_registerScalerNodes_1() public {
        _measure(1);
    }

    function test_registerScalerNodes_100() public {
        registry.setMaxNodesPerCluster(1_000);
        _measure(100);
    }

    function test_validateBookUnbook() public {
        uint256 before = gasleft();
        registry.validateScalerNode(1);
        emit log_named_uint("validateScalerNode gas", before - gasleft());
        registry.grantRole(registry.PROTOCOL_ROLE(), address(this));
        before = gasleft();
        registry.markBooked(1, 7);
        emit log_named_uint("markBooked gas", before - gasleft());
        before = gasleft();
        registry.markUnbooked(1);
        emit log_named_uint("markUnbooked gas", before - gasleft());
    }
}

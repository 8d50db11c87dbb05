// SPDX-License-Identifier: MIT
// Shared set-up for the Registry tests: real Registry, Collateral, ICNT and EraManager; one region, one
// storage class, two clusters and a funded Hardware Provider.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {Genesis} from "../utils/Genesis.sol";
import {
    Registry,
    RegionClassEconomics,
    RegionClassInfo,
    ClusterInfo,
    HardwareProvider
} from "../../src/registry/Registry.sol";
import {ScalerNode, ScalerNodeParams, ScalerNodeStatus} from "../../src/interfaces/IRegistry.sol";
import {Collateral} from "../../src/collateral/Collateral.sol";
import {EraManager} from "../../src/era/EraManager.sol";
import {ICNT} from "../../src/token/ICNT.sol";

abstract contract RegistryFixture is Test {
    Registry internal registry;
    Collateral internal collateral;
    ICNT internal icnt;
    EraManager internal eras;

    address internal constant TREASURY = address(0x7EA5);
    address internal constant HP = address(0x4B01);
    address internal constant HP2 = address(0x4B02);
    address internal constant STRANGER = address(0x5742);

    uint32 internal euw; // region "EUW"
    uint32 internal storageClass; // "storage-s1", enabled in EUW
    uint32 internal fra1; // cluster of (EUW, storage-s1)
    uint32 internal fra2; // cluster of (EUW, storage-s1)

    // 50 ICNT per TB: a 100 TB node needs 5,000 ICNT, of which 30 % (1,500) up front.
    uint128 internal constant REQ_PER_TB = 50e18;
    uint128 internal constant CAPACITY = 100;
    uint256 internal constant MIN_DEPOSIT = 1_500e18;
    uint128 internal constant MAX_PRICE = 2.8e18; // DESIGN §11: 2.8 ICNT per TB per month

    uint256 private _daemonNonce;

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        (icnt, eras, registry, collateral) = Genesis.deployRegistry(TREASURY);
        registry.grantRole(registry.PROTOCOL_ROLE(), address(this)); // the tests play the market

        (euw, storageClass, fra1) = Genesis.createEuwStorage(registry, _economics(), MAX_PRICE);
        fra2 = registry.createCluster(euw, storageClass, "FRA-2", MAX_PRICE);

        _makeHp(HP);
    }

    function _makeHp(address account) internal returns (uint32 hpId) {
        assertTrue(icnt.transfer(account, 50_000_000e18));
        vm.startPrank(account);
        icnt.approve(address(collateral), type(uint256).max);
        hpId = registry.registerHardwareProvider();
        vm.stopPrank();
    }

    /// The economics of (EUW, storage-s1) in these tests.
    function _economics() internal pure returns (RegionClassEconomics memory) {
        return Genesis.economics(REQ_PER_TB, 100_000, 1_000_000e18);
    }

    function _nextDaemon() internal returns (address) {
        return address(uint160(0xDAE0000) + uint160(++_daemonNonce));
    }

    /// A valid node for (EUW, storage-s1), auto-placed, with a fresh daemon key and the minimum deposit.
    function _params() internal returns (ScalerNodeParams memory p) {
        p = ScalerNodeParams({
            name: "fra-node",
            regionId: euw,
            classId: storageClass,
            clusterId: 0,
            location: "DEU",
            capacity: CAPACITY,
            reservationPrice: 2e18,
            maxBookingDuration: 360 days,
            nodeRewardShare: 10e18,
            daemon: _nextDaemon(),
            collateralAmount: MIN_DEPOSIT,
            commitmentDuration: 1080 days
        });
    }

    function _batch(uint256 n) internal returns (ScalerNodeParams[] memory ps) {
        ps = new ScalerNodeParams[](n);
        for (uint256 i; i < n; ++i) {
            ps[i] = _params();
        }
    }

    function _one(ScalerNodeParams memory p) internal pure returns (ScalerNodeParams[] memory ps) {
        ps = new ScalerNodeParams[](1);
        ps[0] = p;
    }

    function _register(address hp, ScalerNodeParams[] memory ps) internal returns (uint256 firstId) {
        vm.prank(hp);
        firstId = registry.registerScalerNodes(ps);
    }

    function _registerOne() internal returns (uint256) {
        return _register(HP, _one(_params()));
    }

    function _registerValidated() internal returns (uint256 id) {
        id = _registerOne();
        registry.validateScalerNode(id);
    }

    function _ids(uint256 a) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](1);
        ids[0] = a;
    }

    function _ids(uint256 a, uint256 b) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](2);
        (ids[0], ids[1]) = (a, b);
    }
}

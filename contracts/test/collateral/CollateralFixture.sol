// SPDX-License-Identifier: MIT
// Deploys the real ICN contracts Collateral and Delegation talk to, wired as in a deployment, for the collateral
// tests; with the base of their invariant handlers.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {Genesis} from "../utils/Genesis.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Vesting} from "../../src/token/Vesting.sol";
import {ReservePool} from "../../src/token/ReservePool.sol";
import {Treasury} from "../../src/token/Treasury.sol";
import {EraManager} from "../../src/era/EraManager.sol";
import {Registry} from "../../src/registry/Registry.sol";
import {ScalerNodeParams, ScalerNodeStatus} from "../../src/interfaces/IRegistry.sol";
import {Collateral} from "../../src/collateral/Collateral.sol";
import {Delegation} from "../../src/collateral/Delegation.sol";
import {ICNT_TOTAL_SUPPLY} from "../../src/common/Units.sol";

/// Everything below is the real contract; the test contract is admin of all of them, the bank (every
/// Vesting beneficiary), the "market" (registry PROTOCOL: markBooked/markUnbooked) and "settlement"
/// (collateral and delegation PROTOCOL: slash, addCollateralFrom, distributeNodeRewards).
abstract contract CollateralFixture is Test {
    uint256 internal constant ERA_BLOCKS = 20;
    uint256 internal constant REQ_PER_TB = 1_000e18; // collateral requirement per TB
    uint128 internal constant CAPACITY = 100; // TB per node → requirement 100,000 ICNT
    uint256 internal constant REQUIREMENT = 100_000e18;
    uint256 internal constant MIN_DEPOSIT = 30_000e18; // 30 %
    uint64 internal constant COMMIT = 1_080 days;
    uint256 internal constant RESERVE_FUNDS = 10_000_000e18;

    Vesting internal vesting;
    IERC20 internal icnt;
    ReservePool internal reserve;
    Treasury internal treasury;
    EraManager internal eras;
    Registry internal registry;
    Collateral internal collateral;
    Delegation internal delegation;

    uint32 internal regionId;
    uint32 internal classId;
    uint32 internal clusterId;
    address internal hp = address(0x4B0);
    address internal hp2 = address(0x4B1);
    address internal stranger = address(0xBAD);
    address[] internal icntHolders; // every account that can hold ICNT; invariant tests add their handler and actors
    uint256 private _daemonSeq;

    function _deploy() internal {
        vm.warp(1_700_000_000);
        vm.roll(1_000);
        address[7] memory beneficiaries;
        for (uint256 i; i < 7; ++i) {
            beneficiaries[i] = address(this);
        }
        vesting = new Vesting(address(this), uint64(block.timestamp), beneficiaries);
        icnt = IERC20(address(vesting.token()));
        // What is unlocked at TGE: DevCo 18.9M, EcoDev 35M, Node Sale 21M.
        vesting.release(Vesting.Category.DevCo);
        vesting.release(Vesting.Category.EcoDev);
        vesting.release(Vesting.Category.NodeSale);

        treasury = new Treasury(address(this), icnt);
        reserve = new ReservePool(address(this), icnt);
        eras = new EraManager(address(this), uint64(block.number), uint64(ERA_BLOCKS));
        registry = new Registry(address(this));
        collateral = new Collateral(address(this), icnt, registry, eras, address(treasury));
        delegation = new Delegation(address(this), icnt, registry, eras, reserve, vesting);

        registry.setCollateral(collateral);
        registry.grantRole(registry.PROTOCOL_ROLE(), address(collateral));
        registry.grantRole(registry.PROTOCOL_ROLE(), address(this));
        collateral.grantRole(collateral.PROTOCOL_ROLE(), address(registry));
        collateral.grantRole(collateral.PROTOCOL_ROLE(), address(this));
        reserve.grantRole(reserve.PROTOCOL_ROLE(), address(delegation));
        delegation.grantRole(delegation.PROTOCOL_ROLE(), address(this));
        icnt.transfer(address(reserve), RESERVE_FUNDS);
        icnt.approve(address(collateral), type(uint256).max);
        icnt.approve(address(delegation), type(uint256).max);

        (regionId, classId, clusterId) =
            Genesis.createEuwStorage(registry, Genesis.economics(uint128(REQ_PER_TB), 10_000, 0), 2.8e18);
        registry.setMaxNodesPerCluster(1_000);

        _becomeHp(hp);
        _becomeHp(hp2);
        icntHolders = [
            address(vesting),
            address(this),
            address(reserve),
            address(treasury),
            address(collateral),
            address(delegation),
            hp,
            hp2,
            stranger
        ];
    }

    /// No ICNT is created or lost: the holders hold the whole supply.
    function _assertIcntConserved() internal view {
        uint256 sum;
        for (uint256 i; i < icntHolders.length; ++i) {
            sum += icnt.balanceOf(icntHolders[i]);
        }
        assertEq(sum, ICNT_TOTAL_SUPPLY, "ICNT conserved");
    }

    function _unauthorized(address who, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, who, role);
    }

    function _becomeHp(address account) internal {
        vm.prank(account);
        registry.registerHardwareProvider();
        _fund(account, 2_000_000e18);
        vm.prank(account);
        icnt.approve(address(collateral), type(uint256).max);
    }

    function _fund(address to, uint256 amount) internal {
        icnt.transfer(to, amount);
    }

    function _params(uint128 capacity, uint256 amount, uint64 duration) internal returns (ScalerNodeParams memory p) {
        p = ScalerNodeParams({
            name: "node",
            regionId: regionId,
            classId: classId,
            clusterId: 0,
            location: "DEU",
            capacity: capacity,
            reservationPrice: 2e18,
            maxBookingDuration: 360 days,
            nodeRewardShare: 20e18,
            daemon: address(uint160(0xDAE00000 + ++_daemonSeq)),
            collateralAmount: amount,
            commitmentDuration: duration
        });
    }

    /// Registers one node of `owner` through the Registry (which deposits into Collateral).
    function _register(address owner, uint128 capacity, uint256 amount, uint64 duration)
        internal
        returns (uint256 nodeId)
    {
        ScalerNodeParams[] memory ps = new ScalerNodeParams[](1);
        ps[0] = _params(capacity, amount, duration);
        vm.prank(owner);
        nodeId = registry.registerScalerNodes(ps);
    }

    function _register() internal returns (uint256) {
        return _register(hp, CAPACITY, MIN_DEPOSIT, COMMIT);
    }

    function _registerValidated() internal returns (uint256 nodeId) {
        nodeId = _register();
        registry.validateScalerNode(nodeId);
    }

    function _registerValidated(address owner, uint128 capacity) internal returns (uint256 nodeId) {
        nodeId = _register(owner, capacity, uint256(capacity) * REQ_PER_TB * 30 / 100, COMMIT);
        registry.validateScalerNode(nodeId);
    }

    function _rollEras(uint256 n) internal {
        vm.roll(block.number + n * ERA_BLOCKS);
    }

    function _status(uint256 nodeId) internal view returns (ScalerNodeStatus) {
        return registry.scalerNodeStatus(nodeId);
    }
}

/// Base of the collateral invariant handlers: the fixture's contracts they drive and the passing of time.
abstract contract FixtureHandler is Test {
    Collateral internal immutable collateral;
    Registry internal immutable registry;
    EraManager internal immutable eras;
    IERC20 internal immutable icnt;
    uint256 internal immutable eraBlocks;

    constructor(Collateral collateral_, Registry registry_, EraManager eras_, IERC20 icnt_, uint256 eraBlocks_) {
        collateral = collateral_;
        registry = registry_;
        eras = eras_;
        icnt = icnt_;
        eraBlocks = eraBlocks_;
    }

    /// Moves the clock by `secs` and the chain by up to 3 whole eras (`erasToRoll`, bounded) plus
    /// `seed % eraBlocks` blocks.
    function _passTime(uint256 secs, uint256 seed, uint256 erasToRoll) internal {
        vm.warp(block.timestamp + secs);
        vm.roll(block.number + bound(erasToRoll, 0, 3) * eraBlocks + (seed % eraBlocks));
    }
}

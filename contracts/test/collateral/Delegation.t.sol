// SPDX-License-Identifier: MIT
// forge tests for Delegation: locks, delegate/undelegate/reclaim/withdraw timing, APY and node-reward accrual, claims.
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {CollateralFixture} from "./CollateralFixture.sol";
import {ProtocolRoles} from "../../src/common/ProtocolRoles.sol";
import {
    Delegation,
    LockPosition,
    DelegationPosition,
    DelegationStatus,
    RewardClaim
} from "../../src/collateral/Delegation.sol";
import {Vesting} from "../../src/token/Vesting.sol";
import {IRegistry, ScalerNodeStatus} from "../../src/interfaces/IRegistry.sol";
import {IEraManager} from "../../src/interfaces/IEraManager.sol";
import {IReservePool} from "../../src/interfaces/IReservePool.sol";
import {IUnlockSchedule} from "../../src/interfaces/IUnlockSchedule.sol";

contract DelegationTest is CollateralFixture {
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);
    uint256 internal node;
    uint256 internal node2;

    uint256 internal constant SUPPLY = 700_000_000e18;

    function setUp() public {
        _deploy();
        node = _registerValidated();
        node2 = _registerValidated(hp2, 300);
        _delegator(alice, 15_000_000e18);
        _delegator(bob, 15_000_000e18);
    }

    function _delegator(address who, uint256 amount) internal {
        _fund(who, amount);
        vm.prank(who);
        icnt.approve(address(delegation), type(uint256).max);
    }

    function _delegate(address who, uint256 nodeId, uint256 amount, uint256 lockDays)
        internal
        returns (uint256 lockId, uint256 delegationId)
    {
        vm.prank(who);
        return delegation.delegate(nodeId, amount, lockDays);
    }

    function _ids(uint256 a) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](1);
        ids[0] = a;
    }

    // ---- independent reference arithmetic (floating point emulated in 1e36 to stay away from the contract's rounding)

    /// s(d) computed as f(d) / f(1440) with each f evaluated separately.
    function _refMultiplier(uint256 d) internal pure returns (uint256) {
        uint256 fd = (153 * d + 925) * 1e36 / (d + 950);
        uint256 dMax = 1_440;
        uint256 fMax = (153 * dMax + 925) * 1e36 / (dMax + 950);
        return fd * 1e18 / fMax;
    }

    /// Default curve 20, 15, 10, 6, 4 % at x = 0, ¼, ½, ¾, 1 — segment by segment.
    function _refApy(uint256 total) internal pure returns (uint256) {
        // x in 1e36 to keep the reference finer than the contract's WAD.
        uint256 x = total * 1e36 / SUPPLY;
        if (x >= 1e36) return 4e18;
        uint256 q = 1e36 / 4;
        if (x < q) return 20e18 - 5e18 * x / q;
        if (x < 2 * q) return 15e18 - 5e18 * (x - q) / q;
        if (x < 3 * q) return 10e18 - 4e18 * (x - 2 * q) / q;
        return 6e18 - 2e18 * (x - 3 * q) / q;
    }

    /// amount × apy% × seconds / 360 days × s.
    function _refReward(uint256 amount, uint256 apy, uint256 secs, uint256 s) internal pure returns (uint256) {
        return amount * apy / 100e18 * secs / 360 days * s / 1e18;
    }

    // ---------------------------------------------------------------- constructor and defaults

    function test_constructorDefaults() public view {
        assertEq(address(delegation.icnt()), address(icnt));
        assertEq(address(delegation.registry()), address(registry));
        assertEq(address(delegation.eras()), address(eras));
        assertEq(address(delegation.rewardsReserve()), address(reserve));
        assertEq(address(delegation.unlockSchedule()), address(vesting));
        assertEq(delegation.unstakeDelay(), 0);
        assertEq(delegation.reclaimDelayEras(), 2);
        assertEq(delegation.claimDelay(), 0);
        assertEq(delegation.c1(), 153);
        assertEq(delegation.c2(), 925);
        assertEq(delegation.c3(), 950);
        uint256[] memory pts = delegation.apyCurve();
        assertEq(pts.length, 5);
        assertEq(pts[0], 20e18);
        assertEq(pts[4], 4e18);
        assertEq(delegation.lastAccrual(), block.timestamp);
    }

    function test_constructorRejectsZeroAddresses() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Delegation(address(this), IERC20(address(0)), registry, eras, reserve, vesting);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Delegation(address(this), icnt, IRegistry(address(0)), eras, reserve, vesting);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Delegation(address(this), icnt, registry, IEraManager(address(0)), reserve, vesting);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Delegation(address(this), icnt, registry, eras, IReservePool(address(0)), vesting);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Delegation(address(this), icnt, registry, eras, reserve, IUnlockSchedule(address(0)));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Delegation(address(0), icnt, registry, eras, reserve, vesting);
    }

    // ---------------------------------------------------------------- lock multiplier

    function test_lockMultiplierTableMatchesSpec() public view {
        uint16[15] memory daysList = [1, 7, 14, 30, 60, 90, 180, 270, 360, 540, 720, 900, 1080, 1260, 1440];
        uint16[15] memory spec10k =
            [122, 225, 344, 608, 1081, 1526, 2721, 3740, 4618, 6057, 7186, 8095, 8842, 9468, 10000];
        for (uint256 i; i < 15; ++i) {
            uint256 s = delegation.lockMultiplier(daysList[i]);
            assertApproxEqAbs(s, uint256(spec10k[i]) * 1e14, 1e14, string.concat("s(", vm.toString(daysList[i]), ")"));
            assertApproxEqAbs(s, _refMultiplier(daysList[i]), 1, "reference");
        }
        assertEq(delegation.lockMultiplier(1_440), 1e18);
    }

    function test_lockMultiplierRejectsOutOfRange() public {
        vm.expectRevert(abi.encodeWithSelector(Delegation.LockDaysOutOfRange.selector, 0, 1, 1_440));
        delegation.lockMultiplier(0);
        vm.expectRevert(abi.encodeWithSelector(Delegation.LockDaysOutOfRange.selector, 1_441, 1, 1_440));
        delegation.lockMultiplier(1_441);
    }

    function testFuzz_lockMultiplierMonotoneAndAtMostOne(uint256 d) public view {
        d = bound(d, 1, 1_439);
        uint256 a = delegation.lockMultiplier(d);
        uint256 b = delegation.lockMultiplier(d + 1);
        assertLt(a, b);
        assertLe(b, 1e18);
        assertGt(a, 0);
        assertApproxEqAbs(a, _refMultiplier(d), 1, "reference");
    }

    function testFuzz_lockScalingKeepsMultiplierMonotone(uint256 c1, uint256 c2, uint256 c3, uint256 d) public {
        c1 = bound(c1, 1, 1_000_000);
        c3 = bound(c3, 1, 1_000_000);
        c2 = bound(c2, 0, c1 * c3 - 1 > 1_000_000_000 ? 1_000_000_000 : c1 * c3 - 1);
        delegation.setLockScaling(c1, c2, c3);
        d = bound(d, 1, 1_439);
        uint256 a = delegation.lockMultiplier(d);
        uint256 b = delegation.lockMultiplier(d + 1);
        assertLe(a, b);
        assertLe(b, 1e18);
        assertEq(delegation.lockMultiplier(1_440), 1e18);
    }

    // ---------------------------------------------------------------- max APY curve

    function test_maxApyInterpolates() public view {
        assertEq(delegation.maxApy(0), 20e18);
        assertEq(delegation.maxApy(0.25e18), 15e18);
        assertEq(delegation.maxApy(0.125e18), 17.5e18);
        assertEq(delegation.maxApy(0.5e18), 10e18);
        assertEq(delegation.maxApy(0.625e18), 8e18);
        assertEq(delegation.maxApy(0.75e18), 6e18);
        assertEq(delegation.maxApy(0.875e18), 5e18);
        assertEq(delegation.maxApy(1e18), 4e18);
        assertEq(delegation.maxApy(5e18), 4e18); // clamped
    }

    function testFuzz_maxApyMatchesReference(uint256 total) public view {
        total = bound(total, 0, SUPPLY);
        uint256 x = total * 1e18 / SUPPLY;
        assertApproxEqAbs(delegation.maxApy(x), _refApy(total), 1e3, "maxApy");
    }

    function test_setApyCurveRisingCurve() public {
        uint256[] memory pts = new uint256[](2);
        pts[0] = 1e18;
        pts[1] = 100e18;
        delegation.setApyCurve(pts);
        assertEq(delegation.maxApy(0.5e18), 50.5e18);
        assertEq(delegation.maxApy(1e18), 100e18);
    }

    // ---------------------------------------------------------------- delegate

    function test_delegateCreatesLockAndDelegation() public {
        uint256 s = delegation.lockMultiplier(360);
        uint64 unlock = uint64(block.timestamp + 360 days);
        vm.expectEmit(true, true, false, true, address(delegation));
        emit Delegation.Locked(1, alice, 1_000e18, 360, s, unlock);
        vm.expectEmit(true, true, true, true, address(delegation));
        emit Delegation.Delegated(1, 1, node, 1_000e18);
        (uint256 lockId, uint256 delegationId) = _delegate(alice, node, 1_000e18, 360);
        assertEq(lockId, 1);
        assertEq(delegationId, 1);

        LockPosition memory l = delegation.lock(lockId);
        assertEq(l.owner, alice);
        assertEq(l.unlockTime, unlock);
        assertEq(l.lockDays, 360);
        assertEq(l.amount, 1_000e18);
        assertEq(l.free, 0);
        assertEq(l.multiplier, s);

        DelegationPosition memory d = delegation.delegation(delegationId);
        assertEq(d.amount, 1_000e18);
        assertEq(d.lockId, lockId);
        assertEq(d.nodeId, node);
        assertEq(d.delegatedAt, block.timestamp);
        assertTrue(d.status == DelegationStatus.Active);

        assertEq(delegation.delegatedTo(node), 1_000e18);
        assertEq(delegation.totalDelegated(), 1_000e18);
        assertEq(icnt.balanceOf(address(delegation)), 1_000e18);
        assertEq(delegation.collateralisationRate(), uint256(1_000e18) * 1e18 / SUPPLY);
    }

    function test_delegateToBookedNode() public {
        registry.markBooked(node, 1);
        _delegate(alice, node, 5e18, 1);
        assertEq(delegation.delegatedTo(node), 5e18);
    }

    function test_delegateErrors() public {
        vm.startPrank(alice);
        vm.expectRevert(Delegation.ZeroAmount.selector);
        delegation.delegate(node, 0, 10);
        vm.expectRevert(abi.encodeWithSelector(Delegation.LockDaysOutOfRange.selector, 0, 1, 1_440));
        delegation.delegate(node, 1e18, 0);
        vm.expectRevert(abi.encodeWithSelector(Delegation.LockDaysOutOfRange.selector, 1_441, 1, 1_440));
        delegation.delegate(node, 1e18, 1_441);
        vm.expectRevert(abi.encodeWithSelector(Delegation.NodeNotDelegatable.selector, 999, ScalerNodeStatus.None));
        delegation.delegate(999, 1e18, 10);
        vm.stopPrank();

        uint256 registered = _register();
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(Delegation.NodeNotDelegatable.selector, registered, ScalerNodeStatus.Registered)
        );
        delegation.delegate(registered, 1e18, 10);

        registry.rejectScalerNode(registered, "no");
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(Delegation.NodeNotDelegatable.selector, registered, ScalerNodeStatus.Rejected)
        );
        delegation.delegate(registered, 1e18, 10);

        uint256 gone = _register();
        vm.prank(hp);
        collateral.exit(gone);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(Delegation.NodeNotDelegatable.selector, gone, ScalerNodeStatus.Offboarded)
        );
        delegation.delegate(gone, 1e18, 10);

        delegation.pause();
        vm.prank(alice);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        delegation.delegate(node, 1e18, 10);
    }

    function testFuzz_delegate(uint256 amount, uint256 lockDays) public {
        amount = bound(amount, 1, 15_000_000e18);
        lockDays = bound(lockDays, 1, 1_440);
        (uint256 lockId, uint256 id) = _delegate(alice, node, amount, lockDays);
        LockPosition memory l = delegation.lock(lockId);
        assertEq(l.amount, amount);
        assertEq(l.unlockTime, block.timestamp + lockDays * 1 days);
        assertEq(l.multiplier, delegation.lockMultiplier(lockDays));
        assertEq(delegation.delegation(id).amount, amount);
        assertEq(delegation.totalDelegated(), amount);
        assertEq(icnt.balanceOf(address(delegation)), amount);
    }

    // ---------------------------------------------------------------- undelegate / reclaim / delegateLocked / withdraw

    function test_fullCycle() public {
        (uint256 lockId, uint256 id) = _delegate(alice, node, 1_000e18, 30);
        vm.warp(block.timestamp + 10 days);
        uint256 era = eras.currentEra();

        vm.expectEmit(true, true, false, true, address(delegation));
        emit Delegation.Undelegated(id, alice, uint64(era + 2));
        vm.prank(alice);
        delegation.undelegate(id);
        DelegationPosition memory d = delegation.delegation(id);
        assertTrue(d.status == DelegationStatus.Undelegated);
        assertEq(d.reclaimEra, era + 2);
        assertEq(delegation.delegatedTo(node), 0);
        assertEq(delegation.totalDelegated(), 0);
        assertGt(delegation.unclaimedApy(alice), 0);

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.ReclaimNotYet.selector, id, era + 2, era));
        delegation.reclaim(id);
        _rollEras(1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.ReclaimNotYet.selector, id, era + 2, era + 1));
        delegation.reclaim(id);
        _rollEras(1);
        vm.expectEmit(true, true, false, true, address(delegation));
        emit Delegation.Reclaimed(id, lockId, 1_000e18);
        vm.prank(alice);
        delegation.reclaim(id);
        assertEq(delegation.lock(lockId).free, 1_000e18);
        assertTrue(delegation.delegation(id).status == DelegationStatus.Reclaimed);

        // re-delegate part of it while locked
        vm.expectEmit(true, true, true, true, address(delegation));
        emit Delegation.Delegated(2, lockId, node2, 400e18);
        vm.prank(alice);
        uint256 id2 = delegation.delegateLocked(lockId, node2, 400e18);
        assertEq(delegation.lock(lockId).free, 600e18);
        assertEq(delegation.delegatedTo(node2), 400e18);

        // the lock still runs: nothing can leave
        uint64 unlock = delegation.lock(lockId).unlockTime;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.LockNotExpired.selector, lockId, unlock));
        delegation.withdraw(lockId, 1);

        vm.warp(unlock);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.InsufficientFree.selector, lockId, 600e18, 601e18));
        delegation.withdraw(lockId, 601e18);
        uint256 before = icnt.balanceOf(alice);
        vm.expectEmit(true, true, false, true, address(delegation));
        emit Delegation.Withdrawn(lockId, alice, 600e18);
        vm.prank(alice);
        delegation.withdraw(lockId, 600e18);
        assertEq(icnt.balanceOf(alice), before + 600e18);
        LockPosition memory l = delegation.lock(lockId);
        assertEq(l.amount, 400e18);
        assertEq(l.free, 0);

        // after the lock ended the rest must be undelegated and reclaimed first
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.LockExpired.selector, lockId, l.unlockTime));
        delegation.delegateLocked(lockId, node, 1);
        vm.prank(alice);
        delegation.undelegate(id2);
        _rollEras(2);
        vm.prank(alice);
        delegation.reclaim(id2);
        vm.prank(alice);
        delegation.withdraw(lockId, 400e18);
        assertEq(icnt.balanceOf(address(delegation)), 0);
    }

    function test_undelegateErrors() public {
        (, uint256 id) = _delegate(alice, node, 1_000e18, 30);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.UnknownDelegation.selector, 9));
        delegation.undelegate(9);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(Delegation.NotOwner.selector, bob, alice));
        delegation.undelegate(id);

        delegation.setUnstakeDelay(1 days);
        (, uint256 id2) = _delegate(alice, node, 1e18, 30);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(Delegation.UnstakeDelayNotPassed.selector, id2, block.timestamp + 1 days)
        );
        delegation.undelegate(id2);
        vm.warp(block.timestamp + 1 days);
        vm.prank(alice);
        delegation.undelegate(id2);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(Delegation.WrongDelegationStatus.selector, id2, DelegationStatus.Undelegated)
        );
        delegation.undelegate(id2);

        delegation.pause();
        vm.prank(alice);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        delegation.undelegate(id);
    }

    function test_anyoneUndelegatesFromOffboardedNode() public {
        (, uint256 id) = _delegate(alice, node, 1_000e18, 30);
        vm.warp(collateral.commitmentEnd(node));
        vm.prank(hp);
        collateral.exit(node);
        vm.prank(bob);
        delegation.undelegate(id);
        assertTrue(delegation.delegation(id).status == DelegationStatus.Undelegated);
        assertEq(delegation.totalDelegated(), 0);
        assertGt(delegation.unclaimedApy(alice), 0); // settled to the owner, not the caller
        assertEq(delegation.unclaimedApy(bob), 0);
    }

    function test_reclaimErrors() public {
        (, uint256 id) = _delegate(alice, node, 1_000e18, 30);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.UnknownDelegation.selector, 5));
        delegation.reclaim(5);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.WrongDelegationStatus.selector, id, DelegationStatus.Active));
        delegation.reclaim(id);
        vm.prank(alice);
        delegation.undelegate(id);
        _rollEras(2);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(Delegation.NotOwner.selector, bob, alice));
        delegation.reclaim(id);
        delegation.pause();
        vm.prank(alice);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        delegation.reclaim(id);
        delegation.unpause();
        vm.prank(alice);
        delegation.reclaim(id);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(Delegation.WrongDelegationStatus.selector, id, DelegationStatus.Reclaimed)
        );
        delegation.reclaim(id);
    }

    function test_delegateLockedErrors() public {
        (uint256 lockId, uint256 id) = _delegate(alice, node, 1_000e18, 30);
        vm.startPrank(alice);
        vm.expectRevert(Delegation.ZeroAmount.selector);
        delegation.delegateLocked(lockId, node, 0);
        vm.expectRevert(abi.encodeWithSelector(Delegation.UnknownLock.selector, 8));
        delegation.delegateLocked(8, node, 1);
        vm.expectRevert(abi.encodeWithSelector(Delegation.InsufficientFree.selector, lockId, 0, 1));
        delegation.delegateLocked(lockId, node, 1);
        delegation.undelegate(id);
        _rollEras(2);
        delegation.reclaim(id);
        vm.expectRevert(abi.encodeWithSelector(Delegation.NodeNotDelegatable.selector, 77, ScalerNodeStatus.None));
        delegation.delegateLocked(lockId, 77, 1);
        vm.stopPrank();
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(Delegation.NotOwner.selector, bob, alice));
        delegation.delegateLocked(lockId, node, 1);
        delegation.pause();
        vm.prank(alice);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        delegation.delegateLocked(lockId, node, 1);
    }

    function test_withdrawErrors() public {
        (uint256 lockId,) = _delegate(alice, node, 1_000e18, 1);
        vm.warp(block.timestamp + 1 days);
        vm.startPrank(alice);
        vm.expectRevert(Delegation.ZeroAmount.selector);
        delegation.withdraw(lockId, 0);
        vm.expectRevert(abi.encodeWithSelector(Delegation.UnknownLock.selector, 3));
        delegation.withdraw(3, 1);
        // the lock has ended but everything is still delegated
        vm.expectRevert(abi.encodeWithSelector(Delegation.InsufficientFree.selector, lockId, 0, 1));
        delegation.withdraw(lockId, 1);
        vm.stopPrank();
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(Delegation.NotOwner.selector, bob, alice));
        delegation.withdraw(lockId, 1);
        delegation.pause();
        vm.prank(alice);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        delegation.withdraw(lockId, 1);
    }

    function testFuzz_noEarlyWithdrawal(uint256 amount, uint256 lockDays, uint256 wait, uint256 waitEras) public {
        amount = bound(amount, 1, 10_000_000e18);
        lockDays = bound(lockDays, 1, 1_440);
        wait = bound(wait, 0, 1_500 days);
        waitEras = bound(waitEras, 0, 3);
        (uint256 lockId, uint256 id) = _delegate(alice, node, amount, lockDays);
        uint64 unlock = uint64(block.timestamp + lockDays * 1 days);
        vm.warp(block.timestamp + wait);
        vm.prank(alice);
        delegation.undelegate(id);
        uint256 era = eras.currentEra();
        _rollEras(waitEras);
        vm.prank(alice);
        if (waitEras < 2) {
            vm.expectRevert(abi.encodeWithSelector(Delegation.ReclaimNotYet.selector, id, era + 2, era + waitEras));
            delegation.reclaim(id);
            return;
        }
        delegation.reclaim(id);
        vm.prank(alice);
        if (block.timestamp < unlock) {
            vm.expectRevert(abi.encodeWithSelector(Delegation.LockNotExpired.selector, lockId, unlock));
        }
        delegation.withdraw(lockId, amount);
    }

    // ---------------------------------------------------------------- APY accrual

    function test_apyAccrualMatchesIndependentComputation() public {
        uint256 amountA = 1_000_000e18;
        uint256 amountB = 10_000_000e18;
        (, uint256 idA) = _delegate(alice, node, amountA, 360);
        uint256 sA = _refMultiplier(360);

        vm.warp(block.timestamp + 100 days);
        uint256 expectA = _refReward(amountA, _refApy(amountA), 100 days, sA);
        (uint256 apyA,) = delegation.pendingRewards(idA);
        assertApproxEqRel(apyA, expectA, 1e9, "A after 100 days");

        (, uint256 idB) = _delegate(bob, node2, amountB, 1_440);
        vm.warp(block.timestamp + 50 days);
        uint256 apy2 = _refApy(amountA + amountB);
        expectA += _refReward(amountA, apy2, 50 days, sA);
        uint256 expectB = _refReward(amountB, apy2, 50 days, 1e18);
        (apyA,) = delegation.pendingRewards(idA);
        (uint256 apyB,) = delegation.pendingRewards(idB);
        assertApproxEqRel(apyA, expectA, 1e9, "A after 150 days");
        assertApproxEqRel(apyB, expectB, 1e9, "B after 50 days");

        // A leaves; B alone for 30 more days at the lower rate
        vm.prank(alice);
        delegation.undelegate(idA);
        assertApproxEqRel(delegation.unclaimedApy(alice), expectA, 1e9, "A settled");
        (apyA,) = delegation.pendingRewards(idA);
        assertEq(apyA, 0);
        vm.warp(block.timestamp + 30 days);
        expectB += _refReward(amountB, _refApy(amountB), 30 days, 1e18);
        (apyB,) = delegation.pendingRewards(idB);
        assertApproxEqRel(apyB, expectB, 1e9, "B after 80 days");
    }

    function testFuzz_apyAccrual(uint256 amount, uint256 lockDays, uint256 secs) public {
        amount = bound(amount, 1e18, 15_000_000e18);
        lockDays = bound(lockDays, 1, 1_440);
        secs = bound(secs, 1 hours, 1_440 days);
        (, uint256 id) = _delegate(alice, node, amount, lockDays);
        vm.warp(block.timestamp + secs);
        (uint256 apy,) = delegation.pendingRewards(id);
        uint256 expected = _refReward(amount, _refApy(amount), secs, _refMultiplier(lockDays));
        assertApproxEqRel(apy, expected, 1e10, "pending APY");
        uint256 acc = delegation.currentApyAccumulator();
        vm.expectEmit(false, false, false, true, address(delegation));
        emit Delegation.ApyAccrued(acc, block.timestamp, delegation.currentApy());
        delegation.accrue();
        assertEq(delegation.apyAccumulator(), acc);
        assertEq(delegation.lastAccrual(), block.timestamp);
        (uint256 apyAfter,) = delegation.pendingRewards(id);
        assertEq(apyAfter, apy);
    }

    function test_apyAtHalfCollateralisation() public {
        // 48 months after TGE everything is unlocked; delegate half the supply.
        vm.warp(block.timestamp + 1_440 days);
        for (uint256 c; c < 7; ++c) {
            if (vesting.releasable(Vesting.Category(c)) > 0) vesting.release(Vesting.Category(c));
        }
        _delegator(address(0xB16), 350_000_000e18);
        (, uint256 id) = _delegate(address(0xB16), node, 350_000_000e18, 1_440);
        assertEq(delegation.collateralisationRate(), 0.5e18);
        assertEq(delegation.currentApy(), 10e18);
        vm.warp(block.timestamp + 36 days);
        (uint256 apy,) = delegation.pendingRewards(id);
        assertApproxEqAbs(apy, 3_500_000e18, 1e9, "10 % of 350M for a tenth of a year");
    }

    function test_setApyCurveAppliesFromNowOn() public {
        (, uint256 id) = _delegate(alice, node, 1_000_000e18, 1_440);
        vm.warp(block.timestamp + 36 days);
        uint256[] memory pts = new uint256[](2);
        pts[0] = 0;
        pts[1] = 0;
        delegation.setApyCurve(pts);
        (uint256 before,) = delegation.pendingRewards(id);
        vm.warp(block.timestamp + 100 days);
        (uint256 afterwards,) = delegation.pendingRewards(id);
        assertEq(afterwards, before);
        assertApproxEqRel(before, _refReward(1_000_000e18, _refApy(1_000_000e18), 36 days, 1e18), 1e9, "old curve");
    }

    // ---------------------------------------------------------------- node rewards

    function test_nodeRewardsSplitProRata() public {
        (, uint256 idA) = _delegate(alice, node, 1_000_000e18, 30);
        (, uint256 idB) = _delegate(bob, node, 3_000_000e18, 60);
        (, uint256 idOther) = _delegate(bob, node2, 5_000_000e18, 60);
        uint256 balance = icnt.balanceOf(address(delegation));
        vm.expectEmit(true, false, false, true, address(delegation));
        emit Delegation.NodeRewardsDistributed(node, 4_000e18, uint256(4_000e18) * 1e36 / 4_000_000e18); // × SLASH_SCALE
        delegation.distributeNodeRewards(node, 4_000e18);
        assertEq(icnt.balanceOf(address(delegation)), balance + 4_000e18);
        (, uint256 nodeA) = delegation.pendingRewards(idA);
        (, uint256 nodeB) = delegation.pendingRewards(idB);
        (, uint256 nodeOther) = delegation.pendingRewards(idOther);
        assertEq(nodeA, 1_000e18);
        assertEq(nodeB, 3_000e18);
        assertEq(nodeOther, 0);

        // A leaves: the next distribution goes to B alone
        vm.warp(block.timestamp + 1 days);
        (uint256 apyA,) = delegation.pendingRewards(idA);
        vm.expectEmit(true, true, false, true, address(delegation));
        emit Delegation.RewardsSettled(idA, alice, apyA, 1_000e18);
        vm.prank(alice);
        delegation.undelegate(idA);
        assertEq(delegation.unclaimedApy(alice), apyA);
        assertEq(delegation.unclaimedNodeRewards(alice), 1_000e18);
        delegation.distributeNodeRewards(node, 600e18);
        (, nodeB) = delegation.pendingRewards(idB);
        assertEq(nodeB, 3_600e18);
    }

    function testFuzz_nodeRewardsSplit(uint256 a, uint256 b, uint256 reward) public {
        a = bound(a, 1e18, 10_000_000e18);
        b = bound(b, 1e18, 10_000_000e18);
        reward = bound(reward, 1, 1_000_000e18);
        (, uint256 idA) = _delegate(alice, node, a, 10);
        (, uint256 idB) = _delegate(bob, node, b, 10);
        delegation.distributeNodeRewards(node, reward);
        (, uint256 nodeA) = delegation.pendingRewards(idA);
        (, uint256 nodeB) = delegation.pendingRewards(idB);
        assertLe(nodeA + nodeB, reward);
        assertApproxEqAbs(nodeA, reward * a / (a + b), a / 1e18 + 1, "A");
        assertApproxEqAbs(nodeB, reward * b / (a + b), b / 1e18 + 1, "B");
    }

    function test_distributeNodeRewardsErrors() public {
        vm.expectRevert(Delegation.ZeroAmount.selector);
        delegation.distributeNodeRewards(node, 0);
        vm.expectRevert(abi.encodeWithSelector(Delegation.NothingDelegated.selector, node));
        delegation.distributeNodeRewards(node, 1e18);
        bytes memory err = _unauthorized(alice, delegation.PROTOCOL_ROLE());
        vm.prank(alice);
        vm.expectRevert(err);
        delegation.distributeNodeRewards(node, 1e18);
    }

    // ---------------------------------------------------------------- claims

    function test_claimPaysApyFromReserveAndNodePartFromContract() public {
        (, uint256 id) = _delegate(alice, node, 1_000_000e18, 1_440);
        delegation.distributeNodeRewards(node, 500e18);
        vm.warp(block.timestamp + 36 days);
        (uint256 apy, uint256 nodePart) = delegation.pendingRewards(id);
        assertEq(nodePart, 500e18);

        vm.expectEmit(true, true, false, true, address(delegation));
        emit Delegation.RewardsClaimInitiated(1, alice, apy, 500e18, uint64(block.timestamp));
        vm.prank(alice);
        uint256 claimId = delegation.initiateRewardsClaim(_ids(id));
        RewardClaim memory c = delegation.rewardClaim(claimId);
        assertEq(c.owner, alice);
        assertEq(c.apyAmount, apy);
        assertEq(c.nodeAmount, 500e18);
        assertFalse(c.paid);
        (uint256 apyLeft, uint256 nodeLeft) = delegation.pendingRewards(id);
        assertEq(apyLeft + nodeLeft, 0);

        uint256 reserveBefore = icnt.balanceOf(address(reserve));
        uint256 contractBefore = icnt.balanceOf(address(delegation));
        uint256 aliceBefore = icnt.balanceOf(alice);
        vm.expectEmit(true, true, false, true, address(delegation));
        emit Delegation.RewardsClaimed(claimId, alice, apy, 500e18);
        vm.prank(alice);
        delegation.claimRewards(_ids(claimId));
        assertEq(icnt.balanceOf(alice), aliceBefore + apy + 500e18);
        assertEq(icnt.balanceOf(address(reserve)), reserveBefore - apy);
        assertEq(icnt.balanceOf(address(delegation)), contractBefore - 500e18);
        assertTrue(delegation.rewardClaim(claimId).paid);

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.AlreadyPaid.selector, claimId));
        delegation.claimRewards(_ids(claimId));
    }

    function test_claimIncludesUndelegatedBalance() public {
        (, uint256 id) = _delegate(alice, node, 1_000_000e18, 100);
        vm.warp(block.timestamp + 10 days);
        vm.prank(alice);
        delegation.undelegate(id);
        uint256 owed = delegation.unclaimedApy(alice);
        assertGt(owed, 0);
        vm.prank(alice);
        uint256 claimId = delegation.initiateRewardsClaim(new uint256[](0));
        assertEq(delegation.rewardClaim(claimId).apyAmount, owed);
        assertEq(delegation.unclaimedApy(alice), 0);
        // an undelegated id may be listed; it has nothing pending
        vm.prank(alice);
        vm.expectRevert(Delegation.NothingToClaim.selector);
        delegation.initiateRewardsClaim(_ids(id));
    }

    function test_claimDelay() public {
        vm.expectEmit(false, false, false, true, address(delegation));
        emit Delegation.ClaimDelaySet(7 days);
        delegation.setClaimDelay(7 days);
        (, uint256 id) = _delegate(alice, node, 1_000_000e18, 100);
        vm.warp(block.timestamp + 10 days);
        vm.prank(alice);
        uint256 claimId = delegation.initiateRewardsClaim(_ids(id));
        uint64 unlock = uint64(block.timestamp + 7 days);
        assertEq(delegation.rewardClaim(claimId).unlockTime, unlock);
        vm.warp(unlock - 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.ClaimNotYet.selector, claimId, unlock));
        delegation.claimRewards(_ids(claimId));
        vm.warp(unlock);
        vm.prank(alice);
        delegation.claimRewards(_ids(claimId));
    }

    function test_claimErrors() public {
        (, uint256 id) = _delegate(alice, node, 1_000_000e18, 100);
        vm.prank(alice);
        vm.expectRevert(Delegation.NothingToClaim.selector); // same block: nothing accrued
        delegation.initiateRewardsClaim(_ids(id));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(Delegation.NotOwner.selector, bob, alice));
        delegation.initiateRewardsClaim(_ids(id));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.UnknownDelegation.selector, 4));
        delegation.initiateRewardsClaim(_ids(4));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.BatchSize.selector, 1_001, 1_000));
        delegation.initiateRewardsClaim(new uint256[](1_001));

        vm.warp(block.timestamp + 1 days);
        vm.prank(alice);
        uint256 claimId = delegation.initiateRewardsClaim(_ids(id));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(Delegation.NotOwner.selector, bob, alice));
        delegation.claimRewards(_ids(claimId));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.UnknownClaim.selector, 2));
        delegation.claimRewards(_ids(2));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.BatchSize.selector, 0, 1_000));
        delegation.claimRewards(new uint256[](0));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Delegation.BatchSize.selector, 1_001, 1_000));
        delegation.claimRewards(new uint256[](1_001));

        delegation.pause();
        vm.startPrank(alice);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        delegation.claimRewards(_ids(claimId));
        vm.expectRevert(Pausable.EnforcedPause.selector);
        delegation.initiateRewardsClaim(_ids(id));
        vm.stopPrank();
    }

    function test_claimBatchOfSeveral() public {
        (, uint256 id1) = _delegate(alice, node, 1_000_000e18, 100);
        (, uint256 id2) = _delegate(alice, node2, 2_000_000e18, 200);
        vm.warp(block.timestamp + 5 days);
        uint256[] memory ids = new uint256[](2);
        ids[0] = id1;
        ids[1] = id2;
        vm.prank(alice);
        uint256 c1 = delegation.initiateRewardsClaim(ids);
        vm.warp(block.timestamp + 5 days);
        vm.prank(alice);
        uint256 c2 = delegation.initiateRewardsClaim(ids);
        uint256 total = delegation.rewardClaim(c1).apyAmount + delegation.rewardClaim(c2).apyAmount;
        ids[0] = c1;
        ids[1] = c2;
        uint256 before = icnt.balanceOf(alice);
        vm.prank(alice);
        delegation.claimRewards(ids);
        assertEq(icnt.balanceOf(alice), before + total);
    }

    // ---------------------------------------------------------------- network collateral

    function test_networkCollateralRequirement() public {
        // node: 100 TB, node2: 300 TB → network capacity 400 TB
        assertEq(registry.networkCapacity(), 400);
        uint256 unlocked = vesting.unlockedSupply(block.timestamp);
        assertEq(unlocked, 74_900_000e18);
        assertEq(delegation.networkCollateralRequirement(node), unlocked / 8);
        assertEq(delegation.networkCollateralRequirement(node2), unlocked * 3 / 8);
        assertEq(delegation.networkCollateralShortfall(node), unlocked / 8);
        _delegate(alice, node, 1_000_000e18, 10);
        assertEq(delegation.networkCollateralShortfall(node), unlocked / 8 - 1_000_000e18);
        _delegate(bob, node, 10_000_000e18, 10);
        assertEq(delegation.networkCollateralShortfall(node), 0);

        // the requirement follows the unlocked supply
        vm.warp(block.timestamp + 400 days);
        unlocked = vesting.unlockedSupply(block.timestamp);
        assertEq(delegation.networkCollateralRequirement(node2), unlocked * 300 / 400 / 2);
    }

    function test_networkCollateralRequirementZeroWithoutCapacity() public {
        vm.warp(collateral.commitmentEnd(node));
        vm.startPrank(hp);
        collateral.exit(node);
        vm.stopPrank();
        vm.prank(hp2);
        collateral.exit(node2);
        assertEq(registry.networkCapacity(), 0);
        assertEq(delegation.networkCollateralRequirement(node), 0);
        assertEq(delegation.networkCollateralShortfall(node), 0);
    }

    // ---------------------------------------------------------------- governance

    function test_setApyCurve() public {
        uint256[] memory pts = new uint256[](3);
        pts[0] = 30e18;
        pts[1] = 10e18;
        pts[2] = 2e18;
        vm.expectEmit(false, false, false, true, address(delegation));
        emit Delegation.ApyCurveSet(pts);
        delegation.setApyCurve(pts);
        assertEq(delegation.maxApy(0.25e18), 20e18);
        assertEq(delegation.apyCurve().length, 3);

        vm.expectRevert(abi.encodeWithSelector(Delegation.InvalidApyCurve.selector, 1, 0));
        delegation.setApyCurve(new uint256[](1));
        vm.expectRevert(abi.encodeWithSelector(Delegation.InvalidApyCurve.selector, 22, 0));
        delegation.setApyCurve(new uint256[](22));
        pts[1] = 100e18 + 1;
        vm.expectRevert(abi.encodeWithSelector(Delegation.InvalidApyCurve.selector, 3, 100e18 + 1));
        delegation.setApyCurve(pts);
        bytes memory err = _unauthorized(alice, delegation.GOVERNANCE_ROLE());
        vm.prank(alice);
        vm.expectRevert(err);
        delegation.setApyCurve(pts);
    }

    function test_setLockScaling() public {
        vm.expectEmit(false, false, false, true, address(delegation));
        emit Delegation.LockScalingSet(100, 0, 100);
        delegation.setLockScaling(100, 0, 100);
        assertEq(delegation.lockMultiplier(1_440), 1e18);
        // f(d) = 100d / (d + 100): s(1) = (100/101) / (144000/1540)
        assertApproxEqAbs(delegation.lockMultiplier(1), uint256(100e18) * 1_540 / (101 * 144_000), 1, "s(1)");
        // existing locks keep their multiplier
        (uint256 lockId,) = _delegate(alice, node, 1e18, 30);
        uint256 s = delegation.lock(lockId).multiplier;
        delegation.setLockScaling(153, 925, 950);
        assertEq(delegation.lock(lockId).multiplier, s);

        vm.expectRevert(abi.encodeWithSelector(Delegation.InvalidLockScaling.selector, 0, 0, 1));
        delegation.setLockScaling(0, 0, 1);
        vm.expectRevert(abi.encodeWithSelector(Delegation.InvalidLockScaling.selector, 1_000_001, 0, 1));
        delegation.setLockScaling(1_000_001, 0, 1);
        vm.expectRevert(abi.encodeWithSelector(Delegation.InvalidLockScaling.selector, 1, 1_000_000_001, 1));
        delegation.setLockScaling(1, 1_000_000_001, 1);
        vm.expectRevert(abi.encodeWithSelector(Delegation.InvalidLockScaling.selector, 1, 0, 1_000_001));
        delegation.setLockScaling(1, 0, 1_000_001);
        vm.expectRevert(abi.encodeWithSelector(Delegation.InvalidLockScaling.selector, 10, 100, 10));
        delegation.setLockScaling(10, 100, 10); // c1·c3 = c2: flat multiplier
        bytes memory err = _unauthorized(alice, delegation.GOVERNANCE_ROLE());
        vm.prank(alice);
        vm.expectRevert(err);
        delegation.setLockScaling(153, 925, 950);
    }

    function test_setDelays() public {
        vm.expectEmit(false, false, false, true, address(delegation));
        emit Delegation.UnstakeDelaySet(3 days);
        delegation.setUnstakeDelay(3 days);
        assertEq(delegation.unstakeDelay(), 3 days);
        vm.expectRevert(abi.encodeWithSelector(Delegation.DelayOutOfRange.selector, 91 days, 0, 90 days));
        delegation.setUnstakeDelay(91 days);

        vm.expectEmit(false, false, false, true, address(delegation));
        emit Delegation.ReclaimDelayErasSet(5);
        delegation.setReclaimDelayEras(5);
        assertEq(delegation.reclaimDelayEras(), 5);
        vm.expectRevert(abi.encodeWithSelector(Delegation.DelayOutOfRange.selector, 1, 2, 175));
        delegation.setReclaimDelayEras(1);
        vm.expectRevert(abi.encodeWithSelector(Delegation.DelayOutOfRange.selector, 176, 2, 175));
        delegation.setReclaimDelayEras(176);
        (, uint256 id) = _delegate(alice, node, 1e18, 1);
        uint256 era = eras.currentEra();
        vm.warp(block.timestamp + 3 days);
        vm.prank(alice);
        delegation.undelegate(id);
        assertEq(delegation.delegation(id).reclaimEra, era + 5);

        vm.expectRevert(abi.encodeWithSelector(Delegation.DelayOutOfRange.selector, 366 days, 0, 365 days));
        delegation.setClaimDelay(366 days);

        bytes32 gov = delegation.GOVERNANCE_ROLE();
        vm.startPrank(alice);
        vm.expectRevert(_unauthorized(alice, gov));
        delegation.setUnstakeDelay(1);
        vm.expectRevert(_unauthorized(alice, gov));
        delegation.setReclaimDelayEras(3);
        vm.expectRevert(_unauthorized(alice, gov));
        delegation.setClaimDelay(1);
        vm.stopPrank();
    }
}

// SPDX-License-Identifier: MIT
// forge tests for Delegation.slash: pro-rata losses over active and not-yet-reclaimed delegations, lazy settlement, rounding bounds.
pragma solidity ^0.8.24;

import {CollateralFixture} from "./CollateralFixture.sol";
import {ProtocolRoles} from "../../src/common/ProtocolRoles.sol";
import {
    Delegation,
    LockPosition,
    DelegationPosition,
    DelegationStatus,
    SlashEpochEnd
} from "../../src/collateral/Delegation.sol";

contract DelegationSlashTest is CollateralFixture {
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);
    address internal carol = address(0xCA201);
    uint256 internal node;
    uint256 internal node2;

    uint256 internal constant SUPPLY = 700_000_000e18;
    uint256 internal constant SCALE = 1e36;

    function setUp() public {
        _deploy();
        node = _registerValidated();
        node2 = _registerValidated(hp2, 300);
        _delegator(alice, 15_000_000e18);
        _delegator(bob, 15_000_000e18);
        _delegator(carol, 15_000_000e18);
        delegation.setTreasury(address(treasury));
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

    function _undelegate(uint256 id) internal {
        vm.prank(delegation.lock(delegation.delegation(id).lockId).owner);
        delegation.undelegate(id);
    }

    function _reclaim(uint256 id) internal {
        vm.prank(delegation.lock(delegation.delegation(id).lockId).owner);
        delegation.reclaim(id);
    }

    function _ids(uint256 a) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](1);
        ids[0] = a;
    }

    /// Default curve 20, 15, 10, 6, 4 % at x = 0, ¼, ½, ¾, 1 (the same reference as Delegation.t.sol).
    function _refApy(uint256 total) internal pure returns (uint256) {
        uint256 x = total * 1e36 / SUPPLY;
        if (x >= 1e36) return 4e18;
        uint256 q = 1e36 / 4;
        if (x < q) return 20e18 - 5e18 * x / q;
        if (x < 2 * q) return 15e18 - 5e18 * (x - q) / q;
        if (x < 3 * q) return 10e18 - 4e18 * (x - 2 * q) / q;
        return 6e18 - 2e18 * (x - 3 * q) / q;
    }

    /// amount × apy% × seconds / 360 days at multiplier 1 (1,440-day locks).
    function _refReward(uint256 amount, uint256 apy, uint256 secs) internal pure returns (uint256) {
        return amount * apy / 100e18 * secs / 360 days;
    }

    // ---------------------------------------------------------------- treasury

    function test_setTreasury() public {
        vm.expectEmit(false, false, false, true, address(delegation));
        emit Delegation.TreasurySet(address(0x7EA5));
        delegation.setTreasury(address(0x7EA5));
        assertEq(delegation.treasury(), address(0x7EA5));

        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        delegation.setTreasury(address(0));
        bytes memory err = _unauthorized(alice, delegation.GOVERNANCE_ROLE());
        vm.prank(alice);
        vm.expectRevert(err);
        delegation.setTreasury(alice);
    }

    function test_slashErrors() public {
        _delegate(alice, node, 1_000e18, 30);
        bytes memory err = _unauthorized(alice, delegation.PROTOCOL_ROLE());
        vm.prank(alice);
        vm.expectRevert(err);
        delegation.slash(node, 1e18);

        // A deployment whose governance has not set the treasury yet cannot slash anything exposed...
        Delegation fresh = new Delegation(address(this), icnt, registry, eras, reserve, vesting);
        assertEq(fresh.treasury(), address(0));
        fresh.grantRole(fresh.PROTOCOL_ROLE(), address(this));
        icnt.approve(address(fresh), type(uint256).max);
        fresh.delegate(node, 1_000e18, 30);
        vm.expectRevert(Delegation.TreasuryNotSet.selector);
        fresh.slash(node, 1e18);
        // ...but a slash of a node with nothing exposed takes 0 without one.
        assertEq(fresh.slash(node2, 1e18), 0);
    }

    // ---------------------------------------------------------------- pro rata

    function test_slashNothingDelegatedTakesZero() public {
        _delegate(alice, node2, 1_000e18, 30);
        uint256 before = icnt.balanceOf(address(treasury));
        vm.expectEmit(true, false, false, true, address(delegation));
        emit Delegation.DelegationSlashed(node, 500e18, 0, 0, 0, address(treasury));
        assertEq(delegation.slash(node, 500e18), 0);
        assertEq(icnt.balanceOf(address(treasury)), before);
        (uint256 scale, uint256 epoch,) = delegation.slashState(node);
        assertEq(scale, SCALE);
        assertEq(epoch, 0);
        assertEq(delegation.slash(node2, 0), 0); // zero requested: nothing happens either
        assertEq(delegation.delegatedTo(node2), 1_000e18);
    }

    function test_slashProRataBetweenSizesAndLocks() public {
        (uint256 lockA, uint256 idA) = _delegate(alice, node, 1_000e18, 30);
        (uint256 lockB, uint256 idB) = _delegate(bob, node, 3_000e18, 1_440);
        (, uint256 idOther) = _delegate(carol, node2, 5_000e18, 90);
        uint256 treasuryBefore = icnt.balanceOf(address(treasury));
        uint256 balanceBefore = icnt.balanceOf(address(delegation));

        vm.expectEmit(true, false, false, true, address(delegation));
        emit Delegation.SlashScaleSet(node, 0, SCALE * 9 / 10);
        vm.expectEmit(true, false, false, true, address(delegation));
        emit Delegation.DelegationSlashed(node, 400e18, 400e18, 400e18, 0, address(treasury));
        assertEq(delegation.slash(node, 400e18), 400e18);

        // totals drop at once; the ICNT is with the treasury
        assertEq(delegation.delegatedTo(node), 3_600e18);
        assertEq(delegation.totalDelegated(), 8_600e18);
        assertEq(delegation.slashable(node), 3_600e18);
        assertEq(icnt.balanceOf(address(treasury)), treasuryBefore + 400e18);
        assertEq(icnt.balanceOf(address(delegation)), balanceBefore - 400e18);
        // each delegation lost 10 %, whatever its size or lock; the other node is untouched
        assertEq(delegation.currentAmount(idA), 900e18);
        assertEq(delegation.currentAmount(idB), 2_700e18);
        assertEq(delegation.currentAmount(idOther), 5_000e18);
        assertEq(delegation.delegatedTo(node2), 5_000e18);
        // the records settle only when touched
        assertEq(delegation.delegation(idA).amount, 1_000e18);
        assertEq(delegation.lock(lockA).amount, 1_000e18);

        vm.expectEmit(true, true, false, true, address(delegation));
        emit Delegation.SlashLossSettled(idA, lockA, 100e18, 900e18);
        _undelegate(idA);
        assertEq(delegation.delegation(idA).amount, 900e18);
        assertEq(delegation.lock(lockA).amount, 900e18);
        assertEq(delegation.delegatedTo(node), 2_700e18);
        assertEq(delegation.undelegatedFrom(node), 900e18);

        // a rewards claim settles the loss of an Active delegation too
        vm.warp(block.timestamp + 1 days);
        vm.expectEmit(true, true, false, true, address(delegation));
        emit Delegation.SlashLossSettled(idB, lockB, 300e18, 2_700e18);
        vm.prank(bob);
        delegation.initiateRewardsClaim(_ids(idB));
        assertEq(delegation.delegation(idB).amount, 2_700e18);
        assertEq(delegation.lock(lockB).amount, 2_700e18);
        assertEq(delegation.delegatedTo(node), 2_700e18); // the total already held the loss
    }

    function test_slashReducesWhatAnUndelegatedDelegationReclaims() public {
        (uint256 lockA, uint256 idA) = _delegate(alice, node, 1_000e18, 1);
        (, uint256 idB) = _delegate(bob, node, 3_000e18, 1);
        _undelegate(idA); // waiting for its reclaim era: still exposed
        assertEq(delegation.delegatedTo(node), 3_000e18);
        assertEq(delegation.undelegatedFrom(node), 1_000e18);
        assertEq(delegation.slashable(node), 4_000e18);

        vm.expectEmit(true, false, false, true, address(delegation));
        emit Delegation.DelegationSlashed(node, 2_000e18, 2_000e18, 1_500e18, 500e18, address(treasury));
        delegation.slash(node, 2_000e18);
        assertEq(delegation.delegatedTo(node), 1_500e18);
        assertEq(delegation.undelegatedFrom(node), 500e18);
        assertEq(delegation.totalDelegated(), 1_500e18); // only the active part counted there
        assertEq(delegation.currentAmount(idA), 500e18);
        assertEq(delegation.currentAmount(idB), 1_500e18);

        _rollEras(2);
        vm.expectEmit(true, true, false, true, address(delegation));
        emit Delegation.Reclaimed(idA, lockA, 500e18);
        _reclaim(idA);
        LockPosition memory l = delegation.lock(lockA);
        assertEq(l.free, 500e18);
        assertEq(l.amount, 500e18);
        assertEq(delegation.undelegatedFrom(node), 0);

        // reclaimed ICNT is out of reach: the next slash only takes from bob
        delegation.slash(node, 1_500e18);
        assertEq(delegation.currentAmount(idB), 0);
        assertEq(delegation.currentAmount(idA), 500e18);
        vm.warp(block.timestamp + 1 days);
        uint256 before = icnt.balanceOf(alice);
        vm.prank(alice);
        delegation.withdraw(lockA, 500e18);
        assertEq(icnt.balanceOf(alice), before + 500e18);
    }

    function test_slashLargerThanExposureTakesOnlyTheExposure() public {
        (uint256 lockA, uint256 idA) = _delegate(alice, node, 1_000e18, 1);
        (, uint256 idB) = _delegate(bob, node, 2_000e18, 1);
        _undelegate(idB);
        uint256 treasuryBefore = icnt.balanceOf(address(treasury));

        vm.expectEmit(true, false, false, true, address(delegation));
        emit Delegation.SlashEpochEnded(node, 0, 0);
        vm.expectEmit(true, false, false, true, address(delegation));
        emit Delegation.DelegationSlashed(node, 1_000_000e18, 3_000e18, 1_000e18, 2_000e18, address(treasury));
        assertEq(delegation.slash(node, 1_000_000e18), 3_000e18);
        assertEq(icnt.balanceOf(address(treasury)), treasuryBefore + 3_000e18);
        assertEq(delegation.slashable(node), 0);
        assertEq(delegation.totalDelegated(), 0);
        assertEq(delegation.currentAmount(idA), 0);
        assertEq(delegation.currentAmount(idB), 0);
        (uint256 scale, uint256 epoch, uint256 active) = delegation.slashState(node);
        assertEq(scale, SCALE);
        assertEq(epoch, 1);
        assertEq(active, 1);
        SlashEpochEnd memory end = delegation.slashEpochEnd(node, 0);
        assertEq(end.scale, 0);
        assertEq(end.apyAccumulator, delegation.apyAccumulator());
        // nothing is left to take
        assertEq(delegation.slash(node, 1e18), 0);

        // the node takes new delegations at full value; the wiped ones leave with nothing
        (, uint256 idC) = _delegate(carol, node, 500e18, 1);
        assertEq(delegation.currentAmount(idC), 500e18);
        assertEq(delegation.delegatedTo(node), 500e18);
        vm.warp(block.timestamp + 30 days);
        (uint256 apyA,) = delegation.pendingRewards(idA);
        assertEq(apyA, 0);
        (uint256 apyC,) = delegation.pendingRewards(idC);
        assertGt(apyC, 0);
        _undelegate(idA);
        assertEq(delegation.lock(lockA).amount, 0);
        assertEq(delegation.delegatedTo(node), 500e18);
        delegation.slash(node, 250e18);
        assertEq(delegation.currentAmount(idC), 250e18);
    }

    function test_successiveSlashesCompound() public {
        (, uint256 idA) = _delegate(alice, node, 1_000e18, 30);
        delegation.slash(node, 500e18);
        delegation.slash(node, 250e18); // half of what is left
        (uint256 scale,,) = delegation.slashState(node);
        assertEq(scale, SCALE / 4);
        assertEq(delegation.currentAmount(idA), 250e18); // × ½ × ½, not 1 − ½ − ½
        (, uint256 idB) = _delegate(bob, node, 250e18, 30); // joins at scale ¼
        delegation.slash(node, 100e18);
        assertEq(delegation.currentAmount(idA), 200e18);
        assertEq(delegation.currentAmount(idB), 200e18);
        _undelegate(idA);
        _undelegate(idB);
        assertEq(delegation.delegation(idA).amount, 200e18);
        assertEq(delegation.delegation(idB).amount, 200e18);
        assertEq(delegation.delegatedTo(node), 0);
        assertEq(delegation.undelegatedFrom(node), 400e18);
    }

    // ---------------------------------------------------------------- rewards around a slash

    function test_apyBeforeTheSlashInFullAfterItOnTheReducedAmount() public {
        uint256 amount = 1_000_000e18;
        (, uint256 id) = _delegate(alice, node, amount, 1_440); // multiplier 1
        vm.warp(block.timestamp + 100 days);
        uint256 before = _refReward(amount, _refApy(amount), 100 days);
        (uint256 pendingBefore,) = delegation.pendingRewards(id);
        assertApproxEqRel(pendingBefore, before, 1e9, "before the slash");

        delegation.slash(node, 600_000e18);
        (uint256 pendingAtSlash,) = delegation.pendingRewards(id);
        assertEq(pendingAtSlash, pendingBefore, "the slash takes no accrued APY");

        vm.warp(block.timestamp + 100 days);
        uint256 after_ = _refReward(400_000e18, _refApy(400_000e18), 100 days);
        (uint256 pending,) = delegation.pendingRewards(id);
        assertApproxEqRel(pending, before + after_, 1e9, "after the slash");

        vm.prank(alice);
        uint256 claimId = delegation.initiateRewardsClaim(_ids(id));
        assertEq(delegation.rewardClaim(claimId).apyAmount, pending);
    }

    /// A delegation settled just before a slash and one settled long after it get the same rewards.
    function test_lazySettlementEqualsEagerSettlement() public {
        (, uint256 idA) = _delegate(alice, node, 1_000_000e18, 360);
        (, uint256 idB) = _delegate(bob, node, 1_000_000e18, 360);
        (, uint256 idC) = _delegate(carol, node, 500_000e18, 1_440);
        _undelegate(idC); // exposed, not earning
        vm.warp(block.timestamp + 50 days);
        delegation.distributeNodeRewards(node, 10_000e18);
        vm.prank(alice);
        delegation.initiateRewardsClaim(_ids(idA)); // eager: settles right before the slash
        delegation.slash(node, 1_250_000e18); // half of the exposure
        delegation.distributeNodeRewards(node, 3_000e18);
        vm.warp(block.timestamp + 70 days);
        delegation.slash(node, 625_000e18); // half of what is left
        vm.warp(block.timestamp + 30 days);
        delegation.distributeNodeRewards(node, 1_000e18);

        vm.prank(alice);
        uint256 claimA = delegation.initiateRewardsClaim(_ids(idA));
        vm.prank(bob);
        uint256 claimB = delegation.initiateRewardsClaim(_ids(idB));
        uint256 apyA = delegation.rewardClaim(claimA).apyAmount;
        uint256 nodeA = delegation.rewardClaim(claimA).nodeAmount;
        uint256 apyB = delegation.rewardClaim(claimB).apyAmount;
        uint256 nodeB = delegation.rewardClaim(claimB).nodeAmount;
        // alice's first claim (before the slash) is part of her total
        apyA += delegation.rewardClaim(1).apyAmount;
        nodeA += delegation.rewardClaim(1).nodeAmount;
        assertApproxEqAbs(apyA, apyB, 2, "APY");
        assertApproxEqAbs(nodeA, nodeB, 2, "node rewards");
        // node rewards split over active delegations only: 5,000 + 1,500 + 500
        assertApproxEqAbs(nodeA, 5_000e18 + 1_500e18 + 500e18, 2, "node reward shares");
        assertEq(delegation.currentAmount(idA), 250_000e18);
        assertEq(delegation.currentAmount(idC), 125_000e18);
    }

    function test_nodeRewardsAfterASlashGoToTheReducedAmounts() public {
        (, uint256 idA) = _delegate(alice, node, 1_000e18, 30);
        (, uint256 idB) = _delegate(bob, node, 3_000e18, 30);
        delegation.slash(node, 2_000e18);
        vm.expectEmit(true, false, false, true, address(delegation));
        emit Delegation.NodeRewardsDistributed(node, 800e18, uint256(800e18) * (SCALE / 2) / 2_000e18);
        delegation.distributeNodeRewards(node, 800e18);
        (, uint256 nodeA) = delegation.pendingRewards(idA);
        (, uint256 nodeB) = delegation.pendingRewards(idB);
        assertEq(nodeA, 200e18);
        assertEq(nodeB, 600e18);
    }

    // ---------------------------------------------------------------- epochs and rounding

    /// A slash that leaves the scale below MIN_SLASH_SCALE with ICNT still exposed starts a new epoch;
    /// a delegation that joined at a small scale carries its amount and rewards across it.
    function test_scaleBelowMinimumStartsANewEpoch() public {
        (, uint256 idA) = _delegate(alice, node, 1_000e18, 1_440);
        delegation.slash(node, 1_000e18 - 1e4); // scale 1e36 × 1e4 / 1e21 = 1e19
        (uint256 scale, uint256 epoch,) = delegation.slashState(node);
        assertEq(scale, 1e19);
        assertEq(epoch, 0);
        assertEq(delegation.currentAmount(idA), 1e4);

        (, uint256 idB) = _delegate(bob, node, 1_000e18, 1_440); // joins at scale 1e19
        delegation.slash(node, (1_000e18 + 1e4) / 2);
        (scale,,) = delegation.slashState(node);
        assertEq(scale, 5e18);
        assertEq(delegation.currentAmount(idB), 500e18);
        vm.warp(block.timestamp + 10 days);
        (uint256 apyB1,) = delegation.pendingRewards(idB);

        uint256 exposed = delegation.slashable(node);
        vm.expectEmit(true, false, false, true, address(delegation));
        emit Delegation.SlashEpochEnded(node, 0, 5e17);
        delegation.slash(node, exposed * 9 / 10); // scale would be 5e17 < 1e18
        (scale, epoch,) = delegation.slashState(node);
        assertEq(scale, SCALE);
        assertEq(epoch, 1);
        assertEq(delegation.currentAmount(idB), 50e18); // 1,000 × 5e17 / 1e19
        assertEq(delegation.currentAmount(idA), 500); // 1e21 × 5e17 / 1e36: 1e4 × ½ × 1/10
        (uint256 apyB2,) = delegation.pendingRewards(idB);
        assertEq(apyB2, apyB1, "APY up to the epoch's end");

        (, uint256 idC) = _delegate(carol, node, 50e18, 1_440);
        delegation.distributeNodeRewards(node, 100e18);
        (, uint256 nodeB) = delegation.pendingRewards(idB);
        (, uint256 nodeC) = delegation.pendingRewards(idC);
        assertApproxEqAbs(nodeB, 50e18, 1e9, "B's share in the new epoch");
        assertApproxEqAbs(nodeC, 50e18, 1e9, "C's share");
        assertLe(nodeB + nodeC, 100e18);
        vm.warp(block.timestamp + 10 days);
        (uint256 apyB3,) = delegation.pendingRewards(idB);
        (uint256 apyC,) = delegation.pendingRewards(idC);
        assertApproxEqAbs(apyB3 - apyB2, apyC, 1e6, "B earns on 50 like C");

        // settling writes the new epoch's checkpoint
        _undelegate(idB);
        DelegationPosition memory d = delegation.delegation(idB);
        assertEq(d.amount, 50e18);
        assertEq(d.slashEpoch, 1);
        assertEq(d.slashScale, SCALE);
    }

    /// Floors leave a remainder in the node's total; the last Active delegation to leave takes it,
    /// so `delegatedTo` returns to exactly 0.
    function test_lastActiveDelegationTakesTheRoundingRemainder() public {
        (, uint256 idA) = _delegate(alice, node, 1, 30);
        (, uint256 idB) = _delegate(bob, node, 1, 30);
        (uint256 lockC, uint256 idC) = _delegate(carol, node, 1, 30);
        // exposed 3, t = 1: fromActive = 1, scale ⌊1e36 × 2 / 3⌋, each keeps ⌊2/3⌋ = 0
        assertEq(delegation.slash(node, 1), 1);
        assertEq(delegation.delegatedTo(node), 2);
        assertEq(delegation.currentAmount(idA), 0);
        _undelegate(idA);
        _undelegate(idB);
        assertEq(delegation.delegatedTo(node), 2);
        vm.expectEmit(true, true, false, true, address(delegation));
        emit Delegation.RoundingRemainderAssigned(idC, node, 2);
        _undelegate(idC);
        assertEq(delegation.delegatedTo(node), 0);
        assertEq(delegation.totalDelegated(), 0);
        assertEq(delegation.delegation(idC).amount, 2);
        assertEq(delegation.lock(lockC).amount, 2);
        assertEq(delegation.undelegatedFrom(node), 2);
        (,, uint256 active) = delegation.slashState(node);
        assertEq(active, 0);
        // what the delegations hold is still all there
        assertEq(icnt.balanceOf(address(delegation)), 2);
    }

    /// t ≥ 1 with floors that take nothing: amounts shrink by rounding, the totals stay.
    function test_slashTakesAtMostOneBaseUnitLess() public {
        _delegate(alice, node, 1, 30);
        (, uint256 idB) = _delegate(bob, node, 1, 30);
        _undelegate(idB);
        assertEq(delegation.slash(node, 1), 0); // ⌊1 × 1 / 2⌋ + ⌊1 × 1 / 2⌋
        assertEq(delegation.slashable(node), 2);
    }

    function test_slashWhilePaused() public {
        (, uint256 id) = _delegate(alice, node, 1_000e18, 30);
        delegation.pause();
        assertEq(delegation.slash(node, 100e18), 100e18);
        assertEq(delegation.currentAmount(id), 900e18);
    }

    function test_currentAmountOfReclaimedAndUnknown() public {
        (, uint256 id) = _delegate(alice, node, 1_000e18, 30);
        _undelegate(id);
        _rollEras(2);
        _reclaim(id);
        delegation.slash(node, 1_000e18); // nothing exposed any more
        assertEq(delegation.currentAmount(id), 1_000e18);
        assertEq(delegation.currentAmount(999), 0);
        assertTrue(delegation.delegation(id).status == DelegationStatus.Reclaimed);
    }

    // ---------------------------------------------------------------- fuzz

    /// Three delegations of any size (one waiting for reclaim), two slashes of any size: every
    /// delegation keeps at most its exact pro-rata share and at most 3 base units less (the floors of
    /// the scale and of the amount, one more across an epoch's end); nothing taken exceeds what was exposed; the node totals cover what the
    /// delegations hold; the contract holds every lock.
    function testFuzz_slashProRata(uint256 a, uint256 b, uint256 c, uint256 s1, uint256 s2) public {
        uint256[3] memory amt;
        amt[0] = bound(a, 1, 10_000_000e18);
        amt[1] = bound(b, 1, 10_000_000e18);
        amt[2] = bound(c, 1, 10_000_000e18);
        uint256[3] memory ids;
        (, ids[0]) = _delegate(alice, node, amt[0], 30);
        (, ids[1]) = _delegate(bob, node, amt[1], 360);
        (, ids[2]) = _delegate(carol, node, amt[2], 1_440);
        _undelegate(ids[2]);
        uint256 exposed = amt[0] + amt[1] + amt[2];

        uint256 t1 = bound(s1, 0, exposed * 2);
        uint256 taken1 = delegation.slash(node, t1);
        uint256 cap1 = t1 < exposed ? t1 : exposed;
        assertLe(taken1, cap1, "first slash within the exposure");
        assertGe(taken1 + 1, cap1, "first slash short by at most one unit");
        uint256 exposed2 = delegation.slashable(node);
        assertEq(exposed2, exposed - taken1);
        uint256 t2 = bound(s2, 0, exposed2 * 2);
        uint256 taken2 = delegation.slash(node, t2);
        assertLe(taken2, t2 < exposed2 ? t2 : exposed2, "second slash within the exposure");

        uint256 held;
        uint256 activeHeld;
        for (uint256 i; i < 3; ++i) {
            uint256 kept = delegation.currentAmount(ids[i]);
            if (i < 2) activeHeld += kept;
            // exact share: amount × (1 − t1/E1)(1 − t2/E2) with E, t as capped by each slash
            uint256 exact = _exactShare(amt[i], exposed, cap1, exposed2, t2 < exposed2 ? t2 : exposed2);
            assertLe(kept, exact, "never above the exact share");
            assertGe(kept + 3, exact, "at most rounding below it");
            held += kept;
        }
        assertLe(held, delegation.slashable(node), "node totals cover the delegations");
        assertLe(activeHeld, delegation.delegatedTo(node), "delegatedTo covers the Active ones");
        assertLe(held - activeHeld, delegation.undelegatedFrom(node), "undelegatedFrom covers the waiting one");
        assertEq(delegation.slashable(node), exposed - taken1 - taken2);
        assertEq(icnt.balanceOf(address(delegation)), exposed - taken1 - taken2);

        // settle everything: no lock owes more than it holds, and the contract still holds every lock
        _undelegate(ids[0]);
        _undelegate(ids[1]);
        _rollEras(2);
        uint256 locks;
        for (uint256 i; i < 3; ++i) {
            _reclaim(ids[i]);
            locks += delegation.lock(delegation.delegation(ids[i]).lockId).amount;
        }
        assertLe(locks, icnt.balanceOf(address(delegation)), "contract holds every lock");
        assertEq(delegation.delegatedTo(node), 0);
    }

    /// amount × (E1 − t1)/E1 × (E2 − t2)/E2, rounded down.
    function _exactShare(uint256 amount, uint256 e1, uint256 t1, uint256 e2, uint256 t2)
        internal
        pure
        returns (uint256)
    {
        if (e2 == 0) return 0;
        return amount * (e1 - t1) * (e2 - t2) / (e1 * e2); // amounts < 2^84, exposures < 2^85: < 2^254
    }

    /// Many tiny delegations and many slashes: the rounding bound in its hardest setting. Every slash
    /// takes at most what was exposed; each delegation ends with at most what its slashes left; the
    /// ICNT the contract holds covers every lock.
    function testFuzz_roundingNeverOverTakes(uint256 seed) public {
        uint256[8] memory ids;
        uint256 deposited;
        for (uint256 i; i < 8; ++i) {
            uint256 amount = uint256(keccak256(abi.encode(seed, i))) % 7 + 1; // 1 … 7 base units
            address who = address(uint160(0xD000 + i));
            _delegator(who, amount);
            (, ids[i]) = _delegate(who, node, amount, 30);
            deposited += amount;
            if (i % 3 == 0) _undelegate(ids[i]);
        }
        uint256 takenTotal;
        for (uint256 k; k < 6; ++k) {
            uint256 exposed = delegation.slashable(node);
            uint256 t = uint256(keccak256(abi.encode(seed, "slash", k))) % (exposed + 2);
            uint256 taken = delegation.slash(node, t);
            assertLe(taken, t < exposed ? t : exposed, "within the exposure");
            takenTotal += taken;
            uint256 activeHeld;
            uint256 waitingHeld;
            for (uint256 i; i < 8; ++i) {
                if (i % 3 == 0) waitingHeld += delegation.currentAmount(ids[i]);
                else activeHeld += delegation.currentAmount(ids[i]);
            }
            assertLe(activeHeld, delegation.delegatedTo(node), "delegatedTo covers the Active ones");
            assertLe(waitingHeld, delegation.undelegatedFrom(node), "undelegatedFrom covers the waiting ones");
        }
        assertEq(icnt.balanceOf(address(delegation)), deposited - takenTotal);
        uint256 locks;
        for (uint256 i; i < 8; ++i) {
            if (i % 3 != 0) _undelegate(ids[i]);
        }
        _rollEras(2);
        for (uint256 i; i < 8; ++i) {
            _reclaim(ids[i]);
            locks += delegation.lock(delegation.delegation(ids[i]).lockId).amount;
        }
        assertLe(locks, icnt.balanceOf(address(delegation)), "contract holds every lock");
    }

    /// APY accrued before a slash is unaffected by it, whatever the sizes.
    function testFuzz_slashKeepsAccruedRewards(uint256 amount, uint256 cut, uint256 wait) public {
        amount = bound(amount, 1e18, 10_000_000e18);
        cut = bound(cut, 0, amount);
        wait = bound(wait, 1, 400 days);
        (, uint256 id) = _delegate(alice, node, amount, 720);
        delegation.distributeNodeRewards(node, 1_000e18);
        vm.warp(block.timestamp + wait);
        (uint256 apy, uint256 nodePart) = delegation.pendingRewards(id);
        delegation.slash(node, cut);
        (uint256 apyAfter, uint256 nodeAfter) = delegation.pendingRewards(id);
        assertEq(apyAfter, apy);
        assertEq(nodeAfter, nodePart);
        // a sole delegation keeps ⌊amount × scale⌋: up to 1 unit below amount − cut (the node total
        // keeps that unit; the last delegation to leave takes it back)
        assertLe(delegation.currentAmount(id), amount - cut);
        assertGe(delegation.currentAmount(id) + 1, amount - cut);
        assertEq(delegation.delegatedTo(node), amount - cut);
    }
}

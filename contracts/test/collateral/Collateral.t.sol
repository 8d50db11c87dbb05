// SPDX-License-Identifier: MIT
// forge tests for Collateral: deposits, top-ups, commitment, exit and withdrawal timing, slashing, parameters.
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {CollateralFixture} from "./CollateralFixture.sol";
import {ProtocolRoles} from "../../src/common/ProtocolRoles.sol";
import {Collateral, NodeCommitment} from "../../src/collateral/Collateral.sol";
import {IRegistry, ScalerNodeStatus} from "../../src/interfaces/IRegistry.sol";
import {IEraManager} from "../../src/interfaces/IEraManager.sol";

contract CollateralTest is CollateralFixture {
    function setUp() public {
        _deploy();
    }

    /// `change(node, arg)` sent by the node's HP (topUp, extendCommitment) is refused on a Rejected node
    /// and on one that has exited.
    function _assertRefusedWhenRejectedOrExited(function(uint256, uint256) external change, uint256 arg) internal {
        uint256 rejected = _register();
        registry.rejectScalerNode(rejected, "bad disk");
        vm.prank(hp);
        vm.expectRevert(
            abi.encodeWithSelector(Collateral.WrongNodeStatus.selector, rejected, ScalerNodeStatus.Rejected)
        );
        change(rejected, arg);

        uint256 exited = _register();
        vm.startPrank(hp);
        collateral.exit(exited);
        vm.expectRevert(abi.encodeWithSelector(Collateral.AlreadyExited.selector, exited));
        change(exited, arg);
        vm.stopPrank();
    }

    function _one(uint256 v) internal pure returns (uint256[] memory a) {
        a = new uint256[](1);
        a[0] = v;
    }

    function _one64(uint64 v) internal pure returns (uint64[] memory a) {
        a = new uint64[](1);
        a[0] = v;
    }

    // ---------------------------------------------------------------- constructor

    function test_constructorStoresWiring() public view {
        assertEq(address(collateral.icnt()), address(icnt));
        assertEq(address(collateral.registry()), address(registry));
        assertEq(address(collateral.eras()), address(eras));
        assertEq(collateral.treasury(), address(treasury));
        assertEq(collateral.exposureEras(), 2);
        assertEq(collateral.MIN_COMMITMENT(), 1_080 days);
        assertEq(collateral.COMMITMENT_STEP(), 180 days);
    }

    function test_constructorRejectsZeroAddresses() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Collateral(address(this), IERC20(address(0)), registry, eras, address(treasury));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Collateral(address(this), icnt, IRegistry(address(0)), eras, address(treasury));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Collateral(address(this), icnt, registry, IEraManager(address(0)), address(treasury));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Collateral(address(this), icnt, registry, eras, address(0));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Collateral(address(0), icnt, registry, eras, address(treasury));
    }

    // ---------------------------------------------------------------- depositInitial

    function test_registrationDepositsThroughRegistry() public {
        uint256 before = icnt.balanceOf(hp);
        vm.expectEmit(true, true, false, true, address(collateral));
        emit Collateral.CollateralDeposited(
            1, hp, MIN_DEPOSIT, uint64(block.timestamp), uint64(block.timestamp) + COMMIT
        );
        uint256 nodeId = _register();
        assertEq(nodeId, 1);
        assertEq(icnt.balanceOf(hp), before - MIN_DEPOSIT);
        assertEq(icnt.balanceOf(address(collateral)), MIN_DEPOSIT);
        assertEq(collateral.collateralOf(nodeId), MIN_DEPOSIT);
        assertEq(collateral.commitmentEnd(nodeId), block.timestamp + COMMIT);
        NodeCommitment memory c = collateral.commitment(nodeId);
        assertEq(c.amount, MIN_DEPOSIT);
        assertEq(c.commitmentStart, block.timestamp);
        assertEq(c.commitmentEnd, block.timestamp + COMMIT);
        assertEq(c.withdrawableEra, 0);
        assertFalse(c.exited);
    }

    function test_depositInitialBatchPullsTotalOnce() public {
        uint256[] memory amounts = new uint256[](3);
        uint64[] memory durations = new uint64[](3);
        amounts[0] = 1e18;
        amounts[1] = 0;
        amounts[2] = 5e18;
        durations[0] = COMMIT;
        durations[1] = COMMIT + 180 days;
        durations[2] = 3_600 days;
        address payer = address(0xFEE);
        _fund(payer, 6e18);
        vm.prank(payer);
        icnt.approve(address(collateral), 6e18);
        collateral.depositInitial(payer, 100, amounts, durations);
        assertEq(icnt.balanceOf(payer), 0);
        assertEq(collateral.collateralOf(100), 1e18);
        assertEq(collateral.collateralOf(101), 0);
        assertEq(collateral.collateralOf(102), 5e18);
        assertEq(collateral.commitmentEnd(101), block.timestamp + COMMIT + 180 days);
        assertEq(collateral.commitmentEnd(102), block.timestamp + 3_600 days);
    }

    function test_depositInitialRejectsBadBatches() public {
        vm.expectRevert(Collateral.EmptyBatch.selector);
        collateral.depositInitial(address(this), 1, new uint256[](0), new uint64[](0));
        vm.expectRevert(abi.encodeWithSelector(Collateral.LengthMismatch.selector, 1, 2));
        collateral.depositInitial(address(this), 1, _one(1), new uint64[](2));
    }

    function test_depositInitialRejectsBadCommitments() public {
        vm.expectRevert(abi.encodeWithSelector(Collateral.CommitmentTooShort.selector, COMMIT - 1, COMMIT));
        collateral.depositInitial(address(this), 1, _one(1), _one64(COMMIT - 1));
        vm.expectRevert(abi.encodeWithSelector(Collateral.CommitmentNotInSteps.selector, COMMIT + 1 days, 180 days));
        collateral.depositInitial(address(this), 1, _one(1), _one64(COMMIT + 1 days));
        vm.expectRevert(abi.encodeWithSelector(Collateral.CommitmentTooLong.selector, 3_780 days, 3_600 days));
        collateral.depositInitial(address(this), 1, _one(1), _one64(3_780 days));
    }

    function test_registryRejectsBadCommitmentThroughCollateral() public {
        vm.expectRevert(abi.encodeWithSelector(Collateral.CommitmentTooShort.selector, 30 days, COMMIT));
        _register(hp, CAPACITY, MIN_DEPOSIT, 30 days);
    }

    function test_depositInitialRejectsSecondDeposit() public {
        uint256 nodeId = _register();
        vm.expectRevert(abi.encodeWithSelector(Collateral.AlreadyDeposited.selector, nodeId));
        collateral.depositInitial(address(this), nodeId, _one(1), _one64(COMMIT));
    }

    function test_depositInitialOnlyProtocol() public {
        bytes memory err = _unauthorized(stranger, collateral.PROTOCOL_ROLE());
        vm.prank(stranger);
        vm.expectRevert(err);
        collateral.depositInitial(stranger, 1, _one(1), _one64(COMMIT));
    }

    function testFuzz_commitmentDurations(uint256 steps, uint256 amount) public {
        steps = bound(steps, 0, 14); // 1,080 + 14 × 180 = 3,600 days
        amount = bound(amount, MIN_DEPOSIT, 2_000_000e18);
        uint64 duration = uint64(COMMIT + steps * 180 days);
        uint256 nodeId = _register(hp, CAPACITY, amount, duration);
        assertEq(collateral.collateralOf(nodeId), amount);
        assertEq(collateral.commitmentEnd(nodeId), block.timestamp + duration);
        assertEq(collateral.shortfall(nodeId), amount >= REQUIREMENT ? 0 : REQUIREMENT - amount);
    }

    function testFuzz_commitmentOffStepRejected(uint256 duration) public {
        duration = bound(duration, COMMIT, 3_600 days);
        vm.assume((duration - COMMIT) % 180 days != 0);
        vm.expectRevert(abi.encodeWithSelector(Collateral.CommitmentNotInSteps.selector, duration, 180 days));
        collateral.depositInitial(address(this), 1, _one(1), _one64(uint64(duration)));
    }

    // ---------------------------------------------------------------- topUp / addCollateralFrom / shortfall

    function test_topUpAddsAndClosesShortfall() public {
        uint256 nodeId = _register();
        assertEq(collateral.shortfall(nodeId), REQUIREMENT - MIN_DEPOSIT);
        assertFalse(collateral.isFullyCollateralised(nodeId));
        vm.expectEmit(true, true, false, true, address(collateral));
        emit Collateral.CollateralAdded(nodeId, hp, 70_000e18, REQUIREMENT);
        vm.prank(hp);
        collateral.topUp(nodeId, 70_000e18);
        assertEq(collateral.collateralOf(nodeId), REQUIREMENT);
        assertEq(collateral.shortfall(nodeId), 0);
        assertTrue(collateral.isFullyCollateralised(nodeId));
        vm.prank(hp);
        collateral.topUp(nodeId, 1e18); // over-collateralised: still no shortfall
        assertEq(collateral.shortfall(nodeId), 0);
        assertEq(icnt.balanceOf(address(collateral)), REQUIREMENT + 1e18);
    }

    function test_topUpByAnyoneOnValidatedAndBookedNodes() public {
        uint256 nodeId = _registerValidated();
        _fund(stranger, 2e18);
        vm.startPrank(stranger);
        icnt.approve(address(collateral), 2e18);
        collateral.topUp(nodeId, 1e18);
        vm.stopPrank();
        registry.markBooked(nodeId, 1);
        vm.prank(stranger);
        collateral.topUp(nodeId, 1e18);
        assertEq(collateral.collateralOf(nodeId), MIN_DEPOSIT + 2e18);
    }

    function test_topUpErrors() public {
        uint256 nodeId = _register();
        vm.startPrank(hp);
        vm.expectRevert(Collateral.ZeroAmount.selector);
        collateral.topUp(nodeId, 0);
        vm.expectRevert(abi.encodeWithSelector(Collateral.UnknownNode.selector, 99));
        collateral.topUp(99, 1e18);
        vm.stopPrank();

        _assertRefusedWhenRejectedOrExited(collateral.topUp, 1e18);
    }

    function test_topUpPaused() public {
        uint256 nodeId = _register();
        collateral.pause();
        vm.prank(hp);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        collateral.topUp(nodeId, 1e18);
    }

    function test_addCollateralFromDivertsRewards() public {
        uint256 nodeId = _registerValidated();
        address rewardsHolder = address(0x5E7);
        _fund(rewardsHolder, 10e18);
        vm.prank(rewardsHolder);
        icnt.approve(address(collateral), 10e18);
        collateral.pause(); // settlement keeps working while user functions are paused
        vm.expectEmit(true, true, false, true, address(collateral));
        emit Collateral.CollateralAdded(nodeId, rewardsHolder, 10e18, MIN_DEPOSIT + 10e18);
        collateral.addCollateralFrom(rewardsHolder, nodeId, 10e18);
        assertEq(collateral.collateralOf(nodeId), MIN_DEPOSIT + 10e18);
        assertEq(icnt.balanceOf(rewardsHolder), 0);
    }

    function test_addCollateralFromErrors() public {
        uint256 nodeId = _register();
        bytes memory err = _unauthorized(stranger, collateral.PROTOCOL_ROLE());
        vm.prank(stranger);
        vm.expectRevert(err);
        collateral.addCollateralFrom(hp, nodeId, 1e18);
        vm.expectRevert(Collateral.ZeroAmount.selector);
        collateral.addCollateralFrom(hp, nodeId, 0);
        vm.expectRevert(abi.encodeWithSelector(Collateral.UnknownNode.selector, 7));
        collateral.addCollateralFrom(hp, 7, 1e18);
    }

    function testFuzz_shortfall(uint256 deposit, uint256 topUp) public {
        deposit = bound(deposit, MIN_DEPOSIT, 3 * REQUIREMENT);
        topUp = bound(topUp, 1, 3 * REQUIREMENT);
        uint256 nodeId = _register(hp, CAPACITY, deposit, COMMIT);
        vm.prank(hp);
        collateral.topUp(nodeId, topUp);
        uint256 total = deposit + topUp;
        assertEq(collateral.collateralOf(nodeId), total);
        assertEq(collateral.shortfall(nodeId), total >= REQUIREMENT ? 0 : REQUIREMENT - total);
        assertEq(collateral.isFullyCollateralised(nodeId), total >= REQUIREMENT);
    }

    // ---------------------------------------------------------------- extendCommitment

    function test_extendCommitment() public {
        uint256 nodeId = _registerValidated();
        uint64 end = collateral.commitmentEnd(nodeId);
        vm.expectEmit(true, false, false, true, address(collateral));
        emit Collateral.CommitmentExtended(nodeId, 3, end + 540 days);
        vm.prank(hp);
        collateral.extendCommitment(nodeId, 3);
        assertEq(collateral.commitmentEnd(nodeId), end + 540 days);
    }

    function test_extendCommitmentErrors() public {
        uint256 nodeId = _registerValidated();
        vm.prank(hp);
        vm.expectRevert(Collateral.ZeroAmount.selector);
        collateral.extendCommitment(nodeId, 0);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.UnknownNode.selector, 42));
        collateral.extendCommitment(42, 1);
        vm.prank(hp2);
        vm.expectRevert(abi.encodeWithSelector(Collateral.NotNodeOwner.selector, nodeId, hp2, hp));
        collateral.extendCommitment(nodeId, 1);
        // 1,080 days + 15 × 180 days = 3,780 days ahead > 3,600 days
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.CommitmentTooLong.selector, 3_780 days, 3_600 days));
        collateral.extendCommitment(nodeId, 15);

        _assertRefusedWhenRejectedOrExited(collateral.extendCommitment, 1);

        collateral.pause();
        vm.prank(hp);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        collateral.extendCommitment(nodeId, 1);
    }

    function testFuzz_extendCommitment(uint256 steps, uint256 elapsed) public {
        elapsed = bound(elapsed, 0, 2_000 days);
        uint256 nodeId = _registerValidated();
        uint64 end = collateral.commitmentEnd(nodeId);
        vm.warp(block.timestamp + elapsed);
        uint256 maxSteps = (block.timestamp + 3_600 days - end) / 180 days;
        steps = bound(steps, 1, maxSteps);
        vm.prank(hp);
        collateral.extendCommitment(nodeId, steps);
        assertEq(collateral.commitmentEnd(nodeId), end + steps * 180 days);
    }

    // ---------------------------------------------------------------- exit and withdrawal

    function test_registeredNodeExitsAndIsPaidAtOnce() public {
        uint256 nodeId = _register();
        uint256 before = icnt.balanceOf(hp);
        vm.expectEmit(true, false, false, true, address(collateral));
        emit Collateral.NodeExited(nodeId, ScalerNodeStatus.Registered, uint64(eras.currentEra()));
        vm.expectEmit(true, true, false, true, address(collateral));
        emit Collateral.CollateralWithdrawn(nodeId, hp, MIN_DEPOSIT);
        vm.prank(hp);
        collateral.exit(nodeId);
        assertEq(icnt.balanceOf(hp), before + MIN_DEPOSIT);
        assertEq(collateral.collateralOf(nodeId), 0);
        assertTrue(_status(nodeId) == ScalerNodeStatus.Offboarded);
        assertTrue(collateral.commitment(nodeId).exited);
        assertEq(collateral.shortfall(nodeId), 0);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.NothingToWithdraw.selector, nodeId));
        collateral.withdraw(nodeId);
    }

    function test_registeredNodeWithdrawsDirectly() public {
        uint256 nodeId = _register();
        uint256 before = icnt.balanceOf(hp);
        vm.prank(hp);
        collateral.withdraw(nodeId);
        assertEq(icnt.balanceOf(hp), before + MIN_DEPOSIT);
        assertTrue(_status(nodeId) == ScalerNodeStatus.Offboarded);
    }

    function test_rejectedNodeIsPaidAtOnce() public {
        uint256 nodeId = _register();
        registry.rejectScalerNode(nodeId, "wrong class");
        uint256 before = icnt.balanceOf(hp);
        vm.prank(hp);
        collateral.withdraw(nodeId);
        assertEq(icnt.balanceOf(hp), before + MIN_DEPOSIT);
        assertTrue(_status(nodeId) == ScalerNodeStatus.Rejected);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.AlreadyExited.selector, nodeId));
        collateral.exit(nodeId);

        uint256 other = _register();
        registry.rejectScalerNode(other, "wrong class");
        vm.expectEmit(true, false, false, true, address(collateral));
        emit Collateral.NodeExited(other, ScalerNodeStatus.Rejected, uint64(eras.currentEra()));
        vm.prank(hp);
        collateral.exit(other);
        assertEq(collateral.collateralOf(other), 0);
    }

    function test_validatedNodeExitsAfterCommitmentThenWaitsTwoEras() public {
        uint256 nodeId = _registerValidated();
        vm.prank(hp);
        collateral.topUp(nodeId, 70_000e18);
        uint64 end = collateral.commitmentEnd(nodeId);

        vm.warp(end - 1);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.CommitmentNotEnded.selector, nodeId, end));
        collateral.exit(nodeId);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.NotExited.selector, nodeId));
        collateral.withdraw(nodeId);

        vm.warp(end);
        _rollEras(5);
        uint256 era = eras.currentEra();
        vm.expectEmit(true, false, false, true, address(collateral));
        emit Collateral.NodeExited(nodeId, ScalerNodeStatus.Validated, uint64(era + 2));
        vm.prank(hp);
        collateral.exit(nodeId);
        assertTrue(_status(nodeId) == ScalerNodeStatus.Offboarded);
        assertEq(collateral.withdrawableEra(nodeId), era + 2);
        assertEq(registry.networkCapacity(), 0);

        // exposed through the end of era + 1
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.WithdrawalNotYet.selector, nodeId, era + 2, era));
        collateral.withdraw(nodeId);
        _rollEras(1);
        vm.roll(block.number + ERA_BLOCKS - 1); // last block of era + 1
        assertEq(eras.currentEra(), era + 1);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.WithdrawalNotYet.selector, nodeId, era + 2, era + 1));
        collateral.withdraw(nodeId);
        assertEq(collateral.slash(nodeId, 1_000e18), 1_000e18); // still slashable

        vm.roll(block.number + 1);
        uint256 before = icnt.balanceOf(hp);
        vm.expectEmit(true, true, false, true, address(collateral));
        emit Collateral.CollateralWithdrawn(nodeId, hp, REQUIREMENT - 1_000e18);
        vm.prank(hp);
        collateral.withdraw(nodeId);
        assertEq(icnt.balanceOf(hp), before + REQUIREMENT - 1_000e18);
        assertEq(collateral.collateralOf(nodeId), 0);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.NothingToWithdraw.selector, nodeId));
        collateral.withdraw(nodeId);
    }

    function test_bookedNodeCannotExit() public {
        uint256 nodeId = _registerValidated();
        registry.markBooked(nodeId, 1);
        vm.warp(collateral.commitmentEnd(nodeId) + 1);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.NodeIsBooked.selector, nodeId));
        collateral.exit(nodeId);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.NotExited.selector, nodeId));
        collateral.withdraw(nodeId);
        registry.markUnbooked(nodeId);
        vm.prank(hp);
        collateral.exit(nodeId);
    }

    function test_extendedCommitmentDelaysExit() public {
        uint256 nodeId = _registerValidated();
        uint64 end = collateral.commitmentEnd(nodeId);
        vm.prank(hp);
        collateral.extendCommitment(nodeId, 1);
        vm.warp(end);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.CommitmentNotEnded.selector, nodeId, end + 180 days));
        collateral.exit(nodeId);
    }

    function test_exitAndWithdrawOnlyByOwner() public {
        uint256 nodeId = _register();
        vm.prank(hp2);
        vm.expectRevert(abi.encodeWithSelector(Collateral.NotNodeOwner.selector, nodeId, hp2, hp));
        collateral.exit(nodeId);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Collateral.NotNodeOwner.selector, nodeId, stranger, hp));
        collateral.withdraw(nodeId);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.UnknownNode.selector, 77));
        collateral.exit(77);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(Collateral.UnknownNode.selector, 77));
        collateral.withdraw(77);
    }

    function test_exitAndWithdrawPaused() public {
        uint256 nodeId = _register();
        collateral.pause();
        vm.startPrank(hp);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        collateral.exit(nodeId);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        collateral.withdraw(nodeId);
        vm.stopPrank();
    }

    function test_exposureErasApplyToExit() public {
        collateral.setExposureEras(10);
        uint256 nodeId = _registerValidated();
        vm.warp(collateral.commitmentEnd(nodeId));
        uint256 era = eras.currentEra();
        vm.prank(hp);
        collateral.exit(nodeId);
        assertEq(collateral.withdrawableEra(nodeId), era + 10);
    }

    function testFuzz_noEarlyWithdrawal(uint256 waitSeconds, uint256 waitEras) public {
        waitSeconds = bound(waitSeconds, 0, 1_200 days);
        waitEras = bound(waitEras, 0, 4);
        uint256 nodeId = _registerValidated();
        uint64 end = collateral.commitmentEnd(nodeId);
        vm.warp(block.timestamp + waitSeconds);
        vm.prank(hp);
        if (block.timestamp < end) {
            vm.expectRevert(abi.encodeWithSelector(Collateral.CommitmentNotEnded.selector, nodeId, end));
            collateral.exit(nodeId);
            return;
        }
        collateral.exit(nodeId);
        uint256 exitEra = eras.currentEra();
        _rollEras(waitEras);
        vm.prank(hp);
        if (waitEras < 2) {
            vm.expectRevert(
                abi.encodeWithSelector(Collateral.WithdrawalNotYet.selector, nodeId, exitEra + 2, exitEra + waitEras)
            );
        }
        collateral.withdraw(nodeId);
    }

    // ---------------------------------------------------------------- slash

    function test_slashTakesToTreasuryCappedByCollateral() public {
        uint256 nodeId = _registerValidated();
        collateral.pause(); // a pause does not stop slashing
        vm.expectEmit(true, false, false, true, address(collateral));
        emit Collateral.CollateralSlashed(nodeId, 10_000e18, 10_000e18, address(treasury));
        assertEq(collateral.slash(nodeId, 10_000e18), 10_000e18);
        assertEq(collateral.collateralOf(nodeId), MIN_DEPOSIT - 10_000e18);
        assertEq(icnt.balanceOf(address(treasury)), 10_000e18);
        vm.expectEmit(true, false, false, true, address(collateral));
        emit Collateral.CollateralSlashed(nodeId, 1_000_000e18, MIN_DEPOSIT - 10_000e18, address(treasury));
        assertEq(collateral.slash(nodeId, 1_000_000e18), MIN_DEPOSIT - 10_000e18);
        assertEq(collateral.collateralOf(nodeId), 0);
        assertEq(icnt.balanceOf(address(treasury)), MIN_DEPOSIT);
        assertEq(collateral.slash(nodeId, 1e18), 0);
        assertEq(collateral.shortfall(nodeId), REQUIREMENT);
    }

    function test_slashOnlyProtocol() public {
        uint256 nodeId = _registerValidated();
        bytes memory err = _unauthorized(hp, collateral.PROTOCOL_ROLE());
        vm.prank(hp);
        vm.expectRevert(err);
        collateral.slash(nodeId, 1);
    }

    function testFuzz_slash(uint256 deposit, uint256 amount) public {
        deposit = bound(deposit, MIN_DEPOSIT, 2_000_000e18);
        amount = bound(amount, 0, 10_000_000e18);
        uint256 nodeId = _register(hp, CAPACITY, deposit, COMMIT);
        uint256 taken = collateral.slash(nodeId, amount);
        assertEq(taken, amount < deposit ? amount : deposit);
        assertEq(collateral.collateralOf(nodeId), deposit - taken);
        assertEq(icnt.balanceOf(address(treasury)), taken);
        assertEq(icnt.balanceOf(address(collateral)), deposit - taken);
    }

    // ---------------------------------------------------------------- governance

    function test_setExposureEras() public {
        vm.expectEmit(false, false, false, true, address(collateral));
        emit Collateral.ExposureErasSet(6);
        collateral.setExposureEras(6);
        assertEq(collateral.exposureEras(), 6);
        vm.expectRevert(abi.encodeWithSelector(Collateral.ExposureErasOutOfRange.selector, 1, 2, 720));
        collateral.setExposureEras(1);
        vm.expectRevert(abi.encodeWithSelector(Collateral.ExposureErasOutOfRange.selector, 721, 2, 720));
        collateral.setExposureEras(721);
        bytes memory err = _unauthorized(stranger, collateral.GOVERNANCE_ROLE());
        vm.prank(stranger);
        vm.expectRevert(err);
        collateral.setExposureEras(3);
    }

    function test_setTreasury() public {
        address t = address(0x7EA);
        vm.expectEmit(false, false, false, true, address(collateral));
        emit Collateral.TreasurySet(t);
        collateral.setTreasury(t);
        assertEq(collateral.treasury(), t);
        uint256 nodeId = _registerValidated();
        collateral.slash(nodeId, 5e18);
        assertEq(icnt.balanceOf(t), 5e18);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        collateral.setTreasury(address(0));
        bytes memory err = _unauthorized(stranger, collateral.GOVERNANCE_ROLE());
        vm.prank(stranger);
        vm.expectRevert(err);
        collateral.setTreasury(t);
    }

    function test_pauseOnlyEmergency() public {
        bytes memory err = _unauthorized(stranger, collateral.EMERGENCY_ROLE());
        vm.prank(stranger);
        vm.expectRevert(err);
        collateral.pause();
        collateral.pause();
        collateral.unpause();
        uint256 nodeId = _register();
        vm.prank(hp);
        collateral.topUp(nodeId, 1e18);
    }
}

// SPDX-License-Identifier: MIT
// Settlement: slashing (collateral first, then delegations; what is owed), maintenance declarations, parameters.
pragma solidity ^0.8.24;

import {SettlementFixture} from "./SettlementFixture.sol";
import {Settlement, MaintenanceWindow, NodeSettlement} from "../../src/settlement/Settlement.sol";
import {NodeLeaf} from "../../src/interfaces/ISettlement.sol";
import {Registry} from "../../src/registry/Registry.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {WAD, YEAR} from "../../src/common/Units.sol";

contract SettlementSlashTest is SettlementFixture {
    uint256 private node;

    function setUp() public {
        deploySettlement();
        node = registerNode(); // collateral = the requirement
    }

    function _slash(uint64 era, NodeLeaf memory leaf) private {
        settlement.applySlash(era, leaf, proofOf(era, 0));
    }

    // ---------------------------------------------------------------- slashing: collateral

    function test_applySlash_takesCollateralToTreasury() public {
        uint256 held = collateral.collateralOf(node);
        NodeLeaf memory leaf = nodeLeaf(node, 0, 0, 100 * WAD);
        commitNodeLeaf(0, leaf);
        vm.expectEmit(address(settlement));
        emit Settlement.SlashApplied(node, 0, 100 * WAD, 100 * WAD, 0, 0);
        vm.prank(address(0xCAFE)); // anyone
        _slash(0, leaf);
        assertEq(collateral.collateralOf(node), held - 100 * WAD);
        assertEq(icnt.balanceOf(address(treasury)), 100 * WAD);
        NodeSettlement memory s = settlement.nodeSettlement(node);
        assertEq(s.slashRecorded, 100 * WAD);
        assertEq(s.slashTaken, 100 * WAD);
        assertEq(settlement.slashOwed(node), 0);
    }

    function test_applySlash_cumulativeTakesTheIncrease() public {
        NodeLeaf memory a = nodeLeaf(node, 0, 0, 100 * WAD);
        NodeLeaf memory b = nodeLeaf(node, 0, 0, 150 * WAD);
        commitNodeLeaf(0, a);
        commitNodeLeaf(1, b);
        _slash(0, a);
        _slash(1, b);
        assertEq(icnt.balanceOf(address(treasury)), 150 * WAD);
        vm.expectRevert(abi.encodeWithSelector(Settlement.StaleLeaf.selector, node, 150 * WAD, 150 * WAD));
        _slash(1, b);
        vm.expectRevert(abi.encodeWithSelector(Settlement.StaleLeaf.selector, node, 100 * WAD, 150 * WAD));
        _slash(0, a);
    }

    function test_applySlash_skipsToTheLatestLeaf() public {
        NodeLeaf memory a = nodeLeaf(node, 0, 0, 100 * WAD);
        NodeLeaf memory b = nodeLeaf(node, 0, 0, 150 * WAD);
        commitNodeLeaf(0, a);
        commitNodeLeaf(1, b);
        _slash(1, b);
        assertEq(icnt.balanceOf(address(treasury)), 150 * WAD);
    }

    function test_applySlash_rejections() public {
        NodeLeaf memory leaf = nodeLeaf(node, 0, 0, 100 * WAD);
        vm.expectRevert(abi.encodeWithSelector(Settlement.EraNotCommitted.selector, uint64(0), type(uint64).max));
        settlement.applySlash(0, leaf, new bytes32[](0));
        commitNodeLeaf(0, leaf);
        NodeLeaf memory more = nodeLeaf(node, 0, 0, 200 * WAD);
        vm.expectRevert(Settlement.InvalidProof.selector);
        _slash(0, more);
        NodeLeaf memory none = nodeLeaf(node, 1, 0, 0);
        commitNodeLeaf(1, none);
        vm.expectRevert(abi.encodeWithSelector(Settlement.StaleLeaf.selector, node, 0, 0));
        _slash(1, none);
        vm.prank(governance);
        settlement.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _slash(0, leaf);
    }

    function test_applySlash_andClaimAreIndependent() public {
        bookNode(node);
        NodeLeaf memory leaf = nodeLeaf(node, 10 * WAD, 0, 5 * WAD);
        commitNodeLeaf(0, leaf);
        _slash(0, leaf);
        // The slashed node is now 5 short: half of its reward refills the collateral, the HP gets the rest.
        uint256 hpBefore = icnt.balanceOf(hp);
        settlement.claimHpRewards(0, leaf, proofOf(0, 0));
        assertEq(collateral.shortfall(node), 0);
        assertEq(collateral.collateralOf(node), requirement());
        assertEq(icnt.balanceOf(hp) - hpBefore, 5 * WAD);
    }

    // ---------------------------------------------------------------- slashing: collateral, then delegation

    function test_applySlash_collateralFirstThenDelegation() public {
        vm.prank(delegator);
        delegation.delegate(node, 1_000 * WAD, 30);
        uint256 held = collateral.collateralOf(node);
        uint256 amount = held + 300 * WAD;
        NodeLeaf memory leaf = nodeLeaf(node, 0, 0, amount);
        commitNodeLeaf(0, leaf);
        vm.expectEmit(address(settlement));
        emit Settlement.SlashApplied(node, 0, amount, held, 300 * WAD, 0);
        _slash(0, leaf);
        assertEq(collateral.collateralOf(node), 0);
        assertEq(delegation.delegatedTo(node), 700 * WAD);
        assertEq(icnt.balanceOf(address(treasury)), amount);
    }

    function test_applySlash_neverMoreThanExists_thenOwedFromCollateralOnly() public {
        vm.prank(delegator);
        delegation.delegate(node, 1_000 * WAD, 30);
        uint256 held = collateral.collateralOf(node);
        uint256 amount = held + 1_500 * WAD;
        NodeLeaf memory leaf = nodeLeaf(node, 0, 0, amount);
        commitNodeLeaf(0, leaf);
        vm.expectEmit(address(settlement));
        emit Settlement.SlashApplied(node, 0, amount, held, 1_000 * WAD, 500 * WAD);
        _slash(0, leaf);
        assertEq(settlement.slashOwed(node), 500 * WAD);
        assertEq(icnt.balanceOf(address(treasury)), held + 1_000 * WAD);

        // New delegators do not answer for the old debt; a collateral top-up does.
        vm.prank(delegator);
        delegation.delegate(node, 2_000 * WAD, 30);
        vm.prank(hp);
        collateral.topUp(node, 200 * WAD);
        vm.expectEmit(address(settlement));
        emit Settlement.SlashApplied(node, 0, amount, 200 * WAD, 0, 300 * WAD);
        _slash(0, leaf);
        assertEq(delegation.delegatedTo(node), 2_000 * WAD);
        assertEq(settlement.slashOwed(node), 300 * WAD);

        // A further slash: the owed part and the new part from collateral, the new part's rest from delegations.
        vm.prank(hp);
        collateral.topUp(node, 400 * WAD);
        NodeLeaf memory next = nodeLeaf(node, 0, 0, amount + 250 * WAD);
        commitNodeLeaf(1, next);
        vm.expectEmit(address(settlement));
        emit Settlement.SlashApplied(node, 1, amount + 250 * WAD, 400 * WAD, 150 * WAD, 0);
        _slash(1, next);
        assertEq(delegation.delegatedTo(node), 1_850 * WAD);
        assertEq(settlement.slashOwed(node), 0);
    }

    function testFuzz_applySlash_neverMoreThanCollateralAndDelegated(uint256 delegated, uint256 amount) public {
        delegated = bound(delegated, 0, 100_000 * WAD);
        amount = bound(amount, 1, 1_000_000 * WAD);
        if (delegated > 0) {
            vm.prank(delegator);
            delegation.delegate(node, delegated, 30);
        }
        uint256 exposed = collateral.collateralOf(node) + delegation.delegatedTo(node);
        NodeLeaf memory leaf = nodeLeaf(node, 0, 0, amount);
        commitNodeLeaf(0, leaf);
        _slash(0, leaf);
        uint256 taken = icnt.balanceOf(address(treasury));
        uint256 expected = amount < exposed ? amount : exposed;
        assertLe(taken, expected);
        assertApproxEqAbs(taken, expected, 1, "Delegation rounds down by at most 1 base unit");
        assertEq(settlement.slashOwed(node), amount - taken);
    }

    // ---------------------------------------------------------------- maintenance

    function test_declareMaintenance() public {
        uint64 cur = uint64(eras.currentEra());
        vm.expectEmit(address(settlement));
        emit Settlement.MaintenanceDeclared(node, cur + 1, 10);
        vm.prank(hp);
        settlement.declareMaintenance(node, cur + 1, 10);
        MaintenanceWindow memory w = settlement.maintenanceWindow(node);
        assertEq(w.windowStartEra, cur + 1);
        assertEq(w.usedEras, 10);
    }

    function test_declareMaintenance_atLeastOneEraAhead() public {
        vm.roll(eras.eraStartBlock(5) + 3);
        vm.expectRevert(abi.encodeWithSelector(Settlement.MaintenanceTooSoon.selector, uint64(5), 6));
        vm.prank(hp);
        settlement.declareMaintenance(node, 5, 1);
        vm.expectRevert(abi.encodeWithSelector(Settlement.MaintenanceTooSoon.selector, uint64(2), 6));
        vm.prank(hp);
        settlement.declareMaintenance(node, 2, 1);
        vm.prank(hp);
        settlement.declareMaintenance(node, 6, 1);
    }

    function test_declareMaintenance_rejections() public {
        vm.expectRevert(abi.encodeWithSelector(Settlement.NotNodeOwner.selector, node, address(this), hp));
        settlement.declareMaintenance(node, 1, 1);
        vm.expectRevert(Settlement.ZeroEraCount.selector);
        vm.prank(hp);
        settlement.declareMaintenance(node, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownScalerNode.selector, 999));
        vm.prank(hp);
        settlement.declareMaintenance(999, 1, 1);
        vm.prank(governance);
        settlement.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(hp);
        settlement.declareMaintenance(node, 1, 1);
    }

    function test_declareMaintenance_48ErasPer30Days() public {
        vm.startPrank(hp);
        settlement.declareMaintenance(node, 10, 40);
        settlement.declareMaintenance(node, 100, 8);
        vm.expectRevert(abi.encodeWithSelector(Settlement.MaintenanceCapExceeded.selector, node, 48, 1, 48));
        settlement.declareMaintenance(node, 200, 1);
        // Still inside the window that started at era 10 (720 eras long).
        vm.expectRevert(abi.encodeWithSelector(Settlement.MaintenanceCapExceeded.selector, node, 48, 1, 48));
        settlement.declareMaintenance(node, 10 + 719, 1);
        // The window resets from era 10 + 720 on.
        settlement.declareMaintenance(node, 10 + 720, 48);
        vm.stopPrank();
        MaintenanceWindow memory w = settlement.maintenanceWindow(node);
        assertEq(w.windowStartEra, 730);
        assertEq(w.usedEras, 48);
        // One declaration may not exceed the cap either.
        uint256 other = registerNode();
        vm.expectRevert(abi.encodeWithSelector(Settlement.MaintenanceCapExceeded.selector, other, 0, 49, 48));
        vm.prank(hp);
        settlement.declareMaintenance(other, 10, 49);
    }

    function test_declareMaintenance_windowFollowsParameters() public {
        vm.startPrank(governance);
        settlement.setErasPer30Days(129_600); // devnet: 20 s eras
        settlement.setMaxMaintenanceEras(2);
        vm.stopPrank();
        vm.startPrank(hp);
        settlement.declareMaintenance(node, 1, 2);
        vm.expectRevert(abi.encodeWithSelector(Settlement.MaintenanceCapExceeded.selector, node, 2, 1, 2));
        settlement.declareMaintenance(node, 1 + 129_599, 1);
        settlement.declareMaintenance(node, 1 + 129_600, 1);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- parameters

    function test_parameters_boundsAndEvents() public {
        uint256 MAX = settlement.MAX_CLAIM_DELAY_ERAS();
        vm.startPrank(governance);
        vm.expectRevert(abi.encodeWithSelector(Settlement.ParameterOutOfRange.selector, MAX + 1, 0, MAX));
        settlement.setHpClaimDelay(MAX + 1);
        vm.expectRevert(abi.encodeWithSelector(Settlement.ParameterOutOfRange.selector, MAX + 1, 0, MAX));
        settlement.setLinkClaimWait(MAX + 1);
        vm.expectRevert(abi.encodeWithSelector(Settlement.ParameterOutOfRange.selector, 0, 1, 2_592_000));
        settlement.setErasPer30Days(0);
        vm.expectRevert(abi.encodeWithSelector(Settlement.ParameterOutOfRange.selector, 2_592_001, 1, 2_592_000));
        settlement.setErasPer30Days(2_592_001);
        vm.expectRevert(abi.encodeWithSelector(Settlement.ParameterOutOfRange.selector, 2_592_001, 0, 2_592_000));
        settlement.setMaxMaintenanceEras(2_592_001);

        vm.expectEmit(address(settlement));
        emit Settlement.HpClaimDelaySet(MAX);
        settlement.setHpClaimDelay(MAX);
        vm.expectEmit(address(settlement));
        emit Settlement.LinkClaimWaitSet(MAX);
        settlement.setLinkClaimWait(MAX);
        vm.expectEmit(address(settlement));
        emit Settlement.ErasPer30DaysSet(1);
        settlement.setErasPer30Days(1);
        vm.expectEmit(address(settlement));
        emit Settlement.MaxMaintenanceErasSet(0);
        settlement.setMaxMaintenanceEras(0);
        vm.stopPrank();
        assertEq(settlement.hpClaimDelay(), MAX);
        assertEq(settlement.linkClaimWait(), MAX);
        assertEq(settlement.erasPer30Days(), 1);
        assertEq(settlement.maxMaintenanceEras(), 0);
    }

    function test_parameters_onlyGovernance() public {
        bytes memory err = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector, address(this), settlement.GOVERNANCE_ROLE()
        );
        vm.expectRevert(err);
        settlement.setHpClaimDelay(0);
        vm.expectRevert(err);
        settlement.setLinkClaimWait(0);
        vm.expectRevert(err);
        settlement.setErasPer30Days(720);
        vm.expectRevert(err);
        settlement.setMaxMaintenanceEras(48);
    }
}

// SPDX-License-Identifier: MIT
// Settlement: HP reward claims (escrow, subsidy, diversion into collateral, delegators' share, claim delay)
// and Link reward claims, against the real protocol contracts.
pragma solidity ^0.8.24;

import {SettlementFixture} from "./SettlementFixture.sol";
import {Settlement} from "../../src/settlement/Settlement.sol";
import {NodeLeaf} from "../../src/interfaces/ISettlement.sol";
import {ICapacityMarket} from "../../src/interfaces/ICapacityMarket.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Delegation} from "../../src/collateral/Delegation.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {WAD} from "../../src/common/Units.sol";
import {ResultsTree} from "./ResultsTree.sol";

contract SettlementClaimsTest is SettlementFixture {
    uint256 private node;

    function setUp() public {
        deploySettlement();
        node = registerNode(); // fully collateralised, nodeRewardShare 20 %
        bookNode(node);
    }

    function _claim(uint64 era, NodeLeaf memory leaf) private {
        settlement.claimHpRewards(era, leaf, proofOf(era, 0));
    }

    // ---------------------------------------------------------------- HP claims: payment

    function test_claimHp_paysHpFromEscrowAndReserve() public {
        NodeLeaf memory leaf = nodeLeaf(node, 30 * WAD, 5 * WAD, 0);
        commitNodeLeaf(0, leaf);
        uint256 hpBefore = icnt.balanceOf(hp);
        uint256 reserveBefore = rewardsReserve.available();
        vm.expectEmit(address(settlement));
        emit Settlement.HpRewardsClaimed(node, 0, hp, 30 * WAD, 5 * WAD, 0, 0, 35 * WAD);
        vm.prank(address(0xCAFE)); // anyone may claim; the HP is paid
        _claim(0, leaf);
        assertEq(icnt.balanceOf(hp) - hpBefore, 35 * WAD);
        assertEq(market.escrowHeld(node), BOOKING_ESCROW - 30 * WAD);
        assertEq(reserveBefore - rewardsReserve.available(), 5 * WAD);
        assertEq(payoutsHeld(), 0);
        (uint256 u, uint256 s) = settlement.claimedHpRewards(node);
        assertEq(u, 30 * WAD);
        assertEq(s, 5 * WAD);
    }

    function test_claimHp_proofForSomeoneElsesLeaf() public {
        uint256 other = registerNode();
        NodeLeaf memory mine = nodeLeaf(node, 1 * WAD, 1 * WAD, 0);
        NodeLeaf memory theirs = nodeLeaf(other, 50 * WAD, 50 * WAD, 0);
        bytes32[] memory leaves = new bytes32[](3);
        leaves[0] = ResultsTree.nodeLeaf(mine);
        leaves[1] = ResultsTree.nodeLeaf(theirs);
        leaves[2] = ResultsTree.linkLeaf(1, 1);
        commitLeaves(0, leaves);

        // The other node's proof with my node id, or with my leaf.
        NodeLeaf memory forged = nodeLeaf(node, 50 * WAD, 50 * WAD, 0);
        vm.expectRevert(Settlement.InvalidProof.selector);
        settlement.claimHpRewards(0, forged, proofOf(0, 1));
        vm.expectRevert(Settlement.InvalidProof.selector);
        settlement.claimHpRewards(0, mine, proofOf(0, 1));
        // My proof with a larger amount.
        mine.subsidy = 2 * WAD;
        vm.expectRevert(Settlement.InvalidProof.selector);
        settlement.claimHpRewards(0, mine, proofOf(0, 0));
        assertEq(payoutsHeld(), 0);
    }

    function test_claimHp_replayed() public {
        NodeLeaf memory leaf = nodeLeaf(node, 30 * WAD, 5 * WAD, 0);
        commitNodeLeaf(0, leaf);
        _claim(0, leaf);
        vm.expectRevert(abi.encodeWithSelector(Settlement.StaleLeaf.selector, node, 35 * WAD, 35 * WAD));
        _claim(0, leaf);
    }

    function test_claimHp_staleCumulativeAmount() public {
        NodeLeaf memory older = nodeLeaf(node, 10 * WAD, 1 * WAD, 0);
        NodeLeaf memory newer = nodeLeaf(node, 30 * WAD, 5 * WAD, 0);
        commitNodeLeaf(0, older);
        commitNodeLeaf(1, newer);
        _claim(1, newer);
        vm.expectRevert(abi.encodeWithSelector(Settlement.StaleLeaf.selector, node, 11 * WAD, 35 * WAD));
        _claim(0, older);
    }

    function test_claimHp_olderRootPaysLessThenTheRest() public {
        NodeLeaf memory older = nodeLeaf(node, 10 * WAD, 1 * WAD, 0);
        NodeLeaf memory newer = nodeLeaf(node, 30 * WAD, 5 * WAD, 0);
        commitNodeLeaf(0, older);
        commitNodeLeaf(1, newer);
        uint256 before = icnt.balanceOf(hp);
        _claim(0, older);
        assertEq(icnt.balanceOf(hp) - before, 11 * WAD);
        _claim(1, newer);
        assertEq(icnt.balanceOf(hp) - before, 35 * WAD);
    }

    function test_claimHp_eachPartPaysOnlyItsIncrease() public {
        // Inconsistent leaves (utilisation down, subsidy up) never lower what was claimed.
        NodeLeaf memory a = nodeLeaf(node, 30 * WAD, 1 * WAD, 0);
        NodeLeaf memory b = nodeLeaf(node, 10 * WAD, 6 * WAD, 0);
        commitNodeLeaf(0, a);
        commitNodeLeaf(1, b);
        _claim(0, a);
        uint256 before = icnt.balanceOf(hp);
        _claim(1, b);
        assertEq(icnt.balanceOf(hp) - before, 5 * WAD);
        (uint256 u, uint256 s) = settlement.claimedHpRewards(node);
        assertEq(u, 30 * WAD);
        assertEq(s, 6 * WAD);
    }

    function test_claimHp_eraNotCommitted() public {
        NodeLeaf memory leaf = nodeLeaf(node, 30 * WAD, 5 * WAD, 0);
        vm.expectRevert(abi.encodeWithSelector(Settlement.EraNotCommitted.selector, uint64(0), type(uint64).max));
        settlement.claimHpRewards(0, leaf, new bytes32[](0));
        commitNodeLeaf(0, leaf);
        vm.expectRevert(abi.encodeWithSelector(Settlement.EraNotCommitted.selector, uint64(1), uint64(0)));
        settlement.claimHpRewards(1, leaf, proofOf(0, 0));
    }

    function test_claimHp_twoClaimsAcrossFiveErasPayTheSum() public {
        uint256[5] memory u = [uint256(3 * WAD), 0, 7 * WAD, 11 * WAD, 1];
        uint256[5] memory s = [uint256(2 * WAD), 5 * WAD, 0, 1 * WAD, 13];
        uint256 cu;
        uint256 cs;
        for (uint64 e = 0; e < 5; ++e) {
            cu += u[e];
            cs += s[e];
            commitNodeLeaf(e, nodeLeaf(node, cu, cs, 0));
        }
        uint256 before = icnt.balanceOf(hp);
        _claim(1, nodeLeaf(node, u[0] + u[1], s[0] + s[1], 0));
        _claim(4, nodeLeaf(node, cu, cs, 0));
        assertEq(icnt.balanceOf(hp) - before, cu + cs);
        assertEq(market.escrowHeld(node), BOOKING_ESCROW - cu);
    }

    function testFuzz_claimHp_anySplitPaysTheSum(uint256[5] memory u, uint256[5] memory s, uint256 first) public {
        uint256 cu;
        uint256 cs;
        NodeLeaf[5] memory leaves;
        for (uint64 e = 0; e < 5; ++e) {
            cu += bound(u[e], 0, 40 * WAD);
            cs += bound(s[e], 0, 100 * WAD);
            leaves[e] = nodeLeaf(node, cu, cs, 0);
            commitNodeLeaf(e, leaves[e]);
        }
        vm.assume(cu + cs > 0);
        first = bound(first, 0, 3);
        uint256 before = icnt.balanceOf(hp);
        if (leaves[first].utilisation + leaves[first].subsidy > 0) _claim(uint64(first), leaves[first]);
        _claim(4, leaves[4]);
        assertEq(icnt.balanceOf(hp) - before, cu + cs);
    }

    // ---------------------------------------------------------------- HP claims: where the ICNT goes

    function test_claimHp_divertedIntoCollateralWhileShort() public {
        uint256 req = requirement();
        uint256 shortNode = registerNodes(1, req * 30 / 100, 20e18)[0];
        bookNode(shortNode);
        uint256 shortfall = collateral.shortfall(shortNode);
        assertEq(shortfall, req - req * 30 / 100);

        // Less than the shortfall: everything into collateral.
        NodeLeaf memory a = nodeLeaf(shortNode, 100 * WAD, shortfall / 2 - 100 * WAD, 0);
        commitNodeLeaf(0, a);
        uint256 hpBefore = icnt.balanceOf(hp);
        vm.expectEmit(address(settlement));
        emit Settlement.HpRewardsClaimed(
            shortNode, 0, hp, 100 * WAD, shortfall / 2 - 100 * WAD, shortfall / 2, 0, 0
        );
        _claim(0, a);
        assertEq(icnt.balanceOf(hp), hpBefore);
        assertEq(collateral.collateralOf(shortNode), req * 30 / 100 + shortfall / 2);

        // More than what is left: the rest of the shortfall, then the HP (nothing delegated).
        uint256 left = collateral.shortfall(shortNode);
        NodeLeaf memory b = nodeLeaf(shortNode, 200 * WAD, 2 * shortfall - 200 * WAD, 0);
        commitNodeLeaf(1, b);
        _claim(1, b);
        assertEq(collateral.shortfall(shortNode), 0);
        assertEq(collateral.collateralOf(shortNode), req);
        assertEq(icnt.balanceOf(hp) - hpBefore, 2 * shortfall - shortfall / 2 - left);
    }

    function test_claimHp_delegatorShareReachesDelegation() public {
        vm.prank(delegator);
        (, uint256 delegationId) = delegation.delegate(node, 1_000 * WAD, 30);
        NodeLeaf memory leaf = nodeLeaf(node, 80 * WAD, 20 * WAD, 0);
        commitNodeLeaf(0, leaf);
        uint256 hpBefore = icnt.balanceOf(hp);
        uint256 delegationBefore = icnt.balanceOf(address(delegation));
        vm.expectEmit(address(settlement));
        emit Settlement.HpRewardsClaimed(
            node, 0, hp, 80 * WAD, 20 * WAD, 0, 20 * WAD, 80 * WAD
        );
        vm.expectEmit(address(delegation));
        emit Delegation.NodeRewardsDistributed(node, 20 * WAD, 20 * WAD * delegation.SLASH_SCALE() / (1_000 * WAD));
        _claim(0, leaf);
        assertEq(icnt.balanceOf(hp) - hpBefore, 80 * WAD);
        assertEq(icnt.balanceOf(address(delegation)) - delegationBefore, 20 * WAD);
        (, uint256 nodeAmount) = delegation.pendingRewards(delegationId);
        assertEq(nodeAmount, 20 * WAD);
        assertEq(payoutsHeld(), 0);
    }

    function test_claimHp_diversionThenDelegatorShare() public {
        uint256 req = requirement();
        uint256 shortNode = registerNodes(1, req - 10 * WAD, 50e18)[0]; // 10 ICNT short, 50 % to delegators
        bookNode(shortNode);
        vm.prank(delegator);
        delegation.delegate(shortNode, 500 * WAD, 30);
        NodeLeaf memory leaf = nodeLeaf(shortNode, 100 * WAD, 0, 0);
        commitNodeLeaf(0, leaf);
        uint256 hpBefore = icnt.balanceOf(hp);
        _claim(0, leaf);
        assertEq(collateral.shortfall(shortNode), 0);
        assertEq(icnt.balanceOf(hp) - hpBefore, 45 * WAD);
        assertEq(delegation.nodeRewardPerToken(shortNode), 45 * WAD * delegation.SLASH_SCALE() / (500 * WAD));
    }

    function test_claimHp_shareOfZeroPercent() public {
        uint256 n0 = registerNodes(1, 0, 0)[0];
        vm.prank(delegator);
        delegation.delegate(n0, 500 * WAD, 30);
        NodeLeaf memory leaf = nodeLeaf(n0, 0, 10 * WAD, 0);
        commitNodeLeaf(0, leaf);
        uint256 hpBefore = icnt.balanceOf(hp);
        _claim(0, leaf);
        assertEq(icnt.balanceOf(hp) - hpBefore, 10 * WAD);
        assertEq(delegation.nodeRewardPerToken(n0), 0);
    }

    function test_claimHp_subsidyOnlyNeedsNoMarket() public {
        // A Settlement deployed before the market (set later) still pays subsidies.
        vm.startPrank(governance);
        settlement = new Settlement(
            governance,
            icnt,
            eras,
            registry,
            collateral,
            delegation,
            ICapacityMarket(address(0)),
            rewardsReserve,
            linkRewardPool,
            links,
            0
        );
        settlement.setCommittee(members, 3);
        settlement.setHpClaimDelay(0);
        rewardsReserve.setSpender(address(settlement), type(uint256).max);
        vm.stopPrank();
        NodeLeaf memory a = nodeLeaf(node, 0, 5 * WAD, 0);
        NodeLeaf memory b = nodeLeaf(node, 1 * WAD, 5 * WAD, 0);
        commitNodeLeaf(0, a);
        commitNodeLeaf(1, b);
        _claim(0, a);
        vm.expectRevert(Settlement.MarketNotSet.selector);
        _claim(1, b);
    }

    function test_claimHp_reserveShort() public {
        NodeLeaf memory leaf = nodeLeaf(node, 0, 6_000_000 * WAD, 0);
        commitNodeLeaf(0, leaf);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientBalance.selector,
                address(rewardsReserve),
                rewardsReserve.available(),
                6_000_000 * WAD
            )
        );
        _claim(0, leaf);
    }

    function test_claimHp_paused() public {
        NodeLeaf memory leaf = nodeLeaf(node, 30 * WAD, 5 * WAD, 0);
        commitNodeLeaf(0, leaf);
        vm.prank(governance);
        settlement.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _claim(0, leaf);
    }

    // ---------------------------------------------------------------- HP claim delay

    function test_claimHp_delayInEras() public {
        vm.expectEmit(address(settlement));
        emit Settlement.HpClaimDelaySet(3);
        vm.prank(governance);
        settlement.setHpClaimDelay(3);
        assertEq(settlement.hpClaimDelay(), 3);
        NodeLeaf memory a = nodeLeaf(node, 30 * WAD, 5 * WAD, 0);
        NodeLeaf memory b = nodeLeaf(node, 40 * WAD, 15 * WAD, 0);
        commitNodeLeaf(0, a);
        commitNodeLeaf(1, b);
        uint256 hpBefore = icnt.balanceOf(hp);
        // era 0 pays once eras 1, 2 and 3 are committed after it
        vm.expectRevert(abi.encodeWithSelector(Settlement.LeafTooRecent.selector, uint64(0), type(uint64).max));
        _claim(0, a);
        commitEmptyUpTo(2);
        vm.expectRevert(abi.encodeWithSelector(Settlement.LeafTooRecent.selector, uint64(1), type(uint64).max));
        _claim(1, b);
        commitEmptyUpTo(3);
        vm.expectRevert(abi.encodeWithSelector(Settlement.LeafTooRecent.selector, uint64(1), uint64(0)));
        _claim(1, b);
        vm.expectEmit(address(settlement));
        emit Settlement.HpRewardsClaimed(node, 0, hp, 30 * WAD, 5 * WAD, 0, 0, 35 * WAD);
        _claim(0, a);
        assertEq(icnt.balanceOf(hp) - hpBefore, 35 * WAD, "paid at once, nothing queued");
        assertEq(payoutsHeld(), 0);
        commitEmptyUpTo(4);
        _claim(1, b);
        assertEq(icnt.balanceOf(hp) - hpBefore, 55 * WAD);
    }

    function test_claimHp_delayWithDelegatorsAndDiversion() public {
        vm.prank(governance);
        settlement.setHpClaimDelay(1);
        vm.prank(delegator);
        delegation.delegate(node, 1_000 * WAD, 30);
        NodeLeaf memory leaf = nodeLeaf(node, 100 * WAD, 0, 0);
        commitNodeLeaf(0, leaf);
        commitEmptyUpTo(1);
        uint256 hpBefore = icnt.balanceOf(hp);
        _claim(0, leaf);
        // the delegators' share reaches the accumulator (Delegation applies its own claim delay)
        assertEq(delegation.nodeRewardPerToken(node), 20 * WAD * delegation.SLASH_SCALE() / (1_000 * WAD));
        assertEq(icnt.balanceOf(hp) - hpBefore, 80 * WAD);
        assertEq(payoutsHeld(), 0);
    }

    // ---------------------------------------------------------------- Link claims

    function _linkLeaves(uint64 era, uint256 bundleId, uint256 reward) private {
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = ResultsTree.linkLeaf(bundleId, reward);
        leaves[1] = ResultsTree.nodeLeaf(nodeLeaf(node, 0, 0, 0));
        commitLeaves(era, leaves);
    }

    function test_claimLink_paysBundleOwner() public {
        uint256 bundleId = stakeBundle(2);
        _linkLeaves(0, bundleId, 763 * WAD);
        uint256 poolBefore = linkRewardPool.available();
        vm.expectEmit(address(settlement));
        emit Settlement.LinkRewardsClaimed(bundleId, 0, linkHolder, 763 * WAD);
        vm.prank(address(0xCAFE));
        settlement.claimLinkRewards(0, bundleId, 763 * WAD, proofOf(0, 0));
        assertEq(icnt.balanceOf(linkHolder), 763 * WAD);
        assertEq(poolBefore - linkRewardPool.available(), 763 * WAD);
        assertEq(settlement.claimedLinkRewards(bundleId), 763 * WAD);

        // A second claim pays the increase only; a replay is stale.
        _linkLeaves(1, bundleId, 800 * WAD);
        settlement.claimLinkRewards(1, bundleId, 800 * WAD, proofOf(1, 0));
        assertEq(icnt.balanceOf(linkHolder), 800 * WAD);
        vm.expectRevert(abi.encodeWithSelector(Settlement.StaleLeaf.selector, bundleId, 800 * WAD, 800 * WAD));
        settlement.claimLinkRewards(1, bundleId, 800 * WAD, proofOf(1, 0));
        vm.expectRevert(abi.encodeWithSelector(Settlement.StaleLeaf.selector, bundleId, 763 * WAD, 800 * WAD));
        settlement.claimLinkRewards(0, bundleId, 763 * WAD, proofOf(0, 0));
    }

    function test_claimLink_invalidProof() public {
        uint256 bundleId = stakeBundle(1);
        _linkLeaves(0, bundleId, 10 * WAD);
        vm.expectRevert(Settlement.InvalidProof.selector);
        settlement.claimLinkRewards(0, bundleId, 11 * WAD, proofOf(0, 0));
        vm.expectRevert(Settlement.InvalidProof.selector);
        settlement.claimLinkRewards(0, bundleId + 1, 10 * WAD, proofOf(0, 0));
        // A node leaf's proof cannot pass as a Link leaf.
        vm.expectRevert(Settlement.InvalidProof.selector);
        settlement.claimLinkRewards(0, node, 0, proofOf(0, 1));
    }

    function test_claimLink_unknownBundle() public {
        _linkLeaves(0, 99, 10 * WAD);
        vm.expectRevert(abi.encodeWithSelector(Settlement.UnknownBundle.selector, 99));
        settlement.claimLinkRewards(0, 99, 10 * WAD, proofOf(0, 0));
    }

    function test_claimLink_eraNotCommitted() public {
        vm.expectRevert(abi.encodeWithSelector(Settlement.EraNotCommitted.selector, uint64(3), type(uint64).max));
        settlement.claimLinkRewards(3, 1, 10 * WAD, new bytes32[](0));
    }

    function test_claimLink_waitInEras() public {
        vm.expectEmit(address(settlement));
        emit Settlement.LinkClaimWaitSet(2);
        vm.prank(governance);
        settlement.setLinkClaimWait(2);
        assertEq(settlement.linkClaimWait(), 2);
        uint256 bundleId = stakeBundle(1);
        _linkLeaves(0, bundleId, 381 * WAD);
        commitEmptyUpTo(1);
        vm.expectRevert(abi.encodeWithSelector(Settlement.LeafTooRecent.selector, uint64(0), type(uint64).max));
        settlement.claimLinkRewards(0, bundleId, 381 * WAD, proofOf(0, 0));
        commitEmptyUpTo(2);
        vm.expectEmit(address(settlement));
        emit Settlement.LinkRewardsClaimed(bundleId, 0, linkHolder, 381 * WAD);
        settlement.claimLinkRewards(0, bundleId, 381 * WAD, proofOf(0, 0));
        assertEq(icnt.balanceOf(linkHolder), 381 * WAD, "paid at once");
        assertEq(payoutsHeld(), 0);
    }

    function test_claimLink_paused() public {
        uint256 bundleId = stakeBundle(1);
        _linkLeaves(0, bundleId, 10 * WAD);
        vm.prank(governance);
        settlement.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        settlement.claimLinkRewards(0, bundleId, 10 * WAD, proofOf(0, 0));
    }
}

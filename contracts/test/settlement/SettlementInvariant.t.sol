// SPDX-License-Identifier: MIT
// Settlement invariants: claims never exceed the committed cumulative leaves, slashes never take more than is
// exposed, and ICNT is conserved, while a handler commits eras and claims (too early ones included), slashes and tops up at random.
pragma solidity ^0.8.24;

import {InvariantTest} from "../utils/Invariant.sol";
import {Test} from "../utils/Test.sol";
import {SettlementFixture} from "./SettlementFixture.sol";
import {ResultsTree} from "./ResultsTree.sol";
import {Settlement, NodeSettlement} from "../../src/settlement/Settlement.sol";
import {Collateral} from "../../src/collateral/Collateral.sol";
import {Delegation} from "../../src/collateral/Delegation.sol";
import {CapacityMarket} from "../../src/market/CapacityMarket.sol";
import {ICNT} from "../../src/token/ICNT.sol";
import {NodeLeaf} from "../../src/interfaces/ISettlement.sol";
import {WAD} from "../../src/common/Units.sol";

contract SettlementHandler is Test {
    Settlement private settlement;
    Collateral private collateral;
    Delegation private delegation;
    ICNT private icnt;
    address private treasury;
    address private governance;
    address private hp;
    address private linkHolder;
    uint256[] private keys;
    uint256[] public nodes;
    uint256[] public bundles;
    uint256 private escrowCap;

    // The cumulative leaves, as the satellites would compute them: current totals and every committed era's tree.
    mapping(uint256 nodeId => NodeLeaf) private current;
    mapping(uint256 bundleId => uint256) private currentLink;
    mapping(uint64 era => bytes32[]) private treeLeaves;
    mapping(uint64 era => mapping(uint256 nodeId => NodeLeaf)) private nodeLeafAt;
    mapping(uint64 era => mapping(uint256 bundleId => uint256)) private linkLeafAt;
    /// The largest cumulative amounts ever committed (what no claim may exceed).
    mapping(uint256 nodeId => NodeLeaf) public maxCommitted;
    mapping(uint256 bundleId => uint256) public maxCommittedLink;
    uint64 public committedEras;

    uint256 public overSlash; // slashes that took more than collateral + delegated
    uint256 public refused;
    uint256 public paid; // claims, slashes and withdrawals that went through
    mapping(bytes32 => uint256) public calls;

    constructor(
        Settlement settlement_,
        Collateral collateral_,
        Delegation delegation_,
        address treasury_,
        address governance_,
        address hp_,
        address linkHolder_,
        uint256[] memory keys_,
        uint256[] memory nodes_,
        uint256[] memory bundles_,
        uint256 escrowCap_
    ) {
        settlement = settlement_;
        collateral = collateral_;
        delegation = delegation_;
        icnt = ICNT(address(settlement_.icnt()));
        treasury = treasury_;
        governance = governance_;
        hp = hp_;
        linkHolder = linkHolder_;
        keys = keys_;
        nodes = nodes_;
        bundles = bundles_;
        escrowCap = escrowCap_;
        for (uint256 i = 0; i < nodes_.length; ++i) {
            current[nodes_[i]].nodeId = nodes_[i];
        }
    }

    function nodeCount() external view returns (uint256) {
        return nodes.length;
    }

    function bundleCount() external view returns (uint256) {
        return bundles.length;
    }

    /// The satellites' next era: every total grows by a bounded random amount; committed after the era ends.
    function commitNext(uint256 seed) external {
        calls["commitNext"]++;
        uint64 era = committedEras;
        bytes32[] memory l = new bytes32[](nodes.length + bundles.length);
        for (uint256 i = 0; i < nodes.length; ++i) {
            uint256 id = nodes[i];
            NodeLeaf storage c = current[id];
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 du = bound(r % 1e24, 0, 10 * WAD);
            if (c.utilisation + du <= escrowCap) c.utilisation += du; // never more than the booking's escrow
            c.subsidy += bound((r >> 80) % 1e24, 0, 50 * WAD);
            if ((r >> 160) % 4 == 0) c.slashed += bound((r >> 170) % 1e24, 1, 400 * WAD);
            nodeLeafAt[era][id] = c;
            l[i] = ResultsTree.nodeLeaf(c);
            NodeLeaf storage m = maxCommitted[id];
            m.utilisation = c.utilisation;
            m.subsidy = c.subsidy;
            m.slashed = c.slashed;
        }
        for (uint256 j = 0; j < bundles.length; ++j) {
            uint256 b = bundles[j];
            currentLink[b] += bound(uint256(keccak256(abi.encode(seed, "link", j))) % 1e24, 0, 20 * WAD);
            linkLeafAt[era][b] = currentLink[b];
            l[nodes.length + j] = ResultsTree.linkLeaf(b, currentLink[b]);
            maxCommittedLink[b] = currentLink[b];
        }
        treeLeaves[era] = l;
        bytes32 root = ResultsTree.root(l);
        bytes32 data = keccak256(abi.encode(era));
        bytes[] memory sigs = _sign(seed % keys.length, settlement.eraResultDigest(era, root, data));
        uint256 endBlock = settlement.eras().eraStartBlock(uint256(era) + 1);
        if (block.number < endBlock) vm.roll(endBlock);
        settlement.commitEra(era, root, data, sigs);
        committedEras = era + 1;
    }

    /// Three distinct committee members, starting at member `first`.
    function _sign(uint256 first, bytes32 digest) private view returns (bytes[] memory sigs) {
        sigs = new bytes[](3);
        for (uint256 k = 0; k < 3; ++k) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[(first + k) % keys.length], digest);
            sigs[k] = abi.encodePacked(r, s, v);
        }
    }

    function _era(uint256 seed) private view returns (bool ok, uint64 era) {
        if (committedEras == 0) return (false, 0);
        return (true, uint64(seed % committedEras)); // any committed era, old ones included
    }

    /// Whether a leaf of committed `era` is still inside the claim delay (`delayEras`): then the claim must
    /// revert with LeafTooRecent, which the next call is told to expect.
    function _tooRecent(uint64 era, uint256 delayEras) private returns (bool) {
        if (uint256(era) + delayEras < committedEras) return false;
        uint256 last = committedEras - 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                Settlement.LeafTooRecent.selector, era, last >= delayEras ? uint64(last - delayEras) : type(uint64).max
            )
        );
        refused++;
        return true;
    }

    function claimHp(uint256 nodeSeed, uint256 eraSeed) external {
        calls["claimHp"]++;
        (bool ok, uint64 era) = _era(eraSeed);
        if (!ok) return;
        uint256 i = nodeSeed % nodes.length;
        NodeLeaf memory leaf = nodeLeafAt[era][nodes[i]];
        (uint256 u, uint256 s) = settlement.claimedHpRewards(leaf.nodeId);
        if (leaf.utilisation <= u && leaf.subsidy <= s) {
            refused++;
            return;
        }
        bool early = _tooRecent(era, settlement.hpClaimDelay());
        settlement.claimHpRewards(era, leaf, ResultsTree.proofOf(treeLeaves[era], i));
        if (!early) paid++;
    }

    function claimLink(uint256 bundleSeed, uint256 eraSeed) external {
        calls["claimLink"]++;
        (bool ok, uint64 era) = _era(eraSeed);
        if (!ok) return;
        uint256 j = bundleSeed % bundles.length;
        uint256 b = bundles[j];
        uint256 reward = linkLeafAt[era][b];
        if (reward <= settlement.claimedLinkRewards(b)) {
            refused++;
            return;
        }
        bool early = _tooRecent(era, settlement.linkClaimWait());
        settlement.claimLinkRewards(era, b, reward, ResultsTree.proofOf(treeLeaves[era], nodes.length + j));
        if (!early) paid++;
    }

    function applySlash(uint256 nodeSeed, uint256 eraSeed) external {
        calls["applySlash"]++;
        (bool ok, uint64 era) = _era(eraSeed);
        if (!ok) return;
        uint256 i = nodeSeed % nodes.length;
        NodeLeaf memory leaf = nodeLeafAt[era][nodes[i]];
        if (leaf.slashed <= settlement.nodeSettlement(leaf.nodeId).slashTaken) {
            refused++;
            return;
        }
        uint256 exposed = collateral.collateralOf(leaf.nodeId) + delegation.delegatedTo(leaf.nodeId);
        uint256 before = icnt.balanceOf(treasury);
        settlement.applySlash(era, leaf, ResultsTree.proofOf(treeLeaves[era], i));
        if (icnt.balanceOf(treasury) - before > exposed) overSlash++;
        paid++;
    }

    function topUp(uint256 nodeSeed, uint256 amount) external {
        calls["topUp"]++;
        amount = bound(amount, 1, 200 * WAD);
        vm.prank(hp);
        collateral.topUp(nodes[nodeSeed % nodes.length], amount);
    }

    function setDelays(uint256 hpDelay, uint256 linkWait) external {
        calls["setDelays"]++;
        vm.startPrank(governance);
        settlement.setHpClaimDelay(bound(hpDelay, 0, 3)); // eras
        settlement.setLinkClaimWait(bound(linkWait, 0, 3));
        vm.stopPrank();
    }

    function advance(uint256 secs) external {
        calls["advance"]++;
        vm.warp(block.timestamp + bound(secs, 1, 2 days));
    }
}

contract SettlementInvariantTest is SettlementFixture, InvariantTest {
    SettlementHandler private handler;
    uint256[] private nodeIds;
    uint256[] private bundleIds;
    address[] private holders;

    function setUp() public {
        deploySettlement();
        uint256 req = requirement();
        uint256[] memory full = registerNodes(2, 0, 20e18);
        uint256[] memory short = registerNodes(2, req * 30 / 100, 50e18);
        nodeIds.push(full[0]);
        nodeIds.push(full[1]);
        nodeIds.push(short[0]);
        nodeIds.push(short[1]);
        for (uint256 i = 0; i < 4; ++i) {
            bookNode(nodeIds[i]);
        }
        vm.startPrank(delegator); // delegations on one full and one short node
        delegation.delegate(nodeIds[1], 500 * WAD, 30);
        delegation.delegate(nodeIds[3], 300 * WAD, 30);
        vm.stopPrank();
        bundleIds.push(stakeBundle(2));
        bundleIds.push(stakeBundle(1));

        handler = new SettlementHandler(
            settlement,
            collateral,
            delegation,
            address(treasury),
            governance,
            hp,
            linkHolder,
            committeeKeys,
            nodeIds,
            bundleIds,
            BOOKING_ESCROW
        );
        vm.prank(hp);
        icnt.approve(address(collateral), type(uint256).max);

        address[15] memory h = [
            address(vesting),
            address(rewardsReserve),
            address(linkRewardPool),
            address(treasury),
            address(collateral),
            address(delegation),
            address(market),
            address(settlement),
            hp,
            builder,
            delegator,
            linkHolder,
            ecoDev,
            governance,
            address(handler)
        ];
        for (uint256 i = 0; i < h.length; ++i) {
            holders.push(h[i]);
        }

        targetContract(address(handler));
        bytes4[] memory ops = new bytes4[](10);
        ops[0] = SettlementHandler.commitNext.selector;
        ops[1] = SettlementHandler.commitNext.selector;
        ops[2] = SettlementHandler.claimHp.selector;
        ops[3] = SettlementHandler.claimHp.selector;
        ops[4] = SettlementHandler.claimLink.selector;
        ops[5] = SettlementHandler.applySlash.selector;
        ops[6] = SettlementHandler.topUp.selector;
        ops[7] = SettlementHandler.claimLink.selector;
        ops[8] = SettlementHandler.setDelays.selector;
        ops[9] = SettlementHandler.advance.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: ops}));
    }

    /// The handler's operations go through (not only refusals): a fixed sequence.
    function test_handlerExercisesEveryPath() public {
        handler.setDelays(1, 1);
        for (uint256 i = 0; i < 6; ++i) {
            handler.commitNext(i * 7919);
        }
        for (uint256 i = 0; i < 4; ++i) {
            handler.claimHp(i, 4); // era 4: one era old, so it pays with the delay of 1
            handler.applySlash(i, 5);
        }
        handler.claimLink(0, 4);
        handler.claimLink(1, 4);
        // with a delay of one era, the leaves of the last committed era do not pay yet
        uint256 refusedBefore = handler.refused();
        handler.claimHp(0, 5);
        assertEq(handler.refused(), refusedBefore + 1, "a too recent leaf is refused");
        handler.advance(2 days);
        assertGe(handler.paid(), 8);
        assertEq(payoutsHeld(), 0, "claims pay at once: Settlement keeps only escrow");
        invariant_claimsWithinCommittedLeaves();
        invariant_icntConserved();
    }

    /// No node or bundle is ever paid more than the cumulative amount committed for it.
    function invariant_claimsWithinCommittedLeaves() public view {
        for (uint256 i = 0; i < nodeIds.length; ++i) {
            uint256 id = nodeIds[i];
            NodeSettlement memory s = settlement.nodeSettlement(id);
            (, uint256 mu, uint256 ms, uint256 mslash,,) = handler.maxCommitted(id);
            assertLe(s.claimedUtilisation, mu, "utilisation claimed beyond the leaf");
            assertLe(s.claimedSubsidy, ms, "subsidy claimed beyond the leaf");
            assertLe(s.slashRecorded, mslash, "slash applied beyond the leaf");
            assertLe(s.slashTaken, s.slashRecorded, "slash taken beyond what was applied");
            // Escrow released = utilisation claimed (no booking has ended).
            assertEq(market.escrowHeld(id), BOOKING_ESCROW - s.claimedUtilisation, "escrow accounting");
        }
        for (uint256 j = 0; j < bundleIds.length; ++j) {
            uint256 b = bundleIds[j];
            assertLe(settlement.claimedLinkRewards(b), handler.maxCommittedLink(b), "Link reward beyond the leaf");
        }
    }

    /// A slash never takes more than the node's collateral plus the ICNT delegated to it.
    function invariant_slashWithinExposure() public view {
        assertEq(handler.overSlash(), 0);
    }

    /// Settlement holds exactly the Builders' escrow: claims pay out at once.
    function invariant_settlementHoldsOnlyEscrow() public view {
        assertEq(payoutsHeld(), 0);
    }

    /// ICNT is conserved: every token is with one of the known holders.
    function invariant_icntConserved() public view {
        uint256 sum;
        for (uint256 i = 0; i < holders.length; ++i) {
            sum += icnt.balanceOf(holders[i]);
        }
        assertEq(sum, icnt.totalSupply());
    }
}

// SPDX-License-Identifier: MIT
// Invariant tests for ICNLink staking: HyperNode counters match the bundles; locked Links never move.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {InvariantTest} from "../utils/Invariant.sol";
import {LinkTestBase} from "./LinkTestBase.sol";
import {ICNLink} from "../../src/link/ICNLink.sol";
import {EraManager} from "../../src/era/EraManager.sol";
import {Registry} from "../../src/registry/Registry.sol";
import {HyperNodeRegistry} from "../../src/registry/HyperNodeRegistry.sol";

/// Drives ICNLink with bounded inputs: every call it makes is expected to succeed, except the transfers
/// of locked Links it tries on purpose (caught and recorded).
contract LinkStakingHandler is Test {
    ICNLink internal immutable link;
    EraManager internal immutable eras;
    Registry internal immutable registry;
    address internal immutable hnOperator;
    address[] internal actors;
    uint256[] internal hyperNodes;
    uint256 internal immutable tokens;

    /// Set if a transfer of a Link in a bundle ever succeeded.
    bool public lockedTransferSucceeded;
    /// How many such transfers were tried (to see that the check ran).
    uint256 public lockedTransfersTried;
    mapping(bytes32 => uint256) public calls;

    constructor(
        ICNLink link_,
        EraManager eras_,
        Registry registry_,
        address hnOperator_,
        address[] memory actors_,
        uint256[] memory hyperNodes_,
        uint256 tokens_
    ) {
        link = link_;
        eras = eras_;
        registry = registry_;
        hnOperator = hnOperator_;
        actors = actors_;
        hyperNodes = hyperNodes_;
        tokens = tokens_;
    }

    function stake(uint256 actorSeed, uint256 hnSeed, uint256 countSeed, uint256 skipSeed) external {
        address actor = actors[actorSeed % actors.length];
        // Half the stakes go to the last HyperNode (never retired) and half are full-size, so the
        // 400-Link cap is reached within a run.
        uint256 h = hyperNodes[hnSeed % 2 == 0 ? hyperNodes.length - 1 : (hnSeed / 2) % hyperNodes.length];
        if (!registry.isHyperNodeRegistered(h)) return;
        uint256 room = link.MAX_LINKS_PER_HYPERNODE() - link.stakedLinks(h);
        uint256 want = countSeed % 2 == 0 ? 100 : bound(countSeed, 1, 100);
        if (want > room) want = room;
        if (want == 0) return;
        // The actor's free Links, starting at a random id so bundles mix ids.
        uint256[] memory ids = new uint256[](want);
        uint256 n = 0;
        uint256 start = skipSeed % tokens;
        for (uint256 k = 0; k < tokens && n < want; ++k) {
            uint256 id = (start + k) % tokens + 1;
            if (link.ownerOf(id) == actor && link.stakedBundleOf(id) == 0) ids[n++] = id;
        }
        if (n == 0) return;
        if (n == room) calls["fill"]++;
        assembly {
            mstore(ids, n)
        }
        vm.prank(actor);
        link.stake(h, ids);
        calls["stake"]++;
    }

    function initiateUnstake(uint256 bundleSeed) external {
        uint256 count = link.bundleCount();
        if (count == 0) return;
        uint256 b = bundleSeed % count + 1;
        ICNLink.Bundle memory bd = link.bundle(b);
        if (bd.status != ICNLink.BundleStatus.Staked) return;
        if (block.timestamp < bd.unstakableAt && registry.isHyperNodeRegistered(bd.hyperNodeId)) {
            vm.warp(bd.unstakableAt);
        }
        vm.prank(bd.owner);
        link.initiateUnstake(b);
        calls["initiate"]++;
    }

    function completeUnstake(uint256 bundleSeed) external {
        uint256 count = link.bundleCount();
        if (count == 0) return;
        uint256 b = bundleSeed % count + 1;
        ICNLink.Bundle memory bd = link.bundle(b);
        if (bd.status != ICNLink.BundleStatus.Unstaking) return;
        if (eras.currentEra() < bd.withdrawableEra) vm.roll(eras.eraStartBlock(bd.withdrawableEra));
        vm.prank(bd.owner);
        link.completeUnstake(b);
        calls["complete"]++;
    }

    /// Moves a Link to another actor; a Link in a bundle must refuse (tried on purpose half the time).
    function transfer(uint256 tokenSeed, uint256 toSeed, bool pickLocked) external {
        uint256 id = tokenSeed % tokens + 1;
        if (pickLocked && link.bundleCount() > 0) {
            uint256[] memory inBundle = link.bundleTokenIds(tokenSeed % link.bundleCount() + 1);
            id = inBundle[toSeed % inBundle.length];
        }
        address from = link.ownerOf(id);
        address to = actors[toSeed % actors.length];
        if (link.stakedBundleOf(id) != 0) {
            lockedTransfersTried++;
            vm.prank(from);
            try link.transferFrom(from, to, id) {
                lockedTransferSucceeded = true;
            } catch {}
            return;
        }
        vm.prank(from);
        link.transferFrom(from, to, id);
        calls["transfer"]++;
    }

    /// Rarely, an operator retires a HyperNode (the last one is never retired, so staking continues).
    function retireHyperNode(uint256 hnSeed, uint256 chance) external {
        if (chance % 20 != 0) return;
        uint256 h = hyperNodes[hnSeed % (hyperNodes.length - 1)];
        if (!registry.isHyperNodeRegistered(h)) return;
        HyperNodeRegistry hyperNodeRegistry = registry.hyperNodeRegistry();
        vm.prank(hnOperator);
        hyperNodeRegistry.retireHyperNode(h);
        calls["retire"]++;
    }

    function advance(uint256 blocks, uint256 secs) external {
        vm.roll(block.number + bound(blocks, 0, 200));
        vm.warp(block.timestamp + bound(secs, 0, 10 days));
    }
}

contract ICNLinkInvariantTest is LinkTestBase, InvariantTest {
    LinkStakingHandler internal handler;
    uint256[] internal hyperNodes;
    uint256 internal constant TOKENS = 450; // > 400, so one HyperNode can fill up

    function setUp() public {
        _deployLink();
        address[] memory actors = new address[](3);
        actors[0] = address(0xA1);
        actors[1] = address(0xA2);
        actors[2] = address(0xA3);
        for (uint256 i = 0; i < 3; ++i) {
            _mint(actors[i], TOKENS / 3);
        }
        for (uint256 i = 0; i < 3; ++i) {
            hyperNodes.push(_newHyperNode());
        }
        vm.prank(admin);
        link.setUnstakingDelayEras(3);
        handler = new LinkStakingHandler(link, eras, registry, hnOperator, actors, hyperNodes, TOKENS);
        targetContract(address(handler));
    }

    /// stakedLinks over all HyperNodes = tokens in Staked bundles = totalStakedLinks; ≤ 400 each.
    function invariant_stakedLinksMatchBundles() public view {
        uint256 sumNodes = 0;
        for (uint256 i = 0; i < hyperNodes.length; ++i) {
            uint256 s = link.stakedLinks(hyperNodes[i]);
            assertLe(s, 400, "HyperNode over its cap");
            sumNodes += s;
            assertEq(
                link.isHyperNodeActive(hyperNodes[i]),
                s > 0 && _registry().isHyperNodeRegistered(hyperNodes[i]),
                "active = staked and registered"
            );
        }
        uint256 inStakedBundles = 0;
        uint256[] memory perNode = new uint256[](hyperNodes.length + 1);
        uint256 count = link.bundleCount();
        for (uint256 b = 1; b <= count; ++b) {
            ICNLink.Bundle memory bd = link.bundle(b);
            if (bd.status == ICNLink.BundleStatus.Staked) {
                inStakedBundles += bd.tokenCount;
                perNode[bd.hyperNodeId] += bd.tokenCount;
            }
        }
        assertEq(sumNodes, inStakedBundles, "sum of stakedLinks");
        assertEq(link.totalStakedLinks(), inStakedBundles, "totalStakedLinks");
        for (uint256 i = 0; i < hyperNodes.length; ++i) {
            assertEq(link.stakedLinks(hyperNodes[i]), perNode[hyperNodes[i]], "per HyperNode");
        }
    }

    /// Every Link in a Staked or Unstaking bundle points to it, belongs to its owner and is locked;
    /// every other Link is free; no locked Link was ever transferred.
    function invariant_bundledLinksAreLockedToTheirOwner() public view {
        uint256 locked = 0;
        uint256 count = link.bundleCount();
        for (uint256 b = 1; b <= count; ++b) {
            ICNLink.Bundle memory bd = link.bundle(b);
            uint256[] memory ids = link.bundleTokenIds(b);
            assertEq(ids.length, bd.tokenCount, "tokenCount");
            bool open = bd.status == ICNLink.BundleStatus.Staked || bd.status == ICNLink.BundleStatus.Unstaking;
            for (uint256 i = 0; i < ids.length; ++i) {
                if (open) {
                    assertEq(link.stakedBundleOf(ids[i]), b, "Link points to its bundle");
                    assertEq(link.ownerOf(ids[i]), bd.owner, "bundle owner holds the Link");
                    ++locked;
                }
            }
        }
        uint256 pointing = 0;
        for (uint256 id = 1; id <= TOKENS; ++id) {
            if (link.stakedBundleOf(id) != 0) ++pointing;
        }
        assertEq(pointing, locked, "only bundled Links are locked");
        assertFalse(handler.lockedTransferSucceeded(), "a locked Link was transferred");
    }
}

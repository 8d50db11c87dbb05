// SPDX-License-Identifier: MIT
// The protocol fixture (which deploys Settlement with a 3-of-5 committee) with funded pools and actors, and
// helpers to register nodes, build results trees, sign eras with a written-out EIP-712 digest and commit them.
pragma solidity ^0.8.24;

import {ProtocolFixture} from "../system/ProtocolFixture.sol";
import {Vesting} from "../../src/token/Vesting.sol";
import {HyperNodeRegistry} from "../../src/registry/HyperNodeRegistry.sol";
import {ScalerNodeParams} from "../../src/interfaces/IRegistry.sol";
import {NodeLeaf} from "../../src/interfaces/ISettlement.sol";
import {Booking} from "../../src/market/CapacityMarket.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {WAD} from "../../src/common/Units.sol";
import {ResultsTree} from "./ResultsTree.sol";

abstract contract SettlementFixture is ProtocolFixture {
    // The EIP-712 strings, written out here rather than read from the contract.
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant ERA_RESULT_TYPEHASH =
        keccak256("EraResult(uint64 era,bytes32 resultsRoot,bytes32 dataRoot)");
    uint256 internal constant HYPERNODE_KEY = 0xB0B;

    address internal hp = address(0x4001);
    address internal builder = address(0xB111);
    address internal delegator = address(0xDE1E);
    address internal linkHolder = address(0x11CC);
    uint256 internal hyperNodeId;
    uint256 private nextDaemon = 0xDA000;

    /// Leaves committed per era (for proofs).
    mapping(uint64 era => bytes32[]) internal eraLeaves;

    function deploySettlement() internal {
        deployProtocol();
        // Funds: the Link pool gets the Node Sale's 21M at TGE; the Rewards Reserve and the actors are
        // funded from the EcoDev release.
        vesting.release(Vesting.Category.NodeSale);
        fund(address(rewardsReserve), 5_000_000 * WAD);
        fund(hp, 5_000_000 * WAD);
        fundAndApprove(builder, 5_000_000 * WAD, address(market));
        fundAndApprove(delegator, 5_000_000 * WAD, address(delegation));
        becomeHp(hp);
    }

    // ---------------------------------------------------------------- nodes, links, escrow

    function requirement() internal view returns (uint256 r) {
        (r,) = registry.requiredCollateral(regionId, classId, 10);
    }

    /// Registers `count` nodes of capacity 10 with `collateralAmount` each (the requirement when 0) and validates them.
    function registerNodes(uint256 count, uint256 collateralAmount, uint128 rewardShare)
        internal
        returns (uint256[] memory ids)
    {
        if (collateralAmount == 0) collateralAmount = requirement();
        ScalerNodeParams[] memory params = new ScalerNodeParams[](count);
        for (uint256 i = 0; i < count; ++i) {
            params[i] = ScalerNodeParams({
                name: "fra1-node",
                regionId: regionId,
                classId: classId,
                clusterId: 0,
                location: "DEU",
                capacity: 10,
                reservationPrice: uint128(2 * WAD),
                maxBookingDuration: 360 days,
                nodeRewardShare: rewardShare,
                daemon: address(uint160(nextDaemon++)),
                collateralAmount: collateralAmount,
                commitmentDuration: 1080 days
            });
        }
        vm.prank(hp);
        uint256 first = registry.registerScalerNodes(params);
        ids = new uint256[](count);
        vm.startPrank(governance);
        for (uint256 i = 0; i < count; ++i) {
            ids[i] = first + i;
            registry.validateScalerNode(first + i);
        }
        vm.stopPrank();
    }

    function registerNode() internal returns (uint256) {
        return registerNodes(1, 0, 20e18)[0];
    }

    /// Escrow a Builder's 360-day booking of `nodeId` puts in the market: 2 ICNT × 10 units × 12 months.
    uint256 internal constant BOOKING_ESCROW = 240 * WAD;

    /// Books `nodeId` for 360 days (the node is listed alone, so the market assigns it): BOOKING_ESCROW in escrow.
    function bookNode(uint256 nodeId) internal returns (uint256 bookingId) {
        market.list(nodeId);
        vm.prank(builder);
        bookingId = market.book(clusterId, 10, 360 days, type(uint256).max, "ssh-ed25519 AAAA builder");
        Booking memory b = market.booking(bookingId);
        require(b.nodeId == nodeId, "booked another node");
        require(market.escrowHeld(nodeId) == BOOKING_ESCROW, "unexpected escrow");
        _bookedNodes.push(nodeId);
    }

    uint256[] private _bookedNodes;

    /// What Settlement holds beyond the Builders' escrow: delayed HP and Link payouts.
    function payoutsHeld() internal view returns (uint256 held) {
        held = icnt.balanceOf(address(settlement));
        for (uint256 i; i < _bookedNodes.length; ++i) {
            held -= market.escrowHeld(_bookedNodes[i]);
        }
    }

    /// A HyperNode and a bundle of `count` Links staked to it by `linkHolder`.
    function stakeBundle(uint256 count) internal returns (uint256 bundleId) {
        if (hyperNodeId == 0) {
            HyperNodeRegistry hyperNodes = registry.hyperNodeRegistry();
            address operator = address(0x4003);
            bytes32 digest = MessageHashUtils.toEthSignedMessageHash(hyperNodes.hyperNodeKeyProofHash(operator));
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(HYPERNODE_KEY, digest);
            vm.prank(operator);
            hyperNodeId = hyperNodes.registerHyperNode(
                vm.addr(HYPERNODE_KEY), "DEU", "http://127.0.0.1:7000", abi.encodePacked(r, s, v)
            );
        }
        uint256 first = links.totalSupply() + 1;
        vm.prank(governance);
        links.mint(linkHolder, count);
        uint256[] memory ids = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            ids[i] = first + i;
        }
        vm.prank(linkHolder);
        bundleId = links.stake(hyperNodeId, ids);
    }

    // ---------------------------------------------------------------- leaves and trees

    function nodeLeaf(uint256 nodeId, uint256 utilisation, uint256 subsidy, uint256 slashed)
        internal
        pure
        returns (NodeLeaf memory)
    {
        return NodeLeaf({
            nodeId: nodeId, utilisation: utilisation, subsidy: subsidy, slashed: slashed, bookingId: 0, bookingUpEras: 0
        });
    }

    function proofOf(uint64 era, uint256 index) internal view returns (bytes32[] memory) {
        return ResultsTree.proofOf(eraLeaves[era], index);
    }

    // ---------------------------------------------------------------- signatures and commits

    function domainSeparator(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("ICN"), keccak256("1"), chainId, verifyingContract));
    }

    function eraDigest(uint256 chainId, address verifyingContract, uint64 era, bytes32 root, bytes32 dataRoot)
        internal
        pure
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(ERA_RESULT_TYPEHASH, era, root, dataRoot));
        return keccak256(abi.encodePacked(hex"1901", domainSeparator(chainId, verifyingContract), structHash));
    }

    function eraDigest(uint64 era, bytes32 root, bytes32 dataRoot) internal view returns (bytes32) {
        return eraDigest(block.chainid, address(settlement), era, root, dataRoot);
    }

    function sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// Signatures of committee members `idx` over the era's digest.
    function signatures(uint64 era, bytes32 root, bytes32 dataRoot, uint256[] memory idx)
        internal
        view
        returns (bytes[] memory sigs)
    {
        bytes32 digest = eraDigest(era, root, dataRoot);
        sigs = new bytes[](idx.length);
        for (uint256 i = 0; i < idx.length; ++i) {
            sigs[i] = sign(committeeKeys[idx[i]], digest);
        }
    }

    function threeSigners() internal pure returns (uint256[] memory idx) {
        idx = new uint256[](3);
        (idx[0], idx[1], idx[2]) = (0, 2, 4);
    }

    /// Rolls past the end of `era` (if needed).
    function endEra(uint64 era) internal {
        uint256 endBlock = eras.eraStartBlock(uint256(era) + 1);
        if (block.number < endBlock) vm.roll(endBlock);
    }

    /// Commits `leaves` as the results of `era` (after its end) with three signatures.
    function commitLeaves(uint64 era, bytes32[] memory leaves) internal {
        eraLeaves[era] = leaves;
        bytes32 root = ResultsTree.root(leaves);
        endEra(era);
        commitRoot(era, root);
    }

    /// Commits a tree of one node leaf padded with two filler leaves (the node's leaf is index 0).
    function commitNodeLeaf(uint64 era, NodeLeaf memory leaf) internal {
        bytes32[] memory leaves = new bytes32[](3);
        leaves[0] = ResultsTree.nodeLeaf(leaf);
        leaves[1] = ResultsTree.linkLeaf(type(uint128).max, era);
        leaves[2] = ResultsTree.nodeLeaf(nodeLeaf(type(uint128).max, era, 0, 0));
        commitLeaves(era, leaves);
    }

    /// Commits every era from the next one up to `era` with the same padding leaves only.
    function commitEmptyUpTo(uint64 era) internal {
        for (uint64 e = nextEra(); e <= era; ++e) {
            bytes32[] memory leaves = new bytes32[](1);
            leaves[0] = ResultsTree.linkLeaf(type(uint128).max, e);
            commitLeaves(e, leaves);
        }
    }

    /// The era commitEra accepts next (lastCommittedEra + 1, wrapping from type(uint64).max to 0).
    function nextEra() internal view returns (uint64) {
        unchecked {
            return settlement.lastCommittedEra() + 1;
        }
    }
}

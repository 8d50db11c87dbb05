// SPDX-License-Identifier: MIT
// Invariant handler for the capacity market: Builders book and renew, HPs list and delist, eras pass with
// random UP/DOWN verdicts committed to the real Settlement, HPs claim escrow, anyone expires bookings.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ICNT} from "../../src/token/ICNT.sol";
import {EraManager} from "../../src/era/EraManager.sol";
import {Registry} from "../../src/registry/Registry.sol";
import {CapacityMarket, Booking, BookingStatus} from "../../src/market/CapacityMarket.sol";
import {Settlement} from "../../src/settlement/Settlement.sol";
import {ScalerNode, ScalerNodeStatus} from "../../src/interfaces/IRegistry.sol";
import {NodeLeaf} from "../../src/interfaces/ISettlement.sol";
import {ResultsTree} from "../settlement/ResultsTree.sol";

contract MarketHandler is Test {
    struct Wiring {
        ICNT icnt;
        EraManager eras;
        Registry registry;
        CapacityMarket market;
        Settlement settlement;
        address treasury;
        address hp;
        address[] builders;
        uint256[] nodes;
        uint256[] committeeKeys;
        uint32 clusterId;
        uint256 eraBlocks;
        uint256 eraSeconds;
    }

    ICNT private icnt;
    EraManager private eras;
    Registry private registry;
    CapacityMarket private market;
    Settlement private settlement;
    address private treasury;
    address private hp;
    address[] private builders;
    uint256[] private nodes;
    uint256[] private committeeKeys;
    uint32 private clusterId;
    uint256 private eraBlocks;
    uint256 private eraSeconds;

    // ---- ghosts: what the market must account for, computed here independently
    uint256 public paid; // prices paid into escrow (bookings and renewals)
    uint256 public margins; // margins paid
    uint256 public burned; // burned part of the margins
    uint256 public released; // escrow paid to HPs through Settlement claims
    uint256 public refunded; // escrow refunded to Builders at expiry
    mapping(uint256 nodeId => uint256) public paidTo;
    uint256[] public bookingIds;
    mapping(uint256 bookingId => uint256) private _upEras;
    mapping(uint256 nodeId => uint256) private _utilisationBefore;
    mapping(bytes32 action => uint256) public calls;

    // ---- the latest committed results (every node's leaf), for proofs
    bool public anyCommitted;
    uint64 public latestEra;
    NodeLeaf[] private _leaves;
    bytes32[] private _hashes;
    uint256 private _seed = 1;

    constructor(Wiring memory w) {
        icnt = w.icnt;
        eras = w.eras;
        registry = w.registry;
        market = w.market;
        settlement = w.settlement;
        treasury = w.treasury;
        hp = w.hp;
        builders = w.builders;
        nodes = w.nodes;
        committeeKeys = w.committeeKeys;
        clusterId = w.clusterId;
        eraBlocks = w.eraBlocks;
        eraSeconds = w.eraSeconds;
    }

    // ================================================================ actions

    function list(uint256 seed) external {
        uint256 nodeId = nodes[seed % nodes.length];
        if (market.nodeState(nodeId).listed || registry.scalerNodeStatus(nodeId) != ScalerNodeStatus.Validated) {
            return;
        }
        ++calls["list"];
        market.list(nodeId);
    }

    function delist(uint256 seed) external {
        uint256 nodeId = nodes[seed % nodes.length];
        if (!market.nodeState(nodeId).listed) return;
        ++calls["delist"];
        vm.prank(hp);
        market.delist(nodeId);
    }

    function book(uint256 builderSeed, uint256 capacitySeed, uint256 duration) external {
        uint128 capacity = capacitySeed % 2 == 0 ? 10 : 20;
        duration = bound(duration, 1 days, 20 days);
        address builder = builders[builderSeed % builders.length];
        uint256 nodeId;
        uint256 price;
        uint256 margin;
        try market.quote(clusterId, capacity, uint64(duration)) returns (uint256 n, uint256 p, uint256 m, uint256) {
            (nodeId, price, margin) = (n, p, m);
        } catch {
            ++calls["book refused"];
            return;
        }
        // independent price: min(max price, reservation) × capacity × duration / 30 days, 25 % margin
        ScalerNode memory node = registry.scalerNode(nodeId);
        uint256 rate = Math.min(registry.cluster(clusterId).maxPrice, node.reservationPrice);
        require(price == Math.mulDiv(rate, capacity * duration, 30 days), "quote price");
        require(margin == price / 4, "quote margin");
        uint256 burnedNow = margin * market.burnShare() / 100e18;

        ++calls["book"];
        vm.prank(builder);
        uint256 id = market.book(clusterId, capacity, uint64(duration), price + margin, "key");
        require(market.booking(id).nodeId == nodeId, "booked the quoted node");
        bookingIds.push(id);
        paid += price;
        margins += margin;
        burned += burnedNow;
        paidTo[nodeId] += price;
    }

    function renew(uint256 bookingSeed, uint256 extra) external {
        if (bookingIds.length == 0) return;
        uint256 id = bookingIds[bookingSeed % bookingIds.length];
        Booking memory b = market.booking(id);
        if (b.status != BookingStatus.Active || eras.currentEra() > market.lastEra(id)) return;
        extra = bound(extra, 1 hours, 10 days);
        ScalerNode memory node = registry.scalerNode(b.nodeId);
        if (b.duration + extra > node.maxBookingDuration) return;
        uint256 rate = Math.min(registry.cluster(clusterId).maxPrice, node.reservationPrice);
        uint256 price = Math.mulDiv(rate, uint256(node.capacity) * extra, 30 days);
        uint256 margin = price / 4;
        ++calls["renew"];
        vm.prank(b.builder);
        market.renew(id, uint64(extra), price + margin);
        Booking memory after_ = market.booking(id);
        require(after_.escrow == b.escrow + price, "renewal price");
        require(after_.pricePerEra >= b.pricePerEra, "price per era never falls");
        paid += price;
        margins += margin;
        burned += margin * market.burnShare() / 100e18;
        paidTo[b.nodeId] += price;
    }

    /// Moves 1..6 eras on; each ended era of each running booking is UP or DOWN at random; then commits
    /// every ended era with every node's cumulative leaf.
    function advance(uint256 n) external {
        n = bound(n, 1, 6);
        ++calls["advance"];
        uint256 from = eras.currentEra();
        vm.roll(block.number + n * eraBlocks);
        vm.warp(block.timestamp + n * eraSeconds);
        uint256 to = eras.currentEra(); // eras from..to−1 have ended
        for (uint256 i; i < bookingIds.length; ++i) {
            uint256 id = bookingIds[i];
            Booking memory b = market.booking(id);
            if (b.status != BookingStatus.Active) continue;
            uint256 last = market.lastEra(id);
            for (uint256 e = from; e < to; ++e) {
                if (e >= b.activationEra && e <= last && _random() % 4 != 0) ++_upEras[id]; // 3 in 4 UP
            }
        }
        _commitThrough(uint64(to - 1));
    }

    function claim(uint256 seed) external {
        if (!anyCommitted) return;
        uint256 index = seed % nodes.length;
        NodeLeaf memory leaf = _leaves[index];
        (uint256 claimed,) = settlement.claimedHpRewards(leaf.nodeId);
        if (leaf.utilisation <= claimed) return;
        ++calls["claim"];
        uint256 before = icnt.balanceOf(hp);
        settlement.claimHpRewards(latestEra, leaf, ResultsTree.proofOf(_hashes, index));
        require(icnt.balanceOf(hp) - before == leaf.utilisation - claimed, "claim pays the increase");
        released += leaf.utilisation - claimed;
    }

    function expire(uint256 seed) external {
        if (!anyCommitted || bookingIds.length == 0) return;
        uint256 id = bookingIds[seed % bookingIds.length];
        Booking memory b = market.booking(id);
        if (b.status != BookingStatus.Active || market.lastEra(id) > latestEra) return;
        uint256 index = _indexOf(b.nodeId);
        NodeLeaf memory leaf = _leaves[index];
        require(leaf.bookingId == id, "the node's leaf is about its booking");
        uint256 earned = Math.min(b.escrow, _upEras[id] * b.pricePerEra);
        ++calls["expire"];
        uint256 before = icnt.balanceOf(b.builder);
        market.expire(id, latestEra, leaf, ResultsTree.proofOf(_hashes, index));
        require(icnt.balanceOf(b.builder) - before == b.escrow - earned, "refund = escrow - upEras x pricePerEra");
        refunded += b.escrow - earned;
        _utilisationBefore[b.nodeId] += earned;
    }

    // ================================================================ views for the invariants

    function nodeCount() external view returns (uint256) {
        return nodes.length;
    }

    function node(uint256 i) external view returns (uint256) {
        return nodes[i];
    }

    function bookingCount() external view returns (uint256) {
        return bookingIds.length;
    }

    function builderCount() external view returns (uint256) {
        return builders.length;
    }

    function builder(uint256 i) external view returns (address) {
        return builders[i];
    }

    // ================================================================ internals

    function _random() private returns (uint256) {
        _seed = uint256(keccak256(abi.encode(_seed, block.number)));
        return _seed;
    }

    function _indexOf(uint256 nodeId) private view returns (uint256) {
        for (uint256 i; i < nodes.length; ++i) {
            if (nodes[i] == nodeId) return i;
        }
        revert("unknown node");
    }

    /// The node's cumulative leaf now: utilisation of its ended bookings plus min(escrow, upEras ×
    /// pricePerEra) of the running one.
    function _leafOf(uint256 nodeId) private view returns (NodeLeaf memory leaf) {
        uint256 id = market.nodeState(nodeId).booking;
        leaf.nodeId = nodeId;
        leaf.utilisation = _utilisationBefore[nodeId];
        leaf.bookingId = id;
        if (id != 0) {
            Booking memory b = market.booking(id);
            leaf.bookingUpEras = _upEras[id];
            if (b.status == BookingStatus.Active) {
                leaf.utilisation += Math.min(b.escrow, _upEras[id] * b.pricePerEra);
            }
        }
    }

    function _commitThrough(uint64 era) private {
        delete _leaves;
        bytes32[] memory hashes = new bytes32[](nodes.length + 1);
        for (uint256 i; i < nodes.length; ++i) {
            NodeLeaf memory leaf = _leafOf(nodes[i]);
            _leaves.push(leaf);
            hashes[i] = ResultsTree.nodeLeaf(leaf);
        }
        hashes[nodes.length] = ResultsTree.linkLeaf(type(uint128).max, 0); // filler
        _hashes = hashes;
        bytes32 root = ResultsTree.root(hashes);
        uint64 next;
        unchecked {
            next = settlement.lastCommittedEra() + 1; // type(uint64).max + 1 = 0 before the first
        }
        for (uint64 e = next; e <= era; ++e) {
            _commitRoot(e, root);
        }
        anyCommitted = true;
        latestEra = era;
    }

    function _commitRoot(uint64 era, bytes32 root) private {
        bytes32 dataRoot = keccak256(abi.encode("data", era));
        bytes32 digest = settlement.eraResultDigest(era, root, dataRoot);
        bytes[] memory sigs = new bytes[](3);
        for (uint256 i; i < 3; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(committeeKeys[2 * i], digest);
            sigs[i] = abi.encodePacked(r, s, v);
        }
        settlement.commitEra(era, root, dataRoot, sigs);
    }
}

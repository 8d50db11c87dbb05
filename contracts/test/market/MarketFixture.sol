// SPDX-License-Identifier: MIT
// The whole protocol (ProtocolFixture) with market-test parameters, Hardware Providers, Builders and booking helpers.
pragma solidity ^0.8.24;

import {ProtocolFixture} from "../system/ProtocolFixture.sol";
import {CapacityMarket, Booking, BookingStatus} from "../../src/market/CapacityMarket.sol";
import {ScalerNodeParams} from "../../src/interfaces/IRegistry.sol";
import {NodeLeaf} from "../../src/interfaces/ISettlement.sol";
import {ResultsTree} from "../settlement/ResultsTree.sol";

abstract contract MarketFixture is ProtocolFixture {
    /// One era = ERA_BLOCKS blocks = 1 day in these tests (the market's eraSeconds), so a 90-day booking lasts
    /// 90 eras.
    uint64 internal constant ERA_SECONDS = 1 days;
    uint128 internal constant CAPACITY = 10;
    uint128 internal constant RESERVATION_PRICE = 2e18; // below the cluster's 2.8 ICNT max price
    uint128 internal constant CLUSTER_MAX_PRICE = 2.8e18;
    uint64 internal constant NODE_MAX_DURATION = 360 days;
    uint64 internal constant COMMIT = 1_080 days;
    uint64 internal constant DURATION = 90 days;
    uint256 internal constant REQ_PER_UNIT = 100e18; // ProtocolFixture's collateralReqPerUnit

    address internal hp = address(0x4B0);
    address internal hp2 = address(0x4B1);
    address internal builder = address(0xB11D);
    address internal builder2 = address(0xB12D);
    address internal stranger = address(0xBAD);
    uint256 private _daemonSeq;
    /// Utilisation of the node's bookings that ended (the cumulative leaf starts from it).
    mapping(uint256 nodeId => uint256) internal utilisationBefore;

    function deployMarket() internal {
        deployProtocol();
        vm.startPrank(governance);
        market.setEraSeconds(ERA_SECONDS);
        vm.stopPrank();

        fund(hp, 5_000_000e18);
        fund(hp2, 5_000_000e18);
        fundAndApprove(builder, 5_000_000e18, address(market));
        fundAndApprove(builder2, 5_000_000e18, address(market));
        becomeHp(hp);
        becomeHp(hp2);
    }

    function _params(uint128 capacity, uint128 price, uint64 maxDuration, uint64 commitment)
        internal
        returns (ScalerNodeParams memory)
    {
        return ScalerNodeParams({
            name: "node",
            regionId: regionId,
            classId: classId,
            clusterId: clusterId,
            location: "DEU",
            capacity: capacity,
            reservationPrice: price,
            maxBookingDuration: maxDuration,
            nodeRewardShare: 20e18,
            daemon: address(uint160(0xDAE00000 + ++_daemonSeq)),
            collateralAmount: uint256(capacity) * REQ_PER_UNIT, // fully collateralised
            commitmentDuration: commitment
        });
    }

    /// Registers `count` nodes of `owner` (Registered only).
    function _registerNodes(
        address owner,
        uint256 count,
        uint128 capacity,
        uint128 price,
        uint64 maxDuration,
        uint64 commitment
    ) internal returns (uint256 firstId) {
        ScalerNodeParams[] memory ps = new ScalerNodeParams[](count);
        for (uint256 i; i < count; ++i) {
            ps[i] = _params(capacity, price, maxDuration, commitment);
        }
        vm.prank(owner);
        firstId = registry.registerScalerNodes(ps);
    }

    /// Registers, validates and lists one node.
    function _listedNode(address owner, uint128 capacity, uint128 price, uint64 maxDuration, uint64 commitment)
        internal
        returns (uint256 nodeId)
    {
        nodeId = _registerNodes(owner, 1, capacity, price, maxDuration, commitment);
        vm.prank(governance);
        registry.validateScalerNode(nodeId);
        market.list(nodeId);
    }

    function _listedNode() internal returns (uint256) {
        return _listedNode(hp, CAPACITY, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
    }

    /// Registers, validates and lists `count` equal nodes; returns the first id (the others follow).
    function _listedNodes(uint256 count) internal returns (uint256 firstId) {
        firstId = _registerNodes(hp, count, CAPACITY, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
        vm.startPrank(governance);
        for (uint256 i; i < count; ++i) {
            registry.validateScalerNode(firstId + i);
        }
        vm.stopPrank();
        for (uint256 i; i < count; ++i) {
            market.list(firstId + i);
        }
    }

    function _book(address who, uint128 capacity, uint64 duration) internal returns (uint256) {
        vm.prank(who);
        return market.book(clusterId, capacity, duration, type(uint256).max, "ssh-ed25519 AAAA");
    }

    function _book() internal returns (uint256) {
        return _book(builder, CAPACITY, DURATION);
    }

    /// Moves `n` eras on: blocks and time together (ERA_BLOCKS blocks, ERA_SECONDS seconds per era).
    function _advanceEras(uint256 n) internal {
        vm.roll(block.number + n * ERA_BLOCKS);
        vm.warp(block.timestamp + n * ERA_SECONDS);
    }

    /// Moves to the era after booking `bookingId`'s last era (so the last era has ended).
    function _advancePastBooking(uint256 bookingId) internal {
        uint256 last = market.lastEra(bookingId);
        uint256 current = eras.currentEra();
        if (current <= last) _advanceEras(last + 1 - current);
    }

    /// The leaf the satellites would commit for booking `bookingId` after `upEras` UP eras: the node's
    /// utilisation is cumulative over its bookings (those that ended, plus min(escrow, upEras × pricePerEra)
    /// of this one while it runs).
    function _leaf(uint256 bookingId, uint256 upEras) internal view returns (NodeLeaf memory leaf) {
        Booking memory b = market.booking(bookingId);
        uint256 earned = upEras * b.pricePerEra;
        if (earned > b.escrow) earned = b.escrow;
        if (b.status != BookingStatus.Active) earned = 0; // already in utilisationBefore
        leaf = NodeLeaf({
            nodeId: b.nodeId,
            utilisation: utilisationBefore[b.nodeId] + earned,
            subsidy: 0,
            slashed: 0,
            bookingId: bookingId,
            bookingUpEras: upEras
        });
    }

    // ---------------------------------------------------------------- committed results (real Settlement)

    /// A leaf no test claims, so every tree has at least two leaves and proofs are not empty.
    function _fillerLeaf(uint64 era) internal pure returns (bytes32) {
        return ResultsTree.linkLeaf(type(uint128).max, era);
    }

    /// Commits every era from the next one up to `era` − 1 with filler results, then `era` with `leaves`
    /// (plus a filler); returns the proof of `leaves[index]`.
    function _commit(uint64 era, NodeLeaf[] memory leaves, uint256 index) internal returns (bytes32[] memory) {
        unchecked {
            for (uint64 e = settlement.lastCommittedEra() + 1; e < era; ++e) {
                bytes32[] memory filler = new bytes32[](1);
                filler[0] = _fillerLeaf(e);
                commitRoot(e, ResultsTree.root(filler));
            }
        }
        bytes32[] memory hashes = new bytes32[](leaves.length + 1);
        for (uint256 i; i < leaves.length; ++i) {
            hashes[i] = ResultsTree.nodeLeaf(leaves[i]);
        }
        hashes[leaves.length] = _fillerLeaf(era);
        commitRoot(era, ResultsTree.root(hashes));
        return ResultsTree.proofOf(hashes, index);
    }

    function _commitOne(uint64 era, NodeLeaf memory leaf) internal returns (bytes32[] memory) {
        NodeLeaf[] memory leaves = new NodeLeaf[](1);
        leaves[0] = leaf;
        return _commit(era, leaves, 0);
    }

    /// Settlement pays the node's side for `upEras` UP eras of booking `bookingId`: the HP claims the node's leaf,
    /// committed for the last era that ended (one era on if that one is committed already).
    function _claimUtilisation(uint256 bookingId, uint256 upEras) internal {
        uint64 last = settlement.lastCommittedEra();
        if (eras.currentEra() == 0 || (last != type(uint64).max && eras.currentEra() - 1 <= last)) _advanceEras(1);
        uint64 era = uint64(eras.currentEra() - 1);
        NodeLeaf memory leaf = _leaf(bookingId, upEras);
        settlement.claimHpRewards(era, leaf, _commitOne(era, leaf));
    }

    /// Ends booking `bookingId` after `upEras` UP eras: moves past its last era, commits the results up to
    /// that era and calls expire. Returns the refund.
    function _expire(uint256 bookingId, uint256 upEras) internal returns (uint256 refund) {
        _advancePastBooking(bookingId);
        uint64 era = uint64(market.lastEra(bookingId));
        NodeLeaf memory leaf = _leaf(bookingId, upEras);
        bytes32[] memory proof = _commitOne(era, leaf);
        address who = market.booking(bookingId).builder;
        uint256 before = icnt.balanceOf(who);
        vm.prank(stranger);
        market.expire(bookingId, era, leaf, proof);
        refund = icnt.balanceOf(who) - before;
        utilisationBefore[leaf.nodeId] = leaf.utilisation;
    }
}

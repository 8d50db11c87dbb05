// SPDX-License-Identifier: MIT
// forge tests for CapacityMarket: pool, eligibility, prices, booking, renewal, expiry, escrow, parameters.
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {MarketFixture} from "./MarketFixture.sol";
import {ProtocolRoles} from "../../src/common/ProtocolRoles.sol";
import {CapacityMarket, Booking, BookingStatus, NodeMarketState} from "../../src/market/CapacityMarket.sol";
import {Registry, RegionClassEconomics} from "../../src/registry/Registry.sol";
import {ICollateral} from "../../src/interfaces/ICollateral.sol";
import {IEraManager} from "../../src/interfaces/IEraManager.sol";
import {ScalerNode, ScalerNodeStatus} from "../../src/interfaces/IRegistry.sol";
import {ISettlement, NodeLeaf} from "../../src/interfaces/ISettlement.sol";
import {Settlement} from "../../src/settlement/Settlement.sol";

contract CapacityMarketTest is MarketFixture {
    function setUp() public {
        deployMarket();
    }

    function _unauthorized(address who, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, who, role);
    }

    /// Independent price arithmetic: mulDiv over a different grouping than the contract's.
    function _price(uint256 maxPrice, uint256 reservation, uint256 capacity, uint256 duration)
        internal
        pure
        returns (uint256)
    {
        uint256 rate = Math.min(maxPrice, reservation);
        return Math.mulDiv(rate, capacity * duration, 30 days);
    }

    function _economics(uint128 margin) internal pure returns (RegionClassEconomics memory) {
        return RegionClassEconomics({
            collateralReqPerUnit: uint128(100e18),
            targetCapacity: 10_000,
            releaseSchedule: 1440 days,
            maximumBootstrapRelease: uint128(1_000_000e18),
            protocolMargin: margin
        });
    }

    // ================================================================ constructor and parameters

    function test_constructorStoresWiringAndDefaults() public {
        CapacityMarket m = new CapacityMarket(governance, icnt, registry, collateral, eras, address(treasury));
        assertEq(address(m.icnt()), address(icnt));
        assertEq(address(m.registry()), address(registry));
        assertEq(address(m.collateral()), address(collateral));
        assertEq(address(m.eras()), address(eras));
        assertEq(m.treasury(), address(treasury));
        assertEq(address(m.settlement()), address(0));
        assertEq(m.minBookingDuration(), 90 days);
        assertEq(m.eraSeconds(), 3_600);
        assertEq(m.burnShare(), 0);
        assertEq(m.bookingCount(), 0);
        assertTrue(m.hasRole(m.GOVERNANCE_ROLE(), governance));
    }

    function test_constructorRejectsZeroAddresses() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new CapacityMarket(address(0), icnt, registry, collateral, eras, address(treasury));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new CapacityMarket(governance, IERC20(address(0)), registry, collateral, eras, address(treasury));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new CapacityMarket(governance, icnt, Registry(address(0)), collateral, eras, address(treasury));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new CapacityMarket(governance, icnt, registry, ICollateral(address(0)), eras, address(treasury));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new CapacityMarket(governance, icnt, registry, collateral, IEraManager(address(0)), address(treasury));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new CapacityMarket(governance, icnt, registry, collateral, eras, address(0));
    }

    function test_setSettlementOnce() public {
        CapacityMarket m = new CapacityMarket(governance, icnt, registry, collateral, eras, address(treasury));
        bytes memory denied = _unauthorized(stranger, m.GOVERNANCE_ROLE());
        vm.prank(stranger);
        vm.expectRevert(denied);
        m.setSettlement(settlement);
        vm.prank(governance);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        m.setSettlement(ISettlement(address(0)));
        vm.expectEmit(true, false, false, false, address(m));
        emit CapacityMarket.SettlementSet(address(settlement));
        vm.prank(governance);
        m.setSettlement(settlement);
        assertEq(address(m.settlement()), address(settlement));
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.SettlementAlreadySet.selector, address(settlement)));
        m.setSettlement(ISettlement(address(0x1234)));
    }

    function test_setTreasury() public {
        bytes memory denied = _unauthorized(stranger, market.GOVERNANCE_ROLE());
        vm.prank(stranger);
        vm.expectRevert(denied);
        market.setTreasury(stranger);
        vm.prank(governance);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        market.setTreasury(address(0));
        vm.expectEmit(true, false, false, false, address(market));
        emit CapacityMarket.TreasurySet(address(0x7777));
        vm.prank(governance);
        market.setTreasury(address(0x7777));
        assertEq(market.treasury(), address(0x7777));
    }

    function test_setMinBookingDuration() public {
        bytes memory denied = _unauthorized(stranger, market.GOVERNANCE_ROLE());
        vm.prank(stranger);
        vm.expectRevert(denied);
        market.setMinBookingDuration(30 days);
        vm.startPrank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(CapacityMarket.MinBookingDurationOutOfRange.selector, 1 days - 1, 1 days, 180 days)
        );
        market.setMinBookingDuration(1 days - 1);
        vm.expectRevert(
            abi.encodeWithSelector(CapacityMarket.MinBookingDurationOutOfRange.selector, 180 days + 1, 1 days, 180 days)
        );
        market.setMinBookingDuration(180 days + 1);
        vm.expectEmit(false, false, false, true, address(market));
        emit CapacityMarket.MinBookingDurationSet(90 days, 30 days);
        market.setMinBookingDuration(30 days);
        vm.stopPrank();
        assertEq(market.minBookingDuration(), 30 days);
    }

    function test_setEraSeconds() public {
        bytes memory denied = _unauthorized(stranger, market.GOVERNANCE_ROLE());
        vm.prank(stranger);
        vm.expectRevert(denied);
        market.setEraSeconds(20);
        vm.startPrank(governance);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.EraSecondsOutOfRange.selector, 0, 1, 1 days));
        market.setEraSeconds(0);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.EraSecondsOutOfRange.selector, 1 days + 1, 1, 1 days));
        market.setEraSeconds(1 days + 1);
        vm.expectEmit(false, false, false, true, address(market));
        emit CapacityMarket.EraSecondsSet(ERA_SECONDS, 20);
        market.setEraSeconds(20);
        vm.stopPrank();
        assertEq(market.eraSeconds(), 20);
    }

    function test_setBurnShare() public {
        bytes memory denied = _unauthorized(stranger, market.GOVERNANCE_ROLE());
        vm.prank(stranger);
        vm.expectRevert(denied);
        market.setBurnShare(10e18);
        vm.startPrank(governance);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.BurnShareTooHigh.selector, 50e18 + 1, 50e18));
        market.setBurnShare(50e18 + 1);
        vm.expectEmit(false, false, false, true, address(market));
        emit CapacityMarket.BurnShareSet(0, 50e18);
        market.setBurnShare(50e18);
        vm.stopPrank();
        assertEq(market.burnShare(), 50e18);
    }

    // ================================================================ list / delist

    function test_listPutsValidatedNodeIntoItsPool() public {
        uint256 nodeId = _registerNodes(hp, 1, CAPACITY, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
        vm.prank(governance);
        registry.validateScalerNode(nodeId);
        vm.expectEmit(true, true, false, true, address(market));
        emit CapacityMarket.Listed(nodeId, clusterId, CAPACITY);
        vm.prank(stranger); // anyone may list
        market.list(nodeId);
        assertEq(market.poolSize(clusterId, CAPACITY), 1);
        assertEq(market.poolNodeIds(clusterId, CAPACITY)[0], nodeId);
        NodeMarketState memory s = market.nodeState(nodeId);
        assertTrue(s.listed);
        assertEq(s.poolPosition, 1);
        assertEq(s.booking, 0);
        assertEq(s.escrowed, 0);
    }

    function test_listRejectsUnvalidatedAndListedNodes() public {
        uint256 registered = _registerNodes(hp, 1, CAPACITY, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
        vm.expectRevert(
            abi.encodeWithSelector(CapacityMarket.NodeNotValidated.selector, registered, ScalerNodeStatus.Registered)
        );
        market.list(registered);
        uint256 nodeId = _listedNode();
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.AlreadyListed.selector, nodeId));
        market.list(nodeId);
        // booked and delisted: not Validated, cannot re-enter until the booking ends
        _book();
        vm.prank(hp);
        market.delist(nodeId);
        vm.expectRevert(
            abi.encodeWithSelector(CapacityMarket.NodeNotValidated.selector, nodeId, ScalerNodeStatus.Booked)
        );
        market.list(nodeId);
        // unknown node: the Registry's error
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownScalerNode.selector, 999));
        market.list(999);
    }

    function test_listPaused() public {
        uint256 nodeId = _registerNodes(hp, 1, CAPACITY, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
        vm.prank(governance);
        registry.validateScalerNode(nodeId);
        vm.prank(governance);
        market.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        market.list(nodeId);
    }

    function test_delistByOwnerRemovesFromPool() public {
        uint256 a = _listedNode();
        uint256 b = _listedNode();
        uint256 c = _listedNode();
        // from inside the queue: the tail entry takes the gap
        vm.expectEmit(true, true, false, false, address(market));
        emit CapacityMarket.Delisted(b, hp);
        vm.prank(hp);
        market.delist(b);
        uint256[] memory ids = market.poolNodeIds(clusterId, CAPACITY);
        assertEq(ids.length, 2);
        assertEq(ids[0], a);
        assertEq(ids[1], c);
        assertEq(market.nodeState(c).poolPosition, 2);
        assertFalse(market.nodeState(b).listed);
        assertEq(market.nodeState(b).poolPosition, 0);
        // from the head: the queue starts after it
        vm.prank(hp);
        market.delist(a);
        ids = market.poolNodeIds(clusterId, CAPACITY);
        assertEq(ids.length, 1);
        assertEq(ids[0], c);
        // listing again puts a node at the tail
        market.list(a);
        ids = market.poolNodeIds(clusterId, CAPACITY);
        assertEq(ids.length, 2);
        assertEq(ids[1], a);
        assertEq(market.nodeState(a).poolPosition, 3); // queue index 2: the tail shrank when b left
        assertEq(market.poolSize(clusterId, CAPACITY), 2);
    }

    function test_delistErrors() public {
        uint256 nodeId = _listedNode();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.NotNodeOwner.selector, nodeId, stranger));
        market.delist(nodeId);
        vm.prank(hp);
        market.delist(nodeId);
        vm.prank(hp);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.NotListed.selector, nodeId));
        market.delist(nodeId);
        vm.prank(governance);
        market.pause();
        vm.prank(hp);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        market.delist(nodeId);
    }

    function test_anyoneDelistsAnOffboardedNode() public {
        uint256 nodeId = _listedNode();
        vm.warp(block.timestamp + COMMIT);
        vm.prank(hp);
        collateral.exit(nodeId);
        assertEq(uint8(registry.scalerNodeStatus(nodeId)), uint8(ScalerNodeStatus.Offboarded));
        vm.prank(stranger);
        market.delist(nodeId);
        assertEq(market.poolSize(clusterId, CAPACITY), 0);
    }

    function test_delistWhileBookedKeepsBookingButNotThePool() public {
        uint256 nodeId = _listedNode();
        uint256 id = _book();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.NotNodeOwner.selector, nodeId, stranger));
        market.delist(nodeId);
        vm.prank(hp);
        market.delist(nodeId);
        assertEq(uint8(market.booking(id).status), uint8(BookingStatus.Active));
        _expire(id, 90);
        assertEq(uint8(registry.scalerNodeStatus(nodeId)), uint8(ScalerNodeStatus.Validated));
        assertEq(market.poolSize(clusterId, CAPACITY), 0);
        assertFalse(market.nodeState(nodeId).listed);
    }

    // ================================================================ quote

    function test_quoteMatchesIndependentPrice() public {
        uint256 nodeId = _listedNode();
        (uint256 q, uint256 price, uint256 margin, uint256 total) = market.quote(clusterId, CAPACITY, DURATION);
        assertEq(q, nodeId);
        // 2 ICNT × 10 TB × 3 months = 60 ICNT; 25 % margin = 15 ICNT
        assertEq(price, 60e18);
        assertEq(margin, 15e18);
        assertEq(total, 75e18);
    }

    function test_quoteUsesClusterMaxPriceWhenLower() public {
        _listedNode(hp, CAPACITY, 5e18, NODE_MAX_DURATION, COMMIT);
        (, uint256 price,,) = market.quote(clusterId, CAPACITY, DURATION);
        assertEq(price, 2.8e18 * 10 * 3); // 84 ICNT
    }

    function test_quoteErrors() public {
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.DurationTooShort.selector, 90 days - 1, 90 days));
        market.quote(clusterId, CAPACITY, 90 days - 1);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.NoEligibleNode.selector, clusterId, CAPACITY, DURATION));
        market.quote(clusterId, CAPACITY, DURATION);
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownCluster.selector, 77));
        market.quote(77, CAPACITY, DURATION);
        _listedNode();
        // capacity must match exactly
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.NoEligibleNode.selector, clusterId, 20, DURATION));
        market.quote(clusterId, 20, DURATION);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.NoEligibleNode.selector, clusterId, 5, DURATION));
        market.quote(clusterId, 5, DURATION);
    }

    // ================================================================ book

    function test_bookChargesEscrowsAndMarksBooked() public {
        uint256 nodeId = _listedNode();
        uint256 era = eras.currentEra();
        uint256 builderBefore = icnt.balanceOf(builder);
        uint256 treasuryBefore = icnt.balanceOf(address(treasury));
        vm.expectEmit(true, true, true, true, address(market));
        emit CapacityMarket.Booked(
            1, builder, nodeId, clusterId, CAPACITY, DURATION, uint64(era + 1), 90, 60e18, 15e18, "ssh-ed25519 AAAA"
        );
        vm.expectEmit(true, false, false, true, address(market));
        emit CapacityMarket.MarginCollected(1, 15e18, 0);
        uint256 id = _book();
        assertEq(id, 1);
        assertEq(market.bookingCount(), 1);
        assertEq(icnt.balanceOf(builder), builderBefore - 75e18);
        assertEq(icnt.balanceOf(address(treasury)), treasuryBefore + 15e18);
        assertEq(icnt.balanceOf(address(settlement)), 60e18);

        Booking memory b = market.booking(id);
        assertEq(b.builder, builder);
        assertEq(b.nodeId, nodeId);
        assertEq(b.start, block.timestamp);
        assertEq(b.duration, DURATION);
        assertEq(b.activationEra, era + 1);
        assertEq(b.eras, 90);
        assertEq(b.escrow, 60e18);
        assertEq(b.pricePerEra, uint256(60e18) / 90);
        assertEq(b.refunded, 0);
        assertEq(uint8(b.status), uint8(BookingStatus.Active));
        assertEq(market.lastEra(id), era + 90);

        ScalerNode memory node = registry.scalerNode(nodeId);
        assertEq(uint8(node.status), uint8(ScalerNodeStatus.Booked));
        assertEq(node.activationEra, era + 1);
        assertEq(market.poolSize(clusterId, CAPACITY), 0);
        NodeMarketState memory s = market.nodeState(nodeId);
        assertTrue(s.listed);
        assertEq(s.poolPosition, 0);
        assertEq(s.booking, id);
        assertEq(market.escrowHeld(nodeId), 60e18);
        (uint256 paid, uint256 released, uint256 refunded, uint256 held) = market.escrowOf(nodeId);
        assertEq(paid, 60e18);
        assertEq(released + refunded, 0);
        assertEq(held, 60e18);
    }

    function test_bookTakesTheFirstEligibleNode() public {
        uint256 first = _listedNodes(3);
        // first in, first booked
        assertEq(market.booking(_book()).nodeId, first);
        assertEq(market.poolNodeIds(clusterId, CAPACITY)[0], first + 1);
        assertEq(market.booking(_book()).nodeId, first + 1);
        assertEq(market.booking(_book()).nodeId, first + 2);
        assertEq(market.poolSize(clusterId, CAPACITY), 0);
        vm.prank(builder);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.NoEligibleNode.selector, clusterId, CAPACITY, DURATION));
        market.book(clusterId, CAPACITY, DURATION, type(uint256).max, "");
        // an expired node goes to the back of the queue
        uint256 fourth = _listedNode();
        _expire(1, 90);
        uint256[] memory ids = market.poolNodeIds(clusterId, CAPACITY);
        assertEq(ids[0], fourth);
        assertEq(ids[1], first);
    }

    function test_bookMatchesCapacityExactly() public {
        uint256 small = _listedNode(hp, 5, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
        uint256 large = _listedNode(hp, 20, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
        uint256 exact = _listedNode(hp, CAPACITY, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
        assertEq(market.booking(_book()).nodeId, exact);
        assertEq(market.booking(_book(builder, 20, DURATION)).nodeId, large);
        assertEq(market.booking(_book(builder, 5, DURATION)).nodeId, small);
    }

    function test_bookSkipsNodesWhoseMaximumIsShorter() public {
        uint256 shortMax = _listedNode(hp, CAPACITY, RESERVATION_PRICE, 180 days, COMMIT);
        uint256 longMax = _listedNode(hp, CAPACITY, RESERVATION_PRICE, 720 days, COMMIT);
        uint256 id = _book(builder, CAPACITY, 180 days + 1);
        assertEq(market.booking(id).nodeId, longMax);
        // the skipped node stays in the pool, at the front
        assertEq(market.poolNodeIds(clusterId, CAPACITY)[0], shortMax);
        // exactly the maximum is accepted
        assertEq(market.booking(_book(builder, CAPACITY, 180 days)).nodeId, shortMax);
    }

    function test_bookNeedsDurationShorterThanRemainingCommitment() public {
        uint256 a = _listedNode(hp, CAPACITY, RESERVATION_PRICE, 3600 days, COMMIT);
        uint256 b = _listedNode(hp, CAPACITY, RESERVATION_PRICE, 3600 days, COMMIT + 180 days);
        uint256 remaining = collateral.commitmentEnd(a) - block.timestamp; // 1,080 days
        // a duration equal to the remaining commitment is not shorter: node a is skipped
        uint256 id = _book(builder, CAPACITY, uint64(remaining));
        assertEq(market.booking(id).nodeId, b);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.NoEligibleNode.selector, clusterId, CAPACITY, remaining));
        _book(builder, CAPACITY, uint64(remaining));
        id = _book(builder, CAPACITY, uint64(remaining - 1));
        assertEq(market.booking(id).nodeId, a);
    }

    function test_bookSkipsAndPrunesOffboardedNodes() public {
        uint256 gone = _listedNode(hp, CAPACITY, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
        uint256 live = _listedNode(hp, CAPACITY, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT + 360 days);
        vm.warp(block.timestamp + COMMIT);
        vm.prank(hp);
        collateral.exit(gone);
        vm.expectEmit(true, true, false, true, address(market));
        emit CapacityMarket.PoolEntryPruned(gone, clusterId, CAPACITY, ScalerNodeStatus.Offboarded);
        uint256 id = _book();
        assertEq(market.booking(id).nodeId, live);
        assertEq(market.poolSize(clusterId, CAPACITY), 0);
        assertFalse(market.nodeState(gone).listed);
    }

    function test_bookSkipsAndPrunesNodesBookedElsewhere() public {
        uint256 a = _listedNode();
        uint256 b = _listedNode();
        // another PROTOCOL holder booked node a outside the market
        vm.startPrank(governance);
        registry.grantRole(registry.PROTOCOL_ROLE(), governance);
        registry.markBooked(a, 5);
        vm.stopPrank();
        (uint256 quoted,,,) = market.quote(clusterId, CAPACITY, DURATION);
        assertEq(quoted, b);
        uint256 id = _book();
        assertEq(market.booking(id).nodeId, b);
        assertEq(market.poolSize(clusterId, CAPACITY), 0);
    }

    function test_bookSkipsDelistedNodes() public {
        uint256 a = _listedNode();
        uint256 b = _listedNode();
        vm.prank(hp);
        market.delist(a);
        assertEq(market.booking(_book()).nodeId, b);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.NoEligibleNode.selector, clusterId, CAPACITY, DURATION));
        _book();
    }

    function test_bookNeverBooksANodeTwice() public {
        uint256 nodeId = _listedNode();
        _book();
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.NoEligibleNode.selector, clusterId, CAPACITY, DURATION));
        _book(builder2, CAPACITY, DURATION);
        // relisting is impossible while Booked
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.AlreadyListed.selector, nodeId));
        market.list(nodeId);
    }

    function test_bookErrors() public {
        _listedNode();
        vm.startPrank(builder);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.DurationTooShort.selector, 89 days, 90 days));
        market.book(clusterId, CAPACITY, 89 days, type(uint256).max, "");
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.PriceAboveMax.selector, 75e18, 75e18 - 1));
        market.book(clusterId, CAPACITY, DURATION, 75e18 - 1, "");
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.NoEligibleNode.selector, clusterId, CAPACITY, 361 days));
        market.book(clusterId, CAPACITY, 361 days, type(uint256).max, "");
        vm.expectRevert(abi.encodeWithSelector(Registry.UnknownCluster.selector, 0));
        market.book(0, CAPACITY, DURATION, type(uint256).max, "");
        vm.stopPrank();
        // exactly the maximum total is accepted
        vm.prank(builder);
        market.book(clusterId, CAPACITY, DURATION, 75e18, "");
    }

    function test_bookNeedsAllowanceAndBalance() public {
        _listedNode();
        vm.prank(stranger);
        vm.expectRevert(); // ERC20InsufficientAllowance from ICNT
        market.book(clusterId, CAPACITY, DURATION, type(uint256).max, "");
    }

    function test_bookPaused() public {
        _listedNode();
        vm.prank(governance);
        market.pause();
        vm.prank(builder);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        market.book(clusterId, CAPACITY, DURATION, type(uint256).max, "");
    }

    function test_bookBurnsTheBurnShare() public {
        _listedNode();
        vm.prank(governance);
        market.setBurnShare(40e18);
        uint256 supply = icnt.totalSupply();
        uint256 treasuryBefore = icnt.balanceOf(address(treasury));
        vm.expectEmit(true, false, false, true, address(market));
        emit CapacityMarket.MarginCollected(1, 9e18, 6e18);
        _book();
        assertEq(icnt.totalSupply(), supply - 6e18); // 40 % of the 15 ICNT margin
        assertEq(icnt.balanceOf(address(treasury)), treasuryBefore + 9e18);
    }

    function test_bookWithZeroMarginSendsNothingToTreasury() public {
        vm.prank(governance);
        registry.setRegionClassEconomics(regionId, classId, _economics(0));
        _listedNode();
        uint256 treasuryBefore = icnt.balanceOf(address(treasury));
        _book();
        assertEq(icnt.balanceOf(address(treasury)), treasuryBefore);
        assertEq(icnt.balanceOf(address(settlement)), 60e18);
    }

    struct PriceCase {
        uint128 reservation;
        uint128 maxPrice;
        uint128 capacity;
        uint64 duration;
        uint128 marginRate;
        uint128 burnShare;
        uint64 eraSeconds;
        uint256 price;
        uint256 margin;
        uint256 burned;
        uint256 eraCount;
    }

    /// Price, margin, burn split, eras and price per era against an independent computation.
    function testFuzz_bookArithmetic(
        uint128 reservation,
        uint128 maxPrice,
        uint128 capacity,
        uint64 duration,
        uint128 marginRate,
        uint128 burnShare,
        uint64 eraSeconds
    ) public {
        PriceCase memory c;
        c.reservation = uint128(bound(reservation, 1, 1_000e18));
        c.maxPrice = uint128(bound(maxPrice, 1, 1_000e18));
        c.capacity = uint128(bound(capacity, 1, 100)); // total ≤ 4.8M ICNT, the Builder's balance
        c.duration = uint64(bound(duration, 90 days, 720 days));
        c.marginRate = uint128(bound(marginRate, 0, 100e18));
        c.burnShare = uint128(bound(burnShare, 0, 50e18));
        c.eraSeconds = uint64(bound(eraSeconds, 1, 1 days));
        vm.startPrank(governance);
        registry.setClusterMaxPrice(clusterId, c.maxPrice);
        registry.setRegionClassEconomics(regionId, classId, _economics(c.marginRate));
        market.setBurnShare(c.burnShare);
        market.setEraSeconds(c.eraSeconds);
        vm.stopPrank();
        uint256 nodeId = _listedNode(hp, c.capacity, c.reservation, 720 days, COMMIT);

        c.price = _price(c.maxPrice, c.reservation, c.capacity, c.duration);
        c.margin = Math.mulDiv(c.price, c.marginRate, 100e18);
        c.burned = Math.mulDiv(c.margin, c.burnShare, 100e18);
        c.eraCount = Math.ceilDiv(c.duration, c.eraSeconds);
        _checkQuote(c, nodeId);
        _checkBook(c);
    }

    function _checkQuote(PriceCase memory c, uint256 nodeId) internal view {
        (uint256 q, uint256 price, uint256 margin, uint256 total) = market.quote(clusterId, c.capacity, c.duration);
        assertEq(q, nodeId);
        assertEq(price, c.price, "price");
        assertEq(margin, c.margin, "margin");
        assertEq(total, c.price + c.margin, "total");
    }

    function _checkBook(PriceCase memory c) internal {
        uint256 supply = icnt.totalSupply();
        uint256 builderBefore = icnt.balanceOf(builder);
        uint256 treasuryBefore = icnt.balanceOf(address(treasury));
        vm.prank(builder);
        uint256 id = market.book(clusterId, c.capacity, c.duration, c.price + c.margin, "");
        Booking memory b = market.booking(id);
        assertEq(b.escrow, c.price);
        assertEq(b.eras, c.eraCount, "eras");
        assertEq(b.pricePerEra, c.price / c.eraCount, "price per era");
        assertLe(b.pricePerEra * b.eras, b.escrow);
        assertEq(icnt.balanceOf(builder), builderBefore - c.price - c.margin);
        assertEq(icnt.balanceOf(address(settlement)), c.price);
        assertEq(icnt.balanceOf(address(treasury)), treasuryBefore + c.margin - c.burned);
        assertEq(icnt.totalSupply(), supply - c.burned);
    }

    // ================================================================ renew

    function test_renewExtendsEscrowAndEras() public {
        uint256 nodeId = _listedNode();
        uint256 id = _book();
        _advanceEras(10);
        uint256 builderBefore = icnt.balanceOf(builder);
        uint256 treasuryBefore = icnt.balanceOf(address(treasury));
        // 30 more days: 20 ICNT + 5 ICNT margin
        vm.expectEmit(true, false, false, true, address(market));
        emit CapacityMarket.Renewed(id, 30 days, 20e18, 5e18, 120, 80e18, uint256(80e18) / 120);
        vm.prank(builder);
        market.renew(id, 30 days, 25e18);
        Booking memory b = market.booking(id);
        assertEq(b.duration, 120 days);
        assertEq(b.eras, 120);
        assertEq(b.escrow, 80e18);
        assertEq(b.pricePerEra, uint256(80e18) / 120);
        assertEq(market.escrowHeld(nodeId), 80e18);
        assertEq(icnt.balanceOf(builder), builderBefore - 25e18);
        assertEq(icnt.balanceOf(address(treasury)), treasuryBefore + 5e18);
        assertEq(market.lastEra(id), b.activationEra + 119);
    }

    function test_renewAtAHigherPriceRaisesPricePerEra() public {
        uint256 nodeId = _listedNode();
        uint256 id = _book();
        uint256 before = market.booking(id).pricePerEra;
        uint256[] memory ids = new uint256[](1);
        ids[0] = nodeId;
        uint128[] memory prices = new uint128[](1);
        prices[0] = 2.6e18;
        vm.prank(hp);
        registry.setReservationPrice(ids, prices);
        vm.prank(builder);
        market.renew(id, 90 days, type(uint256).max);
        Booking memory b = market.booking(id);
        assertEq(b.escrow, 60e18 + 78e18); // 2.6 × 10 × 3
        assertEq(b.eras, 180);
        assertEq(b.pricePerEra, uint256(138e18) / 180);
        assertGt(b.pricePerEra, before);
    }

    function test_renewAtALowerPriceKeepsPricePerEra() public {
        uint256 nodeId = _listedNode();
        uint256 id = _book();
        uint256 before = market.booking(id).pricePerEra;
        uint256[] memory ids = new uint256[](1);
        ids[0] = nodeId;
        uint128[] memory prices = new uint128[](1);
        prices[0] = 1e18;
        vm.prank(hp);
        registry.setReservationPrice(ids, prices);
        vm.prank(builder);
        market.renew(id, 90 days, type(uint256).max);
        Booking memory b = market.booking(id);
        assertEq(b.escrow, 90e18);
        assertEq(b.pricePerEra, before); // never falls: committed cumulative leaves stay monotone
        // all UP: the whole escrow is earned (the last eras are capped by the escrow)
        assertEq(_expire(id, 180), 0);
    }

    function test_renewCountsErasOverTheWholeDuration() public {
        _listedNode();
        uint256 id = _book();
        vm.prank(builder);
        market.renew(id, 1 hours, type(uint256).max);
        Booking memory b = market.booking(id);
        assertEq(b.eras, 91); // ceil(90 days + 1 h / 1 day)
        vm.prank(builder);
        market.renew(id, 1 hours, type(uint256).max);
        assertEq(market.booking(id).eras, 91);
    }

    function test_renewErrors() public {
        uint256 nodeId = _listedNode();
        uint256 id = _book();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.NotBuilder.selector, id, stranger));
        market.renew(id, 30 days, type(uint256).max);
        vm.startPrank(builder);
        vm.expectRevert(CapacityMarket.ZeroDuration.selector);
        market.renew(id, 0, type(uint256).max);
        vm.expectRevert(
            abi.encodeWithSelector(CapacityMarket.DurationAboveNodeMax.selector, nodeId, 361 days, 360 days)
        );
        market.renew(id, 271 days, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.PriceAboveMax.selector, 25e18, 25e18 - 1));
        market.renew(id, 30 days, 25e18 - 1);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.UnknownBooking.selector, 9));
        market.renew(9, 30 days, type(uint256).max);
        vm.stopPrank();

        // after the last era: too late
        uint256 last = market.lastEra(id);
        _advancePastBooking(id);
        vm.prank(builder);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.BookingEnded.selector, id, last, last + 1));
        market.renew(id, 30 days, type(uint256).max);
        _expire(id, 90);
        vm.prank(builder);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.BookingNotActive.selector, id, BookingStatus.Expired));
        market.renew(id, 30 days, type(uint256).max);
    }

    function test_renewMustEndBeforeCommitment() public {
        uint256 nodeId = _listedNode(hp, CAPACITY, RESERVATION_PRICE, 3600 days, COMMIT);
        uint256 id = _book();
        uint256 end = collateral.commitmentEnd(nodeId);
        uint256 extra = end - block.timestamp - DURATION;
        vm.prank(builder);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.DurationBeyondCommitment.selector, nodeId, end, end));
        market.renew(id, uint64(extra), type(uint256).max);
        vm.prank(builder);
        market.renew(id, uint64(extra - 1), type(uint256).max);
        // the commitment extension makes room again
        vm.prank(hp);
        collateral.extendCommitment(nodeId, 1);
        vm.prank(builder);
        market.renew(id, 180 days, type(uint256).max);
    }

    function test_renewPaused() public {
        _listedNode();
        uint256 id = _book();
        vm.prank(governance);
        market.pause();
        vm.prank(builder);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        market.renew(id, 30 days, type(uint256).max);
    }

    // ================================================================ expire

    function test_expireAllUpRefundsTheRoundingRemainder() public {
        uint256 nodeId = _listedNode();
        uint256 id = _book();
        Booking memory b = market.booking(id);
        uint256 remainder = b.escrow - b.pricePerEra * 90;
        uint256 refund = _expire(id, 90);
        assertEq(refund, remainder);
        assertEq(market.booking(id).refunded, remainder);
        assertEq(uint8(market.booking(id).status), uint8(BookingStatus.Expired));
        assertEq(market.escrowHeld(nodeId), b.pricePerEra * 90);
        assertEq(uint8(registry.scalerNodeStatus(nodeId)), uint8(ScalerNodeStatus.Validated));
        assertEq(registry.scalerNode(nodeId).activationEra, 0);
        // back in its pool and bookable again
        assertEq(market.poolNodeIds(clusterId, CAPACITY)[0], nodeId);
        assertEq(market.nodeState(nodeId).poolPosition, 2); // queue index 1: the booking took index 0
        assertEq(market.booking(_book(builder2, CAPACITY, DURATION)).nodeId, nodeId);
    }

    function test_expireRefundsDownEras() public {
        uint256 nodeId = _listedNode();
        uint256 id = _book();
        Booking memory b = market.booking(id);
        uint256 era = market.lastEra(id);
        _advancePastBooking(id);
        NodeLeaf memory leaf = _leaf(id, 60); // 30 DOWN eras
        bytes32[] memory proof = _commitOne(uint64(era), leaf);
        uint256 refund = b.escrow - 60 * b.pricePerEra;
        uint256 before = icnt.balanceOf(builder);
        vm.expectEmit(true, true, false, true, address(market));
        emit CapacityMarket.Expired(id, nodeId, uint64(era), 60, refund);
        vm.prank(stranger);
        market.expire(id, uint64(era), leaf, proof);
        assertEq(icnt.balanceOf(builder), before + refund);
        (uint256 paid, uint256 released, uint256 refunded, uint256 held) = market.escrowOf(nodeId);
        assertEq(paid, b.escrow);
        assertEq(released, 0);
        assertEq(refunded, refund);
        assertEq(held, 60 * b.pricePerEra);
        assertEq(market.escrowLimit(nodeId), 60 * b.pricePerEra);
        // Settlement can still release what was earned, and not more
        _advanceEras(1);
        leaf.utilisation = held + 1;
        proof = _commitOne(uint64(era + 1), leaf);
        vm.expectRevert(abi.encodeWithSelector(Settlement.EscrowExceeded.selector, nodeId, held + 1, held));
        settlement.claimHpRewards(uint64(era + 1), leaf, proof);
        _advanceEras(1);
        leaf.utilisation = held;
        settlement.claimHpRewards(uint64(era + 2), leaf, _commitOne(uint64(era + 2), leaf));
        assertEq(market.escrowHeld(nodeId), 0);
    }

    function test_expireAllDownRefundsEverything() public {
        _listedNode();
        uint256 id = _book();
        assertEq(_expire(id, 0), 60e18);
    }

    function test_expireCapsUpErasAtTheEscrow() public {
        uint256 nodeId = _listedNode();
        uint256 id = _book();
        assertEq(_expire(id, 1_000), 0);
        assertEq(market.escrowHeld(nodeId), 60e18);
    }

    function test_expireWithALaterEraAndAfterReleases() public {
        uint256 nodeId = _listedNode();
        uint256 id = _book();
        Booking memory b = market.booking(id);
        // Settlement paid 40 eras' worth during the booking
        _claimUtilisation(id, 40);
        _advancePastBooking(id);
        _advanceEras(5);
        uint64 era = uint64(eras.currentEra() - 1); // a committed era after the last one
        NodeLeaf memory leaf = _leaf(id, 75);
        bytes32[] memory proof = _commitOne(era, leaf);
        uint256 before = icnt.balanceOf(builder);
        market.expire(id, era, leaf, proof);
        assertEq(icnt.balanceOf(builder) - before, b.escrow - 75 * b.pricePerEra);
        assertEq(market.escrowHeld(nodeId), 35 * b.pricePerEra);
    }

    function test_expireWithALeafAmongOthers() public {
        _listedNodes(3);
        uint256 id1 = _book();
        uint256 id2 = _book();
        uint256 id3 = _book();
        _advancePastBooking(id3);
        uint64 era = uint64(market.lastEra(id3));
        NodeLeaf[] memory leaves = new NodeLeaf[](3);
        leaves[0] = _leaf(id1, 90);
        leaves[1] = _leaf(id2, 45);
        leaves[2] = _leaf(id3, 0);
        bytes32[] memory proof = _commit(era, leaves, 1);
        uint256 before = icnt.balanceOf(builder);
        market.expire(id2, era, leaves[1], proof);
        assertEq(icnt.balanceOf(builder) - before, 60e18 - 45 * market.booking(id2).pricePerEra);
        // another leaf's proof does not prove this one
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.InvalidLeafProof.selector, id1, era));
        market.expire(id1, era, leaves[0], proof);
    }

    function test_expireErrors() public {
        uint256 nodeId = _listedNode();
        uint256 id = _book();
        uint64 last = uint64(market.lastEra(id));
        NodeLeaf memory leaf = _leaf(id, 90);
        bytes32[] memory none = new bytes32[](0);

        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.UnknownBooking.selector, 5));
        market.expire(5, last, leaf, none);
        // nothing committed yet
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.EraNotCommitted.selector, last, type(uint64).max));
        market.expire(id, last, leaf, none);
        // an era before the booking's last era
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.BookingNotOver.selector, id, last, last - 1));
        market.expire(id, last - 1, leaf, none);

        _advancePastBooking(id);
        bytes32[] memory proof = _commitOne(last, leaf);
        // the era after the last committed one
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.EraNotCommitted.selector, last + 1, last));
        market.expire(id, last + 1, leaf, proof);
        // a leaf about another node or another booking
        NodeLeaf memory other = _leaf(id, 90); // (a copy: memory structs alias)
        other.nodeId = nodeId + 1;
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.LeafMismatch.selector, id, nodeId + 1, id));
        market.expire(id, last, other, proof);
        other = _leaf(id, 90);
        other.bookingId = id + 1;
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.LeafMismatch.selector, id, nodeId, id + 1));
        market.expire(id, last, other, proof);
        // a leaf that is not the committed one (more UP eras than committed)
        other = _leaf(id, 90);
        other.bookingUpEras = 91;
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.InvalidLeafProof.selector, id, last));
        market.expire(id, last, other, proof);
        // the right leaf with no proof
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.InvalidLeafProof.selector, id, last));
        market.expire(id, last, leaf, none);
        // paused
        vm.prank(governance);
        market.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        market.expire(id, last, leaf, proof);
        vm.prank(governance);
        market.unpause();

        market.expire(id, last, leaf, proof);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.BookingNotActive.selector, id, BookingStatus.Expired));
        market.expire(id, last, leaf, proof);
    }

    function test_bookAndExpireNeedSettlement() public {
        CapacityMarket m = new CapacityMarket(governance, icnt, registry, collateral, eras, address(treasury));
        vm.startPrank(governance);
        registry.grantRole(registry.PROTOCOL_ROLE(), address(m));
        m.setEraSeconds(ERA_SECONDS);
        vm.stopPrank();
        uint256 nodeId = _registerNodes(hp, 1, CAPACITY, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
        vm.prank(governance);
        registry.validateScalerNode(nodeId);
        m.list(nodeId);
        vm.startPrank(builder);
        icnt.approve(address(m), type(uint256).max);
        // the escrow goes to Settlement: no booking before it is set
        vm.expectRevert(CapacityMarket.SettlementNotSet.selector);
        m.book(clusterId, CAPACITY, DURATION, type(uint256).max, "");
        vm.stopPrank();
        NodeLeaf memory leaf;
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.UnknownBooking.selector, 1));
        m.expire(1, 0, leaf, new bytes32[](0));
    }

    /// expire refunds exactly escrow − min(escrow, upEras × pricePerEra), whatever the UP count.
    function testFuzz_expireRefund(uint64 duration, uint256 upEras, uint128 reservation) public {
        duration = uint64(bound(duration, 90 days, 150 days)); // (each era is committed: keep runs short)
        reservation = uint128(bound(reservation, 1, 2.8e18));
        uint256 nodeId = _listedNode(hp, CAPACITY, reservation, NODE_MAX_DURATION, COMMIT);
        uint256 id = _book(builder, CAPACITY, duration);
        Booking memory b = market.booking(id);
        upEras = bound(upEras, 0, b.eras + 10);
        uint256 earned = Math.min(b.escrow, upEras * b.pricePerEra);
        uint256 refund = _expire(id, upEras);
        assertEq(refund, b.escrow - earned);
        (uint256 paid, uint256 released, uint256 refunded, uint256 held) = market.escrowOf(nodeId);
        assertEq(paid, b.escrow);
        assertEq(paid, released + refunded + held);
        assertEq(held, earned);
        assertEq(icnt.balanceOf(address(settlement)), held);
    }

    // ================================================================ escrow released by Settlement

    function test_claimsReleaseEscrowHeldBySettlement() public {
        uint256 nodeId = _listedNode();
        uint256 id = _book();
        Booking memory b = market.booking(id);
        assertEq(market.escrowLimit(nodeId), 60e18);
        uint256 hpBefore = icnt.balanceOf(hp);
        _claimUtilisation(id, 10);
        assertEq(icnt.balanceOf(hp) - hpBefore, 10 * b.pricePerEra);
        assertEq(market.escrowHeld(nodeId), 60e18 - 10 * b.pricePerEra);
        (uint256 paid, uint256 released,, uint256 held) = market.escrowOf(nodeId);
        assertEq(paid, 60e18);
        assertEq(released, 10 * b.pricePerEra);
        assertEq(held, icnt.balanceOf(address(settlement)));
        assertEq(market.escrowLimit(nodeId), 60e18, "releases do not lower the limit");
        // claims keep working while the market is paused
        vm.prank(governance);
        market.pause();
        _claimUtilisation(id, 90);
        assertEq(market.escrowHeld(nodeId), 60e18 - 90 * b.pricePerEra, "the rounding remainder, for the refund");
        assertEq(icnt.balanceOf(address(settlement)), market.escrowHeld(nodeId));
    }

    function test_claimBeyondTheEscrowLimitReverts() public {
        uint256 nodeId = _listedNode();
        _book();
        _advanceEras(2);
        NodeLeaf memory leaf =
            NodeLeaf({nodeId: nodeId, utilisation: 60e18 + 1, subsidy: 0, slashed: 0, bookingId: 1, bookingUpEras: 1});
        uint64 era = uint64(eras.currentEra() - 1);
        bytes32[] memory proof = _commitOne(era, leaf);
        vm.expectRevert(abi.encodeWithSelector(Settlement.EscrowExceeded.selector, nodeId, 60e18 + 1, 60e18));
        settlement.claimHpRewards(era, leaf, proof);
        // a node never booked has no escrow at all
        leaf.nodeId = nodeId + 1;
        _advanceEras(1);
        proof = _commitOne(era + 1, leaf);
        vm.expectRevert(abi.encodeWithSelector(Settlement.EscrowExceeded.selector, nodeId + 1, 60e18 + 1, 0));
        settlement.claimHpRewards(era + 1, leaf, proof);
    }

    // ================================================================ with Settlement's claims

    uint256 private _builderBefore;
    uint256 private _hpBefore;
    uint256 private _treasuryBefore;

    /// The whole life of a booking: HP claims draw the escrow per UP era through Settlement, expiry refunds
    /// the DOWN eras, and every ICNT the Builder paid ends at the HP, the Treasury or back with the Builder.
    function test_claimsAndExpiryAccountForEveryPayment() public {
        uint256 nodeId = _listedNode();
        _builderBefore = icnt.balanceOf(builder);
        _hpBefore = icnt.balanceOf(hp);
        _treasuryBefore = icnt.balanceOf(address(treasury));
        uint256 id = _book();
        Booking memory b = market.booking(id);

        // 30 eras in, 25 were UP: the HP claims them
        _advanceEras(31);
        NodeLeaf memory leaf = _leaf(id, 25);
        bytes32[] memory proof = _commitOne(uint64(b.activationEra + 29), leaf);
        settlement.claimHpRewards(uint64(b.activationEra + 29), leaf, proof);
        assertEq(icnt.balanceOf(hp) - _hpBefore, 25 * b.pricePerEra);
        assertEq(market.escrowHeld(nodeId), b.escrow - 25 * b.pricePerEra);

        // the booking ends with 70 UP eras of 90: the Builder gets 20 eras back, the HP claims the rest
        uint256 refund = _expire(id, 70);
        assertEq(refund, b.escrow - 70 * b.pricePerEra);
        _claimAfterExpiry(id, 70 * b.pricePerEra);
        assertEq(icnt.balanceOf(hp) - _hpBefore, 70 * b.pricePerEra);
        assertEq(market.escrowHeld(nodeId), 0);
        (uint256 paid, uint256 released, uint256 refunded, uint256 held) = market.escrowOf(nodeId);
        assertEq(paid, released + refunded + held);
        assertEq(released, 70 * b.pricePerEra);
        assertEq(refunded, refund);
        assertEq(
            _builderBefore - icnt.balanceOf(builder),
            (icnt.balanceOf(hp) - _hpBefore) + (icnt.balanceOf(address(treasury)) - _treasuryBefore),
            "the Builder paid the HP and the Treasury, nothing else"
        );
        assertEq(icnt.balanceOf(address(market)), 0);
        assertEq(icnt.balanceOf(address(settlement)), 0);
    }

    /// Claims the node's leaf after booking `id` expired (its final UP count) in the next era.
    function _claimAfterExpiry(uint256 id, uint256 utilisation) internal {
        NodeLeaf memory leaf = _leaf(id, 70);
        assertEq(leaf.utilisation, utilisation);
        uint64 era = uint64(market.lastEra(id)) + 1;
        _advanceEras(1);
        bytes32[] memory proof = _commitOne(era, leaf);
        settlement.claimHpRewards(era, leaf, proof);
    }

    // ================================================================ views

    function test_bookingViewsRejectUnknownIds() public {
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.UnknownBooking.selector, 1));
        market.booking(1);
        vm.expectRevert(abi.encodeWithSelector(CapacityMarket.UnknownBooking.selector, 0));
        market.lastEra(0);
    }

    function test_escrowAcrossTwoBookingsOfOneNode() public {
        uint256 nodeId = _listedNode();
        uint256 first = _book();
        uint256 refund1 = _expire(first, 80);
        uint256 second = _book(builder2, CAPACITY, DURATION);
        assertEq(market.booking(second).nodeId, nodeId);
        assertEq(market.nodeState(nodeId).booking, second);
        uint256 refund2 = _expire(second, 90);
        (uint256 paid, uint256 released, uint256 refunded, uint256 held) = market.escrowOf(nodeId);
        assertEq(paid, 120e18);
        assertEq(refunded, refund1 + refund2);
        assertEq(released, 0);
        assertEq(held, 120e18 - refund1 - refund2);
        assertEq(icnt.balanceOf(address(settlement)), held);
    }
}

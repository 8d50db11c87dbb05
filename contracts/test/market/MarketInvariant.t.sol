// SPDX-License-Identifier: MIT
// Invariants of the capacity market under random bookings, renewals, UP/DOWN eras, claims and expiries.
pragma solidity ^0.8.24;

import {InvariantTest} from "../utils/Invariant.sol";
import {MarketFixture} from "./MarketFixture.sol";
import {MarketHandler} from "./MarketHandler.sol";
import {Booking, BookingStatus, NodeMarketState} from "../../src/market/CapacityMarket.sol";
import {ScalerNodeStatus} from "../../src/interfaces/IRegistry.sol";
import {ICNT_TOTAL_SUPPLY} from "../../src/common/Units.sol";

contract MarketInvariantTest is MarketFixture, InvariantTest {
    MarketHandler internal handler;
    uint256 internal buildersAtStart;
    uint256 internal treasuryAtStart;
    uint256 internal hpAtStart;

    function setUp() public {
        deployMarket();
        vm.startPrank(governance);
        market.setMinBookingDuration(1 days); // short bookings, so runs see them end
        market.setBurnShare(20e18);
        vm.stopPrank();

        uint256[] memory ids = new uint256[](9);
        uint256 first = _listedNodes(6); // capacity 10
        for (uint256 i; i < 6; ++i) {
            ids[i] = first + i;
        }
        for (uint256 i = 6; i < 9; ++i) {
            ids[i] = _listedNode(hp, 20, RESERVATION_PRICE + uint128(i) * 1e17, NODE_MAX_DURATION, COMMIT);
        }
        address[] memory bs = new address[](2);
        (bs[0], bs[1]) = (builder, builder2);
        handler = new MarketHandler(
            MarketHandler.Wiring({
                icnt: icnt,
                eras: eras,
                registry: registry,
                market: market,
                settlement: settlement,
                treasury: address(treasury),
                hp: hp,
                builders: bs,
                nodes: ids,
                committeeKeys: committeeKeys,
                clusterId: clusterId,
                eraBlocks: ERA_BLOCKS,
                eraSeconds: ERA_SECONDS
            })
        );
        buildersAtStart = icnt.balanceOf(builder) + icnt.balanceOf(builder2);
        treasuryAtStart = icnt.balanceOf(address(treasury));
        hpAtStart = icnt.balanceOf(hp);

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](7);
        selectors[0] = MarketHandler.list.selector;
        selectors[1] = MarketHandler.delist.selector;
        selectors[2] = MarketHandler.book.selector;
        selectors[3] = MarketHandler.renew.selector;
        selectors[4] = MarketHandler.advance.selector;
        selectors[5] = MarketHandler.claim.selector;
        selectors[6] = MarketHandler.expire.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// Per node: paid = released + refunded + held, and paid is what the Builders paid for it; the market
    /// holds exactly the escrow it records.
    function invariant_escrowPaidEqualsReleasedRefundedHeld() public view {
        uint256 paid;
        uint256 released;
        uint256 refunded;
        uint256 held;
        for (uint256 i; i < handler.nodeCount(); ++i) {
            uint256 nodeId = handler.node(i);
            (uint256 p, uint256 rel, uint256 ref, uint256 h) = market.escrowOf(nodeId);
            assertEq(p, rel + ref + h, "node escrow identity");
            assertEq(p, handler.paidTo(nodeId), "node escrow paid");
            assertEq(h, market.escrowHeld(nodeId), "escrowHeld");
            paid += p;
            released += rel;
            refunded += ref;
            held += h;
        }
        assertEq(paid, handler.paid(), "paid");
        assertEq(released, handler.released(), "released");
        assertEq(refunded, handler.refunded(), "refunded");
        assertEq(icnt.balanceOf(address(settlement)), held, "Settlement balance = escrow held");
        assertEq(icnt.balanceOf(address(market)), 0, "the market holds nothing");
    }

    /// Every ICNT the Builders spent is in escrow, released to the HP, refunded, at the Treasury or burned.
    function invariant_icntConserved() public view {
        uint256 builders = icnt.balanceOf(builder) + icnt.balanceOf(builder2);
        assertEq(
            buildersAtStart - builders, handler.paid() + handler.margins() - handler.refunded(), "Builders' spending"
        );
        assertEq(icnt.balanceOf(address(treasury)) - treasuryAtStart, handler.margins() - handler.burned(), "Treasury");
        assertEq(icnt.totalSupply(), ICNT_TOTAL_SUPPLY - handler.burned(), "supply");
        assertEq(icnt.balanceOf(hp) - hpAtStart, handler.released(), "HP");
        assertEq(
            icnt.balanceOf(address(settlement)),
            handler.paid() - handler.released() - handler.refunded(),
            "Settlement keeps the escrow, nothing else"
        );
    }

    /// A node is in at most one active booking, and then it is Booked, records that booking and is out of
    /// its pool.
    function invariant_nodeNeverInTwoActiveBookings() public view {
        uint256 n = handler.nodeCount();
        uint256[] memory active = new uint256[](n);
        for (uint256 j; j < handler.bookingCount(); ++j) {
            Booking memory b = market.booking(handler.bookingIds(j));
            if (b.status != BookingStatus.Active) continue;
            for (uint256 i; i < n; ++i) {
                if (handler.node(i) == b.nodeId) {
                    assertEq(active[i], 0, "two active bookings");
                    active[i] = handler.bookingIds(j);
                }
            }
        }
        for (uint256 i; i < n; ++i) {
            uint256 nodeId = handler.node(i);
            NodeMarketState memory s = market.nodeState(nodeId);
            ScalerNodeStatus status = registry.scalerNodeStatus(nodeId);
            if (active[i] != 0) {
                assertEq(uint8(status), uint8(ScalerNodeStatus.Booked), "booked node status");
                assertEq(s.booking, active[i], "node's booking");
                assertEq(s.poolPosition, 0, "booked node out of the pool");
            } else {
                assertEq(uint8(status), uint8(ScalerNodeStatus.Validated), "free node status");
                assertEq(s.poolPosition != 0, s.listed, "a free node is in its pool iff listed");
            }
        }
    }

    /// Pool entries are listed, Validated, of the pool's capacity, and know their position.
    function invariant_poolsConsistent() public view {
        uint128[2] memory capacities = [uint128(10), 20];
        uint256 entries;
        for (uint256 c; c < 2; ++c) {
            uint256[] memory ids = market.poolNodeIds(clusterId, capacities[c]);
            for (uint256 i; i < ids.length; ++i) {
                NodeMarketState memory s = market.nodeState(ids[i]);
                assertTrue(s.listed, "listed");
                assertEq(uint8(registry.scalerNodeStatus(ids[i])), uint8(ScalerNodeStatus.Validated), "validated");
                assertEq(registry.scalerNode(ids[i]).capacity, capacities[c], "capacity");
                if (i > 0) assertGt(s.poolPosition, market.nodeState(ids[i - 1]).poolPosition, "queue order");
            }
            entries += ids.length;
            assertEq(market.poolSize(clusterId, capacities[c]), ids.length, "pool size");
        }
        uint256 inPool;
        for (uint256 i; i < handler.nodeCount(); ++i) {
            if (market.nodeState(handler.node(i)).poolPosition != 0) ++inPool;
        }
        assertEq(inPool, entries, "positions match the pools");
    }

    /// A fixed sequence reaches every path the invariants guard: bookings of both capacities, a renewal,
    /// eras with verdicts, claims from escrow, expiries with refunds, delisting and listing.
    function test_handlerReachesEveryPath() public {
        handler.book(0, 0, 5 days); // capacity 10: node 1
        handler.book(1, 1, 3 days); // capacity 20: node 7
        handler.renew(0, 2 days);
        handler.advance(4);
        handler.claim(0);
        handler.advance(6); // both bookings have ended and their last eras are committed
        handler.expire(0);
        handler.expire(1);
        handler.claim(0);
        handler.claim(6);
        handler.delist(2);
        handler.list(2);
        bytes32[7] memory paths = [bytes32("book"), "renew", "advance", "claim", "expire", "delist", "list"];
        for (uint256 i; i < paths.length; ++i) {
            assertGt(handler.calls(paths[i]), 0, string(abi.encodePacked(paths[i])));
        }
        assertEq(handler.calls("book refused"), 0, "refused bookings");
        assertGt(handler.refunded(), 0, "DOWN eras were refunded");
        assertGt(handler.released(), 0, "UP eras were released");
        invariant_escrowPaidEqualsReleasedRefundedHeld();
        invariant_icntConserved();
        invariant_nodeNeverInTwoActiveBookings();
        invariant_poolsConsistent();
    }
}

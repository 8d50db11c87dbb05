// SPDX-License-Identifier: MIT
// forge tests for EraManager: era arithmetic over segments, appending rules, errors and gas.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {EraManager} from "../../src/era/EraManager.sol";
import {ProtocolRoles} from "../../src/common/ProtocolRoles.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

contract EraManagerTest is Test {
    address internal admin = address(0xAD);
    address internal stranger = address(0xBAD);
    EraManager internal em;

    uint256 internal constant MAX = 1_000_000;

    function setUp() public {
        vm.roll(50);
        em = new EraManager(admin, 100, 10); // era 0 = blocks 100..109
    }

    // ---------------------------------------------------------------- constructor

    function test_constructorCreatesSegmentZeroAndEmits() public {
        vm.expectEmit(true, false, false, true);
        emit EraManager.SegmentAppended(0, 7, 1800);
        EraManager e = new EraManager(admin, 7, 1800);
        assertEq(e.segmentCount(), 1);
        EraManager.Segment memory s = e.segment(0);
        assertEq(s.firstEra, 0);
        assertEq(s.startBlock, 7);
        assertEq(s.duration, 1800);
        assertTrue(e.hasRole(e.GOVERNANCE_ROLE(), admin));
    }

    function test_constructorRejectsZeroAdmin() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new EraManager(address(0), 1, 10);
    }

    function test_constructorRejectsZeroDuration() public {
        vm.expectRevert(abi.encodeWithSelector(EraManager.InvalidEraDuration.selector, 0, MAX));
        new EraManager(admin, 1, 0);
    }

    function test_constructorRejectsTooLongDuration() public {
        vm.expectRevert(abi.encodeWithSelector(EraManager.InvalidEraDuration.selector, MAX + 1, MAX));
        new EraManager(admin, 1, uint64(MAX + 1));
    }

    function test_constructorAcceptsMaxDuration() public {
        EraManager e = new EraManager(admin, 1, uint64(MAX));
        assertEq(e.eraDuration(0), MAX);
    }

    // ---------------------------------------------------------------- single segment

    function test_currentEraBeforeStartReverts() public {
        vm.expectRevert(abi.encodeWithSelector(EraManager.EraNotStarted.selector, 50, 100));
        em.currentEra();
        vm.expectRevert(abi.encodeWithSelector(EraManager.EraNotStarted.selector, 99, 100));
        em.eraAt(99);
    }

    function test_currentEraFollowsBlocks() public {
        vm.roll(100);
        assertEq(em.currentEra(), 0);
        vm.roll(109);
        assertEq(em.currentEra(), 0);
        vm.roll(110);
        assertEq(em.currentEra(), 1);
        vm.roll(100 + 10 * 1234 + 9);
        assertEq(em.currentEra(), 1234);
    }

    function test_eraBoundsSingleSegment() public view {
        assertEq(em.eraStartBlock(0), 100);
        assertEq(em.eraEndBlock(0), 110);
        assertEq(em.eraStartBlock(5), 150);
        assertEq(em.eraEndBlock(5), 160);
        assertEq(em.eraDuration(0), 10);
        assertEq(em.eraDuration(999), 10);
        assertEq(em.eraAt(155), 5);
    }

    function test_segmentOutOfRangeReverts() public {
        vm.expectRevert(abi.encodeWithSelector(EraManager.SegmentIndexOutOfRange.selector, 1, 1));
        em.segment(1);
    }

    function test_startBlockInThePast() public {
        vm.roll(1000);
        EraManager e = new EraManager(admin, 0, 1800);
        assertEq(e.currentEra(), 0);
        assertEq(e.eraAt(0), 0);
        vm.roll(3600);
        assertEq(e.currentEra(), 2);
    }

    // ---------------------------------------------------------------- appendSegment

    function test_appendSegmentSuccess() public {
        vm.roll(150); // era 5
        vm.expectEmit(true, false, false, true, address(em));
        emit EraManager.SegmentAppended(10, 200, 5);
        vm.prank(admin);
        em.appendSegment(200, 5);

        assertEq(em.segmentCount(), 2);
        EraManager.Segment memory s = em.segment(1);
        assertEq(s.firstEra, 10);
        assertEq(s.startBlock, 200);
        assertEq(s.duration, 5);

        assertEq(em.eraAt(199), 9);
        assertEq(em.eraAt(200), 10);
        assertEq(em.eraAt(204), 10);
        assertEq(em.eraAt(205), 11);
        assertEq(em.eraStartBlock(9), 190);
        assertEq(em.eraEndBlock(9), 200);
        assertEq(em.eraStartBlock(10), 200);
        assertEq(em.eraEndBlock(10), 205);
        assertEq(em.eraDuration(9), 10);
        assertEq(em.eraDuration(10), 5);
    }

    function test_appendSegmentOnlyGovernance() public {
        bytes32 role = em.GOVERNANCE_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        vm.prank(stranger);
        em.appendSegment(200, 5);
    }

    function test_appendSegmentRejectsBadDuration() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(EraManager.InvalidEraDuration.selector, 0, MAX));
        em.appendSegment(200, 0);
        vm.expectRevert(abi.encodeWithSelector(EraManager.InvalidEraDuration.selector, MAX + 1, MAX));
        em.appendSegment(200, uint64(MAX + 1));
        vm.stopPrank();
    }

    function test_appendSegmentRejectsPastOrCurrentBlock() public {
        vm.roll(200);
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(EraManager.SegmentNotInFuture.selector, 200, 200));
        em.appendSegment(200, 5);
        vm.expectRevert(abi.encodeWithSelector(EraManager.SegmentNotInFuture.selector, 190, 200));
        em.appendSegment(190, 5);
        vm.stopPrank();
    }

    function test_appendSegmentRejectsNotAfterLast() public {
        // Segment 0 starts at 100, in the future (block 50): a new one must start after it.
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(EraManager.SegmentNotAfterLast.selector, 100, 100));
        em.appendSegment(100, 5);
        vm.expectRevert(abi.encodeWithSelector(EraManager.SegmentNotAfterLast.selector, 90, 100));
        em.appendSegment(90, 5);
        vm.stopPrank();
    }

    function test_appendSegmentRejectsOffBoundary() public {
        vm.roll(150);
        vm.expectRevert(abi.encodeWithSelector(EraManager.SegmentNotOnEraBoundary.selector, 205, 100, 10));
        vm.prank(admin);
        em.appendSegment(205, 5);
    }

    function test_appendToFutureSegment() public {
        // Both segments in the future: the second must be on a boundary of the first.
        vm.startPrank(admin);
        em.appendSegment(130, 7); // eras 3.. of 7 blocks
        em.appendSegment(130 + 7 * 4, 20); // era 7 on
        vm.stopPrank();
        assertEq(em.segment(2).firstEra, 7);
        assertEq(em.eraAt(129), 2);
        assertEq(em.eraAt(130), 3);
        assertEq(em.eraAt(157), 6);
        assertEq(em.eraAt(158), 7);
        assertEq(em.eraAt(177), 7);
        assertEq(em.eraAt(178), 8);
    }

    function test_manySegmentsLookup() public {
        // 20 segments with lengths 1..20: every lookup path (last segment, binary search) agrees with a
        // linear walk over the blocks.
        vm.startPrank(admin);
        uint64 start = 100;
        uint64 dur = 10;
        for (uint64 i = 1; i < 20; ++i) {
            start += dur * 3; // three eras per segment
            dur = i;
            em.appendSegment(start, dur);
        }
        vm.stopPrank();
        uint256 era = 0;
        uint256 eraStart = 100;
        for (uint256 b = 100; b < start + 100; ++b) {
            if (b == eraStart + em.eraDuration(era)) {
                eraStart = b;
                ++era;
            }
            assertEq(em.eraAt(b), era, "eraAt");
            assertEq(em.eraStartBlock(era), eraStart, "eraStartBlock");
        }
    }

    function test_currentEraGasIsSmall() public {
        vm.startPrank(admin);
        uint64 start = 100;
        for (uint64 i = 0; i < 30; ++i) {
            start += 10 * 2;
            em.appendSegment(start, 10);
        }
        vm.stopPrank();
        vm.roll(start + 5);
        uint256 g = gasleft();
        em.currentEra();
        uint256 used = g - gasleft();
        // Cold call + two cold storage reads (length and the last segment) + arithmetic.
        assertLt(used, 10_000, "currentEra gas");
        vm.roll(start - 5);
        g = gasleft();
        em.currentEra();
        used = g - gasleft();
        assertLt(used, 30_000, "binary-search gas");
    }

    // ---------------------------------------------------------------- fuzz

    struct Built {
        EraManager em;
        uint256 firstStart;
        uint256 lastStart;
    }

    /// Deploys an EraManager with `n` segments from fuzz seeds: lengths 1..2000 blocks, 1..40 eras each.
    function _build(uint256 seed, uint256 n) internal returns (Built memory r) {
        uint64 start = uint64(bound(uint256(keccak256(abi.encode(seed, "start"))), 1, 1e9));
        uint64 dur = uint64(bound(uint256(keccak256(abi.encode(seed, "dur", uint256(0)))), 1, 2000));
        vm.roll(1);
        r.em = new EraManager(admin, start, dur);
        r.firstStart = start;
        vm.startPrank(admin);
        for (uint256 i = 1; i < n; ++i) {
            uint64 k = uint64(bound(uint256(keccak256(abi.encode(seed, "eras", i))), 1, 40));
            start += k * dur;
            dur = uint64(bound(uint256(keccak256(abi.encode(seed, "dur", i))), 1, 2000));
            if (block.number >= start) continue; // cannot happen: we roll below `start`
            r.em.appendSegment(start, dur);
            vm.roll(start - 1);
        }
        vm.stopPrank();
        r.lastStart = start;
    }

    function testFuzz_eraAtIsMonotoneAndWithinItsBounds(uint256 seed, uint256 nSeg, uint256 offset) public {
        Built memory r = _build(seed, bound(nSeg, 1, 6));
        uint256 b = r.firstStart + bound(offset, 0, r.lastStart - r.firstStart + 10_000);
        uint256 e = r.em.eraAt(b);
        assertLe(r.em.eraStartBlock(e), b, "start <= b");
        assertLt(b, r.em.eraEndBlock(e), "b < end");
        assertEq(r.em.eraEndBlock(e) - r.em.eraStartBlock(e), r.em.eraDuration(e), "end - start = duration");
        assertEq(r.em.eraStartBlock(e + 1), r.em.eraEndBlock(e), "eras are contiguous");
        uint256 next = r.em.eraAt(b + 1);
        assertGe(next, e, "monotone");
        assertLe(next - e, 1, "no era skipped");
        assertEq(next == e + 1, b + 1 == r.em.eraEndBlock(e), "changes exactly at the end block");
        if (b > r.firstStart) assertLe(r.em.eraAt(b - 1), e, "monotone backwards");
        assertEq(r.em.eraAt(r.em.eraStartBlock(e)), e, "start block belongs to its era");
    }

    function testFuzz_eraAtBeforeFirstSegmentReverts(uint256 seed, uint256 nSeg, uint256 before) public {
        Built memory r = _build(seed, bound(nSeg, 1, 4));
        uint256 b = bound(before, 0, r.firstStart - 1);
        vm.expectRevert(abi.encodeWithSelector(EraManager.EraNotStarted.selector, b, r.firstStart));
        r.em.eraAt(b);
    }

    function testFuzz_appendingNeverChangesPastEras(
        uint256 seed,
        uint256 nSeg,
        uint256 nowOffset,
        uint256 erasAhead,
        uint256 newDur,
        uint256 probe
    ) public {
        Built memory r = _build(seed, bound(nSeg, 1, 5));
        EraManager e = r.em;
        // "now" somewhere at or after the last segment start, then a new segment k eras after the
        // current era's end.
        uint256 nowBlock = r.lastStart + bound(nowOffset, 0, 50_000);
        vm.roll(nowBlock);
        uint256 cur = e.currentEra();
        uint256 newStart = e.eraEndBlock(cur + bound(erasAhead, 0, 30));
        uint64 d = uint64(bound(newDur, 1, MAX));

        // Probes: 16 blocks in [firstStart, newStart) and their eras, plus era start blocks.
        uint256 span = newStart - r.firstStart;
        uint256[16] memory blocks;
        uint256[16] memory erasBefore;
        uint256[16] memory startsBefore;
        for (uint256 i = 0; i < 16; ++i) {
            blocks[i] = r.firstStart + uint256(keccak256(abi.encode(probe, i))) % span;
            if (i == 0) blocks[i] = nowBlock;
            if (i == 1) blocks[i] = newStart - 1;
            erasBefore[i] = e.eraAt(blocks[i]);
            startsBefore[i] = e.eraStartBlock(erasBefore[i]);
        }
        uint256 lastEraBefore = e.eraAt(newStart - 1);

        vm.prank(admin);
        e.appendSegment(uint64(newStart), d);

        for (uint256 i = 0; i < 16; ++i) {
            assertEq(e.eraAt(blocks[i]), erasBefore[i], "era of a block before the new segment");
            assertEq(e.eraStartBlock(erasBefore[i]), startsBefore[i], "start of an earlier era");
        }
        assertEq(e.eraAt(newStart), lastEraBefore + 1, "numbering continues");
        assertEq(e.eraStartBlock(lastEraBefore + 1), newStart);
        assertEq(e.eraDuration(lastEraBefore + 1), d);
        assertEq(e.eraEndBlock(lastEraBefore), newStart, "the last old era is not cut");
    }

    function testFuzz_appendOffBoundaryReverts(uint256 seed, uint256 nSeg, uint256 offset) public {
        Built memory r = _build(seed, bound(nSeg, 1, 4));
        EraManager.Segment memory last = r.em.segment(r.em.segmentCount() - 1);
        vm.assume(last.duration > 1);
        uint256 start = uint256(last.startBlock) + bound(offset, 1, 100_000);
        if ((start - last.startBlock) % last.duration == 0) start += 1;
        vm.expectRevert(
            abi.encodeWithSelector(EraManager.SegmentNotOnEraBoundary.selector, start, last.startBlock, last.duration)
        );
        vm.prank(admin);
        r.em.appendSegment(uint64(start), 10);
    }
}

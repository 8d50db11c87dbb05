// SPDX-License-Identifier: MIT
// The era clock: eras numbered from 0, their lengths in blocks set by governance-appended segments.
pragma solidity ^0.8.24;

import {ProtocolRoles} from "../common/ProtocolRoles.sol";
import {IEraManager} from "../interfaces/IEraManager.sol";

/// @title EraManager
/// @notice Eras are the protocol's time unit (spec §3): challenges, booking activation, slashing windows
/// and unstaking delays count them. A segment {firstEra, startBlock, duration} fixes the length of every
/// era from `firstEra` until the next segment; governance appends segments to change the length, and
/// numbering continues. Segment 0 starts era 0.
/// @dev A new segment must start in the future and on an era boundary of the last segment, so no era
/// that has begun is ever renumbered, cut or stretched. Lookups try the last segment first (the usual
/// case: the current block) and binary-search the rest, so `currentEra` costs two storage reads.
contract EraManager is ProtocolRoles, IEraManager {
    /// @notice One run of equal-length eras.
    struct Segment {
        uint64 firstEra; // number of the segment's first era
        uint64 startBlock; // first block of `firstEra`
        uint64 duration; // blocks per era, > 0
    }

    /// @notice Upper bound on an era's length in blocks (about 23 days of 2-second blocks).
    uint256 public constant MAX_ERA_DURATION = 1_000_000;

    Segment[] private _segments;

    /// @notice A segment was added (also emitted for segment 0 at deployment).
    event SegmentAppended(uint256 indexed firstEra, uint256 startBlock, uint256 duration);

    /// `blockNumber` lies before the first segment: era 0 has not begun.
    error EraNotStarted(uint256 blockNumber, uint256 firstStartBlock);
    /// An era length of 0 or above `maxDuration` blocks.
    error InvalidEraDuration(uint256 duration, uint256 maxDuration);
    /// A new segment must start after the current block (`currentBlock`).
    error SegmentNotInFuture(uint256 startBlock, uint256 currentBlock);
    /// A new segment must start after the last segment's start.
    error SegmentNotAfterLast(uint256 startBlock, uint256 lastStartBlock);
    /// A new segment must start where an era of the last segment starts.
    error SegmentNotOnEraBoundary(uint256 startBlock, uint256 lastStartBlock, uint256 lastDuration);
    /// No segment with this index.
    error SegmentIndexOutOfRange(uint256 index, uint256 count);

    /// @param admin receives the roles of ProtocolRoles
    /// @param startBlock first block of era 0 (may lie in the past or the future)
    /// @param duration blocks per era in segment 0, 1..MAX_ERA_DURATION
    constructor(address admin, uint64 startBlock, uint64 duration) ProtocolRoles(admin) {
        _checkDuration(duration);
        _segments.push(Segment({firstEra: 0, startBlock: startBlock, duration: duration}));
        emit SegmentAppended(0, startBlock, duration);
    }

    /// @notice The era the current block belongs to.
    /// @return the era number; reverts with EraNotStarted before era 0
    function currentEra() external view returns (uint256) {
        return eraAt(block.number);
    }

    /// @notice The era block `blockNumber` belongs to.
    /// @param blockNumber any block, past or future (future blocks use the segments known today)
    /// @return the era number; reverts with EraNotStarted before era 0
    function eraAt(uint256 blockNumber) public view returns (uint256) {
        Segment memory s = _segments[_segmentIndexAtBlock(blockNumber)];
        return s.firstEra + (blockNumber - s.startBlock) / s.duration;
    }

    /// @notice First block of era `era`.
    /// @param era any era number
    /// @return the block the era starts at
    function eraStartBlock(uint256 era) public view returns (uint256) {
        Segment memory s = _segments[_segmentIndexOfEra(era)];
        return s.startBlock + (era - s.firstEra) * s.duration;
    }

    /// @notice The first block after era `era` (= the first block of era `era` + 1).
    /// @param era any era number
    /// @return the block the next era starts at
    function eraEndBlock(uint256 era) external view returns (uint256) {
        Segment memory s = _segments[_segmentIndexOfEra(era)];
        return s.startBlock + (era - s.firstEra + 1) * s.duration;
    }

    /// @notice Length of era `era` in blocks.
    /// @param era any era number
    /// @return blocks in the era
    function eraDuration(uint256 era) external view returns (uint256) {
        return _segments[_segmentIndexOfEra(era)].duration;
    }

    /// @notice Number of segments (at least 1).
    /// @return the count
    function segmentCount() external view returns (uint256) {
        return _segments.length;
    }

    /// @notice Segment `index` (0 = the deployment segment).
    /// @param index 0..segmentCount()-1
    /// @return the segment
    function segment(uint256 index) external view returns (Segment memory) {
        uint256 n = _segments.length;
        if (index >= n) revert SegmentIndexOutOfRange(index, n);
        return _segments[index];
    }

    /// @notice Changes the era length from block `startBlock` on; numbering continues.
    /// @param startBlock first block of the new segment: after the current block and on an era boundary
    /// of the last segment
    /// @param duration blocks per era from then on, 1..MAX_ERA_DURATION
    function appendSegment(uint64 startBlock, uint64 duration) external onlyRole(GOVERNANCE_ROLE) {
        _checkDuration(duration);
        if (startBlock <= block.number) revert SegmentNotInFuture(startBlock, block.number);
        Segment memory last = _segments[_segments.length - 1];
        if (startBlock <= last.startBlock) revert SegmentNotAfterLast(startBlock, last.startBlock);
        uint256 offset = startBlock - last.startBlock;
        if (offset % last.duration != 0) {
            revert SegmentNotOnEraBoundary(startBlock, last.startBlock, last.duration);
        }
        // Fits in 64 bits: every era has at least one block, so era numbers stay below block numbers.
        // forge-lint: disable-next-line(unsafe-typecast)
        uint64 firstEra = last.firstEra + uint64(offset / last.duration);
        _segments.push(Segment({firstEra: firstEra, startBlock: startBlock, duration: duration}));
        emit SegmentAppended(firstEra, startBlock, duration);
    }

    function _checkDuration(uint64 duration) private pure {
        if (duration == 0 || duration > MAX_ERA_DURATION) revert InvalidEraDuration(duration, MAX_ERA_DURATION);
    }

    /// The last segment whose startBlock ≤ blockNumber.
    function _segmentIndexAtBlock(uint256 blockNumber) private view returns (uint256) {
        uint256 n = _segments.length;
        if (_segments[n - 1].startBlock <= blockNumber) return n - 1;
        uint256 first = _segments[0].startBlock;
        if (blockNumber < first) revert EraNotStarted(blockNumber, first);
        // segments[lo].startBlock ≤ blockNumber < segments[hi].startBlock
        uint256 lo = 0;
        uint256 hi = n - 1;
        while (hi - lo > 1) {
            uint256 mid = (lo + hi) / 2;
            if (_segments[mid].startBlock <= blockNumber) lo = mid;
            else hi = mid;
        }
        return lo;
    }

    /// The last segment whose firstEra ≤ era (segment 0 starts at era 0, so one always exists).
    function _segmentIndexOfEra(uint256 era) private view returns (uint256) {
        uint256 n = _segments.length;
        if (_segments[n - 1].firstEra <= era) return n - 1;
        // segments[lo].firstEra ≤ era < segments[hi].firstEra
        uint256 lo = 0;
        uint256 hi = n - 1;
        while (hi - lo > 1) {
            uint256 mid = (lo + hi) / 2;
            if (_segments[mid].firstEra <= era) lo = mid;
            else hi = mid;
        }
        return lo;
    }
}

// SPDX-License-Identifier: MIT
// Total Unlocked Supply (spec §8.3, §10.2): how much ICNT the allocation schedules have released.
pragma solidity ^0.8.24;

interface IUnlockSchedule {
    /// @notice ICNT (base units) unlocked by all allocation schedules at `timestamp`.
    function unlockedSupply(uint256 timestamp) external view returns (uint256);
}

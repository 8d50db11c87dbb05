// SPDX-License-Identifier: MIT
// What the other ICN contracts read from the era clock.
pragma solidity ^0.8.24;

/// @notice Eras are numbered from 0; a segment fixes the length of every era from its first one on.
interface IEraManager {
    /// @notice The era the current block belongs to.
    function currentEra() external view returns (uint256);
    /// @notice The era block `blockNumber` belongs to.
    function eraAt(uint256 blockNumber) external view returns (uint256);
    /// @notice First block of era `era`.
    function eraStartBlock(uint256 era) external view returns (uint256);
    /// @notice Length of era `era` in blocks.
    function eraDuration(uint256 era) external view returns (uint256);
}

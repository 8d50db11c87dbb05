// SPDX-License-Identifier: MIT
// What the protocol reads from ICN Link staking: which HyperNodes are active.
pragma solidity ^0.8.24;

interface IICNLink {
    /// @notice Links currently staked to HyperNode `hyperNodeId` (unstaking Links no longer count).
    function stakedLinks(uint256 hyperNodeId) external view returns (uint256);
    /// @notice A HyperNode is active while at least one Link is staked to it.
    function isHyperNodeActive(uint256 hyperNodeId) external view returns (bool);
}

// SPDX-License-Identifier: MIT
// ICNT delegation (network collateral) as the settlement contracts use it.
pragma solidity ^0.8.24;

interface IDelegation {
    /// @notice ICNT currently delegated to node `nodeId`.
    function delegatedTo(uint256 nodeId) external view returns (uint256);
    /// @notice ICNT currently delegated to all nodes.
    function totalDelegated() external view returns (uint256);
    /// @notice Pulls `amount` ICNT from the caller and shares it among node `nodeId`'s delegators
    /// pro rata (the node reward share accumulator). PROTOCOL_ROLE. Reverts when nothing is
    /// delegated to the node.
    function distributeNodeRewards(uint256 nodeId, uint256 amount) external;
}

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
    /// @notice Shares `amount` ICNT, already transferred to this contract by the caller, among node
    /// `nodeId`'s delegators (as distributeNodeRewards). PROTOCOL_ROLE.
    function creditNodeRewards(uint256 nodeId, uint256 amount) external;
    /// @notice Takes min(`amount`, exposed) ICNT from node `nodeId`'s delegations to the treasury and
    /// returns what was taken. Exposed = ICNT delegated to the node plus ICNT undelegated from it but
    /// not yet reclaimed (still in the exposure window). Every such delegation loses the same fraction,
    /// settled when it is next touched; `delegatedTo(nodeId)` and `totalDelegated()` drop at once.
    /// Rewards up to the slash accrue on the pre-slash amounts, after it on the reduced ones. Rounding
    /// only ever takes less (by at most 1 base unit) and never leaves a lock owing more than it holds.
    /// Takes 0 when nothing is exposed. PROTOCOL_ROLE; reverts while no treasury is set.
    /// @param nodeId the node whose delegators are slashed
    /// @param amount ICNT base units to take (more than is exposed takes everything exposed)
    /// @return taken ICNT base units sent to the treasury
    function slash(uint256 nodeId, uint256 amount) external returns (uint256 taken);
}

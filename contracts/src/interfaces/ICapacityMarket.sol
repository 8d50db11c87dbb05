// SPDX-License-Identifier: MIT
// Builder escrow as Settlement draws on it when an HP claims utilisation rewards.
pragma solidity ^0.8.24;

interface ICapacityMarket {
    /// @notice Pays `amount` of node `nodeId`'s escrow (Builder payments held for its bookings) to
    /// `to`. Settlement only (PROTOCOL_ROLE); reverts when the node's escrow holds less.
    function releaseEscrow(uint256 nodeId, uint256 amount, address to) external;
    /// @notice Escrow still held for node `nodeId` (paid − released − refunded).
    function escrowHeld(uint256 nodeId) external view returns (uint256);
}

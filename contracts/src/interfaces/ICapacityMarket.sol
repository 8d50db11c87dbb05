// SPDX-License-Identifier: MIT
// Builder escrow as Settlement bounds its releases when an HP claims utilisation rewards.
pragma solidity ^0.8.24;

interface ICapacityMarket {
    /// @notice The most Settlement may release in all for node `nodeId`: Builder payments into its escrow
    /// (bookings and renewals) minus refunds. Settlement holds the ICNT; a claim whose cumulative
    /// utilisation exceeds this reverts.
    function escrowLimit(uint256 nodeId) external view returns (uint256);
}

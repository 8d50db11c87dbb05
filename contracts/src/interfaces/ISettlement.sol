// SPDX-License-Identifier: MIT
// Committed era results as the market and the claims read them: cumulative leaves per node.
pragma solidity ^0.8.24;

/// @notice A ScalerNode's cumulative totals over every era up to a committed era (DESIGN §8). Leaves
/// are in the OpenZeppelin StandardMerkleTree format over the ABI types
/// ["uint8","uint256","uint256","uint256","uint256","uint256","uint256"] =
/// (LEAF_NODE = 1, nodeId, utilisation, subsidy, slashed, bookingId, bookingUpEras):
/// leaf hash = keccak256(bytes.concat(keccak256(abi.encode(1, nodeId, …)))).
struct NodeLeaf {
    uint256 nodeId;
    uint256 utilisation; // ICNT released from Builder escrow to this node, all eras so far
    uint256 subsidy; // capacity subsidy (× reward multiplier) earned, all eras so far
    uint256 slashed; // ICNT to slash from this node, all eras so far
    uint256 bookingId; // the node's current or last booking (0: never booked)
    uint256 bookingUpEras; // UP eras inside that booking so far (its escrow releases per UP era)
}

interface ISettlement {
    /// @notice The last era whose results were committed (type(uint64).max before the first).
    function lastCommittedEra() external view returns (uint64);
    /// @notice True when `leaf` with `proof` is in the committed results root of `era`.
    function verifyNodeLeaf(uint64 era, NodeLeaf calldata leaf, bytes32[] calldata proof)
        external
        view
        returns (bool);
    /// @notice Cumulative utilisation (escrow released) and subsidy paid for node `nodeId`.
    function claimedHpRewards(uint256 nodeId) external view returns (uint256 utilisation, uint256 subsidy);
}

// SPDX-License-Identifier: MIT
// Test helper: node-leaf hashes and small Merkle trees in the OpenZeppelin StandardMerkleTree leaf format.
pragma solidity ^0.8.24;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {NodeLeaf} from "../../src/interfaces/ISettlement.sol";

library NodeLeaves {
    uint8 internal constant LEAF_NODE = 1;

    /// keccak256(bytes.concat(keccak256(abi.encode(1, nodeId, utilisation, subsidy, slashed, bookingId,
    /// bookingUpEras)))) — ISettlement's leaf format.
    function hash(NodeLeaf memory leaf) internal pure returns (bytes32) {
        return keccak256(
            bytes.concat(
                keccak256(
                    abi.encode(
                        LEAF_NODE,
                        leaf.nodeId,
                        leaf.utilisation,
                        leaf.subsidy,
                        leaf.slashed,
                        leaf.bookingId,
                        leaf.bookingUpEras
                    )
                )
            )
        );
    }

    /// Root of a binary tree over `leaves` (pairs hashed in sorted order, an odd node promoted) and the proof
    /// of leaf `index`. Any such tree verifies with OpenZeppelin's MerkleProof.
    function rootAndProof(NodeLeaf[] memory leaves, uint256 index)
        internal
        pure
        returns (bytes32 root, bytes32[] memory proof)
    {
        bytes32[] memory level = new bytes32[](leaves.length);
        for (uint256 i; i < leaves.length; ++i) {
            level[i] = hash(leaves[i]);
        }
        bytes32[] memory path = new bytes32[](64);
        uint256 depth;
        while (level.length > 1) {
            uint256 sibling = index ^ 1;
            if (sibling < level.length) path[depth++] = level[sibling];
            bytes32[] memory next = new bytes32[]((level.length + 1) / 2);
            for (uint256 i; i < next.length; ++i) {
                next[i] = 2 * i + 1 < level.length ? Hashes.commutativeKeccak256(level[2 * i], level[2 * i + 1]) : level[2 * i];
            }
            level = next;
            index /= 2;
        }
        root = level[0];
        proof = new bytes32[](depth);
        for (uint256 i; i < depth; ++i) {
            proof[i] = path[i];
        }
    }
}

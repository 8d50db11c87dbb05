// SPDX-License-Identifier: MIT
// Test helper: OpenZeppelin StandardMerkleTree trees (root and proofs) built from leaf hashes, as the satellites build them.
pragma solidity ^0.8.24;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {NodeLeaf} from "../../src/interfaces/ISettlement.sol";

/// @dev The layout of @openzeppelin/merkle-tree's makeMerkleTree: a complete binary tree in an array
/// of 2n − 1 hashes, leaf i at index 2n − 2 − i, node k = hash of the sorted pair (2k + 1, 2k + 2). The
/// JavaScript library sorts the leaf hashes first (sortLeaves); this helper keeps the order it is given,
/// which the JavaScript library reproduces with { sortLeaves: false }.
library ResultsTree {
    /// The leaf hash of a node leaf, written out independently of the contract's ResultLeaves.
    function nodeLeaf(NodeLeaf memory l) internal pure returns (bytes32) {
        return keccak256(
            bytes.concat(
                keccak256(
                    abi.encode(uint8(1), l.nodeId, l.utilisation, l.subsidy, l.slashed, l.bookingId, l.bookingUpEras)
                )
            )
        );
    }

    /// The leaf hash of a Link leaf.
    function linkLeaf(uint256 bundleId, uint256 reward) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(uint8(2), bundleId, reward))));
    }

    function build(bytes32[] memory leaves) internal pure returns (bytes32[] memory tree) {
        uint256 n = leaves.length;
        require(n > 0, "empty tree");
        tree = new bytes32[](2 * n - 1);
        for (uint256 i = 0; i < n; ++i) {
            tree[tree.length - 1 - i] = leaves[i];
        }
        for (uint256 k = tree.length - n; k > 0; --k) {
            uint256 j = k - 1;
            tree[j] = Hashes.commutativeKeccak256(tree[2 * j + 1], tree[2 * j + 2]);
        }
    }

    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        return build(leaves)[0];
    }

    /// The proof of leaf `index` in a tree made by `build`.
    function proof(bytes32[] memory tree, uint256 leafCount, uint256 index) internal pure returns (bytes32[] memory p) {
        uint256 k = tree.length - 1 - index;
        require(index < leafCount, "no such leaf");
        uint256 depth;
        for (uint256 j = k; j > 0; j = (j - 1) / 2) {
            ++depth;
        }
        p = new bytes32[](depth);
        for (uint256 d = 0; k > 0; ++d) {
            p[d] = tree[k % 2 == 1 ? k + 1 : k - 1];
            k = (k - 1) / 2;
        }
    }

    function proofOf(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory) {
        return proof(build(leaves), leaves.length, index);
    }
}

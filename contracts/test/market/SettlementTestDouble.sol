// SPDX-License-Identifier: MIT
// TEST DOUBLE of Settlement (ISettlement only): lets the market tests commit any results root for any era.
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ISettlement, NodeLeaf} from "../../src/interfaces/ISettlement.sol";
import {NodeLeaves} from "./NodeLeaves.sol";

/// @notice NOT the protocol's Settlement: no committee, no signatures, no era order. It stores the roots a test
/// gives it and verifies node leaves against them exactly as ISettlement specifies (OpenZeppelin
/// StandardMerkleTree leaves, MerkleProof), so the market's expiry path can be tested before the real
/// Settlement (branch wip/settlement) exists. Replace it by the real contract once that lands.
contract SettlementTestDouble is ISettlement {
    /// @inheritdoc ISettlement
    uint64 public lastCommittedEra = type(uint64).max;
    mapping(uint64 era => bytes32) public resultsRoot;

    /// @notice Test-only: stores `root` as the results root of `era` (any era, any order, overwriting).
    function commit(uint64 era, bytes32 root) external {
        resultsRoot[era] = root;
        if (lastCommittedEra == type(uint64).max || era > lastCommittedEra) lastCommittedEra = era;
    }

    /// @inheritdoc ISettlement
    function verifyNodeLeaf(uint64 era, NodeLeaf calldata leaf, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        bytes32 root = resultsRoot[era];
        return root != bytes32(0) && MerkleProof.verifyCalldata(proof, root, NodeLeaves.hash(leaf));
    }
}

// SPDX-License-Identifier: MIT
// The two leaf kinds of an era's results tree and their hashes (OpenZeppelin StandardMerkleTree format).
pragma solidity ^0.8.24;

import {NodeLeaf} from "../interfaces/ISettlement.sol";

/// @title ResultLeaves
/// @notice Leaf hashes of the results tree the satellites commit per era (DESIGN §8). Both kinds are
/// StandardMerkleTree leaves: keccak256(bytes.concat(keccak256(abi.encode(values)))), the first value
/// being the kind, so a node leaf can never be read as a Link leaf (and the double hash keeps an inner
/// node from passing as a leaf). Amounts are cumulative since genesis.
library ResultLeaves {
    /// Kind of a node leaf: ["uint8","uint256","uint256","uint256","uint256","uint256","uint256"] =
    /// (1, nodeId, utilisation, subsidy, slashed, bookingId, bookingUpEras).
    uint8 internal constant NODE = 1;
    /// Kind of a Link leaf: ["uint8","uint256","uint256"] = (2, bundleId, reward).
    uint8 internal constant LINK = 2;

    /// @notice The leaf hash of a node leaf.
    function nodeLeafHash(NodeLeaf calldata leaf) internal pure returns (bytes32) {
        return keccak256(
            bytes.concat(
                keccak256(
                    abi.encode(
                        NODE,
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

    /// @notice The leaf hash of a Link leaf: bundle `bundleId` has earned `reward` ICNT in all.
    function linkLeafHash(uint256 bundleId, uint256 reward) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(LINK, bundleId, reward))));
    }
}

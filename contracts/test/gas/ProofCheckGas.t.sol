// SPDX-License-Identifier: MIT
// Gas of an OpenZeppelin Merkle proof check (the core of every cumulative claim) at two tree depths.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {ProofCheck} from "../../src/fixtures/ProofCheck.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

contract ProofCheckGasTest is Test {
    ProofCheck private check;
    bytes32[] private proof10;
    bytes32[] private proof20;
    bytes32 private root10;
    bytes32 private root20;
    bytes32 private constant LEAF = keccak256("leaf");

    function setUp() public {
        check = new ProofCheck();
        (proof10, root10) = _path(10);
        (proof20, root20) = _path(20);
    }

    function _path(uint256 depth) private pure returns (bytes32[] memory proof, bytes32 root) {
        proof = new bytes32[](depth);
        root = LEAF;
        for (uint256 i = 0; i < depth; ++i) {
            proof[i] = keccak256(abi.encode(i));
            root = Hashes.commutativeKeccak256(root, proof[i]);
        }
    }

    function test_verifyDepth10() public view {
        assertTrue(check.verifyMerkle(proof10, root10, LEAF));
    }

    function test_verifyDepth20() public view {
        assertTrue(check.verifyMerkle(proof20, root20, LEAF));
    }
}

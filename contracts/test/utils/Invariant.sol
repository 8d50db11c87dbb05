// SPDX-License-Identifier: MIT
// Invariant-test base: the target lists forge's invariant fuzzer reads from the test contract.
pragma solidity ^0.8.24;

import {Test} from "./Test.sol";

abstract contract InvariantTest is Test {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private targetedContracts;
    address[] private targetedSenders;
    FuzzSelector[] private targetedSelectors;

    /// Only these contracts are called by the fuzzer (usually handlers that bound their inputs).
    function targetContract(address target) internal {
        targetedContracts.push(target);
    }

    /// Only these senders are used.
    function targetSender(address sender) internal {
        targetedSenders.push(sender);
    }

    /// Only these functions of `selector.addr` are called.
    function targetSelector(FuzzSelector memory selector) internal {
        targetedSelectors.push(selector);
    }

    // forge reads these by name.
    function targetContracts() public view returns (address[] memory) {
        return targetedContracts;
    }

    function targetSenders() public view returns (address[] memory) {
        return targetedSenders;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return targetedSelectors;
    }
}

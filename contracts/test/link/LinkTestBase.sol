// SPDX-License-Identifier: MIT
// Shared set-up for the ICNLink tests: the era clock, the HyperNode registry and helpers.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {EraManager} from "../../src/era/EraManager.sol";
import {ICNLink} from "../../src/link/ICNLink.sol";
import {IRegistry} from "../../src/interfaces/IRegistry.sol";
import {TestDoubleHyperNodeRegistry} from "./TestDoubleHyperNodeRegistry.sol";

abstract contract LinkTestBase is Test {
    address internal admin = address(0xAD);
    uint64 internal constant ERA_BLOCKS = 20;
    uint64 internal constant FIRST_BLOCK = 100;
    uint256 internal constant T0 = 1_700_000_000;

    EraManager internal eras;
    TestDoubleHyperNodeRegistry internal registryDouble;
    ICNLink internal link;

    function _deployLink() internal {
        vm.roll(FIRST_BLOCK);
        vm.warp(T0);
        eras = new EraManager(admin, FIRST_BLOCK, ERA_BLOCKS);
        registryDouble = new TestDoubleHyperNodeRegistry();
        link = new ICNLink(admin, IRegistry(address(registryDouble)), eras);
    }

    function _registry() internal view returns (IRegistry) {
        return IRegistry(address(registryDouble));
    }

    /// A newly registered HyperNode.
    function _newHyperNode() internal returns (uint256) {
        return registryDouble.registerHyperNode();
    }

    /// Its operator retires it: isHyperNodeRegistered becomes false.
    function _retireHyperNode(uint256 id) internal {
        registryDouble.retireHyperNode(id);
    }

    /// Mints `quantity` Links to `to` (in calls of at most 500) and returns the first id.
    function _mint(address to, uint256 quantity) internal returns (uint256 first) {
        first = link.totalSupply() + 1;
        vm.startPrank(admin);
        while (quantity > 0) {
            uint256 q = quantity > 500 ? 500 : quantity;
            link.mint(to, q);
            quantity -= q;
        }
        vm.stopPrank();
    }

    /// Ids first, first+1, …, first+count-1.
    function _ids(uint256 first, uint256 count) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            ids[i] = first + i;
        }
    }

    /// Moves the chain forward by `n` whole eras (same position within the era).
    function _rollEras(uint256 n) internal {
        vm.roll(block.number + n * ERA_BLOCKS);
    }
}

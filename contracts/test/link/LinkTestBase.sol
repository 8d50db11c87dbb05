// SPDX-License-Identifier: MIT
// Shared set-up for the ICNLink tests: the era clock, the HyperNode registry and helpers.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {EraManager} from "../../src/era/EraManager.sol";
import {ICNLink} from "../../src/link/ICNLink.sol";
import {IRegistry} from "../../src/interfaces/IRegistry.sol";
import {Registry} from "../../src/registry/Registry.sol";
import {HyperNodeRegistry} from "../../src/registry/HyperNodeRegistry.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

abstract contract LinkTestBase is Test {
    address internal admin = address(0xAD);
    uint64 internal constant ERA_BLOCKS = 20;
    uint64 internal constant FIRST_BLOCK = 100;
    uint256 internal constant T0 = 1_700_000_000;

    address internal hnOperator = address(0x0E0);
    uint256 internal hnKeySeed = 0x4E0000; // private keys of the HyperNodes' signing keys

    EraManager internal eras;
    Registry internal registry;
    HyperNodeRegistry internal hyperNodeRegistry;
    ICNLink internal link;

    function _deployLink() internal {
        vm.roll(FIRST_BLOCK);
        vm.warp(T0);
        eras = new EraManager(admin, FIRST_BLOCK, ERA_BLOCKS);
        registry = new Registry(admin);
        hyperNodeRegistry = registry.hyperNodeRegistry();
        link = new ICNLink(admin, registry, eras);
    }

    function _registry() internal view returns (IRegistry) {
        return registry;
    }

    /// A newly registered HyperNode (operator `hnOperator`, a fresh signing key with its proof).
    function _newHyperNode() internal returns (uint256 id) {
        uint256 pk = ++hnKeySeed;
        address key = vm.addr(pk);
        bytes32 digest = MessageHashUtils.toEthSignedMessageHash(hyperNodeRegistry.hyperNodeKeyProofHash(hnOperator));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        vm.prank(hnOperator);
        id = hyperNodeRegistry.registerHyperNode(key, "DEU", "https://hn.example.org:8443", abi.encodePacked(r, s, v));
    }

    /// Its operator retires it: isHyperNodeRegistered becomes false.
    function _retireHyperNode(uint256 id) internal {
        vm.prank(hnOperator);
        hyperNodeRegistry.retireHyperNode(id);
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

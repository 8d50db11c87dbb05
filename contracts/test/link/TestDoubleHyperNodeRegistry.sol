// SPDX-License-Identifier: MIT
// TEST DOUBLE (not the Registry): answers only isHyperNodeRegistered, until wip/registry's Registry lands.
pragma solidity ^0.8.24;

/// @notice Stand-in for IRegistry.isHyperNodeRegistered in ICNLink tests; delete once the real Registry
/// is merged.
contract TestDoubleHyperNodeRegistry {
    mapping(uint256 => bool) private _registered;
    uint256 public count;

    /// @notice Registers the next HyperNode id (1, 2, …).
    function registerHyperNode() external returns (uint256 id) {
        id = ++count;
        _registered[id] = true;
    }

    /// @notice Marks `id` retired.
    function retireHyperNode(uint256 id) external {
        _registered[id] = false;
    }

    /// @notice As IRegistry.isHyperNodeRegistered.
    function isHyperNodeRegistered(uint256 id) external view returns (bool) {
        return _registered[id];
    }
}

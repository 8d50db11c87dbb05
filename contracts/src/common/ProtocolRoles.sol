// SPDX-License-Identifier: MIT
// Roles and the emergency pause shared by every ICN protocol contract.
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @title ProtocolRoles
/// @notice GOVERNANCE sets parameters, OPERATOR validates ScalerNodes, EMERGENCY pauses user
/// functions, PROTOCOL is held by sibling ICN contracts that call each other (never by a person).
/// @dev Each contract keeps its own role table so a compromised contract cannot act on the others
/// beyond the PROTOCOL calls it was granted. The deployer grants roles at deployment.
abstract contract ProtocolRoles is AccessControl, Pausable {
    bytes32 public constant GOVERNANCE_ROLE = keccak256("GOVERNANCE_ROLE");
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 public constant EMERGENCY_ROLE = keccak256("EMERGENCY_ROLE");
    bytes32 public constant PROTOCOL_ROLE = keccak256("PROTOCOL_ROLE");

    /// A zero address was given where an account or contract is required.
    error ZeroAddress();

    /// @param admin receives DEFAULT_ADMIN (grants and revokes roles), GOVERNANCE, OPERATOR and
    /// EMERGENCY; a production deployment hands them to separate accounts afterwards.
    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(GOVERNANCE_ROLE, admin);
        _grantRole(OPERATOR_ROLE, admin);
        _grantRole(EMERGENCY_ROLE, admin);
    }

    /// @notice Stops every user function of this contract until `unpause`.
    function pause() external onlyRole(EMERGENCY_ROLE) {
        _pause();
    }

    /// @notice Resumes user functions after `pause`.
    function unpause() external onlyRole(EMERGENCY_ROLE) {
        _unpause();
    }
}

// SPDX-License-Identifier: MIT
// The Protocol Treasury: collects Builder payments and slashed collateral; only governance moves funds.
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ProtocolRoles} from "../common/ProtocolRoles.sol";

/// @title Treasury
/// @notice Receives ICNT by plain transfers (Builder payments from settlement, slashed collateral from
/// Collateral) and pays out only on a GOVERNANCE decision, e.g. to the Rewards Reserve (spec §12.1:
/// governance allocates Treasury funds). Other tokens sent here can be moved the same way.
contract Treasury is ProtocolRoles, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// The protocol token.
    IERC20 public immutable icnt;

    /// A transfer asked for more of `token` than the Treasury holds.
    error InsufficientBalance(address token, uint256 requested, uint256 available);
    /// A transfer of nothing.
    error ZeroAmount();

    /// Governance account `by` moved `amount` of `token` to `to`.
    event Transferred(address indexed token, address indexed to, uint256 amount, address indexed by);

    /// @param admin receives the ProtocolRoles (GOVERNANCE moves funds, EMERGENCY pauses)
    /// @param icnt_ the ICNT token
    constructor(address admin, IERC20 icnt_) ProtocolRoles(admin) {
        if (address(icnt_) == address(0)) revert ZeroAddress();
        icnt = icnt_;
    }

    /// @notice Sends `amount` ICNT to `to`. Only GOVERNANCE; paused by EMERGENCY.
    /// @param to receiver (non-zero)
    /// @param amount ICNT (base units), non-zero and at most the Treasury's balance
    function transfer(address to, uint256 amount) external onlyRole(GOVERNANCE_ROLE) whenNotPaused nonReentrant {
        _send(icnt, to, amount);
    }

    /// @notice Sends `amount` of any ERC-20 `token` (ICNT included) to `to`. Only GOVERNANCE; paused
    /// by EMERGENCY.
    /// @param token the ERC-20 to move (non-zero)
    /// @param to receiver (non-zero)
    /// @param amount base units, non-zero and at most the Treasury's balance of `token`
    function transferToken(IERC20 token, address to, uint256 amount)
        external
        onlyRole(GOVERNANCE_ROLE)
        whenNotPaused
        nonReentrant
    {
        if (address(token) == address(0)) revert ZeroAddress();
        _send(token, to, amount);
    }

    /// @notice ICNT the Treasury holds.
    /// @return ICNT (base units)
    function available() external view returns (uint256) {
        return icnt.balanceOf(address(this));
    }

    function _send(IERC20 token, address to, uint256 amount) private {
        if (to == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        uint256 balance = token.balanceOf(address(this));
        if (amount > balance) revert InsufficientBalance(address(token), amount, balance);
        emit Transferred(address(token), to, amount, msg.sender);
        token.safeTransfer(to, amount);
    }
}

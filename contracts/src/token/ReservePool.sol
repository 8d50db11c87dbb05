// SPDX-License-Identifier: MIT
// An ICNT reserve only protocol contracts can pay from: the Rewards Reserve and the ICN Link reward pool.
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ProtocolRoles} from "../common/ProtocolRoles.sol";
import {IReservePool} from "../interfaces/IReservePool.sol";

/// @title ReservePool
/// @notice Holds ICNT for protocol payouts. Tokens arrive by plain transfers (Vesting releases of the
/// Rewards Reserve or Node Sale category) or by `deposit` from a DEPOSITOR; they leave only through
/// `pay`, called by sibling contracts holding PROTOCOL_ROLE (delegation APY), or by `transferFrom` within
/// an allowance governance gave a protocol contract with `setSpender` (Settlement's claims).
/// @dev Two instances are deployed: the Rewards Reserve and the Link reward pool. The balance is the
/// single source of truth (no internal accounting), so plain transfers count at once.
contract ReservePool is IReservePool, ProtocolRoles, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// May top the pool up with `deposit` (granted by governance, e.g. to the Treasury's operator).
    bytes32 public constant DEPOSITOR_ROLE = keccak256("DEPOSITOR_ROLE");

    /// The token this pool holds and pays.
    IERC20 public immutable icnt;

    /// A payout asked for more than the pool holds.
    error InsufficientReserve(uint256 requested, uint256 available);
    /// A deposit of nothing.
    error ZeroAmount();

    /// `amount` ICNT was paid to `to` on behalf of the protocol contract `by`.
    event Paid(address indexed to, uint256 amount, address indexed by);
    /// `from` added `amount` ICNT with `deposit`.
    event Deposited(address indexed from, uint256 amount);
    /// Governance let `spender` draw up to `allowance` ICNT with transferFrom.
    event SpenderSet(address indexed spender, uint256 allowance);

    /// @param admin receives the ProtocolRoles (DEFAULT_ADMIN grants PROTOCOL and DEPOSITOR)
    /// @param icnt_ the ICNT token
    constructor(address admin, IERC20 icnt_) ProtocolRoles(admin) {
        if (address(icnt_) == address(0)) revert ZeroAddress();
        icnt = icnt_;
    }

    /// @notice Pays `amount` ICNT to `to`. Only protocol contracts (PROTOCOL_ROLE); paused by EMERGENCY.
    /// A zero amount is a no-op that still emits, so callers need not special-case empty payouts.
    /// @param to receiver (non-zero)
    /// @param amount ICNT (base units), at most `available()`
    function pay(address to, uint256 amount) external onlyRole(PROTOCOL_ROLE) whenNotPaused nonReentrant {
        if (to == address(0)) revert ZeroAddress();
        uint256 balance = icnt.balanceOf(address(this));
        if (amount > balance) revert InsufficientReserve(amount, balance);
        emit Paid(to, amount, msg.sender);
        icnt.safeTransfer(to, amount);
    }

    /// @notice Pulls `amount` ICNT from the caller into the pool (the caller approves first).
    /// Only DEPOSITOR_ROLE; not paused, since adding funds never harms.
    /// @param amount ICNT (base units), non-zero
    function deposit(uint256 amount) external onlyRole(DEPOSITOR_ROLE) nonReentrant {
        if (amount == 0) revert ZeroAmount();
        emit Deposited(msg.sender, amount);
        icnt.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Lets protocol contract `spender` draw up to `allowance` ICNT from the pool with ICNT's
    /// transferFrom (0 revokes). GOVERNANCE. Settlement pays the capacity subsidy and Link rewards this way:
    /// a transferFrom on every claim costs about 9,000 gas less than a call to `pay` (no call into the pool,
    /// its role and pause checks, its event). Such draws bypass this pool's pause: pause the spender or
    /// revoke its allowance instead.
    /// @param spender a protocol contract (non-zero)
    /// @param allowance ICNT base units (type(uint256).max: never decremented)
    function setSpender(address spender, uint256 allowance) external onlyRole(GOVERNANCE_ROLE) {
        if (spender == address(0)) revert ZeroAddress();
        emit SpenderSet(spender, allowance);
        icnt.forceApprove(spender, allowance);
    }

    /// @notice ICNT the pool can pay now (its balance).
    /// @return ICNT (base units)
    function available() external view returns (uint256) {
        return icnt.balanceOf(address(this));
    }
}

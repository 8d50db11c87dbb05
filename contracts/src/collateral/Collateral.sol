// SPDX-License-Identifier: MIT
// Node collateral: the HP's ICNT behind each ScalerNode, its commitment, exit, withdrawal and slashing.
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ProtocolRoles} from "../common/ProtocolRoles.sol";
import {ICollateral} from "../interfaces/ICollateral.sol";
import {IRegistry, ScalerNodeStatus} from "../interfaces/IRegistry.sol";
import {IEraManager} from "../interfaces/IEraManager.sol";

/// @notice What Collateral keeps per ScalerNode.
struct NodeCommitment {
    // amount and the commitment share one storage slot: registration writes one slot per node.
    uint128 amount; // ICNT held for the node (slashable until withdrawn); ≤ the 700M supply
    uint64 commitmentStart; // timestamp of the initial deposit; 0 = no record
    uint64 commitmentEnd; // the HP may exit from this timestamp on
    uint64 withdrawableEra; // set at exit: first era in which `withdraw` pays out
    bool exited; // the node has left the network; nothing can be added any more
}

/// @title Collateral
/// @notice Holds each ScalerNode's collateral (spec §10.1, §10.6; DESIGN §7). The Registry deposits
/// the initial collateral (≥ 30 % of the requirement) in the registration transaction; anyone may top
/// up; settlement diverts rewards into it while the node is under-collateralised and slashes it to the
/// Treasury. The HP gets it back only by leaving: a node that was never validated (Registered or
/// Rejected) leaves at once; a Validated node leaves after its commitment has ended and then waits out
/// the slashing exposure (the collateral stays slashable through the end of the era after the exit
/// era). No other path takes collateral out.
contract Collateral is ICollateral, ProtocolRoles, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// Minimum commitment: 36 contract months (1,080 days).
    uint64 public constant MIN_COMMITMENT = 1_080 days;
    /// Commitments grow in 6-month (180-day) steps beyond the minimum.
    uint64 public constant COMMITMENT_STEP = 180 days;
    /// Longest commitment accepted at registration, and the furthest ahead an extension may reach
    /// (120 months = 10 contract years).
    uint64 public constant MAX_COMMITMENT = 3_600 days;
    /// Bounds of `exposureEras`: at least 2 (exit era + 1 must stay slashable), at most 720 (≈ 30 days of 1 h eras).
    uint256 public constant MIN_EXPOSURE_ERAS = 2;
    uint256 public constant MAX_EXPOSURE_ERAS = 720;

    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IERC20 public immutable icnt;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IRegistry public immutable registry;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IEraManager public immutable eras;
    /// Receives slashed collateral.
    address public treasury;
    /// Eras between exit and withdrawal (withdrawableEra = exit era + exposureEras).
    uint256 public exposureEras = MIN_EXPOSURE_ERAS;

    mapping(uint256 nodeId => NodeCommitment) private _commitments;

    /// Node `nodeId` received its initial collateral from `payer` with the given commitment.
    event CollateralDeposited(
        uint256 indexed nodeId, address indexed payer, uint256 amount, uint64 commitmentStart, uint64 commitmentEnd
    );
    /// `amount` ICNT from `payer` was added to node `nodeId` (top-up or diverted rewards); `total` is the new collateral.
    event CollateralAdded(uint256 indexed nodeId, address indexed payer, uint256 amount, uint256 total);
    /// The HP extended node `nodeId`'s commitment by `steps` 6-month steps.
    event CommitmentExtended(uint256 indexed nodeId, uint256 steps, uint64 commitmentEnd);
    /// Node `nodeId` left the network; its collateral is withdrawable from `withdrawableEra`.
    event NodeExited(uint256 indexed nodeId, ScalerNodeStatus previousStatus, uint64 withdrawableEra);
    /// Node `nodeId`'s collateral went back to its HP.
    event CollateralWithdrawn(uint256 indexed nodeId, address indexed to, uint256 amount);
    /// `taken` of the `requested` slash of node `nodeId` went to `treasury`.
    event CollateralSlashed(uint256 indexed nodeId, uint256 requested, uint256 taken, address treasury);
    /// Governance changed the exposure window.
    event ExposureErasSet(uint256 exposureEras);
    /// Governance changed the Treasury that receives slashed collateral.
    event TreasurySet(address treasury);

    /// `amounts` and `commitmentDurations` differ in length.
    error LengthMismatch(uint256 amounts, uint256 durations);
    /// An initial deposit named no node.
    error EmptyBatch();
    /// Commitment shorter than the 36-month minimum.
    error CommitmentTooShort(uint256 duration, uint256 minDuration);
    /// Commitment beyond the minimum is not a whole number of 6-month steps.
    error CommitmentNotInSteps(uint256 duration, uint256 step);
    /// Commitment longer than the maximum.
    error CommitmentTooLong(uint256 duration, uint256 maxDuration);
    /// Node `nodeId` already has a collateral record.
    error AlreadyDeposited(uint256 nodeId);
    /// Node `nodeId` has no collateral record.
    error UnknownNode(uint256 nodeId);
    /// An amount or a step count was zero.
    error ZeroAmount();
    /// Node `nodeId` has left the network; nothing can be added or changed.
    error AlreadyExited(uint256 nodeId);
    /// Node `nodeId`'s status does not allow the operation.
    error WrongNodeStatus(uint256 nodeId, ScalerNodeStatus status);
    /// Only the HP that owns node `nodeId` may do this.
    error NotNodeOwner(uint256 nodeId, address caller, address owner);
    /// The commitment of node `nodeId` runs until `commitmentEnd`; exit is possible from then on.
    error CommitmentNotEnded(uint256 nodeId, uint64 commitmentEnd);
    /// Node `nodeId` is Booked; it may exit once the booking has ended and the node is Validated again.
    error NodeIsBooked(uint256 nodeId);
    /// Node `nodeId` has not exited; call `exit` first.
    error NotExited(uint256 nodeId);
    /// The collateral of node `nodeId` stays slashable until era `withdrawableEra` (now `currentEra`).
    error WithdrawalNotYet(uint256 nodeId, uint64 withdrawableEra, uint256 currentEra);
    /// Node `nodeId` holds no collateral.
    error NothingToWithdraw(uint256 nodeId);
    /// A parameter outside its bounds.
    error ExposureErasOutOfRange(uint256 value, uint256 min, uint256 max);

    /// @param admin receives the admin, governance, operator and emergency roles
    /// @param icnt_ the ICNT token
    /// @param registry_ the Registry (statuses, owners, requirements; markOffboarded)
    /// @param eras_ the era clock
    /// @param treasury_ receives slashed collateral
    constructor(address admin, IERC20 icnt_, IRegistry registry_, IEraManager eras_, address treasury_)
        ProtocolRoles(admin)
    {
        if (
            address(icnt_) == address(0) || address(registry_) == address(0) || address(eras_) == address(0)
                || treasury_ == address(0)
        ) revert ZeroAddress();
        icnt = icnt_;
        registry = registry_;
        eras = eras_;
        treasury = treasury_;
    }

    // ------------------------------------------------------------------ deposits

    /// @inheritdoc ICollateral
    /// @dev Not pausable: the Registry's own pause covers registration.
    function depositInitial(
        address payer,
        uint256 firstNodeId,
        uint256[] calldata amounts,
        uint64[] calldata commitmentDurations
    ) external onlyRole(PROTOCOL_ROLE) nonReentrant {
        uint256 n = amounts.length;
        if (n == 0) revert EmptyBatch();
        if (n != commitmentDurations.length) revert LengthMismatch(n, commitmentDurations.length);
        uint64 start = uint64(block.timestamp);
        uint256 total;
        for (uint256 i; i < n; ++i) {
            uint64 duration = commitmentDurations[i];
            _checkCommitmentDuration(duration);
            uint256 nodeId = firstNodeId + i;
            NodeCommitment storage c = _commitments[nodeId];
            if (c.commitmentStart != 0) revert AlreadyDeposited(nodeId);
            c.amount = SafeCast.toUint128(amounts[i]);
            c.commitmentStart = start;
            c.commitmentEnd = start + duration;
            total += amounts[i];
            emit CollateralDeposited(nodeId, payer, amounts[i], start, start + duration);
        }
        if (total > 0) icnt.safeTransferFrom(payer, address(this), total);
    }

    /// @notice Adds `amount` ICNT from the caller to node `nodeId`'s collateral (usually the HP
    /// closing its shortfall). Anyone may top up; the collateral goes back to the node's HP on exit.
    /// @param nodeId a Registered, Validated or Booked node that has not exited
    /// @param amount ICNT base units, > 0 (the caller approved this contract)
    function topUp(uint256 nodeId, uint256 amount) external whenNotPaused nonReentrant {
        _add(msg.sender, nodeId, amount);
    }

    /// @inheritdoc ICollateral
    /// @dev Not pausable: settlement keeps running while user functions are paused.
    function addCollateralFrom(address payer, uint256 nodeId, uint256 amount)
        external
        onlyRole(PROTOCOL_ROLE)
        nonReentrant
    {
        _add(payer, nodeId, amount);
    }

    /// @inheritdoc ICollateral
    /// @dev Not pausable, like addCollateralFrom. The caller (Settlement) pushes the ICNT first: a claim
    /// then moves its tokens once instead of twice.
    function creditCollateral(uint256 nodeId, uint256 amount) external onlyRole(PROTOCOL_ROLE) nonReentrant {
        _record(msg.sender, nodeId, amount);
    }

    function _add(address payer, uint256 nodeId, uint256 amount) private {
        _record(payer, nodeId, amount);
        icnt.safeTransferFrom(payer, address(this), amount);
    }

    /// Adds `amount` to node `nodeId`'s collateral record (the ICNT moves separately).
    function _record(address payer, uint256 nodeId, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        NodeCommitment storage c = _known(nodeId);
        if (c.exited) revert AlreadyExited(nodeId);
        ScalerNodeStatus status = registry.scalerNodeStatus(nodeId);
        if (
            status != ScalerNodeStatus.Registered && status != ScalerNodeStatus.Validated
                && status != ScalerNodeStatus.Booked
        ) revert WrongNodeStatus(nodeId, status);
        uint256 total = c.amount + amount;
        c.amount = SafeCast.toUint128(total);
        emit CollateralAdded(nodeId, payer, amount, total);
    }

    // ------------------------------------------------------------------ commitment

    /// @notice Extends node `nodeId`'s commitment by `steps` × 180 days. HP owner only.
    /// @param nodeId a node that has not exited (Registered, Validated or Booked)
    /// @param steps number of 6-month steps, > 0; the new end may lie at most MAX_COMMITMENT ahead
    function extendCommitment(uint256 nodeId, uint256 steps) external whenNotPaused {
        if (steps == 0) revert ZeroAmount();
        NodeCommitment storage c = _known(nodeId);
        _onlyOwner(nodeId);
        if (c.exited) revert AlreadyExited(nodeId);
        ScalerNodeStatus status = registry.scalerNodeStatus(nodeId);
        if (status == ScalerNodeStatus.Rejected || status == ScalerNodeStatus.Offboarded) {
            revert WrongNodeStatus(nodeId, status);
        }
        uint256 newEnd = uint256(c.commitmentEnd) + steps * COMMITMENT_STEP;
        if (newEnd > block.timestamp + MAX_COMMITMENT) {
            revert CommitmentTooLong(newEnd - block.timestamp, MAX_COMMITMENT);
        }
        uint64 end = SafeCast.toUint64(newEnd);
        c.commitmentEnd = end;
        emit CommitmentExtended(nodeId, steps, end);
    }

    // ------------------------------------------------------------------ exit and withdrawal

    /// @notice Takes node `nodeId` out of the network. HP owner only.
    /// A Registered node (never validated) is offboarded and a Rejected node closed, and both are paid
    /// out at once: they were never monitored, so nothing can be slashed. A Validated node may exit
    /// once its commitment has ended; it is offboarded and its collateral stays slashable until
    /// `withdrawableEra` = current era + exposureEras, when `withdraw` pays it out.
    /// @param nodeId the node
    function exit(uint256 nodeId) external whenNotPaused nonReentrant {
        NodeCommitment storage c = _known(nodeId);
        address owner = _onlyOwner(nodeId);
        if (c.exited) revert AlreadyExited(nodeId);
        ScalerNodeStatus status = registry.scalerNodeStatus(nodeId);
        if (status == ScalerNodeStatus.Registered || status == ScalerNodeStatus.Rejected) {
            _exitUnvalidated(nodeId, c, owner, status);
            return;
        }
        if (status == ScalerNodeStatus.Booked) revert NodeIsBooked(nodeId);
        if (status != ScalerNodeStatus.Validated && status != ScalerNodeStatus.Offboarded) {
            revert WrongNodeStatus(nodeId, status);
        }
        // Validated, or Offboarded by some other path: the commitment still binds.
        if (block.timestamp < c.commitmentEnd) revert CommitmentNotEnded(nodeId, c.commitmentEnd);
        uint64 withdrawable = SafeCast.toUint64(eras.currentEra() + exposureEras);
        c.exited = true;
        c.withdrawableEra = withdrawable;
        emit NodeExited(nodeId, status, withdrawable);
        if (status == ScalerNodeStatus.Validated) registry.markOffboarded(nodeId);
    }

    /// @notice Pays node `nodeId`'s collateral to its HP. HP owner only. For an exited node from
    /// `withdrawableEra` on; a node that was never validated (Registered or Rejected) exits and is
    /// paid in the same call.
    /// @param nodeId the node
    function withdraw(uint256 nodeId) external whenNotPaused nonReentrant {
        NodeCommitment storage c = _known(nodeId);
        address owner = _onlyOwner(nodeId);
        if (!c.exited) {
            ScalerNodeStatus status = registry.scalerNodeStatus(nodeId);
            if (status != ScalerNodeStatus.Registered && status != ScalerNodeStatus.Rejected) revert NotExited(nodeId);
            _exitUnvalidated(nodeId, c, owner, status);
            return;
        }
        uint256 era = eras.currentEra();
        if (era < c.withdrawableEra) revert WithdrawalNotYet(nodeId, c.withdrawableEra, era);
        uint256 amount = c.amount;
        if (amount == 0) revert NothingToWithdraw(nodeId);
        c.amount = 0;
        emit CollateralWithdrawn(nodeId, owner, amount);
        icnt.safeTransfer(owner, amount);
    }

    function _exitUnvalidated(uint256 nodeId, NodeCommitment storage c, address owner, ScalerNodeStatus status)
        private
    {
        uint64 era = SafeCast.toUint64(eras.currentEra());
        uint256 amount = c.amount;
        c.exited = true;
        c.withdrawableEra = era;
        c.amount = 0;
        emit NodeExited(nodeId, status, era);
        emit CollateralWithdrawn(nodeId, owner, amount);
        if (status == ScalerNodeStatus.Registered) registry.markOffboarded(nodeId);
        if (amount > 0) icnt.safeTransfer(owner, amount);
    }

    // ------------------------------------------------------------------ slashing

    /// @inheritdoc ICollateral
    /// @dev Not pausable: a pause must not let collateral escape a slash. Settlement decides what is
    /// slashable; this contract only caps the amount at what it holds.
    function slash(uint256 nodeId, uint256 amount)
        external
        onlyRole(PROTOCOL_ROLE)
        nonReentrant
        returns (uint256 taken)
    {
        NodeCommitment storage c = _commitments[nodeId];
        uint256 held = c.amount;
        taken = amount < held ? amount : held;
        c.amount = uint128(held - taken);
        address to = treasury;
        emit CollateralSlashed(nodeId, amount, taken, to);
        if (taken > 0) icnt.safeTransfer(to, taken);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Sets the eras between exit and withdrawal. GOVERNANCE.
    /// @param value in [MIN_EXPOSURE_ERAS, MAX_EXPOSURE_ERAS]; applies to exits from now on
    function setExposureEras(uint256 value) external onlyRole(GOVERNANCE_ROLE) {
        if (value < MIN_EXPOSURE_ERAS || value > MAX_EXPOSURE_ERAS) {
            revert ExposureErasOutOfRange(value, MIN_EXPOSURE_ERAS, MAX_EXPOSURE_ERAS);
        }
        exposureEras = value;
        emit ExposureErasSet(value);
    }

    /// @notice Sets the account that receives slashed collateral. GOVERNANCE.
    /// @param treasury_ non-zero
    function setTreasury(address treasury_) external onlyRole(GOVERNANCE_ROLE) {
        if (treasury_ == address(0)) revert ZeroAddress();
        treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ICollateral
    function collateralOf(uint256 nodeId) external view returns (uint256) {
        return _commitments[nodeId].amount;
    }

    /// @inheritdoc ICollateral
    /// @dev 0 for a node that has exited: it needs no collateral any more, so settlement pays its
    /// remaining rewards out instead of diverting them.
    function shortfall(uint256 nodeId) public view returns (uint256) {
        NodeCommitment storage c = _commitments[nodeId];
        if (c.exited) return 0;
        uint256 required = registry.collateralRequirement(nodeId);
        return required > c.amount ? required - c.amount : 0;
    }

    /// @notice True when node `nodeId` holds at least its full collateral requirement.
    /// @param nodeId the node
    /// @return whether the shortfall is zero
    function isFullyCollateralised(uint256 nodeId) external view returns (bool) {
        return shortfall(nodeId) == 0;
    }

    /// @inheritdoc ICollateral
    function commitmentEnd(uint256 nodeId) external view returns (uint64) {
        return _commitments[nodeId].commitmentEnd;
    }

    /// @notice The full collateral record of node `nodeId` (all zero when unknown).
    /// @param nodeId the node
    /// @return the record
    function commitment(uint256 nodeId) external view returns (NodeCommitment memory) {
        return _commitments[nodeId];
    }

    /// @notice First era in which an exited node's collateral can be withdrawn (0 before exit).
    /// @param nodeId the node
    /// @return the era
    function withdrawableEra(uint256 nodeId) external view returns (uint64) {
        return _commitments[nodeId].withdrawableEra;
    }

    // ------------------------------------------------------------------ internals

    function _checkCommitmentDuration(uint64 duration) private pure {
        if (duration < MIN_COMMITMENT) revert CommitmentTooShort(duration, MIN_COMMITMENT);
        if ((duration - MIN_COMMITMENT) % COMMITMENT_STEP != 0) revert CommitmentNotInSteps(duration, COMMITMENT_STEP);
        if (duration > MAX_COMMITMENT) revert CommitmentTooLong(duration, MAX_COMMITMENT);
    }

    function _known(uint256 nodeId) private view returns (NodeCommitment storage c) {
        c = _commitments[nodeId];
        if (c.commitmentStart == 0) revert UnknownNode(nodeId);
    }

    function _onlyOwner(uint256 nodeId) private view returns (address owner) {
        owner = registry.scalerNodeOwner(nodeId);
        if (msg.sender != owner) revert NotNodeOwner(nodeId, msg.sender, owner);
    }
}

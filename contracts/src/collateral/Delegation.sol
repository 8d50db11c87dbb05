// SPDX-License-Identifier: MIT
// ICNT delegation: locks, delegations to ScalerNodes (network collateral), APY and node-reward accrual, claims, slashing.
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ProtocolRoles} from "../common/ProtocolRoles.sol";
import {WAD, HUNDRED_PERCENT, YEAR, ICNT_TOTAL_SUPPLY} from "../common/Units.sol";
import {IDelegation} from "../interfaces/IDelegation.sol";
import {IRegistry, ScalerNodeStatus} from "../interfaces/IRegistry.sol";
import {IEraManager} from "../interfaces/IEraManager.sol";
import {IReservePool} from "../interfaces/IReservePool.sol";
import {IUnlockSchedule} from "../interfaces/IUnlockSchedule.sol";
import {LockMultiplier} from "./LockMultiplier.sol";
import {ApyCurve} from "./ApyCurve.sol";

/// @notice A lock: ICNT that stays in the contract until `unlockTime`, delegated or free.
struct LockPosition {
    address owner;
    uint64 unlockTime; // `withdraw` pays from the free balance from this timestamp on
    uint32 lockDays; // 1 … 1,440
    uint128 amount; // all ICNT of the lock: delegated + waiting for reclaim + free
    uint128 free; // neither delegated nor waiting for reclaim
    uint64 multiplier; // s(lockDays), WAD, fixed at creation
}

/// @notice Where a delegation stands.
enum DelegationStatus {
    None,
    Active, // counts as network collateral and earns
    Undelegated, // stopped earning; the amount returns to the lock at reclaimEra
    Reclaimed // the amount is back in the lock's free balance
}

/// @notice ICNT of one lock delegated to one node. `amount` is the amount at the last settlement: slashes
/// of the node since then are settled (subtracted here and from the lock) when the delegation is next
/// touched; `currentAmount` shows the amount with them.
struct DelegationPosition {
    uint96 amount;
    uint24 slashEpoch; // the node's slash epoch at the last settlement
    uint64 lockId;
    uint64 delegatedAt; // timestamp; undelegation allowed from delegatedAt + unstakeDelay
    uint64 nodeId;
    uint64 reclaimEra; // set at undelegation
    DelegationStatus status;
    uint120 slashScale; // the node's slash scale at the last settlement
    uint256 apyCheckpoint; // the node's scale-weighted APY accumulator at the last settlement
    uint256 nodeCheckpoint; // the node reward accumulator at the last settlement
}

/// @notice What is delegated to one node, and where its slash accounting stands (one storage slot).
struct NodeStake {
    uint96 delegated; // Active ICNT after slashes (delegatedTo)
    uint96 undelegated; // Undelegated, not yet reclaimed ICNT after slashes: still slashable
    uint32 activeCount; // Active delegations (the last one to leave takes the rounding remainder)
    uint24 epoch; // slash epoch: advances when a slash leaves the scale below MIN_SLASH_SCALE
    bool scaled; // a slash in this epoch moved the scale off SLASH_SCALE (then _slashScales holds it)
}

/// @notice A node's slash scale inside an epoch once a slash moved it.
struct SlashScale {
    uint128 scale; // product of (1 − slashed fraction) over the epoch's slashes, SLASH_SCALE = 1
    uint128 apyAccumulatorAt; // the global APY accumulator when `_apyWeighted` was last folded
}

/// @notice How a node's slash epoch ended: the delegations of that epoch carry on from these values.
struct SlashEpochEnd {
    uint128 scale; // the scale the last slash of the epoch left (0: everything was taken)
    uint128 apyAccumulator; // the global APY accumulator at the end (the next epoch starts from it)
    uint256 apyWeighted; // the node's scale-weighted APY accumulator at the end
    uint256 rewardPerToken; // the node reward accumulator at the end
}

/// @notice Settled rewards waiting out the claim delay; the two parts are paid from different places.
struct RewardClaim {
    address owner;
    uint64 unlockTime;
    bool paid;
    uint128 apyAmount; // paid by the Rewards Reserve
    uint128 nodeAmount; // paid from node rewards this contract holds
}

/// @title Delegation
/// @notice Delegators lock ICNT for 1 … 1,440 whole days and delegate it to Validated or Booked
/// ScalerNodes as network collateral (spec §10.2–§10.5, DESIGN §11). While delegated, ICNT earns
/// (a) the APY of the governance curve at the current collateralisation rate, times the lock
/// multiplier s(L) fixed at lock creation, paid by the Rewards Reserve, and (b) a pro-rata share of
/// the node rewards settlement distributes to the node's delegators, paid from this contract.
/// Undelegated ICNT returns to the lock after `reclaimDelayEras` eras; a lock pays out only after its
/// unlock time and only from its free balance. No path releases ICNT early.
/// Settlement may slash a node's delegations (`slash`): the ICNT delegated to it and the ICNT undelegated
/// from it but not yet reclaimed lose the same fraction, through a per-node scale (the product of
/// 1 − slashed fraction) that each delegation settles when it is next touched — no loop over delegations.
contract Delegation is IDelegation, ProtocolRoles, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using ApyCurve for uint256[];

    /// Longest lock: 48 contract months in days.
    uint256 public constant MAX_LOCK_DAYS = LockMultiplier.MAX_LOCK_DAYS;
    /// Most ids per `initiateRewardsClaim` / `claimRewards` call.
    uint256 public constant MAX_BATCH = 1_000;
    /// Bounds of the APY curve: 2 … 21 points, each ≤ 100 %.
    uint256 public constant MIN_APY_POINTS = 2;
    uint256 public constant MAX_APY_POINTS = 21;
    /// Bounds of the lock scaling constants (C1·C3 > C2 is also required).
    uint256 public constant MAX_C1 = 1_000_000;
    uint256 public constant MAX_C2 = 1_000_000_000;
    uint256 public constant MAX_C3 = 1_000_000;
    /// Bounds of the delays.
    uint256 public constant MAX_UNSTAKE_DELAY = 90 days;
    uint256 public constant MIN_RECLAIM_DELAY_ERAS = 2;
    uint256 public constant MAX_RECLAIM_DELAY_ERAS = 175;
    uint256 public constant MAX_CLAIM_DELAY = 365 days;
    /// A node's slash scale at the start of a slash epoch (1.0; 1e36 keeps 18 more digits than a WAD).
    uint256 public constant SLASH_SCALE = 1e36;
    /// A slash that leaves the scale below this starts a new slash epoch (keeps ≥ 18 digits of precision).
    uint256 public constant MIN_SLASH_SCALE = 1e18;

    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IERC20 public immutable icnt;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IRegistry public immutable registry;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IEraManager public immutable eras;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IReservePool public immutable rewardsReserve;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IUnlockSchedule public immutable unlockSchedule;

    // ---- parameters
    /// Seconds after delegating before a delegation may be undelegated.
    uint256 public unstakeDelay;
    /// Eras after undelegation before the amount returns to the lock (slashing exposure, DESIGN §7).
    uint256 public reclaimDelayEras = 2;
    /// Seconds between initiating and paying a reward claim.
    uint256 public claimDelay;
    /// Lock scaling constants of f(d) = (C1·d + C2) / (d + C3).
    uint256 public c1 = 153;
    uint256 public c2 = 925;
    uint256 public c3 = 950;
    uint256[] private _apyPoints;
    /// Receives slashed delegations (set by GOVERNANCE; `slash` reverts while it is unset).
    address public treasury;

    // ---- accounting
    /// ICNT delegated (Active) to all nodes, after slashes.
    uint256 public totalDelegated;
    /// Global APY accumulator: reward per delegated ICNT at multiplier 1, WAD.
    uint256 public apyAccumulator;
    /// Timestamp up to which `apyAccumulator` has accrued.
    uint256 public lastAccrual;
    mapping(uint256 nodeId => NodeStake) private _stakes;
    /// Node reward share accumulator: Σ distributed × slash scale ÷ delegatedTo, per node.
    mapping(uint256 nodeId => uint256) public nodeRewardPerToken;
    mapping(uint256 nodeId => SlashScale) private _slashScales;
    /// Scale-weighted APY accumulator of a scaled node, folded up to `_slashScales.apyAccumulatorAt`.
    mapping(uint256 nodeId => uint256) private _apyWeighted;
    mapping(uint256 nodeId => mapping(uint256 epoch => SlashEpochEnd)) private _slashEpochEnds;
    /// Rewards settled at undelegation (or by a claim) not yet put into a claim.
    mapping(address owner => uint256) public unclaimedApy;
    mapping(address owner => uint256) public unclaimedNodeRewards;

    uint256 public lockCount;
    uint256 public delegationCount;
    uint256 public claimCount;
    mapping(uint256 lockId => LockPosition) private _locks;
    mapping(uint256 delegationId => DelegationPosition) private _delegations;
    mapping(uint256 claimId => RewardClaim) private _claims;

    /// A new lock of `amount` ICNT for `lockDays` days with multiplier `multiplier`.
    event Locked(
        uint256 indexed lockId,
        address indexed owner,
        uint256 amount,
        uint256 lockDays,
        uint256 multiplier,
        uint64 unlockTime
    );
    /// `amount` ICNT of lock `lockId` delegated to node `nodeId`.
    event Delegated(uint256 indexed delegationId, uint256 indexed lockId, uint256 indexed nodeId, uint256 amount);
    /// Delegation `delegationId` stopped earning; the amount returns to its lock from `reclaimEra`.
    event Undelegated(uint256 indexed delegationId, address indexed by, uint64 reclaimEra);
    /// Rewards of delegation `delegationId` moved into its owner's unclaimed balance.
    event RewardsSettled(uint256 indexed delegationId, address indexed owner, uint256 apyAmount, uint256 nodeAmount);
    /// Delegation `delegationId`'s amount is back in lock `lockId`'s free balance.
    event Reclaimed(uint256 indexed delegationId, uint256 indexed lockId, uint256 amount);
    /// `amount` ICNT left lock `lockId` to its owner.
    event Withdrawn(uint256 indexed lockId, address indexed owner, uint256 amount);
    /// A reward claim was created.
    event RewardsClaimInitiated(
        uint256 indexed claimId, address indexed owner, uint256 apyAmount, uint256 nodeAmount, uint64 unlockTime
    );
    /// A reward claim was paid.
    event RewardsClaimed(uint256 indexed claimId, address indexed owner, uint256 apyAmount, uint256 nodeAmount);
    /// Settlement shared `amount` ICNT among node `nodeId`'s delegators.
    event NodeRewardsDistributed(uint256 indexed nodeId, uint256 amount, uint256 rewardPerToken);
    /// The global APY accumulator moved to `accumulator` at `timestamp`.
    event ApyAccrued(uint256 accumulator, uint256 timestamp, uint256 apy);
    event ApyCurveSet(uint256[] points);
    event LockScalingSet(uint256 c1, uint256 c2, uint256 c3);
    event UnstakeDelaySet(uint256 seconds_);
    event ReclaimDelayErasSet(uint256 eras_);
    event ClaimDelaySet(uint256 seconds_);
    /// Governance changed the account that receives slashed delegations.
    event TreasurySet(address treasury);
    /// `taken` of the `requested` slash of node `nodeId` went to `treasury`: `fromActive` from its
    /// delegations, `fromUndelegated` from its undelegated, not yet reclaimed ones.
    event DelegationSlashed(
        uint256 indexed nodeId,
        uint256 requested,
        uint256 taken,
        uint256 fromActive,
        uint256 fromUndelegated,
        address treasury
    );
    /// Node `nodeId`'s slash scale in slash epoch `epoch` is now `scale` (SLASH_SCALE = 1).
    event SlashScaleSet(uint256 indexed nodeId, uint256 epoch, uint256 scale);
    /// A slash left node `nodeId`'s scale at `finalScale` < MIN_SLASH_SCALE: epoch `epoch` ended and the
    /// next one starts at SLASH_SCALE.
    event SlashEpochEnded(uint256 indexed nodeId, uint256 epoch, uint256 finalScale);
    /// Delegation `delegationId` settled `loss` ICNT of slashes (also taken off lock `lockId`); `amount` remains.
    event SlashLossSettled(uint256 indexed delegationId, uint256 indexed lockId, uint256 loss, uint256 amount);
    /// The last Active delegation of node `nodeId` to leave took the slash rounding remainder `amount`.
    event RoundingRemainderAssigned(uint256 indexed delegationId, uint256 indexed nodeId, uint256 amount);

    /// An amount was zero.
    error ZeroAmount();
    /// Locks last 1 … 1,440 whole days.
    error LockDaysOutOfRange(uint256 lockDays, uint256 minDays, uint256 maxDays);
    /// Node `nodeId` is not Validated or Booked and cannot receive delegations.
    error NodeNotDelegatable(uint256 nodeId, ScalerNodeStatus status);
    /// Lock `lockId` does not exist.
    error UnknownLock(uint256 lockId);
    /// Delegation `delegationId` does not exist.
    error UnknownDelegation(uint256 delegationId);
    /// Claim `claimId` does not exist.
    error UnknownClaim(uint256 claimId);
    /// The caller does not own the lock, delegation or claim.
    error NotOwner(address caller, address owner);
    /// Lock `lockId` has only `free` undelegated ICNT.
    error InsufficientFree(uint256 lockId, uint256 free, uint256 requested);
    /// Lock `lockId` ended at `unlockTime`; its ICNT can only be withdrawn now.
    error LockExpired(uint256 lockId, uint64 unlockTime);
    /// Lock `lockId` holds its ICNT until `unlockTime`.
    error LockNotExpired(uint256 lockId, uint64 unlockTime);
    /// Delegation `delegationId` is not in the status the operation needs.
    error WrongDelegationStatus(uint256 delegationId, DelegationStatus status);
    /// Delegation `delegationId` can be undelegated from `availableAt` (unstake delay).
    error UnstakeDelayNotPassed(uint256 delegationId, uint256 availableAt);
    /// Delegation `delegationId` returns to its lock in era `reclaimEra` (now `currentEra`).
    error ReclaimNotYet(uint256 delegationId, uint64 reclaimEra, uint256 currentEra);
    /// Claim `claimId` can be paid from `unlockTime`.
    error ClaimNotYet(uint256 claimId, uint64 unlockTime);
    /// Claim `claimId` was already paid.
    error AlreadyPaid(uint256 claimId);
    /// No rewards to put into a claim.
    error NothingToClaim();
    /// More than MAX_BATCH ids, or none where some are needed.
    error BatchSize(uint256 size, uint256 maxSize);
    /// Node `nodeId` has nothing delegated to share rewards with.
    error NothingDelegated(uint256 nodeId);
    /// An APY curve with a wrong number of points or a point above 100 %.
    error InvalidApyCurve(uint256 points, uint256 maxPoint);
    /// Lock scaling constants outside their bounds or not giving a multiplier that rises with the lock.
    error InvalidLockScaling(uint256 c1, uint256 c2, uint256 c3);
    /// A delay outside its bounds.
    error DelayOutOfRange(uint256 value, uint256 min, uint256 max);
    /// Governance has not set the treasury that receives slashed delegations.
    error TreasuryNotSet();

    /// @param admin receives the admin, governance, operator and emergency roles
    /// @param icnt_ the ICNT token
    /// @param registry_ node statuses and capacities, network capacity
    /// @param eras_ the era clock (reclaim delay)
    /// @param rewardsReserve_ pays the APY part of rewards (this contract needs its PROTOCOL_ROLE)
    /// @param unlockSchedule_ Total Unlocked Supply for the network collateral requirement
    constructor(
        address admin,
        IERC20 icnt_,
        IRegistry registry_,
        IEraManager eras_,
        IReservePool rewardsReserve_,
        IUnlockSchedule unlockSchedule_
    ) ProtocolRoles(admin) {
        if (
            address(icnt_) == address(0) || address(registry_) == address(0) || address(eras_) == address(0)
                || address(rewardsReserve_) == address(0) || address(unlockSchedule_) == address(0)
        ) revert ZeroAddress();
        icnt = icnt_;
        registry = registry_;
        eras = eras_;
        rewardsReserve = rewardsReserve_;
        unlockSchedule = unlockSchedule_;
        _apyPoints = [uint256(20e18), 15e18, 10e18, 6e18, 4e18];
        lastAccrual = block.timestamp;
    }

    // ------------------------------------------------------------------ locks and delegations

    /// @notice Locks `amount` ICNT from the caller for `lockDays` days and delegates all of it to node `nodeId`.
    /// @param nodeId a Validated or Booked node
    /// @param amount ICNT base units, > 0 (the caller approved this contract)
    /// @param lockDays whole days, 1 … 1,440; fixes the multiplier s(lockDays)
    /// @return lockId the new lock
    /// @return delegationId the new delegation
    function delegate(uint256 nodeId, uint256 amount, uint256 lockDays)
        external
        whenNotPaused
        nonReentrant
        returns (uint256 lockId, uint256 delegationId)
    {
        if (amount == 0) revert ZeroAmount();
        if (lockDays == 0 || lockDays > MAX_LOCK_DAYS) revert LockDaysOutOfRange(lockDays, 1, MAX_LOCK_DAYS);
        _checkDelegatable(nodeId);
        uint256 s = lockMultiplier(lockDays);
        uint64 unlockTime = SafeCast.toUint64(block.timestamp + lockDays * 1 days);
        lockId = ++lockCount;
        _locks[lockId] = LockPosition({
            owner: msg.sender,
            unlockTime: unlockTime,
            // forge-lint: disable-next-line(unsafe-typecast)
            lockDays: uint32(lockDays), // ≤ 1,440
            amount: SafeCast.toUint128(amount),
            free: 0,
            // forge-lint: disable-next-line(unsafe-typecast)
            multiplier: uint64(s) // ≤ 1e18
        });
        emit Locked(lockId, msg.sender, amount, lockDays, s, unlockTime);
        delegationId = _delegate(lockId, nodeId, amount);
        icnt.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Delegates `amount` of lock `lockId`'s free balance to node `nodeId` (re-delegation while locked).
    /// @param lockId a lock of the caller that has not ended
    /// @param nodeId a Validated or Booked node
    /// @param amount ≤ the lock's free balance, > 0
    /// @return delegationId the new delegation
    function delegateLocked(uint256 lockId, uint256 nodeId, uint256 amount)
        external
        whenNotPaused
        returns (uint256 delegationId)
    {
        if (amount == 0) revert ZeroAmount();
        LockPosition storage l = _ownedLock(lockId);
        if (block.timestamp >= l.unlockTime) revert LockExpired(lockId, l.unlockTime);
        if (amount > l.free) revert InsufficientFree(lockId, l.free, amount);
        _checkDelegatable(nodeId);
        // forge-lint: disable-next-line(unsafe-typecast)
        l.free -= uint128(amount); // ≤ free
        delegationId = _delegate(lockId, nodeId, amount);
    }

    /// @notice Stops delegation `delegationId`: it no longer earns or counts as network collateral;
    /// its pending rewards move into the owner's unclaimed balance and its slash losses are settled;
    /// the amount stays slashable and returns to the lock when reclaimed, from current era +
    /// reclaimDelayEras. The owner may undelegate after the unstake delay; anyone may undelegate from
    /// a node that has been offboarded, so a gone node stops drawing APY.
    /// @param delegationId an Active delegation
    function undelegate(uint256 delegationId) external whenNotPaused {
        DelegationPosition storage d = _delegationOf(delegationId);
        if (d.status != DelegationStatus.Active) revert WrongDelegationStatus(delegationId, d.status);
        address owner = _locks[d.lockId].owner;
        if (msg.sender != owner) {
            if (registry.scalerNodeStatus(d.nodeId) != ScalerNodeStatus.Offboarded) revert NotOwner(msg.sender, owner);
        } else {
            uint256 availableAt = uint256(d.delegatedAt) + unstakeDelay;
            if (block.timestamp < availableAt) revert UnstakeDelayNotPassed(delegationId, availableAt);
        }
        _accrue();
        uint256 nodeId = d.nodeId;
        NodeStake memory n = _stakes[nodeId];
        Settled memory c = _catchUp(d, n, apyAccumulator, true);
        _credit(delegationId, owner, c);
        _writeSettlement(delegationId, d, n, c, false);
        uint256 amount = c.amount;
        // forge-lint: disable-next-line(unsafe-typecast)
        n.delegated -= uint96(amount); // ≤ delegated: Σ Active amounts never exceeds it (see slash)
        if (--n.activeCount == 0 && n.delegated > 0) {
            // The last Active delegation takes what the floors of earlier settlements left behind.
            uint256 remainder = n.delegated;
            n.delegated = 0;
            amount += remainder;
            // forge-lint: disable-next-line(unsafe-typecast)
            d.amount = uint96(amount); // ≤ the node's delegated total
            // forge-lint: disable-next-line(unsafe-typecast)
            _locks[d.lockId].amount += uint128(remainder);
            emit RoundingRemainderAssigned(delegationId, nodeId, remainder);
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        n.undelegated += uint96(amount); // checked: undelegated + delegated ≤ ICNT supply
        _storeStake(nodeId, n);
        totalDelegated -= amount;
        uint64 reclaimEra = SafeCast.toUint64(eras.currentEra() + reclaimDelayEras);
        d.status = DelegationStatus.Undelegated;
        d.reclaimEra = reclaimEra;
        emit Undelegated(delegationId, msg.sender, reclaimEra);
    }

    /// @notice Returns undelegated delegation `delegationId`'s amount, after its slash losses, to its
    /// lock's free balance; from then on no slash reaches it.
    /// @param delegationId an Undelegated delegation of the caller whose reclaim era has come
    function reclaim(uint256 delegationId) external whenNotPaused {
        DelegationPosition storage d = _delegationOf(delegationId);
        LockPosition storage l = _ownedLock(d.lockId);
        if (d.status != DelegationStatus.Undelegated) revert WrongDelegationStatus(delegationId, d.status);
        uint256 era = eras.currentEra();
        if (era < d.reclaimEra) revert ReclaimNotYet(delegationId, d.reclaimEra, era);
        uint256 nodeId = d.nodeId;
        NodeStake memory n = _stakes[nodeId];
        Settled memory c = _catchUp(d, n, 0, false);
        _writeSettlement(delegationId, d, n, c, false);
        uint256 amount = c.amount;
        // forge-lint: disable-next-line(unsafe-typecast)
        n.undelegated -= uint96(amount); // ≤ undelegated (see slash)
        _storeStake(nodeId, n);
        d.status = DelegationStatus.Reclaimed;
        // forge-lint: disable-next-line(unsafe-typecast)
        l.free += uint128(amount);
        emit Reclaimed(delegationId, d.lockId, amount);
    }

    /// @notice Pays `amount` of lock `lockId`'s free balance to its owner once the lock has ended.
    /// @param lockId a lock of the caller
    /// @param amount ≤ the free balance, > 0
    function withdraw(uint256 lockId, uint256 amount) external whenNotPaused nonReentrant {
        if (amount == 0) revert ZeroAmount();
        LockPosition storage l = _ownedLock(lockId);
        if (block.timestamp < l.unlockTime) revert LockNotExpired(lockId, l.unlockTime);
        if (amount > l.free) revert InsufficientFree(lockId, l.free, amount);
        // forge-lint: disable-next-line(unsafe-typecast)
        l.free -= uint128(amount); // ≤ free
        // forge-lint: disable-next-line(unsafe-typecast)
        l.amount -= uint128(amount); // ≤ free ≤ amount
        emit Withdrawn(lockId, msg.sender, amount);
        icnt.safeTransfer(msg.sender, amount);
    }

    // ------------------------------------------------------------------ rewards

    /// @notice Settles the pending rewards of the caller's delegations `delegationIds` and everything
    /// already in the caller's unclaimed balance into one claim payable after `claimDelay`.
    /// The Active ones also settle their slash losses.
    /// @param delegationIds ≤ 1,000 delegations of the caller (any status; only Active ones accrue)
    /// @return claimId the new claim
    function initiateRewardsClaim(uint256[] calldata delegationIds) external whenNotPaused returns (uint256 claimId) {
        uint256 count = delegationIds.length;
        if (count > MAX_BATCH) revert BatchSize(count, MAX_BATCH);
        _accrue();
        uint256 acc = apyAccumulator;
        for (uint256 i; i < count; ++i) {
            uint256 id = delegationIds[i];
            DelegationPosition storage d = _delegationOf(id);
            address owner = _locks[d.lockId].owner;
            if (owner != msg.sender) revert NotOwner(msg.sender, owner);
            if (d.status != DelegationStatus.Active) continue;
            NodeStake memory n = _stakes[d.nodeId];
            Settled memory c = _catchUp(d, n, acc, true);
            _credit(id, owner, c);
            _writeSettlement(id, d, n, c, true);
        }
        uint256 apyAmount = unclaimedApy[msg.sender];
        uint256 nodeAmount = unclaimedNodeRewards[msg.sender];
        if (apyAmount == 0 && nodeAmount == 0) revert NothingToClaim();
        unclaimedApy[msg.sender] = 0;
        unclaimedNodeRewards[msg.sender] = 0;
        uint64 unlockTime = SafeCast.toUint64(block.timestamp + claimDelay);
        claimId = ++claimCount;
        _claims[claimId] = RewardClaim({
            owner: msg.sender,
            unlockTime: unlockTime,
            paid: false,
            apyAmount: SafeCast.toUint128(apyAmount),
            nodeAmount: SafeCast.toUint128(nodeAmount)
        });
        emit RewardsClaimInitiated(claimId, msg.sender, apyAmount, nodeAmount, unlockTime);
    }

    /// @notice Pays the caller's claims `claimIds`: the APY part from the Rewards Reserve, the node
    /// reward part from this contract.
    /// @param claimIds 1 … 1,000 unpaid claims of the caller whose unlock time has passed
    function claimRewards(uint256[] calldata claimIds) external whenNotPaused nonReentrant {
        uint256 n = claimIds.length;
        if (n == 0 || n > MAX_BATCH) revert BatchSize(n, MAX_BATCH);
        uint256 apyTotal;
        uint256 nodeTotal;
        for (uint256 i; i < n; ++i) {
            uint256 id = claimIds[i];
            RewardClaim storage c = _claims[id];
            if (c.owner == address(0)) revert UnknownClaim(id);
            if (c.owner != msg.sender) revert NotOwner(msg.sender, c.owner);
            if (c.paid) revert AlreadyPaid(id);
            if (block.timestamp < c.unlockTime) revert ClaimNotYet(id, c.unlockTime);
            c.paid = true;
            apyTotal += c.apyAmount;
            nodeTotal += c.nodeAmount;
            emit RewardsClaimed(id, msg.sender, c.apyAmount, c.nodeAmount);
        }
        if (nodeTotal > 0) icnt.safeTransfer(msg.sender, nodeTotal);
        if (apyTotal > 0) rewardsReserve.pay(msg.sender, apyTotal);
    }

    /// @inheritdoc IDelegation
    /// @dev Not pausable: settlement keeps running while user functions are paused. Rounding leaves
    /// dust in this contract, never a debt. The accumulator grows by amount × scale ÷ delegatedTo, so a
    /// delegation of `a` at checkpoint scale `s0` earns a × Δ ÷ s0 = its current amount's share.
    function distributeNodeRewards(uint256 nodeId, uint256 amount) external onlyRole(PROTOCOL_ROLE) nonReentrant {
        _accrueNodeRewards(nodeId, amount);
        icnt.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IDelegation
    /// @dev Like distributeNodeRewards, but the caller (Settlement) pushed the ICNT first: a claim then moves
    /// its tokens once instead of twice.
    function creditNodeRewards(uint256 nodeId, uint256 amount) external onlyRole(PROTOCOL_ROLE) nonReentrant {
        _accrueNodeRewards(nodeId, amount);
    }

    function _accrueNodeRewards(uint256 nodeId, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        NodeStake memory n = _stakes[nodeId];
        uint256 delegated = n.delegated;
        if (delegated == 0) revert NothingDelegated(nodeId);
        uint256 scale = n.scaled ? _slashScales[nodeId].scale : SLASH_SCALE;
        uint256 perToken = nodeRewardPerToken[nodeId] + Math.mulDiv(amount, scale, delegated);
        nodeRewardPerToken[nodeId] = perToken;
        emit NodeRewardsDistributed(nodeId, amount, perToken);
    }

    // ------------------------------------------------------------------ slashing

    /// @inheritdoc IDelegation
    /// @dev Not pausable: a pause must not let delegations escape a slash. Order: (1) the global APY
    /// accumulator accrues up to now at the pre-slash collateralisation rate; (2) the node's
    /// scale-weighted APY accumulator is folded up to now at the pre-slash scale, so APY up to this
    /// block is on the pre-slash amounts (node rewards distributed before it were already credited at
    /// the pre-slash scale); (3) the scale, `delegatedTo`, the undelegated total and `totalDelegated`
    /// drop, and everything accrues on the reduced amounts from here on. Rounding: with t = min(amount,
    /// exposed), fromActive = ⌊delegated × t ÷ exposed⌋, fromUndelegated = ⌊undelegated × t ÷ exposed⌋
    /// (taken = their sum ≥ t − 1; = exposed on a full slash) and the scale becomes
    /// ⌊scale × (exposed − t) ÷ exposed⌋, so each delegation keeps ⌊amount × scale ÷ checkpoint scale⌋ —
    /// never more than its exact share, and never more than either total keeps.
    function slash(uint256 nodeId, uint256 amount)
        external
        onlyRole(PROTOCOL_ROLE)
        nonReentrant
        returns (uint256 taken)
    {
        NodeStake memory n = _stakes[nodeId];
        uint256 exposed = uint256(n.delegated) + n.undelegated;
        uint256 t = amount < exposed ? amount : exposed;
        address to = treasury;
        if (t == 0) {
            emit DelegationSlashed(nodeId, amount, 0, 0, 0, to);
            return 0;
        }
        if (to == address(0)) revert TreasuryNotSet();
        _accrue();
        _shrinkScale(nodeId, n, exposed - t, exposed);
        uint256 fromActive = Math.mulDiv(n.delegated, t, exposed);
        uint256 fromUndelegated = Math.mulDiv(n.undelegated, t, exposed);
        taken = fromActive + fromUndelegated;
        // forge-lint: disable-next-line(unsafe-typecast)
        n.delegated -= uint96(fromActive); // ≤ delegated
        // forge-lint: disable-next-line(unsafe-typecast)
        n.undelegated -= uint96(fromUndelegated); // ≤ undelegated
        _storeStake(nodeId, n);
        totalDelegated -= fromActive;
        emit DelegationSlashed(nodeId, amount, taken, fromActive, fromUndelegated, to);
        if (taken > 0) icnt.safeTransfer(to, taken);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Replaces the max-APY curve; the old curve applies up to now. GOVERNANCE.
    /// @param points 2 … 21 APY values (100 % = 100e18), evenly spaced over collateralisation rate 0 … 1
    function setApyCurve(uint256[] calldata points) external onlyRole(GOVERNANCE_ROLE) {
        uint256 k = points.length;
        if (k < MIN_APY_POINTS || k > MAX_APY_POINTS) revert InvalidApyCurve(k, 0);
        for (uint256 i; i < k; ++i) {
            if (points[i] > HUNDRED_PERCENT) revert InvalidApyCurve(k, points[i]);
        }
        _accrue();
        _apyPoints = points;
        emit ApyCurveSet(points);
    }

    /// @notice Sets the lock scaling constants for locks created from now on. GOVERNANCE.
    /// @param c1_ 1 … MAX_C1
    /// @param c2_ 0 … MAX_C2, and c1·c3 > c2 (the multiplier rises with the lock length)
    /// @param c3_ 0 … MAX_C3
    function setLockScaling(uint256 c1_, uint256 c2_, uint256 c3_) external onlyRole(GOVERNANCE_ROLE) {
        if (c1_ == 0 || c1_ > MAX_C1 || c2_ > MAX_C2 || c3_ > MAX_C3 || c1_ * c3_ <= c2_) {
            revert InvalidLockScaling(c1_, c2_, c3_);
        }
        c1 = c1_;
        c2 = c2_;
        c3 = c3_;
        emit LockScalingSet(c1_, c2_, c3_);
    }

    /// @notice Sets the seconds a delegation must last before it can be undelegated. GOVERNANCE.
    /// @param value 0 … MAX_UNSTAKE_DELAY
    function setUnstakeDelay(uint256 value) external onlyRole(GOVERNANCE_ROLE) {
        if (value > MAX_UNSTAKE_DELAY) revert DelayOutOfRange(value, 0, MAX_UNSTAKE_DELAY);
        unstakeDelay = value;
        emit UnstakeDelaySet(value);
    }

    /// @notice Sets the eras between undelegation and reclaim, for undelegations from now on. GOVERNANCE.
    /// @param value MIN_RECLAIM_DELAY_ERAS … MAX_RECLAIM_DELAY_ERAS
    function setReclaimDelayEras(uint256 value) external onlyRole(GOVERNANCE_ROLE) {
        if (value < MIN_RECLAIM_DELAY_ERAS || value > MAX_RECLAIM_DELAY_ERAS) {
            revert DelayOutOfRange(value, MIN_RECLAIM_DELAY_ERAS, MAX_RECLAIM_DELAY_ERAS);
        }
        reclaimDelayEras = value;
        emit ReclaimDelayErasSet(value);
    }

    /// @notice Sets the seconds between initiating and paying a reward claim, for claims from now on. GOVERNANCE.
    /// @param value 0 … MAX_CLAIM_DELAY
    function setClaimDelay(uint256 value) external onlyRole(GOVERNANCE_ROLE) {
        if (value > MAX_CLAIM_DELAY) revert DelayOutOfRange(value, 0, MAX_CLAIM_DELAY);
        claimDelay = value;
        emit ClaimDelaySet(value);
    }

    /// @notice Sets the account that receives slashed delegations. GOVERNANCE.
    /// @param treasury_ non-zero
    function setTreasury(address treasury_) external onlyRole(GOVERNANCE_ROLE) {
        if (treasury_ == address(0)) revert ZeroAddress();
        treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @notice Brings the global APY accumulator up to now (every state change does this anyway).
    function accrue() external {
        _accrue();
    }

    // ------------------------------------------------------------------ views

    /// @notice Lock `lockId` (all zero when unknown).
    /// @param lockId the lock
    /// @return the lock
    function lock(uint256 lockId) external view returns (LockPosition memory) {
        return _locks[lockId];
    }

    /// @notice Delegation `delegationId` (all zero when unknown).
    /// @param delegationId the delegation
    /// @return the delegation
    function delegation(uint256 delegationId) external view returns (DelegationPosition memory) {
        return _delegations[delegationId];
    }

    /// @notice Reward claim `claimId` (all zero when unknown).
    /// @param claimId the claim
    /// @return the claim
    function rewardClaim(uint256 claimId) external view returns (RewardClaim memory) {
        return _claims[claimId];
    }

    /// @notice Rewards delegation `delegationId` has earned since its last settlement (on its amount
    /// before each slash up to the slash, on the reduced amount after it).
    /// @param delegationId the delegation
    /// @return apyAmount the APY part (Rewards Reserve)
    /// @return nodeAmount the node reward part (this contract)
    function pendingRewards(uint256 delegationId) external view returns (uint256 apyAmount, uint256 nodeAmount) {
        DelegationPosition storage d = _delegations[delegationId];
        if (d.status != DelegationStatus.Active) return (0, 0);
        Settled memory c = _catchUp(d, _stakes[d.nodeId], _accumulatorAt(block.timestamp), true);
        return (c.apyAmount, c.nodeAmount);
    }

    /// @notice Delegation `delegationId`'s amount with the slashes not yet settled into it subtracted
    /// (for a Reclaimed delegation: what went back to the lock).
    /// @param delegationId the delegation
    /// @return ICNT base units
    function currentAmount(uint256 delegationId) external view returns (uint256) {
        DelegationPosition storage d = _delegations[delegationId];
        DelegationStatus status = d.status;
        if (status != DelegationStatus.Active && status != DelegationStatus.Undelegated) return d.amount;
        return _catchUp(d, _stakes[d.nodeId], 0, false).amount;
    }

    /// @notice ICNT currently delegated (Active) to node `nodeId`, after slashes.
    /// @param nodeId the node
    /// @return ICNT base units
    function delegatedTo(uint256 nodeId) public view returns (uint256) {
        return _stakes[nodeId].delegated;
    }

    /// @notice ICNT undelegated from node `nodeId` and not yet reclaimed, after slashes (still slashable).
    /// @param nodeId the node
    /// @return ICNT base units
    function undelegatedFrom(uint256 nodeId) external view returns (uint256) {
        return _stakes[nodeId].undelegated;
    }

    /// @notice What `slash` can take from node `nodeId`: delegatedTo + undelegatedFrom.
    /// @param nodeId the node
    /// @return ICNT base units
    function slashable(uint256 nodeId) external view returns (uint256) {
        NodeStake storage n = _stakes[nodeId];
        return uint256(n.delegated) + n.undelegated;
    }

    /// @notice Node `nodeId`'s slash accounting.
    /// @param nodeId the node
    /// @return scale the current slash scale (SLASH_SCALE until a slash; resets at each new epoch)
    /// @return epoch the current slash epoch
    /// @return activeCount the node's Active delegations
    function slashState(uint256 nodeId) external view returns (uint256 scale, uint256 epoch, uint256 activeCount) {
        NodeStake memory n = _stakes[nodeId];
        (scale,) = _scaleOf(nodeId, n, apyAccumulator);
        return (scale, n.epoch, n.activeCount);
    }

    /// @notice How slash epoch `epoch` of node `nodeId` ended (all zero while it runs).
    /// @param nodeId the node
    /// @param epoch an ended epoch
    /// @return the end record
    function slashEpochEnd(uint256 nodeId, uint256 epoch) external view returns (SlashEpochEnd memory) {
        return _slashEpochEnds[nodeId][epoch];
    }

    /// @notice The global APY accumulator as of now (WAD per delegated ICNT at multiplier 1).
    /// @return the accumulator
    function currentApyAccumulator() external view returns (uint256) {
        return _accumulatorAt(block.timestamp);
    }

    /// @notice s(lockDays) = f(lockDays) / f(1,440) with the current constants, WAD.
    /// @param lockDays 1 … 1,440
    /// @return the multiplier
    function lockMultiplier(uint256 lockDays) public view returns (uint256) {
        if (lockDays == 0 || lockDays > MAX_LOCK_DAYS) revert LockDaysOutOfRange(lockDays, 1, MAX_LOCK_DAYS);
        return LockMultiplier.multiplier(lockDays, c1, c2, c3);
    }

    /// @notice The max-APY curve at collateralisation rate `x` (WAD, clamped to 1).
    /// @param x the rate
    /// @return APY, 100 % = 100e18
    function maxApy(uint256 x) public view returns (uint256) {
        return _apyPoints.valueAt(x);
    }

    /// @notice The max-APY curve's points.
    /// @return the points, evenly spaced over collateralisation rate 0 … 1
    function apyCurve() external view returns (uint256[] memory) {
        return _apyPoints;
    }

    /// @notice Total delegated ICNT ÷ 700M, clamped to [0, 1], WAD.
    /// @return the rate
    function collateralisationRate() public view returns (uint256) {
        uint256 total = totalDelegated;
        return total >= ICNT_TOTAL_SUPPLY ? WAD : total * WAD / ICNT_TOTAL_SUPPLY;
    }

    /// @notice The APY (before the lock multiplier) delegations earn now.
    /// @return APY, 100 % = 100e18
    function currentApy() external view returns (uint256) {
        return maxApy(collateralisationRate());
    }

    /// @notice Network collateral node `nodeId` should have (spec §10.2):
    /// capacity ÷ network capacity × Total Unlocked Supply × 0.5; 0 while the network capacity is 0.
    /// @param nodeId the node
    /// @return ICNT base units
    function networkCollateralRequirement(uint256 nodeId) public view returns (uint256) {
        uint256 networkCapacity = registry.networkCapacity();
        if (networkCapacity == 0) return 0;
        uint256 capacity = registry.scalerNode(nodeId).capacity;
        return Math.mulDiv(capacity, unlockSchedule.unlockedSupply(block.timestamp), networkCapacity) / 2;
    }

    /// @notice Network collateral requirement minus what is delegated to node `nodeId`, floored at 0.
    /// @param nodeId the node
    /// @return ICNT base units
    function networkCollateralShortfall(uint256 nodeId) external view returns (uint256) {
        uint256 required = networkCollateralRequirement(nodeId);
        uint256 delegated = _stakes[nodeId].delegated;
        return required > delegated ? required - delegated : 0;
    }

    // ------------------------------------------------------------------ internals

    function _delegate(uint256 lockId, uint256 nodeId, uint256 amount) private returns (uint256 delegationId) {
        _accrue();
        NodeStake memory n = _stakes[nodeId];
        (uint256 scale, uint256 weighted) = _scaleOf(nodeId, n, apyAccumulator);
        delegationId = ++delegationCount;
        _delegations[delegationId] = DelegationPosition({
            amount: SafeCast.toUint96(amount),
            slashEpoch: n.epoch,
            lockId: SafeCast.toUint64(lockId),
            delegatedAt: uint64(block.timestamp),
            nodeId: SafeCast.toUint64(nodeId),
            reclaimEra: 0,
            status: DelegationStatus.Active,
            // forge-lint: disable-next-line(unsafe-typecast)
            slashScale: uint120(scale), // ≤ SLASH_SCALE < 2^120
            apyCheckpoint: weighted,
            nodeCheckpoint: nodeRewardPerToken[nodeId]
        });
        n.delegated = SafeCast.toUint96(n.delegated + amount);
        ++n.activeCount;
        _storeStake(nodeId, n);
        totalDelegated += amount;
        emit Delegated(delegationId, lockId, nodeId, amount);
    }

    /// A delegation brought up to now: its amount after slashes and the rewards it earned on the way.
    struct Settled {
        uint256 amount;
        uint256 apyAmount;
        uint256 nodeAmount;
        uint256 scale; // the node's scale now
        uint256 apyWeighted; // the node's scale-weighted APY accumulator now (only when earning)
        uint256 rewardPerToken; // the node reward accumulator now (only when earning)
        bool moved; // the node's epoch or scale is not the checkpoint's: the slash checkpoint must be written
    }

    /// The node's current scale and scale-weighted APY accumulator W at global accumulator `acc`. Before
    /// the first slash of an epoch W = SLASH_SCALE × acc, so an unslashed node needs no extra storage.
    function _scaleOf(uint256 nodeId, NodeStake memory n, uint256 acc)
        private
        view
        returns (uint256 scale, uint256 weighted)
    {
        if (!n.scaled) return (SLASH_SCALE, SLASH_SCALE * acc);
        SlashScale memory sc = _slashScales[nodeId];
        scale = sc.scale;
        weighted = _apyWeighted[nodeId] + scale * (acc - sc.apyAccumulatorAt);
    }

    /// Multiplies node `nodeId`'s scale by kept ÷ exposed (floored), after folding its scale-weighted APY
    /// accumulator up to now at the old scale; closes the epoch when the scale would fall below
    /// MIN_SLASH_SCALE. Updates `n.epoch` and `n.scaled`; the caller stores `n`.
    function _shrinkScale(uint256 nodeId, NodeStake memory n, uint256 kept, uint256 exposed) private {
        uint256 acc = apyAccumulator;
        (uint256 scale, uint256 weighted) = _scaleOf(nodeId, n, acc);
        uint256 newScale = Math.mulDiv(scale, kept, exposed);
        if (newScale < MIN_SLASH_SCALE) {
            // Too little precision left (or nothing left): close the epoch; its delegations carry
            // on into the next one through the recorded end values.
            _slashEpochEnds[nodeId][n.epoch] = SlashEpochEnd({
                // forge-lint: disable-next-line(unsafe-typecast)
                scale: uint128(newScale), // < MIN_SLASH_SCALE
                apyAccumulator: SafeCast.toUint128(acc),
                apyWeighted: weighted,
                rewardPerToken: nodeRewardPerToken[nodeId]
            });
            emit SlashEpochEnded(nodeId, n.epoch, newScale);
            ++n.epoch;
            n.scaled = false;
        } else {
            // forge-lint: disable-next-line(unsafe-typecast)
            _slashScales[nodeId] = SlashScale({scale: uint128(newScale), apyAccumulatorAt: SafeCast.toUint128(acc)});
            _apyWeighted[nodeId] = weighted;
            n.scaled = true;
            emit SlashScaleSet(nodeId, n.epoch, newScale);
        }
    }

    /// Brings delegation `d` up to the node's state `n` without writing. Amounts shrink by
    /// ⌊amount × scale ÷ checkpoint scale⌋ (floored: never above the exact pro-rata share). `earning`
    /// (Active) also computes the rewards, segment by segment: APY = amount × s × ΔW ÷ (scale × 1e36),
    /// node rewards = amount × Δaccumulator ÷ scale, each on the amount valid in that segment. Ended
    /// epochs are walked first; at most three leave a non-zero amount (an epoch that ends after starting
    /// at SLASH_SCALE shrinks amounts by more than 1e18), so the loop is bounded.
    function _catchUp(DelegationPosition storage d, NodeStake memory n, uint256 acc, bool earning)
        private
        view
        returns (Settled memory c)
    {
        if (d.slashEpoch != n.epoch || n.scaled) return _catchUpSlashed(d, n, acc, earning);
        // No slash since the checkpoint (an unscaled epoch was unscaled all along): the amount stands,
        // the scale is SLASH_SCALE and W = SLASH_SCALE × acc, so APY = amount × s × Δacc ÷ 1e36 (< 2^226).
        c.amount = d.amount;
        c.scale = SLASH_SCALE;
        if (!earning) return c;
        uint256 nodeId = d.nodeId;
        uint256 s = _locks[d.lockId].multiplier;
        c.apyWeighted = SLASH_SCALE * acc;
        c.rewardPerToken = nodeRewardPerToken[nodeId];
        c.apyAmount = c.amount * s * (acc - d.apyCheckpoint / SLASH_SCALE) / (WAD * WAD);
        c.nodeAmount = Math.mulDiv(c.amount, c.rewardPerToken - d.nodeCheckpoint, SLASH_SCALE);
    }

    /// `_catchUp` across slashes.
    function _catchUpSlashed(DelegationPosition storage d, NodeStake memory n, uint256 acc, bool earning)
        private
        view
        returns (Settled memory c)
    {
        uint256 nodeId = d.nodeId;
        uint256 amount = d.amount;
        uint256 epoch = d.slashEpoch;
        uint256 scale = d.slashScale;
        c.moved = epoch != n.epoch;
        uint256 s;
        uint256 w;
        uint256 r;
        if (earning) {
            s = _locks[d.lockId].multiplier;
            w = d.apyCheckpoint;
            r = d.nodeCheckpoint;
        }
        while (epoch < n.epoch && amount > 0) {
            SlashEpochEnd storage end = _slashEpochEnds[nodeId][epoch];
            if (earning) {
                c.apyAmount += Math.mulDiv(amount * s, end.apyWeighted - w, scale * WAD * WAD);
                c.nodeAmount += Math.mulDiv(amount, end.rewardPerToken - r, scale);
                w = SLASH_SCALE * end.apyAccumulator;
                r = end.rewardPerToken;
            }
            amount = Math.mulDiv(amount, end.scale, scale);
            scale = SLASH_SCALE;
            ++epoch;
        }
        if (earning) {
            (c.scale, c.apyWeighted) = _scaleOf(nodeId, n, acc);
            c.rewardPerToken = nodeRewardPerToken[nodeId];
        } else {
            c.scale = n.scaled ? _slashScales[nodeId].scale : SLASH_SCALE;
        }
        if (c.scale != scale) c.moved = true;
        if (epoch == n.epoch && amount > 0) {
            if (earning) {
                c.apyAmount += Math.mulDiv(amount * s, c.apyWeighted - w, scale * WAD * WAD);
                c.nodeAmount += Math.mulDiv(amount, c.rewardPerToken - r, scale);
            }
            if (c.scale != scale) amount = Math.mulDiv(amount, c.scale, scale);
        }
        c.amount = amount;
    }

    /// Moves settled rewards into the owner's unclaimed balances.
    function _credit(uint256 delegationId, address owner, Settled memory c) private {
        if (c.apyAmount == 0 && c.nodeAmount == 0) return;
        unclaimedApy[owner] += c.apyAmount;
        unclaimedNodeRewards[owner] += c.nodeAmount;
        emit RewardsSettled(delegationId, owner, c.apyAmount, c.nodeAmount);
    }

    /// Writes a catch-up: the slash loss off the delegation and its lock, the new checkpoints
    /// (the reward checkpoints only while the delegation keeps earning).
    function _writeSettlement(
        uint256 delegationId,
        DelegationPosition storage d,
        NodeStake memory n,
        Settled memory c,
        bool keepsEarning
    ) private {
        if (keepsEarning) {
            d.apyCheckpoint = c.apyWeighted;
            d.nodeCheckpoint = c.rewardPerToken;
        }
        if (!c.moved) return; // no slash since the checkpoint: amount, epoch and scale stand
        uint256 before = d.amount;
        if (c.amount != before) {
            uint256 loss = before - c.amount; // amounts only shrink
            uint256 lockId = d.lockId;
            // forge-lint: disable-next-line(unsafe-typecast)
            d.amount = uint96(c.amount);
            // forge-lint: disable-next-line(unsafe-typecast)
            _locks[lockId].amount -= uint128(loss); // ≤ the delegation's amount ≤ the lock's amount
            emit SlashLossSettled(delegationId, lockId, loss, c.amount);
        }
        d.slashEpoch = n.epoch;
        // forge-lint: disable-next-line(unsafe-typecast)
        d.slashScale = uint120(c.scale); // ≤ SLASH_SCALE
    }

    /// Stores a node's stake in one SSTORE (the compiler would read-modify-write the slot once per
    /// field). The layout is Solidity's own packing of NodeStake, lowest bits first.
    function _storeStake(uint256 nodeId, NodeStake memory n) private {
        NodeStake storage slot_ = _stakes[nodeId];
        uint256 packed = uint256(n.delegated) | (uint256(n.undelegated) << 96) | (uint256(n.activeCount) << 192)
            | (uint256(n.epoch) << 224) | (n.scaled ? uint256(1) << 248 : 0);
        assembly ("memory-safe") {
            sstore(slot_.slot, packed)
        }
    }

    function _accrue() private {
        uint256 last = lastAccrual;
        if (block.timestamp == last) return;
        uint256 apy = maxApy(collateralisationRate());
        uint256 acc = apyAccumulator + apy * (block.timestamp - last) / (100 * YEAR);
        apyAccumulator = acc;
        lastAccrual = block.timestamp;
        emit ApyAccrued(acc, block.timestamp, apy);
    }

    function _accumulatorAt(uint256 timestamp) private view returns (uint256) {
        return apyAccumulator + maxApy(collateralisationRate()) * (timestamp - lastAccrual) / (100 * YEAR);
    }

    function _checkDelegatable(uint256 nodeId) private view {
        ScalerNodeStatus status = registry.scalerNodeStatus(nodeId);
        if (status != ScalerNodeStatus.Validated && status != ScalerNodeStatus.Booked) {
            revert NodeNotDelegatable(nodeId, status);
        }
    }

    function _ownedLock(uint256 lockId) private view returns (LockPosition storage l) {
        l = _locks[lockId];
        if (l.owner == address(0)) revert UnknownLock(lockId);
        if (l.owner != msg.sender) revert NotOwner(msg.sender, l.owner);
    }

    function _delegationOf(uint256 delegationId) private view returns (DelegationPosition storage d) {
        d = _delegations[delegationId];
        if (d.status == DelegationStatus.None) revert UnknownDelegation(delegationId);
    }
}

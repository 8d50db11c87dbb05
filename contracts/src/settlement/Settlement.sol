// SPDX-License-Identifier: MIT
// Era settlement: the satellite committee commits each era's results; cumulative leaves pay, slash and expire.
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ProtocolRoles} from "../common/ProtocolRoles.sol";
import {HUNDRED_PERCENT} from "../common/Units.sol";
import {ISettlement, NodeLeaf} from "../interfaces/ISettlement.sol";
import {IEraManager} from "../interfaces/IEraManager.sol";
import {IRegistry} from "../interfaces/IRegistry.sol";
import {ICollateral} from "../interfaces/ICollateral.sol";
import {IDelegation} from "../interfaces/IDelegation.sol";
import {ICapacityMarket} from "../interfaces/ICapacityMarket.sol";
import {IReservePool} from "../interfaces/IReservePool.sol";
import {ICNLink} from "../link/ICNLink.sol";
import {ResultLeaves} from "./ResultLeaves.sol";

/// @notice What Settlement keeps per ScalerNode (two slots).
struct NodeSettlement {
    uint128 claimedUtilisation; // cumulative utilisation paid (escrow released)
    uint128 claimedSubsidy; // cumulative capacity subsidy paid
    uint128 slashRecorded; // highest cumulative slash applied so far
    uint128 slashTaken; // ICNT actually taken (collateral + delegation); slashRecorded − slashTaken is owed
}

/// @notice How one HP reward claim is paid out (memory only).
struct HpPayout {
    address hp; // the node's HP owner
    uint256 toCollateral; // into node collateral (while short)
    uint256 toDelegators; // the delegators' share (Delegation's node reward accumulator)
    uint256 toHp; // the HP's part
}

/// @notice A node's maintenance allowance: `usedEras` declared since `windowStartEra`.
struct MaintenanceWindow {
    uint64 windowStartEra;
    uint64 usedEras;
}

/// @title Settlement
/// @notice Turns the satellites' era results into payments and penalties (DESIGN §7, §8; spec §9,
/// §10.6, §11). A governance-set committee of n signer addresses commits, era after era, an EIP-712
/// signed {era, resultsRoot, dataRoot} with at least t distinct signatures. The results tree holds
/// cumulative leaves since genesis: per ScalerNode (utilisation, subsidy, slashed, booking) and per ICN
/// Link staking bundle (reward). Anyone may submit a leaf with its proof against any committed era:
/// `claimHpRewards` pays the increase since the last claim (escrow, which this contract holds for the
/// CapacityMarket, and subsidy from the Rewards Reserve; into collateral while the node is short, then the
/// delegators' share, then the HP), `claimLinkRewards` pays a bundle's increase from the Link reward pool, `applySlash` takes the
/// increase of the slashed total from collateral first, then from delegations. Every operation costs
/// the same whatever the number of eras a leaf covers or the number of nodes. The claim delays are ages
/// in eras: a leaf pays once `hpClaimDelayEras` (Link: `linkClaimWaitEras`) more eras have been committed
/// after its own, and then pays at once — rewards reach their owner that many eras after they were
/// earned, with no queue to keep and no second transaction.
/// @dev Grants this contract needs (the deployer makes them): PROTOCOL on Collateral (creditCollateral,
/// slash) and Delegation (creditNodeRewards, slash); an allowance on the Rewards Reserve and the Link
/// reward pool (`ReservePool.setSpender`), which claims draw from with transferFrom.
/// Builders' escrow lives here: the market sends booking prices to this contract and refunds from it with
/// the allowance this contract gives the market; a claim releases at most `market.escrowLimit` in all.
contract Settlement is ISettlement, ProtocolRoles, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// EIP-712 type of what the committee signs.
    bytes32 public constant ERA_RESULT_TYPEHASH =
        keccak256("EraResult(uint64 era,bytes32 resultsRoot,bytes32 dataRoot)");
    /// Largest committee (the signer set is a 16-bit mask).
    uint256 public constant MAX_COMMITTEE = 16;
    /// Bound of hpClaimDelayEras and linkClaimWaitEras (a year of 30-second eras; 120 years of 1-hour eras).
    uint256 public constant MAX_CLAIM_DELAY_ERAS = 1_051_200;
    /// Bounds of erasPer30Days: 30 days of eras from 1 h down to 1 s.
    uint256 public constant MIN_ERAS_PER_30_DAYS = 1;
    uint256 public constant MAX_ERAS_PER_30_DAYS = 2_592_000;

    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IERC20 public immutable icnt;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IEraManager public immutable eras;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IRegistry public immutable registry;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    ICollateral public immutable collateral;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IDelegation public immutable delegation;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IReservePool public immutable rewardsReserve;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IReservePool public immutable linkRewardPool;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    ICNLink public immutable links;
    /// The first era the committee commits.
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    uint64 public immutable firstEra;

    // ---- one slot, read by every commit and HP claim
    /// Builder escrow (set once: the market and this contract name each other).
    ICapacityMarket public market;
    uint64 private _nextEra; // the era commitEra accepts next
    uint32 private _hpClaimDelayEras = 168; // 7 days of 1-hour eras; ≤ MAX_CLAIM_DELAY_ERAS < 2^32

    // ---- the other parameters (one slot; each bounded well below 2^32)
    uint8 private _threshold; // t: signatures needed (0: no committee yet)
    uint32 private _linkClaimWaitEras = 2_160; // 90 days of 1-hour eras
    uint32 private _erasPer30Days = 720;
    uint32 private _maxMaintenanceEras = 48;

    address[] private _members;
    mapping(address member => uint256) private _memberIndexPlusOne;

    // ---- results and claims
    mapping(uint256 era => bytes32) private _resultsRoots;
    mapping(uint256 era => bytes32) private _dataRoots;
    mapping(uint256 nodeId => NodeSettlement) private _nodes;
    mapping(uint256 bundleId => uint256) private _claimedLink;
    mapping(uint256 nodeId => MaintenanceWindow) private _maintenance;

    /// Governance replaced the committee.
    event CommitteeSet(address[] members, uint8 threshold);
    /// The results of `era` were committed by `submitter` with the signatures of the members in `signerMask` (bit i = member i).
    event EraCommitted(
        uint64 indexed era, bytes32 resultsRoot, bytes32 dataRoot, address indexed submitter, uint256 signerMask
    );
    /// Node `nodeId`'s rewards up to the leaf of `era` were paid: `utilisation` from escrow and `subsidy`
    /// from the Rewards Reserve (the increases), split into collateral, delegators and the HP `hp`.
    event HpRewardsClaimed(
        uint256 indexed nodeId,
        uint64 indexed era,
        address indexed hp,
        uint256 utilisation,
        uint256 subsidy,
        uint256 toCollateral,
        uint256 toDelegators,
        uint256 toHp
    );
    /// Bundle `bundleId`'s Link rewards up to the leaf of `era` were paid: `amount` to `owner`.
    event LinkRewardsClaimed(uint256 indexed bundleId, uint64 indexed era, address indexed owner, uint256 amount);
    /// Node `nodeId`'s slash up to the cumulative `slashed` of `era`'s leaf: `fromCollateral` and
    /// `fromDelegation` went to the Treasury; `owed` is still to take (collateral only).
    event SlashApplied(
        uint256 indexed nodeId,
        uint64 indexed era,
        uint256 slashed,
        uint256 fromCollateral,
        uint256 fromDelegation,
        uint256 owed
    );
    /// The HP announced that node `nodeId` is in maintenance for `eraCount` eras from `startEra`.
    event MaintenanceDeclared(uint256 indexed nodeId, uint64 startEra, uint64 eraCount);
    event MarketSet(address market);
    event HpClaimDelaySet(uint256 eras_);
    event LinkClaimWaitSet(uint256 eras_);
    event ErasPer30DaysSet(uint256 eras_);
    event MaxMaintenanceErasSet(uint256 eras_);

    /// A committee of `size` members (1 … 16) with threshold `threshold` (1 … size) was asked for.
    error InvalidCommittee(uint256 size, uint256 threshold);
    /// `member` appears twice in a committee.
    error DuplicateMember(address member);
    /// No committee has been set yet.
    error NoCommittee();
    /// Eras are committed in order: `era` was given, `expected` is next.
    error EraOutOfOrder(uint64 era, uint64 expected);
    /// Era `era` ends at block `endBlock` (now `blockNumber`): its results can only be committed after.
    error EraNotEnded(uint64 era, uint256 endBlock, uint256 blockNumber);
    /// Signature number `index` is not a valid 65-byte low-s ECDSA signature.
    error MalformedSignature(uint256 index);
    /// Signature number `index` recovers to `signer`, not a committee member (wrong key, era, chain or contract).
    error NotCommitteeMember(uint256 index, address signer);
    /// Signature number `index` is a second signature of `signer`.
    error DuplicateSigner(uint256 index, address signer);
    /// `count` valid signatures, `threshold` needed.
    error TooFewSignatures(uint256 count, uint256 threshold);
    /// Era `era` is not committed (the last committed era is `lastCommitted`; type(uint64).max: none yet).
    error EraNotCommitted(uint64 era, uint64 lastCommitted);
    /// The leaf is not in the results root of the era given.
    error InvalidProof();
    /// A leaf of `era` does not pay yet: with the claim delay (in eras), leaves of eras up to `lastClaimable`
    /// pay now (type(uint64).max: none yet).
    error LeafTooRecent(uint64 era, uint64 lastClaimable);
    /// The leaf for node or bundle `id` adds nothing: cumulative `leafAmount` ≤ `settled` already.
    error StaleLeaf(uint256 id, uint256 leafAmount, uint256 settled);
    /// The CapacityMarket has not been set (needed to release escrow).
    error MarketNotSet();
    /// Node `nodeId`'s cumulative utilisation `utilisation` exceeds what Builders paid into its escrow
    /// (`limit`, refunds deducted): the committed results release more than there is.
    error EscrowExceeded(uint256 nodeId, uint256 utilisation, uint256 limit);
    /// The CapacityMarket is set once; it is `market`.
    error MarketAlreadySet(address market);
    /// Bundle `bundleId` does not exist.
    error UnknownBundle(uint256 bundleId);
    /// Only the HP owning node `nodeId` (`owner`) may do this, not `caller`.
    error NotNodeOwner(uint256 nodeId, address caller, address owner);
    /// Maintenance must be announced at least one era ahead: `startEra` < `earliestEra`.
    error MaintenanceTooSoon(uint64 startEra, uint256 earliestEra);
    /// A maintenance declaration of zero eras.
    error ZeroEraCount();
    /// Node `nodeId` has used `usedEras` of its `maxEras` maintenance eras in this 30-day window; `eraCount` more do not fit.
    error MaintenanceCapExceeded(uint256 nodeId, uint256 usedEras, uint256 eraCount, uint256 maxEras);
    /// A parameter outside [min, max].
    error ParameterOutOfRange(uint256 value, uint256 min, uint256 max);

    /// @param admin receives the admin, governance, operator and emergency roles
    /// @param icnt_ the ICNT token
    /// @param eras_ the era clock
    /// @param registry_ node owners, statuses and delegator shares
    /// @param collateral_ node collateral (shortfall, diversion, slashing)
    /// @param delegation_ delegations (delegators' share of node rewards, slashing)
    /// @param market_ the CapacityMarket whose Builder escrow this contract holds, or zero to set it later with `setMarket`
    /// @param rewardsReserve_ pays the capacity subsidy
    /// @param linkRewardPool_ pays Link rewards
    /// @param links_ ICN Link (bundle owners)
    /// @param firstEra_ the first era the committee will commit
    constructor(
        address admin,
        IERC20 icnt_,
        IEraManager eras_,
        IRegistry registry_,
        ICollateral collateral_,
        IDelegation delegation_,
        ICapacityMarket market_,
        IReservePool rewardsReserve_,
        IReservePool linkRewardPool_,
        ICNLink links_,
        uint64 firstEra_
    ) ProtocolRoles(admin) EIP712("ICN", "1") {
        if (
            address(icnt_) == address(0) || address(eras_) == address(0) || address(registry_) == address(0)
                || address(collateral_) == address(0) || address(delegation_) == address(0)
                || address(rewardsReserve_) == address(0) || address(linkRewardPool_) == address(0)
                || address(links_) == address(0)
        ) revert ZeroAddress();
        icnt = icnt_;
        eras = eras_;
        registry = registry_;
        collateral = collateral_;
        delegation = delegation_;
        rewardsReserve = rewardsReserve_;
        linkRewardPool = linkRewardPool_;
        links = links_;
        firstEra = firstEra_;
        _nextEra = firstEra_;
        if (address(market_) != address(0)) _setMarket(market_);
    }

    // ------------------------------------------------------------------ era results

    /// @notice Commits the results of `era`: anyone may submit once the era has ended, with at least
    /// t signatures of distinct committee members over the EIP-712 `EraResult(era, resultsRoot, dataRoot)`
    /// in the domain {name "ICN", version "1", chainId, this contract}.
    /// @param era lastCommittedEra + 1 (the first time: `firstEra`)
    /// @param resultsRoot root of the era's cumulative results tree (node and Link leaves)
    /// @param dataRoot root over every batch the satellites accepted for the era (for `icn verify-era`)
    /// @param signatures 65-byte (r, s, v) signatures in any order, one per member
    function commitEra(uint64 era, bytes32 resultsRoot, bytes32 dataRoot, bytes[] calldata signatures)
        external
        whenNotPaused
    {
        uint64 expected = _nextEra;
        uint256 threshold = _threshold;
        if (threshold == 0) revert NoCommittee();
        if (era != expected) revert EraOutOfOrder(era, expected);
        uint256 endBlock = eras.eraStartBlock(uint256(era) + 1);
        if (block.number < endBlock) revert EraNotEnded(era, endBlock, block.number);

        uint256 n = signatures.length;
        if (n < threshold) revert TooFewSignatures(n, threshold);
        bytes32 digest = eraResultDigest(era, resultsRoot, dataRoot);
        uint256 mask;
        for (uint256 i; i < n; ++i) {
            (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signatures[i]);
            if (err != ECDSA.RecoverError.NoError) revert MalformedSignature(i);
            uint256 indexPlusOne = _memberIndexPlusOne[signer];
            if (indexPlusOne == 0) revert NotCommitteeMember(i, signer);
            // forge-lint: disable-next-line(incorrect-shift)
            uint256 bit = 1 << (indexPlusOne - 1); // member index < 16
            if (mask & bit != 0) revert DuplicateSigner(i, signer);
            mask |= bit;
        }

        _resultsRoots[era] = resultsRoot;
        _dataRoots[era] = dataRoot;
        _nextEra = era + 1;
        emit EraCommitted(era, resultsRoot, dataRoot, msg.sender, mask);
    }

    /// @inheritdoc ISettlement
    function lastCommittedEra() public view returns (uint64) {
        uint64 next = _nextEra;
        return next == firstEra ? type(uint64).max : next - 1;
    }

    /// @inheritdoc ISettlement
    function verifyNodeLeaf(uint64 era, NodeLeaf calldata leaf, bytes32[] calldata proof) external view returns (bool) {
        if (!_isCommitted(era)) return false;
        return MerkleProof.verifyCalldata(proof, _resultsRoots[era], ResultLeaves.nodeLeafHash(leaf));
    }

    /// @notice True when the Link leaf (bundleId, reward) with `proof` is in the committed results root of `era`.
    /// @param era a committed era
    /// @param bundleId the ICN Link staking bundle
    /// @param reward its cumulative Link reward up to `era`
    /// @param proof the StandardMerkleTree proof
    /// @return whether the leaf is in the root
    function verifyLinkLeaf(uint64 era, uint256 bundleId, uint256 reward, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        if (!_isCommitted(era)) return false;
        return MerkleProof.verifyCalldata(proof, _resultsRoots[era], ResultLeaves.linkLeafHash(bundleId, reward));
    }

    // ------------------------------------------------------------------ claims

    /// @notice Pays node `leaf.nodeId`'s rewards earned since its last claim, up to the cumulative
    /// `leaf` of a committed era: Δ utilisation from the node's Builder escrow (held here; the cumulative
    /// utilisation may not exceed `market.escrowLimit`), Δ subsidy from the Rewards Reserve. Of the sum: into the node's collateral while it is short, then nodeRewardShare
    /// of the rest to its delegators (if any), the rest to the HP owner, all at once. Anyone may call; the
    /// HP is paid.
    /// @param era a committed era at least `hpClaimDelayEras` before the last committed one (an older root
    /// only pays less)
    /// @param leaf the node's cumulative leaf in that era's results
    /// @param proof its StandardMerkleTree proof
    function claimHpRewards(uint64 era, NodeLeaf calldata leaf, bytes32[] calldata proof)
        external
        whenNotPaused
        nonReentrant
    {
        _verify(era, ResultLeaves.nodeLeafHash(leaf), proof);
        _checkAge(era, _hpClaimDelayEras);
        uint256 nodeId = leaf.nodeId;
        NodeSettlement storage s = _nodes[nodeId];
        uint256 claimedU = s.claimedUtilisation;
        uint256 claimedS = s.claimedSubsidy;
        // An older leaf never lowers what was claimed: each part pays only its increase.
        uint256 du = leaf.utilisation > claimedU ? leaf.utilisation - claimedU : 0;
        uint256 ds = leaf.subsidy > claimedS ? leaf.subsidy - claimedS : 0;
        if (du == 0 && ds == 0) revert StaleLeaf(nodeId, leaf.utilisation + leaf.subsidy, claimedU + claimedS);
        if (du > 0) {
            ICapacityMarket m = market;
            if (address(m) == address(0)) revert MarketNotSet();
            uint256 limit = m.escrowLimit(nodeId);
            if (leaf.utilisation > limit) revert EscrowExceeded(nodeId, leaf.utilisation, limit);
            s.claimedUtilisation = SafeCast.toUint128(leaf.utilisation);
        }
        if (ds > 0) s.claimedSubsidy = SafeCast.toUint128(leaf.subsidy);
        _payHpRewards(nodeId, era, du, ds);
    }

    /// @notice Pays ICN Link bundle `bundleId`'s rewards earned since its last claim, up to the
    /// cumulative `reward` of a committed era, from the Link reward pool to the bundle's owner. Anyone may
    /// call; the owner is paid.
    /// @param era a committed era at least `linkClaimWaitEras` before the last committed one
    /// @param bundleId the staking bundle
    /// @param reward its cumulative Link reward in that era's results
    /// @param proof the StandardMerkleTree proof of the Link leaf
    function claimLinkRewards(uint64 era, uint256 bundleId, uint256 reward, bytes32[] calldata proof)
        external
        whenNotPaused
        nonReentrant
    {
        _verify(era, ResultLeaves.linkLeafHash(bundleId, reward), proof);
        _checkAge(era, _linkClaimWaitEras);
        uint256 claimed = _claimedLink[bundleId];
        if (reward <= claimed) revert StaleLeaf(bundleId, reward, claimed);
        _claimedLink[bundleId] = reward;
        address owner = links.bundle(bundleId).owner;
        if (owner == address(0)) revert UnknownBundle(bundleId);
        uint256 amount = reward - claimed;
        emit LinkRewardsClaimed(bundleId, era, owner, amount);
        icnt.safeTransferFrom(address(linkRewardPool), owner, amount);
    }

    /// @notice Applies node `leaf.nodeId`'s slashes up to the cumulative `leaf.slashed` of a committed
    /// era: the increase over what was applied before, plus what earlier slashes could not take, is taken
    /// from the node's collateral first; what the collateral cannot cover of the increase is taken from
    /// the ICNT delegated to the node (pro rata). Both go to the Treasury. What neither could cover stays
    /// owed and is taken from collateral by a later call (never from delegators: they only answer for a
    /// slash when it is first applied). Anyone may call.
    /// @param era any committed era
    /// @param leaf the node's cumulative leaf in that era's results
    /// @param proof its StandardMerkleTree proof
    function applySlash(uint64 era, NodeLeaf calldata leaf, bytes32[] calldata proof)
        external
        whenNotPaused
        nonReentrant
    {
        _verify(era, ResultLeaves.nodeLeafHash(leaf), proof);
        uint256 nodeId = leaf.nodeId;
        NodeSettlement storage s = _nodes[nodeId];
        uint256 recorded = s.slashRecorded;
        uint256 taken = s.slashTaken;
        uint256 slashed = leaf.slashed;
        if (slashed <= taken) revert StaleLeaf(nodeId, slashed, taken);
        uint256 newDebt;
        if (slashed > recorded) {
            newDebt = slashed - recorded;
            recorded = slashed;
            s.slashRecorded = SafeCast.toUint128(slashed);
        }
        uint256 due = slashed - taken;
        uint256 fromCollateral = collateral.slash(nodeId, due);
        uint256 left = due - fromCollateral;
        if (left > newDebt) left = newDebt;
        uint256 fromDelegation;
        if (left > 0) fromDelegation = delegation.slash(nodeId, left);
        taken += fromCollateral + fromDelegation;
        s.slashTaken = SafeCast.toUint128(taken);
        emit SlashApplied(nodeId, era, slashed, fromCollateral, fromDelegation, recorded - taken);
    }

    // ------------------------------------------------------------------ maintenance

    /// @notice Announces that node `nodeId` is in maintenance for eras startEra … startEra + eraCount − 1:
    /// the satellites count those eras neither UP nor DOWN (no reward, never slashed). HP owner only; at
    /// least one era ahead; at most `maxMaintenanceEras` eras per window of `erasPer30Days` eras (a window
    /// starts with the first declaration at or after the end of the previous one).
    /// @param nodeId a node of the caller
    /// @param startEra ≥ currentEra + 1
    /// @param eraCount ≥ 1
    function declareMaintenance(uint256 nodeId, uint64 startEra, uint64 eraCount) external whenNotPaused {
        address owner = registry.scalerNodeOwner(nodeId);
        if (msg.sender != owner) revert NotNodeOwner(nodeId, msg.sender, owner);
        uint256 earliest = eras.currentEra() + 1;
        if (startEra < earliest) revert MaintenanceTooSoon(startEra, earliest);
        if (eraCount == 0) revert ZeroEraCount();
        MaintenanceWindow storage w = _maintenance[nodeId];
        uint256 windowStart = w.windowStartEra;
        uint256 used = w.usedEras;
        if (used == 0 || startEra >= windowStart + _erasPer30Days) {
            windowStart = startEra;
            used = 0;
        }
        uint256 cap = _maxMaintenanceEras;
        if (used + eraCount > cap) revert MaintenanceCapExceeded(nodeId, used, eraCount, cap);
        w.windowStartEra = SafeCast.toUint64(windowStart);
        w.usedEras = SafeCast.toUint64(used + eraCount);
        emit MaintenanceDeclared(nodeId, startEra, eraCount);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Replaces the satellite committee. GOVERNANCE.
    /// @param members 1 … 16 distinct non-zero signer addresses (member i is bit i of a signer mask)
    /// @param threshold signatures needed per era, 1 … members.length
    function setCommittee(address[] calldata members, uint8 threshold) external onlyRole(GOVERNANCE_ROLE) {
        uint256 n = members.length;
        if (n == 0 || n > MAX_COMMITTEE || threshold == 0 || threshold > n) revert InvalidCommittee(n, threshold);
        uint256 old = _members.length;
        for (uint256 i; i < old; ++i) {
            delete _memberIndexPlusOne[_members[i]];
        }
        delete _members;
        for (uint256 i; i < n; ++i) {
            address m = members[i];
            if (m == address(0)) revert ZeroAddress();
            if (_memberIndexPlusOne[m] != 0) revert DuplicateMember(m);
            _memberIndexPlusOne[m] = i + 1;
            _members.push(m);
        }
        _threshold = threshold;
        emit CommitteeSet(members, threshold);
    }

    /// @notice Sets the CapacityMarket once, when it was not known at construction. GOVERNANCE.
    /// @param market_ the market (non-zero)
    function setMarket(ICapacityMarket market_) external onlyRole(GOVERNANCE_ROLE) {
        if (address(market_) == address(0)) revert ZeroAddress();
        if (address(market) != address(0)) revert MarketAlreadySet(address(market));
        _setMarket(market_);
    }

    /// @notice Sets the HP claim delay: a node leaf pays once this many eras have been committed after its
    /// own. GOVERNANCE.
    /// @param value eras, 0 … MAX_CLAIM_DELAY_ERAS
    function setHpClaimDelay(uint256 value) external onlyRole(GOVERNANCE_ROLE) {
        _hpClaimDelayEras = _bounded(value, 0, MAX_CLAIM_DELAY_ERAS);
        emit HpClaimDelaySet(value);
    }

    /// @notice Sets the Link claim wait: a Link leaf pays once this many eras have been committed after its
    /// own. GOVERNANCE.
    /// @param value eras, 0 … MAX_CLAIM_DELAY_ERAS
    function setLinkClaimWait(uint256 value) external onlyRole(GOVERNANCE_ROLE) {
        _linkClaimWaitEras = _bounded(value, 0, MAX_CLAIM_DELAY_ERAS);
        emit LinkClaimWaitSet(value);
    }

    /// @notice Sets the number of eras in 30 days (the maintenance window). GOVERNANCE.
    /// @param value MIN_ERAS_PER_30_DAYS … MAX_ERAS_PER_30_DAYS
    function setErasPer30Days(uint256 value) external onlyRole(GOVERNANCE_ROLE) {
        _erasPer30Days = _bounded(value, MIN_ERAS_PER_30_DAYS, MAX_ERAS_PER_30_DAYS);
        emit ErasPer30DaysSet(value);
    }

    /// @notice Sets the maintenance eras a node may declare per window. GOVERNANCE.
    /// @param value 0 (no maintenance) … MAX_ERAS_PER_30_DAYS
    function setMaxMaintenanceEras(uint256 value) external onlyRole(GOVERNANCE_ROLE) {
        _maxMaintenanceEras = _bounded(value, 0, MAX_ERAS_PER_30_DAYS);
        emit MaxMaintenanceErasSet(value);
    }

    // ------------------------------------------------------------------ views

    /// @notice Eras that must be committed after a node leaf's era before the leaf pays (0: at once).
    /// @return eras
    function hpClaimDelay() external view returns (uint256) {
        return _hpClaimDelayEras;
    }

    /// @notice Eras that must be committed after a Link leaf's era before the leaf pays (0: at once).
    /// @return eras
    function linkClaimWait() external view returns (uint256) {
        return _linkClaimWaitEras;
    }

    /// @notice Eras in 30 days: the length of a node's maintenance window.
    /// @return eras
    function erasPer30Days() external view returns (uint256) {
        return _erasPer30Days;
    }

    /// @notice Maintenance eras a node may declare per window.
    /// @return eras
    function maxMaintenanceEras() external view returns (uint256) {
        return _maxMaintenanceEras;
    }

    /// @notice The EIP-712 digest the committee signs for an era's results.
    /// @param era the era
    /// @param resultsRoot the results root
    /// @param dataRoot the data root
    /// @return the digest (domain {name "ICN", version "1", chainId, this contract})
    function eraResultDigest(uint64 era, bytes32 resultsRoot, bytes32 dataRoot) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(ERA_RESULT_TYPEHASH, era, resultsRoot, dataRoot)));
    }

    /// @notice The EIP-712 domain separator of this contract.
    /// @return the separator
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice The roots committed for `era` (zero when not committed).
    /// @param era the era
    /// @return resultsRoot the results tree root
    /// @return dataRoot the root over the era's accepted batches
    function eraRoots(uint64 era) external view returns (bytes32 resultsRoot, bytes32 dataRoot) {
        return (_resultsRoots[era], _dataRoots[era]);
    }

    /// @notice The committee and its threshold.
    /// @return members the signer addresses (member i is bit i of EraCommitted's signerMask)
    /// @return threshold signatures needed per era
    function committee() external view returns (address[] memory members, uint8 threshold) {
        return (_members, _threshold);
    }

    /// @notice True when `account` is a committee member.
    /// @param account any address
    /// @return membership
    function isCommitteeMember(address account) external view returns (bool) {
        return _memberIndexPlusOne[account] != 0;
    }

    /// @notice What node `nodeId` has been paid and slashed so far.
    /// @param nodeId the node
    /// @return the record: cumulative utilisation and subsidy claimed, slash applied and taken
    function nodeSettlement(uint256 nodeId) external view returns (NodeSettlement memory) {
        return _nodes[nodeId];
    }

    /// @inheritdoc ISettlement
    /// @param nodeId the node
    /// @return utilisation ICNT released from escrow so far
    /// @return subsidy ICNT paid from the Rewards Reserve so far
    function claimedHpRewards(uint256 nodeId) external view returns (uint256 utilisation, uint256 subsidy) {
        NodeSettlement storage s = _nodes[nodeId];
        return (s.claimedUtilisation, s.claimedSubsidy);
    }

    /// @notice Cumulative Link reward paid for bundle `bundleId`.
    /// @param bundleId the staking bundle
    /// @return ICNT claimed so far
    function claimedLinkRewards(uint256 bundleId) external view returns (uint256) {
        return _claimedLink[bundleId];
    }

    /// @notice Slash still owed by node `nodeId` (applied but not covered by its collateral or delegations).
    /// @param nodeId the node
    /// @return ICNT base units
    function slashOwed(uint256 nodeId) external view returns (uint256) {
        NodeSettlement storage s = _nodes[nodeId];
        return s.slashRecorded - s.slashTaken;
    }

    /// @notice Node `nodeId`'s current maintenance window.
    /// @param nodeId the node
    /// @return the window (first era, eras declared in it)
    function maintenanceWindow(uint256 nodeId) external view returns (MaintenanceWindow memory) {
        return _maintenance[nodeId];
    }

    /// @notice The StandardMerkleTree leaf hash of a node leaf (what the satellites put in the tree).
    /// @param leaf the leaf
    /// @return the hash
    function nodeLeafHash(NodeLeaf calldata leaf) external pure returns (bytes32) {
        return ResultLeaves.nodeLeafHash(leaf);
    }

    /// @notice The StandardMerkleTree leaf hash of a Link leaf.
    /// @param bundleId the bundle
    /// @param reward its cumulative reward
    /// @return the hash
    function linkLeafHash(uint256 bundleId, uint256 reward) external pure returns (bytes32) {
        return ResultLeaves.linkLeafHash(bundleId, reward);
    }

    // ------------------------------------------------------------------ internals

    function _isCommitted(uint64 era) private view returns (bool) {
        return era >= firstEra && era < _nextEra;
    }

    function _verify(uint64 era, bytes32 leafHash, bytes32[] calldata proof) private view {
        if (!_isCommitted(era)) revert EraNotCommitted(era, lastCommittedEra());
        if (!MerkleProof.verifyCalldata(proof, _resultsRoots[era], leafHash)) revert InvalidProof();
    }

    /// A committed `era` pays once `delayEras` more eras are committed after it.
    function _checkAge(uint64 era, uint256 delayEras) private view {
        uint256 last = uint256(_nextEra) - 1; // ≥ era: the era is committed
        if (uint256(era) + delayEras > last) {
            revert LeafTooRecent(era, last >= delayEras ? SafeCast.toUint64(last - delayEras) : type(uint64).max);
        }
    }

    /// `value` as a 32-bit parameter, reverting outside [min, max] (every max here is below 2^32).
    function _bounded(uint256 value, uint256 min, uint256 max) private pure returns (uint32) {
        if (value < min || value > max) revert ParameterOutOfRange(value, min, max);
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint32(value);
    }

    /// The market books into escrow held here and refunds from it (an unlimited allowance is never
    /// decremented by the OpenZeppelin ERC-20; the market caps each refund at the node's escrow).
    function _setMarket(ICapacityMarket market_) private {
        market = market_;
        emit MarketSet(address(market_));
        icnt.forceApprove(address(market_), type(uint256).max);
    }

    /// Splits Δu + Δs into collateral, delegators and the HP, and moves the ICNT: each part leaves once,
    /// pushed to its destination (Collateral and Delegation are then credited), so a claim costs a few
    /// transfers whatever the split.
    function _payHpRewards(uint256 nodeId, uint64 era, uint256 du, uint256 ds) private {
        HpPayout memory p;
        uint256 share;
        (p.hp, share) = registry.scalerNodePayee(nodeId);
        uint256 total = du + ds;
        uint256 shortfall = collateral.shortfall(nodeId);
        p.toCollateral = shortfall < total ? shortfall : total;
        if (p.toCollateral < total && share != 0 && delegation.delegatedTo(nodeId) != 0) {
            p.toDelegators = (total - p.toCollateral) * share / HUNDRED_PERCENT;
        }
        p.toHp = total - p.toCollateral - p.toDelegators;
        emit HpRewardsClaimed(nodeId, era, p.hp, du, ds, p.toCollateral, p.toDelegators, p.toHp);
        if (p.toHp == total) {
            // Everything goes to the HP now: straight from the escrow here and the Rewards Reserve.
            if (du != 0) icnt.safeTransfer(p.hp, du);
            if (ds != 0) icnt.safeTransferFrom(address(rewardsReserve), p.hp, ds);
            return;
        }
        if (ds != 0) icnt.safeTransferFrom(address(rewardsReserve), address(this), ds);
        if (p.toCollateral != 0) {
            icnt.safeTransfer(address(collateral), p.toCollateral);
            collateral.creditCollateral(nodeId, p.toCollateral);
        }
        if (p.toDelegators != 0) {
            icnt.safeTransfer(address(delegation), p.toDelegators);
            delegation.creditNodeRewards(nodeId, p.toDelegators);
        }
        if (p.toHp != 0) icnt.safeTransfer(p.hp, p.toHp);
    }
}

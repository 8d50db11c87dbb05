// SPDX-License-Identifier: MIT
// ICN Link (ICNL): the 55,000 ERC-721 Links and their staking to HyperNodes, which makes a HyperNode active.
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ProtocolRoles} from "../common/ProtocolRoles.sol";
import {IICNLink} from "../interfaces/IICNLink.sol";
import {IRegistry} from "../interfaces/IRegistry.sol";
import {IEraManager} from "../interfaces/IEraManager.sol";

/// @title ICNLink
/// @notice The ICN Link NFT (spec §11). A holder stakes 1..100 Links to a registered HyperNode in one
/// bundle; a HyperNode is active while at least one Link is staked to it, at most 400. The holder keeps
/// ownership, but a Link in a bundle (staked or unstaking) cannot be transferred. Unstaking: after the
/// minimum staking period the owner initiates (the bundle stops counting at once) and completes it
/// `unstakingDelayEras` eras later, which frees the Links. Link rewards are paid elsewhere (settlement),
/// from the events and views here.
/// @dev Token ids are 1..55,000, so a bundle stores them as uint16 and the token → bundle index is a
/// packed uint32 array (8 tokens per storage slot): staking consecutive ids writes few slots.
contract ICNLink is ERC721, ProtocolRoles, IICNLink {
    /// @notice Lifecycle of a bundle: Staked → Unstaking → Unstaked.
    enum BundleStatus {
        None,
        Staked,
        Unstaking,
        Unstaked
    }

    /// @notice Links staked together to one HyperNode (the token ids are in `bundleTokenIds`).
    struct Bundle {
        address owner;
        uint64 stakedAt; // block timestamp of the stake
        uint16 tokenCount;
        BundleStatus status;
        uint64 stakedEra; // era of the stake
        uint64 unstakeEra; // era of initiateUnstake (meaningful once status ≥ Unstaking; 0 while staked)
        uint64 withdrawableEra; // first era completeUnstake is allowed (0 while staked)
        uint64 unstakableAt; // earliest timestamp of initiateUnstake: stakedAt + minStakingPeriod then
        uint256 hyperNodeId;
    }

    /// @notice Links in existence at most (spec §11).
    uint256 public constant MAX_SUPPLY = 55_000;
    /// @notice Links minted per `mint` call at most (keeps one call well under a block's gas).
    uint256 public constant MAX_MINT_PER_CALL = 500;
    /// @notice Links per `stake` call (= per bundle) at most (spec §5).
    uint256 public constant MAX_LINKS_PER_STAKE = 100;
    /// @notice Links staked to one HyperNode at most (spec §5).
    uint256 public constant MAX_LINKS_PER_HYPERNODE = 400;
    /// @notice Upper bound of `minStakingPeriod` (spec §11: ≤ 6 months).
    uint256 public constant MAX_MIN_STAKING_PERIOD = 180 days;
    /// @notice Upper bound of `unstakingDelayEras` (spec §11: ≤ 175 eras).
    uint256 public constant MAX_UNSTAKING_DELAY_ERAS = 175;

    /// @notice Where HyperNodes are registered.
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IRegistry public immutable registry;
    /// @notice The era clock.
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IEraManager public immutable eras;

    /// @notice Links minted so far; ids are 1..totalSupply (Links are never burnt).
    uint256 public totalSupply;
    /// @notice Links in Staked bundles over all HyperNodes.
    uint256 public totalStakedLinks;
    /// @notice Bundles created so far; ids are 1..bundleCount.
    uint256 public bundleCount;
    /// @notice Seconds after staking before a bundle may initiate unstaking (fixed per bundle at stake).
    uint64 public minStakingPeriod = 30 days;
    /// @notice Eras from initiateUnstake until completeUnstake is allowed (fixed per bundle at initiation).
    uint64 public unstakingDelayEras = 2;

    /// @notice Links in Staked bundles of each HyperNode (unstaking Links no longer count).
    mapping(uint256 hyperNodeId => uint256) public override stakedLinks;

    mapping(uint256 bundleId => Bundle) private _bundles;
    mapping(uint256 bundleId => uint16[]) private _bundleTokens;
    // Bundle holding each token (0: free); index = token id.
    uint32[MAX_SUPPLY + 1] private _bundleOfToken;

    /// @notice `quantity` Links with ids firstTokenId.. were minted to `to`.
    event LinksMinted(address indexed to, uint256 firstTokenId, uint256 quantity);
    /// @notice A bundle was staked to a HyperNode; it counts for the HyperNode from `stakedEra` on.
    event LinksStaked(
        uint256 indexed bundleId,
        address indexed owner,
        uint256 indexed hyperNodeId,
        uint256 tokenCount,
        uint256 stakedEra,
        uint256 unstakableAt,
        uint256[] tokenIds
    );
    /// @notice A bundle stopped counting for its HyperNode in `unstakeEra`; it can complete from
    /// `withdrawableEra`. `hyperNodeRetired`: the minimum staking period was waived.
    event UnstakeInitiated(
        uint256 indexed bundleId,
        address indexed owner,
        uint256 indexed hyperNodeId,
        uint256 tokenCount,
        uint256 unstakeEra,
        uint256 withdrawableEra,
        bool hyperNodeRetired
    );
    /// @notice A bundle's Links were freed in era `era`.
    event UnstakeCompleted(
        uint256 indexed bundleId, address indexed owner, uint256 indexed hyperNodeId, uint256 tokenCount, uint256 era
    );
    /// @notice Governance changed the minimum staking period (seconds).
    event MinStakingPeriodSet(uint256 oldPeriod, uint256 newPeriod);
    /// @notice Governance changed the unstaking delay (eras).
    event UnstakingDelayErasSet(uint256 oldDelay, uint256 newDelay);

    /// `mint` quantity must be 1..max.
    error MintQuantityOutOfRange(uint256 quantity, uint256 max);
    /// Minting `quantity` would pass MAX_SUPPLY; `remaining` can still be minted.
    error SupplyCapExceeded(uint256 quantity, uint256 remaining);
    /// A stake must hold 1..max Links.
    error StakeSizeOutOfRange(uint256 count, uint256 max);
    /// The HyperNode is unknown or retired.
    error HyperNodeNotRegistered(uint256 hyperNodeId);
    /// The HyperNode has `staked` Links; `adding` more would pass `max`.
    error HyperNodeFull(uint256 hyperNodeId, uint256 staked, uint256 adding, uint256 max);
    /// Only the owner of a Link can stake it (`owner` is 0 for an id that does not exist).
    error NotTokenOwner(uint256 tokenId, address owner, address caller);
    /// The Link is already in bundle `bundleId` (also: the same id twice in one stake).
    error TokenAlreadyStaked(uint256 tokenId, uint256 bundleId);
    /// The Link is in bundle `bundleId` (staked or unstaking) and cannot be transferred.
    error TokenLocked(uint256 tokenId, uint256 bundleId);
    /// No bundle with this id.
    error UnknownBundle(uint256 bundleId);
    /// Only the bundle's owner can unstake it.
    error NotBundleOwner(uint256 bundleId, address owner, address caller);
    /// initiateUnstake needs a Staked bundle.
    error BundleNotStaked(uint256 bundleId, BundleStatus status);
    /// completeUnstake needs an Unstaking bundle.
    error BundleNotUnstaking(uint256 bundleId, BundleStatus status);
    /// The minimum staking period ends at `unstakableAt` (the HyperNode is still registered).
    error MinStakingPeriodNotOver(uint256 bundleId, uint256 unstakableAt, uint256 timestamp);
    /// The unstaking delay ends when era `withdrawableEra` starts.
    error UnstakingDelayNotOver(uint256 bundleId, uint256 withdrawableEra, uint256 currentEra);
    /// A minimum staking period above `max` seconds.
    error MinStakingPeriodTooLong(uint256 period, uint256 max);
    /// An unstaking delay above `max` eras.
    error UnstakingDelayTooLong(uint256 delayEras, uint256 max);

    /// @param admin receives the roles of ProtocolRoles
    /// @param registry_ the Registry that knows which HyperNodes are registered
    /// @param eras_ the era clock
    constructor(address admin, IRegistry registry_, IEraManager eras_) ERC721("ICN Link", "ICNL") ProtocolRoles(admin) {
        if (address(registry_) == address(0) || address(eras_) == address(0)) revert ZeroAddress();
        registry = registry_;
        eras = eras_;
    }

    // ------------------------------------------------------------------ minting (governance)

    /// @notice Mints `quantity` Links with the next sequential ids to `to` (no receiver callback).
    /// @param to receiver, not the zero address
    /// @param quantity 1..MAX_MINT_PER_CALL, and at most MAX_SUPPLY − totalSupply
    function mint(address to, uint256 quantity) external onlyRole(GOVERNANCE_ROLE) {
        if (quantity == 0 || quantity > MAX_MINT_PER_CALL) revert MintQuantityOutOfRange(quantity, MAX_MINT_PER_CALL);
        uint256 first = totalSupply + 1;
        if (quantity > MAX_SUPPLY - totalSupply) revert SupplyCapExceeded(quantity, MAX_SUPPLY - totalSupply);
        totalSupply += quantity;
        emit LinksMinted(to, first, quantity);
        // _mint, not _safeMint: no receiver callback to re-enter while ids are handed out.
        for (uint256 id = first; id < first + quantity; ++id) {
            _mint(to, id);
        }
    }

    // ------------------------------------------------------------------ staking (holders)

    /// @notice Stakes the caller's Links `tokenIds` to HyperNode `hyperNodeId` as one new bundle.
    /// @param hyperNodeId a registered HyperNode with room for the Links (≤ MAX_LINKS_PER_HYPERNODE)
    /// @param tokenIds 1..MAX_LINKS_PER_STAKE distinct Links the caller owns, none in a bundle
    /// @return bundleId the new bundle's id
    function stake(uint256 hyperNodeId, uint256[] calldata tokenIds) external whenNotPaused returns (uint256 bundleId) {
        uint256 n = tokenIds.length;
        if (n == 0 || n > MAX_LINKS_PER_STAKE) revert StakeSizeOutOfRange(n, MAX_LINKS_PER_STAKE);
        if (!registry.isHyperNodeRegistered(hyperNodeId)) revert HyperNodeNotRegistered(hyperNodeId);
        uint256 staked = stakedLinks[hyperNodeId];
        if (staked + n > MAX_LINKS_PER_HYPERNODE) {
            revert HyperNodeFull(hyperNodeId, staked, n, MAX_LINKS_PER_HYPERNODE);
        }
        uint64 era = SafeCast.toUint64(eras.currentEra());

        bundleId = ++bundleCount;
        uint32 packedId = SafeCast.toUint32(bundleId);
        uint16[] storage ids = _bundleTokens[bundleId];
        for (uint256 i = 0; i < n; ++i) {
            uint256 tokenId = tokenIds[i];
            address owner = _ownerOf(tokenId); // an owner ≠ 0 implies 1 ≤ tokenId ≤ MAX_SUPPLY
            if (owner != msg.sender) revert NotTokenOwner(tokenId, owner, msg.sender);
            uint32 current = _bundleOfToken[tokenId];
            if (current != 0) revert TokenAlreadyStaked(tokenId, current);
            _bundleOfToken[tokenId] = packedId;
            // forge-lint: disable-next-line(unsafe-typecast)
            ids.push(uint16(tokenId)); // tokenId ≤ MAX_SUPPLY < 2^16
        }
        uint64 unstakableAt = uint64(block.timestamp) + minStakingPeriod;
        _bundles[bundleId] = Bundle({
            owner: msg.sender,
            stakedAt: uint64(block.timestamp),
            // forge-lint: disable-next-line(unsafe-typecast)
            tokenCount: uint16(n), // n ≤ MAX_LINKS_PER_STAKE
            status: BundleStatus.Staked,
            stakedEra: era,
            unstakeEra: 0,
            withdrawableEra: 0,
            unstakableAt: unstakableAt,
            hyperNodeId: hyperNodeId
        });
        stakedLinks[hyperNodeId] = staked + n;
        totalStakedLinks += n;
        emit LinksStaked(bundleId, msg.sender, hyperNodeId, n, era, unstakableAt, tokenIds);
    }

    /// @notice Starts unstaking bundle `bundleId`: it stops counting for its HyperNode now and can be
    /// completed from era currentEra + unstakingDelayEras. The minimum staking period is waived when the
    /// HyperNode is no longer registered (retired).
    /// @param bundleId a Staked bundle of the caller
    function initiateUnstake(uint256 bundleId) external whenNotPaused {
        Bundle storage b = _ownedBundle(bundleId);
        if (b.status != BundleStatus.Staked) revert BundleNotStaked(bundleId, b.status);
        uint256 hyperNodeId = b.hyperNodeId;
        bool retired = false;
        if (block.timestamp < b.unstakableAt) {
            retired = !registry.isHyperNodeRegistered(hyperNodeId);
            if (!retired) revert MinStakingPeriodNotOver(bundleId, b.unstakableAt, block.timestamp);
        }
        uint64 era = SafeCast.toUint64(eras.currentEra());
        uint64 withdrawableEra = era + unstakingDelayEras;
        uint256 n = b.tokenCount;

        b.status = BundleStatus.Unstaking;
        b.unstakeEra = era;
        b.withdrawableEra = withdrawableEra;
        stakedLinks[hyperNodeId] -= n;
        totalStakedLinks -= n;
        emit UnstakeInitiated(bundleId, msg.sender, hyperNodeId, n, era, withdrawableEra, retired);
    }

    /// @notice Frees the Links of an Unstaking bundle once era `withdrawableEra` has begun.
    /// @param bundleId an Unstaking bundle of the caller
    function completeUnstake(uint256 bundleId) external whenNotPaused {
        Bundle storage b = _ownedBundle(bundleId);
        if (b.status != BundleStatus.Unstaking) revert BundleNotUnstaking(bundleId, b.status);
        uint256 era = eras.currentEra();
        if (era < b.withdrawableEra) revert UnstakingDelayNotOver(bundleId, b.withdrawableEra, era);

        b.status = BundleStatus.Unstaked;
        uint16[] storage ids = _bundleTokens[bundleId];
        uint256 n = ids.length; // ≤ MAX_LINKS_PER_STAKE
        for (uint256 i = 0; i < n; ++i) {
            _bundleOfToken[ids[i]] = 0;
        }
        emit UnstakeCompleted(bundleId, msg.sender, b.hyperNodeId, n, era);
    }

    // ------------------------------------------------------------------ parameters (governance)

    /// @notice Sets the minimum staking period for bundles staked from now on.
    /// @param period seconds, ≤ MAX_MIN_STAKING_PERIOD
    function setMinStakingPeriod(uint64 period) external onlyRole(GOVERNANCE_ROLE) {
        if (period > MAX_MIN_STAKING_PERIOD) revert MinStakingPeriodTooLong(period, MAX_MIN_STAKING_PERIOD);
        emit MinStakingPeriodSet(minStakingPeriod, period);
        minStakingPeriod = period;
    }

    /// @notice Sets the unstaking delay for unstakes initiated from now on.
    /// @param delayEras eras, ≤ MAX_UNSTAKING_DELAY_ERAS
    function setUnstakingDelayEras(uint64 delayEras) external onlyRole(GOVERNANCE_ROLE) {
        if (delayEras > MAX_UNSTAKING_DELAY_ERAS) revert UnstakingDelayTooLong(delayEras, MAX_UNSTAKING_DELAY_ERAS);
        emit UnstakingDelayErasSet(unstakingDelayEras, delayEras);
        unstakingDelayEras = delayEras;
    }

    // ------------------------------------------------------------------ views

    /// @notice True while at least one Link is staked to HyperNode `hyperNodeId` and it is registered
    /// (a retired HyperNode is never active, even before its stakers have unstaked).
    /// @param hyperNodeId the HyperNode
    /// @return whether daemons challenge it and its stakers earn
    function isHyperNodeActive(uint256 hyperNodeId) external view returns (bool) {
        return stakedLinks[hyperNodeId] > 0 && registry.isHyperNodeRegistered(hyperNodeId);
    }

    /// @notice Bundle `bundleId` (status None for an unknown id).
    /// @param bundleId the bundle
    /// @return the stored record
    function bundle(uint256 bundleId) external view returns (Bundle memory) {
        return _bundles[bundleId];
    }

    /// @notice The Links of bundle `bundleId`, in staking order (kept after the bundle is Unstaked).
    /// @param bundleId the bundle
    /// @return tokenIds the token ids (empty for an unknown id)
    function bundleTokenIds(uint256 bundleId) external view returns (uint256[] memory tokenIds) {
        uint16[] storage ids = _bundleTokens[bundleId];
        tokenIds = new uint256[](ids.length);
        for (uint256 i = 0; i < tokenIds.length; ++i) {
            tokenIds[i] = ids[i];
        }
    }

    /// @notice The bundle Link `tokenId` is in while staked or unstaking; 0 when it is free.
    /// @param tokenId any id
    /// @return the bundle id or 0
    function stakedBundleOf(uint256 tokenId) external view returns (uint256) {
        return tokenId <= MAX_SUPPLY ? _bundleOfToken[tokenId] : 0;
    }

    /// @notice ERC-165: ERC-721 and AccessControl interfaces.
    /// @param interfaceId the interface
    /// @return whether it is supported
    function supportsInterface(bytes4 interfaceId) public view override(ERC721, AccessControl) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    // ------------------------------------------------------------------ internals

    /// Blocks every transfer of a Link in a bundle (mints pass: a new id is in no bundle).
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        if (tokenId <= MAX_SUPPLY) {
            uint32 bundleId = _bundleOfToken[tokenId];
            if (bundleId != 0) revert TokenLocked(tokenId, bundleId);
        }
        return super._update(to, tokenId, auth);
    }

    function _ownedBundle(uint256 bundleId) private view returns (Bundle storage b) {
        b = _bundles[bundleId];
        if (b.status == BundleStatus.None) revert UnknownBundle(bundleId);
        if (b.owner != msg.sender) revert NotBundleOwner(bundleId, b.owner, msg.sender);
    }
}

// SPDX-License-Identifier: MIT
// The capacity market: node pools per (cluster, capacity), Builder bookings, escrow, renewal and expiry.
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ProtocolRoles} from "../common/ProtocolRoles.sol";
import {ICapacityMarket} from "../interfaces/ICapacityMarket.sol";
import {ICollateral} from "../interfaces/ICollateral.sol";
import {IEraManager} from "../interfaces/IEraManager.sol";
import {ScalerNode, ScalerNodeStatus} from "../interfaces/IRegistry.sol";
import {ISettlement, NodeLeaf} from "../interfaces/ISettlement.sol";
import {Registry, ClusterInfo, RegionClassInfo} from "../registry/Registry.sol";
import {BookingMath} from "./BookingMath.sol";

/// @notice Lifecycle of a booking: Active from `book` until `expire`.
enum BookingStatus {
    None,
    Active,
    Expired
}

/// @notice A booking as the views return it.
struct Booking {
    address builder; // paid, may renew, receives the refund
    uint256 nodeId;
    uint64 start; // block timestamp of `book`
    uint64 duration; // seconds paid for, renewals included
    uint64 activationEra; // first era the booking counts (the era after `book`)
    uint64 eras; // eras the booking lasts: its last era is activationEra + eras − 1
    uint256 pricePerEra; // escrow released to the node's side per UP era
    uint256 escrow; // prices paid into escrow (margin excluded), renewals included
    uint256 refunded; // returned to the Builder at expiry
    BookingStatus status;
}

/// @notice What the market keeps about a node.
struct NodeMarketState {
    bool listed; // the HP offers the node (it may be Booked now; it re-enters the pool at expiry)
    uint64 poolPosition; // queue index + 1 in the pool of its (cluster, capacity); 0 = not in the pool
    uint64 booking; // its current or last booking (0: never booked)
    uint96 escrowed; // Builder payments into escrow for the node minus refunds: Settlement releases up to this in all
}

/// @title CapacityMarket
/// @notice Builders book whole ScalerNodes (spec §7, DESIGN §9). A Validated node enters the pool of its
/// (cluster, capacity) with `list`; `book` takes the first eligible node of the pool, charges price +
/// protocol margin, sends the price to Settlement (which holds every Builder's escrow) and marks the node Booked
/// from the next era. Settlement releases the escrow per UP era to the node's side when the HP claims, never more
/// in all than `escrowLimit`; `expire` refunds the share not released because of DOWN eras, proven against the
/// committed results, from Settlement (which approved this market), and returns the node to the pool.
/// @dev Escrow accounting per node: paid = released + refunded + held, where this market keeps paid − refunded
/// (`escrowed`) and `refunded`, and Settlement keeps released (its claimed utilisation). Escrow sits in
/// Settlement so a claim pays from there without a call into this market. `book` looks at pool entries in order
/// and removes those whose node is no
/// longer Validated as it meets them, so it never scans the cluster; a pool holds at most the nodes of one
/// cluster (≤ maxNodesPerCluster) plus the offboarded ones not yet met.
contract CapacityMarket is ICapacityMarket, ProtocolRoles, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ---------------------------------------------------------------- constants

    /// @notice Default minimum booking duration (spec §4.3: 90 days) and its bounds.
    uint64 public constant DEFAULT_MIN_BOOKING_DURATION = 90 days;
    uint64 internal constant MIN_MIN_BOOKING_DURATION = 1 days;
    /// @notice Nodes offer at least 180 days (Registry), so a larger minimum would exclude every node.
    uint64 internal constant MAX_MIN_BOOKING_DURATION = 180 days;
    /// @notice Default expected era length in seconds (production: 1,800 Base blocks ≈ 1 h) and its bounds.
    uint64 public constant DEFAULT_ERA_SECONDS = 3_600;
    uint64 internal constant MAX_ERA_SECONDS = 1 days;
    /// @notice Highest share of the margin that may be burned (DESIGN §11: ≤ 50 %).
    uint128 public constant MAX_BURN_SHARE = 50e18;

    // ---------------------------------------------------------------- storage

    /// @dev A booking in 2 slots written by `book` (gas: two fresh slots, not three) plus `refunded`, written at
    /// expiry. Node ids are the Registry's uint32; durations ≤ 3,600 days and eras (≥ 1 s each) fit 32 bits;
    /// era numbers are checked to fit 32 bits (136 years of 1-second eras); a booking's escrow must fit 88
    /// bits (309M ICNT, 44 % of the supply; SafeCast reverts above).
    struct StoredBooking {
        address builder;
        uint32 nodeId;
        uint32 activationEra;
        uint32 eras;
        uint88 escrow;
        uint88 pricePerEra;
        uint32 duration;
        uint40 start;
        BookingStatus status;
        uint88 refunded;
    }

    /// @dev A pool is a FIFO queue over [head, tail): `list` and `expire` append at the tail, `book` takes the
    /// oldest eligible entry; an entry leaving from inside the queue is replaced by the tail entry. One slot
    /// per entry, so taking the head clears a whole slot.
    struct Pool {
        uint64 head;
        uint64 tail;
        mapping(uint256 index => uint32 nodeId) at;
    }

    /// @dev The rules in force for one booking or renewal.
    struct Terms {
        uint256 maxPrice;
        uint256 marginRate;
        uint256 nodeId;
        uint256 price;
        uint256 margin;
        uint256 eras;
    }

    /// @notice The ICNT token (burnable: the burn share of margins is burned).
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IERC20 public immutable icnt;
    /// @notice Nodes, clusters and region-class economics; the market holds its PROTOCOL_ROLE.
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    Registry public immutable registry;
    /// @notice Commitment ends (a booking must end before its node's commitment).
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    ICollateral public immutable collateral;
    /// @notice The era clock (activation era, renewal window).
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    IEraManager public immutable eras;
    /// @notice Committed era results `expire` verifies against (set once by governance).
    ISettlement public settlement;
    /// @notice Receives the protocol margin minus the burned share.
    address public treasury;
    /// @notice Bookings made so far; ids run from 1 (shares the treasury's slot: `book` reads both).
    uint64 public bookingCount;

    /// @notice Shortest booking (seconds).
    uint64 public minBookingDuration;
    /// @notice Expected era length in seconds: turns durations into eras (devnet 20, production 3,600).
    uint64 public eraSeconds;
    /// @notice Share of the margin burned, 1e18 fixed point (100 % = 100e18), ≤ MAX_BURN_SHARE.
    uint128 public burnShare;

    mapping(uint256 bookingId => StoredBooking) private _bookings;
    mapping(uint256 nodeId => NodeMarketState) private _nodes;
    mapping(uint256 nodeId => uint256) private _refunded;
    mapping(uint32 clusterId => mapping(uint256 capacity => Pool)) private _pools;

    // ---------------------------------------------------------------- events

    /// @notice Node `nodeId` entered the pool of (`clusterId`, `capacity`).
    event Listed(uint256 indexed nodeId, uint32 indexed clusterId, uint256 capacity);
    /// @notice Node `nodeId` left the market at `by`'s request (its HP, or anyone for an offboarded node).
    event Delisted(uint256 indexed nodeId, address indexed by);
    /// @notice `book` met node `nodeId`, no longer Validated (`status`), in its pool and removed it.
    event PoolEntryPruned(uint256 indexed nodeId, uint32 indexed clusterId, uint256 capacity, ScalerNodeStatus status);
    /// @notice A Builder booked a node: the daemon provisions from this event. `price` went to escrow,
    /// `margin` to the Treasury (minus the burned share).
    event Booked(
        uint256 indexed bookingId,
        address indexed builder,
        uint256 indexed nodeId,
        uint32 clusterId,
        uint256 capacity,
        uint256 duration,
        uint64 activationEra,
        uint256 eras,
        uint256 price,
        uint256 margin,
        bytes accessKey
    );
    /// @notice Booking `bookingId` was extended by `extraDuration` seconds for `price` (+ `margin`); it now
    /// lasts `eras` eras and releases `pricePerEra` per UP era from `escrow`.
    event Renewed(
        uint256 indexed bookingId,
        uint256 extraDuration,
        uint256 price,
        uint256 margin,
        uint256 eras,
        uint256 escrow,
        uint256 pricePerEra
    );
    /// @notice Booking `bookingId` ended: proven against era `era` with `upEras` UP eras; `refund` went back
    /// to the Builder and the node is Validated again.
    event Expired(uint256 indexed bookingId, uint256 indexed nodeId, uint64 era, uint256 upEras, uint256 refund);
    /// @notice The margin of a booking or renewal was split: `toTreasury` sent, `burned` burned.
    event MarginCollected(uint256 indexed bookingId, uint256 toTreasury, uint256 burned);
    event SettlementSet(address indexed settlement);
    event TreasurySet(address indexed treasury);
    event MinBookingDurationSet(uint256 oldValue, uint256 newValue);
    event EraSecondsSet(uint256 oldValue, uint256 newValue);
    event BurnShareSet(uint256 oldValue, uint256 newValue);

    // ---------------------------------------------------------------- errors

    /// The requested duration is below the minimum booking duration.
    error DurationTooShort(uint256 duration, uint256 minDuration);
    /// No node of the pool of (`clusterId`, `capacity`) accepts a booking of `duration` seconds now.
    error NoEligibleNode(uint32 clusterId, uint256 capacity, uint256 duration);
    /// Price plus margin exceeds the Builder's limit.
    error PriceAboveMax(uint256 total, uint256 maxTotalPrice);
    /// `list` needs a Validated node.
    error NodeNotValidated(uint256 nodeId, ScalerNodeStatus status);
    error AlreadyListed(uint256 nodeId);
    error NotListed(uint256 nodeId);
    /// Only the node's HP may delist it while it is Validated or Booked.
    error NotNodeOwner(uint256 nodeId, address caller);
    error UnknownBooking(uint256 bookingId);
    error BookingNotActive(uint256 bookingId, BookingStatus status);
    /// Only the Builder who booked may renew.
    error NotBuilder(uint256 bookingId, address caller);
    /// A renewal must come while the booking runs (current era ≤ its last era).
    error BookingEnded(uint256 bookingId, uint256 lastEra, uint256 currentEra);
    error ZeroDuration();
    /// The renewed booking would be longer than the node accepts.
    error DurationAboveNodeMax(uint256 nodeId, uint256 duration, uint256 maxDuration);
    /// The renewed booking would not end before the node's commitment.
    error DurationBeyondCommitment(uint256 nodeId, uint256 end, uint256 commitmentEnd);
    error SettlementNotSet();
    error SettlementAlreadySet(address settlement);
    /// `expire` needs a leaf of an era at or after the booking's last era.
    error BookingNotOver(uint256 bookingId, uint256 lastEra, uint256 era);
    /// The era's results are not committed yet.
    error EraNotCommitted(uint256 era, uint256 lastCommittedEra);
    /// The leaf is not about this booking's node and this booking.
    error LeafMismatch(uint256 bookingId, uint256 leafNodeId, uint256 leafBookingId);
    /// The leaf is not in the committed results of the era.
    error InvalidLeafProof(uint256 bookingId, uint64 era);
    error MinBookingDurationOutOfRange(uint256 value, uint256 min, uint256 max);
    error EraSecondsOutOfRange(uint256 value, uint256 min, uint256 max);
    error BurnShareTooHigh(uint256 value, uint256 max);

    /// @param admin receives DEFAULT_ADMIN, GOVERNANCE, OPERATOR and EMERGENCY (see ProtocolRoles)
    /// @param icnt_ the ICNT token
    /// @param registry_ the Registry; it must grant this market its PROTOCOL_ROLE (markBooked, markUnbooked)
    /// @param collateral_ the Collateral contract (commitment ends)
    /// @param eras_ the era clock
    /// @param treasury_ receives the margins
    constructor(
        address admin,
        IERC20 icnt_,
        Registry registry_,
        ICollateral collateral_,
        IEraManager eras_,
        address treasury_
    ) ProtocolRoles(admin) {
        if (
            address(icnt_) == address(0) || address(registry_) == address(0) || address(collateral_) == address(0)
                || address(eras_) == address(0) || treasury_ == address(0)
        ) revert ZeroAddress();
        icnt = icnt_;
        registry = registry_;
        collateral = collateral_;
        eras = eras_;
        treasury = treasury_;
        minBookingDuration = DEFAULT_MIN_BOOKING_DURATION;
        eraSeconds = DEFAULT_ERA_SECONDS;
    }

    // ================================================================ pool

    /// @notice Puts Validated node `nodeId` into the pool of its (cluster, capacity). Anyone may call: the
    /// HP offered the node by registering it; delisting is the HP's choice.
    /// @param nodeId a Validated node that is not listed
    function list(uint256 nodeId) external whenNotPaused {
        if (_nodes[nodeId].listed) revert AlreadyListed(nodeId);
        ScalerNode memory node = registry.scalerNode(nodeId);
        if (node.status != ScalerNodeStatus.Validated) revert NodeNotValidated(nodeId, node.status);
        _nodes[nodeId].listed = true;
        _enterPool(nodeId, node.clusterId, node.capacity);
        emit Listed(nodeId, node.clusterId, node.capacity);
    }

    /// @notice Takes node `nodeId` out of the market: out of its pool now, and not back into it when its
    /// current booking expires (the booking itself runs on). The HP owner may always delist; anyone may
    /// delist a node that is neither Validated nor Booked any more (offboarded).
    /// @param nodeId a listed node
    function delist(uint256 nodeId) external whenNotPaused {
        NodeMarketState storage state = _nodes[nodeId];
        if (!state.listed) revert NotListed(nodeId);
        ScalerNode memory node = registry.scalerNode(nodeId);
        if (
            (node.status == ScalerNodeStatus.Validated || node.status == ScalerNodeStatus.Booked)
                && msg.sender != registry.scalerNodeOwner(nodeId)
        ) revert NotNodeOwner(nodeId, msg.sender);
        state.listed = false;
        uint256 position = state.poolPosition;
        if (position != 0) _leavePool(_pools[node.clusterId][node.capacity], position - 1);
        emit Delisted(nodeId, msg.sender);
    }

    // ================================================================ booking

    /// @notice The node `book` would assign now and what it would cost.
    /// @param clusterId the cluster
    /// @param capacity the capacity wanted (nodes of exactly this capacity qualify)
    /// @param duration seconds, ≥ minBookingDuration
    /// @return nodeId the first eligible node of the pool
    /// @return price min(cluster max price, reservation price) × capacity × duration / 30 days (escrow)
    /// @return margin price × protocolMargin(region, class) / 100e18
    /// @return total price + margin, what `book` pulls from the Builder
    function quote(uint32 clusterId, uint128 capacity, uint64 duration)
        external
        view
        returns (uint256 nodeId, uint256 price, uint256 margin, uint256 total)
    {
        _checkDuration(duration);
        (uint256 maxPrice, uint256 marginRate) = _clusterEconomics(clusterId);
        Pool storage pool = _pools[clusterId][capacity];
        uint256 tail = pool.tail;
        for (uint256 i = pool.head; i < tail; ++i) {
            nodeId = pool.at[i];
            (bool eligible,, ScalerNode memory node) = _fit(nodeId, duration);
            if (eligible) {
                price = BookingMath.price(BookingMath.rate(maxPrice, node.reservationPrice), capacity, duration);
                margin = BookingMath.margin(price, marginRate);
                return (nodeId, price, margin, price + margin);
            }
        }
        revert NoEligibleNode(clusterId, capacity, duration);
    }

    /// @notice Books the first eligible node of the pool of (`clusterId`, `capacity`) for `duration` seconds:
    /// pulls price + margin from the caller (approve first): the price goes into escrow for the node (held by
    /// Settlement), the margin to the Treasury (the burn share burned); marks the node Booked from the next era.
    /// @param clusterId the cluster
    /// @param capacity the capacity wanted
    /// @param duration seconds, ≥ minBookingDuration, ≤ the node's maximum, shorter than its remaining
    /// commitment
    /// @param maxTotalPrice the most the caller pays (price + margin)
    /// @param accessKey what the node's daemon provisions access with (e.g. an SSH public key), emitted only
    /// @return bookingId the new booking
    function book(uint32 clusterId, uint128 capacity, uint64 duration, uint256 maxTotalPrice, bytes calldata accessKey)
        external
        whenNotPaused
        nonReentrant
        returns (uint256 bookingId)
    {
        _checkDuration(duration);
        Terms memory t;
        (t.maxPrice, t.marginRate) = _clusterEconomics(clusterId);
        uint256 reservationPrice;
        (t.nodeId, reservationPrice) = _take(clusterId, capacity, duration);
        t.price = BookingMath.price(BookingMath.rate(t.maxPrice, reservationPrice), capacity, duration);
        t.margin = BookingMath.margin(t.price, t.marginRate);
        if (t.price + t.margin > maxTotalPrice) revert PriceAboveMax(t.price + t.margin, maxTotalPrice);
        t.eras = BookingMath.eraCount(duration, eraSeconds);
        uint32 activationEra = (eras.currentEra() + 1).toUint32();

        uint64 id = ++bookingCount;
        bookingId = id;
        StoredBooking storage b = _bookings[bookingId];
        b.builder = msg.sender;
        // forge-lint: disable-next-line(unsafe-typecast) Registry node ids are uint32
        b.nodeId = uint32(t.nodeId);
        b.activationEra = activationEra;
        b.eras = t.eras.toUint32();
        b.escrow = t.price.toUint88();
        // forge-lint: disable-next-line(unsafe-typecast) ≤ the escrow, a uint88
        b.pricePerEra = uint88(t.price / t.eras);
        // forge-lint: disable-next-line(unsafe-typecast) ≤ the node's maximum booking duration ≤ 3,600 days
        b.duration = uint32(duration);
        b.start = uint40(block.timestamp);
        b.status = BookingStatus.Active;
        NodeMarketState storage state = _nodes[t.nodeId];
        state.booking = id;
        state.escrowed += uint96(t.price); // checked: the escrow fitted 88 bits
        _emitBooked(bookingId, clusterId, capacity, duration, activationEra, t, accessKey);

        _collect(bookingId, t.price, t.margin);
        registry.markBooked(t.nodeId, activationEra);
    }

    /// @notice Extends booking `bookingId` by `extraDuration` seconds at the node's current price (same rules
    /// as `book`): the extra price joins the escrow, the margin goes to the Treasury. The booking then lasts
    /// max(eras, ceil(new duration / eraSeconds)) eras and releases max(pricePerEra, escrow / eras) per UP
    /// era, so the per-era release never falls and committed cumulative leaves stay monotone.
    /// @param bookingId an Active booking of the caller whose last era has not passed
    /// @param extraDuration seconds, > 0; the whole booking must stay within the node's maximum and end
    /// before its commitment ends
    /// @param maxTotalPrice the most the caller pays (price + margin)
    function renew(uint256 bookingId, uint64 extraDuration, uint256 maxTotalPrice) external whenNotPaused nonReentrant {
        StoredBooking storage b = _activeBooking(bookingId);
        if (msg.sender != b.builder) revert NotBuilder(bookingId, msg.sender);
        uint256 last = uint256(b.activationEra) + b.eras - 1;
        uint256 currentEra = eras.currentEra();
        if (currentEra > last) revert BookingEnded(bookingId, last, currentEra);
        if (extraDuration == 0) revert ZeroDuration();

        Terms memory t;
        t.nodeId = b.nodeId;
        ScalerNode memory node = registry.scalerNode(t.nodeId);
        uint256 newDuration = uint256(b.duration) + extraDuration;
        if (newDuration > node.maxBookingDuration) {
            revert DurationAboveNodeMax(t.nodeId, newDuration, node.maxBookingDuration);
        }
        _checkCommitment(t.nodeId, uint256(b.start) + newDuration);
        (t.maxPrice, t.marginRate) = _clusterEconomics(node.clusterId);
        t.price = BookingMath.price(BookingMath.rate(t.maxPrice, node.reservationPrice), node.capacity, extraDuration);
        t.margin = BookingMath.margin(t.price, t.marginRate);
        if (t.price + t.margin > maxTotalPrice) revert PriceAboveMax(t.price + t.margin, maxTotalPrice);

        t.eras = BookingMath.eraCount(newDuration, eraSeconds);
        if (t.eras < b.eras) t.eras = b.eras;
        uint256 escrow = uint256(b.escrow) + t.price;
        uint256 pricePerEra = escrow / t.eras;
        if (pricePerEra < b.pricePerEra) pricePerEra = b.pricePerEra;
        b.escrow = escrow.toUint88();
        // forge-lint: disable-next-line(unsafe-typecast) ≤ escrow (a uint88) or the old value
        b.pricePerEra = uint88(pricePerEra);
        b.eras = t.eras.toUint32();
        // forge-lint: disable-next-line(unsafe-typecast) ≤ the node's maximum booking duration ≤ 3,600 days
        b.duration = uint32(newDuration);
        _nodes[t.nodeId].escrowed += uint96(t.price); // ≤ ICNT supply
        emit Renewed(bookingId, extraDuration, t.price, t.margin, t.eras, escrow, pricePerEra);

        _collect(bookingId, t.price, t.margin);
    }

    /// @notice Ends booking `bookingId` once its last era is committed: anyone may call with the node's leaf
    /// of a committed era at or after that era. Refunds escrow − min(escrow, bookingUpEras × pricePerEra) to
    /// the Builder from the escrow Settlement holds (the share not released because of DOWN eras and the rounding
    /// remainder), marks the node Validated again and puts it back into its pool if it is still listed.
    /// @param bookingId an Active booking
    /// @param era a committed era ≥ activationEra + eras − 1
    /// @param leaf the node's cumulative leaf in that era's results, with leaf.bookingId == bookingId
    /// @param proof its Merkle proof
    function expire(uint256 bookingId, uint64 era, NodeLeaf calldata leaf, bytes32[] calldata proof)
        external
        whenNotPaused
        nonReentrant
    {
        StoredBooking storage b = _activeBooking(bookingId);
        ISettlement settlement_ = settlement; // set: `book` needs it, so every booking has it
        uint256 last = uint256(b.activationEra) + b.eras - 1;
        if (era < last) revert BookingNotOver(bookingId, last, era);
        uint256 nodeId = b.nodeId;
        if (leaf.nodeId != nodeId || leaf.bookingId != bookingId) {
            revert LeafMismatch(bookingId, leaf.nodeId, leaf.bookingId);
        }
        uint64 lastCommitted = settlement_.lastCommittedEra();
        if (lastCommitted == type(uint64).max || era > lastCommitted) revert EraNotCommitted(era, lastCommitted);
        if (!settlement_.verifyNodeLeaf(era, leaf, proof)) revert InvalidLeafProof(bookingId, era);

        uint256 refund = _refund(b.escrow, b.pricePerEra, leaf.bookingUpEras);
        NodeMarketState storage state = _nodes[nodeId];
        // Settlement releases at most what the leaves say was earned, so what it still holds for the node
        // covers the refund; the cap only matters if committed results ever released more, and keeps the
        // accounting exact then too.
        uint256 held = _held(state.escrowed, nodeId, settlement_);
        if (refund > held) refund = held;
        b.status = BookingStatus.Expired;
        // forge-lint: disable-next-line(unsafe-typecast) refund ≤ escrow, a uint88
        b.refunded = uint88(refund);
        // forge-lint: disable-next-line(unsafe-typecast) refund ≤ escrow, a uint96
        state.escrowed -= uint96(refund);
        _refunded[nodeId] += refund;
        emit Expired(bookingId, nodeId, era, leaf.bookingUpEras, refund);

        registry.markUnbooked(nodeId);
        if (state.listed) {
            ScalerNode memory node = registry.scalerNode(nodeId);
            _enterPool(nodeId, node.clusterId, node.capacity);
        }
        if (refund != 0) icnt.safeTransferFrom(address(settlement_), b.builder, refund);
    }

    // ================================================================ governance

    /// @notice Wires Settlement (once): `expire` verifies leaves against it. A setter rather than a
    /// constructor argument because Settlement is deployed with this market's address.
    /// @param settlement_ the Settlement contract: it holds the escrow and approves this market for refunds
    function setSettlement(ISettlement settlement_) external onlyRole(GOVERNANCE_ROLE) {
        if (address(settlement_) == address(0)) revert ZeroAddress();
        if (address(settlement) != address(0)) revert SettlementAlreadySet(address(settlement));
        settlement = settlement_;
        emit SettlementSet(address(settlement_));
    }

    /// @notice Sets the account that receives margins.
    /// @param treasury_ non-zero
    function setTreasury(address treasury_) external onlyRole(GOVERNANCE_ROLE) {
        if (treasury_ == address(0)) revert ZeroAddress();
        treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @notice Sets the shortest booking.
    /// @param value seconds, within [1 day, 180 days]
    function setMinBookingDuration(uint64 value) external onlyRole(GOVERNANCE_ROLE) {
        if (value < MIN_MIN_BOOKING_DURATION || value > MAX_MIN_BOOKING_DURATION) {
            revert MinBookingDurationOutOfRange(value, MIN_MIN_BOOKING_DURATION, MAX_MIN_BOOKING_DURATION);
        }
        emit MinBookingDurationSet(minBookingDuration, value);
        minBookingDuration = value;
    }

    /// @notice Sets the expected era length used to turn booking durations into eras (bookings already made
    /// keep their era count).
    /// @param value seconds, within [1, 1 day]
    function setEraSeconds(uint64 value) external onlyRole(GOVERNANCE_ROLE) {
        if (value == 0 || value > MAX_ERA_SECONDS) revert EraSecondsOutOfRange(value, 1, MAX_ERA_SECONDS);
        emit EraSecondsSet(eraSeconds, value);
        eraSeconds = value;
    }

    /// @notice Sets the share of every margin that is burned instead of sent to the Treasury.
    /// @param value 1e18 fixed point (100 % = 100e18), ≤ 50e18
    function setBurnShare(uint128 value) external onlyRole(GOVERNANCE_ROLE) {
        if (value > MAX_BURN_SHARE) revert BurnShareTooHigh(value, MAX_BURN_SHARE);
        emit BurnShareSet(burnShare, value);
        burnShare = value;
    }

    // ================================================================ views

    /// @notice Booking `bookingId`.
    /// @param bookingId an existing booking
    /// @return the booking
    function booking(uint256 bookingId) external view returns (Booking memory) {
        StoredBooking storage b = _bookings[bookingId];
        if (b.status == BookingStatus.None) revert UnknownBooking(bookingId);
        return Booking({
            builder: b.builder,
            nodeId: b.nodeId,
            start: b.start,
            duration: b.duration,
            activationEra: b.activationEra,
            eras: b.eras,
            pricePerEra: b.pricePerEra,
            escrow: b.escrow,
            refunded: b.refunded,
            status: b.status
        });
    }

    /// @notice The last era booking `bookingId` counts: activationEra + eras − 1.
    /// @param bookingId an existing booking
    /// @return the era
    function lastEra(uint256 bookingId) external view returns (uint256) {
        StoredBooking storage b = _bookings[bookingId];
        if (b.status == BookingStatus.None) revert UnknownBooking(bookingId);
        return uint256(b.activationEra) + b.eras - 1;
    }

    /// @notice The market's record of node `nodeId` (all zero if it was never listed or booked).
    /// @param nodeId the node
    /// @return listed, pool position (index + 1, 0 = not in a pool), current or last booking, escrow held
    function nodeState(uint256 nodeId) external view returns (NodeMarketState memory) {
        return _nodes[nodeId];
    }

    /// @inheritdoc ICapacityMarket
    function escrowLimit(uint256 nodeId) external view returns (uint256) {
        return _nodes[nodeId].escrowed;
    }

    /// @notice Escrow Settlement still holds for node `nodeId` (paid − released − refunded).
    /// @param nodeId the node
    /// @return ICNT base units
    function escrowHeld(uint256 nodeId) external view returns (uint256) {
        return _held(_nodes[nodeId].escrowed, nodeId, settlement);
    }

    /// @notice Node `nodeId`'s escrow over time: paid = released + refunded + held.
    /// @param nodeId the node
    /// @return paid Builder payments into its escrow (bookings and renewals)
    /// @return released paid out by Settlement to the node's side (its claimed utilisation)
    /// @return refunded returned to Builders at expiry
    /// @return held still in escrow (in Settlement)
    function escrowOf(uint256 nodeId)
        external
        view
        returns (uint256 paid, uint256 released, uint256 refunded, uint256 held)
    {
        uint256 escrowed = _nodes[nodeId].escrowed;
        refunded = _refunded[nodeId];
        paid = escrowed + refunded;
        released = _released(nodeId, settlement);
        held = escrowed - released;
    }

    /// @notice Entries in the pool of (`clusterId`, `capacity`), offboarded ones not yet pruned included.
    /// @param clusterId the cluster
    /// @param capacity the capacity
    /// @return the entry count
    function poolSize(uint32 clusterId, uint256 capacity) external view returns (uint256) {
        Pool storage pool = _pools[clusterId][capacity];
        return pool.tail - pool.head;
    }

    /// @notice The pool of (`clusterId`, `capacity`) in the order `book` tries it.
    /// @param clusterId the cluster
    /// @param capacity the capacity
    /// @return ids node ids
    function poolNodeIds(uint32 clusterId, uint256 capacity) external view returns (uint256[] memory ids) {
        Pool storage pool = _pools[clusterId][capacity];
        uint256 head = pool.head;
        ids = new uint256[](pool.tail - head);
        for (uint256 i; i < ids.length; ++i) {
            ids[i] = pool.at[head + i];
        }
    }

    // ================================================================ internals

    function _checkDuration(uint256 duration) private view {
        uint256 min = minBookingDuration;
        if (duration < min) revert DurationTooShort(duration, min);
    }

    /// @dev The cluster's max price and its (region, class) protocol margin; reverts for an unknown cluster.
    function _clusterEconomics(uint32 clusterId) private view returns (uint256 maxPrice, uint256 marginRate) {
        ClusterInfo memory c = registry.cluster(clusterId);
        RegionClassInfo memory rc = registry.regionClass(c.regionId, c.classId);
        return (c.maxPrice, rc.economics.protocolMargin);
    }

    /// @dev Whether node `nodeId` takes a booking of `duration` now; `stale` when it is no longer Validated
    /// (offboarded, or booked outside this market): such entries leave the pool when `book` meets them.
    function _fit(uint256 nodeId, uint256 duration)
        private
        view
        returns (bool eligible, bool stale, ScalerNode memory node)
    {
        node = registry.scalerNode(nodeId);
        if (node.status != ScalerNodeStatus.Validated) return (false, true, node);
        if (duration > node.maxBookingDuration) return (false, false, node);
        if (block.timestamp + duration >= collateral.commitmentEnd(nodeId)) return (false, false, node);
        return (true, false, node);
    }

    function _checkCommitment(uint256 nodeId, uint256 end) private view {
        uint256 commitmentEnd = collateral.commitmentEnd(nodeId);
        if (end >= commitmentEnd) revert DurationBeyondCommitment(nodeId, end, commitmentEnd);
    }

    /// @dev Removes and returns the first eligible node of the pool, pruning stale entries on the way.
    function _take(uint32 clusterId, uint256 capacity, uint256 duration)
        private
        returns (uint256 nodeId, uint256 reservationPrice)
    {
        Pool storage pool = _pools[clusterId][capacity];
        uint256 i = pool.head;
        while (i < pool.tail) {
            nodeId = pool.at[i];
            (bool eligible, bool stale, ScalerNode memory node) = _fit(nodeId, duration);
            if (eligible) {
                _leavePool(pool, i);
                return (nodeId, node.reservationPrice);
            }
            if (stale) {
                _nodes[nodeId].listed = false;
                emit PoolEntryPruned(nodeId, clusterId, capacity, node.status);
                // the head moved past i, or the tail entry moved into i: either way look at i (or the new
                // head) next
                uint256 head = pool.head;
                _leavePool(pool, i);
                if (i == head) ++i;
            } else {
                ++i;
            }
        }
        revert NoEligibleNode(clusterId, capacity, duration);
    }

    function _enterPool(uint256 nodeId, uint32 clusterId, uint256 capacity) private {
        Pool storage pool = _pools[clusterId][capacity];
        uint64 tail = pool.tail;
        // forge-lint: disable-next-line(unsafe-typecast) Registry node ids are uint32
        pool.at[tail] = uint32(nodeId);
        pool.tail = tail + 1;
        _nodes[nodeId].poolPosition = tail + 1;
    }

    /// @dev Removes entry `index` and clears its node's position: the head advances past it, or the tail entry
    /// takes its place.
    function _leavePool(Pool storage pool, uint256 index) private {
        _nodes[pool.at[index]].poolPosition = 0;
        uint64 head = pool.head;
        if (index == head) {
            delete pool.at[index];
            pool.head = head + 1;
            return;
        }
        uint64 last = pool.tail - 1;
        if (index != last) {
            uint32 moved = pool.at[last];
            pool.at[index] = moved;
            // forge-lint: disable-next-line(unsafe-typecast) index < tail, a uint64
            _nodes[moved].poolPosition = uint64(index + 1);
        }
        delete pool.at[last];
        pool.tail = last;
    }

    function _emitBooked(
        uint256 bookingId,
        uint32 clusterId,
        uint128 capacity,
        uint64 duration,
        uint64 activationEra,
        Terms memory t,
        bytes calldata accessKey
    ) private {
        emit Booked(
            bookingId,
            msg.sender,
            t.nodeId,
            clusterId,
            capacity,
            duration,
            activationEra,
            t.eras,
            t.price,
            t.margin,
            accessKey
        );
    }

    /// @dev Pulls the price into escrow (Settlement) and the margin to the Treasury, burning the burn share
    /// (from the caller's allowance).
    function _collect(uint256 bookingId, uint256 price, uint256 margin) private {
        ISettlement settlement_ = settlement;
        if (address(settlement_) == address(0)) revert SettlementNotSet();
        uint256 burned = BookingMath.burned(margin, burnShare);
        uint256 toTreasury = margin - burned;
        emit MarginCollected(bookingId, toTreasury, burned);
        icnt.safeTransferFrom(msg.sender, address(settlement_), price);
        if (toTreasury != 0) icnt.safeTransferFrom(msg.sender, treasury, toTreasury);
        if (burned != 0) ERC20Burnable(address(icnt)).burnFrom(msg.sender, burned);
    }

    /// @dev Utilisation Settlement released for node `nodeId` so far (0 before Settlement is set).
    function _released(uint256 nodeId, ISettlement settlement_) private view returns (uint256 utilisation) {
        if (address(settlement_) == address(0)) return 0;
        (utilisation,) = settlement_.claimedHpRewards(nodeId);
    }

    /// @dev Escrow still held for node `nodeId`: escrowed − released (never negative: Settlement releases at most
    /// `escrowLimit`).
    function _held(uint256 escrowed, uint256 nodeId, ISettlement settlement_) private view returns (uint256) {
        return escrowed - _released(nodeId, settlement_);
    }

    /// @dev escrow − min(escrow, upEras × pricePerEra), without overflow for any `upEras` (escrow and
    /// pricePerEra are below 2^96: upEras ≤ escrow keeps the product below 2^192; a larger upEras with a
    /// non-zero pricePerEra earns the whole escrow).
    function _refund(uint256 escrow, uint256 pricePerEra, uint256 upEras) private pure returns (uint256) {
        if (pricePerEra == 0) return escrow;
        if (upEras > escrow) return 0;
        uint256 earned = upEras * pricePerEra;
        return earned >= escrow ? 0 : escrow - earned;
    }

    function _activeBooking(uint256 bookingId) private view returns (StoredBooking storage b) {
        b = _bookings[bookingId];
        if (b.status != BookingStatus.Active) {
            if (b.status == BookingStatus.None) revert UnknownBooking(bookingId);
            revert BookingNotActive(bookingId, b.status);
        }
    }
}

// SPDX-License-Identifier: MIT
// Reward rates the satellites read at an era's start block: capacity subsidy, reward multiplier, Link curve.
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ProtocolRoles} from "../common/ProtocolRoles.sol";
import {HUNDRED_PERCENT, MONTH, WAD} from "../common/Units.sol";
import {DegressiveCurve} from "../common/DegressiveCurve.sol";
import {ICollateral} from "../interfaces/ICollateral.sol";
import {Delegation} from "../collateral/Delegation.sol";
import {Registry, RegionClassInfo} from "../registry/Registry.sol";
import {CapacityMarket} from "./CapacityMarket.sol";

/// @title RewardPolicy
/// @notice Views only, plus two governance parameters (DESIGN §7, spec §9, §10.2, §11): the capacity
/// subsidy per capacity unit per era of a (region, class), the reward multiplier of a node, and the ICN Link
/// reward curve. The satellites evaluate them at each era's start block and fold the results into the
/// cumulative leaves Settlement pays from; nothing here moves tokens.
/// @dev Era length in seconds is the market's `eraSeconds` (one parameter for both contracts).
contract RewardPolicy is ProtocolRoles {
    // ---------------------------------------------------------------- constants

    /// @notice Links in existence at most (spec §11); the Link curve is per Link.
    uint256 public constant LINK_SUPPLY = 55_000;
    /// @notice The Link reward pool (= the Node Sale allocation, spec §8.2).
    uint256 public constant LINK_POOL = 140_000_000 * WAD;
    /// @notice Share of the pool paid as the initial distribution when a Link is first staked.
    uint256 public constant LINK_INITIAL_SHARE = 15e18;
    /// @notice Months of the degressive curve after protocol start.
    uint256 public constant LINK_CURVE_MONTHS = 48;
    /// @notice The curve's part of the pool: 85 % of 140M.
    uint256 internal constant LINK_STREAM = LINK_POOL * (HUNDRED_PERCENT - LINK_INITIAL_SHARE) / HUNDRED_PERCENT;

    /// @notice Defaults and bounds of the parameters.
    uint128 public constant DEFAULT_MAX_BONUS = 0.2e18;
    uint128 public constant MAX_MAX_BONUS = 1e18;
    uint128 public constant DEFAULT_LINK_MIN_PERFORMANCE = 0.5e18;

    // ---------------------------------------------------------------- storage

    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    Registry public immutable registry;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    ICollateral public immutable collateral;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    Delegation public immutable delegation;
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    CapacityMarket public immutable market;
    /// @notice Protocol start for the Link curve: month 1 begins here (the Vesting TGE, so month m of the
    /// curve is month m of the Node Sale unlock).
    // forge-lint: disable-next-line(screaming-snake-case-immutable)
    uint64 public immutable linkRewardStart;

    /// @notice Reward multiplier bonus at coverage ≥ 2 (WAD: 0.2e18 → multiplier 1.2).
    uint128 public maxBonus;
    /// @notice A HyperNode performance below this (WAD) earns its Link stakers nothing.
    uint128 public linkMinPerformance;

    // ---------------------------------------------------------------- events and errors

    event MaxBonusSet(uint256 oldValue, uint256 newValue);
    event LinkMinPerformanceSet(uint256 oldValue, uint256 newValue);

    error MaxBonusTooHigh(uint256 value, uint256 max);
    error LinkMinPerformanceTooHigh(uint256 value, uint256 max);

    /// @param admin receives DEFAULT_ADMIN, GOVERNANCE, OPERATOR and EMERGENCY (see ProtocolRoles)
    /// @param registry_ region-class economics and utilisation, node capacity and requirement
    /// @param collateral_ node collateral
    /// @param delegation_ ICNT delegated to a node and its network collateral requirement
    /// @param market_ the capacity market (its `eraSeconds`)
    /// @param linkRewardStart_ timestamp month 1 of the Link curve starts (the Vesting TGE)
    constructor(
        address admin,
        Registry registry_,
        ICollateral collateral_,
        Delegation delegation_,
        CapacityMarket market_,
        uint64 linkRewardStart_
    ) ProtocolRoles(admin) {
        if (
            address(registry_) == address(0) || address(collateral_) == address(0) || address(delegation_) == address(0)
                || address(market_) == address(0)
        ) revert ZeroAddress();
        registry = registry_;
        collateral = collateral_;
        delegation = delegation_;
        market = market_;
        linkRewardStart = linkRewardStart_;
        maxBonus = DEFAULT_MAX_BONUS;
        linkMinPerformance = DEFAULT_LINK_MIN_PERFORMANCE;
    }

    // ================================================================ governance

    /// @notice Sets the multiplier bonus reached at coverage 2.
    /// @param value WAD, ≤ 1e18 (multiplier ≤ 2)
    function setMaxBonus(uint128 value) external onlyRole(GOVERNANCE_ROLE) {
        if (value > MAX_MAX_BONUS) revert MaxBonusTooHigh(value, MAX_MAX_BONUS);
        emit MaxBonusSet(maxBonus, value);
        maxBonus = value;
    }

    /// @notice Sets the HyperNode performance below which its Link stakers earn nothing.
    /// @param value WAD, ≤ 1e18
    function setLinkMinPerformance(uint128 value) external onlyRole(GOVERNANCE_ROLE) {
        if (value > WAD) revert LinkMinPerformanceTooHigh(value, WAD);
        emit LinkMinPerformanceSet(linkMinPerformance, value);
        linkMinPerformance = value;
    }

    // ================================================================ capacity subsidy

    /// @notice Capacity subsidy per capacity unit per era of class `classId` in region `regionId` now, at the
    /// pair's current utilised capacity.
    /// @param regionId the region
    /// @param classId the class
    /// @return ICNT base units per capacity unit per era (0 when the class is not enabled there or its
    /// release schedule has ended)
    function capacitySubsidyPerUnitPerEra(uint32 regionId, uint32 classId) external view returns (uint256) {
        RegionClassInfo memory rc = registry.regionClass(regionId, classId);
        return _subsidy(rc, block.timestamp, rc.utilizedCapacity);
    }

    /// @notice `capacitySubsidyPerUnitPerEra` at `timestamp` and `utilizedCapacity` instead of now and the
    /// Registry's value, with the pair's current economics.
    /// @param regionId the region
    /// @param classId the class
    /// @param timestamp the moment (before enabledAt or from enabledAt + releaseSchedule on: 0)
    /// @param utilizedCapacity booked capacity units of the pair
    /// @return ICNT base units per capacity unit per era:
    /// maximumBootstrapRelease × eraSeconds × (1 − min(1, utilized / target)) / (releaseSchedule × target),
    /// rounded down
    function capacitySubsidyPerUnitPerEraAt(
        uint32 regionId,
        uint32 classId,
        uint256 timestamp,
        uint256 utilizedCapacity
    ) external view returns (uint256) {
        return _subsidy(registry.regionClass(regionId, classId), timestamp, utilizedCapacity);
    }

    /// @notice The capacity subsidy node `nodeId` earns per UP era now: per-unit subsidy of its (region,
    /// class) × its capacity × its reward multiplier.
    /// @param nodeId an existing node
    /// @return ICNT base units per era
    function nodeSubsidyPerEra(uint256 nodeId) external view returns (uint256) {
        (uint32 regionId, uint32 classId) = registry.scalerNodeRegionClass(nodeId);
        RegionClassInfo memory rc = registry.regionClass(regionId, classId);
        uint256 perUnit = _subsidy(rc, block.timestamp, rc.utilizedCapacity);
        return Math.mulDiv(perUnit * registry.scalerNode(nodeId).capacity, rewardMultiplier(nodeId), WAD);
    }

    // ================================================================ reward multiplier

    /// @notice How well node `nodeId` is collateralised: (node collateral + ICNT delegated to it) /
    /// (node collateral requirement + its network collateral requirement), WAD.
    /// @param nodeId an existing node
    /// @return coverage, 1e18 = exactly covered (type(uint256).max when nothing is required)
    function coverage(uint256 nodeId) public view returns (uint256) {
        uint256 held = collateral.collateralOf(nodeId) + delegation.delegatedTo(nodeId);
        uint256 required = registry.collateralRequirement(nodeId) + delegation.networkCollateralRequirement(nodeId);
        if (required == 0) return type(uint256).max;
        return Math.mulDiv(held, WAD, required);
    }

    /// @notice Reward multiplier of node `nodeId`: 1 + maxBonus × clamp(coverage − 1, 0, 1), WAD.
    /// @param nodeId an existing node
    /// @return the multiplier, within [1e18, 1e18 + maxBonus]
    function rewardMultiplier(uint256 nodeId) public view returns (uint256) {
        uint256 c = coverage(nodeId);
        if (c <= WAD) return WAD;
        uint256 excess = c - WAD;
        if (excess > WAD) excess = WAD;
        return WAD + uint256(maxBonus) * excess / WAD;
    }

    // ================================================================ ICN Link curve

    /// @notice ICNT per Link paid once when it is first staked: 15 % × 140M / 55,000.
    /// @return ICNT base units (381.8181… ICNT, rounded down)
    function linkInitialReward() external pure returns (uint256) {
        return LINK_POOL * LINK_INITIAL_SHARE / HUNDRED_PERCENT / LINK_SUPPLY;
    }

    /// @notice ICNT per Link for curve month `month`: 85 % × 140M × (49 − month) / 1,176 / 55,000 (Vesting's
    /// Node Sale month amount / 55,000: the same DegressiveCurve).
    /// @param month 1..48 (other values: 0)
    /// @return ICNT base units, rounded down
    function linkMonthlyReward(uint256 month) external pure returns (uint256) {
        return LINK_STREAM * DegressiveCurve.weight(month, LINK_CURVE_MONTHS)
            / (DegressiveCurve.totalWeight(LINK_CURVE_MONTHS) * LINK_SUPPLY);
    }

    /// @notice The curve month `timestamp` falls in: 0 before `linkRewardStart`, then 1, 2, … (30-day months;
    /// above 48 the curve pays nothing).
    /// @param timestamp any time
    /// @return the month number
    function linkMonth(uint256 timestamp) public view returns (uint256) {
        if (timestamp < linkRewardStart) return 0;
        return (timestamp - linkRewardStart) / MONTH + 1;
    }

    /// @notice ICNT per staked Link per era at `timestamp` (an era's start): the month's amount × eraSeconds /
    /// 30 days, before the HyperNode's performance.
    /// @param timestamp the era's start time
    /// @return ICNT base units, rounded down (0 outside months 1..48)
    function linkRewardPerEra(uint256 timestamp) public view returns (uint256) {
        uint256 w = DegressiveCurve.weight(linkMonth(timestamp), LINK_CURVE_MONTHS);
        if (w == 0) return 0;
        return
            LINK_STREAM * w * market.eraSeconds()
                / (DegressiveCurve.totalWeight(LINK_CURVE_MONTHS) * LINK_SUPPLY * MONTH);
    }

    /// @notice What a bundle of `links` Links staked to a HyperNode of performance `performance` earns for the
    /// era starting at `timestamp`: linkRewardPerEra × links × performance, 0 below linkMinPerformance.
    /// @param timestamp the era's start time
    /// @param links Links in the bundle
    /// @param performance the HyperNode's performance p in the era, WAD (confirmed / UP nodes, ≤ 1e18)
    /// @return ICNT base units, rounded down
    function linkBundleRewardPerEra(uint256 timestamp, uint256 links, uint256 performance)
        external
        view
        returns (uint256)
    {
        if (performance < linkMinPerformance) return 0;
        return Math.mulDiv(linkRewardPerEra(timestamp) * links, performance, WAD);
    }

    // ================================================================ internals

    function _subsidy(RegionClassInfo memory rc, uint256 timestamp, uint256 utilized) private view returns (uint256) {
        if (!rc.enabled || timestamp < rc.enabledAt) return 0;
        uint256 schedule = rc.economics.releaseSchedule;
        if (timestamp >= uint256(rc.enabledAt) + schedule) return 0;
        uint256 target = rc.economics.targetCapacity;
        if (utilized >= target) return 0;
        // floor(floor(x / (schedule × target)) / target) = floor(x / (schedule × target²)), and target² may
        // not fit 256 bits together with the schedule.
        return Math.mulDiv(
            uint256(rc.economics.maximumBootstrapRelease) * market.eraSeconds(), target - utilized, schedule * target
        ) / target;
    }
}

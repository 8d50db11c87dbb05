// SPDX-License-Identifier: MIT
// forge tests for RewardPolicy: capacity subsidy, reward multiplier and Link curve at their key points.
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {MarketFixture} from "./MarketFixture.sol";
import {ProtocolRoles} from "../../src/common/ProtocolRoles.sol";
import {RewardPolicy} from "../../src/market/RewardPolicy.sol";
import {CapacityMarket} from "../../src/market/CapacityMarket.sol";
import {Registry, RegionClassInfo} from "../../src/registry/Registry.sol";
import {Delegation} from "../../src/collateral/Delegation.sol";
import {ICollateral} from "../../src/interfaces/ICollateral.sol";
import {Vesting} from "../../src/token/Vesting.sol";
import {Genesis} from "../utils/Genesis.sol";

contract RewardPolicyTest is MarketFixture {
    uint256 internal constant MONTH = 30 days;
    uint256 internal constant RELEASE = 1_000_000e18; // ProtocolFixture's maximumBootstrapRelease
    uint256 internal constant TARGET = 10_000; // and targetCapacity
    uint256 internal constant SCHEDULE = 1440 days;

    address internal delegator = address(0xDE1E);

    function setUp() public {
        deployMarket();
        vm.prank(ecoDev);
        icnt.transfer(delegator, 5_000_000e18);
        vm.prank(delegator);
        icnt.approve(address(delegation), type(uint256).max);
    }

    /// Independent: maximumBootstrapRelease / releaseSchedule × eraSeconds × (1 − min(1, u / T)) / T.
    function _expectedSubsidy(uint256 utilized, uint256 eraSeconds) internal pure returns (uint256) {
        if (utilized >= TARGET) return 0;
        return Math.mulDiv(RELEASE * eraSeconds, TARGET - utilized, SCHEDULE * TARGET * TARGET);
    }

    function _enabledAt() internal view returns (uint256) {
        return registry.regionClass(regionId, classId).enabledAt;
    }

    // ================================================================ constructor and parameters

    function test_constructorStoresWiringAndDefaults() public view {
        assertEq(address(policy.registry()), address(registry));
        assertEq(address(policy.collateral()), address(collateral));
        assertEq(address(policy.delegation()), address(delegation));
        assertEq(address(policy.market()), address(market));
        assertEq(policy.linkRewardStart(), TGE);
        assertEq(policy.maxBonus(), 0.2e18);
        assertEq(policy.linkMinPerformance(), 0.5e18);
        assertTrue(policy.hasRole(policy.GOVERNANCE_ROLE(), governance));
    }

    function test_constructorRejectsZeroAddresses() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new RewardPolicy(governance, Registry(address(0)), collateral, delegation, market, 0);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new RewardPolicy(governance, registry, ICollateral(address(0)), delegation, market, 0);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new RewardPolicy(governance, registry, collateral, Delegation(address(0)), market, 0);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new RewardPolicy(governance, registry, collateral, delegation, CapacityMarket(address(0)), 0);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new RewardPolicy(address(0), registry, collateral, delegation, market, 0);
    }

    function test_setMaxBonus() public {
        bytes memory denied = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, policy.GOVERNANCE_ROLE()
        );
        vm.prank(stranger);
        vm.expectRevert(denied);
        policy.setMaxBonus(0.5e18);
        vm.startPrank(governance);
        vm.expectRevert(abi.encodeWithSelector(RewardPolicy.MaxBonusTooHigh.selector, 1e18 + 1, 1e18));
        policy.setMaxBonus(1e18 + 1);
        vm.expectEmit(false, false, false, true, address(policy));
        emit RewardPolicy.MaxBonusSet(0.2e18, 1e18);
        policy.setMaxBonus(1e18);
        vm.stopPrank();
        assertEq(policy.maxBonus(), 1e18);
    }

    function test_setLinkMinPerformance() public {
        bytes memory denied = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, policy.GOVERNANCE_ROLE()
        );
        vm.prank(stranger);
        vm.expectRevert(denied);
        policy.setLinkMinPerformance(0.6e18);
        vm.startPrank(governance);
        vm.expectRevert(abi.encodeWithSelector(RewardPolicy.LinkMinPerformanceTooHigh.selector, 1e18 + 1, 1e18));
        policy.setLinkMinPerformance(1e18 + 1);
        vm.expectEmit(false, false, false, true, address(policy));
        emit RewardPolicy.LinkMinPerformanceSet(0.5e18, 0.6e18);
        policy.setLinkMinPerformance(0.6e18);
        vm.stopPrank();
        assertEq(policy.linkMinPerformance(), 0.6e18);
    }

    // ================================================================ capacity subsidy

    function test_subsidyOverTheSchedule() public view {
        uint256 start = _enabledAt();
        uint256 full = _expectedSubsidy(0, ERA_SECONDS);
        // 1M ICNT over 1,440 days, per era of 1 day, over 10,000 units: 1e24 / 1440 / 1e4
        assertEq(full, uint256(1e24) / 1440 / 10_000);
        assertEq(policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, start, 0), full, "start");
        assertEq(policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, start + SCHEDULE / 2, 0), full, "mid");
        assertEq(policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, start + SCHEDULE - 1, 0), full, "last s");
        assertEq(policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, start + SCHEDULE, 0), 0, "after");
        assertEq(policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, start + 10 * SCHEDULE, 0), 0, "long after");
        assertEq(policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, start - 1, 0), 0, "before");
        // the whole schedule at zero utilisation releases (almost exactly) the maximum over the target
        assertApproxEqRel(full * (SCHEDULE / ERA_SECONDS) * TARGET, RELEASE, 1e12, "total");
    }

    function test_subsidyShrinksWithUtilisation() public view {
        uint256 t = _enabledAt();
        uint256 full = policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, t, 0);
        uint256 half = policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, t, TARGET / 2);
        assertEq(half, _expectedSubsidy(TARGET / 2, ERA_SECONDS));
        assertApproxEqAbs(half * 2, full, 1, "half utilisation, half subsidy");
        assertEq(
            policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, t, TARGET / 4),
            _expectedSubsidy(TARGET / 4, ERA_SECONDS)
        );
        assertEq(
            policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, t, TARGET - 1),
            _expectedSubsidy(TARGET - 1, ERA_SECONDS)
        );
        assertEq(policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, t, TARGET), 0, "at target");
        assertEq(policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, t, 3 * TARGET), 0, "above target");
    }

    function test_subsidyFollowsEraSeconds() public {
        vm.prank(governance);
        market.setEraSeconds(3_600);
        uint256 t = _enabledAt();
        assertEq(policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, t, 0), _expectedSubsidy(0, 3_600));
        assertEq(policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, t, 2_500), _expectedSubsidy(2_500, 3_600));
    }

    function test_subsidyNowReadsTheRegistryUtilisation() public {
        assertEq(policy.capacitySubsidyPerUnitPerEra(regionId, classId), _expectedSubsidy(0, ERA_SECONDS));
        // book half the target capacity
        _listedNode(hp, uint128(TARGET / 2), RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
        _book(builder, uint128(TARGET / 2), DURATION);
        RegionClassInfo memory rc = registry.regionClass(regionId, classId);
        assertEq(rc.utilizedCapacity, TARGET / 2);
        assertEq(policy.capacitySubsidyPerUnitPerEra(regionId, classId), _expectedSubsidy(TARGET / 2, ERA_SECONDS));
        // and the full target
        _listedNode(hp2, uint128(TARGET / 2), RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
        _book(builder, uint128(TARGET / 2), DURATION);
        assertEq(policy.capacitySubsidyPerUnitPerEra(regionId, classId), 0);
        // after the schedule: 0 whatever the utilisation
        vm.warp(_enabledAt() + SCHEDULE);
        assertEq(policy.capacitySubsidyPerUnitPerEra(regionId, classId), 0);
    }

    function test_subsidyIsZeroWhereTheClassIsNotEnabled() public {
        vm.prank(governance);
        uint32 other = registry.createRegion("USE");
        assertEq(policy.capacitySubsidyPerUnitPerEra(other, classId), 0);
        assertEq(policy.capacitySubsidyPerUnitPerEraAt(other, classId, block.timestamp, 0), 0);
    }

    function test_subsidyIsZeroWithoutBootstrapRelease() public {
        vm.prank(governance);
        registry.setRegionClassEconomics(regionId, classId, Genesis.economics(100e18, uint128(TARGET), 0));
        assertEq(policy.capacitySubsidyPerUnitPerEra(regionId, classId), 0);
    }

    function testFuzz_subsidy(uint256 utilized, uint256 elapsed, uint64 eraSeconds) public {
        utilized = bound(utilized, 0, 2 * TARGET);
        elapsed = bound(elapsed, 0, 2 * SCHEDULE);
        eraSeconds = uint64(bound(eraSeconds, 1, 1 days));
        vm.prank(governance);
        market.setEraSeconds(eraSeconds);
        uint256 t = _enabledAt() + elapsed;
        uint256 expected = elapsed >= SCHEDULE ? 0 : _expectedSubsidy(utilized, eraSeconds);
        assertEq(policy.capacitySubsidyPerUnitPerEraAt(regionId, classId, t, utilized), expected);
    }

    function test_nodeSubsidyPerEra() public {
        uint256 nodeId = _listedNode();
        uint256 expected =
            Math.mulDiv(_expectedSubsidy(0, ERA_SECONDS) * CAPACITY, policy.rewardMultiplier(nodeId), 1e18);
        assertEq(policy.nodeSubsidyPerEra(nodeId), expected);
        assertGt(expected, 0);
    }

    // ================================================================ reward multiplier

    /// The network: one 10-unit node to test, plus one 10,000-unit node so the tested node's network
    /// collateral requirement is small (10 / 10,010 of half the unlocked supply).
    function _coverageNode() internal returns (uint256 nodeId) {
        nodeId = _listedNode();
        _listedNode(hp2, 10_000, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
    }

    function _required(uint256 nodeId) internal view returns (uint256) {
        return registry.collateralRequirement(nodeId) + delegation.networkCollateralRequirement(nodeId);
    }

    /// Delegates so that (collateral + delegated) = ceil(coverage × required).
    function _delegateTo(uint256 nodeId, uint256 coverageWad) internal {
        uint256 target = Math.mulDiv(_required(nodeId), coverageWad, 1e18, Math.Rounding.Ceil);
        uint256 held = collateral.collateralOf(nodeId) + delegation.delegatedTo(nodeId);
        vm.prank(delegator);
        delegation.delegate(nodeId, target - held, 30);
    }

    function test_multiplierAtKeyCoverages() public {
        uint256 nodeId = _coverageNode();
        // the node holds its full requirement but nothing delegated: coverage < 1
        assertLt(policy.coverage(nodeId), 1e18);
        assertEq(policy.rewardMultiplier(nodeId), 1e18, "coverage < 1");
        _delegateTo(nodeId, 1e18);
        assertEq(policy.coverage(nodeId), 1e18);
        assertEq(policy.rewardMultiplier(nodeId), 1e18, "coverage = 1");
        _delegateTo(nodeId, 1.5e18);
        assertEq(policy.coverage(nodeId), 1.5e18);
        assertEq(policy.rewardMultiplier(nodeId), 1.1e18, "coverage = 1.5");
        _delegateTo(nodeId, 2e18);
        assertEq(policy.coverage(nodeId), 2e18);
        assertEq(policy.rewardMultiplier(nodeId), 1.2e18, "coverage = 2");
        _delegateTo(nodeId, 3e18);
        assertEq(policy.rewardMultiplier(nodeId), 1.2e18, "coverage = 3");
        vm.prank(governance);
        policy.setMaxBonus(0.5e18);
        assertEq(policy.rewardMultiplier(nodeId), 1.5e18, "maxBonus 0.5");
    }

    function test_coverageOfAnUnderCollateralisedNode() public {
        uint256 nodeId = _listedNode();
        // full node collateral, nothing delegated, alone in the network: the network part dominates
        uint256 expected =
            Math.mulDiv(collateral.collateralOf(nodeId) + delegation.delegatedTo(nodeId), 1e18, _required(nodeId));
        assertEq(policy.coverage(nodeId), expected);
        assertEq(policy.rewardMultiplier(nodeId), 1e18);
    }

    function testFuzz_multiplier(uint256 coverageWad) public {
        coverageWad = bound(coverageWad, 1e18, 4e18);
        uint256 nodeId = _coverageNode();
        _delegateTo(nodeId, coverageWad);
        uint256 c = policy.coverage(nodeId);
        assertApproxEqAbs(c, coverageWad, 1, "coverage");
        uint256 excess = c > 2e18 ? 1e18 : c - 1e18;
        assertEq(policy.rewardMultiplier(nodeId), 1e18 + 0.2e18 * excess / 1e18);
    }

    // ================================================================ Link curve

    /// Vesting's Node Sale release in curve month `m` (1..48).
    function _nodeSaleMonth(uint256 m) internal view returns (uint256) {
        return vesting.vested(Vesting.Category.NodeSale, TGE + m * MONTH)
            - vesting.vested(Vesting.Category.NodeSale, TGE + (m - 1) * MONTH);
    }

    function test_linkInitialReward() public view {
        assertEq(policy.linkInitialReward(), 381_818_181_818_181_818_181); // 15 % × 140M / 55,000
        assertEq(policy.linkInitialReward(), vesting.vested(Vesting.Category.NodeSale, TGE) / 55_000);
    }

    function test_linkMonthlyMatchesVestingNodeSale() public view {
        // month 1: 119M × 48 / 1,176 / 55,000 ≈ 88.31 ICNT; month 48: 119M / 1,176 / 55,000 ≈ 1.84 ICNT
        assertApproxEqAbs(policy.linkMonthlyReward(1), _nodeSaleMonth(1) / 55_000, 1, "month 1");
        assertApproxEqAbs(policy.linkMonthlyReward(48), _nodeSaleMonth(48) / 55_000, 1, "month 48");
        assertApproxEqAbs(policy.linkMonthlyReward(24), _nodeSaleMonth(24) / 55_000, 1, "month 24");
        assertEq(policy.linkMonthlyReward(1), uint256(119_000_000e18) * 48 / (1_176 * 55_000));
        assertEq(policy.linkMonthlyReward(48), uint256(119_000_000e18) / (1_176 * 55_000));
        assertEq(policy.linkMonthlyReward(0), 0);
        assertEq(policy.linkMonthlyReward(49), 0);
        // front-loaded: every month pays less than the one before
        for (uint256 m = 2; m <= 48; ++m) {
            assertLt(policy.linkMonthlyReward(m), policy.linkMonthlyReward(m - 1));
        }
    }

    function test_linkCurveNeverPaysMoreThanThePool() public view {
        uint256 perLink = policy.linkInitialReward();
        for (uint256 m = 1; m <= 48; ++m) {
            perLink += policy.linkMonthlyReward(m);
        }
        assertLe(perLink * 55_000, 140_000_000e18);
        assertApproxEqRel(perLink * 55_000, 140_000_000e18, 1e9, "the pool is paid out");
    }

    function test_linkMonth() public view {
        assertEq(policy.linkMonth(TGE - 1), 0);
        assertEq(policy.linkMonth(TGE), 1);
        assertEq(policy.linkMonth(TGE + MONTH - 1), 1);
        assertEq(policy.linkMonth(TGE + MONTH), 2);
        assertEq(policy.linkMonth(TGE + 47 * MONTH), 48);
        assertEq(policy.linkMonth(TGE + 48 * MONTH), 49);
    }

    function test_linkRewardPerEra() public {
        uint256 e = ERA_SECONDS;
        assertEq(policy.linkRewardPerEra(TGE), Math.mulDiv(uint256(119_000_000e18) * 48, e, 1_176 * 55_000 * MONTH));
        assertEq(
            policy.linkRewardPerEra(TGE + 47 * MONTH + 5),
            Math.mulDiv(uint256(119_000_000e18), e, 1_176 * 55_000 * MONTH)
        );
        assertEq(policy.linkRewardPerEra(TGE + 48 * MONTH), 0, "after month 48");
        assertEq(policy.linkRewardPerEra(TGE - 1), 0, "before the start");
        // a month of eras pays the month's amount (up to rounding per era)
        assertApproxEqAbs(
            policy.linkRewardPerEra(TGE) * (MONTH / e), policy.linkMonthlyReward(1), MONTH / e, "1-day eras"
        );
        vm.prank(governance);
        market.setEraSeconds(3_600);
        assertApproxEqAbs(policy.linkRewardPerEra(TGE) * 720, policy.linkMonthlyReward(1), 720, "1-hour eras");
    }

    function test_linkBundleRewardPerEra() public {
        uint256 perEra = policy.linkRewardPerEra(TGE);
        assertEq(policy.linkBundleRewardPerEra(TGE, 10, 1e18), perEra * 10, "p = 1");
        assertEq(policy.linkBundleRewardPerEra(TGE, 10, 0.9e18), perEra * 10 * 9 / 10, "p = 0.9");
        assertEq(policy.linkBundleRewardPerEra(TGE, 10, 0.5e18), perEra * 10 / 2, "p = 0.5");
        assertEq(policy.linkBundleRewardPerEra(TGE, 10, 0.5e18 - 1), 0, "p < 0.5");
        assertEq(policy.linkBundleRewardPerEra(TGE, 0, 1e18), 0, "no Links");
        vm.prank(governance);
        policy.setLinkMinPerformance(0);
        assertEq(policy.linkBundleRewardPerEra(TGE, 10, 0.1e18), perEra * 10 / 10);
    }
}

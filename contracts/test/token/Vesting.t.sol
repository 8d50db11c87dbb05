// SPDX-License-Identifier: MIT
// forge tests for Vesting: the allocation table, unlock values at key dates, releases and beneficiaries.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {Vesting} from "../../src/token/Vesting.sol";
import {ICNT} from "../../src/token/ICNT.sol";
import {ProtocolRoles} from "../../src/common/ProtocolRoles.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// A table that is one wei off, to prove the constructor's sum check.
contract VestingOffByOne is Vesting {
    constructor(address admin, uint64 tge_, address[7] memory b) Vesting(admin, tge_, b) {}

    function _table(Category c)
        internal
        pure
        override
        returns (uint256 amount, uint256 atTge, uint256 startOffset, uint256 duration, bool degressive)
    {
        (amount, atTge, startOffset, duration, degressive) = super._table(c);
        if (c == Category.Partners) amount += 1;
    }
}

contract VestingTest is Test {
    uint256 internal constant SUPPLY = 700_000_000e18;
    uint256 internal constant M = 30 days;
    uint256 internal constant DAY = 1 days;
    uint64 internal constant TGE = 1_700_000_000;

    address internal admin = address(0xAD);
    address internal stranger = address(0x5757);
    address[7] internal bens;
    Vesting internal vesting;
    ICNT internal token;

    function setUp() public {
        for (uint256 i = 0; i < 7; ++i) {
            bens[i] = address(uint160(0xBE00 + i));
        }
        vm.warp(TGE - 10 days);
        vesting = new Vesting(admin, TGE, bens);
        token = vesting.token();
    }

    function _c(uint256 i) internal pure returns (Vesting.Category) {
        return Vesting.Category(i);
    }

    // ---------------------------------------------------------------- construction and table

    function test_constructorHoldsWholeSupply() public view {
        assertEq(token.totalSupply(), SUPPLY);
        assertEq(token.balanceOf(address(vesting)), SUPPLY);
        assertEq(uint256(vesting.tge()), uint256(TGE));
        for (uint256 i = 0; i < 7; ++i) {
            assertEq(vesting.beneficiary(_c(i)), bens[i]);
            assertEq(vesting.released(_c(i)), 0);
        }
        assertTrue(vesting.hasRole(vesting.DEFAULT_ADMIN_ROLE(), admin));
        assertTrue(vesting.hasRole(vesting.EMERGENCY_ROLE(), admin));
    }

    function test_constructorEmitsBeneficiariesAndMint() public {
        for (uint256 i = 0; i < 7; ++i) {
            vm.expectEmit(true, true, true, true);
            emit Vesting.BeneficiaryChanged(_c(i), address(0), bens[i]);
        }
        vm.expectEmit(true, false, false, true);
        emit IERC20.Transfer(address(0), address(0), SUPPLY); // `to` (the new Vesting) is not known yet
        new Vesting(admin, TGE, bens);
    }

    function test_constructorRejectsZeroBeneficiary() public {
        for (uint256 i = 0; i < 7; ++i) {
            address[7] memory b = bens;
            b[i] = address(0);
            vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
            new Vesting(admin, TGE, b);
        }
    }

    function test_constructorRejectsZeroAdmin() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Vesting(address(0), TGE, bens);
    }

    function test_constructorRejectsTableNotSummingToSupply() public {
        vm.expectRevert(abi.encodeWithSelector(Vesting.AllocationMismatch.selector, SUPPLY + 1, SUPPLY));
        new VestingOffByOne(admin, TGE, bens);
    }

    function test_scheduleTable() public view {
        // name, amount, at TGE, start offset, duration, degressive — spec §8.2/§8.3, month = 30 days
        _checkRow(0, "Team", 154_700_000e18, 0, 12 * M, 24 * M, false);
        _checkRow(1, "Investors", 150_500_000e18, 0, 12 * M, 24 * M, false);
        _checkRow(2, "DevCo", 37_800_000e18, 18_900_000e18, 0, 24 * M, false);
        _checkRow(3, "EcoDev Fund", 70_000_000e18, 35_000_000e18, 0, 24 * M, false);
        _checkRow(4, "Partner Fund", 77_000_000e18, 0, 0, 36 * M, false);
        _checkRow(5, "Node Sale", 140_000_000e18, 21_000_000e18, 0, 48 * M, true);
        _checkRow(6, "Rewards Reserve", 70_000_000e18, 0, 0, 1440 days, false);
        uint256 sum;
        for (uint256 i = 0; i < 7; ++i) {
            sum += vesting.schedule(_c(i)).amount;
        }
        assertEq(sum, SUPPLY);
    }

    function _checkRow(
        uint256 i,
        string memory name,
        uint256 amount,
        uint256 atTge,
        uint256 startOffset,
        uint256 duration,
        bool degressive
    ) internal view {
        Vesting.Schedule memory s = vesting.schedule(_c(i));
        assertEq(s.name, name);
        assertEq(s.beneficiary, bens[i]);
        assertEq(s.amount, amount, name);
        assertEq(s.atTge, atTge, name);
        assertEq(s.startOffset, startOffset, name);
        assertEq(s.duration, duration, name);
        assertEq(s.degressive, degressive, name);
    }

    // ---------------------------------------------------------------- unlock values

    function test_nothingBeforeTge() public {
        for (uint256 i = 0; i < 7; ++i) {
            assertEq(vesting.vested(_c(i), TGE - 1), 0);
            assertEq(vesting.vested(_c(i), 0), 0);
            assertEq(vesting.releasable(_c(i)), 0);
            vm.expectRevert(abi.encodeWithSelector(Vesting.NothingToRelease.selector, _c(i)));
            vesting.release(_c(i));
        }
        assertEq(vesting.unlockedSupply(TGE - 1), 0);
    }

    /// Values computed by hand (and checked in Python with exact integers), in the category order
    /// Team, Investors, DevCo, EcoDev, Partners, NodeSale, RewardsReserve.
    function test_vestedAtKeyDates() public view {
        // TGE: the 50 % of DevCo and EcoDev and the 15 % of Node Sale.
        _checkAt(0, [uint256(0), 0, 18_900_000e18, 35_000_000e18, 0, 21_000_000e18, 0], 74_900_000e18);
        // Month 1: DevCo 18.9M + 18.9M/24; EcoDev 35M + 35M/24; Partners 77M/36;
        // Node Sale 21M + 119M × 48/1176; Rewards Reserve 70M/48.
        _checkAt(
            M,
            [
                uint256(0),
                0,
                19_687_500e18,
                36_458_333_333333333333333333,
                2_138_888_888888888888888888,
                25_857_142_857142857142857142,
                1_458_333_333333333333333333
            ],
            85_600_198_412698412698412696
        );
        // Month 1.5 (mid-month): Node Sale adds half of month 2's slice 119M × 47/1176.
        _checkAt(
            M + 15 * DAY,
            [
                uint256(0),
                0,
                20_081_250e18,
                37_187_500e18,
                3_208_333_333333333333333333,
                28_235_119_047619047619047619,
                2_187_500e18
            ],
            90_899_702_380952380952380952
        );
        // Month 12: cliff of Team/Investors reached (still 0); Node Sale 21M + 119M × 12·85/2352.
        _checkAt(
            12 * M,
            [
                uint256(0),
                0,
                28_350_000e18,
                52_500_000e18,
                25_666_666_666666666666666666,
                72_607_142_857142857142857142,
                17_500_000e18
            ],
            196_623_809_523809523809523808
        );
        // Month 12.5: Team 154.7M/48, Investors 150.5M/48.
        _checkAt(
            12 * M + 15 * DAY,
            [
                uint256(3_222_916_666666666666666666),
                3_135_416_666666666666666666,
                28_743_750e18,
                53_229_166_666666666666666666,
                26_736_111_111111111111111111,
                74_428_571_428571428571428571,
                18_229_166_666666666666666666
            ],
            207_725_099_206349206349206346
        );
        // Month 24: Team/Investors halfway; DevCo/EcoDev complete; Node Sale 21M + 119M × 24·73/2352.
        _checkAt(
            24 * M,
            [
                uint256(77_350_000e18),
                75_250_000e18,
                37_800_000e18,
                70_000_000e18,
                51_333_333_333333333333333333,
                109_642_857_142857142857142857,
                35_000_000e18
            ],
            456_376_190_476190476190476190
        );
        // Month 36: everything linear over 36 months complete; Node Sale 21M + 119M × 36·61/2352.
        _checkAt(
            36 * M,
            [
                uint256(154_700_000e18),
                150_500_000e18,
                37_800_000e18,
                70_000_000e18,
                77_000_000e18,
                132_107_142_857142857142857142,
                52_500_000e18
            ],
            674_607_142_857142857142857142
        );
        // Month 47.5: Node Sale misses half of the last slice 119M/1176; Rewards Reserve 70M × 95/96.
        _checkAt(
            47 * M + 15 * DAY,
            [
                uint256(154_700_000e18),
                150_500_000e18,
                37_800_000e18,
                70_000_000e18,
                77_000_000e18,
                139_949_404_761904761904761904,
                69_270_833_333333333333333333
            ],
            699_220_238_095238095238095237
        );
        // Month 48: everything.
        _checkAt(
            48 * M,
            [
                uint256(154_700_000e18),
                150_500_000e18,
                37_800_000e18,
                70_000_000e18,
                77_000_000e18,
                140_000_000e18,
                70_000_000e18
            ],
            SUPPLY
        );
    }

    function _checkAt(uint256 offset, uint256[7] memory expected, uint256 total) internal view {
        uint256 t = TGE + offset;
        for (uint256 i = 0; i < 7; ++i) {
            assertEq(vesting.vested(_c(i), t), expected[i], vesting.schedule(_c(i)).name);
        }
        assertEq(vesting.unlockedSupply(t), total, "unlockedSupply");
    }

    function test_cliffEdges() public view {
        uint256 cliff = TGE + 12 * M;
        uint256 team = 154_700_000e18;
        uint256 perSecond = team / (720 days); // not exact, so the last second holds the remainder
        assertEq(vesting.vested(Vesting.Category.Team, cliff - 1), 0);
        assertEq(vesting.vested(Vesting.Category.Team, cliff), 0);
        assertEq(vesting.vested(Vesting.Category.Team, cliff + 1), perSecond);
        assertEq(vesting.vested(Vesting.Category.Team, TGE + 36 * M - 1), team - perSecond - 1);
        assertEq(vesting.vested(Vesting.Category.Team, TGE + 36 * M), team);
        assertEq(vesting.vested(Vesting.Category.DevCo, TGE), 18_900_000e18);
        assertEq(vesting.vested(Vesting.Category.DevCo, TGE - 1), 0);
    }

    /// Each Node Sale month m releases 85 % × 140M × (49 − m)/1176, within 1 wei of flooring, and the
    /// slices shrink every month.
    function test_nodeSaleDegressiveSlices() public view {
        uint256 stream = 119_000_000e18;
        uint256 prev = vesting.vested(Vesting.Category.NodeSale, TGE);
        uint256 prevSlice = type(uint256).max;
        uint256 total;
        for (uint256 m = 1; m <= 48; ++m) {
            uint256 cur = vesting.vested(Vesting.Category.NodeSale, TGE + m * M);
            uint256 slice = cur - prev;
            assertApproxEqAbs(slice, stream * (49 - m) / 1176, 1, "slice");
            assertLt(slice, prevSlice);
            total += slice;
            prev = cur;
            prevSlice = slice;
        }
        assertEq(total, stream);
        assertEq(prev, 140_000_000e18);
    }

    function test_rewardsReserveLinearOver1440Days() public view {
        uint256 a = 70_000_000e18;
        assertEq(vesting.vested(Vesting.Category.RewardsReserve, TGE), 0);
        assertEq(vesting.vested(Vesting.Category.RewardsReserve, TGE + 720 days), a / 2);
        assertEq(vesting.vested(Vesting.Category.RewardsReserve, TGE + 1 days), a / 1440);
        assertEq(vesting.vested(Vesting.Category.RewardsReserve, TGE + 1440 days), a);
    }

    function test_unlockedSupplyReachesSupplyAtMonth48() public view {
        assertLt(vesting.unlockedSupply(TGE + 48 * M - 1), SUPPLY);
        assertEq(vesting.unlockedSupply(TGE + 48 * M), SUPPLY);
        assertEq(vesting.unlockedSupply(type(uint256).max), SUPPLY);
    }

    // ---------------------------------------------------------------- release

    function test_release() public {
        vm.warp(TGE + 12 * M + 15 * DAY);
        Vesting.Category c = Vesting.Category.DevCo;
        uint256 expected = 28_743_750e18;
        assertEq(vesting.releasable(c), expected);
        vm.expectEmit(true, true, false, true, address(vesting));
        emit Vesting.Released(c, bens[2], expected);
        vm.prank(stranger); // anyone may trigger; the beneficiary is paid
        assertEq(vesting.release(c), expected);
        assertEq(token.balanceOf(bens[2]), expected);
        assertEq(token.balanceOf(stranger), 0);
        assertEq(vesting.released(c), expected);
        assertEq(vesting.releasable(c), 0);
        assertEq(token.balanceOf(address(vesting)), SUPPLY - expected);

        vm.expectRevert(abi.encodeWithSelector(Vesting.NothingToRelease.selector, c));
        vesting.release(c);

        vm.warp(TGE + 24 * M);
        assertEq(vesting.release(c), 37_800_000e18 - expected);
        assertEq(token.balanceOf(bens[2]), 37_800_000e18);
    }

    function test_releaseAtTge() public {
        vm.warp(TGE);
        assertEq(vesting.release(Vesting.Category.NodeSale), 21_000_000e18);
        vm.expectRevert(abi.encodeWithSelector(Vesting.NothingToRelease.selector, Vesting.Category.Team));
        vesting.release(Vesting.Category.Team);
    }

    function test_releaseEverythingAfterEnd() public {
        vm.warp(TGE + 100 * M);
        for (uint256 i = 0; i < 7; ++i) {
            uint256 amount = vesting.schedule(_c(i)).amount;
            assertEq(vesting.release(_c(i)), amount);
            assertEq(token.balanceOf(bens[i]), amount);
        }
        assertEq(token.balanceOf(address(vesting)), 0);
    }

    function test_releaseWhenPaused() public {
        vm.warp(TGE + M);
        vm.prank(admin);
        vesting.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vesting.release(Vesting.Category.DevCo);
        vm.prank(admin);
        vesting.unpause();
        vesting.release(Vesting.Category.DevCo);
    }

    function test_pauseOnlyEmergency() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, vesting.EMERGENCY_ROLE()
            )
        );
        vm.prank(stranger);
        vesting.pause();
    }

    // ---------------------------------------------------------------- beneficiaries

    function test_setBeneficiary() public {
        Vesting.Category c = Vesting.Category.Partners;
        address next = address(0x9E77);
        vm.expectEmit(true, true, true, true, address(vesting));
        emit Vesting.BeneficiaryChanged(c, bens[4], next);
        vm.prank(bens[4]);
        vesting.setBeneficiary(c, next);
        assertEq(vesting.beneficiary(c), next);
        assertEq(vesting.schedule(c).beneficiary, next);

        vm.warp(TGE + 18 * M); // half of 36 months
        vesting.release(c);
        assertEq(token.balanceOf(next), 38_500_000e18);
        assertEq(token.balanceOf(bens[4]), 0);

        // The previous beneficiary has no say any more.
        vm.expectRevert(abi.encodeWithSelector(Vesting.NotBeneficiary.selector, c, bens[4], next));
        vm.prank(bens[4]);
        vesting.setBeneficiary(c, bens[4]);
    }

    function test_setBeneficiaryRejectsStranger() public {
        vm.expectRevert(
            abi.encodeWithSelector(Vesting.NotBeneficiary.selector, Vesting.Category.Team, stranger, bens[0])
        );
        vm.prank(stranger);
        vesting.setBeneficiary(Vesting.Category.Team, stranger);
        // Not even the admin.
        vm.expectRevert(abi.encodeWithSelector(Vesting.NotBeneficiary.selector, Vesting.Category.Team, admin, bens[0]));
        vm.prank(admin);
        vesting.setBeneficiary(Vesting.Category.Team, admin);
    }

    function test_setBeneficiaryRejectsZero() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        vm.prank(bens[0]);
        vesting.setBeneficiary(Vesting.Category.Team, address(0));
    }

    function test_setBeneficiaryWhenPaused() public {
        vm.prank(admin);
        vesting.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(bens[0]);
        vesting.setBeneficiary(Vesting.Category.Team, stranger);
    }

    // ---------------------------------------------------------------- fuzz

    function testFuzz_vestedMonotoneAndBounded(uint8 cat, uint256 t1, uint256 t2) public view {
        Vesting.Category c = _c(bound(cat, 0, 6));
        t1 = bound(t1, TGE - 30 days, TGE + 60 * M);
        t2 = bound(t2, t1, TGE + 60 * M);
        uint256 v1 = vesting.vested(c, t1);
        uint256 v2 = vesting.vested(c, t2);
        uint256 amount = vesting.schedule(c).amount;
        assertLe(v1, v2);
        assertLe(v2, amount);
        if (t2 >= TGE + 48 * M) assertEq(v2, amount);
        if (t1 < TGE) assertEq(v1, 0);
    }

    /// Any timestamps, even beyond the calendar: still bounded and exact after the end.
    function testFuzz_vestedAnyTimestamp(uint8 cat, uint256 t) public view {
        Vesting.Category c = _c(bound(cat, 0, 6));
        uint256 v = vesting.vested(c, t);
        uint256 amount = vesting.schedule(c).amount;
        assertLe(v, amount);
        if (t >= TGE + 48 * M) assertEq(v, amount);
    }

    function testFuzz_releaseAccounting(uint8 cat, uint256 d1, uint256 d2, uint256 d3) public {
        Vesting.Category c = _c(bound(cat, 0, 6));
        uint256 t = TGE;
        uint256[3] memory steps = [bound(d1, 0, 20 * M), bound(d2, 0, 20 * M), bound(d3, 0, 20 * M)];
        for (uint256 s = 0; s < 3; ++s) {
            t += steps[s];
            vm.warp(t);
            uint256 vestedNow = vesting.vested(c, t);
            assertEq(vesting.releasable(c) + vesting.released(c), vestedNow);
            if (vesting.releasable(c) > 0) vesting.release(c);
            assertEq(vesting.released(c), vestedNow);
            assertEq(token.balanceOf(vesting.beneficiary(c)), vestedNow);
            assertEq(vesting.releasable(c), 0);
        }
    }

    function testFuzz_unlockedSupplyMonotone(uint256 t1, uint256 t2) public view {
        t1 = bound(t1, TGE - 30 days, TGE + 60 * M);
        t2 = bound(t2, t1, TGE + 60 * M);
        uint256 u1 = vesting.unlockedSupply(t1);
        uint256 u2 = vesting.unlockedSupply(t2);
        assertLe(u1, u2);
        assertLe(u2, SUPPLY);
        if (t2 >= TGE + 48 * M) assertEq(u2, SUPPLY);
        uint256 sum;
        for (uint256 i = 0; i < 7; ++i) {
            sum += vesting.vested(_c(i), t2);
        }
        assertEq(u2, sum);
    }

    /// A TGE in the past (deployment after the event) vests what is due at once.
    function testFuzz_tgeInThePast(uint256 ago) public {
        ago = bound(ago, 0, 60 * M);
        vm.warp(uint256(TGE) + 60 * M);
        uint64 tge = uint64(block.timestamp - ago);
        Vesting v = new Vesting(admin, tge, bens);
        assertEq(v.unlockedSupply(block.timestamp), v.unlockedSupply(uint256(tge) + ago));
        uint256 sum;
        for (uint256 i = 0; i < 7; ++i) {
            sum += v.releasable(_c(i));
        }
        assertEq(sum, v.unlockedSupply(block.timestamp));
    }
}

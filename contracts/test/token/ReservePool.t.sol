// SPDX-License-Identifier: MIT
// forge tests for ReservePool: protocol-only payouts, depositor top-ups, Vesting releases arriving.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {ReservePool} from "../../src/token/ReservePool.sol";
import {Vesting} from "../../src/token/Vesting.sol";
import {ICNT} from "../../src/token/ICNT.sol";
import {ProtocolRoles} from "../../src/common/ProtocolRoles.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

contract ReservePoolTest is Test {
    address internal admin = address(0xAD);
    address internal protocol = address(0x9207);
    address internal depositor = address(0xDE9);
    address internal alice = address(0xA11CE);
    ICNT internal token;
    ReservePool internal pool;

    function setUp() public {
        token = new ICNT(address(this));
        pool = new ReservePool(admin, IERC20(address(token)));
        vm.startPrank(admin);
        pool.grantRole(pool.PROTOCOL_ROLE(), protocol);
        pool.grantRole(pool.DEPOSITOR_ROLE(), depositor);
        vm.stopPrank();
        token.transfer(address(pool), 1_000e18); // a plain transfer counts at once
        token.transfer(depositor, 500e18);
    }

    function _unauthorized(address who, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, who, role);
    }

    function test_constructor() public view {
        assertEq(address(pool.icnt()), address(token));
        assertTrue(pool.hasRole(pool.DEFAULT_ADMIN_ROLE(), admin));
        assertTrue(pool.hasRole(pool.GOVERNANCE_ROLE(), admin));
        assertFalse(pool.hasRole(pool.PROTOCOL_ROLE(), admin));
        assertEq(pool.DEPOSITOR_ROLE(), keccak256("DEPOSITOR_ROLE"));
        assertEq(pool.available(), 1_000e18);
    }

    function test_constructorRejectsZeroAddresses() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new ReservePool(address(0), IERC20(address(token)));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new ReservePool(admin, IERC20(address(0)));
    }

    // ---------------------------------------------------------------- setSpender

    function test_setSpender() public {
        vm.expectEmit(true, false, false, true, address(pool));
        emit ReservePool.SpenderSet(protocol, 400e18);
        vm.prank(admin);
        pool.setSpender(protocol, 400e18);
        assertEq(token.allowance(address(pool), protocol), 400e18);
        // the spender draws with transferFrom, up to its allowance and the balance
        vm.startPrank(protocol);
        token.transferFrom(address(pool), alice, 150e18);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, protocol, 250e18, 250e18 + 1)
        );
        token.transferFrom(address(pool), alice, 250e18 + 1);
        vm.stopPrank();
        assertEq(pool.available(), 850e18);
        // revoked
        vm.prank(admin);
        pool.setSpender(protocol, 0);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, protocol, 0, 1));
        vm.prank(protocol);
        token.transferFrom(address(pool), alice, 1);
    }

    function test_setSpenderErrors() public {
        vm.expectRevert(_unauthorized(protocol, pool.GOVERNANCE_ROLE()));
        vm.prank(protocol);
        pool.setSpender(protocol, 1);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        vm.prank(admin);
        pool.setSpender(address(0), 1);
    }

    // ---------------------------------------------------------------- pay

    function test_pay() public {
        vm.expectEmit(true, true, false, true, address(pool));
        emit ReservePool.Paid(alice, 300e18, protocol);
        vm.prank(protocol);
        pool.pay(alice, 300e18);
        assertEq(token.balanceOf(alice), 300e18);
        assertEq(pool.available(), 700e18);
    }

    function test_payWholeBalanceAndZero() public {
        vm.startPrank(protocol);
        pool.pay(alice, 1_000e18);
        pool.pay(alice, 0); // no-op, no revert
        vm.stopPrank();
        assertEq(pool.available(), 0);
        assertEq(token.balanceOf(alice), 1_000e18);
    }

    function test_payRejectsNonProtocol() public {
        bytes32 role = pool.PROTOCOL_ROLE();
        vm.expectRevert(_unauthorized(alice, role));
        vm.prank(alice);
        pool.pay(alice, 1);
        vm.expectRevert(_unauthorized(admin, role)); // not even the admin directly
        vm.prank(admin);
        pool.pay(alice, 1);
    }

    function test_payRejectsOverBalance() public {
        vm.expectRevert(abi.encodeWithSelector(ReservePool.InsufficientReserve.selector, 1_000e18 + 1, 1_000e18));
        vm.prank(protocol);
        pool.pay(alice, 1_000e18 + 1);
    }

    function test_payRejectsZeroReceiver() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        vm.prank(protocol);
        pool.pay(address(0), 1);
    }

    function test_payWhenPaused() public {
        vm.prank(admin);
        pool.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(protocol);
        pool.pay(alice, 1);
        vm.prank(admin);
        pool.unpause();
        vm.prank(protocol);
        pool.pay(alice, 1);
        assertEq(token.balanceOf(alice), 1);
    }

    function testFuzz_pay(uint256 funded, uint256 amount) public {
        funded = bound(funded, 0, 1_000_000e18);
        token.transfer(address(pool), funded);
        uint256 avail = pool.available();
        amount = bound(amount, 0, avail + 1e18);
        vm.prank(protocol);
        if (amount > avail) {
            vm.expectRevert(abi.encodeWithSelector(ReservePool.InsufficientReserve.selector, amount, avail));
            pool.pay(alice, amount);
        } else {
            pool.pay(alice, amount);
            assertEq(pool.available(), avail - amount);
            assertEq(token.balanceOf(alice), amount);
        }
    }

    // ---------------------------------------------------------------- deposit

    function test_deposit() public {
        vm.startPrank(depositor);
        token.approve(address(pool), 200e18);
        vm.expectEmit(true, false, false, true, address(pool));
        emit ReservePool.Deposited(depositor, 200e18);
        pool.deposit(200e18);
        vm.stopPrank();
        assertEq(pool.available(), 1_200e18);
        assertEq(token.balanceOf(depositor), 300e18);
    }

    function test_depositWhilePaused() public {
        vm.prank(admin);
        pool.pause();
        vm.startPrank(depositor);
        token.approve(address(pool), 1e18);
        pool.deposit(1e18);
        vm.stopPrank();
        assertEq(pool.available(), 1_001e18);
    }

    function test_depositRejectsNonDepositor() public {
        bytes32 role = pool.DEPOSITOR_ROLE();
        vm.expectRevert(_unauthorized(alice, role));
        vm.prank(alice);
        pool.deposit(1);
    }

    function test_depositRejectsZero() public {
        vm.expectRevert(ReservePool.ZeroAmount.selector);
        vm.prank(depositor);
        pool.deposit(0);
    }

    function test_depositRejectsWithoutApproval() public {
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(pool), 0, 1e18)
        );
        vm.prank(depositor);
        pool.deposit(1e18);
    }

    function testFuzz_deposit(uint256 amount) public {
        amount = bound(amount, 1, 500e18);
        vm.startPrank(depositor);
        token.approve(address(pool), amount);
        pool.deposit(amount);
        vm.stopPrank();
        assertEq(pool.available(), 1_000e18 + amount);
    }

    // ---------------------------------------------------------------- wiring with Vesting

    /// The two deployed pools are the Vesting beneficiaries of Node Sale and Rewards Reserve: releases
    /// arrive as plain transfers and are payable at once.
    function test_vestingReleasesLandInPools() public {
        uint64 tge = uint64(block.timestamp + 1);
        address[7] memory bens;
        for (uint256 i = 0; i < 7; ++i) {
            bens[i] = address(uint160(0xBE00 + i));
        }
        Vesting vesting = new Vesting(admin, tge, bens);
        IERC20 icnt = IERC20(address(vesting.token()));
        ReservePool linkPool = new ReservePool(admin, icnt);
        ReservePool rewardsReserve = new ReservePool(admin, icnt);
        vm.prank(bens[5]);
        vesting.setBeneficiary(Vesting.Category.NodeSale, address(linkPool));
        vm.prank(bens[6]);
        vesting.setBeneficiary(Vesting.Category.RewardsReserve, address(rewardsReserve));

        vm.warp(tge + 720 days);
        vesting.release(Vesting.Category.NodeSale);
        vesting.release(Vesting.Category.RewardsReserve);
        assertEq(linkPool.available(), 109_642_857_142857142857142857); // month 24 of the Node Sale curve
        assertEq(rewardsReserve.available(), 35_000_000e18);

        vm.startPrank(admin);
        rewardsReserve.grantRole(rewardsReserve.PROTOCOL_ROLE(), protocol);
        vm.stopPrank();
        vm.prank(protocol);
        rewardsReserve.pay(alice, 5e18);
        assertEq(icnt.balanceOf(alice), 5e18);
    }

    function test_pauseOnlyEmergency() public {
        bytes32 role = pool.EMERGENCY_ROLE();
        vm.expectRevert(_unauthorized(protocol, role));
        vm.prank(protocol);
        pool.pause();
    }
}

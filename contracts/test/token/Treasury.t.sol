// SPDX-License-Identifier: MIT
// forge tests for Treasury: receives by plain transfer, only governance moves ICNT or other tokens.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {Treasury} from "../../src/token/Treasury.sol";
import {ReservePool} from "../../src/token/ReservePool.sol";
import {ICNT} from "../../src/token/ICNT.sol";
import {ProtocolRoles} from "../../src/common/ProtocolRoles.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

contract TreasuryTest is Test {
    address internal admin = address(0xAD);
    address internal governance = address(0x60F);
    address internal alice = address(0xA11CE);
    ICNT internal token;
    ICNT internal other; // any other ERC-20 that ends up in the Treasury
    Treasury internal treasury;

    function setUp() public {
        token = new ICNT(address(this));
        other = new ICNT(address(this));
        treasury = new Treasury(admin, IERC20(address(token)));
        bytes32 gov = treasury.GOVERNANCE_ROLE();
        vm.prank(admin);
        treasury.grantRole(gov, governance);
        token.transfer(address(treasury), 1_000e18); // e.g. a Builder payment
        other.transfer(address(treasury), 50e18);
    }

    function _unauthorized(address who) internal view returns (bytes memory) {
        return abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector, who, treasury.GOVERNANCE_ROLE()
        );
    }

    function test_constructor() public view {
        assertEq(address(treasury.icnt()), address(token));
        assertTrue(treasury.hasRole(treasury.GOVERNANCE_ROLE(), admin));
        assertEq(treasury.available(), 1_000e18);
    }

    function test_constructorRejectsZeroAddresses() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Treasury(address(0), IERC20(address(token)));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Treasury(admin, IERC20(address(0)));
    }

    // ---------------------------------------------------------------- transfer (ICNT)

    function test_transfer() public {
        vm.expectEmit(true, true, true, true, address(treasury));
        emit Treasury.Transferred(address(token), alice, 400e18, governance);
        vm.prank(governance);
        treasury.transfer(alice, 400e18);
        assertEq(token.balanceOf(alice), 400e18);
        assertEq(treasury.available(), 600e18);
    }

    /// Governance tops up the Rewards Reserve from the Treasury.
    function test_transferToRewardsReserve() public {
        ReservePool reserve = new ReservePool(admin, IERC20(address(token)));
        vm.prank(governance);
        treasury.transfer(address(reserve), 1_000e18);
        assertEq(reserve.available(), 1_000e18);
        assertEq(treasury.available(), 0);
    }

    function test_transferRejectsNonGovernance() public {
        vm.expectRevert(_unauthorized(alice));
        vm.prank(alice);
        treasury.transfer(alice, 1);
    }

    function test_transferRejectsZeroReceiver() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        vm.prank(governance);
        treasury.transfer(address(0), 1);
    }

    function test_transferRejectsZeroAmount() public {
        vm.expectRevert(Treasury.ZeroAmount.selector);
        vm.prank(governance);
        treasury.transfer(alice, 0);
    }

    function test_transferRejectsOverBalance() public {
        vm.expectRevert(
            abi.encodeWithSelector(Treasury.InsufficientBalance.selector, address(token), 1_001e18, 1_000e18)
        );
        vm.prank(governance);
        treasury.transfer(alice, 1_001e18);
    }

    function test_transferWhenPaused() public {
        vm.prank(admin);
        treasury.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(governance);
        treasury.transfer(alice, 1);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(governance);
        treasury.transferToken(IERC20(address(other)), alice, 1);
    }

    function testFuzz_transfer(uint256 amount) public {
        amount = bound(amount, 1, 1_000e18);
        vm.prank(governance);
        treasury.transfer(alice, amount);
        assertEq(token.balanceOf(alice), amount);
        assertEq(treasury.available(), 1_000e18 - amount);
    }

    // ---------------------------------------------------------------- transferToken (any ERC-20)

    function test_transferToken() public {
        vm.expectEmit(true, true, true, true, address(treasury));
        emit Treasury.Transferred(address(other), alice, 20e18, governance);
        vm.prank(governance);
        treasury.transferToken(IERC20(address(other)), alice, 20e18);
        assertEq(other.balanceOf(alice), 20e18);
        assertEq(treasury.available(), 1_000e18); // ICNT untouched

        vm.prank(governance);
        treasury.transferToken(IERC20(address(token)), alice, 1e18); // ICNT through the generic path
        assertEq(token.balanceOf(alice), 1e18);
    }

    function test_transferTokenRejectsNonGovernance() public {
        vm.expectRevert(_unauthorized(alice));
        vm.prank(alice);
        treasury.transferToken(IERC20(address(other)), alice, 1);
    }

    function test_transferTokenRejectsZeroToken() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        vm.prank(governance);
        treasury.transferToken(IERC20(address(0)), alice, 1);
    }

    function test_transferTokenRejectsZeroReceiverAndAmount() public {
        vm.startPrank(governance);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        treasury.transferToken(IERC20(address(other)), address(0), 1);
        vm.expectRevert(Treasury.ZeroAmount.selector);
        treasury.transferToken(IERC20(address(other)), alice, 0);
        vm.stopPrank();
    }

    function test_transferTokenRejectsOverBalance() public {
        vm.expectRevert(abi.encodeWithSelector(Treasury.InsufficientBalance.selector, address(other), 51e18, 50e18));
        vm.prank(governance);
        treasury.transferToken(IERC20(address(other)), alice, 51e18);
    }
}

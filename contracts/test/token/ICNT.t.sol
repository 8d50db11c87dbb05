// SPDX-License-Identifier: MIT
// forge tests for ICNT: fixed supply minted once, ERC-20 transfers, EIP-2612 permit, burns.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {ICNT} from "../../src/token/ICNT.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

contract ICNTTest is Test {
    uint256 internal constant SUPPLY = 700_000_000e18;
    // Written out independently of the contract (EIP-712 / EIP-2612 text).
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    address internal distribution = address(0xD157);
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);
    ICNT internal token;

    function setUp() public {
        token = new ICNT(distribution);
    }

    // ---------------------------------------------------------------- supply

    function test_metadataAndSupply() public view {
        assertEq(token.name(), "Impossible Cloud Network Token");
        assertEq(token.symbol(), "ICNT");
        assertEq(uint256(token.decimals()), 18);
        assertEq(token.totalSupply(), SUPPLY);
        assertEq(token.totalSupply(), 700_000_000 * 1e18);
        assertEq(token.balanceOf(distribution), SUPPLY);
    }

    function test_constructorMintsOnceToDistribution() public {
        vm.expectEmit(true, true, false, true);
        emit IERC20.Transfer(address(0), alice, SUPPLY);
        ICNT t = new ICNT(alice);
        assertEq(t.balanceOf(alice), SUPPLY);
        assertEq(t.totalSupply(), SUPPLY);
    }

    function test_constructorRejectsZeroDistribution() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        new ICNT(address(0));
    }

    /// No function can create tokens: the usual mint entry points do not exist.
    function test_noMintFunction() public {
        bytes[4] memory calls = [
            abi.encodeWithSignature("mint(address,uint256)", alice, 1),
            abi.encodeWithSignature("mint(uint256)", 1),
            abi.encodeWithSignature("_mint(address,uint256)", alice, 1),
            abi.encodeWithSignature("issue(address,uint256)", alice, 1)
        ];
        for (uint256 i = 0; i < calls.length; ++i) {
            vm.prank(distribution);
            (bool ok,) = address(token).call(calls[i]);
            assertFalse(ok, "a mint-like call succeeded");
        }
        assertEq(token.totalSupply(), SUPPLY);
    }

    // ---------------------------------------------------------------- ERC-20

    function test_transferAndTransferFrom() public {
        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Transfer(distribution, alice, 100e18);
        vm.prank(distribution);
        assertTrue(token.transfer(alice, 100e18));
        assertEq(token.balanceOf(alice), 100e18);

        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Approval(alice, bob, 40e18);
        vm.prank(alice);
        token.approve(bob, 40e18);
        vm.prank(bob);
        token.transferFrom(alice, bob, 30e18);
        assertEq(token.balanceOf(bob), 30e18);
        assertEq(token.balanceOf(alice), 70e18);
        assertEq(token.allowance(alice, bob), 10e18);
    }

    function test_transferRejectsOverBalance() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 0, 1));
        vm.prank(alice);
        token.transfer(bob, 1);
    }

    // ---------------------------------------------------------------- permit (EIP-2612)

    function _domainSeparator(address verifying) internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                DOMAIN_TYPEHASH,
                keccak256(bytes("Impossible Cloud Network Token")),
                keccak256(bytes("1")),
                block.chainid,
                verifying
            )
        );
    }

    function _permitDigest(address owner, address spender, uint256 value, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator(address(token)), structHash));
    }

    function test_domainSeparatorMatchesIndependentComputation() public view {
        assertEq(token.DOMAIN_SEPARATOR(), _domainSeparator(address(token)));
        (, string memory name, string memory version, uint256 chainId, address verifying,,) = token.eip712Domain();
        assertEq(name, "Impossible Cloud Network Token");
        assertEq(version, "1");
        assertEq(chainId, block.chainid);
        assertEq(verifying, address(token));
    }

    function test_permitWithSignature() public {
        uint256 pk = 0xA11CE5EC2E7;
        address owner = vm.addr(pk);
        vm.prank(distribution);
        token.transfer(owner, 500e18);

        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, _permitDigest(owner, bob, 250e18, 0, deadline));

        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Approval(owner, bob, 250e18);
        vm.prank(alice); // anyone may submit the signature
        token.permit(owner, bob, 250e18, deadline, v, r, s);

        assertEq(token.allowance(owner, bob), 250e18);
        assertEq(token.nonces(owner), 1);
        vm.prank(bob);
        token.transferFrom(owner, bob, 250e18);
        assertEq(token.balanceOf(bob), 250e18);
    }

    function test_permitRejectsReplay() public {
        uint256 pk = 0xBEEF;
        address owner = vm.addr(pk);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, _permitDigest(owner, bob, 1e18, 0, deadline));
        token.permit(owner, bob, 1e18, deadline, v, r, s);
        // Same signature again: the nonce moved on, so it recovers to some other address.
        vm.expectPartialRevert(ERC20Permit.ERC2612InvalidSigner.selector);
        token.permit(owner, bob, 1e18, deadline, v, r, s);
    }

    function test_permitRejectsExpired() public {
        uint256 pk = 0xBEEF;
        address owner = vm.addr(pk);
        uint256 deadline = block.timestamp + 10;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, _permitDigest(owner, bob, 1e18, 0, deadline));
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        token.permit(owner, bob, 1e18, deadline, v, r, s);
    }

    function test_permitRejectsOtherSigner() public {
        uint256 pk = 0xBEEF;
        uint256 otherPk = 0xCAFE;
        address owner = vm.addr(pk);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(otherPk, _permitDigest(owner, bob, 1e18, 0, deadline));
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, vm.addr(otherPk), owner));
        token.permit(owner, bob, 1e18, deadline, v, r, s);
    }

    function testFuzz_permit(uint256 pkSeed, uint256 value, uint256 deadlineOffset) public {
        uint256 pk = bound(pkSeed, 1, 1e70); // below the secp256k1 order
        value = bound(value, 0, SUPPLY);
        uint256 deadline = block.timestamp + bound(deadlineOffset, 0, 3650 days);
        address owner = vm.addr(pk);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, _permitDigest(owner, alice, value, 0, deadline));
        token.permit(owner, alice, value, deadline, v, r, s);
        assertEq(token.allowance(owner, alice), value);
        assertEq(token.nonces(owner), 1);
    }

    // ---------------------------------------------------------------- burn

    function test_burnReducesSupply() public {
        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Transfer(distribution, address(0), 1_000e18);
        vm.prank(distribution);
        token.burn(1_000e18);
        assertEq(token.totalSupply(), SUPPLY - 1_000e18);
        assertEq(token.balanceOf(distribution), SUPPLY - 1_000e18);
    }

    function test_burnFromUsesAllowance() public {
        vm.prank(distribution);
        token.approve(alice, 10e18);
        vm.prank(alice);
        token.burnFrom(distribution, 4e18);
        assertEq(token.totalSupply(), SUPPLY - 4e18);
        assertEq(token.allowance(distribution, alice), 6e18);
    }

    function test_burnFromRejectsWithoutAllowance() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, alice, 0, 1));
        vm.prank(alice);
        token.burnFrom(distribution, 1);
    }

    function test_burnRejectsOverBalance() public {
        vm.prank(distribution);
        token.transfer(alice, 5);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 5, 6));
        vm.prank(alice);
        token.burn(6);
    }

    function testFuzz_burn(uint256 amount) public {
        amount = bound(amount, 0, SUPPLY);
        vm.prank(distribution);
        token.burn(amount);
        assertEq(token.totalSupply(), SUPPLY - amount);
        assertEq(token.balanceOf(distribution), SUPPLY - amount);
    }
}

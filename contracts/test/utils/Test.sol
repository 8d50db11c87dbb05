// SPDX-License-Identifier: MIT
// Tiny forge test base: the cheatcode handle plus assert helpers (a revert = a failed test).
pragma solidity ^0.8.24;

import {Vm, VM_ADDRESS} from "./Vm.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

abstract contract Test {
    // forge-lint: disable-next-line(screaming-snake-case-const)
    Vm internal constant vm = Vm(VM_ADDRESS);

    /// forge prints these with -vv (ds-test's name, which forge decodes).
    event log_named_uint(string key, uint256 val);

    function _fail(string memory what, string memory a, string memory b, string memory err) private pure {
        revert(string.concat(bytes(err).length > 0 ? string.concat(err, ": ") : "", what, " left=", a, " right=", b));
    }

    function assertTrue(bool c) internal pure { assertTrue(c, ""); }
    function assertTrue(bool c, string memory err) internal pure {
        require(c, bytes(err).length > 0 ? err : "assertTrue failed");
    }
    function assertFalse(bool c) internal pure { assertFalse(c, ""); }
    function assertFalse(bool c, string memory err) internal pure {
        require(!c, bytes(err).length > 0 ? err : "assertFalse failed");
    }

    function assertEq(uint256 a, uint256 b) internal pure { assertEq(a, b, ""); }
    function assertEq(uint256 a, uint256 b, string memory err) internal pure {
        if (a != b) _fail("assertEq(uint256)", Strings.toString(a), Strings.toString(b), err);
    }
    function assertEq(int256 a, int256 b) internal pure { assertEq(a, b, ""); }
    function assertEq(int256 a, int256 b, string memory err) internal pure {
        if (a != b) _fail("assertEq(int256)", Strings.toStringSigned(a), Strings.toStringSigned(b), err);
    }
    function assertEq(address a, address b) internal pure { assertEq(a, b, ""); }
    function assertEq(address a, address b, string memory err) internal pure {
        if (a != b) _fail("assertEq(address)", Strings.toHexString(a), Strings.toHexString(b), err);
    }
    function assertEq(bytes32 a, bytes32 b) internal pure { assertEq(a, b, ""); }
    function assertEq(bytes32 a, bytes32 b, string memory err) internal pure {
        if (a != b) {
            _fail("assertEq(bytes32)", Strings.toHexString(uint256(a), 32), Strings.toHexString(uint256(b), 32), err);
        }
    }
    function assertEq(bool a, bool b) internal pure { assertEq(a, b, ""); }
    function assertEq(bool a, bool b, string memory err) internal pure {
        if (a != b) _fail("assertEq(bool)", a ? "true" : "false", b ? "true" : "false", err);
    }
    function assertEq(string memory a, string memory b) internal pure { assertEq(a, b, ""); }
    function assertEq(string memory a, string memory b, string memory err) internal pure {
        if (keccak256(bytes(a)) != keccak256(bytes(b))) _fail("assertEq(string)", a, b, err);
    }
    function assertEq(bytes memory a, bytes memory b) internal pure { assertEq(a, b, ""); }
    function assertEq(bytes memory a, bytes memory b, string memory err) internal pure {
        if (keccak256(a) != keccak256(b)) _fail("assertEq(bytes)", "<bytes>", "<bytes>", err);
    }

    function assertGt(uint256 a, uint256 b) internal pure { assertGt(a, b, ""); }
    function assertGt(uint256 a, uint256 b, string memory err) internal pure {
        if (a <= b) _fail("assertGt", Strings.toString(a), Strings.toString(b), err);
    }
    function assertGe(uint256 a, uint256 b) internal pure { assertGe(a, b, ""); }
    function assertGe(uint256 a, uint256 b, string memory err) internal pure {
        if (a < b) _fail("assertGe", Strings.toString(a), Strings.toString(b), err);
    }
    function assertLt(uint256 a, uint256 b) internal pure { assertLt(a, b, ""); }
    function assertLt(uint256 a, uint256 b, string memory err) internal pure {
        if (a >= b) _fail("assertLt", Strings.toString(a), Strings.toString(b), err);
    }
    function assertLe(uint256 a, uint256 b) internal pure { assertLe(a, b, ""); }
    function assertLe(uint256 a, uint256 b, string memory err) internal pure {
        if (a > b) _fail("assertLe", Strings.toString(a), Strings.toString(b), err);
    }
    /// |a − b| ≤ maxDelta.
    function assertApproxEqAbs(uint256 a, uint256 b, uint256 maxDelta, string memory err) internal pure {
        uint256 d = a > b ? a - b : b - a;
        if (d > maxDelta) _fail("assertApproxEqAbs", Strings.toString(a), Strings.toString(b), err);
    }
    /// |a − b| ≤ b × maxRelWad / 1e18.
    function assertApproxEqRel(uint256 a, uint256 b, uint256 maxRelWad, string memory err) internal pure {
        uint256 d = a > b ? a - b : b - a;
        if (d * 1e18 > b * maxRelWad) _fail("assertApproxEqRel", Strings.toString(a), Strings.toString(b), err);
    }

    /// Maps x into [min, max] (for fuzz inputs), without rejecting runs like vm.assume would;
    /// a value already in range is returned unchanged.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x; // in-range values pass through, as in forge-std
        if (min == 0 && max == type(uint256).max) return x;
        return min + (x % (max - min + 1));
    }
}

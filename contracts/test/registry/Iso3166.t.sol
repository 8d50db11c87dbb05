// SPDX-License-Identifier: MIT
// The generated ISO-3166-1 alpha-3 table: known codes, rejections, ordering, and the binary search
// against a linear scan.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {Iso3166} from "../../src/registry/Iso3166.sol";

contract Iso3166Test is Test {
    function test_count() public pure {
        assertEq(Iso3166.COUNT, 249);
        assertEq(Iso3166.CODES.length, 249 * 3);
    }

    function test_knownCodes() public pure {
        bytes3[14] memory known =
            [bytes3("DEU"), "USA", "FRA", "CHE", "GBR", "ARE", "AUS", "DNK", "AFG", "ALA", "ABW", "ZWE", "ZMB", "ATA"];
        for (uint256 i; i < known.length; ++i) {
            assertTrue(Iso3166.isValid(known[i]), string(abi.encodePacked(known[i])));
        }
    }

    function test_rejections() public pure {
        bytes3[12] memory bad = [
            bytes3("XXX"),
            "deu",
            "Deu",
            bytes3(0x444500), // "DE\0"
            bytes3(0),
            "AAA",
            "ZZZ",
            "EUW", // a region name, not a country
            "DE ",
            "UK ",
            "GER",
            bytes3(0xffffff)
        ];
        for (uint256 i; i < bad.length; ++i) {
            assertFalse(Iso3166.isValid(bad[i]), string(abi.encodePacked(bad[i])));
        }
    }

    function test_tableIsSortedUpperCaseAndEveryEntryIsFound() public pure {
        bytes3 previous;
        for (uint256 i; i < Iso3166.COUNT; ++i) {
            bytes3 code = Iso3166.codeAt(i);
            assertTrue(uint24(code) > uint24(previous), "strictly ascending");
            for (uint256 j; j < 3; ++j) {
                assertTrue(code[j] >= "A" && code[j] <= "Z", "upper-case letters");
            }
            assertTrue(Iso3166.isValid(code));
            previous = code;
        }
        assertEq(bytes32(Iso3166.codeAt(0)), bytes32(bytes3("ABW")));
        assertEq(bytes32(Iso3166.codeAt(248)), bytes32(bytes3("ZWE")));
    }

    function test_codeAtOutOfRange() public {
        vm.expectRevert(bytes("Iso3166: index out of range"));
        this.codeAt(249);
    }

    function codeAt(uint256 i) external pure returns (bytes3) {
        return Iso3166.codeAt(i);
    }

    /// The binary search agrees with a linear scan for any three bytes.
    function testFuzz_matchesLinearScan(bytes3 code) public pure {
        bool found;
        for (uint256 i; i < Iso3166.COUNT; ++i) {
            if (Iso3166.codeAt(i) == code) {
                found = true;
                break;
            }
        }
        assertEq(Iso3166.isValid(code), found);
    }

    /// Upper-case three-letter strings (the interesting region of the input space).
    function testFuzz_upperCaseLetters(uint8 a, uint8 b, uint8 c) public pure {
        bytes3 code = bytes3(
            abi.encodePacked(bytes1(uint8(65 + a % 26)), bytes1(uint8(65 + b % 26)), bytes1(uint8(65 + c % 26)))
        );
        bool found;
        for (uint256 i; i < Iso3166.COUNT; ++i) {
            if (Iso3166.codeAt(i) == code) {
                found = true;
                break;
            }
        }
        assertEq(Iso3166.isValid(code), found);
    }
}

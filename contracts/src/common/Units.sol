// SPDX-License-Identifier: MIT
// Units every ICN contract shares: token precision, percentages and the contract calendar.
pragma solidity ^0.8.24;

// 1 ICNT in base units (18 decimals); also the precision of fixed-point values (1.0 = 1e18).
uint256 constant WAD = 1e18;
// 100 % in the protocol's percentage fixed point (spec §0: 1e18 precision, 100 % = 100e18).
uint256 constant HUNDRED_PERCENT = 100e18;
// The protocol calendar (spec §0): a month is 30 days, a year 360 days.
uint256 constant MONTH = 30 days;
uint256 constant YEAR = 360 days;
// The fixed ICNT supply: 700,000,000 ICNT, minted once (spec §8.1).
uint256 constant ICNT_TOTAL_SUPPLY = 700_000_000 * WAD;

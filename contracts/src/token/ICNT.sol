// SPDX-License-Identifier: MIT
// ICNT, the fixed-supply ERC-20 of the Impossible Cloud Network: 700M minted once, never again.
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ICNT_TOTAL_SUPPLY} from "../common/Units.sol";

/// @title ICNT — Impossible Cloud Network Token
/// @notice ERC-20 with 18 decimals, EIP-2612 permit and holder burns (spec §8.1). The whole supply
/// (700,000,000 ICNT) is minted in the constructor to `distribution` — in a deployment the Vesting
/// contract, which holds the allocation table — and no mint function exists, so the supply can only
/// shrink (by burns).
contract ICNT is ERC20, ERC20Permit, ERC20Burnable {
    /// @param distribution receives the entire supply once; the zero address is rejected by ERC20.
    constructor(address distribution)
        ERC20("Impossible Cloud Network Token", "ICNT")
        ERC20Permit("Impossible Cloud Network Token")
    {
        _mint(distribution, ICNT_TOTAL_SUPPLY);
    }
}

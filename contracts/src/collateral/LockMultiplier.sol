// SPDX-License-Identifier: MIT
// The delegation lock multiplier s(L) = f(L) / f(48 months), f(d) = (C1·d + C2) / (d + C3) in days (spec §10.5).
pragma solidity ^0.8.24;

import {WAD} from "../common/Units.sol";

/// @title LockMultiplier
/// @notice Pure arithmetic of the lock multiplier, exact to one WAD unit: the two fractions are
/// combined into one division, s(d) = (C1·d + C2)(D + C3) / ((d + C3)(C1·D + C2)) with D = 1,440 days.
library LockMultiplier {
    /// Longest lock in days (48 contract months); s(MAX_LOCK_DAYS) = 1.
    uint256 internal constant MAX_LOCK_DAYS = 1_440;

    /// @notice s(lockDays) in WAD (1e18 = 1.0).
    /// @dev Callers keep c1 ≥ 1 and c1·c3 > c2, which makes f increasing in d, so s is monotone and
    /// s(d) ≤ 1 for d ≤ MAX_LOCK_DAYS. Products stay far below 2^256 for the bounded constants.
    /// @param lockDays the lock length in whole days
    /// @param c1 the C1 constant (dimensionless)
    /// @param c2 the C2 constant (days)
    /// @param c3 the C3 constant (days)
    /// @return s the multiplier, WAD
    function multiplier(uint256 lockDays, uint256 c1, uint256 c2, uint256 c3) internal pure returns (uint256 s) {
        uint256 num = (c1 * lockDays + c2) * (MAX_LOCK_DAYS + c3);
        uint256 den = (lockDays + c3) * (c1 * MAX_LOCK_DAYS + c2);
        return num * WAD / den;
    }
}

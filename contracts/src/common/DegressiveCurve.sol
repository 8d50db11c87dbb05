// SPDX-License-Identifier: MIT
// The Node Sale's degressive monthly curve, shared by Vesting (the category's unlocks) and RewardPolicy
// (the Link reward curve paid from that allocation), so both always describe the same curve.
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {MONTH} from "./Units.sol";

/// @title DegressiveCurve
/// @notice Over n months, month m (1 … n) carries weight n + 1 − m of the total n(n+1)/2: the first month
/// pays most, each later month one step less, the last month one step.
library DegressiveCurve {
    /// @notice Weight of month `month` in a curve of `months` months (0 outside 1 … months).
    function weight(uint256 month, uint256 months) internal pure returns (uint256) {
        if (month == 0 || month > months) return 0;
        return months + 1 - month;
    }

    /// @notice Sum of the weights of a curve of `months` months: months(months + 1)/2.
    function totalWeight(uint256 months) internal pure returns (uint256) {
        return months * (months + 1) / 2;
    }

    /// @notice Part of `stream` released `elapsed` seconds into a curve lasting `duration` seconds (n =
    /// duration / MONTH months), linear within each month. After k whole months and r seconds of month k+1:
    ///   stream × (k(2n+1−k)·MONTH + 2(n−k)·r) / (n(n+1)·MONTH),
    /// one floor division of a numerator that grows with time, so the result is monotone and exact at
    /// every month boundary (k = n gives the full stream). Requires elapsed < duration.
    function streamed(uint256 stream, uint256 elapsed, uint256 duration) internal pure returns (uint256) {
        uint256 n = duration / MONTH;
        uint256 k = elapsed / MONTH;
        uint256 r = elapsed % MONTH;
        uint256 numerator = k * (2 * n + 1 - k) * MONTH + 2 * (n - k) * r;
        return Math.mulDiv(stream, numerator, 2 * totalWeight(n) * MONTH);
    }
}

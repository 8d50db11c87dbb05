// SPDX-License-Identifier: MIT
// The max-APY curve: piecewise-linear over points evenly spaced on the collateralisation rate [0, 1] (spec §10.5).
pragma solidity ^0.8.24;

import {WAD} from "../common/Units.sol";

/// @title ApyCurve
/// @notice Point i of k sits at x = i / (k − 1); between two points the APY is interpolated linearly.
library ApyCurve {
    /// @notice The curve's value at collateralisation rate `x`.
    /// @param points k ≥ 2 APY values (percent, 1e18 fixed point, 100 % = 100e18)
    /// @param x the collateralisation rate, WAD; values above 1e18 read as 1e18
    /// @return apy the interpolated APY in the points' unit
    function valueAt(uint256[] storage points, uint256 x) internal view returns (uint256 apy) {
        uint256 segments = points.length - 1;
        if (x >= WAD) return points[segments];
        uint256 scaled = x * segments; // position along the curve, WAD per segment
        uint256 i = scaled / WAD;
        uint256 frac = scaled - i * WAD;
        uint256 a = points[i];
        uint256 b = points[i + 1];
        return b >= a ? a + (b - a) * frac / WAD : a - (a - b) * frac / WAD;
    }
}

// SPDX-License-Identifier: MIT
// Booking arithmetic of the capacity market: price, protocol margin, burn split, eras of a duration.
pragma solidity ^0.8.24;

import {HUNDRED_PERCENT, MONTH} from "../common/Units.sol";

/// @title BookingMath
/// @notice The price rules of spec §7.3 and DESIGN §9 as pure functions (all rounding down, except the
/// era count, which rounds up so a booking never covers less time than was paid for).
library BookingMath {
    /// @notice min(cluster max price, node reservation price): ICNT per capacity unit per 30-day month.
    /// @param clusterMaxPrice the cluster's maximum price
    /// @param reservationPrice the node's reservation price
    /// @return the rate a booking pays
    function rate(uint256 clusterMaxPrice, uint256 reservationPrice) internal pure returns (uint256) {
        return clusterMaxPrice < reservationPrice ? clusterMaxPrice : reservationPrice;
    }

    /// @notice rate × capacity × duration / 30 days: what the node's side receives (the escrow).
    /// @dev No overflow: rates are uint128, the Registry bounds capacity below 2^64 and a node's maximum
    /// booking duration to 3,600 days (< 2^29 s), so the product stays below 2^221.
    /// @param rate_ ICNT per capacity unit per month
    /// @param capacity capacity units
    /// @param duration seconds
    /// @return ICNT (base units), rounded down
    function price(uint256 rate_, uint256 capacity, uint256 duration) internal pure returns (uint256) {
        return rate_ * capacity * duration / MONTH;
    }

    /// @notice price × protocolMargin / 100e18: added on top of the price (spec §7.3).
    /// @param price_ the booking price
    /// @param protocolMargin 1e18 fixed point, 100 % = 100e18
    /// @return ICNT (base units), rounded down
    function margin(uint256 price_, uint256 protocolMargin) internal pure returns (uint256) {
        return price_ * protocolMargin / HUNDRED_PERCENT;
    }

    /// @notice The burned part of a margin; the rest goes to the Treasury.
    /// @param margin_ the margin
    /// @param burnShare 1e18 fixed point, 100 % = 100e18
    /// @return ICNT burned, rounded down (the Treasury gets the rounding)
    function burned(uint256 margin_, uint256 burnShare) internal pure returns (uint256) {
        return margin_ * burnShare / HUNDRED_PERCENT;
    }

    /// @notice ceil(duration / eraSeconds): the eras a booking of `duration` seconds lasts.
    /// @param duration seconds, > 0
    /// @param eraSeconds expected seconds per era, > 0
    /// @return the era count (≥ 1 for a positive duration)
    function eraCount(uint256 duration, uint256 eraSeconds) internal pure returns (uint256) {
        return (duration + eraSeconds - 1) / eraSeconds;
    }
}

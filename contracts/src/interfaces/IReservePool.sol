// SPDX-License-Identifier: MIT
// The Rewards Reserve as the protocol contracts see it: only they may take ICNT out.
pragma solidity ^0.8.24;

interface IReservePool {
    /// @notice Pays `amount` ICNT to `to`; callable only by protocol contracts (PROTOCOL_ROLE).
    function pay(address to, uint256 amount) external;
    /// @notice ICNT available to pay.
    function available() external view returns (uint256);
}

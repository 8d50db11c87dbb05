// SPDX-License-Identifier: MIT
// Test stand-in for the CapacityMarket's escrow (ICapacityMarket) until wip/market lands: holds ICNT per node.
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ICapacityMarket} from "../../src/interfaces/ICapacityMarket.sol";

/// @dev Same contract as the market's escrow side: releaseEscrow only by the PROTOCOL holder (Settlement)
/// and never beyond what a node holds. `fund` stands for Builder bookings.
contract EscrowStandIn is ICapacityMarket {
    IERC20 public immutable icnt;
    address public protocol;
    mapping(uint256 nodeId => uint256) public escrowHeld;
    uint256 public totalPaidIn;
    uint256 public totalReleased;

    error NotProtocol(address caller);
    error EscrowShort(uint256 nodeId, uint256 held, uint256 amount);

    constructor(IERC20 icnt_) {
        icnt = icnt_;
    }

    function setProtocol(address p) external {
        require(protocol == address(0), "set");
        protocol = p;
    }

    function fund(uint256 nodeId, uint256 amount) external {
        escrowHeld[nodeId] += amount;
        totalPaidIn += amount;
        icnt.transferFrom(msg.sender, address(this), amount);
    }

    function releaseEscrow(uint256 nodeId, uint256 amount, address to) external {
        if (msg.sender != protocol) revert NotProtocol(msg.sender);
        uint256 held = escrowHeld[nodeId];
        if (amount > held) revert EscrowShort(nodeId, held, amount);
        escrowHeld[nodeId] = held - amount;
        totalReleased += amount;
        icnt.transfer(to, amount);
    }
}

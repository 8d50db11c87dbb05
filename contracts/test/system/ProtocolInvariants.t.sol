// SPDX-License-Identifier: MIT
// Whole-protocol invariants: ICNT is conserved and collateral/delegations never leave early, while
// a handler drives registrations, validation, collateral, delegation, vesting releases and burns.
pragma solidity ^0.8.24;

import {InvariantTest} from "../utils/Invariant.sol";
import {ProtocolFixture} from "./ProtocolFixture.sol";
import {ProtocolHandler, IProtocolView} from "./ProtocolHandler.sol";
import {ICNT_TOTAL_SUPPLY} from "../../src/common/Units.sol";

contract ProtocolInvariantsTest is ProtocolFixture, InvariantTest {
    ProtocolHandler private handler;

    function setUp() public {
        deployProtocol();
        handler = new ProtocolHandler(IProtocolView(address(this)));
        vm.startPrank(governance);
        registry.grantRole(registry.OPERATOR_ROLE(), address(handler));
        collateral.grantRole(collateral.PROTOCOL_ROLE(), address(handler));
        delegation.grantRole(delegation.PROTOCOL_ROLE(), address(handler));
        vm.stopPrank();
        handler.fund(ecoDev);
        targetContract(address(handler));
        bytes4[] memory ops = new bytes4[](15);
        ops[0] = ProtocolHandler.advance.selector;
        ops[1] = ProtocolHandler.release.selector;
        ops[2] = ProtocolHandler.transfer.selector;
        ops[3] = ProtocolHandler.burn.selector;
        ops[4] = ProtocolHandler.registerNode.selector;
        ops[5] = ProtocolHandler.validate.selector;
        ops[6] = ProtocolHandler.topUp.selector;
        ops[7] = ProtocolHandler.exitOrWithdraw.selector;
        ops[8] = ProtocolHandler.delegate.selector;
        ops[9] = ProtocolHandler.undelegateOrReclaim.selector;
        ops[10] = ProtocolHandler.withdrawLock.selector;
        ops[11] = ProtocolHandler.claimRewards.selector;
        ops[12] = ProtocolHandler.distributeNodeRewards.selector;
        ops[13] = ProtocolHandler.slash.selector;
        ops[14] = ProtocolHandler.registerNode.selector; // registrations feed every other path
        targetSelector(FuzzSelector({addr: address(handler), selectors: ops}));
    }

    // Getters for the handler (the fixture's fields are internal).
    function contracts() external view returns (address[] memory c) {
        c = new address[](10);
        c[0] = address(vesting);
        c[1] = address(icnt);
        c[2] = address(rewardsReserve);
        c[3] = address(linkRewardPool);
        c[4] = address(treasury);
        c[5] = address(eras);
        c[6] = address(registry);
        c[7] = address(collateral);
        c[8] = address(delegation);
        c[9] = address(links);
    }

    function geography() external view returns (uint32, uint32, uint32) {
        return (regionId, classId, clusterId);
    }

    function beneficiaries() external view returns (address[5] memory) {
        return [team, investors, devCo, ecoDev, partners];
    }

    /// Every ICNT that exists is held by a known account or contract, and only burns destroy it.
    function invariant_icntConserved() public view {
        uint256 sum;
        address[] memory holders = handler.holders();
        for (uint256 i = 0; i < holders.length; ++i) {
            sum += icnt.balanceOf(holders[i]);
        }
        assertEq(sum, icnt.totalSupply(), "sum of balances");
        assertEq(icnt.totalSupply() + handler.burned(), ICNT_TOTAL_SUPPLY, "supply + burned");
    }

    /// The Collateral contract holds exactly the collateral it records for its nodes.
    function invariant_collateralCustody() public view {
        uint256[] memory ids = handler.nodes();
        uint256 sum;
        for (uint256 i = 0; i < ids.length; ++i) {
            sum += collateral.collateralOf(ids[i]);
        }
        assertEq(icnt.balanceOf(address(collateral)), sum, "collateral balance");
    }

    /// The Delegation contract holds at least every lock's ICNT (the rest is node rewards owed).
    function invariant_delegationCustody() public view {
        uint256[] memory ids = handler.locks();
        uint256 sum;
        for (uint256 i = 0; i < ids.length; ++i) {
            sum += delegation.lock(ids[i]).amount;
        }
        assertGe(icnt.balanceOf(address(delegation)), sum, "delegation balance");
    }

    /// The handler's operations really move ICNT along every path the invariants guard: a fixed
    /// sequence reaches registration, validation, delegation, rewards, slashing, exit and withdrawal.
    function test_handlerReachesEveryPath() public {
        handler.registerNode(0, 10, 100);
        handler.registerNode(1, 20, 30);
        handler.validate(0, false);
        handler.validate(1, false);
        handler.delegate(2, 0, 1_000 * 1e18, 30);
        handler.advance(50, 1 hours);
        handler.release(6); // the Rewards Reserve receives its first release
        handler.distributeNodeRewards(0, 100 * 1e18);
        handler.claimRewards(0);
        handler.topUp(1, 50 * 1e18);
        handler.slash(1, 10 * 1e18);
        handler.undelegateOrReclaim(0, false);
        handler.advance(200, 1 hours);
        handler.undelegateOrReclaim(0, true);
        handler.advance(200, 12 hours); // past the 30-day lock
        handler.withdrawLock(0, type(uint256).max);
        handler.burn(3, 1e18);
        bytes32[12] memory paths = [
            bytes32("registerNode"), "validate", "delegate", "release", "distribute", "claim", "topUp",
            "slash", "undelegate", "reclaim", "withdrawLock", "burn"
        ];
        for (uint256 i = 0; i < paths.length; ++i) {
            assertGt(handler.calls(paths[i]), 0, string(abi.encodePacked(paths[i])));
        }
        assertEq(handler.refused(), 0, "refusals in a valid sequence");
        invariant_icntConserved();
        invariant_collateralCustody();
        invariant_delegationCustody();
    }
}

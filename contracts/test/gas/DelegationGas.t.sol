// SPDX-License-Identifier: MIT
// Gas of Delegation.slash and of the delegator calls that settle a slash, one operation per test on
// state prepared in setUp (contracts/.gas-snapshot pins each cost; scripts/gas-check).
pragma solidity ^0.8.24;

import {ProtocolFixture} from "../system/ProtocolFixture.sol";
import {Vesting} from "../../src/token/Vesting.sol";
import {ScalerNodeParams} from "../../src/interfaces/IRegistry.sol";
import {WAD} from "../../src/common/Units.sol";

contract DelegationGasTest is ProtocolFixture {
    address private hp = address(0x5001);
    address private holder = address(0x5002);
    uint256 private freshNode; // three delegations (one undelegated), never slashed
    uint256 private slashedNode; // the same, slashed once (its scale has moved)
    uint256 private wipeNode; // two delegations; a slash of everything ends its epoch
    uint256 private liveOnSlashed; // Active on slashedNode, loss not settled yet
    uint256 private waitingOnSlashed; // undelegated before the slash, reclaimable, loss not settled
    uint256 private nextDaemon = 0xDB000;

    function setUp() public {
        deployProtocol();
        fund(hp, 1_000_000 * WAD);
        fundAndApprove(holder, 1_000_000 * WAD, address(delegation));
        becomeHp(hp);
        freshNode = _registerValidated();
        slashedNode = _registerValidated();
        wipeNode = _registerValidated();
        vm.startPrank(governance);
        delegation.grantRole(delegation.PROTOCOL_ROLE(), address(this)); // this test acts as Settlement
        vm.stopPrank();

        vm.startPrank(holder);
        delegation.delegate(freshNode, 1_000 * WAD, 30);
        delegation.delegate(freshNode, 2_000 * WAD, 360);
        (, uint256 leaving) = delegation.delegate(freshNode, 3_000 * WAD, 1_440);
        delegation.undelegate(leaving);
        (, liveOnSlashed) = delegation.delegate(slashedNode, 1_000 * WAD, 30);
        delegation.delegate(slashedNode, 2_000 * WAD, 360);
        (, waitingOnSlashed) = delegation.delegate(slashedNode, 3_000 * WAD, 1_440);
        delegation.undelegate(waitingOnSlashed);
        delegation.delegate(wipeNode, 1_000 * WAD, 30);
        delegation.delegate(wipeNode, 2_000 * WAD, 360);
        vm.stopPrank();

        vm.warp(block.timestamp + 10 days);
        vm.roll(block.number + 3 * ERA_BLOCKS); // the undelegated ones are reclaimable
        delegation.slash(slashedNode, 600 * WAD);
        vm.warp(block.timestamp + 1 days); // rewards accrue after the slash too
    }

    function _registerValidated() private returns (uint256 nodeId) {
        ScalerNodeParams[] memory params = new ScalerNodeParams[](1);
        (uint256 requirement,) = registry.requiredCollateral(regionId, classId, 10);
        params[0] = ScalerNodeParams({
            name: "fra1-node",
            regionId: regionId,
            classId: classId,
            clusterId: 0,
            location: "DEU",
            capacity: 10,
            reservationPrice: uint128(2 * WAD),
            maxBookingDuration: 360 days,
            nodeRewardShare: 20e18,
            daemon: address(uint160(nextDaemon++)),
            collateralAmount: requirement,
            commitmentDuration: 1080 days
        });
        vm.prank(hp);
        nodeId = registry.registerScalerNodes(params);
        vm.prank(governance);
        registry.validateScalerNode(nodeId);
    }

    // ---------------------------------------------------------------- slash

    /// The first slash of a node: its scale moves off 1.
    function test_slash() public {
        delegation.slash(freshNode, 600 * WAD);
    }

    /// A slash of a node slashed before.
    function test_slashAgain() public {
        delegation.slash(slashedNode, 600 * WAD);
    }

    /// A slash of everything exposed: the node's slash epoch ends.
    function test_slashEverything() public {
        delegation.slash(wipeNode, 10_000 * WAD);
    }

    // ---------------------------------------------------------------- settling a slash

    function test_undelegateSettlingASlash() public {
        vm.prank(holder);
        delegation.undelegate(liveOnSlashed);
    }

    function test_reclaimSettlingASlash() public {
        vm.prank(holder);
        delegation.reclaim(waitingOnSlashed);
    }

    function test_initiateRewardsClaimSettlingASlash() public {
        uint256[] memory ids = new uint256[](1);
        ids[0] = liveOnSlashed;
        vm.prank(holder);
        delegation.initiateRewardsClaim(ids);
    }
}

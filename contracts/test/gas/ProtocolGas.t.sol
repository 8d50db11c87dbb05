// SPDX-License-Identifier: MIT
// Gas of every user operation of Contracts I, one operation per test on state prepared in setUp,
// so contracts/.gas-snapshot pins each cost (scripts/gas-check fails on a > 10 % change).
pragma solidity ^0.8.24;

import {ProtocolFixture} from "../system/ProtocolFixture.sol";
import {Vesting} from "../../src/token/Vesting.sol";
import {HyperNodeRegistry} from "../../src/registry/HyperNodeRegistry.sol";
import {ScalerNodeParams} from "../../src/interfaces/IRegistry.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {WAD} from "../../src/common/Units.sol";

contract ProtocolGasTest is ProtocolFixture {
    address private hp = address(0x4001);
    address private holder = address(0x4002);
    uint256 private constant HYPERNODE_KEY = 0xB0B;
    uint256 private validatedNode; // Validated, delegated to by `delegationLive`
    uint256 private registeredNode; // Registered, waiting for the operator
    uint256 private exitedNode; // exited, withdrawable
    uint256 private exitableNode; // Validated, commitment over
    uint256 private lockWithFree; // a lock whose delegation was reclaimed
    uint256 private delegationLive;
    uint256 private delegationUndelegated; // reclaimable
    uint256 private claimId; // initiated, payable
    uint256 private hyperNodeId;
    uint256 private stakedBundle; // 1 Link, past the minimum period
    uint256 private unstakingBundle; // 1 Link, withdrawable
    uint256 private nextDaemon = 0xDA000;

    function setUp() public {
        deployProtocol();
        fund(hp, 1_000_000 * WAD);
        fundAndApprove(holder, 1_000_000 * WAD, address(delegation));
        becomeHp(hp);

        exitableNode = _register(1)[0];
        validatedNode = _register(1)[0];
        exitedNode = _register(1)[0];
        registeredNode = _register(1)[0];
        vm.startPrank(governance);
        registry.validateScalerNode(validatedNode);
        registry.validateScalerNode(exitableNode);
        registry.validateScalerNode(exitedNode);
        vm.stopPrank();

        vm.startPrank(holder);
        (, delegationLive) = delegation.delegate(validatedNode, 1_000 * WAD, 30);
        uint256 reclaimed;
        (lockWithFree, reclaimed) = delegation.delegate(validatedNode, 1_000 * WAD, 1440);
        (, delegationUndelegated) = delegation.delegate(validatedNode, 1_000 * WAD, 1440);
        vm.stopPrank();

        hyperNodeId = _registerHyperNode(HYPERNODE_KEY, address(0x4003));
        vm.startPrank(governance);
        links.setMinStakingPeriod(0);
        links.mint(holder, 3);
        vm.stopPrank();
        vm.startPrank(holder);
        stakedBundle = links.stake(hyperNodeId, _ids(1, 1));
        unstakingBundle = links.stake(hyperNodeId, _ids(2, 1));
        links.initiateUnstake(unstakingBundle);
        delegation.undelegate(reclaimed);
        delegation.undelegate(delegationUndelegated);
        vm.stopPrank();

        // Past the 36-month commitment and several eras on: exits, reclaims and unstakes are due.
        vm.warp(block.timestamp + 1081 days);
        vm.roll(block.number + 10 * ERA_BLOCKS);
        vesting.release(Vesting.Category.RewardsReserve); // funds the APY payouts
        vm.startPrank(hp);
        collateral.exit(exitedNode);
        vm.stopPrank();
        vm.roll(block.number + 3 * ERA_BLOCKS);
        vm.startPrank(holder);
        delegation.reclaim(reclaimed);
        uint256[] memory ids = new uint256[](1);
        ids[0] = delegationLive;
        claimId = delegation.initiateRewardsClaim(ids);
        vm.stopPrank();
    }

    function _ids(uint256 first, uint256 count) private pure returns (uint256[] memory ids) {
        ids = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            ids[i] = first + i;
        }
    }

    function _params(uint256 count) private returns (ScalerNodeParams[] memory params) {
        params = new ScalerNodeParams[](count);
        (uint256 requirement,) = registry.requiredCollateral(regionId, classId, 10);
        for (uint256 i = 0; i < count; ++i) {
            params[i] = ScalerNodeParams({
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
        }
    }

    function _register(uint256 count) private returns (uint256[] memory ids) {
        ScalerNodeParams[] memory params = _params(count);
        vm.prank(hp);
        ids = _ids(registry.registerScalerNodes(params), count);
    }

    function _registerHyperNode(uint256 key, address operator) private returns (uint256) {
        HyperNodeRegistry hyperNodes = registry.hyperNodeRegistry();
        bytes32 digest = MessageHashUtils.toEthSignedMessageHash(hyperNodes.hyperNodeKeyProofHash(operator));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        vm.prank(operator); // (the prank applies to the next call only: fetch everything first)
        return hyperNodes.registerHyperNode(vm.addr(key), "DEU", "http://127.0.0.1:7000", abi.encodePacked(r, s, v));
    }

    // ---------------------------------------------------------------- Registry

    function test_registerScalerNodes_1() public {
        ScalerNodeParams[] memory params = _params(1);
        vm.prank(hp);
        registry.registerScalerNodes(params);
    }

    function test_registerScalerNodes_40() public {
        ScalerNodeParams[] memory params = _params(40);
        vm.prank(hp);
        registry.registerScalerNodes(params);
    }

    function test_validateScalerNode() public {
        vm.prank(governance);
        registry.validateScalerNode(registeredNode);
    }

    function test_registerHardwareProvider() public {
        vm.prank(address(0x4444));
        registry.registerHardwareProvider();
    }

    function test_registerHyperNode() public {
        _registerHyperNode(0xB0C, address(0x4005));
    }

    // ---------------------------------------------------------------- Collateral

    function test_topUp() public {
        vm.prank(hp);
        collateral.topUp(validatedNode, 10 * WAD);
    }

    function test_extendCommitment() public {
        vm.prank(hp);
        collateral.extendCommitment(validatedNode, 1);
    }

    function test_exit() public {
        vm.prank(hp);
        collateral.exit(exitableNode);
    }

    function test_withdrawCollateral() public {
        vm.prank(hp);
        collateral.withdraw(exitedNode);
    }

    // ---------------------------------------------------------------- Delegation

    function test_delegate() public {
        vm.prank(holder);
        delegation.delegate(validatedNode, 500 * WAD, 360);
    }

    function test_delegateLocked() public {
        vm.prank(holder);
        delegation.delegateLocked(lockWithFree, validatedNode, 500 * WAD);
    }

    function test_undelegate() public {
        vm.prank(holder);
        delegation.undelegate(delegationLive);
    }

    function test_reclaim() public {
        vm.prank(holder);
        delegation.reclaim(delegationUndelegated);
    }

    function test_initiateRewardsClaim() public {
        uint256[] memory ids = new uint256[](1);
        ids[0] = delegationLive;
        vm.warp(block.timestamp + 1 days);
        vm.prank(holder);
        delegation.initiateRewardsClaim(ids);
    }

    function test_claimRewards() public {
        uint256[] memory ids = new uint256[](1);
        ids[0] = claimId;
        vm.prank(holder);
        delegation.claimRewards(ids);
    }

    // ---------------------------------------------------------------- ICN Link and eras

    function test_stakeLinks() public {
        vm.prank(holder);
        links.stake(hyperNodeId, _ids(3, 1));
    }

    function test_initiateUnstake() public {
        vm.prank(holder);
        links.initiateUnstake(stakedBundle);
    }

    function test_completeUnstake() public {
        vm.prank(holder);
        links.completeUnstake(unstakingBundle);
    }

    function test_currentEra() public view {
        assertGt(eras.currentEra(), 0);
    }

    // ---------------------------------------------------------------- tokens

    function test_vestingRelease() public {
        vesting.release(Vesting.Category.Partners);
    }

    function test_icntTransfer() public {
        vm.prank(holder);
        icnt.transfer(hp, WAD);
    }
}

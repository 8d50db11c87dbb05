// SPDX-License-Identifier: MIT
// Invariant handler for the whole protocol: bounded random operations by HPs, delegators and the
// protocol itself. Operations that may legitimately be refused are tried and their refusal counted,
// so the run never stops; an operation that moves ICNT when it must not is caught by the invariants.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {ICNT} from "../../src/token/ICNT.sol";
import {Vesting} from "../../src/token/Vesting.sol";
import {Registry} from "../../src/registry/Registry.sol";
import {Collateral} from "../../src/collateral/Collateral.sol";
import {Delegation} from "../../src/collateral/Delegation.sol";
import {ScalerNodeParams, ScalerNodeStatus} from "../../src/interfaces/IRegistry.sol";
import {WAD} from "../../src/common/Units.sol";

interface IProtocolView {
    /// vesting, icnt, rewardsReserve, linkRewardPool, treasury, eras, registry, collateral, delegation, links
    function contracts() external view returns (address[] memory);
    function geography() external view returns (uint32, uint32, uint32);
    function beneficiaries() external view returns (address[5] memory);
}

contract ProtocolHandler is Test {
    Vesting private vesting;
    ICNT private icnt;
    Registry private registry;
    Collateral private collateral;
    Delegation private delegation;
    uint32 private regionId;
    uint32 private classId;

    address[] private actors;
    address[] private allHolders;
    uint256[] private nodeIds;
    uint256[] private delegationIds;
    uint256[] private lockIds;

    uint256 public burned;
    uint256 public refused; // operations the protocol rejected (expected now and then)
    mapping(bytes32 => uint256) public calls; // how often each operation ran, for coverage checks

    constructor(IProtocolView view_) {
        address[] memory c = view_.contracts();
        vesting = Vesting(c[0]);
        icnt = ICNT(c[1]);
        registry = Registry(c[6]);
        collateral = Collateral(c[7]);
        delegation = Delegation(c[8]);
        (regionId, classId,) = view_.geography();
        for (uint256 i = 0; i < c.length; ++i) {
            allHolders.push(c[i]);
        }
        address[5] memory b = view_.beneficiaries();
        for (uint256 i = 0; i < b.length; ++i) {
            allHolders.push(b[i]);
        }
        allHolders.push(address(this));
        for (uint256 i = 0; i < 4; ++i) {
            address actor = address(uint160(0xA000 + i));
            actors.push(actor);
            allHolders.push(actor);
        }
    }

    /// Gives every actor ICNT from the EcoDev TGE share (the test contract calls this once).
    function fund(address ecoDev) external {
        vesting.release(Vesting.Category.EcoDev);
        uint256 each = icnt.balanceOf(ecoDev) / (actors.length + 1);
        vm.startPrank(ecoDev);
        for (uint256 i = 0; i < actors.length; ++i) {
            icnt.transfer(actors[i], each);
        }
        icnt.transfer(address(this), each);
        vm.stopPrank();
        for (uint256 i = 0; i < actors.length; ++i) {
            vm.startPrank(actors[i]);
            icnt.approve(address(collateral), type(uint256).max);
            icnt.approve(address(delegation), type(uint256).max);
            vm.stopPrank();
        }
        icnt.approve(address(delegation), type(uint256).max);
    }

    function holders() external view returns (address[] memory) {
        return allHolders;
    }

    function nodes() external view returns (uint256[] memory) {
        return nodeIds;
    }

    function locks() external view returns (uint256[] memory) {
        return lockIds;
    }

    // ---------------------------------------------------------------- time and tokens

    function advance(uint256 blocks, uint256 secondsPerBlock) external {
        blocks = bound(blocks, 1, 200);
        secondsPerBlock = bound(secondsPerBlock, 1, 12 hours);
        vm.roll(block.number + blocks);
        vm.warp(block.timestamp + blocks * secondsPerBlock);
        calls["advance"]++;
    }

    function release(uint8 category) external {
        Vesting.Category c = Vesting.Category(bound(category, 0, 6));
        if (vesting.releasable(c) == 0) return;
        vesting.release(c);
        calls["release"]++;
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = actors[fromSeed % actors.length];
        address to = actors[toSeed % actors.length];
        amount = bound(amount, 0, icnt.balanceOf(from));
        vm.prank(from);
        icnt.transfer(to, amount);
        calls["transfer"]++;
    }

    function burn(uint256 actorSeed, uint256 amount) external {
        address actor = actors[actorSeed % actors.length];
        amount = bound(amount, 0, icnt.balanceOf(actor) / 10);
        vm.prank(actor);
        icnt.burn(amount);
        burned += amount;
        calls["burn"]++;
    }

    // ---------------------------------------------------------------- Hardware Providers

    function registerNode(uint256 actorSeed, uint256 capacity, uint256 collateralShare) external {
        address hp = actors[actorSeed % actors.length];
        if (registry.hardwareProviderId(hp) == 0) {
            vm.prank(hp);
            registry.registerHardwareProvider();
        }
        capacity = bound(capacity, 1, 500);
        (uint256 required,) = registry.requiredCollateral(regionId, classId, capacity);
        uint256 amount = required * bound(collateralShare, 30, 150) / 100;
        if (amount > icnt.balanceOf(hp)) return;
        ScalerNodeParams[] memory params = new ScalerNodeParams[](1);
        params[0] = ScalerNodeParams({
            name: "node",
            regionId: regionId,
            classId: classId,
            clusterId: 0,
            location: "DEU",
            capacity: uint128(capacity),
            reservationPrice: uint128(2 * WAD),
            maxBookingDuration: 360 days,
            nodeRewardShare: 20e18,
            daemon: address(uint160(0xD000_0000 + registry.scalerNodeCount() + 1)),
            collateralAmount: amount,
            commitmentDuration: 1080 days
        });
        vm.prank(hp);
        try registry.registerScalerNodes(params) returns (uint256 id) {
            nodeIds.push(id);
            calls["registerNode"]++;
        } catch {
            refused++; // e.g. every cluster full
        }
    }

    function validate(uint256 nodeSeed, bool reject) external {
        if (nodeIds.length == 0) return;
        uint256 id = nodeIds[nodeSeed % nodeIds.length];
        if (registry.scalerNodeStatus(id) != ScalerNodeStatus.Registered) return;
        if (reject) registry.rejectScalerNode(id, "hardware check failed");
        else registry.validateScalerNode(id);
        calls[reject ? bytes32("reject") : bytes32("validate")]++;
    }

    function topUp(uint256 nodeSeed, uint256 amount) external {
        if (nodeIds.length == 0) return;
        uint256 id = nodeIds[nodeSeed % nodeIds.length];
        address hp = registry.scalerNodeOwner(id);
        amount = bound(amount, 1, 1 + icnt.balanceOf(hp) / 100);
        vm.prank(hp);
        try collateral.topUp(id, amount) {
            calls["topUp"]++;
        } catch {
            refused++; // exited or closed node
        }
    }

    function exitOrWithdraw(uint256 nodeSeed, bool withdraw_) external {
        if (nodeIds.length == 0) return;
        uint256 id = nodeIds[nodeSeed % nodeIds.length];
        address hp = registry.scalerNodeOwner(id);
        vm.prank(hp);
        if (withdraw_) {
            try collateral.withdraw(id) {
                calls["withdraw"]++;
            } catch {
                refused++;
            }
        } else {
            try collateral.exit(id) {
                calls["exit"]++;
            } catch {
                refused++;
            }
        }
    }

    // ---------------------------------------------------------------- delegators

    function delegate(uint256 actorSeed, uint256 nodeSeed, uint256 amount, uint256 lockDays) external {
        if (nodeIds.length == 0) return;
        address holder = actors[actorSeed % actors.length];
        uint256 id = nodeIds[nodeSeed % nodeIds.length];
        amount = bound(amount, 1, 1 + icnt.balanceOf(holder) / 10);
        lockDays = bound(lockDays, 1, 1440);
        vm.prank(holder);
        try delegation.delegate(id, amount, lockDays) returns (uint256 lockId, uint256 delegationId) {
            lockIds.push(lockId);
            delegationIds.push(delegationId);
            calls["delegate"]++;
        } catch {
            refused++; // node not Validated
        }
    }

    function undelegateOrReclaim(uint256 seed, bool reclaim_) external {
        if (delegationIds.length == 0) return;
        uint256 id = delegationIds[seed % delegationIds.length];
        address holder = delegation.lock(delegation.delegation(id).lockId).owner;
        vm.prank(holder);
        if (reclaim_) {
            try delegation.reclaim(id) {
                calls["reclaim"]++;
            } catch {
                refused++;
            }
        } else {
            try delegation.undelegate(id) {
                calls["undelegate"]++;
            } catch {
                refused++;
            }
        }
    }

    function withdrawLock(uint256 seed, uint256 amount) external {
        if (lockIds.length == 0) return;
        uint256 id = lockIds[seed % lockIds.length];
        address holder = delegation.lock(id).owner;
        amount = bound(amount, 1, 1 + delegation.lock(id).free);
        vm.prank(holder);
        try delegation.withdraw(id, amount) {
            calls["withdrawLock"]++;
        } catch {
            refused++;
        }
    }

    function claimRewards(uint256 seed) external {
        if (delegationIds.length == 0) return;
        uint256 id = delegationIds[seed % delegationIds.length];
        address holder = delegation.lock(delegation.delegation(id).lockId).owner;
        uint256[] memory ids = new uint256[](1);
        ids[0] = id;
        vm.startPrank(holder);
        try delegation.initiateRewardsClaim(ids) returns (uint256 claimId) {
            ids[0] = claimId;
            try delegation.claimRewards(ids) {
                calls["claim"]++;
            } catch {
                refused++; // reserve empty
            }
        } catch {
            refused++;
        }
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- the protocol's own moves

    function distributeNodeRewards(uint256 nodeSeed, uint256 amount) external {
        if (nodeIds.length == 0) return;
        uint256 id = nodeIds[nodeSeed % nodeIds.length];
        amount = bound(amount, 1, 1 + icnt.balanceOf(address(this)) / 100);
        try delegation.distributeNodeRewards(id, amount) {
            calls["distribute"]++;
        } catch {
            refused++; // nothing delegated to it
        }
    }

    function slash(uint256 nodeSeed, uint256 amount) external {
        if (nodeIds.length == 0) return;
        uint256 id = nodeIds[nodeSeed % nodeIds.length];
        amount = bound(amount, 0, 2 * collateral.collateralOf(id));
        collateral.slash(id, amount);
        calls["slash"]++;
    }
}

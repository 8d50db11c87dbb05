// SPDX-License-Identifier: MIT
// Invariant tests for Delegation: no early release, consistent totals, solvency, every outflow by an allowed path.
pragma solidity ^0.8.24;

import {InvariantTest} from "../utils/Invariant.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CollateralFixture, FixtureHandler} from "./CollateralFixture.sol";
import {Collateral} from "../../src/collateral/Collateral.sol";
import {
    Delegation,
    LockPosition,
    DelegationPosition,
    DelegationStatus,
    RewardClaim
} from "../../src/collateral/Delegation.sol";
import {Registry} from "../../src/registry/Registry.sol";
import {EraManager} from "../../src/era/EraManager.sol";
import {ReservePool} from "../../src/token/ReservePool.sol";
import {ScalerNodeStatus} from "../../src/interfaces/IRegistry.sol";

/// Drives Delegation as three delegators, settlement (node rewards), the market (bookings) and HPs
/// (exits) would. Every move is also tried when it must fail (too early, wrong owner, too much);
/// the handler records independently when each move becomes allowed (unlock time from the lock
/// length, reclaim era from the undelegation era, claim time from the claim delay) and counts every
/// forbidden success and every ICNT movement that differs from the allowed amount.
contract DelegationHandler is FixtureHandler {
    uint256 internal constant UNSTAKE_DELAY = 1 hours;
    uint256 internal constant CLAIM_DELAY = 1 days;
    uint256 internal constant RECLAIM_ERAS = 2;

    Delegation internal immutable delegation;
    ReservePool internal immutable reserve;

    address[3] public actors = [address(0xA1), address(0xA2), address(0xA3)];
    uint256[] public nodes;
    uint256[] public lockIds;
    uint256[] public delegationIds;
    uint256[] public claimIds;
    uint256[] internal _undelegated; // delegations that were undelegated (reclaim targets)
    uint256[] internal _reclaimedLocks; // locks that got ICNT back into their free balance
    mapping(address => uint256[]) internal _delegationsOf;

    // ---- independent records of when each move becomes allowed
    mapping(uint256 lockId => uint256) public unlockAt;
    mapping(uint256 delegationId => uint256) public delegatedAt;
    mapping(uint256 delegationId => uint256) public undelegatedInEra;
    mapping(uint256 claimId => uint256) public claimableAt;

    // ---- ghosts
    uint256 public ghostIn; // ICNT into Delegation: locks + node rewards
    uint256 public ghostWithdrawn; // ICNT paid out of locks
    uint256 public ghostNodePaid; // node rewards paid by claims
    uint256 public ghostApyPaid; // APY paid by the reserve through claims
    uint256 public forbiddenSuccesses; // a move that had to fail succeeded
    uint256 public unexplainedMoves; // ICNT moved by an amount other than the allowed one
    uint256 public allowedFailures; // an allowed move reverted
    mapping(bytes32 => uint256) public successes;

    constructor(
        Delegation delegation_,
        Collateral collateral_,
        Registry registry_,
        EraManager eras_,
        IERC20 icnt_,
        ReservePool reserve_,
        uint256 eraBlocks_,
        uint256[] memory nodes_
    ) FixtureHandler(collateral_, registry_, eras_, icnt_, eraBlocks_) {
        delegation = delegation_;
        reserve = reserve_;
        nodes = nodes_;
    }

    function lockCount() external view returns (uint256) {
        return lockIds.length;
    }

    function delegationCount() external view returns (uint256) {
        return delegationIds.length;
    }

    function claimCount() external view returns (uint256) {
        return claimIds.length;
    }

    function nodeCount() external view returns (uint256) {
        return nodes.length;
    }

    function _delegatable(uint256 nodeId) internal view returns (bool) {
        ScalerNodeStatus s = registry.scalerNodeStatus(nodeId);
        return s == ScalerNodeStatus.Validated || s == ScalerNodeStatus.Booked;
    }

    function _other(address a, uint256 seed) internal view returns (address) {
        address b = actors[seed % 3];
        return b == a ? actors[(seed % 3 + 1) % 3] : b;
    }

    // ---------------------------------------------------------------- delegator moves

    function delegate(uint256 actorSeed, uint256 nodeSeed, uint256 amount, uint256 lockChoice) external {
        address actor = actors[actorSeed % 3];
        uint256 nodeId = nodes[nodeSeed % nodes.length];
        amount = bound(amount, 1, 1_000_000e18);
        uint256[6] memory choices = [uint256(1), 2, 30, 90, 360, 1_440];
        uint256 lockDays = lockChoice % 7 == 6 ? bound(lockChoice, 1, 1_440) : choices[lockChoice % 7];
        bool allowed = _delegatable(nodeId);
        uint256 balance = icnt.balanceOf(address(delegation));
        vm.prank(actor);
        try delegation.delegate(nodeId, amount, lockDays) returns (uint256 lockId, uint256 id) {
            successes["delegate"]++;
            if (!allowed) forbiddenSuccesses++;
            if (icnt.balanceOf(address(delegation)) - balance != amount) unexplainedMoves++;
            ghostIn += amount;
            lockIds.push(lockId);
            unlockAt[lockId] = block.timestamp + lockDays * 1 days;
            _track(actor, id);
        } catch {
            if (allowed) allowedFailures++;
        }
    }

    /// Re-delegation attempts on any lock, up to its whole amount (at least 1: a fully withdrawn lock
    /// has amount 0 and must then refuse the attempt).
    function delegateLocked(uint256 lockSeed, uint256 nodeSeed, uint256 amount, bool asOther) external {
        if (lockIds.length == 0) return;
        uint256 lockId = lockIds[lockSeed % lockIds.length];
        uint256 lockAmount = delegation.lock(lockId).amount;
        _delegateLocked(lockId, nodeSeed, bound(amount, 1, lockAmount == 0 ? 1 : lockAmount), lockSeed, asOther);
    }

    function _delegateLocked(uint256 lockId, uint256 nodeSeed, uint256 amount, uint256 seed, bool asOther) internal {
        LockPosition memory l = delegation.lock(lockId);
        address caller = asOther ? _other(l.owner, seed) : l.owner;
        uint256 nodeId = nodes[nodeSeed % nodes.length];
        bool allowed =
            caller == l.owner && block.timestamp < unlockAt[lockId] && amount <= l.free && _delegatable(nodeId);
        uint256 balance = icnt.balanceOf(address(delegation));
        vm.prank(caller);
        try delegation.delegateLocked(lockId, nodeId, amount) returns (uint256 id) {
            successes["delegateLocked"]++;
            if (!allowed) forbiddenSuccesses++;
            if (icnt.balanceOf(address(delegation)) != balance) unexplainedMoves++;
            _track(l.owner, id);
        } catch {
            if (allowed) allowedFailures++;
        }
    }

    function undelegate(uint256 seed, bool asOther) external {
        if (delegationIds.length == 0) return;
        uint256 id = delegationIds[seed % delegationIds.length];
        DelegationPosition memory d = delegation.delegation(id);
        address owner = delegation.lock(d.lockId).owner;
        address caller = asOther ? _other(owner, seed) : owner;
        bool active = d.status == DelegationStatus.Active;
        bool allowed = active
            && (caller == owner
                    ? block.timestamp >= delegatedAt[id] + UNSTAKE_DELAY
                    : registry.scalerNodeStatus(d.nodeId) == ScalerNodeStatus.Offboarded);
        uint256 balance = icnt.balanceOf(address(delegation));
        vm.prank(caller);
        try delegation.undelegate(id) {
            successes["undelegate"]++;
            if (!allowed) forbiddenSuccesses++;
            if (icnt.balanceOf(address(delegation)) != balance) unexplainedMoves++;
            undelegatedInEra[id] = eras.currentEra();
            _undelegated.push(id);
        } catch {
            if (allowed) allowedFailures++;
        }
    }

    /// Reclaim attempts on any delegation.
    function reclaim(uint256 seed, bool asOther) external {
        if (delegationIds.length == 0) return;
        _reclaim(delegationIds[seed % delegationIds.length], seed, asOther);
    }

    /// Reclaim attempts aimed at undelegated delegations (early or on time).
    function reclaimUndelegated(uint256 seed) external {
        if (_undelegated.length == 0) return;
        _reclaim(_undelegated[seed % _undelegated.length], seed, false);
    }

    function _reclaim(uint256 id, uint256 seed, bool asOther) internal {
        DelegationPosition memory d = delegation.delegation(id);
        address owner = delegation.lock(d.lockId).owner;
        address caller = asOther ? _other(owner, seed) : owner;
        bool allowed = caller == owner && d.status == DelegationStatus.Undelegated
            && eras.currentEra() >= undelegatedInEra[id] + RECLAIM_ERAS;
        uint256 balance = icnt.balanceOf(address(delegation));
        vm.prank(caller);
        try delegation.reclaim(id) {
            successes["reclaim"]++;
            _reclaimedLocks.push(d.lockId);
            if (!allowed) forbiddenSuccesses++;
            if (icnt.balanceOf(address(delegation)) != balance) unexplainedMoves++;
        } catch {
            if (allowed) allowedFailures++;
        }
    }

    /// Withdrawal attempts on any lock, up to its whole amount.
    function withdraw(uint256 lockSeed, uint256 amount, bool asOther) external {
        if (lockIds.length == 0) return;
        uint256 lockId = lockIds[lockSeed % lockIds.length];
        _withdraw(lockId, bound(amount, 0, delegation.lock(lockId).amount), lockSeed, asOther);
    }

    /// Withdrawal attempts aimed at locks with a free balance (early or after the unlock time).
    function withdrawFree(uint256 lockSeed, uint256 amount) external {
        if (_reclaimedLocks.length == 0) return;
        uint256 lockId = _reclaimedLocks[lockSeed % _reclaimedLocks.length];
        uint256 free = delegation.lock(lockId).free;
        if (free == 0) return;
        _withdraw(lockId, bound(amount, 1, free), lockSeed, false);
    }

    /// Re-delegation attempts aimed at locks with a free balance.
    function redelegateFree(uint256 lockSeed, uint256 nodeSeed, uint256 amount) external {
        if (_reclaimedLocks.length == 0) return;
        uint256 lockId = _reclaimedLocks[lockSeed % _reclaimedLocks.length];
        uint256 free = delegation.lock(lockId).free;
        if (free == 0) return;
        _delegateLocked(lockId, nodeSeed, bound(amount, 1, free), lockSeed, false);
    }

    function _withdraw(uint256 lockId, uint256 amount, uint256 seed, bool asOther) internal {
        LockPosition memory l = delegation.lock(lockId);
        address caller = asOther ? _other(l.owner, seed) : l.owner;
        bool allowed = caller == l.owner && block.timestamp >= unlockAt[lockId] && amount > 0 && amount <= l.free;
        uint256 balance = icnt.balanceOf(address(delegation));
        uint256 callerBefore = icnt.balanceOf(caller);
        vm.prank(caller);
        try delegation.withdraw(lockId, amount) {
            successes["withdraw"]++;
            if (!allowed) forbiddenSuccesses++;
            if (balance - icnt.balanceOf(address(delegation)) != amount) unexplainedMoves++;
            if (icnt.balanceOf(caller) - callerBefore != amount) unexplainedMoves++;
            ghostWithdrawn += amount;
        } catch {
            if (allowed) allowedFailures++;
        }
    }

    function initiateClaim(uint256 actorSeed) external {
        address actor = actors[actorSeed % 3];
        uint256[] memory ids = _delegationsOf[actor];
        uint256 balance = icnt.balanceOf(address(delegation));
        vm.prank(actor);
        try delegation.initiateRewardsClaim(ids) returns (uint256 claimId) {
            successes["initiateClaim"]++;
            if (icnt.balanceOf(address(delegation)) != balance) unexplainedMoves++;
            claimIds.push(claimId);
            claimableAt[claimId] = block.timestamp + CLAIM_DELAY;
        } catch {}
    }

    function claim(uint256 seed, bool asOther) external {
        if (claimIds.length == 0) return;
        uint256 claimId = claimIds[seed % claimIds.length];
        RewardClaim memory c = delegation.rewardClaim(claimId);
        address caller = asOther ? _other(c.owner, seed) : c.owner;
        bool allowed = caller == c.owner && !c.paid && block.timestamp >= claimableAt[claimId];
        uint256 balance = icnt.balanceOf(address(delegation));
        uint256 reserveBefore = icnt.balanceOf(address(reserve));
        uint256 callerBefore = icnt.balanceOf(caller);
        uint256[] memory ids = new uint256[](1);
        ids[0] = claimId;
        vm.prank(caller);
        try delegation.claimRewards(ids) {
            successes["claim"]++;
            if (!allowed) forbiddenSuccesses++;
            if (balance - icnt.balanceOf(address(delegation)) != c.nodeAmount) unexplainedMoves++;
            if (reserveBefore - icnt.balanceOf(address(reserve)) != c.apyAmount) unexplainedMoves++;
            if (icnt.balanceOf(caller) - callerBefore != c.nodeAmount + c.apyAmount) unexplainedMoves++;
            ghostNodePaid += c.nodeAmount;
            ghostApyPaid += c.apyAmount;
        } catch {
            if (allowed) allowedFailures++;
        }
    }

    function _track(address owner, uint256 id) internal {
        delegationIds.push(id);
        delegatedAt[id] = block.timestamp;
        _delegationsOf[owner].push(id);
    }

    // ---------------------------------------------------------------- settlement, market, HPs

    function distribute(uint256 nodeSeed, uint256 amount) external {
        uint256 nodeId = nodes[nodeSeed % nodes.length];
        if (delegation.delegatedTo(nodeId) == 0) return;
        amount = bound(amount, 1, 100_000e18);
        uint256 balance = icnt.balanceOf(address(delegation));
        delegation.distributeNodeRewards(nodeId, amount);
        successes["distribute"]++;
        if (icnt.balanceOf(address(delegation)) - balance != amount) unexplainedMoves++;
        ghostIn += amount;
    }

    function bookOrUnbook(uint256 nodeSeed) external {
        uint256 nodeId = nodes[nodeSeed % nodes.length];
        ScalerNodeStatus s = registry.scalerNodeStatus(nodeId);
        if (s == ScalerNodeStatus.Validated) registry.markBooked(nodeId, uint64(eras.currentEra() + 1));
        else if (s == ScalerNodeStatus.Booked) registry.markUnbooked(nodeId);
    }

    function exitNode(uint256 nodeSeed) external {
        uint256 nodeId = nodes[nodeSeed % nodes.length];
        if (registry.scalerNodeStatus(nodeId) != ScalerNodeStatus.Validated) return;
        if (block.timestamp < collateral.commitmentEnd(nodeId)) return;
        vm.prank(registry.scalerNodeOwner(nodeId));
        collateral.exit(nodeId);
        successes["exitNode"]++;
    }

    function passTime(uint256 choice, uint256 erasToRoll) external {
        // Fixed steps, so lock ends and the 1,080-day commitments fall within a run's depth.
        uint256[6] memory steps = [uint256(10 minutes), 1 hours, 1 days, 30 days, 400 days, 1_100 days];
        _passTime(steps[choice % 6], choice, erasToRoll);
    }
}

contract DelegationInvariantTest is CollateralFixture, InvariantTest {
    DelegationHandler internal handler;

    function setUp() public {
        _deploy();
        uint256[] memory nodeIds = new uint256[](3);
        nodeIds[0] = _registerValidated();
        nodeIds[1] = _registerValidated(hp2, 300);
        nodeIds[2] = _registerValidated(hp, 50);
        delegation.setUnstakeDelay(1 hours);
        delegation.setClaimDelay(1 days);
        handler = new DelegationHandler(delegation, collateral, registry, eras, icnt, reserve, ERA_BLOCKS, nodeIds);
        registry.grantRole(registry.PROTOCOL_ROLE(), address(handler));
        delegation.grantRole(delegation.PROTOCOL_ROLE(), address(handler));
        _fund(address(handler), 5_000_000e18);
        vm.prank(address(handler));
        icnt.approve(address(delegation), type(uint256).max);
        for (uint256 i; i < 3; ++i) {
            address a = handler.actors(i);
            _fund(a, 10_000_000e18);
            vm.prank(a);
            icnt.approve(address(delegation), type(uint256).max);
            icntHolders.push(a);
        }
        targetContract(address(handler));
        icntHolders.push(address(handler));
    }

    /// forge-config: default.invariant.runs = 128
    /// forge-config: default.invariant.depth = 60
    function invariant_delegatedTotalsMatchRecords() public view {
        uint256 n = handler.nodeCount();
        uint256[] memory perNode = new uint256[](n);
        for (uint256 i; i < handler.delegationCount(); ++i) {
            DelegationPosition memory d = delegation.delegation(handler.delegationIds(i));
            if (d.status != DelegationStatus.Active) continue;
            for (uint256 k; k < n; ++k) {
                if (handler.nodes(k) == d.nodeId) perNode[k] += d.amount;
            }
        }
        uint256 sum;
        for (uint256 k; k < n; ++k) {
            assertEq(delegation.delegatedTo(handler.nodes(k)), perNode[k], "per node");
            sum += perNode[k];
        }
        assertEq(delegation.totalDelegated(), sum, "total");
    }

    /// forge-config: default.invariant.runs = 128
    /// forge-config: default.invariant.depth = 60
    function invariant_locksHoldTheirDelegations() public view {
        for (uint256 j; j < handler.lockCount(); ++j) {
            uint256 lockId = handler.lockIds(j);
            LockPosition memory l = delegation.lock(lockId);
            uint256 inUse;
            for (uint256 i; i < handler.delegationCount(); ++i) {
                DelegationPosition memory d = delegation.delegation(handler.delegationIds(i));
                if (
                    d.lockId == lockId
                        && (d.status == DelegationStatus.Active || d.status == DelegationStatus.Undelegated)
                ) {
                    inUse += d.amount;
                }
            }
            assertEq(l.amount, l.free + inUse, "lock = free + delegated + waiting");
        }
    }

    /// forge-config: default.invariant.runs = 128
    /// forge-config: default.invariant.depth = 60
    function invariant_solventAndOutflowsExplained() public view {
        uint256 owed;
        for (uint256 j; j < handler.lockCount(); ++j) {
            owed += delegation.lock(handler.lockIds(j)).amount;
        }
        for (uint256 i; i < handler.delegationCount(); ++i) {
            (, uint256 nodePart) = delegation.pendingRewards(handler.delegationIds(i));
            owed += nodePart;
        }
        for (uint256 a; a < 3; ++a) {
            owed += delegation.unclaimedNodeRewards(handler.actors(a));
        }
        for (uint256 c; c < handler.claimCount(); ++c) {
            RewardClaim memory rc = delegation.rewardClaim(handler.claimIds(c));
            if (!rc.paid) owed += rc.nodeAmount;
        }
        uint256 balance = icnt.balanceOf(address(delegation));
        assertGe(balance, owed, "balance covers locks and node rewards owed");
        assertEq(balance, handler.ghostIn() - handler.ghostWithdrawn() - handler.ghostNodePaid(), "in - out");
        assertEq(RESERVE_FUNDS - icnt.balanceOf(address(reserve)), handler.ghostApyPaid(), "reserve paid APY only");
    }

    /// forge-config: default.invariant.runs = 128
    /// forge-config: default.invariant.depth = 60
    function invariant_nothingReleasedEarly() public view {
        assertEq(handler.forbiddenSuccesses(), 0, "forbidden move succeeded");
        assertEq(handler.unexplainedMoves(), 0, "unexplained ICNT movement");
        assertEq(handler.allowedFailures(), 0, "allowed move reverted");
    }

    /// forge-config: default.invariant.runs = 128
    /// forge-config: default.invariant.depth = 60
    function invariant_icntConserved() public view {
        _assertIcntConserved();
    }

    /// The handler reaches the timing paths the invariants are about.
    function test_handlerReachesEveryPath() public {
        handler.delegate(0, 0, 1_000e18, 2); // 30-day lock
        handler.delegate(1, 0, 3_000e18, 0); // 1-day lock
        handler.distribute(0, 400e18);
        handler.undelegate(0, false); // before the unstake delay: must fail
        handler.withdraw(0, 1_000e18, false); // locked and delegated: must fail
        handler.passTime(1, 0); // 1 hour
        handler.undelegate(0, true); // not the owner: must fail
        handler.undelegate(0, false);
        handler.reclaim(0, false); // same era: must fail
        handler.passTime(0, 1);
        handler.reclaim(0, false); // one era later: must fail
        handler.passTime(0, 1);
        handler.reclaim(0, true); // not the owner: must fail
        handler.reclaim(0, false);
        handler.delegateLocked(0, 1, 500e18, false); // re-delegate while locked
        handler.withdraw(0, 500e18, false); // still locked: must fail
        handler.initiateClaim(0);
        handler.claim(0, false); // claim delay: must fail
        handler.passTime(3, 0); // 30 days: lock ended
        handler.claim(0, true); // not the owner: must fail
        handler.claim(0, false);
        handler.withdraw(0, 500e18, true); // not the owner: must fail
        handler.withdraw(0, 500e18, false);
        handler.passTime(5, 0); // 1,100 days: commitment of node 0 over
        handler.exitNode(0);
        handler.undelegate(1, true); // anyone, node offboarded
        assertEq(handler.successes("undelegate"), 2);
        assertEq(handler.successes("reclaim"), 1);
        assertEq(handler.successes("withdraw"), 1);
        assertEq(handler.successes("claim"), 1);
        assertEq(handler.successes("delegateLocked"), 1);
        invariant_nothingReleasedEarly();
        invariant_solventAndOutflowsExplained();
        invariant_locksHoldTheirDelegations();
        invariant_delegatedTotalsMatchRecords();
    }
}

// SPDX-License-Identifier: MIT
// Invariant tests for Collateral: nobody gets collateral out early, every ICNT that leaves leaves by an allowed path.
pragma solidity ^0.8.24;

import {InvariantTest} from "../utils/Invariant.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CollateralFixture, FixtureHandler} from "./CollateralFixture.sol";
import {Collateral, NodeCommitment} from "../../src/collateral/Collateral.sol";
import {Registry} from "../../src/registry/Registry.sol";
import {EraManager} from "../../src/era/EraManager.sol";
import {ScalerNodeParams, ScalerNodeStatus} from "../../src/interfaces/IRegistry.sol";

/// Drives Collateral through the real Registry as HPs, the operator, the market and settlement would;
/// besides the allowed moves it keeps trying exits and withdrawals that must fail, and counts any that
/// succeed. Every call is wrapped so the handler itself never reverts.
contract CollateralHandler is FixtureHandler {
    address internal immutable treasury;
    uint256 internal immutable regionId;
    uint256 internal immutable classId;

    address[2] internal hps = [address(0x4B0), address(0x4B1)];
    address internal constant STRANGER = address(0xBAD);
    uint256[] public nodes;
    uint256[] public exitedNodes; // exited after validation
    uint256 private _daemonSeq;

    // ---- ghosts
    uint256 public ghostIn; // ICNT that entered Collateral (deposits + top-ups)
    uint256 public ghostWithdrawn; // ICNT paid to HPs by allowed withdrawals
    uint256 public ghostSlashed; // ICNT sent to the Treasury by slashes
    uint256 public earlySuccesses; // an exit/withdrawal that should have failed but succeeded
    uint256 public unexplainedOutflows; // Collateral's balance fell by something other than the allowed amount
    uint256 public allowedFailures; // an allowed move reverted
    uint256 public validatedExits; // coverage: exits after a commitment ended
    uint256 public validatedWithdrawals; // coverage: withdrawals after the exposure window
    mapping(uint256 => uint256) public exitEra; // era of a Validated node's exit
    mapping(bytes32 => uint256) public calls;

    constructor(
        Collateral collateral_,
        Registry registry_,
        EraManager eras_,
        IERC20 icnt_,
        address treasury_,
        uint32 regionId_,
        uint32 classId_,
        uint256 eraBlocks_
    ) FixtureHandler(collateral_, registry_, eras_, icnt_, eraBlocks_) {
        treasury = treasury_;
        regionId = regionId_;
        classId = classId_;
    }

    function nodeCount() external view returns (uint256) {
        return nodes.length;
    }

    function _node(uint256 seed) internal view returns (uint256) {
        return nodes[seed % nodes.length];
    }

    function _owner(uint256 nodeId) internal view returns (address) {
        return registry.scalerNodeOwner(nodeId);
    }

    // ---------------------------------------------------------------- HP and operator moves

    function register(uint256 hpSeed, uint256 amount, uint256 steps) external {
        calls["register"]++;
        address hp = hps[hpSeed % 2];
        amount = bound(amount, 30_000e18, 150_000e18);
        steps = bound(steps, 0, 2);
        ScalerNodeParams[] memory ps = new ScalerNodeParams[](1);
        ps[0] = ScalerNodeParams({
            name: "n",
            regionId: uint32(regionId),
            classId: uint32(classId),
            clusterId: 0,
            location: "DEU",
            capacity: 100,
            reservationPrice: 1e18,
            maxBookingDuration: 180 days,
            nodeRewardShare: 0,
            daemon: address(uint160(0xD000000 + ++_daemonSeq)),
            collateralAmount: amount,
            commitmentDuration: uint64(1_080 days + steps * 180 days)
        });
        vm.prank(hp);
        uint256 id = registry.registerScalerNodes(ps);
        nodes.push(id);
        ghostIn += amount;
    }

    function validate(uint256 seed) external {
        if (nodes.length == 0) return;
        uint256 id = _node(seed);
        if (registry.scalerNodeStatus(id) != ScalerNodeStatus.Registered) return;
        calls["validate"]++;
        registry.validateScalerNode(id);
    }

    function reject(uint256 seed) external {
        if (nodes.length == 0) return;
        uint256 id = _node(seed);
        if (registry.scalerNodeStatus(id) != ScalerNodeStatus.Registered) return;
        calls["reject"]++;
        registry.rejectScalerNode(id, "x");
    }

    function bookOrUnbook(uint256 seed) external {
        if (nodes.length == 0) return;
        uint256 id = _node(seed);
        ScalerNodeStatus s = registry.scalerNodeStatus(id);
        if (s == ScalerNodeStatus.Validated) {
            calls["book"]++;
            registry.markBooked(id, uint64(eras.currentEra() + 1));
        } else if (s == ScalerNodeStatus.Booked) {
            calls["unbook"]++;
            registry.markUnbooked(id);
        }
    }

    function topUp(uint256 seed, uint256 amount) external {
        if (nodes.length == 0) return;
        uint256 id = _node(seed);
        amount = bound(amount, 1, 50_000e18);
        address hp = _owner(id);
        ScalerNodeStatus s = registry.scalerNodeStatus(id);
        bool allowed = !collateral.commitment(id).exited
            && (s == ScalerNodeStatus.Registered || s == ScalerNodeStatus.Validated || s == ScalerNodeStatus.Booked);
        vm.prank(hp);
        try collateral.topUp(id, amount) {
            calls["topUp"]++;
            ghostIn += amount;
            if (!allowed) earlySuccesses++;
        } catch {
            if (allowed) allowedFailures++;
        }
    }

    function extend(uint256 seed, uint256 steps) external {
        if (nodes.length == 0) return;
        uint256 id = _node(seed);
        steps = bound(steps, 1, 3);
        vm.prank(_owner(id));
        try collateral.extendCommitment(id, steps) {
            calls["extend"]++;
        } catch {}
    }

    // ---------------------------------------------------------------- settlement

    function slash(uint256 seed, uint256 amount) external {
        if (nodes.length == 0) return;
        uint256 id = _node(seed);
        amount = bound(amount, 0, 200_000e18);
        uint256 held = collateral.collateralOf(id);
        uint256 balance = icnt.balanceOf(address(collateral));
        uint256 treasuryBefore = icnt.balanceOf(treasury);
        uint256 taken = collateral.slash(id, amount);
        calls["slash"]++;
        uint256 expected = amount < held ? amount : held;
        if (taken != expected || balance - icnt.balanceOf(address(collateral)) != expected) unexplainedOutflows++;
        if (icnt.balanceOf(treasury) - treasuryBefore != expected) unexplainedOutflows++;
        ghostSlashed += expected;
    }

    // ---------------------------------------------------------------- exits and withdrawals (allowed or not)

    function exit(uint256 seed, bool asStranger) external {
        if (nodes.length == 0) return;
        uint256 id = _node(seed);
        address hp = _owner(id);
        address caller = asStranger ? STRANGER : hp;
        NodeCommitment memory c = collateral.commitment(id);
        ScalerNodeStatus s = registry.scalerNodeStatus(id);
        bool unvalidated = s == ScalerNodeStatus.Registered || s == ScalerNodeStatus.Rejected;
        bool allowed = caller == hp && !c.exited
            && (unvalidated || (s == ScalerNodeStatus.Validated && block.timestamp >= c.commitmentEnd));
        uint256 balance = icnt.balanceOf(address(collateral));
        uint256 hpBefore = icnt.balanceOf(hp);
        vm.prank(caller);
        try collateral.exit(id) {
            calls["exit"]++;
            if (!allowed) earlySuccesses++;
            uint256 out = balance - icnt.balanceOf(address(collateral));
            uint256 expected = unvalidated ? c.amount : 0;
            if (out != expected || icnt.balanceOf(hp) - hpBefore != expected) unexplainedOutflows++;
            ghostWithdrawn += out;
            if (!unvalidated) {
                exitEra[id] = eras.currentEra();
                exitedNodes.push(id);
                validatedExits++;
            }
        } catch {
            if (allowed) allowedFailures++;
        }
    }

    /// Withdrawal attempts on any node, as its HP or a stranger.
    function withdraw(uint256 seed, bool asStranger) external {
        if (nodes.length == 0) return;
        _withdraw(_node(seed), asStranger);
    }

    /// Withdrawal attempts aimed at nodes that exited after validation (the timing that matters most).
    function withdrawExited(uint256 seed) external {
        if (exitedNodes.length == 0) return;
        _withdraw(exitedNodes[seed % exitedNodes.length], false);
    }

    function _withdraw(uint256 id, bool asStranger) internal {
        address hp = _owner(id);
        address caller = asStranger ? STRANGER : hp;
        NodeCommitment memory c = collateral.commitment(id);
        ScalerNodeStatus s = registry.scalerNodeStatus(id);
        bool unvalidated = !c.exited && (s == ScalerNodeStatus.Registered || s == ScalerNodeStatus.Rejected);
        // A Validated node's collateral: only after its exit and two more eras (exit era + 1 stays slashable).
        // An unvalidated node's exit paid everything, so an exited node with collateral exited as Validated.
        bool allowed =
            caller == hp && (unvalidated || (c.exited && c.amount > 0 && eras.currentEra() >= exitEra[id] + 2));
        uint256 balance = icnt.balanceOf(address(collateral));
        uint256 hpBefore = icnt.balanceOf(hp);
        vm.prank(caller);
        try collateral.withdraw(id) {
            calls["withdraw"]++;
            if (!allowed) earlySuccesses++;
            uint256 out = balance - icnt.balanceOf(address(collateral));
            if (out != c.amount || icnt.balanceOf(hp) - hpBefore != c.amount) unexplainedOutflows++;
            ghostWithdrawn += out;
            if (c.exited) validatedWithdrawals++;
        } catch {
            if (allowed) allowedFailures++;
        }
    }

    // ---------------------------------------------------------------- time

    function passTime(uint256 choice, uint256 erasToRoll) external {
        calls["passTime"]++;
        // Fixed steps, so the 1,080-day commitments end within a run's depth.
        uint256[5] memory steps = [uint256(1 hours), 1 days, 30 days, 400 days, 1_100 days];
        _passTime(steps[choice % 5], choice, erasToRoll);
    }
}

contract CollateralInvariantTest is CollateralFixture, InvariantTest {
    CollateralHandler internal handler;

    function setUp() public {
        _deploy();
        handler =
            new CollateralHandler(collateral, registry, eras, icnt, address(treasury), regionId, classId, ERA_BLOCKS);
        registry.grantRole(registry.OPERATOR_ROLE(), address(handler));
        registry.grantRole(registry.PROTOCOL_ROLE(), address(handler));
        collateral.grantRole(collateral.PROTOCOL_ROLE(), address(handler));
        _fund(hp, 10_000_000e18);
        _fund(hp2, 10_000_000e18);
        targetContract(address(handler));
        icntHolders.push(address(handler));
    }

    /// forge-config: default.invariant.runs = 128
    /// forge-config: default.invariant.depth = 80
    function invariant_balanceMatchesRecordsAndGhosts() public view {
        uint256 sum;
        for (uint256 i; i < handler.nodeCount(); ++i) {
            sum += collateral.collateralOf(handler.nodes(i));
        }
        uint256 balance = icnt.balanceOf(address(collateral));
        assertEq(balance, sum, "balance = sum of node collateral");
        assertEq(balance, handler.ghostIn() - handler.ghostWithdrawn() - handler.ghostSlashed(), "in - out");
        assertEq(icnt.balanceOf(address(treasury)), handler.ghostSlashed(), "treasury = slashed");
    }

    /// forge-config: default.invariant.runs = 128
    /// forge-config: default.invariant.depth = 80
    function invariant_nothingLeavesEarly() public view {
        assertEq(handler.earlySuccesses(), 0, "early exit or withdrawal");
        assertEq(handler.unexplainedOutflows(), 0, "unexplained outflow");
        assertEq(handler.allowedFailures(), 0, "allowed move reverted");
    }

    /// The handler reaches the paths the invariants are about (a smoke test of the handler itself).
    function test_handlerReachesValidatedExitAndWithdrawal() public {
        handler.register(0, 0, 0);
        handler.validate(0);
        handler.withdraw(0, false); // too early: must fail
        for (uint256 i; i < 3; ++i) {
            handler.passTime(3, 0);
        }
        handler.exit(0, true); // a stranger: must fail
        handler.exit(0, false);
        assertEq(handler.validatedExits(), 1);
        handler.withdraw(0, false); // exit era: must fail
        handler.passTime(0, 1);
        handler.withdraw(0, false); // exit era + 1: must fail
        handler.passTime(0, 1);
        handler.withdraw(0, false);
        assertEq(handler.validatedWithdrawals(), 1);
        invariant_nothingLeavesEarly();
        invariant_balanceMatchesRecordsAndGhosts();
    }

    /// forge-config: default.invariant.runs = 128
    /// forge-config: default.invariant.depth = 80
    function invariant_icntConserved() public view {
        _assertIcntConserved();
    }
}

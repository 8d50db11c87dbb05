// SPDX-License-Identifier: MIT
// Invariant test: ICNT is conserved across Vesting releases, transfers, burns, reserve payouts and
// Treasury moves — the balances of every holder add up to totalSupply, and totalSupply + burned = 700M.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {InvariantTest} from "../utils/Invariant.sol";
import {Vesting} from "../../src/token/Vesting.sol";
import {ICNT} from "../../src/token/ICNT.sol";
import {ReservePool} from "../../src/token/ReservePool.sol";
import {Treasury} from "../../src/token/Treasury.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// Drives the token contracts with bounded random actions; never reverts (fail_on_revert is on).
/// Every address that can ever hold ICNT is in `holders`, so the conservation sum is complete.
contract TokenHandler is Test {
    Vesting public immutable vesting;
    ICNT public immutable token;
    ReservePool public immutable rewardsReserve;
    ReservePool public immutable linkPool;
    Treasury public immutable treasury;

    address[] internal actors;
    address[] internal holders;

    uint256 public burned;
    /// ICNT sent to the Vesting contract by mistake: it stays there, outside every schedule.
    uint256 public strayInVesting;
    uint256 public lastUnlocked;
    bool public unlockedDecreased;
    uint256 public releases;
    uint256 public payouts;

    constructor(Vesting v, ReservePool rr, ReservePool lp, Treasury tr, address[] memory actors_) {
        vesting = v;
        token = v.token();
        rewardsReserve = rr;
        linkPool = lp;
        treasury = tr;
        actors = actors_;
        holders.push(address(v));
        holders.push(address(rr));
        holders.push(address(lp));
        holders.push(address(tr));
        holders.push(address(this));
        for (uint256 i = 0; i < actors_.length; ++i) {
            holders.push(actors_[i]);
        }
        lastUnlocked = v.unlockedSupply(block.timestamp);
    }

    function allHolders() external view returns (address[] memory) {
        return holders;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function _holder(uint256 seed) internal view returns (address) {
        return holders[seed % holders.length];
    }

    function _sent(address to, uint256 amount) internal {
        if (to == address(vesting)) strayInVesting += amount;
    }

    /// Time moves forward only; Total Unlocked Supply must never shrink with it.
    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 0, 120 days));
        uint256 u = vesting.unlockedSupply(block.timestamp);
        if (u < lastUnlocked) unlockedDecreased = true;
        lastUnlocked = u;
    }

    function release(uint256 cat) external {
        Vesting.Category c = Vesting.Category(bound(cat, 0, 6));
        if (vesting.releasable(c) == 0) return;
        vesting.release(c);
        ++releases;
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        uint256 bal = token.balanceOf(from);
        amount = bound(amount, 0, bal);
        address to = _holder(toSeed);
        vm.prank(from);
        token.transfer(to, amount);
        _sent(to, amount);
    }

    function burn(uint256 fromSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.burn(amount);
        burned += amount;
    }

    /// The holder approves this handler, which burns through the allowance.
    function burnFrom(uint256 fromSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.approve(address(this), amount);
        token.burnFrom(from, amount);
        burned += amount;
    }

    /// This handler holds PROTOCOL_ROLE on both pools, like Delegation and settlement would.
    function pay(uint256 poolSeed, uint256 toSeed, uint256 amount) external {
        ReservePool pool = poolSeed % 2 == 0 ? rewardsReserve : linkPool;
        amount = bound(amount, 0, pool.available());
        address to = _holder(toSeed);
        pool.pay(to, amount);
        _sent(to, amount);
        ++payouts;
    }

    /// Actors hold DEPOSITOR_ROLE on both pools.
    function deposit(uint256 fromSeed, uint256 poolSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        uint256 bal = token.balanceOf(from);
        if (bal == 0) return;
        amount = bound(amount, 1, bal);
        ReservePool pool = poolSeed % 2 == 0 ? rewardsReserve : linkPool;
        vm.startPrank(from);
        token.approve(address(pool), amount);
        pool.deposit(amount);
        vm.stopPrank();
    }

    /// This handler holds GOVERNANCE_ROLE on the Treasury.
    function moveTreasury(uint256 toSeed, uint256 amount, bool generic) external {
        uint256 bal = treasury.available();
        if (bal == 0) return;
        amount = bound(amount, 1, bal);
        address to = _holder(toSeed);
        if (generic) treasury.transferToken(IERC20(address(token)), to, amount);
        else treasury.transfer(to, amount);
        _sent(to, amount);
    }

    /// An actor-held category is handed to another actor.
    function handOver(uint256 cat, uint256 toSeed) external {
        Vesting.Category c = Vesting.Category(bound(cat, 0, 4));
        vm.prank(vesting.beneficiary(c));
        vesting.setBeneficiary(c, _actor(toSeed));
    }
}

contract ICNTConservationTest is InvariantTest {
    uint256 internal constant SUPPLY = 700_000_000e18;

    Vesting internal vesting;
    ICNT internal token;
    ReservePool internal rewardsReserve;
    ReservePool internal linkPool;
    Treasury internal treasury;
    TokenHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        address[] memory actors = new address[](5);
        address[7] memory bens;
        for (uint256 i = 0; i < 5; ++i) {
            actors[i] = address(uint160(0xAC00 + i));
            bens[i] = actors[i];
        }
        // The deployment path of docs/contracts/token.md: the deployer is the first beneficiary of the
        // two pool categories (the pools need the token address), then hands them to the pools.
        bens[5] = address(this);
        bens[6] = address(this);
        vesting = new Vesting(address(this), uint64(block.timestamp + 1 days), bens);
        token = vesting.token();
        rewardsReserve = new ReservePool(address(this), IERC20(address(token)));
        linkPool = new ReservePool(address(this), IERC20(address(token)));
        treasury = new Treasury(address(this), IERC20(address(token)));
        vesting.setBeneficiary(Vesting.Category.NodeSale, address(linkPool));
        vesting.setBeneficiary(Vesting.Category.RewardsReserve, address(rewardsReserve));

        handler = new TokenHandler(vesting, rewardsReserve, linkPool, treasury, actors);
        rewardsReserve.grantRole(rewardsReserve.PROTOCOL_ROLE(), address(handler));
        linkPool.grantRole(linkPool.PROTOCOL_ROLE(), address(handler));
        treasury.grantRole(treasury.GOVERNANCE_ROLE(), address(handler));
        for (uint256 i = 0; i < 5; ++i) {
            rewardsReserve.grantRole(rewardsReserve.DEPOSITOR_ROLE(), actors[i]);
            linkPool.grantRole(linkPool.DEPOSITOR_ROLE(), actors[i]);
        }

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = TokenHandler.warp.selector;
        selectors[1] = TokenHandler.release.selector;
        selectors[2] = TokenHandler.release.selector; // twice: releases drive everything else
        selectors[3] = TokenHandler.transfer.selector;
        selectors[4] = TokenHandler.burn.selector;
        selectors[5] = TokenHandler.burnFrom.selector;
        selectors[6] = TokenHandler.pay.selector;
        selectors[7] = TokenHandler.deposit.selector;
        selectors[8] = TokenHandler.moveTreasury.selector;
        selectors[9] = TokenHandler.handOver.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    function _sumOfBalances() internal view returns (uint256 sum) {
        address[] memory hs = handler.allHolders();
        for (uint256 i = 0; i < hs.length; ++i) {
            sum += token.balanceOf(hs[i]);
        }
        sum += token.balanceOf(address(this)); // the deployer never receives any, but count it anyway
    }

    function invariant_balancesSumToTotalSupply() public view {
        assertEq(_sumOfBalances(), token.totalSupply());
    }

    function invariant_supplyPlusBurnedIsFixed() public view {
        assertEq(token.totalSupply() + handler.burned(), SUPPLY);
    }

    function invariant_vestingHoldsTheUnreleased() public view {
        uint256 released;
        for (uint256 i = 0; i < 7; ++i) {
            Vesting.Category c = Vesting.Category(i);
            uint256 r = vesting.released(c);
            assertLe(r, vesting.vested(c, block.timestamp));
            assertLe(r, vesting.schedule(c).amount);
            assertEq(vesting.releasable(c) + r, vesting.vested(c, block.timestamp));
            released += r;
        }
        assertEq(token.balanceOf(address(vesting)), SUPPLY - released + handler.strayInVesting());
        assertLe(released, vesting.unlockedSupply(block.timestamp));
    }

    function invariant_unlockedSupplyNeverDecreases() public view {
        assertFalse(handler.unlockedDecreased());
        assertLe(vesting.unlockedSupply(block.timestamp), SUPPLY);
    }
}

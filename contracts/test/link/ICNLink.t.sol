// SPDX-License-Identifier: MIT
// forge tests for ICNLink: minting and its cap, staking limits, the unstaking lifecycle, transfer locks.
pragma solidity ^0.8.24;

import {LinkTestBase} from "./LinkTestBase.sol";
import {ICNLink} from "../../src/link/ICNLink.sol";
import {EraManager} from "../../src/era/EraManager.sol";
import {IRegistry} from "../../src/interfaces/IRegistry.sol";
import {IEraManager} from "../../src/interfaces/IEraManager.sol";
import {ProtocolRoles} from "../../src/common/ProtocolRoles.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

contract ICNLinkTest is LinkTestBase {
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);
    address internal stranger = address(0xBAD);
    uint256 internal hn; // a registered HyperNode
    // `forge inspect ICNLink storageLayout`: totalSupply follows ERC721 (0..5), AccessControl (6), Pausable (7).
    uint256 internal constant TOTAL_SUPPLY_SLOT = 8;

    function setUp() public {
        _deployLink();
        hn = _newHyperNode();
        _mint(alice, 500); // ids 1..500
        _mint(bob, 500); // ids 501..1000
    }

    function _stake(address who, uint256 hyperNodeId, uint256[] memory ids) internal returns (uint256) {
        vm.prank(who);
        return link.stake(hyperNodeId, ids);
    }

    // ---------------------------------------------------------------- construction

    function test_constructor() public view {
        assertEq(link.name(), "ICN Link");
        assertEq(link.symbol(), "ICNL");
        assertEq(address(link.registry()), address(_registry()));
        assertEq(address(link.eras()), address(eras));
        assertEq(link.minStakingPeriod(), 30 days);
        assertEq(link.unstakingDelayEras(), 2);
        assertEq(link.MAX_SUPPLY(), 55_000);
        assertEq(link.MAX_LINKS_PER_STAKE(), 100);
        assertEq(link.MAX_LINKS_PER_HYPERNODE(), 400);
        assertTrue(link.hasRole(link.GOVERNANCE_ROLE(), admin));
        assertTrue(link.hasRole(link.EMERGENCY_ROLE(), admin));
    }

    function test_constructorRejectsZeroAddresses() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new ICNLink(admin, IRegistry(address(0)), eras);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new ICNLink(admin, _registry(), IEraManager(address(0)));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new ICNLink(address(0), _registry(), eras);
    }

    function test_supportsInterface() public view {
        assertTrue(link.supportsInterface(type(IERC721).interfaceId));
        assertTrue(link.supportsInterface(type(IERC721Metadata).interfaceId));
        assertTrue(link.supportsInterface(type(IAccessControl).interfaceId));
        assertTrue(link.supportsInterface(type(IERC165).interfaceId));
        assertFalse(link.supportsInterface(0xdeadbeef));
    }

    // ---------------------------------------------------------------- mint

    function test_mintSequentialIds() public {
        vm.expectEmit(true, true, true, true, address(link));
        emit ICNLink.LinksMinted(stranger, 1001, 3);
        vm.expectEmit(true, true, true, true, address(link));
        emit IERC721.Transfer(address(0), stranger, 1001);
        vm.prank(admin);
        link.mint(stranger, 3);
        assertEq(link.totalSupply(), 1003);
        assertEq(link.ownerOf(1001), stranger);
        assertEq(link.ownerOf(1003), stranger);
        assertEq(link.balanceOf(stranger), 3);
        assertEq(link.ownerOf(1), alice);
        assertEq(link.ownerOf(1000), bob);
    }

    function test_mintOnlyGovernance() public {
        bytes32 role = link.GOVERNANCE_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        vm.prank(stranger);
        link.mint(stranger, 1);
    }

    function test_mintRejectsBadQuantity() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.MintQuantityOutOfRange.selector, 0, 500));
        link.mint(alice, 0);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.MintQuantityOutOfRange.selector, 501, 500));
        link.mint(alice, 501);
        vm.stopPrank();
    }

    function test_mintRejectsZeroReceiver() public {
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, address(0)));
        vm.prank(admin);
        link.mint(address(0), 1);
    }

    function test_mintStopsAtTheCap() public {
        // Minting 54,900 real tokens needs more gas than a forge test has (2^30), so set the counter:
        // ids 1001..54,900 then do not exist, which the cap logic does not look at.
        vm.store(address(link), bytes32(TOTAL_SUPPLY_SLOT), bytes32(uint256(54_900)));
        assertEq(link.totalSupply(), 54_900, "storage layout changed: update TOTAL_SUPPLY_SLOT");
        vm.expectRevert(abi.encodeWithSelector(ICNLink.SupplyCapExceeded.selector, 101, 100));
        vm.prank(admin);
        link.mint(stranger, 101);
        _mint(stranger, 100);
        assertEq(link.totalSupply(), 55_000);
        assertEq(link.ownerOf(55_000), stranger);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.SupplyCapExceeded.selector, 1, 0));
        vm.prank(admin);
        link.mint(stranger, 1);
        // The last id can be staked and locked like any other.
        uint256[] memory last = _ids(55_000, 1);
        uint256 b = _stake(stranger, hn, last);
        assertEq(link.stakedBundleOf(55_000), b);
    }

    // ---------------------------------------------------------------- stake

    function test_stakeCreatesBundle() public {
        uint256[] memory ids = _ids(1, 3);
        vm.roll(FIRST_BLOCK + 5 * ERA_BLOCKS + 3); // era 5
        vm.expectEmit(true, true, true, true, address(link));
        emit ICNLink.LinksStaked(1, alice, hn, 3, 5, T0 + 30 days, ids);
        uint256 b = _stake(alice, hn, ids);

        assertEq(b, 1);
        assertEq(link.bundleCount(), 1);
        ICNLink.Bundle memory bd = link.bundle(b);
        assertEq(bd.owner, alice);
        assertEq(bd.hyperNodeId, hn);
        assertEq(bd.tokenCount, 3);
        assertEq(uint256(bd.status), uint256(ICNLink.BundleStatus.Staked));
        assertEq(bd.stakedAt, T0);
        assertEq(bd.stakedEra, 5);
        assertEq(bd.unstakeEra, 0);
        assertEq(bd.withdrawableEra, 0);
        assertEq(bd.unstakableAt, T0 + 30 days);
        uint256[] memory got = link.bundleTokenIds(b);
        assertEq(got.length, 3);
        for (uint256 i = 0; i < 3; ++i) {
            assertEq(got[i], ids[i]);
            assertEq(link.stakedBundleOf(ids[i]), b);
            assertEq(link.ownerOf(ids[i]), alice, "holder keeps ownership");
        }
        assertEq(link.stakedBundleOf(4), 0);
        assertEq(link.stakedLinks(hn), 3);
        assertEq(link.totalStakedLinks(), 3);
        assertTrue(link.isHyperNodeActive(hn));
    }

    function test_inactiveWithoutLinks() public view {
        assertFalse(link.isHyperNodeActive(hn));
        assertFalse(link.isHyperNodeActive(999));
        assertEq(link.stakedLinks(hn), 0);
    }

    function test_stakeSizeLimits() public {
        vm.expectRevert(abi.encodeWithSelector(ICNLink.StakeSizeOutOfRange.selector, 0, 100));
        _stake(alice, hn, new uint256[](0));
        vm.expectRevert(abi.encodeWithSelector(ICNLink.StakeSizeOutOfRange.selector, 101, 100));
        _stake(alice, hn, _ids(1, 101));
        uint256 b = _stake(alice, hn, _ids(1, 100)); // exactly 100 is fine
        assertEq(link.bundle(b).tokenCount, 100);
    }

    function test_hyperNodeCapIs400() public {
        _stake(alice, hn, _ids(1, 100));
        _stake(alice, hn, _ids(101, 100));
        _stake(bob, hn, _ids(501, 100));
        _stake(bob, hn, _ids(601, 99));
        assertEq(link.stakedLinks(hn), 399);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.HyperNodeFull.selector, hn, 399, 2, 400));
        _stake(alice, hn, _ids(201, 2));
        _stake(alice, hn, _ids(201, 1));
        assertEq(link.stakedLinks(hn), 400);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.HyperNodeFull.selector, hn, 400, 1, 400));
        _stake(alice, hn, _ids(202, 1));
        // Another HyperNode has its own 400.
        uint256 hn2 = _newHyperNode();
        _stake(alice, hn2, _ids(202, 100));
        assertEq(link.stakedLinks(hn2), 100);
        assertEq(link.totalStakedLinks(), 500);
    }

    function test_unstakingFreesRoomOnTheHyperNode() public {
        uint256[4] memory bs;
        bs[0] = _stake(alice, hn, _ids(1, 100));
        bs[1] = _stake(alice, hn, _ids(101, 100));
        bs[2] = _stake(alice, hn, _ids(201, 100));
        bs[3] = _stake(alice, hn, _ids(301, 100));
        vm.warp(T0 + 30 days);
        vm.prank(alice);
        link.initiateUnstake(bs[0]);
        assertEq(link.stakedLinks(hn), 300);
        _stake(bob, hn, _ids(501, 100)); // the unstaking bundle no longer counts
        assertEq(link.stakedLinks(hn), 400);
    }

    function test_stakeRejectsUnregisteredHyperNode() public {
        vm.expectRevert(abi.encodeWithSelector(ICNLink.HyperNodeNotRegistered.selector, 77));
        _stake(alice, 77, _ids(1, 1));
    }

    function test_stakeRejectsRetiredHyperNode() public {
        _retireHyperNode(hn);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.HyperNodeNotRegistered.selector, hn));
        _stake(alice, hn, _ids(1, 1));
    }

    function test_stakeRejectsForeignToken() public {
        uint256[] memory ids = _ids(499, 3); // 501 is bob's
        ids[2] = 501;
        vm.expectRevert(abi.encodeWithSelector(ICNLink.NotTokenOwner.selector, 501, bob, alice));
        _stake(alice, hn, ids);
    }

    function test_stakeRejectsMissingToken() public {
        uint256[] memory ids = _ids(1, 2);
        ids[1] = 60_000;
        vm.expectRevert(abi.encodeWithSelector(ICNLink.NotTokenOwner.selector, 60_000, address(0), alice));
        _stake(alice, hn, ids);
        ids[1] = 0;
        vm.expectRevert(abi.encodeWithSelector(ICNLink.NotTokenOwner.selector, 0, address(0), alice));
        _stake(alice, hn, ids);
    }

    function test_stakeRejectsApprovedOperator() public {
        // Staking is for the holder only, not for an approved operator.
        vm.prank(alice);
        link.setApprovalForAll(stranger, true);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.NotTokenOwner.selector, 1, alice, stranger));
        _stake(stranger, hn, _ids(1, 1));
    }

    function test_stakeRejectsAlreadyStakedToken() public {
        uint256 b = _stake(alice, hn, _ids(1, 5));
        uint256 hn2 = _newHyperNode();
        vm.expectRevert(abi.encodeWithSelector(ICNLink.TokenAlreadyStaked.selector, 3, b));
        _stake(alice, hn2, _ids(3, 5));
    }

    function test_stakeRejectsDuplicateIdInOneCall() public {
        uint256[] memory ids = _ids(10, 3);
        ids[2] = 10;
        // The id is claimed by the bundle being built (id 1), then seen again.
        vm.expectRevert(abi.encodeWithSelector(ICNLink.TokenAlreadyStaked.selector, 10, 1));
        _stake(alice, hn, ids);
        assertEq(link.stakedBundleOf(10), 0, "reverted stake leaves nothing behind");
        assertEq(link.bundleCount(), 0);
    }

    function test_stakeRejectsUnstakingToken() public {
        uint256 b = _stake(alice, hn, _ids(1, 2));
        vm.warp(T0 + 30 days);
        vm.prank(alice);
        link.initiateUnstake(b);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.TokenAlreadyStaked.selector, 1, b));
        _stake(alice, hn, _ids(1, 1));
    }

    function test_stakeBeforeEraZeroReverts() public {
        EraManager late = new EraManager(admin, uint64(block.number + 1000), ERA_BLOCKS);
        ICNLink l = new ICNLink(admin, _registry(), late);
        vm.prank(admin);
        l.mint(alice, 1);
        vm.expectRevert(abi.encodeWithSelector(EraManager.EraNotStarted.selector, block.number, block.number + 1000));
        vm.prank(alice);
        l.stake(hn, _ids(1, 1));
    }

    function test_stakeWhenPausedReverts() public {
        vm.prank(admin);
        link.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _stake(alice, hn, _ids(1, 1));
        vm.prank(admin);
        link.unpause();
        _stake(alice, hn, _ids(1, 1));
    }

    function test_stakeHundredGas() public {
        uint256[] memory ids = _ids(1, 100);
        vm.prank(alice);
        uint256 g = gasleft();
        link.stake(hn, ids);
        uint256 used = g - gasleft();
        // 100 consecutive ids: 13 packed index slots + 7 packed id slots instead of 200 slots; the rest
        // is 100 cold owner reads, the bundle record and the first write of the counters (≈ 1.03M).
        assertLt(used, 1_100_000, "stake of 100 Links");
    }

    // ---------------------------------------------------------------- transfers

    function test_stakedTokenCannotBeTransferred() public {
        uint256 b = _stake(alice, hn, _ids(1, 2));
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.TokenLocked.selector, 1, b));
        link.transferFrom(alice, bob, 1);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.TokenLocked.selector, 2, b));
        link.safeTransferFrom(alice, bob, 2);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.TokenLocked.selector, 2, b));
        link.safeTransferFrom(alice, bob, 2, "");
        link.transferFrom(alice, bob, 3); // a free one moves
        vm.stopPrank();
        assertEq(link.ownerOf(3), bob);
        // An approved operator is blocked as well.
        vm.prank(alice);
        link.setApprovalForAll(stranger, true);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.TokenLocked.selector, 1, b));
        vm.prank(stranger);
        link.transferFrom(alice, stranger, 1);
    }

    function test_transferOfMissingHighIdReverts() public {
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 70_000));
        vm.prank(alice);
        link.transferFrom(alice, bob, 70_000);
        assertEq(link.stakedBundleOf(70_000), 0);
    }

    function test_transfersAreNotPaused() public {
        vm.prank(admin);
        link.pause();
        vm.prank(alice);
        link.transferFrom(alice, bob, 1);
        assertEq(link.ownerOf(1), bob);
    }

    // ---------------------------------------------------------------- unstaking lifecycle

    function test_fullLifecycle() public {
        vm.roll(FIRST_BLOCK + 3 * ERA_BLOCKS); // era 3
        uint256 b = _stake(alice, hn, _ids(1, 10));
        _stake(bob, hn, _ids(501, 1));
        assertEq(link.stakedLinks(hn), 11);

        vm.warp(T0 + 30 days);
        _rollEras(4); // era 7
        vm.expectEmit(true, true, true, true, address(link));
        emit ICNLink.UnstakeInitiated(b, alice, hn, 10, 7, 9, false);
        vm.prank(alice);
        link.initiateUnstake(b);

        ICNLink.Bundle memory bd = link.bundle(b);
        assertEq(uint256(bd.status), uint256(ICNLink.BundleStatus.Unstaking));
        assertEq(bd.unstakeEra, 7);
        assertEq(bd.withdrawableEra, 9);
        assertEq(link.stakedLinks(hn), 1, "stops counting at once");
        assertEq(link.totalStakedLinks(), 1);
        assertTrue(link.isHyperNodeActive(hn));
        assertEq(link.stakedBundleOf(1), b, "still locked while unstaking");
        vm.expectRevert(abi.encodeWithSelector(ICNLink.TokenLocked.selector, 1, b));
        vm.prank(alice);
        link.transferFrom(alice, bob, 1);

        _rollEras(1); // era 8
        vm.expectRevert(abi.encodeWithSelector(ICNLink.UnstakingDelayNotOver.selector, b, 9, 8));
        vm.prank(alice);
        link.completeUnstake(b);

        vm.roll(eras.eraStartBlock(9)); // the first block of era 9
        vm.expectEmit(true, true, true, true, address(link));
        emit ICNLink.UnstakeCompleted(b, alice, hn, 10, 9);
        vm.prank(alice);
        link.completeUnstake(b);

        assertEq(uint256(link.bundle(b).status), uint256(ICNLink.BundleStatus.Unstaked));
        assertEq(link.bundleTokenIds(b).length, 10, "history kept");
        for (uint256 id = 1; id <= 10; ++id) {
            assertEq(link.stakedBundleOf(id), 0);
        }
        vm.prank(alice);
        link.transferFrom(alice, bob, 1);
        assertEq(link.ownerOf(1), bob);
        // And the Links can be staked again, in a new bundle.
        uint256 b2 = _stake(alice, hn, _ids(2, 9));
        assertEq(b2, 3);
        assertEq(link.stakedLinks(hn), 10);
    }

    function test_lastBundleLeavingDeactivatesHyperNode() public {
        uint256 b = _stake(alice, hn, _ids(1, 1));
        assertTrue(link.isHyperNodeActive(hn));
        vm.warp(T0 + 30 days);
        vm.prank(alice);
        link.initiateUnstake(b);
        assertFalse(link.isHyperNodeActive(hn));
    }

    function test_initiateUnstakeBeforeMinPeriodReverts() public {
        uint256 b = _stake(alice, hn, _ids(1, 1));
        vm.warp(T0 + 30 days - 1);
        vm.expectRevert(
            abi.encodeWithSelector(ICNLink.MinStakingPeriodNotOver.selector, b, T0 + 30 days, T0 + 30 days - 1)
        );
        vm.prank(alice);
        link.initiateUnstake(b);
        vm.warp(T0 + 30 days);
        vm.prank(alice);
        link.initiateUnstake(b);
    }

    function test_initiateUnstakeErrors() public {
        uint256 b = _stake(alice, hn, _ids(1, 1));
        vm.warp(T0 + 30 days);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.UnknownBundle.selector, 99));
        vm.prank(alice);
        link.initiateUnstake(99);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.NotBundleOwner.selector, b, alice, bob));
        vm.prank(bob);
        link.initiateUnstake(b);
        vm.prank(alice);
        link.initiateUnstake(b);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.BundleNotStaked.selector, b, ICNLink.BundleStatus.Unstaking));
        vm.prank(alice);
        link.initiateUnstake(b);
        _rollEras(2);
        vm.prank(alice);
        link.completeUnstake(b);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.BundleNotStaked.selector, b, ICNLink.BundleStatus.Unstaked));
        vm.prank(alice);
        link.initiateUnstake(b);
    }

    function test_initiateUnstakeWhenPausedReverts() public {
        uint256 b = _stake(alice, hn, _ids(1, 1));
        vm.warp(T0 + 30 days);
        vm.prank(admin);
        link.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(alice);
        link.initiateUnstake(b);
    }

    function test_completeUnstakeErrors() public {
        uint256 b = _stake(alice, hn, _ids(1, 1));
        vm.expectRevert(abi.encodeWithSelector(ICNLink.UnknownBundle.selector, 5));
        vm.prank(alice);
        link.completeUnstake(5);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.BundleNotUnstaking.selector, b, ICNLink.BundleStatus.Staked));
        vm.prank(alice);
        link.completeUnstake(b);
        vm.warp(T0 + 30 days);
        vm.prank(alice);
        link.initiateUnstake(b);
        _rollEras(2);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.NotBundleOwner.selector, b, alice, bob));
        vm.prank(bob);
        link.completeUnstake(b);
        vm.prank(admin);
        link.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(alice);
        link.completeUnstake(b);
        vm.prank(admin);
        link.unpause();
        vm.prank(alice);
        link.completeUnstake(b);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.BundleNotUnstaking.selector, b, ICNLink.BundleStatus.Unstaked));
        vm.prank(alice);
        link.completeUnstake(b);
    }

    function test_bundleViewsForUnknownId() public view {
        assertEq(uint256(link.bundle(42).status), uint256(ICNLink.BundleStatus.None));
        assertEq(link.bundleTokenIds(42).length, 0);
    }

    // ---------------------------------------------------------------- retired HyperNode

    function test_retiredHyperNodeWaivesMinPeriodButNotDelay() public {
        vm.roll(FIRST_BLOCK + 2 * ERA_BLOCKS); // era 2
        uint256 b = _stake(alice, hn, _ids(1, 4));
        _retireHyperNode(hn);
        assertFalse(link.isHyperNodeActive(hn), "a retired HyperNode is never active");
        assertEq(link.stakedLinks(hn), 4, "its bundles count until they unstake");

        vm.warp(T0 + 1); // well inside the minimum staking period
        vm.expectEmit(true, true, true, true, address(link));
        emit ICNLink.UnstakeInitiated(b, alice, hn, 4, 2, 4, true);
        vm.prank(alice);
        link.initiateUnstake(b);
        assertEq(link.stakedLinks(hn), 0);

        _rollEras(1);
        vm.expectRevert(abi.encodeWithSelector(ICNLink.UnstakingDelayNotOver.selector, b, 4, 3));
        vm.prank(alice);
        link.completeUnstake(b);
        _rollEras(1);
        vm.prank(alice);
        link.completeUnstake(b);
        assertEq(link.stakedBundleOf(1), 0);
    }

    // ---------------------------------------------------------------- parameters

    function test_setMinStakingPeriod() public {
        vm.expectEmit(true, true, true, true, address(link));
        emit ICNLink.MinStakingPeriodSet(30 days, 180 days);
        vm.prank(admin);
        link.setMinStakingPeriod(180 days);
        assertEq(link.minStakingPeriod(), 180 days);
        vm.prank(admin);
        link.setMinStakingPeriod(0);
        assertEq(link.minStakingPeriod(), 0);
    }

    function test_setMinStakingPeriodErrors() public {
        vm.expectRevert(abi.encodeWithSelector(ICNLink.MinStakingPeriodTooLong.selector, 180 days + 1, 180 days));
        vm.prank(admin);
        link.setMinStakingPeriod(180 days + 1);
        bytes32 role = link.GOVERNANCE_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        vm.prank(stranger);
        link.setMinStakingPeriod(1 days);
    }

    function test_setUnstakingDelayEras() public {
        vm.expectEmit(true, true, true, true, address(link));
        emit ICNLink.UnstakingDelayErasSet(2, 175);
        vm.prank(admin);
        link.setUnstakingDelayEras(175);
        assertEq(link.unstakingDelayEras(), 175);
    }

    function test_setUnstakingDelayErasErrors() public {
        vm.expectRevert(abi.encodeWithSelector(ICNLink.UnstakingDelayTooLong.selector, 176, 175));
        vm.prank(admin);
        link.setUnstakingDelayEras(176);
        bytes32 role = link.GOVERNANCE_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        vm.prank(stranger);
        link.setUnstakingDelayEras(1);
    }

    function test_parameterChangesDoNotReachExistingBundles() public {
        uint256 b = _stake(alice, hn, _ids(1, 1));
        vm.startPrank(admin);
        link.setMinStakingPeriod(180 days);
        link.setUnstakingDelayEras(0);
        vm.stopPrank();
        // The bundle keeps the 30 days it was staked under ...
        vm.warp(T0 + 30 days);
        vm.prank(alice);
        link.initiateUnstake(b);
        // ... and a new bundle gets 180 days.
        uint256 b2 = _stake(alice, hn, _ids(2, 1));
        assertEq(link.bundle(b2).unstakableAt, T0 + 30 days + 180 days);
        // The delay is fixed at initiation: raising it now does not stretch b's.
        vm.prank(admin);
        link.setUnstakingDelayEras(175);
        assertEq(link.bundle(b).withdrawableEra, link.bundle(b).unstakeEra);
        vm.prank(alice);
        link.completeUnstake(b); // same era: delay 0
    }

    // ---------------------------------------------------------------- fuzz

    function testFuzz_minStakingPeriod(uint256 period, uint256 waited) public {
        period = bound(period, 0, 180 days);
        waited = bound(waited, 0, 200 days);
        vm.prank(admin);
        link.setMinStakingPeriod(uint64(period));
        uint256 b = _stake(alice, hn, _ids(1, 1));
        vm.warp(T0 + waited);
        if (waited < period) {
            vm.expectRevert(
                abi.encodeWithSelector(ICNLink.MinStakingPeriodNotOver.selector, b, T0 + period, T0 + waited)
            );
        }
        vm.prank(alice);
        link.initiateUnstake(b);
    }

    function testFuzz_unstakingDelay(uint256 delay, uint256 erasWaited, uint256 eraDuration, uint256 startEra) public {
        delay = bound(delay, 0, 175);
        erasWaited = bound(erasWaited, 0, 200);
        startEra = bound(startEra, 0, 1000);
        // Change the era length (in a future segment) so the delay spans segments sometimes.
        uint64 d = uint64(bound(eraDuration, 1, 5000));
        vm.prank(admin);
        eras.appendSegment(FIRST_BLOCK + 10 * ERA_BLOCKS, d); // from era 10 on
        vm.prank(admin);
        link.setUnstakingDelayEras(uint64(delay));

        vm.roll(eras.eraStartBlock(startEra));
        uint256 b = _stake(alice, hn, _ids(1, 100));
        vm.warp(T0 + 30 days);
        vm.roll(eras.eraStartBlock(startEra + 1) - 1); // last block of the staking era
        vm.prank(alice);
        link.initiateUnstake(b);
        assertEq(link.bundle(b).withdrawableEra, startEra + delay);

        vm.roll(eras.eraStartBlock(startEra + erasWaited));
        if (erasWaited < delay) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ICNLink.UnstakingDelayNotOver.selector, b, startEra + delay, startEra + erasWaited
                )
            );
        }
        vm.prank(alice);
        link.completeUnstake(b);
        if (erasWaited >= delay) {
            assertEq(link.stakedBundleOf(50), 0);
            vm.prank(alice);
            link.transferFrom(alice, bob, 50);
        }
    }

    function testFuzz_stakeCountsAndLocks(uint256 n, uint256 start, uint256 probe) public {
        n = bound(n, 1, 100);
        start = bound(start, 1, 500 - n + 1);
        uint256 b = _stake(alice, hn, _ids(start, n));
        assertEq(link.stakedLinks(hn), n);
        assertEq(link.bundleTokenIds(b).length, n);
        uint256 id = bound(probe, 1, 500);
        bool inside = id >= start && id < start + n;
        assertEq(link.stakedBundleOf(id), inside ? b : 0);
        if (inside) vm.expectRevert(abi.encodeWithSelector(ICNLink.TokenLocked.selector, id, b));
        vm.prank(alice);
        link.transferFrom(alice, bob, id);
    }
}

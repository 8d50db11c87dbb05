// SPDX-License-Identifier: MIT
// Settlement: construction, committee, commitEra (EIP-712 signatures checked against an independent digest), leaf verification.
pragma solidity ^0.8.24;

import {SettlementFixture} from "./SettlementFixture.sol";
import {Settlement} from "../../src/settlement/Settlement.sol";
import {ProtocolRoles} from "../../src/common/ProtocolRoles.sol";
import {NodeLeaf} from "../../src/interfaces/ISettlement.sol";
import {ICapacityMarket} from "../../src/interfaces/ICapacityMarket.sol";
import {IReservePool} from "../../src/interfaces/IReservePool.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {WAD} from "../../src/common/Units.sol";
import {ResultsTree} from "./ResultsTree.sol";

contract SettlementCommitTest is SettlementFixture {
    bytes32 private constant ROOT = keccak256("root");
    bytes32 private constant DATA = keccak256("data");

    function setUp() public {
        deploySettlement();
    }

    function _newSettlement(ICapacityMarket m, uint64 firstEra_) private returns (Settlement) {
        return new Settlement(
            governance,
            icnt,
            eras,
            registry,
            collateral,
            delegation,
            m,
            rewardsReserve,
            linkRewardPool,
            links,
            firstEra_
        );
    }

    function _idx(uint256 a, uint256 b) private pure returns (uint256[] memory idx) {
        idx = new uint256[](2);
        (idx[0], idx[1]) = (a, b);
    }

    // ---------------------------------------------------------------- construction

    function test_constructor_wiring() public view {
        assertEq(address(settlement.icnt()), address(icnt));
        assertEq(address(settlement.eras()), address(eras));
        assertEq(address(settlement.registry()), address(registry));
        assertEq(address(settlement.collateral()), address(collateral));
        assertEq(address(settlement.delegation()), address(delegation));
        assertEq(address(settlement.market()), address(market));
        assertEq(address(settlement.rewardsReserve()), address(rewardsReserve));
        assertEq(address(settlement.linkRewardPool()), address(linkRewardPool));
        assertEq(address(settlement.links()), address(links));
        assertEq(settlement.firstEra(), 0);
        assertEq(settlement.lastCommittedEra(), type(uint64).max);
        assertTrue(settlement.hasRole(settlement.GOVERNANCE_ROLE(), governance));
        // the market refunds Builders from the escrow held here; Collateral and Delegation pull nothing
        assertEq(icnt.allowance(address(settlement), address(market)), type(uint256).max);
        assertEq(icnt.allowance(address(settlement), address(collateral)), 0);
        assertEq(icnt.allowance(address(settlement), address(delegation)), 0);
    }

    function test_constructor_productionDefaults() public {
        Settlement s = _newSettlement(ICapacityMarket(address(market)), 0);
        assertEq(s.hpClaimDelay(), 168); // eras: 7 days of 1-hour eras
        assertEq(s.linkClaimWait(), 2_160); // 90 days of 1-hour eras
        assertEq(s.erasPer30Days(), 720);
        assertEq(s.maxMaintenanceEras(), 48);
        (address[] memory m, uint8 t) = s.committee();
        assertEq(m.length, 0);
        assertEq(uint256(t), 0);
    }

    function test_constructor_rejectsZeroAddresses() public {
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        new Settlement(
            governance,
            icnt,
            eras,
            registry,
            collateral,
            delegation,
            ICapacityMarket(address(market)),
            IReservePool(address(0)),
            linkRewardPool,
            links,
            0
        );
    }

    function test_constructor_firstEraLater() public {
        Settlement s = _newSettlement(ICapacityMarket(address(market)), 7);
        assertEq(s.lastCommittedEra(), type(uint64).max);
        vm.prank(governance);
        s.setCommittee(members, 3);
        endEra(7);
        bytes32 digest = eraDigest(block.chainid, address(s), 6, ROOT, DATA);
        bytes[] memory sigs = new bytes[](3);
        for (uint256 i = 0; i < 3; ++i) {
            sigs[i] = sign(committeeKeys[i], digest);
        }
        vm.expectRevert(abi.encodeWithSelector(Settlement.EraOutOfOrder.selector, uint64(6), uint64(7)));
        s.commitEra(6, ROOT, DATA, sigs);
        digest = eraDigest(block.chainid, address(s), 7, ROOT, DATA);
        for (uint256 i = 0; i < 3; ++i) {
            sigs[i] = sign(committeeKeys[i], digest);
        }
        s.commitEra(7, ROOT, DATA, sigs);
        assertEq(s.lastCommittedEra(), 7);
    }

    // ---------------------------------------------------------------- market (set once)

    function test_setMarket_once() public {
        Settlement s = _newSettlement(ICapacityMarket(address(0)), 0);
        assertEq(address(s.market()), address(0));
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        vm.prank(governance);
        s.setMarket(ICapacityMarket(address(0)));
        vm.expectEmit(address(s));
        emit Settlement.MarketSet(address(market));
        vm.prank(governance);
        s.setMarket(ICapacityMarket(address(market)));
        assertEq(address(s.market()), address(market));
        vm.expectRevert(abi.encodeWithSelector(Settlement.MarketAlreadySet.selector, address(market)));
        vm.prank(governance);
        s.setMarket(ICapacityMarket(address(0x1234)));
    }

    function test_setMarket_lockedWhenGivenAtConstruction() public {
        vm.expectRevert(abi.encodeWithSelector(Settlement.MarketAlreadySet.selector, address(market)));
        vm.prank(governance);
        settlement.setMarket(ICapacityMarket(address(0x1234)));
    }

    function test_setMarket_onlyGovernance() public {
        Settlement s = _newSettlement(ICapacityMarket(address(0)), 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, address(this), s.GOVERNANCE_ROLE()
            )
        );
        s.setMarket(ICapacityMarket(address(market)));
    }

    // ---------------------------------------------------------------- committee

    function test_setCommittee_replacesMembers() public {
        (address[] memory m, uint8 t) = settlement.committee();
        assertEq(m.length, 5);
        assertEq(uint256(t), 3);
        assertTrue(settlement.isCommitteeMember(members[0]));

        address[] memory next = new address[](2);
        next[0] = members[4];
        next[1] = address(0xABCD);
        vm.expectEmit(address(settlement));
        emit Settlement.CommitteeSet(next, 2);
        vm.prank(governance);
        settlement.setCommittee(next, 2);
        (m, t) = settlement.committee();
        assertEq(m.length, 2);
        assertEq(m[0], members[4]);
        assertEq(uint256(t), 2);
        assertFalse(settlement.isCommitteeMember(members[0]));
        assertTrue(settlement.isCommitteeMember(members[4]));
        assertTrue(settlement.isCommitteeMember(address(0xABCD)));

        // A former member's signature no longer counts.
        endEra(0);
        bytes32 digest = eraDigest(0, ROOT, DATA);
        bytes[] memory sigs = new bytes[](2);
        sigs[0] = sign(committeeKeys[4], digest);
        sigs[1] = sign(committeeKeys[0], digest);
        vm.expectRevert(abi.encodeWithSelector(Settlement.NotCommitteeMember.selector, 1, members[0]));
        settlement.commitEra(0, ROOT, DATA, sigs);
    }

    function test_setCommittee_sixteenMembers() public {
        address[] memory m = new address[](16);
        for (uint256 i = 0; i < 16; ++i) {
            m[i] = vm.addr(0xAA00 + i);
        }
        vm.prank(governance);
        settlement.setCommittee(m, 16);
        endEra(0);
        bytes32 digest = eraDigest(0, ROOT, DATA);
        bytes[] memory sigs = new bytes[](16);
        for (uint256 i = 0; i < 16; ++i) {
            sigs[i] = sign(0xAA00 + 15 - i, digest); // any order
        }
        vm.expectEmit(address(settlement));
        emit Settlement.EraCommitted(0, ROOT, DATA, address(this), 0xFFFF);
        settlement.commitEra(0, ROOT, DATA, sigs);
    }

    function test_setCommittee_rejectsBadSizes() public {
        address[] memory none = new address[](0);
        vm.startPrank(governance);
        vm.expectRevert(abi.encodeWithSelector(Settlement.InvalidCommittee.selector, 0, 0));
        settlement.setCommittee(none, 0);
        vm.expectRevert(abi.encodeWithSelector(Settlement.InvalidCommittee.selector, 5, 0));
        settlement.setCommittee(members, 0);
        vm.expectRevert(abi.encodeWithSelector(Settlement.InvalidCommittee.selector, 5, 6));
        settlement.setCommittee(members, 6);
        address[] memory big = new address[](17);
        for (uint256 i = 0; i < 17; ++i) {
            big[i] = address(uint160(0x100 + i));
        }
        vm.expectRevert(abi.encodeWithSelector(Settlement.InvalidCommittee.selector, 17, 3));
        settlement.setCommittee(big, 3);
        vm.stopPrank();
    }

    function test_setCommittee_rejectsDuplicateAndZero() public {
        address[] memory m = new address[](3);
        m[0] = address(0x1);
        m[1] = address(0x2);
        m[2] = address(0x1);
        vm.expectRevert(abi.encodeWithSelector(Settlement.DuplicateMember.selector, address(0x1)));
        vm.prank(governance);
        settlement.setCommittee(m, 2);
        m[2] = address(0);
        vm.expectRevert(ProtocolRoles.ZeroAddress.selector);
        vm.prank(governance);
        settlement.setCommittee(m, 2);
    }

    function test_setCommittee_onlyGovernance() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, address(this), settlement.GOVERNANCE_ROLE()
            )
        );
        settlement.setCommittee(members, 3);
    }

    // ---------------------------------------------------------------- commitEra: success

    function test_digest_matchesIndependentComputation() public view {
        assertEq(settlement.domainSeparator(), domainSeparator(block.chainid, address(settlement)));
        assertEq(settlement.ERA_RESULT_TYPEHASH(), ERA_RESULT_TYPEHASH);
        assertEq(settlement.eraResultDigest(3, ROOT, DATA), eraDigest(3, ROOT, DATA));
        (, string memory name, string memory version, uint256 chainId, address verifying,,) = settlement.eip712Domain();
        assertEq(name, "ICN");
        assertEq(version, "1");
        assertEq(chainId, block.chainid);
        assertEq(verifying, address(settlement));
    }

    function test_commitEra_threeOfFive() public {
        endEra(0);
        bytes[] memory sigs = signatures(0, ROOT, DATA, threeSigners());
        vm.expectEmit(address(settlement));
        emit Settlement.EraCommitted(0, ROOT, DATA, address(0xBEEF), (1 << 0) | (1 << 2) | (1 << 4));
        vm.prank(address(0xBEEF)); // anyone may submit
        settlement.commitEra(0, ROOT, DATA, sigs);
        assertEq(settlement.lastCommittedEra(), 0);
        (bytes32 r, bytes32 d) = settlement.eraRoots(0);
        assertEq(r, ROOT);
        assertEq(d, DATA);
        (r, d) = settlement.eraRoots(1);
        assertEq(r, bytes32(0));
        assertEq(d, bytes32(0));
    }

    function test_commitEra_allFiveInAnyOrder() public {
        endEra(0);
        uint256[] memory idx = new uint256[](5);
        (idx[0], idx[1], idx[2], idx[3], idx[4]) = (3, 1, 4, 0, 2);
        settlement.commitEra(0, ROOT, DATA, signatures(0, ROOT, DATA, idx));
        assertEq(settlement.lastCommittedEra(), 0);
    }

    function test_commitEra_successiveEras() public {
        for (uint64 e = 0; e < 4; ++e) {
            endEra(e);
            bytes32 root = keccak256(abi.encode(e));
            settlement.commitEra(e, root, DATA, signatures(e, root, DATA, threeSigners()));
            assertEq(settlement.lastCommittedEra(), e);
        }
    }

    // ---------------------------------------------------------------- commitEra: rejections

    function test_commitEra_noCommittee() public {
        Settlement s = _newSettlement(ICapacityMarket(address(market)), 0);
        endEra(0);
        vm.expectRevert(Settlement.NoCommittee.selector);
        s.commitEra(0, ROOT, DATA, new bytes[](0));
    }

    function test_commitEra_wrongSigner() public {
        endEra(0);
        bytes[] memory sigs = signatures(0, ROOT, DATA, threeSigners());
        uint256 outsider = 0xBAD;
        sigs[1] = sign(outsider, eraDigest(0, ROOT, DATA));
        vm.expectRevert(abi.encodeWithSelector(Settlement.NotCommitteeMember.selector, 1, vm.addr(outsider)));
        settlement.commitEra(0, ROOT, DATA, sigs);
    }

    function test_commitEra_duplicateSigner() public {
        endEra(0);
        uint256[] memory idx = new uint256[](3);
        (idx[0], idx[1], idx[2]) = (1, 3, 1);
        bytes[] memory sigs = signatures(0, ROOT, DATA, idx);
        vm.expectRevert(abi.encodeWithSelector(Settlement.DuplicateSigner.selector, 2, members[1]));
        settlement.commitEra(0, ROOT, DATA, sigs);
    }

    function test_commitEra_signatureForAnotherEra() public {
        endEra(1);
        bytes[] memory sigs = signatures(1, ROOT, DATA, threeSigners()); // signed for era 1
        vm.expectPartialRevert(Settlement.NotCommitteeMember.selector);
        settlement.commitEra(0, ROOT, DATA, sigs);
    }

    function test_commitEra_signatureForAnotherRoot() public {
        endEra(0);
        bytes[] memory sigs = signatures(0, ROOT, DATA, threeSigners());
        vm.expectPartialRevert(Settlement.NotCommitteeMember.selector);
        settlement.commitEra(0, ROOT, keccak256("other data"), sigs);
    }

    function test_commitEra_signatureForAnotherChain() public {
        endEra(0);
        bytes32 digest = eraDigest(block.chainid + 1, address(settlement), 0, ROOT, DATA);
        bytes[] memory sigs = new bytes[](3);
        for (uint256 i = 0; i < 3; ++i) {
            sigs[i] = sign(committeeKeys[i], digest);
        }
        vm.expectPartialRevert(Settlement.NotCommitteeMember.selector);
        settlement.commitEra(0, ROOT, DATA, sigs);
    }

    function test_commitEra_replayedOnAnotherChain() public {
        endEra(0);
        bytes[] memory sigs = signatures(0, ROOT, DATA, threeSigners()); // valid on this chain
        uint256 home = block.chainid;
        vm.chainId(home + 1); // the same contract seen on a fork with another chain id
        assertEq(settlement.domainSeparator(), domainSeparator(home + 1, address(settlement)));
        vm.expectPartialRevert(Settlement.NotCommitteeMember.selector);
        settlement.commitEra(0, ROOT, DATA, sigs);
        vm.chainId(home);
        settlement.commitEra(0, ROOT, DATA, sigs);
    }

    function test_commitEra_signatureForAnotherContract() public {
        Settlement other = _newSettlement(ICapacityMarket(address(market)), 0);
        endEra(0);
        bytes32 digest = eraDigest(block.chainid, address(other), 0, ROOT, DATA);
        bytes[] memory sigs = new bytes[](3);
        for (uint256 i = 0; i < 3; ++i) {
            sigs[i] = sign(committeeKeys[i], digest);
        }
        vm.expectPartialRevert(Settlement.NotCommitteeMember.selector);
        settlement.commitEra(0, ROOT, DATA, sigs);
    }

    function test_commitEra_fewerThanThreshold() public {
        endEra(0);
        bytes[] memory sigs = signatures(0, ROOT, DATA, _idx(0, 1));
        vm.expectRevert(abi.encodeWithSelector(Settlement.TooFewSignatures.selector, 2, 3));
        settlement.commitEra(0, ROOT, DATA, sigs);
        vm.expectRevert(abi.encodeWithSelector(Settlement.TooFewSignatures.selector, 0, 3));
        settlement.commitEra(0, ROOT, DATA, new bytes[](0));
    }

    function test_commitEra_malformedSignature() public {
        endEra(0);
        bytes[] memory sigs = signatures(0, ROOT, DATA, threeSigners());
        sigs[2] = new bytes(64); // wrong length
        vm.expectRevert(abi.encodeWithSelector(Settlement.MalformedSignature.selector, 2));
        settlement.commitEra(0, ROOT, DATA, sigs);
        // A high-s (malleable) copy of a valid signature.
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(committeeKeys[2], eraDigest(0, ROOT, DATA));
        uint256 n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
        sigs[2] = abi.encodePacked(r, bytes32(n - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(abi.encodeWithSelector(Settlement.MalformedSignature.selector, 2));
        settlement.commitEra(0, ROOT, DATA, sigs);
    }

    function test_commitEra_outOfOrder() public {
        endEra(1);
        bytes[] memory sigs = signatures(1, ROOT, DATA, threeSigners());
        vm.expectRevert(abi.encodeWithSelector(Settlement.EraOutOfOrder.selector, uint64(1), uint64(0)));
        settlement.commitEra(1, ROOT, DATA, sigs);
        settlement.commitEra(0, ROOT, DATA, signatures(0, ROOT, DATA, threeSigners()));
        // The same era twice.
        vm.expectRevert(abi.encodeWithSelector(Settlement.EraOutOfOrder.selector, uint64(0), uint64(1)));
        settlement.commitEra(0, ROOT, DATA, signatures(0, ROOT, DATA, threeSigners()));
    }

    function test_commitEra_eraNotEnded() public {
        uint256 endBlock = eras.eraStartBlock(1);
        vm.roll(endBlock - 1); // the last block of era 0
        bytes[] memory sigs = signatures(0, ROOT, DATA, threeSigners());
        vm.expectRevert(abi.encodeWithSelector(Settlement.EraNotEnded.selector, uint64(0), endBlock, endBlock - 1));
        settlement.commitEra(0, ROOT, DATA, sigs);
        vm.roll(endBlock);
        settlement.commitEra(0, ROOT, DATA, sigs);
    }

    function test_commitEra_paused() public {
        endEra(0);
        bytes[] memory sigs = signatures(0, ROOT, DATA, threeSigners());
        vm.prank(governance);
        settlement.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        settlement.commitEra(0, ROOT, DATA, sigs);
    }

    // ---------------------------------------------------------------- leaf verification

    function test_verifyLeaves() public {
        NodeLeaf memory a = nodeLeaf(1, 5 * WAD, 2 * WAD, 0);
        NodeLeaf memory b = nodeLeaf(2, 0, 4 * WAD, WAD);
        bytes32[] memory leaves = new bytes32[](4);
        leaves[0] = ResultsTree.nodeLeaf(a);
        leaves[1] = ResultsTree.nodeLeaf(b);
        leaves[2] = ResultsTree.linkLeaf(1, 381 * WAD);
        leaves[3] = ResultsTree.linkLeaf(2, 17);
        assertEq(settlement.nodeLeafHash(a), leaves[0]);
        assertEq(settlement.linkLeafHash(1, 381 * WAD), leaves[2]);
        assertFalse(settlement.verifyNodeLeaf(0, a, new bytes32[](0)), "not committed yet");
        commitLeaves(0, leaves);

        assertTrue(settlement.verifyNodeLeaf(0, a, proofOf(0, 0)));
        assertTrue(settlement.verifyNodeLeaf(0, b, proofOf(0, 1)));
        assertTrue(settlement.verifyLinkLeaf(0, 1, 381 * WAD, proofOf(0, 2)));
        assertTrue(settlement.verifyLinkLeaf(0, 2, 17, proofOf(0, 3)));
        // Wrong proof, changed amount, other kind, uncommitted era.
        assertFalse(settlement.verifyNodeLeaf(0, a, proofOf(0, 1)));
        a.subsidy += 1;
        assertFalse(settlement.verifyNodeLeaf(0, a, proofOf(0, 0)));
        assertFalse(settlement.verifyLinkLeaf(0, 1, 381 * WAD + 1, proofOf(0, 2)));
        assertFalse(settlement.verifyLinkLeaf(0, 2, 17, proofOf(0, 1)));
        assertFalse(settlement.verifyNodeLeaf(1, b, proofOf(0, 1)));
        assertFalse(settlement.verifyLinkLeaf(1, 1, 381 * WAD, proofOf(0, 2)));
    }

    // Vectors from @openzeppelin/merkle-tree 1.0.8 (test/settlement/oz-tree-vectors.js, run offline with node).
    bytes32 private constant OZ_STANDARD_ROOT = 0x366508daabd39601bb178d72a8ec67bc20a5f5e6745a322fd4629b2a03b83680;
    bytes32 private constant OZ_STANDARD_UNSORTED_ROOT =
        0x1dd1f4a110970acb0136cba1ea97faf47273f894bd8a406a2255a5d743d29f56;
    bytes32 private constant OZ_MIXED_ROOT = 0x81d5d702f11ce97e01b00dbccb69f670ee6f483615f0a18c4eb6bf963a4e5c80;
    bytes32 private constant OZ_MIXED_UNSORTED_ROOT =
        0xefcac6a672e91f8d9749b6679dc8f654beb793255459423a166e94a24bc83cd2;

    function _ozNodes() private pure returns (NodeLeaf[] memory n) {
        n = new NodeLeaf[](3);
        n[0] = NodeLeaf(1, 5 * WAD, 2 * WAD, 0, 7, 3);
        n[1] = NodeLeaf(2, 0, 4 * WAD, WAD, 0, 0);
        n[2] = NodeLeaf(3, 123456789, 987654321, 42, 9, 100);
    }

    function test_ozVectors_rootsMatchTheHelper() public pure {
        NodeLeaf[] memory n = _ozNodes();
        bytes32[] memory leaves = new bytes32[](3);
        for (uint256 i = 0; i < 3; ++i) {
            leaves[i] = ResultsTree.nodeLeaf(n[i]);
        }
        assertEq(ResultsTree.root(leaves), OZ_STANDARD_UNSORTED_ROOT);
        bytes32[] memory mixed = new bytes32[](5);
        for (uint256 i = 0; i < 3; ++i) {
            mixed[i] = leaves[i];
        }
        mixed[3] = ResultsTree.linkLeaf(1, 381 * WAD);
        mixed[4] = ResultsTree.linkLeaf(2, 17);
        assertEq(ResultsTree.root(mixed), OZ_MIXED_UNSORTED_ROOT);
    }

    function test_ozVectors_proofsFromTheJsLibraryVerify() public {
        endEra(1);
        settlement.commitEra(0, OZ_STANDARD_ROOT, DATA, signatures(0, OZ_STANDARD_ROOT, DATA, threeSigners()));
        settlement.commitEra(1, OZ_MIXED_ROOT, DATA, signatures(1, OZ_MIXED_ROOT, DATA, threeSigners()));
        NodeLeaf[] memory n = _ozNodes();

        bytes32[] memory p = new bytes32[](2);
        p[0] = 0x6f9e40592e7551cfd8e9f800d6d71659a7e60508c420b52bb035418e40edd3d8;
        p[1] = 0xf8bb6161f5a3430e1a71b83044ebf768d15834dbf10ee7f337019fe9b0b12fec;
        assertTrue(settlement.verifyNodeLeaf(0, n[0], p));
        bytes32[] memory p2 = new bytes32[](1);
        p2[0] = 0xd5a97d611016901583299e45207195f35fd61eac0f8870b930085dd22ce590e7;
        assertTrue(settlement.verifyNodeLeaf(0, n[1], p2));
        p[0] = 0xdeb9350d3dd9c2a481b29f3b59d2afb4ef1095396be20049f68dd4401a5e7b1a;
        assertTrue(settlement.verifyNodeLeaf(0, n[2], p));

        bytes32[] memory p3 = new bytes32[](3);
        p3[0] = 0x6f9e40592e7551cfd8e9f800d6d71659a7e60508c420b52bb035418e40edd3d8;
        p3[1] = 0xf8bb6161f5a3430e1a71b83044ebf768d15834dbf10ee7f337019fe9b0b12fec;
        p3[2] = 0x8f460fac971db786ccae159f545ac25df298248f14ca55ccc840d57cd13f3071;
        assertTrue(settlement.verifyLinkLeaf(1, 1, 381 * WAD, p3));
        p3[0] = 0xa18291a028b74dd789e70dc9de49be85f528819c0e32e176e118afa36dd86d55;
        assertTrue(settlement.verifyNodeLeaf(1, n[2], p3));
    }
}

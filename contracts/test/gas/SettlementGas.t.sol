// SPDX-License-Identifier: MIT
// Gas of Settlement's operations, one per test on state prepared in setUp (1,001 committed eras, a results
// tree of 1,024 leaves); where DESIGN sets a bound, the test asserts it on the call itself.
pragma solidity ^0.8.24;

import {SettlementFixture} from "../settlement/SettlementFixture.sol";
import {ResultsTree} from "../settlement/ResultsTree.sol";
import {NodeLeaf} from "../../src/interfaces/ISettlement.sol";
import {WAD} from "../../src/common/Units.sol";

contract SettlementGasTest is SettlementFixture {
    uint64 private constant LAST_ERA = 1_000;
    uint256 private constant LEAVES = 1_024;
    uint256 private constant COMMIT_BOUND = 150_000;
    uint256 private constant CLAIM_BOUND = 120_000;

    // Nodes paid to the HP alone (nothing delegated), and nodes with delegators (every payout path).
    uint256 private nodeA; // claimed at era 999: its claim at era 1,000 covers 1 era
    uint256 private nodeB; // claimed at era 0: its claim at era 1,000 covers 1,000 eras
    uint256 private nodeC; // never claimed
    uint256 private nodeD; // delegated to; claimed at era 999
    uint256 private nodeE; // delegated to; claimed at era 0
    uint256 private nodeShort; // under-collateralised: its rewards go into collateral
    uint256 private bundleId;
    mapping(uint256 index => NodeLeaf) private leafAt;
    mapping(uint256 index => bytes32[]) private proofAt;

    function setUp() public {
        deploySettlement();
        uint256[] memory ids = registerNodes(5, 0, 20e18);
        (nodeA, nodeB, nodeC, nodeD, nodeE) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
        nodeShort = registerNodes(1, requirement() * 30 / 100, 20e18)[0];
        bundleId = stakeBundle(1);
        for (uint256 i = 0; i < 5; ++i) {
            bookNode(ids[i]);
        }
        bookNode(nodeShort);
        vm.startPrank(delegator);
        delegation.delegate(nodeD, 1_000 * WAD, 30);
        delegation.delegate(nodeE, 1_000 * WAD, 30);
        vm.stopPrank();

        // Era 0: the first claims of B and E; eras 1 … 998 empty; era 999: the previous claims of A and D.
        bytes32[] memory l = new bytes32[](2);
        l[0] = ResultsTree.nodeLeaf(nodeLeaf(nodeB, 1 * WAD, 1 * WAD, 0));
        l[1] = ResultsTree.nodeLeaf(nodeLeaf(nodeE, 1 * WAD, 1 * WAD, 0));
        commitLeaves(0, l);
        settlement.claimHpRewards(0, nodeLeaf(nodeB, 1 * WAD, 1 * WAD, 0), proofOf(0, 0));
        settlement.claimHpRewards(0, nodeLeaf(nodeE, 1 * WAD, 1 * WAD, 0), proofOf(0, 1));
        commitEmptyUpTo(LAST_ERA - 2);
        l = new bytes32[](2);
        l[0] = ResultsTree.nodeLeaf(nodeLeaf(nodeA, 99 * WAD, 99 * WAD, 0));
        l[1] = ResultsTree.nodeLeaf(nodeLeaf(nodeD, 99 * WAD, 99 * WAD, 0));
        commitLeaves(LAST_ERA - 1, l);
        settlement.claimHpRewards(LAST_ERA - 1, nodeLeaf(nodeA, 99 * WAD, 99 * WAD, 0), proofOf(LAST_ERA - 1, 0));
        settlement.claimHpRewards(LAST_ERA - 1, nodeLeaf(nodeD, 99 * WAD, 99 * WAD, 0), proofOf(LAST_ERA - 1, 1));

        // Era 1,000: 1,024 leaves (the measured ones first, then other nodes and bundles).
        leafAt[0] = nodeLeaf(nodeA, 100 * WAD, 100 * WAD, 0);
        leafAt[1] = nodeLeaf(nodeB, 100 * WAD, 100 * WAD, 0);
        leafAt[2] = nodeLeaf(nodeC, 100 * WAD, 100 * WAD, 100 * WAD);
        leafAt[3] = nodeLeaf(nodeD, 100 * WAD, 100 * WAD, requirement() + 100 * WAD); // slash beyond collateral
        leafAt[4] = nodeLeaf(nodeE, 100 * WAD, 100 * WAD, 0);
        leafAt[5] = nodeLeaf(nodeShort, 10 * WAD, 10 * WAD, 0);
        l = new bytes32[](LEAVES);
        for (uint256 i = 0; i < 6; ++i) {
            l[i] = ResultsTree.nodeLeaf(leafAt[i]);
        }
        l[6] = ResultsTree.linkLeaf(bundleId, 2_500 * WAD);
        for (uint256 i = 7; i < LEAVES; ++i) {
            l[i] = i % 2 == 0
                ? ResultsTree.nodeLeaf(nodeLeaf(100_000 + i, i * WAD, i * WAD, 0))
                : ResultsTree.linkLeaf(100_000 + i, i * WAD);
        }
        bytes32[] memory t = ResultsTree.build(l);
        for (uint256 i = 0; i < 7; ++i) {
            proofAt[i] = ResultsTree.proof(t, LEAVES, i);
        }
        bytes32 root = t[0];
        endEra(LAST_ERA);
        settlement.commitEra(
            LAST_ERA, root, dataRootOf(LAST_ERA), signatures(LAST_ERA, root, dataRootOf(LAST_ERA), threeSigners())
        );
        // Era LAST_ERA + 1 committed too: with a claim delay of one era the leaves of LAST_ERA pay.
        commitEmptyUpTo(LAST_ERA + 1);
        endEra(LAST_ERA + 2);
    }

    function _proof(uint256 index) private view returns (bytes32[] memory) {
        return proofAt[index];
    }

    /// Claims leaf `index` of the last era; returns the transaction's gas: the call's execution (measured)
    /// + 21,000 + its calldata at EIP-2028 prices (4 per zero byte, 16 per other).
    function _claimHp(uint256 index) private returns (uint256 total, uint256 execution) {
        vm.pauseGasMetering();
        NodeLeaf memory leaf = leafAt[index];
        bytes32[] memory proof = _proof(index);
        uint256 calldataGas = _calldataGas(abi.encodeCall(settlement.claimHpRewards, (LAST_ERA, leaf, proof)));
        vm.resumeGasMetering();
        uint256 g = gasleft();
        settlement.claimHpRewards(LAST_ERA, leaf, proof);
        execution = g - gasleft();
        total = execution + 21_000 + calldataGas;
        emit log_named_uint("claimHpRewards execution gas", execution);
        emit log_named_uint("claimHpRewards transaction gas", total);
    }

    function _calldataGas(bytes memory data) private pure returns (uint256 gas) {
        for (uint256 i; i < data.length; ++i) {
            gas += data[i] == 0 ? 4 : 16;
        }
    }

    function test_commitEra_3of5() public {
        vm.pauseGasMetering();
        uint64 era = LAST_ERA + 2;
        bytes32 root = keccak256("root");
        bytes32 data = keccak256("data");
        bytes[] memory sigs = signatures(era, root, data, threeSigners());
        vm.resumeGasMetering();
        uint256 g = gasleft();
        settlement.commitEra(era, root, data, sigs);
        assertLe(g - gasleft(), COMMIT_BOUND, "commitEra above its bound");
    }

    // HP reward claims paid to the HP (fully collateralised, nothing delegated): the whole transaction
    // (21,000 + calldata + execution) within the bound, whether the leaf covers 1 era or 1,000, with or
    // without the claim delay.

    function test_claimHpRewards_1era() public {
        (uint256 total,) = _claimHp(0);
        assertLe(total, CLAIM_BOUND, "claimHpRewards transaction above its bound");
    }

    function test_claimHpRewards_1000eras() public {
        (uint256 total,) = _claimHp(1);
        assertLe(total, CLAIM_BOUND, "claimHpRewards transaction above its bound");
    }

    // The other payout paths add work a plain claim does not have; their execution holds the bound and
    // their transaction gas is reported (docs/contracts/settlement.md).

    function test_claimHpRewards_firstClaim() public {
        // + the node's settlement record written for the first time (≈ 17,000)
        (, uint256 execution) = _claimHp(2);
        assertLe(execution, CLAIM_BOUND, "first claimHpRewards above its bound");
    }

    function test_claimHpRewards_delegated_1era() public {
        (, uint256 execution) = _claimHp(3);
        assertLe(execution, CLAIM_BOUND, "claimHpRewards with delegators above its bound");
    }

    function test_claimHpRewards_delegated_1000eras() public {
        (, uint256 execution) = _claimHp(4);
        assertLe(execution, CLAIM_BOUND, "claimHpRewards with delegators above its bound");
    }

    function test_claimHpRewards_delayed() public {
        // the claim delay (1 era here): era LAST_ERA pays once LAST_ERA + 1 is committed
        vm.pauseGasMetering();
        vm.prank(governance);
        settlement.setHpClaimDelay(1);
        vm.resumeGasMetering();
        (uint256 total,) = _claimHp(0);
        assertLe(total, CLAIM_BOUND, "delayed claimHpRewards transaction above its bound");
    }

    function test_claimHpRewards_diverted() public {
        (, uint256 execution) = _claimHp(5);
        assertLe(execution, CLAIM_BOUND, "diverted claimHpRewards above its bound");
    }

    function test_claimLinkRewards() public {
        vm.pauseGasMetering();
        bytes32[] memory proof = _proof(6);
        vm.resumeGasMetering();
        uint256 g = gasleft();
        settlement.claimLinkRewards(LAST_ERA, bundleId, 2_500 * WAD, proof);
        assertLe(g - gasleft(), CLAIM_BOUND, "claimLinkRewards above its bound");
    }

    function test_applySlash() public {
        vm.pauseGasMetering();
        NodeLeaf memory leaf = leafAt[2];
        bytes32[] memory proof = _proof(2);
        vm.resumeGasMetering();
        uint256 g = gasleft();
        settlement.applySlash(LAST_ERA, leaf, proof);
        assertLe(g - gasleft(), CLAIM_BOUND, "applySlash above its bound");
    }

    function test_applySlash_intoDelegation() public {
        vm.pauseGasMetering();
        NodeLeaf memory leaf = leafAt[3];
        bytes32[] memory proof = _proof(3);
        vm.resumeGasMetering();
        settlement.applySlash(LAST_ERA, leaf, proof); // the collateral, then 100 ICNT from the delegations
    }

    function test_declareMaintenance() public {
        vm.prank(hp);
        settlement.declareMaintenance(nodeA, LAST_ERA + 10, 4);
    }

    function test_verifyNodeLeaf() public {
        vm.pauseGasMetering();
        NodeLeaf memory leaf = leafAt[0];
        bytes32[] memory proof = _proof(0);
        vm.resumeGasMetering();
        assertTrue(settlement.verifyNodeLeaf(LAST_ERA, leaf, proof));
    }
}

// SPDX-License-Identifier: MIT
// Gas of the capacity market's operations, one per test, in a full 50-node cluster of the wired protocol;
// contracts/.gas-snapshot pins each (scripts/gas-check). `book` must stay ≤ 250,000 gas per transaction.
pragma solidity ^0.8.24;

import {MarketFixture} from "../market/MarketFixture.sol";
import {NodeLeaf} from "../../src/interfaces/ISettlement.sol";
import {CapacityMarket} from "../../src/market/CapacityMarket.sol";

/// Shared set-up: a cluster holding the maximum of 50 nodes (48 in the pool).
abstract contract MarketGasBase is MarketFixture {

    uint256 internal constant CLUSTER_NODES = 50; // Registry default maxNodesPerCluster
    uint256 internal constant BOOK_GAS_LIMIT = 250_000;
    /// An OpenSSH ed25519 public key, the size of a real `accessKey`.
    bytes internal constant ACCESS_KEY =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3b0R4cQkzv1a7mC8fY2nT0pW5eJxK9LsHdV6uZ3Aa builder";

    uint256 internal firstNode;
    uint256 internal bookCalldataGas;

    function _fullCluster() internal {
        deployMarket();
        firstNode = _registerNodes(hp, CLUSTER_NODES, CAPACITY, RESERVATION_PRICE, NODE_MAX_DURATION, COMMIT);
        vm.startPrank(governance);
        for (uint256 i; i < CLUSTER_NODES; ++i) {
            registry.validateScalerNode(firstNode + i);
        }
        vm.stopPrank();
        for (uint256 i; i < CLUSTER_NODES - 1; ++i) {
            market.list(firstNode + i); // the last node stays unlisted (test_list)
        }
        bytes memory data =
            abi.encodeCall(CapacityMarket.book, (clusterId, CAPACITY, DURATION, type(uint256).max, ACCESS_KEY));
        for (uint256 i; i < data.length; ++i) {
            bookCalldataGas += data[i] == 0 ? 4 : 16; // EIP-2028
        }
    }

    /// Transaction gas of a `book` call: execution (measured) + 21,000 + calldata (EIP-2028 prices).
    function _bookTransactionGas(uint256 limit) internal returns (uint256 total) {
        uint256 calldataGas = bookCalldataGas;
        vm.prank(builder);
        uint256 before = gasleft();
        market.book(clusterId, CAPACITY, DURATION, type(uint256).max, ACCESS_KEY);
        uint256 execution = before - gasleft();
        total = execution + 21_000 + calldataGas;
        emit log_named_uint("book execution gas", execution);
        emit log_named_uint("book transaction gas", total);
        assertLe(total, limit, "book above its gas limit");
    }
}

/// The network in operation: bookings exist (counters and balances are non-zero), one booking is running
/// (renew) and one has ended with its last era committed (expire).
contract MarketGasTest is MarketGasBase {
    uint256 private running;
    uint256 private poolHead;
    uint256 private ended;
    uint64 private endedEra;
    NodeLeaf private endedLeaf;
    bytes32[] private endedProof;

    function setUp() public {
        _fullCluster();
        ended = _book();
        _advancePastBooking(ended);
        running = _book(builder2, CAPACITY, DURATION);
        endedEra = uint64(market.lastEra(ended));
        endedLeaf = _leaf(ended, 80);
        endedProof = _commitOne(endedEra, endedLeaf);
        settlement.claimHpRewards(endedEra, endedLeaf, endedProof); // the HP was paid before expiry
        poolHead = market.poolNodeIds(clusterId, CAPACITY)[0];
    }

    function test_book() public {
        _bookTransactionGas(BOOK_GAS_LIMIT);
    }

    function test_quote() public view {
        (uint256 nodeId,,,) = market.quote(clusterId, CAPACITY, DURATION);
        assertGt(nodeId, 0);
    }

    function test_renew() public {
        vm.prank(builder2);
        market.renew(running, 30 days, type(uint256).max);
    }

    function test_expire() public {
        vm.prank(stranger);
        market.expire(ended, endedEra, endedLeaf, endedProof);
    }

    function test_list() public {
        market.list(firstNode + CLUSTER_NODES - 1);
    }

    function test_delist() public {
        vm.prank(hp);
        market.delist(poolHead);
    }
}

/// The very first booking of the network: every counter, Settlement's (escrow) and the Treasury's balances go from
/// zero to non-zero in this transaction (the most expensive `book`).
contract MarketGasFirstBookingTest is MarketGasBase {
    function setUp() public {
        _fullCluster();
    }

    /// Four storage slots go from zero to non-zero here and never again (the network's booked capacity and
    /// Booked-node count in the Registry, Settlement's and the Treasury's ICNT balances): 4 × 17,100 gas
    /// above the steady-state limit.
    function test_book_firstInNetwork() public {
        _bookTransactionGas(BOOK_GAS_LIMIT + 4 * 17_100);
    }
}

// SPDX-License-Identifier: MIT
// For the settlement comparison of `make bench` only (bench/settlement.js, docs/benchmarks.md): the
// design icn does NOT use, where every node's era result is its own transaction. Never deployed.
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

/// @title PerNodeSettlement
/// @notice One transaction per node per era: the committee's t-of-n signatures over that node's
/// cumulative result, checked and stored on chain. Written to be as cheap as such a design can be,
/// so the comparison favours it: two packed slots per node, no token transfer (the payout a real
/// per-node design would add is not counted), the same committee checks as Settlement.commitEra.
contract PerNodeSettlement is EIP712 {
    struct NodeRecord {
        uint128 utilisation;
        uint128 subsidy;
        uint128 slashed;
        uint64 lastEraPlusOne; // 0: never settled
    }

    bytes32 private constant NODE_ERA_RESULT_TYPEHASH = keccak256(
        "NodeEraResult(uint64 era,uint256 nodeId,uint256 utilisation,uint256 subsidy,uint256 slashed)"
    );

    mapping(address member => uint256) private _memberIndexPlusOne;
    uint8 private immutable _threshold;
    mapping(uint256 nodeId => NodeRecord) private _nodes;

    event NodeEraSettled(uint256 indexed nodeId, uint64 indexed era, uint256 utilisation, uint256 subsidy, uint256 slashed);

    error EraOutOfOrder(uint256 nodeId, uint64 era);
    error TooFewSignatures(uint256 count, uint256 threshold);
    error NotCommitteeMember(uint256 index);
    error DuplicateSigner(uint256 index);

    constructor(address[] memory members, uint8 threshold_) EIP712("ICN per-node settlement (bench)", "1") {
        for (uint256 i = 0; i < members.length; i++) {
            _memberIndexPlusOne[members[i]] = i + 1;
        }
        _threshold = threshold_;
    }

    /// @notice Records node `nodeId`'s cumulative result after `era`, signed by t committee members.
    function settleNode(
        uint64 era,
        uint256 nodeId,
        uint256 utilisation,
        uint256 subsidy,
        uint256 slashed,
        bytes[] calldata signatures
    ) external {
        NodeRecord storage r = _nodes[nodeId];
        if (uint256(era) + 1 <= r.lastEraPlusOne) revert EraOutOfOrder(nodeId, era);
        if (signatures.length < _threshold) revert TooFewSignatures(signatures.length, _threshold);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(NODE_ERA_RESULT_TYPEHASH, era, nodeId, utilisation, subsidy, slashed))
        );
        uint256 seen;
        for (uint256 i = 0; i < signatures.length; i++) {
            uint256 index = _memberIndexPlusOne[ECDSA.recoverCalldata(digest, signatures[i])];
            if (index == 0) revert NotCommitteeMember(i);
            uint256 bit = 1 << (index - 1);
            if (seen & bit != 0) revert DuplicateSigner(i);
            seen |= bit;
        }
        r.utilisation = uint128(utilisation);
        r.subsidy = uint128(subsidy);
        r.slashed = uint128(slashed);
        r.lastEraPlusOne = era + 1;
        emit NodeEraSettled(nodeId, era, utilisation, subsidy, slashed);
    }

    /// @notice The EIP-712 domain separator the committee signs under.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice What the committee signs for one node's era result.
    function nodeEraResultDigest(uint64 era, uint256 nodeId, uint256 utilisation, uint256 subsidy, uint256 slashed)
        external
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(NODE_ERA_RESULT_TYPEHASH, era, nodeId, utilisation, subsidy, slashed))
        );
    }
}

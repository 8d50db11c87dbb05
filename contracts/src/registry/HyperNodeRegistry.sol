// SPDX-License-Identifier: MIT
// HyperNode records (operator, proven signing key, location, endpoint); deployed by the Registry.
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ProtocolRoles} from "../common/ProtocolRoles.sol";
import {Iso3166} from "./Iso3166.sol";

/// @notice A HyperNode (spec §5); the endpoint is stored on chain so daemons can find it (spec §14 gap 5).
struct HyperNode {
    address operator; // the account that registered it and manages it
    address signingKey; // signs challenge responses; unique for ever
    bytes3 location; // ISO-3166-1 alpha-3
    bool retired;
    uint64 registeredAt;
    string endpoint; // e.g. "https://hn1.example.org:8443"
}

/// @title HyperNodeRegistry
/// @notice Anyone may register HyperNodes by proving possession of the signing key; the operator moves the
/// endpoint or retires the node. `isHyperNodeRegistered` is what the ICN Link contract checks (through
/// the Registry, which forwards).
/// @dev Split from the Registry only to keep both under the EIP-170 code size limit; the Registry creates
/// it in its constructor (same admin), so the deployment wiring does not change.
contract HyperNodeRegistry is ProtocolRoles {
    /// @notice Endpoint length in bytes.
    uint256 public constant MAX_ENDPOINT = 256;
    /// @notice Domain string of the key proof (see `hyperNodeKeyProofHash`).
    string public constant HYPERNODE_KEY_DOMAIN = "ICN HyperNode key";

    uint256 private _count;
    mapping(uint256 => HyperNode) private _hyperNodes;
    mapping(address => uint256) private _byKey;

    event HyperNodeRegistered(
        uint256 indexed hyperNodeId,
        address indexed operator,
        address indexed signingKey,
        bytes3 location,
        string endpoint
    );
    event HyperNodeEndpointSet(uint256 indexed hyperNodeId, string endpoint);
    event HyperNodeRetired(uint256 indexed hyperNodeId);

    error ZeroSigningKey();
    error SigningKeyTaken(address signingKey, uint256 hyperNodeId);
    error InvalidLocation(bytes3 location);
    error InvalidEndpointLength(uint256 length, uint256 max);
    error InvalidEndpointByte(uint256 position, bytes1 value);
    error InvalidKeyProof(address signingKey, address recovered);
    error UnknownHyperNode(uint256 hyperNodeId);
    error NotHyperNodeOperator(uint256 hyperNodeId, address caller);
    error HyperNodeIsRetired(uint256 hyperNodeId);

    /// @param admin receives DEFAULT_ADMIN, GOVERNANCE, OPERATOR and EMERGENCY (see ProtocolRoles).
    constructor(address admin) ProtocolRoles(admin) {}

    /// @notice Registers a HyperNode operated by the caller (spec §5).
    /// @param signingKey the key the HyperNode signs challenge responses with: non-zero, never registered
    /// @param location ISO-3166-1 alpha-3 code, e.g. "DEU"
    /// @param endpoint where daemons reach it, e.g. "https://hn1.example.org:8443"; 1..256 bytes of
    /// printable ASCII without spaces
    /// @param keyProof 65-byte EIP-191 personal-sign signature by `signingKey` of
    /// `hyperNodeKeyProofHash(caller)`: nobody can register a key they do not hold
    /// @return hyperNodeId the new id (sequential from 1)
    function registerHyperNode(address signingKey, bytes3 location, string calldata endpoint, bytes calldata keyProof)
        external
        whenNotPaused
        returns (uint256 hyperNodeId)
    {
        if (signingKey == address(0)) revert ZeroSigningKey();
        uint256 existing = _byKey[signingKey];
        if (existing != 0) revert SigningKeyTaken(signingKey, existing);
        if (!Iso3166.isValid(location)) revert InvalidLocation(location);
        _checkEndpoint(endpoint);
        bytes32 digest = MessageHashUtils.toEthSignedMessageHash(hyperNodeKeyProofHash(msg.sender));
        (address recovered,,) = ECDSA.tryRecoverCalldata(digest, keyProof);
        if (recovered != signingKey) revert InvalidKeyProof(signingKey, recovered);

        hyperNodeId = ++_count;
        _byKey[signingKey] = hyperNodeId;
        HyperNode storage h = _hyperNodes[hyperNodeId];
        h.operator = msg.sender;
        h.signingKey = signingKey;
        h.location = location;
        h.registeredAt = uint64(block.timestamp);
        h.endpoint = endpoint;
        emit HyperNodeRegistered(hyperNodeId, msg.sender, signingKey, location, endpoint);
    }

    /// @notice Moves HyperNode `hyperNodeId` to a new endpoint; its operator only.
    /// @param hyperNodeId a HyperNode of the caller, not retired
    /// @param endpoint 1..256 bytes of printable ASCII without spaces
    function setHyperNodeEndpoint(uint256 hyperNodeId, string calldata endpoint) external whenNotPaused {
        HyperNode storage h = _operated(hyperNodeId);
        _checkEndpoint(endpoint);
        h.endpoint = endpoint;
        emit HyperNodeEndpointSet(hyperNodeId, endpoint);
    }

    /// @notice Retires HyperNode `hyperNodeId` for good (its signing key stays reserved); its operator only.
    /// @param hyperNodeId a HyperNode of the caller, not retired
    function retireHyperNode(uint256 hyperNodeId) external whenNotPaused {
        _operated(hyperNodeId).retired = true;
        emit HyperNodeRetired(hyperNodeId);
    }

    /// @notice The 32-byte message a signing key signs (EIP-191 personal sign, e.g. `cast wallet sign`) to
    /// prove possession when `operator` registers it:
    /// keccak256(abi.encode("ICN HyperNode key", block.chainid, address(this), operator)).
    /// @param operator the account that will call `registerHyperNode`
    /// @return the message
    function hyperNodeKeyProofHash(address operator) public view returns (bytes32) {
        return keccak256(abi.encode(HYPERNODE_KEY_DOMAIN, block.chainid, address(this), operator));
    }

    /// @notice HyperNode `hyperNodeId`.
    /// @param hyperNodeId an existing HyperNode (retired ones included)
    /// @return the record
    function hyperNode(uint256 hyperNodeId) external view returns (HyperNode memory) {
        if (hyperNodeId == 0 || hyperNodeId > _count) revert UnknownHyperNode(hyperNodeId);
        return _hyperNodes[hyperNodeId];
    }

    /// @notice The HyperNode registered with `signingKey` (0 if none; retired ones keep their key).
    /// @param signingKey a signing key
    /// @return the HyperNode id or 0
    function hyperNodeIdByKey(address signingKey) external view returns (uint256) {
        return _byKey[signingKey];
    }

    /// @notice True when HyperNode `hyperNodeId` exists and is not retired.
    /// @param hyperNodeId any id
    /// @return whether it is registered
    function isHyperNodeRegistered(uint256 hyperNodeId) external view returns (bool) {
        HyperNode storage h = _hyperNodes[hyperNodeId];
        return h.operator != address(0) && !h.retired;
    }

    /// @notice Number of HyperNodes ever registered, retired ones included (ids run from 1 to this).
    /// @return the count
    function hyperNodeCount() external view returns (uint256) {
        return _count;
    }

    function _checkEndpoint(string calldata endpoint) private pure {
        bytes calldata e = bytes(endpoint);
        if (e.length == 0 || e.length > MAX_ENDPOINT) revert InvalidEndpointLength(e.length, MAX_ENDPOINT);
        for (uint256 i; i < e.length; ++i) {
            if (e[i] <= 0x20 || e[i] >= 0x7f) revert InvalidEndpointByte(i, e[i]);
        }
    }

    function _operated(uint256 hyperNodeId) private view returns (HyperNode storage h) {
        h = _hyperNodes[hyperNodeId];
        if (h.operator == address(0)) revert UnknownHyperNode(hyperNodeId);
        if (h.operator != msg.sender) revert NotHyperNodeOperator(hyperNodeId, msg.sender);
        if (h.retired) revert HyperNodeIsRetired(hyperNodeId);
    }
}

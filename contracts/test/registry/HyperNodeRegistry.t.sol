// SPDX-License-Identifier: MIT
// HyperNodeRegistry tests: registration with a proof of key possession, endpoint moves, retirement.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {Registry} from "../../src/registry/Registry.sol";
import {HyperNodeRegistry, HyperNode} from "../../src/registry/HyperNodeRegistry.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

contract HyperNodeRegistryTest is Test {
    Registry internal registry;
    HyperNodeRegistry internal hn;

    address internal constant OPERATOR = address(0x09E7);
    address internal constant OTHER = address(0x07E4);
    uint256 internal constant KEY = 0xB0B5EC12E7;
    address internal signer;

    function setUp() public {
        vm.warp(1_700_000_000);
        registry = new Registry(address(this));
        hn = registry.hyperNodeRegistry();
        signer = vm.addr(KEY);
    }

    function _proof(uint256 key, address operator) internal view returns (bytes memory) {
        bytes32 digest = MessageHashUtils.toEthSignedMessageHash(hn.hyperNodeKeyProofHash(operator));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _register(uint256 key, address operator) internal returns (uint256 id) {
        bytes memory proof = _proof(key, operator);
        vm.prank(operator);
        id = hn.registerHyperNode(vm.addr(key), "DEU", "http://10.0.0.1:7300", proof);
    }

    function test_proofHashIsBoundToChainContractAndOperator() public view {
        bytes32 expected = keccak256(abi.encode("ICN HyperNode key", block.chainid, address(hn), OPERATOR));
        assertEq(hn.hyperNodeKeyProofHash(OPERATOR), expected);
        assertTrue(hn.hyperNodeKeyProofHash(OPERATOR) != hn.hyperNodeKeyProofHash(OTHER));
    }

    function test_registerHyperNode() public {
        bytes memory proof = _proof(KEY, OPERATOR);
        vm.expectEmit(true, true, true, true, address(hn));
        emit HyperNodeRegistry.HyperNodeRegistered(1, OPERATOR, signer, "DEU", "https://hn1.example.org:8443");
        vm.prank(OPERATOR);
        uint256 id = hn.registerHyperNode(signer, "DEU", "https://hn1.example.org:8443", proof);
        assertEq(id, 1);
        HyperNode memory h = hn.hyperNode(1);
        assertEq(h.operator, OPERATOR);
        assertEq(h.signingKey, signer);
        assertEq(bytes32(h.location), bytes32(bytes3("DEU")));
        assertFalse(h.retired);
        assertEq(h.registeredAt, block.timestamp);
        assertEq(h.endpoint, "https://hn1.example.org:8443");
        assertEq(hn.hyperNodeIdByKey(signer), 1);
        assertEq(hn.hyperNodeCount(), 1);
        assertTrue(hn.isHyperNodeRegistered(1));
        assertFalse(hn.isHyperNodeRegistered(2));
        assertFalse(hn.isHyperNodeRegistered(0));
        // one operator, many HyperNodes
        uint256 id2 = _register(KEY + 1, OPERATOR);
        assertEq(id2, 2);
        assertEq(hn.hyperNodeCount(), 2);
    }

    function test_registerHyperNode_endpointBounds() public {
        bytes memory longest = new bytes(256);
        for (uint256 i; i < 256; ++i) {
            longest[i] = "a";
        }
        bytes memory proof = _proof(KEY, OPERATOR);
        vm.prank(OPERATOR);
        uint256 id = hn.registerHyperNode(signer, "USA", string(longest), proof);
        assertEq(hn.hyperNode(id).endpoint, string(longest));
        proof = _proof(KEY + 1, OPERATOR);
        vm.prank(OPERATOR);
        id = hn.registerHyperNode(vm.addr(KEY + 1), "USA", "!~", proof);
        assertEq(hn.hyperNode(id).endpoint, "!~");
    }

    function test_registerHyperNode_errors() public {
        bytes memory proof = _proof(KEY, OPERATOR);
        vm.startPrank(OPERATOR);
        vm.expectRevert(HyperNodeRegistry.ZeroSigningKey.selector);
        hn.registerHyperNode(address(0), "DEU", "http://a", proof);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidLocation.selector, bytes3("XXX")));
        hn.registerHyperNode(signer, "XXX", "http://a", proof);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidLocation.selector, bytes3("deu")));
        hn.registerHyperNode(signer, "deu", "http://a", proof);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidEndpointLength.selector, 0, 256));
        hn.registerHyperNode(signer, "DEU", "", proof);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidEndpointLength.selector, 257, 256));
        hn.registerHyperNode(signer, "DEU", string(new bytes(257)), proof);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidEndpointByte.selector, 4, bytes1(" ")));
        hn.registerHyperNode(signer, "DEU", "http ://a", proof);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidEndpointByte.selector, 8, bytes1(0x0a)));
        hn.registerHyperNode(signer, "DEU", "http://a\n", proof);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidEndpointByte.selector, 0, bytes1(0x7f)));
        hn.registerHyperNode(signer, "DEU", string(abi.encodePacked(bytes1(0x7f))), proof);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidEndpointByte.selector, 1, bytes1(0xc3)));
        hn.registerHyperNode(signer, "DEU", unicode"hé", proof);
        vm.stopPrank();

        // someone else cannot squat the key with the operator's proof (bound to msg.sender)
        bytes32 otherDigest = MessageHashUtils.toEthSignedMessageHash(hn.hyperNodeKeyProofHash(OTHER));
        address recoveredForOther = ECDSA.recover(otherDigest, proof);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidKeyProof.selector, signer, recoveredForOther));
        vm.prank(OTHER);
        hn.registerHyperNode(signer, "DEU", "http://a", proof);
        // a proof by another key
        bytes memory wrong = _proof(KEY + 7, OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidKeyProof.selector, signer, vm.addr(KEY + 7)));
        vm.prank(OPERATOR);
        hn.registerHyperNode(signer, "DEU", "http://a", wrong);
        // malformed proofs recover nothing
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidKeyProof.selector, signer, address(0)));
        vm.prank(OPERATOR);
        hn.registerHyperNode(signer, "DEU", "http://a", new bytes(64));
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidKeyProof.selector, signer, address(0)));
        vm.prank(OPERATOR);
        hn.registerHyperNode(signer, "DEU", "http://a", "");

        // a key registers once only, even after retirement
        uint256 id = _register(KEY, OPERATOR);
        proof = _proof(KEY, OTHER);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.SigningKeyTaken.selector, signer, id));
        vm.prank(OTHER);
        hn.registerHyperNode(signer, "DEU", "http://a", proof);
        vm.prank(OPERATOR);
        hn.retireHyperNode(id);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.SigningKeyTaken.selector, signer, id));
        vm.prank(OTHER);
        hn.registerHyperNode(signer, "DEU", "http://a", proof);

        hn.pause();
        proof = _proof(KEY + 2, OPERATOR);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(OPERATOR);
        hn.registerHyperNode(vm.addr(KEY + 2), "DEU", "http://a", proof);
    }

    function test_setHyperNodeEndpoint() public {
        uint256 id = _register(KEY, OPERATOR);
        vm.expectEmit(true, true, true, true, address(hn));
        emit HyperNodeRegistry.HyperNodeEndpointSet(id, "https://[2001:db8::1]:443");
        vm.prank(OPERATOR);
        hn.setHyperNodeEndpoint(id, "https://[2001:db8::1]:443");
        assertEq(hn.hyperNode(id).endpoint, "https://[2001:db8::1]:443");
    }

    function test_setHyperNodeEndpoint_errors() public {
        uint256 id = _register(KEY, OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.UnknownHyperNode.selector, 9));
        vm.prank(OPERATOR);
        hn.setHyperNodeEndpoint(9, "http://b");
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.NotHyperNodeOperator.selector, id, OTHER));
        vm.prank(OTHER);
        hn.setHyperNodeEndpoint(id, "http://b");
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidEndpointLength.selector, 0, 256));
        vm.prank(OPERATOR);
        hn.setHyperNodeEndpoint(id, "");
        hn.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(OPERATOR);
        hn.setHyperNodeEndpoint(id, "http://b");
        hn.unpause();
        vm.prank(OPERATOR);
        hn.retireHyperNode(id);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.HyperNodeIsRetired.selector, id));
        vm.prank(OPERATOR);
        hn.setHyperNodeEndpoint(id, "http://b");
    }

    function test_retireHyperNode() public {
        uint256 id = _register(KEY, OPERATOR);
        vm.expectEmit(true, true, true, true, address(hn));
        emit HyperNodeRegistry.HyperNodeRetired(id);
        vm.prank(OPERATOR);
        hn.retireHyperNode(id);
        assertTrue(hn.hyperNode(id).retired);
        assertFalse(hn.isHyperNodeRegistered(id));
        assertEq(hn.hyperNodeCount(), 1);
        assertEq(hn.hyperNodeIdByKey(signer), id);
    }

    function test_retireHyperNode_errors() public {
        uint256 id = _register(KEY, OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.UnknownHyperNode.selector, 0));
        hn.retireHyperNode(0);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.NotHyperNodeOperator.selector, id, OTHER));
        vm.prank(OTHER);
        hn.retireHyperNode(id);
        hn.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(OPERATOR);
        hn.retireHyperNode(id);
        hn.unpause();
        vm.prank(OPERATOR);
        hn.retireHyperNode(id);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.HyperNodeIsRetired.selector, id));
        vm.prank(OPERATOR);
        hn.retireHyperNode(id);
    }

    function test_hyperNode_unknown() public {
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.UnknownHyperNode.selector, 0));
        hn.hyperNode(0);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.UnknownHyperNode.selector, 1));
        hn.hyperNode(1);
    }

    /// Any key and operator: a correct proof registers, and the proof works for that operator only.
    function testFuzz_proofOfPossession(uint256 key, address operator, address squatter) public {
        key = bound(key, 1, 115792089237316195423570985008687907852837564279074904382605163141518161494336);
        vm.assume(operator != squatter);
        bytes memory proof = _proof(key, operator);
        address k = vm.addr(key);
        bytes32 squatDigest = MessageHashUtils.toEthSignedMessageHash(hn.hyperNodeKeyProofHash(squatter));
        (address recovered,,) = ECDSA.tryRecover(squatDigest, proof);
        vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidKeyProof.selector, k, recovered));
        vm.prank(squatter);
        hn.registerHyperNode(k, "FRA", "http://x", proof);
        vm.prank(operator);
        uint256 id = hn.registerHyperNode(k, "FRA", "http://x", proof);
        assertEq(hn.hyperNode(id).operator, operator);
        assertEq(hn.hyperNodeIdByKey(k), id);
    }

    /// Endpoints: accepted exactly when 1..256 bytes, all in 0x21..0x7e.
    function testFuzz_endpoint(bytes memory endpoint) public {
        bool ok = endpoint.length > 0 && endpoint.length <= 256;
        uint256 bad = type(uint256).max;
        for (uint256 i; ok && i < endpoint.length; ++i) {
            if (uint8(endpoint[i]) <= 0x20 || uint8(endpoint[i]) >= 0x7f) {
                bad = i;
                break;
            }
        }
        bytes memory proof = _proof(KEY, OPERATOR);
        if (!ok) {
            vm.expectRevert(
                abi.encodeWithSelector(HyperNodeRegistry.InvalidEndpointLength.selector, endpoint.length, 256)
            );
        } else if (bad != type(uint256).max) {
            vm.expectRevert(abi.encodeWithSelector(HyperNodeRegistry.InvalidEndpointByte.selector, bad, endpoint[bad]));
        }
        vm.prank(OPERATOR);
        hn.registerHyperNode(signer, "DEU", string(endpoint), proof);
    }
}

// Prints the @openzeppelin/merkle-tree vectors SettlementCommit.t.sol hard-codes (roots and proofs of node and
// Link leaves). Offline: NODE_PATH=tools/evm/node_modules node contracts/test/settlement/oz-tree-vectors.js
'use strict';
const { StandardMerkleTree, SimpleMerkleTree } = require('@openzeppelin/merkle-tree');
const { standardLeafHash } = require('@openzeppelin/merkle-tree/dist/hashes');
const nodeTypes = ['uint8','uint256','uint256','uint256','uint256','uint256','uint256'];
const linkTypes = ['uint8','uint256','uint256'];
const W = 10n**18n;
const nodes = [
  [1, 1n, 5n*W, 2n*W, 0n, 7n, 3n],
  [1, 2n, 0n, 4n*W, 1n*W, 0n, 0n],
  [1, 3n, 123456789n, 987654321n, 42n, 9n, 100n],
];
const links = [[2, 1n, 381n*W], [2, 2n, 17n]];
// 1. StandardMerkleTree with its defaults (sorted leaves): the contract must accept its proofs.
const st = StandardMerkleTree.of(nodes, nodeTypes);
console.log('standard root', st.root);
for (const [i, v] of st.entries()) console.log('standard proof node', v[1].toString(), JSON.stringify(st.getProof(i)));
// 2. Unsorted: the Solidity ResultsTree helper must build the same root.
const st2 = StandardMerkleTree.of(nodes, nodeTypes, { sortLeaves: false });
console.log('standard unsorted root', st2.root);
// 3. Mixed tree (node and Link leaves) as the satellites build it: SimpleMerkleTree over standard leaf hashes.
const hashes = [...nodes.map(v => standardLeafHash(nodeTypes, v)), ...links.map(v => standardLeafHash(linkTypes, v))];
const mixed = SimpleMerkleTree.of(hashes);
console.log('mixed root', mixed.root);
console.log('mixed proof link1', JSON.stringify(mixed.getProof(standardLeafHash(linkTypes, links[0]))));
console.log('mixed proof node3', JSON.stringify(mixed.getProof(standardLeafHash(nodeTypes, nodes[2]))));
const mixedU = SimpleMerkleTree.of(hashes, { sortLeaves: false });
console.log('mixed unsorted root', mixedU.root);

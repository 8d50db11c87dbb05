// Reference results tree (ResultLeaves.sol) from OpenZeppelin's merkle-tree package, for the
// vectors in icn/core/era_results_test.cpp: node leaves and Link leaves hashed with
// standardLeafHash, one SimpleMerkleTree over the leaf hashes.
// Usage: ICN_EVM_TOOLS=tools/evm/node_modules node results_tree.js IN.json
//   IN = {"nodes": [[nodeId, utilisation, subsidy, slashed, bookingId, bookingUpEras], …],
//         "links": [[bundleId, reward], …]} (decimal strings)
// Prints {"root", "leaves": [hash…], "proofs": [[hash…]…]} with nodes first, then links.
'use strict';
const fs = require('fs');
const path = require('path');
const tools = process.env.ICN_EVM_TOOLS;
const {SimpleMerkleTree} = require(path.join(tools, '@openzeppelin/merkle-tree'));
const {standardLeafHash} = require(path.join(tools, '@openzeppelin/merkle-tree/dist/hashes'));

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const nodeTypes = ['uint8', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256'];
const linkTypes = ['uint8', 'uint256', 'uint256'];
const leaves = [
  ...input.nodes.map((v) => standardLeafHash(nodeTypes, ['1', ...v])),
  ...input.links.map((v) => standardLeafHash(linkTypes, ['2', ...v])),
];
const tree = SimpleMerkleTree.of(leaves);
console.log(JSON.stringify({
  root: tree.root,
  leaves,
  proofs: leaves.map((_, i) => tree.getProof(i)),
}, null, 1));

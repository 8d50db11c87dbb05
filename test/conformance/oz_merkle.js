// Reference roots and proofs from OpenZeppelin's merkle-tree package for the C++ conformance test.
// Usage: node oz_merkle.js IN.json OUT.json, IN = [{types, values}], OUT = [{root, proofs}].
'use strict';
const fs = require('fs');
const path = require('path');
const {StandardMerkleTree} = require(path.join(process.env.ICN_EVM_TOOLS, '@openzeppelin/merkle-tree'));

const trees = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const out = trees.map(({types, values}) => {
  const tree = StandardMerkleTree.of(values, types);
  return {root: tree.root, proofs: values.map((_, i) => tree.getProof(i))};
});
fs.writeFileSync(process.argv[3], JSON.stringify(out));

#!/usr/bin/env node
// Fails when an external or public function in contracts/src lacks NatSpec: every such function
// needs a `///` (or `/** */`) block with a @notice (or untagged first line, which solc reads as one)
// (issue 3: "NatSpec on every external function"). Usage: node check-natspec.js [SRC_DIR]
'use strict';
const fs = require('fs');
const path = require('path');

const srcDir = process.argv[2] || path.join(__dirname, '..', 'src');

function listSol(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listSol(p));
    else if (e.name.endsWith('.sol')) out.push(p);
  }
  return out;
}

// The doc block directly above line `i` (skipping nothing but blank-free `///` lines or a `/** */`).
function docAbove(lines, i) {
  const block = [];
  let j = i - 1;
  if (j >= 0 && lines[j].trim().endsWith('*/')) {
    while (j >= 0) {
      block.unshift(lines[j]);
      if (lines[j].trim().startsWith('/**')) return block.join('\n');
      j--;
    }
    return '';
  }
  while (j >= 0 && lines[j].trim().startsWith('///')) block.unshift(lines[j--]);
  return block.join('\n');
}

const missing = [];
let checked = 0;
for (const file of listSol(srcDir)) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(/^\s*function\s+(\w+)\s*\(/);
    if (!m) continue;
    // The visibility may sit on a continuation line: read the header up to its body or `;`.
    let header = '';
    for (let k = i; k < lines.length && k < i + 12; k++) {
      header += ' ' + lines[k];
      if (/[{;]/.test(lines[k])) break;
    }
    if (!/\b(external|public)\b/.test(header)) continue;
    checked++;
    const doc = docAbove(lines, i);
    // An untagged first line is a @notice to solc too.
    const first = doc.split('\n')[0].replace(/^\s*(\/\/\/|\/\*\*)\s*/, '');
    if (!(/@notice|@inheritdoc/.test(doc) || (first.length > 0 && !first.startsWith('@')))) {
      missing.push(`${path.relative(process.cwd(), file)}:${i + 1}: ${m[1]} has no @notice`);
    }
  }
}
for (const line of missing) console.error(line);
console.log(`check-natspec: ${checked} external/public functions, ${missing.length} without NatSpec`);
process.exit(missing.length ? 1 : 0);

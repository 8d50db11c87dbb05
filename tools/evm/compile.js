#!/usr/bin/env node
// Compiles Solidity sources with the pinned npm solc (standard JSON) into one artifact per contract:
//   node tools/evm/compile.js --out DIR [--stamp FILE] SRC_DIR [SRC_DIR...]
// OUTDIR/<ContractName>.json = {contractName, abi, bytecode, deployedBytecode, sourceName}.
// Settings: optimizer on (200 runs), evmVersion cancun. An artifact is only rewritten when its
// content changes; --stamp FILE is touched after every successful run (for build systems).
// Errors are printed as file:line:col and make the exit code 1; warnings are printed only.
'use strict';
const fs = require('fs');
const path = require('path');

const evmDir = __dirname;                       // tools/evm
const repoRoot = path.resolve(evmDir, '..', '..');
const solc = require(path.join(evmDir, 'node_modules', 'solc'));

function usage(msg) {
  if (msg) process.stderr.write(`compile.js: ${msg}\n`);
  process.stderr.write('usage: node tools/evm/compile.js --out DIR [--stamp FILE] SRC_DIR [SRC_DIR...]\n');
  process.exit(2);
}

// ---- command line
let outDir = null, stamp = null;
const srcDirs = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') outDir = args[++i];
  else if (args[i] === '--stamp') stamp = args[++i];
  else if (args[i].startsWith('-')) usage(`unknown option ${args[i]}`);
  else srcDirs.push(args[i]);
}
if (!outDir || srcDirs.length === 0) usage();

// Source unit names are repo-relative ("contracts/src/X.sol"), so the metadata hash embedded in
// the bytecode, and therefore the bytecode, do not depend on where the work tree is checked out.
function unitName(file) {
  const rel = path.relative(repoRoot, path.resolve(file));
  return (rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(file) : rel).split(path.sep).join('/');
}

function listSol(dir) {
  let st;
  try { st = fs.statSync(dir); } catch (_) { usage(`no such directory: ${dir}`); }
  if (!st.isDirectory()) usage(`not a directory: ${dir}`);
  const files = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files.push(...listSol(p));
    else if (e.name.endsWith('.sol')) files.push(p);
  }
  return files;
}

const sources = {};
for (const d of srcDirs) {
  for (const f of listSol(d)) sources[unitName(f)] = { content: fs.readFileSync(f, 'utf8') };
}
const ownUnits = Object.keys(sources).sort();
if (ownUnits.length === 0) usage(`no .sol files under ${srcDirs.join(' ')}`);

const outputSelection = {};
for (const u of ownUnits) outputSelection[u] = { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] };

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    remappings: ['@openzeppelin/contracts/=tools/evm/node_modules/@openzeppelin/contracts/'],
    outputSelection,
  },
};

// Imports arrive as source unit names (remapped / relative imports already resolved by solc):
// look them up from the repo root, then tools/evm/node_modules; absolute names as they are.
function findImports(name) {
  const candidates = path.isAbsolute(name)
    ? [name]
    : [path.join(repoRoot, name), path.join(evmDir, 'node_modules', name)];
  for (const c of candidates) {
    try { return { contents: fs.readFileSync(c, 'utf8') }; } catch (_) { /* next */ }
  }
  return { error: `File not found: ${name}` };
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));

// ---- diagnostics: formattedMessage already holds " --> file:line:col" and the source excerpt
let failed = false;
for (const e of output.errors || []) {
  if (e.severity === 'error') failed = true;
  process.stderr.write((e.formattedMessage || `${e.severity}: ${e.message}`).trimEnd() + '\n');
}
if (failed) {
  process.stderr.write('compile.js: compilation failed\n');
  process.exit(1);
}

// ---- artifacts
fs.mkdirSync(outDir, { recursive: true });
const seen = new Map();
let written = 0, total = 0;
for (const unit of ownUnits) {
  for (const [name, c] of Object.entries((output.contracts || {})[unit] || {})) {
    if (seen.has(name)) {
      process.stderr.write(`compile.js: contract name ${name} defined in both ${seen.get(name)} and ${unit}\n`);
      process.exit(1);
    }
    seen.set(name, unit);
    const bytecode = '0x' + c.evm.bytecode.object;
    if (bytecode.includes('__$')) process.stderr.write(`compile.js: warning: ${name} needs library linking\n`);
    const artifact = {
      contractName: name,
      abi: c.abi,
      bytecode,
      deployedBytecode: '0x' + c.evm.deployedBytecode.object,
      sourceName: unit,
    };
    const text = JSON.stringify(artifact, null, 2) + '\n';
    const file = path.join(outDir, `${name}.json`);
    let old = null;
    try { old = fs.readFileSync(file, 'utf8'); } catch (_) { /* new */ }
    total++;
    if (old !== text) {
      fs.writeFileSync(file + '.tmp', text);   // write-then-rename: never a half-written artifact
      fs.renameSync(file + '.tmp', file);
      written++;
    }
  }
}
if (stamp) {
  const now = new Date();
  try { fs.utimesSync(stamp, now, now); } catch (_) { fs.writeFileSync(stamp, ''); }
}
process.stdout.write(`compile.js: ${total} contracts, ${written} artifacts updated in ${outDir}\n`);

// The settlement comparison (issue 10), on a real anvil: gas per era of this design — commitEra once
// per era plus one claimHpRewards per node when it claims — against a per-node design where every
// node's era result is its own transaction (bench/contracts/PerNodeSettlement.sol, compiled here with
// the pinned solc), for N = 10 … 10,000 nodes. Gas from receipts (`icn sim gas`); the per-node design
// is measured on up to 1,000 transactions per era and multiplied beyond (the table says where).
// Usage: node bench/settlement.js BUILD_DIR   (prints one JSON object with figures; progress on stderr)
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { figure } = require('./figures');

const root = path.resolve(__dirname, '..');
const sizes = (process.env.ICN_BENCH_GAS_SIZES || '10,100,1000,10000').split(',').map(Number);
const claimSpans = [1, 10, 100];
const claimEvery = 168;  // eras between an HP's claims: a week of 1-hour eras (the default claim delay)

// Gas per era of each design at each N (pure: unit-tested in collect.test.js).
function perEra(g) {
  return {
    nodes: g.nodes,
    every_era: g.commitGas + g.nodes * g.claimGas,
    every_k: g.commitGas + (g.nodes * g.claimGas) / claimEvery,
    per_node: g.perNodeEraGas,
  };
}

function build(gas) {
  const bySize = gas.sizes.map((g) => ({ g, e: perEra(g) }));
  const small = gas.sizes[0];
  const big = gas.sizes[gas.sizes.length - 1];
  const bigEra = perEra(big);
  const spans = gas.claimSpans;
  const n = (x) => x.toLocaleString('en-US');
  const t = `t = ${gas.threshold} of ${gas.committeeSize}`;
  const figures = [
    figure({ id: 'settlement.commit_gas', label: `commitEra gas at N = ${n(big.nodes)} (${t})`, unit: 'gas',
             value: big.commitGas, budget: 150000, better: 'lower',
             reference: { label: 'one per-node settleNode transaction (gas)', value: big.perNodeTxGas } }),
    figure({ id: 'settlement.commit_gas_flat', label: `commitEra gas at N = ${n(big.nodes)} ÷ at N = ${n(small.nodes)} ` +
             '(flat in N; budget: within 5 %)', unit: '×', value: big.commitGas / small.commitGas, budget: 1.05,
             better: 'lower', reference: null }),
    figure({ id: 'settlement.claim_gas', label: `claimHpRewards gas, tree of N = ${n(big.nodes)} ` +
             `(proof of ${big.proofLength})`, unit: 'gas', value: big.claimGas, budget: 120000, better: 'lower',
             reference: { label: `claim in a tree of N = ${n(small.nodes)} (gas)`, value: small.claimGas } }),
    figure({ id: 'settlement.claim_gas_flat_in_eras', label: `claim covering ${spans[spans.length - 1].erasCovered} eras ÷ ` +
             `covering ${spans[0].erasCovered} (flat in eras covered; budget: within 5 %)`, unit: '×',
             value: spans[spans.length - 1].claimGas / spans[0].claimGas, budget: 1.05, better: 'lower', reference: null }),
    figure({ id: 'settlement.era_gas_every_era', label: `gas per era at N = ${n(big.nodes)}, every node claiming every era`,
             unit: 'gas', value: bigEra.every_era, better: 'lower',
             reference: { label: 'per-node design, same N (gas per era)', value: bigEra.per_node } }),
    figure({ id: 'settlement.era_gas_weekly_claims', label: `gas per era at N = ${n(big.nodes)}, claims every ${claimEvery} eras`,
             unit: 'gas', value: bigEra.every_k, better: 'lower',
             reference: { label: 'per-node design, same N (gas per era)', value: bigEra.per_node } }),
  ];
  const rows = bySize.map(({ g, e }) => [n(g.nodes), g.commitGas, g.claimGas, g.proofLength, Math.round(e.every_era),
    Math.round(e.every_k), g.perNodeEraGas, g.perNodeFirstEraGas, Number((e.per_node / e.every_era).toFixed(2)),
    Number((e.per_node / e.every_k).toFixed(1)), g.perNodeExtrapolated ? `${g.perNodeSent} sent × ${n(g.nodes / g.perNodeSent)}` : 'all sent']);
  return {
    bench: 'settlement',
    title: 'Settlement gas on anvil: this design against one transaction per node per era',
    description: `Committee ${t} (devnet genesis). "This design": commitEra once per era + claimHpRewards ` +
      'per node when it claims (every era, or every ' + claimEvery + ' eras). "Per-node": one settleNode ' +
      'transaction per node per era (bench/contracts/PerNodeSettlement.sol: t signatures checked, two ' +
      'packed slots written, no token transfer — favourable to it). Gas = receipts\' gasUsed, so ' +
      'transaction base and calldata included.',
    figures,
    tables: [
      { title: 'Gas per era against N',
        columns: ['N', 'commitEra', 'claim', 'proof', 'this design, claims every era', `claims every ${claimEvery} eras`,
                  'per-node, steady era', 'per-node, first era', 'per-node ÷ every-era', `per-node ÷ every-${claimEvery}`, 'per-node measured'],
        rows },
      { title: 'Claim gas against eras covered (tree of ' + n(gas.claimSpans.length ? 1000 : 0) + ' leaves)',
        columns: ['eras covered', 'claim gas', 'proof'],
        rows: spans.map((s) => [s.erasCovered, s.claimGas, s.proofLength]) },
    ],
    notes: [`A node's first claim costs ${n(gas.firstClaimGas)} gas (its settlement record is written once); ` +
            'every claim above is a later one.'],
    plots: [{ file: 'settlement-gas.svg', title: 'Settlement gas per era vs nodes', xLabel: 'nodes N',
      yLabel: 'gas per era', logX: true, logY: true,
      series: [
        { name: 'per-node design (one tx per node)', points: bySize.map(({ e }) => [e.nodes, e.per_node]) },
        { name: 'this design, every node claims every era', points: bySize.map(({ e }) => [e.nodes, e.every_era]) },
        { name: `this design, claims every ${claimEvery} eras`, points: bySize.map(({ e }) => [e.nodes, e.every_k]) },
        { name: 'commitEra alone', dashed: true, points: gas.sizes.map((g) => [g.nodes, g.commitGas]) },
      ] }],
    gas,
    claim_every_eras: claimEvery,
  };
}

module.exports = { build, perEra };

if (require.main === module) {
  const build_dir = process.argv[2];
  if (!build_dir) throw new Error('usage: settlement.js BUILD_DIR');
  const icn = path.resolve(build_dir, 'cmd/icn/icn');
  const artifacts = path.join(root, 'build', 'bench', 'artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  console.error('bench settlement: compiling bench/contracts (pinned solc)');
  execFileSync('node', [path.join(root, 'tools/evm/compile.js'), '--out', artifacts, path.join(root, 'bench/contracts')],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  let out;
  try {
    out = execFileSync(icn, ['sim', 'gas', '--json', '--sizes', sizes.join(','), '--claim-spans', claimSpans.join(','),
    '--claim-span-tree', '1000', '--per-node-artifact', path.join(artifacts, 'PerNodeSettlement.json'),
    '--per-node-sample', '1000'], { maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (e) {
    console.error(`bench settlement: icn sim gas failed (exit ${e.status}): its error is above`);
    process.exit(1);
  }
  const result = build(JSON.parse(out));
  console.log(JSON.stringify(result));
  for (const r of result.tables[0].rows) console.error(`bench settlement: ${r.join('  ')}`);
}

// Unit tests of the benchmark report's logic (node --test bench/): the figure convention, the
// scaling fits behind the 100,000 × 1,000 projection, the per-era gas arithmetic, the SVG charts and
// the collector's report — on synthetic inputs whose right answers are known.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { figure, meetsBudget, validate } = require('./figures');
const { fitPowerLaw, fitLinearInChallenges, fitAffineInChallenges } = require('./projection');
const { lineChart } = require('./svg');
const { collect } = require('./collect');
const satellite = require('./satellite');
const settlement = require('./settlement');

const close = (a, b, rel = 1e-9) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} ≉ ${b}`);

test('a figure carries its ratio to the reference, and budgets read both ways', () => {
  const f = figure({ id: 'x', label: 'x', unit: 'ops/s', value: 50, budget: 40,
                     reference: { label: 'raw', value: 200 } });
  assert.strictEqual(f.ratio, 0.25);
  assert.strictEqual(meetsBudget(f), true);
  assert.strictEqual(meetsBudget({ ...f, value: 39 }), false);
  const lower = figure({ id: 'y', label: 'y', unit: 's', value: 31, budget: 30, better: 'lower' });
  assert.strictEqual(lower.ratio, null);
  assert.strictEqual(meetsBudget(lower), false);
  assert.strictEqual(meetsBudget(figure({ id: 'z', label: 'z', unit: 's', value: 1 })), null);
  assert.throws(() => figure({ id: 'n', label: 'n', unit: 's', value: NaN }), /value/);
  assert.throws(() => figure({ id: 'b', label: 'b', unit: 's', value: 1, better: 'more' }), /better/);
  assert.deepStrictEqual(validate({ figures: [f, f] }), ['duplicate figure id x']);
  assert.deepStrictEqual(validate({}), ['no figures array']);
});

test('the log-log fit recovers known exponents in N and M and projects with them', () => {
  const truth = (n, m) => 3e-6 * n ** 1.1 * m ** 0.9;
  const runs = [[1000, 100], [3000, 100], [10000, 100], [1000, 300]].map(([n, m]) => ({ n, m, y: truth(n, m) }));
  const fit = fitPowerLaw(runs);
  close(fit.alpha, 1.1, 1e-6);
  close(fit.beta, 0.9, 1e-6);
  close(fit.predict(100000, 1000), truth(100000, 1000), 1e-6);
  close(fit.r2, 1, 1e-9);
  assert.match(fit.method, /log-log/);
});

test('with one M measured the fit is in challenges (β = α)', () => {
  const runs = [1000, 3000, 10000].map((n) => ({ n, m: 100, y: 2e-5 * n * 100 }));
  const fit = fitPowerLaw(runs);
  close(fit.alpha, 1, 1e-9);
  assert.strictEqual(fit.beta, fit.alpha);
  close(fit.predict(100000, 1000), 2e-5 * 1e8, 1e-9);
  assert.match(fit.method, /β = α/);
  assert.throws(() => fitPowerLaw([{ n: 1, m: 1, y: 1 }]), /two runs/);
  assert.throws(() => fitPowerLaw([{ n: 1, m: 1, y: 0 }, { n: 2, m: 1, y: 1 }]), /positive/);
});

test('linear and affine fits in challenges', () => {
  const runs = [{ n: 1000, m: 100, y: 4 }, { n: 3000, m: 100, y: 12 }];
  close(fitLinearInChallenges(runs).c, 4e-5);
  const affine = fitAffineInChallenges([{ n: 1000, m: 100, y: 110 }, { n: 10000, m: 100, y: 200 }]);
  close(affine.c0, 100);
  close(affine.c1, 1e-4);
});

test('satellite figures: budget run, linearity and projection from the runs', () => {
  const run = (n, m, s) => ({ scaler_nodes: n, hyper_nodes: m, challenges: n * m, satellite_s: s, satellite_cpu_s: s * 1.5,
    ingest_s: s * 0.9, verdict_roots_s: s * 0.1, signature_checks: n + m, signature_s: 0.1, hashing_and_rest_s: s - 0.1,
    signature_share: 0.1 / s, challenges_per_s: (n * m) / s, keccak64_per_s: 1e6, recover_per_s: 2e4,
    challenges_per_keccak: (n * m) / s / 1e6, us_per_challenge: (1e6 * s) / (n * m), cpu_us_per_challenge: (1.5e6 * s) / (n * m),
    peak_rss_mb: 100 + (n * m) / 1e4, database_mb: 1 });
  const budgetRun = { ...run(10000, 100, 40), settlement_gas: { threshold: 2, committeeSize: 3,
    simRootCommits: [{ chainEra: 0, commitGas: 104500 }], sizes: [{ nodes: 10000, claimGas: 97000 }] } };
  const r = satellite.build([run(1000, 100, 4), run(3000, 100, 12), budgetRun, run(1000, 300, 12)]);
  const byId = Object.fromEntries(r.figures.map((f) => [f.id, f]));
  assert.strictEqual(byId['satellite.era_seconds'].value, 40);
  assert.strictEqual(byId['satellite.era_seconds'].budget, 30);
  close(byId['satellite.linearity'].value, 1);
  assert.strictEqual(byId['satellite.sim_commit_gas'].value, 104500);
  assert.strictEqual(byId['satellite.sim_commit_gas'].reference.value, 97000);
  close(r.projection.wall_seconds, 4e-5 * 1e8, 1e-6);
  close(r.projection.peak_rss_mb, 100 + 1e8 / 1e4, 1e-6);
  assert.deepStrictEqual(validate(r), []);
  assert.deepStrictEqual(satellite.parseRuns('1000x100,10x3'), [{ n: 1000, m: 100 }, { n: 10, m: 3 }]);
  assert.throws(() => satellite.parseRuns('1000'), /bad run/);
});

test('settlement: gas per era of each design', () => {
  const g = { nodes: 1000, commitGas: 100000, claimGas: 90000, perNodeEraGas: 52000000 };
  const e = settlement.perEra(g);
  assert.strictEqual(e.every_era, 100000 + 1000 * 90000);
  close(e.every_k, 100000 + (1000 * 90000) / 168);
  assert.strictEqual(e.per_node, 52000000);
  const gas = { committeeSize: 3, threshold: 2, firstClaimGas: 105000,
    sizes: [{ ...g, nodes: 10, commitGas: 100000, proofLength: 4, perNodeFirstEraGas: 1, perNodeSent: 10, perNodeExtrapolated: false, perNodeTxGas: 52000 },
            { ...g, nodes: 10000, commitGas: 100012, proofLength: 13, perNodeFirstEraGas: 1, perNodeSent: 1000, perNodeExtrapolated: true, perNodeTxGas: 52000 }],
    claimSpans: [{ erasCovered: 1, claimGas: 90000, proofLength: 10 }, { erasCovered: 100, claimGas: 90100, proofLength: 10 }] };
  const r = settlement.build(gas);
  const byId = Object.fromEntries(r.figures.map((f) => [f.id, f]));
  close(byId['settlement.commit_gas_flat'].value, 1.00012);
  close(byId['settlement.claim_gas_flat_in_eras'].value, 90100 / 90000);
  assert.strictEqual(meetsBudget(byId['settlement.commit_gas_flat']), true);
  assert.deepStrictEqual(validate(r), []);
});

test('an SVG chart has a polyline per series and refuses to draw nothing', () => {
  const svg = lineChart({ title: 'a < b', xLabel: 'N', yLabel: 's', logX: true, logY: true,
    series: [{ name: 'one', points: [[10, 1], [100, 10]] }, { name: 'two', points: [[10, 2], [100, 3]] }] });
  assert.match(svg, /^<svg /);
  assert.strictEqual((svg.match(/<polyline/g) || []).length, 2);
  assert.match(svg, /a &lt; b/);
  assert.throws(() => lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'e', points: [] }] }), /no points/);
});

test('the collector reads every figures file, skips the rest, and writes report and plots', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-collect-test-'));
  try {
    fs.writeFileSync(path.join(dir, 'machine.json'), JSON.stringify({ date: 'D', cpus: 2, mhz: 2000, load_average_at_start: [1, 2, 3] }));
    fs.writeFileSync(path.join(dir, 'gbench-raw.json'), JSON.stringify({ benchmarks: [] }));
    fs.writeFileSync(path.join(dir, 'indexer.json'), JSON.stringify({ bench: 'indexer', figures: [
      figure({ id: 'indexer.events_per_s', label: 'ingest', unit: 'events/s', value: 25000, budget: 20000,
               reference: { label: 'raw eth_getLogs', value: 100000 } })],
    plots: [{ file: 'i.svg', title: 'T', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [[1, 1], [2, 2]] }] }] }));
    fs.writeFileSync(path.join(dir, 'slow.machine.json'), JSON.stringify({ date: 'LATER', load_average_at_start: [7, 8, 9] }));
    fs.writeFileSync(path.join(dir, 'slow.json'), JSON.stringify({ bench: 'slow', figures: [
      figure({ id: 'slow.s', label: 'slow', unit: 's', value: 40, budget: 30, better: 'lower' })] }));
    const r = collect(dir);
    assert.deepStrictEqual(r.benches.map((b) => b.bench), ['indexer', 'slow']);
    assert.deepStrictEqual(r.summary, { figures: 2, with_budget: 2, met: 1, not_met: 1 });
    const md = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
    assert.match(md, /\| ingest \| 25,000 events\/s \| ≥ 20,000 \| raw eth_getLogs: 100,000 \| 0\.250 \| ✓ \|/);
    assert.match(md, /\| slow \| 40 s \| ≤ 30 \| — \| — \| ✗ \|/);
    assert.match(md, /load average at start 1 \/ 2 \/ 3/);
    const { fmt } = require('./collect');
    assert.deepStrictEqual([fmt(4), fmt(1.00012), fmt(12345.6), fmt(0.01234), fmt(null)],
                           ['4', '1.000', '12,346', '0.0123', '—']);
    assert.match(md, /!\[T\]\(i\.svg\)/);
    assert.match(md, /Run LATER, load average at its start 7 \/ 8 \/ 9/);
    assert.ok(fs.existsSync(path.join(dir, 'i.svg')));
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).benches.length, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The satellite's era budget (issue 7) and the scale projection (issue 10): verdicts and roots for
// 10,000 ScalerNodes × 100 HyperNodes (1,000,000 challenges) in ≤ 30 s, ingest included, from
// batches `icn sim` generates (cached in BUILD_DIR/sim-cache, so only the first run pays for the 2
// signatures per challenge). 1,000 and 3,000 nodes show how the cost grows, 1,000 × 300 how it grows
// with HyperNodes; from the four runs, 100,000 × 1,000 is projected (bench/projection.js). Each run
// also measures keccak and secp256k1 recovery, so the time splits into signature checks and the rest.
// Usage: node bench/satellite.js BUILD_DIR   (prints one JSON object with figures; progress on stderr)
// ICN_BENCH_SIM_RUNS="1000x100,3000x100" overrides the runs (the last with M = 100 is the budget run).
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');
const { figure } = require('./figures');
const { fitPowerLaw, fitLinearInChallenges, fitAffineInChallenges } = require('./projection');

const budgetSeconds = 30;
const target = { n: 100000, m: 1000 };

function parseRuns(text) {
  return text.split(',').map((s) => {
    const [n, m] = s.split('x').map(Number);
    if (!(n > 0 && m > 0)) throw new Error(`bad run "${s}" (want NxM)`);
    return { n, m };
  });
}

// gas: also commit the era's roots on a fresh anvil and claim in a tree of N leaves (`--gas`,
// after the timed part).
function sim(icn, cache, n, m, gas) {
  console.error(`bench satellite: icn sim ${n} x ${m}${gas ? ' --gas' : ''} (generation cached in ${cache}) …`);
  const out = execFileSync(icn, ['sim', '--scalernodes', String(n), '--hypernodes', String(m),
    '--eras', '1', '--cache-dir', cache, '--detail', 'off', '--json', ...(gas ? ['--gas'] : [])],
  { maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out);
}

function summarize(n, m, r) {
  return {
    scaler_nodes: n, hyper_nodes: m, challenges: r.challenges,
    satellite_s: r.satelliteSeconds, satellite_cpu_s: r.satelliteCpuSeconds,
    ingest_s: r.ingestSeconds, verdict_roots_s: r.computeSeconds,
    signature_checks: r.signatureChecks, signature_s: r.signatureSeconds,
    hashing_and_rest_s: r.otherSeconds, signature_share: r.signatureShare,
    challenges_per_s: r.challengesPerSecond, keccak64_per_s: r.keccak64PerSecond,
    recover_per_s: r.recoverPerSecond, challenges_per_keccak: r.challengesPerKeccak,
    us_per_challenge: (1e6 * r.satelliteSeconds) / r.challenges,
    cpu_us_per_challenge: (1e6 * r.satelliteCpuSeconds) / r.challenges,
    peak_rss_mb: r.peakRssKiB / 1024, database_mb: r.databaseBytes / (1 << 20),
    settlement_gas: r.settlementGas || null,
  };
}

// Figures, table, plots and projection from the runs (pure: unit-tested in collect.test.js).
function build(runs) {
  const at100 = runs.filter((x) => x.hyper_nodes === 100).sort((a, b) => a.scaler_nodes - b.scaler_nodes);
  const big = at100[at100.length - 1] || runs[runs.length - 1];
  const small = at100[0] || runs[0];
  const pts = (key) => runs.map((x) => ({ n: x.scaler_nodes, m: x.hyper_nodes, y: x[key] }));
  const wall = fitPowerLaw(pts('satellite_s'));
  const cpu = fitPowerLaw(pts('satellite_cpu_s'));
  const linear = fitLinearInChallenges(pts('satellite_s'));
  const cpuLinear = fitLinearInChallenges(pts('satellite_cpu_s'));
  const rss = fitAffineInChallenges(pts('peak_rss_mb'));
  const projection = {
    target: { scaler_nodes: target.n, hyper_nodes: target.m, challenges: target.n * target.m },
    wall_seconds: wall.predict(target.n, target.m),
    cpu_seconds: cpu.predict(target.n, target.m),
    wall_seconds_linear: linear.predict(target.n, target.m),
    cpu_seconds_linear: cpuLinear.predict(target.n, target.m),
    peak_rss_mb: rss.predict(target.n, target.m),
    fits: {
      wall: { method: wall.method, a: wall.a, alpha: wall.alpha, beta: wall.beta, r2: wall.r2 },
      cpu: { method: cpu.method, a: cpu.a, alpha: cpu.alpha, beta: cpu.beta, r2: cpu.r2 },
      wall_linear: { method: linear.method, seconds_per_challenge: linear.c },
      peak_rss: { method: rss.method, fixed_mb: rss.c0, mb_per_challenge: rss.c1 },
    },
  };
  const label = `${big.scaler_nodes.toLocaleString('en-US')} × ${big.hyper_nodes}`;
  const figures = [
    figure({ id: 'satellite.era_seconds', label: `satellite era ${label} (ingest + verdicts + roots), wall`,
             unit: 's', value: big.satellite_s, budget: budgetSeconds, better: 'lower',
             reference: { label: 'one raw keccak256(64 B) per challenge, same run (s)',
                          value: big.challenges / big.keccak64_per_s } }),
    figure({ id: 'satellite.era_cpu_seconds', label: `satellite era ${label}, CPU (user + system)`,
             unit: 's', value: big.satellite_cpu_s, better: 'lower' }),
    figure({ id: 'satellite.challenges_per_s', label: `satellite throughput at ${label}`, unit: 'challenges/s',
             value: big.challenges_per_s, budget: (big.challenges / budgetSeconds), better: 'higher',
             reference: { label: 'raw keccak256(64 B)/s', value: big.keccak64_per_s } }),
    figure({ id: 'satellite.signature_seconds', label: `signature checks at ${label} (checks ÷ raw recover rate)`,
             unit: 's', value: big.signature_s, better: 'lower',
             reference: { label: 'whole satellite era (s)', value: big.satellite_s } }),
    // CPU, not wall: on a shared machine the wall time of a short run swings with the others' load.
    figure({ id: 'satellite.linearity', label: `CPU µs per challenge at ${label} ÷ at ` +
             `${small.scaler_nodes.toLocaleString('en-US')} × ${small.hyper_nodes} (1 = linear)`,
             unit: '×', value: big.cpu_us_per_challenge / small.cpu_us_per_challenge, better: 'lower' }),
    ...(big.settlement_gas && big.settlement_gas.simRootCommits.length ? [
      figure({ id: 'satellite.sim_commit_gas', label: `commitEra of this ${label} era's own roots on anvil (t = ` +
               `${big.settlement_gas.threshold} of ${big.settlement_gas.committeeSize})`, unit: 'gas',
               value: big.settlement_gas.simRootCommits[0].commitGas, budget: 150000, better: 'lower',
               reference: { label: `a claim in a results tree of ${big.scaler_nodes.toLocaleString('en-US')} leaves (gas)`,
                            value: big.settlement_gas.sizes[0].claimGas } })] : []),
    figure({ id: 'satellite.peak_rss', label: `satellite peak RSS at ${label}`, unit: 'MB',
             value: big.peak_rss_mb, better: 'lower' }),
    figure({ id: 'projection.cpu_seconds', label: 'projected satellite era 100,000 × 1,000, CPU (log-log fit)',
             unit: 's', value: projection.cpu_seconds, better: 'lower',
             reference: { label: 'CPU projection linear in challenges (s)', value: projection.cpu_seconds_linear } }),
    figure({ id: 'projection.wall_seconds', label: 'projected satellite era 100,000 × 1,000, wall (log-log fit on wall times: noisy when the machine is shared)',
             unit: 's', value: projection.wall_seconds, better: 'lower',
             reference: { label: 'projection linear in challenges (s)', value: projection.wall_seconds_linear } }),
    figure({ id: 'projection.peak_rss', label: 'projected satellite peak RSS at 100,000 × 1,000 (affine fit)',
             unit: 'MB', value: projection.peak_rss_mb, better: 'lower' }),
  ];
  const f = (x, d = 2) => Number(x.toFixed(d));
  return {
    bench: 'satellite',
    title: 'Satellite era: ingest, verdicts and roots (`icn sim`, issue 7) and the 100,000 × 1,000 projection',
    figures,
    tables: [{
      title: 'Runs (one era each; generation cached and not measured)',
      columns: ['N × M', 'challenges', 'wall s', 'CPU s', 'ingest s', 'verdict+roots s', 'µs/challenge',
                'signature share %', 'keccak64/s', 'recover/s', 'peak RSS MB'],
      rows: runs.map((x) => [`${x.scaler_nodes} × ${x.hyper_nodes}`, x.challenges, f(x.satellite_s),
        f(x.satellite_cpu_s), f(x.ingest_s), f(x.verdict_roots_s), f(x.us_per_challenge, 1),
        f(100 * x.signature_share, 1), Math.round(x.keccak64_per_s), Math.round(x.recover_per_s),
        f(x.peak_rss_mb, 0)]),
    }],
    notes: [
      `Projection method: ${wall.method}, over the ${runs.length} runs above; wall: y = ` +
      `${wall.a.toExponential(3)}·N^${wall.alpha.toFixed(3)}·M^${wall.beta.toFixed(3)} (R² ${wall.r2.toFixed(3)}); ` +
      `CPU: α = ${cpu.alpha.toFixed(3)}, β = ${cpu.beta.toFixed(3)}. Linear-in-challenges check: ` +
      `${(linear.c * 1e6).toFixed(1)} µs per challenge → ${f(projection.wall_seconds_linear, 0)} s. ` +
      `Memory: ${rss.method} (${f(rss.c0, 0)} MB + ${(rss.c1 * 1e6).toFixed(1)} MB per million challenges).`,
      'The projection is the cost of one satellite on this machine; 100,000,000 challenges are ' +
      `${f(target.n * target.m / big.challenges, 0)}× the largest measured run, so the exponent dominates it. ` +
      'On a shared machine the wall times carry other processes\' turns (compare wall and CPU per run): ' +
      'the CPU fit is the steadier one.',
    ],
    plots: [
      { file: 'satellite-seconds.svg', title: 'Satellite era seconds vs ScalerNodes (M = 100)',
        xLabel: 'ScalerNodes N', yLabel: 'seconds', logX: true, logY: true,
        series: [{ name: 'wall', points: at100.map((x) => [x.scaler_nodes, x.satellite_s]) },
                 { name: 'CPU', points: at100.map((x) => [x.scaler_nodes, x.satellite_cpu_s]) },
                 { name: `budget ${budgetSeconds} s (10,000 × 100)`, dashed: true,
                   points: [[at100[0] ? at100[0].scaler_nodes : 1000, budgetSeconds], [big.scaler_nodes, budgetSeconds]] }] },
      { file: 'satellite-us-per-challenge.svg', title: 'µs per challenge vs ScalerNodes (flat = linear)',
        xLabel: 'ScalerNodes N', yLabel: 'µs per challenge', logX: true,
        series: [{ name: 'wall, M = 100', points: at100.map((x) => [x.scaler_nodes, x.us_per_challenge]) },
                 { name: 'CPU, M = 100', points: at100.map((x) => [x.scaler_nodes, x.cpu_us_per_challenge]) }] },
    ],
    runs,
    projection,
    budget_s: budgetSeconds,
  };
}

module.exports = { build, parseRuns };

if (require.main === module) {
  const build_dir = process.argv[2];
  if (!build_dir) throw new Error('usage: satellite.js BUILD_DIR');
  const icn = path.resolve(build_dir, 'cmd/icn/icn');
  const cache = path.resolve(build_dir, 'sim-cache');
  const plan = parseRuns(process.env.ICN_BENCH_SIM_RUNS || '1000x100,3000x100,10000x100,1000x300');
  // The budget run (the largest at M = 100) also commits its roots on anvil.
  const budgetRun = plan.filter((x) => x.m === 100).sort((a, b) => b.n - a.n)[0];
  const runs = plan.map((x) => summarize(x.n, x.m, sim(icn, cache, x.n, x.m, x === budgetRun)));
  const result = build(runs);
  console.log(JSON.stringify(result));
  for (const x of runs) {
    console.error(`${String(x.scaler_nodes).padStart(6)} x ${x.hyper_nodes}: ${x.satellite_s.toFixed(2)} s wall, ` +
                  `${x.satellite_cpu_s.toFixed(2)} s CPU, ${x.us_per_challenge.toFixed(1)} µs/challenge, ` +
                  `signatures ${(100 * x.signature_share).toFixed(1)} %, peak RSS ${x.peak_rss_mb.toFixed(0)} MB`);
  }
  console.error(`projected 100,000 x 1,000: ${result.projection.wall_seconds.toFixed(0)} s wall, ` +
                `${result.projection.peak_rss_mb.toFixed(0)} MB`);
}

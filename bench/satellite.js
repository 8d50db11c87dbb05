// The satellite's era budget (issue 7): verdicts and roots for 10,000 ScalerNodes × 100 HyperNodes
// (1,000,000 challenges) in ≤ 30 s, ingest included, from batches `icn sim` generates (cached in
// BUILD_DIR/sim-cache, so only the first run pays for the 2 signatures per challenge). 1,000 and
// 3,000 nodes show how the cost grows; each run also measures keccak and secp256k1 recovery, so the
// time splits into signature checks and the rest (hashing, decoding, storing).
// Usage: node bench/satellite.js BUILD_DIR   (prints one JSON object, then a table on stderr)
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');

const build = process.argv[2];
if (!build) throw new Error('usage: satellite.js BUILD_DIR');
const icn = path.resolve(build, 'cmd/icn/icn');
const cache = path.resolve(build, 'sim-cache');
const budgetSeconds = 30;
const sizes = [1000, 3000, 10000];

function sim(nodes) {
  const out = execFileSync(icn, ['sim', '--scalernodes', String(nodes), '--hypernodes', '100',
    '--eras', '1', '--cache-dir', cache, '--detail', 'off', '--json'],
  { maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out);
}

const runs = sizes.map((n) => ({ nodes: n, r: sim(n) }));
const big = runs[runs.length - 1].r;
const result = {
  runs: runs.map(({ nodes, r }) => ({
    scaler_nodes: nodes,
    hyper_nodes: 100,
    challenges: r.challenges,
    satellite_s: r.satelliteSeconds,
    satellite_cpu_s: r.satelliteCpuSeconds,
    ingest_s: r.ingestSeconds,
    verdict_roots_s: r.computeSeconds,
    signature_checks: r.signatureChecks,
    signature_s: r.signatureSeconds,
    hashing_and_rest_s: r.otherSeconds,
    signature_share: r.signatureShare,
    challenges_per_s: r.challengesPerSecond,
    keccak64_per_s: r.keccak64PerSecond,
    recover_per_s: r.recoverPerSecond,
    challenges_per_keccak: r.challengesPerKeccak,
    peak_rss_mb: r.peakRssKiB / 1024,
  })),
  budget_s: budgetSeconds,
  meets_budget: big.satelliteSeconds <= budgetSeconds,
  // Linear growth: µs per challenge at each size (flat when linear).
  us_per_challenge: runs.map(({ r }) => (1e6 * r.satelliteSeconds) / r.challenges),
};
console.log(JSON.stringify(result));
for (const x of result.runs) {
  console.error(
      `${String(x.scaler_nodes).padStart(6)} x 100: ${x.satellite_s.toFixed(2).padStart(6)} s ` +
      `(ingest ${x.ingest_s.toFixed(2)}, verdict+roots ${x.verdict_roots_s.toFixed(2)}), ` +
      `${Math.round(x.challenges_per_s)} challenges/s, signatures ${x.signature_s.toFixed(2)} s ` +
      `(${(100 * x.signature_share).toFixed(1)} %), keccak64 ${Math.round(x.keccak64_per_s)}/s ` +
      `(1 challenge per ${(1 / x.challenges_per_keccak).toFixed(1)} hashes), ` +
      `recover ${Math.round(x.recover_per_s)}/s, peak RSS ${x.peak_rss_mb.toFixed(0)} MB`);
}
console.error(`10,000 x 100 budget ≤ ${budgetSeconds} s: ${result.meets_budget ? 'met' : 'NOT MET'}`);
if (!result.meets_budget) process.exitCode = 1;

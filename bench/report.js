// Turns Google Benchmark JSON into the foundation's budget report: each hot path's measured rate,
// its budget, and its ratio to a reference measured in the same run (machines here are noisy).
'use strict';
const fs = require('fs');

const budgets = [
  // name, unit, budget, what the reference is
  {name: 'BM_RecoverAddress', unit: 'ops/s', budget: 20000, reference: 'raw libsecp256k1 recover + keccak'},
  {name: 'BM_SignHash', unit: 'ops/s', budget: 30000, reference: 'raw libsecp256k1 sign_recoverable'},
  {name: 'BM_Keccak1MiB', unit: 'MB/s', budget: 250, reference: 'Crypto++ SHA-256 on the same 1 MiB'},
  {name: 'BM_AbiEncodeTuple10', unit: 'ops/s', budget: 1000000, reference: 'memcpy of the same 320 bytes into a fresh vector'},
];

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
// With repetitions, Google Benchmark reports aggregates named "<name>_median": use those.
const byName = new Map();
for (const b of input.benchmarks) {
  if (b.run_type === 'aggregate' && b.aggregate_name !== 'median') continue;
  byName.set(b.run_type === 'aggregate' ? b.run_name : b.name, b);
}

function rate(b, unit) {
  if (unit === 'MB/s') return b.bytes_per_second / 1e6;
  const seconds = {ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1}[b.time_unit] * b.real_time;
  return 1 / seconds;
}

let failed = 0;
const results = budgets.map(({name, unit, budget, reference}) => {
  const b = byName.get(name);
  const ref = byName.get(name + '_Reference');
  if (!b) {
    failed++;
    return {name, error: 'benchmark missing from this run'};
  }
  const measured = rate(b, unit);
  const out = {name, unit, measured: Math.round(measured), budget, meets_budget: measured >= budget};
  if (ref) {
    out.reference = reference;
    out.reference_measured = Math.round(rate(ref, unit));
    out.ratio_to_reference = Number((measured / rate(ref, unit)).toFixed(3));
  }
  if (!out.meets_budget) failed++;
  return out;
});
const report = {
  host: {cpus: input.context.num_cpus, mhz: input.context.mhz_per_cpu, date: input.context.date},
  results,
  others: [...byName.entries()].filter(([name]) => !budgets.some((x) => name.startsWith(x.name)))
      .map(([name, b]) => ({name, ns_per_op: Number(b.real_time.toFixed(1))})),
};
console.log(JSON.stringify(report, null, 2));
if (failed) console.error(`bench: ${failed} budget(s) not met or missing`);

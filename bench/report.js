// Turns Google Benchmark JSON into figures (bench/figures.js): each hot path's measured rate, its
// budget, and its ratio to a reference measured in the same run (machines here are noisy).
// Usage: node bench/report.js GOOGLE_BENCHMARK_JSON...   (prints one JSON object; several runs merge)
'use strict';
const fs = require('fs');
const { figure } = require('./figures');

// id, Google Benchmark name, unit, budget (issue), the reference benchmark and what it is.
const specs = [
  { id: 'micro.recover_address', name: 'BM_RecoverAddress', label: 'recover_address (ecrecover + keccak)',
    unit: 'ops/s', budget: 20000, ref: 'BM_RecoverAddress_Reference', refLabel: 'raw libsecp256k1 recover + keccak' },
  { id: 'micro.sign_hash', name: 'BM_SignHash', label: 'sign_hash', unit: 'ops/s', budget: 30000,
    ref: 'BM_SignHash_Reference', refLabel: 'raw libsecp256k1 sign_recoverable' },
  { id: 'micro.keccak_1mib', name: 'BM_Keccak1MiB', label: 'keccak256 over 1 MiB', unit: 'MB/s', budget: 250,
    ref: 'BM_Keccak1MiB_Reference', refLabel: 'Crypto++ SHA-256, same 1 MiB' },
  { id: 'micro.abi_encode_tuple10', name: 'BM_AbiEncodeTuple10', label: 'ABI encode, 10-field tuple',
    unit: 'ops/s', budget: 1000000, ref: 'BM_AbiEncodeTuple10_Reference', refLabel: 'memcpy of the same 320 bytes' },
  // Issue 6: one HyperNode answers ≥ 5,000 challenges/s on one core (recover, lookup, sign, record).
  { id: 'hypernode.answer_per_core', name: 'BM_AnswerChallenge_MemoryStore/1',
    label: 'HyperNode answer() per core (recover, lookup, sign, record; store in memory)',
    unit: 'challenges/s', budget: 5000, ref: 'BM_RecoverAddress_Reference', refLabel: 'raw secp256k1 recover' },
  { id: 'hypernode.answer_disk_8', name: 'BM_AnswerChallenge_DiskStore/8',
    label: 'HyperNode answer(), 8 callers, store on disk (WAL, synchronous=FULL)',
    unit: 'challenges/s', budget: null, ref: 'BM_RecoverAddress_Reference', refLabel: 'raw secp256k1 recover' },
  // Issue 6's budget as stated: over keep-alive HTTP on loopback, the server's threads on one core
  // (CPU 0) and 32 daemons' connections on the other (bench/hypernode_http_benchmark.cpp).
  { id: 'hypernode.answer_http_32', name: 'BM_AnswerChallenge_Http/32',
    label: 'HyperNode over keep-alive HTTP, server on one core, 32 connections (store in memory)',
    unit: 'challenges/s', budget: 5000, ref: 'BM_RecoverAddress_Reference', refLabel: 'raw secp256k1 recover' },
  // 32 callers: the HyperNode's default http_threads, so each fsync carries more answers.
  { id: 'hypernode.answer_disk_32', name: 'BM_AnswerChallenge_DiskStore/32',
    label: 'HyperNode answer(), 32 callers (default http_threads), store on disk (WAL, synchronous=FULL)',
    unit: 'challenges/s', budget: null, ref: 'BM_RecoverAddress_Reference', refLabel: 'raw secp256k1 recover' },
];

function rate(b, unit) {
  if (unit === 'MB/s') return b.bytes_per_second / 1e6;
  if (b.items_per_second) return b.items_per_second;
  const seconds = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1 }[b.time_unit] * b.real_time;
  return 1 / seconds;
}

function build(input) {
  // With repetitions, Google Benchmark reports aggregates: use the medians.
  const byName = new Map();
  for (const b of input.benchmarks) {
    if (b.run_type === 'aggregate' && b.aggregate_name !== 'median') continue;
    const name = b.run_type === 'aggregate' ? b.run_name : b.name;
    byName.set(name.replace(/\/iterations:\d+/, '').replace(/\/real_time$/, ''), b);
  }
  const missing = [];
  const figures = [];
  for (const s of specs) {
    const b = byName.get(s.name);
    if (!b) {
      missing.push(s.name);
      continue;
    }
    const ref = byName.get(s.ref);
    figures.push(figure({
      id: s.id, label: s.label, unit: s.unit, value: rate(b, s.unit), budget: s.budget, better: 'higher',
      reference: ref ? { label: s.refLabel, value: rate(ref, s.ref.includes('Keccak') ? s.unit : 'ops/s') } : null,
    }));
  }
  return {
    bench: 'micro',
    title: 'Hot paths (Google Benchmark, pinned to one core, median of 5)',
    figures,
    missing,
    host: { cpus: input.context.num_cpus, mhz: input.context.mhz_per_cpu, date: input.context.date },
    others: [...byName.entries()].filter(([name]) => !specs.some((x) => x.name === name || x.ref === name))
      .map(([name, b]) => ({ name, ns_per_op: Number(b.real_time.toFixed(1)), time_unit: b.time_unit })),
  };
}

module.exports = { build };

if (require.main === module) {
  const inputs = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
  if (inputs.length === 0) throw new Error('usage: report.js GOOGLE_BENCHMARK_JSON...');
  const report = build({ context: inputs[0].context, benchmarks: inputs.flatMap((i) => i.benchmarks) });
  console.log(JSON.stringify(report, null, 2));
  if (report.missing.length) console.error(`bench: missing from this run: ${report.missing.join(', ')}`);
}

// The devnet's budgets (issue 5), measured: time to "network ready" on a fresh and on a resumed
// devnet (a second `make run` on a warm build), eras until the first era the live network ran is
// settled on chain, and the idle CPU (share of one core) and RSS of the whole devnet and of each
// daemon (issue 6: a daemon idles under 1 % and 30 MB).
// Usage: node bench/devnet.js BUILD_DIR   (prints one JSON object with figures (bench/figures.js),
// then a table on stderr)
'use strict';
const { figure } = require('./figures');
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const build = process.argv[2];
if (!build) throw new Error('usage: devnet.js BUILD_DIR');
const icn = path.resolve(build, 'cmd/icn/icn');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-bench-devnet-'));
const ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const status = () => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'status.json'), 'utf8'));
  } catch {
    return null;
  }
};
const chain = () => JSON.parse(execFileSync(icn, ['devnet', 'status', '--dir', dir, '--json']));

async function until(what, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = predicate();
    if (v) return v;
    await sleep(100);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s (logs in ${dir})`);
}

function start(fresh) {
  const args = ['devnet', '--dir', dir];
  if (fresh) args.push('--fresh');
  const log = fs.openSync(path.join(dir + (fresh ? '-fresh.log' : '-resume.log')), 'w');
  const child = spawn(icn, args, { stdio: ['ignore', log, log] });
  const started = Date.now();
  return { child, started };
}

async function ready(run) {
  await until('network ready', () => {
    const s = status();
    return s && s.state === 'ready' && s.supervisorPid === run.child.pid;
  }, 300000);
  return (Date.now() - run.started) / 1000;
}

async function stop(run) {
  const exited = new Promise((r) => run.child.on('exit', r));
  run.child.kill('SIGTERM');
  await exited;
}

// CPU seconds (user + system) and RSS bytes of one process, from /proc.
function usage(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / ticks;
    const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpu, rss: rss ? Number(rss[1]) * 1024 : 0 };
  } catch {
    return { cpu: 0, rss: 0 };
  }
}

async function main() {
  const fresh = start(true);
  const freshReady = await ready(fresh);
  const readyEra = chain().era;
  const settled = await until('first live era settled', () => {
    const c = chain();
    return c.lastSettledEra !== null && c.lastSettledEra >= readyEra ? c : null;
  }, 300000);
  const erasToSettle = settled.era - readyEra;
  await stop(fresh);

  const resumed = start(false);
  const resumedReady = await ready(resumed);
  // Idle: 30 s of the running network, every process of it (the supervisor included).
  const processes = status().processes;
  const pids = [resumed.child.pid, ...processes.map((p) => p.pid)];
  const before = pids.map(usage);
  const t0 = Date.now();
  await sleep(30000);
  const after = pids.map(usage);
  const seconds = (Date.now() - t0) / 1000;
  const cpu = after.reduce((s, u, i) => s + (u.cpu - before[i].cpu), 0) / seconds;
  const rss = after.reduce((s, u) => s + u.rss, 0);
  // Per daemon (index + 1: the supervisor comes first in pids).
  const daemons = processes
    .map((p, i) => ({ p, i: i + 1 }))
    .filter(({ p }) => p.kind === 'daemon')
    .map(({ p, i }) => ({
      name: p.name,
      cpu: (after[i].cpu - before[i].cpu) / seconds,
      rss_mb: after[i].rss / (1 << 20),
    }));
  const daemonCpuMax = Math.max(0, ...daemons.map((d) => d.cpu));
  const daemonRssMax = Math.max(0, ...daemons.map((d) => d.rss_mb));
  await stop(resumed);
  fs.rmSync(dir, { recursive: true, force: true });

  const details = {
    devnet_ready_fresh_s: freshReady,
    devnet_ready_resumed_s: resumedReady,
    eras_until_first_live_era_settled: erasToSettle,
    idle_cpu_share_of_one_core: cpu,
    idle_rss_mb: rss / (1 << 20),
    processes: pids.length,
    idle_daemon_cpu_share_max: daemonCpuMax,
    idle_daemon_rss_mb_max: daemonRssMax,
    daemons,
  };
  // Budgets: issue 5 (the devnet), issue 6 (a daemon at idle). No reference limit applies to
  // these (they are shares of the machine itself), so reference is null.
  const result = {
    bench: 'devnet',
    title: 'The whole devnet (`icn devnet`: anvil, 3 satellites, 4 HyperNodes, 8 daemons, indexer)',
    figures: [
      figure({ id: 'devnet.ready_resumed', label: 'network ready, resumed (a second make run, warm build)',
               unit: 's', value: resumedReady, budget: 15, better: 'lower' }),
      figure({ id: 'devnet.ready_fresh', label: 'network ready, fresh (deploy + onboarding)', unit: 's',
               value: freshReady, budget: null, better: 'lower' }),
      figure({ id: 'devnet.eras_to_settle', label: 'eras from ready until that era is settled on chain',
               unit: 'eras', value: erasToSettle, budget: 2, better: 'lower' }),
      figure({ id: 'devnet.idle_cpu', label: 'idle CPU, whole devnet', unit: '% of one core',
               value: cpu * 100, budget: 25, better: 'lower' }),
      figure({ id: 'devnet.idle_rss', label: `idle RSS, whole devnet (${pids.length} processes)`, unit: 'MB',
               value: rss / (1 << 20), budget: 600, better: 'lower' }),
      figure({ id: 'daemon.idle_cpu_max', label: 'idle CPU, per daemon (max)', unit: '% of one core',
               value: daemonCpuMax * 100, budget: 1, better: 'lower' }),
      figure({ id: 'daemon.idle_rss_max', label: 'idle RSS, per daemon (max)', unit: 'MB',
               value: daemonRssMax, budget: 30, better: 'lower' }),
    ],
    details,
  };
  console.log(JSON.stringify(result));
  const rows = [
    ['network ready, resumed (make run, warm)', `${resumedReady.toFixed(1)} s`, '≤ 15 s'],
    ['network ready, fresh (deploy + onboarding)', `${freshReady.toFixed(1)} s`, '—'],
    ['eras from ready until that era is settled', `${erasToSettle}`, '≤ 2'],
    ['idle CPU, whole devnet', `${(cpu * 100).toFixed(1)} % of one core`, '< 25 %'],
    ['idle RSS, whole devnet', `${(rss / (1 << 20)).toFixed(0)} MB (${pids.length} processes)`,
     '< 600 MB'],
    ['idle CPU, per daemon (max)', `${(daemonCpuMax * 100).toFixed(2)} % of one core ` +
     `(${daemons.map((d) => (d.cpu * 100).toFixed(2)).join(', ')})`, '< 1 %'],
    ['idle RSS, per daemon (max)', `${daemonRssMax.toFixed(1)} MB ` +
     `(${daemons.map((d) => d.rss_mb.toFixed(1)).join(', ')})`, '< 30 MB'],
  ];
  for (const [what, value, budget] of rows) {
    console.error(`${what.padEnd(46)} ${value.padEnd(34)} budget ${budget}`);
  }
}

main().catch((e) => {
  console.error(`bench devnet: ${e.message}`);
  process.exit(1);
});

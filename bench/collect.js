// `make bench`'s collector: assembles build/bench/report.{json,md} from every build/bench/*.json that
// follows the figure convention (bench/figures.js), renders the plots they ask for as SVG, and puts
// the machine header (written by `collect.js machine` when the run started) on top.
// Usage: node bench/collect.js machine > DIR/machine.json
//        node bench/collect.js DIR          (writes DIR/report.json, DIR/report.md, DIR/*.svg)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { meetsBudget, validate } = require('./figures');
const { lineChart } = require('./svg');

// os.cpus() reports 0 MHz on some VMs: /proc/cpuinfo's "cpu MHz" then.
function cpuMhz(cpus) {
  if (cpus.length && cpus[0].speed) return cpus[0].speed;
  try {
    const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? Math.round(Number(m[1])) : null;
  } catch {
    return null;
  }
}

function machine() {
  const cpus = os.cpus();
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString().trim();
  } catch { /* not a checkout */ }
  return {
    date: new Date().toISOString(),
    cpus: cpus.length,
    cpu_model: cpus.length ? cpus[0].model : null,
    mhz: cpuMhz(cpus),
    memory_mb: Math.round(os.totalmem() / (1 << 20)),
    load_average_at_start: os.loadavg().map((x) => Number(x.toFixed(2))),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    commit,
  };
}

// Significant digits without exponent noise: 12345.678 → "12,346"; 0.01234 → "0.0123".
function fmt(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  const a = Math.abs(v);
  if (Number.isInteger(v) || a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toPrecision(4);
  if (a === 0) return '0';
  return v.toPrecision(3);
}

function budgetText(f) {
  if (f.budget === null || f.budget === undefined) return '—';
  return `${f.better === 'higher' ? '≥' : '≤'} ${fmt(f.budget)}`;
}

function loadBenches(dir) {
  const docs = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.json') || name === 'report.json' || name === 'machine.json') continue;
    let doc;
    try {
      doc = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch (e) {
      console.error(`collect: ${name}: not JSON (${e.message}); skipped`);
      continue;
    }
    if (!doc || !Array.isArray(doc.figures)) continue;  // raw outputs (Google Benchmark's) beside ours
    const problems = validate(doc);
    if (problems.length) console.error(`collect: ${name}: ${problems.join('; ')}`);
    docs.push({ file: name, bench: doc.bench || name.replace(/\.json$/, ''), doc });
  }
  return docs;
}

function markdown(report) {
  const m = report.machine || {};
  const out = [];
  out.push('# icn benchmark report', '');
  out.push(`${m.date || report.generated} · ${m.cpus ?? '?'} CPUs (${m.cpu_model || '?'}, ${m.mhz ?? '?'} MHz) · ` +
           `${m.memory_mb ?? '?'} MB · load average at start ${(m.load_average_at_start || []).join(' / ')} · ` +
           `commit ${m.commit || '?'} · node ${m.node || '?'}`, '');
  out.push('How to read it: docs/benchmarks.md. *ratio* = value ÷ the reference measured in the same run; ' +
           '*budget* from the issues; ✓ met, ✗ not met, — no budget.', '');
  const s = report.summary;
  out.push(`**${s.figures} figures, ${s.with_budget} with a budget: ${s.met} met, ${s.not_met} not met.**`, '');
  for (const b of report.benches) {
    out.push(`## ${b.title || b.bench}`, '');
    if (b.machine) {
      out.push(`*Run ${b.machine.date}, load average at its start ${(b.machine.load_average_at_start || []).join(' / ')}.*`, '');
    }
    if (b.description) out.push(b.description, '');
    out.push('| figure | value | budget | reference (same run) | ratio | |', '|---|---|---|---|---|---|');
    for (const f of b.figures) {
      const ref = f.reference ? `${f.reference.label}: ${fmt(f.reference.value)}` : '—';
      const met = f.meets_budget === null ? '—' : f.meets_budget ? '✓' : '✗';
      out.push(`| ${f.label} | ${fmt(f.value)} ${f.unit} | ${budgetText(f)} | ${ref} | ` +
               `${f.ratio === null ? '—' : fmt(f.ratio)} | ${met} |`);
    }
    out.push('');
    for (const t of b.tables || []) {
      out.push(`**${t.title}**`, '');
      out.push(`| ${t.columns.join(' | ')} |`, `|${t.columns.map(() => '---').join('|')}|`);
      for (const row of t.rows) out.push(`| ${row.map(fmt).join(' | ')} |`);
      out.push('');
    }
    for (const n of b.notes || []) out.push(`- ${n}`);
    if ((b.notes || []).length) out.push('');
    for (const p of b.plots || []) out.push(`![${p.title}](${p.file})`, '');
  }
  return out.join('\n');
}

function collect(dir) {
  let machineInfo = null;
  try {
    machineInfo = JSON.parse(fs.readFileSync(path.join(dir, 'machine.json'), 'utf8'));
  } catch { machineInfo = { ...machine(), note: 'no machine.json from the start of the run: taken at collection' }; }
  const benches = loadBenches(dir).map(({ file, bench, doc }) => {
    const figures = doc.figures.map((f) => ({ ...f, meets_budget: meetsBudget(f) }));
    const plots = [];
    for (const p of doc.plots || []) {
      try {
        fs.writeFileSync(path.join(dir, p.file), lineChart(p));
        plots.push({ file: p.file, title: p.title });
      } catch (e) {
        console.error(`collect: ${file}: plot ${p.file}: ${e.message}`);
      }
    }
    const { figures: _f, plots: _p, ...details } = doc;
    let benchMachine = null;
    try {
      benchMachine = JSON.parse(fs.readFileSync(path.join(dir, file.replace(/\.json$/, '.machine.json')), 'utf8'));
    } catch { /* written by scripts/bench; absent for a hand-made file */ }
    return { bench, file, machine: benchMachine, title: doc.title, description: doc.description, figures, plots,
             tables: doc.tables, notes: doc.notes, details };
  });
  const all = benches.flatMap((b) => b.figures);
  const judged = all.filter((f) => f.meets_budget !== null);
  const report = {
    generated: new Date().toISOString(),
    machine: machineInfo,
    summary: { figures: all.length, with_budget: judged.length,
               met: judged.filter((f) => f.meets_budget).length,
               not_met: judged.filter((f) => !f.meets_budget).length },
    benches,
  };
  fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'report.md'), markdown(report) + '\n');
  return report;
}

module.exports = { collect, machine, markdown, fmt };

if (require.main === module) {
  const arg = process.argv[2];
  if (!arg) {
    console.error('usage: collect.js machine | collect.js DIR');
    process.exit(2);
  }
  if (arg === 'machine') {
    console.log(JSON.stringify(machine(), null, 2));
  } else {
    const r = collect(arg);
    console.error(`bench: report in ${path.join(arg, 'report.md')} (${r.summary.figures} figures, ` +
                  `${r.summary.met}/${r.summary.with_budget} budgets met)`);
  }
}

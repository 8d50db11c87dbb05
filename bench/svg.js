// Line charts as standalone SVG text, for the benchmark report's plots (cost against N): no plotting
// dependency, axes linear or log10, one polyline with markers per series, a legend.
'use strict';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

function escape(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// 1, 2, 5 × 10^k steps for a linear axis; powers of ten for a log axis.
function ticks(lo, hi, log) {
  if (log) {
    const out = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
    return out;
  }
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(v);
  return out;
}

function label(v) {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

// spec: {title, xLabel, yLabel, logX, logY, series: [{name, points: [[x, y], …], dashed}]}
function lineChart(spec) {
  const W = 640, H = 400, L = 80, R = 20, T = 40, B = 60;
  const pts = spec.series.flatMap((s) => s.points).filter(([x, y]) => isFinite(x) && isFinite(y));
  if (pts.length === 0) throw new Error(`chart "${spec.title}": no points`);
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (spec.logX) [x0, x1] = [10 ** Math.floor(Math.log10(x0)), 10 ** Math.ceil(Math.log10(x1))];
  if (spec.logY) [y0, y1] = [10 ** Math.floor(Math.log10(y0)), 10 ** Math.ceil(Math.log10(y1))];
  else [y0, y1] = [Math.min(0, y0), y1 === y0 ? y1 + 1 : y1 * 1.1];
  if (!spec.logX && x0 === x1) x1 = x0 + 1;
  const fx = (x) => spec.logX ? (Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))
                              : (x - x0) / (x1 - x0);
  const fy = (y) => spec.logY ? (Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))
                              : (y - y0) / (y1 - y0);
  const px = (x) => L + fx(x) * (W - L - R);
  const py = (y) => H - B - fy(y) * (H - T - B);
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" ` +
           `viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${escape(spec.title)}</text>`);
  for (const t of ticks(x0, x1, spec.logX)) {
    if (t < x0 * (1 - 1e-9) || t > x1 * (1 + 1e-9)) continue;
    out.push(`<line x1="${px(t)}" y1="${T}" x2="${px(t)}" y2="${H - B}" stroke="#eee"/>`);
    out.push(`<text x="${px(t)}" y="${H - B + 16}" text-anchor="middle">${label(t)}</text>`);
  }
  for (const t of ticks(y0, y1, spec.logY)) {
    if (t < y0 * (1 - 1e-9) - 1e-12 || t > y1 * (1 + 1e-9)) continue;
    out.push(`<line x1="${L}" y1="${py(t)}" x2="${W - R}" y2="${py(t)}" stroke="#eee"/>`);
    out.push(`<text x="${L - 6}" y="${py(t) + 4}" text-anchor="end">${label(t)}</text>`);
  }
  out.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 18}" text-anchor="middle">${escape(spec.xLabel)}` +
           `${spec.logX ? ' (log)' : ''}</text>`);
  out.push(`<text transform="translate(18 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">` +
           `${escape(spec.yLabel)}${spec.logY ? ' (log)' : ''}</text>`);
  const colorOf = (s, i) => s.color || COLORS[i % COLORS.length];
  const dash = (s) => (s.dashed ? ' stroke-dasharray="6 4"' : '');
  spec.series.forEach((s, i) => {
    const points = s.points.filter(([x, y]) => isFinite(x) && isFinite(y));
    const d = points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${d}" fill="none" stroke="${colorOf(s, i)}" stroke-width="2"${dash(s)}/>`);
    for (const [x, y] of points) {
      out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3.5" fill="${colorOf(s, i)}"/>`);
    }
  });
  // The legend last, on a white box, so it stays readable over the lines.
  const legendWidth = 42 + 6.5 * Math.max(...spec.series.map((s) => String(s.name).length));
  out.push(`<rect x="${L + 4}" y="${T + 2}" width="${legendWidth.toFixed(0)}" ` +
           `height="${16 * spec.series.length + 6}" fill="white" fill-opacity="0.85" stroke="#ccc"/>`);
  spec.series.forEach((s, i) => {
    const ly = T + 14 + 16 * i;
    out.push(`<line x1="${L + 10}" y1="${ly - 4}" x2="${L + 30}" y2="${ly - 4}" stroke="${colorOf(s, i)}" ` +
             `stroke-width="2"${dash(s)}/>`);
    out.push(`<text x="${L + 36}" y="${ly}">${escape(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

module.exports = { lineChart, ticks };

// Scaling fits for the satellite's era cost (issue 10: project 100,000 × 1,000 from measured runs).
// Method: ordinary least squares on log-log, log y = log a + α·log N + β·log M over the measured
// (N ScalerNodes, M HyperNodes, y) runs, solved by the normal equations; with runs at one M only, β
// is not identifiable and is fixed at α (cost ∝ challenges^α). A second, simpler model is reported
// beside it: y linear in challenges (y = c·N·M, least squares through the origin).
'use strict';

// Solves the k×k system A x = b by Gaussian elimination with partial pivoting.
function solve(A, b) {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (Math.abs(m[p][c]) < 1e-12) throw new Error('singular system: the runs do not determine the fit');
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

// Least squares: rows of features X (each with a leading 1), targets y.
function leastSquares(X, y) {
  const k = X[0].length;
  const A = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => X.reduce((s, row) => s + row[i] * row[j], 0)));
  const b = Array.from({ length: k }, (_, i) => X.reduce((s, row, r) => s + row[i] * y[r], 0));
  return solve(A, b);
}

// runs: [{n, m, y}] with y > 0. Returns {a, alpha, beta, predict(n, m), r2, method}.
function fitPowerLaw(runs) {
  if (runs.length < 2) throw new Error('a fit needs at least two runs');
  for (const r of runs) if (!(r.y > 0 && r.n > 0 && r.m > 0)) throw new Error('runs must be positive');
  const ly = runs.map((r) => Math.log(r.y));
  const distinctM = new Set(runs.map((r) => r.m)).size > 1;
  const distinctN = new Set(runs.map((r) => r.n)).size > 1;
  let a, alpha, beta, method;
  if (distinctM && distinctN && runs.length >= 3) {
    [a, alpha, beta] = leastSquares(runs.map((r) => [1, Math.log(r.n), Math.log(r.m)]), ly);
    method = 'least squares on log-log: log y = log a + α·log N + β·log M';
  } else {
    [a, alpha] = leastSquares(runs.map((r) => [1, Math.log(r.n * r.m)]), ly);
    beta = alpha;
    method = 'least squares on log-log: log y = log a + α·log(N·M) (one M measured: β = α)';
  }
  a = Math.exp(a);
  const predict = (n, m) => a * n ** alpha * m ** beta;
  const mean = ly.reduce((s, v) => s + v, 0) / ly.length;
  const ssTot = ly.reduce((s, v) => s + (v - mean) ** 2, 0);
  const ssRes = runs.reduce((s, r, i) => s + (ly[i] - Math.log(predict(r.n, r.m))) ** 2, 0);
  return { a, alpha, beta, predict, r2: ssTot > 0 ? 1 - ssRes / ssTot : 1, method };
}

// y = c·N·M through the origin: c = Σ x·y / Σ x² with x = N·M.
function fitLinearInChallenges(runs) {
  const sxy = runs.reduce((s, r) => s + r.n * r.m * r.y, 0);
  const sxx = runs.reduce((s, r) => s + (r.n * r.m) ** 2, 0);
  const c = sxy / sxx;
  return { c, predict: (n, m) => c * n * m, method: 'y = c·N·M, least squares through the origin' };
}

// y = c0 + c1·N·M (memory: a fixed part plus a part per challenge).
function fitAffineInChallenges(runs) {
  const [c0, c1] = leastSquares(runs.map((r) => [1, r.n * r.m]), runs.map((r) => r.y));
  return { c0, c1, predict: (n, m) => c0 + c1 * n * m, method: 'y = c0 + c1·N·M, least squares' };
}

module.exports = { fitPowerLaw, fitLinearInChallenges, fitAffineInChallenges, leastSquares };

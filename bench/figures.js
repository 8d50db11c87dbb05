// The benchmark figure convention (docs/benchmarks.md): every bench script prints one JSON object
// {"bench", "figures": [...], ...details}; a figure is {id, label, unit, value, budget, better,
// reference: {label, value} | null, ratio}. The ratio is value ÷ the reference measured in the same
// run (a shared machine is noisy; ratios travel better than absolute values).
'use strict';

function figure({ id, label, unit, value, budget = null, better = 'higher', reference = null }) {
  if (!id || !label || !unit) throw new Error(`figure ${id}: id, label and unit are required`);
  if (better !== 'higher' && better !== 'lower') throw new Error(`figure ${id}: better is ${better}`);
  if (typeof value !== 'number' || !isFinite(value)) throw new Error(`figure ${id}: value ${value}`);
  const ratio = reference && typeof reference.value === 'number' && reference.value !== 0
    ? value / reference.value : null;
  return { id, label, unit, value, budget, better, reference, ratio };
}

// true / false against the budget, null when the figure has none.
function meetsBudget(f) {
  if (f.budget === null || f.budget === undefined) return null;
  return f.better === 'higher' ? f.value >= f.budget : f.value <= f.budget;
}

// Checks one bench script's output follows the convention; returns the list of problems.
function validate(doc) {
  const problems = [];
  if (!doc || !Array.isArray(doc.figures)) return ['no figures array'];
  const ids = new Set();
  for (const f of doc.figures) {
    if (!f.id) problems.push('a figure without id');
    if (ids.has(f.id)) problems.push(`duplicate figure id ${f.id}`);
    ids.add(f.id);
    if (typeof f.value !== 'number' || !isFinite(f.value)) problems.push(`${f.id}: value ${f.value}`);
    if (f.better !== 'higher' && f.better !== 'lower') problems.push(`${f.id}: better ${f.better}`);
    if (f.reference !== null && f.reference !== undefined &&
        (typeof f.reference.label !== 'string' || typeof f.reference.value !== 'number')) {
      problems.push(`${f.id}: reference must be {label, value}`);
    }
  }
  return problems;
}

module.exports = { figure, meetsBudget, validate };

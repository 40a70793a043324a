// Turns measured cases into rows (ratio to the baseline of the same run, "txl minus floor",
// peak RSS), the list scaling check and the issue's targets, printed as Markdown tables so
// that the output can go into BENCHMARKS.md as it is.
const ms = (x) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1)) : '–');
const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '–');
const mb = (kb) => (Number.isFinite(kb) ? (kb / 1024).toFixed(1) : '–');

/** One row per case: the numbers every table and target is made from. */
export function rows(cases, results) {
  const floor = results.get('floor')?.summary?.wall.median;
  const floorMin = results.get('floor')?.summary?.wall.min;
  const out = [];
  for (const c of cases) {
    const r = results.get(c.id);
    const s = r?.summary;
    const base = c.baseline ? results.get(c.baseline)?.summary?.wall.median : undefined;
    out.push({
      id: c.id, group: c.group, label: c.label, kind: c.kind, baseline: c.baseline, error: r?.error, stderrTail: r?.stderrTail,
      n: s?.n, median: s?.wall.median, min: s?.wall.min, p25: s?.wall.p25, p75: s?.wall.p75, cpu: s?.cpu.median, rssKb: s?.rssKb.max,
      ratio: s && base ? s.wall.median / base : undefined,
      minusFloor: s && c.kind === 'txl' && floor !== undefined ? s.wall.median - c.floors * floor : undefined,
      // the least disturbed runs: on a busy machine, the nearest to what a quiet one would show
      minMinusFloor: s && c.kind === 'txl' && floorMin !== undefined ? s.wall.min - c.floors * floorMin : undefined,
    });
  }
  return out;
}

const HEAD = '| case | runs | median ms | p25–p75 ms | CPU ms | ratio | vs | txl − floor ms | best ms | best − floor ms | peak RSS MB |\n' +
  '|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|';

export function table(rs, title) {
  const body = rs.map((r) => r.error
    ? `| ${r.label} | not measured: ${r.error.replace(/\|/g, '/')} | | | | | | | | | |`
    : `| ${r.label} | ${r.n} | ${ms(r.median)} | ${ms(r.p25)}–${ms(r.p75)} | ${ms(r.cpu)} | ${ratio(r.ratio)} | ${r.baseline ?? ''} | ${ms(r.minusFloor)} | ${ms(r.min)} | ${ms(r.minMinusFloor)} | ${mb(r.rssKb)} |`);
  return `### ${title}\n\n${HEAD}\n${body.join('\n')}\n`;
}

/**
 * Does `list` cost grow no worse than linearly? Marginal cost per domain between sizes, and
 * the exponent k in (t(n) - t(1)) ~ n^k between the two largest sizes (k <= ~1: linear).
 */
export function scaling(rs, sizes) {
  const t = Object.fromEntries(sizes.map((n) => [n, rs.find((r) => r.id === `list-${n}`)?.median]));
  if (sizes.some((n) => !Number.isFinite(t[n]))) return { text: 'list scaling: not all sizes measured\n' };
  const steps = [];
  for (let i = 1; i < sizes.length; i++) {
    const [a, b] = [sizes[i - 1], sizes[i]];
    steps.push({ from: a, to: b, perDomain: (t[b] - t[a]) / (b - a) });
  }
  const [m, n] = sizes.slice(-2);
  const k = Math.log((t[n] - t[1]) / (t[m] - t[1])) / Math.log((n - 1) / (m - 1));
  const lines = steps.map((s) => `| ${s.from} → ${s.to} | ${(s.perDomain * 1000).toFixed(1)} µs |`);
  const text = `### list: cost per extra domain\n\n| domains | wall ms per extra domain |\n|---|---:|\n${lines.join('\n')}\n\n` +
    `Growth exponent between ${m} and ${n} domains (cost above 1 domain ∝ n^k): k = ${Number.isFinite(k) ? k.toFixed(2) : '–'} ` +
    `(${Number.isFinite(k) ? (k <= 1.15 ? 'linear or better' : 'worse than linear') : 'too noisy to say'}).\n`;
  return { steps, k, text };
}

/** The issue's targets, each with where it stands in this run (median runs and best runs). */
export function targets(rs, extra = []) {
  const get = (id) => rs.find((r) => r.id === id);
  const t = [];
  const overFloor = (id, limit) => {
    const r = get(id);
    t.push({ target: `${r?.label ?? id}: txl − floor < ${limit} ms`, value: r?.minusFloor, best: r?.minMinusFloor, limit, unit: 'ms' });
  };
  for (const id of ['version', 'help', 'complete', 'list-10']) overFloor(id, 20);
  overFloor('list-1000', 60);
  const txlRows = rs.filter((r) => r.kind === 'txl' && Number.isFinite(r.rssKb));
  const worst = txlRows.reduce((a, b) => (b.rssKb > (a?.rssKb ?? -1) ? b : a), undefined);
  t.push({ target: `peak RSS of every txl command < 60 MB (worst: ${worst?.label ?? '–'})`, value: worst ? worst.rssKb / 1024 : undefined, limit: 60, unit: 'MB' });
  t.push(...extra);
  return t;
}

function standing(x) {
  if (x.state) return x.state;
  if (!Number.isFinite(x.value)) return 'not measured';
  if (x.value < x.limit) return 'met';
  return Number.isFinite(x.best) && x.best < x.limit ? 'met in the best runs only' : 'NOT met';
}

export function targetTable(ts) {
  const fmt = (v, unit) => (!Number.isFinite(v) ? '–' : unit === 'x' ? ratio(v) : `${ms(v)} ${unit}`);
  const line = (x) => `| ${x.target} | ${fmt(x.value, x.unit)} | ${fmt(x.best, x.unit)} | ${standing(x)} |`;
  return `### Targets\n\n| target | median run | best run | |\n|---|---:|---:|---|\n${ts.map(line).join('\n')}\n`;
}

export function failures(rs) {
  const bad = rs.filter((r) => r.error);
  if (!bad.length) return '';
  return `### Not measured\n\n${bad.map((r) => `- ${r.label}: ${r.error}${r.stderrTail ? `\n  stderr: ${r.stderrTail.replace(/\n/g, ' / ')}` : ''}`).join('\n')}\n`;
}

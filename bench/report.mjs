// Turns measured cases into rows (ratio to the baseline of the same run, "txl minus floor",
// peak RSS), the list scaling check and the issue's targets, printed as Markdown tables so
// that the output can go into BENCHMARKS.md as it is.
const ms = (x) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1)) : '–');
const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '–');
const mb = (kb) => (Number.isFinite(kb) ? (kb / 1024).toFixed(1) : '–');

import { summarize } from './measure.mjs';
import { labTargets } from './lab.mjs';
import { SIM_SIZES } from './cases.mjs';

const GROUPS = {
  local: [['floor', 'Floor'], ['startup', 'Start-up and single commands (simulator, corpus config)'], ['xl', 'The real xl without Xen'],
    ['convert', 'Converting the corpus: one process per config vs one for all']],
  lab: [['floor', 'Floor'], ['lab', 'Real Xen (lab)']],
};

/** The whole report of a run (as saved by --json): { text, rows }. */
export function render(run) {
  const results = new Map(Object.entries(run.results).map(([id, r]) => [id, r.error ? r : { ...r, summary: summarize(r.samples) }]));
  const rs = rows(run.cases, results);
  const m = run.machine;
  const out = [];
  out.push(`## Run of ${run.started.replace(/\.\d+Z$/, 'Z')} (${run.suite} suite)\n`);
  out.push(`Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.kernel}; load average ${m.loadavg.join(' ')} before, ${run.loadavgAfter.join(' ')} after. ` +
    `txl ${run.revision}. ${run.rounds} interleaved rounds after ${run.warmup} warm-up; medians.${run.stale ? ` Warning: ${run.stale}.` : ''}\n`);
  for (const [g, title] of GROUPS[run.suite]) {
    const gr = rs.filter((r) => r.group === g);
    if (gr.length) out.push(table(gr, title));
  }
  const sizes = SIM_SIZES.filter((n) => rs.some((r) => r.id === `list-${n}`));
  if (sizes.length > 1) out.push(scaling(rs, sizes).text);
  out.push(targetTable(run.suite === 'lab' ? labTargets(rs) : targets(rs)));
  if (run.skipped.length) out.push(`### Skipped\n\n${run.skipped.map((s) => `- ${s.label}: ${s.why}`).join('\n')}\n`);
  const f = failures(rs);
  if (f) out.push(f);
  return { text: out.join('\n'), rows: rs };
}

const wallOf = (x) => x.wall_ms;
const cpuOf = (x) => x.user_ms + x.sys_ms;

/**
 * Median over the rounds of f(case's run, baseline's run of the same round): pairing runs that
 * were close in time cancels the drift of a shared machine's load better than a ratio of two
 * medians does. Runs saved without their round fall back to the ratio of the medians.
 */
function paired(samples, base, f, get) {
  if (!samples?.length || !base?.length) return undefined;
  if (samples.some((x) => x.round === undefined)) return f(median(samples.map(get)), median(base.map(get)));
  const byRound = new Map(base.map((x) => [x.round, x]));
  const vals = samples.filter((x) => byRound.has(x.round)).map((x) => f(get(x), get(byRound.get(x.round))));
  return vals.length ? median(vals) : undefined;
}

function median(xs) {
  const a = [...xs].sort((p, q) => p - q);
  return a.length ? (a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2) : NaN;
}

/** One row per case: the numbers every table and target is made from. */
export function rows(cases, results) {
  const floor = results.get('floor');
  const out = [];
  for (const c of cases) {
    const r = results.get(c.id);
    const s = r?.summary;
    const base = c.baseline ? results.get(c.baseline) : undefined;
    const overFloor = s && c.kind === 'txl' && floor?.summary;
    const ratioTo = (get) => (s && base?.summary ? paired(r.samples, base.samples, (a, b) => a / b, get) : undefined);
    const minus = (get) => (overFloor ? paired(r.samples, floor.samples, (a, b) => a - c.floors * b, get) : undefined);
    out.push({
      id: c.id, group: c.group, label: c.label, kind: c.kind, baseline: c.baseline, error: r?.error, stderrTail: r?.stderrTail,
      rssBelowSpawner: s ? s.rssKb.max <= s.rssKb.spawner * 1.05 : undefined,
      n: s?.n, median: s?.wall.median, min: s?.wall.min, p25: s?.wall.p25, p75: s?.wall.p75, cpu: s?.cpu.median, rssKb: s?.rssKb.max,
      ratio: ratioTo(wallOf),
      cpuRatio: ratioTo(cpuOf),
      minusFloor: minus(wallOf),
      cpuMinusFloor: minus(cpuOf),
      // the least disturbed runs: on a busy machine, the nearest to what a quiet one would show
      minMinusFloor: overFloor ? s.wall.min - c.floors * floor.summary.wall.min : undefined,
    });
  }
  return out;
}

const HEAD = '| case | runs | wall ms | p25–p75 ms | wall ratio | CPU ms | CPU ratio | vs | wall − floor ms | CPU − floor ms | peak RSS MB |\n' +
  '|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|';

export function table(rs, title) {
  const body = rs.map((r) => r.error
    ? `| ${r.label} | not measured: ${r.error.replace(/\|/g, '/')} | | | | | | | | | |`
    : `| ${r.label} | ${r.n} | ${ms(r.median)} | ${ms(r.p25)}–${ms(r.p75)} | ${ratio(r.ratio)} | ${ms(r.cpu)} | ${ratio(r.cpuRatio)} | ${r.baseline ?? ''} | ${ms(r.minusFloor)} | ${ms(r.cpuMinusFloor)} | ${r.rssBelowSpawner ? '≤ ' : ''}${mb(r.rssKb)} |`);
  const note = rs.some((r) => r.rssBelowSpawner) ? `\n"≤": below what can be told apart from the measuring process's own size (Linux counts it into a child's peak RSS).\n` : '';
  return `### ${title}\n\n${HEAD}\n${body.join('\n')}\n${note}`;
}

/**
 * Does `list` cost grow no worse than linearly? Marginal cost per domain between sizes (wall
 * and CPU time), and the exponent k in (t(n) - t(1)) ~ n^k between the two largest sizes,
 * from CPU time, which a busy machine disturbs far less than wall time (k <= ~1: linear).
 */
export function scaling(rs, sizes) {
  const pick = (key) => Object.fromEntries(sizes.map((n) => [n, rs.find((r) => r.id === `list-${n}`)?.[key]]));
  const wall = pick('median');
  const cpu = pick('cpu');
  if (sizes.some((n) => !Number.isFinite(wall[n]))) return { text: 'list scaling: not all sizes measured\n' };
  const t = sizes.every((n) => Number.isFinite(cpu[n])) ? cpu : wall;
  const steps = [];
  for (let i = 1; i < sizes.length; i++) {
    const [a, b] = [sizes[i - 1], sizes[i]];
    steps.push({ from: a, to: b, wall: (wall[b] - wall[a]) / (b - a), cpu: (cpu[b] - cpu[a]) / (b - a) });
  }
  const [m, n] = sizes.slice(-2);
  const k = Math.log((t[n] - t[1]) / (t[m] - t[1])) / Math.log((n - 1) / (m - 1));
  const us = (x) => (Number.isFinite(x) ? `${(x * 1000).toFixed(0)} µs` : '–');
  const lines = steps.map((s) => `| ${s.from} → ${s.to} | ${us(s.wall)} | ${us(s.cpu)} |`);
  const verdict = !Number.isFinite(k) ? 'too noisy to say: the cost above 1 domain did not grow between these sizes'
    : k <= 1.25 ? 'linear or better, within the noise' : k >= 1.6 ? 'worse than linear' : 'inconclusive: between linear and quadratic';
  const text = `### list: cost per extra domain\n\n| domains | wall per extra domain | CPU per extra domain |\n|---|---:|---:|\n${lines.join('\n')}\n\n` +
    `Growth exponent of the CPU time between ${m} and ${n} domains (cost above 1 domain ∝ n^k): k = ${Number.isFinite(k) ? k.toFixed(2) : '–'} (${verdict}).\n`;
  return { steps, k, text };
}

/** The issue's targets, each with where it stands in this run. */
export function targets(rs, extra = []) {
  const get = (id) => rs.find((r) => r.id === id);
  const t = [];
  const overFloor = (id, limit) => {
    const r = get(id);
    const breakEven = r?.cpuRatio > 1 ? limit / (r.cpuRatio - 1) : undefined;
    t.push({ target: `${r?.label ?? id}: txl − floor < ${limit} ms`, value: r?.minusFloor, cpu: r?.cpuMinusFloor, breakEven, limit, unit: 'ms' });
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
  if (x.value < x.limit && !(x.cpu >= x.limit)) return 'met';
  if (x.cpu < x.limit) return 'met in CPU time, not in wall time';
  return Number.isFinite(x.breakEven) ? `NOT met here; met where node -e 0 < ${ms(x.breakEven)} ms` : 'NOT met';
}

export function targetTable(ts) {
  const fmt = (v, unit) => (!Number.isFinite(v) ? '–' : unit === 'x' ? ratio(v) : `${ms(v)} ${unit}`);
  const line = (x) => `| ${x.target} | ${fmt(x.value, x.unit)} | ${fmt(x.cpu, x.unit)} | ${standing(x)} |`;
  return `### Targets\n\nA "txl − floor < L ms" target holds on any machine whose \`node -e 0\` takes less than L / (CPU ratio − 1), ` +
    `if txl's extra cost scales with the machine as Node's own start-up does.\n\n` +
    `| target | wall (median) | CPU (median) | standing |\n|---|---:|---:|---|\n${ts.map(line).join('\n')}\n`;
}

export function failures(rs) {
  const bad = rs.filter((r) => r.error);
  if (!bad.length) return '';
  return `### Not measured\n\n${bad.map((r) => `- ${r.label}: ${r.error}${r.stderrTail ? `\n  stderr: ${r.stderrTail.replace(/\n/g, ' / ')}` : ''}`).join('\n')}\n`;
}

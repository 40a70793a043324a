// Times commands through bench/runner.py (wall clock, CPU time and peak RSS from wait4) and
// runs a set of cases interleaved: every round runs each case once, in a shuffled order, so
// that a burst of load from someone else's tests lands on all cases alike rather than on one.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export class Runner {
  constructor(python = process.env.TXL_BENCH_PYTHON || 'python3') {
    this.child = spawn(python, [new URL('./runner.py', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
    this.failed = new Promise((_, reject) => this.child.on('error', (e) => reject(new Error(`cannot start ${python} for bench/runner.py: ${e.message}`))));
    this.failed.catch(() => {});
  }

  /** Runs argv once; stdout/stderr go to the given files (or /dev/null). */
  async run({ argv, env, cwd, stdout = null, stderr = null, timeoutS = null }) {
    this.child.stdin.write(JSON.stringify({ argv, env, cwd, stdout, stderr, timeout_s: timeoutS }) + '\n');
    const next = await Promise.race([this.lines.next(), this.failed]);
    if (next.done) throw new Error('bench/runner.py stopped answering');
    const answer = JSON.parse(next.value);
    if (answer.error) throw new Error(`${argv.join(' ')}: ${answer.error}`);
    return answer;
  }

  close() {
    this.child.stdin.end();
  }
}

export function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(samples) {
  const sort = (xs) => [...xs].sort((a, b) => a - b);
  const wall = sort(samples.map((s) => s.wall_ms));
  const cpu = sort(samples.map((s) => s.user_ms + s.sys_ms));
  const rss = sort(samples.map((s) => s.maxrss_kb));
  return {
    n: samples.length,
    wall: { median: quantile(wall, 0.5), p25: quantile(wall, 0.25), p75: quantile(wall, 0.75), min: wall[0] },
    cpu: { median: quantile(cpu, 0.5) },
    // at or below the spawner's own peak, a child's figure is the spawner's, not its own
    rssKb: { median: quantile(rss, 0.5), max: rss[rss.length - 1], spawner: Math.max(...samples.map((s) => s.spawner_rss_kb ?? 0)) },
  };
}

// A small seeded generator, so that a run's order of cases can be repeated.
function shuffler(seed) {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return (xs) => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
}

/**
 * Runs each case `warmup` times (checked, not kept) then `rounds` times interleaved.
 * A case: { id, argv, env, cwd, expectCode = 0, check(out, err) -> problem | undefined,
 *           before(), after() (untimed, around every run), every = 1 (a slow case runs only
 *           in every n-th round), timeoutS (default: the option), slow (log its warm-up) }.
 * Returns Map id -> { samples, summary } or { error }.
 */
export async function measureCases(runner, cases, { rounds, warmup = 1, seed = 1, outDir, timeoutS = 600, log = () => {} }) {
  const results = new Map();
  const once = async (c) => {
    const stdout = join(outDir, `${c.id}.out`);
    const stderr = join(outDir, `${c.id}.err`);
    await c.before?.();
    try {
      const r = await runner.run({ argv: c.argv, env: c.env, cwd: c.cwd, stdout, stderr, timeoutS: c.timeoutS ?? timeoutS });
      const expect = c.expectCode ?? 0;
      if (r.timed_out) return { error: `still running after ${c.timeoutS ?? timeoutS} s: killed`, stderrTail: tail(stderr) };
      if (r.signal !== null) return { error: `killed by signal ${r.signal}`, stderrTail: tail(stderr) };
      if (expect !== 'any' && r.code !== expect) return { error: `exit ${r.code}, expected ${expect}`, stderrTail: tail(stderr) };
      return { sample: r, stdout, stderr };
    } finally {
      await c.after?.();
    }
  };
  for (const c of cases) {
    if (c.slow) log(`warm-up: ${c.label}`);
    for (let i = 0; i < warmup; i++) {
      const r = await once(c);
      if (r.error) {
        results.set(c.id, { error: r.error, stderrTail: r.stderrTail });
        break;
      }
      const problem = c.check?.(readFileSync(r.stdout, 'utf8'), readFileSync(r.stderr, 'utf8'));
      if (problem) {
        results.set(c.id, { error: problem, stderrTail: tail(r.stderr) });
        break;
      }
    }
    if (!results.has(c.id)) results.set(c.id, { samples: [] });
  }
  const live = cases.filter((c) => !results.get(c.id).error);
  const shuffle = shuffler(seed);
  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1}/${rounds}`);
    for (const c of shuffle(live)) {
      const entry = results.get(c.id);
      if (entry.error || round % (c.every ?? 1) !== 0) continue;
      if (c.slow) log(`  ${c.label}`);
      const r = await once(c);
      if (r.error) Object.assign(entry, { error: `round ${round + 1}: ${r.error}`, stderrTail: r.stderrTail });
      else entry.samples.push({ ...r.sample, round });
    }
  }
  for (const entry of results.values()) if (!entry.error) entry.summary = summarize(entry.samples);
  return results;
}

function tail(file) {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join('\n');
  } catch {
    return '';
  }
}

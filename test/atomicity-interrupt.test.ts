// Interruptions: Ctrl-C (SIGINT) during `txl create` and `txl save`, and kill -9 during the
// writes of the simulator's state and of managed configs. After each, the host is either as
// it was or as the finished command leaves it: never a half-created domain, a partial file
// under a real name, or lost content; and the next command works (a dead process's lock is
// broken).
//
// The simulator has no delay hook, so "mid-way" is reached two ways: by holding the host's
// lock so that txl is stopped inside the command, and by signals sent at moments spread over
// a run of the command (TXL_INTERRUPT_RUNS sets how many per command).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIM_BIN, simHost, type SimHost } from './support/sim.js';
import { bundled } from './support/mutate.js';
import type { Run } from './support/txl.js';

const RUNS = Number(process.env.TXL_INTERRUPT_RUNS) || 6;
// Without a SIGINT handler, an interrupted txl dies where it stands: no guest is lost (each
// step is one atomic transaction), but a partial save file, a state temp file or a lock can
// stay behind. Those are listed in RELIABILITY.md as open; TXL_STRICT_INTERRUPT=1 fails on them.
const STRICT = process.env.TXL_STRICT_INTERRUPT === '1';
const known: string[] = [];

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha1').update(readFileSync(p)).digest('hex').slice(0, 12);
    }
  };
  walk(dir);
  return out;
}
const same = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(a) === JSON.stringify(b);
/** Files a dead or interrupted process must not leave: temp files of atomic writes, locks. */
const leftovers = (s: Record<string, string>) => Object.keys(s).filter((k) => /\.tmp$|\.lock$|\.break$/.test(k));

const CFG = `name = "g1"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 256\ndisk = [ "vdev=xvda, target=/dev/vg/a", "vdev=xvdb, target=/dev/vg/b" ]\nvif = [ "bridge=xenbr0" ]\nvfb = [ "vnc=1" ]\n`;

/**
 * Starts txl and sends `signal` `delayMs` after it printed `marker` on stderr (after its
 * start when no marker is given), if it still runs; resolves on exit with the time the
 * marker appeared and the time the command took.
 */
function runAndSignal(h: SimHost, args: string[], delayMs: number, signal: NodeJS.Signals, marker?: RegExp): Promise<Run & { signal: string | null; ms: number; markedAt: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...h.env };
    for (const k of Object.keys(env)) if (env[k] === '' && k.startsWith('TXL_')) delete env[k];
    const p = spawn(process.execPath, [SIM_BIN, '--connect', h.uri, ...args], { cwd: h.dir, env });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    let markedAt = -1;
    const arm = () => {
      markedAt = performance.now() - t0;
      timer = setTimeout(() => p.kill(signal), delayMs);
    };
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => {
      stderr += c;
      if (marker && markedAt < 0 && marker.test(stderr)) arm();
    });
    if (!marker) arm();
    p.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, signal: sig, stdout, stderr, ms: performance.now() - t0, markedAt });
    });
  });
}

const tally = { sigint: 0, kill9: 0, outcomes: new Map<string, number>() };
const count = (what: string) => tally.outcomes.set(what, (tally.outcomes.get(what) ?? 0) + 1);

function g1(h: SimHost) {
  return (h.state().domains as { name: string; status: string; devices: unknown[] }[]).find((d) => d.name === 'g1');
}

describe('Ctrl-C (SIGINT) during a command', { timeout: 300_000 }, () => {
  it('while txl waits for the host (lock held): create and save change nothing and exit', async () => {
    for (const cmd of ['create', 'save'] as const) {
      const h = simHost();
      h.file('g1.cfg', CFG);
      if (cmd === 'save') expect(h.run(['create', 'g1.cfg']).code).toBe(0);
      else expect(h.run(['list']).code).toBe(0);
      // hold the host's lock as a live process would (this test process)
      const lock = join(h.dir, 'state.json.lock');
      writeFileSync(lock, `${process.pid} ${hostname()} ${Date.now()} test0000token\n`);
      const before = snapshot(h.dir);
      const args = cmd === 'create' ? ['create', 'g1.cfg'] : ['save', 'g1', join(h.dir, 'g1.save')];
      const r = await runAndSignal(h, args, 1500, 'SIGINT');
      tally.sigint++;
      expect(r.signal === 'SIGINT' || r.code === 130, `${cmd}: ${r.code} ${r.signal} ${r.stderr}`).toBe(true);
      expect(same(snapshot(h.dir), before), `${cmd} changed the host while it waited`).toBe(true);
      unlinkSync(lock);
      const list = h.run(['list']);
      expect(list.code).toBe(0);
      expect(list.stdout.includes('g1')).toBe(cmd === 'save');
      count(`${cmd}: interrupted while waiting, host unchanged`);
    }
  });

  it.each([['create'], ['save']])('%s: at moments spread over the whole command, the host is as before or as after', async (cmd) => {
    // how long the command takes here, uninterrupted
    const probe = simHost();
    probe.file('g1.cfg', CFG);
    if (cmd === 'save') expect(probe.run(['create', 'g1.cfg']).code).toBe(0);
    const args = (h: SimHost) => (cmd === 'create' ? ['create', 'g1.cfg'] : ['save', 'g1', join(h.dir, 'g1.save')]);
    // signals are timed from the line txl prints once its start-up is over and the work begins
    const marker = cmd === 'create' ? /Parsing config from/ : /Saving to/;
    const full = await runAndSignal(probe, args(probe), 600_000, 'SIGINT', marker);
    expect(full.code, full.stderr).toBe(0);
    expect(full.markedAt).toBeGreaterThan(0);
    const work = full.ms - full.markedAt;
    const devices = cmd === 'create' ? g1(probe)!.devices.length : 0;
    const problems: string[] = [];
    for (let k = 0; k < RUNS; k++) {
      const h = simHost();
      h.file('g1.cfg', CFG);
      expect(h.run(cmd === 'save' ? ['create', 'g1.cfg'] : ['list']).code).toBe(0);
      const before = snapshot(h.dir);
      const delay = Math.round((work * k) / RUNS);
      const r = await runAndSignal(h, args(h), delay, 'SIGINT', marker);
      tally.sigint++;
      const after = snapshot(h.dir);
      const left = leftovers(after);
      const d = g1(h);
      const saved = existsSync(join(h.dir, 'g1.save'));
      let outcome: string;
      let lost: string | undefined;
      if (same(before, after)) outcome = 'as before';
      else if (cmd === 'create') {
        if (d && d.devices.length === devices && !left.length) outcome = 'as after';
        else outcome = `half-done: g1 ${d ? `${d.status} with ${d.devices.length} of ${devices} devices` : 'absent'}, leftovers [${left.join(', ')}]`;
        if (d && d.devices.length !== devices) lost = outcome;
      } else {
        // the guest must survive: running, or whole in a save file that restores
        const restore = () => h.run(['restore', join(h.dir, 'g1.save')]).code === 0;
        let note = '';
        if (!d) {
          if (!saved || !restore()) lost = `g1 is gone and ${saved ? 'its save file does not restore' : 'there is no save file'}`;
        } else if (d.status !== 'running') {
          // left suspended: the guest survives only if its image is whole
          const recovered = saved && h.run(['destroy', '-f', 'g1']).code === 0 && restore();
          if (!recovered) lost = `g1 is left ${d.status} and its image does not restore`;
          note = ', left suspended beside its whole image (destroy + restore recovers it)';
        } else if (saved) note = ', running, with a partial save file beside it';
        if (!d && !lost && !left.length) outcome = 'as after';
        else outcome = `half-done: g1${d ? '' : ' saved and destroyed'}${note}${left.length ? `, leftovers [${left.join(', ')}]` : ''}`;
      }
      count(`${cmd}: ${outcome}`);
      const what = `${cmd} interrupted ${delay} ms into its work (${Math.round(work)} ms uninterrupted; exit ${r.code}/${r.signal})`;
      if (lost) problems.push(`${what}: LOST: ${lost}`);
      else if (!outcome.startsWith('as ')) (STRICT ? problems : known).push(`${what}: ${outcome}`);
      // whatever happened, the host keeps working
      const list = h.run(['list']);
      if (list.code !== 0) problems.push(`after ${cmd} at ${delay} ms, 'txl list' fails: ${list.stderr}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('kill -9 during a write keeps the old content', { timeout: 300_000 }, () => {
  it('the state write of a create, killed half-way (state-write-crash): old state intact, next command fine', () => {
    const h = simHost();
    h.file('g1.cfg', CFG);
    expect(h.run(['list']).code).toBe(0);
    const stateBefore = readFileSync(join(h.dir, 'state.json'), 'utf8');
    const r = h.run(['create', 'g1.cfg'], { env: { TXL_SIM_FAIL: 'state-write-crash:1' } });
    tally.kill9++;
    expect(r.code).not.toBe(0);
    expect(readFileSync(join(h.dir, 'state.json'), 'utf8')).toBe(stateBefore);
    // the dead process's lock is broken by the next command, which sees the old state
    const list = h.run(['list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).not.toContain('g1');
    expect(h.run(['create', 'g1.cfg']).code).toBe(0);
    const left = leftovers(snapshot(h.dir));
    console.log(`[atomicity] after kill -9 in a state write, left behind: ${left.join(', ') || 'nothing'}`);
    expect(left.every((f) => f.endsWith('.tmp'))).toBe(true);
  });

  it.each([
    ['the simulator state (SimStore transactions)', 'state'],
    ['a managed config (replaceFile)', 'managed'],
  ])('%s, killed at random moments of a writing loop', async (_what, kind) => {
    const bundle = bundled('src/sim/store.ts');
    const h = simHost();
    const script = join(h.dir, 'writer.mjs');
    writeFileSync(script, WRITER);
    const problems: string[] = [];
    for (let k = 0; k < RUNS + 4; k++) {
      const acked = await new Promise<number>((resolve) => {
        const p = spawn(process.execPath, [script, bundle, kind, h.dir], { env: { ...process.env, TXL_SIM_STATE: join(h.dir, 'state.json'), TXL_SIM_FAIL: '' } });
        let out = '';
        p.stdout.on('data', (c) => {
          out += c;
          // let it get going, then kill it at a moment that depends on the run
          if (out.includes('ready') && !p.killed) setTimeout(() => p.kill('SIGKILL'), 5 + ((k * 37) % 90));
        });
        p.on('close', () => resolve(Math.max(0, ...out.split('\n').filter((l) => /^\d+$/.test(l)).map(Number))));
      });
      tally.kill9++;
      const path = kind === 'state' ? join(h.dir, 'state.json') : join(h.dir, 'managed', 'big.json');
      let doc: { n?: number; next_gref?: number };
      try {
        doc = JSON.parse(readFileSync(path, 'utf8'));
      } catch (e) {
        problems.push(`run ${k}: ${path} is not whole after kill -9: ${(e as Error).message}`);
        continue;
      }
      const n = kind === 'state' ? doc.next_gref! : doc.n!;
      // what the writer said it had written must be there: no lost update, no half write
      if (n < acked || (acked > 0 && n > acked + 1)) problems.push(`run ${k}: the file holds write ${n}, the writer had acknowledged ${acked}`);
    }
    expect(problems).toEqual([]);
  });
});

// A writer killed at random: it reports each write it finished; the reader checks that the
// file holds that write or the next one, whole.
const WRITER = `
import { readFileSync } from 'node:fs';
const [bundle, kind, dir] = process.argv.slice(2);
const { SimStore, simPaths, replaceFile } = await import(bundle);
const pad = 'x'.repeat(256 * 1024);
if (kind === 'state') {
  const store = new SimStore(simPaths('default'));
  let first = true;
  for (;;) {
    const n = await store.transact((tx) => { tx.st.next_gref += 1; tx.st.dmesg = [pad + tx.st.next_gref]; return tx.st.next_gref; });
    process.stdout.write(n + '\\n');
    if (first) { process.stdout.write('ready\\n'); first = false; }
  }
} else {
  const path = dir + '/managed/big.json';
  let n = 0;
  let first = true;
  try { n = JSON.parse(readFileSync(path, 'utf8')).n; } catch {}
  for (;;) {
    n += 1;
    replaceFile(path, JSON.stringify({ n, pad }));
    process.stdout.write(n + '\\n' + (first ? 'ready\\n' : ''));
    first = false;
  }
}
`;

describe('interruptions: counts', () => {
  it('reports', () => {
    console.log(`[atomicity] SIGINTs sent: ${tally.sigint}, kill -9: ${tally.kill9}; outcomes: ${[...tally.outcomes].map(([k, v]) => `${k} ${v}`).join('; ')}`);
    for (const k of known) console.log(`[atomicity] open (see RELIABILITY.md): ${k}`);
    expect(tally.sigint + tally.kill9).toBeGreaterThan(0);
  });
});

// Interruptions: Ctrl-C (SIGINT) and SIGTERM during `txl create`, `save` and `restore`, and
// kill -9 during the writes of the simulator's state and of managed configs.
//
// Signals are sent deterministically: TXL_SIM_DELAY=step:nth:ms holds one step of the
// simulator and announces it on stderr, and the signal goes out when the announcement
// appears. The steps are not listed by hand: each command is first run with every step held
// for 0 ms, and the announcements give every step it passes through, in order.
//
// After an interrupt: exit 130, one line saying what was undone, every domain as it was
// (running as before, for save), no partial save file, no temp or lock file, and the same
// command run again works.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
// the commands around the signalled ones run in this process; those that kill their process, or
// whose lock and temp files name its pid, run in bin/txl
import { SIM_BIN, simHost, spawnSimHost, type Run, type SimHost } from './support/inproc.js';
import { bundled } from './support/mutate.js';
import { DELAY_ONLY_STEPS, FAULT_STEPS } from '../src/sim/faults.js';

/**
 * How long a held step lasts at most: the test ends the hold (TXL_SIM_DELAY_UNTIL) once its
 * signals are sent, so a busy machine cannot make them arrive after it. Not a timing assertion.
 */
const HOLD_MS = 60_000;

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

interface Signalled extends Run { signal: string | null; marked: boolean }

/**
 * Starts txl and, when `marker` appears on its stderr (at once without one), sends it each
 * of `signals`; resolves when it exits.
 */
function runAndSignal(h: SimHost, args: string[], signals: NodeJS.Signals[], opts: { marker?: RegExp; env?: Record<string, string>; afterMs?: number } = {}): Promise<Signalled> {
  return new Promise((resolve) => {
    const release = join(h.dir, `release-${Math.random().toString(36).slice(2)}`);
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...h.env, TXL_SIM_DELAY_UNTIL: release, ...opts.env };
    for (const k of Object.keys(env)) if (env[k] === '' && k.startsWith('TXL_')) delete env[k];
    const p = spawn(process.execPath, [SIM_BIN, '--connect', h.uri, ...args], { cwd: h.dir, env });
    let stdout = '';
    let stderr = '';
    let marked = false;
    let timer: NodeJS.Timeout | undefined;
    const fire = () => {
      marked = true;
      // one after another: two signals sent together would merge into one pending signal
      const send = (i: number) => {
        if (i >= signals.length) return void writeFileSync(release, '');
        p.kill(signals[i]);
        timer = setTimeout(() => send(i + 1), 200);
      };
      timer = setTimeout(() => send(0), opts.afterMs ?? 0);
    };
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => {
      stderr += c;
      if (opts.marker && !marked && opts.marker.test(stderr)) fire();
    });
    if (!opts.marker) fire();
    p.on('close', (code, sig) => {
      clearTimeout(timer);
      if (existsSync(release)) unlinkSync(release);
      resolve({ code: code ?? -1, signal: sig, stdout, stderr, marked });
    });
  });
}

const tally = { sigint: 0, sigterm: 0, kill9: 0, steps: new Map<string, number>(), identical: 0, completed: 0 };

interface Dom { domid: number; name: string; uuid: string; status: string; target_kb: number; online_vcpus: number; devices: { kind: string; devid: number; config: unknown }[] }
const readState = (h: SimHost): { domains: Dom[] } => (existsSync(join(h.dir, 'state.json')) ? h.state() : { domains: [] });
/** What a user of the host sees: each domain, its state, memory and devices. */
const essentials = (h: SimHost) =>
  JSON.stringify(readState(h).domains.map((d) => ({ domid: d.domid, name: d.name, uuid: d.uuid, status: d.status, mem: d.target_kb, vcpus: d.online_vcpus, devices: d.devices.map((x) => [x.kind, x.devid, x.config]) })));

/** Runs jobs with at most `n` at a time (the machine has two cores). */
async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

interface Command {
  name: 'create' | 'save' | 'restore';
  prepare(h: SimHost): void;
  args(h: SimHost): string[];
}
const ok = (r: Run, what: string) => expect(r.code, `${what}: ${r.stderr}`).toBe(0);
const COMMANDS: Command[] = [
  { name: 'create', prepare: (h) => void (h.file('g1.cfg', CFG), ok(h.run(['list']), 'list')), args: () => ['create', 'g1.cfg'] },
  { name: 'save', prepare: (h) => void (h.file('g1.cfg', CFG), ok(h.run(['create', 'g1.cfg']), 'create')), args: (h) => ['save', 'g1', join(h.dir, 'g1.save')] },
  {
    name: 'restore',
    prepare: (h) => {
      h.file('g1.cfg', CFG);
      ok(h.run(['create', 'g1.cfg']), 'create');
      ok(h.run(['save', 'g1', join(h.dir, 'g1.save')]), 'save');
    },
    args: (h) => ['restore', join(h.dir, 'g1.save')],
  },
];

/** Every step the command passes through, in order, from the real binary. */
async function stepsOf(cmd: Command, template: SimHost): Promise<string[]> {
  const h = simHost();
  cpSync(template.dir, h.dir, { recursive: true });
  const all = [...FAULT_STEPS, ...DELAY_ONLY_STEPS].filter((s) => s !== 'state-write-crash').map((s) => `${s}:0`).join(',');
  const r = await runAndSignal(h, cmd.args(h), [], { env: { TXL_SIM_DELAY: all } });
  ok(r, `${cmd.name} with every step held 0 ms`);
  return [...r.stderr.matchAll(/holding step '([^']+)' for 0 ms/g)].map((m) => m[1]);
}

/** Checks the host after an interrupted command; returns what is wrong. */
function afterInterrupt(cmd: Command, h: SimHost, r: Signalled, before: { snap: Record<string, string>; doms: string }): string[] {
  const problems: string[] = [];
  if (r.code !== 130) problems.push(`exit ${r.code}/${r.signal}, expected 130`);
  const last = r.stderr.trim().split('\n').pop() ?? '';
  if (!/^txl: interrupted: \S/.test(last)) problems.push(`last line does not say what was undone: ${JSON.stringify(last)}`);
  if (essentials(h) !== before.doms) problems.push(`domains changed: ${essentials(h)}`);
  const snap = snapshot(h.dir);
  const left = leftovers(snap);
  if (left.length) problems.push(`left behind: ${left.join(', ')}`);
  const save = join(h.dir, 'g1.save');
  if (cmd.name === 'save' && existsSync(save)) problems.push('a save file is left beside the running domain');
  if (cmd.name === 'restore' && snap['g1.save'] !== before.snap['g1.save']) problems.push('the save file changed');
  // files may only change in place (the state, a console log): none added, none removed
  const added = Object.keys(snap).filter((k) => !(k in before.snap) && !k.startsWith('console/'));
  const removed = Object.keys(before.snap).filter((k) => !(k in snap));
  if (added.length || removed.length) problems.push(`files added [${added.join(', ')}], removed [${removed.join(', ')}]`);
  if (same(snap, before.snap)) tally.identical++;
  return problems;
}

function completedSave(h: SimHost): string[] {
  const problems: string[] = [];
  if (readState(h).domains.some((d) => d.name === 'g1')) problems.push('exit 0, but g1 is still there');
  const restore = h.run(['restore', join(h.dir, 'g1.save')]);
  if (restore.code !== 0) problems.push(`exit 0, but the save file does not restore: ${restore.stderr}`);
  if (leftovers(snapshot(h.dir)).length) problems.push(`left behind: ${leftovers(snapshot(h.dir)).join(', ')}`);
  return problems;
}

describe('Ctrl-C (SIGINT) at every step of create, save and restore', { timeout: 600_000 }, () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: each step interrupted is undone, and the command then works', async (_name, cmd) => {
    const template = simHost();
    cmd.prepare(template);
    const steps = await stepsOf(cmd, template);
    // the command's own steps must all be there (a held step the binary never announced is not tested)
    const expected = { create: ['domain-create:1', 'disk-attach:2', 'nic-attach:1', 'vfb-attach:1', 'state-write:1'], save: ['save-write:1', 'state-write:1', 'state-write:2'], restore: ['restore-read:1', 'domain-create:1', 'disk-attach:2', 'state-write:1'] }[cmd.name];
    for (const s of [...expected, 'transaction:1', 'committed:1']) expect(steps).toContain(s);
    const problems: string[] = [];
    await pool(steps, 2, async (step) => {
      const h = simHost();
      cpSync(template.dir, h.dir, { recursive: true });
      const before = { snap: snapshot(h.dir), doms: essentials(h) };
      const marker = new RegExp(`holding step '${step}'`);
      const r = await runAndSignal(h, cmd.args(h), ['SIGINT'], { marker, env: { TXL_SIM_DELAY: `${step}:${HOLD_MS}` } });
      tally.sigint++;
      tally.steps.set(cmd.name, (tally.steps.get(cmd.name) ?? 0) + 1);
      let found: string[];
      if (!r.marked) found = [`step ${step} was never reached`];
      else if (r.code === 0 && cmd.name === 'save' && step === steps[steps.length - 1]) {
        // a signal after save's last commit (the destroy) finds the save done: the guest is
        // whole in its file, and reported saved; undoing would mean a new domain
        found = completedSave(h);
        tally.completed++;
      } else found = afterInterrupt(cmd, h, r, before);
      // and the host keeps working: the same command, uninterrupted, succeeds
      if (r.code !== 0) {
        const again = h.run(cmd.args(h));
        if (again.code !== 0) found.push(`the same ${cmd.name} afterwards fails: ${again.stderr}`);
      }
      if (found.length) problems.push(`${cmd.name} interrupted at ${step}: ${found.join('; ')}\n${r.stderr}`);
    });
    console.log(`[interrupt] ${cmd.name}: ${steps.length} steps interrupted (${steps.join(' ')})`);
    expect(problems).toEqual([]);
  });

  it('SIGTERM is handled as Ctrl-C is (save stopped after the suspend: resumed, no file)', async () => {
    const cmd = COMMANDS[1];
    const h = simHost();
    cmd.prepare(h);
    const before = { snap: snapshot(h.dir), doms: essentials(h) };
    const r = await runAndSignal(h, cmd.args(h), ['SIGTERM'], { marker: /holding step 'state-write:2'/, env: { TXL_SIM_DELAY: `state-write:2:${HOLD_MS}` } });
    tally.sigterm++;
    expect(afterInterrupt(cmd, h, r, before)).toEqual([]);
    expect(r.stderr).toContain("txl: interrupted: domain 'g1' was resumed and");
    ok(h.run(cmd.args(h)), 'save afterwards');
  });

  it('a second signal exits at once (130), and releases the lock', async () => {
    const h = simHost();
    COMMANDS[0].prepare(h);
    const before = essentials(h);
    const r = await runAndSignal(h, ['create', 'g1.cfg'], ['SIGINT', 'SIGINT'], { marker: /holding step 'disk-attach:1'/, env: { TXL_SIM_DELAY: `disk-attach:1:${HOLD_MS}` } });
    tally.sigint += 2;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('SIGINT again: stopped at once');
    expect(essentials(h)).toBe(before);
    expect(leftovers(snapshot(h.dir))).toEqual([]);
  });

  it('while txl waits for the host (lock held by a live process): exits 130, host unchanged', async () => {
    for (const cmd of COMMANDS) {
      const h = simHost();
      cmd.prepare(h);
      const lock = join(h.dir, 'state.json.lock');
      writeFileSync(lock, `${process.pid} ${hostname()} ${Date.now()} test0000token\n`);
      const before = snapshot(h.dir);
      // the lock wait is reached at the first transaction, announced by its hold
      const r = await runAndSignal(h, cmd.args(h), ['SIGINT'], { marker: /holding step 'transaction:1'/, env: { TXL_SIM_DELAY: 'transaction:1:0' }, afterMs: 300 });
      tally.sigint++;
      unlinkSync(lock);
      expect(r.code, `${cmd.name}: ${r.stderr}`).toBe(130);
      expect(r.stderr).toMatch(/txl: interrupted: /);
      const after = snapshot(h.dir);
      delete before['state.json.lock'];
      expect(same(after, before), `${cmd.name} changed the host while it waited`).toBe(true);
      ok(h.run(cmd.args(h)), `${cmd.name} afterwards`);
    }
  });
});

describe('kill -9 during a write keeps the old content, and the next command cleans up', { timeout: 300_000 }, () => {
  it('the state write of a create, killed half-way (state-write-crash): old state intact, temp file and lock gone after the next command', () => {
    const h = spawnSimHost();
    h.file('g1.cfg', CFG);
    expect(h.run(['list']).code).toBe(0);
    const stateBefore = readFileSync(join(h.dir, 'state.json'), 'utf8');
    const r = h.run(['create', 'g1.cfg'], { env: { TXL_SIM_FAIL: 'state-write-crash:1' } });
    tally.kill9++;
    expect(r.code).not.toBe(0);
    expect(readFileSync(join(h.dir, 'state.json'), 'utf8')).toBe(stateBefore);
    // the killed process left its half-written temp file and its lock
    const dead = leftovers(snapshot(h.dir));
    expect(dead.some((f) => /^\.state\.json\.\d+\.\d+\.tmp$/.test(f)), dead.join(', ')).toBe(true);
    expect(dead).toContain('state.json.lock');
    // the next command breaks the dead lock, sees the old state and removes the temp file
    const list = h.run(['list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).not.toContain('g1');
    expect(leftovers(snapshot(h.dir))).toEqual([]);
    expect(h.run(['create', 'g1.cfg']).code).toBe(0);
  });

  it.each([
    ['the simulator state (SimStore transactions)', 'state'],
    ['a managed config (replaceFile)', 'managed'],
  ])('%s, killed at moments spread over a writing loop', async (_what, kind) => {
    // one bundle per module: store.ts no longer re-exports simPaths and replaceFile
    const bundles = ['src/sim/store.ts', 'src/sim/paths.ts', 'src/fsutil.ts'].map(bundled).join(',');
    const h = simHost();
    const script = join(h.dir, 'writer.mjs');
    writeFileSync(script, WRITER);
    const problems: string[] = [];
    for (let k = 0; k < 10; k++) {
      const acked = await new Promise<number>((resolve) => {
        const p = spawn(process.execPath, [script, bundles, kind, h.dir], { env: { ...process.env, TXL_SIM_STATE: join(h.dir, 'state.json'), TXL_SIM_FAIL: '', TXL_SIM_DELAY: '' } });
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
    // a later txl removes whatever the killed writers left
    expect(h.run(['list']).code).toBe(0);
    expect(leftovers(snapshot(h.dir))).toEqual([]);
    expect(problems).toEqual([]);
  });
});

// A writer killed at random: it reports each write it finished; the reader checks that the
// file holds that write or the next one, whole.
const WRITER = `
import { readFileSync } from 'node:fs';
const [bundles, kind, dir] = process.argv.slice(2);
const [{ SimStore }, { simPaths }, { replaceFile }] = await Promise.all(bundles.split(',').map((b) => import(b)));
const pad = 'x'.repeat(256 * 1024);
if (kind === 'state') {
  const store = new SimStore(simPaths('default', process.env), process.env);
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

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('temp files and the lock', { timeout: 120_000 }, () => {
  it('the first transaction removes temp files of dead processes, and only those', () => {
    const h = spawnSimHost();
    expect(h.run(['list']).code).toBe(0);
    const dead = deadPid();
    const files = {
      deadState: `.state.json.${dead}.1700000000000.tmp`,
      deadLock: `.state.json.lock.${dead}.0123abcd.tmp`,
      deadManaged: `managed/.g1.json.${dead}.1700000000000.tmp`,
      liveState: `.state.json.${process.pid}.1700000000000.tmp`,
      // not a name txl writes in the state's directory (which may be the user's own)
      foreign: `.notes.txt.${dead}.1700000000000.tmp`,
    };
    expect(h.run(['list']).code).toBe(0);
    mkdirSync(join(h.dir, 'managed'), { recursive: true });
    for (const f of Object.values(files)) writeFileSync(join(h.dir, f), 'partial');
    expect(h.run(['list']).code).toBe(0);
    const present = (f: string) => existsSync(join(h.dir, f));
    expect([files.deadState, files.deadLock, files.deadManaged].filter(present)).toEqual([]);
    expect(present(files.liveState)).toBe(true);
    expect(present(files.foreign)).toBe(true);
  });

  it('a lock whose owner is alive is never broken, however old; one whose pid was reused is', () => {
    const h = spawnSimHost();
    expect(h.run(['list']).code).toBe(0);
    const lock = join(h.dir, 'state.json.lock');
    // this test process is alive: the lock is good however long it has been held
    writeFileSync(lock, `${process.pid} ${hostname()} ${Date.now() - 3_600_000} livetoken\n`);
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(lock, old, old);
    const busy = h.run(['list'], { env: { TXL_SIM_LOCK_TIMEOUT: '300' } });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('the simulator is busy');
    // same pid, but a process that started at another time: the owner is gone
    writeFileSync(lock, `${process.pid} ${hostname()} ${Date.now()} reusedtoken 1\n`);
    const r = h.run(['list'], { env: { TXL_SIM_LOCK_TIMEOUT: '5000' } });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('the lock file is whole from the moment it exists (read in a tight loop by another process)', async () => {
    const h = spawnSimHost();
    expect(h.run(['list']).code).toBe(0);
    const { FileLock } = await import('../src/sim/lock.js');
    const path = join(h.dir, 'state.json.lock');
    const stop = join(h.dir, 'stop');
    // the watcher reads the lock as fast as it can and reports every content it saw that is not a whole owner line
    const watcher = spawn(process.execPath, ['-e', `
      const fs = require('node:fs'); let reads = 0; const bad = new Set();
      while (!fs.existsSync(${JSON.stringify(stop)})) {
        let t; try { t = fs.readFileSync(${JSON.stringify(path)}, 'utf8'); } catch { continue; }
        reads++; if (!/^\\d+ \\S+ \\d+ [0-9a-f]{16} \\S+\\n$/.test(t)) bad.add(JSON.stringify(t));
      }
      process.stdout.write(JSON.stringify({ reads, bad: [...bad] }));`]);
    let out = '';
    watcher.stdout.on('data', (c) => (out += c));
    const done = new Promise((r) => watcher.on('close', r));
    for (let i = 0; i < 2000; i++) {
      const l = new FileLock(path);
      await l.acquire();
      l.release();
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    writeFileSync(stop, '');
    await done;
    const seen = JSON.parse(out) as { reads: number; bad: string[] };
    console.log(`[interrupt] lock watcher: ${seen.reads} reads of the lock file during 2000 acquisitions, not whole: ${seen.bad.length}`);
    expect(seen.bad).toEqual([]);
    expect(readdirSync(h.dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
  });
});

describe('restore-read (the image read fails)', () => {
  it('no domain, the save file kept whole, the restore then works', () => {
    const h = spawnSimHost();
    COMMANDS[2].prepare(h);
    const before = { snap: snapshot(h.dir), doms: essentials(h) };
    const r = h.run(['restore', join(h.dir, 'g1.save')], { env: { TXL_SIM_FAIL: 'restore-read' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("txl: error: reading the saved image of 'g1' failed (simulated fault 'restore-read:1' from TXL_SIM_FAIL)");
    expect(essentials(h)).toBe(before.doms);
    expect(same(snapshot(h.dir), before.snap)).toBe(true);
    ok(h.run(['restore', join(h.dir, 'g1.save')]), 'restore afterwards');
    expect(readState(h).domains.some((d) => d.name === 'g1' && d.status === 'running')).toBe(true);
  });
});

describe('interruptions: counts', () => {
  it('reports', () => {
    const steps = [...tally.steps].map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`[interrupt] signals sent: SIGINT ${tally.sigint}, SIGTERM ${tally.sigterm}; kill -9: ${tally.kill9}; steps interrupted: ${steps}; host byte-identical afterwards: ${tally.identical}; save found complete after its last commit: ${tally.completed}; domains, devices or files lost or left: 0`);
    expect(tally.sigint + tally.kill9).toBeGreaterThan(0);
  });
});
